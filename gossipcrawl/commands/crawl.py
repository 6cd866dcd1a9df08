"""`gossipcrawl crawl TARGET`: crawl one site in this process.

Heavy imports (Scrapy, the spider, the state stores) happen inside the functions that need
them, so that `gossipcrawl --help` and the commands that do not crawl start quickly.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from gossipcrawl.commands.base import (EXIT_BUSY, EXIT_INTERRUPTED, UsageError,
                                       add_setting_option, parse_setting_overrides)
from gossipcrawl.commands.verbosity import add_verbosity_options


class Busy(Exception):
    """Another crawl holds the site on this state, or is writing OUT: exit status 6."""


def add_parser(commands) -> None:
    parser = commands.add_parser("crawl", help="crawl one site, or several in one process")
    parser.add_argument("targets", metavar="TARGET", nargs="*",
                        help="site profile name or start URL (several: one crawl each, in "
                             "one process)")
    parser.add_argument("--all", action="store_true", help="every site profile")
    parser.add_argument("--group", metavar="NAME",
                        help="the sites of a [[groups]] entry of the schedule file")
    parser.add_argument("--schedule", metavar="FILE", default="schedule.toml",
                        help="where --group looks (default: %(default)s)")
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
    add_verbosity_options(parser)


def run(args) -> int:
    overrides = parse_setting_overrides(args.settings, allow_unknown=args.allow_unknown_settings)
    targets = chosen_targets(args)
    if len(targets) == 1 and not (args.all or args.group):
        return run_crawl(targets[0], out=args.out, state=args.state, fresh=args.fresh,
                         overrides=overrides, job_dir=args.job_dir, verbose=args.verbose,
                         log_file=args.log_file, wait=args.wait)
    return run_crawls(targets, out=args.out, state=args.state, fresh=args.fresh,
                      overrides=overrides, job_dir=args.job_dir, verbose=args.verbose,
                      log_file=args.log_file, wait=args.wait)


def chosen_targets(args) -> list[str]:
    """The targets a command line names: TARGETs, every profile (`--all`), a group's."""
    targets = list(args.targets)
    if args.all:
        from gossipcrawl.sites import load_profiles

        targets += list(load_profiles())
    if args.group:
        from gossipcrawl.scheduler import ScheduleError
        from gossipcrawl.scheduler.config import load_groups

        try:
            groups = load_groups(args.schedule)
        except ScheduleError as exc:
            raise UsageError(str(exc)) from None
        if args.group not in groups:
            known = ", ".join(sorted(groups)) or "none"
            raise UsageError(f"no group {args.group!r} in {args.schedule} (groups: {known})")
        targets += groups[args.group]
    if not targets:
        raise UsageError("crawl needs a TARGET (or several, --all, --group NAME)")
    return list(dict.fromkeys(targets))


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
    # Nothing is left behind here (a later check may refuse the command): the directory is
    # probed (what is missing of it created, a file written, all removed again).
    from gossipcrawl.utils.fs import probe_directory

    directory = path.resolve().parent
    try:
        probe_directory(directory)
    except OSError as exc:
        raise UsageError(f"cannot create the output directory {directory}: "
                         f"{exc.strerror or exc}") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"OUT is not writable: {out}")


def check_state(state: str | None) -> None:
    # Creates nothing: a command refused by a later check leaves no state behind.
    from gossipcrawl.state import StateError, check_state as check

    try:
        check(state)
    except StateError as exc:
        raise UsageError(str(exc)) from None


def check_site_free(state: str | None, site: str) -> None:
    """`Busy` when another live crawl holds the site on this state (a state that does not
    exist yet is held by nobody, and is not created here)."""
    from gossipcrawl.state import StateBusy, state_exists

    if not state_exists(state):
        return
    from gossipcrawl.state import open_state

    store = open_state(state, "check")
    try:
        store.lock_site(site)
    except StateBusy as exc:
        raise Busy(str(exc)) from None
    finally:
        store.close()


def lock_output(out: str | None):
    """Hold OUT's write lock for the whole crawl (the feed storage shares it), so that a
    second crawl writing the same file is refused at once; None for stdout, partitioned
    paths (each partition is locked as it is written) and non-file URIs."""
    if not out or "%(" in out or ("://" in out and not out.startswith("file://")):
        return None
    from gossipcrawl.utils.fs import Busy as FileBusy, WriteLock

    path = Path(out.removeprefix("file://"))
    if not path.resolve().parent.exists():
        return None   # nobody writes into a directory that does not exist yet
    try:
        return WriteLock(path)
    except FileBusy as exc:
        raise Busy(str(exc)) from None


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
    """`Busy` while another crawl runs the job; `UsageError` when it cannot be used."""
    from gossipcrawl.job.directory import JobBusy, JobError, check_job_dir as check

    try:
        check(job_dir, site)
    except JobBusy as exc:
        raise Busy(str(exc)) from None
    except JobError as exc:
        raise UsageError(str(exc)) from None


def run_crawl(target: str, *, out: str | None, state: str | None, fresh: bool,
              overrides: dict[str, str], announce: bool = True,
              job_dir: str | None = None, verbose: int = 0, log_file: str | None = None,
              quiet: bool | None = None, wait: bool = False) -> int:
    """Run the news spider in this process; returns the exit status."""
    from gossipcrawl.sites import UnknownTarget, resolve_target

    try:
        profile = resolve_target(target)
    except UnknownTarget as exc:
        raise UsageError(str(exc)) from None
    if out:
        check_output(out)
    check_state(state)
    try:
        output_lock = wait_until_free(lock_output, out) if wait else lock_output(out)
        try:
            if wait:
                wait_until_free(check_site_free, state, profile.name)
            else:
                check_site_free(state, profile.name)
            if job_dir:
                if wait:
                    wait_until_free(check_job_dir, job_dir, profile.name)
                else:
                    check_job_dir(job_dir, profile.name)
            return _crawl(target, out=out, state=state, fresh=fresh, overrides=overrides,
                          announce=announce, job_dir=job_dir, verbose=verbose,
                          log_file=log_file, quiet=quiet)
        finally:
            if output_lock is not None:
                output_lock.release()
    except Busy as exc:
        print(f"gossipcrawl: busy: {exc} (--wait waits for it)", file=sys.stderr)
        return EXIT_BUSY


def _crawl(target: str, *, out: str | None, state: str | None, fresh: bool,
           overrides: dict[str, str], announce: bool, job_dir: str | None, verbose: int,
           log_file: str | None, quiet: bool | None) -> int:
    from gossipcrawl.commands.summary import finish_crawl

    process = crawler_process(out=out, state=state, fresh=fresh, overrides=overrides,
                              job_dir=job_dir, verbose=verbose, log_file=log_file, quiet=quiet)
    crawler = process.create_crawler("news")
    # Ctrl-C while Scrapy builds the crawler (before its own SIGINT handler is in) raises
    # KeyboardInterrupt inside the crawl's Deferred: nothing ran, say so (a job resumes).
    interrupted: list = []
    process.crawl(crawler, target=target).addErrback(_note_interrupt, interrupted)
    if not interrupted:
        process.start()
    if interrupted:
        print("gossipcrawl: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return finish_crawl(crawler, out=out, job_dir=job_dir, announce=announce)


def run_crawls(targets: list[str], *, out: str | None, state: str | None, fresh: bool,
               overrides: dict[str, str], job_dir: str | None, verbose: int = 0,
               log_file: str | None = None, wait: bool = False) -> int:
    """Several sites in this process (gossipcrawl.sitecrawls); returns the exit status."""
    from gossipcrawl.commands.summary import finish_sites
    from gossipcrawl.sitecrawls import SiteRun, run_sites, site_directory
    from gossipcrawl.sites import UnknownTarget, resolve_target

    runs = []
    for target in targets:
        try:
            runs.append(SiteRun(target, resolve_target(target)))
        except UnknownTarget as exc:
            raise UsageError(str(exc)) from None
    names = [run.name for run in runs]
    if len(set(names)) < len(names):
        twice = sorted({name for name in names if names.count(name) > 1})
        raise UsageError(f"the same site is named twice: {', '.join(twice)}")
    if out and "%(site)s" not in out:
        raise UsageError("with several sites, OUT must name %(site)s, one file per site "
                         "(for example out/%(site)s/%(day)s.jsonl.gz)")
    if out:
        check_output(out)
    check_state(state)
    try:
        for run in runs:
            if wait:
                wait_until_free(check_site_free, state, run.name)
            else:
                check_site_free(state, run.name)
            if job_dir:
                check_job_dir(str(Path(job_dir) / site_directory(run.profile)), run.name)
    except Busy as exc:
        print(f"gossipcrawl: busy: {exc} (--wait waits for it)", file=sys.stderr)
        return EXIT_BUSY
    process = crawler_process(out=out, state=state, fresh=fresh, overrides=overrides,
                              job_dir=None, verbose=verbose, log_file=log_file, quiet=None,
                              sites=len(runs))
    run_sites(process, runs, job_dir=job_dir)
    return finish_sites(runs, out=out, job_dir=job_dir)


def crawler_process(*, out: str | None, state: str | None, fresh: bool,
                    overrides: dict[str, str], job_dir: str | None, verbose: int,
                    log_file: str | None, quiet: bool | None, sites: int = 1):
    """The CrawlerProcess of a crawl: the project's settings and the command line's."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from gossipcrawl.commands import verbosity
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
    # What stderr shows (gossipcrawl.commands.verbosity); the outcome is printed below.
    for name, value in verbosity.log_settings(verbose, log_file, overrides,
                                              quiet=quiet).items():
        settings.set(name, value, priority="cmdline")
    settings.set("GOSSIPCRAWL_OUTCOME_LINE", False, priority="cmdline")
    if sites > 1 and "GOSSIPCRAWL_PROGRESS" not in overrides:
        # One status line per crawler would overwrite each other: a line per site is
        # printed at the end instead.
        settings.set("GOSSIPCRAWL_PROGRESS", "off", priority="cmdline")
    process = CrawlerProcess(settings)
    if log_file:
        verbosity.add_stderr_handler(settings, verbosity.terminal_level(verbose, overrides,
                                                                        quiet=quiet))
    return process


def _note_interrupt(failure, interrupted: list):
    if failure.check(KeyboardInterrupt):
        interrupted.append(failure)
        return None
    return failure
