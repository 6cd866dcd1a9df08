"""The names of gossipcrawl's crawl stats, and what a component reads from them.

Components count what happens in the crawl's stats (`crawler.stats`), under
`gossipcrawl/<area>/<what>`; the monitors, the crawl report, the status line and the
command line read them, and operators' dashboards and Spidermon rules rely on the names.
Every `gossipcrawl/...` stat is named here, once, and nowhere else (tests/test_stats.py
checks it, and that docs/operations.md lists them all): a constant per stat, and for a
family whose last part varies (`gossipcrawl/pages/error/<exception>`) a prefix constant
ending in "/" and a function that names one member.
"""

from __future__ import annotations

# --- discovery (gossipcrawl.spiders.news): where URLs came from, and why some were not requested
# Sitemap URLs robots.txt listed; sitemaps read; index entries skipped (taxonomy, author).
DISCOVERY_ROBOTS_SITEMAPS = "gossipcrawl/discovery/robots_sitemaps"
DISCOVERY_SITEMAPS = "gossipcrawl/discovery/sitemaps"
DISCOVERY_SKIPPED_SITEMAPS = "gossipcrawl/discovery/skipped_sitemaps"
# Article URLs sitemaps listed; those with Google News tags (a title or publication date).
DISCOVERY_SITEMAP_URLS = "gossipcrawl/discovery/sitemap_urls"
DISCOVERY_NEWS_SITEMAP_URLS = "gossipcrawl/discovery/news_sitemap_urls"
# Feeds read; article URLs they listed; feeds announced by listing pages' `<link>` tags.
DISCOVERY_FEEDS = "gossipcrawl/discovery/feeds"
DISCOVERY_FEED_URLS = "gossipcrawl/discovery/feed_urls"
DISCOVERY_FEEDS_ANNOUNCED = "gossipcrawl/discovery/feeds_announced"
# Sitemaps and feeds that could not be read (malformed, too large).
DISCOVERY_SITEMAP_ERRORS = "gossipcrawl/discovery/sitemap_errors"
DISCOVERY_FEED_ERRORS = "gossipcrawl/discovery/feed_errors"
# robots.txt, sitemaps and feeds that were not there (guessed locations): not errors.
DISCOVERY_ROBOTS_MISSING = "gossipcrawl/discovery/robots_missing"
DISCOVERY_SITEMAP_MISSING = "gossipcrawl/discovery/sitemap_missing"
DISCOVERY_FEED_MISSING = "gossipcrawl/discovery/feed_missing"
# Incremental crawls: URLs not fetched because the state's lastmod is current, judged from a
# sitemap's lastmod or (feeds and links) from what the state knows; once per URL.
DISCOVERY_UNCHANGED_LASTMOD = "gossipcrawl/discovery/unchanged_lastmod"
DISCOVERY_UNCHANGED_KNOWN = "gossipcrawl/discovery/unchanged_known"
# Lastmods staged for the state's commit; 1 when the state cannot stage them.
DISCOVERY_LASTMODS_STAGED = "gossipcrawl/discovery/lastmods_staged"
DISCOVERY_LASTMOD_UNSUPPORTED = "gossipcrawl/discovery/lastmod_unsupported"
# Sitemap and feed entries the profile's article patterns refused.
DISCOVERY_NOT_ARTICLE_URL = "gossipcrawl/discovery/not_article_url"
# Requests made, by kind of what was discovered (robots, sitemap, feed, start, article,
# link, listing).
DISCOVERY_REQUESTS = "gossipcrawl/discovery/requests/"
# URLs not requested: outside the site's domains; denied by the profile.
DISCOVERY_OFFSITE = "gossipcrawl/discovery/offsite"
DISCOVERY_DENIED = "gossipcrawl/discovery/denied"
# Bounds reached (1 when reached): GOSSIPCRAWL_MAX_PAGES_PER_SITE, GOSSIPCRAWL_MAX_PAGINATION.
DISCOVERY_PAGE_LIMIT_REACHED = "gossipcrawl/discovery/page_limit_reached"
DISCOVERY_PAGINATION_LIMITED = "gossipcrawl/discovery/pagination_limited"
# Links not followed past GOSSIPCRAWL_MAX_DEPTH; listings ended by a page with nothing new;
# pages whose links were cut at GOSSIPCRAWL_MAX_LINKS_PER_PAGE.
DISCOVERY_DEPTH_LIMITED = "gossipcrawl/discovery/depth_limited"
DISCOVERY_PAGINATION_EXHAUSTED = "gossipcrawl/discovery/pagination_exhausted"
DISCOVERY_LINKS_CUT = "gossipcrawl/discovery/links_cut"
# Links not followed as traps, by reason (gossipcrawl.discovery.trap_reason, and
# template_budget: GOSSIPCRAWL_MAX_PAGES_PER_TEMPLATE non-article pages of one URL shape).
DISCOVERY_TRAP = "gossipcrawl/discovery/trap/"
DISCOVERY_TRAP_TEMPLATE_BUDGET = DISCOVERY_TRAP + "template_budget"
# Pages answered from another URL (a redirect).
DISCOVERY_REDIRECTED = "gossipcrawl/discovery/redirected"
# The crawl's cost: requests (all of them) per article extracted.
DISCOVERY_REQUESTS_PER_ARTICLE = "gossipcrawl/discovery/requests_per_article"

# --- pages (gossipcrawl.spiders.news, gossipcrawl.pages): HTML pages fetched and read
# Pages read (articles and listings); not HTML; not articles.
PAGES_SEEN = "gossipcrawl/pages/seen"
PAGES_NOT_HTML = "gossipcrawl/pages/not_html"
PAGES_NOT_ARTICLE = "gossipcrawl/pages/not_article"
# Pages that could not be fetched (after retries), and their HTTP error status.
PAGES_FETCH_ERROR = "gossipcrawl/pages/fetch_error"
PAGES_HTTP_STATUS = "gossipcrawl/pages/http_status/"
# Requests refused on purpose (robots.txt, offsite, method): policy, not errors.
PAGES_IGNORED = "gossipcrawl/pages/ignored"
# Pages whose extraction raised, by exception class name.
PAGES_ERROR = "gossipcrawl/pages/error/"
# Pages cut before extraction: bytes (GOSSIPCRAWL_MAX_EXTRACT_BYTES), elements
# (GOSSIPCRAWL_MAX_ELEMENTS).
PAGES_CUT = "gossipcrawl/pages/cut/"

# --- articles (gossipcrawl.spiders.news): what extraction gave
# Articles extracted from pages (before validation and dedupe).
ARTICLES_EXTRACTED = "gossipcrawl/articles/extracted"

# --- coverage (gossipcrawl.pipelines.coverage): how complete the extracted articles are
# Articles seen by the pipelines, and those with a non-empty value of each field.
COVERAGE_ARTICLES = "gossipcrawl/coverage/articles"
COVERAGE = "gossipcrawl/coverage/"

# --- items (gossipcrawl.pipelines.validate, .dedupe): what became of the articles
# Valid against the schema; dropped as invalid, in all and by field.
ITEMS_VALID = "gossipcrawl/items/valid"
ITEMS_DROPPED_INVALID = "gossipcrawl/items/dropped/invalid"
ITEMS_DROPPED_INVALID_FIELD = ITEMS_DROPPED_INVALID + "/"
# Dropped by the dedupe pipeline, by reason (duplicate_url, duplicate_content,
# in_flight_elsewhere, state_unavailable), and as invalid (above).
ITEMS_DROPPED = "gossipcrawl/items/dropped/"
# Emitted to the feed (new + changed); new to the state; changed since; not emitted as unchanged.
ITEMS_EMITTED = "gossipcrawl/items/emitted"
ITEMS_NEW = "gossipcrawl/items/new"
ITEMS_CHANGED = "gossipcrawl/items/changed"
ITEMS_UNCHANGED = "gossipcrawl/items/unchanged"

# --- stories (gossipcrawl.pipelines.story): story clustering (storyId)
# Emitted articles that started a story; that joined an earlier article's story.
STORIES_NEW = "gossipcrawl/stories/new"
STORIES_JOINED = "gossipcrawl/stories/joined"

# --- feeds (gossipcrawl.feeds): delivery of the crawl's feeds
# Feeds that could not be stored, and why (the first failure).
FEED_FAILED = "gossipcrawl/feeds/failed"
FEED_ERROR = "gossipcrawl/feeds/error"
# Finish reason of a crawl closed because its feed cannot be written.
FEED_FAILED_REASON = "feed_failed"

# --- state (gossipcrawl.pipelines.dedupe): the crawl's state store
# 1 when the store could not record the crawl's articles, and why; articles committed;
# commits of an interrupted crawl completed at start.
STATE_FAILED = "gossipcrawl/state/failed"
STATE_ERROR = "gossipcrawl/state/error"
STATE_COMMITTED = "gossipcrawl/state/committed"
STATE_RECOVERED_COMMITS = "gossipcrawl/state/recovered_commits"
# Finish reason of a crawl closed because its state store cannot record articles.
STATE_FAILED_REASON = "state_failed"
# Finish reason of a crawl that did not start: another crawl holds its site on its state.
BUSY_REASON = "busy"

# --- job (gossipcrawl.job): pause and resume (a crawl with a job directory)
# The job's run number; 1 when resumed, with the articles already in its feed and the
# requests left pending by the earlier runs.
JOB_RUNS = "gossipcrawl/job/runs"
JOB_RESUMED = "gossipcrawl/job/resumed"
JOB_ARTICLES_IN_FEED = "gossipcrawl/job/articles_in_feed"
JOB_REQUESTS_PENDING = "gossipcrawl/job/requests_pending"
# 1 when the crawl stopped before its end (it resumes).
JOB_PAUSED = "gossipcrawl/job/paused"
# Requests: already done by an earlier run; journaled; not journaled (not resumable);
# replayed from the journal; replayed ones the crawl's policy refused.
JOB_REQUESTS_KNOWN = "gossipcrawl/job/requests_known"
JOB_REQUESTS_JOURNALED = "gossipcrawl/job/requests_journaled"
JOB_REQUESTS_NOT_JOURNALED = "gossipcrawl/job/requests_not_journaled"
JOB_REQUESTS_REPLAYED = "gossipcrawl/job/requests_replayed"
JOB_REPLAY_REFUSED = "gossipcrawl/job/replay_refused"
# Items not emitted again: an earlier run's feed has them.
JOB_ITEMS_ALREADY_IN_FEED = "gossipcrawl/job/items_already_in_feed"

# --- downloader (gossipcrawl.downloadermiddlewares): robots.txt, retries, refusals, dead hosts
# robots.txt that could not be had (5xx, 429, no answer): nothing of that host is fetched.
ROBOTS_UNAVAILABLE = "gossipcrawl/robots/unavailable"
# Retries of 429/503 answers: requests held for their host; after the server's Retry-After;
# after an exponential backoff; the longest delay, in seconds.
RETRY_HELD_REQUESTS = "gossipcrawl/retry/held_requests"
RETRY_AFTER_HONOURED = "gossipcrawl/retry/retry_after_honoured"
RETRY_BACKOFF = "gossipcrawl/retry/backoff"
RETRY_MAX_DELAY = "gossipcrawl/retry/max_delay"
# Requests refused by the GET-only guard, by method.
REQUESTS_REFUSED_METHOD = "gossipcrawl/requests/refused_method/"
# The host that could not be reached and why (text; the crawl closes, site_unreachable);
# requests that failed to connect to a host that never answered.
UNREACHABLE_HOST = "gossipcrawl/unreachable"
UNREACHABLE_REQUESTS = "gossipcrawl/unreachable/requests"

# --- monitors (gossipcrawl.monitors): the checks at the crawl's end
# Monitors run; monitors failed (absent when none failed).
MONITORS_RUN = "gossipcrawl/monitors/run"
MONITOR_FAILURES = "gossipcrawl/monitors/failed"
# The ratios the rate monitors judge, set just before they run (absent over nothing).
RATE_HEADLINE_COVERAGE = "gossipcrawl/rates/headline_coverage"
RATE_BODY_COVERAGE = "gossipcrawl/rates/body_coverage"
RATE_PAGE_ERRORS = "gossipcrawl/rates/page_errors"
RATE_INVALID_ITEMS = "gossipcrawl/rates/invalid_items"


# --- families: one member's name --------------------------------------------------------------

def discovery_requests(kind: str) -> str:
    return DISCOVERY_REQUESTS + kind


def discovery_trap(reason: str) -> str:
    return DISCOVERY_TRAP + reason


def page_http_status(status: int) -> str:
    return PAGES_HTTP_STATUS + str(status)


def page_error(exception: str) -> str:
    return PAGES_ERROR + exception


def page_cut(what: str) -> str:
    return PAGES_CUT + what


def coverage(field: str) -> str:
    return COVERAGE + field


def item_dropped(reason: str) -> str:
    return ITEMS_DROPPED + reason


def item_invalid_field(field: str) -> str:
    return ITEMS_DROPPED_INVALID_FIELD + field


def refused_method(method: str) -> str:
    return REQUESTS_REFUSED_METHOD + method


# --- what is read from them -------------------------------------------------------------------

def feed_failure(stats: dict) -> str | None:
    """Why a feed of this crawl was not stored (by gossipcrawl's storages or any other
    Scrapy feed storage), or None when every feed was stored."""
    if stats.get(FEED_FAILED):
        return stats.get(FEED_ERROR) or "a feed could not be stored"
    if any(key.startswith("feedexport/failed_count/") for key in stats):
        return "a feed could not be stored (see the log)"
    return None
