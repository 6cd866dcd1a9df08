"""The markup of one page that metadata is read from, found once, and where page chrome is.

`Signals` (one per page, through `ParsedPage.shared`) holds the elements whose class names
a headline, byline, date, breadcrumb, tag list or standfirst, the microdata and RDFa
attributes, the `<a rel>` links, the headings and the `<time>`s: one pass over the page's
class attributes with a single regex instead of an XPath `contains()` scan per word.

`in_chrome` tells whether an element sits in page chrome (sidebars, comment threads,
related posts, author bio boxes, share bars, the page's footer): where a byline, a tag or a
headline is never the article's own.
"""

from __future__ import annotations

import re
from functools import cached_property
from itertools import pairwise

from lxml.html import HtmlElement

from gossipcrawl.extract.boilerplate import CHROME_PAIRS, CHROME_WORDS, HARD_WORDS
from gossipcrawl.extract.dom import block_length, name_words
from gossipcrawl.extract.page import ParsedPage

# Substrings of the class names worth a look: matched case-sensitively on the lower-cased
# class string (a case-insensitive alternation is several times slower).
_CLASS_SIGNALS = re.compile("title|headline|auth|byline|fn|date|publish|posted|timestamp|"
                            "updat|modif|breadcrumb|tag|dek|standfirst|subtitle|summary|"
                            "excerpt")

# Class names that describe a layout or a state, not a box: `content-sidebar-wrap`,
# `has-sidebar`, `hasnt-bio`, `right-sidebar`, `comments-open`,
# `genesis-breadcrumbs-visible`.
LAYOUT_CLASS = re.compile(
    r"^(?:has|hasnt|hasno|no|non|not|with|without|content|right|left|full|one|two|three|is"
    r"|show|hide|type|format|category|tone|genre)[-_]"
    r"|[-_](?:wrap|visible|hidden|open|closed|enabled|disabled|active|layout)$",
    re.IGNORECASE)


class Signals:
    """Elements of one page that carry metadata signals, found once and lazily."""

    def __init__(self, page: ParsedPage):
        # The index, not the page: the page keeps this object (`shared`), and a cycle
        # would leave the whole page to the cyclic garbage collector.
        self.index = page.index
        # element -> whether it is a chrome box (`is_chrome_box`), asked of many ancestors
        self.chrome: dict[HtmlElement, bool] = {}

    @cached_property
    def classed(self) -> list[tuple[HtmlElement, str]]:
        """`(element, class)` for every element whose class names a signal, page order."""
        return [(element, value) for element, _, value
                in self.index.matching(_CLASS_SIGNALS, "class")]

    @cached_property
    def markup(self) -> list[tuple[HtmlElement, str, str]]:
        """`(element, attribute, value)` for microdata `itemprop` and RDFa `property`."""
        return self.index.attributes("itemprop", "property")

    @cached_property
    def rels(self) -> list[tuple[HtmlElement, str]]:
        """`(link, " rel words ")` for every `<a rel>`."""
        return [(link, f" {rel.lower()} ") for link in self.index.tagged("a")
                if (rel := link.get("rel")) is not None]

    @cached_property
    def headings(self) -> list[HtmlElement]:
        return self.index.grouped("headings")

    @cached_property
    def times(self) -> list[HtmlElement]:
        return self.index.grouped("times")


def signals(page: ParsedPage) -> Signals:
    return page.shared(Signals)


def marker_words(element: HtmlElement) -> list[str]:
    """Lower-cased words of an element's class and id (`shareBar`, `post-share_buttons`),
    without layout and state class names."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}".split()
    return [word for name in names if not LAYOUT_CLASS.search(_MODIFIERS.sub("", name))
            for word in _box_words(name)]


def _box_words(name: str) -> list[str]:
    """`name_words`, less a BEM modifier's comment words: `article--comment` is an opinion
    piece, not a comment thread."""
    words = name_words(name)
    block = block_length(name)
    return words[:block] + [word for word in words[block:] if word not in HARD_WORDS]


# A BEM modifier or a breakpoint after a class name (`sidebar-layout--300@md`): the name
# before it says whether it describes a layout.
_MODIFIERS = re.compile(r"(?:--|@).*$")


def is_chrome_box(element: HtmlElement) -> bool:
    tag = element.tag
    if tag in ("aside", "nav"):
        return True
    words = marker_words(element)
    if not words:
        # A bare <footer> is the page's, unless it closes an <article>.
        return tag == "footer" and not any(ancestor.tag == "article"
                                           for ancestor in element.iterancestors())
    if tag == "footer" or "footer" in words:
        # An article's own footer (tags, categories) is not page chrome.
        return not any(word in ("entry", "article", "post", "amp") for word in words)
    if any(word in CHROME_WORDS for word in words if word != "footer"):
        return True
    return any(pair in CHROME_PAIRS for pair in pairwise(words))


def in_chrome(page: ParsedPage, element: HtmlElement,
              keep: frozenset[HtmlElement] = frozenset()) -> bool:
    """Inside a sidebar, comment thread, related posts, author bio box, share bar or page
    footer. Ancestors in `keep` (those of the article's headline: page wrappers such as
    Blogger's `widget Blog` or a `right-sidebar` body class) never count."""
    if element.tag == "footer" and is_chrome_box(element):
        return True
    known = signals(page).chrome
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            return False
        if ancestor in keep:
            continue
        chrome = known.get(ancestor)
        if chrome is None:
            chrome = known[ancestor] = is_chrome_box(ancestor)
        if chrome:
            return True
    return False
