"""`gossipcrawl demo`: serve the bundled demo site on 127.0.0.1 and crawl it, offline.

    gossipcrawl demo [-o OUT]              serve it on a free port, crawl it into OUT, stop
    gossipcrawl demo --serve [--port N]    only serve it, in the foreground, until Ctrl-C
                                           (for trying `crawl`, Scrapyd and the scheduler
                                           against a site that is always there)
"""

from __future__ import annotations

import sys
from pathlib import Path

from gossipcrawl.commands.base import (
    EXIT_OK,
    UsageError,
    add_setting_option,
    parse_setting_overrides,
)
from gossipcrawl.commands.crawl import check_output, run_crawl
from gossipcrawl.commands.verbosity import add_verbosity_options

DEFAULT_OUT = "gossipcrawl-demo.jsonl"
DEFAULT_PORT = 8000


def add_parser(commands) -> None:
    parser = commands.add_parser("demo", help="serve the bundled demo site and crawl it")
    parser.add_argument("-o", "--output", dest="out", metavar="OUT",
                        help=f"JSONL output (default: {DEFAULT_OUT})")
    parser.add_argument("--serve", action="store_true",
                        help="only serve the site on 127.0.0.1, until Ctrl-C")
    parser.add_argument("--port", type=int, metavar="N",
                        help=f"with --serve: the port (default {DEFAULT_PORT}; 0 picks a free one)")
    add_setting_option(parser)
    add_verbosity_options(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    if args.serve:
        if args.out or args.settings:
            raise UsageError("--serve only serves the site: -o and -s go with a crawl")
        return serve(DEFAULT_PORT if args.port is None else args.port)
    if args.port is not None:
        raise UsageError("--port goes with --serve")
    return crawl_demo(args)


def serve(port: int) -> int:
    import signal
    import threading

    from gossipcrawl.demo.server import DemoSite

    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535, not {port}")
    site = DemoSite("127.0.0.1", port)
    try:
        base = site.start()
    except OSError as exc:
        raise UsageError(f"cannot serve the demo site on 127.0.0.1:{port}: "
                         f"{exc.strerror or exc}") from None
    stop = threading.Event()
    # SIGTERM (systemd, a test, `kill`) stops it as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    print(f"gossipcrawl: demo site serving at {base}/ (robots.txt: {base}/robots.txt); "
          "Ctrl-C stops it", file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        site.stop()
    return EXIT_OK


def crawl_demo(args) -> int:
    import tempfile

    from gossipcrawl.demo.server import DemoSite

    out = args.out or DEFAULT_OUT
    check_output(out)
    overrides = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
                 "CONCURRENT_REQUESTS_PER_DOMAIN": "8"}
    overrides.update(parse_setting_overrides(args.settings,
                                             allow_unknown=args.allow_unknown_settings))
    with tempfile.TemporaryDirectory(prefix="gossipcrawl-demo-") as scratch, DemoSite() as site:
        print(f"gossipcrawl: demo site serving at {site.base_url}", file=sys.stderr)
        # A fresh state each time, so the demo always shows every article.
        return run_crawl(site.base_url + "/", out=out,
                         state=str(Path(scratch) / "state.sqlite3"), fresh=False,
                         overrides=overrides, verbose=args.verbose, log_file=args.log_file,
                         quiet=True)   # a demo shows warnings only, unless -v
