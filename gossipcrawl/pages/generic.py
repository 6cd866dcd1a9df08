"""The page object every site falls back to: any article page's HTML -> `Article`.

It runs without the engine: `gossipcrawl extract`, the fixture tests and a crawl all call
the same `to_item()`. Per-site page objects subclass it and override only what differs
(`gossipcrawl/sites/<name>.py`, bound by `gossipcrawl.pages.binding.site_page`).
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Any, ClassVar

import attrs
from lxml.html import HtmlElement
from web_poet import PageParams, Stats, WebPage, field, handle_urls

from gossipcrawl.extract import authors as bylines
from gossipcrawl.extract import headline as titles
from gossipcrawl.extract import metadata
from gossipcrawl.extract.body import extract_sections, sections_to_text, with_jsonld_body
from gossipcrawl.extract.comments import (
    extract_comment_count,
    extract_comment_form,
    extract_comments,
)
from gossipcrawl.extract.html import parse_document
from gossipcrawl.extract.limits import PageLimits
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.published import Found, date_modified, date_published
from gossipcrawl.extract.shows import find_shows
from gossipcrawl.extract.structured import text_value
from gossipcrawl.extract.verdict import Verdict, judge
from gossipcrawl.items import (
    Article,
    Author,
    Breadcrumb,
    Image,
    article_id,
    content_hash,
)
from gossipcrawl.stats import page_cut
from gossipcrawl.urls import site_of

logger = logging.getLogger(__name__)


class NotAnArticle(Exception):
    """The page is not an article (listing, home, contact page, empty or broken page)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@handle_urls("")
@attrs.define(slots=False)
class GenericArticlePage(WebPage[Article]):
    """Any article page -> `Article`.

    Inputs besides the response: `page_params`, where a crawl passes the page's bounds
    (`max_extract_bytes`, `max_elements`: see gossipcrawl.extract.limits; absent keys keep
    the defaults), and `stats`, where the page counts its cuts
    (`gossipcrawl/pages/cut/bytes`, `gossipcrawl/pages/cut/elements`).
    """

    page_params: PageParams = attrs.field(factory=PageParams)
    stats: Stats = attrs.field(factory=Stats)

    extractor_name = "gossipcrawl.generic/1"
    # The site profile a site's own page object is bound to (gossipcrawl.pages.binding).
    site_profile: ClassVar[str | None] = None

    # --- parsed inputs, computed once per page ----------------------------------------

    @cached_property
    def parsed(self) -> ParsedPage:
        """The page every extractor reads: the tree cut to the page's bounds."""
        limits = PageLimits.from_params(self.page_params)
        whole = bytes(self.response.body)
        body = limits.cut_body(whole, self.page_url)
        if len(body) < len(whole):
            self.stats.inc(page_cut("bytes"))
        root = parse_document(body, self.response.headers.get("Content-Type"))
        if limits.cut_tree(root, self.page_url, body):
            self.stats.inc(page_cut("elements"))
        return ParsedPage(root, self.page_url)

    @property
    def root(self) -> HtmlElement:
        return self.parsed.root

    @cached_property
    def page_url(self) -> str:
        return str(self.response.url)

    @property
    def base_url(self) -> str:
        return self.parsed.base_url

    @cached_property
    def extracted_sections(self) -> list[dict[str, Any]]:
        node = self.parsed.article_node
        body = text_value(node.get("articleBody")) if node else None
        found = extract_sections(self.root, headline=self.headline, jsonld_body=body)
        return with_jsonld_body(found, node.get("articleBody") if node else None)

    @cached_property
    def _published(self) -> Found:
        return date_published(self.parsed, self.inLanguage)

    @cached_property
    def _modified(self) -> Found:
        return date_modified(self.parsed, self.inLanguage)

    # --- is this an article at all? -----------------------------------------------------

    @cached_property
    def verdict(self) -> Verdict:
        """Whether the page is one article, and why (`gossipcrawl.extract.verdict`)."""
        paragraphs = [p for section in self.extracted_sections for p in section["paragraphs"]]
        found = judge(self.parsed, self.headline, paragraphs)
        logger.debug("%s: %s", self.page_url, found.reason)
        return found

    def not_article_reason(self) -> str | None:
        """Why this page gives no item, or None when it is an article."""
        return None if self.verdict.article else self.verdict.reason

    async def to_item(self) -> Article:
        try:
            reason = self.not_article_reason()
            if reason:
                raise NotAnArticle(reason)
            return await super().to_item()
        finally:
            self._drop_method_caches()

    def _drop_method_caches(self) -> None:
        """web_poet keeps a cached field's value in an `lru_cache` of the method bound to
        this page, stored on the page as `_cached_method_<name>` (its documented naming): a
        reference cycle, which left the page, its parsed tree and every element found about
        it to the cyclic garbage collector (a tenth of extraction time went to collecting
        them). Dropped once the item is made: the page and its tree are freed as soon as
        the caller lets go of the page; a field asked again is computed again."""
        for name in [name for name in vars(self) if name.startswith("_cached_method_")]:
            delattr(self, name)

    # --- fields -------------------------------------------------------------------------

    @field
    def url(self) -> str:
        return self.page_url

    @field(cached=True)
    def canonicalUrl(self) -> str:
        return metadata.canonical_url(self.parsed)

    @field
    def id(self) -> str:
        return article_id(self.canonicalUrl)

    @field
    def site(self) -> str:
        return site_of(self.canonicalUrl)

    @field(cached=True)
    def headline(self) -> str | None:
        return titles.headline(self.parsed)

    @field
    def description(self) -> str | None:
        return titles.description(self.parsed)

    @field
    def sections(self) -> list[dict]:
        return self.extracted_sections

    @field(cached=True)
    def articleBody(self) -> str:
        return sections_to_text(self.extracted_sections)

    @field
    def authors(self) -> list[Author]:
        return [Author(name=author["name"], url=author["url"])
                for author in bylines.authors(self.parsed)]

    @field
    def datePublished(self) -> str | None:
        return self._published[0]

    @field
    def datePublishedRaw(self) -> str | None:
        return self._published[1]

    @field
    def dateModified(self) -> str | None:
        return self._modified[0]

    @field
    def dateModifiedRaw(self) -> str | None:
        return self._modified[1]

    @field(cached=True)
    def inLanguage(self) -> str | None:
        return metadata.in_language(self.parsed)

    @field
    def mainImage(self) -> Image | None:
        image = metadata.main_image(self.parsed)
        return Image(url=image["url"]) if image else None

    @field
    def breadcrumbs(self) -> list[Breadcrumb]:
        trail = metadata.breadcrumbs(self.parsed, self.headline)
        return [Breadcrumb(name=crumb["name"], url=crumb["url"]) for crumb in trail]

    @field
    def tags(self) -> list[str]:
        return metadata.tags(self.parsed)

    @field
    def shows(self) -> list[dict]:
        texts = []
        for section in self.extracted_sections:
            if section["heading"]:
                texts.append(section["heading"])
            texts.extend(section["paragraphs"])
        return find_shows(self.headline, texts)

    @field(cached=True)
    def commentForm(self) -> dict | None:
        return extract_comment_form(self.parsed)

    @field(cached=True)
    def comments(self) -> list[dict]:
        return extract_comments(self.parsed)

    @field
    def commentCount(self) -> int | None:
        return extract_comment_count(self.parsed, comments=self.comments)

    @field
    def contentHash(self) -> str:
        return content_hash(self.headline, self.articleBody)

    @field
    def extractor(self) -> str:
        return self.extractor_name
