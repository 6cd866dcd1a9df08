"""Is the page one article? Short pages weighed by what their HTML says about them."""

from __future__ import annotations

import html
import json

import pytest

from gossipcrawl.pages.generic import NotAnArticle
from gossipcrawl.pages.registry import extract_article

URL = "https://soaps.example/news/kristen-returns/"
# A gossip brief: 250 characters in two paragraphs, under a heading that is not the title.
BRIEF = ("<h1>She is back</h1><p>Kristen Alderson is returning to General Hospital as Kiki "
         "next month, a source close to the show confirmed on Friday.</p><p>The actress "
         "left Port Charles in 2019 and has since appeared in two streaming dramas and a "
         "holiday film.</p>")
TITLE = "<title>GH casting news: Kristen Alderson returns</title>"


def verdict(body: str) -> str:
    page = f"<html><head>{TITLE}</head><body>{body}</body></html>".encode()
    try:
        article = extract_article(page, URL, "text/html; charset=utf-8")
    except NotAnArticle as exc:
        return f"rejected: {exc.reason}"
    return f"article: {len(article.articleBody)} characters"


@pytest.mark.parametrize("wrapper", [
    "<article>{}</article>",
    "<div itemscope itemtype='https://schema.org/NewsArticle'>{}</div>",
    "<main><article class='post'><div class='entry'>{}</div></article></main>",
])
def test_a_short_story_the_html_marks_as_one_article_is_an_article(wrapper):
    assert verdict(wrapper.format(BRIEF)).startswith("article:")


def test_the_same_short_text_without_any_article_markup_is_too_little():
    assert "too little text" in verdict(f"<div class='main'>{BRIEF}</div>")


def test_one_article_element_wrapping_teasers_is_still_a_listing():
    teasers = "".join(f"<h2><a href='/news/story-{i}/'>Another story number {i}</a></h2>"
                      f"<p>A line about story {i}.</p>" for i in range(4))
    assert verdict(f"<article>{teasers}</article>").startswith("rejected: listing page")


def test_several_article_elements_are_no_mark_of_one_story():
    other = "<article><h2>Elsewhere</h2><p>Another brief about another show.</p></article>"
    assert "too little text" in verdict(f"<article>{BRIEF}</article>{other}{other}")


def test_a_short_post_titled_by_a_bare_h2_that_agrees_with_the_title_is_an_article():
    # An old theme: the blog's section in the <h1>, the post's title in a bare <h2>.
    post = BRIEF.replace("<h1>She is back</h1>",
                         "<h1>Latest news</h1><h2>GH casting news: Kristen Alderson returns</h2>")
    assert verdict(f"<div class='main'>{post}</div>").startswith("article:")


def jsonld_page(body: str, article_body: str) -> bytes:
    node = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                       "headline": "GH casting news: Kristen Alderson returns",
                       "articleBody": article_body})
    return (f"<html><head>{TITLE}<script type='application/ld+json'>{node}</script></head>"
            f"<body>{body}</body></html>").encode()


STORY = ["Kristen Alderson is returning to General Hospital as Kiki next month, a source "
         "close to the show confirmed on Friday.",
         "The actress left Port Charles in 2019 &amp; has since appeared in two streaming "
         "dramas and a holiday film."]


def test_an_app_shell_whose_jsonld_tells_the_story_gives_that_story():
    page = jsonld_page("<div id='root'><h1>She is back</h1></div><script>app()</script>",
                       "\n".join(STORY))
    article = extract_article(page, URL, "text/html; charset=utf-8")
    assert article.articleBody.split("\n\n") == [html.unescape(p) for p in STORY]


def test_the_pages_own_text_wins_over_a_jsonld_body_of_the_same_story():
    page = jsonld_page(BRIEF, "\n".join(STORY) + "\nA line only the JSON-LD has.")
    article = extract_article(page, URL, "text/html; charset=utf-8")
    assert "only the JSON-LD" not in article.articleBody
