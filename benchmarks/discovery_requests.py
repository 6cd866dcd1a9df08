#!/usr/bin/env python
"""Requests made per article found, gossipcrawl against a plain Scrapy CrawlSpider.

    python benchmarks/discovery_requests.py [--styles yoast,core,plain,none]

For each style of the local test site (`tests/sites/soapsite.py`: sitemaps, a Google News
sitemap, an announced feed, category pagination, AMP copies, a redirect, a 503 and a 429,
traps), on 127.0.0.1, in this run:

- gossipcrawl: `gossipcrawl crawl URL` with a fresh state, then again with the same state
  (the incremental crawl);
- baseline: a plain Scrapy `CrawlSpider` that follows every link of the site with
  `LinkExtractor()` and Scrapy's defaults (robots.txt obeyed, `DEPTH_LIMIT` 8, stopped at
  500 pages), the usual starting point of a news crawler.

Requests are counted by the site itself (every request, robots.txt and retries included).
An article is found when its page, or a copy of it (AMP, tracking URL, republished copy),
was fetched with status 200; for gossipcrawl, when it is in the JSONL.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=WARNING"]
_ARTICLE_PATH = re.compile(r"^/(?:syndicated/)?gh-story-(\d+)(?:-copy)?/(?:amp/)?(?:\?.*)?$")


def baseline_crawl(start_url: str) -> None:
    """Run in a child process: the plain CrawlSpider over the whole site."""
    from urllib.parse import urlsplit

    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor
    from scrapy.spiders import CrawlSpider, Rule

    class FollowEverything(CrawlSpider):
        name = "baseline"
        allowed_domains = [urlsplit(start_url).hostname]
        start_urls = [start_url]
        rules = (Rule(LinkExtractor(), follow=True),)

    process = CrawlerProcess({"ROBOTSTXT_OBEY": True, "DEPTH_LIMIT": 8, "LOG_LEVEL": "WARNING",
                              "CLOSESPIDER_PAGECOUNT": 500, "TELNETCONSOLE_ENABLED": False,
                              "USER_AGENT": "baseline-benchmark"})
    process.crawl(FollowEverything)
    process.start()


def articles_fetched(site) -> set[int]:
    found = set()
    for hit in site.log:
        match = _ARTICLE_PATH.match(hit.path)
        if match and hit.status == 200:
            found.add(int(match.group(1)))
    return found


def run_gossipcrawl(site, scratch: Path, name: str) -> tuple[int, int]:
    site.reset()
    out = scratch / f"{name}.jsonl"
    subprocess.run([sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/",
                    "-o", str(out), "--state", str(scratch / "state.sqlite3"), *FAST],
                   cwd=scratch, check=True, capture_output=True)
    items = [json.loads(line) for line in out.read_text().splitlines()]
    return len(site.log), len({item["canonicalUrl"] for item in items})


def run_baseline(site, scratch: Path) -> tuple[int, int]:
    site.reset()
    subprocess.run([sys.executable, __file__, "--baseline-crawl", site.base_url + "/"],
                   cwd=scratch, check=True, capture_output=True)
    return len(site.log), len(articles_fetched(site))


def ratio(requests: int, articles: int) -> str:
    return f"{requests / articles:.2f}" if articles else "inf"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--styles", default="yoast,core,plain,none")
    parser.add_argument("--baseline-crawl", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_crawl:
        baseline_crawl(args.baseline_crawl)
        return 0

    from sites.soapsite import ALL_ARTICLES, SoapSite

    print(f"test site: {len(ALL_ARTICLES)} articles per style; requests counted by the site")
    header = (f"{'style':<6} {'crawler':<24} {'requests':>8} {'articles':>8} "
              f"{'requests/article':>16}")
    print(header)
    print("-" * len(header))
    for style in args.styles.split(","):
        with tempfile.TemporaryDirectory(prefix="gossipcrawl-bench-") as scratch, \
                SoapSite(style) as site:
            scratch = Path(scratch)
            rows = [("gossipcrawl", *run_gossipcrawl(site, scratch, "first"))]
            again = run_gossipcrawl(site, scratch, "again")
            rows.append(("gossipcrawl, incremental", again[0], again[1]))
            rows.append(("baseline CrawlSpider", *run_baseline(site, scratch)))
        for crawler, requests, articles in rows:
            shown = ratio(requests, articles) if "incremental" not in crawler else (
                f"{requests} req, {articles} new")
            print(f"{style:<6} {crawler:<24} {requests:>8} {articles:>8} {shown:>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
