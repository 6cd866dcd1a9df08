"""Validate each record against the package's JSON Schema (with Spidermon's validator).

An invalid record is dropped: counted as `gossipcrawl/items/dropped/invalid/<field>` and
logged with its URL and the validator's messages.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem
from spidermon.contrib.validation import JSONSchemaValidator

from gossipcrawl.schemas import article_schema

logger = logging.getLogger(__name__)


class ValidationPipeline:
    def __init__(self, stats):
        self.stats = stats
        self.validator = JSONSchemaValidator(article_schema())

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        valid, errors = self.validator.validate(item)
        if valid:
            self.stats.inc_value("gossipcrawl/items/valid")
            return item
        fields = sorted(errors)
        for field in fields:
            self.stats.inc_value(f"gossipcrawl/items/dropped/invalid/{field or 'item'}")
        self.stats.inc_value("gossipcrawl/items/dropped/invalid")
        details = "; ".join(f"{field}: {', '.join(errors[field])}" for field in fields)
        logger.warning("invalid article dropped: %s (%s)", item.get("url"), details)
        raise DropItem(f"invalid article {item.get('url')}: {details}", log_level="DEBUG")
