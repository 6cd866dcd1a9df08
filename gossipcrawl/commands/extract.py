"""`gossipcrawl extract FILE|DIR...`: the crawl's extraction on saved HTML files, offline:
one JSON line per article on stdout, in input order (a directory: its `*.html` and `*.htm`
files, in its subdirectories too, sorted by path); reasons for pages that are not articles
on stderr.

Exit status 0 when every file was read and extracted, whether or not it was an article (a
page that is not an article is an answer, not a failure: its reason is on stderr and no
line is written); 1 when a file could not be read or its extraction failed; 2 for a bad
command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gossipcrawl.commands.base import EXIT_FAILED, EXIT_OK, UsageError
from datetime import UTC


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "extract", help="extract articles from saved HTML files",
        epilog="Exit status 0 also when no file is an article (each reason is on stderr).")
    parser.add_argument("files", metavar="FILE", nargs="+",
                        help="a saved HTML page, or a directory of them (*.html, *.htm)")
    parser.add_argument("--url", help="the page's URL (with one FILE)")
    parser.set_defaults(handler=run)


def input_files(names: list[str]) -> list[Path]:
    """The files to extract: each FILE, and the HTML files under each DIR."""
    paths = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found = sorted(found for found in path.rglob("*")
                           if found.suffix.lower() in (".html", ".htm") and found.is_file())
            if not found:
                raise UsageError(f"{path} is a directory with no .html or .htm file in it")
            paths += found
        elif path.is_file():
            paths.append(path)
        elif path.exists():
            raise UsageError(f"not a regular file: {path}")
        else:
            raise UsageError(f"no such file: {path}")
    return paths


def run(args) -> int:
    from datetime import datetime

    from gossipcrawl.extract.dates import format_utc
    from gossipcrawl.extract.html import NotHtml
    from gossipcrawl.items import to_record
    from gossipcrawl.pages.generic import NotAnArticle
    from gossipcrawl.pages.registry import extract_article

    if args.url and len(args.files) != 1:
        raise UsageError("--url goes with exactly one FILE")
    if args.url and not args.url.startswith(("http://", "https://")):
        raise UsageError(f"--url must be an http(s) URL: {args.url}")
    paths = input_files(args.files)
    if args.url and len(paths) != 1:
        raise UsageError(f"--url goes with exactly one FILE, and {args.files[0]} holds "
                         f"{len(paths)}")
    from gossipcrawl.extensions.settle import settle_process

    settle_process()
    crawl_id = f"extract-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
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
        except Exception as exc:
            print(f"{path}: extraction failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failures += 1
            continue
        record = to_record(article, date_downloaded=format_utc(datetime.now(UTC)),
                           crawl_id=crawl_id)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return EXIT_FAILED if failures else EXIT_OK
