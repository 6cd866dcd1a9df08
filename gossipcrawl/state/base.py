"""What the state stores share: their errors, their row types, the interface they offer."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Protocol


class StateError(RuntimeError):
    """The state store cannot be opened, reached or written."""


class StateBusy(StateError):
    """Another live crawl of the same site is using the same state."""


@dataclass(frozen=True)
class ArticleState:
    content_hash: str
    revision: int


@dataclass(frozen=True)
class Sketch:
    """A recent article in the story index: its story and its b-bit MinHash signature."""

    article_id: str
    story_id: str
    signature: bytes


class StateStore(Protocol):
    # --- revisions -----------------------------------------------------------------------
    def get(self, article_id: str) -> ArticleState | None:
        """The committed state of an article, or what this crawl staged for it."""

    def seen(self, article_id: str) -> bool:
        """True when this crawl has already staged the article."""

    def first_with_hash(self, content_hash: str) -> str | None:
        """The id of the article this crawl staged with this content hash, if any."""

    def claim(self, article_id: str, content_hash: str, previous_revision: int) -> int | None:
        """The revision this crawl may emit for this content (`previous_revision` + 1 unless
        another crawl sharing the store claimed or committed a later one meanwhile), or None
        when another live crawl is emitting the very same content right now."""

    def stage(self, article_id: str, content_hash: str, revision: int) -> None: ...

    def flush(self) -> None:
        """Write every staged row to the store (before a feed is published)."""

    def commit(self) -> int:
        """Apply this crawl's staged rows, all or none; a revision never goes back."""

    def mark_publishing(self, temporary: str) -> None:
        """Record (durably, with this host and process) that this crawl's feed, complete in
        `temporary`, is about to be renamed into place; `commit()` clears it."""

    def discard_staged(self) -> int:
        """Forget what this crawl id staged before (a killed run whose feed is lost): a
        resumed job calls it, then stages again what its feed really holds."""

    def recover_published(self) -> tuple[int, int]:
        """For every crawl of this host whose process died while publishing: commit it if
        its temporary file was renamed away (its feed is out), else forget the record.
        Returns (committed, discarded)."""

    def lock_site(self, site: str) -> None:
        """Hold the site for this crawl until `close()`; `StateBusy` when another live crawl
        holds it."""

    def close(self) -> None: ...

    # --- incremental discovery: sitemap lastmod per canonical URL (key: `urls.url_key`) -
    def lastmod(self, url_key: bytes) -> str | None:
        """The sitemap lastmod recorded for this URL by an earlier, committed crawl."""

    def stage_lastmod(self, url_key: bytes, lastmod: str) -> None:
        """Record the lastmod of a page this crawl fetched, at `commit()`."""

    def set_lastmods(self, rows: list[tuple[bytes, str]]) -> None: ...

    # --- story index ---------------------------------------------------------------------
    def story_of(self, article_id: str) -> str | None:
        """The storyId an article was given when it was first emitted (within the story
        window, or forever when it joined another article's story)."""

    def story_candidates(self, band_keys: list[int]) -> list[Sketch]:
        """Recent articles sharing at least one LSH band key."""

    def add_sketch(self, article_id: str, story_id: str, band_keys: list[int],
                   signature: bytes) -> None: ...


def published(temporary: str) -> bool:
    """True when a feed being published through `temporary` reached its target: the file
    was renamed away. (Writers remove another's temporary file only when its process died
    before renaming it; a crawl of another state writing into the same directory between
    that death and the next crawl on this state is the one case left where the feed counts
    as published and is not.)"""
    return not os.path.exists(temporary)


def translate_errors(*backend_errors: type[BaseException]):
    """Class decorator for a store: its public methods raise `StateError` (with the backend's
    message) instead of the backend's own exceptions, so callers handle one kind."""
    def decorate(cls):
        for name, method in list(vars(cls).items()):
            if name.startswith("_") or not callable(method):
                continue
            setattr(cls, name, _translating(method, backend_errors))
        return cls
    return decorate


def _translating(method, backend_errors):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StateError:
            raise
        except backend_errors as exc:
            raise StateError(f"state store {self.describe()}: {exc}") from exc
    return call


def short_key(article_id: str) -> int:
    """The first 8 bytes of an article id as a signed 64-bit integer (an SQLite rowid)."""
    return int.from_bytes(bytes.fromhex(article_id[:16]), "big", signed=True)
