"""Which page object handles a URL: web-poet's rules, the same lookup scrapy-poet makes."""

from __future__ import annotations

from web_poet import consume_modules, default_registry

from gossipcrawl.pages.generic import GenericArticlePage

consume_modules("gossipcrawl.pages")


def page_class_for(url: str) -> type[GenericArticlePage]:
    return default_registry.overrides_for(url).get(GenericArticlePage, GenericArticlePage)
