"""The embedded state: one SQLite file, compact binary keys, staged then committed.

Rows are 20-byte SHA-1 ids and 16-byte content hashes in a WITHOUT ROWID table, about 60
bytes an article on disk. A crawl's emissions go to `staged` under its crawl id as it runs
(so a paused or killed crawl keeps them), and move to `articles` in one transaction at
`commit()`; SQLite's journal makes that all-or-nothing.

The story index (`sketches`, `bands`, `stories`) is written in batches as the crawl goes;
sketches older than the story window are pruned at commit, at most once a day. Memory stays
flat: the process holds at most one batch (`STAGE_BATCH`) of rows, everything else is in
the file and SQLite's bounded page cache.
"""

from __future__ import annotations

import fcntl
import os
import socket
import sqlite3
import time
from typing import TextIO
from pathlib import Path

from gossipcrawl.state.base import (ArticleState, Sketch, StateBusy, StateError, published,
                                    short_key, translate_errors)
from gossipcrawl.utils.fs import process_alive

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id BLOB PRIMARY KEY, hash BLOB NOT NULL, revision INTEGER NOT NULL,
    updated INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged (
    crawl TEXT NOT NULL, id BLOB NOT NULL, hash BLOB NOT NULL, revision INTEGER NOT NULL,
    PRIMARY KEY (crawl, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS staged_by_hash ON staged (crawl, hash);
CREATE TABLE IF NOT EXISTS lastmod (
    url BLOB PRIMARY KEY, lastmod TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged_lastmod (
    crawl TEXT NOT NULL, url BLOB NOT NULL, lastmod TEXT NOT NULL,
    PRIMARY KEY (crawl, url)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stories (
    id BLOB PRIMARY KEY, story BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sketches (
    short INTEGER PRIMARY KEY, id BLOB NOT NULL, story BLOB, day INTEGER NOT NULL,
    signature BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS bands (
    band INTEGER NOT NULL, short INTEGER NOT NULL, PRIMARY KEY (band, short)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS publishing (
    crawl TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL,
    temporary TEXT NOT NULL) WITHOUT ROWID;
"""
# Staged rows are written in batches: fewer transactions, bounded memory.
STAGE_BATCH = 500
DEFAULT_STORY_WINDOW_DAYS = 30
# Candidates checked per article at most: a crowded LSH bucket must not slow a crawl down.
MAX_CANDIDATES = 256


def _today() -> int:
    return int(time.time() // 86400)


@translate_errors(sqlite3.Error, OSError)
class SQLiteState:
    def __init__(self, path: str, crawl_id: str, *,
                 story_window_days: int = DEFAULT_STORY_WINDOW_DAYS, claim_ttl: int = 0,
                 lease: float = 0):
        # claim_ttl, lease: only the shared (Redis) store needs them (see redis_store).
        self.path = Path(path)
        self.crawl_id = crawl_id
        self.story_window_days = story_window_days
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StateError(f"cannot open state {path}: {exc}") from None
        self._pending: dict[bytes, tuple[bytes, int]] = {}
        self._pending_hashes: dict[bytes, bytes] = {}
        self._pending_lastmods: dict[bytes, str] = {}
        # Story index rows not yet written: sketches by short key, band key -> shorts.
        self._sketches: dict[int, tuple[bytes, bytes | None, bytes]] = {}
        self._bands: dict[int, list[int]] = {}
        self._stories: dict[bytes, bytes] = {}
        self._site_lock: TextIO | None = None

    def describe(self) -> str:
        return str(self.path)

    # --- revisions -----------------------------------------------------------------------

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

    def seen(self, article_id: str) -> bool:
        key = bytes.fromhex(article_id)
        return key in self._pending or self.db.execute(
            "SELECT 1 FROM staged WHERE crawl = ? AND id = ?",
            (self.crawl_id, key)).fetchone() is not None

    def first_with_hash(self, content_hash: str) -> str | None:
        digest = bytes.fromhex(content_hash)
        key = self._pending_hashes.get(digest)
        if key is None:
            row = self.db.execute("SELECT id FROM staged WHERE crawl = ? AND hash = ? LIMIT 1",
                                  (self.crawl_id, digest)).fetchone()
            key = row[0] if row else None
        return key.hex() if key is not None else None

    def claim(self, article_id: str, content_hash: str, previous_revision: int) -> int | None:
        # One SQLite file is one machine's state and one crawl holds a site at a time
        # (`lock_site`); `commit` never moves a revision back if two sites share an article.
        return previous_revision + 1

    def stage(self, article_id: str, content_hash: str, revision: int) -> None:
        key, digest = bytes.fromhex(article_id), bytes.fromhex(content_hash)
        self._pending[key] = (digest, revision)
        self._pending_hashes.setdefault(digest, key)
        if len(self._pending) >= STAGE_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._pending and not self._pending_lastmods:
            return
        rows = [(self.crawl_id, key, value[0], value[1]) for key, value in self._pending.items()]
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO staged VALUES (?, ?, ?, ?)", rows)
            self.db.executemany("INSERT OR REPLACE INTO staged_lastmod VALUES (?, ?, ?)",
                                [(self.crawl_id, url, lastmod)
                                 for url, lastmod in self._pending_lastmods.items()])
        self._pending.clear()
        self._pending_hashes.clear()
        self._pending_lastmods.clear()

    def commit(self) -> int:
        """Apply everything this crawl staged, atomically; returns the number of articles.
        A row never replaces a later revision (another crawl sharing the article)."""
        self.flush()
        self._flush_stories()
        with self._transaction():
            count = self._commit_crawl(self.crawl_id)
        self._prune_story_index()
        return count

    def _commit_crawl(self, crawl_id: str) -> int:
        count = self.db.execute(
            "INSERT INTO articles (id, hash, revision, updated) "
            "SELECT id, hash, revision, ? FROM staged WHERE crawl = ? "
            "ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, "
            "revision = excluded.revision, updated = excluded.updated "
            "WHERE excluded.revision >= articles.revision",
            (int(time.time()), crawl_id)).rowcount
        self.db.execute("DELETE FROM staged WHERE crawl = ?", (crawl_id,))
        self.db.execute("INSERT OR REPLACE INTO lastmod (url, lastmod) "
                        "SELECT url, lastmod FROM staged_lastmod WHERE crawl = ?", (crawl_id,))
        self.db.execute("DELETE FROM staged_lastmod WHERE crawl = ?", (crawl_id,))
        self.db.execute("DELETE FROM publishing WHERE crawl = ?", (crawl_id,))
        return count

    # --- a feed renamed into place, its commit not done yet (see gossipcrawl.state) -------

    def mark_publishing(self, temporary: str) -> None:
        self.flush()
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO publishing VALUES (?, ?, ?, ?)",
                            (self.crawl_id, socket.gethostname(), os.getpid(), temporary))

    def recover_published(self) -> tuple[int, int]:
        host = socket.gethostname()
        committed = discarded = 0
        for crawl, pid, temporary in self.db.execute(
                "SELECT crawl, pid, temporary FROM publishing WHERE host = ?",
                (host,)).fetchall():
            if crawl == self.crawl_id or process_alive(pid):
                continue
            with self._transaction():
                if published(temporary):
                    self._commit_crawl(crawl)
                    committed += 1
                else:
                    self.db.execute("DELETE FROM publishing WHERE crawl = ?", (crawl,))
                    discarded += 1
        return committed, discarded

    def discard_staged(self) -> int:
        """Forget what this crawl id staged before (a killed run whose feed is lost): a
        resumed job calls it, then stages again what its feed really holds."""
        self._pending.clear()
        self._pending_hashes.clear()
        self._pending_lastmods.clear()
        with self._transaction():
            count = self.db.execute("DELETE FROM staged WHERE crawl = ?",
                                    (self.crawl_id,)).rowcount
            self.db.execute("DELETE FROM staged_lastmod WHERE crawl = ?", (self.crawl_id,))
        return count

    # --- story index ---------------------------------------------------------------------

    def story_of(self, article_id: str) -> str | None:
        key = bytes.fromhex(article_id)
        story = self._stories.get(key)
        if story is None:
            row = self.db.execute("SELECT story FROM stories WHERE id = ?", (key,)).fetchone()
            story = row[0] if row else None
        if story is not None:
            return story.hex()
        short = short_key(article_id)
        sketch = self._sketches.get(short)
        if sketch is None:
            row = self.db.execute("SELECT id, story FROM sketches WHERE short = ?",
                                  (short,)).fetchone()
            sketch = (row[0], row[1], b"") if row else None
        if sketch is not None and sketch[0] == key:
            return (sketch[1] or sketch[0]).hex()
        return None

    def story_candidates(self, band_keys: list[int]) -> list[Sketch]:
        shorts: set[int] = set()
        for band in band_keys:
            shorts.update(self._bands.get(band, ()))
        marks = ",".join("?" * len(band_keys))
        shorts.update(row[0] for row in self.db.execute(
            f"SELECT short FROM bands WHERE band IN ({marks}) LIMIT ?",
            (*band_keys, MAX_CANDIDATES)))
        candidates = []
        missing = []
        for short in shorts:
            sketch = self._sketches.get(short)
            if sketch is None:
                missing.append(short)
            else:
                candidates.append(_sketch(*sketch))
        if missing:
            marks = ",".join("?" * len(missing))
            candidates.extend(_sketch(*row) for row in self.db.execute(
                f"SELECT id, story, signature FROM sketches WHERE short IN ({marks})", missing))
        return candidates

    def add_sketch(self, article_id: str, story_id: str, band_keys: list[int],
                   signature: bytes) -> None:
        key, story = bytes.fromhex(article_id), bytes.fromhex(story_id)
        short = short_key(article_id)
        # The story column is null for the first article of a story (its own id).
        self._sketches[short] = (key, None if story == key else story, signature)
        for band in band_keys:
            self._bands.setdefault(band, []).append(short)
        if story != key:
            self._stories[key] = story
        if len(self._sketches) >= STAGE_BATCH:
            self._flush_stories()

    def _flush_stories(self) -> None:
        if not self._sketches:
            return
        day = _today()
        with self._transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO sketches VALUES (?, ?, ?, ?, ?)",
                [(short, key, story, day, signature)
                 for short, (key, story, signature) in self._sketches.items()])
            self.db.executemany(
                "INSERT OR IGNORE INTO bands VALUES (?, ?)",
                [(band, short) for band, shorts in self._bands.items() for short in shorts])
            self.db.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?)",
                                list(self._stories.items()))
        self._sketches.clear()
        self._bands.clear()
        self._stories.clear()

    def _prune_story_index(self) -> None:
        """Forget sketches older than the story window (once a day at most)."""
        today = _today()
        row = self.db.execute("SELECT value FROM meta WHERE name = 'pruned'").fetchone()
        if row and row[0] >= today:
            return
        cutoff = today - self.story_window_days
        with self._transaction():
            self.db.execute("DELETE FROM bands WHERE short IN "
                            "(SELECT short FROM sketches WHERE day < ?)", (cutoff,))
            self.db.execute("DELETE FROM sketches WHERE day < ?", (cutoff,))
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('pruned', ?)", (today,))

    # --- incremental discovery: sitemap lastmod per URL ------------------------------------

    def lastmod(self, url_key: bytes) -> str | None:
        row = self.db.execute("SELECT lastmod FROM lastmod WHERE url = ?", (url_key,)).fetchone()
        return row[0] if row else None

    def stage_lastmod(self, url_key: bytes, lastmod: str) -> None:
        """Record a fetched page's sitemap lastmod at `commit()`, not before: a crawl whose
        feed was not stored fetches the page again next time. Staged like the articles
        (batched into `staged_lastmod`), moved in the commit's transaction."""
        self._pending_lastmods[url_key] = lastmod
        if len(self._pending_lastmods) >= STAGE_BATCH:
            self.flush()

    def set_lastmods(self, rows: list[tuple[bytes, str]]) -> None:
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO lastmod VALUES (?, ?)", rows)

    def _transaction(self):
        return _Transaction(self.db)

    def article_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def lock_site(self, site: str) -> None:
        """An exclusive `flock` on `<state>.locks/<site>.lock`, held until `close()` (the
        kernel lets go of it when the process dies, however it dies)."""
        directory = Path(f"{self.path}.locks")
        directory.mkdir(exist_ok=True)
        handle = open(directory / f"{_file_safe(site)}.lock", "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StateBusy(f"{site} is being crawled on state {self.path} by {holder}") \
                from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}, crawl {self.crawl_id}\n")
        handle.flush()
        self._site_lock = handle

    def close(self) -> None:
        # Staged-but-uncommitted rows stay on disk for a resumed crawl of the same id.
        try:
            self.flush()
            self._flush_stories()
            self.db.close()
        finally:
            if self._site_lock is not None:
                self._site_lock.close()   # releases the flock
                self._site_lock = None


def _file_safe(name: str) -> str:
    return "".join(char if char.isalnum() or char in "-_." else "_" for char in name) or "site"


def _sketch(key: bytes, story: bytes | None, signature: bytes) -> Sketch:
    return Sketch(key.hex(), (story or key).hex(), signature)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False
