"""Small read-only helpers over an lxml tree and its text, one copy for every extractor.

Text: `clean_text` (the one whitespace cleaner), `element_text` (an element's readable text:
scripts and styles left out, block edges separate words) and `text_within` (the same, read
only as far as a length limit). Markup: `class_tokens` (an element's class and id names),
`name_words` / `class_words` (the words of those names), containment and document order,
and `base_url` (what relative links resolve against).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement

# Characters that print nothing: zero-width spaces and joiners, the BOM, soft hyphens.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SKIP_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})
# Elements whose edges separate words even when the markup has no space there.
_WORD_BREAKS = frozenset({"p", "div", "li", "br", "td", "th", "tr", "dd", "dt", "h1", "h2",
                          "h3", "h4", "h5", "h6", "blockquote", "section", "article", "ul",
                          "ol"})
_BREAK_OR_SKIP = tuple(_WORD_BREAKS | _SKIP_TEXT_TAGS)


def clean_text(text: str | None) -> str:
    """Whitespace runs collapsed to one space, invisible characters dropped, ends trimmed."""
    if not text:
        return ""
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


def element_text(el: HtmlElement, skip: Collection[HtmlElement] | None = None) -> str:
    """`el`'s text as a reader sees it: scripts and styles left out, a space at the edges of
    block elements (`<p>a</p><p>b</p>` is "a b"), and nothing from the elements in `skip`."""
    if not skip and next(el.iterdescendants(*_BREAK_OR_SKIP), None) is None \
            and el.tag not in _SKIP_TEXT_TAGS:
        return clean_text(el.text_content())  # inline markup only: read in C
    parts: list[str] = []
    _collect_text(el, skip or (), parts)
    return clean_text("".join(parts))


def text_within(el: HtmlElement, limit: int,
                skip: Collection[HtmlElement] | None = None) -> str | None:
    """`element_text(el, skip)` when it is at most `limit` characters long, else None. A big
    element (a page wrapper next to a form) is read only as far as it takes to know."""
    parts: list[str] = []
    try:
        _collect_text(el, skip or (), parts, _Budget(limit, parts))
    except _TooLong:
        return None
    text = clean_text("".join(parts))
    return text if len(text) <= limit else None


class _TooLong(Exception):
    pass


class _Budget:
    """Stops a text walk once the collapsed text read so far exceeds `limit` characters.

    The collapsed text of a prefix is never longer than that of the whole, and one raw
    character adds at most one collapsed character, so the (costly) measure is taken only
    when the raw text has grown enough to possibly cross the limit.
    """

    def __init__(self, limit: int, parts: list[str]):
        self.limit = limit
        self.parts = parts
        self.raw = 0
        self.check_at = limit

    def spend(self, size: int) -> None:
        self.raw += size
        if self.raw > self.check_at:
            collapsed = len(clean_text("".join(self.parts)))
            if collapsed > self.limit:
                raise _TooLong
            self.check_at = self.raw + self.limit - collapsed


def _collect_text(el: HtmlElement, skip: Collection[HtmlElement], parts: list[str],
                  budget: _Budget | None = None) -> None:
    if el.text and not (isinstance(el.tag, str) and el.tag in _SKIP_TEXT_TAGS):
        parts.append(el.text)
        if budget is not None:
            budget.spend(len(el.text))
    for child in el:
        if isinstance(child.tag, str) and child not in skip and child.tag not in _SKIP_TEXT_TAGS:
            breaks = child.tag in _WORD_BREAKS
            if breaks:
                parts.append(" ")
            _collect_text(child, skip, parts, budget)
            if breaks:
                parts.append(" ")
        if child.tail:
            parts.append(child.tail)
            if budget is not None:
                budget.spend(len(child.tail))


# --- class and id -----------------------------------------------------------------------

def class_tokens(el: HtmlElement) -> list[str]:
    """The element's class names and id, lower-cased."""
    out = (el.get("class") or "").lower().split()
    ident = el.get("id")
    if ident:
        out.append(ident.lower())
    return out


# Words of one class name: lower-case runs, a capital and its lower-case run (`shareBar`),
# or an acronym (`HTMLContent` -> html, content); `-`, `_` and digits' neighbours split.
_NAME_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def name_words(name: str) -> list[str]:
    """The lower-cased words of one class or id name: `post-share_buttons` -> post, share,
    buttons; `shareBar` -> share, bar."""
    return [word.lower() for word in _NAME_WORD.findall(name)]


def block_length(name: str) -> int:
    """How many of `name_words(name)` name its BEM block: the words before a `--modifier`
    (all of them when there is none)."""
    if "--" not in name:
        return len(name_words(name))
    return len(name_words(name.split("--", 1)[0]))


def class_words(el: HtmlElement) -> list[list[str]]:
    """The words of each of the element's class names and of its id, name by name."""
    names = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return [name_words(name) for name in names]


# --- the tree ---------------------------------------------------------------------------

def is_inside(el: HtmlElement, tags: Collection[str]) -> bool:
    """Whether an ancestor of `el` is one of these tags."""
    parent = el.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def contains(outer: HtmlElement, inner: HtmlElement) -> bool:
    """`inner` is `outer` or lies inside it."""
    if outer is inner:
        return True
    return any(ancestor is outer for ancestor in inner.iterancestors())


def innermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """The elements of the list that contain no other one of the list, in list order."""
    chosen = set(elements)
    outer = set()
    for element in elements:
        for ancestor in element.iterancestors():
            if ancestor in chosen:
                outer.add(ancestor)
    return [element for element in elements if element not in outer]


_IN_DOCUMENT_ORDER = etree.XPath("$a | $b")


def in_document_order(elements: list[HtmlElement]) -> list[HtmlElement]:
    """Elements of one tree, each once, in page order (an XPath union sorts and dedupes)."""
    found = _IN_DOCUMENT_ORDER(elements[0], a=elements, b=[]) if elements else []
    return list(found) if isinstance(found, list) else []


def base_url(bases: Iterable[HtmlElement], url: str) -> str:
    """The URL relative links resolve against: the first `<base href>` of the page (blank:
    the page's own URL), resolved against the page's URL; else the page's URL."""
    for base in bases:
        href = base.get("href")
        if href is not None:
            href = href.strip()
            return urljoin(url, href) if href else url
    return url
