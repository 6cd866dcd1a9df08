"""The job directory: one resumable crawl of one site, kept on disk across processes.

See `gossipcrawl.job` for the files it holds and the order in which they are made durable.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import pickle
import shutil
import time
from datetime import datetime, UTC
from pathlib import Path

from scrapy import Request

from gossipcrawl.job.journal import decode_request, encode_request, truncate_torn_tail
from gossipcrawl.utils.fs import publish_copy, write_text_atomically

logger = logging.getLogger(__name__)

FINGERPRINT_META = "gossipcrawl_job_fp"
# Close reasons after which the job is over: its feed is published, its state committed.
COMPLETE_REASONS = frozenset({"finished", "closespider_pagecount", "closespider_itemcount",
                              "closespider_timeout"})
STATUS_RUNNING, STATUS_PAUSED, STATUS_FINISHED = "running", "paused", "finished"


class JobError(RuntimeError):
    """The job directory cannot be used: locked by a live crawl, another site's, unreadable."""


class JobBusy(JobError):
    """Another running crawl holds the job directory."""


def _write_json_atomically(path: Path, data: dict) -> None:
    write_text_atomically(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Job:
    """One resumable crawl of one site, kept in a directory."""

    def __init__(self, directory: str | os.PathLike, *, site: str, crawl_id: str,
                 fsync: bool = True):
        self.dir = Path(directory)
        self.site = site
        self.fsync = fsync
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.dir / "job.lock", "a+")
        except OSError as exc:
            raise JobError(f"cannot use job directory {self.dir}: {exc.strerror}") from None
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            raise JobBusy(f"job directory {self.dir} is in use by another running crawl") \
                from None
        try:
            self._open(crawl_id)
        except BaseException:
            self.release()
            raise

    def _open(self, crawl_id: str) -> None:
        info = read_job_info(self.dir) or {}
        if info and info.get("site") != self.site and info.get("status") != STATUS_FINISHED:
            raise JobError(f"job directory {self.dir} holds an unfinished crawl of "
                           f"{info.get('site')!r}, not {self.site!r}")
        self.resuming = bool(info) and info.get("status") in (STATUS_RUNNING, STATUS_PAUSED)
        # The feeds an earlier run published when the job was done, before it was stopped
        # without recording the job finished: this run fetches nothing, publishes only the
        # job's other feeds, commits the job's state and finishes it.
        self.published_feeds: set[str] = set()
        self.publishing: dict | None = None
        if self.resuming:
            self.published_feeds.update(info.get("publishedFeeds") or ())
            record = info.get("publishing")
            if isinstance(record, dict) and _renamed(record.get("temporary")):
                feed = record.get("feed")
                if isinstance(feed, str):
                    self.published_feeds.add(feed)
        self.published_before = bool(self.published_feeds)
        if self.resuming:
            self.crawl_id = info["crawlId"]
            self.runs = int(info.get("runs", 1)) + 1
            self.started = info.get("startedAt", _now())
        else:
            for name in ("requests.jsonl", "done.txt"):
                (self.dir / name).unlink(missing_ok=True)
            shutil.rmtree(self.dir / "feeds", ignore_errors=True)
            self.crawl_id = crawl_id
            self.runs = 1
            self.started = _now()
        self.feeds_dir = self.dir / "feeds"
        self.feeds_dir.mkdir(exist_ok=True)
        self.status = STATUS_RUNNING
        self.close_reason: str | None = None
        self._write_info()

        # What the job already knows, from the files a previous run left (maybe torn).
        self.torn_bytes = sum(truncate_torn_tail(self.dir / name)
                              for name in ("requests.jsonl", "done.txt"))
        self.done: set[str] = set(self._lines("done.txt"))
        self.known: set[str] = set()
        self._pending_lines: list[str] = []
        for line in self._lines("requests.jsonl"):
            fingerprint, _, encoded = line.partition(" ")
            if not encoded or fingerprint in self.known:
                continue
            self.known.add(fingerprint)
            if fingerprint not in self.done:
                self._pending_lines.append(encoded)
        # Articles already in the job's feed: id -> (content hash, revision).
        self.emitted: dict[str, tuple[str, int]] = {}
        for partial in sorted(self.feeds_dir.glob("*.jsonl")):
            self.torn_bytes += truncate_torn_tail(partial)
            self._read_emitted(partial)

        self._requests = open(self.dir / "requests.jsonl", "a", encoding="utf-8")
        self._done_file = open(self.dir / "done.txt", "a", encoding="ascii")
        self._done_ready: list[str] = []
        self._feeds: list = []
        self._open_partials: set[Path] = set()
        self.published_now: set[Path] = set()
        self.publish_errors = 0
        self.write_failed: str | None = None

    def _lines(self, name: str):
        try:
            with open(self.dir / name, encoding="utf-8") as handle:
                for line in handle:
                    line = line.rstrip("\n")
                    if line:
                        yield line
        except FileNotFoundError:
            return

    def _read_emitted(self, partial: Path) -> None:
        with open(partial, "rb") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                    self.emitted[record["id"]] = (record["contentHash"],
                                                  int(record.get("revision") or 1))
                except (ValueError, KeyError, TypeError):
                    logger.warning("unreadable line in the job's feed %s", partial)

    def _write_info(self) -> None:
        _write_json_atomically(self.dir / "job.json", {
            "site": self.site, "crawlId": self.crawl_id, "status": self.status,
            "runs": self.runs, "startedAt": self.started, "updatedAt": _now(),
            "pid": os.getpid(), "closeReason": getattr(self, "close_reason", None),
            "publishedFeeds": sorted(getattr(self, "published_feeds", ())),
            "publishing": getattr(self, "publishing", None)})

    def publish(self, partial: Path, target: Path, gzip_options: dict | None) -> None:
        """Publish one of the job's feeds when the job is done, on record in job.json: the
        temporary file about to be renamed to `target` (`publishing`), then the feed as
        published (`publishedFeeds`). A run stopped before it records the job finished
        (report, monitors and the state commit come first) is followed by a run that
        finds the feed published - listed, or its temporary file renamed away - and does
        not publish the same articles again. OSError when it was not published."""
        def before_rename(temporary: Path) -> None:
            self.publishing = {"feed": partial.name, "temporary": str(temporary)}
            self._write_info()

        try:
            publish_copy(partial, target, gzip_options, before_rename=before_rename)
        except OSError:
            if self.publishing is not None:
                self.publishing = None
                try:
                    self._write_info()
                except OSError:
                    pass   # its temporary file is gone unrenamed: not taken as published
            raise
        self.published_feeds.add(partial.name)
        self.publishing = None
        try:
            self._write_info()
        except OSError as exc:
            # The record of the rename says it: the temporary file is gone.
            logger.warning("job %s cannot record its published feed (%s)", self.crawl_id,
                           exc.strerror or exc)

    # --- requests -------------------------------------------------------------------------

    @property
    def pending_count(self) -> int:
        return len(self._pending_lines)

    def pending_requests(self, spider):
        """The requests journaled by earlier runs whose pages are not done, rebuilt."""
        lines, self._pending_lines = self._pending_lines, []
        for encoded in lines:
            try:
                yield decode_request(encoded, spider)
            except Exception as exc:
                logger.warning("cannot replay a journaled request: %s: %s",
                               type(exc).__name__, exc)

    def journal(self, request: Request, fingerprint: str, spider) -> bool:
        """Record a request the crawl is about to make; False if it cannot be recorded."""
        request.meta[FINGERPRINT_META] = fingerprint
        try:
            encoded = encode_request(request, spider)
        except (ValueError, TypeError, pickle.PicklingError) as exc:
            del request.meta[FINGERPRINT_META]
            logger.warning("request not journaled (%s): %s; it is not resumable", exc,
                           request.url)
            return False
        self.known.add(fingerprint)
        self._requests.write(f"{fingerprint} {encoded}\n")
        return True

    def mark_done(self, fingerprint: str) -> None:
        """The page of this request is fully processed; on disk at the next sync."""
        self.done.add(fingerprint)
        self._done_ready.append(fingerprint)

    # --- feeds ----------------------------------------------------------------------------

    def feed_partial(self, target: Path) -> Path:
        digest = hashlib.sha1(str(target).encode("utf-8")).hexdigest()[:8]
        name = target.name.removesuffix(".gz").removesuffix(".jsonl")
        return self.feeds_dir / f"{digest}-{name}.jsonl"

    def remember_feed(self, partial: Path, target: Path, gzip_options: dict | None) -> None:
        """Note where a feed in progress goes, for a later run that may publish it."""
        sidecar = partial.with_name(partial.name + ".target")
        if not sidecar.exists():
            _write_json_atomically(sidecar, {"target": str(target), "gzip": gzip_options})

    def register_feed(self, handle, partial: Path) -> None:
        self._feeds.append(handle)
        self._open_partials.add(partial)

    def unregister_feed(self, handle) -> None:
        if handle in self._feeds:
            self._feeds.remove(handle)

    def published(self, partial: Path) -> None:
        """A batch published while the crawl runs: set aside, still read on resume."""
        partial.rename(partial.with_name(partial.name.removesuffix(".jsonl")
                                         + ".published.jsonl"))
        partial.with_name(partial.name + ".target").unlink(missing_ok=True)
        self._open_partials.discard(partial)

    def publish_leftovers(self, *, skip_open: bool = True) -> None:
        """Publish the feeds earlier runs left and this run did not reopen (names with
        `%(time)s` differ from run to run); with `skip_open=False`, every feed of the job
        not published yet (the last sweep of a finished job)."""
        for partial in sorted(self.feeds_dir.glob("*.jsonl")):
            if (partial.name.endswith(".published.jsonl") or partial in self.published_now
                    or (skip_open and partial in self._open_partials)):
                continue
            try:
                sidecar = json.loads(partial.with_name(partial.name + ".target").read_text())
            except (OSError, ValueError):
                logger.error("job feed %s has no readable target: left in place", partial)
                continue
            if partial.name in self.published_feeds:
                continue
            try:
                if self.close_reason is not None:
                    self.publish(partial, Path(sidecar["target"]), sidecar.get("gzip"))
                else:
                    publish_copy(partial, Path(sidecar["target"]), sidecar.get("gzip"))
                self.published_now.add(partial)
            except OSError as exc:
                self.publish_errors += 1
                logger.error("cannot publish the job feed %s to %s: %s", partial,
                             sidecar["target"], exc)

    @property
    def complete(self) -> bool:
        return self.close_reason in COMPLETE_REASONS

    # --- durability -----------------------------------------------------------------------

    def sync(self) -> None:
        """Make done marks durable, after what they vouch for (see the module docstring).
        Once a feed or the journal cannot be written (a full disk), no page is marked done
        again in this run: a resumed run makes those requests again."""
        if self.write_failed:
            return
        ready, self._done_ready = self._done_ready, []
        try:
            for handle in list(self._feeds):
                if not handle.closed:
                    self._flush(handle)
                if getattr(handle, "failed", None):
                    raise OSError(handle.failed)
            self._flush(self._requests)
            if ready:
                self._done_file.write("".join(f"{fingerprint}\n" for fingerprint in ready))
                self._flush(self._done_file)
        except (OSError, ValueError) as exc:
            self.write_failed = str(exc) or type(exc).__name__
            logger.error("job %s cannot write to %s (%s): pages are no longer marked done; "
                         "the next run makes them again", self.crawl_id, self.dir,
                         self.write_failed)

    def _flush(self, handle) -> None:
        handle.flush()
        if self.fsync:
            os.fsync(handle.fileno())

    def finish(self, *, published: bool) -> None:
        """End this run: a finished job forgets its journal; any other stays resumable."""
        self.sync()
        for handle in (self._requests, self._done_file):
            try:
                handle.close()
            except OSError:
                pass   # what could not be flushed is made again by the next run
        if self.complete and published:
            self.status = STATUS_FINISHED
            for name in ("requests.jsonl", "done.txt"):
                (self.dir / name).unlink(missing_ok=True)
            shutil.rmtree(self.feeds_dir, ignore_errors=True)
        else:
            self.status = STATUS_PAUSED
        try:
            self._write_info()
        except OSError as exc:
            # A full disk: job.json keeps its last state (running), so the next run resumes.
            logger.error("job %s cannot record that it is %s in %s (%s); the next run "
                         "resumes it", self.crawl_id, self.status, self.dir,
                         exc.strerror or exc)
        finally:
            self.release()

    def release(self) -> None:
        if not self._lock.closed:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()


def _renamed(temporary: str | None) -> bool:
    """True when the feed a run was publishing through `temporary` reached its target (the
    temporary file is renamed away; writers remove another's only when it died before its
    rename, and this job was then never told its feed was out: the one case left where
    the feed counts as published and is not)."""
    return temporary is not None and temporary != "" and not Path(temporary).exists()


def read_job_info(directory: str | os.PathLike) -> dict | None:
    try:
        return json.loads((Path(directory) / "job.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise JobError(f"unreadable job file {Path(directory) / 'job.json'}: {exc}") from None


def check_job_dir(directory: str | os.PathLike, site: str) -> str | None:
    """What the command line checks before a crawl: the directory is usable, not locked,
    and not holding another site's unfinished job. Returns the status of the job found."""
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JobError(f"cannot create the job directory {directory}: {exc.strerror}") from None
    if not os.access(directory, os.W_OK):
        raise JobError(f"job directory is not writable: {directory}")
    info = read_job_info(directory)
    if info and info.get("status") != STATUS_FINISHED and info.get("site") != site:
        raise JobError(f"job directory {directory} holds an unfinished crawl of "
                       f"{info.get('site')!r}, not {site!r}")
    with open(directory / "job.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise JobBusy(f"job directory {directory} is in use by another running crawl") \
                from None
        fcntl.flock(lock, fcntl.LOCK_UN)
    return info.get("status") if info else None




def wait_for_unlock(directory: str | os.PathLike, timeout: float) -> bool:
    """Wait until no process holds the job's lock (tests, scripts); True when free."""
    deadline = time.monotonic() + timeout
    path = Path(directory) / "job.lock"
    while True:
        try:
            with open(path, "a+") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(lock, fcntl.LOCK_UN)
                return True
        except OSError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
