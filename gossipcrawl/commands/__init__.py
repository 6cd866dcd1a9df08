"""The `gossipcrawl` command. Each subcommand is a module here with `add_parser(commands)`,
which registers its arguments and its handler (`args.handler(args)` returns the exit
status). Bad arguments give one plain line on stderr and exit status 2 (`base`); a bare
`gossipcrawl` prints the command list, `gossipcrawl --version` the versions.
"""

from __future__ import annotations

import sys

from gossipcrawl import __version__
from gossipcrawl.commands import crawl, demo, extract, fixture, schedule, sites
from gossipcrawl.commands.base import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Parser, UsageError

SUBCOMMANDS = (crawl, extract, sites, schedule, fixture, demo)


def build_parser() -> Parser:
    parser = Parser(prog="gossipcrawl",
                    description="Crawl soap and entertainment news sites into JSON lines.")
    parser.add_argument("--version", action="version", version=version_line())
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser,
                                     title="commands", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(commands)
    return parser


def version_line() -> str:
    # importlib.metadata, not `import scrapy`: --version must not pay Scrapy's import time.
    from importlib.metadata import PackageNotFoundError, version

    try:
        scrapy = version("scrapy")
    except PackageNotFoundError:
        scrapy = "not installed"
    return f"gossipcrawl {__version__} (Scrapy {scrapy}, Python {sys.version.split()[0]})"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = build_parser()
        if not argv:
            parser.print_help()
            return EXIT_OK
        args = parser.parse_args(argv)
        return args.handler(args)
    except UsageError as exc:
        print(f"gossipcrawl: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gossipcrawl: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
