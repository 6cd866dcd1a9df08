"""How a crawl ended, in one word and one sentence: `crawl_outcome(stats, expected)`.

    ok                 ran to its end (or a CLOSESPIDER_* bound) and its monitors passed
    busy               did not start: another crawl holds the site on the same state
    not_delivered      the feed could not be stored, or the state could not record it:
                       nothing was committed, the next crawl delivers the same articles
    paused             a job (`--job-dir`) stopped before its end: the same command resumes it
    unreachable        the site could not be reached at all (DNS, refused, timeout)
    monitors_failed    a Spidermon monitor failed (the report says which and why)
    ended_early        the crawl stopped for another reason (Ctrl-C without a job, memory)

`gossipcrawl crawl` turns the outcome into its last line and its exit status. Everything
else that runs the spider (`scrapy crawl`, Scrapyd) gets it from `OutcomeExtension` as the
last line of the crawl's log:

    2024-07-10 18:32:11 [gossipcrawl.outcome] WARNING: gossipcrawl outcome: unreachable: cannot reach soapdirt.com: DNS lookup failed

which is how `gossipcrawl schedule` reads the outcome of a finished Scrapyd job back from
its log (`OUTCOME_LINE` matches it). `GOSSIPCRAWL_OUTCOME_LINE = False` turns the line off
(the command line does: it prints the outcome itself).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from scrapy import signals
from scrapy.exceptions import NotConfigured

from gossipcrawl.stats import (BUSY_REASON, JOB_PAUSED, JOB_RUNS, MONITOR_FAILURES, PAGES_SEEN,
                               STATE_ERROR, STATE_FAILED, UNREACHABLE_HOST, feed_failure)

logger = logging.getLogger("gossipcrawl.outcome")

OK, BUSY, NOT_DELIVERED, PAUSED, UNREACHABLE, MONITORS_FAILED, ENDED_EARLY = (
    "ok", "busy", "not_delivered", "paused", "unreachable", "monitors_failed", "ended_early")
# The finish reason of a crawl closed because its site cannot be reached (the stat
# UNREACHABLE_HOST says which host and why: gossipcrawl.downloadermiddlewares.unreachable).
UNREACHABLE_REASON = "site_unreachable"
OUTCOME_LINE = re.compile(r"gossipcrawl outcome: (?P<kind>[a-z_]+)(?:: (?P<detail>.*))?$")


@dataclass(frozen=True)
class Outcome:
    kind: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == OK

    def line(self) -> str:
        return f"gossipcrawl outcome: {self.kind}" + (f": {self.detail}" if self.detail else "")


# What a crawl that never closed its spider says: Scrapy's forced shutdown (Ctrl-C twice).
FORCED_STOP = "forced to stop (Ctrl-C twice) before the spider closed: no feed was stored"


def crawl_outcome(stats: dict, expected_reasons) -> Outcome:
    reason = stats.get("finish_reason")
    if reason == BUSY_REASON:
        return Outcome(BUSY, str(stats.get(STATE_ERROR) or "another crawl holds the site"))
    if reason is None and stats.get("start_time") is not None:
        # The spider never closed: nothing was delivered or committed; a job resumes.
        if stats.get(JOB_RUNS):
            return Outcome(PAUSED, "forced to stop before its end")
        return Outcome(ENDED_EARLY, f"the crawl ended early: {FORCED_STOP}")
    undelivered = delivery_problem(stats)
    if undelivered:
        return Outcome(NOT_DELIVERED, undelivered)
    # A job whose site cannot be reached stays paused (the same command resumes it), but
    # what the operator must hear is that the site is down.
    if reason == UNREACHABLE_REASON:
        return Outcome(UNREACHABLE, f"cannot reach {stats.get(UNREACHABLE_HOST, 'the site')}")
    if stats.get(JOB_PAUSED):
        return Outcome(PAUSED, f"stopped ({reason}) before its end")
    failed = stats.get(MONITOR_FAILURES)
    if failed:
        return Outcome(MONITORS_FAILED, f"{failed} crawl monitor{'s' if failed > 1 else ''} "
                                        "failed")
    if reason not in expected_reasons:
        return Outcome(ENDED_EARLY, f"the crawl ended early: {reason}")
    return Outcome(OK)


def delivery_problem(stats: dict) -> str | None:
    """Why this crawl's articles were not delivered (and its state not committed)."""
    if stats.get("finish_reason") is None and stats.get("start_time") is not None:
        return FORCED_STOP
    failure = feed_failure(stats)
    if failure:
        return f"cannot write {failure}"
    if stats.get(STATE_FAILED):
        return str(stats.get(STATE_ERROR))
    return None


def pages_read(stats: dict) -> int:
    """The pages of a crawl, as the status line and the summary both count them: HTML pages
    read (articles and listings; not robots.txt, sitemaps or feeds)."""
    return stats.get(PAGES_SEEN, 0)


class OutcomeExtension:
    """Logs `crawl_outcome()` as the crawl's last line (INFO when ok, WARNING otherwise)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("GOSSIPCRAWL_OUTCOME_LINE"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self):
        outcome = crawl_outcome(self.crawler.stats.get_stats(),
                                self.crawler.settings.getlist(
                                    "SPIDERMON_EXPECTED_FINISH_REASONS"))
        logger.log(logging.INFO if outcome.ok else logging.WARNING, "%s", outcome.line())
