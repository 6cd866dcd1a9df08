import pytest

from gossipcrawl.discovery import DiscoveryError, gzip_bytes, parse_feed, parse_sitemap

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://soaps.example/gh-sonny-returns/</loc>
    <lastmod>2024-07-10T10:00:00+00:00</lastmod>
    <news:news><news:publication><news:name>Soaps</news:name><news:language>en</news:language>
      </news:publication><news:publication_date>2024-07-10T09:00:00-04:00</news:publication_date>
      <news:title>GH: Sonny returns</news:title></news:news></url>
  <url><loc>https://soaps.example/yr-recap/</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://soaps.example/post-sitemap.xml</loc><lastmod>2024-07-10</lastmod></sitemap>
</sitemapindex>"""


def test_google_news_fields_are_kept():
    sitemap = parse_sitemap(NEWS_SITEMAP)
    assert not sitemap.is_index
    first, second = sitemap.entries
    assert first.url == "https://soaps.example/gh-sonny-returns/"
    assert first.title == "GH: Sonny returns"
    assert first.published == "2024-07-10T13:00:00Z"
    assert first.lastmod == "2024-07-10T10:00:00Z"
    assert second.lastmod is None and second.title is None


def test_index_and_gzip():
    sitemap = parse_sitemap(gzip_bytes(INDEX))
    assert sitemap.is_index
    assert [entry.url for entry in sitemap.entries] == ["https://soaps.example/post-sitemap.xml"]


def test_gzip_bomb_is_refused_quickly():
    bomb = gzip_bytes(b"<urlset>" + b" " * (64 * 1024 * 1024))
    assert len(bomb) < 200_000
    with pytest.raises(DiscoveryError, match="inflates beyond"):
        parse_sitemap(bomb, max_bytes=8 * 1024 * 1024)


def test_entity_bomb_is_not_expanded():
    feed = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
    <rss><channel><item><title>&c;</title><link>https://soaps.example/a/</link></item>
    </channel></rss>"""
    entries = parse_feed(feed)
    assert [entry.url for entry in entries] == ["https://soaps.example/a/"]
    assert not (entries[0].title or "").startswith("aaaa")


def test_rss_and_atom():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><item><title>One</title>
    <link>https://soaps.example/one/</link><pubDate>Wed, 10 Jul 2024 18:32:11 +0000</pubDate>
    </item></channel></rss>"""
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>
    <title>Two</title><link rel="alternate" href="https://soaps.example/two/"/>
    <published>2024-07-10T18:32:11Z</published></entry></feed>"""
    assert parse_feed(rss)[0].published == "2024-07-10T18:32:11Z"
    assert parse_feed(atom)[0].url == "https://soaps.example/two/"


def test_not_a_sitemap():
    with pytest.raises(DiscoveryError):
        parse_sitemap(b"<html><body>404</body></html>")


# --- HTML discovery: announced feeds, pagination, traps -----------------------------------

import lxml.html  # noqa: E402

from gossipcrawl.discovery import (feed_links, next_page_links, pagination_number,  # noqa: E402
                                   trap_reason, url_template)
from gossipcrawl.urls import canonicalize, de_amp, url_key  # noqa: E402


def test_feed_autodiscovery_skips_comment_feeds():
    root = lxml.html.fromstring(b"""<html><head>
    <link rel="alternate" type="application/rss+xml" title="Soaps &raquo; Feed" href="/feed/">
    <link rel="alternate" type="application/rss+xml" title="Soaps &raquo; Comments Feed"
          href="/comments/feed/">
    <link rel="alternate" type="application/atom+xml" href="https://soaps.example/atom.xml">
    <link rel="alternate" hreflang="es" href="/es/">
    <link rel="stylesheet" type="text/css" href="/style.css"></head><body></body></html>""")
    assert feed_links(root, "https://soaps.example/category/gh/") == [
        "https://soaps.example/feed/", "https://soaps.example/atom.xml"]


@pytest.mark.parametrize("url, number", [
    ("https://s.example/category/gh/page/3/", 3),
    ("https://s.example/category/gh/page/12", 12),
    ("https://s.example/category/gh/?paged=4", 4),
    ("https://s.example/news?page=2", 2),
    ("https://s.example/?p=12345", None),          # a WordPress post id, not a page
    ("https://s.example/gh-page-3-recap/", None),
])
def test_pagination_number(url, number):
    assert pagination_number(url) == number


def test_next_page_links():
    root = lxml.html.fromstring(b"""<html><head><link rel="next" href="/page/2/"></head>
    <body><a rel="next nofollow" href="/page/2/">Older</a><a href="/x/">x</a></body></html>""")
    assert next_page_links(root, "https://s.example/") == ["https://s.example/page/2/"]


@pytest.mark.parametrize("url, reason", [
    ("https://s.example/2024/07/10/", "date_archive"),
    ("https://s.example/2024/07/", "date_archive"),
    ("https://s.example/2024/", "date_archive"),
    ("https://s.example/2024/07/10/gh-sonny-returns/", None),
    ("https://s.example/calendar/?month=2024-08", "calendar"),
    ("https://s.example/events/month/2024-08/", "calendar"),
    ("https://s.example/?ical=1", "calendar"),
    ("https://s.example/gh/?replytocom=123", "page_variant"),
    ("https://s.example/gh/?share=facebook", "page_variant"),
    ("https://s.example/a/b/a/b/a/b/", "repeated_segments"),
    ("https://s.example/" + "x/" * 12, "deep_path"),
    ("https://s.example/category/general-hospital/", None),
    ("https://s.example/general-hospital/spoilers/1234567/sonny-returns/", None),
])
def test_trap_reason(url, reason):
    assert trap_reason(url) == reason


def test_url_template_masks_numbers():
    assert url_template("https://s.example/events-day-12/?x=3") == "/events-day-N/?x=N"
    assert url_template("https://s.example/events-day-13/?x=4") == "/events-day-N/?x=N"


@pytest.mark.parametrize("url, expected", [
    ("https://Soaps.Example:443/gh/amp/?utm_source=x&b=2&a=1#c",
     "https://soaps.example/gh/?a=1&b=2"),
    ("https://soaps.example/gh/?amp=1", "https://soaps.example/gh/"),
    ("https://soaps.example/gh/?outputType=amp", "https://soaps.example/gh/"),
    ("http://127.0.0.1:8080/gh/?fbclid=1", "http://127.0.0.1:8080/gh/"),
    ("https://soaps.example/amp/", "https://soaps.example/amp/"),   # a page named amp
    ("https://soaps.example/caf\u00e9/", "https://soaps.example/caf%C3%A9/"),
])
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected


def test_amp_and_tracking_copies_share_a_lastmod_key():
    assert de_amp("https://s.example/gh/amp") == "https://s.example/gh/"
    assert url_key("https://s.example/gh/amp/?utm_medium=x") == url_key("https://s.example/gh/")
    assert len(url_key("https://s.example/gh/")) == 20
