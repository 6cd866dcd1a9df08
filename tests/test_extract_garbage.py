"""Extraction leaves no reference cycles behind: a page, its tree and everything found about
it are freed when the caller lets go of them, not at the next run of the cyclic garbage
collector (which, with a few thousand elements per page to walk, cost about a tenth of
extraction time).

What made cycles: web_poet's per-instance method caches on the page object (dropped once
the item is made), the page's shared scans holding the page that holds them (they hold its
element index instead), recursive closures, and comment units pointing at each other.

Pages that are not articles are left out: `NotAnArticle` leaves the classic cycle of an
exception raised through an event loop (its traceback holds the frame that holds the task
that holds it), which is the caller's to break.
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from pathlib import Path

import pytest

from gossipcrawl.pages.generic import NotAnArticle
from gossipcrawl.pages.registry import extract_article

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = sorted((FIXTURES / "articles").glob("*.html")) + \
    sorted((FIXTURES / "comments").glob("*.html"))


def _url(page: Path) -> str:
    meta = page.with_suffix(".json")
    if meta.is_file():
        found = json.loads(meta.read_text(encoding="utf-8")).get("url")
        if found:
            return str(found)
    return f"https://example.com/{page.stem}/"


def _gives_item(page: Path) -> bool:
    try:
        extract_article(page.read_bytes(), _url(page), "text/html; charset=utf-8")
    except NotAnArticle:
        return False
    return True


ARTICLES = [page for page in PAGES if _gives_item(page)]


def _cyclic_garbage(pages: list[Path]) -> Counter[str]:
    """The types of the objects that only the cyclic collector would have freed."""
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for page in pages:
            extract_article(page.read_bytes(), _url(page), "text/html; charset=utf-8")
        gc.collect()
        return Counter(type(found).__qualname__ for found in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


@pytest.fixture(scope="module", autouse=True)
def _frozen():
    """What exists before these tests is not looked at again: their collections are quick."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


def test_there_are_pages():
    assert len(ARTICLES) > 20


@pytest.mark.parametrize("page", ARTICLES, ids=lambda page: f"{page.parent.name}/{page.stem}")
def test_extraction_leaves_no_cycles(page):
    # Warm-up first: the first call builds module-level state (gazetteer, patterns).
    _cyclic_garbage([page])
    assert _cyclic_garbage([page]) == Counter()
