"""The crawl finishes what it has found before it finds more: a listing's articles are
fetched before the listing's next page, so the scheduler's queue stays about one listing
page long however long the site's pagination is (what keeps a 100,000-page crawl's memory
flat; see benchmarks/crawl_memory.py)."""

from __future__ import annotations

import html
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler

import pytest

from sites.loopback import LoopbackSite

LISTING_PAGES = 6
PER_PAGE = 5


class PagedSite(LoopbackSite):
    """A blog with no sitemap and no feed: the newest articles on `/`, older ones on
    `/page/N/`, each listing page linking to the next with `rel=next`."""

    def __init__(self):
        self.log: list[str] = []
        self._lock = threading.Lock()

    @staticmethod
    def numbers_on(page: int) -> range:
        first = (page - 1) * PER_PAGE + 1
        return range(first, first + PER_PAGE)

    def listing(self, page: int) -> str:
        links = "".join(f'<li><a href="/story-{n}/">Story {n}</a></li>'
                        for n in self.numbers_on(page))
        more = (f'<link rel="next" href="/page/{page + 1}/">'
                if page < LISTING_PAGES else "")
        return (f"<!doctype html><html><head><title>Soaps - page {page}</title>{more}"
                f"</head><body><h1>Latest soap news</h1><ul>{links}</ul></body></html>")

    @staticmethod
    def article(number: int) -> str:
        headline = f"Story {number}: a wedding in Salem ends before the vows"
        paragraphs = "".join(
            f"<p>{html.escape(text)}</p>" for text in (
                f"Story {number} begins at the altar, where nobody expected the groom's "
                "brother to stand up and object in front of the whole town.",
                "The families spent the rest of the afternoon arguing in the church hall, "
                "and the cake was never cut.",
                "Fans will learn next week whether the couple tries again."))
        jsonld = {"@context": "https://schema.org", "@type": "NewsArticle",
                  "headline": headline, "datePublished": "2024-05-01T10:00:00Z",
                  "author": {"@type": "Person", "name": "Jane Writer"}}
        older = f'<a href="/story-{number + 1}/">Older story</a>'
        return (f'<!doctype html><html lang="en"><head><title>{headline}</title>'
                f'<script type="application/ld+json">{json.dumps(jsonld)}</script></head>'
                f"<body><article><h1>{headline}</h1>{paragraphs}</article>{older}</body></html>")

    def route(self, path: str) -> tuple[int, str]:
        if path == "/robots.txt":
            return 200, "User-agent: *\nAllow: /\n"
        if path == "/":
            return 200, self.listing(1)
        if path.startswith("/page/"):
            page = int(path.strip("/").split("/")[1])
            return (200, self.listing(page)) if page <= LISTING_PAGES else (404, "")
        if path.startswith("/story-"):
            number = int(path.strip("/").split("-")[1])
            if number <= LISTING_PAGES * PER_PAGE:
                return 200, self.article(number)
        return 404, "<html><body>Not found</body></html>"


class _Handler(BaseHTTPRequestHandler):
    site: PagedSite

    def do_GET(self):
        status, body = self.site.route(self.path)
        with self.site._lock:
            self.site.log.append(self.path)
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt"
                         else "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


PagedSite.handler_class = _Handler


@pytest.mark.e2e
def test_listing_articles_are_fetched_before_the_next_listing_page(tmp_path):
    out = tmp_path / "out.jsonl"
    with PagedSite() as site:
        process = subprocess.run(
            [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/",
             "-o", str(out), "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", "CONCURRENT_REQUESTS=1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120)
        log = list(site.log)
    assert process.returncode == 0, process.stderr[-3000:]
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(items) == LISTING_PAGES * PER_PAGE

    position = {path: index for index, path in enumerate(log)}
    for page in range(2, LISTING_PAGES + 1):
        listed_before = [f"/story-{n}/" for n in PagedSite.numbers_on(page - 1)]
        assert all(position[path] < position[f"/page/{page}/"] for path in listed_before), \
            f"/page/{page}/ was fetched before page {page - 1}'s articles: {log}"
