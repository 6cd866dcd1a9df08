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

# The bounds themselves live with the extraction (gossipcrawl.extract.limits); this module
# keeps only the crawl's extension.
from gossipcrawl.extract.limits import (  # noqa: F401
    CUT_STAT,
    DEFAULT_MAX_ELEMENTS,
    DEFAULT_MAX_EXTRACT_BYTES,
    MAX_ELEMENTS_SETTING,
    MAX_EXTRACT_BYTES_SETTING,
    PageLimits,
)


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
