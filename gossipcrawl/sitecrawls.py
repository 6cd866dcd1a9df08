"""Several sites in one process: one Scrapy crawler per site, a few sites at a time.

Each site's crawler has everything a single-site crawl has, of its own: the politeness of its
profile (its own downloader, so its own slots, delay, concurrency and Retry-After holds), its
bounds, its robots.txt, its hold on the state (one crawl per site and state), its feed (an
OUT with `%(site)s` gives each site its file), its job directory (`JOB_DIR/<site>`), its
monitors, report and outcome. A site that cannot be reached, answers 429 or fails its
monitors is that site's outcome; the others go on. What the sites share is the process: one
interpreter and one reactor, the imports and start-up paid once.

`GOSSIPCRAWL_SITES_AT_ONCE` bounds how many sites are crawled at the same time (each crawler
holds its engine, queues and caches); the next site starts when one ends.

Used by `gossipcrawl crawl TARGET TARGET...` (`--all`, `--group`) and by `scrapy crawl news
-a targets="A B C"` (what a Scrapyd job of a group runs).
"""

from __future__ import annotations

import logging
import re
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy.settings import SETTINGS_PRIORITIES

from gossipcrawl.extensions.outcome import Outcome, crawl_outcome
from gossipcrawl.sites import SiteProfile

logger = logging.getLogger(__name__)


@dataclass
class SiteRun:
    """One site of a multi-site crawl: what was asked, its crawler, how it ended."""

    target: str
    profile: SiteProfile
    crawler: Crawler | None = None
    error: str | None = None   # the crawler could not even start

    @property
    def name(self) -> str:
        return self.profile.name

    def outcome(self) -> Outcome:
        if self.crawler is None or self.error:
            return Outcome("ended_early", self.error or "did not start")
        return crawl_outcome(self.crawler.stats.get_stats(),
                             self.crawler.settings.getlist("SPIDERMON_EXPECTED_FINISH_REASONS"))


def site_directory(profile: SiteProfile) -> str:
    """A file-name-safe name for a site (its job directory under a group's)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", profile.name).strip("-") or "site"


def run_sites(process, runs: list[SiteRun], *, job_dir: str | None = None) -> list[SiteRun]:
    """Crawl every site of `runs` in `process` (a CrawlerProcess not started yet), at most
    `GOSSIPCRAWL_SITES_AT_ONCE` at a time; returns `runs` with their crawlers."""
    at_once = max(1, process.settings.getint("GOSSIPCRAWL_SITES_AT_ONCE"))
    waiting = deque(runs)

    def start_next(_result=None):
        if not waiting:
            return _result
        run = waiting.popleft()
        try:
            run.crawler = process.create_crawler("news")   # its own copy of the settings
            if job_dir:
                # Above the command line's priority: `crawl(crawler)` merges the process's
                # settings back in, and an equal priority would put the group's directory
                # back in place of the site's.
                run.crawler.settings.set(
                    "GOSSIPCRAWL_JOB_DIR",
                    str(Path(job_dir).resolve() / site_directory(run.profile)),
                    priority=SETTINGS_PRIORITIES["cmdline"] + 1)
            finished = process.crawl(run.crawler, target=run.target)
        except Exception as exc:
            run.error = f"{type(exc).__name__}: {exc}"
            logger.error("%s did not start: %s", run.name, run.error)
            return start_next(_result)

        def ended(error: str | None) -> None:
            if error:
                run.error = error
                logger.error("%s ended with an error: %s", run.name, error)
            start_next()

        _when_done(finished, ended)
        return _result

    for _ in range(min(at_once, len(runs))):
        start_next()
    process.start()
    return runs


def _when_done(finished, callback) -> None:
    """Call `callback(error or None)` when a crawl ends: `CrawlerProcess.crawl` gives a
    Deferred, `AsyncCrawlerProcess.crawl` (what `scrapy crawl` uses) an asyncio task."""
    if hasattr(finished, "addBoth"):
        def both(result):
            callback(result.getErrorMessage() if hasattr(result, "getErrorMessage") else None)
            return None
        finished.addBoth(both)
        return

    def done(task):
        error = None if task.cancelled() else task.exception()
        callback(f"{type(error).__name__}: {error}" if error else None)
    finished.add_done_callback(done)
