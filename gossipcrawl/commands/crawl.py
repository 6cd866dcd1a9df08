"""`gossipcrawl crawl TARGET`: crawl one site in this process.

Heavy imports (Scrapy, the spider, the state stores) happen inside the functions that need
them, so that `gossipcrawl --help` and the commands that do not crawl start quickly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from gossipcrawl.commands.base import (EXIT_BUSY, EXIT_CRAWL_FAILED, EXIT_OUTPUT_FAILED,
                                       UsageError, add_setting_option,
                                       parse_setting_overrides)


class Busy(Exception):
    """Another crawl holds the site on this state, or is writing OUT: exit status 6."""


def add_parser(commands) -> None:
    parser = commands.add_parser("crawl", help="crawl one site")
    parser.add_argument("target", metavar="TARGET", help="site profile name or start URL")
    add_crawl_options(parser)
    parser.set_defaults(handler=run)


def add_crawl_options(parser) -> None:
    parser.add_argument("-o", "--output", dest="out", metavar="OUT",
                        help=".jsonl or .jsonl.gz path, or any Scrapy feed URI "
                             "(default: JSON lines on standard output)")
    parser.add_argument("--state", metavar="STATE",
                        help="SQLite path or redis:// URL (default: .gossipcrawl/state.sqlite3)")
    parser.add_argument("--fresh", action="store_true", help="ignore the state: emit everything")
    parser.add_argument("--job-dir", metavar="DIR",
                        help="resumable job: after Ctrl-C or a kill, the same command resumes")
    parser.add_argument("--wait", action="store_true",
                        help="when another crawl of the site (same state) or of OUT is "
                             "running, wait for it to end instead of refusing to start")
    add_setting_option(parser)


def run(args) -> int:
    return run_crawl(args.target, out=args.out, state=args.state, fresh=args.fresh,
                     overrides=parse_setting_overrides(args.settings), job_dir=args.job_dir,
                     wait=args.wait)


def check_output(out: str) -> None:
    if "://" in out and not out.startswith("file://"):
        return  # any other Scrapy feed URI: its storage reports its own errors
    path = Path(out.removeprefix("file://"))
    if not path.name.endswith((".jsonl", ".jsonl.gz")):
        raise UsageError(f"OUT must end in .jsonl or .jsonl.gz: {out}")
    if "%(" in out:
        # A partitioned feed (`out/%(site)s/%(day)s.jsonl`): check the part before the
        # first placeholder; the storage creates the rest per partition.
        path = Path(out.removeprefix("file://")[:out.index("%(")] + "x")
    directory = path.resolve().parent
    if not directory.exists():
        try:
            directory.mkdir(parents=True)
        except OSError as exc:
            raise UsageError(f"cannot create the output directory {directory}: "
                             f"{exc.strerror}") from None
    if not os.access(directory, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"OUT is not writable: {out}")



def check_state(state: str | None, site: str) -> None:
    """The state store can be opened, and no other crawl holds the site on it."""
    from gossipcrawl.state import StateBusy, StateError, open_state

    try:
        store = open_state(state, "check")
    except StateError as exc:
        raise UsageError(str(exc)) from None
    try:
        store.lock_site(site)
    except StateBusy as exc:
        raise Busy(str(exc)) from None
    finally:
        store.close()


def wait_until_free(check, *args):
    """Run a check that raises `Busy` until it passes (the `--wait` flag); its result."""
    import time

    announced = False
    while True:
        try:
            return check(*args)
        except Busy as exc:
            if not announced:
                print(f"gossipcrawl: waiting: {exc}", file=sys.stderr)
                announced = True
            time.sleep(2.0)


def check_job_dir(job_dir: str, site: str) -> None:
    from gossipcrawl.job.directory import JobError
    from gossipcrawl.job.directory import check_job_dir as check

    try:
        check(job_dir, site)
    except JobError as exc:
        raise UsageError(str(exc)) from None


def run_crawl(target: str, *, out: str | None, state: str | None, fresh: bool,
              overrides: dict[str, str], announce: bool = True,
              job_dir: str | None = None, wait: bool = False) -> int:
    """Run the news spider in this process; returns the exit status."""
    try:
        return _run_crawl(target, out=out, state=state, fresh=fresh, overrides=overrides,
                          announce=announce, job_dir=job_dir, wait=wait)
    except Busy as exc:
        print(f"gossipcrawl: busy: {exc} (--wait waits for it)", file=sys.stderr)
        return EXIT_BUSY


def _run_crawl(target: str, *, out: str | None, state: str | None, fresh: bool,
               overrides: dict[str, str], announce: bool, job_dir: str | None,
               wait: bool) -> int:
    from gossipcrawl.sites import UnknownTarget, resolve_target

    try:
        profile = resolve_target(target)
    except UnknownTarget as exc:
        raise UsageError(str(exc)) from None
    if out:
        check_output(out)
    output_lock = _wait_or_refuse(wait, lock_output, out)
    try:
        _wait_or_refuse(wait, check_state, state, profile.name)
        if job_dir:
            check_job_dir(job_dir, profile.name)
        return _crawl(target, profile, out=out, state=state, fresh=fresh, overrides=overrides,
                      announce=announce, job_dir=job_dir)
    finally:
        if output_lock is not None:
            output_lock.release()


def _wait_or_refuse(wait: bool, check, *args):
    return wait_until_free(check, *args) if wait else check(*args)


def lock_output(out: str | None):
    """Hold OUT's write lock for the whole crawl (the feed storage shares it), so that a
    second crawl writing the same file is refused at once; None for stdout, partitioned
    paths (each partition is locked as it is written) and non-file URIs."""
    if not out or "%(" in out or ("://" in out and not out.startswith("file://")):
        return None
    from gossipcrawl.utils.fs import Busy as FileBusy, WriteLock

    try:
        return WriteLock(Path(out.removeprefix("file://")))
    except FileBusy as exc:
        raise Busy(str(exc)) from None


def _crawl(target: str, profile, *, out: str | None, state: str | None, fresh: bool,
           overrides: dict[str, str], announce: bool, job_dir: str | None) -> int:
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from gossipcrawl.feeds.uris import feed_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "gossipcrawl.settings")
    settings = get_project_settings()
    settings.set("FEEDS", feed_settings(out), priority="cmdline")
    if state:
        settings.set("GOSSIPCRAWL_STATE", state, priority="cmdline")
    settings.set("GOSSIPCRAWL_FRESH", fresh, priority="cmdline")
    if job_dir:
        settings.set("GOSSIPCRAWL_JOB_DIR", str(Path(job_dir).resolve()), priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")

    process = CrawlerProcess(settings)
    crawler = process.create_crawler("news")
    process.crawl(crawler, target=target)
    process.start()
    stats = crawler.stats.get_stats()
    if announce:
        print(summary_line(stats, out or "standard output"), file=sys.stderr)
    if stats.get("gossipcrawl/job/resumed"):
        print(f"gossipcrawl: resumed job (run {stats.get('gossipcrawl/job/runs')}): "
              f"{stats.get('gossipcrawl/job/articles_in_feed', 0)} articles came from its "
              "earlier runs", file=sys.stderr)
    if stats.get("gossipcrawl/job/paused"):
        print(f"gossipcrawl: job paused ({stats.get('finish_reason')}): run the same command "
              f"again to resume it from {job_dir}", file=sys.stderr)
    return crawl_exit_status(stats, crawler.settings.getlist("GOSSIPCRAWL_OK_FINISH_REASONS"))


def delivery_problem(stats: dict) -> str | None:
    """Why this crawl's articles were not delivered (and its state not committed)."""
    from gossipcrawl.stats import STATE_ERROR, STATE_FAILED, feed_failure

    failure = feed_failure(stats)
    if failure:
        return f"cannot write {failure}"
    if stats.get(STATE_FAILED):
        return f"{stats.get(STATE_ERROR)}"
    return None


def summary_line(stats: dict, out: str) -> str:
    def count(key):
        return stats.get(key, 0)

    delivered = delivery_problem(stats) is None
    return (f"gossipcrawl: {count('gossipcrawl/items/emitted')} articles "
            + ("emitted" if delivered else "extracted, NOT delivered")
            + f" ({count('gossipcrawl/items/new')} new, {count('gossipcrawl/items/changed')}"
            f" changed, {count('gossipcrawl/items/unchanged')} unchanged) from"
            f" {count('gossipcrawl/pages/seen')} pages"
            + (f" -> {out}" if delivered else "")
            + f"; finish reason: {stats.get('finish_reason', 'unknown')}")


def crawl_exit_status(stats: dict, ok_finish_reasons: list[str]) -> int:
    from gossipcrawl.stats import BUSY_REASON, STATE_ERROR

    if stats.get("finish_reason") == BUSY_REASON:
        print(f"gossipcrawl: busy: {stats.get(STATE_ERROR)} (--wait waits for it)",
              file=sys.stderr)
        return EXIT_BUSY
    problem = delivery_problem(stats)
    if problem:
        print(f"gossipcrawl: error: {problem}; the state was not committed, the next crawl "
              "delivers the same articles", file=sys.stderr)
        return EXIT_OUTPUT_FAILED
    if stats.get("gossipcrawl/monitors/failed"):
        print("gossipcrawl: error: crawl monitors failed (see the crawl report)",
              file=sys.stderr)
        return EXIT_CRAWL_FAILED
    if stats.get("finish_reason") not in ok_finish_reasons:
        print(f"gossipcrawl: error: crawl ended early: {stats.get('finish_reason')}",
              file=sys.stderr)
        return EXIT_CRAWL_FAILED
    return 0
