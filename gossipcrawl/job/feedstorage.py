"""A job's feed storage: the feed of a resumable crawl, kept in the job directory until the
job finishes, then published to its target."""

from __future__ import annotations

import gzip
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.utils.misc import load_object

from gossipcrawl.feeds.files import FeedFile, describe_os_error, record_feed_failure
from gossipcrawl.job.journal import truncate_torn_tail
from gossipcrawl.utils.fs import publish_copy, target_path

if TYPE_CHECKING:
    from gossipcrawl.job.directory import Job

logger = logging.getLogger(__name__)


class JobFeedStorage:
    """A job's feed: appended to in the job directory across runs, published atomically to
    its target when the job finishes. `.gz` targets are compressed at publication, so the
    file in progress stays plain JSON lines that a resumed run can check and extend.

    A feed split in batches (`FEED_EXPORT_BATCH_ITEM_COUNT`) has each full batch published
    as soon as it is closed, as without a job; use `%(batch_time)s` or `%(time)s` in its
    name, since a resumed run counts `%(batch_id)d` from 1 again."""

    def __init__(self, job: Job, uri: str, *, feed_options: dict | None = None,
                 crawler=None, delivery_blocked=lambda: None):
        self.job = job
        self.crawler = crawler
        # Why the feed must not be published now (the state cannot record it), or None.
        self.delivery_blocked = delivery_blocked
        self.path = target_path(uri)
        options = feed_options if feed_options is not None else {}
        self.overwrite = options.get("overwrite", True)
        self.batched = bool(options.get("batch_item_count"))
        self.partial = job.feed_partial(self.path)
        self.gzip_options: dict | None = None
        plugins = options.get("postprocessing") or []
        if plugins:
            from scrapy.extensions.postprocessing import GzipPlugin

            if [load_object(plugin) for plugin in plugins] == [GzipPlugin]:
                # The exporter must write plain lines; this storage compresses at the end.
                del options["postprocessing"]
                self.gzip_options = {"compresslevel": options.get("gzip_compresslevel", 9),
                                     "mtime": options.get("gzip_mtime")}
            else:
                logger.warning("feed post-processing %s: this feed is not resumable after "
                               "kill -9", plugins)
        elif self.path.name.endswith(".gz"):
            self.gzip_options = {"compresslevel": 9, "mtime": 0}
        self._file: FeedFile | None = None

    def open(self, spider):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.partial.exists() and not self.overwrite and self.path.exists():
            # Appending to OUT: the job's feed starts with what OUT holds.
            opener = gzip.open if self.path.name.endswith(".gz") else open
            with opener(self.path, "rb") as existing, open(self.partial, "wb") as copy:
                shutil.copyfileobj(existing, copy, 1 << 20)
        try:
            truncate_torn_tail(self.partial)
            self.job.remember_feed(self.partial, self.path, self.gzip_options)
            raw = open(self.partial, "ab")
        except OSError as exc:
            failed = self._file = FeedFile(open(os.devnull, "wb"), self._failed)
            failed._fail(exc)
            return failed
        feed = self._file = FeedFile(raw, self._failed)
        self.job.register_feed(feed, self.partial)
        return feed

    def _failed(self, reason: str, target: Path | None = None) -> None:
        if self.crawler is not None:
            record_feed_failure(self.crawler, target or self.partial, reason)

    def store(self, file):
        assert self._file is not None
        try:
            self._file.flush()
            if self._file.failed is None:
                os.fsync(self._file.fileno())
        except OSError as exc:
            self._file._fail(exc)
        finally:
            self._file.close()
            self.job.unregister_feed(self._file)
        if self._file.failed is not None:
            return   # reported when it happened; the job stays resumable
        if self.partial.name in self.job.published_feeds:
            logger.info("the job's feed was published to %s by its previous run: not again",
                        self.path)
            return
        publishing = self.job.complete or (self.job.close_reason is None and self.batched)
        if not publishing:
            logger.info("job paused: its feed so far stays in %s; it is written to %s when "
                        "the job finishes", self.partial, self.path)
            return
        blocked = self.delivery_blocked()
        if blocked:
            self.job.publish_errors += 1
            self._failed(f"not published: {blocked}", self.path)
            return
        try:
            if self.job.close_reason is not None:
                self.job.publish(self.partial, self.path, self.gzip_options)
            else:
                publish_copy(self.partial, self.path, self.gzip_options)
        except OSError as exc:
            self.job.publish_errors += 1
            self._failed(describe_os_error(exc), self.path)
            return
        logger.info("feed written atomically: %s", self.path)
        if self.job.close_reason is None:
            # A full batch, closed while the crawl goes on: published now, as it would be
            # without a job, and kept aside so a resumed run still knows its articles.
            self.job.published(self.partial)
        else:
            self.job.published_now.add(self.partial)
