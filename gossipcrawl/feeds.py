"""Feed storage and the feed settings of the command line.

Scrapy's `FileFeedStorage` writes the target file in place, so a reader (or a crash) can see
half a feed. `AtomicFileFeedStorage` (`FEED_STORAGES` for `file://` and plain paths) writes
through `gossipcrawl.utils.fs.AtomicFile`: a hidden temporary file beside the target,
fsynced and renamed over it when the feed is closed. A crawl that dies leaves only its
temporary file, which the next crawl writing to the same target removes.

In a resumable job (`--job-dir`) the job's own storage (`gossipcrawl.job.feedstorage`)
takes over: it appends to the job directory across runs and publishes when the job ends.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from gossipcrawl.urls import site_of
from gossipcrawl.job.extension import running_job
from gossipcrawl.job.feedstorage import JobFeedStorage
from gossipcrawl.utils.fs import AtomicFile, target_path

logger = logging.getLogger(__name__)


class AtomicFileFeedStorage:
    def __init__(self, uri: str, *, feed_options: dict | None = None, crawler=None):
        self.uri = uri
        self.path = target_path(uri)
        self.feed_options = feed_options
        self.overwrite = (feed_options or {}).get("overwrite", True)
        self.crawler = crawler
        self._out: AtomicFile | None = None
        self._job_storage: JobFeedStorage | None = None

    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options: dict | None = None):
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider):
        job = running_job(self.crawler) if self.crawler is not None else None
        if job is not None:
            # A resumable job (--job-dir) keeps its feed in the job directory across runs
            # and publishes it, atomically too, when the job finishes.
            self._job_storage = JobFeedStorage(job, self.uri, feed_options=self.feed_options)
            return self._job_storage.open(spider)
        self._out = AtomicFile(self.path)
        if not self.overwrite and self.path.exists():
            # Appending: start the temporary file with what is already there.
            with open(self.path, "rb") as existing:
                while chunk := existing.read(1 << 20):
                    self._out.file.write(chunk)
        return self._out.file

    def store(self, file):
        if self._job_storage is not None:
            return self._job_storage.store(file)
        assert self._out is not None and file is self._out.file
        self._out.commit()
        logger.info("feed written atomically: %s", self.path)
        return None


def feed_settings(out: str) -> dict:
    """The FEEDS entry for an OUT of the CLI: `.jsonl` or `.jsonl.gz` paths, or any URI.

    A path may hold Scrapy's URI placeholders (`%(batch_id)d`, `%(time)s`) and those of
    `uri_params` (`%(site)s`, `%(day)s`): they are kept as they are in the file URI."""
    options: dict = {"format": "jsonlines", "encoding": "utf-8", "store_empty": True,
                     "overwrite": True}
    if out.endswith(".gz"):
        options["postprocessing"] = ["scrapy.extensions.postprocessing.GzipPlugin"]
        options["gzip_mtime"] = 0
    uri = out if "://" in out else _file_uri(out)
    return {uri: options}


_PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def _file_uri(path: str) -> str:
    """`Path.as_uri()` that leaves `%(name)s` placeholders unquoted."""
    absolute = str(Path(path).resolve())
    pieces, last = [], 0
    for match in _PLACEHOLDER.finditer(absolute):
        pieces.append(quote(absolute[last:match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(quote(absolute[last:]))
    return "file://" + "".join(pieces)


def uri_params(params: dict, spider) -> dict:
    """`FEED_URI_PARAMS` for partitioned feeds: adds `%(site)s` (the crawled site: its host
    without `www.`, as in the items' `site`) and `%(day)s` (UTC date when the file was
    started, `YYYY-MM-DD`; each batch of `FEED_EXPORT_BATCH_ITEM_COUNT` gets its own) to
    Scrapy's `%(time)s`, `%(batch_time)s`, `%(batch_id)d` and the spider's attributes."""
    profile = getattr(spider, "profile", None)
    start_urls = getattr(profile, "start_urls", None) or getattr(spider, "start_urls", None)
    site = site_of(start_urls[0]) if start_urls else spider.name
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", site) or spider.name
    return {**params, "site": safe, "day": datetime.now(timezone.utc).strftime("%Y-%m-%d")}
