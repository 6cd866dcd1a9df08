"""The article's authors: JSON-LD, else the visible byline, else author meta tags."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from gossipcrawl.extract.dom import clean_text, innermost
from gossipcrawl.extract.headline import article_scope
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.signals import in_chrome, signals
from gossipcrawl.extract.structured import parsely_page, text_value

_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|net|org|co\.uk)(?:/|$)",
                       re.IGNORECASE)
_BYLINE_PREFIX = re.compile(r"^\s*(?:(?:written|posted|published|reported|words|story)\s+)?"
                            r"by\b[:\s]*", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
_BYLINE_NOISE = re.compile(r"\s*(?:[|,•·]\s*)?(?:staff writer|contributor|editor|"
                           r"senior\s+\w+|updated|published|posted|on\s+\w+\s+\d).*$",
                           re.IGNORECASE)
_NOT_A_NAME = re.compile(r"\bcomments?\b|\breplies\b|\bshare\b|\bview all\b|\bposts? by\b",
                         re.IGNORECASE)
_BYLINE_CLASS = re.compile(r"author-name|byline|(?:^|\s)author(?:\s|$)|(?:^|\s)fn(?:\s|$)|"
                           r"entry-author|post-author", re.IGNORECASE)
_MAX_BYLINE_CHARS = 120
_MAX_AUTHORS = 6

Author = dict[str, Any]  # {"name": str, "url": str | None}


def clean_author_names(raw: str) -> list[str]:
    """The person names in a byline's text: "By A and B, Staff Writer" -> A, B."""
    text = _BYLINE_PREFIX.sub("", clean_text(raw))
    text = _BYLINE_NOISE.sub("", text)
    if not text or _URL_LIKE.search(text):
        return []
    names = [part.strip(" :-|•·") for part in _AUTHOR_SPLIT.split(text)]
    return [name for name in names
            if name and 1 < len(name) <= 60 and not _URL_LIKE.search(name)
            and len(name.split()) <= 6 and re.search(r"[^\W\d_]", name)
            and not (" " in name and re.search(r"\d", name))
            and not _NOT_A_NAME.search(name)]


def _person_url(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((member for member in value if isinstance(member, str)), None)
    if isinstance(value, str) and value.startswith("http") and "#" not in value:
        return value
    return None


def _profile_link(link: HtmlElement, base: str) -> str | None:
    href = (link.get("href") or "").strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    absolute = urljoin(base, href)
    return absolute if absolute.startswith(("http://", "https://")) else None


def _byline_elements(page: ParsedPage) -> list[HtmlElement]:
    """The innermost author elements outside page chrome, in page order."""
    found = signals(page)
    elements = [element for element, rel in found.rels if " author " in rel]
    elements += [element for element, attribute, value in found.markup
                 if (attribute == "itemprop" and value == "author")
                 or (attribute == "property" and "foaf:name" in value.split())]
    elements += [element for element, value in found.classed if _BYLINE_CLASS.search(value)
                 and element.tag not in ("body", "html", "meta", "link", "article")]
    elements = sorted(dict.fromkeys(elements), key=lambda element: element.sourceline or 0)
    scope = article_scope(page)
    return innermost([element for element in elements if not in_chrome(page, element, scope)])


def byline_names(page: ParsedPage) -> list[tuple[str, str | None]]:
    """`(name, url)` pairs from the page's byline; names from its links when it holds any
    (with the link as the URL)."""
    base = page.base_url
    pairs: list[tuple[str, str | None]] = []
    for element in _byline_elements(page):
        links = [element] if element.tag == "a" else element.findall(".//a")
        named = []
        for link in links:
            names = clean_author_names(link.text_content())
            if len(names) == 1:
                named.append((names[0], _profile_link(link, base)))
        if named:
            pairs.extend(named)
            continue
        text = element.text_content()
        if len(clean_text(text)) > _MAX_BYLINE_CHARS:
            continue
        parent = element.getparent()
        url = _profile_link(parent, base) if parent is not None and parent.tag == "a" else None
        names = clean_author_names(text)
        pairs.extend((name, url if len(names) == 1 else None) for name in names)
        if len(pairs) >= _MAX_AUTHORS:
            break
    return pairs


class _Authors:
    """The list being built: each name once (case-insensitively), URLs made absolute."""

    def __init__(self, base: str):
        self.base = base
        self.found: list[Author] = []

    def add(self, name_text: str, url: str | None = None, split: bool = True) -> None:
        names = clean_author_names(name_text) if split else [clean_text(name_text)]
        for name in names:
            if name and all(existing["name"].casefold() != name.casefold()
                            for existing in self.found):
                self.found.append({"name": name,
                                   "url": urljoin(self.base, url) if url else None})


def authors(page: ParsedPage) -> list[Author]:
    """`[{"name", "url"}]`: JSON-LD authors, else the byline, else author meta tags
    (Parse.ly, Sailthru, `author`); never a URL as a name."""
    found = _Authors(page.base_url)
    node = page.article_node
    if node:
        values = node.get("author") or node.get("creator") or []
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                name = text_value(value.get("name"))
                if name and not _URL_LIKE.search(name):
                    found.add(name, _person_url(value.get("url"))
                              or _person_url(value.get("@id")), split=False)
            elif isinstance(value, str):
                found.add(value)
    if found.found:
        if any(author["url"] is None for author in found.found):
            links = {name.casefold(): url for name, url in byline_names(page) if url}
            for author in found.found:
                author["url"] = author["url"] or links.get(author["name"].casefold())
        return found.found
    for name, url in byline_names(page):
        found.add(name, url, split=False)
    if found.found:
        return found.found[:_MAX_AUTHORS]
    parsely = parsely_page(page.meta)
    parsely_authors = parsely.get("authors") or parsely.get("author") or []
    for value in parsely_authors if isinstance(parsely_authors, list) else [parsely_authors]:
        if isinstance(value, str):
            found.add(value)
    for key in ("parsely-author", "author", "sailthru.author", "article:author", "dc.creator",
                "byl"):
        for value in page.meta.get(key, ()):
            found.add(value)
    return found.found

