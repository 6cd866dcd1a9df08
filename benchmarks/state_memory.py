"""Memory and size of the state: RSS of the real pipelines fed 100,000 synthetic records.

Each mode runs in a fresh child process, so RSS readings (VmRSS from /proc/self/status) are
not polluted by the other:

- `pipelines`: gossipcrawl's pipelines as configured (coverage, validation with Spidermon's
  JSON Schema validator, dedupe with the embedded SQLite state, storyId with MinHash LSH in
  the state), built by a Scrapy Crawler (real settings and stats), then the commit.
- `baseline`: the same records through the same coverage and validation, then the obvious
  in-memory dedupe (a dict of id -> (hash, revision) and a dict of hash -> id) and an
  in-memory datasketch MinHashLSH for stories: what gossipcrawl would be without the state.

Records: unique articles, with 3% re-fetched URLs (duplicate_url), 2% republished copies
(duplicate_content) and 5% syndicated near-copies (joining a story). Prints RSS every 25,000
records, items/s, and the state file's size per article, by table.

    python benchmarks/state_memory.py [--items 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ["sonny", "carly", "jason", "michael", "dante", "victor", "nikki", "adam", "chelsea", "steffy", "hope", "ridge", "brooke", "eric", "marlena", "john", "kristen", "roy", "evelyn", "sharon", "phil", "kim", "will", "cleo", "karl", "susan", "alf", "roo", "wedding", "divorce", "secret", "baby", "fire", "storm", "will", "rent", "cafe", "ranch", "docks", "hospital", "prison", "return", "exit", "recast", "ratings", "episode", "week", "spoilers", "reveals", "shock", "twist", "confronts", "betrayal", "romance", "affair", "custody", "trial", "verdict", "kidnapping", "amnesia", "twins", "paternity", "test", "lawyer", "detective", "warehouse", "shipment", "restaurant", "boutique", "launch", "collection", "livestream", "interview", "actor", "actress", "producer", "writer", "scripts", "storyline", "summer", "winter", "salem", "genoa", "port", "charles", "walford", "weatherfield", "erinsborough", "summer", "bay", "emmerdale", "hollyoaks", "forrester", "newman", "abbott", "quartermaine", "cassadine", "spencer", "mitchell", "slater", "mcqueen", "kennedy", "stewart", "tate", "dingle", "barlow", "platt", "webster", "windass"]


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def synthetic(count: int, seed: int = 7):
    """`count` records: mostly unique articles, some duplicates and near-copies."""
    from gossipcrawl.items import content_hash

    rng = random.Random(seed)
    # A Zipf-like vocabulary: the soap words most common, then 30,000 rarer made-up words,
    # so that unrelated articles share few content words, as real ones do.
    vocabulary = WORDS + [f"{WORDS[i % len(WORDS)][:3]}{i}x" for i in range(30_000)]
    weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(vocabulary))))
    recent: list[tuple[str, str, str]] = []
    for n in range(count):
        roll = rng.random()
        if recent and roll < 0.03:                      # the same URL again
            url, headline, body = rng.choice(recent)
        elif recent and roll < 0.05:                    # republished under another URL
            _, headline, body = rng.choice(recent)
            url = f"https://mirror.example/{n}/"
        elif recent and roll < 0.10:                    # syndicated with an intro line
            _, headline, body = rng.choice(recent)
            url = f"https://partner.example/{n}/"
            body = "This story first appeared on a partner site.\n\n" + body
        else:
            url = f"https://site{n % 50}.example/news/{n}/"
            headline = " ".join(rng.choices(vocabulary, cum_weights=weights, k=8)).capitalize()
            body = "\n\n".join(
                " ".join(rng.choices(vocabulary, cum_weights=weights, k=40)).capitalize() + "."
                for _ in range(4))
            recent.append((url, headline, body))
            if len(recent) > 2000:
                recent.pop(0)
        canonical = url
        yield {
            "schemaVersion": 1, "id": hashlib.sha1(canonical.encode()).hexdigest(),
            "url": url, "canonicalUrl": canonical, "site": canonical.split("/")[2],
            "headline": headline, "description": None, "articleBody": body,
            "sections": [{"heading": None, "paragraphs": body.split("\n\n")}],
            "authors": [{"name": "Jo Writer", "url": None}],
            "datePublished": "2024-07-10T18:32:11Z", "datePublishedRaw": "July 10, 2024",
            "dateModified": None, "dateModifiedRaw": None, "inLanguage": "en",
            "mainImage": None, "breadcrumbs": [], "tags": [], "shows": [],
            "commentForm": None, "commentCount": None, "comments": [], "revision": 1,
            "contentHash": content_hash(headline, body), "storyId": None,
            "metadata": {"dateDownloaded": "2024-07-11T00:00:00Z", "crawlId": "bench",
                         "extractor": "bench"},
        }


class InMemoryDedupe:
    """The baseline: everything in dicts, stories in an in-memory MinHashLSH."""

    def __init__(self):
        from datasketch import MinHashLSH

        from gossipcrawl.pipelines.story import BANDS, NUM_PERM, ROWS

        self.articles: dict[str, tuple[str, int]] = {}
        self.hashes: dict[str, str] = {}
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
        self.stories: dict[str, str] = {}

    def process_item(self, item):
        from datasketch import MinHash
        from scrapy.exceptions import DropItem

        from gossipcrawl.minhash import permutations
        from gossipcrawl.pipelines.story import NUM_PERM, SEED, content_words

        if item["id"] in self.articles or item["contentHash"] in self.hashes:
            raise DropItem("duplicate")
        self.articles[item["id"]] = (item["contentHash"], 1)
        self.hashes[item["contentHash"]] = item["id"]
        minhash = MinHash(num_perm=NUM_PERM, permutations=permutations(NUM_PERM, SEED),
                          scheme="affine32")
        minhash.update_batch([w.encode() for w in
                              content_words(item["headline"], item["articleBody"])])
        matches = self.lsh.query(minhash)
        story = self.stories[matches[0]] if matches else item["id"]
        self.lsh.insert(item["id"], minhash)
        self.stories[item["id"]] = story
        item["storyId"] = story
        return item


def run_mode(mode: str, count: int, state_path: str) -> dict:
    import scrapy
    from scrapy.exceptions import DropItem
    from scrapy.utils.test import get_crawler

    from gossipcrawl.pipelines.coverage import CoveragePipeline
    from gossipcrawl.pipelines.dedupe import DedupePipeline
    from gossipcrawl.pipelines.story import StoryPipeline
    from gossipcrawl.pipelines.validate import ValidationPipeline
    from gossipcrawl.stats import STATE_COMMITTED, STORIES_JOINED

    class Spider(scrapy.Spider):
        name = "news"
        crawl_id = "bench"

    crawler = get_crawler(Spider, {"GOSSIPCRAWL_STATE": state_path, "FEEDS": {}})
    crawler.spider = crawler._create_spider()
    pipelines = [CoveragePipeline.from_crawler(crawler), ValidationPipeline.from_crawler(crawler)]
    if mode == "pipelines":
        pipelines += [DedupePipeline.from_crawler(crawler), StoryPipeline.from_crawler(crawler)]
    else:
        pipelines.append(InMemoryDedupe())
    for pipeline in pipelines:
        if hasattr(pipeline, "open_spider"):
            pipeline.open_spider()
    samples = [(0, rss_kib(), 0.0)]
    step = max(count // 4, 1)
    started = time.perf_counter()
    emitted = 0
    for n, item in enumerate(synthetic(count), start=1):
        try:
            for pipeline in pipelines:
                item = pipeline.process_item(item)
            emitted += 1
        except DropItem:
            pass
        if n % step == 0:
            samples.append((n, rss_kib(), time.perf_counter() - started))
    for pipeline in pipelines:
        if hasattr(pipeline, "close_spider"):
            pipeline.close_spider()        # no FEEDS: dedupe commits here
    total = time.perf_counter() - started
    stats = crawler.stats.get_stats()
    return {"samples": samples, "seconds": total, "emitted": emitted,
            "committed": stats.get(STATE_COMMITTED),
            "joined": stats.get(STORIES_JOINED, 0),
            "peak_kib": _peak_kib()}


def _peak_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def table_sizes(path: str) -> dict[str, int] | None:
    """Bytes per table (and its indexes) from SQLite's dbstat, when compiled in."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError:
        return None
    finally:
        db.close()
    return dict(rows)


def child(mode: str, count: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = str(Path(scratch) / "state.sqlite3")
        result = run_mode(mode, count, path)
        if mode == "pipelines":
            result["file_bytes"] = sum(p.stat().st_size for p in Path(scratch).iterdir())
            result["tables"] = table_sizes(path)
            db = sqlite3.connect(path)
            result["articles"] = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            db.close()
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--child", choices=["pipelines", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.items)
        return
    results = {}
    for mode in ("pipelines", "baseline"):
        output = subprocess.run([sys.executable, __file__, "--child", mode, "--items",
                                 str(args.items)], capture_output=True, text=True, check=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        results[mode] = json.loads(output.stdout.strip().splitlines()[-1])
    ours, base = results["pipelines"], results["baseline"]
    print(f"{args.items:,} synthetic records through the real pipelines "
          f"(coverage, validation, dedupe, story); RSS from /proc/self/status\n")
    print(f"{'records':>9} | {'RSS, SQLite state':>18} {'items/s':>8} | "
          f"{'RSS, in-memory baseline':>24} {'items/s':>8}")
    previous = {"pipelines": (0, 0.0), "baseline": (0, 0.0)}
    for (n, rss, t), (_, base_rss, base_t) in zip(ours["samples"], base["samples"]):
        speed = (n - previous["pipelines"][0]) / (t - previous["pipelines"][1]) if n else 0
        base_speed = (n - previous["baseline"][0]) / (base_t - previous["baseline"][1]) if n else 0
        previous = {"pipelines": (n, t), "baseline": (n, base_t)}
        print(f"{n:>9,} | {rss / 1024:>15.1f} MiB {speed:>8,.0f} | "
              f"{base_rss / 1024:>21.1f} MiB {base_speed:>8,.0f}")
    growth = (ours["samples"][-1][1] - ours["samples"][1][1]) / 1024
    base_growth = (base["samples"][-1][1] - base["samples"][1][1]) / 1024
    print(f"\nRSS growth from 25% to 100% of the records: {growth:+.1f} MiB (SQLite state) vs "
          f"{base_growth:+.1f} MiB (in-memory baseline)")
    print(f"peak RSS: {ours['peak_kib'] / 1024:.1f} MiB vs {base['peak_kib'] / 1024:.1f} MiB")
    print(f"overall: {args.items / ours['seconds']:,.0f} items/s vs "
          f"{args.items / base['seconds']:,.0f} items/s (baseline); emitted {ours['emitted']:,} "
          f"vs {base['emitted']:,}; stories joined: {ours['joined']:,}")
    articles = ours["articles"]
    print(f"\nstate file after commit: {ours['file_bytes']:,} bytes for {articles:,} articles = "
          f"{ours['file_bytes'] / articles:.0f} bytes/article")
    if ours.get("tables"):
        revision = sum(size for name, size in ours["tables"].items()
                       if name in ("articles",))
        story = sum(size for name, size in ours["tables"].items()
                    if name in ("sketches", "bands", "stories"))
        print(f"  revisions (articles table): {revision / articles:.0f} bytes/article, "
              f"kept forever")
        print(f"  story index (sketches, bands, stories): {story / articles:.0f} bytes/article, "
              f"sketches and bands pruned after the story window")
        for name, size in sorted(ours["tables"].items(), key=lambda pair: -pair[1]):
            print(f"    {name:<28} {size:>12,} bytes")


if __name__ == "__main__":
    main()
