"""How a crawl ends, as an operator sees it on a terminal: a healthy run is the status line
and one summary line; an unreachable site, a pause, failed monitors each end in plain lines
with their own exit status, never a traceback."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time

import pytest
from cli_kit import (
    OnTerminal,
    ROOT,
    assert_one_line_error,
    gossipcrawl,
    gossipcrawl_on_terminal,
)
from sites.slowsite import SlowSite

pytestmark = pytest.mark.e2e

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
TESTS_ON_PATH = {"PYTHONPATH": str(ROOT / "tests")}


def refused_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def committed_articles(state) -> int:
    import sqlite3

    if not state.exists():
        return 0
    with sqlite3.connect(state) as db:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_a_healthy_crawl_on_a_terminal_prints_one_summary_line(tmp_path):
    with SlowSite(articles=5, delay=0) as site:
        run = gossipcrawl_on_terminal("crawl", site.base_url + "/", "-o", "out.jsonl", *FAST,
                                      cwd=tmp_path)
    assert run.returncode == 0, run.output[-3000:]
    # Before: ~200 lines (Scrapy's start-up report, the stats dump) around the status line.
    assert run.lines == [("gossipcrawl: 5 articles emitted (5 new, 0 changed, 0 unchanged) "
                          "from 6 pages -> out.jsonl; finish reason: finished")], run.output


def test_v_shows_info_and_log_file_keeps_the_full_log(tmp_path):
    with SlowSite(articles=2, delay=0) as site:
        verbose = gossipcrawl_on_terminal("crawl", site.base_url + "/", "-o", "a.jsonl",
                                          "-v", *FAST, cwd=tmp_path)
        logged = gossipcrawl_on_terminal("crawl", site.base_url + "/", "-o", "b.jsonl",
                                         "--fresh", "--log-file", "crawl.log", *FAST,
                                         cwd=tmp_path)
    assert verbose.returncode == 0 and "INFO: Spider opened" in verbose.output
    assert logged.returncode == 0
    assert len(logged.lines) == 1 and logged.lines[0].startswith("gossipcrawl: 2 articles")
    log = (tmp_path / "crawl.log").read_text()
    assert "INFO: Spider opened" in log and "Dumping Scrapy stats" in log


def test_not_a_terminal_keeps_info_logs(tmp_path):
    with SlowSite(articles=2, delay=0) as site:
        result = gossipcrawl("crawl", site.base_url + "/", "-o", "out.jsonl", *FAST,
                             cwd=tmp_path)
    assert result.returncode == 0
    assert "INFO: Spider opened" in result.stderr and "\x1b[K" not in result.stderr


@pytest.mark.parametrize("where, why", [
    ("refused", "connection refused"),
    ("https://soaps.invalid/", "DNS lookup failed"),
])
def test_an_unreachable_site_is_one_line_and_exit_4(tmp_path, where, why):
    url = f"http://127.0.0.1:{refused_port()}/" if where == "refused" else where
    host = url.split("/")[2]
    (tmp_path / "out.jsonl").write_text('{"from": "the last crawl"}\n')
    run = gossipcrawl_on_terminal(
        "crawl", url, "-o", "out.jsonl", "--state", "state.sqlite3",
        "-s", "TWISTED_DNS_RESOLVER=sites.nodns.NoInvalidNamesResolver", cwd=tmp_path,
        env=TESTS_ON_PATH)
    # Before: ~2 minutes (every URL retried 4 times) and a Spidermon traceback.
    assert_one_line_error(run, 4, f"cannot reach {host}: {why}")
    assert committed_articles(tmp_path / "state.sqlite3") == 0
    # Nothing was fetched: the last crawl's file is not replaced by an empty one.
    assert (tmp_path / "out.jsonl").read_text() == '{"from": "the last crawl"}\n'
    assert not list(tmp_path.glob("*.tmp*")) and not list(tmp_path.glob(".*.tmp*"))
    report = json.loads((tmp_path / "out.report.json").read_text())
    assert report["outcome"] == {"kind": "unreachable", "detail": f"cannot reach {host}: {why}"}
    assert report["finishReason"] == "site_unreachable" and not report["healthy"]


def test_an_unreachable_site_with_a_job_dir_is_exit_4_and_the_job_waits(tmp_path):
    url = f"http://127.0.0.1:{refused_port()}/"
    (tmp_path / "out.jsonl").write_text('{"from": "the last crawl"}\n')
    run = gossipcrawl_on_terminal("crawl", url, "-o", "out.jsonl", "--job-dir", "job",
                                  "--state", "state.sqlite3", cwd=tmp_path)
    assert_one_line_error(run, 4, f"cannot reach {url.split('/')[2]}: connection refused")
    assert (tmp_path / "out.jsonl").read_text() == '{"from": "the last crawl"}\n'
    # The job is kept for the same command to resume once the site answers again.
    assert json.loads((tmp_path / "job" / "job.json").read_text())["status"] == "paused"


def test_only_hosts_that_never_answered_are_given_up_at_once():
    from scrapy import Request
    from scrapy.exceptions import DownloadConnectionRefusedError
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from gossipcrawl.downloadermiddlewares.unreachable import (
        SiteUnreachable,
        UnreachableSiteMiddleware,
    )

    crawler = get_crawler()
    crawler.stats.open_spider()
    middleware = UnreachableSiteMiddleware(crawler)
    up = Request("https://up.example/a/")
    middleware.process_response(up, Response(up.url, status=503, request=up))
    refused = DownloadConnectionRefusedError()
    # Answered once (even with an error status): Scrapy's retries apply as usual.
    assert middleware.process_exception(Request("https://up.example/b/"), refused) is None
    with pytest.raises(SiteUnreachable, match="down.example: connection refused"):
        middleware.process_exception(Request("https://down.example/feed/"), refused)
    assert not middleware.closing, "the crawl closes on its robots.txt (tests below)"
    # Not a connection error: not this middleware's business.
    assert middleware.process_exception(Request("https://down.example/"), ValueError()) is None


def test_failed_monitors_are_lines_not_tracebacks(tmp_path):
    with SlowSite(articles=3, delay=0) as site:
        run = gossipcrawl_on_terminal("crawl", site.base_url + "/", "-o", "out.jsonl", *FAST,
                                      "-s", "GOSSIPCRAWL_MAX_PAGE_ERROR_RATE=0",
                                      "-s", "SPIDERMON_EXPECTED_FINISH_REASONS=done",
                                      cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.output
    warnings, summary, error = run.lines[:-2], run.lines[-2], run.lines[-1]
    assert [line.split("] WARNING: ")[1] for line in warnings] == [
        ("monitor failed: Finish Reason Monitor: Finished with \"finished\" the expected "
         "reasons are ['done']")]
    assert summary.startswith("gossipcrawl: 3 articles emitted")
    assert error == (f"gossipcrawl: error: 1 crawl monitor failed (see "
                     f"{tmp_path / 'out.report.html'})")


def test_a_pause_says_how_to_resume_and_exits_5(tmp_path):
    """Ctrl-C on a --job-dir crawl: one line naming the job directory, no feed yet."""
    with SlowSite(articles=30, delay=0.3) as site:
        crawl = OnTerminal("crawl", site.base_url + "/", "-o", "out.jsonl", "--job-dir", "job",
                           *FAST, "-s", "CONCURRENT_REQUESTS=2",
                           "-s", "GOSSIPCRAWL_JOB_SYNC_INTERVAL=0.2", cwd=tmp_path)
        deadline = time.monotonic() + 90
        done = tmp_path / "job" / "done.txt"
        while not (done.exists() and len(done.read_text().splitlines()) >= 4):
            assert crawl.process.poll() is None and time.monotonic() < deadline, \
                crawl.raw()[-3000:]
            time.sleep(0.05)
        crawl.process.send_signal(signal.SIGINT)
        run = crawl.finish(timeout=90)
    status, output = run.returncode, run.output
    lines = [line for line in output.split("\n") if line.strip()]
    assert status == 5, output[-3000:]
    assert len(lines) == 1, output[-3000:]
    assert lines[0].startswith("gossipcrawl: paused after ")
    assert lines[0].endswith("; resume with the same command (job directory: job)")
    assert "error" not in output and "Traceback" not in output
    assert not (tmp_path / "out.jsonl").exists(), "a paused job names no feed it has not written"


@pytest.mark.parametrize("arguments, message", [
    ([], "the news spider needs a target: -a target=PROFILE_OR_URL"),
    (["-a", "target=nosuchprofile"], "unknown site profile 'nosuchprofile'"),
    (["-a", "target=soapdirt", "-s", "DOWNLOAD_DELAY=abc"], "DOWNLOAD_DELAY takes a number"),
])
def test_scrapy_crawl_refuses_a_bad_invocation_in_one_line(tmp_path, arguments, message):
    """`scrapy crawl news` (and so every Scrapyd job): one ERROR line, exit 2, no crawl;
    before, an asyncio traceback from inside the crawler. (Scrapy's own start-up INFO
    lines come first, as for any `scrapy` command.)"""
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "news", *arguments],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert len(errors) == 1 and message in errors[0], result.stderr[-3000:]
    assert "Spider opened" not in result.stderr
