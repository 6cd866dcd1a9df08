"""No duplicates, within a crawl and across crawls; revisions for changed articles.

Within a crawl, an article reached by several URLs (AMP copy, tracking parameters,
redirects) has one canonical id and is emitted once; a republished copy under another URL
has the same content hash and is dropped too. Across crawls, the state store remembers each
id's content hash: an unchanged article is not emitted again, a changed one is emitted with
`revision` + 1. The state is committed only after the feed has been stored.

What the crawl has seen lives in the state store (staged rows), not in this process, so
memory stays flat however many articles a crawl meets. Stats: `gossipcrawl/items/new`,
`.../changed`, `.../unchanged`, `.../emitted`, and `gossipcrawl/items/dropped/<reason>` for
`duplicate_url`, `duplicate_content` and `in_flight_elsewhere` (another crawler sharing the
Redis state is emitting the same content right now).
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured

from gossipcrawl.job.extension import running_job
from gossipcrawl.state import open_state

logger = logging.getLogger(__name__)


def state_options(settings) -> dict:
    """The store options named by settings (shared by every component opening the state)."""
    return {"story_window_days": settings.getint("GOSSIPCRAWL_STORY_WINDOW_DAYS"),
            "claim_ttl": settings.getint("GOSSIPCRAWL_CLAIM_TTL")}


class DedupePipeline:
    def __init__(self, crawler, state_uri: str | None, fresh: bool):
        self.crawler = crawler
        self.stats = crawler.stats
        self.state_uri = state_uri
        self.fresh = fresh
        self.state = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOSSIPCRAWL_DEDUPE_ENABLED"):
            raise NotConfigured
        pipeline = cls(crawler, settings.get("GOSSIPCRAWL_STATE"),
                       settings.getbool("GOSSIPCRAWL_FRESH"))
        # Commit after the feeds are on disk; with no feed, when the spider closes.
        crawler.signals.connect(pipeline.feeds_stored, signal=signals.feed_exporter_closed)
        return pipeline

    def open_spider(self):
        self.state = open_state(self.state_uri, self.crawler.spider.crawl_id,
                                **state_options(self.crawler.settings))
        job = running_job(self.crawler)
        if job is not None and job.resuming:
            self._restage(job)

    def _restage(self, job):
        """Stage again, under the job's crawl id, every article its feed holds: a killed run
        may have written an item before its staged row reached the store, and what it
        staged but never wrote to the feed must not count as seen."""
        self.state.discard_staged()
        for article_id, (digest, revision) in job.emitted.items():
            self.state.stage(article_id, digest, revision)

    def process_item(self, item):
        article_id, digest = item["id"], item["contentHash"]
        state = self.state
        if state.seen(article_id):
            return self._drop(item, "duplicate_url")
        first_id = state.first_with_hash(digest)
        if first_id is not None:
            return self._drop(item, "duplicate_content", f"same content as {first_id}")
        previous = state.get(article_id)
        if previous is not None and previous.content_hash == digest:
            state.stage(article_id, digest, previous.revision)
            if not self.fresh:
                self.stats.inc_value("gossipcrawl/items/unchanged")
                raise DropItem(f"unchanged since revision {previous.revision}: {item['url']}",
                               log_level="DEBUG")
            item["revision"] = previous.revision
        else:
            if not state.claim(article_id, digest):
                return self._drop(item, "in_flight_elsewhere",
                                  "another crawl sharing the state is emitting it")
            item["revision"] = previous.revision + 1 if previous else 1
            self.stats.inc_value("gossipcrawl/items/new" if previous is None
                                 else "gossipcrawl/items/changed")
            state.stage(article_id, digest, item["revision"])
        self.stats.inc_value("gossipcrawl/items/emitted")
        return item

    def _drop(self, item, reason: str, detail: str = ""):
        self.stats.inc_value(f"gossipcrawl/items/dropped/{reason}")
        logger.debug("dropped %s: %s %s", reason, item.get("url"), detail)
        raise DropItem(f"{reason}: {item.get('url')} {detail}".strip(), log_level="DEBUG")

    def feeds_stored(self):
        self._commit()

    def close_spider(self):
        if not self.crawler.settings.getdict("FEEDS"):
            self._commit()

    def _commit(self):
        if self.state is None:
            return
        job = running_job(self.crawler)
        if job is not None and not job.complete:
            # A paused job: its staged rows wait under its crawl id until it finishes, so an
            # abandoned job never marks as emitted what no published file holds.
            self.state.close()
            self.state = None
            return
        failed = [key for key in self.stats.get_stats() if key.startswith("feedexport/failed_count/")]
        try:
            if failed:
                logger.error("feed storage failed: state left uncommitted, nothing is lost")
            else:
                count = self.state.commit()
                self.stats.set_value("gossipcrawl/state/committed", count)
        finally:
            self.state.close()
            self.state = None
