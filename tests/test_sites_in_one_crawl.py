"""Several sites in one crawl (`gossipcrawl crawl A B C`, `--all`, `--group`): one process,
each site with its own politeness, bounds, state, feed, job directory and verdict."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import free_port
from sites.newsroom import Newsroom

from gossipcrawl.commands.base import (EXIT_OK, EXIT_PAUSED, EXIT_SOME_SITES_FAILED,
                                       EXIT_USAGE)
from gossipcrawl.job.directory import read_job_info, wait_for_unlock

pytestmark = pytest.mark.e2e

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "GOSSIPCRAWL_JOB_SYNC_INTERVAL=0.2",
        "-s", "LOG_LEVEL=INFO"]


def gossipcrawl(*args, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gossipcrawl", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def items_of(directory: Path) -> dict[str, list[dict]]:
    """site directory name -> its delivered items."""
    found = {}
    for path in sorted(directory.glob("*.jsonl")):
        found[path.stem] = [json.loads(line) for line in path.read_text().splitlines()]
    return found


def partition(site: Newsroom) -> str:
    return f"127.0.0.1-{site.port}"


def test_a_down_site_and_a_429_site_do_not_hold_up_the_others(tmp_path):
    down = f"http://127.0.0.1:{free_port()}/"   # nothing listens there
    # Answers slower than the delay: when the 429 arrives, the next request is already due.
    with Newsroom(articles=6) as healthy, \
            Newsroom(articles=6, delays={"article": 0.3}) as throttled:
        throttled.too_many("article", times=1, retry_after=3)
        result = gossipcrawl("crawl", healthy.base_url + "/", throttled.base_url + "/", down,
                             "-o", "out/%(site)s.jsonl", "--state", "state.sqlite3",
                             "-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                             *FAST, cwd=tmp_path)
        assert result.returncode == EXIT_SOME_SITES_FAILED, result.stderr[-3000:]
        items = items_of(tmp_path / "out")
        assert len(items[partition(healthy)]) == 6
        assert len(items[partition(throttled)]) == 6      # held, then retried: all of them
        lines = [line for line in result.stderr.splitlines() if line.startswith("gossipcrawl:")]
        assert any(line.startswith(f"gossipcrawl: [127.0.0.1:{down.split(':')[2].strip('/')}]")
                   and "cannot reach" in line for line in lines), lines
        assert lines[-1].startswith("gossipcrawl: 2 of 3 sites crawled to their end"), lines
        assert "Traceback" not in result.stderr
        # The 429 held its own site only: during the hold, the throttled site saw no request
        # and the healthy one went on.
        first_429 = next(hit for hit in throttled.log if hit.status == 429)
        during = [hit for hit in throttled.log if first_429.time < hit.time < first_429.time + 2.9]
        assert during == [], [(round(h.time - first_429.time, 3), h.path, h.status) for h in throttled.log]
        busy_elsewhere = [hit for hit in healthy.log
                          if first_429.time < hit.time < first_429.time + 2.9]
        assert healthy.log[-1].time > first_429.time or busy_elsewhere, \
            "the healthy site went on during the other site's hold"
        report = next((tmp_path / "out").glob("sites-*.report.json"))
        data = json.loads(report.read_text())
        assert data["totals"]["sites"] == 3 and data["totals"]["succeeded"] == 2
        assert {site["outcome"] for site in data["sites"]} == {"ok", "unreachable"}


def test_each_site_keeps_its_own_politeness(tmp_path):
    """Two sites with different delays crawled at once: neither ever sees two requests
    closer together than its own delay allows, nor more than one at a time."""
    with Newsroom(articles=5) as slow, Newsroom(articles=5) as quick:
        profiles = tmp_path / "profiles"
        result = gossipcrawl("crawl", slow.base_url + "/", quick.base_url + "/",
                             "-o", "out/%(site)s.jsonl", "--state", "state.sqlite3",
                             "-s", "DOWNLOAD_DELAY=0.5", "-s", "DOWNLOAD_DELAY_JITTER=0",
                             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", *FAST, cwd=tmp_path)
        assert result.returncode == EXIT_OK, result.stderr[-3000:]
        assert not profiles.exists()
        for site in (slow, quick):
            times = sorted(hit.time for hit in site.log)
            gaps = [later - earlier for earlier, later in zip(times, times[1:])]
            assert min(gaps) >= 0.45, (site.port, gaps)
            assert site.max_concurrency == 1
        # The two sites were crawled at the same time, not one after the other.
        assert slow.log[0].time < quick.log[-1].time and quick.log[0].time < slow.log[-1].time


def test_several_sites_need_a_partitioned_output(tmp_path):
    with Newsroom(articles=1) as one, Newsroom(articles=1) as two:
        result = gossipcrawl("crawl", one.base_url + "/", two.base_url + "/", "-o",
                             "out.jsonl", cwd=tmp_path)
    assert result.returncode == EXIT_USAGE
    line, = result.stderr.strip().splitlines()
    assert "%(site)s" in line
    assert list(tmp_path.iterdir()) == []


def test_a_group_from_the_schedule_file_is_one_crawl(tmp_path):
    with Newsroom(articles=3) as one, Newsroom(articles=4) as two:
        (tmp_path / "schedule.toml").write_text(textwrap.dedent(f"""
            [[nodes]]
            url = "http://127.0.0.1:6800"

            [[groups]]
            name = "loopback"
            sites = ["{one.base_url}/", "{two.base_url}/"]
            every = "1h"
            """))
        result = gossipcrawl("crawl", "--group", "loopback", "-o", "out/%(site)s.jsonl",
                             "--state", "state.sqlite3", "-s", "DOWNLOAD_DELAY=0", *FAST,
                             cwd=tmp_path)
        assert result.returncode == EXIT_OK, result.stderr[-3000:]
        items = items_of(tmp_path / "out")
        assert (len(items[partition(one)]), len(items[partition(two)])) == (3, 4)
        unknown = gossipcrawl("crawl", "--group", "nope", cwd=tmp_path)
        assert unknown.returncode == EXIT_USAGE and "loopback" in unknown.stderr


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL])
def test_a_group_job_pauses_and_resumes_like_one_site(tmp_path, stop):
    with Newsroom(articles=10, delays={"article": 0.2}) as one, \
            Newsroom(articles=10, delays={"article": 0.2}) as two:
        command = [sys.executable, "-m", "gossipcrawl", "crawl", one.base_url + "/",
                   two.base_url + "/", "-o", "out/%(site)s.jsonl", "--state", "state.sqlite3",
                   "--job-dir", "jobs", "-s", "DOWNLOAD_DELAY=0",
                   "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", *FAST]
        log = open(tmp_path / "first.log", "wb")
        process = subprocess.Popen(command, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90

        def done_pages() -> int:
            return sum(len(path.read_text().split())
                       for path in (tmp_path / "jobs").glob("*/done.txt"))

        while done_pages() < 8:
            assert process.poll() is None and time.monotonic() < deadline, \
                (tmp_path / "first.log").read_text()[-3000:]
            time.sleep(0.05)
        process.send_signal(stop)
        code = process.wait(timeout=90)
        log.close()
        jobs = sorted((tmp_path / "jobs").iterdir())
        assert len(jobs) == 2
        for job in jobs:
            assert wait_for_unlock(job, 10)
        if stop == signal.SIGINT:
            assert code == EXIT_PAUSED, (tmp_path / "first.log").read_text()[-3000:]
            assert {read_job_info(job)["status"] for job in jobs} == {"paused"}
        assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.jsonl"))

        resumed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                                 timeout=180)
        assert resumed.returncode == EXIT_OK, resumed.stderr[-3000:]
        items = items_of(tmp_path / "out")
        for site in (one, two):
            urls = [item["url"] for item in items[partition(site)]]
            assert sorted(urls) == sorted(site.article_url(n) for n in range(1, 11))
        assert {read_job_info(job)["status"] for job in jobs} == {"finished"}
