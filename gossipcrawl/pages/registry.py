"""Which page object handles a URL (web-poet's rules, the same lookup scrapy-poet makes),
and that page object run on a page's bytes, offline: what `gossipcrawl extract`, the fixture
tests and the benchmarks call, the same code a crawl runs."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from web_poet import HttpResponse, PageParams, Stats, consume_modules, default_registry

from gossipcrawl.items import Article
from gossipcrawl.pages.generic import GenericArticlePage

T = TypeVar("T")

# The generic page object and every site's own (gossipcrawl.pages.binding).
consume_modules("gossipcrawl.pages", "gossipcrawl.sites")


def page_class_for(url: str) -> type[GenericArticlePage]:
    page_class = default_registry.overrides_for(url).get(GenericArticlePage, GenericArticlePage)
    if not issubclass(page_class, GenericArticlePage):   # gossipcrawl.pages.binding binds only these
        raise TypeError(f"{page_class.__qualname__} replaces GenericArticlePage for {url} "
                        "without being one")
    return page_class


def page_for(body: bytes, url: str, content_type: str | None = None, *,
             page_params: Mapping[str, Any] | None = None,
             stats: Stats | None = None) -> GenericArticlePage:
    """The page object a crawl would use for this URL (a site's own, else the generic),
    with the page's bounds in `page_params` (gossipcrawl.extract.limits) and its counters
    in `stats`, as scrapy-poet would give them."""
    headers = {"Content-Type": content_type} if content_type else {}
    response = HttpResponse(url=url, body=body, headers=headers)
    return page_class_for(url)(response=response, page_params=PageParams(page_params or {}),
                               stats=stats or Stats())


def extract_article(body: bytes, url: str, content_type: str | None = None, *,
                    page_params: Mapping[str, Any] | None = None,
                    stats: Stats | None = None) -> Article:
    """Extract the article item from a page's bytes, offline; raises NotAnArticle."""
    return _run(page_for(body, url, content_type, page_params=page_params,
                         stats=stats).to_item())


_loop: asyncio.AbstractEventLoop | None = None


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    # Field methods never really await, so one private loop serves every call cheaply.
    global _loop
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
    return _loop.run_until_complete(coroutine)

