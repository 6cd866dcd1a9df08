"""`gossipcrawl schedule FILE`: dispatch due crawls to Scrapyd nodes (see
`gossipcrawl.scheduler` for the schedule file and what a round does)."""

from __future__ import annotations

import logging
import signal
import sys
import threading

from gossipcrawl.commands.base import EXIT_OK, EXIT_SOME_SITES_FAILED, UsageError
from gossipcrawl.scheduler import ScheduleError
from gossipcrawl.scheduler.config import load_schedule
from gossipcrawl.scheduler.dispatcher import FAILURES, Decision, Dispatcher


def add_parser(commands) -> None:
    parser = commands.add_parser("schedule", help="dispatch due crawls to Scrapyd nodes")
    add_arguments(parser)
    parser.set_defaults(handler=run)


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="the schedule (TOML): nodes and sites")
    parser.add_argument("--once", action="store_true",
                        help="one round, then exit (for cron); default: loop until stopped")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would be dispatched, dispatch nothing")


def run(args) -> int:
    try:
        return _run(args)
    except ScheduleError as exc:
        raise UsageError(str(exc)) from None


def _run(args) -> int:
    schedule = load_schedule(args.file)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s",
                        stream=sys.stderr)
    dispatcher = Dispatcher(schedule)
    if args.once or args.dry_run:
        return _report(dispatcher.run_round(dry_run=args.dry_run))
    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"gossipcrawl schedule: {len(schedule.sites)} sites, {len(schedule.nodes)} "
              f"nodes, a round every {schedule.interval:g}s; Ctrl-C stops", file=sys.stderr)
        while not stop.is_set():
            try:
                _report(dispatcher.run_round())
            except ScheduleError as exc:
                print(f"gossipcrawl schedule: error: {exc}", file=sys.stderr)
            stop.wait(schedule.interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("gossipcrawl schedule: stopped", file=sys.stderr)
    return EXIT_OK


def _report(decisions: list[Decision]) -> int:
    """One line per decision on stdout; exit 7 when a site's last crawl failed or a due
    site could not be dispatched."""
    for decision in decisions:
        print(decision.line(), flush=True)
    return EXIT_SOME_SITES_FAILED if any(d.action in FAILURES for d in decisions) else EXIT_OK
