import hashlib

from gossipcrawl.state import open_state


def _id(n):
    return hashlib.sha1(str(n).encode()).hexdigest()


HASH_A, HASH_B = "a" * 32, "b" * 32


def test_staged_rows_apply_only_on_commit(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    store = open_state(path, "crawl-1")
    store.stage(_id(1), HASH_A, 1)
    assert store.get(_id(1)).revision == 1          # the crawl sees its own emissions
    store.close()                                   # no commit: as after a crash
    other = open_state(path, "crawl-2")
    assert other.get(_id(1)) is None                # another crawl does not
    other.close()
    resumed = open_state(path, "crawl-1")           # the same crawl, resumed, does
    assert resumed.get(_id(1)).content_hash == HASH_A
    assert resumed.commit() == 1
    resumed.close()
    later = open_state(path, "crawl-3")
    assert later.get(_id(1)).revision == 1
    later.close()


def test_revision_updates_and_many_rows(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    store = open_state(path, "c1")
    for n in range(1200):                           # more than one staging batch
        store.stage(_id(n), HASH_A, 1)
    assert store.commit() == 1200
    store.close()
    store = open_state(path, "c2")
    store.stage(_id(5), HASH_B, 2)
    store.commit()
    assert store.get(_id(5)).revision == 2 and store.get(_id(5)).content_hash == HASH_B
    assert store.get(_id(6)).revision == 1
    assert store.article_count() == 1200
    store.close()
