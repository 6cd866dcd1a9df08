"""Pause and resume: a crawl stopped with Ctrl-C or killed (even `kill -9`) and started again
with the same job directory and the same state loses no article and emits none twice.

`gossipcrawl crawl TARGET --job-dir DIR` (or the setting `GOSSIPCRAWL_JOB_DIR`) makes the crawl
a *job* that may span several processes. The job directory holds:

    job.json         site, crawl id, status (running, paused, finished), number of runs
    job.lock         held (flock) by the process running the job: one process per job
    requests.jsonl   journal: every request the crawl decided to make, one JSON per line
    done.txt         fingerprints of the requests whose page was fully processed: its
                     items written to the feed (or dropped), its links journaled
    feeds/           the job's feed, in progress (plain JSON lines, appended to)

Why not Scrapy's own `JOBDIR`: it keeps the scheduler queue only when the crawl closes
cleanly, while its dupefilter file grows as requests are made, so after `kill -9` every
request that was queued or in flight is remembered as seen and never made again. Here the
journal is the source of truth instead. A request is *done* only once its consequences are
on disk, in this order, every `GOSSIPCRAWL_JOB_SYNC_INTERVAL` seconds and at close:

1. the feed file is flushed (and fsynced): the page's items are in it;
2. the request journal is flushed: the page's links are in it;
3. the page's fingerprint is appended to `done.txt`.

A kill at any instant leaves a done list that is a subset of what really happened. A resumed
run makes every journaled request that is not done (again), makes none that is, and drops a
torn last line of each file. The feed itself says which articles the job already emitted:
an item whose `id` is in it is not written again, and the state rows of those articles are
staged again under the job's crawl id (the id is kept in `job.json`, so what the first run
staged belongs to the resumed run and is committed with its feed). The feed is published to
OUT, atomically, only when the job finishes; a paused job keeps it in the job directory.

Components (all inactive without a job directory):

- `JobExtension` (an extension, ordered before the feed exporter): opens the job, gives the
  spider the job's crawl id, restages the emitted articles, syncs, finishes or pauses the job.
- `JobSpiderMiddleware`: replays the pending requests, journals new ones, skips known ones,
  drops items already in the feed, and marks pages done.
- `JobFeedStorage`: the feed storage used by `gossipcrawl.storage.AtomicFileFeedStorage`
  while a job runs; it appends to `feeds/` and publishes at the end.
"""

from __future__ import annotations

import base64
import fcntl
import gzip
import hashlib
import json
import logging
import os
import pickle
import shutil
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from itemadapter import ItemAdapter, is_item
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object

from gossipcrawl.storage import _fsync_directory, remove_stale_temporaries, write_text_atomically

logger = logging.getLogger(__name__)

JOB_DIR_SETTING = "GOSSIPCRAWL_JOB_DIR"
FINGERPRINT_META = "gossipcrawl_job_fp"
# Close reasons after which the job is over: its feed is published, its state committed.
COMPLETE_REASONS = frozenset({"finished", "closespider_pagecount", "closespider_itemcount",
                              "closespider_timeout"})
STATUS_RUNNING, STATUS_PAUSED, STATUS_FINISHED = "running", "paused", "finished"


class JobError(RuntimeError):
    """The job directory cannot be used: locked by a live crawl, another site's, unreadable."""


def job_of(crawler) -> Job | None:
    """The job this crawler runs, or None when it runs without a job directory."""
    return getattr(crawler, "gossipcrawl_job", None)


# --- files written by a process that may be killed at any byte -------------------------------

def truncate_torn_tail(path: Path) -> int:
    """Cut a file back to its last newline (a killed writer leaves half a line); returns the
    number of bytes removed."""
    try:
        handle = open(path, "r+b")
    except FileNotFoundError:
        return 0
    with handle:
        size = handle.seek(0, os.SEEK_END)
        end = size
        while end > 0:
            start = max(0, end - 65536)
            handle.seek(start)
            chunk = handle.read(end - start)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            end = start
        else:
            keep = 0
        if keep != size:
            handle.truncate(keep)
        return size - keep


def _sync(handle) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _write_json_atomically(path: Path, data: dict) -> None:
    write_text_atomically(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- request journal encoding: JSON, with bytes and odd meta values wrapped -----------------

def _encode(value):
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    return {"$pickle": base64.b64encode(pickle.dumps(value)).decode("ascii")}


def _decode(obj: dict):
    if len(obj) == 1:
        if "$b64" in obj:
            return base64.b64decode(obj["$b64"])
        if "$pickle" in obj:
            return pickle.loads(base64.b64decode(obj["$pickle"]))  # noqa: S301 - our own file
    return obj


def encode_request(request: Request, spider) -> str:
    data = request.to_dict(spider=spider)
    data["headers"] = {name.decode("latin-1"): [value.decode("latin-1") for value in values]
                       for name, values in data.get("headers", {}).items()}
    return json.dumps(data, default=_encode, ensure_ascii=False, separators=(",", ":"))


def decode_request(line: str, spider) -> Request:
    from scrapy.utils.request import request_from_dict

    return request_from_dict(json.loads(line, object_hook=_decode), spider=spider)


# --- the job ------------------------------------------------------------------------------

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
            raise JobError(f"job directory {self.dir} is in use by another running crawl") \
                from None
        try:
            self._open(crawl_id)
        except BaseException:
            self.release()
            raise

    def _open(self, crawl_id: str) -> None:
        info = read_job_info(self.dir)
        if info and info.get("site") != self.site and info.get("status") != STATUS_FINISHED:
            raise JobError(f"job directory {self.dir} holds an unfinished crawl of "
                           f"{info.get('site')!r}, not {self.site!r}")
        self.resuming = bool(info) and info.get("status") in (STATUS_RUNNING, STATUS_PAUSED)
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
            "pid": os.getpid(), "closeReason": getattr(self, "close_reason", None)})

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
            except Exception as exc:  # noqa: BLE001 - one bad line must not stop the others
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
            try:
                publish_feed(partial, Path(sidecar["target"]), sidecar.get("gzip"))
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
        """Make done marks durable, after what they vouch for (see the module docstring)."""
        ready, self._done_ready = self._done_ready, []
        for handle in list(self._feeds):
            if not handle.closed:
                self._flush(handle)
        self._flush(self._requests)
        if ready:
            self._done_file.write("".join(f"{fingerprint}\n" for fingerprint in ready))
            self._flush(self._done_file)

    def _flush(self, handle) -> None:
        handle.flush()
        if self.fsync:
            os.fsync(handle.fileno())

    def finish(self, *, published: bool) -> None:
        """End this run: a finished job forgets its journal; any other stays resumable."""
        self.sync()
        self._requests.close()
        self._done_file.close()
        if self.complete and published:
            self.status = STATUS_FINISHED
            for name in ("requests.jsonl", "done.txt"):
                (self.dir / name).unlink(missing_ok=True)
            shutil.rmtree(self.feeds_dir, ignore_errors=True)
        else:
            self.status = STATUS_PAUSED
        self._write_info()
        self.release()

    def release(self) -> None:
        if not self._lock.closed:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()


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
            raise JobError(f"job directory {directory} is in use by another running crawl") \
                from None
        fcntl.flock(lock, fcntl.LOCK_UN)
    return info.get("status") if info else None


def default_crawl_id(site: str) -> str:
    return f"{site}-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


# --- Scrapy components ------------------------------------------------------------------------

class JobExtension:
    """Opens the job named by `GOSSIPCRAWL_JOB_DIR` and drives its life: crawl id, restaged
    state, periodic sync, and at the end either a finished job or a paused one."""

    def __init__(self, crawler, job: Job, interval: float):
        self.crawler = crawler
        self.job = job
        self.interval = interval
        self._loop = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        directory = settings.get(JOB_DIR_SETTING)
        if not directory:
            raise NotConfigured
        if settings.get("JOBDIR"):
            logger.warning("JOBDIR is set as well as %s: Scrapy's own queue loses requests "
                           "on kill -9 and will replay duplicates; leave JOBDIR empty",
                           JOB_DIR_SETTING)
        spider = crawler.spider
        profile = getattr(spider, "profile", None)
        site = profile.name if profile is not None else spider.name
        crawl_id = getattr(spider, "crawl_id", None) or default_crawl_id(site)
        job = Job(directory, site=site, crawl_id=crawl_id,
                  fsync=settings.getbool("GOSSIPCRAWL_JOB_FSYNC", True))
        # Before the pipelines open the state: the job's crawl id is the one staged rows
        # of earlier runs are filed under.
        spider.crawl_id = job.crawl_id
        crawler.gossipcrawl_job = job
        extension = cls(crawler, job, settings.getfloat("GOSSIPCRAWL_JOB_SYNC_INTERVAL", 1.0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self, spider):
        job, stats = self.job, self.crawler.stats
        stats.set_value("gossipcrawl/job/runs", job.runs)
        if job.resuming:
            stats.set_value("gossipcrawl/job/resumed", 1)
            stats.set_value("gossipcrawl/job/articles_in_feed", len(job.emitted))
            stats.set_value("gossipcrawl/job/requests_pending", job.pending_count)
            logger.info("resuming job %s (run %d) in %s: %d articles already in its feed, "
                        "%d requests to make, %d pages done", job.crawl_id, job.runs, job.dir,
                        len(job.emitted), job.pending_count, len(job.done))
            self._restage()
        else:
            logger.info("job %s started in %s", job.crawl_id, job.dir)
        import gossipcrawl

        # Which code runs matters on a Scrapyd node (the deployed egg, or an installed copy).
        logger.info("gossipcrawl %s from %s", gossipcrawl.__version__,
                    Path(gossipcrawl.__file__).parent)
        from scrapy.utils.asyncio import create_looping_call

        self._loop = create_looping_call(job.sync)
        self._loop.start(self.interval, now=False)

    def _restage(self):
        """Stage again, under the job's crawl id, every article its feed holds: a killed run
        may have written an item before its staged row reached the store."""
        state = getattr(self.crawler, "gossipcrawl_state", None)
        if state is None:
            return
        # What a killed run staged but never wrote to the feed must not count as seen.
        state.discard_staged()
        for article_id, (content_hash, revision) in self.job.emitted.items():
            state.stage(article_id, content_hash, revision)

    def spider_closed(self, spider, reason):
        # Connected before the feed exporter's handler: the storage must know, when it is
        # asked to store the feed, whether the job is finishing or pausing.
        self.job.close_reason = reason
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.job.sync()
        if self.job.complete:
            self.job.publish_leftovers()
        else:
            self.crawler.stats.set_value("gossipcrawl/job/paused", 1)

    def engine_stopped(self):
        job = self.job
        failed = any(key.startswith("feedexport/failed_count/")
                     for key in self.crawler.stats.get_stats())
        if job.close_reason is None:
            job.close_reason = self.crawler.stats.get_value("finish_reason")
        if job.complete and not failed:
            job.publish_leftovers(skip_open=False)   # nothing of a finished job stays behind
        job.finish(published=not failed and not job.publish_errors)
        if job.status == STATUS_PAUSED:
            self.crawler.stats.set_value("gossipcrawl/job/paused", 1)  # also if publishing failed
            logger.info("job %s paused (%s): run the same crawl with the same job directory "
                        "to resume it", job.crawl_id, job.close_reason)


class JobSpiderMiddleware:
    """The request journal's gate: replays, records, skips, and marks pages done."""

    def __init__(self, crawler, job: Job):
        self.crawler = crawler
        self.job = job
        self.stats = crawler.stats
        # Pages whose output is being processed: id(response) -> [fingerprint, items not
        # yet through the pipelines, output exhausted, the response].
        self._pages: dict[int, list] = {}
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self._item_settled, signal=signal)

    @classmethod
    def from_crawler(cls, crawler):
        job = job_of(crawler)
        if job is None:
            raise NotConfigured
        return cls(crawler, job)

    def _fingerprint(self, request: Request) -> str:
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    def _admit(self, request: Request) -> bool:
        fingerprint = self._fingerprint(request)
        if fingerprint in self.job.known:
            if request.dont_filter:
                request.meta[FINGERPRINT_META] = fingerprint
                return True
            self.stats.inc_value("gossipcrawl/job/requests_known")
            return False
        if self.job.journal(request, fingerprint, self.crawler.spider):
            self.stats.inc_value("gossipcrawl/job/requests_journaled")
        else:
            self.stats.inc_value("gossipcrawl/job/requests_not_journaled")
            request.meta["gossipcrawl_job_unjournaled"] = True
        return True

    async def process_start(self, start):
        replayed = 0
        for request in self.job.pending_requests(self.crawler.spider):
            replayed += 1
            yield request
        if replayed:
            self.stats.set_value("gossipcrawl/job/requests_replayed", replayed)
        async for item_or_request in start:
            if isinstance(item_or_request, Request) and not self._admit(item_or_request):
                continue
            yield item_or_request

    async def process_spider_output(self, response, result):
        request = response.request
        fingerprint = response.meta.get(FINGERPRINT_META) or (
            self._fingerprint(request) if request is not None else None)
        page = [fingerprint, 0, False, response]   # the response: keeps id() unique
        self._pages[id(response)] = page
        async for output in result:
            if isinstance(output, Request):
                if not self._admit(output):
                    continue
                if output.meta.pop("gossipcrawl_job_unjournaled", False):
                    page[0] = None  # a link a resumed run would not know: never done
            elif is_item(output):
                article_id = ItemAdapter(output).get("id")
                if article_id in self.job.emitted:
                    self.stats.inc_value("gossipcrawl/job/items_already_in_feed")
                    logger.debug("already in the job's feed: %s", article_id)
                    continue
                page[1] += 1
            yield output
        page[2] = True
        self._maybe_done(id(response))

    def _item_settled(self, item, response=None, **kwargs):
        if response is None:
            return
        page = self._pages.get(id(response))
        if page is None:
            return
        page[1] -= 1
        self._maybe_done(id(response))

    def _maybe_done(self, key: int) -> None:
        page = self._pages.get(key)
        if page is not None and page[2] and page[1] <= 0:
            del self._pages[key]
            if page[0]:
                self.job.mark_done(page[0])


class JobFeedStorage:
    """A job's feed: appended to in the job directory across runs, published atomically to
    its target when the job finishes. `.gz` targets are compressed at publication, so the
    file in progress stays plain JSON lines that a resumed run can check and extend.

    A feed split in batches (`FEED_EXPORT_BATCH_ITEM_COUNT`) has each full batch published
    as soon as it is closed, as without a job; use `%(batch_time)s` or `%(time)s` in its
    name, since a resumed run counts `%(batch_id)d` from 1 again."""

    def __init__(self, job: Job, uri: str, *, feed_options: dict | None = None):
        from gossipcrawl.storage import target_path

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
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out, open(partial, "rb") as source:
            if gzip_options is not None:
                with gzip.GzipFile(filename="", mode="wb", fileobj=out,
                                   **gzip_options) as packed:
                    shutil.copyfileobj(source, packed, 1 << 20)
            else:
                shutil.copyfileobj(source, out, 1 << 20)
            _sync(out)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)
    logger.info("feed written atomically: %s", target)


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
