"""storyId precision/recall floors on the hand-built story test set (tests/data/stories)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _benchmark():
    spec = importlib.util.spec_from_file_location("story_clusters",
                                                  ROOT / "benchmarks" / "story_clusters.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_story_test_set_is_what_build_py_makes():
    import sys

    sys.path.insert(0, str(ROOT / "tests" / "data" / "stories"))
    import build

    rows = _benchmark().load()
    assert rows == build.build()
    assert len({row["story"] for row in rows}) == 29
    assert {row["kind"] for row in rows} == {"original", "rewrite", "syndicated",
                                            "light_rewrite", "excerpt", "distractor"}


def test_same_story_pairs_precision_and_recall_floors():
    bench = _benchmark()
    result = bench.evaluate(bench.load(), shuffles=3)
    assert result["natural"]["precision"] >= 0.95
    assert result["natural"]["recall"] >= 0.90
    assert result["shuffled"]["precision"] >= 0.95
    assert result["shuffled"]["recall"] >= 0.80


def test_every_machine_copy_joins_its_original():
    bench = _benchmark()
    recall = bench.per_kind_recall(bench.load())
    assert recall["syndicated"] == recall["light_rewrite"] == recall["excerpt"] == 1.0
    assert recall["rewrite"] >= 0.75
