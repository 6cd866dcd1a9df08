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
