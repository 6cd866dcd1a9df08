"""The article item and its JSON record: the contract of docs/contract.md, version 1.

`Article` is what a page object returns: zyte-common-items' `Article` (schema.org field
names) extended with gossipcrawl's own fields, whose nested values are the small attrs
classes below (`Section`, `ShowMention`, `CommentForm` with its `FormField`s, `Comment`).
Extractors may hand those fields plain dicts: the converters build the classes, so a dict
with a missing or an unknown key fails at extraction, where the bug is, rather than later as
an invalid record.

`ArticleRecord` is the contract's JSON object as a class: its fields, in their order, are
the record's keys, and `to_record()` is `attrs.asdict` of it, every field present (null or
empty when unknown). That record, not the `Article`, is what pipelines validate and feeds
write. The JSON Schema (`gossipcrawl/schemas/article.json`) is the checked form of the same
contract: tests/test_items.py fails when the classes and the schema disagree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeVar

import attrs
from zyte_common_items import Article as ZyteArticle
from zyte_common_items import Author, Breadcrumb, Image, Item

SCHEMA_VERSION = 1

__all__ = ["SCHEMA_VERSION", "Article", "ArticleRecord", "Author", "Breadcrumb", "Comment",
           "CommentForm", "FormField", "Image", "NamedLink", "Provider", "RecordMetadata",
           "Section", "ShowMention", "article_id", "content_hash", "to_record"]

# Who runs a comment form; "other" is a site's own form.
Provider = Literal["wordpress", "jetpack", "wpdiscuz", "disqus", "openweb", "facebook", "other"]

_Part = TypeVar("_Part", bound=Item)


def _build_all(cls: type[_Part], values: Iterable[_Part | Mapping[str, Any]]) -> list[_Part]:
    return [cls(**value) if isinstance(value, Mapping) else value for value in values]


# --- the nested parts of an article ------------------------------------------------------

@attrs.define(kw_only=True)
class Section(Item):
    """The body between two subheadings; the first section's heading is None."""

    heading: str | None
    paragraphs: list[str]


@attrs.define(kw_only=True)
class ShowMention(Item):
    """A TV show the article mentions, and how many times (see docs/shows.md)."""

    id: str
    """The show's stable slug in gossipcrawl/data/shows.toml, e.g. `general-hospital`."""
    name: str
    """The show's official title."""
    mentions: int


@attrs.define(kw_only=True)
class FormField(Item):
    """A visible input of a comment form, as a person sees it."""

    name: str | None
    type: str
    """`text`, `email`, `textarea`, `checkbox`, … (an input's type, or the tag's name)."""
    label: str | None
    required: bool


def _form_fields(values: Iterable[FormField | Mapping[str, Any]]) -> list[FormField]:
    return _build_all(FormField, values)


@attrs.define(kw_only=True)
class CommentForm(Item):
    """The article's comment form, described, never submitted."""

    provider: Provider
    action: str | None
    """Absolute URL the form posts to; None for script-loaded providers."""
    method: str | None
    title: str | None
    notes: list[str]
    fields: list[FormField] = attrs.field(converter=_form_fields)
    """Visible inputs in page order."""
    hiddenFields: dict[str, str | None]
    """Hidden inputs and honeypots by name, or a script-loaded provider's identifiers."""


@attrs.define(kw_only=True)
class Comment(Item):
    """A comment present in the page's HTML."""

    id: str | None
    author: str | None
    datePublished: str | None
    text: str
    parentId: str | None
    """The `id` of the comment this one replies to."""


def _sections(values: Iterable[Section | Mapping[str, Any]]) -> list[Section]:
    return _build_all(Section, values)


def _show_mentions(values: Iterable[ShowMention | Mapping[str, Any]]) -> list[ShowMention]:
    return _build_all(ShowMention, values)


def _comments(values: Iterable[Comment | Mapping[str, Any]]) -> list[Comment]:
    return _build_all(Comment, values)


def _comment_form(value: CommentForm | Mapping[str, Any] | None) -> CommentForm | None:
    return CommentForm(**value) if isinstance(value, Mapping) else value


# --- the item a page object returns ------------------------------------------------------

@attrs.define(kw_only=True)
class Article(ZyteArticle):
    """A soap/entertainment news article: zyte-common-items' fields plus ours."""

    schemaVersion: int = SCHEMA_VERSION
    id: str | None = None
    site: str | None = None
    sections: list[Section] = attrs.field(factory=list, converter=_sections)
    tags: list[str] = attrs.Factory(list)
    shows: list[ShowMention] = attrs.field(factory=list, converter=_show_mentions)
    commentForm: CommentForm | None = attrs.field(default=None, converter=_comment_form)
    commentCount: int | None = None
    comments: list[Comment] = attrs.field(factory=list, converter=_comments)
    # Set by the pipelines on the record; here so that every record field but `metadata`
    # is an attribute of the item.
    revision: int = 1
    contentHash: str | None = None
    storyId: str | None = None
    extractor: str | None = None


# --- the record: the contract's JSON object ----------------------------------------------

@attrs.define(kw_only=True)
class NamedLink:
    """An author or a breadcrumb in the record: a name and the page it links to."""

    name: str
    url: str | None


def _named_links(values: Iterable[Author | Breadcrumb] | None) -> list[NamedLink]:
    # zyte's Author also has email and nameRaw: the contract keeps name and URL only, and
    # a nameless entry is no author or breadcrumb at all.
    return [NamedLink(name=value.name, url=value.url) for value in values or () if value.name]


@attrs.define(kw_only=True)
class RecordMetadata:
    """How the record was made: when, by which crawl, with which page object."""

    dateDownloaded: str
    crawlId: str
    extractor: str | None


@attrs.define(kw_only=True)
class ArticleRecord:
    """One line of a JSONL export. The fields' order is the record's key order."""

    schemaVersion: int
    id: str
    url: str
    canonicalUrl: str
    site: str
    headline: str
    description: str | None
    articleBody: str
    sections: list[Section]
    authors: list[NamedLink] = attrs.field(converter=_named_links)
    datePublished: str | None
    datePublishedRaw: str | None
    dateModified: str | None
    dateModifiedRaw: str | None
    inLanguage: str | None
    mainImage: Image | None
    breadcrumbs: list[NamedLink] = attrs.field(converter=_named_links)
    tags: list[str]
    shows: list[ShowMention]
    commentForm: CommentForm | None
    commentCount: int | None
    comments: list[Comment]
    revision: int
    contentHash: str
    storyId: str | None
    metadata: RecordMetadata

    @classmethod
    def of(cls, article: Article, *, date_downloaded: str, crawl_id: str) -> ArticleRecord:
        """The record of `article`: each field is the item's attribute of the same name,
        except `metadata`, which says how the item was obtained."""
        copied = {field.name: getattr(article, field.name)
                  for field in attrs.fields(ArticleRecord) if field.name != "metadata"}
        metadata = RecordMetadata(dateDownloaded=date_downloaded, crawlId=crawl_id,
                                  extractor=article.extractor)
        return cls(**copied, metadata=metadata)


def to_record(article: Article, *, date_downloaded: str, crawl_id: str) -> dict[str, Any]:
    """The contract's JSON object for one article."""
    return attrs.asdict(ArticleRecord.of(article, date_downloaded=date_downloaded,
                                         crawl_id=crawl_id))


# --- identities ----------------------------------------------------------------------------

def article_id(canonical_url: str) -> str:
    """The contract's stable id: hex SHA-1 of the canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()


def content_hash(headline: str | None, body: str | None) -> str:
    """Hash of what a reader would call the content: headline and body, whitespace and
    case folded so that re-rendering the same text is not a revision."""
    # str.split() splits on exactly what `\s+` matches, several times faster.
    normalized = " ".join(f"{headline or ''}\n{body or ''}".split()).casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:32]
