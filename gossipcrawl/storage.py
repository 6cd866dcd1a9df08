"""Atomic feed storage: readers see the whole file or none of it.

Scrapy's `FileFeedStorage` writes the target file in place, so a reader (or a crash) can see
half a feed. `AtomicFileFeedStorage` writes to a hidden temporary file beside the target
(same filesystem, so the final rename is atomic), fsyncs it, and renames it over the target
when the feed is closed. A crawl that dies leaves only its temporary file, which the next
crawl writing to the same target removes when its owner is gone.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import quote, unquote, urlparse


logger = logging.getLogger(__name__)


def target_path(uri: str) -> Path:
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    return Path(uri)


class AtomicFileFeedStorage:
    def __init__(self, uri: str, *, feed_options: dict | None = None):
        self.path = target_path(uri)
        self.overwrite = (feed_options or {}).get("overwrite", True)
        self._temporary: Path | None = None

    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options: dict | None = None):
        from gossipcrawl.resume import JobFeedStorage, job_of

        if (job := job_of(crawler)) is not None:
            # A resumable job (--job-dir) keeps its feed in the job directory across runs
            # and publishes it, atomically too, when the job finishes.
            return JobFeedStorage(job, uri, feed_options=feed_options)
        return cls(uri, feed_options=feed_options)

    def open(self, spider):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.path)
        handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.{os.getpid()}.",
                                        suffix=".tmp", dir=self.path.parent)
        self._temporary = Path(name)
        if not self.overwrite and self.path.exists():
            # Appending: start the temporary file with what is already there.
            with open(self.path, "rb") as existing, os.fdopen(os.dup(handle), "wb") as copy:
                while chunk := existing.read(1 << 20):
                    copy.write(chunk)
        return os.fdopen(handle, "w+b")

    def store(self, file):
        try:
            file.flush()
            os.fsync(file.fileno())
        finally:
            file.close()
        os.replace(self._temporary, self.path)
        _fsync_directory(self.path.parent)
        logger.info("feed written atomically: %s", self.path)


def remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files of crashed crawls that wrote to `path`."""
    for candidate in path.parent.glob(f".{path.name}.*.tmp"):
        parts = candidate.name[len(path.name) + 2:].split(".")
        try:
            pid = int(parts[0])
        except (ValueError, IndexError):
            continue
        if pid != os.getpid() and not _alive(pid):
            candidate.unlink(missing_ok=True)
            logger.info("removed the temporary file of a crashed crawl: %s", candidate)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_text_atomically(path: Path, text: str) -> None:
    """Write a small text file (a report, a job's or the scheduler's state) so that readers
    see the old file or the whole new one: a temporary file beside it, fsynced, renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


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
    from datetime import datetime, timezone

    from gossipcrawl.urls import site_of

    profile = getattr(spider, "profile", None)
    start_urls = getattr(profile, "start_urls", None) or getattr(spider, "start_urls", None)
    site = site_of(start_urls[0]) if start_urls else spider.name
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", site) or spider.name
    return {**params, "site": safe, "day": datetime.now(timezone.utc).strftime("%Y-%m-%d")}


