"""Give up quickly on a site that cannot be reached at all.

Without this, a crawl of a host whose name does not resolve, or that refuses connections,
retried every URL it knew (robots.txt, sitemaps, feeds, start and listing pages) four times
with the site's delay between attempts, for about two minutes, and ended as a crawl whose
monitors failed. Here:

- a host that has never answered is not retried on a connection error (its requests are
  given up at once: `SiteUnreachable`, an `IgnoreRequest`, so neither the robots.txt
  middleware nor the spider logs them as errors with tracebacks);
- when its robots.txt (always the first request to a host: gossipcrawl's robots.txt
  middleware holds every other one until it is read) has failed that way, the crawl closes
  at once with the finish reason `site_unreachable`: with no robots.txt, nothing of the host
  may be fetched (RFC 9309), so there is nothing left to crawl. The stat
  `gossipcrawl/unreachable` says which host and why ("soapdirt.com: DNS lookup failed").
  `gossipcrawl crawl` reports it in one line and exits 4.

A host that has answered once is never judged here: a site that fails in the middle of a
crawl gets Scrapy's usual retries and its errors count against the page-error monitor.

Ordered after RetryMiddleware (a higher number): downloader exceptions reach this
middleware first.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import ConnectError

from gossipcrawl.extensions.outcome import UNREACHABLE_REASON
from gossipcrawl.stats import UNREACHABLE_HOST, UNREACHABLE_REQUESTS

logger = logging.getLogger(__name__)

CONNECTION_ERRORS = (CannotResolveHostError, DownloadConnectionRefusedError,
                     DownloadTimeoutError, ConnectError)


class SiteUnreachable(IgnoreRequest):
    """A request to a host that has never answered failed to connect: not retried."""


def describe(exception: Exception) -> str:
    """What went wrong, as an operator would say it."""
    if isinstance(exception, CannotResolveHostError):
        return "DNS lookup failed"
    if isinstance(exception, DownloadConnectionRefusedError):
        return "connection refused"
    if isinstance(exception, DownloadTimeoutError):
        return "no answer (timed out)"
    return f"cannot connect ({exception})"


class UnreachableSiteMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.answered: set[str] = set()             # hosts that answered at least once
        self.failures: dict[str, dict[str, str]] = {}  # host -> {"robots"/"page": why}
        self.closing = False
        self.unreachable: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if self.closing and urlparse_cached(request).netloc in self.unreachable:
            raise SiteUnreachable(f"{urlparse_cached(request).netloc}: unreachable")

    def process_response(self, request, response):
        self.answered.add(urlparse_cached(request).netloc)
        return response

    def _drop_delay(self, request) -> None:
        """The requests already queued for the host wait their politeness delay one after
        the other before the crawl can close; with the host unreachable there is nobody to
        be polite to. (The slot's delay is what AutoThrottle adjusts too.)"""
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.delay = 0

    def process_exception(self, request, exception):
        if not isinstance(exception, CONNECTION_ERRORS):
            return
        parts = urlparse_cached(request)
        host = parts.netloc
        if host in self.answered:
            return  # a site that answered before: RetryMiddleware's business
        why = describe(exception)
        self.crawler.stats.inc_value(UNREACHABLE_REQUESTS)
        role = "robots" if parts.path == "/robots.txt" else "page"
        failed = self.failures.setdefault(host, {})
        failed.setdefault(role, why)
        if "robots" in failed and not self.closing:
            self.closing = True
            self.unreachable.add(host)
            self.crawler.stats.set_value(UNREACHABLE_HOST, f"{host}: {failed['robots']}")
            logger.info("cannot reach %s: %s; closing the crawl", host, failed["robots"])
            self._drop_delay(request)
            closing = deferred_from_coro(
                self.crawler.engine.close_spider_async(reason=UNREACHABLE_REASON))
            closing.addErrback(lambda failure: logger.error(
                "could not close the crawl: %s", failure.getErrorMessage()))
        logger.info("not retried: %s (%s has never answered)", request.url, host)
        raise SiteUnreachable(f"{host}: {why}")
