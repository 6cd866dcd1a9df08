"""The shared Redis state, against a real redis-server (tests/conftest.py starts one)."""

from __future__ import annotations

import hashlib
import time

import pytest
import redis
from pipeline_kit import Crawl, record

from gossipcrawl.state import StateError, open_state
from gossipcrawl.state.redis_store import RedisState

pytestmark = pytest.mark.redis

URL = "https://soapdirt.example/news/sonny-summer/"
HASH_A, HASH_B = "a" * 32, "b" * 32


def _id(n) -> str:
    return hashlib.sha1(str(n).encode()).hexdigest()


def test_uncommitted_crawl_leaves_no_trace_for_others(redis_url):
    store = open_state(redis_url, "crawl-1")
    assert isinstance(store, RedisState)
    for n in range(1200):                     # more than one staging batch
        store.stage(_id(n), HASH_A, 1)
    assert store.get(_id(3)).revision == 1    # the crawl sees its own emissions
    assert store.seen(_id(1100)) and store.first_with_hash(HASH_A) is not None
    store.close()                             # no commit: as after a crash
    other = open_state(redis_url, "crawl-2")
    assert other.get(_id(3)) is None and not other.seen(_id(3))
    assert other.first_with_hash(HASH_A) is None
    assert other.article_count() == 0
    other.close()
    resumed = open_state(redis_url, "crawl-1")
    assert resumed.commit() == 1200
    resumed.close()
    later = open_state(redis_url, "crawl-3")
    assert later.get(_id(3)).content_hash == HASH_A and later.article_count() == 1200
    later.close()
    client = redis.Redis.from_url(redis_url)
    assert not client.exists(b"gossipcrawl:staged:crawl-1", b"gossipcrawl:staged-hash:crawl-1")
    # Compact values: 16-byte hash + 4-byte revision per article.
    assert len(client.hget(b"gossipcrawl:articles", bytes.fromhex(_id(3)))) == 20


def test_revisions_increment_through_redis(redis_url):
    results = []
    for crawl_id, body in (("c1", "One " * 40), ("c2", "One " * 40), ("c3", "Two " * 40),
                           ("c4", "Three " * 40)):
        crawl = Crawl(redis_url, crawl_id)
        results.append(crawl.emit_all([record(URL, "Headline", body)]))
        crawl.finish()
    assert [[item["revision"] for item in items] for items in results] == [[1], [], [2], [3]]


def test_two_crawlers_sharing_redis_never_both_emit_the_same_article(redis_url):
    # Two sites (say a syndication partner) that carry the same articles, crawled at once.
    a = Crawl(redis_url, "node-a", site="soapdirt")
    b = Crawl(redis_url, "node-b", site="soaphub")
    articles = [record(f"https://soapdirt.example/news/{n}/", f"Story {n}", f"Body {n} " * 30)
                for n in range(20)]
    emitted_a = a.emit_all(articles[:15])
    emitted_b = b.emit_all(articles[5:])      # 5..14 overlap, while A has not committed
    ids_a = {item["id"] for item in emitted_a}
    ids_b = {item["id"] for item in emitted_b}
    assert not ids_a & ids_b
    assert ids_a | ids_b == {item["id"] for item in articles}
    assert b.stats.get_value("gossipcrawl/items/dropped/in_flight_elsewhere") == 10
    a.finish()
    b.finish()
    # Later crawls, in either order, emit none of them again.
    for crawl_id, site in (("node-a-2", "soapdirt"), ("node-b-2", "soaphub")):
        crawl = Crawl(redis_url, crawl_id, site=site)
        assert crawl.emit_all(articles) == []
        assert crawl.finish()["gossipcrawl/items/unchanged"] == 20


@pytest.mark.parametrize("first_to_commit", ["a", "b"])
def test_two_crawlers_meeting_two_versions_get_two_revisions(redis_url, first_to_commit):
    """Compare-and-set: crawlers that meet different new versions of one article at the same
    time emit revisions 2 and 3, never two revisions 2, and the later revision stays
    committed whichever crawl commits last."""
    first = Crawl(redis_url, "c1", site="soapdirt")
    (one,) = first.emit_all([record(URL, "Headline", "One " * 40)])
    first.finish()
    a = Crawl(redis_url, "a", site="soapdirt")
    b = Crawl(redis_url, "b", site="soaphub")
    (two,) = a.emit_all([record(URL, "Headline", "Two " * 40)])
    (three,) = b.emit_all([record(URL, "Headline", "Three " * 40)])
    assert (one["revision"], two["revision"], three["revision"]) == (1, 2, 3)
    for crawl in ((a, b) if first_to_commit == "a" else (b, a)):
        crawl.finish()
    after = open_state(redis_url, "check")
    assert after.get(two["id"]).revision == 3
    assert after.get(two["id"]).content_hash == three["contentHash"]
    after.close()


def test_a_second_crawl_of_a_site_on_the_same_state_does_not_start(redis_url):
    from scrapy.exceptions import CloseSpider

    running = Crawl(redis_url, "c1", site="soapdirt")
    with pytest.raises(CloseSpider) as refused:
        Crawl(redis_url, "c2", site="soapdirt")
    assert refused.value.reason == "busy"
    running.finish()
    Crawl(redis_url, "c3", site="soapdirt").finish()   # free again once the first is done


def test_claim_and_site_of_a_dead_crawler_are_free_once_its_lease_ends(redis_url):
    dead = Crawl(redis_url, "dead", site="soapdirt", GOSSIPCRAWL_STATE_LEASE=1)
    assert dead.emit_all([record(URL)])
    dead.crash()
    blocked = Crawl(redis_url, "early", site="soaphub")
    assert blocked.emit_all([record(URL)]) == []     # the dead crawl may still be alive
    blocked.finish()
    time.sleep(1.2)
    later = Crawl(redis_url, "later", site="soapdirt")   # its site is free too
    (item,) = later.emit_all([record(URL)])
    later.finish()
    assert item["revision"] == 1


def test_failed_feed_leaves_redis_uncommitted(redis_url):
    crawl = Crawl(redis_url, "c1")
    assert crawl.emit_all([record(URL)])
    stats = crawl.finish(feed_stored=False)
    assert "gossipcrawl/state/committed" not in stats
    again = Crawl(redis_url, "c2")
    assert again.emit_all([record(URL)])


def test_story_joins_across_crawlers_through_redis(redis_url):
    from test_pipelines import ORIGINAL, OTHER, REWRITE

    a = Crawl(redis_url, "node-a")
    (original,) = a.emit_all([record(URL, "Benard teases Sonny's darkest summer", ORIGINAL)])
    a.finish()
    b = Crawl(redis_url, "node-b")
    rewrite, other = b.emit_all([
        record("https://soaphub.example/gh/benard/", "Benard warns GH viewers", REWRITE),
        record("https://soaphub.example/gh/carly/", "Carly and Jason reunite", OTHER)])
    b.finish()
    assert rewrite["storyId"] == original["id"] == original["storyId"]
    assert other["storyId"] == other["id"]
    client = redis.Redis.from_url(redis_url)
    assert client.ttl(b"gossipcrawl:band:" + b"\0" * 8) == -2  # no such band key
    band_keys = list(client.scan_iter(match=b"gossipcrawl:band:*"))
    assert band_keys and all(0 < client.ttl(key) <= 30 * 86400 for key in band_keys[:20])


def test_sitemap_lastmods_commit_with_the_state(redis_url):
    store = open_state(redis_url, "c1")
    key = hashlib.sha1(b"https://soapdirt.example/a/").digest()
    store.stage_lastmod(key, "2024-07-10")
    assert store.lastmod(key) is None
    store.commit()
    store.close()
    assert open_state(redis_url, "c2").lastmod(key) == "2024-07-10"


def test_prefix_separates_states(redis_url):
    one = open_state(redis_url + "?prefix=one", "c1")
    one.stage(_id(1), HASH_A, 1)
    one.commit()
    two = open_state(redis_url + "?prefix=two", "c1")
    assert two.get(_id(1)) is None and one.get(_id(1)) is not None


def test_unreachable_redis_is_one_clear_error():
    from conftest import free_port

    port = free_port()
    started = time.monotonic()
    with pytest.raises(StateError) as error:
        open_state(f"redis://:secret@127.0.0.1:{port}/0", "c1")
    assert time.monotonic() - started < 10
    message = str(error.value)
    assert f"127.0.0.1:{port}" in message and "secret" not in message
    assert "\n" not in message


def test_discard_staged(redis_url):
    store = open_state(redis_url, "job-1")
    store.stage(_id(1), HASH_A, 1)
    store.close()
    store = open_state(redis_url, "job-1")
    assert store.seen(_id(1)) and store.discard_staged() == 1 and not store.seen(_id(1))
    assert store.commit() == 0
