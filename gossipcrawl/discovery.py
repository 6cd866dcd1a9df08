"""Where a site announces its articles: sitemaps (indexes, Google News), RSS/Atom feeds.

Pure functions over response bodies, so discovery can be tested without a crawl. XML is
parsed with entity expansion and network access off (entity bombs, XXE), and gzip bodies
are inflated only up to a limit (gzip bombs).
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass

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
