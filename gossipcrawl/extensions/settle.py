"""Process set-up shared by the long-running commands (`crawl`, `extract`, `demo`).

Start-up leaves a few hundred thousand objects that live as long as the process (Scrapy,
Twisted, the show gazetteer, compiled patterns, dateparser's language data). Python's
cyclic garbage collector would walk all of them on every full collection, and extraction
allocates quickly enough to trigger many: about a tenth of extraction time went there.
Freezing them after start-up takes them out of every later collection; objects created
afterwards (pages, items) are collected as usual.
"""

from __future__ import annotations

import gc


def settle_process() -> None:
    """Call once, after imports and before the work starts."""
    from gossipcrawl.extract import shows

    shows.load_gazetteer()  # built now, so that it is frozen with the rest
    gc.collect()
    gc.freeze()


class SettleProcessExtension:
    """Runs `settle_process()` when the spider opens, so `scrapy crawl` and Scrapyd jobs get
    it as `gossipcrawl crawl` does."""

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        extension = cls()
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider):
        settle_process()
