"""The dedupe/revision state: what was emitted before, under which content hash.

`open_state(uri)` picks the store: a filesystem path is an embedded SQLite database (the
default, `./.gossipcrawl/state.sqlite3`), a `redis://` URL the shared Redis store. Both
follow the same two-phase rule: a crawl *stages* what it emits and *commits* only after
its feed has been written, so a crash never marks an article as emitted that no file holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

DEFAULT_STATE_PATH = ".gossipcrawl/state.sqlite3"


class StateError(RuntimeError):
    """The state store cannot be opened or reached."""


@dataclass(frozen=True)
class ArticleState:
    content_hash: str
    revision: int


class StateStore(Protocol):
    def get(self, article_id: str) -> ArticleState | None: ...

    def stage(self, article_id: str, content_hash: str, revision: int) -> None: ...

    def commit(self) -> int: ...

    def close(self) -> None: ...


def open_state(uri: str | None, crawl_id: str) -> StateStore:
    uri = uri or DEFAULT_STATE_PATH
    if uri.startswith(("redis://", "rediss://", "unix://")):
        from gossipcrawl.state.redis_store import RedisState

        return RedisState(uri, crawl_id)
    from gossipcrawl.state.sqlite_store import SQLiteState

    return SQLiteState(uri.removeprefix("sqlite://"), crawl_id)
