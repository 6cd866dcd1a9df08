"""A loopback site that serves what the web throws at a crawler, for the hostile tests.

`HostileSite(routes)` serves, on 127.0.0.1 and a free port, in a thread, a robots.txt
naming `/sitemap_index.xml`, a home page linking every route, good article pages
`/news/good-N/` and whatever `routes` adds: `{path: Route}`. A `Route` is either a plain
answer (status, headers, body) or a misbehaviour:

- `slow`: waits `delay` seconds before answering (a server that hangs);
- `trickle`: sends the headers, then one byte of body per `delay` seconds;
- `drop`: closes the connection without a byte (`reset=True`: with a TCP RST);
- `partial`: announces `Content-Length` and closes after the first part of the body;
- `endless`: a body of `size` filler bytes (`size=None`: no `Content-Length` and no end),
  generated as it is sent.

`dynamic(path)` may answer any other path (`None`: not found); `site.hits` counts them too.

Every request is counted in `site.hits` (path -> count), so tests can say what a crawl
fetched and how often. `crawl(site, tmp_path, *settings)` runs `gossipcrawl crawl` on it in
a subprocess with fast, test-sized settings and returns a `CrawlRun` (exit status, items,
the stats from the crawl report, stderr).
"""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .loopback import LoopbackSite

SHOWS = ("General Hospital", "The Young and the Restless", "Days of Our Lives",
         "The Bold and the Beautiful")


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {
        "Content-Type": "text/html; charset=utf-8"})
    behaviour: str = "normal"   # normal, slow, trickle, drop, partial, endless
    delay: float = 0.0
    reset: bool = False
    size: int | None = None     # endless: bytes to send, None for no end


def good_article(number: int, base_url: str = "") -> bytes:
    """A realistic article page: JSON-LD, OpenGraph, navigation, body, sidebar, footer."""
    show = SHOWS[number % len(SHOWS)]
    headline = f"{show} spoilers: story {number} brings a shocking return"
    paragraphs = "".join(
        f"<p>Paragraph {i} of story {number}: on {show} this week, a familiar face walks back "
        "into town and nobody is ready for what comes next. Fans spent the weekend trading "
        "theories about the secret the family has kept for years.</p>" for i in range(1, 7))
    jsonld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
        "datePublished": f"2024-07-{number % 28 + 1:02d}T10:00:00+00:00",
        "author": {"@type": "Person", "name": "Jane Writer"}})
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} - Soap Hostile</title>
<meta property="og:type" content="article"><meta property="og:title" content="{headline}">
<link rel="canonical" href="{base_url}/news/good-{number}/">
<script type="application/ld+json">{jsonld}</script>
</head><body>
<nav class="menu"><a href="/">Home</a> <a href="/news/">News</a></nav>
<main><article class="post">
<h1 class="entry-title">{headline}</h1>
<div class="byline">By <a href="/author/jane/" rel="author">Jane Writer</a></div>
<div class="entry-content">{paragraphs}</div>
</article>
<aside class="sidebar"><h3>Related</h3><a href="/">More spoilers</a></aside></main>
<footer class="site-footer">Copyright Soap Hostile</footer>
</body></html>""".encode()


@lru_cache(maxsize=8)
def gzip_bomb(head: bytes, inflated_bytes: int, filler: bytes = b" ") -> bytes:
    """A valid gzip stream of `head` then filler, `inflated_bytes` long once inflated, about
    1/1000 of that compressed. Built from one compressed 1 MiB block repeated (each block
    after a full flush), so even gigabytes take a second or two to make."""
    chunk = filler * (1024 * 1024 // len(filler))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = max(0, (inflated_bytes - len(head)) // len(chunk))
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    size = len(head) + count * len(chunk)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + first + block * count
            + compressor.flush() + struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hostile"
    sys_version = ""
    site: HostileSite

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        path = self.path.split("#")[0]
        with self.site.lock:
            self.site.hits[path] += 1
        route = self.site.route(path)
        try:
            self._answer(route)
        except (ConnectionError, BrokenPipeError, TimeoutError, OSError):
            self.close_connection = True

    def _answer(self, route: Route):
        if route.behaviour == "drop":
            if route.reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if route.behaviour == "slow":
            time.sleep(route.delay)
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.behaviour == "endless":
            self._endless(route)
            return
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        if route.behaviour == "partial":
            self.wfile.write(route.body[: len(route.body) // 10])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if route.behaviour == "trickle":
            for byte in route.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(route.delay)
            return
        self.wfile.write(route.body)

    def _endless(self, route: Route):
        if route.size is not None:
            self.send_header("Content-Length", str(route.size))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        sent = 0
        while route.size is None or sent < route.size:
            piece = chunk if route.size is None else chunk[: route.size - sent]
            self.wfile.write(piece)
            sent += len(piece)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A crawler that hangs up (timeouts, dropped connections) is what these tests do.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            super().handle_error(request, client_address)


class HostileSite(LoopbackSite):
    def __init__(self, routes: dict[str, Route] | None = None, good_articles: int = 30,
                 sitemaps: list[str] | None = None, feeds: list[str] | None = None,
                 extra_links: list[str] | None = None, dynamic=None):
        self.routes = dict(routes or {})
        self.dynamic = dynamic
        self.good_articles = good_articles
        self.sitemaps = list(sitemaps or [])
        self.feeds = list(feeds or [])
        self.extra_links = list(extra_links or [])
        self.hits: Counter[str] = Counter()
        self.lock = threading.Lock()

    def good_paths(self) -> list[str]:
        return [f"/news/good-{n}/" for n in range(1, self.good_articles + 1)]

    def route(self, path: str) -> Route:
        if path in self.routes:
            return self.routes[path]
        if self.dynamic is not None:
            answer = self.dynamic(path)
            if answer is not None:
                return answer
        if path == "/robots.txt":
            return Route(body=f"User-agent: *\nAllow: /\nSitemap: {self.base_url}"
                              "/sitemap_index.xml\n".encode(),
                         headers={"Content-Type": "text/plain"})
        if path == "/sitemap_index.xml":
            entries = "".join(f"<sitemap><loc>{self.base_url}{p}</loc></sitemap>"
                              for p in ["/post-sitemap.xml", *self.sitemaps])
            return Route(body=('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps'
                               f'.org/schemas/sitemap/0.9">{entries}</sitemapindex>').encode(),
                         headers={"Content-Type": "application/xml"})
        if path == "/post-sitemap.xml":
            entries = "".join(f"<url><loc>{self.base_url}{p}</loc></url>"
                              for p in self.good_paths())
            return Route(body=('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/'
                               f'schemas/sitemap/0.9">{entries}</urlset>').encode(),
                         headers={"Content-Type": "application/xml"})
        if path == "/":
            feeds = "".join(f'<link rel="alternate" type="application/rss+xml" '
                            f'title="Feed" href="{p}">' for p in self.feeds)
            links = "".join(f'<li><a href="{p}">{p}</a></li>'
                            for p in [*self.extra_links, *self.good_paths()])
            return Route(body=(f"<!DOCTYPE html><html><head><title>Soap Hostile</title>{feeds}"
                               f"</head><body><h1>Soap Hostile</h1><ul>{links}</ul>"
                               "</body></html>").encode())
        if path.startswith("/news/good-"):
            try:
                number = int(path.removeprefix("/news/good-").strip("/"))
            except ValueError:
                number = 0
            if 1 <= number <= self.good_articles:
                return Route(body=good_article(number, self.base_url))
        return Route(status=404, body=b"<html><body><h1>Not found</h1></body></html>")


# --- running a crawl against it ------------------------------------------------------------

# Fast and small: no politeness delays, short timeouts, one retry, short backoff holds.
TEST_SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_TIMEOUT=3",
                 "RETRY_TIMES=1", "GOSSIPCRAWL_RETRY_AFTER_MAX=1", "GOSSIPCRAWL_BACKOFF_BASE=0.2",
                 "GOSSIPCRAWL_BACKOFF_MAX=1", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
                 "LOG_LEVEL=INFO")


@dataclass
class CrawlRun:
    returncode: int
    items: list[dict]
    stats: dict
    stderr: str
    seconds: float

    def stat(self, key: str) -> int:
        return self.stats.get(key, 0)

    def stats_under(self, prefix: str) -> dict:
        return {key: value for key, value in self.stats.items() if key.startswith(prefix)}

    def urls(self) -> set[str]:
        return {item["url"] for item in self.items}


def crawl(site: HostileSite, tmp_path: Path, *settings: str, timeout: float = 120) -> CrawlRun:
    """`gossipcrawl crawl` of the site in a subprocess; `timeout` only guards against a hang."""
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/",
               "-o", str(out), "--state", str(tmp_path / "state.sqlite3")]
    for setting in (*TEST_SETTINGS, *settings):
        command += ["-s", setting]
    started = time.monotonic()
    process = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                             timeout=timeout)
    seconds = time.monotonic() - started
    items = []
    if out.exists():
        items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    report = tmp_path / "out.report.json"
    stats = json.loads(report.read_text(encoding="utf-8"))["stats"] if report.exists() else {}
    return CrawlRun(process.returncode, items, stats, process.stderr, seconds)


# The handler is defined below the site it serves.
HostileSite.handler_class = _Handler
HostileSite.server_class = _Server
