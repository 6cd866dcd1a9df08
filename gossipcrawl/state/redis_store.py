"""The shared state: one Redis that several crawlers (Scrapyd nodes) use at once.

Same rules as the SQLite store: a crawl stages what it emits under its crawl id and
commits after its feed is stored; the commit is one Lua script, so Redis applies it whole
or not at all and no other client sees half of it. Values are raw bytes: a 20-byte id, a
16-byte content hash and a 4-byte revision. Keys (`<p>` is the prefix, `gossipcrawl` unless
the URL has `?prefix=NAME`):

  <p>:articles              HASH  id(20) -> hash(16) + revision(4, big-endian)
  <p>:staged:<crawl>        HASH  same, this crawl's emissions until commit
  <p>:staged-hash:<crawl>   HASH  hash(16) -> id(20): republished copies within the crawl
  <p>:claim:<id(20)>        STRING crawl + NUL + hash(16) + revision(4), with a lease
                            (claim_ttl): the revision a crawler is emitting right now
  <p>:live:<crawl>          STRING, expires unless renewed: the crawl is alive
  <p>:lock:<site>           STRING "pid P on HOST, crawl C", expires unless renewed: the
                            crawl that holds the site
  <p>:lastmod               HASH  url key(20) -> sitemap lastmod (incremental discovery)
  <p>:staged-lastmod:<crawl> HASH same, this crawl's, until commit
  <p>:stories               HASH  id(20) -> story id(20), for articles that joined a story
  <p>:sketch:<short(8)>     STRING id(20) + flag(1) [+ story(20)] + signature, expires
                            after the story window
  <p>:band:<band(8)>        SET of short(8) keys: the LSH buckets, expire with the window

One crawl holds a site at a time (`lock_site`); its lock and its `live` key are renewed by a
background thread and expire `GOSSIPCRAWL_STATE_LEASE` seconds after the crawl stops renewing
them (a lock held by a dead process of this very host is taken over at once, and that
crawl's claims count for nothing from then on).

The claim is what lets crawlers of different sites that meet the same article share one
state: a compare-and-set script hands out revisions, so no two crawlers emit the same one.
A crawler meeting content another live crawler is emitting drops it as
`in_flight_elsewhere`; otherwise it gets one more than the highest revision committed or
claimed by a live crawler. A claim is released at commit; the claim of a crawl whose `live`
key expired counts for nothing. A commit never moves an article back to an older revision.
"""

from __future__ import annotations

import os
import socket
import struct
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from gossipcrawl.state.base import (ArticleState, Sketch, StateBusy, StateError, published,
                                    short_key, translate_errors)
from gossipcrawl.utils.fs import process_alive

if TYPE_CHECKING:
    from redis.typing import EncodableT, FieldT

STAGE_BATCH = 500
DEFAULT_STORY_WINDOW_DAYS = 30
DEFAULT_CLAIM_TTL = 24 * 3600
MAX_BUCKET_SAMPLE = 32
_REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                 redis.exceptions.AuthenticationError, redis.exceptions.ResponseError)
# A Redis restart or a network blip: calls are retried with backoff for about half a minute
# before the crawl gives up on the state (and then delivers nothing).
RETRIES = 8
DEFAULT_LEASE = 60.0

# KEYS: staged, articles, staged-hash, staged-lastmod, lastmod, publishing. ARGV: claim
# prefix, crawl id.
COMMIT_SCRIPT = """
local staged, articles, stagedhash = KEYS[1], KEYS[2], KEYS[3]
redis.call('HDEL', KEYS[6], ARGV[2])
local lastmods = redis.call('HGETALL', KEYS[4])
for i = 1, #lastmods, 2 do
  redis.call('HSET', KEYS[5], lastmods[i], lastmods[i + 1])
end
redis.call('DEL', KEYS[4])
local owner = ARGV[2] .. '\\0'
local entries = redis.call('HGETALL', staged)
local count = 0
for i = 1, #entries, 2 do
  local id, value = entries[i], entries[i + 1]
  local committed = redis.call('HGET', articles, id)
  if not committed or struct.unpack('>I4', value, 17) >= struct.unpack('>I4', committed, 17) then
    redis.call('HSET', articles, id, value)
    count = count + 1
  end
  local claim = ARGV[1] .. id
  local holder = redis.call('GET', claim)
  if holder and string.sub(holder, 1, #owner) == owner then
    redis.call('DEL', claim)
  end
end
redis.call('DEL', staged, stagedhash)
return count
"""

# KEYS: claim key, articles. ARGV: crawl id, hash(16), previous revision, ttl, live prefix,
# article id(20). Returns the revision to emit, 0 when this content is already committed,
# -1 when another live crawl is emitting it.
CLAIM_SCRIPT = """
local base = tonumber(ARGV[3])
local committed = redis.call('HGET', KEYS[2], ARGV[6])
if committed then
  if string.sub(committed, 1, 16) == ARGV[2] then return 0 end
  local revision = struct.unpack('>I4', committed, 17)
  if revision > base then base = revision end
end
local holder = redis.call('GET', KEYS[1])
if holder then
  local sep = string.find(holder, '\\0', 1, true)
  local crawl = string.sub(holder, 1, sep - 1)
  local digest = string.sub(holder, sep + 1, sep + 16)
  local revision = struct.unpack('>I4', holder, sep + 17)
  if crawl == ARGV[1] then
    if digest == ARGV[2] then return revision end
  elseif redis.call('EXISTS', ARGV[5] .. crawl) == 1 then
    if digest == ARGV[2] then return -1 end
    if revision > base then base = revision end
  end
end
local revision = base + 1
redis.call('SET', KEYS[1], ARGV[1] .. '\\0' .. ARGV[2] .. struct.pack('>I4', revision),
           'EX', ARGV[4])
return revision
"""

# KEYS: lock. ARGV: holder, lease ms, holder seen before (or ''). Takes a free lock, keeps our
# own, or takes over the one seen before (a dead process of this host); returns the holder.
LOCK_SCRIPT = """
local holder = redis.call('GET', KEYS[1])
if not holder or holder == ARGV[1] or (ARGV[3] ~= '' and holder == ARGV[3]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return holder
"""

# KEYS: lock. ARGV: holder. Deletes the lock if it is still ours.
UNLOCK_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _raw(reply: bytes | str | None) -> bytes | None:
    """A reply of this store's client as bytes (it never decodes responses; redis-py's
    types allow for clients that do)."""
    return reply.encode() if isinstance(reply, str) else reply


def _fields(mapping: Mapping[bytes, bytes] | Mapping[bytes, str]) -> Mapping[FieldT, EncodableT]:
    """A hash's fields for `hset(mapping=...)`: redis-py's Mapping is invariant in its key
    type, so a dict of bytes does not fit it as it is."""
    return cast("Mapping[FieldT, EncodableT]", mapping)


def _pack(content_hash: bytes, revision: int) -> bytes:
    return content_hash + struct.pack(">I", revision)


def _unpack(value: bytes) -> ArticleState:
    return ArticleState(value[:16].hex(), struct.unpack(">I", value[16:20])[0])


def _redacted(uri: str) -> str:
    parts = urlsplit(uri)
    if parts.password:
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = f"{parts.username}:***@" if parts.username else ":***@"
        return urlunsplit(parts._replace(netloc=user + netloc))
    return uri


@translate_errors(*_REDIS_ERRORS)
class RedisState:
    def __init__(self, uri: str, crawl_id: str, *,
                 story_window_days: int = DEFAULT_STORY_WINDOW_DAYS,
                 claim_ttl: int = DEFAULT_CLAIM_TTL, lease: float = DEFAULT_LEASE):
        parts = urlsplit(uri)
        query = dict(parse_qsl(parts.query))
        prefix = query.pop("prefix", "gossipcrawl")
        connect_uri = urlunsplit(parts._replace(query=urlencode(query)))
        self.crawl_id = crawl_id
        self.claim_ttl = claim_ttl
        # The site lock and the crawl's `live` key: gone `lease` seconds after the last
        # renewal, renewed every sixth of it.
        self.lease_ms = max(1, int(lease * 1000))
        self.window_seconds = max(1, int(story_window_days * 86400))
        try:
            self.client = redis.Redis.from_url(
                connect_uri, socket_connect_timeout=5, socket_timeout=30,
                retry=Retry(NoBackoff(), 0),
                retry_on_error=[redis.exceptions.ConnectionError,
                                redis.exceptions.TimeoutError])
            self.client.ping()   # an unreachable store is one quick, clear error
            self.client.set_retry(Retry(ExponentialBackoff(cap=8.0, base=0.25), RETRIES))
        except (*_REDIS_ERRORS, ValueError) as exc:
            raise StateError(f"cannot reach the state store {_redacted(uri)}: {exc}") from None
        p = prefix.encode()
        crawl = crawl_id.encode()
        self.k_articles = p + b":articles"
        self.k_staged = p + b":staged:" + crawl
        self.k_staged_hash = p + b":staged-hash:" + crawl
        self.k_claim = p + b":claim:"
        self.k_lastmod = p + b":lastmod"
        self.k_staged_lastmod = p + b":staged-lastmod:" + crawl
        self.k_stories = p + b":stories"
        self.k_sketch = p + b":sketch:"
        self.k_band = p + b":band:"
        self.k_live = p + b":live:"
        self.k_lock = p + b":lock:"
        self.k_publishing = p + b":publishing"
        self.prefix = p
        self.uri = _redacted(uri)
        self._commit = self.client.register_script(COMMIT_SCRIPT)
        self._claim = self.client.register_script(CLAIM_SCRIPT)
        self._lock = self.client.register_script(LOCK_SCRIPT)
        self._unlock = self.client.register_script(UNLOCK_SCRIPT)
        self._held_lock: tuple[bytes, bytes] | None = None   # (key, holder)
        self._heartbeat: threading.Thread | None = None
        self._stop_heartbeat = threading.Event()
        # The crawl is alive from now on (claims of dead crawls count for nothing).
        self.client.set(self.k_live + crawl, b"1", px=self.lease_ms)
        self._pending: dict[bytes, bytes] = {}
        self._pending_hashes: dict[bytes, bytes] = {}
        self._pending_lastmods: dict[bytes, str] = {}

    # --- revisions -----------------------------------------------------------------------

    def get(self, article_id: str) -> ArticleState | None:
        key = bytes.fromhex(article_id)
        value = self._pending.get(key)
        if value is None:
            pipe = self.client.pipeline(transaction=False)
            pipe.hget(self.k_staged, key)
            pipe.hget(self.k_articles, key)
            staged, committed = pipe.execute()
            value = staged or committed
        return _unpack(value) if value else None

    def seen(self, article_id: str) -> bool:
        key = bytes.fromhex(article_id)
        return key in self._pending or bool(self.client.hexists(self.k_staged, key))

    def first_with_hash(self, content_hash: str) -> str | None:
        digest = bytes.fromhex(content_hash)
        key = self._pending_hashes.get(digest) or _raw(self.client.hget(self.k_staged_hash,
                                                                         digest))
        return key.hex() if key else None

    def describe(self) -> str:
        return self.uri

    def claim(self, article_id: str, content_hash: str, previous_revision: int) -> int | None:
        key = bytes.fromhex(article_id)
        revision = int(self._claim(
            keys=[self.k_claim + key, self.k_articles],
            args=[self.crawl_id.encode(), bytes.fromhex(content_hash), previous_revision,
                  self.claim_ttl, self.k_live, key]))
        if revision < 0:
            return None
        return revision

    def stage(self, article_id: str, content_hash: str, revision: int) -> None:
        key, digest = bytes.fromhex(article_id), bytes.fromhex(content_hash)
        self._pending[key] = _pack(digest, revision)
        self._pending_hashes.setdefault(digest, key)
        if len(self._pending) >= STAGE_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._pending and not self._pending_lastmods:
            return
        pipe = self.client.pipeline(transaction=True)
        if self._pending:
            pipe.hset(self.k_staged, mapping=_fields(self._pending))
        for digest, key in self._pending_hashes.items():
            pipe.hsetnx(self.k_staged_hash, digest, key)
        if self._pending_lastmods:
            pipe.hset(self.k_staged_lastmod, mapping=_fields(self._pending_lastmods))
        pipe.execute()
        self._pending.clear()
        self._pending_hashes.clear()
        self._pending_lastmods.clear()

    def commit(self) -> int:
        """Apply everything this crawl staged in one Lua script; returns the count."""
        self.flush()
        return self._commit_crawl(self.crawl_id.encode())

    def _commit_crawl(self, crawl: bytes) -> int:
        p = self.prefix
        return int(self._commit(keys=[p + b":staged:" + crawl, self.k_articles,
                                      p + b":staged-hash:" + crawl,
                                      p + b":staged-lastmod:" + crawl, self.k_lastmod,
                                      self.k_publishing],
                                args=[self.k_claim, crawl]))

    # --- a feed renamed into place, its commit not done yet (see gossipcrawl.state) -------

    def mark_publishing(self, temporary: str) -> None:
        self.flush()
        record = f"{socket.gethostname()}\0{os.getpid()}\0{temporary}".encode()
        self.client.hset(self.k_publishing, self.crawl_id.encode(), record)

    def recover_published(self) -> tuple[int, int]:
        host = socket.gethostname()
        committed = discarded = 0
        for field, value in self.client.hgetall(self.k_publishing).items():
            crawl, record = _raw(field) or b"", _raw(value) or b""
            try:
                where, pid_text, temporary = record.decode().split("\0", 2)
                pid = int(pid_text)
            except ValueError:
                continue
            if where != host or crawl == self.crawl_id.encode() or process_alive(pid):
                continue
            if published(temporary):
                self._commit_crawl(crawl)
                committed += 1
            else:
                self.client.hdel(self.k_publishing, crawl)
                discarded += 1
        return committed, discarded

    # --- incremental discovery: sitemap lastmod per URL ------------------------------------

    def lastmod(self, url_key: bytes) -> str | None:
        """The lastmod recorded by an earlier, committed crawl."""
        raw = _raw(self.client.hget(self.k_lastmod, url_key))
        return raw.decode() if raw else None

    def set_lastmods(self, rows: list[tuple[bytes, str]]) -> None:
        if rows:
            self.client.hset(self.k_lastmod, mapping=_fields(dict(rows)))

    def stage_lastmod(self, url_key: bytes, lastmod: str) -> None:
        self._pending_lastmods[url_key] = lastmod
        if len(self._pending_lastmods) >= STAGE_BATCH:
            self.flush()

    def discard_staged(self) -> int:
        """Forget what this crawl id staged before (see SQLiteState.discard_staged)."""
        self._pending.clear()
        self._pending_hashes.clear()
        self._pending_lastmods.clear()
        pipe = self.client.pipeline(transaction=True)
        pipe.hlen(self.k_staged)
        pipe.delete(self.k_staged, self.k_staged_hash, self.k_staged_lastmod)
        count, *_ = pipe.execute()
        return int(count)

    def article_count(self) -> int:
        return int(self.client.hlen(self.k_articles))

    # --- who crawls what ----------------------------------------------------------------------

    def lock_site(self, site: str) -> None:
        key = self.k_lock + site.encode()
        me = f"pid {os.getpid()} on {socket.gethostname()}, crawl {self.crawl_id}".encode()
        holder = self._lock(keys=[key], args=[me, self.lease_ms, b""])
        if holder != me and _dead_here(holder):
            dead = holder
            holder = self._lock(keys=[key], args=[me, self.lease_ms, dead])
            crawl = _crawl_of(dead)
            if holder == me and crawl and crawl != self.crawl_id:
                # Its process is gone: its claims count for nothing from now on (not only
                # once its lease runs out), or this crawl would drop what it was emitting
                # as in flight elsewhere. A resumed job (same crawl id) keeps its own.
                self.client.delete(self.k_live + crawl.encode())
        if holder != me:
            raise StateBusy(f"{site} is being crawled on state {self.uri} by "
                            f"{holder.decode(errors='replace')}")
        self._held_lock = (key, me)
        self._heartbeat = threading.Thread(target=self._renew, name="gossipcrawl-state-lease",
                                           daemon=True)
        self._heartbeat.start()

    def _renew(self) -> None:
        live = self.k_live + self.crawl_id.encode()
        while not self._stop_heartbeat.wait(self.lease_ms / 6000):
            try:
                pipe = self.client.pipeline(transaction=False)
                pipe.pexpire(live, self.lease_ms)
                if self._held_lock is not None:
                    key, me = self._held_lock
                    self._lock(keys=[key], args=[me, self.lease_ms, b""], client=pipe)
                pipe.execute()
            except _REDIS_ERRORS:
                continue   # Redis is away: the next beat tries again, well within the lease

    def close(self) -> None:
        # Staged-but-uncommitted rows stay for a resumed crawl of the same id.
        self._stop_heartbeat.set()
        try:
            self.flush()
        finally:
            try:
                if self._held_lock is not None:
                    self._unlock(keys=[self._held_lock[0]], args=[self._held_lock[1]])
                self.client.delete(self.k_live + self.crawl_id.encode())
            except _REDIS_ERRORS:
                pass   # the lease runs out on its own
            self._held_lock = None
            self.client.close()

    # --- story index ---------------------------------------------------------------------

    def story_of(self, article_id: str) -> str | None:
        key = bytes.fromhex(article_id)
        pipe = self.client.pipeline(transaction=False)
        pipe.hget(self.k_stories, key)
        pipe.get(self._sketch_key(article_id))
        story, sketch = pipe.execute()
        if story:
            return story.hex()
        if sketch and sketch[:20] == key:
            return _decode_sketch(sketch).story_id
        return None

    def story_candidates(self, band_keys: list[int]) -> list[Sketch]:
        pipe = self.client.pipeline(transaction=False)
        for band in band_keys:
            # A sample of a crowded bucket: bounded work per article.
            pipe.srandmember(self.k_band + struct.pack(">q", band), MAX_BUCKET_SAMPLE)
        shorts: set[bytes] = set().union(*(set(members or ()) for members in pipe.execute()))
        if not shorts:
            return []
        values = self.client.mget([self.k_sketch + short for short in shorts])
        return [_decode_sketch(raw) for raw in map(_raw, values) if raw]

    def add_sketch(self, article_id: str, story_id: str, band_keys: list[int],
                   signature: bytes) -> None:
        key, story = bytes.fromhex(article_id), bytes.fromhex(story_id)
        value = key + (b"\0" if story == key else b"\1" + story) + signature
        pipe = self.client.pipeline(transaction=False)
        pipe.set(self._sketch_key(article_id), value, ex=self.window_seconds)
        short = struct.pack(">q", short_key(article_id))
        for band in band_keys:
            band_key = self.k_band + struct.pack(">q", band)
            pipe.sadd(band_key, short)
            pipe.expire(band_key, self.window_seconds)
        if story != key:
            pipe.hset(self.k_stories, key, story)
        pipe.execute()

    def _sketch_key(self, article_id: str) -> bytes:
        return self.k_sketch + struct.pack(">q", short_key(article_id))


def _dead_here(holder: bytes) -> bool:
    """True when a lock holder is a process of this host that no longer runs."""
    text = holder.decode(errors="replace")
    try:
        pid_text, host = text.removeprefix("pid ").split(",", 1)[0].split(" on ", 1)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _crawl_of(holder: bytes) -> str | None:
    """The crawl id in a lock holder (`pid P on HOST, crawl C`)."""
    _, sep, crawl = holder.decode(errors="replace").rpartition(", crawl ")
    return crawl.strip() or None if sep else None


def _decode_sketch(value: bytes) -> Sketch:
    key = value[:20]
    if value[20:21] == b"\1":
        return Sketch(key.hex(), value[21:41].hex(), value[41:])
    return Sketch(key.hex(), key.hex(), value[21:])
