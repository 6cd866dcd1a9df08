#!/usr/bin/env python
"""Peak memory of a long crawl: gossipcrawl over a 100,000-page synthetic site, beside a
plain Scrapy spider on the same site in the same run.

    python benchmarks/crawl_memory.py [--pages 100000] [--interval 30] [--no-baseline]

Serves `benchmarks/synthetic_site.py` (pages rendered from the URL, nothing stored), runs
`gossipcrawl crawl` on it in a subprocess with the full pipeline (validation, SQLite dedupe
state, storyId, monitors, JSONL feed), samples the subprocess's resident memory (VmRSS in
/proc/PID/status) every second, prints it every `--interval` seconds with the pages served
so far, and ends with the peak (VmHWM, the kernel's own high-water mark). Then the same for
the plain spider (Scrapy's CrawlSpider following every link). Both use the same settings:
CONCURRENT_REQUESTS 16 (all on the one host), no delay, no AutoThrottle, robots.txt obeyed.
Scrapy's own MEMUSAGE_LIMIT_MB is turned off for the measurement.

Aim: gossipcrawl's memory flat over the crawl and its peak under 500 MiB. It takes a while
(pages/s as in benchmarks/crawl_throughput.py); it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic_site import SyntheticSite  # noqa: E402

COMMON = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS=16",
          "CONCURRENT_REQUESTS_PER_DOMAIN=16", "LOG_LEVEL=WARNING", "MEMUSAGE_LIMIT_MB=0",
          "MEMUSAGE_WARNING_MB=0"]
MIB = 1024 * 1024


def status_kib(pid: int, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def watch(name: str, command: list[str], site: SyntheticSite, interval: float) -> dict:
    """Run `command`, sampling its memory; returns the samples and the peak."""
    served_before = site.served()
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    samples, peak_hwm, last_print = [], 0, 0.0
    print(f"\n{name}: {' '.join(command[:4])} ...", flush=True)
    print(f"{'seconds':>8} {'pages':>8} {'pages/s':>8} {'RSS MiB':>8}", flush=True)
    while process.poll() is None:
        time.sleep(1)
        rss, hwm = status_kib(process.pid, "VmRSS"), status_kib(process.pid, "VmHWM")
        if rss is None:
            continue
        peak_hwm = max(peak_hwm, hwm or 0)
        elapsed = time.monotonic() - started
        pages = site.served() - served_before
        samples.append((elapsed, pages, rss))
        if elapsed - last_print >= interval:
            last_print = elapsed
            print(f"{elapsed:8.0f} {pages:8d} {pages / elapsed:8.1f} {rss / 1024:8.1f}",
                  flush=True)
    stderr = process.stderr.read()
    elapsed = time.monotonic() - started
    pages = site.served() - served_before
    peak_rss = max((rss for _, _, rss in samples), default=0)
    print(f"{elapsed:8.0f} {pages:8d} {pages / elapsed:8.1f}      end (exit {process.returncode})",
          flush=True)
    if process.returncode:
        print(stderr[-2000:], file=sys.stderr)
    # Memory once the crawl is under way (after the first 10% of its pages) vs at its end:
    # a flat crawl holds the same.
    settled = [rss for _, done, rss in samples if done >= pages * 0.1]
    return {"name": name, "seconds": elapsed, "pages": pages, "exit": process.returncode,
            "peak_rss_mib": max(peak_hwm, peak_rss) / 1024,
            "rss_at_10pct_mib": (settled[0] / 1024) if settled else None,
            "rss_at_end_mib": (samples[-1][2] / 1024) if samples else None,
            "tail": stderr.strip().splitlines()[-1:] if stderr.strip() else []}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100_000,
                        help="pages of the site, listings included (default: %(default)s)")
    parser.add_argument("--interval", type=float, default=30.0,
                        help="seconds between printed samples (default: %(default)s)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the plain spider")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    per_page = 50
    articles = args.pages * per_page // (per_page + 1)
    results = []
    with tempfile.TemporaryDirectory(prefix="gossipcrawl-memory-") as scratch, \
            SyntheticSite(articles, per_page) as site:
        print(f"synthetic site: {site.pages} pages ({articles} articles) at {site.base_url}/")
        gossip = [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/",
                  "-o", str(Path(scratch) / "out.jsonl"),
                  "--state", str(Path(scratch) / "state.sqlite3")]
        for setting in [*COMMON, "GOSSIPCRAWL_MAX_PAGES_PER_SITE=10000000",
                        "GOSSIPCRAWL_MAX_PAGINATION=10000000"]:
            gossip += ["-s", setting]
        results.append(watch("gossipcrawl (full pipeline)", gossip, site, args.interval))
        out = Path(scratch) / "out.jsonl"
        results[-1]["articles_written"] = (sum(1 for _ in out.open("rb"))
                                           if out.exists() else 0)
        results[-1]["feed_mib"] = out.stat().st_size / MIB if out.exists() else 0
        out.unlink(missing_ok=True)
        if not args.no_baseline:
            plain = [sys.executable, str(HERE / "synthetic_site.py"), "plain",
                     site.base_url + "/", "--stats", str(Path(scratch) / "plain.json")]
            for setting in COMMON:
                plain += ["-s", setting]
            results.append(watch("plain Scrapy spider (links only)", plain, site,
                                 args.interval))

    print(f"\n{'crawl':<32} | {'pages':>7} | {'pages/s':>7} | {'RSS at 10% MiB':>14} | "
          f"{'RSS at end MiB':>14} | {'peak MiB':>8}")
    print("-" * 98)
    for result in results:
        print(f"{result['name']:<32} | {result['pages']:7d} | "
              f"{result['pages'] / result['seconds']:7.1f} | "
              f"{result['rss_at_10pct_mib'] or 0:14.1f} | {result['rss_at_end_mib'] or 0:14.1f} | "
              f"{result['peak_rss_mib']:8.1f}")
    gossip = results[0]
    print(f"\ngossipcrawl wrote {gossip.get('articles_written', 0)} articles "
          f"({gossip.get('feed_mib', 0):.0f} MiB of JSONL); peak RSS "
          f"{gossip['peak_rss_mib']:.0f} MiB (aim: under 500 MiB, flat)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if all(result["exit"] == 0 for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
