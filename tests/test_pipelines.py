"""The item pipelines with the embedded SQLite state: validation, dedupe, revisions,
crash safety, coverage counts, storyId across crawls."""

from __future__ import annotations

import logging

from pipeline_kit import Crawl, record

from gossipcrawl.items import content_hash
from gossipcrawl.pipelines.dedupe import DedupePipeline
from gossipcrawl.state import open_state

URL = "https://soapdirt.example/news/sonny-summer/"


def _state(tmp_path) -> str:
    return str(tmp_path / "state.sqlite3")


def test_invalid_item_is_dropped_counted_and_logged(tmp_path, caplog):
    crawl = Crawl(_state(tmp_path), "c1")
    bad = record(URL, headline="", datePublished="yesterday")
    with caplog.at_level(logging.WARNING):
        assert crawl.emit(bad) is None
    stats = crawl.finish()
    assert stats["gossipcrawl/items/dropped/invalid"] == 1
    assert stats["gossipcrawl/items/dropped/invalid/headline"] == 1
    assert stats["gossipcrawl/items/dropped/invalid/datePublished"] == 1
    assert URL in caplog.text and "headline" in caplog.text
    assert "gossipcrawl/items/emitted" not in stats


def test_same_article_by_several_urls_and_republished_copy_emitted_once(tmp_path):
    crawl = Crawl(_state(tmp_path), "c1")
    original = record(URL, "Sonny's summer", "Sonny " * 50)
    amp_copy = record(URL + "amp/", "Sonny's summer", "Sonny " * 50, canonicalUrl=URL)
    republished = record("https://soapdirt.example/2024/07/sonny-summer-2/",
                         "Sonny's summer", "Sonny " * 50)
    emitted = crawl.emit_all([original, amp_copy, republished])
    stats = crawl.finish()
    assert [item["url"] for item in emitted] == [URL]
    assert stats["gossipcrawl/items/dropped/duplicate_url"] == 1
    assert stats["gossipcrawl/items/dropped/duplicate_content"] == 1
    assert stats["gossipcrawl/state/committed"] == 1


def test_unchanged_is_not_emitted_again_and_changed_gets_next_revision(tmp_path):
    state = _state(tmp_path)
    first = Crawl(state, "c1")
    (item,) = first.emit_all([record(URL, "Headline", "First body " * 30)])
    first.finish()
    assert item["revision"] == 1

    second = Crawl(state, "c2")
    assert second.emit_all([record(URL, "Headline", "First body " * 30)]) == []
    stats = second.finish()
    assert stats["gossipcrawl/items/unchanged"] == 1
    assert stats.get("gossipcrawl/items/emitted", 0) == 0

    third = Crawl(state, "c3")
    (changed,) = third.emit_all([record(URL, "Headline", "Updated body " * 30)])
    third.finish()
    assert changed["revision"] == 2
    assert changed["contentHash"] == content_hash("Headline", "Updated body " * 30)
    assert changed["contentHash"] != item["contentHash"]

    fourth = Crawl(state, "c4")
    (again,) = fourth.emit_all([record(URL, "Headline", "Third body " * 30)])
    fourth.finish()
    assert again["revision"] == 3


def test_crash_before_the_feed_is_stored_commits_nothing(tmp_path):
    state = _state(tmp_path)
    crashed = Crawl(state, "c1")
    assert crashed.emit_all([record(URL)])  # emitted into a feed that never got stored
    crashed.crash()
    failed = Crawl(state, "c2")
    assert failed.emit_all([record(URL)])   # emitted again: the state never saw it
    failed.finish(feed_stored=False)        # the feed could not be written
    later = Crawl(state, "c3")
    (item,) = later.emit_all([record(URL)])
    assert item["revision"] == 1
    later.finish()
    store = open_state(state, "check")
    assert store.article_count() == 1
    store.close()


def test_fresh_emits_unchanged_articles_with_their_revision(tmp_path):
    state = _state(tmp_path)
    first = Crawl(state, "c1")
    first.emit_all([record(URL)])
    first.finish()
    fresh = Crawl(state, "c2", GOSSIPCRAWL_FRESH=True)
    (item,) = fresh.emit_all([record(URL)])
    fresh.finish()
    assert item["revision"] == 1


def test_coverage_counts_every_extracted_article(tmp_path):
    crawl = Crawl(_state(tmp_path), "c1")
    crawl.emit_all([
        record(URL, shows=[{"id": "general-hospital", "name": "General Hospital",
                            "mentions": 2}]),
        record(URL),  # a duplicate still counts as an extracted article
        record("https://soapdirt.example/news/b/", headline="", authors=[]),  # invalid
    ])
    stats = crawl.finish()
    assert stats["gossipcrawl/coverage/articles"] == 3
    assert stats["gossipcrawl/coverage/headline"] == 2
    assert stats["gossipcrawl/coverage/articleBody"] == 3
    assert stats["gossipcrawl/coverage/authors"] == 2
    assert stats["gossipcrawl/coverage/shows"] == 1
    assert stats["gossipcrawl/coverage/datePublished"] == 3
    assert "gossipcrawl/coverage/dateModified" not in stats


ORIGINAL = ("Maurice Benard says General Hospital fans should brace themselves for a summer "
            "unlike any Sonny Corinthos has faced before. Speaking on his weekly State of Mind "
            "livestream, the Emmy winner revealed that the writers have handed him a "
            "storyline that pushes Sonny to the edge of the law and his own family. The actor "
            "hinted that Sonny's latest war with Pikeman will cost him more than a warehouse. "
            "Carly, Michael and even Dante are caught in the crossfire when a shipment goes "
            "missing on the Port Charles docks.")
REWRITE = ("General Hospital star Maurice Benard is warning viewers that Sonny Corinthos is "
           "heading into the darkest summer of his life. On his State of Mind livestream, "
           "Benard said the new scripts push Sonny to the limits of the law and of his family. "
           "The mob boss's war with Pikeman will cost him far more than a warehouse: when a "
           "shipment vanishes on the Port Charles docks, Carly, Michael and Dante all end up "
           "caught in the crossfire.")
OTHER = ("Carly Spencer and Jason Morgan share a tender moment at Kelly's this week. Carly is "
         "struggling to keep the Metro Court afloat after a string of bad reviews and turns to "
         "her oldest friend for advice. Jason offers to help with the books, but Carly worries "
         "about what Drew will think. Michael and Willow stop by the diner.")


def test_rewritten_copy_in_a_later_crawl_joins_the_earlier_story(tmp_path):
    state = _state(tmp_path)
    first = Crawl(state, "c1")
    (original,) = first.emit_all([record(URL, "Benard teases Sonny's darkest summer", ORIGINAL)])
    first.finish()
    assert original["storyId"] == original["id"]  # the first article names its story

    second = Crawl(state, "c2")
    rewrite, other = second.emit_all([
        record("https://soaphub.example/gh/benard-warns/", "Benard warns GH viewers", REWRITE),
        record("https://soaphub.example/gh/carly-jason/", "Carly and Jason reunite", OTHER),
    ])
    stats = second.finish()
    assert rewrite["storyId"] == original["id"]
    assert other["storyId"] == other["id"]
    assert stats["gossipcrawl/stories/joined"] == 1
    assert stats["gossipcrawl/stories/new"] == 1

    # A new revision of the rewrite keeps its storyId.
    third = Crawl(state, "c3")
    (revised,) = third.emit_all([record("https://soaphub.example/gh/benard-warns/",
                                        "Benard warns GH viewers", REWRITE + " Update: more.")])
    third.finish()
    assert revised["revision"] == 2 and revised["storyId"] == original["id"]


def test_story_of_an_uncommitted_crawl_is_stable_when_re_emitted(tmp_path):
    state = _state(tmp_path)
    crashed = Crawl(state, "c1")
    first, copy = crashed.emit_all([
        record(URL, "Benard teases Sonny's darkest summer", ORIGINAL),
        record("https://soaphub.example/gh/benard-warns/", "Benard warns GH viewers", REWRITE)])
    assert copy["storyId"] == first["id"]
    crashed.crash()
    again = Crawl(state, "c2")
    (copy_again,) = again.emit_all([
        record("https://soaphub.example/gh/benard-warns/", "Benard warns GH viewers", REWRITE)])
    again.finish()
    assert copy_again["revision"] == 1 and copy_again["storyId"] == first["id"]


def test_the_crawl_keeps_no_per_article_memory(tmp_path):
    """What a crawl has seen lives in the state file: the process holds one batch at most."""
    from gossipcrawl.state.sqlite_store import STAGE_BATCH

    crawl = Crawl(_state(tmp_path), "c1")
    for n in range(3 * STAGE_BATCH + 7):
        crawl.emit(record(f"https://soapdirt.example/news/{n}/", f"Story {n}",
                          f"Body {n} " * 20))
    state = crawl.crawler.get_item_pipeline(DedupePipeline).state
    assert len(state._pending) < STAGE_BATCH and len(state._sketches) < STAGE_BATCH
    # Duplicates are still caught after their rows left memory.
    assert crawl.emit(record("https://soapdirt.example/news/3/", "Story 3", "Body 3 " * 20)) is None
    assert crawl.stats.get_value("gossipcrawl/items/dropped/duplicate_url") == 1
    crawl.finish()


def test_discard_staged_forgets_a_killed_runs_rows(tmp_path):
    state = _state(tmp_path)
    killed = Crawl(state, "job-1")
    killed.emit_all([record(URL)])
    killed.crash()
    store = open_state(state, "job-1")
    assert store.seen(record(URL)["id"])
    assert store.discard_staged() == 1
    assert not store.seen(record(URL)["id"])
    store.close()


def test_content_hash_is_stable_across_releases():
    # Hashes are stored in the dedupe state: a change to how they are computed would make
    # every stored article look revised. Whitespace of any kind and case are folded.
    assert content_hash("Days  of Our\u00a0Lives:\tSpoilers",
                        "First\u2003paragraph.\n\nSecond \u3000 PARAGRAPH\x1c end ") == \
        "b023b9bc5e8f5f2a390b70ff0be9b798"
    assert content_hash("days of our lives: spoilers", "first paragraph. second paragraph end") \
        == "b023b9bc5e8f5f2a390b70ff0be9b798"
