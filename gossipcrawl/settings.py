"""Scrapy settings of gossipcrawl: polite by default, every component listed here.

Each gossipcrawl-specific setting has its one default here; override any of them with
`gossipcrawl crawl ... -s NAME=VALUE`, `scrapy crawl news -s ...` or a profile's
`[settings]` table.
"""

from scrapy.settings import default_settings as _scrapy_defaults

from gossipcrawl import __version__
from gossipcrawl import stats as _stats

BOT_NAME = "gossipcrawl"
SPIDER_MODULES = ["gossipcrawl.spiders"]
NEWSPIDER_MODULE = "gossipcrawl.spiders"
# `scrapy crawl` (and so Scrapyd's jobs) checks the spider's target and the -s values first:
# one line, exit 2, instead of a traceback from inside the crawler.
COMMANDS_MODULE = "gossipcrawl.scrapycommands"

# --- politeness ----------------------------------------------------------------------------
USER_AGENT = (f"gossipcrawl/{__version__} (soap and entertainment news crawler; "
              "obeys robots.txt; +https://github.com/gossipcrawl/gossipcrawl)")
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
COOKIES_ENABLED = False
RETRY_TIMES = 3
# 429 and 503 are "slow down": gossipcrawl.downloadermiddlewares.retryafter.RetryAfterMiddleware retries them
# after the server's Retry-After (capped) or an exponential backoff, holding the whole host.
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]
GOSSIPCRAWL_BACKOFF_HTTP_CODES = [429, 503]
GOSSIPCRAWL_RETRY_AFTER_MAX = 120.0
GOSSIPCRAWL_BACKOFF_BASE = 2.0
GOSSIPCRAWL_BACKOFF_MAX = 60.0
DOWNLOAD_TIMEOUT = 30

# --- safety: nothing remote-controls a crawl, nothing is ever submitted -----------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
GOSSIPCRAWL_ALLOWED_METHODS = ["GET", "HEAD"]

# --- bounds ----------------------------------------------------------------------------
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
# Depth is bounded by the spider (GOSSIPCRAWL_MAX_DEPTH link hops), so that the pages of
# a listing do not count as hops; Scrapy's DEPTH_LIMIT stays off.
DEPTH_LIMIT = 0
REDIRECT_MAX_TIMES = 5
GOSSIPCRAWL_MAX_PAGES_PER_SITE = 20_000
GOSSIPCRAWL_MAX_XML_BYTES = 50 * 1024 * 1024
GOSSIPCRAWL_FOLLOW_LINKS = True
# Link hops from a start page, sitemap or feed; pagination does not count.
GOSSIPCRAWL_MAX_DEPTH = 6
# Pages per listing (page 2, 3, ...); a page linking to nothing the page before it did not
# (an empty page past the end) also ends a listing.
GOSSIPCRAWL_MAX_PAGINATION = 50
# Non-article pages per URL shape (numbers masked): bounds traps no rule names.
GOSSIPCRAWL_MAX_PAGES_PER_TEMPLATE = 100
# Links read per page (in page order): an article or listing has a few hundred; a link farm
# of 20,000 would hold the crawl's thread for seconds. Cuts count
# gossipcrawl/discovery/links_cut.
GOSSIPCRAWL_MAX_LINKS_PER_PAGE = 2_000
# With a state: skip sitemap entries whose lastmod is unchanged since the last crawl.
GOSSIPCRAWL_INCREMENTAL = True
# What one page may cost to extract (gossipcrawl.extract.limits; the spider hands them to the
# page object in each request's page_params): the body is cut to this many bytes
# before parsing, the tree to this many elements; each cut is logged and counted
# (gossipcrawl/pages/cut/bytes, .../elements). Bounds a page's extraction to a few seconds.
GOSSIPCRAWL_MAX_EXTRACT_BYTES = 4 * 1024 * 1024
GOSSIPCRAWL_MAX_ELEMENTS = 20_000
# Time per crawl: the crawl closes (finish reason closespider_timeout, exit 0) after this many
# seconds; 0 turns it off.
CLOSESPIDER_TIMEOUT = 24 * 3600
# Memory per crawl: a warning at 768 MiB, and the crawl stops (finish reason
# memusage_exceeded, exit 1) at 1 GiB of RSS. A default crawl stays far below (see
# docs/performance.md).
MEMUSAGE_ENABLED = True
MEMUSAGE_WARNING_MB = 768
MEMUSAGE_LIMIT_MB = 1024

# --- components ----------------------------------------------------------------------------
ADDONS = {"scrapy_poet.Addon": 300}
SCRAPY_POET_DISCOVER = ["gossipcrawl.pages", "gossipcrawl.sites"]
# robots.txt: Scrapy's middleware is replaced by gossipcrawl's (fetched once per host and
# shared with the spider; see gossipcrawl.downloadermiddlewares.robotstxt).
ROBOTSTXT_PARSER = "gossipcrawl.downloadermiddlewares.robotstxt.SitemapRobotParser"
DOWNLOADER_MIDDLEWARES = {"gossipcrawl.downloadermiddlewares.getonly.GetOnlyDownloaderMiddleware": 50,
                          "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
                          "gossipcrawl.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": 100,
                          # before Scrapy's RetryMiddleware (550) sees the response
                          "gossipcrawl.downloadermiddlewares.retryafter.RetryAfterMiddleware": 560,
                          # before RetryMiddleware sees a connection error: a host that
                          # never answered is given up at once, not retried
                          "gossipcrawl.downloadermiddlewares.unreachable.UnreachableSiteMiddleware": 590}
ITEM_PIPELINES = {
    "gossipcrawl.pipelines.coverage.CoveragePipeline": 100,
    "gossipcrawl.pipelines.validate.ValidationPipeline": 200,
    "gossipcrawl.pipelines.dedupe.DedupePipeline": 300,
    "gossipcrawl.pipelines.story.StoryPipeline": 400,
}
EXTENSIONS = {"gossipcrawl.monitors.extension.CrawlMonitors": 500,   # Spidermon, in lines
              # before Scrapy's FeedExporter (0): a job's feed must know why the crawl closes
              "gossipcrawl.job.extension.JobExtension": -10,
              "gossipcrawl.extensions.progress.ProgressExtension": 600,
              "gossipcrawl.extensions.politeness.WireDelayExtension": 100,
              # last: everything start-up builds exists by then (see gossipcrawl.extensions.settle)
              "gossipcrawl.extensions.settle.SettleProcessExtension": 1000,
              # after the job's extension and the monitors: the outcome reads their stats
              "gossipcrawl.extensions.outcome.OutcomeExtension": 1100}
# Scrapy's own extensions less the telnet console and the remote control, which are off
# anyway (above): Scrapy imports every listed extension, even one set to None, and their
# modules pull in twisted.conch and aiohttp, ~0.15 s of CPU at every process start.
EXTENSIONS_BASE = {path: order for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
                   if path not in ("scrapy.extensions.telnet.TelnetConsole",
                                   "scrapy.extensions.remote_control.RemoteControl")}
# Last before the engine (lowest number): it journals the requests that will really be made.
SPIDER_MIDDLEWARES = {"gossipcrawl.job.middleware.JobSpiderMiddleware": 25}

# --- output and state ------------------------------------------------------------------------
FEED_STORAGES = {"": "gossipcrawl.feeds.storages.AtomicFileFeedStorage",
                 "file": "gossipcrawl.feeds.storages.AtomicFileFeedStorage",
                 "stdout": "gossipcrawl.feeds.storages.StdoutFeedStorage"}
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORE_EMPTY = True
# None: the embedded SQLite file ./.gossipcrawl/state.sqlite3; a redis:// URL: shared Redis.
GOSSIPCRAWL_STATE = None
GOSSIPCRAWL_FRESH = False
GOSSIPCRAWL_DEDUPE_ENABLED = True
# Redis state: how long another crawler's in-flight emission blocks the same content.
GOSSIPCRAWL_CLAIM_TTL = 24 * 3600
# Redis state: a crawl's hold on its site (and its claims) ends this many seconds after the
# crawl stops renewing it (a crash); renewed every sixth of it while the crawl runs.
GOSSIPCRAWL_STATE_LEASE = 60.0
# storyId (gossipcrawl.pipelines.story): MinHash/LSH over content words, kept in the state.
GOSSIPCRAWL_STORY_ENABLED = True
GOSSIPCRAWL_STORY_THRESHOLD = 0.28
GOSSIPCRAWL_STORY_WINDOW_DAYS = 30
# Partitioned feeds: OUT may name %(site)s and %(day)s besides Scrapy's own parameters.
FEED_URI_PARAMS = "gossipcrawl.feeds.uris.uri_params"
# Several sites in one crawl (gossipcrawl.sitecrawls): how many are crawled at the same time;
# the next starts when one ends.
GOSSIPCRAWL_SITES_AT_ONCE = 8

# --- pause and resume (gossipcrawl.job), progress (gossipcrawl.extensions.progress) ----------------
# A job directory makes a crawl resumable after Ctrl-C or kill -9 (`crawl --job-dir DIR`).
# Leave Scrapy's JOBDIR (and Scrapyd's jobs_dir) empty: gossipcrawl journals requests itself.
GOSSIPCRAWL_JOB_DIR = None
# Seconds between syncs of the job's feed and journals (what a kill -9 can lose is re-fetched).
GOSSIPCRAWL_JOB_SYNC_INTERVAL = 1.0
GOSSIPCRAWL_JOB_FSYNC = True
# A status line on stderr: "auto" when stderr is a terminal, "on", "off".
GOSSIPCRAWL_PROGRESS = "auto"
GOSSIPCRAWL_PROGRESS_INTERVAL = 1.0

# --- monitors and the crawl report (gossipcrawl.monitors) ----------------
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["gossipcrawl.monitors.suite.CrawlMonitorSuite"]
# None: beside the file feed (OUT without .jsonl[.gz] + .report.json/.html), else
# .gossipcrawl/reports/<crawl_id>.report.*; a path here wins (%(crawl_id)s is filled in).
GOSSIPCRAWL_REPORT = None
GOSSIPCRAWL_MIN_HEADLINE_COVERAGE = 0.95
GOSSIPCRAWL_MIN_BODY_COVERAGE = 0.95
GOSSIPCRAWL_MAX_PAGE_ERROR_RATE = 0.2
GOSSIPCRAWL_MAX_INVALID_RATE = 0.05
# A crawl that ended for another reason fails (monitor and exit status 1).
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished", "closespider_pagecount",
                                     "closespider_itemcount", "closespider_timeout"]
# Skipped checks (Spidermon's rules, by monitor name): a paused job's finish reason (it
# resumes: exit 5), a crawl refused because another holds its site (exit 6), and every check
# of a crawl whose site could not be reached (nothing was crawled: exit 4).
SPIDERMON_MONITOR_SKIPPING_RULES = {
    "Finish Reason Monitor": [(_stats.JOB_PAUSED, "==", 1),
                              ("finish_reason", "==", "site_unreachable"),
                              ("finish_reason", "==", "busy")],
    "Headline coverage": [("finish_reason", "==", "site_unreachable")],
    "Body coverage": [("finish_reason", "==", "site_unreachable")],
    "Page error rate": [("finish_reason", "==", "site_unreachable")],
    "Invalid item rate": [("finish_reason", "==", "site_unreachable")],
}
# The crawl's outcome as the last line of its log (gossipcrawl.extensions.outcome), which
# `gossipcrawl schedule` reads back from Scrapyd; `gossipcrawl crawl` prints it itself.
GOSSIPCRAWL_OUTCOME_LINE = True

LOG_LEVEL = "INFO"
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"
