"""Bounds on what one page may cost to extract, whatever the web serves.

Extraction time grows with the size of the document and, above all, with its number of
elements (about 0.1 ms per element on a laptop core, whatever the element). A 30 MB page or
a page of 500,000 empty paragraphs would hold the crawl's only thread for minutes, so
before anything else looks at a page, the page object cuts it:

- `max_extract_bytes` (default 4 MiB): the response body is cut to this many bytes before
  it is decoded and parsed. libxml2 closes what the cut leaves open, as it does for any
  truncated page.
- `max_elements` (default 20,000): the parsed tree keeps its first this many elements in
  document order; everything after them is dropped.

An article's headline, metadata and body come early in its page, so a cut page still gives
its article (without whatever came after the cut: late comments, footers); a page that is
nothing but noise gives no article, with its usual reason. Real article pages are far from
both bounds (the article-extraction benchmark's largest page: 1.5 MB, 1,709 elements).

A page object gets its bounds from web-poet's `PageParams` (the keys above; a crawl fills
them from `GOSSIPCRAWL_MAX_EXTRACT_BYTES` / `GOSSIPCRAWL_MAX_ELEMENTS`), so every crawler
and every page carries its own; without them the defaults apply. Each cut is logged at INFO
with the page's URL and the setting that bounds it; the page object counts it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from gossipcrawl.settings import GOSSIPCRAWL_MAX_ELEMENTS, GOSSIPCRAWL_MAX_EXTRACT_BYTES

logger = logging.getLogger(__name__)

MAX_EXTRACT_BYTES_SETTING = "GOSSIPCRAWL_MAX_EXTRACT_BYTES"
MAX_ELEMENTS_SETTING = "GOSSIPCRAWL_MAX_ELEMENTS"
# The PageParams keys a crawl sets from the two settings.
MAX_EXTRACT_BYTES_PARAM = "max_extract_bytes"
MAX_ELEMENTS_PARAM = "max_elements"
# The defaults are the settings' (a crawl passes its settings' values in page_params).
DEFAULT_MAX_EXTRACT_BYTES = GOSSIPCRAWL_MAX_EXTRACT_BYTES
DEFAULT_MAX_ELEMENTS = GOSSIPCRAWL_MAX_ELEMENTS


@dataclass(frozen=True)
class PageLimits:
    """The bounds of one page's extraction; 0 or less turns a bound off, like Scrapy's own
    size settings."""

    max_bytes: int = DEFAULT_MAX_EXTRACT_BYTES
    max_elements: int = DEFAULT_MAX_ELEMENTS

    @classmethod
    def from_params(cls, params: Mapping[str, Any] | None) -> PageLimits:
        """The bounds a page's `PageParams` give; a key that is absent (or not a number)
        keeps its default."""
        params = params or {}
        return cls(_number(params.get(MAX_EXTRACT_BYTES_PARAM), DEFAULT_MAX_EXTRACT_BYTES),
                   _number(params.get(MAX_ELEMENTS_PARAM), DEFAULT_MAX_ELEMENTS))

    def cut_body(self, body: bytes, url: str) -> bytes:
        """The first `max_bytes` of the body (an even count, for UTF-16)."""
        if self.max_bytes <= 0 or len(body) <= self.max_bytes:
            return body
        logger.info("page cut for extraction: %s: %d bytes, only the first %d are read "
                    "(%s)", url, len(body), self.max_bytes, MAX_EXTRACT_BYTES_SETTING)
        return body[: self.max_bytes // 2 * 2]

    def cut_tree(self, root: HtmlElement, url: str, body: bytes | None = None) -> int:
        """Drop every element after the first `max_elements` (document order); returns how
        many were dropped. `body`, the bytes the tree was parsed from, spares most pages the
        count."""
        if self.max_elements <= 0:
            return 0
        # Every element the parser makes starts at a "<", except html, head, body and the
        # paragraphs it opens for text where none may stand (at most one per text run).
        if body is not None and 2 * body.count(b"<") + 4 <= self.max_elements:
            return 0
        # Counted in C first: walking the tree in Python costs more than most pages' parse.
        if root.xpath("count(//*)") <= self.max_elements:
            return 0
        first_dropped = None
        for index, element in enumerate(root.iter()):
            if index == self.max_elements:
                first_dropped = element
                break
        if first_dropped is None:
            return 0
        dropped = _drop_from(first_dropped)
        logger.info("page cut for extraction: %s: %d elements dropped after the first %d "
                    "(%s)", url, dropped, self.max_elements, MAX_ELEMENTS_SETTING)
        return dropped


def _number(value: Any, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _drop_from(element: HtmlElement) -> int:
    """Remove `element` and everything that follows it in document order."""
    dropped = 0
    node, parent = element, element.getparent()
    if parent is None:
        return 0
    for following in [node, *node.itersiblings()]:
        dropped += sum(1 for _ in following.iter())
        parent.remove(following)  # with its tail text
    node, parent = parent, parent.getparent()
    while parent is not None:
        for following in list(node.itersiblings()):
            dropped += sum(1 for _ in following.iter())
            parent.remove(following)
        node, parent = parent, parent.getparent()
    return dropped
