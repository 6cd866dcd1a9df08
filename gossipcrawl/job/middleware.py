"""`JobSpiderMiddleware`: the request journal's gate. It replays the requests earlier runs
journaled and did not finish, journals new ones, skips known ones, drops items already in
the job's feed, and marks pages done once their items and links are on disk."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter, is_item
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured

from gossipcrawl.job.directory import FINGERPRINT_META, Job
from gossipcrawl.job.extension import running_job
from gossipcrawl.stats import (JOB_ITEMS_ALREADY_IN_FEED, JOB_REQUESTS_JOURNALED, JOB_REQUESTS_KNOWN,
                               JOB_REQUESTS_NOT_JOURNALED, JOB_REQUESTS_REPLAYED)

logger = logging.getLogger(__name__)


class JobSpiderMiddleware:
    """The request journal's gate: replays, records, skips, and marks pages done."""

    def __init__(self, crawler, job: Job):
        self.crawler = crawler
        self.job = job
        self.stats = crawler.stats
        # Pages whose output is being processed: id(response) -> [fingerprint, items not
        # yet through the pipelines, output exhausted, the response].
        self._pages: dict[int, list] = {}
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self._item_settled, signal=signal)

    @classmethod
    def from_crawler(cls, crawler):
        job = running_job(crawler)
        if job is None:
            raise NotConfigured
        return cls(crawler, job)

    def _fingerprint(self, request: Request) -> str:
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    def _admit(self, request: Request) -> bool:
        fingerprint = self._fingerprint(request)
        if fingerprint in self.job.known:
            if request.dont_filter:
                request.meta[FINGERPRINT_META] = fingerprint
                return True
            self.stats.inc_value(JOB_REQUESTS_KNOWN)
            return False
        if self.job.journal(request, fingerprint, self.crawler.spider):
            self.stats.inc_value(JOB_REQUESTS_JOURNALED)
        else:
            self.stats.inc_value(JOB_REQUESTS_NOT_JOURNALED)
            request.meta["gossipcrawl_job_unjournaled"] = True
        return True

    async def process_start(self, start):
        if self.job.published_before:
            # Its feed is out: nothing more to fetch; the job's state is committed and the
            # job finished when this run closes.
            logger.info("job %s: its feed was published by its previous run; finishing it",
                        self.job.crawl_id)
            return
        replayed = 0
        spider = self.crawler.spider
        # The spider's own policy (offsite, denied, bounds) judges replayed requests too.
        admit = getattr(spider, "admit_replayed", lambda request: True)
        for request in self.job.pending_requests(spider):
            if not admit(request):
                continue
            replayed += 1
            yield request
        if replayed:
            self.stats.set_value(JOB_REQUESTS_REPLAYED, replayed)
        async for item_or_request in start:
            if isinstance(item_or_request, Request) and not self._admit(item_or_request):
                continue
            yield item_or_request

    async def process_spider_output(self, response, result):
        request = response.request
        fingerprint = response.meta.get(FINGERPRINT_META) or (
            self._fingerprint(request) if request is not None else None)
        page = [fingerprint, 0, False, response]   # the response: keeps id() unique
        self._pages[id(response)] = page
        async for output in result:
            if isinstance(output, Request):
                if not self._admit(output):
                    continue
                if output.meta.pop("gossipcrawl_job_unjournaled", False):
                    page[0] = None  # a link a resumed run would not know: never done
            elif is_item(output):
                article_id = ItemAdapter(output).get("id")
                if article_id in self.job.emitted:
                    self.stats.inc_value(JOB_ITEMS_ALREADY_IN_FEED)
                    logger.debug("already in the job's feed: %s", article_id)
                    continue
                page[1] += 1
            yield output
        page[2] = True
        self._maybe_done(id(response))

    def _item_settled(self, item, response=None, **kwargs):
        if response is None:
            return
        page = self._pages.get(id(response))
        if page is None:
            return
        page[1] -= 1
        self._maybe_done(id(response))

    def _maybe_done(self, key: int) -> None:
        page = self._pages.get(key)
        if page is not None and page[2] and page[1] <= 0:
            del self._pages[key]
            if page[0]:
                self.job.mark_done(page[0])

