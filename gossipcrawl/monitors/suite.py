"""Spidermon monitors run when the spider closes, and the crawl report they leave behind.

`CrawlMonitorSuite` (listed in `SPIDERMON_SPIDER_CLOSE_MONITORS`) checks:

- the crawl finished for an expected reason (`GOSSIPCRAWL_OK_FINISH_REASONS`);
- headline and body coverage of the articles extracted (`GOSSIPCRAWL_MIN_HEADLINE_COVERAGE`,
  `GOSSIPCRAWL_MIN_BODY_COVERAGE`, 0.95 each);
- the share of pages that failed (fetch errors and extraction errors) is at most
  `GOSSIPCRAWL_MAX_PAGE_ERROR_RATE` (0.2);
- the share of extracted articles dropped as invalid is at most
  `GOSSIPCRAWL_MAX_INVALID_RATE` (0.05).

Every ratio over zero articles or zero pages passes: an incremental crawl that finds
nothing new is healthy. When monitors fail, the stat `gossipcrawl/monitors/failed` holds
how many, and `gossipcrawl crawl` exits with status 1. Either way the suite writes the
JSON and HTML report (`gossipcrawl.monitors.report`).
"""

from __future__ import annotations

import logging
import warnings

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import Monitor, MonitorSuite, monitors

from gossipcrawl.monitors.report import articles_extracted, page_counts, ratio, write_crawl_report

# Spidermon 1.27's runner still logs through Spider.log(), deprecated in Scrapy 2.13+; the
# message is noise in every crawl's output, not something an operator can act on.
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated",
                        category=ScrapyDeprecationWarning)

logger = logging.getLogger(__name__)

DEFAULT_OK_FINISH_REASONS = ("finished", "closespider_pagecount", "closespider_itemcount",
                             "closespider_timeout")


class _GossipMonitor(Monitor):
    def setting(self, name, default, kind="float"):
        settings = self.data.crawler.settings
        return getattr(settings, f"get{kind}")(name, default)


@monitors.name("Finish reason")
class FinishReasonMonitor(_GossipMonitor):
    @monitors.name("The crawl ended for an expected reason")
    def test_finish_reason(self):
        allowed = self.data.crawler.settings.getlist("GOSSIPCRAWL_OK_FINISH_REASONS",
                                                     list(DEFAULT_OK_FINISH_REASONS))
        reason = self.data.stats.get("finish_reason")
        self.assertIn(reason, allowed, msg=f"finish reason {reason!r} is not one of {allowed}")


@monitors.name("Field coverage")
class CoverageMonitor(_GossipMonitor):
    def _check(self, field: str, setting: str):
        stats = self.data.stats
        minimum = self.setting(setting, 0.95)
        extracted = articles_extracted(stats)
        covered = ratio(stats.get(f"gossipcrawl/coverage/{field}", 0), extracted)
        if covered is None:
            return  # nothing extracted: nothing to judge
        self.assertGreaterEqual(
            covered, minimum,
            msg=f"{field} coverage {covered:.1%} of {extracted} articles is under {minimum:.0%}")

    @monitors.name("Headline coverage")
    def test_headline_coverage(self):
        self._check("headline", "GOSSIPCRAWL_MIN_HEADLINE_COVERAGE")

    @monitors.name("Body coverage")
    def test_body_coverage(self):
        self._check("articleBody", "GOSSIPCRAWL_MIN_BODY_COVERAGE")


@monitors.name("Page errors")
class PageErrorMonitor(_GossipMonitor):
    @monitors.name("Page error rate")
    def test_page_error_rate(self):
        attempted, errors = page_counts(self.data.stats)
        maximum = self.setting("GOSSIPCRAWL_MAX_PAGE_ERROR_RATE", 0.2)
        rate = ratio(errors, attempted)
        if rate is None:
            return
        self.assertLessEqual(
            rate, maximum,
            msg=f"{errors} of {attempted} pages failed ({rate:.1%} > {maximum:.0%})")


@monitors.name("Invalid items")
class InvalidItemsMonitor(_GossipMonitor):
    @monitors.name("Invalid item rate")
    def test_invalid_rate(self):
        stats = self.data.stats
        invalid = stats.get("gossipcrawl/items/dropped/invalid", 0)
        extracted = articles_extracted(stats)
        maximum = self.setting("GOSSIPCRAWL_MAX_INVALID_RATE", 0.05)
        rate = ratio(invalid, extracted)
        if rate is None:
            return
        self.assertLessEqual(
            rate, maximum,
            msg=f"{invalid} of {extracted} articles were invalid ({rate:.1%} > {maximum:.0%})")


class CrawlMonitorSuite(MonitorSuite):
    monitors = [FinishReasonMonitor, CoverageMonitor, PageErrorMonitor, InvalidItemsMonitor]

    def on_monitors_finished(self, result):
        crawler = self._crawler
        failures = result.monitors_failed_results
        crawler.stats.set_value("gossipcrawl/monitors/run", len(result.monitor_results))
        if failures:
            crawler.stats.set_value("gossipcrawl/monitors/failed", len(failures))
        outcomes = [{"name": item.item.name, "status": item.status,
                     "message": _failure_message(item.error)}
                    for item in result.monitor_results]
        try:
            paths = write_crawl_report(crawler, outcomes)
        except Exception:  # noqa: BLE001 - a report that cannot be written must not hide the crawl's result
            logger.exception("could not write the crawl report")
        else:
            logger.info("crawl report: %s, %s", *paths)


def _failure_message(error) -> str | None:
    """The assertion message of a failed monitor (the last line of its traceback)."""
    if not error:
        return None
    last = str(error).strip().splitlines()[-1]
    for prefix in ("AssertionError: ",):
        if last.startswith(prefix):
            last = last[len(prefix):]
    # unittest puts "first != second : msg"; keep our message.
    return last.rsplit(" : ", 1)[-1]
