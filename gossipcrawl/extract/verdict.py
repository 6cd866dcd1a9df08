"""Is the page one article? All the evidence weighed together, with the reason either way.

A page is rejected only when it is plainly not one article:

- its own markup says what else it is: a schema.org page type that is not an article
  (`CollectionPage`, `ProfilePage`, `SearchResultsPage`, `ContactPage`...) without an
  article node, WordPress' body classes of an archive, a search or a static page,
  og:type profile;
- it has no headline or no body text at all;
- it is a list of teasers (headings linking to other stories) with no story of its own;
- without any article markup (JSON-LD article, og:type article, a visible heading that
  agrees with the title, the page's one `<article>` element or microdata article item),
  it has too little text to be a story.

Everything else is an article, however short (a 150-word brief is one) and whatever boxes
of other stories it carries. Evidence that only describes a part of the page (a JSON-LD
`ItemList`, related-stories teasers) never outweighs one story told on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from gossipcrawl.extract.headline import headline_element
from gossipcrawl.extract.listing import ARTICLE_OG_TYPES, page_kind_reason, page_types, teaser_count
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.structured import ARTICLE_TYPES, first_meta, is_article_itemtype

# Below this a page is too short to be anything but a stub or an error page.
MIN_BODY_CHARS = 80
# A page without article markup (JSON-LD article, og:type article) needs this much text;
# one whose visible heading agrees with its title, or whose HTML marks one story (a single
# `<article>` element or microdata article item), needs less.
MIN_UNMARKED_CHARS = 400
MIN_TITLED_CHARS = 200
# Teasers (headings linking to other stories of the site) that make a page without
# article markup a listing; more when its own heading agrees with its title.
MIN_TEASERS = 3
MIN_TEASERS_TITLED = 6
# A story this long under the page's own headline outweighs any number of teasers.
MIN_STORY_CHARS = 1000
# Paths of listings: the home page, sections, tags, authors, searches, pagination.
_LISTING_PATH = re.compile(r"^/*$|/(?:tags?|category|categories|author|authors|search|page"
                           r"|archives?|topics?)(?:/[^/]*)?/?$|/page/\d+/?$", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    """Whether the page is an article, and why (for the log either way)."""

    article: bool
    reason: str


def judge(page: ParsedPage, headline: str | None, paragraphs: list[str]) -> Verdict:
    """Weigh the page's evidence; `headline` and `paragraphs` are what extraction found."""
    kind = page_kind_reason(page)
    if kind:
        return Verdict(False, kind)
    if not headline:
        return Verdict(False, "no headline: no title, heading or structured title")
    chars = sum(map(len, paragraphs))
    size = f"{chars} characters in {len(paragraphs)} paragraphs"
    if not paragraphs or chars < MIN_BODY_CHARS:
        teasers = teaser_count(page)   # say what the page is, when it says it
        if teasers >= MIN_TEASERS:
            return Verdict(False, f"listing page ({teasers} teasers, {size} of its own)")
        return Verdict(False, f"no article body ({size})")
    types = page_types(page) & ARTICLE_TYPES
    og_type = (first_meta(page.meta, "og:type") or "").lower()
    marked = bool(types) or og_type in ARTICLE_OG_TYPES
    titled = headline_element(page)[0] is not None
    one_story = _html_marks_one_story(page)
    evidence = [f"JSON-LD {', '.join(sorted(types))}"] if types else []
    evidence += [f"og:type {og_type}"] if og_type in ARTICLE_OG_TYPES else []
    evidence += ["its heading agrees with its title"] if titled else []
    evidence += [one_story] if one_story else []
    evidence.append(size)
    listing_path = bool(_LISTING_PATH.search(urlsplit(page.url).path))
    if not marked and not (titled and chars >= MIN_STORY_CHARS and not listing_path):
        teasers = teaser_count(page)
        if teasers >= (MIN_TEASERS_TITLED if titled and not listing_path else MIN_TEASERS):
            return Verdict(False, f"listing page ({teasers} teasers, {size} of its own)")
    if not marked and chars < (MIN_TITLED_CHARS if titled or one_story
                               else MIN_UNMARKED_CHARS):
        return Verdict(False, f"no article markup and too little text ({size})")
    return Verdict(True, f"article ({'; '.join(evidence)})")


def _html_marks_one_story(page: ParsedPage) -> str | None:
    """HTML's own mark of one self-contained story, when the page has exactly one: an
    `<article>` element, or a microdata item of an article type. A listing has one per
    teaser, or none. It only lowers how much text a page needs: the teaser count is still
    weighed, since one `<article>` may wrap a whole listing."""
    items = [value for _, _, value in page.index.attributes("itemtype")
             if is_article_itemtype(value)]
    if len(items) == 1:
        return "one microdata article item"
    if not items and len(page.index.tagged("article")) == 1:
        return "one <article> element"
    return None
