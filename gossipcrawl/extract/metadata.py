"""Article metadata from structured data first, the page's own markup second.

Each function takes the parsed page (`root`), its JSON-LD article node (or None) and its
`<meta>` values, and returns one contract field. Signals are tried from the most to the
least reliable; the first usable one wins.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from gossipcrawl.extract.dates import parse_date
from gossipcrawl.extract.structured import by_type, first_meta, text_value
from gossipcrawl.urls import strip_tracking

_SPACES = re.compile(r"\s+")
# Separators between a headline and the site name in <title> and og:title.
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|·|•|~|/)\s+")
_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|net|org|co\.uk)(?:/|$)", re.I)
_BYLINE_PREFIX = re.compile(r"^\s*(?:(?:written|posted|published|reported|words)\s+)?by\b[:\s]*",
                            re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.I)
_BYLINE_NOISE = re.compile(r"\s*(?:[|,]\s*)?(?:staff writer|contributor|editor|"
                           r"senior\s+\w+|updated|published|posted|on\s+\w+\s+\d).*$", re.I)

_HEADING_CANDIDATES = etree.XPath(
    "//h1 | //h2[contains(@class,'title') or contains(@class,'headline')]"
    " | //*[@itemprop='headline'] | //*[contains(concat(' ', normalize-space(@class), ' '),"
    " ' entry-title ') or contains(@class, 'post-title') or contains(@class, 'article-title')"
    " or contains(@class, 'headline')][self::h1 or self::h2 or self::h3 or self::div"
    " or self::span]")
_CANONICAL = etree.XPath("//link[contains(concat(' ', translate(@rel, 'CANONICAL',"
                         " 'canonical'), ' '), ' canonical ')]/@href")
_AMP_HTML = etree.XPath("/html[@amp or @*[name()='\u26a1']]")
_TITLE = etree.XPath("//title")
_HTML_LANG = etree.XPath("/html/@lang | /html/@xml:lang",
                         namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
_BASE_HREF = etree.XPath("//base/@href")
_DEK = etree.XPath(
    "//*[self::p or self::div or self::h2][contains(@class, 'standfirst') or contains(@class,"
    " 'dek') or contains(@class, 'subtitle') or contains(@class, 'subheadline') or"
    " contains(@class, 'article-summary') or contains(@class, 'entry-summary') or"
    " contains(@class, 'excerpt')][not(ancestor::aside)][not(ancestor::nav)]")
_AUTHOR_ELEMENTS = etree.XPath(
    "//a[contains(concat(' ', @rel, ' '), ' author ')] | //*[@itemprop='author']"
    " | //*[contains(@class, 'author-name') or contains(@class, 'byline') or"
    " contains(concat(' ', normalize-space(@class), ' '), ' author ') or"
    " contains(concat(' ', normalize-space(@class), ' '), ' fn ') or"
    " contains(@class, 'entry-author') or contains(@class, 'post-author')]")
_TIME_PUBLISHED = etree.XPath(
    "//time[@datetime][@pubdate or @itemprop='datePublished' or contains(@class, 'published')"
    " or contains(@class, 'entry-date') or contains(@class, 'post-date')]/@datetime"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' published ')]/@title"
    " | //*[@itemprop='datePublished']/@datetime")
_TIME_MODIFIED = etree.XPath(
    "//time[@datetime][@itemprop='dateModified' or contains(@class, 'updated')"
    " or contains(@class, 'modified')]/@datetime"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' updated ')]/@title")
_TIME_ANY = etree.XPath("//article//time/@datetime | //main//time/@datetime")
_BREADCRUMB_LINKS = etree.XPath(
    "//*[contains(@class, 'breadcrumb') or @aria-label='breadcrumb' or"
    " @aria-label='Breadcrumb' or @id='breadcrumbs'][1]//a[@href]")
_TAG_LINKS = etree.XPath(
    "//a[contains(concat(' ', @rel, ' '), ' tag ')][not(ancestor::aside)][not(ancestor::nav)]"
    "[not(ancestor::footer)] | //*[contains(@class, 'tags-links') or contains(@class,"
    " 'post-tags') or contains(@class, 'entry-tags') or contains(@class, 'article-tags')]//a")

DAY_FIRST_LANGUAGES = ("en-gb", "en-ie", "en-au", "en-nz", "en-za", "en-in")
DAY_FIRST_SUFFIXES = (".uk", ".ie", ".au", ".nz", ".za", ".in")


def squash(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def element_text(element) -> str:
    return squash(element.text_content())


def base_url(root, url: str) -> str:
    """The URL relative links resolve against: `<base href>` when the page sets one."""
    found = _BASE_HREF(root)
    return urljoin(url, found[0].strip()) if found else url


# --- canonical URL, site name ------------------------------------------------------------

def canonical_url(root, url: str) -> str:
    """`<link rel=canonical>` (an AMP page's points to its regular page), else `url`; an
    AMP page without one falls back to its URL without the `/amp/` segment."""
    for href in _CANONICAL(root):
        href = href.strip()
        if href and not href.startswith(("javascript:", "#")):
            absolute = urljoin(url, href)
            if urlsplit(absolute).scheme in ("http", "https", "file"):
                return strip_tracking(absolute)
    if _AMP_HTML(root):
        parts = urlsplit(url)
        path = re.sub(r"/amp/?$", "/", parts.path)
        return strip_tracking(parts._replace(path=path, query=re.sub(
            r"(^|&)amp(=1|=true)?(?=&|$)", "", parts.query)).geturl())
    return strip_tracking(url)


def site_name(nodes: list[dict], meta: dict) -> str | None:
    name = first_meta(meta, "og:site_name", "application-name", "apple-mobile-web-app-title")
    if name:
        return squash(html.unescape(name))
    for kind in ("WebSite", "Organization", "NewsMediaOrganization"):
        node = by_type(nodes, kind)
        if node and text_value(node.get("name")):
            return text_value(node.get("name"))
    return None


# --- headline -----------------------------------------------------------------------------

def _normalized(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().casefold()


def strip_site_name(title: str, site: str | None, host: str) -> str:
    """`Headline | Site Name` -> `Headline` (also `Site Name: Headline`, `- Site`)."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_key = _normalized(site) if site else ""
    host_key = _normalized(host.removeprefix("www.").rsplit(".", 1)[0])
    compact_host = host_key.replace(" ", "")

    def is_site(part: str) -> bool:
        key = _normalized(part)
        return bool(key) and (key == site_key or key.replace(" ", "") == compact_host
                              or (site_key and (key in site_key or site_key in key)
                                  and len(key) > 3))

    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    if len(parts) > 1 and not site_key:
        # No site name known: the shortest trailing segment of a long title is the site.
        if len(parts[-1]) < 30 and len(parts[-1]) < len(" - ".join(parts[:-1])) / 2:
            parts.pop()
    # Re-join with the original separators of the kept span.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if start >= 0 and end > start else " - ".join(parts)


def headline(root, node: dict | None, meta: dict, site: str | None, url: str) -> str | None:
    """The article's own headline: a visible heading that agrees with the structured title
    wins (it is what readers see, never truncated); otherwise structured data, og:title,
    then `<title>`, each without the site-name suffix."""
    host = urlsplit(url).hostname or ""
    references = []
    structured = text_value(node.get("headline") or node.get("name")) if node else None
    if structured:
        references.append(structured)
    for key in ("og:title", "twitter:title"):
        value = first_meta(meta, key)
        if value:
            references.append(strip_site_name(squash(html.unescape(value)), site, host))
    titles = _TITLE(root)
    if titles:
        title_text = element_text(titles[0])
        if title_text:
            references.append(strip_site_name(title_text, site, host))
    reference_keys = [_normalized(ref) for ref in references if ref]
    site_key = _normalized(site) if site else None
    for heading in _HEADING_CANDIDATES(root):
        text = element_text(heading)
        key = _normalized(text)
        if not key or len(text) > 300 or key == site_key:
            continue
        for ref in reference_keys:
            if key == ref or (len(ref) >= 20 and (key.startswith(ref) or ref.startswith(key))
                              and len(key) >= 0.6 * len(ref)):
                return text
    if references:
        return references[0]
    for heading in _HEADING_CANDIDATES(root):
        text = element_text(heading)
        if text and _normalized(text) != site_key:
            return text
    return None


# --- description --------------------------------------------------------------------------

def description(root, node: dict | None, meta: dict) -> str | None:
    for element in _DEK(root):
        text = element_text(element)
        if 20 <= len(text) <= 600:
            return text
    value = (text_value(node.get("description")) if node else None) or first_meta(
        meta, "og:description", "description", "twitter:description")
    value = squash(html.unescape(value)) if value else None
    return value or None


# --- authors ------------------------------------------------------------------------------

def _clean_author_name(raw: str) -> list[str]:
    text = _BYLINE_PREFIX.sub("", squash(raw))
    text = _BYLINE_NOISE.sub("", text)
    if not text or _URL_LIKE.search(text):
        return []
    names = [part.strip(" .:-|") for part in _AUTHOR_SPLIT.split(text)]
    return [name for name in names
            if name and 1 < len(name) <= 60 and not _URL_LIKE.search(name)
            and len(name.split()) <= 6 and not name.isdigit()]


def authors(root, node: dict | None, meta: dict, page_url: str) -> list[dict]:
    """`[{"name", "url"}]`: JSON-LD authors, else the byline, else author meta tags."""
    found: list[dict] = []

    def add(name_text: str, url: str | None = None) -> None:
        for name in _clean_author_name(name_text):
            if all(existing["name"].casefold() != name.casefold() for existing in found):
                found.append({"name": name, "url": urljoin(page_url, url) if url else None})

    if node:
        values = node.get("author") or node.get("creator") or []
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                name = text_value(value.get("name"))
                link = value.get("url") or value.get("@id")
                link = link if isinstance(link, str) and link.startswith("http") and "#" not in link else None
                if name:
                    add(name, link)
            elif isinstance(value, str):
                add(value)
    if found:
        return found
    for element in _AUTHOR_ELEMENTS(root):
        if _in_chrome(element):
            continue
        href = element.get("href") if element.tag == "a" else None
        text = element_text(element)
        if text and len(text) <= 120:
            add(text, href)
        if len(found) >= 6:
            break
    if found:
        return found
    for key in ("author", "parsely-author", "sailthru.author", "article:author", "dc.creator"):
        for value in meta.get(key, ()):
            add(value)
    return found


def _in_chrome(element) -> bool:
    """Inside comments, sidebars, related posts or author bio boxes: not a byline."""
    for ancestor in element.iterancestors():
        tag = ancestor.tag
        if tag in ("aside", "footer", "nav"):
            return True
        marker = f"{ancestor.get('class', '')} {ancestor.get('id', '')}".lower()
        if marker.strip() and any(word in marker for word in (
                "comment", "related", "sidebar", "widget", "author-bio", "about-author",
                "author-box", "respond")):
            return True
    return False


# --- dates --------------------------------------------------------------------------------

def day_first(language: str | None, url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return bool(language and language.lower().startswith(DAY_FIRST_LANGUAGES)) or host.endswith(
        DAY_FIRST_SUFFIXES)


def _first_date(candidates, language: str | None, british: bool) -> tuple[str | None, str | None]:
    languages = (language.split("-")[0].lower(),) if language else None
    for raw in candidates:
        if not isinstance(raw, str) or not raw.strip():
            continue
        parsed = parse_date(raw.strip(), languages, british)
        if parsed:
            return parsed, raw.strip()
    return None, None


def date_published(root, node, meta, language, url) -> tuple[str | None, str | None]:
    candidates = [node.get("datePublished"), node.get("dateCreated")] if node else []
    candidates += [first_meta(meta, key) for key in (
        "article:published_time", "og:published_time", "datepublished", "parsely-pub-date",
        "sailthru.date", "dc.date", "dcterms.created", "dc.date.issued", "publish-date",
        "pubdate", "date", "publication_date", "article.published")]
    candidates += _TIME_PUBLISHED(root) + _TIME_ANY(root)[:1]
    return _first_date(candidates, language, day_first(language, url))


def date_modified(root, node, meta, language, url) -> tuple[str | None, str | None]:
    candidates = [node.get("dateModified")] if node else []
    candidates += [first_meta(meta, key) for key in (
        "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
        "last-modified", "article.updated")]
    candidates += _TIME_MODIFIED(root)
    return _first_date(candidates, language, day_first(language, url))


# --- language, image, breadcrumbs, tags ----------------------------------------------------

_LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|\d{3}))?")


def _bcp47(value: str | None) -> str | None:
    if not value:
        return None
    match = _LANGUAGE.match(value.strip())
    if not match:
        return None
    language, region = match.group(1).lower(), match.group(2)
    return f"{language}-{region.upper()}" if region else language


def in_language(root, node, meta) -> str | None:
    candidates = [text_value(node.get("inLanguage")) if node else None]
    candidates += list(_HTML_LANG(root))[:1]
    candidates += [first_meta(meta, "og:locale", "content-language", "language", "dc.language")]
    for value in candidates:
        code = _bcp47(value)
        if code:
            return code
    return None


def main_image(node, meta, page_url: str) -> dict | None:
    candidates = []
    if node:
        image = node.get("image") or node.get("thumbnailUrl")
        for value in image if isinstance(image, list) else [image]:
            if isinstance(value, dict):
                value = value.get("url") or value.get("contentUrl") or value.get("@id")
            if isinstance(value, str):
                candidates.append(value)
    candidates.append(first_meta(meta, "og:image", "og:image:url", "og:image:secure_url",
                                 "twitter:image", "twitter:image:src", "thumbnail"))
    for value in candidates:
        if value and not value.startswith("data:"):
            absolute = urljoin(page_url, value.strip())
            if absolute.startswith(("http://", "https://")):
                return {"url": absolute}
    return None


def breadcrumbs(root, nodes: list[dict], page_url: str, title: str | None) -> list[dict]:
    trail = by_type(nodes, "BreadcrumbList")
    crumbs: list[dict] = []
    if trail and isinstance(trail.get("itemListElement"), list):
        entries = [entry for entry in trail["itemListElement"] if isinstance(entry, dict)]
        entries.sort(key=lambda entry: _position(entry.get("position")))
        for entry in entries:
            item = entry.get("item")
            name = text_value(entry.get("name")) or (text_value(item) if isinstance(item, dict) else None)
            link = item.get("@id") or item.get("url") if isinstance(item, dict) else item
            if name:
                crumbs.append({"name": name,
                               "url": urljoin(page_url, link) if isinstance(link, str) else None})
    else:
        for anchor in _BREADCRUMB_LINKS(root):
            name = element_text(anchor)
            if name:
                crumbs.append({"name": name, "url": urljoin(page_url, anchor.get("href"))})
    if crumbs and title and _normalized(crumbs[-1]["name"]) == _normalized(title):
        crumbs.pop()  # the trail's last step is the article itself
    return crumbs


def _position(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")


def tags(root, node, meta) -> list[str]:
    values = list(meta.get("article:tag", ()))
    if not values:
        values = [element_text(anchor) for anchor in _TAG_LINKS(root)]
    if not values and node:
        keywords = node.get("keywords")
        if isinstance(keywords, str):
            values = keywords.split(",")
        elif isinstance(keywords, list):
            values = [value for value in keywords if isinstance(value, str)]
    seen: dict[str, str] = {}
    for value in values:
        value = squash(html.unescape(value)).lstrip("#")
        if value and len(value) <= 80 and value.casefold() not in seen:
            seen[value.casefold()] = value
    return list(seen.values())
