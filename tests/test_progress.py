"""The status line: drawn on a terminal, absent (plain logs) otherwise."""

import io
import logging
import re
import sys

import pytest
from cli_kit import gossipcrawl_on_terminal
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from sites.slowsite import SlowSite

from gossipcrawl.extensions.progress import CLEAR, ProgressExtension, progress_enabled


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("mode, stream, expected", [
    ("auto", FakeTerminal(), True), ("auto", io.StringIO(), False),
    ("on", io.StringIO(), True), ("off", FakeTerminal(), False),
    ("AUTO", FakeTerminal(), True), ("0", FakeTerminal(), False),
])
def test_mode(mode, stream, expected):
    assert progress_enabled(mode, stream) is expected


def test_not_loaded_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with pytest.raises(NotConfigured):
        ProgressExtension.from_crawler(get_crawler(settings_dict={"GOSSIPCRAWL_PROGRESS": "auto"}))
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    with pytest.raises(NotConfigured):
        ProgressExtension.from_crawler(get_crawler(settings_dict={"GOSSIPCRAWL_PROGRESS": "off"}))
    assert ProgressExtension.from_crawler(
        get_crawler(settings_dict={"GOSSIPCRAWL_PROGRESS": "auto"})) is not None


def test_defaults_are_the_settings_modules():
    """Unset, the mode and the interval are gossipcrawl/settings.py's ("auto", 1 second)."""
    from gossipcrawl import settings as project

    assert progress_enabled(None, FakeTerminal()) is (project.GOSSIPCRAWL_PROGRESS == "auto")
    assert (ProgressExtension(get_crawler(), FakeTerminal()).interval
            == project.GOSSIPCRAWL_PROGRESS_INTERVAL)
    extension = ProgressExtension.from_crawler(get_crawler(settings_dict={
        "GOSSIPCRAWL_PROGRESS": "on", "GOSSIPCRAWL_PROGRESS_INTERVAL": "2.5"}))
    assert extension.interval == 2.5


def test_status_line_counts_pages_articles_errors_and_rate():
    crawler = get_crawler()
    stats = crawler.stats
    stats.open_spider()
    terminal = FakeTerminal()
    extension = ProgressExtension(crawler, terminal)
    extension.name = "soapdirt"
    extension.window.append((extension.started - 30, 0))    # 30 seconds ago: no pages
    for key, value in {"gossipcrawl/pages/seen": 120, "response_received_count": 140,
                       "gossipcrawl/items/emitted": 40,
                       "gossipcrawl/pages/fetch_error": 2, "log_count/ERROR": 1,
                       "gossipcrawl/pages/error/ValueError": 1, "scheduler/enqueued": 150,
                       "scheduler/dequeued": 125}.items():
        stats.set_value(key, value)
    extension.draw()
    line = terminal.getvalue()
    assert line.startswith(CLEAR) and "\n" not in line
    assert "soapdirt" in line and "120 pages" in line and "40 articles" in line
    assert "4 errors" in line and "25 queued" in line
    assert "240/min" in line                                # 120 pages in 30 seconds


def test_status_line_and_summary_count_the_same_pages():
    """Pages are HTML pages read in both (robots.txt, sitemaps, feeds are not pages)."""
    from gossipcrawl.commands.summary import summary_line

    crawler = get_crawler()
    crawler.stats.open_spider()
    for key, value in {"gossipcrawl/pages/seen": 42, "response_received_count": 49}.items():
        crawler.stats.set_value(key, value)
    terminal = FakeTerminal()
    ProgressExtension(crawler, terminal).draw()
    assert " 42 pages " in terminal.getvalue()
    assert " from 42 pages" in summary_line(crawler.stats.get_stats(), None)


def test_log_lines_clear_the_status_line_first():
    crawler = get_crawler()
    crawler.stats.open_spider()
    terminal = FakeTerminal()
    handler = logging.StreamHandler(terminal)
    root = logging.getLogger()
    root.addHandler(handler)
    extension = ProgressExtension(crawler, terminal)
    try:
        extension._hook_logging()
        extension.draw()
        logging.getLogger("gossipcrawl.test").warning("something happened")
    finally:
        extension._unhook_logging()
        root.removeHandler(handler)
    output = terminal.getvalue()
    status, after = output.split("something happened")
    assert status.endswith(CLEAR), "the status line is erased before the log line"
    assert after.startswith("\n")


@pytest.mark.e2e
def test_interactive_crawl_draws_the_line_on_a_terminal(tmp_path):
    with SlowSite(articles=6, delay=0.2) as site:
        run = gossipcrawl_on_terminal(
            "crawl", site.base_url + "/",
            "-o", str(tmp_path / "out.jsonl"), "--state", str(tmp_path / "state.sqlite3"),
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "GOSSIPCRAWL_PROGRESS_INTERVAL=0.2", "-s", "LOG_LEVEL=WARNING",
            cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.raw[-2000:]
    output = run.raw
    assert CLEAR in output, output[-2000:]
    assert re.search(r"\d+ pages .* articles .* errors", output), output[-2000:]
