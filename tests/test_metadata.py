"""Metadata signals on small, realistic page fragments."""

import pytest

from gossipcrawl.extract import metadata
from gossipcrawl.extract.html import parse_html
from gossipcrawl.extract.structured import find_article_node, jsonld_nodes, meta_values

URL = "https://soaps.example/gh-sonny-returns/"


def page(head: str, body: str = ""):
    root = parse_html(f"<html lang='en-US'><head>{head}</head><body>{body}</body></html>")
    nodes = jsonld_nodes(root)
    return root, nodes, find_article_node(nodes), meta_values(root)


def test_graph_and_several_blocks_and_broken_block():
    root, nodes, node, meta = page("""
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
        {"@type":"WebSite","name":"Soap Central"},
        {"@type":["NewsArticle"],"headline":"Sonny &amp;amp; Carly Reunite","datePublished":
         "2024-07-10T14:32:11-04:00","author":[{"@type":"Person","name":"Jane Doe",
         "url":"https://soaps.example/author/jane/"},{"@type":"Person","name":"Bob Roe"}]}]}
      </script>
      <script type="application/ld+json">{"@type": "BreadcrumbList", broken</script>
      <script type="application/ld+json">{"@type":"Organization","name":"Soap Central",}</script>
    """)
    assert {tuple(sorted(n.get("@type") if isinstance(n.get("@type"), list) else [n["@type"]]))
            for n in nodes} >= {("WebSite",), ("NewsArticle",), ("Organization",)}
    assert metadata.headline(root, node, meta, "Soap Central", URL) == "Sonny & Carly Reunite"
    assert metadata.authors(root, node, meta, URL) == [
        {"name": "Jane Doe", "url": "https://soaps.example/author/jane/"},
        {"name": "Bob Roe", "url": None}]
    assert metadata.date_published(root, node, meta, "en-US", URL) == (
        "2024-07-10T18:32:11Z", "2024-07-10T14:32:11-04:00")


def test_old_theme_headline_in_h2_not_the_blog_name_in_h1():
    root, nodes, node, meta = page(
        "<title>Days Spoilers: Chad Confronts Stefan &#8211; Daytime Dish</title>",
        "<div id='header'><h1><a href='/'>Daytime Dish</a></h1></div>"
        "<div class='post'><h2 class='entry-title'>Days Spoilers: Chad Confronts Stefan</h2>"
        "<p>Text</p></div>")
    assert metadata.headline(root, node, meta, None, URL) == "Days Spoilers: Chad Confronts Stefan"


def test_headline_from_title_without_site_suffix():
    root, nodes, node, meta = page(
        "<title>EastEnders star quits after ten years | Soap Weekly</title>"
        "<meta property='og:site_name' content='Soap Weekly'>")
    site = metadata.site_name(nodes, meta)
    assert metadata.headline(root, node, meta, site, URL) == "EastEnders star quits after ten years"


def test_author_urls_are_never_names():
    root, nodes, node, meta = page(
        "<meta property='article:author' content='https://www.facebook.com/janedoe'>"
        "<meta name='author' content='Jane Doe'>")
    assert metadata.authors(root, node, meta, URL) == [{"name": "Jane Doe", "url": None}]


def test_byline_is_split_and_cleaned():
    root, nodes, node, meta = page("", "<article><div class='byline'>By Jane Doe and "
                                       "Bob Roe</div><p>x</p></article>"
                                       "<aside><a rel='author' href='/a/z'>Zed</a></aside>")
    names = [a["name"] for a in metadata.authors(root, node, meta, URL)]
    assert names == ["Jane Doe", "Bob Roe"]


def test_amp_page_points_to_its_canonical_page():
    root, *_ = page("<link rel='canonical' href='/gh-sonny-returns/?utm_source=amp'>")
    amp_url = "https://soaps.example/gh-sonny-returns/amp/"
    assert metadata.canonical_url(root, amp_url) == URL
    bare = parse_html("<html amp><head></head><body></body></html>")
    assert metadata.canonical_url(bare, amp_url) == URL


def test_british_dates_and_language():
    root, nodes, node, meta = page("<meta property='og:locale' content='en_GB'>",
                                   "<time class='published'>03/04/2024 10:15</time>"
                                   "<span class='published' title='03/04/2024 10:15'></span>")
    root.set("lang", "")
    language = metadata.in_language(root, node, meta)
    assert language == "en-GB"
    assert metadata.date_published(root, node, meta, language,
                                   "https://soaps.example.co.uk/x")[0] == "2024-04-03T10:15:00Z"


def test_breadcrumbs_drop_the_article_itself_and_tags_dedupe():
    root, nodes, node, meta = page("""
      <meta property="article:tag" content="General Hospital">
      <meta property="article:tag" content="general hospital">
      <meta property="article:tag" content="Sonny Corinthos">
      <script type="application/ld+json">{"@type":"BreadcrumbList","itemListElement":[
        {"@type":"ListItem","position":2,"name":"GH","item":"https://soaps.example/gh/"},
        {"@type":"ListItem","position":1,"name":"Home","item":"https://soaps.example/"},
        {"@type":"ListItem","position":3,"name":"Sonny returns"}]}</script>""")
    assert metadata.breadcrumbs(root, nodes, URL, "Sonny Returns") == [
        {"name": "Home", "url": "https://soaps.example/"},
        {"name": "GH", "url": "https://soaps.example/gh/"}]
    assert metadata.tags(root, node, meta) == ["General Hospital", "Sonny Corinthos"]


def test_yoast_author_and_image_given_only_as_id_references_are_resolved():
    root, nodes, node, meta = page("""
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
        {"@type":"Article","headline":"Sonny returns","author":{"@id":"https://soaps.example/#/person/1"},
         "image":{"@id":"https://soaps.example/gh-sonny-returns/#primaryimage"}},
        {"@type":"ImageObject","@id":"https://soaps.example/gh-sonny-returns/#primaryimage",
         "url":"https://soaps.example/img/sonny.jpg"},
        {"@type":"Person","@id":"https://soaps.example/#/person/1","name":"Jane Doe",
         "url":"https://soaps.example/author/jane/"}]}</script>""")
    assert metadata.authors(root, node, meta, URL) == [
        {"name": "Jane Doe", "url": "https://soaps.example/author/jane/"}]
    assert metadata.main_image(node, meta, URL) == {"url": "https://soaps.example/img/sonny.jpg"}


def test_naive_date_takes_the_offset_of_its_zoned_twin_or_of_the_page():
    root, nodes, node, meta = page("""
      <meta property="article:published_time" content="2024-07-16T19:30:00+01:00">
      <script type="application/ld+json">{"@type":"NewsArticle","headline":"x",
        "datePublished":"2024-07-16T19:30:00","dateModified":"2024-07-17T08:00:00"}</script>""")
    assert metadata.date_published(root, node, meta, "en-GB", URL) == (
        "2024-07-16T18:30:00Z", "2024-07-16T19:30:00+01:00")
    assert metadata.date_modified(root, node, meta, "en-GB", URL) == (
        "2024-07-17T07:00:00Z", "2024-07-17T08:00:00")


def test_naive_date_alone_is_taken_as_utc():
    root, nodes, node, meta = page("""
      <script type="application/ld+json">{"@type":"NewsArticle","headline":"x",
        "datePublished":"2024-07-16T19:30:00"}</script>""")
    assert metadata.date_published(root, node, meta, "en", URL)[0] == "2024-07-16T19:30:00Z"


def test_visible_date_text_is_the_last_resort_and_british_pages_are_day_first():
    root, nodes, node, meta = page(
        "<title>Corrie news</title>",
        "<div class='article'><h1>Corrie news</h1><div class='byline'>By Ann Lee</div>"
        "<span class='article-date'>Published: 05/03/2024 14:20</span>"
        "<span class='article-updated'>Updated: 06/03/2024 09:05</span></div>")
    uk = "https://soaps.example.co.uk/x"
    assert metadata.date_published(root, node, meta, "en-GB", uk) == (
        "2024-03-05T14:20:00Z", "Published: 05/03/2024 14:20")
    assert metadata.date_modified(root, node, meta, "en-GB", uk)[0] == "2024-03-06T09:05:00Z"


def test_rdfa_and_hatom_dates():
    root, nodes, node, meta = page("", (
        "<div class='node'><span property='dc:date dc:created' "
        "content='2024-04-02T08:00:00-05:00'>Tue, 04/02/2024</span></div>"))
    assert metadata.date_published(root, node, meta, "en", URL)[0] == "2024-04-02T13:00:00Z"
    root, nodes, node, meta = page("", (
        "<div class='hentry'><abbr class='published' title='2009-11-17T08:40:00-05:00'>"
        "November 17th</abbr></div>"))
    assert metadata.date_published(root, node, meta, "en", URL)[0] == "2009-11-17T13:40:00Z"


def test_byline_links_give_names_and_urls_and_chrome_is_skipped():
    root, nodes, node, meta = page(
        "<title>GH: Anna and Valentin - Pulse</title>",
        "<div class='content-sidebar-wrap'><article><h1 class='entry-title'>GH: Anna and "
        "Valentin</h1><span class='byline'>By <span class='author vcard'><a class='url fn' "
        "href='/author/carly/'>Carly Sims</a></span> and <span class='author vcard'>"
        "<a class='url fn' href='/author/tom/'>Tom Reyes</a></span></span><p>Text</p>"
        "</article><div class='author-box'><a rel='author' href='/author/zed/'>Zed</a></div>"
        "<ol class='comment-list'><li><cite class='fn'>Commenter</cite></li></ol></div>")
    assert metadata.authors(root, node, meta, URL) == [
        {"name": "Carly Sims", "url": "https://soaps.example/author/carly/"},
        {"name": "Tom Reyes", "url": "https://soaps.example/author/tom/"}]


def test_headline_from_title_segment_when_site_name_leads():
    root, nodes, node, meta = page(
        "<title>The Bold Report &raquo; Blog Archive &raquo; Taylor Comes Home</title>",
        "<div id='header'><h1><a href='https://soaps.example/'>The Bold Report</a></h1></div>"
        "<div class='post'><h2 class='entry-title'><a href='/taylor/'>Taylor Comes Home</a>"
        "</h2></div>")
    assert metadata.headline(root, node, meta, None, URL) == "Taylor Comes Home"


def test_standfirst_next_to_the_headline_wins_over_meta_description():
    root, nodes, node, meta = page(
        "<title>Roy faces heartache</title><meta name='description' content='Meta text.'>",
        "<header><h1>Roy faces heartache</h1><p class='article-standfirst'>An old friend "
        "brings devastating news</p></header><aside><p class='excerpt'>Another story "
        "entirely, in the sidebar</p></aside>")
    assert metadata.description(root, node, meta) == "An old friend brings devastating news"


def test_language_is_refined_by_a_later_signal_with_a_region():
    root, nodes, node, meta = page("<meta property='og:locale' content='en_GB'>")
    root.set("lang", "en")
    assert metadata.in_language(root, node, meta) == "en-GB"
    root, nodes, node, meta = page("<meta property='og:locale' content='fr_FR'>")
    root.set("lang", "en")
    assert metadata.in_language(root, node, meta) == "en"


def test_tags_leave_out_categories_and_tag_clouds():
    root, nodes, node, meta = page("", (
        "<article><h1>x</h1><footer class='entry-footer'><span class='cat-links'>"
        "<a rel='category tag' href='/c/gh/'>General Hospital</a></span>"
        "<span class='category-links'><a rel='tag' href='/c/spoilers/'>Spoilers</a></span>"
        "<span class='tags-links'><a rel='tag' href='/t/anna/'>Anna Devane</a></span>"
        "</footer></article><aside class='widget widget_tag_cloud'>"
        "<a rel='tag' href='/t/x/'>Cloud Tag</a></aside>"))
    assert metadata.tags(root, node, meta) == ["Anna Devane"]


def test_parsely_page_metadata():
    root, nodes, node, meta = page("""<meta name="parsely-page" content='{"title": "Chad and
      Stefan Feud", "pub_date": "2024-02-20T17:45:00Z", "authors": ["Nina Patel"],
      "tags": ["Chad DiMera"]}'>""")
    assert metadata.authors(root, node, meta, URL) == [{"name": "Nina Patel", "url": None}]
    assert metadata.date_published(root, node, meta, None, URL)[0] == "2024-02-20T17:45:00Z"
    assert metadata.tags(root, node, meta) == ["Chad DiMera"]


@pytest.mark.parametrize("head, body_class, body, listing", [
    # Yoast archive: og:type article, but the graph says CollectionPage and no Article.
    ('<meta property="og:type" content="article"><script type="application/ld+json">'
     '{"@graph":[{"@type":"CollectionPage","name":"GH"}]}</script>', "", "", True),
    ("", "archive category category-gh wp-custom-logo", "", True),
    ("", "search search-results", "", True),
    ("", "page-template-default page page-id-14", "", True),          # contact/about page
    ("", "post-template-default single single-post postid-5", "", False),
    ('<meta property="og:type" content="profile">', "", "", True),
    ("", "", "".join(f"<div class='post'><h2><a href='/story-{n}/'>Story {n}</a></h2>"
                     f"<p>Excerpt {n}</p></div>" for n in range(4)), True),
    # an article's related-posts box is not a listing
    ('<meta property="og:type" content="article">', "",
     "<h1>Own story</h1>" + "".join(f"<article><h3><a href='/r{n}/'>Related {n}</a></h3>"
                                    f"</article>" for n in range(4)), False),
])
def test_listing_pages(head, body_class, body, listing):
    root = parse_html(f"<html><head>{head}</head><body class='{body_class}'>{body}</body></html>")
    nodes = jsonld_nodes(root)
    reason = metadata.listing_reason(root, URL, nodes, find_article_node(nodes),
                                     meta_values(root))
    assert bool(reason) == listing, reason
