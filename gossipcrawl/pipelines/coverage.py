"""Field coverage: how many extracted articles have each field, counted as they pass.

Runs first (before validation and dedupe), so the counts cover every article the crawl
extracted, including those later dropped as invalid, duplicate or unchanged: coverage is a
measure of extraction, not of what was new. Stats: `gossipcrawl/coverage/articles` and
`gossipcrawl/coverage/<field>` for each field with a non-empty value.
"""

from __future__ import annotations

from gossipcrawl.stats import COVERAGE_ARTICLES, coverage

COVERAGE_FIELDS = ("headline", "articleBody", "description", "datePublished", "dateModified",
                   "authors", "shows", "mainImage", "inLanguage", "sections", "tags",
                   "breadcrumbs", "commentForm", "commentCount", "comments")


def has_value(value) -> bool:
    if value is None:
        return False
    if isinstance(value, (str, list, dict, tuple)):
        return bool(value.strip() if isinstance(value, str) else value)
    return True  # numbers, including a comment count of 0


class CoveragePipeline:
    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        self.stats.inc_value(COVERAGE_ARTICLES)
        for name in COVERAGE_FIELDS:
            if has_value(item.get(name)):
                self.stats.inc_value(coverage(name))
        return item
