"""A small WordPress-like news site on 127.0.0.1 whose articles change between crawls, for
the exactly-once tests and the fault-injection benchmark.

`Newsroom(articles=N)` serves:

- `/robots.txt`: `Disallow: /private/`, and a `Sitemap:` line (unless `sitemap_in_robots`
  is off);
- `/sitemap.xml`: every article with its `lastmod`, a disallowed `/private/` article and an
  offsite URL (`localhost` instead of `127.0.0.1`);
- `/feed/`: RSS of the newest `feed_size` articles, dated;
- `/` and `/page/K/`: listing pages of `per_page` articles, newest first, `rel=next`, each
  also linking to `/private/members/` and an offsite page;
- `/news/story-N/`: article N, version `versions[N]` (canonical link, JSON-LD with its
  `dateModified`).

`edit(n)` changes article n (new text, newer lastmod); `add()` publishes a new one.
`delays` holds seconds to wait before answering each kind of page (`robots`, `sitemap`,
`feed`, `listing`, `article`): a slow sitemap makes the listing's links arrive first.
`hold(kind)` makes requests for that kind of page wait until `release(kind)`: a crawl kept
running for exactly as long as a test needs. `too_many(kind, times, retry_after)` answers the
first `times` requests for that kind of page with 429 and a `Retry-After`. `jitter` adds a
random delay of up to that many seconds to every answer (drawn from `random.Random(seed)`):
pages come back in an order no crawl planned.

Every request is logged (`log`: time, path, host, status), so tests can check what was and
was not fetched; `forbidden_fetches()` lists requests robots.txt or the domain forbids,
`max_concurrency` the most requests the site ever served at once.
"""

from __future__ import annotations

import html
import json
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC
from urllib.parse import urlsplit

from .loopback import KernelStampedHandler, LoopbackSite

KINDS = ("robots", "sitemap", "feed", "listing", "article", "other")


@dataclass
class Hit:
    time: float
    method: str
    host: str
    path: str
    status: int


class Newsroom(LoopbackSite):
    def __init__(self, articles: int = 12, *, per_page: int = 5, feed_size: int = 5,
                 delays: dict[str, float] | None = None, sitemap_in_robots: bool = True,
                 jitter: float = 0.0, seed: int | None = None):
        self.versions = {number: 1 for number in range(1, articles + 1)}
        self.lastmods = {number: _stamp(number, 1) for number in self.versions}
        self.per_page = per_page
        self.feed_size = feed_size
        self.delays = dict(delays or {})
        self.sitemap_in_robots = sitemap_in_robots
        self.jitter = jitter
        self._random = random.Random(seed)
        self.log: list[Hit] = []
        self.gates: dict[str, threading.Event] = {}
        self._throttled: dict[str, list] = {}   # kind -> [answers left, Retry-After]
        self.in_flight = 0
        self._held: list[str] = []
        self.max_concurrency = 0
        self._lock = threading.Lock()

    # --- what changes between crawls ------------------------------------------------------

    def edit(self, number: int) -> None:
        with self._lock:
            self.versions[number] += 1
            self.lastmods[number] = _stamp(number, self.versions[number])

    def too_many(self, kind: str, times: int, retry_after: int) -> None:
        self._throttled[kind] = [times, retry_after]

    def hold(self, kind: str) -> None:
        self.gates[kind] = threading.Event()

    def release(self, kind: str) -> None:
        gate = self.gates.pop(kind, None)
        if gate is not None:
            gate.set()

    def waiting(self, kind_prefix: str) -> bool:
        """True once a request whose path starts with `kind_prefix` is being held."""
        with self._lock:
            return any(path.startswith(kind_prefix) for path in self._held)

    def add(self) -> int:
        with self._lock:
            number = max(self.versions) + 1
            self.versions[number] = 1
            self.lastmods[number] = _stamp(number, 1)
        return number

    # --- what the log says ----------------------------------------------------------------

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def article_url(self, number: int) -> str:
        return f"{self.base_url}/news/story-{number}/"

    def paths(self) -> list[str]:
        with self._lock:
            return [hit.path for hit in self.log]

    def forbidden_fetches(self) -> list[str]:
        """Requests robots.txt disallows or that left the site's domain."""
        with self._lock:
            return [f"{hit.host}{hit.path}" for hit in self.log
                    if hit.path.startswith("/private/") or hit.host != self.host]

    def reset(self) -> None:
        with self._lock:
            self.log.clear()
            self.max_concurrency = 0

    # --- pages ----------------------------------------------------------------------------

    def newest_first(self) -> list[int]:
        return sorted(self.versions, reverse=True)

    def article_html(self, number: int) -> str:
        version = self.versions[number]
        url = self.article_url(number)
        headline = f"Story {number}: the Port Charles wedding is off" + (
            f" (update {version})" if version > 1 else "")
        paragraphs = [
            f"Story {number} begins where last week's episode of General Hospital ended, "
            "with the whole town gathered at the chapel and nobody sure who would turn up.",
            f"Version {version} of this report: the writers confirmed on Friday that the "
            "storyline carries on into the summer, with new faces arriving in July.",
            "Fans have filled the message boards with theories about the missing ring, the "
            "letter under the door and the stranger who paid for the flowers in cash.",
        ]
        jsonld = {"@context": "https://schema.org", "@type": "NewsArticle",
                  "headline": headline, "datePublished": _stamp(number, 1),
                  "dateModified": self.lastmods[number],
                  "author": {"@type": "Person", "name": "Jane Soapwriter"},
                  "mainEntityOfPage": url}
        body = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
        return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(headline)} - Newsroom</title><link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<script type="application/ld+json">{json.dumps(jsonld)}</script></head>
<body><nav><a href="/">Home</a></nav><article><h1>{html.escape(headline)}</h1>
<div class="entry-content">{body}</div></article></body></html>"""

    def listing_html(self, page: int) -> str | None:
        numbers = self.newest_first()
        chunk = numbers[(page - 1) * self.per_page: page * self.per_page]
        if page > 1 and not chunk:
            return None
        links = "".join(f'<li><a href="/news/story-{n}/">Story {n}</a></li>' for n in chunk)
        has_next = page * self.per_page < len(numbers)
        next_link = f'<a rel="next" href="/page/{page + 1}/">Older</a>' if has_next else ""
        return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Newsroom, page {page}</title>
<link rel="alternate" type="application/rss+xml" href="/feed/"></head>
<body><h1>Newsroom</h1><ul>{links}</ul>{next_link}
<a href="/private/members/">Members</a>
<a href="http://localhost:{self.port}/elsewhere/">Elsewhere</a></body></html>"""

    def sitemap(self) -> str:
        entries = "".join(f"<url><loc>{self.article_url(n)}</loc>"
                          f"<lastmod>{self.lastmods[n]}</lastmod></url>"
                          for n in self.newest_first())
        entries += (f"<url><loc>{self.base_url}/private/secret-story/</loc></url>"
                    f"<url><loc>http://localhost:{self.port}/news/offsite/</loc></url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')

    def feed(self) -> str:
        items = "".join(
            f"<item><title>Story {n}</title><link>{self.article_url(n)}</link>"
            f"<pubDate>{_rfc822(self.lastmods[n])}</pubDate></item>"
            for n in self.newest_first()[:self.feed_size])
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>Newsroom</title><link>{self.base_url}/</link>{items}</channel></rss>")

    def robots(self) -> str:
        lines = ["User-agent: *", "Disallow: /private/"]
        if self.sitemap_in_robots:
            lines.append(f"Sitemap: {self.base_url}/sitemap.xml")
        return "\n".join(lines) + "\n"

    def route(self, path: str) -> tuple[str, int, str, str]:
        """(kind, status, content type, body) for a path."""
        if path == "/robots.txt":
            return "robots", 200, "text/plain", self.robots()
        if path == "/sitemap.xml":
            return "sitemap", 200, "application/xml", self.sitemap()
        if path == "/feed/":
            return "feed", 200, "application/rss+xml", self.feed()
        if path == "/" or path.startswith("/page/"):
            number = int(path.strip("/").split("/")[-1]) if path != "/" else 1
            page = self.listing_html(number)
            if page is not None:
                return "listing", 200, "text/html; charset=utf-8", page
        if path.startswith("/news/story-"):
            number = int(path.rstrip("/").rsplit("-", 1)[-1])
            if number in self.versions:
                return "article", 200, "text/html; charset=utf-8", self.article_html(number)
        return "other", 404, "text/html", "<html><body>Not found</body></html>"

    class handler_class(KernelStampedHandler):
        site: Newsroom

        def do_GET(self):
            site = self.site
            path = urlsplit(self.path).path
            arrived = self.arrived   # what politeness is about: when requests arrive
            with site._lock:
                site.in_flight += 1
                site.max_concurrency = max(site.max_concurrency, site.in_flight)
            try:
                kind, status, content_type, body = site.route(path)
                headers = {}
                with site._lock:
                    throttled = site._throttled.get(kind)
                    if throttled and throttled[0] > 0:
                        throttled[0] -= 1
                        status, body = 429, "<html><body>Slow down</body></html>"
                        headers["Retry-After"] = str(throttled[1])
                gate = site.gates.get(kind)
                if gate is not None:
                    with site._lock:
                        site._held.append(path)
                    gate.wait(timeout=120)
                    with site._lock:
                        site._held.remove(path)
                    kind, status, content_type, body = site.route(path)
                delay = site.delays.get(kind, 0.0)
                if site.jitter:
                    with site._lock:
                        delay += site._random.uniform(0, site.jitter)
                if delay:
                    time.sleep(delay)
                data = body.encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass   # the crawler went away (killed): nothing to answer
            finally:
                with site._lock:
                    site.in_flight -= 1
                    site.log.append(Hit(arrived, self.command,
                                        self.headers.get("Host", ""), path, status))

        def log_message(self, *args):
            pass


def _stamp(number: int, version: int) -> str:
    """The lastmod of an article's version: later versions are later (a day each)."""
    from datetime import datetime, timedelta

    when = (datetime(2024, 1, 1, tzinfo=UTC)
            + timedelta(days=version, minutes=number))
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _rfc822(stamp: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(stamp.replace("Z", "+00:00")))
