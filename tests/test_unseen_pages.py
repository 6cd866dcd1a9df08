"""Pages nobody here built the extractor for: Mozilla Readability's test pages.

Each page below shows one class of failure fixed in general (issue 15); the small
hand-written fixture of the same class is in fixtures/articles/. The pages live in the
shared benchmark folder (`../shared/benchmarks/readability-pages`); without it the tests
are skipped. `benchmarks/readability_pages.py` scores all 130.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from gossipcrawl.pages.generic import NotAnArticle
from gossipcrawl.pages.registry import extract_article

PAGES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "readability-pages"
URL = "http://fakehost/test/page.html"

pytestmark = pytest.mark.skipif(not PAGES.is_dir(), reason=f"no {PAGES}")


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def body_f1(name: str) -> float:
    """The benchmark's body F1 of one page (0 when it gives no item)."""
    folder = PAGES / name
    expected = lxml.html.fromstring(folder.joinpath("expected.html").read_text("utf-8"))
    for element in expected.iter("script", "style"):
        element.drop_tree()
    try:
        article = extract_article(folder.joinpath("source.html").read_bytes(), URL,
                                  "text/html; charset=utf-8")
    except NotAnArticle:
        return 0.0
    truth, found = Counter(tokens(expected.text_content())), Counter(tokens(article.articleBody))
    common = sum((truth & found).values())
    if not common:
        return 0.0
    precision, recall = common / sum(found.values()), common / sum(truth.values())
    return 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize("name", [
    # short posts without article markup (one heading, a few paragraphs)
    "dev418", "firefox-nightly-blog", "mozilla-2", "title-en-dash", "parsely-metadata",
    # many teaser headings around one story of its own; headings with an "edit" link
    "heise", "yahoo-2", "wikipedia", "wikipedia-3",
    # a brief in the page's one <article> element, its heading not the title
    "remove-aria-hidden", "visibility-hidden",
])
def test_real_article_is_not_rejected(name):
    assert body_f1(name) > 0


@pytest.mark.parametrize("name", [
    # paragraphs repeated word for word in alike boxes (placeholder text) are all text
    "missing-paragraphs", "social-buttons", "basic-tags-cleaning", "dev418",
    # a post made of lists, its comments' `entry-content` boxes beside it
    "firefox-nightly-blog",
])
def test_whole_body_is_found(name):
    assert body_f1(name) > 0.8


def extract(name: str):
    return extract_article((PAGES / name / "source.html").read_bytes(), URL,
                           "text/html; charset=utf-8")


def test_hidden_text_of_a_brief_is_not_its_body():
    assert "WRONG" not in extract("remove-aria-hidden").articleBody
    assert "Lorem ipsum" not in extract("visibility-hidden").articleBody


@pytest.mark.parametrize("name, authors", [
    ("heise", ["Mac & i"]),                      # one name with "&" in it
    ("cnn", ["Ahiza Garcia"]),                   # a handle and a date in the byline
    ("webmd-1", ["Brenda Goodman"]),             # a degree after the name
    ("lazy-image-1", ["Vincent Vallet"]),        # atomic-CSS "fn", tag links, Follow buttons
    ("herald-sun-1", ["Laurie Oakes"]),          # teasers' bylines are other stories'
    ("lemonde-1", ["Martin Untersinger"]),       # a "follow on Twitter" link
    ("ietf-1", ["F. Kooman", "Michiel de Jong"]),  # Dublin Core "Last, First"
    ("aclu", ["Daniel Kahn Gillmor"]),           # JSON-LD in CDATA
    ("ehow-1", ["Lucy Akins"]),                  # the site beside the writer
])
def test_authors_are_the_articles_people(name, authors):
    assert [author.name for author in extract(name).authors] == authors


@pytest.mark.parametrize("name, headline, published", [
    ("ietf-1", "remoteStorage", "2014-12-15"),                       # dc.title
    ("dropbox-blog", "How we designed Dropbox ATF: an async task framework",
     "2020-11-11T18:00:00Z"),                                         # <meta publishdate>
    ("ehow-1", "How to Build a Terrarium", "2007-05-29T09:49:00Z"),
])
def test_headline_and_dates(name, headline, published):
    article = extract(name)
    assert (article.headline, article.datePublished) == (headline, published)
