"""`gossipcrawl crawl TARGET`: crawl one site in this process.

Heavy imports (Scrapy, the spider, the state stores) happen inside the functions that need
them, so that `gossipcrawl --help` and the commands that do not crawl start quickly.
"""

from __future__ import annotations

import os
from pathlib import Path

from gossipcrawl.commands.base import UsageError, add_setting_option, parse_setting_overrides
from gossipcrawl.commands.verbosity import add_verbosity_options


def add_parser(commands) -> None:
    parser = commands.add_parser("crawl", help="crawl one site")
    parser.add_argument("target", metavar="TARGET", help="site profile name or start URL")
    add_crawl_options(parser)
    parser.set_defaults(handler=run)


def add_crawl_options(parser) -> None:
    parser.add_argument("-o", "--output", dest="out", metavar="OUT",
                        help=".jsonl or .jsonl.gz path, or any Scrapy feed URI")
    parser.add_argument("--state", metavar="STATE",
                        help="SQLite path or redis:// URL (default: .gossipcrawl/state.sqlite3)")
    parser.add_argument("--fresh", action="store_true", help="ignore the state: emit everything")
    parser.add_argument("--job-dir", metavar="DIR",
                        help="resumable job: after Ctrl-C or a kill, the same command resumes")
    add_setting_option(parser)
    add_verbosity_options(parser)


def run(args) -> int:
    return run_crawl(args.target, out=args.out, state=args.state, fresh=args.fresh,
                     overrides=parse_setting_overrides(
                         args.settings, allow_unknown=args.allow_unknown_settings),
                     job_dir=args.job_dir, verbose=args.verbose, log_file=args.log_file)


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


def check_state(state: str | None) -> None:
    # Creates nothing: a command refused by a later check leaves no state behind.
    from gossipcrawl.state import StateError, check_state as check

    try:
        check(state)
    except StateError as exc:
        raise UsageError(str(exc)) from None


def check_job_dir(job_dir: str, site: str) -> None:
    from gossipcrawl.job.directory import JobError, check_job_dir as check

    try:
        check(job_dir, site)
    except JobError as exc:
        raise UsageError(str(exc)) from None


def run_crawl(target: str, *, out: str | None, state: str | None, fresh: bool,
              overrides: dict[str, str], announce: bool = True,
              job_dir: str | None = None, verbose: int = 0, log_file: str | None = None,
              quiet: bool | None = None) -> int:
    """Run the news spider in this process; returns the exit status."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from gossipcrawl.commands import verbosity
    from gossipcrawl.commands.summary import finish_crawl

    from gossipcrawl.feeds import feed_settings
    from gossipcrawl.sites import UnknownTarget, resolve_target

    try:
        profile = resolve_target(target)
    except UnknownTarget as exc:
        raise UsageError(str(exc)) from None
    if out:
        check_output(out)
    check_state(state)
    if job_dir:
        check_job_dir(job_dir, profile.name)

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "gossipcrawl.settings")
    settings = get_project_settings()
    if out:
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

    process = CrawlerProcess(settings)
    if log_file:
        verbosity.add_stderr_handler(settings, verbosity.terminal_level(verbose, overrides,
                                                                        quiet=quiet))
    crawler = process.create_crawler("news")
    process.crawl(crawler, target=target)
    process.start()
    return finish_crawl(crawler, out=out, job_dir=job_dir, announce=announce)
