"""The dedupe/revision state: what was emitted before, under which content hash.

`open_state(uri)` picks the store: a filesystem path is an embedded SQLite database (the
default, `./.gossipcrawl/state.sqlite3`), a `redis://` URL the shared Redis store. Both
follow the same two-phase rule: a crawl *stages* what it emits and *commits* only after
its feed has been written, so a crash never marks an article as emitted that no file holds.

Beside the revisions, a store keeps the story index (`gossipcrawl.pipelines.story`): a
compact MinHash sketch and LSH band keys per recent article, and the story of every article
that joined another article's story. The story index is written as the crawl goes (it is
an index, not a record of emission: a crashed crawl's sketches only make the same articles
join the same stories when they are emitted again). See docs/state.md.
"""

from __future__ import annotations

import functools
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit

from gossipcrawl.utils.fs import probe_directory

DEFAULT_STATE_PATH = ".gossipcrawl/state.sqlite3"
REDIS_SCHEMES = ("redis", "rediss", "unix")
# `name:` at the start of STATE: a URL scheme (one letter is a Windows drive, a path).
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


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


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


def check_state_uri(uri: str) -> str:
    """Which store STATE names, "sqlite" or "redis"; `StateError` for a STATE that names
    neither a file nor a Redis server in a form the stores read, before anything is
    created: `redis:/x` or `postgres://x/y` would otherwise become a local SQLite file or
    directory of that name, and `redis://host/abc` would silently use database 0."""
    if not uri.strip():
        raise StateError("STATE is empty")
    scheme = _SCHEME.match(uri)
    if scheme is None:
        return "sqlite"  # a filesystem path
    name = scheme.group(1).lower()
    if name not in (*REDIS_SCHEMES, "sqlite"):
        raise StateError(f"STATE {uri!r}: unknown scheme {name}:, use a SQLite file path or "
                         "a redis://, rediss:// or unix:// URL (write ./NAME for a file "
                         "whose name has a colon)")
    if not uri[len(name) + 1:].startswith("//"):
        raise StateError(f"STATE {uri!r} is not a {name}:// URL")
    if name == "sqlite":
        if not uri[len("sqlite://"):]:
            raise StateError(f"STATE {uri!r} names no file")
        return "sqlite"
    parts = urlsplit(uri)
    try:
        _port = parts.port   # urlsplit checks the port when asked for it
    except ValueError:
        raise StateError(f"STATE {uri!r}: the port is not a number") from None
    databases = [value for key, value in parse_qsl(parts.query) if key == "db"]
    if name != "unix" and parts.path.strip("/"):
        databases.append(parts.path.strip("/"))
    example = "unix:///path/to/redis.sock?db=0" if name == "unix" else f"{name}://host:port/0"
    for database in databases:
        if not database.isdigit():
            raise StateError(f"STATE {uri!r}: the Redis database must be a number "
                             f"({example}), not {database!r}")
    return "redis"


def open_state(uri: str | None, crawl_id: str, **options) -> StateStore:
    """Open the store named by `--state`. Options: `story_window_days` (how long sketches
    of an article stay in the story index)."""
    uri = uri or DEFAULT_STATE_PATH
    if check_state_uri(uri) == "redis":
        from gossipcrawl.state.redis_store import RedisState

        return RedisState(uri, crawl_id, **options)
    from gossipcrawl.state.sqlite_store import SQLiteState

    return SQLiteState(_sqlite_path(uri), crawl_id, **options)


def check_state(uri: str | None) -> None:
    """Raise `StateError` when the store STATE names cannot be used, leaving nothing behind:
    a command that is refused afterwards (a bad job directory, a busy one) must not have
    created `.gossipcrawl/` or a state file. An existing SQLite file and a Redis server are
    opened and closed; for a SQLite file that does not exist yet, its directory is probed
    (missing directories and a file created, then removed)."""
    uri = uri or DEFAULT_STATE_PATH
    if check_state_uri(uri) == "redis" or Path(_sqlite_path(uri)).exists():
        open_state(uri, "check").close()
        return
    path = Path(_sqlite_path(uri))
    try:
        probe_directory(path.absolute().parent)
    except OSError as exc:
        raise StateError(f"cannot open state {uri}: {exc.strerror or exc}") from None


def state_exists(uri: str | None) -> bool:
    """True when STATE names a Redis server or a SQLite file that exists already."""
    uri = uri or DEFAULT_STATE_PATH
    return check_state_uri(uri) == "redis" or Path(_sqlite_path(uri)).exists()


def _sqlite_path(uri: str) -> str:
    return re.sub(r"^sqlite://", "", uri, flags=re.IGNORECASE)


def new_crawl_id(site: str) -> str:
    """A crawl's id: what its staged rows are filed under and what its items carry in
    `metadata.crawlId` (site, UTC start time, a random suffix)."""
    return f"{site}-{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def short_key(article_id: str) -> int:
    """The first 8 bytes of an article id as a signed 64-bit integer (an SQLite rowid)."""
    return int.from_bytes(bytes.fromhex(article_id[:16]), "big", signed=True)
