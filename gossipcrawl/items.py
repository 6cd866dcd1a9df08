"""The article item of CONTRACT.md, version 1.

`Article` extends zyte-common-items' `Article` (schema.org field names) with gossipcrawl's
own fields. `to_record()` turns it into the exact JSON object of the contract, with every
field present (null or empty when unknown) and in a stable order: that record, not the attrs
object, is what pipelines validate and feeds write.
"""

from __future__ import annotations

import hashlib

import attrs
from zyte_common_items import Article as ZyteArticle
from zyte_common_items import Author, Breadcrumb, Image

SCHEMA_VERSION = 1

__all__ = ["Article", "Author", "Breadcrumb", "Image", "SCHEMA_VERSION", "to_record",
           "article_id", "content_hash"]


@attrs.define(kw_only=True)
class Article(ZyteArticle):
    """A soap/entertainment news article. Nested values not modelled by zyte-common-items
    (sections, shows, the comment form, comments) are plain dicts shaped as the JSON Schema
    in `gossipcrawl/schemas/article.json` says."""

    schemaVersion: int = SCHEMA_VERSION
    id: str | None = None
    site: str | None = None
    sections: list[dict] = attrs.Factory(list)
    tags: list[str] = attrs.Factory(list)
    shows: list[dict] = attrs.Factory(list)
    commentForm: dict | None = None
    commentCount: int | None = None
    comments: list[dict] = attrs.Factory(list)
    revision: int = 1
    contentHash: str | None = None
    storyId: str | None = None
    extractor: str | None = None


def article_id(canonical_url: str) -> str:
    """The contract's stable id: hex SHA-1 of the canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()


def content_hash(headline: str | None, body: str | None) -> str:
    """Hash of what a reader would call the content: headline and body, whitespace and
    case folded so that re-rendering the same text is not a revision."""
    # str.split() splits on exactly what `\s+` matches, several times faster.
    normalized = " ".join(f"{headline or ''}\n{body or ''}".split()).casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:32]


def _people(values) -> list[dict]:
    return [{"name": value.name, "url": value.url} for value in values or () if value.name]


def to_record(article: Article, *, date_downloaded: str, crawl_id: str) -> dict:
    """The contract's JSON object for one article."""
    return {
        "schemaVersion": article.schemaVersion,
        "id": article.id,
        "url": article.url,
        "canonicalUrl": article.canonicalUrl,
        "site": article.site,
        "headline": article.headline,
        "description": article.description,
        "articleBody": article.articleBody,
        "sections": article.sections,
        "authors": _people(article.authors),
        "datePublished": article.datePublished,
        "datePublishedRaw": article.datePublishedRaw,
        "dateModified": article.dateModified,
        "dateModifiedRaw": article.dateModifiedRaw,
        "inLanguage": article.inLanguage,
        "mainImage": {"url": article.mainImage.url} if article.mainImage else None,
        "breadcrumbs": _people(article.breadcrumbs),
        "tags": list(article.tags),
        "shows": article.shows,
        "commentForm": article.commentForm,
        "commentCount": article.commentCount,
        "comments": article.comments,
        "revision": article.revision,
        "contentHash": article.contentHash,
        "storyId": article.storyId,
        "metadata": {
            "dateDownloaded": date_downloaded,
            "crawlId": crawl_id,
            "extractor": article.extractor,
        },
    }
