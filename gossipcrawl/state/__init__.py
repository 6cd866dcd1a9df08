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

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from gossipcrawl.utils.fs import probe_directory

from gossipcrawl.state.base import (ArticleState, Sketch, StateBusy, StateError, StateStore,
                                    short_key)

__all__ = ["DEFAULT_STATE_PATH", "ArticleState", "Sketch", "StateBusy", "StateError",
           "StateStore", "check_state", "check_state_uri", "new_crawl_id", "open_state",
           "short_key", "state_exists"]

DEFAULT_STATE_PATH = ".gossipcrawl/state.sqlite3"
REDIS_SCHEMES = ("redis", "rediss", "unix")
# `name:` at the start of STATE: a URL scheme (one letter is a Windows drive, a path).
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


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
    return f"{site}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
