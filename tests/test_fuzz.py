"""Fuzzing the extraction entry point with generated HTML (hypothesis).

Whatever document comes in, `extract_article` either returns an Article whose record
validates against `gossipcrawl/schemas/article.json`, or raises NotAnArticle / NotHtml.
Anything else (a KeyError, a TypeError, a RecursionError) is a bug that would cost a crawl a
page; hypothesis shrinks it to a small document to reproduce.
"""

from __future__ import annotations

import json

import jsonschema
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gossipcrawl.extract.html import NotHtml
from gossipcrawl.items import to_record
from gossipcrawl.pages.generic import NotAnArticle
from gossipcrawl.pages.registry import extract_article
from gossipcrawl.schemas import article_schema

URL = "https://soaps.example/2024/07/gh-sonny-returns/"
VALIDATOR = jsonschema.Draft202012Validator(article_schema())

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Words that matter to the extractor: boilerplate class names, show names, bylines, dates.
CLASS_WORDS = ["article", "post", "entry-content", "content", "main", "story", "body", "nav",
               "menu", "footer", "header", "sidebar", "related", "share", "social", "comment",
               "comments", "comment-respond", "author", "byline", "bio", "newsletter", "ad",
               "advert", "promo", "caption", "breadcrumb", "tags", "widget", "hidden", "sr-only",
               "wp-block-quote", "td-post-content", "jeg_post", "x"]
TEXT_WORDS = ["General Hospital", "GH", "Y&R", "Days of Our Lives", "Sonny", "Carly",
              "returns", "spoilers", "By", "Jane Writer", "Posted on", "July 10, 2024",
              "2024-07-10T18:32:11Z", "Read more", "Share", "Leave a Reply", "Comment",
              "Required fields are marked *", "&amp;", "&nbsp;", "<", ">", "\u00e9",
              "\u201c", "\u200b", "\ufffd", "\U0001F600", "123", ""]
BLOCK_TAGS = ["div", "section", "article", "main", "aside", "nav", "header", "footer", "ul",
              "ol", "li", "blockquote", "figure", "figcaption", "table", "tr", "td", "form",
              "span", "font", "center", "noscript", "template", "svg"]
LEAF_TAGS = ["p", "h1", "h2", "h3", "h4", "a", "em", "strong", "b", "time", "label", "img",
             "br", "hr", "input", "textarea", "button", "select", "iframe", "script", "style"]
ATTRIBUTE_NAMES = ["class", "id", "href", "rel", "itemprop", "itemtype", "itemscope",
                   "datetime", "content", "name", "type", "value", "action", "method",
                   "required", "aria-required", "hidden", "style", "lang", "role", "src",
                   "data-id", "for"]
ATTRIBUTE_VALUES = ["", "author", "nofollow", "next", "canonical", "/", "#", "?p=1",
                    "/news/other-story/", "https://soaps.example/author/jane/",
                    "javascript:void(0)", "mailto:x@y", "//cdn.example/x.jpg", "https://",
                    "2024-13-45T99:99:99Z", "2024-07-10", "headline", "datePublished",
                    "https://schema.org/NewsArticle", "post", "get", "comment", "hidden",
                    "display:none", "en", "xx-INVALID", "\"quoted\"", "a b c"]

text = st.lists(st.sampled_from(TEXT_WORDS) | st.text(max_size=8), max_size=6).map(" ".join)
attributes = st.lists(
    st.tuples(st.sampled_from(ATTRIBUTE_NAMES),
              st.sampled_from(ATTRIBUTE_VALUES) | st.lists(st.sampled_from(CLASS_WORDS),
                                                           max_size=3).map(" ".join)),
    max_size=3)


def render_attributes(pairs) -> str:
    return "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in pairs)


leaf = st.builds(lambda tag, attrs, body: f"<{tag}{render_attributes(attrs)}>{body}</{tag}>",
                 st.sampled_from(LEAF_TAGS), attributes, text)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["@type", "@graph", "@id", "headline", "name",
                                       "author", "datePublished", "dateModified",
                                       "articleBody", "image", "url", "inLanguage",
                                       "itemListElement", "keywords", "publisher",
                                       "comment", "commentCount", "description"]),
                      children, max_size=6),
    max_leaves=8)
jsonld = st.one_of(
    json_values.map(lambda value: json.dumps(value, allow_nan=True)),
    st.builds(lambda types, headline, rest: json.dumps(
        {"@context": "https://schema.org", "@type": types, "headline": headline, **rest}),
        st.sampled_from(["NewsArticle", "Article", "BlogPosting", "WebPage", "CollectionPage",
                         ["NewsArticle", "WebPage"], "ItemList", 7]),
        text, st.dictionaries(st.sampled_from(["datePublished", "author", "articleBody",
                                               "image", "@graph"]), json_values, max_size=3)),
    text,  # not JSON at all
).map(lambda block: f'<script type="application/ld+json">{block}</script>')

meta = st.builds(
    lambda key, name, value: f'<meta {key}="{name}" content="{value.replace(chr(34), "")}">',
    st.sampled_from(["name", "property", "itemprop"]),
    st.sampled_from(["og:type", "og:title", "og:site_name", "og:image", "description",
                     "author", "article:published_time", "article:modified_time",
                     "article:tag", "twitter:title", "date", "keywords", "og:url"]),
    text | st.sampled_from(ATTRIBUTE_VALUES))

form = st.builds(
    lambda attrs, fields: f"<form{render_attributes(attrs)}>{''.join(fields)}</form>",
    attributes,
    st.lists(st.builds(lambda tag, attrs: f"<{tag}{render_attributes(attrs)}></{tag}>",
                       st.sampled_from(["input", "textarea", "label", "select", "button"]),
                       attributes), max_size=6))

nodes = st.recursive(
    leaf | text | form,
    lambda children: st.builds(
        lambda tag, attrs, kids, closed: f"<{tag}{render_attributes(attrs)}>{''.join(kids)}"
        + (f"</{tag}>" if closed else ""),
        st.sampled_from(BLOCK_TAGS), attributes, st.lists(children, max_size=4), st.booleans()),
    max_leaves=16)

documents = st.builds(
    lambda lang, title, head, body, doctype: (
        f"{doctype}<html{lang}><head><title>{title}</title>{''.join(head)}</head>"
        f"<body>{''.join(body)}</body></html>"),
    st.sampled_from(["", ' lang="en"', ' lang="en-GB"', ' lang="fr"', ' lang=""']),
    text,
    st.lists(jsonld | meta, max_size=4),
    st.lists(nodes, max_size=4),
    st.sampled_from(["", "<!DOCTYPE html>", '<?xml version="1.0" encoding="utf-8"?>']))

encodings = st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"])
content_types = st.sampled_from([None, "text/html", "text/html; charset=utf-8",
                                 "text/html; charset=iso-8859-1", "application/xhtml+xml",
                                 "text/html; charset=bogus"])

# A page that gives an article, to make sure every run also walks the whole item path.
ARTICLE = ('<html lang="en"><head><title>Sonny returns - Soaps</title>'
           '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
           '"Sonny returns", "datePublished": "2024-07-10T18:32:11Z", "author": '
           '{"name": "Jane Writer"}}</script></head><body><article><h1>Sonny returns</h1>'
           + "<p>General Hospital fans saw Sonny come home to Port Charles this week.</p>" * 4
           + '</article><form action="/wp-comments-post.php" method="post"><textarea '
           'name="comment"></textarea></form></body></html>')


def check(body: bytes, content_type: str | None) -> None:
    try:
        article = extract_article(body, URL, content_type)
    except (NotAnArticle, NotHtml):
        return
    record = to_record(article, date_downloaded="2024-07-10T18:32:11Z", crawl_id="fuzz")
    errors = sorted(VALIDATOR.iter_errors(record), key=lambda error: list(error.path))
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors[:5]]
    json.dumps(record, ensure_ascii=False)


@FUZZ
@given(documents, encodings, content_types)
@example(ARTICLE, "utf-8", "text/html")
@example(ARTICLE, "utf-16", None)
def test_generated_documents(document, encoding, content_type):
    check(document.encode(encoding, errors="replace"), content_type)


@FUZZ
@given(nodes, nodes, nodes, st.lists(jsonld | meta, max_size=3), st.data())
def test_article_with_generated_surroundings(head, inside, after, blocks, data):
    """The known article with generated content before, inside and after it."""
    body = ARTICLE.replace("</head>", "".join(blocks) + "</head>", 1).replace(
        "<body>", "<body>" + head, 1).replace(
        "</h1>", "</h1>" + inside, 1).replace("</body>", after + "</body>", 1)
    check(body.encode("utf-8"), data.draw(content_types))


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes(body):
    check(body, "text/html")
