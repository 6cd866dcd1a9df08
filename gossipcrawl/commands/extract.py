"""`gossipcrawl extract FILE...`: the crawl's extraction on saved HTML files, offline: one
JSON line per article on stdout, in input order; reasons for pages that are not articles
on stderr."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gossipcrawl.commands.base import UsageError


def add_parser(commands) -> None:
    parser = commands.add_parser("extract", help="extract articles from saved HTML files")
    parser.add_argument("files", metavar="FILE", nargs="+")
    parser.add_argument("--url", help="the page's URL (with one FILE)")
    parser.set_defaults(handler=run)


def run(args) -> int:
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
    from gossipcrawl.extensions.settle import settle_process

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
