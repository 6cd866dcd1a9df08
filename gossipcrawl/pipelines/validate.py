"""Validate each record against the package's JSON Schema (with Spidermon's validator).

An invalid record is dropped: counted as `gossipcrawl/items/dropped/invalid/<field>` and
logged with its URL and the validator's messages.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import DropItem
from spidermon.contrib.validation import JSONSchemaValidator

from gossipcrawl.schemas import article_schema
from gossipcrawl.stats import ITEMS_DROPPED_INVALID, ITEMS_VALID, item_invalid_field

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
            self.stats.inc_value(ITEMS_VALID)
            return item
        fields = sorted(errors)
        for field in fields:
            self.stats.inc_value(item_invalid_field(field or "item"))
        self.stats.inc_value(ITEMS_DROPPED_INVALID)
        details = "; ".join(f"{field}: {', '.join(errors[field])}" for field in fields)
        logger.warning("invalid article dropped: %s (%s)", item.get("url"), details)
        raise DropItem(f"invalid article {item.get('url')}: {details}", log_level="DEBUG")
