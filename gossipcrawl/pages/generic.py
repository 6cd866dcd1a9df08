"""The page object every site falls back to: any article page's HTML -> `Article`.

It runs without the engine: `gossipcrawl extract`, the fixture tests and a crawl all call
the same `to_item()`. Per-site page objects subclass it and override only what differs
(see `gossipcrawl/pages/sites.py`).
"""

from __future__ import annotations

import asyncio
from functools import cached_property

from web_poet import HttpResponse, WebPage, field, handle_urls

from gossipcrawl.extract import metadata
from gossipcrawl.extract.body import extract_sections, sections_to_text
from gossipcrawl.extract.comments import (extract_comment_count, extract_comment_form,
                                          extract_comments)
from gossipcrawl.extract.html import decode_html, parse_html
from gossipcrawl.extract.shows import find_shows
from gossipcrawl.extract.structured import (ARTICLE_TYPES, LISTING_TYPES, find_article_node,
                                            first_meta, jsonld_nodes, meta_values, node_types,
                                            text_value)
from gossipcrawl.items import Article, Author, Breadcrumb, Image, article_id, content_hash
from gossipcrawl.limits import PageLimits
from gossipcrawl.urls import site_of

# A page without article markup must have at least this much body text to be an article.
MIN_UNMARKED_BODY_CHARS = 400
MIN_UNMARKED_PARAGRAPHS = 3


class NotAnArticle(Exception):
    """The page is not an article (listing, home, contact page, empty or broken page)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@handle_urls("")
class GenericArticlePage(WebPage[Article]):
    extractor_name = "gossipcrawl.generic/1"
    # What one page may cost: GOSSIPCRAWL_MAX_EXTRACT_BYTES and GOSSIPCRAWL_MAX_ELEMENTS
    # (gossipcrawl.limits; a crawl's LimitsExtension sets them from its settings).
    limits = PageLimits()

    # --- parsed inputs, computed once per page ----------------------------------------

    @cached_property
    def root(self):
        content_type = self.response.headers.get("Content-Type")
        body = self.limits.cut_body(bytes(self.response.body), self.page_url)
        root = parse_html(decode_html(body, content_type))
        self.limits.cut_tree(root, self.page_url, body)
        return root

    @cached_property
    def page_url(self) -> str:
        return str(self.response.url)

    @cached_property
    def base_url(self) -> str:
        return metadata.base_url(self.root, self.page_url)

    @cached_property
    def jsonld(self) -> list[dict]:
        return jsonld_nodes(self.root)

    @cached_property
    def article_node(self) -> dict | None:
        return find_article_node(self.jsonld)

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        return meta_values(self.root)

    @cached_property
    def site_name(self) -> str | None:
        return metadata.site_name(self.jsonld, self.meta)

    @cached_property
    def extracted_sections(self) -> list[dict]:
        body = text_value(self.article_node.get("articleBody")) if self.article_node else None
        return extract_sections(self.root, headline=self.headline, jsonld_body=body)

    @cached_property
    def _published(self):
        return metadata.date_published(self.root, self.article_node, self.meta,
                                       self.inLanguage, self.page_url)

    @cached_property
    def _modified(self):
        return metadata.date_modified(self.root, self.article_node, self.meta,
                                      self.inLanguage, self.page_url)

    # --- is this an article at all? -----------------------------------------------------

    def not_article_reason(self) -> str | None:
        """Why this page gives no item, or None when it is an article."""
        listing = metadata.listing_reason(self.root, self.page_url, self.jsonld,
                                          self.article_node, self.meta)
        if listing:
            return listing
        types = set().union(*(node_types(node) for node in self.jsonld)) if self.jsonld else set()
        marked = bool(types & ARTICLE_TYPES) or (
            first_meta(self.meta, "og:type") or "").lower() in ("article", "news", "newsarticle")
        if not marked and types & LISTING_TYPES:
            return f"listing page ({', '.join(sorted(types & LISTING_TYPES))})"
        if not self.headline:
            return "no headline"
        paragraphs = [p for section in self.extracted_sections for p in section["paragraphs"]]
        if not paragraphs:
            return "no article body"
        if not marked and (sum(map(len, paragraphs)) < MIN_UNMARKED_BODY_CHARS
                           or len(paragraphs) < MIN_UNMARKED_PARAGRAPHS):
            return "no article markup and too little text"
        return None

    async def to_item(self) -> Article:
        reason = self.not_article_reason()
        if reason:
            raise NotAnArticle(reason)
        return await super().to_item()

    # --- fields -------------------------------------------------------------------------

    @field
    def url(self) -> str:
        return self.page_url

    @field(cached=True)
    def canonicalUrl(self) -> str:
        return metadata.canonical_url(self.root, self.page_url)

    @field
    def id(self) -> str:
        return article_id(self.canonicalUrl)

    @field
    def site(self) -> str:
        return site_of(self.canonicalUrl)

    @field(cached=True)
    def headline(self) -> str | None:
        return metadata.headline(self.root, self.article_node, self.meta, self.site_name,
                                 self.page_url)

    @field
    def description(self) -> str | None:
        return metadata.description(self.root, self.article_node, self.meta)

    @field
    def sections(self) -> list[dict]:
        return self.extracted_sections

    @field(cached=True)
    def articleBody(self) -> str:
        return sections_to_text(self.extracted_sections)

    @field
    def authors(self) -> list[Author]:
        found = metadata.authors(self.root, self.article_node, self.meta, self.base_url)
        return [Author(name=author["name"], url=author["url"]) for author in found]

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
        return metadata.in_language(self.root, self.article_node, self.meta)

    @field
    def mainImage(self) -> Image | None:
        image = metadata.main_image(self.article_node, self.meta, self.base_url)
        return Image(url=image["url"]) if image else None

    @field
    def breadcrumbs(self) -> list[Breadcrumb]:
        trail = metadata.breadcrumbs(self.root, self.jsonld, self.base_url, self.headline)
        return [Breadcrumb(name=crumb["name"], url=crumb["url"]) for crumb in trail]

    @field
    def tags(self) -> list[str]:
        return metadata.tags(self.root, self.article_node, self.meta)

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
        return extract_comment_form(self.root, self.base_url)

    @field(cached=True)
    def comments(self) -> list[dict]:
        return extract_comments(self.root, self.base_url)

    @field
    def commentCount(self) -> int | None:
        return extract_comment_count(self.root, self.jsonld, self.comments)

    @field
    def contentHash(self) -> str:
        return content_hash(self.headline, self.articleBody)

    @field
    def extractor(self) -> str:
        return self.extractor_name


def page_for(body: bytes, url: str, content_type: str | None = None) -> GenericArticlePage:
    """The page object a crawl would use for this URL (a site's own, else the generic)."""
    from gossipcrawl.pages.registry import page_class_for

    headers = {"Content-Type": content_type} if content_type else {}
    response = HttpResponse(url=url, body=body, headers=headers)
    return page_class_for(url)(response=response)


def extract_article(body: bytes, url: str, content_type: str | None = None) -> Article:
    """Extract the article item from a page's bytes, offline; raises NotAnArticle."""
    return _run(page_for(body, url, content_type).to_item())


_loop: asyncio.AbstractEventLoop | None = None


def _run(coroutine):
    # Field methods never really await, so one private loop serves every call cheaply.
    global _loop
    if _loop is None or _loop.is_closed():
        _loop = asyncio.new_event_loop()
    return _loop.run_until_complete(coroutine)

