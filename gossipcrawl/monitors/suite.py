"""Spidermon monitors run when the spider closes, and the crawl report they leave behind.

`CrawlMonitorSuite` (listed in `SPIDERMON_SPIDER_CLOSE_MONITORS`) checks, with Spidermon's
own monitors:

- the crawl finished for an expected reason: Spidermon's `FinishReasonMonitor` and
  `SPIDERMON_EXPECTED_FINISH_REASONS` (the command line's exit status reads the same list);
- headline and body coverage of the articles extracted are at least
  `GOSSIPCRAWL_MIN_HEADLINE_COVERAGE` and `GOSSIPCRAWL_MIN_BODY_COVERAGE` (0.95 each);
- the share of pages that failed (fetch errors and extraction errors) is at most
  `GOSSIPCRAWL_MAX_PAGE_ERROR_RATE` (0.2);
- the share of extracted articles dropped as invalid is at most
  `GOSSIPCRAWL_MAX_INVALID_RATE` (0.05).

The last three are `BaseStatMonitor`s over the ratios `crawl_rates()` puts in the stats
just before the monitors run (`gossipcrawl/rates/...`). Spidermon's `FieldCoverageMonitor`
does not fit the coverage checks: it counts the items *emitted*, while an incremental crawl
emits only new and changed articles; coverage here is over every article extracted
(`gossipcrawl.pipelines.coverage`). A ratio over zero articles or zero pages is not set, and
its monitor is skipped: an incremental crawl that finds nothing new is healthy.

`SPIDERMON_MONITOR_SKIPPING_RULES` (Spidermon's) skips the finish-reason check for a job
that was paused (it resumes) and every check for a site that could not be reached (there
was no crawl to judge; the command says so and exits 4).

When monitors fail, the stat `gossipcrawl/monitors/failed` holds how many, and `gossipcrawl
crawl` exits with status 1. Either way the suite writes the JSON and HTML report
(`gossipcrawl.monitors.report`). Failures are logged one line each, never as tracebacks
(`gossipcrawl.monitors.extension`).
"""

from __future__ import annotations

import logging
import warnings
from typing import ClassVar

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import BaseStatMonitor, FinishReasonMonitor

from gossipcrawl.monitors.report import (articles_extracted, monitor_outcomes, page_counts, ratio,
                                         write_crawl_report)
from gossipcrawl.stats import (BUSY_REASON, ITEMS_DROPPED_INVALID, MONITOR_FAILURES, MONITORS_RUN,
                               RATE_BODY_COVERAGE, RATE_HEADLINE_COVERAGE, RATE_INVALID_ITEMS,
                               RATE_PAGE_ERRORS, coverage)

# Spidermon 1.27's runner still logs through Spider.log(), deprecated in Scrapy 2.13+; the
# message is noise in every crawl's output, not something an operator can act on.
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated",
                        category=ScrapyDeprecationWarning)

logger = logging.getLogger(__name__)


def crawl_rates(stats) -> dict[str, float]:
    """The ratios the rate monitors judge, from the crawl's counts; a ratio over nothing is
    left out."""
    extracted = articles_extracted(stats)
    attempted, failed = page_counts(stats)
    rates = {
        RATE_HEADLINE_COVERAGE: ratio(stats.get(coverage("headline"), 0), extracted),
        RATE_BODY_COVERAGE: ratio(stats.get(coverage("articleBody"), 0), extracted),
        RATE_PAGE_ERRORS: ratio(failed, attempted),
        RATE_INVALID_ITEMS: ratio(stats.get(ITEMS_DROPPED_INVALID, 0), extracted),
    }
    return {name: round(value, 4) for name, value in rates.items() if value is not None}


def set_crawl_rates(stats_collector) -> None:
    for name, value in crawl_rates(stats_collector.get_stats()).items():
        stats_collector.set_value(name, value)


class _RateMonitor(BaseStatMonitor):
    fail_if_stat_missing = False   # no articles or no pages: nothing to judge
    # The failure as an operator reads it ({value} and {threshold} are ratios).
    explanation = ""

    def test_stat_monitor(self):
        try:
            super().test_stat_monitor()
        except AssertionError:
            # BaseStatMonitor's own message names the stat and the operator; say it plainly.
            raise AssertionError(self.explanation.format(
                value=float(self.stats.get(self.stat_name)),
                threshold=float(self._get_threshold_value()))) from None


@monitors.name("Headline coverage")
class HeadlineCoverageMonitor(_RateMonitor):
    """Share of extracted articles with a headline."""

    stat_name = RATE_HEADLINE_COVERAGE
    threshold_setting = "GOSSIPCRAWL_MIN_HEADLINE_COVERAGE"
    assert_type = ">="
    explanation = ("{value:.1%} of the articles extracted have a headline, under the "
                   "minimum of {threshold:.0%} (GOSSIPCRAWL_MIN_HEADLINE_COVERAGE)")


@monitors.name("Body coverage")
class BodyCoverageMonitor(_RateMonitor):
    """Share of extracted articles with a body."""

    stat_name = RATE_BODY_COVERAGE
    threshold_setting = "GOSSIPCRAWL_MIN_BODY_COVERAGE"
    assert_type = ">="
    explanation = ("{value:.1%} of the articles extracted have a body, under the minimum of "
                   "{threshold:.0%} (GOSSIPCRAWL_MIN_BODY_COVERAGE)")


@monitors.name("Page error rate")
class PageErrorRateMonitor(_RateMonitor):
    """Share of pages that could not be fetched or extracted."""

    stat_name = RATE_PAGE_ERRORS
    threshold_setting = "GOSSIPCRAWL_MAX_PAGE_ERROR_RATE"
    assert_type = "<="
    explanation = ("{value:.1%} of the pages could not be fetched or extracted, over the "
                   "maximum of {threshold:.0%} (GOSSIPCRAWL_MAX_PAGE_ERROR_RATE)")


@monitors.name("Invalid item rate")
class InvalidItemRateMonitor(_RateMonitor):
    """Share of extracted articles dropped as invalid."""

    stat_name = RATE_INVALID_ITEMS
    threshold_setting = "GOSSIPCRAWL_MAX_INVALID_RATE"
    assert_type = "<="
    explanation = ("{value:.1%} of the articles extracted were invalid, over the maximum of "
                   "{threshold:.0%} (GOSSIPCRAWL_MAX_INVALID_RATE)")


class CrawlMonitorSuite(MonitorSuite):
    monitors: ClassVar[list] = [FinishReasonMonitor, HeadlineCoverageMonitor,
                                BodyCoverageMonitor, PageErrorRateMonitor,
                                InvalidItemRateMonitor]

    def __init__(self, *args, crawler=None, **kwargs):
        super().__init__(*args, crawler=crawler, **kwargs)
        # As Spidermon's own SpiderCloseMonitorSuite does, but on this suite's monitor
        # instances rather than on the (shared) classes: each reads the rules for its name
        # before it runs.
        rules = crawler.settings.getdict("SPIDERMON_MONITOR_SKIPPING_RULES") if crawler else {}
        for monitor in _monitor_instances(self):
            monitor.skip_rules = rules

    def on_monitors_finished(self, result):
        crawler = self._crawler
        failures = result.monitors_failed_results
        crawler.stats.set_value(MONITORS_RUN, len(result.monitor_results))
        if failures:
            crawler.stats.set_value(MONITOR_FAILURES, len(failures))
        if crawler.stats.get_value("finish_reason") == BUSY_REASON:
            return   # it never ran; the report beside its feed is the running crawl's
        try:
            paths = write_crawl_report(crawler, monitor_outcomes(result))
        except OSError as exc:
            # A full disk, a read-only or vanished directory: the reason, in one line.
            logger.error("could not write the crawl report %s: %s", exc.filename or "",
                         exc.strerror or exc)
        except Exception:
            logger.exception("could not write the crawl report")
        else:
            logger.info("crawl report: %s, %s", *paths)


def _monitor_instances(suite):
    for test in suite:
        if isinstance(test, MonitorSuite):
            yield from _monitor_instances(test)
        else:
            yield test
