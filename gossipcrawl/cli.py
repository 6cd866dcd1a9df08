"""The `gossipcrawl` command: crawl, extract, sites, demo.

Bad arguments give one plain line on stderr and exit status 2; a crawl whose monitors
failed exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_USAGE = 2
EXIT_CRAWL_FAILED = 1


class UsageError(Exception):
    """A bad command line: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gossipcrawl",
                     description="Crawl soap and entertainment news sites into JSON lines.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    crawl = commands.add_parser("crawl", help="crawl one site")
    crawl.add_argument("target", metavar="TARGET", help="site profile name or start URL")
    _add_crawl_options(crawl)

    extract = commands.add_parser("extract", help="extract articles from saved HTML files")
    extract.add_argument("files", metavar="FILE", nargs="+")
    extract.add_argument("--url", help="the page's URL (with one FILE)")

    commands.add_parser("sites", help="list the site profiles")

    schedule = commands.add_parser("schedule", help="dispatch due crawls to Scrapyd nodes")
    from gossipcrawl.schedule import add_arguments as add_schedule_arguments

    add_schedule_arguments(schedule)

    from gossipcrawl.fixtures_cmd import add_parser as add_fixture_parser

    add_fixture_parser(commands)

    demo = commands.add_parser("demo", help="serve the bundled demo site and crawl it")
    demo.add_argument("-o", "--output", dest="out", default="gossipcrawl-demo.jsonl",
                      metavar="OUT", help="JSONL output (default: %(default)s)")
    demo.add_argument("-s", "--set", dest="settings", action="append", default=[],
                      metavar="NAME=VALUE", help="override a Scrapy setting")
    return parser


def _add_crawl_options(parser) -> None:
    parser.add_argument("-o", "--output", dest="out", metavar="OUT",
                        help=".jsonl or .jsonl.gz path, or any Scrapy feed URI")
    parser.add_argument("--state", metavar="STATE",
                        help="SQLite path or redis:// URL (default: .gossipcrawl/state.sqlite3)")
    parser.add_argument("--fresh", action="store_true", help="ignore the state: emit everything")
    parser.add_argument("--job-dir", metavar="DIR",
                        help="resumable job: after Ctrl-C or a kill, the same command resumes")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE", help="override a Scrapy setting")


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        handler = {"crawl": cmd_crawl, "extract": cmd_extract, "sites": cmd_sites,
                   "demo": cmd_demo, "fixture": cmd_fixture,
                   "schedule": cmd_schedule}[args.command]
        return handler(args)
    except UsageError as exc:
        print(f"gossipcrawl: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gossipcrawl: interrupted", file=sys.stderr)
        return 130


# --- crawl -----------------------------------------------------------------------------------

def parse_setting_overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s takes NAME=VALUE, got {pair!r}")
        overrides[name.strip()] = value
    return overrides


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


def check_state(state: str | None, crawl_id: str = "check") -> None:
    from gossipcrawl.state import StateError, open_state

    try:
        store = open_state(state, crawl_id)
    except StateError as exc:
        raise UsageError(str(exc)) from None
    store.close()


def run_crawl(target: str, *, out: str | None, state: str | None, fresh: bool,
              overrides: dict[str, str], announce: bool = True,
              job_dir: str | None = None) -> int:
    """Run the news spider in this process; returns the exit status."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from gossipcrawl.sites import UnknownTarget, resolve_target
    from gossipcrawl.storage import feed_settings

    try:
        resolve_target(target)
    except UnknownTarget as exc:
        raise UsageError(str(exc)) from None
    if out:
        check_output(out)
    check_state(state)
    if job_dir:
        check_job_dir(job_dir, target)

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

    process = CrawlerProcess(settings)
    crawler = process.create_crawler("news")
    process.crawl(crawler, target=target)
    process.start()
    stats = crawler.stats.get_stats()
    if announce:
        print(summary_line(stats, out), file=sys.stderr)
    if stats.get("gossipcrawl/job/resumed"):
        print(f"gossipcrawl: resumed job (run {stats.get('gossipcrawl/job/runs')}): "
              f"{stats.get('gossipcrawl/job/articles_in_feed', 0)} articles came from its "
              "earlier runs", file=sys.stderr)
    if stats.get("gossipcrawl/job/paused"):
        print(f"gossipcrawl: job paused ({stats.get('finish_reason')}): run the same command "
              f"again to resume it from {job_dir}", file=sys.stderr)
    return crawl_exit_status(stats)


def check_job_dir(job_dir: str, target: str) -> None:
    from gossipcrawl.resume import JobError, check_job_dir as check
    from gossipcrawl.sites import resolve_target

    try:
        check(job_dir, resolve_target(target).name)
    except JobError as exc:
        raise UsageError(str(exc)) from None


def summary_line(stats: dict, out: str | None) -> str:
    def count(key):
        return stats.get(key, 0)

    return (f"gossipcrawl: {count('gossipcrawl/items/emitted')} articles emitted"
            f" ({count('gossipcrawl/items/new')} new, {count('gossipcrawl/items/changed')}"
            f" changed, {count('gossipcrawl/items/unchanged')} unchanged) from"
            f" {count('gossipcrawl/pages/seen')} pages"
            + (f" -> {out}" if out else "")
            + f"; finish reason: {stats.get('finish_reason', 'unknown')}")


def crawl_exit_status(stats: dict) -> int:
    if stats.get("gossipcrawl/monitors/failed"):
        print("gossipcrawl: error: crawl monitors failed (see the crawl report)",
              file=sys.stderr)
        return EXIT_CRAWL_FAILED
    if stats.get("finish_reason") not in ("finished", "closespider_pagecount",
                                          "closespider_itemcount", "closespider_timeout"):
        print(f"gossipcrawl: error: crawl ended early: {stats.get('finish_reason')}",
              file=sys.stderr)
        return EXIT_CRAWL_FAILED
    return 0


def cmd_crawl(args) -> int:
    return run_crawl(args.target, out=args.out, state=args.state, fresh=args.fresh,
                     overrides=parse_setting_overrides(args.settings), job_dir=args.job_dir)


def cmd_schedule(args) -> int:
    from gossipcrawl.schedule import ScheduleError, run

    try:
        return run(args)
    except ScheduleError as exc:
        raise UsageError(str(exc)) from None


# --- extract ---------------------------------------------------------------------------------

def cmd_extract(args) -> int:
    from datetime import datetime, timezone

    from gossipcrawl.extract.dates import format_utc
    from gossipcrawl.extract.html import NotHtml
    from gossipcrawl.items import to_record
    from gossipcrawl.pages.generic import NotAnArticle, extract_article

    if args.url and len(args.files) != 1:
        raise UsageError("--url goes with exactly one FILE")
    if args.url and not args.url.startswith(("http://", "https://")):
        raise UsageError(f"--url must be an http(s) URL: {args.url}")
    paths = [Path(name) for name in args.files]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
    from gossipcrawl.runtime import settle_process

    settle_process()
    crawl_id = f"extract-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}"
    failures = 0
    out = sys.stdout
    for path in paths:
        url = args.url or path.resolve().as_uri()
        try:
            body = path.read_bytes()
            article = extract_article(body, url)
        except NotAnArticle as exc:
            print(f"{path}: not an article: {exc.reason}", file=sys.stderr)
            continue
        except NotHtml as exc:
            print(f"{path}: not an article: {exc}", file=sys.stderr)
            continue
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror}", file=sys.stderr)
            failures += 1
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            print(f"{path}: extraction failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failures += 1
            continue
        record = to_record(article, date_downloaded=format_utc(datetime.now(timezone.utc)),
                           crawl_id=crawl_id)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 1 if failures else 0


def cmd_fixture(args) -> int:
    from gossipcrawl.fixtures_cmd import cmd_fixture as record_fixture

    return record_fixture(args)


# --- sites, demo -----------------------------------------------------------------------------

def cmd_sites(args) -> int:
    from gossipcrawl.sites import load_profiles

    profiles = load_profiles()
    width = max((len(name) for name in profiles), default=4)
    print(f"{'name':<{width}}  {'domains':<40}  sources")
    for name, profile in profiles.items():
        print(f"{name:<{width}}  {', '.join(profile.domains):<40}  {profile.describe_sources()}")
    return 0


def cmd_demo(args) -> int:
    import tempfile

    from gossipcrawl.demo.server import DemoSite

    check_output(args.out)
    overrides = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "WARNING",
                 "CONCURRENT_REQUESTS_PER_DOMAIN": "8"}
    overrides.update(parse_setting_overrides(args.settings))
    with tempfile.TemporaryDirectory(prefix="gossipcrawl-demo-") as scratch, DemoSite() as site:
        print(f"gossipcrawl: demo site serving at {site.base_url}", file=sys.stderr)
        # A fresh state each time, so the demo always shows every article.
        return run_crawl(site.base_url + "/", out=args.out,
                         state=str(Path(scratch) / "state.sqlite3"), fresh=False,
                         overrides=overrides)


if __name__ == "__main__":
    sys.exit(main())
