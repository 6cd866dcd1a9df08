"""What every subcommand shares: the one-line usage error, exit codes, `-s NAME=VALUE`."""

from __future__ import annotations

import argparse

# Exit statuses of `gossipcrawl` (README "Exit status" documents them; keep both in step).
EXIT_OK = 0                 # every site crawled to its end, its feed stored, monitors passed
EXIT_CRAWL_FAILED = 1       # monitors failed, or the crawl ended for an unexpected reason
EXIT_USAGE = 2              # bad command line, profile, setting or state URL: nothing ran
EXIT_OUTPUT_FAILED = 3      # the feed could not be stored: state not committed, next run
                            # delivers the same articles
EXIT_UNREACHABLE = 4        # the site could not be reached at all (DNS, refused, timeout)
EXIT_PAUSED = 5             # a job (--job-dir) was paused: the same command resumes it
EXIT_BUSY = 6               # another crawl of the same site on the same state is running
EXIT_SOME_SITES_FAILED = 7  # several targets: some succeeded, some did not (see summary)


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
