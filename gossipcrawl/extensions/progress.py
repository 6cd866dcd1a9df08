"""A live status line for interactive crawls; nothing at all otherwise.

When stderr is a terminal (`GOSSIPCRAWL_PROGRESS = "auto"`, the default) or when forced
(`"on"`), the crawl redraws one line on stderr every `GOSSIPCRAWL_PROGRESS_INTERVAL` seconds:

    soapdirt  0:03:12  1,234 pages  56/min  321 articles  3 errors  120 queued

pages are the HTML pages read (articles and listings, as the summary counts them:
`gossipcrawl.extensions.outcome.pages_read`); the rate is pages per minute over the last
minute; articles are those emitted to the feed; errors are failed fetches, pages whose extraction raised,
and log messages at ERROR level; queued are requests waiting in the scheduler. A log line
printed meanwhile clears the status line first and the line is drawn again below it, so
the two never mix. With `"off"`, or `"auto"` when stderr is a file or a pipe (cron, systemd,
Scrapyd), the extension is not even loaded: logs stay plain.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from collections import deque
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from gossipcrawl.extensions.outcome import pages_read
from gossipcrawl.settings import GOSSIPCRAWL_PROGRESS, GOSSIPCRAWL_PROGRESS_INTERVAL
from gossipcrawl.stats import ITEMS_EMITTED, PAGES_ERROR, PAGES_FETCH_ERROR

if TYPE_CHECKING:
    from scrapy.utils.asyncio import AsyncioLoopingCall
    from twisted.internet.task import LoopingCall

CLEAR = "\r\x1b[K"


def progress_enabled(mode: str, stream) -> bool:
    mode = str(mode or GOSSIPCRAWL_PROGRESS).strip().lower()
    if mode in ("on", "1", "true", "yes", "always"):
        return True
    if mode in ("off", "0", "false", "no", "never"):
        return False
    if mode != "auto":
        raise NotConfigured(f"GOSSIPCRAWL_PROGRESS must be auto, on or off, not {mode!r}")
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class ProgressExtension:
    def __init__(self, crawler, stream, interval: float = GOSSIPCRAWL_PROGRESS_INTERVAL):
        self.crawler = crawler
        self.stats = crawler.stats
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self.window: deque[tuple[float, int]] = deque()
        self.drawn = False
        self._loop: AsyncioLoopingCall | LoopingCall | None = None
        self._filter = _ClearStatusLine(self)
        self._redraw = _RedrawStatusLine(self)
        self._patched: list[logging.Handler] = []

    @classmethod
    def from_crawler(cls, crawler):
        stream = sys.stderr
        if not progress_enabled(crawler.settings.get("GOSSIPCRAWL_PROGRESS"), stream):
            raise NotConfigured
        extension = cls(crawler, stream,
                        crawler.settings.getfloat("GOSSIPCRAWL_PROGRESS_INTERVAL"))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    # --- life -----------------------------------------------------------------------------

    def spider_opened(self, spider):
        from scrapy.utils.asyncio import create_looping_call

        self.started = time.monotonic()
        self.name = getattr(getattr(spider, "profile", None), "name", None) or spider.name
        self._hook_logging()
        self._loop = create_looping_call(self.draw)
        self._loop.start(self.interval, now=True)

    def spider_closed(self, spider, reason):
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.clear()
        self._unhook_logging()

    def _hook_logging(self):
        """Clear the status line before each log line printed on the same stream, and
        draw it again after."""
        root = logging.getLogger()
        levels = []
        for handler in root.handlers:
            if getattr(handler, "stream", None) is self.stream:
                handler.addFilter(self._filter)
                self._patched.append(handler)
                levels.append(handler.level)
        if self._patched:
            self._redraw.setLevel(min(levels))
            root.addHandler(self._redraw)

    def _unhook_logging(self):
        for handler in self._patched:
            handler.removeFilter(self._filter)
        self._patched.clear()
        logging.getLogger().removeHandler(self._redraw)

    # --- drawing --------------------------------------------------------------------------

    def status(self) -> str:
        stats = self.stats.get_stats()
        now = time.monotonic()
        pages = pages_read(stats)
        self.window.append((now, pages))
        while len(self.window) > 2 and now - self.window[0][0] > 60:
            self.window.popleft()
        first_time, first_pages = self.window[0]
        span = now - first_time
        rate = (pages - first_pages) * 60 / span if span >= 1 else 0.0
        articles = stats.get(ITEMS_EMITTED, stats.get("item_scraped_count", 0))
        errors = (stats.get(PAGES_FETCH_ERROR, 0)
                  + stats.get("log_count/ERROR", 0)
                  + sum(value for key, value in stats.items()
                        if key.startswith(PAGES_ERROR)))
        queued = (stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0))
        elapsed = int(now - self.started)
        clock = f"{elapsed // 3600}:{elapsed // 60 % 60:02d}:{elapsed % 60:02d}"
        return (f"{getattr(self, 'name', 'crawl')}  {clock}  {pages:,} pages  {rate:,.0f}/min  "
                f"{articles:,} articles  {errors:,} errors  {max(queued, 0):,} queued")

    def draw(self):
        line = self.status()
        width = shutil.get_terminal_size((100, 24)).columns
        try:
            self.stream.write(CLEAR + line[:max(width - 1, 10)])
            self.stream.flush()
        except (OSError, ValueError):
            return
        self.drawn = True

    def clear(self):
        if self.drawn:
            try:
                self.stream.write(CLEAR)
                self.stream.flush()
            except (OSError, ValueError):
                pass
            self.drawn = False


class _ClearStatusLine(logging.Filter):
    def __init__(self, extension: ProgressExtension):
        super().__init__()
        self.extension = extension

    def filter(self, record):
        self.extension.clear()
        return True


class _RedrawStatusLine(logging.Handler):
    def __init__(self, extension: ProgressExtension):
        super().__init__()
        self.extension = extension

    def emit(self, record):
        if self.extension._loop is not None and self.extension._loop.running:
            self.extension.draw()
