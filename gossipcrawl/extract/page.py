"""One page as every extractor sees it: the parsed tree and what is found once about it.

A `ParsedPage` is made once per page (by the page object, or by `ParsedPage.parse` for
callers without one) and handed to every extractor, instead of each taking the tree, the
URL, the JSON-LD and the meta values one by one and keeping its own per-page caches. What
an extractor finds once and shares (the metadata signals, the comment marks) lives in the
page too, through `shared()`: nothing about a page outlives it, and two pages (or two
crawls in one process) never see each other's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from lxml.html import HtmlElement

from gossipcrawl.extract.dom import base_url
from gossipcrawl.extract.html import parse_document
from gossipcrawl.extract.index import PageIndex
from gossipcrawl.extract.structured import find_article_node, jsonld_nodes, meta_values

T = TypeVar("T")


class ParsedPage:
    """A page's tree and URL, with the inputs every extractor starts from, each computed
    on first use: the element index, the base URL, the JSON-LD nodes and article node,
    the `<meta>` values."""

    def __init__(self, root: HtmlElement, url: str):
        self.root = root
        self.url = url
        self._shared: dict[Callable[[ParsedPage], Any], Any] = {}

    @classmethod
    def parse(cls, body: bytes, url: str, content_type: str | None = None) -> ParsedPage:
        """Decode and parse a response body (raises `html.NotHtml`), without any bound."""
        return cls(parse_document(body, content_type), url)

    @cached_property
    def index(self) -> PageIndex:
        return PageIndex(self.root)

    @cached_property
    def base_url(self) -> str:
        """What relative links resolve against: `<base href>`, else the page's URL."""
        return base_url(self.index.tagged("base"), self.url)

    @cached_property
    def jsonld(self) -> list[dict[str, Any]]:
        return jsonld_nodes(self.root, self.index)

    @cached_property
    def article_node(self) -> dict[str, Any] | None:
        """The JSON-LD node of the article, `@id` references resolved (or None)."""
        return find_article_node(self.jsonld)

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        return meta_values(self.root, self.index)

    def shared(self, factory: Callable[[ParsedPage], T]) -> T:
        """`factory(self)`, made on the first call and the same object afterwards: where an
        extractor keeps what it finds once about the page and reuses (a scan, an index)."""
        found = self._shared.get(factory)
        if found is None:
            found = self._shared[factory] = factory(self)
        return found
