#!/usr/bin/env python
"""Crawl throughput: gossipcrawl (extracting everything) against a plain Scrapy spider that
only follows links, on the same loopback site, in the same run.

    python benchmarks/crawl_throughput.py [--articles 2000] [--concurrency 16] [--repeat 1]

Serves `benchmarks/synthetic_site.py` (article pages of ~40 KB with JSON-LD, menus, related
links, comments and a comment form; listings of 50 links with `rel=next` pagination) from
its own process, then crawls it completely, one crawl after the other, each in a subprocess
with the same settings: CONCURRENT_REQUESTS and CONCURRENT_REQUESTS_PER_DOMAIN =
`--concurrency`, DOWNLOAD_DELAY 0, AutoThrottle off, robots.txt obeyed, LOG_LEVEL WARNING.

- plain: Scrapy's CrawlSpider with one `Rule(LinkExtractor(), follow=True)`: fetches and
  follows every link, extracts nothing.
- gossipcrawl: `gossipcrawl crawl URL -o out.jsonl --state state.sqlite3`: discovery,
  the page object (every field of the item), validation, SQLite dedupe state, storyId,
  monitors and the atomic JSONL feed.

Pages/s is the pages the server answered for the crawl divided by the crawl's
`elapsed_time_seconds` (engine start to close, without the interpreter's start-up, which is
printed apart). Aim: gossipcrawl at least half the plain spider's pages per second.
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


def settings(concurrency: int) -> list[str]:
    return ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False",
            f"CONCURRENT_REQUESTS={concurrency}",
            f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}", "LOG_LEVEL=WARNING"]


def run(name: str, command: list[str], stats_path: Path, site: SyntheticSite) -> dict:
    before = site.served()
    started = time.monotonic()
    process = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - started
    pages = site.served() - before
    if process.returncode:
        print(process.stderr[-2000:], file=sys.stderr)
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    stats = stats.get("stats", stats)  # gossipcrawl's crawl report holds them under "stats"
    elapsed = float(stats.get("elapsed_time_seconds") or wall)
    return {"name": name, "pages": pages, "elapsed": elapsed, "wall": wall,
            "pages_per_s": pages / elapsed, "exit": process.returncode,
            "items": stats.get("item_scraped_count", 0),
            "peak_mib": (stats.get("memusage/max") or 0) / 1024 / 1024}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000,
                        help="article pages of the site (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=16,
                        help="CONCURRENT_REQUESTS(_PER_DOMAIN) of both (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="crawls of each, alternating; the best is kept")
    args = parser.parse_args(argv)

    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="gossipcrawl-throughput-") as scratch, \
            SyntheticSite(args.articles) as site:
        print(f"synthetic site: {site.pages} pages ({args.articles} articles) at "
              f"{site.base_url}/, concurrency {args.concurrency}")
        for attempt in range(args.repeat):
            work = Path(scratch) / str(attempt)
            work.mkdir()
            plain = [sys.executable, str(HERE / "synthetic_site.py"), "plain",
                     site.base_url + "/", "--stats", str(work / "plain.json")]
            for setting in settings(args.concurrency):
                plain += ["-s", setting]
            gossip = [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/",
                      "-o", str(work / "out.jsonl"), "--state", str(work / "state.sqlite3")]
            for setting in settings(args.concurrency) + [
                    "GOSSIPCRAWL_MAX_PAGINATION=100000", "GOSSIPCRAWL_MAX_PAGES_PER_SITE=1000000"]:
                gossip += ["-s", setting]
            results = [run("plain Scrapy spider (links only)", plain, work / "plain.json", site)]
            result = run("gossipcrawl (full pipeline)", gossip, work / "out.report.json", site)
            out = work / "out.jsonl"
            result["items"] = sum(1 for _ in out.open("rb")) if out.exists() else 0
            results.append(result)
            for result in results:
                best = rows.get(result["name"])
                if best is None or result["pages_per_s"] > best["pages_per_s"]:
                    rows[result["name"]] = result

    print(f"\n{'crawl':<34} | {'pages':>6} | {'items':>6} | {'crawl s':>7} | {'pages/s':>7} | "
          f"{'start-up s':>10} | {'peak MiB':>8}")
    print("-" * 98)
    for result in rows.values():
        print(f"{result['name']:<34} | {result['pages']:6d} | {result['items']:6d} | "
              f"{result['elapsed']:7.1f} | {result['pages_per_s']:7.1f} | "
              f"{result['wall'] - result['elapsed']:10.1f} | {result['peak_mib']:8.0f}")
    plain, gossip = rows["plain Scrapy spider (links only)"], rows["gossipcrawl (full pipeline)"]
    ratio = gossip["pages_per_s"] / plain["pages_per_s"] if plain["pages_per_s"] else 0.0
    print(f"\nratio gossipcrawl / plain: {ratio:.2f} (aim: >= 0.5)")
    return 0 if plain["exit"] == 0 and gossip["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
