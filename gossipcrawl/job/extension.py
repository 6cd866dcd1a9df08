"""`JobExtension`: opens the job named by `GOSSIPCRAWL_JOB_DIR` and drives its life."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

import gossipcrawl
from gossipcrawl.job.directory import STATUS_PAUSED, Job
from gossipcrawl.stats import (JOB_ARTICLES_IN_FEED, JOB_PAUSED, JOB_REQUESTS_PENDING, JOB_RESUMED,
                               JOB_RUNS)

if TYPE_CHECKING:
    from scrapy.utils.asyncio import AsyncioLoopingCall
    from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)

JOB_DIR_SETTING = "GOSSIPCRAWL_JOB_DIR"


class JobExtension:
    """Opens the job named by `GOSSIPCRAWL_JOB_DIR` and drives its life: crawl id, restaged
    state, periodic sync, and at the end either a finished job or a paused one."""

    def __init__(self, crawler, job: Job, interval: float):
        self.crawler = crawler
        self.job = job
        self.interval = interval
        self._loop: AsyncioLoopingCall | LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        directory = settings.get(JOB_DIR_SETTING)
        if not directory:
            raise NotConfigured
        if settings.get("JOBDIR"):
            logger.warning("JOBDIR is set as well as %s: Scrapy's own queue loses requests "
                           "on kill -9 and will replay duplicates; leave JOBDIR empty",
                           JOB_DIR_SETTING)
        spider = crawler.spider
        profile = getattr(spider, "profile", None)
        site = profile.name if profile is not None else spider.name
        # A new job takes the crawl's proposed id; a resumed one keeps its own, under which
        # its earlier runs staged their state rows (the spider's `crawl_id` asks us).
        job = Job(directory, site=site, crawl_id=spider.proposed_crawl_id,
                  fsync=settings.getbool("GOSSIPCRAWL_JOB_FSYNC"))
        extension = cls(crawler, job, settings.getfloat("GOSSIPCRAWL_JOB_SYNC_INTERVAL"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self, spider):
        job, stats = self.job, self.crawler.stats
        stats.set_value(JOB_RUNS, job.runs)
        if job.resuming:
            stats.set_value(JOB_RESUMED, 1)
            stats.set_value(JOB_ARTICLES_IN_FEED, len(job.emitted))
            stats.set_value(JOB_REQUESTS_PENDING, job.pending_count)
            logger.info("resuming job %s (run %d) in %s: %d articles already in its feed, "
                        "%d requests to make, %d pages done", job.crawl_id, job.runs, job.dir,
                        len(job.emitted), job.pending_count, len(job.done))
        else:
            logger.info("job %s started in %s", job.crawl_id, job.dir)
        # Which code runs matters on a Scrapyd node (the deployed egg, or an installed copy).
        logger.info("gossipcrawl %s from %s", gossipcrawl.__version__,
                    Path(gossipcrawl.__file__).parent)
        self._loop = create_looping_call(job.sync)
        self._loop.start(self.interval, now=False)

    def spider_closed(self, spider, reason):
        # Connected before the feed exporter's handler: the storage must know, when it is
        # asked to store the feed, whether the job is finishing or pausing.
        self.job.close_reason = reason
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.job.sync()
        if self.job.complete:
            self.job.publish_leftovers()
        else:
            self.crawler.stats.set_value(JOB_PAUSED, 1)

    def engine_stopped(self):
        job = self.job
        failed = any(key.startswith("feedexport/failed_count/")
                     for key in self.crawler.stats.get_stats())
        if job.close_reason is None:
            job.close_reason = self.crawler.stats.get_value("finish_reason")
        if job.complete and not failed:
            job.publish_leftovers(skip_open=False)   # nothing of a finished job stays behind
        job.finish(published=not failed and not job.publish_errors)
        if job.status == STATUS_PAUSED:
            self.crawler.stats.set_value(JOB_PAUSED, 1)  # also if publishing failed
            logger.info("job %s paused (%s): run the same crawl with the same job directory "
                        "to resume it", job.crawl_id, job.close_reason)



def running_job(crawler) -> Job | None:
    """The job this crawler runs, or None without a job directory (from the time the
    crawler's extensions exist)."""
    extension = crawler.get_extension(JobExtension)
    return extension.job if extension is not None else None
