"""`gossipcrawl demo`: serve the bundled demo site on 127.0.0.1 and crawl it, offline."""

from __future__ import annotations

import sys
from pathlib import Path

from gossipcrawl.commands.base import add_setting_option, parse_setting_overrides
from gossipcrawl.commands.crawl import check_output, run_crawl
from gossipcrawl.commands.verbosity import add_verbosity_options


def add_parser(commands) -> None:
    parser = commands.add_parser("demo", help="serve the bundled demo site and crawl it")
    parser.add_argument("-o", "--output", dest="out", default="gossipcrawl-demo.jsonl",
                        metavar="OUT", help="JSONL output (default: %(default)s)")
    add_setting_option(parser)
    add_verbosity_options(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    import tempfile

    from gossipcrawl.demo.server import DemoSite

    check_output(args.out)
    overrides = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
                 "CONCURRENT_REQUESTS_PER_DOMAIN": "8"}
    overrides.update(parse_setting_overrides(args.settings,
                                             allow_unknown=args.allow_unknown_settings))
    with tempfile.TemporaryDirectory(prefix="gossipcrawl-demo-") as scratch, DemoSite() as site:
        print(f"gossipcrawl: demo site serving at {site.base_url}", file=sys.stderr)
        # A fresh state each time, so the demo always shows every article.
        return run_crawl(site.base_url + "/", out=args.out,
                         state=str(Path(scratch) / "state.sqlite3"), fresh=False,
                         overrides=overrides, verbose=args.verbose, log_file=args.log_file,
                         quiet=True)   # a demo shows warnings only, unless -v
