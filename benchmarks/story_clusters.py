"""storyId quality: precision and recall of same-story pairs on tests/data/stories.

The test set (`tests/data/stories/stories.jsonl`, built by `build.py` from hand-written
`sources.py`): 14 soap-news stories, each as an original, a hand-paraphrased rewrite from
another site, a syndicated copy (partner intro/outro, last paragraph cut), a light machine
rewrite and an aggregator excerpt; plus 15 one-article stories about the same shows and
characters (the hard negatives). 85 articles, 140 same-story pairs.

Each article goes through `gossipcrawl.pipelines.story.assign_story` with a real SQLite
state, in publication-like order (originals first) and in 5 shuffled orders. A pair of
articles is predicted "same story" when they get the same storyId. Baselines from the same
run: exact content-hash grouping, and "same headline".

    python benchmarks/story_clusters.py
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gossipcrawl.items import content_hash  # noqa: E402
from gossipcrawl.pipelines.story import assign_story, content_words  # noqa: E402
from gossipcrawl.settings import GOSSIPCRAWL_STORY_THRESHOLD as DEFAULT_THRESHOLD  # noqa: E402
from gossipcrawl.state import open_state  # noqa: E402

DATA = ROOT / "tests" / "data" / "stories" / "stories.jsonl"
KIND_ORDER = {"original": 0, "distractor": 0, "syndicated": 1, "light_rewrite": 1,
              "rewrite": 2, "excerpt": 3}


def load(path: Path = DATA) -> list[dict]:
    with open(path, encoding="utf-8") as rows:
        return [json.loads(line) for line in rows]


def publication_order(rows: list[dict]) -> list[int]:
    """Originals first, then copies: what a crawl usually meets."""
    return sorted(range(len(rows)), key=lambda i: (KIND_ORDER[rows[i]["kind"]], i))


def pair_scores(rows: list[dict], predicted: list[str]) -> dict:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(rows)), 2):
        same = rows[i]["story"] == rows[j]["story"]
        guess = predicted[i] == predicted[j]
        tp += same and guess
        fp += guess and not same
        fn += same and not guess
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": precision, "recall": recall, "true_pairs": tp + fn,
            "false_pairs": fp}


def cluster(rows: list[dict], order: list[int], threshold: float = DEFAULT_THRESHOLD,
            state_path: str | None = None) -> list[str]:
    """storyIds from the real story code and a real SQLite state, articles in `order`."""
    with tempfile.TemporaryDirectory() as scratch:
        state = open_state(state_path or str(Path(scratch) / "state.sqlite3"), "bench")
        stories = [""] * len(rows)
        for index in order:
            row = rows[index]
            stories[index], _ = assign_story(
                state, row["id"], content_words(row["headline"], row["articleBody"]),
                revision=1, threshold=threshold)
        state.close()
    return stories


def evaluate(rows: list[dict], threshold: float = DEFAULT_THRESHOLD, shuffles: int = 5) -> dict:
    natural = pair_scores(rows, cluster(rows, publication_order(rows), threshold))
    shuffled = []
    for seed in range(shuffles):
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        shuffled.append(pair_scores(rows, cluster(rows, order, threshold)))
    mean = {key: sum(s[key] for s in shuffled) / len(shuffled) for key in ("precision", "recall")}
    return {"natural": natural, "shuffled": mean}


def per_kind_recall(rows: list[dict], threshold: float = DEFAULT_THRESHOLD) -> dict:
    """Share of each kind of copy that got its original's storyId (publication order)."""
    stories = cluster(rows, publication_order(rows), threshold)
    original = {row["story"]: stories[i] for i, row in enumerate(rows)
                if row["kind"] == "original"}
    kinds: dict[str, list[bool]] = {}
    for i, row in enumerate(rows):
        if row["kind"] in ("original", "distractor"):
            continue
        kinds.setdefault(row["kind"], []).append(stories[i] == original[row["story"]])
    return {kind: sum(hits) / len(hits) for kind, hits in kinds.items()}


def main() -> None:
    rows = load()
    print(f"test set: {len(rows)} articles, {len({r['story'] for r in rows})} stories, "
          f"{pair_scores(rows, [r['story'] for r in rows])['true_pairs']} same-story pairs\n")
    print(f"{'method':<38} {'order':<11} {'precision':>9} {'recall':>7}")
    started = time.perf_counter()
    result = evaluate(rows)
    elapsed = time.perf_counter() - started
    for order in ("natural", "shuffled"):
        label = f"MinHash LSH, threshold {DEFAULT_THRESHOLD:.2f} (ours)"
        print(f"{label:<38} {order:<11} "
              f"{result[order]['precision']:>9.3f} {result[order]['recall']:>7.3f}")
    baselines = {
        "exact contentHash (baseline)": [content_hash(r["headline"], r["articleBody"])
                                         for r in rows],
        "same headline (baseline)": [r["headline"].casefold() for r in rows],
    }
    for name, predicted in baselines.items():
        scores = pair_scores(rows, predicted)
        print(f"{name:<38} {'any':<11} {scores['precision']:>9.3f} {scores['recall']:>7.3f}")
    print("\nthreshold sweep (natural order / mean of 5 shuffles):")
    for threshold in (0.2, 0.24, 0.28, 0.32, 0.4, 0.5):
        sweep = evaluate(rows, threshold)
        print(f"  {threshold:.2f}: P {sweep['natural']['precision']:.3f} "
              f"R {sweep['natural']['recall']:.3f}  /  P {sweep['shuffled']['precision']:.3f} "
              f"R {sweep['shuffled']['recall']:.3f}")
    print("\nrecall by kind of copy (natural order):")
    for kind, recall in per_kind_recall(rows).items():
        print(f"  {kind:<14} {recall:.2f}")
    print(f"\n{6 * len(rows)} assignments in {elapsed:.2f}s")


if __name__ == "__main__":
    main()
