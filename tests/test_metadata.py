"""Metadata signals on small, realistic page fragments."""

import pytest

from gossipcrawl.extract import metadata
from gossipcrawl.extract.authors import authors
from gossipcrawl.extract.headline import description, headline, headline_element
from gossipcrawl.extract.html import parse_html
from gossipcrawl.extract.page import ParsedPage
from gossipcrawl.extract.published import date_modified, date_published
from gossipcrawl.pages.registry import page_for

URL = "https://soaps.example/gh-sonny-returns/"


def page(head: str, body: str = "", url: str = URL) -> ParsedPage:
    return ParsedPage(parse_html(
        f"<html lang='en-US'><head>{head}</head><body>{body}</body></html>"), url)


def test_graph_and_several_blocks_and_broken_block():
    parsed = page("""
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
            for n in parsed.jsonld} >= {("WebSite",), ("NewsArticle",), ("Organization",)}
    assert headline(parsed) == "Sonny & Carly Reunite"
    assert authors(parsed) == [
        {"name": "Jane Doe", "url": "https://soaps.example/author/jane/"},
        {"name": "Bob Roe", "url": None}]
    assert date_published(parsed, "en-US") == (
        "2024-07-10T18:32:11Z", "2024-07-10T14:32:11-04:00")


def test_old_theme_headline_in_h2_not_the_blog_name_in_h1():
    parsed = page(
        "<title>Days Spoilers: Chad Confronts Stefan &#8211; Daytime Dish</title>",
        "<div id='header'><h1><a href='/'>Daytime Dish</a></h1></div>"
        "<div class='post'><h2 class='entry-title'>Days Spoilers: Chad Confronts Stefan</h2>"
        "<p>Text</p></div>")
    assert headline(parsed) == "Days Spoilers: Chad Confronts Stefan"


@pytest.mark.parametrize("title", [
    "Chad confronts Stefan at the pub | Daytime Dish",
    # the post's heading is a middle run of the title's segments
    "News - Chad confronts Stefan at the pub - Daytime Dish",
])
def test_a_bare_h2_that_agrees_with_the_title_is_the_headline(title):
    # Hand-made sites: the section's name in the <h1>, each post titled by a bare <h2>.
    parsed = page(f"<title>{title}</title>",
                  "<h1>Daytime Dish News</h1><div><h2>Chad confronts Stefan at the pub</h2>"
                  "<p>Text</p><h2>Comments</h2></div>")
    assert headline(parsed) == "Chad confronts Stefan at the pub"
    assert headline_element(parsed)[0].tag == "h2"


def test_a_heading_joined_from_parts_is_spaced_as_the_title():
    parsed = page("<title>Casting news: Kiki returns to Port Charles</title>",
                  "<h1><span>Casting news</span> <span class='visually-hidden'>: </span> "
                  "<span>Kiki returns to Port Charles</span></h1>")
    assert headline(parsed) == "Casting news: Kiki returns to Port Charles"


def test_a_layout_class_with_a_modifier_puts_no_headline_in_a_sidebar():
    parsed = page("<title>Sonny returns to Port Charles | Soapwire</title>",
                  "<div class='o-row c-fixed-sidebar-layout--300@md'><article><header>"
                  "<h1 class='c-article__title'>Sonny returns to Port Charles</h1></header>"
                  "<p>Text</p></article><aside><h3>Soapwire</h3></aside></div>",
                  url="https://soapwire.example/sonny-returns/")
    assert headline_element(parsed)[0].tag == "h1"


def test_the_hosts_name_in_a_heading_is_never_the_headline():
    parsed = page("<title>Sonny returns to Port Charles | Soapwire</title>",
                  "<div class='sidebar'><h1>Ignored</h1></div><h3>Soapwire</h3><p>Text</p>",
                  url="https://soapwire.example/sonny-returns/")
    assert headline(parsed) == "Sonny returns to Port Charles"
    assert headline_element(parsed)[0] is None


def test_a_slug_left_in_og_title_is_no_title():
    parsed = page("<title>GH casting news 2024 | Soapwire</title>"
                  "<meta property='og:title' content='gh-casting-news-2024'>")
    assert headline(parsed) == "GH casting news 2024"


@pytest.mark.parametrize("heading", ["<h1>Chad confronts Stefan at the pub</h1>",
                                     "<h2>Chad confronts Stefan at the pub</h2>"])
def test_a_title_that_is_only_the_sites_name_leaves_the_headline_to_the_heading(heading):
    parsed = page("<title>daytimedish.example</title>",
                  "<div class='header'><h1><a href='/'><img src='/logo.svg' alt='Daytime "
                  f"Dish'></a></h1></div><div class='post'>{heading}<p>Text</p></div>",
                  url="https://daytimedish.example/chad-confronts-stefan/")
    assert headline(parsed) == "Chad confronts Stefan at the pub"


def test_the_sites_name_cut_from_the_title_is_no_headline_in_a_heading():
    # The logo's heading says the last title segment, which is the site's name.
    parsed = page("<title>Putsch at the community radio - CRIC</title>",
                  "<h1><a rel='start home' href='spip.php?page=sommaire'><img alt='CRIC' "
                  "src='/logo.png'></a>CRIC</h1><h1 class='article-titre'>Putsch at the "
                  "community radio</h1><p>Text</p>", url="https://cric.example/article-1145")
    assert headline_element(parsed)[0].get("class") == "article-titre"


def test_a_bare_h2_is_never_guessed_when_the_page_has_no_title():
    parsed = page("", "<div><h2>Comments</h2><p>Text</p></div>")
    assert headline(parsed) is None


def test_a_numbered_segment_stays_when_the_site_name_was_found_by_the_host():
    parsed = page("<title>News - Leseprobe Band 14 / Kapitel 121 - Love Hina</title>",
                  url="http://love-hina.example/news/0409.html")
    assert headline(parsed) == "News - Leseprobe Band 14 / Kapitel 121"


def test_a_docs_set_name_linking_to_its_index_is_no_headline_nor_a_permalink_sign():
    parsed = page("<title>Evolve: Shared Mutable History — evolve extension for Mercurial</title>",
                  "<div class='header'><h1 class='heading'><a href='index.html'><span>evolve "
                  "extension for Mercurial</span></a></h1></div><div class='section' id='evolve'>"
                  "<h1><a class='toc-backref' href='#id4'>Evolve: Shared Mutable History</a>"
                  "<a class='headerlink' href='#evolve'>¶</a></h1><p>Text</p></div>",
                  url="https://www.example.org/doc/evolve/user-guide.html")
    assert headline(parsed) == "Evolve: Shared Mutable History"


@pytest.mark.parametrize("title, body, expected", [
    # a full-width bar needs no spaces around it
    ("ソニーが帰ってくる｜ニュースサイト", "<h1>ソニーが帰ってくる</h1>", "ソニーが帰ってくる"),
    ("Sonny returns to Port Charles|Soaps", "<h1>Sonny returns to Port Charles</h1>",
     "Sonny returns to Port Charles"),
    # a portal's "headline_channel_site", without any heading
    ("海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网", "", "海外留学生看两会：出国前后关注点大不同"),
    ("Sonny returns to Port Charles after five years - GH - Soaps", "",
     "Sonny returns to Port Charles after five years"),
    ("Sonny's long road - Part 2 - Daytime Dish", "", "Sonny's long road - Part 2"),
    ("Sonny returns to Port Charles after five years › Soaps", "",
     "Sonny returns to Port Charles after five years"),
])
def test_title_segments_of_other_scripts_and_sections_are_cut(title, body, expected):
    assert headline(page(f"<title>{title}</title>", body)) == expected


def test_the_hosts_whole_name_is_cut_from_the_title():
    parsed = page("<title>www.Soaps.example - Sonny returns to Port Charles</title>")
    assert headline(parsed) == "Sonny returns to Port Charles"


@pytest.mark.parametrize("logo", [
    "<h1 class='topbar__logo__title'>Blogland</h1>",
    "<div class='site-logo'><h1>Blogland</h1></div>",
])
def test_a_logo_heading_is_no_headline_even_when_the_title_names_it(logo):
    # A blog host's brand in the top bar, also a segment of the page's title.
    parsed = page(
        "<title>Autumn colours at the camp (2) @ Steven's place :: Blogland ::</title>"
        "<meta property='og:site_name' content=\"Steven's place\">",
        f"<header>{logo}</header><h1><a href='/blog'>Steven's place</a></h1>"
        "<div class='article'><h2 class='title'>Autumn colours at the camp (2)</h2>"
        "<p>Text</p></div>")
    assert headline(parsed) == "Autumn colours at the camp (2)"


def test_headline_from_title_without_site_suffix():
    parsed = page(
        "<title>EastEnders star quits after ten years | Soap Weekly</title>"
        "<meta property='og:site_name' content='Soap Weekly'>")
    assert headline(parsed) == "EastEnders star quits after ten years"


def test_author_urls_are_never_names():
    parsed = page(
        "<meta property='article:author' content='https://www.facebook.com/janedoe'>"
        "<meta name='author' content='Jane Doe'>")
    assert authors(parsed) == [{"name": "Jane Doe", "url": None}]


def test_byline_is_split_and_cleaned():
    parsed = page("", "<article><div class='byline'>By Jane Doe and "
                                       "Bob Roe</div><p>x</p></article>"
                                       "<aside><a rel='author' href='/a/z'>Zed</a></aside>")
    names = [a["name"] for a in authors(parsed)]
    assert names == ["Jane Doe", "Bob Roe"]


@pytest.mark.parametrize("byline, names", [
    ("Anna Rossi e Marco Bianchi", ["Anna Rossi", "Marco Bianchi"]),
    ("Jan Jansen en Piet de Vries", ["Jan Jansen", "Piet de Vries"]),
    # "e.V." (a registered society) holds no "and", and a company or society is no writer
    ("Historische Wehranlage Horka e.V.", []),
    ("Süddeutsche.de GmbH, Munich, Germany", []),
    ("Dow Jones & Company, Inc.", []),
])
def test_and_in_other_languages_splits_a_byline_only_as_a_word(byline, names):
    parsed = page("", f"<article><div class='byline'>{byline}</div><p>x</p></article>")
    assert [a["name"] for a in authors(parsed)] == names


@pytest.mark.parametrize("byline", [
    "<div class='dig-autoren'>Von Jana Müller</div>",
    "<div class='dates_auteurs'>par <span class='auteurs'>Jana Müller</span>, 21 juin 2018</div>",
    "<p class='articolo-autore'>di Jana Müller</p>",
])
def test_a_byline_classed_in_other_languages_names_the_author(byline):
    parsed = page("<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"author\":"
                  "{\"@type\":\"Organization\",\"name\":\"Der Spiegel\"}}</script>",
                  f"<article><h1>Ein Albtraum</h1><p>Text</p>{byline}</article>")
    assert [a["name"] for a in authors(parsed)] == ["Jana Müller"]


@pytest.mark.parametrize("byline, names", [
    ("Written by Rob Ewaschuk Edited by Betsy Beyer", ["Rob Ewaschuk"]),
    ("By Benjamin Romano, Seattle Times business reporter", ["Benjamin Romano"]),
    ("Von Jana Müller, Redakteurin", ["Jana Müller"]),
    ("Par Jean Dupont, correspondant à Berlin", ["Jean Dupont"]),
    # a date after "on" in the byline's language, the name link left empty
    ("von <a href='/profile/'></a> <span>am 20.06.2018</span>", []),
])
def test_an_editor_or_a_job_title_after_the_name_names_nobody(byline, names):
    parsed = page("", f"<article><div class='byline'>{byline}</div><p>x</p></article>")
    assert [a["name"] for a in authors(parsed)] == names


def test_the_byline_of_an_opinion_piece_classed_comment_by_its_kind_is_its_authors():
    parsed = page("<title>Why Sonny must go</title>",
                  "<div class='article--comment'><div class='meta tonal--tone-comment'>"
                  "<span class='byline'>By Jane Doe</span></div><h1>Why Sonny must go</h1>"
                  "<p>Text</p></div>")
    assert [a["name"] for a in authors(parsed)] == ["Jane Doe"]


def test_amp_page_points_to_its_canonical_page():
    amp_url = "https://soaps.example/gh-sonny-returns/amp/"
    parsed = page("<link rel='canonical' href='/gh-sonny-returns/?utm_source=amp'>", url=amp_url)
    assert metadata.canonical_url(parsed) == URL
    bare = ParsedPage(parse_html("<html amp><head></head><body></body></html>"), amp_url)
    assert metadata.canonical_url(bare) == URL


def test_british_dates_and_language():
    parsed = page("<meta property='og:locale' content='en_GB'>",
                                   "<time class='published'>03/04/2024 10:15</time>"
                                   "<span class='published' title='03/04/2024 10:15'></span>")
    parsed.root.set("lang", "")
    language = metadata.in_language(parsed)
    assert language == "en-GB"
    parsed.url = "https://soaps.example.co.uk/x"
    assert date_published(parsed, language)[0] == "2024-04-03T10:15:00Z"


def test_breadcrumbs_drop_the_article_itself_and_tags_dedupe():
    parsed = page("""
      <meta property="article:tag" content="General Hospital">
      <meta property="article:tag" content="general hospital">
      <meta property="article:tag" content="Sonny Corinthos">
      <script type="application/ld+json">{"@type":"BreadcrumbList","itemListElement":[
        {"@type":"ListItem","position":2,"name":"GH","item":"https://soaps.example/gh/"},
        {"@type":"ListItem","position":1,"name":"Home","item":"https://soaps.example/"},
        {"@type":"ListItem","position":3,"name":"Sonny returns"}]}</script>""")
    assert metadata.breadcrumbs(parsed, "Sonny Returns") == [
        {"name": "Home", "url": "https://soaps.example/"},
        {"name": "GH", "url": "https://soaps.example/gh/"}]
    assert metadata.tags(parsed) == ["General Hospital", "Sonny Corinthos"]


def test_yoast_author_and_image_given_only_as_id_references_are_resolved():
    parsed = page("""
      <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
        {"@type":"Article","headline":"Sonny returns","author":{"@id":"https://soaps.example/#/person/1"},
         "image":{"@id":"https://soaps.example/gh-sonny-returns/#primaryimage"}},
        {"@type":"ImageObject","@id":"https://soaps.example/gh-sonny-returns/#primaryimage",
         "url":"https://soaps.example/img/sonny.jpg"},
        {"@type":"Person","@id":"https://soaps.example/#/person/1","name":"Jane Doe",
         "url":"https://soaps.example/author/jane/"}]}</script>""")
    assert authors(parsed) == [
        {"name": "Jane Doe", "url": "https://soaps.example/author/jane/"}]
    assert metadata.main_image(parsed) == {"url": "https://soaps.example/img/sonny.jpg"}


def test_naive_date_takes_the_offset_of_its_zoned_twin_or_of_the_page():
    parsed = page("""
      <meta property="article:published_time" content="2024-07-16T19:30:00+01:00">
      <script type="application/ld+json">{"@type":"NewsArticle","headline":"x",
        "datePublished":"2024-07-16T19:30:00","dateModified":"2024-07-17T08:00:00"}</script>""")
    assert date_published(parsed, "en-GB") == (
        "2024-07-16T18:30:00Z", "2024-07-16T19:30:00+01:00")
    assert date_modified(parsed, "en-GB") == (
        "2024-07-17T07:00:00Z", "2024-07-17T08:00:00")


def test_naive_date_alone_is_taken_as_utc():
    parsed = page("""
      <script type="application/ld+json">{"@type":"NewsArticle","headline":"x",
        "datePublished":"2024-07-16T19:30:00"}</script>""")
    assert date_published(parsed, "en")[0] == "2024-07-16T19:30:00Z"


def test_visible_date_text_is_the_last_resort_and_british_pages_are_day_first():
    parsed = page(
        "<title>Corrie news</title>",
        "<div class='article'><h1>Corrie news</h1><div class='byline'>By Ann Lee</div>"
        "<span class='article-date'>Published: 05/03/2024 14:20</span>"
        "<span class='article-updated'>Updated: 06/03/2024 09:05</span></div>")
    parsed.url = "https://soaps.example.co.uk/x"
    assert date_published(parsed, "en-GB") == (
        "2024-03-05T14:20:00Z", "Published: 05/03/2024 14:20")
    assert date_modified(parsed, "en-GB")[0] == "2024-03-06T09:05:00Z"


def test_rdfa_and_hatom_dates():
    parsed = page("", (
        "<div class='node'><span property='dc:date dc:created' "
        "content='2024-04-02T08:00:00-05:00'>Tue, 04/02/2024</span></div>"))
    assert date_published(parsed, "en")[0] == "2024-04-02T13:00:00Z"
    parsed = page("", (
        "<div class='hentry'><abbr class='published' title='2009-11-17T08:40:00-05:00'>"
        "November 17th</abbr></div>"))
    assert date_published(parsed, "en")[0] == "2009-11-17T13:40:00Z"


def test_byline_links_give_names_and_urls_and_chrome_is_skipped():
    parsed = page(
        "<title>GH: Anna and Valentin - Pulse</title>",
        "<div class='content-sidebar-wrap'><article><h1 class='entry-title'>GH: Anna and "
        "Valentin</h1><span class='byline'>By <span class='author vcard'><a class='url fn' "
        "href='/author/carly/'>Carly Sims</a></span> and <span class='author vcard'>"
        "<a class='url fn' href='/author/tom/'>Tom Reyes</a></span></span><p>Text</p>"
        "</article><div class='author-box'><a rel='author' href='/author/zed/'>Zed</a></div>"
        "<ol class='comment-list'><li><cite class='fn'>Commenter</cite></li></ol></div>")
    assert authors(parsed) == [
        {"name": "Carly Sims", "url": "https://soaps.example/author/carly/"},
        {"name": "Tom Reyes", "url": "https://soaps.example/author/tom/"}]


def test_headline_from_title_segment_when_site_name_leads():
    parsed = page(
        "<title>The Bold Report &raquo; Blog Archive &raquo; Taylor Comes Home</title>",
        "<div id='header'><h1><a href='https://soaps.example/'>The Bold Report</a></h1></div>"
        "<div class='post'><h2 class='entry-title'><a href='/taylor/'>Taylor Comes Home</a>"
        "</h2></div>")
    assert headline(parsed) == "Taylor Comes Home"


def test_standfirst_next_to_the_headline_wins_over_meta_description():
    parsed = page(
        "<title>Roy faces heartache</title><meta name='description' content='Meta text.'>",
        "<header><h1>Roy faces heartache</h1><p class='article-standfirst'>An old friend "
        "brings devastating news</p></header><aside><p class='excerpt'>Another story "
        "entirely, in the sidebar</p></aside>")
    assert description(parsed) == "An old friend brings devastating news"


def test_language_is_refined_by_a_later_signal_with_a_region():
    parsed = page("<meta property='og:locale' content='en_GB'>")
    parsed.root.set("lang", "en")
    assert metadata.in_language(parsed) == "en-GB"
    parsed = page("<meta property='og:locale' content='fr_FR'>")
    parsed.root.set("lang", "en")
    assert metadata.in_language(parsed) == "en"


def test_tags_leave_out_categories_and_tag_clouds():
    parsed = page("", (
        "<article><h1>x</h1><footer class='entry-footer'><span class='cat-links'>"
        "<a rel='category tag' href='/c/gh/'>General Hospital</a></span>"
        "<span class='category-links'><a rel='tag' href='/c/spoilers/'>Spoilers</a></span>"
        "<span class='tags-links'><a rel='tag' href='/t/anna/'>Anna Devane</a></span>"
        "</footer></article><aside class='widget widget_tag_cloud'>"
        "<a rel='tag' href='/t/x/'>Cloud Tag</a></aside>"))
    assert metadata.tags(parsed) == ["Anna Devane"]


def test_parsely_page_metadata():
    parsed = page("""<meta name="parsely-page" content='{"title": "Chad and
      Stefan Feud", "pub_date": "2024-02-20T17:45:00Z", "authors": ["Nina Patel"],
      "tags": ["Chad DiMera"]}'>""")
    assert authors(parsed) == [{"name": "Nina Patel", "url": None}]
    assert date_published(parsed, None)[0] == "2024-02-20T17:45:00Z"
    assert metadata.tags(parsed) == ["Chad DiMera"]


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
    html = f"<html><head><title>Own story</title>{head}</head><body class='{body_class}'>" \
           f"{body}<p>{'Text of the story. ' * 30}</p></body></html>"
    reason = page_for(html.encode(), URL, "text/html; charset=utf-8").not_article_reason()
    assert bool(reason) == listing, reason


def test_jsonld_with_comments_and_trailing_commas_is_repaired_strings_kept():
    parsed = page("""
      <script type="Application/LD+JSON "><!--<![CDATA[
      {"@type": "NewsArticle", // a CMS's note
       "headline": "Sonny // Carly: it's \\"over\\", /* really */",
       /* "headline": "the old one", */
       "author": [{"@type": "Person", "name": "Jane Doe",},],
      };
      ]]>--></script>""")
    assert headline(parsed) == 'Sonny // Carly: it\'s "over", /* really */'
    assert authors(parsed) == [{"name": "Jane Doe", "url": None}]


@pytest.mark.parametrize("text", ['"\\' * 100_000, '/*' * 100_000, '{"a": "' + "x" * 10**6])
def test_jsonld_repair_reads_each_character_once(text):
    from gossipcrawl.extract.structured import repair_json

    assert repair_json(text) is not None   # returns at once: no rescanning per quote


@pytest.mark.parametrize("byline, names", [
    ("By Jane Doe, CNN", ["Jane Doe"]),                       # a publication's acronym
    ("By Jane Doe and Bob Roe, Associated Press", ["Jane Doe", "Bob Roe"]),
    ("by Ahiza Garcia @ahiza_garcia February 1, 2016: 12:41 PM ET", ["Ahiza Garcia"]),
    ("By Brenda Goodman, MA", ["Brenda Goodman"]),            # a degree
    ("Mac & i", ["Mac & i"]),                                 # one name with "&" in it
    ("Doe, Jane", ["Jane Doe"]),                              # library order
    ("Von Anna Schmidt und Jonas Weber", ["Anna Schmidt", "Jonas Weber"]),
    ("(Image: Getty Images)", []),
    ("Suivre ce journaliste sur twitter", []),
    ("Di Mario Rossi", ["Mario Rossi"]),                      # "by" in Italian
    ("Автор: Иван Петров", ["Иван Петров"]),
    ("Από τον Γιώργο Παπαδόπουλο", ["Γιώργο Παπαδόπουλο"]),
    ("作者：张三", ["张三"]),                                   # a full-width colon
    ("文：山田太郎", ["山田太郎"]),
    ("Par Jean Dupont avec AFP", ["Jean Dupont"]),            # "with" an agency
    ("By Con Coughlin", ["Con Coughlin"]),                    # not "with" in Italian
    ("By Jane Doe and Bob Roe for The Guardian", ["Jane Doe", "Bob Roe"]),
    ("By Jane Doe, Special to CNN", ["Jane Doe"]),
    ("By Jane Doe • 5 min read", ["Jane Doe"]),
])
def test_byline_text_gives_people_only(byline, names):
    parsed = page("<title>GH: Sonny returns</title><meta property='og:site_name' "
                  "content='Soaps'>",
                  f"<article><h1>GH: Sonny returns</h1><div class='byline'>{byline}</div>"
                  "<p>Text</p></article>")
    assert [a["name"] for a in authors(parsed)] == names


def test_an_agency_alone_stays_the_author():
    parsed = page("<title>GH: Sonny returns</title>",
                  "<article><h1>GH: Sonny returns</h1><div class='byline'>By AFP</div>"
                  "<p>Text</p></article>")
    assert [a["name"] for a in authors(parsed)] == ["AFP"]


def test_citation_authors_are_one_person_each_and_meta_keys_are_alternatives():
    parsed = page("<meta name='citation_author' content='Doe, Jane'>"
                  "<meta name='citation_author' content='Roe, Bob'>")
    assert [a["name"] for a in authors(parsed)] == ["Jane Doe", "Bob Roe"]
    parsed = page("<meta name='author' content='Soap Central'>"
                  "<meta property='dc:creator og:see_also' content='Jane Doe'>")
    assert [a["name"] for a in authors(parsed)] == ["Jane Doe"]


def test_byline_links_to_social_profiles_and_atomic_fn_classes_are_not_authors():
    parsed = page("<title>GH: Sonny returns</title>",
                  "<article><h1>GH: Sonny returns</h1><div class='byline'><a href='/a/jd'>"
                  "Jane Doe</a> <a href='https://twitter.com/jd'>Follow on X</a></div>"
                  "<button class='fn bq'>Follow</button><ul><li class='fn cc'>"
                  "<a href='/tag/gh' rel='tag'>Nodejs</a></li></ul><p>Text</p></article>")
    assert authors(parsed) == [{"name": "Jane Doe", "url": "https://soaps.example/a/jd"}]


def test_a_byline_in_a_box_classed_by_what_it_lacks_is_read():
    # `hasnt-bio` says the byline box has no bio: it is no author-bio box.
    parsed = page("<title>GH: Sonny returns</title>",
                  "<h1>GH: Sonny returns</h1><div class='article-body'>"
                  "<div class='sig-line hasnt-headshot hasnt-bio'><span class='pb-byline'>By "
                  "<a href='/people/jane-doe'>Jane Doe</a></span></div><p>Text</p></div>")
    assert authors(parsed) == [{"name": "Jane Doe", "url": "https://soaps.example/people/jane-doe"}]


def test_the_microdata_author_of_the_article_item_counts_even_in_its_aside():
    parsed = page("<title>Sonny returns | Soaps | Jane Doe</title>",
                  "<article itemscope itemtype='http://schema.org/BlogPosting'>"
                  "<h2><a itemprop='name' href='/sonny'>Sonny returns</a></h2><p>Text</p>"
                  "<aside><p><span class='article-author' itemprop='author' itemscope "
                  "itemtype='http://schema.org/Person'><span itemprop='name'>Jane Doe</span>"
                  " —</span><time datetime='2013-09-29'>2013-09-29</time></p></aside>"
                  "</article><aside class='sidebar'><article itemscope "
                  "itemtype='http://schema.org/BlogPosting'><h3>Other</h3><span "
                  "itemprop='author'>Bob Roe</span></article></aside>")
    assert [a["name"] for a in authors(parsed)] == ["Jane Doe"]


@pytest.mark.parametrize("account, alone", [("CC7567", ["CC7567"]),
                                             # a CMS's installed account names nobody
                                             ("admin", []), ("Super User", [])])
def test_an_account_name_in_the_jsonld_yields_to_the_person_in_the_byline(account, alone):
    parsed = page("<title>GH: Sonny returns</title><script type='application/ld+json'>"
                  f'{{"@type":"BlogPosting","headline":"GH: Sonny returns","author":"{account}"}}'
                  "</script>",
                  "<article><h1>GH: Sonny returns</h1><span class='author vcard'>"
                  "<span class='author-name fn'>Jane Doe</span></span><p>Text</p></article>")
    assert [a["name"] for a in authors(parsed)] == ["Jane Doe"]
    parsed = page("<title>GH: Sonny returns</title><script type='application/ld+json'>"
                  f'{{"@type":"BlogPosting","headline":"GH: Sonny returns","author":"{account}"}}'
                  "</script>", "<article><h1>GH: Sonny returns</h1><p>Text</p></article>")
    assert [a["name"] for a in authors(parsed)] == alone


@pytest.mark.parametrize("author", [
    '{"@type":"Organization","name":"Soap Weekly"}',
    '{"@type":"Organization","name":"Daytime Media Group"}',
])
def test_the_publication_as_jsonld_author_yields_to_the_person_in_a_bem_byline(author):
    head = ("<title>GH: Sonny returns</title><meta property='og:site_name' content='Soap "
            "Weekly'><script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"headline\":"
            f"\"GH: Sonny returns\",\"author\":{author}}}</script>")
    parsed = page(head, "<article><h1>GH: Sonny returns</h1><div class='sharekit__contributors'>"
                        "<div class='sharekit__contributors--author'>By <span>Jane Doe</span>"
                        "</div></div><p>Text</p></article>")
    assert [a["name"] for a in authors(parsed)] == ["Jane Doe"]
    parsed = page(head, "<article><h1>GH: Sonny returns</h1><p>Text</p></article>")
    assert len(authors(parsed)) == 1


def test_a_byline_link_to_the_page_itself_names_nobody():
    parsed = page("<title>GH: Sonny returns</title><link rel='canonical' href='" + URL + "'>",
                  "<article><h1>GH: Sonny returns</h1><p class='author'>Jane Doe posted "
                  f"<a href='{URL}#comments'>Comments</a> <a href='#respond'>Reply</a>"
                  "</p><p>Text</p></article>")
    assert [a["name"] for a in authors(parsed)] == ["Jane Doe"]


def test_og_article_author_names_the_author():
    parsed = page("<meta property='og:article:author' content='BBC News'>")
    assert [a["name"] for a in authors(parsed)] == ["BBC News"]


@pytest.mark.parametrize("key", ["publishdate", "cXenseParse:recs:publishtime",
                                 "citation_publication_date"])
def test_more_meta_keys_give_the_published_date(key):
    parsed = page(f"<meta name='{key}' content='2023-11-17T20:52:15+01:00'>")
    assert date_published(parsed, "en") == ("2023-11-17T19:52:15Z",
                                            "2023-11-17T20:52:15+01:00")


@pytest.mark.parametrize("lang, line, published", [
    ("fr", "Publié le 3 mars 2021 à 10h12", "2021-03-03T10:12:00Z"),
    ("pt-BR", "Publicado em 03/03/2021 às 10h12", "2021-03-03T10:12:00Z"),
    ("ja", "2021年3月3日 10時12分 配信", "2021-03-03T10:12:00Z"),
])
def test_a_date_written_under_the_headline_in_other_languages_keeps_its_time(
        lang, line, published):
    parsed = page("<title>Sonny</title>", f"<h1>Sonny</h1><p>{line}</p><p>Text</p>")
    assert date_published(parsed, lang)[0] == published


@pytest.mark.parametrize("lang, footer, published", [
    ("de", "<div class='asset-footer'><div class='asset-meta'>Von Christian am 03.05.2013, "
           "11:51 | <a href='#c'>0 Meinungen</a></div></div>", "2013-05-03T11:51:00Z"),
    ("de", "<div class='post-footer'>Dieser Artikel wurde am 14. Dezember 2015 um 14:48 von "
           "<a href='/a/'>Jana</a> geschrieben.</div>", "2015-12-14T14:48:00Z"),
    ("en", "<p class='postmetadata'>Posted by Jane at 9:05 pm, March 3, 2021</p>",
     "2021-03-03T00:00:00Z"),
])
def test_a_date_in_an_old_themes_post_footer_is_the_published_date(lang, footer, published):
    parsed = page("<title>Sonny</title>", f"<h1>Sonny</h1><p>Text</p>{footer}")
    assert date_published(parsed, lang)[0][:10] == published[:10]


def test_a_classed_date_labelled_as_an_update_is_the_modified_date():
    parsed = page("<title>Sonny</title>", "<h1>Sonny</h1><p class='date'>Letzte "
                  "Aktualisierung: 18.01.2018</p><p>Text</p>")
    assert date_modified(parsed, "de") == ("2018-01-18",
                                           "Letzte Aktualisierung: 18.01.2018")
    assert date_published(parsed, "de")[0] is None


def test_dates_of_other_languages_are_day_first_and_in_the_page_offset():
    parsed = page("<meta property='article:published_time' "
                  "content='2020-04-10T18:03:00+02:00'><title>Jo kehrt zurück</title>",
                  "<h1>Jo kehrt zurück</h1><p>Aktualisiert am 11.04.2020, 10:27</p>"
                  "<p>Text</p>")
    assert date_modified(parsed, "de") == ("2020-04-11T08:27:00Z", "11.04.2020, 10:27")
    parsed = page("<title>Sonny returns</title>",
                  "<h1>Sonny returns</h1><p>Posted <time datetime='2024-07-10T14:00:00Z'>"
                  "July 10</time> · Updated <time datetime='2024-07-11T09:00:00Z'>July 11"
                  "</time></p><p>Text</p>")
    assert date_published(parsed, "en")[0] == "2024-07-10T14:00:00Z"
    assert date_modified(parsed, "en")[0] == "2024-07-11T09:00:00Z"
