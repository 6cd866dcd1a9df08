#!/usr/bin/env python
"""Many sites: one process per site against one process for them all.

    python benchmarks/fleet.py [--sites 200] [--articles 20] [--delay 0.05] [--parallel 4]
                               [--at-once 16] [--skip-sequential]

Serves `--sites` loopback news sites (tests/sites/newsroom.py: robots.txt, a sitemap, a feed,
listing pages and `--articles` articles each), every one on its own port of 127.0.0.1, and
crawls all of them three ways, each against a fresh state:

- (a) one `gossipcrawl crawl URL` process per site, one after the other;
- (a') the same, `--parallel` processes at a time;
- (b) one `gossipcrawl crawl URL URL ...` process for all sites (`GOSSIPCRAWL_SITES_AT_ONCE`).

Every crawl uses the same per-site politeness, scaled down from a real site's: a delay of
`--delay` seconds between a site's requests (no jitter, so the bound is exact), one
request at a time per site, AutoThrottle off. It prints wall time, CPU seconds (user + system
of the crawl processes, from `wait4`), peak RSS of the largest process, articles delivered,
requests per site, and the politeness check from the servers' own logs: no site ever saw two
requests at once or two requests closer together than its delay.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from sites.newsroom import Newsroom  # noqa: E402

# The servers stamp a request when their thread has read it: on a loaded 2-core machine that
# moves by a few milliseconds either way, whatever the crawler does.
GAP_TOLERANCE = 0.015


def crawl_options(args, state: Path) -> list[str]:
    return ["--state", str(state), "-s", f"DOWNLOAD_DELAY={args.delay}",
            "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING",
            "-s", f"GOSSIPCRAWL_SITES_AT_ONCE={args.at_once}"]


class Runs:
    """Crawl processes started and waited for, their CPU and peak memory from wait4."""

    def __init__(self):
        self.cpu = 0.0
        self.peak_kib = 0
        self.failed: list[str] = []

    def start(self, command: list[str], cwd: Path, log: Path) -> subprocess.Popen:
        handle = open(log, "wb")
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=handle)
        process.log = handle
        return process

    def wait(self, process: subprocess.Popen) -> None:
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        process.log.close()
        self.cpu += usage.ru_utime + usage.ru_stime
        self.peak_kib = max(self.peak_kib, usage.ru_maxrss)
        if process.returncode != 0:
            self.failed.append(f"exit {process.returncode}: {process.log.name}")


def gossipcrawl(*args: str) -> list[str]:
    return [sys.executable, "-m", "gossipcrawl", "crawl", *args]


def run_mode(name: str, sites: list[Newsroom], args, work: Path) -> dict:
    directory = work / name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    state = directory / "state.sqlite3"
    for site in sites:
        site.reset()
    runs = Runs()
    started = time.monotonic()
    if name == "one process":
        runs.wait(runs.start(gossipcrawl(*(site.base_url + "/" for site in sites),
                                         "-o", str(directory / "out" / "%(site)s.jsonl"),
                                         *crawl_options(args, state)),
                             directory, directory / "crawl.log"))
    else:
        width = 1 if name == "process per site" else args.parallel
        pending = list(sites)
        active: list[subprocess.Popen] = []
        while pending or active:
            while pending and len(active) < width:
                site = pending.pop(0)
                active.append(runs.start(
                    gossipcrawl(site.base_url + "/", "-o",
                                str(directory / "out" / f"127.0.0.1-{site.port}.jsonl"),
                                *crawl_options(args, state)),
                    directory, directory / f"crawl-{site.port}.log"))
            runs.wait(active.pop(0))
    wall = time.monotonic() - started
    delivered = sum(len(path.read_text().splitlines())
                    for path in (directory / "out").glob("*.jsonl"))
    requests = [len(site.log) for site in sites]
    return {"mode": name, "wall": wall, "cpu": runs.cpu, "peak_mib": runs.peak_kib / 1024,
            "articles": delivered, "expected": len(sites) * args.articles,
            "requests_per_site": sum(requests) / len(sites),
            "impolite": impolite(sites, args.delay), "failed": runs.failed}


def impolite(sites: list[Newsroom], delay: float) -> list[str]:
    """Sites whose log shows two requests at once or closer together than the delay."""
    found = []
    for site in sites:
        times = sorted(hit.time for hit in site.log)
        gaps = [later - earlier for earlier, later in zip(times, times[1:])]
        if site.max_concurrency > 1 or (gaps and min(gaps) < delay - GAP_TOLERANCE):
            found.append(f"{site.port}: concurrency {site.max_concurrency}, "
                         f"smallest gap {min(gaps, default=0):.3f}s")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--at-once", type=int, default=16)
    parser.add_argument("--skip-sequential", action="store_true",
                        help="leave out mode (a), the slowest")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()

    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="fleet-") as scratch:
        sites = [stack.enter_context(Newsroom(articles=args.articles, per_page=10))
                 for _ in range(args.sites)]
        modes = (["process per site"] if not args.skip_sequential else []) + \
            [f"{args.parallel} processes at a time", "one process"]
        results = [run_mode(name, sites, args, Path(scratch)) for name in modes]

    baseline = results[0]["cpu"]
    print(f"\n{args.sites} sites x {args.articles} articles, delay {args.delay}s, one request "
          f"at a time per site; one process crawls {args.at_once} sites at once\n")
    print("| mode | wall s | CPU s | CPU vs (a) | peak RSS MiB | articles | requests/site "
          "| politeness |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for result in results:
        polite = "ok" if not result["impolite"] else f"{len(result['impolite'])} sites broken"
        print(f"| {result['mode']} | {result['wall']:.1f} | {result['cpu']:.1f} | "
              f"{result['cpu'] / baseline:.2f} | {result['peak_mib']:.0f} | "
              f"{result['articles']}/{result['expected']} | "
              f"{result['requests_per_site']:.1f} | {polite} |")
    for result in results:
        for line in result["impolite"][:10] + result["failed"][:10]:
            print(f"  {result['mode']}: {line}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    bad = any(r["impolite"] or r["failed"] or r["articles"] != r["expected"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
