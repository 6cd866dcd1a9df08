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
EXIT_INTERRUPTED = 130      # Ctrl-C before the crawl started (a job: the same command resumes)
EXIT_FAILED = 1             # the other commands' failure: `sites --check` found a broken
                            # profile, `extract` could not read or extract a file


class UsageError(Exception):
    """A bad command line: reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are `UsageError`s (one line, no usage dump)."""

    def error(self, message):
        raise UsageError(message)


def add_setting_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE", help="override a Scrapy setting")
    parser.add_argument("--allow-unknown-settings", action="store_true",
                        help="pass -s names gossipcrawl does not know (another add-on's)")


def parse_setting_overrides(pairs: list[str], *,
                            allow_unknown: bool = False) -> dict[str, str]:
    """`-s NAME=VALUE` pairs as a dict, each checked (`gossipcrawl.setting_types`) before
    anything starts: a known name, a value of its kind."""
    from gossipcrawl.setting_types import SettingError, UnknownSetting, check_setting

    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"-s takes NAME=VALUE, got {pair!r}")
        try:
            check_setting(name.strip(), value, allow_unknown=allow_unknown)
        except UnknownSetting as exc:
            raise UsageError(f"-s {pair}: {exc}; --allow-unknown-settings passes it on "
                             "(another add-on's setting)") from None
        except SettingError as exc:
            raise UsageError(f"-s {pair}: {exc}") from None
        overrides[name.strip()] = value
    return overrides
