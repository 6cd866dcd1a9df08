"""The file a feed exporter writes to, and what happens when a feed cannot be delivered."""

from __future__ import annotations

import logging

from scrapy.utils.defer import _schedule_coro

from gossipcrawl.stats import FEED_ERROR, FEED_FAILED, FEED_FAILED_REASON

logger = logging.getLogger(__name__)


def record_feed_failure(crawler, target: object, reason: str) -> None:
    """Log (once per feed) and count a feed that cannot be delivered, and close the crawl:
    nothing it fetches from now on could be delivered."""
    stats = crawler.stats
    stats.inc_value(FEED_FAILED)
    if not stats.get_value(FEED_ERROR):
        stats.set_value(FEED_ERROR, f"{target}: {reason}")
    logger.error("cannot write %s: %s; nothing is committed, the next crawl delivers these "
                 "articles", target, reason)
    engine = getattr(crawler, "engine", None)
    if engine is not None and engine.spider is not None and engine.running:
        _schedule_coro(engine.close_spider_async(reason=FEED_FAILED_REASON))


def describe_os_error(exc: BaseException) -> str:
    """`No space left on device` rather than `[Errno 28] No space left on device: '/x'`."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


class FeedFile:
    """What a feed exporter writes to: a file that reports its first error once (through
    `on_error`) and drops what is written after it, instead of raising at every item."""

    def __init__(self, raw, on_error):
        self.raw = raw
        self.on_error = on_error
        self.failed: str | None = None

    def _fail(self, exc: BaseException) -> None:
        if self.failed is None:
            self.failed = describe_os_error(exc)
            self.on_error(self.failed)

    def write(self, data) -> int:
        if self.failed is None:
            try:
                return self.raw.write(data)
            except (OSError, ValueError) as exc:
                self._fail(exc)
        return len(data)

    def flush(self) -> None:
        if self.failed is None:
            try:
                self.raw.flush()
            except (OSError, ValueError) as exc:
                self._fail(exc)

    def fileno(self) -> int:
        return self.raw.fileno()

    def tell(self) -> int:
        return self.raw.tell()

    def seekable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return self.raw.closed

    def close(self) -> None:
        if not self.raw.closed:
            try:
                self.raw.close()
            except OSError as exc:
                self._fail(exc)
