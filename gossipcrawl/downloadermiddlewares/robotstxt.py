"""robots.txt, fetched once per host and obeyed by every request, including replayed ones.

`RobotsTxtMiddleware` takes the place of Scrapy's (`DOWNLOADER_MIDDLEWARES` turns Scrapy's off)
for three reasons:

- Scrapy 2.19's middleware hands the parsed robots.txt only to the first of the requests
  that wait for it: its waiters all await one Deferred, and an awaiting future's callback
  passes `None` on to the next one, which then counts as "no robots.txt" and is let through.
  A crawl's first burst (start pages, feeds, a resumed job's replayed requests) raced past
  robots.txt that way. Here every waiter awaits its own future.
- The spider needs robots.txt too, for its `Sitemap:` lines. It asks this middleware
  (`robots_for(url)`), so a crawl fetches robots.txt once per host, not twice.
- RFC 9309's rules for a robots.txt that cannot be read: a 4xx answer means no rules; a
  5xx answer (and 429, as the big crawlers treat it) or an unreachable host means "disallow
  everything" (Scrapy allows everything then). The refusals count as `robotstxt/forbidden` like any other, and
  `gossipcrawl/robots/unavailable` counts the hosts whose robots.txt could not be read.

The parsed file is a `SitemapRobotParser` (`ROBOTSTXT_PARSER`): Scrapy's Protego parser
with the file's `Sitemap:` URLs as `sitemaps`.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.misc import build_from_crawler, load_object

from gossipcrawl.stats import ROBOTS_UNAVAILABLE

logger = logging.getLogger(__name__)

# robots.txt goes before anything else of its host.
ROBOTS_PRIORITY = 1000


class SitemapRobotParser(ProtegoRobotParser):
    """Protego's parser, keeping the `Sitemap:` lines of the file."""

    @property
    def sitemaps(self) -> list[str]:
        return list(self.rp.sitemaps)


class DisallowAll:
    """The rules of a host whose robots.txt answered 5xx or could not be fetched."""

    sitemaps: list[str] = []

    def __init__(self, reason: str):
        self.reason = reason

    def allowed(self, url, user_agent) -> bool:
        return False

    def crawl_delay(self, user_agent) -> float | None:
        return None


class RobotsTxtMiddleware:
    def __init__(self, crawler):
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        self.default_user_agent = settings["USER_AGENT"]
        self.robots_user_agent = settings["ROBOTSTXT_USER_AGENT"]
        self.parser_class = load_object(settings["ROBOTSTXT_PARSER"])
        # host (netloc) -> its parsed rules, or the fetch in progress
        self._rules: dict[str, object] = {}
        self._fetches: dict[str, asyncio.Future] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request, spider=None):
        if request.meta.get("dont_obey_robotstxt") or request.url.startswith(("data:", "file:")):
            return None
        rules = await self.robots_for(request.url)
        user_agent = self.robots_user_agent or request.headers.get(
            b"User-Agent", self.default_user_agent)
        if rules is not None and not rules.allowed(request.url, user_agent):
            self.stats.inc_value("robotstxt/forbidden")
            reason = getattr(rules, "reason", "")
            logger.debug("Forbidden by robots.txt%s: %s", f" ({reason})" if reason else "",
                         request)
            raise IgnoreRequest("Forbidden by robots.txt" + (f" ({reason})" if reason else ""))
        return None

    async def robots_for(self, url: str):
        """The rules of `url`'s host, fetched on first use; every caller waiting for the
        same fetch gets the same rules."""
        parts = urlsplit(url)
        netloc = parts.netloc
        if netloc in self._rules:
            return self._rules[netloc]
        fetch = self._fetches.get(netloc)
        if fetch is not None:
            # asyncio.shield: a cancelled waiter must not cancel the fetch for the others.
            return await asyncio.shield(fetch)
        fetch = asyncio.get_running_loop().create_future()
        self._fetches[netloc] = fetch
        try:
            rules = await self._fetch(f"{parts.scheme}://{netloc}/robots.txt")
        except BaseException as exc:  # a bug or a cancelled crawl: no waiter may hang
            rules = self._unavailable(f"{parts.scheme}://{netloc}/robots.txt", _describe(exc))
            raise
        finally:
            self._rules[netloc] = rules
            del self._fetches[netloc]
            fetch.set_result(rules)
        return rules

    async def _fetch(self, robots_url: str):
        request = Request(robots_url, priority=ROBOTS_PRIORITY, callback=NO_CALLBACK,
                          meta={"dont_obey_robotstxt": True})
        self.stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(request)
        except IgnoreRequest as exc:
            # A host that never answered (gossipcrawl.downloadermiddlewares.unreachable
            # closes the crawl and says so) or a refusal by another middleware.
            return self._unavailable(robots_url, str(exc) or "refused", quiet=True)
        except Exception as exc:
            return self._unavailable(robots_url, _describe(exc))
        self.stats.inc_value("robotstxt/response_count")
        self.stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        if response.status >= 500 or response.status == 429:
            return self._unavailable(robots_url, f"HTTP {response.status}")
        body = response.body if response.status < 400 else b""
        rules = build_from_crawler(self.parser_class, self.crawler, body)
        await self.crawler.signals.send_catch_log_async(
            signal=signals.robots_parsed, robotparser=rules, request=request)
        return rules

    def _unavailable(self, robots_url: str, reason: str, *, quiet: bool = False) -> DisallowAll:
        self.stats.inc_value(ROBOTS_UNAVAILABLE)
        logger.log(logging.INFO if quiet else logging.WARNING,
                   "robots.txt unavailable (%s): %s; nothing of this host is fetched",
                   reason, robots_url)
        return DisallowAll(f"robots.txt unavailable: {reason}")


def _describe(exc: BaseException) -> str:
    """A one-line reason for a failed download (DNS, refused, timeout, ...)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
