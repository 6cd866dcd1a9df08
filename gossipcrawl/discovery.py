"""Where a site announces its articles: sitemaps (indexes, Google News), RSS/Atom feeds,
the feeds and pagination an HTML page links to, and the URL shapes that never end (date
archives, calendars, reply and share links).

Pure functions over response bodies and URLs, so discovery can be tested without a crawl. XML is
parsed with entity expansion and network access off (entity bombs, XXE), and gzip bodies
are inflated only up to a limit (gzip bombs).
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from gossipcrawl.extract.dates import parse_date

DEFAULT_MAX_INFLATED_BYTES = 50 * 1024 * 1024

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True,
                              huge_tree=False, remove_comments=True, remove_pis=True,
                              load_dtd=False)


class DiscoveryError(ValueError):
    """A sitemap or feed that cannot be read (too large, not XML)."""


@dataclass(frozen=True)
class Entry:
    url: str
    lastmod: str | None = None
    title: str | None = None           # Google News <news:title>, feed <title>
    published: str | None = None       # Google News <news:publication_date>, feed pubDate


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    entries: tuple[Entry, ...]


def inflate(body: bytes, max_bytes: int = DEFAULT_MAX_INFLATED_BYTES) -> bytes:
    """Gunzip `body` if it is gzip, refusing to produce more than `max_bytes`."""
    if body[:2] != b"\x1f\x8b":
        return body
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = io.BytesIO()
    chunk_size = 64 * 1024
    for start in range(0, len(body), chunk_size):
        out.write(decompressor.decompress(body[start:start + chunk_size],
                                          max_bytes + 1 - out.tell()))
        if out.tell() > max_bytes or decompressor.unconsumed_tail:
            raise DiscoveryError(f"gzip body inflates beyond {max_bytes} bytes")
    return out.getvalue()


def _root(body: bytes, max_bytes: int):
    body = inflate(body, max_bytes)
    if len(body) > max_bytes:
        raise DiscoveryError(f"XML body larger than {max_bytes} bytes")
    try:
        root = etree.fromstring(body.lstrip(), parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"not XML: {exc}") from None
    if root is None:
        raise DiscoveryError("not XML: empty document")
    return root


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element, name: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_sitemap(body: bytes, max_bytes: int = DEFAULT_MAX_INFLATED_BYTES) -> Sitemap:
    """A sitemap or sitemap index, with the Google News fields Scrapy's parser drops."""
    root = _root(body, max_bytes)
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise DiscoveryError(f"not a sitemap: root element <{kind}>")
    wanted = "sitemap" if kind == "sitemapindex" else "url"
    entries = []
    for element in root:
        if _local(element.tag) != wanted:
            continue
        loc = _child_text(element, "loc")
        if not loc:
            continue
        published = _child_text(element, "publication_date")
        entries.append(Entry(
            url=loc,
            lastmod=parse_date(_child_text(element, "lastmod")),
            title=_child_text(element, "title"),
            published=parse_date(published) if published else None,
        ))
    return Sitemap(is_index=kind == "sitemapindex", entries=tuple(entries))


def parse_feed(body: bytes, max_bytes: int = DEFAULT_MAX_INFLATED_BYTES) -> list[Entry]:
    """Items of an RSS 2.0, RSS 1.0/RDF or Atom feed."""
    root = _root(body, max_bytes)
    entries = []
    for element in root.iter():
        name = _local(element.tag)
        if name not in ("item", "entry"):
            continue
        link = None
        for child in element:
            if _local(child.tag) != "link":
                continue
            href = child.get("href")
            if href and child.get("rel", "alternate") == "alternate":
                link = href.strip()
                break
            if child.text and child.text.strip():
                link = child.text.strip()
                break
        if not link:
            guid = _child_text(element, "guid")
            link = guid if guid and guid.startswith("http") else None
        if not link:
            continue
        published = (_child_text(element, "pubdate") or _child_text(element, "published")
                     or _child_text(element, "date") or _child_text(element, "updated"))
        entries.append(Entry(url=link, title=_child_text(element, "title"),
                             published=parse_date(published) if published else None,
                             lastmod=parse_date(_child_text(element, "updated"))))
    return entries


def looks_like_feed(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in body[:2048].lower()
                                          or b"<feed" in body[:2048].lower()
                                          or b"<rdf:rdf" in body[:2048].lower())


def gzip_bytes(data: bytes) -> bytes:
    """Test and demo helper: gzip `data` deterministically."""
    return gzip.compress(data, mtime=0)


# --- HTML pages: feeds they announce, their pagination ----------------------------------

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/feed+xml"})
# Per-article comment feeds say nothing about articles.
_COMMENT_FEED = re.compile(r"/comments/feed/?$|/feed/?\?.*withcomments|[?&]feed=comments", re.I)


def feed_links(root, base_url: str) -> list[str]:
    """Feeds a page announces with `<link rel="alternate" type="application/rss+xml">`
    (or Atom), comment feeds left out."""
    found = []
    for element in root.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").lower().split(";")[0].strip()
        href = (element.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        title = (element.get("title") or "").lower()
        url = urljoin(base_url, href)
        if _COMMENT_FEED.search(url) or "comments" in title:
            continue
        if url not in found:
            found.append(url)
    return found


_PAGE_PATH = re.compile(r"/page/(\d{1,6})/?$", re.I)
_PAGE_PARAMS = ("paged", "page", "pg")  # not `p`: WordPress `?p=ID` is a post


def pagination_number(url: str) -> int | None:
    """The page number of a listing page URL (`/page/3/`, `?paged=3`, `?page=3`), else None."""
    parts = urlsplit(url)
    match = _PAGE_PATH.search(parts.path)
    if match:
        return int(match.group(1))
    for name, value in parse_qsl(parts.query):
        if name.lower() in _PAGE_PARAMS and value.isdigit() and len(value) <= 6:
            return int(value)
    return None


def next_page_links(root, base_url: str) -> list[str]:
    """Links a page marks as its next page: `<link rel="next">`, `<a rel="next">`."""
    found = []
    for element in root.iter("link", "a"):
        if "next" in (element.get("rel") or "").lower().split() and element.get("href"):
            url = urljoin(base_url, element.get("href").strip())
            if url not in found:
                found.append(url)
    return found


# --- traps: URL shapes with no end ---------------------------------------------------------

# WordPress date archives (/2024/, /2024/07/, /2024/07/10/ with nothing after): one page per
# day, month and year, each repeating what the sitemaps and listings already give.
# A year archive: a plausible year (1990-2099), then optional month and day, nothing else.
# Numeric article ids (/a/1000/, /story/4521/) are not years.
_DATE_ARCHIVE = re.compile(
    r"^/(?:[a-z-]+/)?(?:199\d|20\d\d)/(?:(?:0?[1-9]|1[0-2])/(?:(?:0?[1-9]|[12]\d|3[01])/)?)?"
    r"(?:page/\d+/?)?$", re.I)
# Calendars and event archives: a next month, forever.
_CALENDAR_PATH = re.compile(r"/(?:calendar|events?/(?:list|month|day|week|\d{4}-\d{2}))(?:/|$)",
                            re.I)
_CALENDAR_PARAMS = frozenset({"month", "year", "day", "date", "week", "cal", "calendar",
                              "ical", "ics", "tribe-bar-date", "eventdisplay", "monthnum"})
# Reply, share, print, sort and search variants of a page.
_VARIANT_PARAMS = frozenset({"replytocom", "share", "print", "s", "sort", "orderby", "order",
                             "filter", "view", "format", "output", "lang", "redirect_to",
                             "like_comment", "nb", "preview", "unapproved", "moderation-hash"})
MAX_URL_LENGTH = 400
MAX_PATH_SEGMENTS = 10
MAX_QUERY_PARAMETERS = 4


def trap_reason(url: str) -> str | None:
    """Why following this link could never end (or only repeats other pages), else None.

    Applies to links found on pages, not to sitemap or feed entries, which a site lists
    on purpose."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if len(url) > MAX_URL_LENGTH:
        return "long_url"
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) > MAX_PATH_SEGMENTS:
        return "deep_path"
    if len(segments) - len(set(segments)) >= 2:
        return "repeated_segments"
    if _DATE_ARCHIVE.match(path):
        return "date_archive"
    if _CALENDAR_PATH.search(path):
        return "calendar"
    names = [name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
    if any(name in _CALENDAR_PARAMS for name in names):
        return "calendar"
    if any(name in _VARIANT_PARAMS for name in names):
        return "page_variant"
    if len(names) > MAX_QUERY_PARAMETERS:
        return "many_parameters"
    return None


_DIGITS = re.compile(r"\d+")


def url_template(url: str) -> str:
    """The URL with every number replaced by `N`: `/events/day-12/` and `/events/day-13/`
    share one template, so a per-template budget bounds the traps no rule names."""
    parts = urlsplit(url)
    return _DIGITS.sub("N", f"{parts.path}?{parts.query}" if parts.query else parts.path)
