"""What every subcommand shares: the one-line usage error, exit codes, `-s NAME=VALUE`."""

from __future__ import annotations

import argparse

EXIT_OK = 0
EXIT_CRAWL_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad command line: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are `UsageError`s (one line, no usage dump)."""

    def error(self, message):
        raise UsageError(message)


def add_setting_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE", help="override a Scrapy setting")


def parse_setting_overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s takes NAME=VALUE, got {pair!r}")
        overrides[name.strip()] = value
    return overrides
