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
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured
from scrapy.utils.defer import _schedule_coro

from gossipcrawl.job.extension import running_job
from gossipcrawl.state import StateBusy, StateError, StateStore, open_state
from gossipcrawl.stats import (BUSY_REASON, ITEMS_CHANGED, ITEMS_EMITTED, ITEMS_NEW,
                               ITEMS_UNCHANGED, STATE_COMMITTED, STATE_ERROR, STATE_FAILED,
                               STATE_FAILED_REASON, STATE_RECOVERED_COMMITS, feed_failure,
                               item_dropped)

logger = logging.getLogger(__name__)


class NotDeliveredHere(DropItem):
    """An item dropped because another crawl is delivering it (or none can be): this
    crawl must not record its page as seen (its sitemap lastmod), or, should that other
    crawl never deliver it, no later crawl would fetch the page again."""


def state_options(settings) -> dict:
    """The store options named by settings (shared by every component opening the state)."""
    return {"story_window_days": settings.getint("GOSSIPCRAWL_STORY_WINDOW_DAYS"),
            "claim_ttl": settings.getint("GOSSIPCRAWL_CLAIM_TTL"),
            "lease": settings.getfloat("GOSSIPCRAWL_STATE_LEASE")}


def site_of_spider(spider) -> str:
    """What a crawl holds in the state: its site profile's name (a URL target's host)."""
    profile = getattr(spider, "profile", None)
    return profile.name if profile is not None else spider.name


class DedupePipeline:
    def __init__(self, crawler, state_uri: str | None, fresh: bool):
        self.crawler = crawler
        self.stats = crawler.stats
        self.state_uri = state_uri
        self.fresh = fresh
        self.state: StateStore | None = None
        # Why the store cannot record this crawl's articles (then no feed is published).
        self.state_failure: str | None = None

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
        spider = self.crawler.spider
        try:
            self.state = state = open_state(self.state_uri, spider.crawl_id,
                                            **state_options(self.crawler.settings))
            state.lock_site(site_of_spider(spider))
            self._recover_published()
            job = running_job(self.crawler)
            if job is not None and job.resuming:
                self._restage(job)
        except StateBusy as exc:
            self._close_state()
            logger.error("%s: this crawl does not start", exc)
            self.stats.set_value(STATE_ERROR, str(exc))
            raise CloseSpider(BUSY_REASON) from None
        except StateError as exc:
            # The store went away since the command line checked it (or nothing checked
            # it: `scrapy crawl`, Scrapyd): the crawl does not start, nothing is delivered.
            if self.state is not None:
                self._close_state()
            self.state_failure = str(exc)
            self.stats.set_value(STATE_FAILED, 1)
            self.stats.set_value(STATE_ERROR, str(exc))
            logger.error("%s: this crawl does not start", exc)
            raise CloseSpider(STATE_FAILED_REASON) from None

    def _recover_published(self):
        """A crawl of this host killed between renaming its feed into place and committing
        its state: committed now (its feed is out), or forgotten (it was not)."""
        recover = getattr(self.state, "recover_published", None)
        if recover is None:
            return
        committed, discarded = recover()
        if committed:
            self.stats.set_value(STATE_RECOVERED_COMMITS, committed)
            logger.warning("committed the state of %d earlier crawl(s) killed after they "
                           "published their feed", committed)
        if discarded:
            logger.info("%d earlier crawl(s) killed while publishing did not publish: "
                        "their articles come again", discarded)

    def mark_publishing(self, temporary) -> None:
        """A feed storage is about to rename `temporary` into place: recorded in the
        store first, so that if this process dies before `commit()`, the next crawl on
        this state commits this one (see `recover_published`). `StateError` when it
        cannot be recorded: then the feed must not be published."""
        if self.state is not None and not self.state_failure:
            self.state.mark_publishing(str(temporary))

    def _restage(self, job):
        """Stage again, under the job's crawl id, every article its feed holds: a killed run
        may have written an item before its staged row reached the store, and what it
        staged but never wrote to the feed must not count as seen."""
        state = self._open_state()
        state.discard_staged()
        for article_id, (digest, revision) in job.emitted.items():
            state.stage(article_id, digest, revision)

    def process_item(self, item):
        if self.state_failure:
            return self._drop(item, "state_unavailable")
        try:
            return self._judge(item)
        except StateError as exc:
            self._state_failed(str(exc))
            return self._drop(item, "state_unavailable")

    def _judge(self, item):
        article_id, digest = item["id"], item["contentHash"]
        state = self._open_state()
        if state.seen(article_id):
            return self._drop(item, "duplicate_url")
        first_id = state.first_with_hash(digest)
        if first_id is not None:
            return self._drop(item, "duplicate_content", f"same content as {first_id}")
        previous = state.get(article_id)
        if previous is not None and previous.content_hash == digest:
            state.stage(article_id, digest, previous.revision)
            if not self.fresh:
                self.stats.inc_value(ITEMS_UNCHANGED)
                raise DropItem(f"unchanged since revision {previous.revision}: {item['url']}",
                               log_level="DEBUG")
            item["revision"] = previous.revision
        else:
            # The store hands out the revision (a compare-and-set where crawlers share it).
            revision = state.claim(article_id, digest,
                                   previous.revision if previous is not None else 0)
            if revision is None:
                return self._drop(item, "in_flight_elsewhere",
                                  "another crawl sharing the state is emitting it")
            if revision == 0:
                # Another crawl sharing the state committed this very content meanwhile.
                self.stats.inc_value(ITEMS_UNCHANGED)
                raise DropItem(f"unchanged (committed by another crawl): {item['url']}",
                               log_level="DEBUG")
            item["revision"] = revision
            self.stats.inc_value(ITEMS_NEW if previous is None else ITEMS_CHANGED)
            state.stage(article_id, digest, revision)
        self.stats.inc_value(ITEMS_EMITTED)
        return item

    def _open_state(self) -> StateStore:
        """The store, while this crawl holds it (from open_spider to the commit)."""
        if self.state is None:
            raise StateError("the state store is not open")
        return self.state

    def _drop(self, item, reason: str, detail: str = ""):
        self.stats.inc_value(item_dropped(reason))
        logger.debug("dropped %s: %s %s", reason, item.get("url"), detail)
        kind = (NotDeliveredHere if reason in ("in_flight_elsewhere", "state_unavailable")
                else DropItem)
        raise kind(f"{reason}: {item.get('url')} {detail}".strip(), log_level="DEBUG")

    def _state_failed(self, reason: str) -> None:
        """The store cannot record articles: nothing of this crawl will be delivered, so the
        crawl stops (finish reason `state_failed`)."""
        if self.state_failure:
            return
        self.state_failure = reason
        self.stats.set_value(STATE_FAILED, 1)
        self.stats.set_value(STATE_ERROR, reason)
        logger.error("%s; no feed is published and nothing is committed: the next crawl "
                     "delivers these articles", reason)
        engine = self.crawler.engine
        if engine.spider is not None and engine.running:
            _schedule_coro(engine.close_spider_async(reason=STATE_FAILED_REASON))

    def delivery_blocked(self) -> str | None:
        """Why no feed may be published now (the store could not take this crawl's staged
        rows), or None. Feed storages ask before they publish."""
        return self.state_failure

    def close_spider(self):
        # Before the feeds are stored (they are, at spider_closed): every staged row must be
        # in the store, so that committing them later is one step that cannot half-happen.
        if self.state is not None and not self.state_failure:
            try:
                self.state.flush()
            except StateError as exc:
                self._state_failed(str(exc))
        if not self.crawler.settings.getdict("FEEDS"):
            self._commit()

    def feeds_stored(self):
        self._commit()

    def _commit(self):
        if self.state is None:
            return
        job = running_job(self.crawler)
        try:
            if job is not None and not job.complete:
                # A paused job: its staged rows wait under its crawl id until it finishes,
                # so an abandoned job never marks as emitted what no published file holds.
                return
            failure = self.state_failure or feed_failure(self.stats.get_stats())
            if failure:
                logger.error("state left uncommitted (%s): the next crawl delivers the same "
                             "articles", failure)
                return
            try:
                self.stats.set_value(STATE_COMMITTED, self.state.commit())
            except StateError as exc:
                self._commit_failed(str(exc))
        finally:
            self._close_state()

    def _commit_failed(self, reason: str) -> None:
        # The feed is out and the store did not take the commit: the record made before
        # the feed was renamed into place stays, and the next crawl of this host on this
        # state commits this crawl (`recover_published`).
        self.stats.set_value(STATE_FAILED, 1)
        self.stats.set_value(STATE_ERROR, f"commit failed: {reason}")
        logger.error("the feed was delivered but the state store did not record it (%s)",
                     reason)

    def _close_state(self):
        state, self.state = self.state, None
        if state is None:
            return
        try:
            state.close()
        except StateError as exc:
            logger.warning("closing the state store: %s", exc)
