"""The bundled demo site: every kind of page is served right, and its manifest is sound."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import urllib.robotparser
from collections import Counter
from datetime import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

import lxml.html
import pytest

from gossipcrawl.demo import DemoSite, content

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
TAGLINE = ("Latest soap opera spoilers, news and exclusive updates for The Young and The Restless, "
           "Days of Our Lives, General Hospital and The Bold and the Beautiful.")
ARTICLES = content.load_articles()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class Page:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def tree(self):
        return lxml.html.fromstring(self.body)


def fetch(url: str, method: str = "GET") -> Page:
    request = urllib.request.Request(url, method=method)
    try:
        with _OPENER.open(request, timeout=10) as response:
            return Page(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Page(error.code, error.headers, error.read())


@pytest.fixture(scope="module")
def site():
    with DemoSite() as demo:
        yield demo


@pytest.fixture(scope="module")
def base(site):
    return site.base_url


def get(base: str, path: str) -> Page:
    return fetch(base + path)


def xml(page: Page) -> ElementTree.Element:
    return ElementTree.fromstring(page.body)


def without_query(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0]


# -- server ---------------------------------------------------------------------------------


def test_start_stop_and_context_manager(capfd):
    demo = DemoSite()
    base = demo.start()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base) and demo.running
    assert demo.start() == base  # idempotent
    assert fetch(base + "/").status == 200
    assert fetch(base + "/no-such-page/").status == 404
    demo.stop()
    assert not demo.running
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/", timeout=2)
    with DemoSite(port=0) as again:
        assert fetch(again.url("/robots.txt")).status == 200
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""  # quiet: no request logging


def test_head_and_post(base):
    head = fetch(base + ARTICLES[0].path, method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["Content-Length"]) > 1000
    assert fetch(base + "/wp-comments-post.php", method="POST").status == 403


# -- robots, sitemaps, feed -----------------------------------------------------------------


def test_robots_txt(base):
    page = get(base, "/robots.txt")
    assert page.status == 200 and page.content_type.startswith("text/plain")
    lines = page.text.splitlines()
    for line in ("User-agent: *", "Disallow: /wp-admin/", "Disallow: /private/",
                 f"Sitemap: {base}/sitemap_index.xml"):
        assert line in lines
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(lines)
    assert not robots.can_fetch("gossipcrawl", base + "/private/")
    assert not robots.can_fetch("gossipcrawl", base + "/wp-admin/options.php")
    assert robots.can_fetch("gossipcrawl", base + ARTICLES[0].path)
    assert robots.site_maps() == [f"{base}/sitemap_index.xml"]


def test_sitemap_index_and_children(base):
    page = get(base, "/sitemap_index.xml")
    assert page.status == 200 and page.content_type.startswith("application/xml")
    children = [(s.findtext(f"{SM}loc"), s.findtext(f"{SM}lastmod")) for s in xml(page)]
    assert {urlsplit(loc).path for loc, _ in children} == {
        "/post-sitemap.xml", "/page-sitemap.xml", "/category-sitemap.xml", "/news-sitemap.xml"}
    listed = set()
    for loc, lastmod in children:
        assert loc.startswith(base + "/") and lastmod
        child = fetch(loc)
        assert child.status == 200 and child.content_type.startswith("application/xml")
        for url in xml(child).iter(f"{SM}url"):
            loc2 = url.findtext(f"{SM}loc")
            assert loc2.startswith(base + "/"), loc2
            listed.add(loc2)
    for url in listed:  # every URL a sitemap lists is served
        assert fetch(url).status == 200, url
    assert {base + a.path for a in ARTICLES} <= listed


def test_post_sitemap_has_lastmod(base):
    urls = list(xml(get(base, "/post-sitemap.xml")).iter(f"{SM}url"))
    assert len(urls) == len(ARTICLES) + 1  # the blog home comes first, as Yoast does
    by_loc = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in urls}
    for article in ARTICLES:
        lastmod = datetime.fromisoformat(by_loc[base + article.path])
        assert lastmod == article.modified_dt


def test_news_sitemap(base):
    page = get(base, "/news-sitemap.xml")
    assert page.status == 200 and page.content_type.startswith("application/xml")
    urls = list(xml(page).iter(f"{SM}url"))
    newest = ARTICLES[:content.NEWS_SITEMAP_SIZE]
    assert [u.findtext(f"{SM}loc") for u in urls] == [base + a.path for a in newest]
    for url, article in zip(urls, newest):
        news = url.find(f"{NEWS}news")
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Daytime Dish"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
        assert news.findtext(f"{NEWS}title") == article.headline
        assert content.to_utc(news.findtext(f"{NEWS}publication_date")) == article.date_published_utc


def test_rss_feed(base):
    page = get(base, "/feed/")
    assert page.status == 200 and page.content_type.startswith("application/rss+xml")
    channel = xml(page).find("channel")
    assert channel.findtext("link") == base + "/"
    items = channel.findall("item")
    assert len(items) == content.FEED_SIZE
    for item, article in zip(items, ARTICLES):
        link = item.findtext("link")
        assert link.startswith(base + "/") and "utm_source=rss" in link
        assert without_query(link) == base + article.path
        assert item.findtext("title") == article.headline
        assert item.findtext("guid") == f"{base}/?p={article.post_id}"
        served = fetch(link)  # tracking parameters do not change the page
        assert served.status == 200
        assert served.tree.xpath('//link[@rel="canonical"]/@href') == [base + article.path]
    assert get(base, "/feed").status == 301


# -- listings and pagination ----------------------------------------------------------------


def article_links(page: Page, base: str) -> set[str]:
    paths = {a.path for a in ARTICLES}
    found = set()
    for href in page.tree.xpath('//div[@class="posts-list"]//h2[contains(@class,"entry-title")]/a/@href'):
        assert href.startswith(base + "/")
        path = urlsplit(href).path
        assert path in paths
        found.add(path)
    return found


def walk(base: str, start: str) -> tuple[list[str], set[str]]:
    """Follow "Next" pagination from `start`; return the pages seen and the articles listed."""
    seen_pages, found, url = [], set(), base + start
    while url:
        page = fetch(url)
        assert page.status == 200 and page.content_type == "text/html; charset=utf-8", url
        seen_pages.append(urlsplit(url).path)
        found |= article_links(page, base)
        nxt = page.tree.xpath('//a[contains(@class,"next") and contains(@class,"page-numbers")]/@href')
        rel_next = page.tree.xpath('//link[@rel="next"]/@href')
        assert nxt == rel_next
        url = nxt[0] if nxt else None
    return seen_pages, found


def test_home_pagination_reaches_every_article(base):
    pages, found = walk(base, "/")
    assert pages == ["/", "/page/2/", "/page/3/", "/page/4/"]
    assert found == {a.path for a in ARTICLES}
    first = article_links(get(base, "/"), base)
    assert len(first) == content.POSTS_PER_PAGE and len(found - first) == len(ARTICLES) - 10
    assert get(base, "/page/5/").status == 404
    assert get(base, "/page/1/").headers["Location"] == base + "/"


def test_category_pagination(base):
    paginated = 0
    for category in content.categories().values():
        expected = {a.path for a in ARTICLES if a.category == category}
        pages, found = walk(base, category.path)
        assert found == expected, category.slug
        assert len(pages) == content.pages(len(expected), content.ARCHIVE_PER_PAGE)
        if len(pages) > 1:
            paginated += 1
            only_later = found - article_links(get(base, category.path), base)
            assert only_later  # some articles are listed only on page 2+
    assert paginated >= 2
    assert get(base, "/category/uk-soaps/page/2/").status == 200
    assert get(base, "/category/uk-soaps/page/3/").status == 404
    assert get(base, "/category/no-such-show/").status == 404


def test_tag_and_author_archives(base):
    for tag in list(content.tags().values())[:5]:
        _, found = walk(base, tag.path)
        assert found == {a.path for a in ARTICLES if tag in a.tags}
    for author in content.authors().values():
        _, found = walk(base, author.path)
        assert found == {a.path for a in ARTICLES if author in a.authors}


def test_every_non_article_page_is_served(base):
    for path in content.non_article_paths():
        page = get(base, path)
        assert page.status == 200 and page.content_type == "text/html; charset=utf-8", path
        assert not page.tree.xpath('//*[@id="respond"]'), path
    contact = get(base, "/contact/").tree
    assert contact.xpath('//form[contains(@class,"wpcf7-form")]//textarea[@name="your-message"]')


def test_search(base):
    page = get(base, "/?s=Quartermaine")
    assert page.status == 200
    assert "/gh-spoilers-quartermaine-will-reading/" in article_links(page, base)
    assert get(base, "/?s=nothing-matches-this").status == 200


# -- articles -------------------------------------------------------------------------------


def body_container(tree, article):
    cls = "entry-content" if article.theme == "modern" else "entry"
    (node,) = tree.xpath(f'//div[@class="{cls}"]')
    return node


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("article", ARTICLES, ids=[a.slug for a in ARTICLES])
def test_article_page(base, article):
    page = get(base, article.path)
    assert page.status == 200 and page.content_type == "text/html; charset=utf-8"
    tree = page.tree
    url = base + article.path
    assert tree.xpath('//link[@rel="canonical"]/@href') == [url]
    assert tree.xpath('//link[@rel="amphtml"]/@href') == [base + article.amp_path]
    assert tree.xpath('//meta[@property="og:url"]/@content') == [url]
    assert tree.xpath('//meta[@property="og:image"]/@content') == [base + article.image_path]
    assert tree.xpath('//meta[@property="article:published_time"]/@content') == [article.published]
    assert TAGLINE in norm(tree.text_content())

    # the body: every paragraph and subheading, in order, among the traps
    body = body_container(tree, article)
    blocks = [norm(el.text_content()) for el in body.xpath("./p|./h2|./h3")]
    expected = [norm(b.text) for b in article.blocks]
    assert [b for b in blocks if b in expected] == expected
    traps = [b for b in blocks if b not in expected]
    assert any(t.startswith("ALSO READ:") for t in traps)
    assert body.xpath('.//ins[@class="adsbygoogle"]')
    assert body.xpath('.//form[contains(@class,"newsletter-form")]')
    if article.caption:
        assert article.caption in norm(body.text_content())

    # chrome around it
    assert tree.xpath('//*[contains(@class,"share-bar") or contains(@class,"sociable")]')
    assert tree.xpath('//form[@role="search"]')
    trending = tree.xpath('//*[contains(@class,"widget_trending")]//a/@href')
    assert trending and all(href.startswith(base + "/") for href in trending)
    assert len(tree.xpath('//a[@rel="tag"]')) == len(article.tags)
    assert tree.xpath('//*[contains(@class,"author-box") or contains(@class,"authorbox")]')
    assert tree.xpath('//*[contains(@class,"related-posts") or contains(@class,"yarpp-related")]//a')

    # theme-specific metadata
    if article.theme == "modern":
        (script,) = tree.xpath('//script[@type="application/ld+json"]/text()')
        graph = json.loads(script)["@graph"]
        (news,) = [n for n in graph if n["@type"] == "NewsArticle"]
        assert news["headline"] == article.headline
        assert news["datePublished"] == article.published
        assert news.get("dateModified") == article.modified
        assert news["commentCount"] == article.comment_count
        assert [a["name"] for a in news["author"]] == [a.name for a in article.authors]
        assert norm(tree.xpath('//h1[@class="entry-title"]')[0].text_content()) == article.headline
    else:
        assert not tree.xpath('//script[@type="application/ld+json"]')
        assert norm(tree.xpath('//div[@id="header"]/h1')[0].text_content()) == "The Daytime Dish"
        assert norm(tree.xpath('//h2[@class="entry-title"]')[0].text_content()) == article.headline
        assert tree.xpath('//meta[@property="og:title"]/@content') == [article.headline]
    authors = tree.xpath('//span[contains(@class,"author") and contains(@class,"vcard")]/a')
    assert [norm(a.text_content()) for a in authors] == [a.name for a in article.authors]

    # comments
    items = tree.xpath('//ol[contains(@class,"comment-list")]//li[contains(@class,"comment")]')
    assert [li.get("id") for li in items] == [f"comment-{c.id}" for c in article.comments]
    for li, comment in zip(items, article.comments):
        assert norm(li.xpath('.//*[contains(@class,"comment-content")]')[0].text_content()) == comment.text
        assert li.xpath('.//*[contains(@class,"comment-author")]')
        assert li.xpath(".//time/@datetime")[0] == comment.date
        parent = li.getparent()
        if comment.parent:
            assert "children" in parent.get("class") and parent.getparent().get("id") == f"comment-{comment.parent}"
        else:
            assert "comment-list" in parent.get("class")
    form = tree.xpath('//div[@id="respond"]//form')
    assert bool(form) == article.has_comment_form
    if form:
        (form,) = form
        assert form.get("action") == base + "/wp-comments-post.php" and form.get("method") == "post"
        assert norm(tree.xpath('//h3[@id="reply-title"]')[0].text_content()).startswith("Leave A Reply")
        assert norm(form.xpath('.//p[@class="comment-notes"]')[0].text_content()) == \
            "Your email address will not be published."
        assert form.xpath('.//textarea[@id="comment" and @name="comment"]/@required') == [""]
        assert {i.get("name") for i in form.xpath(".//input")} >= {"author", "email", "url",
                                                                   "comment_post_ID", "comment_parent"}
        assert form.xpath('.//input[@name="comment_post_ID"]/@value') == [str(article.post_id)]
    else:
        assert "Comments are closed." in page.text


@pytest.mark.parametrize("article", ARTICLES[:6] + ARTICLES[-2:], ids=lambda a: a.slug)
def test_amp_copy(base, article):
    page = get(base, article.amp_path)
    assert page.status == 200 and page.content_type == "text/html; charset=utf-8"
    tree = page.tree
    assert tree.get("amp") is not None
    assert tree.xpath('//link[@rel="canonical"]/@href') == [base + article.path]
    assert norm(tree.xpath('//h1[@class="amp-wp-title"]')[0].text_content()) == article.headline
    assert tree.xpath("//amp-img") and not tree.xpath("//form")
    assert not tree.xpath('//*[@id="respond"]')


def test_redirects(base):
    (renamed,) = [a for a in ARTICLES if a.old_path]
    page = get(base, renamed.old_path)
    assert page.status == 301 and page.headers["Location"] == base + renamed.path
    assert get(base, f"/?p={renamed.post_id}").headers["Location"] == base + renamed.path
    assert get(base, renamed.path.rstrip("/")).headers["Location"] == base + renamed.path
    # some listings link the old URL, so a crawl meets the redirect
    assert base + renamed.old_path in get(base, "/").text
    # with redirects followed, the final page is the article
    with urllib.request.urlopen(base + renamed.old_path, timeout=10) as response:
        assert response.url == base + renamed.path


def test_tracking_parameters_in_listings(base):
    hrefs = get(base, "/").tree.xpath('//*[contains(@class,"widget_trending")]//a/@href')
    assert any("utm_source=" in href for href in hrefs)


def test_not_found_and_forbidden(base):
    for path in ("/no-such-article/", "/wp-content/uploads/2024/07/anything.jpg", "/page/99/",
                 "/category/general-hospital/page/9/", "/tag/no-such-tag/", "/author/nobody/"):
        page = get(base, path)
        assert page.status == 404 and page.content_type == "text/html; charset=utf-8", path
    assert get(base, "/wp-admin/").status == 403


def test_private_page_is_disallowed_but_tempting(base):
    page = get(base, "/private/")
    assert page.status == 200
    assert base + "/private/" in get(base, "/about/").text  # linked from the footer


# -- the manifest ---------------------------------------------------------------------------


def test_manifest_shape(base):
    items = content.manifest(base)
    assert len(items) == len(ARTICLES) >= 30
    assert len({i["canonicalUrl"] for i in items}) == len(items)
    shows = Counter(s["id"] for i in items for s in i["shows"])
    assert len(shows) >= 6
    for show in ("general-hospital", "the-young-and-the-restless", "the-bold-and-the-beautiful",
                 "days-of-our-lives", "coronation-street", "eastenders",
                 "keeping-up-with-the-kardashians", "vanderpump-rules"):
        assert shows[show] >= 1, show
    for item in items:
        assert item["url"] == base + item["path"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["datePublished"])
        assert item["dateModified"] is None or item["dateModified"].endswith("Z")
        assert 250 <= item["wordCount"] <= 600, item["path"]
        body_blocks = [p for s in item["sections"] for p in ([s["heading"]] if s["heading"] else []) + s["paragraphs"]]
        assert item["articleBody"] == "\n\n".join(body_blocks)
        assert item["sections"][0]["heading"] is None
        assert 0 <= item["commentCount"] <= 5 and item["commentCount"] == len(item["comments"])
        assert (item["commentForm"] is not None) == item["hasCommentForm"]
        for author in item["authors"]:
            assert not author["name"].startswith("http")
    assert sum(1 for i in items if len(i["sections"]) > 1) >= len(items) // 3
    assert sum(1 for i in items if len(i["authors"]) == 2) >= 3
    assert sum(1 for i in items if not i["hasCommentForm"]) >= 2
    assert any(c["parentId"] for i in items for c in i["comments"])
    assert any(i["commentCount"] == 0 for i in items)
    assert any(i["dateModified"] for i in items)
    assert {i["theme"] for i in items} == {"modern", "classic"}


@pytest.mark.parametrize("article", ARTICLES, ids=[a.slug for a in ARTICLES])
def test_declared_shows_match_the_text(article):
    # the data declares which shows each article mentions; the text must agree exactly,
    # and the description must not bring in a show the body does not mention
    assert set(article.show_mentions) == set(article.shows)
    assert set(content.find_show_mentions(article.description)) <= set(article.shows)
    assert article.category.slug in ("uk-soaps", "reality-tv") or any(
        show.endswith(article.category.slug.replace("the-", "")) or article.category.slug in show
        for show in article.shows
    )


def test_show_matcher_ignores_ordinary_words():
    assert content.find_show_mentions("in recent days it was a bold move, young and restless") == {}
    assert content.find_show_mentions("GH, Y&R, B&B, DOOL, Corrie and KUWTK") == {
        "general-hospital": 1, "the-young-and-the-restless": 1, "the-bold-and-the-beautiful": 1,
        "days-of-our-lives": 1, "coronation-street": 1, "keeping-up-with-the-kardashians": 1}
