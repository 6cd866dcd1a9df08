"""The article body extractor: structure, boilerplate, and quality on real pages."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from gossipcrawl.extract.body import extract_sections, sections_to_text
from gossipcrawl.extract.html import decode_html, parse_html

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BENCHMARK = SHARED / "benchmarks" / "article-extraction"

P1 = ("Kristen Alderson is returning to General Hospital as Kiki's sister Starr, the soap "
      "confirmed on Monday after weeks of rumours among fans of the long-running drama.")
P2 = ("The actress, who won a Daytime Emmy for her work on One Life to Live, told viewers "
      "that she had missed the Port Charles family and could not wait to be back on set.")
P3 = ("Executive producer Frank Valentini said the storyline would pick up where the last "
      "one ended, with Starr facing the consequences of a decision she made years ago.")
P4 = ("Fans will see her first scenes in the week of March 4, and the show promises that "
      "several familiar faces will be waiting for her when she walks into the Metro Court.")

NAV = """<header class="site-header"><nav><ul><li><a href="/">Home</a></li>
<li><a href="/gh">General Hospital</a></li><li><a href="/yr">Young and the Restless</a></li>
</ul></nav></header>"""
SIDEBAR = """<div class="sidebar"><h3>Trending</h3><ul>
<li><a href="/a">Days of our Lives spoilers: Marlena faces a shocking truth this week</a></li>
<li><a href="/b">The Bold and the Beautiful: Steffy and Finn make a big decision</a></li>
<li><a href="/c">Young and the Restless: Victor plots against Adam once again</a></li>
</ul><p>Our sidebar blurb talks about the site, its writers and its long history with the
soaps, and it is long enough to look like a paragraph to a naive extractor.</p></div>"""
FOOTER = """<footer><p>Copyright 2024 Soap Gossip Media. All rights reserved. Reproduction of
material from any pages without written permission is strictly prohibited.</p></footer>"""


def page(article: str, *, title: str = "Kristen Alderson returns to General Hospital") -> str:
    return f"""<!doctype html><html><head><title>{title} | Soap Gossip</title></head>
<body>{NAV}<div id="main"><div class="content">{article}</div>{SIDEBAR}</div>{FOOTER}
</body></html>"""


def body_of(html: str, **kwargs) -> str:
    return sections_to_text(extract_sections(parse_html(html), **kwargs))


def paragraphs(html: str, **kwargs) -> list[str]:
    return body_of(html, **kwargs).split("\n\n")


# --- structure -------------------------------------------------------------------------

def test_plain_article_keeps_paragraphs_in_order_and_drops_the_page_around_it():
    html = page(f"<article><h1>Kristen Alderson returns</h1><p>{P1}</p><p>{P2}</p>"
                f"<p>{P3}</p></article>")
    assert paragraphs(html) == [P1, P2, P3]


def test_subheadings_start_sections_and_the_first_heading_is_none():
    html = page(f"<div class='entry-content'><p>{P1}</p><h2>What comes next</h2><p>{P2}</p>"
                f"<p>{P3}</p><h3>When to watch</h3><p>{P4}</p></div>")
    sections = extract_sections(parse_html(html))
    assert sections == [
        {"heading": None, "paragraphs": [P1]},
        {"heading": "What comes next", "paragraphs": [P2, P3]},
        {"heading": "When to watch", "paragraphs": [P4]},
    ]
    assert sections_to_text(sections) == "\n\n".join(
        [P1, "What comes next", P2, P3, "When to watch", P4])


def test_text_opening_with_a_subheading_still_has_a_first_section_without_heading():
    html = page(f"<div class='entry-content'><h2>The news</h2><p>{P1}</p><p>{P2}</p></div>")
    sections = extract_sections(parse_html(html))
    assert sections[0]["heading"] is None
    assert sections_to_text(sections) == "\n\n".join(["The news", P1, P2])


def test_list_items_are_blocks():
    html = page(f"<div class='post-content'><p>{P1}</p><ul><li>Starr Manning, played by "
                f"Kristen Alderson</li><li>Kiki Jerome, her sister</li></ul><p>{P2}</p></div>")
    assert paragraphs(html) == [P1, "Starr Manning, played by Kristen Alderson",
                                "Kiki Jerome, her sister", P2]


def test_old_theme_text_directly_in_a_div_split_at_double_breaks():
    html = page(f"<table><tr><td class='story'>{P1}<br><br>{P2}<br>\n<br>{P3}<br>"
                "continued on the same paragraph</td></tr></table>")
    assert paragraphs(html) == [P1, P2, P3 + " continued on the same paragraph"]


def test_whitespace_is_normalized_and_no_block_is_empty():
    html = page(f"<div class='article-body'><p>  {P1[:60]}\n\n   {P1[60:]}  </p><p> </p>"
                f"<p>\u200b</p><p>{P2}</p><div>   </div></div>")
    blocks = paragraphs(html)
    assert blocks == [" ".join(P1.split()), P2]
    assert all(block.strip() for block in blocks)


def test_inline_markup_joins_without_extra_spaces():
    html = page(f"<div class='article-body'><p>General <b>Hos</b>pital's <a href='/x'>Starr"
                f"</a>, <em>again</em>. {P1}</p><p>{P2}</p></div>")
    assert paragraphs(html)[0] == f"General Hospital's Starr, again. {P1}"


def test_table_rows_read_as_lines():
    html = page(f"<div class='entry-content'><p>{P1}</p><table><tr><th>Show</th><th>Network"
                "</th></tr><tr><td>General Hospital</td><td>ABC</td></tr></table>"
                f"<p>{P2}</p></div>")
    assert paragraphs(html) == [P1, "Show Network", "General Hospital ABC", P2]


# --- boilerplate inside the article -----------------------------------------------------

def test_ads_are_dropped():
    html = page(f"<div class='entry-content'><p>{P1}</p><div class='ad-slot'><p>Advertisement"
                "</p><script>googletag.display('x')</script></div><div id='div-gpt-ad-1'>"
                f"</div><p>{P2}</p><p>ADVERTISEMENT</p><p>{P3}</p></div>")
    assert paragraphs(html) == [P1, P2, P3]


def test_share_bar_is_dropped():
    html = page(f"<div class='entry-content'><div class='share-buttons'><a>Share on Facebook"
                "</a><a>Share on Twitter</a><span>Share this article with your friends and "
                f"family who love soaps</span></div><p>{P1}</p><p>{P2}</p>"
                "<div class='sharedaddy'><h3>Share this:</h3><ul><li><a>Twitter</a></li>"
                "</ul></div></div>")
    assert paragraphs(html) == [P1, P2]


def test_also_read_and_related_boxes_are_dropped():
    html = page(f"<div class='entry-content'><p>{P1}</p><p><strong>ALSO READ:</strong> "
                "<a href='/x'>General Hospital spoilers for next week</a></p>"
                f"<p>{P2}</p><p>Related: <a href='/y'>Why Starr left Llanview in 2012 and "
                "what she did next</a></p><div class='related-posts'><h4>You may also like"
                f"</h4><p>A teaser for another story about the soaps.</p></div><p>{P3}</p>"
                "<p><a href='/z'>Read more: Kiki's story so far, from her first scene to "
                "now</a></p></div>")
    assert paragraphs(html) == [P1, P2, P3]


def test_newsletter_box_inside_the_body_is_dropped():
    html = page(f"<div class='entry-content'><p>{P1}</p><div class='newsletter-signup'>"
                "<h3>Get the latest soap news</h3><p>Sign up for our daily newsletter and "
                "never miss a twist.</p><form><input type='email'></form></div>"
                f"<p>{P2}</p><p>Sign up for the Soap Gossip newsletter to get spoilers in "
                "your inbox every morning.</p></div>")
    assert paragraphs(html) == [P1, P2]


def test_captions_are_dropped():
    html = page(f"<div class='entry-content'><figure><img src='a.jpg'><figcaption>Kristen "
                f"Alderson as Starr (Photo: ABC)</figcaption></figure><p>{P1}</p>"
                "<div class='wp-caption'><img src='b.jpg'><p class='wp-caption-text'>Starr "
                f"and Kiki at the Metro Court in a scene from 2012.</p></div><p>{P2}</p>"
                "<p>Photo credit: ABC/Christine Bartolucci</p></div>")
    assert paragraphs(html) == [P1, P2]


def test_author_bio_and_tags_are_dropped():
    html = page(f"<div class='entry-content'><p>{P1}</p><p>{P2}</p>"
                "<div class='author-bio'><p>Jane Smith has written about daytime television "
                "for twenty years and watches every soap, every day, with a notebook.</p>"
                "</div><div class='post-tags'><span>Tags:</span><a>General Hospital</a>"
                "<a>Kristen Alderson</a></div></div>")
    assert paragraphs(html) == [P1, P2]


def test_comments_are_dropped_even_when_longer_than_the_story():
    comment = ("I have watched this show since I was a child and I think this is the best "
               "news in years, welcome back Starr, we missed you so much in Port Charles. ")
    thread = "".join(f"<li class='comment'><p>{comment * 3}</p></li>" for _ in range(12))
    html = page(f"<article><div class='entry-content'><p>{P1}</p><p>{P2}</p></div>"
                f"<div id='comments' class='comments-area'><h2>12 comments</h2>"
                f"<ol class='comment-list'>{thread}</ol></div></article>")
    assert paragraphs(html) == [P1, P2]


def test_pull_quote_repeating_the_text_is_dropped_but_real_quotes_stay():
    quote = "I could not wait to be back on set"
    html = page(f"<div class='entry-content'><p>{P1}</p><blockquote class='wp-block-quote'>"
                f"<p>{quote}</p></blockquote><p>{P2.replace('could not wait', 'could not wait')}"
                f" She said: \"{quote} with everyone.\"</p><blockquote><p>This is a real "
                "quote from her statement, which appears nowhere else in the article.</p>"
                f"</blockquote><p>{P3}</p></div>")
    blocks = paragraphs(html)
    assert quote not in blocks
    assert ("This is a real quote from her statement, which appears nowhere else in the "
            "article.") in blocks
    assert blocks[0] == P1 and blocks[-1] == P3


def test_headline_repeated_at_the_top_is_dropped():
    headline = "Kristen Alderson returns to General Hospital"
    html = page(f"<div class='entry-content'><h2>{headline}</h2><p>{P1}</p><p>{P2}</p></div>")
    assert paragraphs(html, headline=headline) == [P1, P2]
    # An <h1> at the top of the text is the title, with or without a known headline.
    html = page(f"<article><h1>{headline}!</h1><p>{P1}</p><p>{P2}</p></article>")
    assert paragraphs(html) == [P1, P2]


def test_hidden_and_script_content_is_dropped():
    html = page(f"<div class='entry-content'><p>{P1}</p><p style='display: none'>Hidden "
                "text that no reader sees on this page at all.</p><noscript>Please enable "
                f"JavaScript to view this page.</noscript><p>{P2}</p></div>")
    assert paragraphs(html) == [P1, P2]


@pytest.mark.parametrize("gallery", [
    "<aside class='gallery' aria-hidden='true'>{}</aside>",
    "<aside class='lightbox'>{}</aside>",
])
def test_a_gallery_layer_in_an_aside_never_outweighs_the_story(gallery):
    caption = ("Kristen Alderson and the cast of General Hospital on set at the Metro Court "
               "during the taping of the episode that airs on March {}.")
    captions = "".join(f"<p>{caption.format(day)}</p>" for day in range(1, 9))
    html = page(f"<article><h1>Kristen Alderson returns</h1><p>{P1}</p><p>{P2}</p>"
                f"{gallery.format(captions)}</article>")
    assert paragraphs(html) == [P1, P2]


TERMS = ("By signing in you agree to our terms of service and privacy policy, which say how "
         "we use your data and cookies across our network of sites and apps.")


@pytest.mark.parametrize("layer", [
    # a login popup: its form's messages outweigh a short story
    "<div class='login-modal'><h2>Sign in</h2><form><p class='error'>The password you "
    f"entered is incorrect. Please try again.</p>{f'<p>{TERMS}</p>' * 4}</form></div>",
    # a banner fixed over the page, named nothing
    "<div class='browser-banner' style='position: fixed; top: 0'>"
    + "<p>Your browser is out of date and may not display this site correctly. Please "
      "update your browser to the latest version for the best experience.</p>" * 4 + "</div>",
    # a newsletter popup hidden until a timer shows it
    "<div class='newsletter-popup' style='display: none'>"
    + "<p>Subscribe to our newsletter and get the latest soap spoilers straight to your "
      "inbox every single morning before anyone else knows them.</p>" * 4 + "</div>",
])
def test_a_layer_over_the_page_outweighing_a_short_story_is_not_the_story(layer):
    html = (f"<html><body>{layer}<h1>Kristen Alderson returns</h1><p>{P1}</p><p>{P2}</p>"
            "</body></html>")
    assert paragraphs(html) == [P1, P2]


def test_a_wrapper_named_an_overlay_around_the_headline_is_the_page():
    html = page(f"<div class='body_overlay'><h1>Kristen Alderson returns</h1><p>{P1}</p>"
                f"<p>{P2}</p><p>{P3}</p></div>")
    assert paragraphs(html) == [P1, P2, P3]


@pytest.mark.parametrize("stamp", ["2023-11-17 20:52:15", "17.11.2023, 10:27 Uhr",
                                   "11/17/2023 8:52 PM EST", "2023年11月17日",
                                   "2023年11月17日 10時12分 配信", "Posted March 3",
                                   "Veröffentlicht am 3. März 2021, 10:12 Uhr"])
def test_a_bare_time_stamp_under_the_headline_is_not_text(stamp):
    html = page(f"<article><h1>Kristen Alderson returns</h1><div class='info'>{stamp}</div>"
                f"<p>{P1}</p><p>{P2}</p></article>")
    assert paragraphs(html) == [P1, P2]


def test_embedded_tweet_text_is_kept():
    tweet = "So happy to be home in Port Charles! See you all on Monday #GH"
    html = page(f"<div class='entry-content'><p>{P1}</p><blockquote class='twitter-tweet'>"
                f"<p>{tweet}</p>— Kristen Alderson (@KristenAlderson)</blockquote>"
                f"<p>{P2}</p></div>")
    assert tweet in body_of(html)


# --- choosing the container -------------------------------------------------------------

def test_listing_of_teasers_does_not_outweigh_a_short_article():
    teasers = "".join(
        f"<article class='card'><h3><a href='/s{i}'>Another story number {i}</a></h3>"
        f"<p>{P4}</p></article>" for i in range(8))
    html = page(f"<article class='post'><div class='entry-content'><p>{P1}</p><p>{P2}</p>"
                f"</div></article><section class='more'>{teasers}</section>")
    assert paragraphs(html) == [P1, P2]


def test_body_split_in_same_class_blocks_is_merged():
    html = page(f"<div class='story-body'><p>{P1}</p><p>{P2}</p></div><div class='ad'>"
                f"</div><div class='story-body'><p>{P3}</p><p>{P4}</p></div>")
    assert paragraphs(html) == [P1, P2, P3, P4]


def test_jsonld_body_points_to_the_right_container():
    other = " ".join([P4] * 6)
    html = page(f"<div class='promo-box'><p>{other}</p></div><div><p>{P1}</p><p>{P2}</p>"
                f"<p>{P3}</p></div>")
    jsonld = " ".join([P1, P2, P3])[:-20]
    assert paragraphs(html, jsonld_body=jsonld) == [P1, P2, P3]


def test_the_shared_tree_is_not_modified():
    html = page(f"<div class='entry-content'><p>{P1}</p><div class='share'>Share</div>"
                f"<p>{P2}</p></div>")
    root = parse_html(html)
    before = lxml.html.tostring(root)
    extract_sections(root, headline="Kristen Alderson returns")
    assert lxml.html.tostring(root) == before


def test_page_without_text_gives_no_sections():
    assert extract_sections(parse_html("<html><body><div></div></body></html>")) == []
    assert sections_to_text([]) == ""


# --- quality on real pages --------------------------------------------------------------

def _shingles(text: str) -> Counter:
    tokens = re.findall(r"\w+", text)
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3))


@pytest.mark.skipif(not (BENCHMARK / "ground-truth.json").is_file(),
                    reason=f"benchmark data not found at {BENCHMARK}")
def test_body_f1_on_benchmark_pages():
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[::18][:10]  # ten pages spread over the set
    precisions, recalls = [], []
    for key in keys:
        raw = gzip.decompress((BENCHMARK / "html" / f"{key}.html.gz").read_bytes())
        root = parse_html(decode_html(raw, "text/html; charset=utf-8"))
        pred = sections_to_text(extract_sections(root))
        t, p = _shingles(truth[key]["articleBody"]), _shingles(pred)
        tp = sum((t & p).values())
        precisions.append(tp / max(1, sum(p.values())))
        recalls.append(tp / max(1, sum(t.values())))
    precision = sum(precisions) / len(keys)
    recall = sum(recalls) / len(keys)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.9, (precision, recall, f1)


# --- repeated blocks, teaser lists, comment containers (issue 15) -------------------------

LONG = ("The producers said that the storyline had been planned for more than a year and "
        "that every member of the family would be tested before it ends, in a statement.")


def test_a_paragraph_repeated_in_alike_boxes_is_kept_each_time():
    html = page(f"<div><p>{P1}</p><p>{LONG}</p></div><div><p>{P2}</p><p>{LONG}</p></div>")
    assert paragraphs(html).count(LONG) == 2


def test_a_responsive_copy_in_a_differently_marked_box_is_dropped():
    html = page(f"<p>{P1}</p><div class='only-mobile'><p>{LONG}</p></div>"
                f"<p>{P2}</p><div class='only-desktop'><p>{LONG}</p></div><p>{P3}</p>")
    assert paragraphs(html).count(LONG) == 1


def test_a_comment_body_named_entry_content_is_never_the_article():
    bullets = "".join(f"<li>{text}</li>" for text in (P1, P2, P3, P4))
    comments = "".join(f"<div class='comment'><div class='entry-content'><p>{LONG} {LONG}"
                       f"</p></div></div>" for _ in range(3))
    html = page(f"<div class='entry-content'><p>Short intro.</p><ul>{bullets}</ul></div>"
                f"<div id='comments'>{comments}</div>")
    body = body_of(html)
    assert P1 in body and P4 in body
    assert LONG not in body


# --- recall on pages built unlike ours (readability test pages) --------------------------

def test_a_body_cut_in_sections_each_wrapped_in_columns_is_read_whole():
    # Each part of the story sits in its own section > column > inner box, same classes.
    def part(text: str) -> str:
        return (f"<section class='story-part'><div class='column'><div class='inner'>{text}"
                "</div></div></section>")
    html = page("<article>" + part(f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>") + "<hr>"
                + part(f"<p>{P4}</p>") + "</article>")
    assert paragraphs(html) == [P1, P2, P3, P4]


def test_numbered_parts_of_a_body_are_one_kind_of_box():
    def part(n: int, text: str) -> str:
        return (f"<div class='story-supplemental'><div class='story-body story-body-{n}'>"
                f"{text}</div></div>")
    html = page(part(1, f"<p>{P1}</p>") + "<div class='ad'></div>"
                + part(2, f"<p>{P2}</p><p>{P3}</p><p>{P4}</p>"))
    assert paragraphs(html) == [P1, P2, P3, P4]


def test_grid_columns_sharing_only_a_number_are_not_parts_of_the_body():
    html = page(f"<div class='row'><div class='col-8'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
                f"<div class='col-4'><p>{LONG}</p></div></div>")
    assert LONG not in body_of(html)


def test_a_long_data_table_keeps_the_text_around_it():
    rows = "".join(f"<tr><td>{2000 + i}</td><td>Episode {i}: {P4}</td></tr>" for i in range(6))
    html = page(f"<div class='list-page'><p>{P1}</p><table><caption>Episodes</caption>"
                f"<tr><th>Year</th><th>Plot</th></tr>{rows}</table><p>{P2}</p></div>")
    body = body_of(html)
    assert P1 in body and P2 in body
    assert f"2003 Episode 3: {P4}" in body


def test_mostly_linked_items_of_a_written_list_are_kept():
    items = ["Starr returns to Port Charles after seven years away from the show",
             "Kiki <a href='/kiki'>finally learns the truth about her sister</a>",
             "Michael and Willow plan a wedding that the whole town will attend"]
    html = page(f"<div class='entry-content'><p>{P1}</p><ul>"
                + "".join(f"<li>{item}</li>" for item in items) + f"</ul><p>{P2}</p></div>")
    assert "Kiki finally learns the truth about her sister" in paragraphs(html)


def test_related_stories_under_a_div_styled_as_a_heading_end_the_article():
    teasers = "".join(f"<li>Story {i} of the week: <a href='/s{i}'>one twist</a></li>"
                      for i in range(4))
    html = page(f"<div class='entry-content'><p>{P1}</p><p>{P2}</p><hr>"
                f"<div class='heading-h3'>More Great Soap Stories</div><ul>{teasers}</ul>"
                "</div>")
    assert paragraphs(html) == [P1, P2]


def test_a_subheading_with_a_permalink_stays_a_subheading():
    html = page(f"<div class='entry-content'><p>{P1}</p><h2><a href='#next'>What comes next"
                f"</a><a class='headerlink' href='#next'>¶</a></h2><p>{P2}</p></div>")
    sections = extract_sections(parse_html(html))
    assert [s["heading"] for s in sections] == [None, "What comes next¶"]


def test_mathml_formulas_are_read_as_text():
    formula = ("<math display='block'><mi>x</mi><mo>=</mo><mn>2</mn><mi>a</mi>"
               "<semantics><annotation encoding='application/x-tex'>x=2a</annotation>"
               "</semantics></math>")
    html = page(f"<div class='entry-content'><p>{P1}</p><p>When <math><mi>a</mi><mo>≠</mo>"
                f"<mn>0</mn></math>, the ratings double.</p>{formula}<p>{P2}</p></div>")
    assert paragraphs(html) == [P1, "When a ≠ 0 , the ratings double.", "x = 2 a", P2]


def test_a_page_builders_numbered_widget_boxes_are_the_story_told_in_parts():
    # Each box is a "widget" (a sidebar word) with its own numbered class beside the
    # shared ones: together they hold the story, so the word does not drop them.
    def widget(number: str, kind: str, inner: str) -> str:
        return (f"<div class='elementor-element elementor-element-{number} elementor-widget "
                f"elementor-widget-{kind}'><div class='elementor-widget-container'>{inner}"
                "</div></div>")
    html = page("<div class='elementor-widget-wrap'>"
                + widget("1a2b3c4d", "text-editor", f"<p>{P1}</p>")
                + widget("99ff00aa", "image", "<img src='/a.jpg' alt=''>")
                + widget("0c0ffee1", "text-editor", f"<p>{P2}</p>")
                + widget("be11a5e2", "text-editor", f"<p>{P3}</p>") + "</div>")
    assert paragraphs(html) == [P1, P2, P3]


def test_one_widget_box_beside_the_story_is_still_dropped():
    gallery = " ".join([P4] * 2)
    html = page(f"<div class='text-wrapper'><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
                f"<div class='dnd-widget-wrapper type-gallery'><p>{gallery}</p></div>"
                f"<div class='dnd-widget-wrapper type-image'><p>A photo caption.</p></div>"
                f"<p>{P1[:60]} again, to close.</p></div>")
    assert gallery not in body_of(html)


def test_a_subheadings_anchor_id_made_of_its_words_names_nothing():
    html = page(f"<div class='entry-content'><p>{P1}</p>"
                f"<h2 id='share-your-thoughts-on-kiki'>Share your thoughts on Kiki</h2><p>{P2}</p>"
                f"<h3 class='subheading' id='nav_what_comes_next__1'>What comes next</h3>"
                f"<p>{P3}</p></div>")
    assert extract_sections(parse_html(html)) == [
        {"heading": None, "paragraphs": [P1]},
        {"heading": "Share your thoughts on Kiki", "paragraphs": [P2]},
        {"heading": "What comes next", "paragraphs": [P3]},
    ]


@pytest.mark.parametrize("label", [
    # reading times, alone or after a link's label
    "4 Min Read", "Lesezeit: 3 Minuten", "weiterlesen 5 Minuten", "Temps de lecture : 2 min",
    # a byline's word left once its name is read elsewhere
    "By",
])
def test_labels_around_the_story_are_not_text(label):
    html = page(f"<article><h1>Kristen Alderson returns</h1><div class='info'>{label}</div>"
                f"<p>{P1}</p><p>{P2}</p></article>")
    assert paragraphs(html) == [P1, P2]


@pytest.mark.parametrize("footer", [
    # tags, in other languages too, and a post's comment status
    "<p>Tags: <a href='/tag/gh/'>GH</a>, <a href='/tag/kiki/'>Kiki</a></p>",
    "<p>Schlagworte: <a href='/tag/gh/'>GH</a>, <a href='/tag/kiki/'>Kiki</a></p>",
    "<p><a href='feed/'>Kommentarfeed</a> | Kommentare geschlossen | "
    "<a href='trackback/'>Trackback-URL</a></p>",
    # the label of a box of links whose links are dropped
    "<div class='kastenHead'>Weiterführender Link</div><div><a href='https://x.example/'>"
    "Personal Leadership 5.0</a></div>",
    # boxes after the story headed in other words
    "<h4>Editors’ Recommendations:</h4><ul><li><a href='/a/'>Crates are leaving Rocket League "
    "and the trading community is scrambling</a></li></ul>",
    "<h2 class='attachment__heading'>Schlagworte</h2><p>Brandenburg, Brandenbuch</p>",
    # an author box named by its id, its classes shared with the story's own boxes
    "<div id='mvp-author-box-text' class='left relative'><p>Senior Editor with a focus on "
    "all things tech and gaming. You can keep up with me on Twitter.</p></div>",
    "<div id='author-description'><p>Lesen, Schreiben, Fotografieren. Kreativ sein. Das "
    "alles ist meine Leidenschaft, mit meinen Fotos und mit meinen Texten.</p></div>",
    # a teaser of another story: its summary, then "Read more"
    "<div class='snippet'>Summer is holiday time, and Bella has made the most of it on a "
    "Greek island this week. See for yourself! <strong>Weiterlesen</strong></div>",
])
def test_what_follows_the_story_is_not_text(footer):
    html = page(f"<div class='left relative'><h1>Kristen Alderson returns</h1><p>{P1}</p>"
                f"<p>{P2}</p><p>{P3}</p></div>{footer}")
    assert paragraphs(html) == [P1, P2, P3]


def test_a_paragraph_wrapped_in_a_span_with_a_boilerplate_class_is_still_a_paragraph():
    # Text pasted from another site keeps its classes ("…ContentTags" reads as a tag list).
    pasted = f"<span class='_4n-j _fbReactionComponent__eventDetailsContentTags fsl'>{P2}</span>"
    html = page(f"<div class='entry-content'><p>{P1}</p><p>{pasted}</p>"
                f"<p>{P3} <span class='sr-only'>Opens in a new window</span></p>"
                "<p><span class='image-container'><img src='/kiki.jpg' alt=''><span class="
                "'caption'>Kristen Alderson at the Daytime Emmys in Pasadena.</span></span></p>"
                "</div>")
    assert paragraphs(html) == [P1, P2, P3]


def test_a_written_address_is_text_not_a_link():
    html = page(f"<div class='entry-content'><p>{P1}</p><p>Send us your memories:</p>"
                "<p><a href='mailto:memories@soaps.example'>memories@soaps.example</a></p>"
                f"<p>{P2}</p></div>")
    assert paragraphs(html) == [P1, "Send us your memories:", "memories@soaps.example", P2]


def test_a_one_paragraph_post_outweighed_by_a_box_of_next_stories_is_still_found():
    teasers = "".join(
        f"<div class='nextstory'><h3><a href='/2024/03/0{i}/story-{i}/'>Another story {i}</a>"
        f"</h3><p>{P4} {P3}</p></div>" for i in range(1, 7))
    html = page(f"<div id='story'><p>{P1}</p></div><div id='next-post-thumbnails'>{teasers}"
                "</div>")
    assert paragraphs(html) == [P1]


def test_sections_sharing_a_boilerplate_class_name_are_the_text_whatever_else_they_say():
    # Every section of a review is classed "...--Ads" (ads go between them); its conclusion
    # also says "--Conclusion" and holds less than half the text on its own.
    def section(kind: str, heading: str, text: str) -> str:
        return (f"<section class='Report__Section {kind} Report__Section--Ads'><h2>{heading}</h2>"
                f"<p>{text}</p></section>")
    html = page("<article class='Report'>" + section("Report__Section--Conclusion", "Verdict", P1)
                + section("", "The box", P2) + section("", "The test", P3)
                + section("", "The price", P4) + "</article>")
    assert paragraphs(html) == ["Verdict", P1, "The box", P2, "The test", P3, "The price", P4]


@pytest.mark.parametrize("wrap", ["<div class='list'>{}</div>", "{}"])
def test_of_several_whole_stories_loaded_one_after_another_the_headlines_is_read(wrap):
    # A page that loads the next stories as the reader scrolls: each a whole <article>.
    def story(slug: str, title: str, text: str) -> str:
        return (f"<article class='list__item' id='{slug}'><h1>{title}</h1><p>{text}</p>"
                f"<p>{text}</p></article>")
    html = page(wrap.format(story("kristen-returns", "Kristen Alderson returns", P1)
                            + story("sonny-leaves", "Sonny leaves Port Charles", P2)
                            + story("carly-wins", "Carly wins the Metro Court", P3)))
    assert paragraphs(html, headline="Kristen Alderson returns") == [P1, P1]


@pytest.mark.parametrize("wrapper", [
    "<article class='article article--comment'>{}</article>",
    "<div class='content tonal tonal--tone-comment'>{}</div>",
    "<div class='post type-comment format-standard'>{}</div>",
])
def test_an_opinion_piece_classed_comment_by_its_kind_is_the_story(wrapper):
    # "Comment" as a genre (a modifier, a post type) is no comment thread.
    story = wrapper.format(f"<h1>Kristen Alderson returns</h1><p>{P1}</p><p>{P2}</p>"
                           f"<p>{P3}</p>")
    thread = f"<div class='comments'><p>{P4}</p><p>{P4} Again.</p></div>"
    assert paragraphs(page(story + thread)) == [P1, P2, P3]
