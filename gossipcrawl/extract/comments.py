"""Comments of an article: the comment form (described, never submitted), the comment
count and the comments present in the HTML.

The public API of issue 5; the work is done in `comment_forms` and `comment_threads`.
Every function reads the shared lxml tree and never modifies it.
"""

from __future__ import annotations

from gossipcrawl.extract.comment_forms import PROVIDERS, classify_forms, extract_comment_form
from gossipcrawl.extract.comment_threads import count_in_text, extract_comment_count, \
    extract_comments

__all__ = ["extract_comment_form", "extract_comments", "extract_comment_count",
           "classify_forms", "count_in_text", "PROVIDERS"]
