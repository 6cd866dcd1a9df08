"""A real crawl (subprocess, real Scrapy engine, loopback site): the second crawl with the
same state emits nothing and is healthy, a changed page comes out as revision 2, the crawl
report is written beside the feed."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
STORIES = {
    "sonny-summer": ("Maurice Benard Teases Sonny's Darkest Summer Yet",
                     "Maurice Benard says General Hospital fans should brace themselves for a "
                     "summer unlike any Sonny Corinthos has faced before."),
    "victor-will": ("Victor Rewrites His Will and Cuts Out Adam",
                    "The Young and the Restless spoilers reveal that Victor Newman makes a "
                    "decision that will send shock waves through Genoa City."),
    "roy-rolls": ("Roy Cropper Faces Losing Roy's Rolls After Rent Hike",
                  "Coronation Street favourite Roy Cropper is facing the loss of his beloved "
                  "cafe in upcoming scenes after a shock rent increase."),
}


def article_html(slug: str, headline: str, lead: str, extra: str = "") -> str:
    paragraphs = [lead, *(f"Paragraph {n} of the {slug} story goes on with more detail about "
                          f"what happens next on the show, who is involved and why it matters "
                          f"to viewers who have followed the saga for years." for n in range(2, 6))]
    if extra:
        paragraphs.append(extra)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": headline, "datePublished": "2024-07-10T18:32:11Z",
                     "author": {"@type": "Person", "name": "Jo Writer"}})
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{headline} - "
            f"Soap Test</title><script type='application/ld+json'>{ld}</script></head><body>"
            f"<header><nav><a href='/'>Home</a></nav></header><main><article><h1>{headline}</h1>"
            f"<div class='entry-content'>{body}</div></article></main></body></html>")


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n")
    urls = "".join(f"<url><loc>{base}/news/{slug}/</loc></url>" for slug in STORIES)
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    (root / "index.html").write_text("<html><body><h1>Soap Test</h1>" + "".join(
        f"<a href='/news/{slug}/'>{headline}</a>" for slug, (headline, _) in STORIES.items())
        + "</body></html>")
    for slug, (headline, lead) in STORIES.items():
        (root / "news" / slug).mkdir(parents=True)
        (root / "news" / slug / "index.html").write_text(article_html(slug, headline, lead))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, root
    server.shutdown()
    server.server_close()


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_second_crawl_emits_nothing_and_a_change_is_revision_2(site, tmp_path):
    base, root = site
    work = tmp_path / "work"
    work.mkdir()
    crawl = ["-m", "gossipcrawl", "crawl", base + "/", "--state", "state.sqlite3", *FAST]

    first = run([*crawl, "-o", "out/first.jsonl"], work)
    assert first.returncode == 0, first.stderr[-3000:]
    emitted = records(work / "out" / "first.jsonl")
    assert sorted(r["canonicalUrl"] for r in emitted) == sorted(
        f"{base}/news/{slug}/" for slug in STORIES)
    assert {r["revision"] for r in emitted} == {1}
    assert all(r["storyId"] == r["id"] for r in emitted)  # three different stories
    report = json.loads((work / "out" / "first.report.json").read_text())
    assert report["healthy"] and report["articles"]["emitted"] == 3
    assert report["coverage"]["headline"]["ratio"] == 1.0
    assert "<svg" in (work / "out" / "first.report.html").read_text()

    second = run([*crawl, "-o", "out/second.jsonl"], work)
    assert second.returncode == 0, second.stderr[-3000:]
    assert records(work / "out" / "second.jsonl") == []
    report = json.loads((work / "out" / "second.report.json").read_text())
    assert report["healthy"] and report["articles"]["emitted"] == 0
    assert report["articles"]["unchanged"] == 3

    headline, lead = STORIES["victor-will"]
    (root / "news" / "victor-will" / "index.html").write_text(
        article_html("victor-will", headline, lead,
                     extra="Update: Nikki walks out of the ranch after the signing."))
    # The same spider as Scrapyd runs it.
    third = run(["-m", "scrapy", "crawl", "news", "-a", f"target={base}/", "-O", str(work / "out" / "third.jsonl"),
                 "-s", f"GOSSIPCRAWL_STATE={work / 'state.sqlite3'}", *FAST], ROOT)
    assert third.returncode == 0, third.stderr[-3000:]
    (changed,) = records(work / "out" / "third.jsonl")
    assert changed["canonicalUrl"] == f"{base}/news/victor-will/"
    assert changed["revision"] == 2
    old = next(r for r in emitted if r["canonicalUrl"] == changed["canonicalUrl"])
    assert changed["contentHash"] != old["contentHash"] and changed["storyId"] == old["id"]
    assert (work / "out" / "third.report.json").exists()
    assert sorted(p.name for p in (work / "out").iterdir()) == [
        "first.jsonl", "first.report.html", "first.report.json", "second.jsonl",
        "second.report.html", "second.report.json", "third.jsonl", "third.report.html",
        "third.report.json"]
