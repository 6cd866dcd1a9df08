"""Exactly once, whatever the operator does: every article of a site reaches a delivered feed
once per revision, nothing robots.txt forbids is fetched, and the state remembers only what a
delivered feed holds. Each test runs the real `gossipcrawl` command in a subprocess against a
loopback site (tests/sites/newsroom.py) and judges from the files it delivered and the site's
request log."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sites.newsroom import Newsroom

from gossipcrawl.commands.base import EXIT_BUSY, EXIT_OK, EXIT_OUTPUT_FAILED
from gossipcrawl.job.directory import read_job_info, wait_for_unlock

pytestmark = pytest.mark.e2e

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "GOSSIPCRAWL_JOB_SYNC_INTERVAL=0.2", "-s", "LOG_LEVEL=INFO"]


def gossipcrawl(*args, cwd: Path, stdout=subprocess.PIPE, umask: int | None = None,
                timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gossipcrawl", *args], cwd=cwd,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=timeout,
                          preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)


def crawl(site: Newsroom, tmp_path: Path, *extra, out: str | None = "out.jsonl",
          state: str = "state.sqlite3", **kwargs) -> subprocess.CompletedProcess:
    output = ["-o", out] if out else []
    return gossipcrawl("crawl", site.base_url + "/", *output, "--state", state, *FAST, *extra,
                       cwd=tmp_path, **kwargs)


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_story(items: list[dict]) -> dict[int, list[int]]:
    """story number -> revisions delivered, in order."""
    found: dict[int, list[int]] = {}
    for item in items:
        number = int(item["url"].rstrip("/").rsplit("-", 1)[-1])
        found.setdefault(number, []).append(item["revision"])
    return found


def temporaries(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.rglob(".*.tmp"))


# --- 1. discovery order never decides whether an edit is seen ----------------------------------

@pytest.mark.parametrize("order, delays", [
    ("listing before sitemap", {"sitemap": 1.5}),
    ("sitemap before listing", {"listing": 1.5}),
    ("feed before sitemap and listing", {"sitemap": 1.5, "listing": 1.5}),
])
def test_an_edit_is_delivered_whatever_the_discovery_order(tmp_path, order, delays):
    with Newsroom(articles=6, per_page=6, delays=delays) as site:
        first = crawl(site, tmp_path, out="first.jsonl")
        assert first.returncode == EXIT_OK, first.stderr[-2000:]
        assert sorted(by_story(lines_of(tmp_path / "first.jsonl"))) == [1, 2, 3, 4, 5, 6]
        site.edit(3)
        new = site.add()
        site.reset()
        second = crawl(site, tmp_path, out="second.jsonl")
        assert second.returncode == EXIT_OK, second.stderr[-2000:]
        assert by_story(lines_of(tmp_path / "second.jsonl")) == {3: [2], new: [1]}, order
        assert site.forbidden_fetches() == []
        assert site.paths().count("/robots.txt") == 1, "robots.txt is fetched once per crawl"


# --- 2. a resumed job obeys robots.txt for every replayed request --------------------------------

def test_a_resumed_job_never_fetches_what_robots_txt_forbids(tmp_path):
    with Newsroom(articles=12, per_page=4, delays={"article": 0.3}) as site:
        command = [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/",
                   "-o", "out.jsonl", "--state", "state.sqlite3", "--job-dir", "job", *FAST,
                   "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
        log = open(tmp_path / "first.log", "wb")
        process = subprocess.Popen(command, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
        done = tmp_path / "job" / "done.txt"
        deadline = time.monotonic() + 60
        while not (done.exists() and len(done.read_text().split()) >= 4):
            assert process.poll() is None and time.monotonic() < deadline, \
                (tmp_path / "first.log").read_text()[-3000:]
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        log.close()
        assert wait_for_unlock(tmp_path / "job", 10)
        assert read_job_info(tmp_path / "job")["status"] == "paused"
        journal = (tmp_path / "job" / "requests.jsonl").read_text()
        assert "/private/" in journal, "the first run journaled the forbidden URLs"

        site.reset()
        resumed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                                 timeout=120)
        assert resumed.returncode == EXIT_OK, resumed.stderr[-3000:]
        assert site.forbidden_fetches() == []
        assert site.paths().count("/robots.txt") == 1
        stories = by_story(lines_of(tmp_path / "out.jsonl"))
        assert sorted(stories) == list(range(1, 13))
        assert all(revisions == [1] for revisions in stories.values())


# --- 3. without -o: JSON lines on standard output ------------------------------------------------

def test_without_output_the_lines_go_to_stdout_and_logs_to_stderr(tmp_path):
    with Newsroom(articles=5) as site:
        with open(tmp_path / "redirected.jsonl", "w") as redirected:
            result = crawl(site, tmp_path, out=None, stdout=redirected)
        assert result.returncode == EXIT_OK, result.stderr[-2000:]
        items = lines_of(tmp_path / "redirected.jsonl")
        assert sorted(by_story(items)) == [1, 2, 3, 4, 5]
        assert "5 articles emitted" in result.stderr and "standard output" in result.stderr
        # They were delivered: the state knows them, the next crawl with -o emits nothing new.
        again = crawl(site, tmp_path, "-s", "GOSSIPCRAWL_INCREMENTAL=False", out="again.jsonl")
        assert again.returncode == EXIT_OK
        assert lines_of(tmp_path / "again.jsonl") == []


def test_a_reader_that_goes_away_commits_nothing(tmp_path):
    with Newsroom(articles=8) as site:
        process = subprocess.Popen(
            [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/", "--state",
             "state.sqlite3", *FAST], cwd=tmp_path, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        process.stdout.close()          # `| head -0`: the pipe is closed before any line
        stderr = process.communicate(timeout=120)[1]
        assert process.returncode == EXIT_OUTPUT_FAILED, stderr[-3000:]
        last = stderr.strip().splitlines()[-1]
        assert "standard output" in last and "Traceback" not in stderr
        later = crawl(site, tmp_path, out="later.jsonl")
        assert later.returncode == EXIT_OK
        assert sorted(by_story(lines_of(tmp_path / "later.jsonl"))) == list(range(1, 9))


# --- 4. a feed that cannot be stored commits nothing and says so ---------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs (root only); skipped with the reason otherwise."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_the_crawl_and_the_next_run_delivers(tmp_path, small_disk):
    (small_disk / "filler").write_bytes(b"\0" * (1024 * 1024 - 64 * 1024))
    with Newsroom(articles=40) as site:
        result = crawl(site, tmp_path, out=str(small_disk / "feed.jsonl"))
        assert result.returncode == EXIT_OUTPUT_FAILED, result.stderr[-3000:]
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("gossipcrawl:")]
        assert any("feed.jsonl" in line and "No space left on device" in line
                   for line in errors), errors
        assert not (small_disk / "feed.jsonl").exists()
        assert temporaries(small_disk) == []
        (small_disk / "filler").unlink()
        again = crawl(site, tmp_path, out=str(small_disk / "feed.jsonl"))
        assert again.returncode == EXIT_OK, again.stderr[-2000:]
        assert sorted(by_story(lines_of(small_disk / "feed.jsonl"))) == list(range(1, 41))


def test_an_output_directory_that_vanishes_mid_crawl_commits_nothing(tmp_path):
    with Newsroom(articles=10, delays={"article": 0.2}) as site:
        out_dir = tmp_path / "out"
        process = subprocess.Popen(
            [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/", "-o",
             str(out_dir / "feed.jsonl"), "--state", "state.sqlite3", *FAST,
             "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not temporaries(out_dir):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        shutil.rmtree(out_dir)          # an operator's clean-up job, at the wrong moment
        stderr = process.communicate(timeout=120)[1]
        assert process.returncode == EXIT_OUTPUT_FAILED, stderr[-3000:]
        assert "Traceback" not in stderr
        assert "feed.jsonl" in stderr.strip().splitlines()[-1]
        again = crawl(site, tmp_path, out=str(out_dir / "feed.jsonl"))
        assert again.returncode == EXIT_OK
        assert sorted(by_story(lines_of(out_dir / "feed.jsonl"))) == list(range(1, 11))


# --- 5. one crawl of a site per state at a time; one writer per OUT --------------------------

def _start_held_crawl(site, tmp_path, *args):
    """A crawl kept running: it waits on its first article until `site.release("article")`."""
    site.hold("article")
    process = subprocess.Popen(
        [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/", *args, *FAST],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while not site.waiting("/news/"):
        assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
        time.sleep(0.05)
    return process


@pytest.mark.parametrize("state_kind", ["sqlite", "redis"])
def test_a_second_crawl_of_a_site_on_the_same_state_is_refused(tmp_path, state_kind, request):
    state = (str(tmp_path / "state.sqlite3") if state_kind == "sqlite"
             else request.getfixturevalue("redis_url"))
    with Newsroom(articles=10) as site:
        first = _start_held_crawl(site, tmp_path, "-o", "first.jsonl", "--state", state)
        second = crawl(site, tmp_path, out="second.jsonl", state=state)
        site.release("article")
        first.communicate(timeout=120)
        assert second.returncode == EXIT_BUSY, second.stderr[-2000:]
        line, = second.stderr.strip().splitlines()
        assert "busy" in line and "being crawled" in line
        assert not (tmp_path / "second.jsonl").exists()
        assert first.returncode == EXIT_OK
        assert sorted(by_story(lines_of(tmp_path / "first.jsonl"))) == list(range(1, 11))


def test_wait_waits_for_the_running_crawl_then_emits_only_what_is_new(tmp_path):
    with Newsroom(articles=6) as site:
        first = _start_held_crawl(site, tmp_path, "-o", "first.jsonl", "--state",
                                  "state.sqlite3")
        second = subprocess.Popen(
            [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/", "-o",
             "second.jsonl", "--state", "state.sqlite3", "--wait", *FAST],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 90
        while b"waiting" not in _peek(second):
            assert second.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        site.release("article")
        first.communicate(timeout=120)
        stderr = second.communicate(timeout=120)[1]
        assert first.returncode == EXIT_OK and second.returncode == EXIT_OK, stderr[-2000:]
        assert sorted(by_story(lines_of(tmp_path / "first.jsonl"))) == list(range(1, 7))
        assert lines_of(tmp_path / "second.jsonl") == []


def _peek(process) -> bytes:
    """What a running process wrote to stderr so far (read without blocking)."""
    import fcntl

    descriptor = process.stderr.fileno()
    flags = fcntl.fcntl(descriptor, fcntl.F_GETFL)
    fcntl.fcntl(descriptor, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    try:
        chunk = os.read(descriptor, 65536)
    except BlockingIOError:
        chunk = b""
    process.peeked = getattr(process, "peeked", b"") + chunk
    return process.peeked


def test_two_crawls_never_write_one_output_at_once(tmp_path):
    with Newsroom(articles=8) as one, Newsroom(articles=3) as two:
        first = _start_held_crawl(one, tmp_path, "-o", "shared.jsonl", "--state", "a.sqlite3")
        second = gossipcrawl("crawl", two.base_url + "/", "-o", "shared.jsonl", "--state",
                             "b.sqlite3", *FAST, cwd=tmp_path)
        one.release("article")
        first.communicate(timeout=120)
        assert second.returncode == EXIT_BUSY, second.stderr
        assert "shared.jsonl" in second.stderr
        assert sorted(by_story(lines_of(tmp_path / "shared.jsonl"))) == list(range(1, 9))


def test_a_job_directory_in_use_is_busy_whatever_the_state(tmp_path):
    with Newsroom(articles=4) as site:
        first = _start_held_crawl(site, tmp_path, "-o", "a.jsonl", "--state", "a.sqlite3",
                                  "--job-dir", "job")
        second = gossipcrawl("crawl", site.base_url + "/", "-o", "b.jsonl", "--state",
                             "b.sqlite3", "--job-dir", "job", *FAST, cwd=tmp_path)
        site.release("article")
        first.communicate(timeout=120)
        assert second.returncode == EXIT_BUSY, second.stderr
        line, = second.stderr.strip().splitlines()
        assert "busy" in line and "in use" in line
        assert not (tmp_path / "b.jsonl").exists()
        assert first.returncode == EXIT_OK
        assert sorted(by_story(lines_of(tmp_path / "a.jsonl"))) == list(range(1, 5))


# --- 6. files follow the umask -----------------------------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_delivered_files_follow_the_umask(tmp_path, umask, mode):
    with Newsroom(articles=2) as site:
        result = crawl(site, tmp_path, "-s", "FEED_URI_PARAMS=gossipcrawl.feeds.uris.uri_params",
                       out="out/%(site)s/feed.jsonl.gz", umask=umask)
        assert result.returncode == EXIT_OK, result.stderr[-2000:]
        plain = crawl(site, tmp_path, "--fresh", out="plain.jsonl", umask=umask)
        assert plain.returncode == EXIT_OK
    delivered = [tmp_path / "plain.jsonl", tmp_path / "plain.report.json",
                 tmp_path / "plain.report.html", *(tmp_path / "out").rglob("*.jsonl.gz")]
    assert len(delivered) == 4
    for path in delivered:
        assert path.stat().st_mode & 0o777 == mode, path
