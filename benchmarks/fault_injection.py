"""Fault injection: does every article reach a delivered feed exactly once per revision,
whatever goes wrong? (issue #13)

Runs seeded random scenarios (tests/faultkit.py): crawls of a loopback news site whose
articles are edited and added between crawls, against one state (SQLite, or a Redis this
script starts with persistence), with faults injected at random points — SIGINT and
SIGKILL (with and without --job-dir), a full disk (a 1 MiB tmpfs, root only: skipped with
the reason otherwise), the output directory removed or made read-only mid-crawl, Redis
stopped or killed and restarted mid-crawl, the SQLite file locked by another process (a
few seconds, and once past the store's 30 s timeout), random discovery orders — and always
clean crawls at the end until nothing new comes. Each scenario is judged from the files it
delivered, the site's request log and the state. Prints a table; exits 1 when any count
that must be 0 is not.

    python benchmarks/fault_injection.py [--seed 13] [--scenarios 24] [--keep DIR]
                                         [--no-long-lock] [--verbose]

About 13 minutes with the defaults on the 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

import faultkit  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--scenarios", type=int, default=24)
    parser.add_argument("--keep", type=Path, help="run in DIR and keep it (logs, feeds)")
    parser.add_argument("--no-long-lock", action="store_true",
                        help="skip the SQLite lock held past the 30 s timeout")
    parser.add_argument("--only", type=int, action="append", metavar="N",
                        help="run only scenario N of the seeded list (repeatable)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="print every crawl of every scenario")
    args = parser.parse_args(argv)

    holder = None
    if args.keep:
        root = args.keep.resolve()
    else:
        holder = root = Path(tempfile.mkdtemp(prefix="gossipcrawl-faults-"))
    started = time.monotonic()
    env = faultkit.Environment.create(root)
    totals = faultkit.Totals()
    print(f"fault injection: seed {args.seed}, {args.scenarios} scenarios, in {root}")
    for fault in faultkit.FAULTS:
        reason = env.skipped(fault)
        if reason:
            print(f"  {fault}: skipped ({reason})")
    try:
        rng = random.Random(args.seed)
        specs = faultkit.random_scenarios(rng, args.scenarios, env,
                                          long_lock=not args.no_long_lock)
        for number, spec in enumerate(specs, start=1):
            if args.only and number not in args.only:
                continue
            result = faultkit.run_scenario(env, spec)
            totals.add(result)
            problems = result.problems()
            print(f"{'FAIL' if problems else 'ok  '} {spec.describe()} "
                  f"({len(result.crawls)} crawls, {result.delivered} delivered)", flush=True)
            if args.verbose or problems:
                for crawl in result.crawls:
                    print(f"       crawl {crawl.index:2d} {crawl.fault or 'clean':16s} "
                          f"exit {crawl.returncode!s:>3} {crawl.seconds:5.1f} s "
                          f"{crawl.delivered:3d} items  {crawl.order}; {crawl.point}")
            for problem in problems:
                print(f"    !! {problem}", flush=True)
    finally:
        env.close()
        seconds = time.monotonic() - started
        print()
        print(totals.table(seconds))
        for skipped in sorted(totals.skipped):
            print(f"skipped: {skipped}")
        if holder is not None and totals.ok:
            shutil.rmtree(holder, ignore_errors=True)
        elif holder is not None:
            print(f"kept for inspection: {root}")
    if len(totals.kill_points) < 20:
        print(f"note: only {len(totals.kill_points)} distinct kill points "
              "(more scenarios give more)")
    return 0 if totals.ok else 1


if __name__ == "__main__":
    sys.exit(main())
