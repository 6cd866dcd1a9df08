"""`gossipcrawl fixture`: record one page into `fixtures/articles/` for review and tests.

    gossipcrawl fixture URL [--name NAME]              fetch it (one-page Scrapy crawl)
    gossipcrawl fixture --file saved.html --url URL    or take a saved copy

writes `<dir>/<name>.html` (the bytes as served) and `<dir>/<name>.json`:
`{"url": ..., "article": true, "expected": {...}}` (or `{"url": ..., "article": false}` for
a page that is not an article), where `expected` holds every field the extractor gives
*now* (the same checks `tests/test_fixtures.py` runs: exact fields, the body's first and
last words, the section headings). Review them against the page, correct what is wrong, add
`articleBody_contains` / `articleBody_excludes` lines, and the fixture tests pick the pair
up.

The fetch is a real one-page crawl with the project's settings, so the User-Agent,
robots.txt, the GET-only guard and the Retry-After handling all apply: a page robots.txt
forbids is not recorded.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from gossipcrawl.commands.base import UsageError, add_setting_option, parse_setting_overrides
from gossipcrawl.schemas import article_schema
from datetime import UTC

DEFAULT_DIR = Path("fixtures/articles")
# Record fields a fixture does not expect: set by the pipelines or the crawl, the fixture's
# own URL, the contract's version; the body and its sections are checked by their shape.
NOT_EXPECTED = frozenset({"revision", "storyId", "metadata", "url", "schemaVersion",
                          "articleBody", "sections"})
BODY_END_CHARS = 80


class FixtureError(Exception):
    """The page could not be recorded (message for the user)."""


def fixture_name(url: str) -> str:
    """`soapdirt-gh-sonny-returns` from `https://soapdirt.com/gh-sonny-returns/`."""
    parts = urlsplit(url)
    host = (parts.hostname or "page").lower().removeprefix("www.")
    labels = host.split(".")
    site = labels[-2] if len(labels) >= 2 and not labels[-1].isdigit() else host
    segments = [segment for segment in parts.path.split("/") if segment]
    tail = segments[-1] if segments else "home"
    if tail.lower() in ("amp", "index.html") and len(segments) > 1:
        tail = segments[-2] + "-" + tail
    name = re.sub(r"[^a-z0-9]+", "-", f"{site}-{tail}".lower()).strip("-")
    return name[:80] or "page"


def _words_cut(text: str, size: int, *, from_end: bool) -> str:
    if len(text) <= size:
        return text
    if from_end:
        cut = text[-size:]
        return cut[cut.find(" ") + 1:] if " " in cut else cut
    cut = text[:size]
    return cut[:cut.rfind(" ")] if " " in cut else cut


def exact_fields() -> list[str]:
    """The record fields a fixture compares exactly, in the contract's order."""
    return [name for name in article_schema()["properties"] if name not in NOT_EXPECTED]


def expected_fields(record: dict) -> dict:
    """What a fixture expects of an item: the exact fields and the body's shape."""
    expected = {name: record.get(name) for name in exact_fields()}
    body = record.get("articleBody") or ""
    expected["articleBody_startswith"] = _words_cut(body, BODY_END_CHARS, from_end=False)
    expected["articleBody_endswith"] = _words_cut(body, BODY_END_CHARS, from_end=True)
    expected["sections_headings"] = [section.get("heading")
                                     for section in record.get("sections") or []]
    return expected


def build_fixture(body: bytes, url: str, content_type: str | None = None) -> tuple[dict, str]:
    """(the fixture's JSON object, a one-line verdict) for a page's bytes."""
    from datetime import datetime

    from gossipcrawl.extract.dates import format_utc
    from gossipcrawl.items import to_record
    from gossipcrawl.pages.generic import NotAnArticle
    from gossipcrawl.pages.registry import extract_article

    try:
        article = extract_article(body, url, content_type)
    except NotAnArticle as exc:
        return {"url": url, "article": False}, f"not an article: {exc.reason}"
    record = to_record(article, date_downloaded=format_utc(datetime.now(UTC)),
                       crawl_id="fixture")
    return ({"url": url, "article": True, "expected": expected_fields(record)},
            f"article: {record.get('headline')!r}")


def write_fixture(directory: Path, name: str, body: bytes, fixture: dict, *,
                  force: bool = False) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    html_path, json_path = directory / f"{name}.html", directory / f"{name}.json"
    if not force and (html_path.exists() or json_path.exists()):
        raise FixtureError(f"{json_path} exists (use --force to replace it, or --name)")
    html_path.write_bytes(body)
    json_path.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n",
                         encoding="utf-8")
    return html_path, json_path


def fetch_page(url: str, overrides: dict[str, str] | None = None) -> tuple[bytes, str, str | None]:
    """(body, final URL, Content-Type) of one page, fetched by a one-page Scrapy crawl with
    the project's settings (User-Agent, robots.txt, GET-only, Retry-After)."""
    import os

    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "gossipcrawl.settings")
    settings = get_project_settings()
    for name, value in {"ITEM_PIPELINES": {}, "FEEDS": {}, "LOG_LEVEL": "WARNING",
                        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                        "EXTENSIONS": {"gossipcrawl.monitors.extension.CrawlMonitors": None},
                        "SPIDERMON_ENABLED": False, "GOSSIPCRAWL_OUTCOME_LINE": False}.items():
        settings.set(name, value, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    got: dict = {}

    class FixtureSpider(scrapy.Spider):
        name = "fixture"

        async def start(self):
            yield scrapy.Request(url, callback=self.keep, errback=self.failed,
                                 dont_filter=True)

        def keep(self, response):
            content_type = response.headers.get("Content-Type")
            got.update(body=response.body, url=response.url,
                       content_type=content_type.decode("latin-1") if content_type else None)

        def failed(self, failure):
            got["error"] = failure.getErrorMessage()

    process = CrawlerProcess(settings)
    process.crawl(FixtureSpider)
    process.start()
    if "body" not in got:
        raise FixtureError(f"could not fetch {url}: {got.get('error', 'no response')}")
    return got["body"], got["url"], got["content_type"]


def run(args) -> int:
    """The `fixture` subcommand; returns the exit status."""
    target = args.url or args.page
    if not target or not target.startswith(("http://", "https://")):
        raise UsageError("fixture needs a page URL (or --file FILE --url URL)")
    if args.page and args.url and args.page != args.url:
        raise UsageError("give the page's URL once")
    try:
        if args.file:
            path = Path(args.file)
            if not path.is_file():
                raise UsageError(f"no such file: {path}")
            body, url, content_type = path.read_bytes(), target, None
        else:
            overrides = parse_setting_overrides(args.settings,
                                                allow_unknown=args.allow_unknown_settings)
            body, url, content_type = fetch_page(target, overrides)
        # Extracted from the bytes alone, as tests/test_fixtures.py will (no HTTP headers).
        fixture, verdict = build_fixture(body, url)
        name = args.name or fixture_name(url)
        html_path, json_path = write_fixture(Path(args.dir), name, body, fixture,
                                             force=args.force)
    except FixtureError as exc:
        print(f"gossipcrawl: error: {exc}", file=sys.stderr)
        return 1
    print(f"gossipcrawl: {verdict}", file=sys.stderr)
    print(f"gossipcrawl: wrote {html_path} and {json_path}: review `expected` field by "
          "field, then run python -m pytest tests/test_fixtures.py", file=sys.stderr)
    return 0


def add_parser(commands) -> None:
    """Register `fixture` on the CLI's subcommands."""
    fixture = commands.add_parser("fixture", help="record a page into fixtures/articles/")
    fixture.add_argument("page", nargs="?", metavar="URL", help="the page to fetch")
    fixture.add_argument("--file", help="a saved copy of the page instead of fetching it")
    fixture.add_argument("--url", help="the page's URL (with --file)")
    fixture.add_argument("--name", help="fixture file name, without extension")
    fixture.add_argument("--dir", default=str(DEFAULT_DIR),
                         help="where to write (default: %(default)s)")
    fixture.add_argument("--force", action="store_true", help="replace an existing fixture")
    add_setting_option(fixture)
    fixture.set_defaults(handler=run)
