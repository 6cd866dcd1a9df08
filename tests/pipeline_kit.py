"""Helpers for driving the real item pipelines without a running crawl: records shaped like
the contract's, and a `Crawl` whose crawler has the item pipelines `ITEM_PIPELINES` makes
(found by each other through `crawler.get_item_pipeline`, as in a crawl), which it opens,
feeds and closes. The engine itself is a stand-in holding only the pipeline manager: no
downloads happen here."""

from __future__ import annotations

from types import SimpleNamespace

import scrapy
from scrapy.exceptions import DropItem
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.test import get_crawler

from gossipcrawl import settings as project_settings
from gossipcrawl.items import Article, Author, Section, article_id, content_hash, to_record
from gossipcrawl.pipelines.coverage import CoveragePipeline
from gossipcrawl.pipelines.dedupe import DedupePipeline
from gossipcrawl.pipelines.story import StoryPipeline
from gossipcrawl.pipelines.validate import ValidationPipeline
from gossipcrawl.urls import site_of

PIPELINES = (CoveragePipeline, ValidationPipeline, DedupePipeline, StoryPipeline)
# gossipcrawl's own settings with their defaults (the Scrapy ones stay Scrapy's).
PROJECT_DEFAULTS = {name: value for name, value in vars(project_settings).items()
                    if name.startswith("GOSSIPCRAWL_")}


def record(url: str, headline: str = "A headline", body: str = "Body text " * 20, *,
           crawl_id: str = "test", **fields) -> dict:
    """A valid article record for `url`, made as a crawl makes it (an `Article` through
    `to_record`); `fields` then replace record keys as they are, valid or not."""
    canonical = fields.pop("canonicalUrl", url)
    article = Article(
        url=url, canonicalUrl=canonical, id=article_id(canonical), site=site_of(canonical),
        headline=headline, articleBody=body,
        sections=[Section(heading=None, paragraphs=[p for p in body.split("\n\n") if p])],
        authors=[Author(name="Jo Writer")],
        datePublished="2024-07-10T18:32:11Z", datePublishedRaw="July 10, 2024",
        inLanguage="en", contentHash=content_hash(headline, body), extractor="test")
    item = to_record(article, date_downloaded="2024-07-11T00:00:00Z", crawl_id=crawl_id)
    item.update(fields)
    return item


class _Spider(scrapy.Spider):
    name = "news"


class Crawl:
    """One crawl through the real pipelines: `emit()` returns the item or None (dropped)."""

    def __init__(self, state: str, crawl_id: str, *, pipelines=PIPELINES, site: str = "news",
                 **settings):
        # A FEEDS entry makes dedupe commit when the feed is stored (`finish`), as in a crawl
        # with -o; no feed exporter runs here.
        settings = {**PROJECT_DEFAULTS, "GOSSIPCRAWL_STATE": state,
                    "FEEDS": {"file:///dev/null": {"format": "jsonlines"}},
                    "ITEM_PIPELINES": {cls: order for order, cls in enumerate(pipelines)},
                    **settings}
        self.crawler = get_crawler(_Spider, settings)
        # `site` is what the crawl holds in the state (a spider's profile name, else its name).
        self.crawler.spider = self.crawler._create_spider(crawl_id=crawl_id, name=site)
        manager = ItemPipelineManager.from_crawler(self.crawler)
        self.crawler.engine = SimpleNamespace(scraper=SimpleNamespace(itemproc=manager),
                                              spider=None, running=False)
        self.stats = self.crawler.stats
        self.pipelines = list(manager.middlewares)
        for pipeline in self.pipelines:
            if hasattr(pipeline, "open_spider"):
                pipeline.open_spider()

    def emit(self, item: dict) -> dict | None:
        item = dict(item)
        try:
            for pipeline in self.pipelines:
                item = pipeline.process_item(item)
        except DropItem:
            return None
        return item

    def emit_all(self, items) -> list[dict]:
        return [out for out in (self.emit(item) for item in items) if out is not None]

    def finish(self, *, feed_stored: bool = True) -> dict:
        """Close as Scrapy does: pipelines close, then the feed is stored (or fails)."""
        for pipeline in self.pipelines:
            if hasattr(pipeline, "close_spider"):
                pipeline.close_spider()
        if not feed_stored:
            self.stats.inc_value("feedexport/failed_count/AtomicFileFeedStorage")
        for pipeline in self.pipelines:
            if isinstance(pipeline, DedupePipeline):
                pipeline.feeds_stored()
        return self.stats.get_stats()

    def crash(self) -> None:
        """The process dies after its last batch of rows reached the store: nothing is
        committed; file locks go away with the process, a Redis lease runs out on its own."""
        for pipeline in self.pipelines:
            state = getattr(pipeline, "state", None)
            if state is not None and isinstance(pipeline, DedupePipeline):
                if hasattr(state, "client"):
                    state.flush()
                    state._stop_heartbeat.set()   # what the kernel does to its thread
                    state.client.close()
                else:
                    state.close()
                pipeline.state = None
