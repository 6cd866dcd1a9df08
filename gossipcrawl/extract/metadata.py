"""Article metadata besides the headline, authors and dates: canonical URL, language, main
image, breadcrumbs and tags, from structured data first and the page's own markup second.

Each function takes the page (`ParsedPage`) and returns one contract field. Signals are
tried from the most to the least reliable; the first usable one wins. docs/extraction.md
lists the order for every field. Everything here is generic: per-site differences belong in
page objects (gossipcrawl/sites/<name>.py), never in this module.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from gossipcrawl.extract.dom import clean_text, element_text, innermost
from gossipcrawl.extract.headline import article_scope, normalized
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.signals import LAYOUT_CLASS, in_chrome, signals
from gossipcrawl.extract.structured import by_type, first_meta, parsely_page, text_value
from gossipcrawl.urls import strip_tracking

_AMP_HTML = etree.XPath("/html[@amp or @*[name()='\u26a1']]")
_HTML_LANG = etree.XPath("/html/@lang | /html/@*[name()='xml:lang']")
_TAG_BOX = re.compile(r"tags\b|post-tag|entry-tag|article-tag", re.IGNORECASE)


# --- canonical URL ------------------------------------------------------------------------

def canonical_url(page: ParsedPage) -> str:
    """`<link rel=canonical>` (an AMP page's points to its regular page), else `url`; an
    AMP page without one falls back to its URL without the `/amp/` segment."""
    url = page.url
    for link in page.index.tagged("link"):
        if link.get("href") is None or "canonical" not in (link.get("rel") or "").lower().split():
            continue
        href = link.get("href").strip()
        if href and not href.startswith(("javascript:", "#")):
            absolute = urljoin(url, href)
            if urlsplit(absolute).scheme in ("http", "https", "file"):
                return strip_tracking(absolute)
    if _AMP_HTML(page.root):
        parts = urlsplit(url)
        path = re.sub(r"/amp/?$", "/", parts.path)
        return strip_tracking(parts._replace(path=path, query=re.sub(
            r"(^|&)amp(=1|=true)?(?=&|$)", "", parts.query)).geturl())
    return strip_tracking(url)


# --- language, image, breadcrumbs, tags ----------------------------------------------------

_LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|\d{3}))?(?![a-zA-Z])")


def _bcp47(value: Any) -> str | None:
    if not value or not isinstance(value, str):
        return None
    match = _LANGUAGE.match(value.strip())
    if not match:
        return None
    language, region = match.group(1).lower(), match.group(2)
    return f"{language}-{region.upper()}" if region else language


def in_language(page: ParsedPage) -> str | None:
    """JSON-LD `inLanguage`, `<html lang>`, og:locale, language meta tags; a bare language
    (`en`) is refined by a later signal that agrees and names the region (`en_GB`)."""
    node = page.article_node
    candidates: list[Any] = [text_value(node.get("inLanguage")) if node else None]
    candidates += list(_HTML_LANG(page.root))[:2]
    candidates += [first_meta(page.meta, "og:locale", "content-language", "language", "dc.language",
                              "dcterms.language")]
    codes = [code for code in map(_bcp47, candidates) if code]
    if not codes:
        return None
    first = codes[0]
    if "-" not in first:
        for code in codes[1:]:
            if code.startswith(first + "-"):
                return code
    return first


def main_image(page: ParsedPage) -> dict[str, str] | None:
    """JSON-LD `image` or `thumbnailUrl`, then og:image, twitter:image; absolute http(s)."""
    node, meta, page_url = page.article_node, page.meta, page.base_url
    candidates: list[Any] = []
    if node:
        image = node.get("image") or node.get("thumbnailUrl")
        for value in image if isinstance(image, list) else [image]:
            if isinstance(value, dict):
                value = value.get("url") or value.get("contentUrl") or (
                    value.get("@id") if "#" not in str(value.get("@id")) else None)
            if isinstance(value, list):
                value = next((member for member in value if isinstance(member, str)), None)
            if isinstance(value, str):
                candidates.append(value)
    candidates.append(first_meta(meta, "og:image", "og:image:url", "og:image:secure_url",
                                 "twitter:image", "twitter:image:src", "thumbnail"))
    for value in candidates:
        if value and not value.startswith("data:"):
            absolute = urljoin(page_url, html.unescape(value.strip()))
            if absolute.startswith(("http://", "https://")):
                return {"url": absolute}
    return None


def _breadcrumb_container(page: ParsedPage) -> HtmlElement | None:
    """The first element whose class names a breadcrumb trail (not a layout flag such as
    `genesis-breadcrumbs-visible`, not one link of the trail), else one labelled so."""
    for element, value in signals(page).classed:
        if element.tag in ("body", "html", "a", "span", "li") or "readcrumb" not in value:
            continue
        for word in value.lower().split():
            if "breadcrumb" in word and not LAYOUT_CLASS.search(word) and not word.endswith(
                    ("-link", "-link-wrap", "-item", "-separator", "-sep")):
                return element
    for element, _, label in page.index.attributes("aria-label"):
        if label.lower().startswith("breadcrumb"):
            return element
    return None


def breadcrumbs(page: ParsedPage, title: str | None) -> list[dict[str, str | None]]:
    """JSON-LD `BreadcrumbList`, else the links of the page's breadcrumb trail; the last
    step is dropped when it is the article (`title`) itself."""
    page_url = page.base_url
    trail = by_type(page.jsonld, "BreadcrumbList")
    crumbs: list[dict[str, str | None]] = []
    if trail and isinstance(trail.get("itemListElement"), list):
        entries = [entry for entry in trail["itemListElement"] if isinstance(entry, dict)]
        entries.sort(key=lambda entry: _position(entry.get("position")))
        for entry in entries:
            item = entry.get("item")
            name = text_value(entry.get("name")) or (
                text_value(item) if isinstance(item, dict) else None)
            link = item.get("@id") or item.get("url") if isinstance(item, dict) else item
            if name:
                crumbs.append({"name": name,
                               "url": urljoin(page_url, link) if isinstance(link, str) else None})
    else:
        container = _breadcrumb_container(page)
        for anchor in container.iter("a") if container is not None else ():
            name = element_text(anchor)
            href = (anchor.get("href") or "").strip()
            if name and href and not href.startswith(("#", "javascript:")):
                crumbs.append({"name": name, "url": urljoin(page_url, href)})
    if crumbs and title and normalized(crumbs[-1]["name"] or "") == normalized(title):
        crumbs.pop()  # the trail's last step is the article itself
    return crumbs


def _position(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")


def _is_category_link(anchor: HtmlElement) -> bool:
    """Category links sit beside tags (`rel="category tag"`, `.cat-links`): not tags."""
    for element in (anchor, *anchor.iterancestors()):
        if element.tag in ("body", "article"):
            return False
        marker = f"{element.get('class', '')} {element.get('rel', '')}".lower()
        if "categor" in marker or "cat-links" in marker or "cat-item" in marker:
            return True
        if element is not anchor and "tag" in marker:
            return False
    return False


def _tag_links(page: ParsedPage) -> list[HtmlElement]:
    """`<a rel="tag">` links, else the links inside a tag-list box (`.tags`, `.post-tags`,
    `.field-name-field-tags`...)."""
    found = signals(page)
    links = [link for link, rel in found.rels if " tag " in rel and "category" not in rel]
    if links:
        return links
    boxes = [element for element, value in found.classed
             if element.tag not in ("body", "html", "a", "article")
             and _TAG_BOX.search(value)]
    seen: dict[HtmlElement, None] = {}
    for box in innermost(boxes) if len(boxes) < 50 else ():
        for link in box.iter("a"):
            if link.get("href"):
                seen.setdefault(link, None)
    return list(seen)


def tags(page: ParsedPage) -> list[str]:
    """article:tag meta, else the visible tag links of the article (not categories, not a
    sidebar's tag cloud), else JSON-LD keywords, else Parse.ly tags."""
    node, meta = page.article_node, page.meta
    values: list[str] = list(meta.get("article:tag", ()))
    if not values:
        scope = article_scope(page)
        values = [element_text(anchor) for anchor in _tag_links(page)
                  if not in_chrome(page, anchor, scope) and not _is_category_link(anchor)]
    if not values and node:
        keywords = node.get("keywords")
        if isinstance(keywords, str):
            values = keywords.split(",")
        elif isinstance(keywords, list):
            values = [value for value in keywords if isinstance(value, str)]
    if not values:
        parsely = parsely_page(meta).get("tags")
        if isinstance(parsely, list):
            values = [value for value in parsely if isinstance(value, str)]
        elif parsely_tags := first_meta(meta, "parsely-tags"):
            values = parsely_tags.split(",")
    seen: dict[str, str] = {}
    for value in values:
        value = clean_text(html.unescape(html.unescape(value))).lstrip("#").strip()
        if value and len(value) <= 80 and value.casefold() not in seen:
            seen[value.casefold()] = value
    return list(seen.values())
