"""Show-mention matching: speed per article body, and quality on the annotated set.

    python benchmarks/shows_benchmark.py [--iterations N]

Prints one table: median and p95 time to match every show over a realistic ~800-word body
(built from the annotated pages in tests/data/shows/), for `find_shows` and for two
baselines measured in the same run:

- `re.search per alias`: one precompiled, case-insensitive, word-bounded `re.search` for
  every title and abbreviation in the gazetteer (the obvious loop);
- `lower() + in`: lower-case the body once, then `title in body` for every title.

Then precision and recall on the annotated sentences (which shows) for all three, and on
the annotated pages (how many mentions) for `find_shows`. The baselines have no rules: they
show what the rules buy. Timings vary with the machine and its load; nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gossipcrawl.extract.shows import find_shows, load_gazetteer  # noqa: E402

DATA = ROOT / "tests" / "data" / "shows"


def load(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def benchmark_body(pages: list[dict], words: int = 800) -> tuple[str, list[str]]:
    """A headline and ~800 words of paragraphs, taken in order from the annotated pages."""
    headline = pages[1]["headline"]
    paragraphs: list[str] = []
    total = 0
    while total < words:
        for page in pages:
            for paragraph in page["paragraphs"]:
                paragraphs.append(paragraph)
                total += len(paragraph.split())
                if total >= words:
                    return headline, paragraphs
    return headline, paragraphs


class Baselines:
    """Every declared title of every show, matched without rules."""

    def __init__(self):
        gazetteer = load_gazetteer()
        self.titles: dict[str, str] = {}  # title -> first show declaring it
        for form in gazetteer.forms.values():
            if form.words:
                self.titles.setdefault(form.surface, form.show_ids[0])
        self.patterns = [(re.compile(r"(?<!\w)" + re.escape(t) + r"(?!\w)", re.IGNORECASE), i)
                         for t, i in self.titles.items()]
        self.lowered = [(t.lower(), i) for t, i in self.titles.items()]

    def regex_per_alias(self, text: str) -> set[str]:
        return {show for pattern, show in self.patterns if pattern.search(text)}

    def lower_in(self, text: str) -> set[str]:
        low = text.lower()
        return {show for title, show in self.lowered if title in low}


def timings(function, iterations: int) -> tuple[float, float, float]:
    """Wall-clock median and p95, and the median CPU time of this thread (which a busy
    machine inflates less), in microseconds."""
    wall, cpu = [], []
    for _ in range(iterations):
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        function()
        cpu.append(time.thread_time_ns() - start_cpu)
        wall.append(time.perf_counter_ns() - start)
    wall.sort()
    return (statistics.median(wall) / 1000, wall[int(len(wall) * 0.95)] / 1000,
            statistics.median(cpu) / 1000)


def sentence_scores(detect, sentences: list[dict]) -> tuple[float, float]:
    tp = fp = fn = 0
    for item in sentences:
        got, expected = detect(item), set(item["shows"])
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def page_scores(pages: list[dict]) -> tuple[float, float]:
    tp = fp = fn = 0
    for page in pages:
        got = Counter({s["id"]: s["mentions"] for s in find_shows(
            page["headline"], page["paragraphs"], region=page.get("region"))})
        expected = Counter(page["shows"])
        tp += sum((got & expected).values())
        fp += sum((got - expected).values())
        fn += sum((expected - got).values())
    return tp / (tp + fp), tp / (tp + fn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    args = parser.parse_args()

    start = time.perf_counter()
    gazetteer = load_gazetteer()
    compile_ms = (time.perf_counter() - start) * 1000
    sentences, pages = load("sentences.jsonl"), load("pages.jsonl")
    headline, paragraphs = benchmark_body(pages)
    body = "\n\n".join([headline, *paragraphs])
    baselines = Baselines()

    runs = {
        "find_shows": lambda: find_shows(headline, paragraphs),
        "re.search per alias": lambda: baselines.regex_per_alias(body),
        "lower() + in": lambda: baselines.lower_in(body),
    }
    detectors = {
        "find_shows": lambda item: {s["id"] for s in find_shows(
            None, [item["text"]], region=item.get("region"))},
        "re.search per alias": lambda item: baselines.regex_per_alias(item["text"]),
        "lower() + in": lambda item: baselines.lower_in(item["text"]),
    }
    for run in runs.values():  # warm up
        run()

    words = len(body.split())
    print(f"gazetteer: {len(gazetteer.shows)} shows, {len(baselines.titles)} titles; "
          f"parsed and compiled once in {compile_ms:.0f} ms")
    print(f"body: {words} words, {len(body)} characters, {len(paragraphs)} paragraphs + "
          f"headline; {args.iterations} iterations each")
    print(f"annotated set: {len(sentences)} sentences, {len(pages)} pages; "
          f"load average now: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()
    print(f"| {'matcher':<22} | {'median µs':>9} | {'p95 µs':>8} | {'CPU µs':>7} | "
          f"{'sentence P':>10} | {'sentence R':>10} | {'page P':>6} | {'page R':>6} |")
    print(f"|{'-' * 24}|{'-' * 11}|{'-' * 10}|{'-' * 9}|{'-' * 12}|{'-' * 12}|{'-' * 8}|"
          f"{'-' * 8}|")
    for name, run in runs.items():
        median, p95, cpu = timings(run, args.iterations)
        precision, recall = sentence_scores(detectors[name], sentences)
        if name == "find_shows":
            page_p, page_r = (f"{v:.3f}" for v in page_scores(pages))
        else:
            page_p = page_r = "n/a"
        print(f"| {name:<22} | {median:>9.0f} | {p95:>8.0f} | {cpu:>7.0f} | "
              f"{precision:>10.3f} | {recall:>10.3f} | {page_p:>6} | {page_r:>6} |")
    print()
    print("find_shows on the benchmark body:",
          ", ".join(f"{s['id']}×{s['mentions']}" for s in find_shows(headline, paragraphs)))


if __name__ == "__main__":
    main()
