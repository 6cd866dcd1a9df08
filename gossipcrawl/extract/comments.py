"""Comments of an article: the comment form (described, never submitted), the comment
count and the comments present in the HTML.

The public API of issue 5; the work is done in `comment_forms` and `comment_threads`.
Every function reads the page's tree and never modifies it. Each takes the page's
`ParsedPage`; a bare lxml tree (with the page's URL) is accepted too, for callers that
parse a page themselves (tests, benchmarks): a `ParsedPage` is made for it.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from lxml.html import HtmlElement

from gossipcrawl.extract import comment_forms, comment_threads
from gossipcrawl.extract.comment_forms import PROVIDERS, FormVerdict
from gossipcrawl.extract.comment_threads import count_in_text
from gossipcrawl.extract.page import ParsedPage

__all__ = ["PROVIDERS", "classify_forms", "count_in_text", "extract_comment_count",
           "extract_comment_form", "extract_comments"]

Page: TypeAlias = ParsedPage | HtmlElement


def _parsed(page: Page, url: str = "") -> ParsedPage:
    return page if isinstance(page, ParsedPage) else ParsedPage(page, url)


def extract_comment_form(page: Page, url: str = "") -> dict[str, Any] | None:
    """The page's comment form described, or None when it has none."""
    return comment_forms.extract_comment_form(_parsed(page, url))


def classify_forms(page: Page) -> list[FormVerdict]:
    """Every `<form>` on the page, in page order, with its kind and evidence."""
    return comment_forms.classify_forms(_parsed(page))


def extract_comments(page: Page, url: str = "") -> list[dict[str, Any]]:
    """The comments present in the HTML, in page order, replies pointing at their parent."""
    return comment_threads.extract_comments(_parsed(page, url))


def extract_comment_count(page: Page, jsonld: list[dict[str, Any]] | None = None,
                          comments: list[dict[str, Any]] | None = None) -> int | None:
    """How many comments the article has: what the page states (markup, then `jsonld`,
    by default the page's own JSON-LD), else how many it shows (`comments`)."""
    return comment_threads.extract_comment_count(_parsed(page), comments, jsonld)
