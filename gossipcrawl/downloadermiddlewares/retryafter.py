"""Downloader middlewares of gossipcrawl.

`RetryAfterMiddleware` handles "slow down" answers (429 Too Many Requests, 503 Service
Unavailable) in place of Scrapy's RetryMiddleware, which retries them at once.

How it waits without blocking the reactor: a 429/503 puts the response's *host* on hold
until `now + delay`, where the delay is the `Retry-After` header (seconds or an HTTP date),
capped by `GOSSIPCRAWL_RETRY_AFTER_MAX`, or, without the header, an exponential backoff
(`GOSSIPCRAWL_BACKOFF_BASE * 2**attempt`, capped by `GOSSIPCRAWL_BACKOFF_MAX`). The retry
request is handed back to the scheduler at once, and the requests of the host already waiting
in its download slot wait until the hold ends too. `process_request` is a coroutine: any
request for a held host (the retry and every other request to that site) awaits a
Twisted timer (`deferLater`) until the hold ends, then goes on to the download slot. The
reactor keeps serving other hosts meanwhile, and the site sees no request during its hold,
which is what the server asked for. Retries count against `RETRY_TIMES` and are reported
under Scrapy's usual `retry/*` stats.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from gossipcrawl.stats import (RETRY_AFTER_HONOURED, RETRY_BACKOFF, RETRY_HELD_REQUESTS,
                               RETRY_MAX_DELAY)

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP-date), or None
    when it is absent or unreadable. A date in the past means no wait."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.codes = frozenset(int(code) for code in
                               settings.getlist("GOSSIPCRAWL_BACKOFF_HTTP_CODES"))
        self.retry_after_max = settings.getfloat("GOSSIPCRAWL_RETRY_AFTER_MAX")
        self.backoff_base = settings.getfloat("GOSSIPCRAWL_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("GOSSIPCRAWL_BACKOFF_MAX")
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self._hold_until: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RETRY_ENABLED") or not crawler.settings.getlist(
                "GOSSIPCRAWL_BACKOFF_HTTP_CODES"):
            raise NotConfigured
        middleware = cls(crawler)
        # The downloader sends the slot's next request as soon as a download ends, before
        # the answer reaches process_response: the hold must start when the answer arrives.
        crawler.signals.connect(middleware.response_downloaded,
                                signal=signals.response_downloaded)
        return middleware

    @staticmethod
    def _host(url: str) -> str:
        return (urlsplit(url).netloc or "").lower()

    def _hold_slot(self, request, until: float) -> None:
        """Requests of the host that passed this middleware before the 429 wait in their
        download slot: the slot is made to believe its last request went out at `until`, so
        it sends nothing before then (Scrapy's slot only looks at that when it has a delay:
        a slot without one gets the smallest)."""
        try:
            downloader = self.crawler.engine.downloader
        except RuntimeError:
            return   # no engine: the middleware on its own (its unit tests)
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.lastseen = max(slot.lastseen, until)
            if not slot.delay:
                slot.delay = 0.001

    async def process_request(self, request, spider=None):
        host = self._host(request.url)
        while True:
            wait = self._hold_until.get(host, 0.0) - time.monotonic()
            if wait <= 0:
                return None
            from twisted.internet import reactor  # the installed one, imported late

            self.stats.inc_value(RETRY_HELD_REQUESTS)
            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))

    def _delay(self, request, response) -> tuple[float, bool]:
        """How long the host is held after this answer, and whether Retry-After said so."""
        header = retry_after_seconds(response.headers.get("Retry-After"))
        if header is not None:
            return min(header, self.retry_after_max), True
        attempt = request.meta.get("retry_times", 0)
        return min(self.backoff_base * (2 ** attempt), self.backoff_max), False

    def _hold(self, request, delay: float) -> None:
        host = self._host(request.url)
        until = time.monotonic() + delay
        self._hold_until[host] = max(self._hold_until.get(host, 0.0), until)
        self._hold_slot(request, until)

    def response_downloaded(self, response, request, spider=None):
        if response.status in self.codes and not request.meta.get("dont_retry"):
            self._hold(request, self._delay(request, response)[0])

    def process_response(self, request, response, spider=None):
        if response.status not in self.codes or request.meta.get("dont_retry"):
            return response
        attempt = request.meta.get("retry_times", 0)
        delay, told = self._delay(request, response)
        self.stats.inc_value(RETRY_AFTER_HONOURED if told else RETRY_BACKOFF)
        retry = get_retry_request(request, spider=self.crawler.spider,
                                  reason=str(response.status),
                                  max_retry_times=request.meta.get("max_retry_times",
                                                                   self.max_retry_times))
        if retry is None:
            return response
        self._hold(request, delay)   # also for answers that bypassed the downloader (a cache)
        self.stats.max_value(RETRY_MAX_DELAY, round(delay, 3))
        logger.info("%s answered %s: holding %s for %.1fs before retry %d", request.url,
                    response.status, self._host(request.url), delay, attempt + 1)
        return retry
