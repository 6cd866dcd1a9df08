"""How much a crawl prints: `-v`, `-vv`, `--log-file`.

On a terminal the default is the status line, warnings and errors, and the summary: Scrapy's
start-up report (settings, middlewares, extensions: about a hundred INFO lines) and the stats
dump are not shown. `-v` shows INFO, `-vv` DEBUG. When stderr is not a terminal (cron,
systemd, a pipe) the log stays at INFO, as `LOG_LEVEL` in settings.py says. `-s LOG_LEVEL=`
wins over all of these. `--log-file FILE` writes the full log (INFO, or DEBUG with `-vv`)
to FILE, and stderr still gets what it would have shown.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from gossipcrawl.commands.base import UsageError


def add_verbosity_options(parser) -> None:
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="show INFO log lines (-vv: DEBUG); a terminal shows warnings")
    parser.add_argument("--log-file", metavar="FILE",
                        help="write the full log (INFO, DEBUG with -vv) to FILE")


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_level(verbose: int, overrides: dict, *, quiet: bool | None = None) -> str:
    """The level of what stderr shows. `quiet`: warnings only unless asked (default: when
    stderr is a terminal)."""
    if overrides.get("LOG_LEVEL"):
        return overrides["LOG_LEVEL"]
    if verbose >= 2:
        return "DEBUG"
    if verbose == 1:
        return "INFO"
    return "WARNING" if (stderr_is_terminal() if quiet is None else quiet) else "INFO"


def log_settings(verbose: int, log_file: str | None, overrides: dict, *,
                 quiet: bool | None = None) -> dict[str, str]:
    """The Scrapy log settings for these options (Scrapy's own handler: stderr, or the file)."""
    if log_file:
        check_log_file(log_file)
        return {"LOG_FILE": log_file, "LOG_FILE_APPEND": "True",
                "LOG_LEVEL": overrides.get("LOG_LEVEL") or ("DEBUG" if verbose >= 2
                                                            else "INFO")}
    return {"LOG_LEVEL": terminal_level(verbose, overrides, quiet=quiet)}


def check_log_file(log_file: str) -> None:
    """A log file Scrapy can open (appending), in a directory that exists: otherwise one
    line now rather than a traceback when logging starts."""
    path = Path(log_file)
    if path.is_dir():
        raise UsageError(f"--log-file is a directory: {log_file}")
    directory = path.absolute().parent
    if not directory.is_dir():
        raise UsageError(f"--log-file: no such directory: {directory}")
    if not os.access(path if path.exists() else directory, os.W_OK):
        raise UsageError(f"--log-file is not writable: {log_file}")


def add_stderr_handler(settings, level: str) -> logging.Handler:
    """With --log-file Scrapy logs to the file only: this handler shows stderr its part.
    (Not Scrapy's root handler, which each crawler replaces when it starts.)"""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"),
                                           settings.get("LOG_DATEFORMAT")))
    logging.getLogger().addHandler(handler)
    return handler
