"""Scrapy feed storages: an atomic file (`file://` and plain paths) and standard output."""

from __future__ import annotations

import logging
import os
import sys

from gossipcrawl.feeds.files import FeedFile, describe_os_error, record_feed_failure
from gossipcrawl.job.extension import running_job
from gossipcrawl.job.feedstorage import JobFeedStorage
from gossipcrawl.pipelines.dedupe import DedupePipeline
from gossipcrawl.state import StateError
from gossipcrawl.stats import UNREACHABLE_HOST
from gossipcrawl.utils.fs import AtomicFile, target_path

logger = logging.getLogger(__name__)


def _delivery_blocked(crawler) -> str | None:
    dedupe = crawler.get_item_pipeline(DedupePipeline) if crawler is not None else None
    return dedupe.delivery_blocked() if dedupe is not None else None


class AtomicFileFeedStorage:
    def __init__(self, uri: str, *, feed_options: dict | None = None, crawler=None):
        self.uri = uri
        self.path = target_path(uri)
        self.feed_options = feed_options
        self.overwrite = (feed_options or {}).get("overwrite", True)
        self.crawler = crawler
        self._out: AtomicFile | None = None
        self._file: FeedFile | None = None
        self._job_storage: JobFeedStorage | None = None

    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options: dict | None = None):
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def _failed(self, reason: str) -> None:
        if self._out is not None:
            self._out.discard()   # a full disk gets its space back now
        if self.crawler is not None:
            record_feed_failure(self.crawler, self.path, reason)
        else:
            logger.error("cannot write %s: %s", self.path, reason)

    def open(self, spider):
        job = running_job(self.crawler) if self.crawler is not None else None
        if job is not None:
            # A resumable job (--job-dir) keeps its feed in the job directory across runs
            # and publishes it, atomically too, when the job finishes.
            self._job_storage = JobFeedStorage(
                job, self.uri, feed_options=self.feed_options, crawler=self.crawler,
                delivery_blocked=lambda: _delivery_blocked(self.crawler))
            return self._job_storage.open(spider)
        try:
            self._out = AtomicFile(self.path, exclusive=True)
            if not self.overwrite and self.path.exists():
                # Appending: start the temporary file with what is already there.
                with open(self.path, "rb") as existing:
                    while chunk := existing.read(1 << 20):
                        self._out.file.write(chunk)
        except OSError as exc:
            self._file = FeedFile(open(os.devnull, "wb"), self._failed)
            self._file._fail(exc)
            return self._file
        self._file = FeedFile(self._out.file, self._failed)
        return self._file

    def store(self, file):
        if self._job_storage is not None:
            return self._job_storage.store(file)
        assert self._file is not None
        self._file.flush()
        if self._file.failed is not None:
            return None   # reported when it happened
        blocked = _delivery_blocked(self.crawler)
        if blocked:
            self._failed(f"not published: {blocked}")
            return None
        if self.crawler is not None and self.crawler.stats.get_value(UNREACHABLE_HOST):
            # Nothing was fetched: an empty file would replace the last good one at OUT.
            assert self._out is not None
            self._out.discard()
            logger.info("feed not written (the site could not be reached): %s", self.path)
            return None
        dedupe = (self.crawler.get_item_pipeline(DedupePipeline)
                  if self.crawler is not None else None)
        try:
            assert self._out is not None
            self._out.commit(dedupe.mark_publishing if dedupe is not None else None)
        except OSError as exc:
            self._failed(describe_os_error(exc))
            return None
        except StateError as exc:
            self._failed(f"not published: {exc}")
            return None
        logger.info("feed written atomically: %s", self.path)
        return None


class StdoutFeedStorage:
    """JSON lines on standard output (`gossipcrawl crawl` without `-o`), for pipes and
    redirections; logs stay on stderr. The lines are flushed before the state is committed;
    a reader that goes away (a closed pipe) fails the feed, and the state stays uncommitted."""

    def __init__(self, uri: str, *, feed_options: dict | None = None, crawler=None):
        self.crawler = crawler
        self._file: FeedFile | None = None

    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options: dict | None = None):
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def _failed(self, reason: str) -> None:
        if self.crawler is not None:
            record_feed_failure(self.crawler, "standard output", reason)

    def open(self, spider):
        self._file = FeedFile(sys.stdout.buffer, self._failed)
        return self._file

    def store(self, file):
        assert self._file is not None
        self._file.flush()
        if self._file.failed is None:
            try:
                os.fsync(self._file.fileno())   # when stdout is redirected to a file
            except OSError:
                pass                            # a pipe or a terminal: flushed is all there is
        return None
