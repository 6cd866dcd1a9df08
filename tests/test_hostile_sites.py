"""Hostile sites: bombs in sitemaps and feeds, redirect loops, endless pagination, slow and
dropped connections, 429 storms, endless bodies and endless sites. Each crawl runs for real
(`gossipcrawl crawl` in a subprocess) against a loopback site and must end on its own, on
time, with every good article and a stat or log line naming each bad source.
"""

from __future__ import annotations

import re

import pytest

from gossipcrawl.discovery import gzip_bytes
from sites.hostile import HostileSite, Route, crawl, good_article, gzip_bomb

pytestmark = pytest.mark.e2e

GIB = 1024 ** 3
XML = {"Content-Type": "application/xml"}
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>/news/feed-only-1/</link></item>
</channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&xxe;</title><link>/news/feed-only-2/</link></item>
</channel></rss>"""


def urlset(*paths: str) -> bytes:
    entries = "".join(f"<url><loc>{path}</loc></url>" for path in paths)
    return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{entries}</urlset>").encode()


def endless_listing(path: str):
    """/category/endless/page/N/: every page has a next page and one new article."""
    match = re.fullmatch(r"/category/endless/(?:page/(\d+)/)?", path)
    if match:
        number = int(match.group(1) or 1)
        body = (f'<html><head><title>Endless, page {number}</title>'
                f'<link rel="next" href="/category/endless/page/{number + 1}/"></head><body>'
                f'<h1>Endless</h1><a href="/news/good-{1000 + number}/">story</a> '
                f'<a rel="next" href="/category/endless/page/{number + 1}/">Next</a>'
                '</body></html>')
        return Route(body=body.encode())
    match = re.fullmatch(r"/news/good-(\d+)/", path)
    if match and int(match.group(1)) > 1000:
        return Route(body=good_article(int(match.group(1))))
    match = re.fullmatch(r"/redirect/(\d+)/", path)
    if match:  # a redirect chain that never ends, each hop a new URL
        return Route(status=302, headers={"Location": f"/redirect/{int(match.group(1)) + 1}/"})
    return None


def hostile_routes() -> dict[str, Route]:
    bomb = gzip_bomb(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                     b'sitemap/0.9"><url><loc>/news/bomb-listed/</loc></url>', 2 * GIB)
    html_bomb = gzip_bomb(b"<html><body>", GIB)
    busy = Route(status=429, headers={"Retry-After": "3600", "Content-Type": "text/html"},
                 body=b"<html><body>Too many requests</body></html>")
    return {
        # sitemaps: a gzip bomb (a .xml.gz file), the same as Content-Encoding, garbage
        "/bomb-sitemap.xml.gz": Route(body=bomb, headers={"Content-Type": "application/x-gzip"}),
        "/encoded-bomb-sitemap.xml": Route(body=bomb, headers={**XML,
                                                               "Content-Encoding": "gzip"}),
        "/garbage-sitemap.xml": Route(body=b"\x00\xff" * 5000, headers=XML),
        "/gzip-sitemap.xml.gz": Route(body=gzip_bytes(urlset("/news/good-1/")),
                                      headers={"Content-Type": "application/x-gzip"}),
        # feeds: an entity bomb, an external entity
        "/laughs.xml": Route(body=BILLION_LAUGHS, headers={"Content-Type": "application/rss+xml"}),
        "/xxe.xml": Route(body=EXTERNAL_ENTITY, headers={"Content-Type": "application/rss+xml"}),
        # a page that inflates to 1 GiB
        "/h/encoded-bomb/": Route(body=html_bomb, headers={"Content-Type": "text/html",
                                                           "Content-Encoding": "gzip"}),
        # bodies too big to download: announced, and never-ending without a length
        "/h/announced-100mb/": Route(behaviour="endless", size=100 * 1024 * 1024),
        "/h/never-ending/": Route(behaviour="endless", size=None),
        # redirect loops
        "/loop-a/": Route(status=301, headers={"Location": "/loop-b/"}),
        "/loop-b/": Route(status=301, headers={"Location": "/loop-a/"}),
        "/loop-self/": Route(status=302, headers={"Location": "/loop-self/"}),
        # slow and dropped connections
        "/h/slow/": Route(behaviour="slow", delay=15, body=good_article(2)),
        "/h/trickle/": Route(behaviour="trickle", delay=0.2, body=good_article(3)),
        "/h/dropped/": Route(behaviour="drop"),
        "/h/reset/": Route(behaviour="drop", reset=True),
        "/h/partial/": Route(behaviour="partial", body=good_article(4)),
        # a 429 storm: every one of these always answers 429 with a one-hour Retry-After
        **{f"/h/busy-{n}/": busy for n in range(1, 11)},
    }


SITEMAPS = ["/bomb-sitemap.xml.gz", "/encoded-bomb-sitemap.xml", "/garbage-sitemap.xml",
            "/gzip-sitemap.xml.gz"]
FEEDS = ["/laughs.xml", "/xxe.xml"]


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    """(site, run, hits): one crawl of the hostile site, shared by the tests below."""
    routes = hostile_routes()
    links = [path for path in routes if path.startswith(("/h/", "/loop"))]
    links += ["/category/endless/", "/redirect/1/"]
    with HostileSite(routes, good_articles=80, sitemaps=SITEMAPS, feeds=FEEDS,
                     extra_links=links, dynamic=endless_listing) as site:
        run = crawl(site, tmp_path_factory.mktemp("hostile-site"),
                    "GOSSIPCRAWL_MAX_PAGINATION=5", "RETRY_TIMES=2", timeout=180)
        hits = dict(site.hits)
    return site, run, hits


def test_crawl_survives_hostile_site(hostile_crawl):
    site, run, hits = hostile_crawl
    stderr = run.stderr
    assert run.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    assert run.stats.get("finish_reason") == "finished"
    # Bombs and endless bodies never came near the memory bound (Scrapy's MemoryUsage stat).
    assert run.stat("memusage/max") < 512 * 1024 * 1024

    # Every good article, and the endless listing's first pages' articles.
    urls = run.urls()
    for path in site.good_paths():
        assert site.base_url + path in urls, path
    assert site.base_url + "/news/good-1001/" in urls

    # Sitemap bombs and garbage: refused, counted, named in the log; the crawl went on.
    assert run.stat("gossipcrawl/discovery/sitemap_errors") >= 2
    assert re.search(r"unreadable sitemap \S+/bomb-sitemap\.xml\.gz: gzip body inflates "
                     r"beyond", stderr)
    assert "/garbage-sitemap.xml" in stderr
    assert site.base_url + "/news/bomb-listed/" not in urls
    # The Content-Encoding bombs stop at DOWNLOAD_MAXSIZE inside Scrapy's decompression.
    # (fetched once, or retried up to RETRY_TIMES: never more)
    assert 1 <= hits["/encoded-bomb-sitemap.xml"] <= 3
    assert 1 <= hits["/h/encoded-bomb/"] <= 3
    assert re.search(r"encoded-bomb-sitemap\.xml.*(?:max|size)", stderr, re.I | re.S)

    # Entity bomb and external entity: parsed without expansion, the items still found.
    assert run.stat("gossipcrawl/discovery/feeds") == 2
    assert "lollollol" not in stderr
    assert "root:" not in stderr

    # Bodies too big: cancelled at DOWNLOAD_MAXSIZE, counted as fetch errors.
    for path in ("/h/announced-100mb/", "/h/never-ending/"):
        assert path in stderr, path
    assert run.stat("downloader/response_bytes") < 300 * 1024 * 1024

    # Redirect loops and an endless redirect chain end at REDIRECT_MAX_TIMES.
    assert hits["/loop-a/"] + hits["/loop-b/"] <= 8
    assert hits["/loop-self/"] <= 2
    assert sum(count for path, count in hits.items() if path.startswith("/redirect/")) <= 8

    # Endless pagination ends at GOSSIPCRAWL_MAX_PAGINATION.
    pages = [path for path in hits if path.startswith("/category/endless/")]
    assert 1 < len(pages) <= 6
    assert run.stat("gossipcrawl/discovery/pagination_limited") == 1

    # Slow, trickling, dropped and half-sent pages: retried, then counted and logged. (Twisted
    # itself sends a request again once when a kept-alive connection drops before answering.)
    for path in ("/h/slow/", "/h/trickle/", "/h/dropped/", "/h/reset/", "/h/partial/"):
        assert 1 <= hits[path] <= 2 * 3, path
        assert f"could not fetch {site.base_url}{path}" in stderr, path

    # The 429 storm: each page retried RETRY_TIMES with the hold capped, then given up.
    for n in range(1, 11):
        assert hits[f"/h/busy-{n}/"] == 3
    assert run.stat("gossipcrawl/retry/retry_after_honoured") >= 10
    assert run.stat("gossipcrawl/retry/max_delay") <= 1
    assert run.stat("retry/max_reached") >= 10
    assert re.search(r"Gave up retrying <GET \S+/h/busy-1/> \(failed 3 times\): 429", stderr)


def test_http_errors_count_as_page_errors(hostile_crawl):
    """A final 429 (or 404, 5xx) is a page error for the monitors, not a policy skip."""
    from gossipcrawl.monitors.report import page_counts

    site, run, hits = hostile_crawl
    _, errors = page_counts(run.stats)
    # The 10 pages of the 429 storm and the 5 slow or dropped ones.
    assert errors >= 15


def maze(path: str):
    """An endless site: every page is a listing linking five new listings (slowly)."""
    match = re.fullmatch(r"/maze/(\d+)/", path)
    if not match:
        return None
    number = int(match.group(1))
    links = "".join(f'<a href="/maze/{number * 5 + k}/">room {number * 5 + k}</a> '
                    for k in range(1, 6))
    return Route(behaviour="slow", delay=0.05,
                 body=f"<html><head><title>Room {number}</title></head><body><h1>Room "
                      f"{number}</h1>{links}</body></html>".encode())


@pytest.mark.parametrize("bound, finish_reason", [
    ("GOSSIPCRAWL_MAX_PAGES_PER_SITE=40", "finished"),
    ("CLOSESPIDER_TIMEOUT=4", "closespider_timeout"),
])
def test_endless_site_is_bounded(tmp_path, bound, finish_reason):
    settings = ["GOSSIPCRAWL_MAX_DEPTH=1000", "GOSSIPCRAWL_MAX_PAGES_PER_TEMPLATE=1000000",
                "GOSSIPCRAWL_MAX_PAGE_ERROR_RATE=1", bound]
    with HostileSite(good_articles=2, extra_links=["/maze/0/"], dynamic=maze) as site:
        run = crawl(site, tmp_path, *settings, timeout=120)
        rooms = sum(count for path, count in site.hits.items() if path.startswith("/maze/"))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stats.get("finish_reason") == finish_reason
    assert f"finish reason: {finish_reason}" in run.stderr
    assert {site.base_url + path for path in site.good_paths()} <= run.urls()
    if "MAX_PAGES" in bound:
        assert rooms <= 40
        assert run.stat("gossipcrawl/discovery/page_limit_reached") == 1
    else:
        assert 10 < rooms < 2000


def test_numeric_article_ids_are_not_date_archives():
    from gossipcrawl.discovery import trap_reason

    assert trap_reason("https://soaps.example/news/2024/") == "date_archive"
    assert trap_reason("https://soaps.example/2024/07/") == "date_archive"
    for url in ("https://soaps.example/a/1000/", "https://soaps.example/story/4521/",
                "https://soaps.example/video/1234/"):
        assert trap_reason(url) is None, url


def _spider(**settings):
    from scrapy.utils.test import get_crawler

    from gossipcrawl.spiders.news import NewsSpider

    from pipeline_kit import PROJECT_DEFAULTS

    crawler = get_crawler(NewsSpider, {**PROJECT_DEFAULTS, **settings})
    crawler.settings.frozen = False  # from_crawler applies the target's profile settings
    crawler.stats.open_spider()
    return NewsSpider.from_crawler(crawler, target="http://127.0.0.1:8000/")


def test_a_link_farm_page_is_read_only_up_to_the_link_bound():
    from gossipcrawl.pages.registry import page_for

    farm = "".join(f'<p><a href="/story-{n}/">Story {n}</a></p>' for n in range(5000))
    page = page_for(f"<html><body>{farm}</body></html>".encode(), "http://127.0.0.1:8000/",
                    "text/html; charset=utf-8")
    spider = _spider(GOSSIPCRAWL_MAX_LINKS_PER_PAGE=300)
    links, _, _ = spider._page_links(page.parsed, page.page_url, is_article=False)
    assert links == [f"http://127.0.0.1:8000/story-{n}/" for n in range(300)]
    assert spider.crawler.stats.get_value("gossipcrawl/discovery/links_cut") == 1

    unbounded = _spider(GOSSIPCRAWL_MAX_LINKS_PER_PAGE=0)
    links, _, _ = unbounded._page_links(page.parsed, page.page_url, is_article=False)
    assert len(links) == 5000
    assert unbounded.crawler.stats.get_value("gossipcrawl/discovery/links_cut") is None
