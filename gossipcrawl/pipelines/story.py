"""`storyId`: near-duplicate articles (syndicated, excerpted or lightly rewritten copies of
one story, on any site) share one id.

How: the set of content words of headline + body (lower-cased, stopwords and one-letter
words dropped) is sketched with a MinHash of 128 permutations (`gossipcrawl.minhash`, the
values of datasketch's "affine32" scheme, seed 1). LSH over 32 bands of 2 values finds
earlier articles that probably share words; each candidate is checked with a
1-byte-per-permutation ("b-bit") copy of its signature, and the article joins the story of
the most similar candidate whose estimated Jaccard similarity reaches
`GOSSIPCRAWL_STORY_THRESHOLD` (default in `gossipcrawl.settings`, chosen on
`tests/data/stories`, see `benchmarks/story_clusters.py`). Otherwise it starts a story of
its own.

The `storyId` of a story is the `id` of the first article emitted in it, and an article
keeps the `storyId` it was first given: a revision never moves it to another story, and
stories never merge, so downstream systems can key on it.

The sketches live in the state store, so a rewritten copy found by a later crawl (or by
another crawler sharing the Redis state) joins the earlier story. Sketches are kept for
`GOSSIPCRAWL_STORY_WINDOW_DAYS` (30): copies of a story appear within days of it.
Stats: `gossipcrawl/stories/new`, `gossipcrawl/stories/joined`.
"""

from __future__ import annotations

import hashlib
import logging
import re

from scrapy.exceptions import NotConfigured

from gossipcrawl.pipelines.dedupe import DedupePipeline, state_options
from gossipcrawl.settings import GOSSIPCRAWL_STORY_THRESHOLD
from gossipcrawl.state import StateStore, open_state
from gossipcrawl.stats import STORIES_JOINED, STORIES_NEW

logger = logging.getLogger(__name__)

NUM_PERM = 128
SEED = 1
BANDS, ROWS = 32, 2
# Fewer content words than this: too little text to call anything a copy.
MIN_WORDS = 12
STOPWORDS = frozenset(["a", "about", "after", "again", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your"])
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def content_words(headline: str | None, body: str | None) -> set[str]:
    text = f"{headline or ''}\n{body or ''}".casefold()
    return {word for word in _WORD.findall(text) if len(word) > 1 and word not in STOPWORDS}


def sketch(words: set[str]) -> tuple[list[int], bytes]:
    """LSH band keys and the b-bit signature of a set of words."""
    # Imported on the first sketch, not with the pipeline: numpy costs a crawl process
    # ~0.12 s of CPU before its first request, and an incremental crawl often emits nothing.
    from gossipcrawl.minhash import signature

    values = signature(words, NUM_PERM, SEED)
    bands = []
    for band in range(BANDS):
        chunk = values[band * ROWS:(band + 1) * ROWS].tobytes()
        bucket = int.from_bytes(hashlib.blake2b(chunk, digest_size=4).digest(), "big")
        bands.append((band << 32) | bucket)
    return bands, (values & 0xFF).astype("uint8").tobytes()


def similarity(signature: bytes, other: bytes) -> float:
    """Jaccard similarity estimated from two b-bit (8-bit) signatures."""
    if len(signature) != len(other) or not signature:
        return 0.0
    equal = sum(a == b for a, b in zip(signature, other)) / len(signature)
    chance = 1 / 256
    return max(0.0, (equal - chance) / (1 - chance))


def assign_story(state, article_id: str, words: set[str], *, revision: int,
                 threshold: float = GOSSIPCRAWL_STORY_THRESHOLD) -> tuple[str, bool]:
    """The storyId of an article being emitted, and whether it joined an existing story.
    Records the article's sketch in the state's story index."""
    known = state.story_of(article_id)
    if known is None and revision > 1:
        known = article_id  # emitted before the story window: it keeps its own story
    if len(words) < MIN_WORDS:
        return known or article_id, bool(known and known != article_id)
    bands, signature = sketch(words)
    if known is not None:
        story = known
    else:
        story, best = article_id, threshold
        for candidate in state.story_candidates(bands):
            if candidate.article_id == article_id:
                continue
            score = similarity(signature, candidate.signature)
            if score >= best:
                story, best = candidate.story_id, score
    state.add_sketch(article_id, story, bands, signature)
    return story, story != article_id


class StoryPipeline:
    def __init__(self, crawler, threshold: float):
        self.crawler = crawler
        self.stats = crawler.stats
        self.threshold = threshold
        self.state: StateStore | None = None
        self._own_state = False

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("GOSSIPCRAWL_STORY_ENABLED"):
            raise NotConfigured
        return cls(crawler, settings.getfloat("GOSSIPCRAWL_STORY_THRESHOLD"))

    def open_spider(self):
        # Share the dedupe pipeline's store (opened before us); open one when it is off.
        dedupe = self.crawler.get_item_pipeline(DedupePipeline)
        self.state = dedupe.state if dedupe is not None else None
        if self.state is None:
            self.state = open_state(self.crawler.settings.get("GOSSIPCRAWL_STATE"),
                                    self.crawler.spider.crawl_id,
                                    **state_options(self.crawler.settings))
            self._own_state = True

    def process_item(self, item):
        words = content_words(item.get("headline"), item.get("articleBody"))
        story, joined = assign_story(self.state, item["id"], words,
                                     revision=item.get("revision") or 1,
                                     threshold=self.threshold)
        item["storyId"] = story
        self.stats.inc_value(STORIES_JOINED if joined else STORIES_NEW)
        return item

    def close_spider(self):
        if self._own_state and self.state is not None:
            self.state.close()
        self.state = None
