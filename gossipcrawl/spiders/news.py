"""The one spider. It navigates; page objects extract; the profile says where to look.

Discovery order: the profile's sitemaps (else the `Sitemap:` lines of robots.txt, else the
usual WordPress sitemap paths), its feeds (else `/feed/`), its start and listing pages, then
the links of every page it fetches, within the site's domains, the depth limit and the page
budget. Every URL is stripped of tracking parameters before it is requested, so an article
reached by several routes is fetched once.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.sitemap import sitemap_urls_from_robots

from gossipcrawl.discovery import DiscoveryError, parse_feed, parse_sitemap
from gossipcrawl.extract.dates import format_utc
from gossipcrawl.items import to_record
from gossipcrawl.pages.generic import GenericArticlePage, NotAnArticle
from gossipcrawl.sites import SiteProfile, UnknownTarget, resolve_target
from gossipcrawl.urls import host_in_domains, strip_tracking

logger = logging.getLogger(__name__)

DEFAULT_SITEMAP_PATHS = ("/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap.xml",
                         "/news-sitemap.xml")
DEFAULT_FEED_PATHS = ("/feed/",)
# Links that never lead to an article page.
SKIPPED_LINK = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|zip|gz|mp[34]|m4a|mov|avi|webm|css|js|"
    r"json|xml|rss|atom|txt|woff2?|ttf|eot)(?:$|\?)"
    r"|/(?:wp-admin|wp-json|wp-login\.php|xmlrpc\.php|cdn-cgi|wp-content|feed|embed|amp)/?(?:$|[?#])"
    r"|/comment-page-\d+|[?&](?:replytocom|share|print|s|amp|output)=|/trackback/?$",
    re.I)
_LISTING_HINT = re.compile(r"/(?:page|category|categories|tag|tags|topics?|section|shows?|"
                           r"author|soaps?|news|spoilers|recaps?)/", re.I)


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, target: str | None = None, crawl_id: str | None = None,
                 _job: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if not target:
            raise UnknownTarget("the news spider needs a target: -a target=PROFILE_OR_URL")
        self.profile: SiteProfile = resolve_target(target)
        self.allowed_domains = list(self.profile.domains)
        self.crawl_id = crawl_id or _job or (
            f"{self.profile.name}-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-"
            f"{uuid.uuid4().hex[:6]}")
        self._article_patterns = self.profile.compiled_article_patterns
        self._deny_patterns = self.profile.compiled_deny_patterns
        self._scheduled_pages = 0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        # The profile's politeness, unless the operator set it on the command line.
        for name, value in (("DOWNLOAD_DELAY", spider.profile.download_delay),
                            ("CONCURRENT_REQUESTS_PER_DOMAIN", spider.profile.concurrency)):
            if settings.getpriority(name) < 40:
                settings.set(name, value, priority="spider")
        for name, value in spider.profile.settings.items():
            if settings.getpriority(name) < 40:
                settings.set(name, value, priority="spider")
        spider.max_pages = settings.getint("GOSSIPCRAWL_MAX_PAGES_PER_SITE")
        spider.follow_links = settings.getbool("GOSSIPCRAWL_FOLLOW_LINKS")
        spider.max_xml_bytes = settings.getint("GOSSIPCRAWL_MAX_XML_BYTES")
        return spider

    # --- discovery --------------------------------------------------------------------

    async def start(self):
        for request in self._start_requests():
            yield request

    def _start_requests(self):
        origins = dict.fromkeys(f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
                                for url in self.profile.start_urls)
        if self.profile.sitemaps:
            for url in self.profile.sitemaps:
                yield from self._request(url, self.parse_sitemap, kind="sitemap")
        else:
            for origin in origins:
                yield from self._request(origin + "/robots.txt", self.parse_robots, kind="robots",
                                    meta={"origin": origin, "dont_obey_robotstxt": True})
        for url in self.profile.feeds or [origin + path for origin in origins
                                          for path in DEFAULT_FEED_PATHS]:
            yield from self._request(url, self.parse_feed, kind="feed")
        for url in (*self.profile.start_urls, *self.profile.listing_pages):
            yield from self._request(url, self.parse_page, kind="listing")

    def parse_robots(self, response):
        origin = response.meta["origin"]
        listed = [url for url in sitemap_urls_from_robots(response.body, base_url=origin)]
        for url in listed or [origin + path for path in DEFAULT_SITEMAP_PATHS]:
            yield from self._request(url, self.parse_sitemap, kind="sitemap")

    def parse_sitemap(self, response):
        try:
            sitemap = parse_sitemap(response.body, self.max_xml_bytes)
        except DiscoveryError as exc:
            self._bad_source(response, "sitemap", exc)
            return
        self.crawler.stats.inc_value("gossipcrawl/discovery/sitemaps")
        for entry in sitemap.entries:
            if sitemap.is_index:
                yield from self._request(entry.url, self.parse_sitemap, kind="sitemap")
            elif self._is_article_url(entry.url):
                self.crawler.stats.inc_value("gossipcrawl/discovery/sitemap_urls")
                yield from self._request(entry.url, self.parse_page, kind="article",
                                         meta={"lastmod": entry.lastmod})

    def parse_feed(self, response):
        try:
            entries = parse_feed(response.body, self.max_xml_bytes)
        except DiscoveryError as exc:
            self._bad_source(response, "feed", exc)
            return
        self.crawler.stats.inc_value("gossipcrawl/discovery/feeds")
        for entry in entries:
            if self._is_article_url(entry.url):
                self.crawler.stats.inc_value("gossipcrawl/discovery/feed_urls")
                yield from self._request(entry.url, self.parse_page, kind="article")

    def _is_article_url(self, url: str) -> bool:
        """Sitemaps and feeds of a profiled site list only its articles that match the
        profile's patterns (a whole-site sitemap also lists films, games, shop pages)."""
        if not self._article_patterns or any(
                pattern.search(strip_tracking(url)) for pattern in self._article_patterns):
            return True
        self.crawler.stats.inc_value("gossipcrawl/discovery/not_article_url")
        return False

    def _bad_source(self, response, kind: str, error: Exception) -> None:
        self.crawler.stats.inc_value(f"gossipcrawl/discovery/{kind}_errors")
        logger.warning("unreadable %s %s: %s", kind, response.url, error)

    def _request(self, url: str, callback, *, kind: str, meta: dict | None = None):
        """The request for a discovered URL; nothing when it must not be fetched."""
        url = strip_tracking(url)
        if not host_in_domains(url, self.profile.domains):
            self.crawler.stats.inc_value("gossipcrawl/discovery/offsite")
            return
        if any(pattern.search(url) for pattern in self._deny_patterns):
            self.crawler.stats.inc_value("gossipcrawl/discovery/denied")
            return
        if callback == self.parse_page:
            if self._scheduled_pages >= self.max_pages:
                self.crawler.stats.set_value("gossipcrawl/discovery/page_limit_reached", 1)
                return
            self._scheduled_pages += 1
        priority = {"robots": 30, "sitemap": 20, "feed": 20, "article": 10}.get(kind, 0)
        yield scrapy.Request(url, callback=callback, priority=priority,
                             errback=self.on_error, meta={**(meta or {}), "kind": kind})

    def on_error(self, failure):
        request = failure.request
        kind = request.meta.get("kind", "page")
        if kind in ("robots", "sitemap", "feed"):
            # Guessed locations that do not exist are normal, not crawl errors.
            self.crawler.stats.inc_value(f"gossipcrawl/discovery/{kind}_missing")
            logger.debug("no %s at %s: %s", kind, request.url, failure.value)
            if kind == "robots":
                origin = request.meta["origin"]
                for path in DEFAULT_SITEMAP_PATHS:
                    yield from self._request(origin + path, self.parse_sitemap, kind="sitemap")
            return
        if failure.check(IgnoreRequest):
            # Refused on purpose (robots.txt, offsite, method): policy, not an error.
            self.crawler.stats.inc_value("gossipcrawl/pages/ignored")
            logger.debug("not fetched %s: %s", request.url, failure.getErrorMessage())
            return
        self.crawler.stats.inc_value("gossipcrawl/pages/fetch_error")
        logger.warning("could not fetch %s: %s", request.url, failure.getErrorMessage())

    # --- pages --------------------------------------------------------------------------

    async def parse_page(self, response, page: GenericArticlePage):
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("gossipcrawl/pages/not_html")
            logger.info("not an HTML page: %s", response.url)
            return
        stats.inc_value("gossipcrawl/pages/seen")
        try:
            article = await page.to_item()
        except NotAnArticle as exc:
            stats.inc_value("gossipcrawl/pages/not_article")
            logger.debug("not an article: %s (%s)", response.url, exc.reason)
            article = None
        except Exception as exc:  # noqa: BLE001 - a broken page must never stop the crawl
            stats.inc_value(f"gossipcrawl/pages/error/{type(exc).__name__}")
            logger.warning("extraction failed for %s: %s: %s", response.url,
                           type(exc).__name__, exc)
            return
        if article is not None:
            stats.inc_value("gossipcrawl/articles/extracted")
            yield to_record(article, date_downloaded=format_utc(datetime.now(timezone.utc)),
                            crawl_id=self.crawl_id)
        if self.follow_links:
            for url in self._page_links(page, response.url):
                for request in self._request(url, self.parse_page, kind="listing"):
                    yield request

    def _page_links(self, page: GenericArticlePage, page_url: str):
        try:
            root, base = page.root, page.base_url
        except Exception:  # noqa: BLE001 - an unparseable page has no links to follow
            return
        seen = set()
        for element, attribute, link, _ in root.iterlinks():
            if element.tag != "a" and not (element.tag == "link"
                                           and element.get("rel", "").lower() == "next"):
                continue
            if element.get("rel", "").lower() in ("nofollow", "amphtml"):
                continue
            url = urljoin(base, link.strip())
            if not url.startswith(("http://", "https://")) or SKIPPED_LINK.search(url):
                continue
            url = strip_tracking(url)
            if url in seen or url == page_url:
                continue
            seen.add(url)
            if self._article_patterns and not (
                    any(pattern.search(url) for pattern in self._article_patterns)
                    or _LISTING_HINT.search(url)):
                continue
            yield url
