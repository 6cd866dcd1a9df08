"""The elements of one page that extractors start from, found in one walk of the tree."""

from __future__ import annotations

import re
from typing import Any, TypeAlias

from lxml import etree

# lxml has no type information here: an element is whatever lxml gives.
Element: TypeAlias = Any
Entry: TypeAlias = tuple[Element, str, str]  # (element, attribute name, value)

# What extractors look elements up by, gathered in one walk of the tree: libxml2 walks the
# whole document again for every `//…` XPath (about 0.2 ms a page each), and the dozen the
# extractors need cost several times this one walk.
_INDEXED_TAGS = frozenset({"title", "base", "meta", "link", "script", "form", "label", "a",
                           "fb:comments", "amp-facebook-comments",
                           "h1", "h2", "h3", "h4", "time", "abbr", "article"})
# Tags also kept together, in page order: `grouped("headings")`.
_GROUPS = {"h1": "headings", "h2": "headings", "h3": "headings", "h4": "headings",
           "time": "times", "abbr": "times"}
_INDEXED_ATTRIBUTES = frozenset({
    "class", "id",                        # metadata signals, comment marks, ids
    "itemprop", "property", "itemtype",   # microdata and RDFa
    "aria-label",                         # labelled breadcrumb trails
    # comment ids and counts, OpenWeb embeds (gossipcrawl.extract.comment_*)
    "data-comment-id", "data-commentid", "data-comments-count", "data-comment-count",
    "data-spotim-module", "data-openweb-module", "data-spot-id",
})


# Each pattern's verdict on the class and id values seen so far, kept across pages: a
# site's pages (and most sites' frameworks) repeat the same names. Bounded: cleared when full.
_VERDICTS: dict[re.Pattern[str], dict[str, bool]] = {}
_MAX_VERDICTS = 50_000


class PageIndex:
    """The elements of one page that extractors start from, in page order."""

    def __init__(self, root: Element):
        tags: dict[str, list[Element]] = {tag: [] for tag in _INDEXED_TAGS}
        groups: dict[str, list[Element]] = {group: [] for group in _GROUPS.values()}
        # Filtered by tag in C: only the elements asked for get a Python object here.
        for element in root.iter(*_INDEXED_TAGS):
            tag = element.tag
            tags[tag].append(element)
            group = _GROUPS.get(tag)
            if group is not None:
                groups[group].append(element)
        self._groups = groups
        named: dict[str, list[Entry]] = {name: [] for name in _INDEXED_ATTRIBUTES}
        attributes: list[Entry] = []
        for element in root.iter(etree.Element):
            for name, value in element.items():
                found = named.get(name)
                if found is not None:
                    entry = (element, name, value)
                    found.append(entry)
                    attributes.append(entry)
        self._tags = tags
        self._attributes = attributes
        self._by_names: dict[tuple[str, ...], list[Entry]] = {
            (name,): entries for name, entries in named.items()}
        self._matching: dict[tuple[re.Pattern[str], tuple[str, ...]], list[Entry]] = {}
        self._ids: dict[str, Element] | None = None

    def tagged(self, tag: str) -> list[Element]:
        """Every element of one of `_INDEXED_TAGS`, in page order (callers never modify it)."""
        return self._tags[tag]

    def grouped(self, group: str) -> list[Element]:
        """`headings` (h1-h4) or `times` (time, abbr), in page order (never modified)."""
        return self._groups[group]

    def attributes(self, *names: str) -> list[Entry]:
        """`(element, name, value)` for each of these `_INDEXED_ATTRIBUTES` on the page, in
        page order (callers never modify it)."""
        found = self._by_names.get(names)
        if found is None:
            wanted = frozenset(names)
            found = self._by_names[names] = [entry for entry in self._attributes
                                             if entry[1] in wanted]
        return found

    def matching(self, pattern: re.Pattern[str], *names: str) -> list[Entry]:
        """The `attributes(*names)` whose lower-cased value `pattern` finds something in.

        Pages repeat their class names (half the values are repeats), and so do a site's
        pages: each distinct value is searched once per process (`_VERDICTS`)."""
        key = (pattern, names)
        found = self._matching.get(key)
        if found is None:
            search = pattern.search
            verdicts = _VERDICTS.get(pattern)
            if verdicts is None or len(verdicts) > _MAX_VERDICTS:
                verdicts = _VERDICTS[pattern] = {}
            found = []
            self._matching[key] = found
            for entry in self.attributes(*names):
                value = entry[2]
                hit = verdicts.get(value)
                if hit is None:
                    hit = verdicts[value] = search(value.lower()) is not None
                if hit:
                    found.append(entry)
        return found

    def by_id(self, ident: str) -> Element | None:
        """The first element with this id, else None (the parser does not collect ids)."""
        if self._ids is None:
            self._ids = {}
            for element, _, value in self.attributes("id"):
                self._ids.setdefault(value, element)
        return self._ids.get(ident)
