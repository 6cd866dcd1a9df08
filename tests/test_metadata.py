"""Metadata signals on small, realistic page fragments."""

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
