"""Spidermon monitors at spider close, the stat that makes the CLI exit non-zero, and the
JSON/HTML report."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from datetime import UTC, datetime
from html import unescape as html_unescape

import pytest
import scrapy
from scrapy.utils.test import get_crawler

from gossipcrawl.extensions.outcome import crawl_outcome
from gossipcrawl.feeds.uris import feed_settings
from gossipcrawl.monitors.extension import LineMonitorRunner
from gossipcrawl.monitors.report import render_html, report_paths
from gossipcrawl.monitors.suite import CrawlMonitorSuite, set_crawl_rates
from gossipcrawl.pipelines.coverage import COVERAGE_FIELDS
from gossipcrawl.settings import SPIDERMON_EXPECTED_FINISH_REASONS as OK_REASONS


def crawl_exit_status(stats, expected) -> int:
    """The command line's status for these stats, ok or a failed crawl."""
    return 0 if crawl_outcome(stats, expected).ok else 1


class _Spider(scrapy.Spider):
    name = "news"
    crawl_id = "soapdirt-20240710T000000Z-abc123"


class _SiteSpider(_Spider):
    """A spider with a site profile, as the news spider has."""

    @property
    def profile(self):
        from gossipcrawl.sites import load_profiles

        return load_profiles()["soapdirt"]


def healthy_stats(**overrides) -> dict:
    stats = {
        "start_time": datetime(2024, 7, 10, tzinfo=UTC),
        "finish_time": datetime(2024, 7, 10, 0, 5, tzinfo=UTC),
        "finish_reason": "finished",
        "gossipcrawl/pages/seen": 100,
        "gossipcrawl/pages/fetch_error": 2,
        "gossipcrawl/articles/extracted": 80,
        "gossipcrawl/coverage/articles": 80,
        "gossipcrawl/coverage/headline": 80,
        "gossipcrawl/coverage/articleBody": 79,
        "gossipcrawl/coverage/datePublished": 70,
        "gossipcrawl/coverage/authors": 60,
        "gossipcrawl/coverage/shows": 50,
        "gossipcrawl/items/emitted": 30,
        "gossipcrawl/items/new": 25,
        "gossipcrawl/items/changed": 5,
        "gossipcrawl/items/unchanged": 45,
        "gossipcrawl/items/dropped/duplicate_url": 3,
        "gossipcrawl/items/dropped/invalid": 2,
        "gossipcrawl/items/dropped/invalid/headline": 2,
        "downloader/response_status_count/200": 150,
        "downloader/response_status_count/404": 6,
        "gossipcrawl/stories/new": 28,
        "gossipcrawl/stories/joined": 2,
    }
    stats.update(overrides)
    return {key: value for key, value in stats.items() if value is not None}


def run_monitors(tmp_path, stats: dict, spider=_Spider, **settings):
    """What the CrawlMonitors extension does at spider close, on these stats."""
    from gossipcrawl import settings as project

    settings.setdefault("GOSSIPCRAWL_REPORT", str(tmp_path / "report.json"))
    for name in ("SPIDERMON_EXPECTED_FINISH_REASONS", "SPIDERMON_MONITOR_SKIPPING_RULES",
                 "GOSSIPCRAWL_MIN_HEADLINE_COVERAGE", "GOSSIPCRAWL_MIN_BODY_COVERAGE",
                 "GOSSIPCRAWL_MAX_PAGE_ERROR_RATE", "GOSSIPCRAWL_MAX_INVALID_RATE"):
        settings.setdefault(name, getattr(project, name))
    crawler = get_crawler(spider, settings)
    crawler.spider = crawler._create_spider()
    crawler.stats.set_stats(dict(stats))
    set_crawl_rates(crawler.stats)
    runner = LineMonitorRunner(spider=crawler.spider)
    runner.run(CrawlMonitorSuite(crawler=crawler), stats=crawler.stats.get_stats(),
               stats_history=[], crawler=crawler, spider=crawler.spider, job=None)
    final = crawler.stats.get_stats()
    report = json.loads((tmp_path / "report.json").read_text())
    return final, report


def test_healthy_crawl_passes_and_reports(tmp_path):
    stats, report = run_monitors(tmp_path, healthy_stats())
    assert "gossipcrawl/monitors/failed" not in stats
    assert crawl_exit_status(stats, OK_REASONS) == 0
    assert report["healthy"] is True
    assert report["articles"] == {"seen": 80, "emitted": 30, "new": 25, "changed": 5,
                                  "unchanged": 45, "dropped": 5}
    assert report["dropped"] == {"duplicate_url": 3, "invalid": 2}
    assert report["invalidFields"] == {"headline": 2}
    assert report["httpErrors"]["byStatus"] == {"404": 6}
    assert report["coverage"]["headline"] == {"count": 80, "ratio": 1.0}
    assert report["coverage"]["authors"]["ratio"] == 0.75
    assert report["coverage"]["dateModified"] == {"count": 0, "ratio": 0.0}
    assert {m["status"] for m in report["monitors"]["results"]} == {"OK"}
    assert [m["name"] for m in report["monitors"]["results"]] == [
        "Finish Reason Monitor", "Headline coverage", "Body coverage", "Page error rate",
        "Invalid item rate"]
    assert stats["gossipcrawl/rates/page_errors"] == round(2 / 102, 4)


def test_incremental_crawl_with_nothing_new_is_healthy(tmp_path):
    stats = {"finish_reason": "finished", "gossipcrawl/discovery/unchanged_lastmod": 120}
    final, report = run_monitors(tmp_path, stats)
    assert "gossipcrawl/monitors/failed" not in final
    assert crawl_exit_status(final, OK_REASONS) == 0
    assert report["healthy"] and report["articles"]["emitted"] == 0
    assert report["coverage"]["headline"]["ratio"] is None


def test_everything_unchanged_is_healthy(tmp_path):
    stats = healthy_stats(**{"gossipcrawl/items/emitted": 0, "gossipcrawl/items/new": 0,
                             "gossipcrawl/items/changed": 0,
                             "gossipcrawl/items/unchanged": 80})
    final, _ = run_monitors(tmp_path, stats)
    assert crawl_exit_status(final, OK_REASONS) == 0


@pytest.mark.parametrize("overrides, failing", [
    ({"gossipcrawl/coverage/headline": 75}, "Headline coverage"),
    ({"gossipcrawl/coverage/articleBody": 70}, "Body coverage"),
    ({"gossipcrawl/pages/fetch_error": 40}, "Page error rate"),
    ({"gossipcrawl/pages/error/ValueError": 30}, "Page error rate"),
    ({"gossipcrawl/items/dropped/invalid": 9}, "Invalid item rate"),
    ({"finish_reason": "shutdown"}, "Finish Reason Monitor"),
])
def test_a_failing_monitor_makes_the_crawl_fail(tmp_path, overrides, failing, caplog):
    with caplog.at_level(logging.DEBUG):
        final, report = run_monitors(tmp_path, healthy_stats(**overrides))
    assert final["gossipcrawl/monitors/failed"] == 1
    assert crawl_exit_status(final, OK_REASONS) == 1
    failed = [m for m in report["monitors"]["results"] if m["status"] != "OK"]
    assert [m["name"] for m in failed] == [failing]
    assert failed[0]["message"]
    # One log line per failed monitor, at WARNING, with its message; never a traceback.
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [f"monitor failed: {failing}: {failed[0]['message']}"]
    assert not any("Traceback" in r.getMessage() for r in caplog.records)
    assert report["healthy"] is False
    html = (tmp_path / "report.html").read_text()
    assert "monitor(s) failed" in html and failing in html


def test_a_paused_job_is_not_judged_by_its_finish_reason(tmp_path):
    final, report = run_monitors(tmp_path, healthy_stats(**{
        "finish_reason": "shutdown", "gossipcrawl/job/paused": 1}))
    assert "gossipcrawl/monitors/failed" not in final
    assert crawl_outcome(final, OK_REASONS).kind == "paused"
    assert "Finish Reason Monitor" not in [m["name"] for m in report["monitors"]["results"]]


def test_an_unreachable_site_is_not_judged_at_all(tmp_path):
    final, report = run_monitors(tmp_path, {
        "finish_reason": "site_unreachable", "gossipcrawl/pages/fetch_error": 1,
        "gossipcrawl/unreachable": "soaps.example: DNS lookup failed"})
    assert "gossipcrawl/monitors/failed" not in final
    assert report["monitors"]["results"] == []
    outcome = crawl_outcome(final, OK_REASONS)
    assert (outcome.kind, outcome.detail) == ("unreachable",
                                              "cannot reach soaps.example: DNS lookup failed")
    assert report["healthy"] is False


def test_thresholds_are_settings(tmp_path):
    stats = healthy_stats(**{"gossipcrawl/coverage/headline": 75})
    final, _ = run_monitors(tmp_path, stats, GOSSIPCRAWL_MIN_HEADLINE_COVERAGE=0.9)
    assert "gossipcrawl/monitors/failed" not in final


def test_report_thresholds_are_the_settings_values(tmp_path):
    """The report shows what the monitors judged by: the settings' values, whose defaults
    are gossipcrawl/settings.py's (the report has none of its own)."""
    from gossipcrawl import settings as project

    _, report = run_monitors(tmp_path, healthy_stats())
    assert report["thresholds"] == {
        "minHeadlineCoverage": project.GOSSIPCRAWL_MIN_HEADLINE_COVERAGE,
        "minBodyCoverage": project.GOSSIPCRAWL_MIN_BODY_COVERAGE,
        "maxPageErrorRate": project.GOSSIPCRAWL_MAX_PAGE_ERROR_RATE,
        "maxInvalidRate": project.GOSSIPCRAWL_MAX_INVALID_RATE}
    _, report = run_monitors(tmp_path, healthy_stats(), GOSSIPCRAWL_MIN_HEADLINE_COVERAGE=0.5,
                             GOSSIPCRAWL_MAX_INVALID_RATE="0.25")
    assert report["thresholds"]["minHeadlineCoverage"] == 0.5
    assert report["thresholds"]["maxInvalidRate"] == 0.25


def test_html_report_is_self_contained_with_charts(tmp_path):
    run_monitors(tmp_path, healthy_stats())
    html = (tmp_path / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") >= 2 and "<script" not in html.lower()
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "Field coverage" in html and "by reason" in html
    assert "duplicate_url" in html and "headline" in html
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_report_names_the_site_its_duration_and_utc_times(tmp_path):
    stats = healthy_stats(elapsed_time_seconds=312.4)
    run_monitors(tmp_path, stats)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["startTime"] == "2024-07-10T00:00:00Z"     # as the items write times
    assert report["finishTime"] == "2024-07-10T00:05:00Z"
    assert report["durationSeconds"] == 312.4
    html = (tmp_path / "report.html").read_text()
    assert "+00:00" not in html and "2024-07-10T00:00:00Z" in html
    assert "5 min 12 s" in html
    title = html[html.index("<title>") + 7:html.index("</title>")]
    assert "news" in title and "2024-07-10T00:00:00Z" in title


def test_robots_refusals_are_policy_not_alarms(tmp_path):
    stats = healthy_stats(**{"robotstxt/forbidden": 3,
                             "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 3,
                             "downloader/exception_type_count/"
                             "scrapy.exceptions.DownloadTimeoutError": 2})
    _, report = run_monitors(tmp_path, stats)
    assert report["httpErrors"]["exceptions"] == {"scrapy.exceptions.DownloadTimeoutError": 2}
    assert report["notFetchedByPolicy"] == {"robotsTxt": 3, "ignored": 3}
    html = (tmp_path / "report.html").read_text()
    alarms = html[html.index("HTTP errors and download exceptions"):]
    alarms = alarms[:alarms.index("</svg>")]
    assert "DownloadTimeoutError" in alarms and "IgnoreRequest" not in alarms
    assert "3 refused by robots.txt" in html


def test_render_escapes_untrusted_text():
    data = json.loads(json.dumps({
        "crawlId": "<b>x</b>", "finishReason": "finished", "startTime": None,
        "finishTime": None, "healthy": True,
        "articles": {"seen": 0, "emitted": 0, "new": 0, "changed": 0, "unchanged": 0,
                     "dropped": 0},
        "dropped": {"<script>": 1}, "pages": {"failed": 0, "attempted": 0},
        "stories": {"new": 0, "joined": 0}, "feeds": [],
        "httpErrors": {"byStatus": {}, "exceptions": {}},
        "coverage": {"headline": {"count": 0, "ratio": None}},
        "monitors": {"failed": 0, "results": []},
        "thresholds": {"minHeadlineCoverage": 0.95}}))
    html = render_html(data)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>x</b>" not in html


class _Settings(dict):
    def get(self, name, default=None):
        return super().get(name, default)

    def getdict(self, name):
        return super().get(name) or {}


@pytest.mark.parametrize("out, expected", [
    ("out/soaps.jsonl", "out/soaps.report"),
    ("out/soaps.jsonl.gz", "out/soaps.report"),
    ("out/%(site)s/%(day)s.jsonl.gz", "out/CRAWL.report"),
    ("out/news-%(batch_id)03d.jsonl", "out/CRAWL.report"),
])
def test_report_goes_beside_the_feed(tmp_path, monkeypatch, out, expected):
    monkeypatch.chdir(tmp_path)
    settings = _Settings(FEEDS=feed_settings(out))
    json_path, html_path = report_paths(settings, "CRAWL")
    assert json_path == (tmp_path / (expected + ".json")).resolve()
    assert html_path == (tmp_path / (expected + ".html")).resolve()


def test_report_path_without_feed_and_from_the_setting():
    assert [str(p) for p in report_paths(_Settings(), "c1")] == [
        ".gossipcrawl/reports/c1.report.json", ".gossipcrawl/reports/c1.report.html"]
    settings = _Settings(GOSSIPCRAWL_REPORT="/srv/reports/%(crawl_id)s.json",
                         FEEDS=feed_settings("/tmp/a.jsonl"))
    assert [str(p) for p in report_paths(settings, "c1")] == [
        "/srv/reports/c1.json", "/srv/reports/c1.html"]


BROWSER = next(filter(None, map(shutil.which, ("chromium-headless-shell", "chromium",
                                               "chromium-browser", "google-chrome"))), None)
# Measures what the browser laid out, once the page has loaded; added to a copy of the
# report only (the report itself has no script).
MEASURE = """<script>
window.addEventListener("load", () => {
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify({
    title: document.title,
    charts: [...document.querySelectorAll("figure svg")].map(svg => {
      const box = svg.getBoundingClientRect();
      return {width: box.width, height: box.height,
              rows: svg.querySelectorAll("rect.track").length,
              bars: [...svg.querySelectorAll("rect.bar")].filter(
                bar => bar.getBoundingClientRect().width > 0).length};
    })});
  document.body.appendChild(out);
});
</script>"""


@pytest.mark.skipif(BROWSER is None, reason="no headless Chromium installed "
                                            "(apt-get install chromium-headless-shell)")
def test_html_report_renders_in_a_real_browser(tmp_path):
    stats = healthy_stats(elapsed_time_seconds=300.0)
    run_monitors(tmp_path, stats, spider=_SiteSpider)
    page = (tmp_path / "report.html").read_text()
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", MEASURE + "</body>"))
    browser = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--window-size=1100,2000"]
    dumped = subprocess.run([*browser, "--dump-dom", probe.as_uri()], capture_output=True,
                            text=True, timeout=60, check=False)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    measured = json.loads(html_unescape(re.search(r'<pre id="measured">(.*?)</pre>',
                                                  dumped.stdout, re.DOTALL).group(1)))
    assert measured["title"].startswith("Soap Dirt: gossipcrawl report 2024-07-10T00:00:00Z")
    assert len(measured["charts"]) == 3
    for chart in measured["charts"]:
        assert chart["width"] > 100 and chart["height"] > 40, measured
    coverage = measured["charts"][0]
    assert coverage["rows"] == len(COVERAGE_FIELDS)                # a row per field
    assert coverage["bars"] == sum(1 for field in COVERAGE_FIELDS  # drawn where covered
                                   if stats.get(f"gossipcrawl/coverage/{field}"))
    screenshot = tmp_path / "report.png"
    shot = subprocess.run([*browser, f"--screenshot={screenshot}",
                           (tmp_path / "report.html").as_uri()], capture_output=True,
                          text=True, timeout=60, check=False)
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000, "a blank page is a few kilobytes"
