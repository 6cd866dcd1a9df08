"""The names of gossipcrawl's crawl stats, and what a component reads from them.

Components count what happens in the crawl's stats (`crawler.stats`), under
`gossipcrawl/<area>/<what>`; the monitors, the crawl report and the command line read them.
Names used by more than one module are defined here.
"""

from __future__ import annotations

# Feeds (gossipcrawl.feeds): a feed that could not be stored, and why.
FEED_FAILED = "gossipcrawl/feeds/failed"
FEED_ERROR = "gossipcrawl/feeds/error"
# Finish reason of a crawl closed because its feed cannot be written.
FEED_FAILED_REASON = "feed_failed"
# State (gossipcrawl.pipelines.dedupe): the store could not record the crawl's articles.
STATE_FAILED = "gossipcrawl/state/failed"
STATE_ERROR = "gossipcrawl/state/error"
STATE_COMMITTED = "gossipcrawl/state/committed"
# Finish reason of a crawl closed because its state store cannot record articles.
STATE_FAILED_REASON = "state_failed"
# Finish reason of a crawl that did not start: another crawl holds its site on its state.
BUSY_REASON = "busy"


def feed_failure(stats: dict) -> str | None:
    """Why a feed of this crawl was not stored (by gossipcrawl's storages or any other
    Scrapy feed storage), or None when every feed was stored."""
    if stats.get(FEED_FAILED):
        return stats.get(FEED_ERROR) or "a feed could not be stored"
    if any(key.startswith("feedexport/failed_count/") for key in stats):
        return "a feed could not be stored (see the log)"
    return None
