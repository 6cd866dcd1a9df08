"""Spidermon, reporting in lines: `CrawlMonitors` is Spidermon's extension with a result
that logs one line per failed monitor (WARNING: `monitor failed: Page error rate:
Expecting ...`) and the rest at DEBUG, instead of Spidermon's banner, dots and the full
unittest traceback of every failure at ERROR. It also puts the crawl's ratios in the stats
(`gossipcrawl.monitors.suite.set_crawl_rates`) just before the spider-close monitors read
them. Everything else (loading suites from `SPIDERMON_*` settings, field coverage, periodic
monitors) is Spidermon's own.
"""

from __future__ import annotations

import logging

from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.contrib.scrapy.runners import SpiderMonitorResult, SpiderMonitorRunner

from gossipcrawl.monitors.report import failure_message
from gossipcrawl.monitors.suite import set_crawl_rates

logger = logging.getLogger("gossipcrawl.monitors")
# Spidermon's statuses, as the log line says them.
STATUS_WORDS = {"FAIL": "failed", "ERROR": "broke"}


class LineMonitorResult(SpiderMonitorResult):
    """Spidermon's result for a spider, with each failed monitor as one log line."""

    def write_errors(self):
        for status in self.step.error_statuses:
            for item in self.step.items_for_status(status):
                name = getattr(item.item, "monitor_name", None) or item.item.name
                logger.warning("monitor %s: %s: %s", STATUS_WORDS.get(status, status.lower()),
                               name, failure_message(item.error))

    def log(self, msg, level=logging.DEBUG):
        # Spidermon's progress lines (step titles, "OK", timings): detail for -vv only.
        logger.debug("%s", msg)


class LineMonitorRunner(SpiderMonitorRunner):
    def create_result(self):
        return LineMonitorResult(self.spider)


class CrawlMonitors(Spidermon):
    def spider_closed(self, spider):
        set_crawl_rates(self.crawler.stats)
        super().spider_closed(spider)

    # Spidermon 1.27 builds its runner in this private method (pinned in pyproject.toml:
    # spidermon<1.28); the runner is the only thing changed.
    def _run_suites(self, spider, suites):
        data = self._generate_data_for_spider(spider)
        for suite in suites:
            LineMonitorRunner(spider=spider).run(suite, **data)
