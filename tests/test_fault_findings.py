"""Bugs the fault-injection harness (tests/faultkit.py, benchmarks/fault_injection.py) found,
each pinned by the smallest test that shows it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sites.newsroom import Newsroom

from gossipcrawl.commands.base import EXIT_OUTPUT_FAILED

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[1]
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO"]


def closed_port() -> int:
    from conftest import free_port

    return free_port()


# --- a state store that is gone when the crawl opens it -------------------------------------

def test_a_state_store_gone_when_the_crawl_opens_it_is_one_error_not_a_traceback(tmp_path):
    """Redis stopped between the command line's check and the pipeline opening the state
    (the harness: `redis_kill` at 0.5 s) raised StateError out of open_spider: a Twisted
    traceback, and a job reported as paused (exit 5). As `scrapy crawl` (Scrapyd) runs it,
    with no check before, it is deterministic."""
    with Newsroom(articles=3) as site:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"target={site.base_url}/",
             "-s", f"GOSSIPCRAWL_STATE=redis://127.0.0.1:{closed_port()}/0",
             "-o", str(tmp_path / "out.jsonl"), *FAST],
            cwd=REPO, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        assert "Spider closed (state_failed)" in result.stderr, result.stderr[-3000:]
        assert "cannot reach the state store" in result.stderr
        assert not (tmp_path / "out.jsonl").exists(), "nothing is delivered without a state"
        assert site.paths() == [], "nothing is fetched without a state"


# --- a killed writer's temporary file, when the next crawl writes another name -------------------

def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_killed_writers_temporary_is_removed_by_the_next_writer_of_any_name(tmp_path):
    """`kill -9` during a crawl leaves `.feed-04.jsonl.PID.xxxx.tmp`; the next crawl writes
    `feed-05.jsonl` (cron: `-o feeds/$(date +%H).jsonl`), and only the stale temporaries of
    its own target were removed: the killed crawl's file stayed for ever (the harness,
    seed 13, scenario 1)."""
    from gossipcrawl.utils.fs import AtomicFile

    dead = _dead_pid()
    stale = tmp_path / f".feed-04.jsonl.{dead}.7ev7udyo.tmp"
    stale.write_text("half a feed")
    stale_report = tmp_path / f".feed-04.report.json.{dead}.abc_12.tmp"
    stale_report.write_text("{")
    alive = tmp_path / f".feed-03.jsonl.{os.getpid()}.k3j4h5g6.tmp"
    alive.write_text("being written")
    foreign = [tmp_path / ".notes.tmp", tmp_path / f".x.{dead}.tmp", tmp_path / "plain.tmp"]
    for path in foreign:
        path.write_text("not ours")
    with AtomicFile(tmp_path / "feed-05.jsonl") as out:
        out.file.write(b"{}\n")
    assert not stale.exists() and not stale_report.exists()
    assert alive.exists(), "a live writer's temporary stays"
    assert all(path.exists() for path in foreign), "files not named like ours stay"
