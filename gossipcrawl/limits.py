"""Bounds on what one page may cost to extract, whatever the web serves.

Extraction time grows with the size of the document and, above all, with its number of
elements (about 0.1 ms per element on a laptop core, whatever the element). A 30 MB page or
a page of 500,000 empty paragraphs would hold the crawl's only thread for minutes, so
before anything else looks at a page, `GenericArticlePage.root` cuts it:

- `GOSSIPCRAWL_MAX_EXTRACT_BYTES` (default 4 MiB): the response body is cut to this many
  bytes before it is decoded and parsed. libxml2 closes what the cut leaves open, as it does
  for any truncated page.
- `GOSSIPCRAWL_MAX_ELEMENTS` (default 20,000): the parsed tree keeps its first this many
  elements in document order; everything after them is dropped.

An article's headline, metadata and body come early in its page, so a cut page still gives
its article (without whatever came after the cut: late comments, footers); a page that is
nothing but noise gives no article, with its usual reason. Real article pages are far from
both bounds (the article-extraction benchmark's largest page: 1.5 MB, 1,709 elements).

Each cut is logged at INFO with the page's URL and counted in the crawl stats as
`gossipcrawl/pages/cut/bytes` or `gossipcrawl/pages/cut/elements`.

`LimitsExtension` (enabled in `gossipcrawl.settings.EXTENSIONS`) reads both settings when a
crawl starts and hands the crawl's stats to the page objects. Outside a crawl
(`gossipcrawl extract`, tests) the defaults below apply. The bounds are process-wide: one
process runs one crawl (the CLI, Scrapyd); crawlers sharing a process share the last
crawler's bounds.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

MAX_EXTRACT_BYTES_SETTING = "GOSSIPCRAWL_MAX_EXTRACT_BYTES"
MAX_ELEMENTS_SETTING = "GOSSIPCRAWL_MAX_ELEMENTS"
DEFAULT_MAX_EXTRACT_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_ELEMENTS = 20_000
CUT_STAT = "gossipcrawl/pages/cut/{what}"


class PageLimits:
    """The bounds of one page's extraction, and where their cuts are counted."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_EXTRACT_BYTES,
                 max_elements: int = DEFAULT_MAX_ELEMENTS, stats=None):
        # 0 or less turns a bound off, like Scrapy's own size settings.
        self.max_bytes = max_bytes if max_bytes > 0 else 0
        self.max_elements = max_elements if max_elements > 0 else 0
        self.stats = stats

    def cut_body(self, body: bytes, url: str) -> bytes:
        """The first `max_bytes` of the body (an even count, for UTF-16)."""
        if not self.max_bytes or len(body) <= self.max_bytes:
            return body
        self._count("bytes")
        logger.info("page cut for extraction: %s: %d bytes, only the first %d are read "
                    "(%s)", url, len(body), self.max_bytes, MAX_EXTRACT_BYTES_SETTING)
        return body[: self.max_bytes // 2 * 2]

    def cut_tree(self, root, url: str, body: bytes | None = None) -> int:
        """Drop every element after the first `max_elements` (document order); returns how
        many were dropped. `body`, the bytes the tree was parsed from, spares most pages the
        count."""
        if not self.max_elements:
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
        self._count("elements")
        logger.info("page cut for extraction: %s: %d elements dropped after the first %d "
                    "(%s)", url, dropped, self.max_elements, MAX_ELEMENTS_SETTING)
        return dropped

    def _count(self, what: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(CUT_STAT.format(what=what))


def _drop_from(element) -> int:
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


class LimitsExtension:
    """Applies the crawl's GOSSIPCRAWL_MAX_EXTRACT_BYTES and GOSSIPCRAWL_MAX_ELEMENTS to
    the page objects and counts their cuts in the crawl's stats."""

    def __init__(self, crawler):
        from scrapy import signals

        settings = crawler.settings
        self.limits = PageLimits(
            settings.getint(MAX_EXTRACT_BYTES_SETTING, DEFAULT_MAX_EXTRACT_BYTES),
            settings.getint(MAX_ELEMENTS_SETTING, DEFAULT_MAX_ELEMENTS),
            crawler.stats)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        from gossipcrawl.pages.generic import GenericArticlePage

        GenericArticlePage.limits = self.limits

    def spider_closed(self, spider):
        from gossipcrawl.pages.generic import GenericArticlePage

        if GenericArticlePage.limits is self.limits:
            GenericArticlePage.limits = PageLimits()
