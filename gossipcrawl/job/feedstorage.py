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

from gossipcrawl.job.journal import truncate_torn_tail
from gossipcrawl.utils.fs import AtomicFile, target_path

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

    def __init__(self, job: Job, uri: str, *, feed_options: dict | None = None):
        self.job = job
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
        self._file = None

    def open(self, spider):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.partial.exists() and not self.overwrite and self.path.exists():
            # Appending to OUT: the job's feed starts with what OUT holds.
            opener = gzip.open if self.path.name.endswith(".gz") else open
            with opener(self.path, "rb") as existing, open(self.partial, "wb") as copy:
                shutil.copyfileobj(existing, copy, 1 << 20)
        truncate_torn_tail(self.partial)
        self.job.remember_feed(self.partial, self.path, self.gzip_options)
        self._file = open(self.partial, "ab")
        self.job.register_feed(self._file, self.partial)
        return self._file

    def store(self, file):
        try:
            file.flush()
            os.fsync(file.fileno())
        finally:
            file.close()
            self.job.unregister_feed(file)
        if self.job.close_reason is None and self.batched:
            # A full batch, closed while the crawl goes on: published now, as it would be
            # without a job, and kept aside so a resumed run still knows its articles.
            publish_feed(self.partial, self.path, self.gzip_options)
            self.job.published(self.partial)
        elif self.job.complete:
            publish_feed(self.partial, self.path, self.gzip_options)
            self.job.published_now.add(self.partial)
        else:
            logger.info("job paused: its feed so far stays in %s; it is written to %s when "
                        "the job finishes", self.partial, self.path)


def publish_feed(partial: Path, target: Path, gzip_options: dict | None) -> None:
    """Copy a job's feed to its target atomically (temporary file beside it, renamed)."""
    with AtomicFile(target, mode="wb") as out:
        with open(partial, "rb") as source:
            if gzip_options is not None:
                with gzip.GzipFile(filename="", mode="wb", fileobj=out.file,
                                   **gzip_options) as packed:
                    shutil.copyfileobj(source, packed, 1 << 20)
            else:
                shutil.copyfileobj(source, out.file, 1 << 20)
    logger.info("feed written atomically: %s", target)
