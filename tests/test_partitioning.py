"""Partitioned and batched feeds go through the atomic storage: `%(site)s`, `%(day)s`
(gossipcrawl.feeds.uris.uri_params) and `%(batch_id)d` in OUT, no stray files."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap
from datetime import datetime, UTC
from pathlib import Path

from gossipcrawl.feeds.uris import uri_params

ROOT = Path(__file__).resolve().parent.parent

CRAWL = textwrap.dedent("""
    import sys
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from gossipcrawl.feeds.uris import feed_settings

    class Items(scrapy.Spider):
        name = "items"
        start_urls = ["https://www.soapdirt.example/"]
        crawl_id = "partition-test"

        async def start(self):
            for n in range(7):
                yield {"n": n, "headline": f"Story {n}"}

    process = CrawlerProcess({
        "FEEDS": feed_settings(sys.argv[1]),
        "FEED_STORAGES": {"": "gossipcrawl.feeds.storages.AtomicFileFeedStorage",
                          "file": "gossipcrawl.feeds.storages.AtomicFileFeedStorage"},
        "FEED_URI_PARAMS": "gossipcrawl.feeds.uris.uri_params",
        "FEED_EXPORT_BATCH_ITEM_COUNT": int(sys.argv[2]),
        "LOG_LEVEL": "WARNING",
    })
    process.crawl(Items)
    process.start()
""")


def _crawl(out: str, batch: int):
    result = subprocess.run([sys.executable, "-c", CRAWL, out, str(batch)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _files(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


def test_uri_params_adds_site_and_day():
    class Spider:
        name = "news"
        start_urls = ["https://www.soapdirt.example/news/"]

    params = uri_params({"batch_id": 2, "time": "t"}, Spider())
    assert params["site"] == "soapdirt.example" and params["batch_id"] == 2
    assert params["day"] == datetime.now(UTC).strftime("%Y-%m-%d")


def test_site_day_and_batches_written_atomically(tmp_path):
    _crawl(str(tmp_path / "out" / "%(site)s" / "%(day)s-%(batch_id)03d.jsonl.gz"), 3)
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    site = tmp_path / "out" / "soapdirt.example"
    assert _files(tmp_path / "out") == ["soapdirt.example", f"soapdirt.example/{day}-001.jsonl.gz",
                                        f"soapdirt.example/{day}-002.jsonl.gz",
                                        f"soapdirt.example/{day}-003.jsonl.gz"]
    batches = [[json.loads(line)["n"] for line in gzip.decompress(path.read_bytes()).splitlines()]
               for path in sorted(site.iterdir())]
    assert batches == [[0, 1, 2], [3, 4, 5], [6]]


def test_exact_multiple_of_the_batch_size_leaves_no_empty_or_temporary_file(tmp_path):
    _crawl(str(tmp_path / "%(site)s-%(batch_id)d.jsonl"), 7)
    assert _files(tmp_path) == ["soapdirt.example-1.jsonl"]
    assert len((tmp_path / "soapdirt.example-1.jsonl").read_text().splitlines()) == 7
