#!/usr/bin/env python
"""Article extraction on Mozilla Readability's 130 test pages: pages nobody here built for.

    python benchmarks/readability_pages.py [--data DIR] [--pages] [--worst N] [--rounds N]
                                           [--no-trafilatura] [--only NAME ...]

Scores gossipcrawl's whole item (`extract_article`) and trafilatura 2.3.1 (`bare_extraction`,
metadata on, tables on, comments off) in the same process on the same inputs, the way
`../shared/benchmarks/readability-pages/README.md` defines it:

- body: the text of `expected.html` (scripts and styles dropped) against the item's
  `articleBody`, both as bags of `\\w+` tokens after NFKC and casefolding; per-page precision
  and recall averaged over the pages (a page with no item scores 0 and 0), F1 from the two
  means; over all 130 pages and over the 121 whose expected text has >= 100 tokens;
- title: the item's headline equals `title` after NFKC, quote/dash folding, whitespace and
  case normalisation;
- title*: as title, or the expected title is the headline plus a trailing segment of the
  page's own `<title>` ("Headline | Site"): the contract's `headline` is "without the site
  name suffix", and Readability's expected titles (og:title or `<title>`) often keep it;
- byline: every word of `byline` (less "by") is among the words of the item's authors.

Time is the extraction alone (files are read and systems imported before the clock starts).
`--pages` prints every page's figures and, for gossipcrawl, why it gave no item.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "benchmarks" / "readability-pages"
PAGE_URL = "http://fakehost/test/page.html"
MIN_TOKENS = 100
_TOKEN = re.compile(r"\w+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
                         "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-",
                         "−": "-"})


# --- the metric -----------------------------------------------------------------------

def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text or "").casefold())


def precision_recall(truth: list[str], pred: list[str]) -> tuple[float, float]:
    if not pred or not truth:
        return 0.0, 0.0
    common = sum((Counter(truth) & Counter(pred)).values())
    return common / len(pred), common / len(truth)


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _title_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split()).casefold()


def same_title(expected: str, found: str | None) -> bool:
    return bool(found) and _title_key(expected) == _title_key(found or "")


# What sets a title's trailing segment off: "Headline | Site", "Headline - Site",
# "Headline_Section_Site", "Headline [Site]", "Headline (Agency) - Site", "Headline ::".
_SEGMENT_START = re.compile(r"\s*[|:_\-·•»/\[(@]")


def same_title_less_site(expected: str, found: str | None, page_title: str) -> bool:
    """`same_title`, or the expected title is the headline plus a trailing segment of the
    page's own `<title>`: the site's name, which the contract's `headline` leaves out and
    Readability's expected titles (taken from og:title or `<title>`) often keep."""
    if not found or same_title(expected, found):
        return bool(found)
    wanted, have = _title_key(expected), _title_key(found)
    rest = wanted[len(have):]
    return (wanted.startswith(have) and bool(_SEGMENT_START.match(rest))
            and _title_key(page_title).endswith(rest.strip()))


def byline_found(expected: str, authors: list[str]) -> bool:
    wanted = [word for word in tokens(expected) if word != "by"]
    have = set(tokens(" ".join(authors)))
    return bool(wanted) and all(word in have for word in wanted)


# --- the systems ----------------------------------------------------------------------

@dataclass
class Result:
    body: str = ""
    title: str | None = None
    authors: tuple[str, ...] = ()
    emitted: bool = False
    reason: str = ""


def gossipcrawl_system() -> Callable[[bytes, str], Result]:
    from gossipcrawl.pages.generic import NotAnArticle
    from gossipcrawl.pages.registry import extract_article

    def run(body: bytes, text: str) -> Result:
        try:
            item = extract_article(body, PAGE_URL, "text/html; charset=utf-8")
        except NotAnArticle as exc:
            return Result(reason=exc.reason)
        except Exception as exc:
            return Result(reason=f"{type(exc).__name__}: {exc}")
        return Result(item.articleBody or "", item.headline,
                      tuple(author.name for author in item.authors or ()), True)
    return run


def trafilatura_system() -> Callable[[bytes, str], Result] | None:
    try:
        import trafilatura
    except ImportError:
        return None

    def run(body: bytes, text: str) -> Result:
        document = trafilatura.bare_extraction(text, url=PAGE_URL, with_metadata=True,
                                               include_tables=True, include_comments=False)
        if document is None:
            return Result(reason="no document")
        authors = tuple(name.strip() for name in (document.author or "").split(";")
                        if name.strip())
        return Result(document.text or "", document.title, authors, True)
    return run


# --- the run --------------------------------------------------------------------------

@dataclass
class Page:
    name: str
    source: bytes
    text: str
    truth: list[str]
    title: str
    byline: str
    page_title: str  # the source's own <title>


def expected_text(path: Path) -> str:
    # Decoded first: lxml reads bytes without a declared charset as Latin-1.
    root = lxml.html.fromstring(path.read_text(encoding="utf-8", errors="replace"))
    for element in root.iter("script", "style"):
        element.drop_tree()
    return root.text_content()


def load(data: Path, only: list[str]) -> list[Page]:
    pages = []
    for folder in sorted(path for path in data.iterdir() if (path / "source.html").is_file()):
        if only and folder.name not in only:
            continue
        metadata = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        source = (folder / "source.html").read_bytes()
        text = source.decode("utf-8", errors="replace")
        pages.append(Page(folder.name, source, text,
                          tokens(expected_text(folder / "expected.html")),
                          (metadata.get("title") or "").strip(),
                          (metadata.get("byline") or "").strip(),
                          lxml.html.fromstring(text).findtext(".//title") or ""))
    return pages


def measure(run, pages: list[Page]) -> tuple[dict[str, Result], float]:
    results = {}
    start = time.perf_counter()
    for page in pages:
        results[page.name] = run(page.source, page.text)
    return results, time.perf_counter() - start


def summary(pages: list[Page], results: dict[str, Result]) -> dict[str, float]:
    def body(subset: list[Page]) -> tuple[float, float, float]:
        scores = [precision_recall(page.truth, tokens(results[page.name].body))
                  for page in subset]
        p = statistics.fmean(s[0] for s in scores) if scores else 0.0
        r = statistics.fmean(s[1] for s in scores) if scores else 0.0
        return p, r, f1(p, r)
    p, r, f = body(pages)
    big = [page for page in pages if len(page.truth) >= MIN_TOKENS]
    titled = [page for page in pages if page.title]
    bylined = [page for page in pages if page.byline]
    return {
        "emitted": sum(results[page.name].emitted for page in pages), "pages": len(pages),
        "P": p, "R": r, "F1": f, "F1 big": body(big)[2], "big": len(big),
        "title": sum(same_title(page.title, results[page.name].title) for page in titled),
        "titled": len(titled),
        "title less site": sum(same_title_less_site(page.title, results[page.name].title,
                                                    page.page_title) for page in titled),
        "byline": sum(byline_found(page.byline, list(results[page.name].authors))
                      for page in bylined),
        "bylined": len(bylined),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="the pages' directory (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, metavar="N",
                        help="time each system N times, alternating their order; the median "
                             "round is reported (default %(default)s)")
    parser.add_argument("--pages", action="store_true",
                        help="print every page's figures and gossipcrawl's no-item reasons")
    parser.add_argument("--worst", type=int, default=0, metavar="N",
                        help="list the N pages where gossipcrawl's body F1 is lowest")
    parser.add_argument("--no-trafilatura", action="store_true",
                        help="skip the trafilatura baseline (quick iterations)")
    parser.add_argument("--only", nargs="*", default=[], metavar="NAME",
                        help="score only these pages (folder names)")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        parser.error(f"no such directory: {args.data}")

    pages = load(args.data, args.only)
    systems: list[tuple[str, Callable[[bytes, str], Result]]] = [
        ("gossipcrawl", gossipcrawl_system())]
    if not args.no_trafilatura:
        traf = trafilatura_system()
        if traf is None:
            print("trafilatura is not installed: no baseline", file=sys.stderr)
        else:
            systems.append(("trafilatura", traf))
    for _, run in systems:  # warm-up: imports, compiled patterns, language data
        run(pages[0].source, pages[0].text)
    from gossipcrawl.extensions.settle import settle_process

    settle_process()  # what `gossipcrawl extract` and a crawl do after start-up

    runs: dict[str, list[tuple[dict[str, Result], float]]] = {name: [] for name, _ in systems}
    for round_number in range(max(1, args.rounds)):
        ordered = systems if round_number % 2 == 0 else systems[::-1]
        for name, run in ordered:
            runs[name].append(measure(run, pages))
    chosen = {name: sorted(found, key=lambda each: each[1])[len(found) // 2]
              for name, found in runs.items()}

    print(f"{len(pages)} pages from {args.data}; median of {max(1, args.rounds)} rounds\n")
    header = (f"{'system':<12} | {'items':>7} | {'P':>5} | {'R':>5} | {'F1 all':>6} | "
              f"{'F1 >=100':>8} | {'title':>7} | {'title*':>7} | {'byline':>6} | {'time s':>6}")
    print(header)
    print("-" * len(header))
    for name, _ in systems:
        results, seconds = chosen[name]
        s = summary(pages, results)
        print(f"{name:<12} | {s['emitted']:>3}/{s['pages']:<3} | {s['P']:.3f} | {s['R']:.3f} | "
              f"{s['F1']:6.3f} | {s['F1 big']:8.3f} | {s['title']:>3}/{s['titled']:<3} | "
              f"{s['title less site']:>3}/{s['titled']:<3} | "
              f"{s['byline']:>2}/{s['bylined']:<3} | {seconds:6.2f}")
    print(f"\nF1 >=100: the {summary(pages, chosen['gossipcrawl'][0])['big']} pages whose "
          f"expected text has at least {MIN_TOKENS} tokens")
    print("title*: also counts an expected title that is the headline plus a trailing "
          "segment of the page's <title>\n        (the site's name, which the contract's "
          "headline leaves out)")
    if "trafilatura" in chosen:
        per_round = sorted(ours[1] / theirs[1] for ours, theirs
                           in zip(runs["gossipcrawl"], runs["trafilatura"]))
        print(f"time ratio gossipcrawl / trafilatura: "
              f"{chosen['gossipcrawl'][1] / chosen['trafilatura'][1]:.3f}; per round: "
              f"{', '.join(f'{ratio:.3f}' for ratio in per_round)}")

    ours = chosen["gossipcrawl"][0]
    theirs = chosen["trafilatura"][0] if "trafilatura" in chosen else {}

    def page_line(page: Page) -> str:
        found = ours[page.name]
        p, r = precision_recall(page.truth, tokens(found.body))
        line = f"  F1 {f1(p, r):.3f}  P {p:.3f}  R {r:.3f}"
        if page.name in theirs:
            tp, tr = precision_recall(page.truth, tokens(theirs[page.name].body))
            line += f"  (traf {f1(tp, tr):.3f})"
        line += f"  {len(page.truth):>5}t  {page.name}"
        if not found.emitted:
            line += f"  -- no item: {found.reason}"
        else:
            if page.title and not same_title(page.title, found.title):
                line += f"  -- title {found.title!r} != {page.title!r}"
            if page.byline and not byline_found(page.byline, list(found.authors)):
                line += f"  -- authors {list(found.authors)} !~ {page.byline!r}"
        return line

    if args.pages:
        print("\nevery page, gossipcrawl:")
        for page in pages:
            print(page_line(page))
    if args.worst:
        print(f"\nworst {args.worst} pages for gossipcrawl:")
        ranked = sorted(pages, key=lambda page: f1(*precision_recall(
            page.truth, tokens(ours[page.name].body))))
        for page in ranked[:args.worst]:
            print(page_line(page))
    return 0


if __name__ == "__main__":
    sys.exit(main())
