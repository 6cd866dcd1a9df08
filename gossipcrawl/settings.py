"""Scrapy settings of gossipcrawl: polite by default, every component listed here.

Each gossipcrawl-specific setting has its one default here; override any of them with
`gossipcrawl crawl ... -s NAME=VALUE`, `scrapy crawl news -s ...` or a profile's
`[settings]` table.
"""

from gossipcrawl import __version__

BOT_NAME = "gossipcrawl"
SPIDER_MODULES = ["gossipcrawl.spiders"]
NEWSPIDER_MODULE = "gossipcrawl.spiders"

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
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30

# --- safety: nothing remote-controls a crawl, nothing is ever submitted -----------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
GOSSIPCRAWL_ALLOWED_METHODS = ["GET", "HEAD"]

# --- bounds ----------------------------------------------------------------------------
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DEPTH_LIMIT = 8
REDIRECT_MAX_TIMES = 5
GOSSIPCRAWL_MAX_PAGES_PER_SITE = 20_000
GOSSIPCRAWL_MAX_XML_BYTES = 50 * 1024 * 1024
GOSSIPCRAWL_FOLLOW_LINKS = True

# --- components ----------------------------------------------------------------------------
ADDONS = {"scrapy_poet.Addon": 300}
SCRAPY_POET_DISCOVER = ["gossipcrawl.pages"]
DOWNLOADER_MIDDLEWARES = {"gossipcrawl.safety.GetOnlyDownloaderMiddleware": 50}
ITEM_PIPELINES = {
    "gossipcrawl.pipelines.validate.ValidationPipeline": 200,
    "gossipcrawl.pipelines.dedupe.DedupePipeline": 300,
}

# --- output and state ------------------------------------------------------------------------
FEED_STORAGES = {"": "gossipcrawl.storage.AtomicFileFeedStorage",
                 "file": "gossipcrawl.storage.AtomicFileFeedStorage"}
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORE_EMPTY = True
# None: the embedded SQLite file ./.gossipcrawl/state.sqlite3; a redis:// URL: shared Redis.
GOSSIPCRAWL_STATE = None
GOSSIPCRAWL_FRESH = False
GOSSIPCRAWL_DEDUPE_ENABLED = True

LOG_LEVEL = "INFO"
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"
