"""The embedded state: one SQLite file, compact binary keys, staged then committed.

Rows are 20-byte SHA-1 ids and 16-byte content hashes in a WITHOUT ROWID table, about 60
bytes an article on disk. A crawl's emissions go to `staged` under its crawl id as it runs
(so a paused or killed crawl keeps them), and move to `articles` in one transaction at
`commit()`; SQLite's journal makes that all-or-nothing.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from gossipcrawl.state import ArticleState, StateError

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id BLOB PRIMARY KEY, hash BLOB NOT NULL, revision INTEGER NOT NULL,
    updated INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged (
    crawl TEXT NOT NULL, id BLOB NOT NULL, hash BLOB NOT NULL, revision INTEGER NOT NULL,
    PRIMARY KEY (crawl, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lastmod (
    url BLOB PRIMARY KEY, lastmod TEXT NOT NULL) WITHOUT ROWID;
"""
# Staged rows are written in batches: fewer transactions, bounded memory.
STAGE_BATCH = 500


class SQLiteState:
    def __init__(self, path: str, crawl_id: str):
        self.path = Path(path)
        self.crawl_id = crawl_id
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StateError(f"cannot open state {path}: {exc}") from None
        self._pending: dict[bytes, tuple[bytes, int]] = {}

    def get(self, article_id: str) -> ArticleState | None:
        key = bytes.fromhex(article_id)
        pending = self._pending.get(key)
        if pending:
            return ArticleState(pending[0].hex(), pending[1])
        row = self.db.execute(
            "SELECT hash, revision FROM staged WHERE crawl = ? AND id = ?",
            (self.crawl_id, key)).fetchone() or self.db.execute(
            "SELECT hash, revision FROM articles WHERE id = ?", (key,)).fetchone()
        return ArticleState(row[0].hex(), row[1]) if row else None

    def stage(self, article_id: str, content_hash: str, revision: int) -> None:
        self._pending[bytes.fromhex(article_id)] = (bytes.fromhex(content_hash), revision)
        if len(self._pending) >= STAGE_BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        rows = [(self.crawl_id, key, value[0], value[1]) for key, value in self._pending.items()]
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO staged VALUES (?, ?, ?, ?)", rows)
        self._pending.clear()

    def commit(self) -> int:
        """Apply everything this crawl staged, atomically; returns the number of articles."""
        self._flush()
        with self._transaction():
            count = self.db.execute(
                "INSERT OR REPLACE INTO articles (id, hash, revision, updated) "
                "SELECT id, hash, revision, ? FROM staged WHERE crawl = ?",
                (int(time.time()), self.crawl_id)).rowcount
            self.db.execute("DELETE FROM staged WHERE crawl = ?", (self.crawl_id,))
        return count

    # --- incremental discovery: sitemap lastmod per URL ------------------------------------

    def lastmod(self, url_key: bytes) -> str | None:
        row = self.db.execute("SELECT lastmod FROM lastmod WHERE url = ?", (url_key,)).fetchone()
        return row[0] if row else None

    def set_lastmods(self, rows: list[tuple[bytes, str]]) -> None:
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO lastmod VALUES (?, ?)", rows)

    def _transaction(self):
        return _Transaction(self.db)

    def article_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def close(self) -> None:
        # Staged-but-uncommitted rows stay on disk for a resumed crawl of the same id.
        self._flush()
        self.db.close()


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False
