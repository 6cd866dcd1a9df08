"""Feed storage: the file (or standard output) a crawl delivers its articles to.

Scrapy's `FileFeedStorage` writes the target file in place, so a reader (or a crash) can see
half a feed, and its errors (a full disk, a directory that vanished) end up as one traceback
per item while the crawl goes on and the state is committed for articles no file holds.
Here:

- `AtomicFileFeedStorage` (`FEED_STORAGES` for `file://` and plain paths) writes through
  `gossipcrawl.utils.fs.AtomicFile`: a hidden temporary file beside the target, fsynced and
  renamed over it when the feed is closed. A crawl that dies leaves only its temporary file,
  which the next crawl writing into the same directory removes. In a resumable job
  (`--job-dir`), the job's own storage (`gossipcrawl.job.feedstorage`) takes over.
- `StdoutFeedStorage` (`stdout:`, what `gossipcrawl crawl` uses without `-o`) writes JSON
  lines to standard output and flushes them before the state is committed.
- Every storage writes through a `FeedFile`: the first error is logged once, with the path
  and the reason, counted as `gossipcrawl/feeds/failed` (the reason in
  `gossipcrawl/feeds/error`), and the crawl is closed (finish reason `feed_failed`);
  later writes are dropped. A failed feed is never published, and the dedupe pipeline then
  leaves the state uncommitted, so the next crawl delivers the same articles.
- No feed is published while the state store cannot record its articles
  (`DedupePipeline.delivery_blocked()`): delivered and not recorded would mean doubled.
"""
