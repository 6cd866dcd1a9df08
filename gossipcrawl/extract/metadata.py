"""Article metadata from structured data first, the page's own markup second.

Each function takes the parsed page (`root`), its JSON-LD article node (or None, with its
`@id` references already resolved by `structured.find_article_node`) and its `<meta>`
values, and returns one contract field. Signals are tried from the most to the least
reliable; the first usable one wins. docs/extraction.md lists the order for every field.

Everything here is generic: rules hold for WordPress themes, Blogger, Drupal, Next.js
front ends and hand-written HTML alike. Per-site differences belong in page objects
(gossipcrawl/pages/sites.py), never in this module.
"""

from __future__ import annotations

import html
import re
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from lxml import etree

from gossipcrawl.extract.dates import (is_naive_iso, parse_date, parse_naive_with_offset,
                                       utc_offset, wall_clock)
from gossipcrawl.extract.html import page_index
from gossipcrawl.extract.structured import (ARTICLE_TYPES, LISTING_TYPES, by_type, first_meta,
                                            node_types, parsely_page, text_value)
from gossipcrawl.urls import strip_tracking

_SPACES = re.compile(r"\s+")
# Separators between a headline and the site name in <title> and og:title.
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|«|·|•|~|/)\s+")
# Title segments that are never the headline (WordPress' old default theme, archives).
_NOISE_SEGMENTS = frozenset({"blog archive", "archives", "home", "blog"})
_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|net|org|co\.uk)(?:/|$)", re.I)
_BYLINE_PREFIX = re.compile(r"^\s*(?:(?:written|posted|published|reported|words|story)\s+)?"
                            r"by\b[:\s]*", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.I)
_BYLINE_NOISE = re.compile(r"\s*(?:[|,•·]\s*)?(?:staff writer|contributor|editor|"
                           r"senior\s+\w+|updated|published|posted|on\s+\w+\s+\d).*$", re.I)
_NOT_A_NAME = re.compile(r"\bcomments?\b|\breplies\b|\bshare\b|\bview all\b|\bposts? by\b", re.I)

_AMP_HTML = etree.XPath("/html[@amp or @*[name()='\u26a1']]")
_HTML_LANG = etree.XPath("/html/@lang | /html/@*[name()='xml:lang']")
_BODY_CLASS = etree.XPath("/html/body/@class")

# One pass over the page's class attributes (`html.PageIndex`) finds every element whose
# class names a headline, byline, date, breadcrumb, tag list or standfirst (XPath
# `contains()` costs a scan of the page per word; one regex over the class strings costs
# one scan in all).
# Substrings of the class names worth a look: matched case-sensitively on the lower-cased
# class string (a case-insensitive alternation is several times slower).
_CLASS_SIGNALS = re.compile("title|headline|auth|byline|fn|date|publish|posted|timestamp|"
                            "updat|modif|breadcrumb|tag|dek|standfirst|subtitle|summary|"
                            "excerpt")
_DEK_CLASS = re.compile(r"standfirst|\bdek\b|[-_]dek\b|\bdek[-_]|subtitle|subheadline|"
                        r"article-summary|entry-summary|excerpt|\bsummary\b", re.I)
_HEADLINE_CLASS = re.compile(r"(?:^|\s)entry-title(?:\s|$)|post-title|article-title|headline",
                             re.I)
_BYLINE_CLASS = re.compile(r"author-name|byline|(?:^|\s)author(?:\s|$)|(?:^|\s)fn(?:\s|$)|"
                           r"entry-author|post-author", re.I)
_DATE_CLASS = re.compile(r"date|publish|posted|timestamp|updat|modif", re.I)
_UPDATE_CLASS = re.compile(r"updat|modif|edited", re.I)


class _PageIndex:
    """Elements of one page that carry metadata signals, found once and lazily."""

    def __init__(self, root):
        self.root = root
        self.heading_result = None  # (element or None, text) of the article's headline
        self.heading_key = None     # the arguments it was found with

    @cached_property
    def classed(self) -> list[tuple]:
        """`(element, class)` for every element whose class names a signal, page order."""
        return [(element, value) for element, _, value
                in page_index(self.root).matching(_CLASS_SIGNALS, "class")]

    @cached_property
    def markup(self) -> list[tuple]:
        """`(element, attribute, value)` for microdata `itemprop` and RDFa `property`."""
        return page_index(self.root).attributes("itemprop", "property")

    @cached_property
    def rels(self) -> list[tuple]:
        """`(link, rel words)` for every `<a rel>`."""
        return [(link, f" {link.get('rel').lower()} ") for link in page_index(self.root).tagged("a")
                if link.get("rel") is not None]

    @cached_property
    def headings(self) -> list:
        return list(self.root.iter("h1", "h2", "h3", "h4"))

    @cached_property
    def times(self) -> list:
        return list(self.root.iter("time", "abbr"))


_indexes: list = []  # the last few pages' indexes, newest first


def _index(root) -> _PageIndex:
    for index in _indexes:
        if index.root is root:
            return index
    index = _PageIndex(root)
    _chrome_boxes.clear()  # a new page: elements of the last one are never asked again
    _indexes.insert(0, index)
    del _indexes[2:]
    return index


DAY_FIRST_LANGUAGES = ("en-gb", "en-ie", "en-au", "en-nz", "en-za", "en-in")
DAY_FIRST_SUFFIXES = (".uk", ".ie", ".au", ".nz", ".za", ".in")

# Class/id words of page regions that never hold the article's byline, tags or headline.
_CHROME_WORDS = frozenset({
    "sidebar", "widget", "widgets", "related", "relatedposts", "comment", "comments",
    "commentlist", "respond", "nav", "navbar", "navigation", "menu", "footer", "share",
    "sharing", "social", "newsletter", "popular", "trending", "recirc", "promo",
    "recommended", "recommendations", "morestories", "mostread", "bio", "authorbio",
    "cloud", "tagcloud", "teaser", "teasers",
})
_CHROME_PAIRS = frozenset({("author", "box"), ("author", "bio"), ("about", "author"),
                           ("author", "profile"), ("read", "next"), ("more", "stories"),
                           ("most", "read"), ("you", "may"), ("top", "stories")})
_CAMEL_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def squash(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def element_text(element) -> str:
    return squash(element.text_content())


def base_url(root, url: str) -> str:
    """The URL relative links resolve against: `<base href>` when the page sets one."""
    found = [base.get("href") for base in page_index(root).tagged("base")
             if base.get("href") is not None]
    return urljoin(url, found[0].strip()) if found else url


# Class names that describe a layout or a state, not a box: `content-sidebar-wrap`,
# `has-sidebar`, `right-sidebar`, `comments-open`, `genesis-breadcrumbs-visible`.
_LAYOUT_CLASS = re.compile(
    r"^(?:has|no|with|without|content|right|left|full|one|two|three|is|show|hide)[-_]"
    r"|[-_](?:wrap|visible|hidden|open|closed|enabled|disabled|active|layout)$", re.I)


def _words(element) -> list[str]:
    """Lower-cased words of an element's class and id (`shareBar`, `post-share_buttons`),
    without layout and state class names."""
    names = f"{element.get('class', '')} {element.get('id', '')}".split()
    marker = " ".join(name for name in names if not _LAYOUT_CLASS.search(name))
    if not marker:
        return []
    return [word for word in _WORD_SPLIT.split(_CAMEL_HUMP.sub(" ", marker).lower()) if word]


def _is_chrome_box(element) -> bool:
    tag = element.tag
    if tag in ("aside", "nav"):
        return True
    words = _words(element)
    if not words:
        # A bare <footer> is the page's, unless it closes an <article>.
        return tag == "footer" and not any(ancestor.tag == "article"
                                           for ancestor in element.iterancestors())
    if tag == "footer" or "footer" in words:
        # An article's own footer (tags, categories) is not page chrome.
        return not any(word in ("entry", "article", "post", "amp") for word in words)
    if any(word in _CHROME_WORDS for word in words if word != "footer"):
        return True
    return any(pair in _CHROME_PAIRS for pair in zip(words, words[1:]))


_chrome_boxes: dict = {}  # element -> _is_chrome_box(element), for the current page only


def _in_chrome(element, keep: frozenset = frozenset()) -> bool:
    """Inside a sidebar, comment thread, related posts, author bio box, share bar or page
    footer. Ancestors in `keep` (those of the article's headline: page wrappers such as
    Blogger's `widget Blog` or a `right-sidebar` body class) never count."""
    if element.tag == "footer" and _is_chrome_box(element):
        return True
    known = _chrome_boxes
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            return False
        if ancestor in keep:
            continue
        chrome = known.get(ancestor)
        if chrome is None:
            chrome = known[ancestor] = _is_chrome_box(ancestor)
        if chrome:
            return True
    return False


def _innermost(elements: list) -> list:
    """Drop every element that contains another one of the list."""
    chosen = set(elements)
    outer = set()
    for element in elements:
        for ancestor in element.iterancestors():
            if ancestor in chosen:
                outer.add(ancestor)
    return [element for element in elements if element not in outer]


# --- canonical URL, site name ------------------------------------------------------------

def canonical_url(root, url: str) -> str:
    """`<link rel=canonical>` (an AMP page's points to its regular page), else `url`; an
    AMP page without one falls back to its URL without the `/amp/` segment."""
    for link in page_index(root).tagged("link"):
        if link.get("href") is None or "canonical" not in (link.get("rel") or "").lower().split():
            continue
        href = link.get("href").strip()
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
                              or key in _NOISE_SEGMENTS
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


def _segment_keys(title: str) -> set[str]:
    """Normalized keys of every run of consecutive segments of a title: one of them is the
    headline whatever side the site name (or "Blog Archive") sits on."""
    parts = _TITLE_SEPARATORS.split(title)[:8]
    keys = set()
    for start in range(len(parts)):
        for end in range(start + 1, len(parts) + 1):
            key = _normalized(" ".join(parts[start:end]))
            if key:
                keys.add(key)
    return keys


def _links_home(heading, url: str) -> bool:
    """A heading whose text is a link to the site's home page: the blog name of old themes
    (`<h1><a href="/">Daytime Dish</a></h1>`)."""
    links = heading.findall(".//a") if heading.tag != "a" else [heading]
    if len(links) != 1 or squash(links[0].text_content()) != element_text(heading):
        return False
    target = urlsplit(urljoin(url, links[0].get("href", "")))
    return target.path in ("", "/") and not target.query


def _heading_in_chrome(heading) -> bool:
    for ancestor in heading.iterancestors():
        if ancestor.tag in ("aside", "nav"):
            return True
        words = set(_words(ancestor))
        if words & {"related", "relatedposts", "comment", "comments", "recirc", "sidebar"} \
                and ancestor.tag not in ("body", "html"):
            return True
    return False


def headline_element(root, node: dict | None, meta: dict, site: str | None, url: str):
    """`(element, text)`: the visible heading that agrees with the page's structured title
    (JSON-LD, Parse.ly, og:title, `<title>` or one of its segments), or `(None, text)` with
    the best structured title when no heading agrees."""
    index = _index(root)
    key = (id(node), site, url)
    if index.heading_result is not None and index.heading_key == key:
        return index.heading_result
    index.heading_result = _find_headline(root, node, meta, site, url)
    index.heading_key = key
    return index.heading_result


def _find_headline(root, node, meta, site, url):
    host = urlsplit(url).hostname or ""
    references: list[str] = []
    exact: set[str] = set()
    structured = text_value(node.get("headline") or node.get("name")) if node else None
    if structured:
        references.append(structured)
    parsely = first_meta(meta, "parsely-title") or text_value(parsely_page(meta).get("title"))
    if parsely:
        references.append(squash(html.unescape(parsely)))
    for key in ("og:title", "twitter:title"):
        value = first_meta(meta, key)
        if value:
            value = squash(html.unescape(value))
            references.append(strip_site_name(value, site, host))
            exact |= _segment_keys(value)
    titles = page_index(root).tagged("title")
    if titles:
        title_text = element_text(titles[0])
        if title_text:
            references.append(strip_site_name(title_text, site, host))
            exact |= _segment_keys(title_text)
    reference_keys = [_normalized(ref) for ref in references if ref]
    exact |= set(reference_keys)
    site_key = _normalized(site) if site else None
    exact.discard(site_key)
    exact -= _NOISE_SEGMENTS
    index = _index(root)
    verdicts: dict = {}

    def usable(heading) -> bool:
        # Asked only of headings that would win (walking the ancestors costs the most).
        verdict = verdicts.get(heading)
        if verdict is None:
            verdict = verdicts[heading] = not (_links_home(heading, url)
                                               or _heading_in_chrome(heading))
        return verdict

    first = None
    for finder in (_heading_elements, _classed_headings):
        candidates = []
        for heading in finder(index):
            text = element_text(heading)
            key = _normalized(text)
            if not key or len(text) > 300 or key == site_key:
                continue
            candidates.append((heading, text, key))
        for heading, text, key in candidates:
            if key in exact and usable(heading):
                return heading, text
        for heading, text, key in candidates:
            for ref in reference_keys:
                if len(ref) >= 20 and (ref.startswith(key) or key.startswith(ref)
                                       or ref.endswith(key)) and len(key) >= 0.6 * len(ref) \
                        and usable(heading):
                    return heading, text
        first = first or next(((heading, text) for heading, text, _ in candidates
                               if usable(heading)), None)
    if references:
        return None, references[0]
    return first or (None, None)


def _heading_elements(index: _PageIndex) -> list:
    """`<h1>`s, title-classed `<h2>`/`<h3>`s and `itemprop=headline` elements."""
    found = [heading for heading in index.headings if heading.tag == "h1" or (
        heading.tag in ("h2", "h3") and _HEADLINE_CLASS.search(heading.get("class") or "")) or (
        heading.tag == "h2" and "title" in (heading.get("class") or "").lower())]
    seen = set(found)
    for element, attribute, value in index.markup:
        if attribute == "itemprop" and value == "headline" and element not in seen \
                and element.tag not in ("meta", "link"):
            found.append(element)
            seen.add(element)
    return found


def _classed_headings(index: _PageIndex) -> list:
    """`<div>`/`<span>` headlines (`<div class="headline">`): tried only when no heading
    element agrees with the structured title."""
    return [element for element, value in index.classed
            if element.tag in ("div", "span") and _HEADLINE_CLASS.search(value)]


def headline(root, node: dict | None, meta: dict, site: str | None, url: str) -> str | None:
    """The article's own headline: a visible heading that agrees with the structured title
    wins (it is what readers see, never truncated); otherwise structured data, Parse.ly,
    og:title, then `<title>`, each without the site-name suffix."""
    return headline_element(root, node, meta, site, url)[1]


def _article_scope(root, meta: dict, url: str = "") -> frozenset:
    """The ancestors of the article's headline: never page chrome, whatever their class."""
    index = _index(root)
    if index.heading_result is None:
        index.heading_result = _find_headline(root, None, meta, site_name([], meta), url)
    heading = index.heading_result[0]
    return frozenset(heading.iterancestors()) if heading is not None else frozenset()


# --- description --------------------------------------------------------------------------

def description(root, node: dict | None, meta: dict) -> str | None:
    """The standfirst printed next to the headline, else JSON-LD/meta descriptions."""
    dek = _standfirst(root, meta)
    if dek:
        return dek
    value = (text_value(node.get("description")) if node else None) or first_meta(
        meta, "og:description", "description", "twitter:description")
    value = squash(html.unescape(value)) if value else None
    return value or None


def _standfirst(root, meta: dict) -> str | None:
    """A dek/standfirst/subheadline element in the headline's neighbourhood (its parent's
    or grandparent's subtree): searching there, not the whole page, keeps excerpts of other
    stories out and costs almost nothing."""
    index = _index(root)
    if index.heading_result is None:
        index.heading_result = _find_headline(root, None, meta, site_name([], meta), "")
    heading = index.heading_result[0]
    if heading is None:
        return None
    area = heading.getparent()
    if area is not None and area.getparent() is not None and area.tag not in ("body", "main"):
        area = area.getparent()
    if area is None:
        return None
    for element in area.iter("p", "div", "h2", "h3", "span"):
        if element is heading or not _DEK_CLASS.search(element.get("class") or ""):
            continue
        text = element_text(element)
        if 20 <= len(text) <= 600:
            return text
    return None


# --- authors ------------------------------------------------------------------------------

def _clean_author_name(raw: str) -> list[str]:
    text = _BYLINE_PREFIX.sub("", squash(raw))
    text = _BYLINE_NOISE.sub("", text)
    if not text or _URL_LIKE.search(text):
        return []
    names = [part.strip(" :-|•·") for part in _AUTHOR_SPLIT.split(text)]
    return [name for name in names
            if name and 1 < len(name) <= 60 and not _URL_LIKE.search(name)
            and len(name.split()) <= 6 and re.search(r"[^\W\d_]", name)
            and not (" " in name and re.search(r"\d", name))
            and not _NOT_A_NAME.search(name)]


def _person_url(value) -> str | None:
    if isinstance(value, list):
        value = next((member for member in value if isinstance(member, str)), None)
    if isinstance(value, str) and value.startswith("http") and "#" not in value:
        return value
    return None


def _profile_link(link, base: str) -> str | None:
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    absolute = urljoin(base, href)
    return absolute if absolute.startswith(("http://", "https://")) else None


def _byline_names(root, meta: dict, page_url: str) -> list[tuple[str, str | None]]:
    """`(name, url)` pairs from the page's byline: the innermost author elements outside
    page chrome; names from their links when they hold any (with the link as the URL)."""
    scope = _article_scope(root, meta, page_url)
    index = _index(root)
    elements = [element for element, rel in index.rels if " author " in rel]
    elements += [element for element, attribute, value in index.markup
                 if (attribute == "itemprop" and value == "author")
                 or (attribute == "property" and "foaf:name" in value.split())]
    elements += [element for element, value in index.classed if _BYLINE_CLASS.search(value)
                 and element.tag not in ("body", "html", "meta", "link", "article")]
    elements = sorted(dict.fromkeys(elements), key=lambda element: element.sourceline or 0)
    elements = [element for element in elements if not _in_chrome(element, scope)]
    pairs: list[tuple[str, str | None]] = []
    for element in _innermost(elements):
        links = [element] if element.tag == "a" else element.findall(".//a")
        named = []
        for link in links:
            names = _clean_author_name(link.text_content())
            if len(names) == 1:
                named.append((names[0], _profile_link(link, page_url)))
        if named:
            pairs.extend(named)
            continue
        text = element.text_content()
        if len(squash(text)) > 120:
            continue
        parent = element.getparent()
        url = _profile_link(parent, page_url) if parent is not None and parent.tag == "a" else None
        names = _clean_author_name(text)
        pairs.extend((name, url if len(names) == 1 else None) for name in names)
        if len(pairs) >= 6:
            break
    return pairs


def authors(root, node: dict | None, meta: dict, page_url: str) -> list[dict]:
    """`[{"name", "url"}]`: JSON-LD authors, else the byline, else author meta tags
    (Parse.ly, Sailthru, `author`); never a URL as a name."""
    found: list[dict] = []

    def add(name_text: str, url: str | None = None, split: bool = True) -> None:
        names = _clean_author_name(name_text) if split else [squash(name_text)]
        for name in names:
            if name and all(existing["name"].casefold() != name.casefold() for existing in found):
                found.append({"name": name, "url": urljoin(page_url, url) if url else None})

    if node:
        values = node.get("author") or node.get("creator") or []
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                name = text_value(value.get("name"))
                if name and not _URL_LIKE.search(name):
                    add(name, _person_url(value.get("url")) or _person_url(value.get("@id")),
                        split=False)
            elif isinstance(value, str):
                add(value)
    if found:
        if any(author["url"] is None for author in found):
            links = {name.casefold(): url for name, url in _byline_names(root, meta, page_url)
                     if url}
            for author in found:
                author["url"] = author["url"] or links.get(author["name"].casefold())
        return found
    for name, url in _byline_names(root, meta, page_url):
        add(name, url, split=False)
    if found:
        return found[:6]
    parsely = parsely_page(meta)
    parsely_authors = parsely.get("authors") or parsely.get("author") or []
    for value in parsely_authors if isinstance(parsely_authors, list) else [parsely_authors]:
        if isinstance(value, str):
            add(value)
    for key in ("parsely-author", "author", "sailthru.author", "article:author", "dc.creator",
                "byl"):
        for value in meta.get(key, ()):
            add(value)
    return found


# --- dates --------------------------------------------------------------------------------

def day_first(language: str | None, url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return bool(language and language.lower().startswith(DAY_FIRST_LANGUAGES)) or host.endswith(
        DAY_FIRST_SUFFIXES)


def _structured_dates(node, meta, modified: bool) -> list:
    """Dates from JSON-LD and `<meta>`: cheap, and enough for most pages."""
    if modified:
        candidates = [node.get("dateModified")] if node else []
        keys = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
                "last-modified", "article.updated")
    else:
        candidates = [node.get("datePublished"), node.get("dateCreated")] if node else []
        keys = ("article:published_time", "og:published_time", "datepublished",
                "parsely-pub-date", "sailthru.date", "dc.date", "dcterms.created",
                "dc.date.issued", "dcterms.date", "publish-date", "pubdate", "date",
                "publication_date", "article.published")
    candidates += [first_meta(meta, key) for key in keys]
    if not modified:
        candidates.append(parsely_page(meta).get("pub_date"))
    return [value for value in candidates if isinstance(value, str) and value.strip()]


def _markup_dates(root, modified: bool) -> list:
    """Machine-readable dates in the markup: `<time datetime>` with a telling class or
    itemprop, hAtom `<abbr class="published" title>`, microdata and RDFa (`dc:date`)."""
    index = _index(root)
    wanted_prop = "dateModified" if modified else "datePublished"
    rdfa = ("dc:modified",) if modified else ("dc:date", "dc:created")
    found = []
    for element in index.times:
        value = element.get("datetime")
        marker = (element.get("class") or "").lower()
        if element.tag == "time" and value:
            if modified:
                if element.get("itemprop") == "dateModified" or "updated" in marker \
                        or "modified" in marker:
                    found.append(value)
            elif (element.get("pubdate") is not None or element.get("itemprop") == wanted_prop
                  or "published" in marker or "entry-date" in marker or "post-date" in marker):
                found.append(value)
        elif element.get("title") and (" updated " if modified else " published ") in \
                f" {marker} ":
            found.append(element.get("title"))
    for element, attribute, value in index.markup:
        if (attribute == "itemprop" and value == wanted_prop) or (
                attribute == "property" and any(word in value.split() for word in rdfa)):
            found.append(element.get("datetime") or element.get("content"))
    if not modified:
        for element in index.times:
            if element.tag == "time" and element.get("datetime") and any(
                    ancestor.tag in ("article", "main") for ancestor in element.iterancestors()):
                found.append(element.get("datetime"))
                break
    return [value for value in found if isinstance(value, str) and value.strip()]


def _visible_dates(root, modified: bool, scope: frozenset) -> list[str]:
    """Dates written as text in elements whose class says so ("Published: 05/03/2024
    14:20"): the last resort of pages with no machine-readable date."""
    found = []
    for element, value in _index(root).classed:
        if element.tag in ("body", "html") or (element.tag == "time" and element.get("datetime")):
            continue
        if not _DATE_CLASS.search(value) and "dateline" not in value.lower():
            continue
        if bool(_UPDATE_CLASS.search(value)) != modified:
            continue
        found.append(element)
    texts = []
    for element in _innermost(found):
        text = element_text(element)
        if 6 <= len(text) <= 80 and any(ch.isdigit() for ch in text) and \
                not _in_chrome(element, scope):
            texts.append(text)
    return texts


def _first_date(candidates, language: str | None, british: bool,
                page_offset=None) -> tuple[str | None, str | None]:
    languages = (language.split("-")[0].lower(),) if language else None
    values = [raw.strip() for raw in candidates if isinstance(raw, str) and raw.strip()]
    for position, raw in enumerate(values):
        parsed = parse_date(raw, languages, british)
        if not parsed:
            continue
        if is_naive_iso(raw):
            # A zone-less value: its zoned twin elsewhere on the page says what it means;
            # failing that, the offset the page's other dates carry; failing that, UTC.
            clock = wall_clock(raw)
            for other in values[position + 1:]:
                if utc_offset(other) is not None and wall_clock(other) == clock:
                    twin = parse_date(other, languages, british)
                    if twin:
                        return twin, other
            if page_offset is not None:
                return parse_naive_with_offset(raw, page_offset) or parsed, raw
        return parsed, raw
    return None, None


def _page_offset(candidates):
    for raw in candidates:
        offset = utc_offset(raw.strip()) if isinstance(raw, str) else None
        if offset is not None:
            return offset
    return None


def _date(root, node, meta, language, url, modified: bool) -> tuple[str | None, str | None]:
    british = day_first(language, url)
    structured = _structured_dates(node, meta, modified)
    others = _structured_dates(node, meta, not modified)
    offset = _page_offset(structured + others)
    found = _first_date(structured, language, british, offset)
    if found[0] is not None and not is_naive_iso(found[1]):
        return found
    markup = _markup_dates(root, modified)
    if offset is None:
        offset = _page_offset(markup + _markup_dates(root, not modified))
    # A naive structured date may have its zoned twin in the markup.
    better = _first_date(structured + markup, language, british, offset)
    if better[0] is not None:
        return better
    return _first_date(_visible_dates(root, modified, _article_scope(root, meta, url)),
                       language, british)


def date_published(root, node, meta, language, url) -> tuple[str | None, str | None]:
    """JSON-LD, meta tags (OpenGraph article:, Parse.ly, Sailthru, Dublin Core), then
    markup (`<time datetime>`, hAtom, microdata, RDFa), then dates written as text."""
    return _date(root, node, meta, language, url, modified=False)


def date_modified(root, node, meta, language, url) -> tuple[str | None, str | None]:
    return _date(root, node, meta, language, url, modified=True)


# --- language, image, breadcrumbs, tags ----------------------------------------------------

_LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|\d{3}))?(?![a-zA-Z])")


def _bcp47(value: str | None) -> str | None:
    if not value or not isinstance(value, str):
        return None
    match = _LANGUAGE.match(value.strip())
    if not match:
        return None
    language, region = match.group(1).lower(), match.group(2)
    return f"{language}-{region.upper()}" if region else language


def in_language(root, node, meta) -> str | None:
    """JSON-LD `inLanguage`, `<html lang>`, og:locale, language meta tags; a bare language
    (`en`) is refined by a later signal that agrees and names the region (`en_GB`)."""
    candidates = [text_value(node.get("inLanguage")) if node else None]
    candidates += list(_HTML_LANG(root))[:2]
    candidates += [first_meta(meta, "og:locale", "content-language", "language", "dc.language",
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


def main_image(node, meta, page_url: str) -> dict | None:
    candidates = []
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


def _breadcrumb_container(root):
    """The first element whose class names a breadcrumb trail (not a layout flag such as
    `genesis-breadcrumbs-visible`, not one link of the trail), else one labelled so."""
    for element, value in _index(root).classed:
        if element.tag in ("body", "html", "a", "span", "li") or "readcrumb" not in value:
            continue
        for word in value.lower().split():
            if "breadcrumb" in word and not _LAYOUT_CLASS.search(word) and not word.endswith(
                    ("-link", "-link-wrap", "-item", "-separator", "-sep")):
                return element
    for element, _, label in page_index(root).attributes("aria-label"):
        if label.lower().startswith("breadcrumb"):
            return element
    return None


def breadcrumbs(root, nodes: list[dict], page_url: str, title: str | None) -> list[dict]:
    trail = by_type(nodes, "BreadcrumbList")
    crumbs: list[dict] = []
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
        container = _breadcrumb_container(root)
        for anchor in container.iter("a") if container is not None else ():
            name = element_text(anchor)
            href = (anchor.get("href") or "").strip()
            if name and href and not href.startswith(("#", "javascript:")):
                crumbs.append({"name": name, "url": urljoin(page_url, href)})
    if crumbs and title and _normalized(crumbs[-1]["name"]) == _normalized(title):
        crumbs.pop()  # the trail's last step is the article itself
    return crumbs


def _position(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("inf")


def _is_category_link(anchor) -> bool:
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


def _tag_links(root) -> list:
    """`<a rel="tag">` links, else the links inside a tag-list box (`.tags`, `.post-tags`,
    `.field-name-field-tags`...)."""
    index = _index(root)
    links = [link for link, rel in index.rels if " tag " in rel and "category" not in rel]
    if links:
        return links
    boxes = [element for element, value in index.classed
             if element.tag not in ("body", "html", "a", "article")
             and re.search(r"tags\b|post-tag|entry-tag|article-tag", value, re.I)]
    seen = {}
    for box in _innermost(boxes) if len(boxes) < 50 else ():
        for link in box.iter("a"):
            if link.get("href"):
                seen.setdefault(link, None)
    return list(seen)


def tags(root, node, meta) -> list[str]:
    """article:tag meta, else the visible tag links of the article (not categories, not a
    sidebar's tag cloud), else JSON-LD keywords, else Parse.ly tags."""
    values = list(meta.get("article:tag", ()))
    if not values:
        scope = _article_scope(root, meta)
        values = [element_text(anchor) for anchor in _tag_links(root)
                  if not _in_chrome(anchor, scope) and not _is_category_link(anchor)]
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
        elif first_meta(meta, "parsely-tags"):
            values = first_meta(meta, "parsely-tags").split(",")
    seen: dict[str, str] = {}
    for value in values:
        value = squash(html.unescape(html.unescape(value))).lstrip("#").strip()
        if value and len(value) <= 80 and value.casefold() not in seen:
            seen[value.casefold()] = value
    return list(seen.values())


# --- is the page an article at all? ------------------------------------------------------

# WordPress `body_class()` words of pages that are not a single post.
_WP_LISTING_CLASSES = ("archive", "category", "tag", "author", "search", "search-results",
                       "search-no-results", "home", "blog", "error404", "date", "paged",
                       "post-type-archive", "tax")
_WP_SINGLE_CLASSES = ("single", "single-post", "singular")
_MIN_TEASERS = 3
_MIN_TEASERS_TITLED = 6


def listing_reason(root, url: str, nodes: list[dict], node: dict | None,
                   meta: dict) -> str | None:
    """Why the page is a listing (archive, tag, author, search, home) or a static page
    (contact, about) rather than an article, from signals that hold across sites: the
    structured data's page type, WordPress' body classes, og:type and the page's shape
    (several teasers, each a heading linking elsewhere). None when nothing says so."""
    types = set().union(*(node_types(each) for each in nodes)) if nodes else set()
    has_article_node = bool(types & ARTICLE_TYPES)
    if types & LISTING_TYPES and not has_article_node:
        return f"listing page ({', '.join(sorted(types & LISTING_TYPES))})"
    body_classes = (_BODY_CLASS(root) or [""])[0].split()
    wordpress = any(word.startswith(("postid-", "page-id-", "wp-", "page-template",
                                     "post-template", "category-", "tag-", "author-"))
                    or word in ("search-results", "error404", "logged-in")
                    for word in body_classes)
    if wordpress and not any(word in _WP_SINGLE_CLASSES or word.startswith("postid-")
                             for word in body_classes):
        listing = [word for word in body_classes if word in _WP_LISTING_CLASSES]
        if listing:
            return f"listing page (WordPress {' '.join(listing)})"
        if not has_article_node and any(word == "page" or word.startswith("page-id-")
                                        for word in body_classes):
            return "static page (WordPress page)"
    og_type = (first_meta(meta, "og:type") or "").lower()
    if og_type == "profile" and not has_article_node:
        return "profile page (og:type profile)"
    if not has_article_node and og_type not in ("article", "news", "newsarticle"):
        teasers = _teaser_count(root, url)
        # A page whose own heading matches its title needs more teasers to be a listing:
        # an unmarked article may carry a few "more stories" headings in unnamed boxes.
        index = _index(root)
        if index.heading_result is None:
            headline_element(root, node, meta, site_name(nodes, meta), url)
        needed = _MIN_TEASERS if index.heading_result[0] is None else _MIN_TEASERS_TITLED
        if teasers >= needed:
            return f"listing page ({teasers} teasers)"
    return None


def _teaser_count(root, url: str) -> int:
    """Headings outside page chrome that link to another page of the same site: each is a
    teaser of another story. An article page has none (its own headline links to itself
    at most); a listing has one per story."""
    page = urlsplit(url)
    own = (page.netloc, page.path.rstrip("/"))
    count = 0
    for heading in _index(root).headings:
        if heading.tag == "h1":
            continue
        links = heading.findall(".//a")
        target = urlsplit(urljoin(url, links[0].get("href", ""))) if links else None
        if target is None or target.scheme not in ("http", "https", "file"):
            continue
        if (target.netloc, target.path.rstrip("/")) == own or target.path in ("", "/"):
            continue
        if target.netloc and page.netloc and target.netloc != page.netloc:
            continue
        if _in_chrome(heading):
            continue
        count += 1
    return count
