"""A WordPress-like soap news site on 127.0.0.1 with every discovery trick and trap.

`SoapSite(style)` serves, on a free port, in a thread:

- robots.txt that disallows `/private/`; with style `yoast` it names `/sitemap_index.xml`
  (post sitemap with lastmods, a Google News sitemap, a gzipped sitemap, a category sitemap);
  style `core` names none and serves WordPress core's `/wp-sitemap.xml` index; style `plain`
  names none and serves only `/sitemap.xml`; style `none` has no sitemap at all.
- a sitemap entry for a disallowed URL, an offsite URL (`localhost` instead of
  `127.0.0.1`), a `?utm_*` copy and an AMP copy of listed articles;
- an RSS feed announced by `<link rel="alternate">` on the home page (not at `/feed/`),
  with an article found nowhere else and an offsite item;
- a category whose pages 2 and 3 hold articles found nowhere else, and whose `rel=next`
  never ends (every page links to the next, however empty);
- an AMP copy of every article (`/slug/amp/`), linked from the article;
- a redirect (`/old-gh-story-16/` -> `/gh-story-16/`), a redirect loop, a republished
  copy of an article (its canonical link names the original);
- traps: a calendar (`/calendar/?month=`), date archives (`/2024/07/10/` -> the day before,
  forever), `?replytocom=` links, an event chain no rule names (`/events-day-1/` ->
  `/events-day-2/` ...);
- article 4 answers 503 with an HTTP-date `Retry-After` once, article 5 answers 429 with
  `Retry-After: 1` once.

Every request is logged (`site.log`: time, method, host, path, status), so tests can say
what was and was not fetched. `site.touch(n)` changes article n and its lastmod.
"""

from __future__ import annotations

import gzip
import html
import json
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from .loopback import LoopbackSite

SITEMAP_ARTICLES = range(1, 7)      # in the post sitemap
NEWS_ONLY = 7                       # only in the Google News sitemap
GZIP_ONLY = 8                       # only in the gzipped sitemap (yoast style)
FEED_ONLY = 9                       # only in the announced feed
PAGINATION_ONLY = range(10, 16)     # only on pages 2 and 3 of the category
REDIRECT_ONLY = 16                  # only behind /old-gh-story-16/
ALL_ARTICLES = tuple(range(1, 17))
RETRY_503 = 4
RETRY_429 = 5
REPUBLISHED = 3                     # /syndicated/gh-story-3-copy/ republishes article 3

SHOWS = ["General Hospital", "The Young and the Restless", "Days of Our Lives",
         "The Bold and the Beautiful"]


def slug(number: int) -> str:
    return f"gh-story-{number}"


@dataclass
class Hit:
    time: float
    method: str
    host: str
    path: str
    status: int


class SoapSite(LoopbackSite):
    def __init__(self, style: str = "yoast", *, errors: bool = True):
        assert style in ("yoast", "core", "plain", "none")
        self.style = style
        self.errors = errors     # answer 503 and 429 once (a crawl then waits for them)
        self.log: list[Hit] = []
        self.versions = {number: 1 for number in ALL_ARTICLES}
        self.lastmods = {number: f"2024-07-{number:02d}T10:00:00+00:00" for number in ALL_ARTICLES}
        self._answered_once: set[str] = set()
        self._lock = threading.Lock()
        self.server = None

    # --- lifecycle ------------------------------------------------------------------------

    def __enter__(self):
        super().__enter__()
        # The same server under another host name: what the crawl must treat as offsite.
        self.offsite = f"http://localhost:{self.port}"
        return self

    def reset(self):
        """Forget the log and the one-time errors (a new crawl starts)."""
        with self._lock:
            self.log.clear()
            self._answered_once.clear()

    def touch(self, number: int):
        """Article `number` changes: new text, new lastmod."""
        self.versions[number] += 1
        self.lastmods[number] = f"2024-08-{number:02d}T12:00:00+00:00"

    # --- what the log says ----------------------------------------------------------------

    def paths(self, host: str | None = None) -> list[str]:
        host = host or f"127.0.0.1:{self.port}"
        return [hit.path for hit in self.log if hit.host == host]

    def article_fetches(self) -> dict[int, int]:
        """How many times each article page was requested (status 200 or not)."""
        counts = {}
        for path in self.paths():
            for number in ALL_ARTICLES:
                if path == f"/{slug(number)}/":
                    counts[number] = counts.get(number, 0) + 1
        return counts

    # --- pages ----------------------------------------------------------------------------

    def article_html(self, number: int, copy: bool = False, amp: bool = False) -> str:
        base = self.base_url
        url = f"{base}/{slug(number)}/"
        show = SHOWS[number % len(SHOWS)]
        version = self.versions[number]
        headline = f"{show}: story number {number} shakes up Port Charles"
        if version > 1:
            headline += f" (update {version})"
        paragraphs = [
            f"In today's episode of {show}, the residents face story number {number}. "
            "Nobody in town expected the twist that arrived before the commercial break, "
            "and fans have been talking about it ever since the credits rolled.",
            f"Sources close to the production say story {number} was planned for months. "
            "The writers kept the secret from most of the cast until the table read, "
            "when the script finally landed on everyone's doorstep.",
            "Viewers can expect the fallout to continue through the rest of the week, "
            "with several families pulled into the drama and at least one wedding at risk.",
            f"Revision {version} of this report adds what the network confirmed on Friday: "
            "the storyline will carry on into the summer with new faces arriving soon.",
        ]
        jsonld = {"@context": "https://schema.org", "@type": "NewsArticle",
                  "headline": headline, "datePublished": f"2024-07-{number:02d}T09:00:00Z",
                  "dateModified": self.lastmods[number],
                  "author": {"@type": "Person", "name": "Jane Soapwriter"},
                  "mainEntityOfPage": url}
        links = "".join([
            f'<a href="{base}/{slug(number)}/amp/">AMP version</a>',
            f'<a href="{base}/{slug(number)}/?replytocom={number}1">Reply</a>',
            f'<a href="{base}/{slug(number)}/?replytocom={number}2#respond">Reply</a>',
            f'<a href="{base}/{slug(number % 16 + 1)}/?utm_source=related&utm_medium=web">'
            "Related story</a>",
            f'<a href="{base}/tag/general-hospital/">General Hospital</a>',
            f'<a href="{base}/author/jane/">Jane</a>',
            f'<a href="{base}/2024/07/{number:02d}/">July {number}</a>',
        ])
        amp_head = '<html amp lang="en">' if amp else '<html lang="en">'
        body = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
        return f"""<!doctype html>{amp_head}<head><meta charset="utf-8">
<title>{html.escape(headline)} - Soap Test Site</title>
<link rel="canonical" href="{url}">
{'' if amp or copy else f'<link rel="amphtml" href="{url}amp/">'}
<meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(headline)}">
<script type="application/ld+json">{json.dumps(jsonld)}</script>
</head><body><nav><a href="{base}/">Home</a> <a href="{base}/category/gh/">GH</a>
<a href="{base}/about/">About</a></nav>
<article><h1>{html.escape(headline)}</h1><div class="entry-content">{body}</div></article>
<aside>{links}</aside></body></html>"""

    def listing_html(self, title: str, links: list[str], *, head: str = "",
                     extra: str = "") -> str:
        items = "".join(f'<li><a href="{href}">{html.escape(text)}</a></li>'
                        for href, text in links)
        jsonld = json.dumps({"@context": "https://schema.org", "@type": "CollectionPage",
                             "name": title})
        return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} - Soap Test Site</title>{head}
<script type="application/ld+json">{jsonld}</script></head>
<body><h1>{html.escape(title)}</h1><ul>{items}</ul>{extra}</body></html>"""

    def home(self) -> str:
        base = self.base_url
        links = [(f"{base}/{slug(1)}/", "Story 1"),
                 (f"{base}/{slug(2)}/?utm_source=home", "Story 2"),
                 (f"{base}/category/gh/", "General Hospital"), (f"{base}/about/", "About"),
                 (f"{base}/calendar/?month=2024-07", "Calendar"),
                 (f"{base}/2024/07/10/", "July 10"), (f"{base}/events-day-1/", "Events"),
                 (f"{base}/old-{slug(REDIRECT_ONLY)}/", "An old link"),
                 (f"{base}/syndicated/{slug(REPUBLISHED)}-copy/", "Republished"),
                 (f"{base}/loop-a/", "Loop"), (f"{self.offsite}/elsewhere/", "Offsite"),
                 ("https://example.org/", "External"),
                 (f"{base}/private/members/", "Members")]
        head = (f'<link rel="alternate" type="application/rss+xml" title="Soap Test Site Feed" '
                f'href="{base}/news/rss.xml">'
                f'<link rel="alternate" type="application/rss+xml" title="Comments Feed" '
                f'href="{base}/comments/feed/">')
        return self.listing_html("Soap Test Site", links, head=head)

    def category(self, page: int) -> str:
        base = self.base_url
        numbers = {1: [1, 2, 3], 2: [10, 11, 12], 3: [13, 14, 15]}.get(page, [])
        links = [(f"{base}/{slug(n)}/", f"Story {n}") for n in numbers]
        links.append((f"{base}/category/gh/", "GH"))
        next_url = f"{base}/category/gh/page/{page + 1}/"
        head = f'<link rel="next" href="{next_url}">'
        extra = f'<a class="next" href="{next_url}">Older posts</a>'
        if page == 1:
            extra += "".join(f'<a href="{base}/category/gh/page/{n}/">{n}</a>' for n in (2, 3))
        return self.listing_html(f"General Hospital - page {page}", links, head=head,
                                 extra=extra)

    # --- discovery documents -------------------------------------------------------------

    def robots(self) -> str:
        lines = ["User-agent: *", "Disallow: /private/", "Disallow: /wp-admin/", ""]
        if self.style == "yoast":
            lines.append(f"Sitemap: {self.base_url}/sitemap_index.xml")
        return "\n".join(lines) + "\n"

    def urlset(self, numbers, extra: list[str] = (), news: bool = False) -> str:
        base = self.base_url
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">']
        for number in numbers:
            if news:
                out.append(
                    f"<url><loc>{base}/{slug(number)}/</loc><news:news><news:publication>"
                    "<news:name>Soap Test Site</news:name><news:language>en</news:language>"
                    "</news:publication><news:publication_date>"
                    f"{self.lastmods[number]}</news:publication_date>"
                    f"<news:title>Story {number}</news:title></news:news></url>")
            else:
                out.append(f"<url><loc>{base}/{slug(number)}/</loc>"
                           f"<lastmod>{self.lastmods[number]}</lastmod></url>")
        out.extend(f"<url><loc>{html.escape(url)}</loc></url>" for url in extra)
        out.append("</urlset>")
        return "\n".join(out)

    def index(self, locations: list[str]) -> str:
        items = "".join(f"<sitemap><loc>{self.base_url}{path}</loc></sitemap>"
                        for path in locations)
        return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>')

    def sitemap_extras(self) -> list[str]:
        base = self.base_url
        return [f"{base}/private/gh-secret-story/", f"{self.offsite}/offsite-in-sitemap/",
                f"{base}/{slug(1)}/?utm_source=sitemap&utm_campaign=x",
                f"{base}/{slug(6)}/amp/"]

    def feed(self) -> str:
        base = self.base_url
        items = [(f"{base}/{slug(FEED_ONLY)}/", "Story 9"),
                 (f"{base}/{slug(2)}/amp/", "Story 2"),
                 (f"{base}/{slug(1)}/?utm_source=rss&utm_medium=feed", "Story 1"),
                 (f"{self.offsite}/offsite-story/", "Offsite story")]
        body = "".join(f"<item><title>{title}</title><link>{html.escape(link)}</link>"
                       "<pubDate>Wed, 10 Jul 2024 18:32:11 +0000</pubDate></item>"
                       for link, title in items)
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>Soap Test Site</title><link>{base}/</link>{body}</channel></rss>")

    # --- routing --------------------------------------------------------------------------

    def once(self, key: str) -> bool:
        """True the first time `key` is asked in this crawl."""
        with self._lock:
            if key in self._answered_once:
                return False
            self._answered_once.add(key)
            return True

    def route(self, path: str, query: dict):
        """(status, headers, body) for a GET."""
        base = self.base_url
        xml = {"Content-Type": "application/xml; charset=utf-8"}
        page = {"Content-Type": "text/html; charset=utf-8"}
        sitemap_numbers = list(SITEMAP_ARTICLES)
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, self.robots()
        if path == "/":
            return 200, page, self.home()
        if self.style == "yoast":
            if path == "/sitemap_index.xml":
                return 200, xml, self.index(["/post-sitemap.xml", "/news-sitemap.xml",
                                             "/post-sitemap2.xml.gz", "/category-sitemap.xml"])
            if path == "/post-sitemap.xml":
                return 200, xml, self.urlset(sitemap_numbers, self.sitemap_extras())
            if path == "/news-sitemap.xml":
                return 200, xml, self.urlset([1, NEWS_ONLY], news=True)
            if path == "/post-sitemap2.xml.gz":
                return 200, {"Content-Type": "application/x-gzip"}, gzip.compress(
                    self.urlset([GZIP_ONLY]).encode(), mtime=0)
            if path == "/category-sitemap.xml":
                return 200, xml, self.urlset([], [f"{base}/category/gh/"])
        if self.style == "core":
            if path == "/wp-sitemap.xml":
                return 200, xml, self.index(["/wp-sitemap-posts-post-1.xml",
                                             "/wp-sitemap-taxonomies-category-1.xml"])
            if path == "/wp-sitemap-posts-post-1.xml":
                return 200, xml, self.urlset([*sitemap_numbers, NEWS_ONLY, GZIP_ONLY],
                                             self.sitemap_extras())
            if path == "/wp-sitemap-taxonomies-category-1.xml":
                return 200, xml, self.urlset([], [f"{base}/category/gh/"])
        if self.style == "plain" and path == "/sitemap.xml":
            return 200, xml, self.urlset([*sitemap_numbers, NEWS_ONLY, GZIP_ONLY],
                                         self.sitemap_extras())
        if path == "/news/rss.xml":
            return 200, {"Content-Type": "application/rss+xml"}, self.feed()
        if path == "/category/gh/":
            return 200, page, self.category(1)
        if path.startswith("/category/gh/page/"):
            number = int(path.split("/")[4])
            return 200, page, self.category(number)
        if path in ("/tag/general-hospital/", "/author/jane/"):
            return 200, page, self.listing_html("Tagged", [(f"{base}/{slug(1)}/", "Story 1")])
        if path == "/about/":
            return 200, page, self.listing_html("About us", [(f"{base}/", "Home")])
        if path == "/calendar/":
            month = query.get("month", ["2024-07"])[0]
            year, mon = map(int, month.split("-"))
            following = f"{year + mon // 12}-{mon % 12 + 1:02d}"
            return 200, page, self.listing_html(f"Calendar {month}", [
                (f"{base}/calendar/?month={following}", "Next month")])
        if path.startswith("/2024/") or path.startswith("/2023/"):
            return 200, page, self.listing_html(f"Archive {path}", [
                (f"{base}/2023/12/31/", "The day before")])
        if path.startswith("/events-day-"):
            day = int(path.strip("/").rsplit("-", 1)[1])
            return 200, page, self.listing_html(f"Events day {day}", [
                (f"{base}/events-day-{day + 1}/", "Next day")])
        if path == f"/old-{slug(REDIRECT_ONLY)}/":
            return 301, {"Location": f"{base}/{slug(REDIRECT_ONLY)}/"}, ""
        if path == "/loop-a/":
            return 302, {"Location": f"{base}/loop-b/"}, ""
        if path == "/loop-b/":
            return 302, {"Location": f"{base}/loop-a/"}, ""
        if path == f"/syndicated/{slug(REPUBLISHED)}-copy/":
            return 200, page, self.article_html(REPUBLISHED, copy=True)
        if path == "/comments/feed/":
            return 200, {"Content-Type": "application/rss+xml"}, self.feed()
        for number in ALL_ARTICLES:
            if path == f"/{slug(number)}/":
                if number == RETRY_503 and self.errors and self.once(path):
                    return 503, {"Retry-After": formatdate(time.time() + 2, usegmt=True)}, ""
                if number == RETRY_429 and self.errors and self.once(path):
                    return 429, {"Retry-After": "1"}, ""
                return 200, page, self.article_html(number)
            if path == f"/{slug(number)}/amp/":
                return 200, page, self.article_html(number, amp=True)
        return 404, page, self.listing_html("Not found", [])


class _Handler(BaseHTTPRequestHandler):
    site: SoapSite

    def do_GET(self):
        parts = urlsplit(self.path)
        status, headers, body = self.site.route(parts.path, parse_qs(parts.query))
        full_path = parts.path + (f"?{parts.query}" if parts.query else "")
        with self.site._lock:
            self.site.log.append(Hit(time.time(), "GET", self.headers.get("Host", ""),
                                     full_path, status))
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    import sys

    with SoapSite(sys.argv[1] if len(sys.argv) > 1 else "yoast") as served:
        print(f"serving {served.style} test site at {served.base_url}/", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


# The handler is defined below the site it serves.
SoapSite.handler_class = _Handler
