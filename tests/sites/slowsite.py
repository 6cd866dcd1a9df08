"""A plain soap news site on 127.0.0.1 that answers slowly: for operations tests (pause and
resume, progress, Scrapyd), where a crawl must still be running when the test stops it.

`SlowSite(articles=30, delay=0.3)` serves, in a thread, on a free port:

- `/robots.txt` naming `/sitemap.xml`, which lists every article;
- `/` (the start page) linking to every article;
- `/soap-news-N/`: article N, a short news story about one of four soaps, with JSON-LD,
  a canonical link and a link to the next article; each article page waits `delay` seconds
  before answering.

`site.hits(path)` counts the requests for a path; `site.article_urls()` lists the articles'
canonical URLs. `site.hold()` makes article pages wait until `site.release()`: a crawl kept
running for as long as a test needs, however slow the machine.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler

from .loopback import LoopbackSite

SHOWS = [("General Hospital", "GH"), ("The Young and the Restless", "Y&R"),
         ("Days of Our Lives", "DOOL"), ("The Bold and the Beautiful", "B&B")]


class SlowSite(LoopbackSite):
    def __init__(self, articles: int = 30, delay: float = 0.3):
        self.articles = articles
        self.delay = delay
        self.counter: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def hits(self, path: str) -> int:
        with self._lock:
            return self.counter[path]

    def article_path(self, number: int) -> str:
        return f"/soap-news-{number}/"

    def article_urls(self) -> list[str]:
        return [self.base_url + self.article_path(n) for n in range(1, self.articles + 1)]

    # --- pages ----------------------------------------------------------------------------

    def respond(self, path: str) -> tuple[int, str, str]:
        with self._lock:
            self.counter[path] += 1
        if path == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nAllow: /\nSitemap: {self.base_url}/sitemap.xml\n"
        if path == "/sitemap.xml":
            entries = "".join(f"<url><loc>{url}</loc><lastmod>2024-07-10T10:00:00+00:00</lastmod>"
                              "</url>" for url in self.article_urls())
            return 200, "application/xml", (
                '<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')
        if path == "/":
            links = "".join(f'<li><a href="{url}">Story {n}</a></li>'
                            for n, url in enumerate(self.article_urls(), start=1))
            return 200, "text/html; charset=utf-8", (
                '<!doctype html><html lang="en"><head><meta charset="utf-8">'
                "<title>Slow Soaps</title></head><body><h1>Slow Soaps</h1>"
                f"<ul>{links}</ul></body></html>")
        for number in range(1, self.articles + 1):
            if path == self.article_path(number):
                self._open.wait(timeout=300)
                time.sleep(self.delay)
                return 200, "text/html; charset=utf-8", self.article(number)
        return 404, "text/html; charset=utf-8", "<html><body><h1>Not found</h1></body></html>"

    def article(self, number: int) -> str:
        show, short = SHOWS[number % len(SHOWS)]
        url = self.base_url + self.article_path(number)
        headline = f"{show} spoilers: twist number {number} rocks the town"
        paragraphs = [
            f"This week on {show}, twist number {number} lands in the middle of a wedding "
            "rehearsal and leaves two families scrambling for answers before Friday.",
            f"{short} fans have waited months for this moment, and the writers promise that "
            f"the fallout from twist {number} will shape the rest of the summer season.",
            "Insiders say the cast learned about the storyline only at the table read, "
            "which is why the reactions on screen look so genuinely surprised.",
            f"Stay tuned for more on story {number} as the week goes on and the secrets "
            "keep spilling out one episode at a time.",
        ]
        jsonld = {"@context": "https://schema.org", "@type": "NewsArticle",
                  "headline": headline, "datePublished": f"2024-07-{number % 28 + 1:02d}T09:00:00Z",
                  "author": {"@type": "Person", "name": "Sam Soapwriter"},
                  "mainEntityOfPage": url}
        body = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
        following = self.base_url + self.article_path(number % self.articles + 1)
        return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(headline)} - Slow Soaps</title>
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(headline)}">
<script type="application/ld+json">{json.dumps(jsonld)}</script>
</head><body><nav><a href="{self.base_url}/">Home</a></nav>
<article><h1>{html.escape(headline)}</h1><div class="entry-content">{body}</div></article>
<aside><a href="{following}">Next story</a></aside></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    site: SlowSite
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status, content_type, text = self.site.respond(self.path)
        body = text.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler was killed mid-answer: that is what the tests do

    def log_message(self, format, *args):
        pass


# The handler is defined below the site it serves.
SlowSite.handler_class = _Handler
