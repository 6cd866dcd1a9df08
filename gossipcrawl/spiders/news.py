"""The one spider. It navigates; page objects extract; the profile says where to look.

Discovery, in priority order:

1. robots.txt: its `Sitemap:` lines (a profile's own `sitemaps` replace them); when it lists
   none, the usual WordPress locations, one after the other until one answers
   (`/sitemap_index.xml` of Yoast, core's `/wp-sitemap.xml`, `/sitemap.xml`,
   `/news-sitemap.xml`). Sitemap indexes are followed, except taxonomy and author
   sitemaps (their pages only list articles the post sitemaps already give).
2. Feeds: the profile's, those the start and listing pages announce with
   `<link rel="alternate" type="application/rss+xml">` (or Atom), else `/feed/`.
3. The start and listing pages, their pagination (`rel=next`, `/page/N/`, `?paged=N`) and the
   links of every page fetched, within the site's domains.

Every URL is canonicalized (`gossipcrawl.urls.canonicalize`: tracking parameters, fragment
and AMP suffix removed, w3lib's canonical form) before it is requested, and is requested at
most once. Bounds: `GOSSIPCRAWL_MAX_DEPTH` link hops from a start page, sitemap or feed
(pagination does not count), `GOSSIPCRAWL_MAX_PAGINATION` pages per listing (and no next
page after a page that links to nothing its previous page did not),
`GOSSIPCRAWL_MAX_PAGES_PER_TEMPLATE` non-article pages per URL shape (numbers masked),
`GOSSIPCRAWL_MAX_PAGES_PER_SITE` pages in all, `GOSSIPCRAWL_MAX_LINKS_PER_PAGE` links read
on one page; links shaped like date archives, calendars, reply/share/print variants are not
followed.

Incremental: with a state, a sitemap entry whose `lastmod` equals the one recorded at the
last crawl is not fetched, and the same URL found in a feed or on a listing page is not
fetched either unless the feed dates it later. Lastmods are staged as pages are extracted
and committed with the state, after the feed is stored.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from datetime import datetime, UTC
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import sitemap_urls_from_robots

from gossipcrawl.discovery import (DiscoveryError, feed_links, next_page_links, pagination_number,
                                   parse_feed, parse_sitemap, trap_reason, url_template)
from gossipcrawl.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from gossipcrawl.extract.dates import format_utc
from gossipcrawl.items import to_record
from gossipcrawl.job.extension import running_job
from gossipcrawl.pages.generic import GenericArticlePage, NotAnArticle
from gossipcrawl.pipelines.dedupe import DedupePipeline, NotDeliveredHere
from gossipcrawl.sites import SiteProfile, UnknownTarget, resolve_target
from gossipcrawl.state import StateError, new_crawl_id
from gossipcrawl.stats import (ARTICLES_EXTRACTED, DISCOVERY_DENIED, DISCOVERY_DEPTH_LIMITED,
                               DISCOVERY_FEEDS, DISCOVERY_FEEDS_ANNOUNCED, DISCOVERY_FEED_ERRORS,
                               DISCOVERY_FEED_MISSING, DISCOVERY_FEED_URLS,
                               DISCOVERY_LASTMODS_STAGED, DISCOVERY_LASTMOD_UNSUPPORTED,
                               DISCOVERY_LINKS_CUT, DISCOVERY_NEWS_SITEMAP_URLS,
                               DISCOVERY_NOT_ARTICLE_URL, DISCOVERY_OFFSITE,
                               DISCOVERY_PAGE_LIMIT_REACHED, DISCOVERY_PAGINATION_EXHAUSTED,
                               DISCOVERY_PAGINATION_LIMITED, DISCOVERY_REDIRECTED,
                               DISCOVERY_REQUESTS_PER_ARTICLE, DISCOVERY_ROBOTS_MISSING,
                               DISCOVERY_ROBOTS_SITEMAPS, DISCOVERY_SITEMAPS,
                               DISCOVERY_SITEMAP_ERRORS, DISCOVERY_SITEMAP_MISSING,
                               DISCOVERY_SITEMAP_URLS, DISCOVERY_SKIPPED_SITEMAPS,
                               DISCOVERY_TRAP_TEMPLATE_BUDGET, DISCOVERY_UNCHANGED_KNOWN,
                               DISCOVERY_UNCHANGED_LASTMOD, JOB_REPLAY_REFUSED, PAGES_FETCH_ERROR,
                               PAGES_IGNORED, PAGES_NOT_ARTICLE, PAGES_NOT_HTML, PAGES_SEEN,
                               discovery_requests, discovery_trap, page_error, page_http_status)
from gossipcrawl.urls import canonicalize, host_in_domains, url_key

logger = logging.getLogger(__name__)

# Tried in this order when robots.txt names no sitemap; the first that answers ends it.
DEFAULT_SITEMAP_PATHS = ("/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap.xml",
                         "/news-sitemap.xml")
DEFAULT_FEED_PATHS = ("/feed/",)
# Sub-sitemaps that list taxonomy, author or attachment pages, not articles.
SKIPPED_SITEMAP = re.compile(
    r"(?:^|[/_-])(?:category|post_tag|tag|author|attachment|format|product_cat|users?)"
    r"-sitemap\d*\.xml|wp-sitemap-(?:taxonomies|users)-", re.I)
# Links that never lead to an article page.
SKIPPED_LINK = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|tiff?|pdf|zip|gz|mp[34]|m4a|mov|avi|webm|css|js|"
    r"json|xml|rss|atom|txt|woff2?|ttf|eot)(?:$|\?)"
    r"|/(?:wp-admin|wp-json|wp-login\.php|xmlrpc\.php|cdn-cgi|wp-content|feed|embed|amp)"
    r"/?(?:$|[?#])"
    r"|/comment-page-\d+|/trackback/?$",
    re.I)
_LISTING_HINT = re.compile(r"/(?:page|category|categories|tag|tags|topics?|section|shows?|"
                           r"author|soaps?|news|spoilers|recaps?)/", re.I)
# Listing pages whose links the pagination-exhaustion check compares with their next page.
LISTING_PAGES_REMEMBERED = 512
# Pages a listing links to go before the listing's next page: the crawl finishes what it
# has found before it finds more, so the scheduler's queue holds about one listing page's
# links instead of racing down the pagination and queueing the whole site.
PRIORITY = {"robots": 40, "sitemap": 30, "feed": 30, "start": 20, "article": 10, "link": 10,
            "listing": 0}
# A sitemap or feed that could not be read; a robots.txt, sitemap or feed that was not there.
SOURCE_ERRORS = {"sitemap": DISCOVERY_SITEMAP_ERRORS, "feed": DISCOVERY_FEED_ERRORS}
SOURCE_MISSING = {"robots": DISCOVERY_ROBOTS_MISSING, "sitemap": DISCOVERY_SITEMAP_MISSING,
                  "feed": DISCOVERY_FEED_MISSING}


@functools.lru_cache(maxsize=16_384)
def _followable_url(base: str, href: str) -> str | None:
    """The canonical URL a link leads to, or None for links never followed (not http,
    images, feeds, admin pages). Cached: a site's pages repeat most of their links."""
    url = urljoin(base, href.strip())
    if not url.startswith(("http://", "https://")) or SKIPPED_LINK.search(url):
        return None
    return canonicalize(url)


class NewsSpider(scrapy.Spider):
    name = "news"
    # Bounds and switches, from the crawl's settings (set in from_crawler).
    max_pages: int
    follow_links: bool
    max_xml_bytes: int
    max_depth: int
    max_pagination: int
    max_per_template: int
    max_links_per_page: int
    page_params: dict[str, int]
    incremental: bool

    def __init__(self, target: str | None = None, crawl_id: str | None = None,
                 _job: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if not target:
            raise UnknownTarget("the news spider needs a target: -a target=PROFILE_OR_URL")
        self.profile: SiteProfile = resolve_target(target)
        self.allowed_domains = list(self.profile.domains)
        # `-a crawl_id=`, Scrapyd's job id, or a new one; a resumed job keeps its own.
        self.proposed_crawl_id = crawl_id or _job or new_crawl_id(self.profile.name)
        self._article_patterns = self.profile.compiled_article_patterns
        self._deny_patterns = self.profile.compiled_deny_patterns
        self._scheduled_pages = 0
        # Canonical URLs requested, or decided against, in this crawl.
        self._seen: set[str] = set()
        # The newest date a sitemap or feed of this crawl gave each URL, by canonical URL; the lastmods the state recorded for the URLs asked about; the URLs whose pages
        # this crawl has processed (an article: once its item went through the pipelines).
        self._stamps: dict[str, str] = {}
        self._recorded: dict[str, str | None] = {}
        self._judged_unchanged: set[str] = set()
        self._extracted: set[str] = set()
        # Non-article pages fetched per URL template (numbers masked).
        self._listing_templates: Counter[str] = Counter()
        # Link hashes of the latest listing pages whose next pages were requested, by
        # canonical URL (listings are walked page after page, so the latest few suffice).
        self._listing_links: dict[str, frozenset[int]] = {}

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
        spider.max_depth = settings.getint("GOSSIPCRAWL_MAX_DEPTH")
        spider.max_pagination = settings.getint("GOSSIPCRAWL_MAX_PAGINATION")
        spider.max_per_template = settings.getint("GOSSIPCRAWL_MAX_PAGES_PER_TEMPLATE")
        spider.max_links_per_page = settings.getint("GOSSIPCRAWL_MAX_LINKS_PER_PAGE")
        # What one page may cost to extract (gossipcrawl.extract.limits), handed to the page
        # object with each request.
        spider.page_params = {
            "max_extract_bytes": settings.getint("GOSSIPCRAWL_MAX_EXTRACT_BYTES"),
            "max_elements": settings.getint("GOSSIPCRAWL_MAX_ELEMENTS")}
        spider.incremental = (settings.getbool("GOSSIPCRAWL_INCREMENTAL")
                              and not settings.getbool("GOSSIPCRAWL_FRESH"))
        for signal in (signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(spider._item_settled, signal=signal)
        return spider

    def _item_settled(self, item, response=None, exception=None, **kwargs) -> None:
        if isinstance(exception, NotDeliveredHere):
            return   # another crawl delivers it, or none did: fetch the page next time too
        self._processed(response)

    @functools.cached_property
    def crawl_id(self) -> str:
        """What this crawl's items carry and its state rows are staged under: a resumable
        job's own id (kept across its runs), else the proposed one. Asked for once the
        crawl's components exist."""
        job = running_job(self.crawler)
        return job.crawl_id if job is not None else self.proposed_crawl_id

    @functools.cached_property
    def _dedupe(self) -> DedupePipeline | None:
        return self.crawler.get_item_pipeline(DedupePipeline)

    @property
    def state(self):
        """The dedupe pipeline's state store (None without one, or once committed)."""
        return self._dedupe.state if self._dedupe is not None else None

    # --- discovery --------------------------------------------------------------------

    async def start(self):
        for request in self._start_requests():
            yield request
        if not self.profile.sitemaps:
            for origin in self._origins():
                for request in await self._robots_sitemaps(origin):
                    yield request

    def _origins(self) -> list[str]:
        return list(dict.fromkeys(f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
                                  for url in self.profile.start_urls))

    def _start_requests(self):
        for url in self.profile.sitemaps:
            yield from self._request(url, self.parse_sitemap, kind="sitemap")
        for url in self.profile.feeds:
            yield from self._request(url, self.parse_feed, kind="feed")
        for url in self.profile.start_urls:
            yield from self._request(url, self.parse_page, kind="start", meta={"hops": 0})
        for url in self.profile.listing_pages:
            yield from self._request(url, self.parse_page, kind="listing", meta={"hops": 0})

    def _guessed_sitemap(self, origin: str, paths=DEFAULT_SITEMAP_PATHS):
        """The next usual sitemap location to try, the rest kept for when it is missing."""
        for index, path in enumerate(paths):
            if canonicalize(origin + path) not in self._seen:
                yield from self._request(origin + path, self.parse_sitemap, kind="sitemap",
                                         meta={"origin": origin,
                                               "sitemap_fallbacks": paths[index + 1:]})
                return

    async def _robots_sitemaps(self, origin: str) -> list[scrapy.Request]:
        """The sitemaps robots.txt names (else the usual locations), from the robots.txt
        the robots middleware fetched for the whole crawl."""
        robots = self.crawler.get_downloader_middleware(RobotsTxtMiddleware)
        if robots is None:
            # robots.txt is not obeyed (ROBOTSTXT_OBEY off): read it for its Sitemap lines.
            return list(self._request(origin + "/robots.txt", self.parse_robots, kind="robots",
                                      meta={"origin": origin, "dont_obey_robotstxt": True}))
        rules = await robots.robots_for(origin + "/")
        return list(self._robots_listed(origin, getattr(rules, "sitemaps", None) or []))

    def parse_robots(self, response):
        origin = response.meta["origin"]
        yield from self._robots_listed(
            origin, list(sitemap_urls_from_robots(response.body, base_url=origin)))

    def _robots_listed(self, origin: str, listed: list[str]):
        self.crawler.stats.inc_value(DISCOVERY_ROBOTS_SITEMAPS, len(listed))
        if not listed:
            yield from self._guessed_sitemap(origin)
        for url in listed:
            yield from self._request(url, self.parse_sitemap, kind="sitemap")

    def parse_sitemap(self, response):
        stats = self.crawler.stats
        try:
            sitemap = parse_sitemap(response.body, self.max_xml_bytes)
        except DiscoveryError as exc:
            self._bad_source(response, "sitemap", exc)
            yield from self._sitemap_fallback(response.request)
            return
        stats.inc_value(DISCOVERY_SITEMAPS)
        for entry in sitemap.entries:
            if sitemap.is_index:
                if SKIPPED_SITEMAP.search(entry.url):
                    stats.inc_value(DISCOVERY_SKIPPED_SITEMAPS)
                    continue
                yield from self._request(entry.url, self.parse_sitemap, kind="sitemap")
                continue
            if not self._is_article_url(entry.url):
                continue
            url = canonicalize(entry.url)
            stats.inc_value(DISCOVERY_SITEMAP_URLS)
            if entry.title or entry.published:
                stats.inc_value(DISCOVERY_NEWS_SITEMAP_URLS)
            # A Google News entry often has no lastmod: its publication date stands in.
            stamp = entry.lastmod or entry.published
            if stamp:
                self._note_stamp(url, stamp)
            if self._unchanged(url, DISCOVERY_UNCHANGED_LASTMOD):
                continue
            yield from self._request(url, self.parse_page, kind="article",
                                     meta={"hops": 0, "lastmod": stamp,
                                           "news_title": entry.title,
                                           "news_published": entry.published})

    def _sitemap_fallback(self, request):
        origin, rest = request.meta.get("origin"), request.meta.get("sitemap_fallbacks")
        if origin and rest:
            yield from self._guessed_sitemap(origin, rest)

    def parse_feed(self, response):
        try:
            entries = parse_feed(response.body, self.max_xml_bytes)
        except DiscoveryError as exc:
            self._bad_source(response, "feed", exc)
            return
        self.crawler.stats.inc_value(DISCOVERY_FEEDS)
        for entry in entries:
            if not self._is_article_url(entry.url):
                continue
            url = canonicalize(entry.url)
            self.crawler.stats.inc_value(DISCOVERY_FEED_URLS)
            stamp = entry.lastmod or entry.published
            if stamp:
                self._note_stamp(url, stamp)
            if self._unchanged(url, DISCOVERY_UNCHANGED_KNOWN):
                continue
            yield from self._request(url, self.parse_page, kind="article",
                                     meta={"hops": 0, "lastmod": stamp})

    # --- incremental discovery --------------------------------------------------------

    # An "unchanged" verdict never settles a URL: the same URL found later with a newer
    # date (a sitemap parsed after the listing that linked it, a feed) is fetched, whatever
    # order discovery happened in. The lastmod recorded for a page is the newest date any
    # sitemap or feed gave it when it was processed.

    def _unchanged(self, url: str, stat: str) -> bool:
        """True when the state recorded a lastmod for the URL and no sitemap or feed of this
        crawl dates it later (so far)."""
        if not self.incremental or self.state is None or url in self._seen:
            return False
        recorded = self._recorded_lastmod(url)
        newest = self._stamps.get(url)
        if recorded is None or (newest is not None and newest > recorded):
            return False
        if url not in self._judged_unchanged:   # counted once per URL, however often found
            self._judged_unchanged.add(url)
            self.crawler.stats.inc_value(stat)
        return True

    def _recorded_lastmod(self, url: str) -> str | None:
        """The lastmod the state recorded for a URL at the last committed crawl (asked once
        per URL and crawl: a site's pages link to the same URLs over and over)."""
        if url not in self._recorded:
            self._recorded[url] = self.state.lastmod(url_key(url))
        return self._recorded[url]

    def _note_stamp(self, url: str, stamp: str) -> None:
        """Remember the newest date a sitemap or feed gives a URL; a page already processed
        in this crawl (reached first by a link) gets it staged now."""
        if url in self._stamps and stamp <= self._stamps[url]:
            return
        self._stamps[url] = stamp
        if url in self._extracted:
            self._stage_lastmod(url, stamp)

    def _processed(self, response, **kwargs) -> None:
        """A page is done with: stage the lastmod that says it need not be fetched again
        (committed only with the state, once the feed is stored)."""
        discovered = response.meta.get("discovered") if response is not None else None
        if discovered and discovered not in self._extracted:
            self._extracted.add(discovered)
            self._stage_lastmod(discovered, self._stamps.get(discovered)
                                or response.meta.get("lastmod"))

    def _stage_lastmod(self, url: str | None, lastmod: str | None) -> None:
        state = self.state
        if not (url and lastmod and state is not None):
            return
        stage = getattr(state, "stage_lastmod", None)
        if stage is None:
            self.crawler.stats.set_value(DISCOVERY_LASTMOD_UNSUPPORTED, 1)
            return
        try:
            stage(url_key(url), lastmod)
        except StateError:
            return   # the dedupe pipeline reports the store's failure, and commits nothing
        self.crawler.stats.inc_value(DISCOVERY_LASTMODS_STAGED)

    # --- requests -----------------------------------------------------------------------

    def _is_article_url(self, url: str) -> bool:
        """Sitemaps and feeds of a profiled site list only its articles that match the
        profile's patterns (a whole-site sitemap also lists films, games, shop pages)."""
        if not self._article_patterns or any(
                pattern.search(canonicalize(url)) for pattern in self._article_patterns):
            return True
        self.crawler.stats.inc_value(DISCOVERY_NOT_ARTICLE_URL)
        return False

    def _bad_source(self, response, kind: str, error: Exception) -> None:
        self.crawler.stats.inc_value(SOURCE_ERRORS[kind])
        logger.warning("unreadable %s %s: %s", kind, response.url, error)

    def _request(self, url: str, callback, *, kind: str, meta: dict | None = None):
        """The request for a discovered URL; nothing when it must not be fetched (again)."""
        url = canonicalize(url)
        is_page = callback == self.parse_page
        if self._admit(url, is_page=is_page):
            self.crawler.stats.inc_value(discovery_requests(kind))
            meta = {**(meta or {}), "kind": kind, "discovered": url}
            if is_page:
                meta["page_params"] = self.page_params   # the page object's bounds
            yield scrapy.Request(url, callback=callback, priority=PRIORITY.get(kind, 0),
                                 errback=self.on_error, meta=meta)

    def _admit(self, url: str, *, is_page: bool) -> bool:
        """The crawl's policy for a canonical URL: once per crawl, the site's domains only,
        not denied by the profile, within the page bound."""
        stats = self.crawler.stats
        if url in self._seen:
            return False
        self._seen.add(url)
        if not host_in_domains(url, self.profile.domains):
            stats.inc_value(DISCOVERY_OFFSITE)
            return False
        if any(pattern.search(url) for pattern in self._deny_patterns):
            stats.inc_value(DISCOVERY_DENIED)
            return False
        if is_page:
            if self._scheduled_pages >= self.max_pages:
                stats.set_value(DISCOVERY_PAGE_LIMIT_REACHED, 1)
                return False
            self._scheduled_pages += 1
        return True

    def admit_replayed(self, request: scrapy.Request) -> bool:
        """A request a job's earlier run journaled and did not finish goes through the same
        policy as a new one (robots.txt and the allowed methods are the downloader's, for
        every request), and counts toward this run's bounds."""
        url = request.meta.get("discovered") or canonicalize(request.url)
        if self._admit(url, is_page=request.callback == self.parse_page):
            return True
        self.crawler.stats.inc_value(JOB_REPLAY_REFUSED)
        return False

    def on_error(self, failure):
        request = failure.request
        kind = request.meta.get("kind", "page")
        if kind in ("robots", "sitemap", "feed"):
            # Guessed locations that do not exist are normal, not crawl errors.
            self.crawler.stats.inc_value(SOURCE_MISSING[kind])
            logger.debug("no %s at %s: %s", kind, request.url, failure.value)
            if kind == "robots":
                yield from self._guessed_sitemap(request.meta["origin"])
            elif kind == "sitemap":
                yield from self._sitemap_fallback(request)
            return
        if kind == "start":
            yield from self._default_feeds()
        if failure.check(HttpError):
            # An error answer after its retries (404, 5xx, 429 given up): a page error.
            status = failure.value.response.status
            self.crawler.stats.inc_value(PAGES_FETCH_ERROR)
            self.crawler.stats.inc_value(page_http_status(status))
            logger.warning("could not fetch %s: HTTP %s", request.url, status)
            return
        if failure.check(IgnoreRequest):
            # Refused on purpose (robots.txt, offsite, method): policy, not an error.
            self.crawler.stats.inc_value(PAGES_IGNORED)
            logger.debug("not fetched %s: %s", request.url, failure.getErrorMessage())
            return
        self.crawler.stats.inc_value(PAGES_FETCH_ERROR)
        logger.warning("could not fetch %s: %s", request.url, failure.getErrorMessage())

    def _default_feeds(self):
        if not self.profile.feeds:
            for origin in self._origins():
                for path in DEFAULT_FEED_PATHS:
                    yield from self._request(origin + path, self.parse_feed, kind="feed")

    def closed(self, reason):
        stats = self.crawler.stats
        requests = stats.get_value("downloader/request_count", 0)
        articles = stats.get_value(ARTICLES_EXTRACTED, 0)
        if articles:
            # The crawl's cost: every request (robots.txt, sitemaps, retries included).
            stats.set_value(DISCOVERY_REQUESTS_PER_ARTICLE,
                            round(requests / articles, 2))

    # --- pages --------------------------------------------------------------------------

    async def parse_page(self, response, page: GenericArticlePage):
        stats = self.crawler.stats
        if response.meta.get("redirect_urls"):
            stats.inc_value(DISCOVERY_REDIRECTED)
            # The page is known under its final URL too: links to it are not requested.
            self._seen.add(canonicalize(response.url))
        if not isinstance(response, TextResponse):
            stats.inc_value(PAGES_NOT_HTML)
            logger.info("not an HTML page: %s", response.url)
            return
        stats.inc_value(PAGES_SEEN)
        try:
            article = await page.to_item()
        except NotAnArticle as exc:
            stats.inc_value(PAGES_NOT_ARTICLE)
            logger.debug("not an article: %s (%s)", response.url, exc.reason)
            article = None
        except Exception as exc:
            stats.inc_value(page_error(type(exc).__name__))
            logger.warning("extraction failed for %s: %s: %s", response.url,
                           type(exc).__name__, exc)
            return
        if article is not None:
            # Its lastmod is staged once the item went through the pipelines (`_processed`
            # on item_scraped or item_dropped): an item lost to an error is fetched again.
            stats.inc_value(ARTICLES_EXTRACTED)
            yield to_record(article, date_downloaded=format_utc(datetime.now(UTC)),
                            crawl_id=self.crawl_id)
        else:
            self._processed(response)
            self._listing_templates[url_template(response.meta.get("discovered",
                                                                   response.url))] += 1
        for request in self._follow(response, page, is_article=article is not None):
            yield request

    def _follow(self, response, page: GenericArticlePage, *, is_article: bool):
        """Requests for what a page links to: feeds and pagination of listing pages, then
        its links, within the bounds."""
        try:
            parsed = page.parsed
            root, base = parsed.root, parsed.base_url
        except Exception:
            return
        kind, hops = response.meta.get("kind"), response.meta.get("hops", self.max_depth)
        if not is_article and hops == 0:
            announced = feed_links(root, base)
            self.crawler.stats.inc_value(DISCOVERY_FEEDS_ANNOUNCED,
                                         len(announced))
            for url in announced:
                yield from self._request(url, self.parse_feed, kind="feed")
            if kind == "start" and not announced:
                yield from self._default_feeds()
        if not self.follow_links:
            return
        links, pages, content = self._page_links(parsed, response.url, is_article=is_article)
        if hops < self.max_depth:
            for url in links:
                if not self._unchanged(url, DISCOVERY_UNCHANGED_KNOWN):
                    yield from self._request(url, self.parse_page, kind="link",
                                             meta={"hops": hops + 1})
        elif links:
            self.crawler.stats.inc_value(DISCOVERY_DEPTH_LIMITED, len(links))
        if is_article:
            return
        # Pagination inherits the listing's depth. A page that links to nothing the page
        # before it did not (an empty page past the end, a trap ignoring the number) ends it.
        previous = self._listing_links.get(response.meta.get("listing_parent"))
        if previous is not None and content <= previous:
            self.crawler.stats.inc_value(DISCOVERY_PAGINATION_EXHAUSTED)
            return
        if not pages:
            return
        here = canonicalize(response.url)
        self._listing_links[here] = content
        if len(self._listing_links) > LISTING_PAGES_REMEMBERED:
            del self._listing_links[next(iter(self._listing_links))]
        for url, number in pages:
            if number > self.max_pagination:
                self.crawler.stats.set_value(DISCOVERY_PAGINATION_LIMITED, 1)
                continue
            yield from self._request(url, self.parse_page, kind="listing",
                                     meta={"hops": hops, "page_number": number,
                                           "listing_parent": here})

    def _page_links(self, parsed, page_url: str, *, is_article: bool):
        """(links, pagination, content): the page's followable links; its pagination
        links with their page numbers (listing pages only); the hashes of all its other
        links, followable or not (what tells one page of a listing from the next)."""
        stats = self.crawler.stats
        page_canonical = canonicalize(page_url)
        links, pages, seen = [], [], {page_canonical}
        root, base = parsed.root, parsed.base_url
        nexts = set() if is_article else {canonicalize(url) for url in next_page_links(root, base)}
        anchors = parsed.index.tagged("a")
        if 0 < self.max_links_per_page < len(anchors):
            stats.inc_value(DISCOVERY_LINKS_CUT)
            logger.info("only the first %d of %d links followed on %s "
                        "(GOSSIPCRAWL_MAX_LINKS_PER_PAGE)", self.max_links_per_page,
                        len(anchors), page_url)
            anchors = anchors[:self.max_links_per_page]
        for element in anchors:
            link = element.get("href")
            if link is None:
                continue
            rel = (element.get("rel") or "").lower().split()
            if "nofollow" in rel or "amphtml" in rel:
                continue
            url = _followable_url(base, link)
            if url is None or url in seen:
                continue
            seen.add(url)
            number = pagination_number(url)
            if number is not None or url in nexts:
                if not is_article and self._same_listing(page_canonical, url):
                    pages.append((url, number or 1))
                continue
            if url in self._seen:
                continue
            reason = trap_reason(url)
            if reason:
                stats.inc_value(discovery_trap(reason))
                continue
            is_article_url = any(pattern.search(url) for pattern in self._article_patterns)
            if self._article_patterns and not (is_article_url or _LISTING_HINT.search(url)):
                continue
            if is_article and not is_article_url and _LISTING_HINT.search(url):
                # From an article, taxonomy and author pages only repeat what the sitemaps
                # and the start page's listings give.
                continue
            if not is_article_url and (self._listing_templates[url_template(url)]
                                       >= self.max_per_template):
                stats.inc_value(DISCOVERY_TRAP_TEMPLATE_BUDGET)
                continue
            links.append(url)
        for url in nexts - seen:
            if self._same_listing(page_canonical, url):
                pages.append((url, pagination_number(url) or 1))
        paging = {url for url, _ in pages} | {page_canonical}
        return links, pages, frozenset(hash(url) for url in seen - paging)

    @staticmethod
    def _same_listing(page_url: str, url: str) -> bool:
        """Pagination of this listing, not a link to another listing's page 2."""
        def stem(value):
            parts = urlsplit(value)
            path = re.sub(r"/page/\d+/?$", "/", parts.path)
            return parts.netloc, path.rstrip("/")
        return stem(page_url) == stem(url)
