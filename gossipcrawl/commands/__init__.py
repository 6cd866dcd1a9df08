"""The `gossipcrawl` command. Each subcommand is a module here with `add_parser(commands)`,
which registers its arguments and its handler (`args.handler(args)` returns the exit
status). Bad arguments give one plain line on stderr and exit status 2 (`base`).
"""

from __future__ import annotations

import sys

from gossipcrawl.commands import crawl, demo, extract, fixture, schedule, sites
from gossipcrawl.commands.base import EXIT_USAGE, Parser, UsageError

SUBCOMMANDS = (crawl, extract, sites, schedule, fixture, demo)


def build_parser() -> Parser:
    parser = Parser(prog="gossipcrawl",
                    description="Crawl soap and entertainment news sites into JSON lines.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for module in SUBCOMMANDS:
        module.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except UsageError as exc:
        print(f"gossipcrawl: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("gossipcrawl: interrupted", file=sys.stderr)
        return 130
