"""Hostile pages: whatever a server sends as HTML, extraction gives the article or nothing,
with a reason; never a traceback, never a stopped crawl, and bounded work per page.

The first half feeds the pages to `extract_article` (what `gossipcrawl extract` runs); the
second serves them on a loopback site beside good articles and crawls it for real.
"""

from __future__ import annotations

import json
import logging
import random
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from sites.hostile import HostileSite, Route, crawl, good_article
from web_poet import Stats
from web_poet.page_inputs.stats import DictStatCollector

from gossipcrawl.extract.html import NotHtml, decode_html, parse_document, parse_html
from gossipcrawl.extract.limits import (
    DEFAULT_MAX_ELEMENTS,
    DEFAULT_MAX_EXTRACT_BYTES,
    PageLimits,
)
from gossipcrawl.pages.generic import NotAnArticle
from gossipcrawl.pages.registry import extract_article

URL = "https://soaps.example/news/good-1/"
GOOD = good_article(1).decode()
HEADLINE = "The Young and the Restless spoilers: story 1 brings a shocking return"
PARAGRAPH = ("<p>Sonny Corinthos returned to Port Charles on General Hospital this week, and "
             "the fallout was immediate for everyone in town.</p>\n")


def with_article_end(extra: str) -> str:
    """The good article with `extra` inserted after its body (inside <main>)."""
    return GOOD.replace("</article>", "</article>" + extra, 1)


def with_head(extra: str) -> str:
    return GOOD.replace("</head>", extra + "</head>", 1)


# --- the hostile pages -------------------------------------------------------------------------

def huge_page() -> bytes:
    """A 30 MB article page: the article, then 30 MB of paragraphs (a runaway comment
    section, a template loop)."""
    return with_article_end(PARAGRAPH * (30 * 1024 * 1024 // len(PARAGRAPH))).encode()


def nested_page() -> bytes:
    """60,000 nested elements after the article (unclosed tags, a broken template)."""
    return with_article_end("<div>" * 60_000 + "deep" + "</div>" * 60_000).encode()


def nested_first_page() -> bytes:
    """60,000 nested elements around the whole article."""
    return GOOD.replace("<main>", "<main>" + "<div>" * 60_000, 1).replace(
        "</main>", "</div>" * 60_000 + "</main>", 1).encode()


def forms_page() -> bytes:
    forms = "".join(
        f'<form action="/wp-comments-post.php" method="post" id="f{i}"><label for="c{i}">'
        f'Comment</label><textarea id="c{i}" name="comment" required></textarea>'
        f'<input name="author" aria-required="true"><input type="hidden" '
        f'name="comment_post_ID" value="{i}"><input type="submit" value="Post"></form>'
        for i in range(5000))
    return with_article_end(forms).encode()


def many_links_page() -> bytes:
    return with_article_end("".join(f'<a href="/tag/t{i}/">tag {i}</a> '
                                    for i in range(100_000))).encode()


def tiny_elements_page() -> bytes:
    """500,000 tiny elements inside the article: the worst case per byte."""
    return GOOD.replace("</div>\n</article>", "<p>x</p>" * 500_000 + "</div>\n</article>",
                        1).encode()


BROKEN_JSONLD = [
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>',
    '<script type="application/ld+json">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[</script>',
    '<script type="application/ld+json">{"@graph": "not a list", "@type": 5}</script>',
    '<script type="application/ld+json">{"@type": ["NewsArticle"], "headline": {"a": 1}, '
    '"author": [null, 3, {"name": ["x"]}], "datePublished": 1720000000, '
    '"image": {"url": null}, "articleBody": 42}</script>',
    '<script type="application/ld+json">"just a string"</script>',
    '<script type="application/ld+json">\x00\x01\x02</script>',
]

IMPOSSIBLE_DATES = [
    '<meta property="article:published_time" content="2024-13-45T99:99:99Z">',
    '<meta property="article:modified_time" content="0000-00-00T00:00:00Z">',
    '<meta name="date" content="99999-99-99">',
    '<meta itemprop="datePublished" content="yesterday at 25:61">',
    '<meta name="pubdate" content="' + "9" * 5000 + '">',
    '<time class="published" datetime="2024-02-30">30 February 2024</time>',
]


def hostile_pages() -> dict[str, tuple[bytes, str | None, str]]:
    """name -> (body, Content-Type, expected: "article" or "nothing")."""
    html = "text/html; charset=utf-8"
    rng = random.Random(9)
    binary = bytes(rng.randrange(256) for _ in range(200_000))
    return {
        "empty": (b"", html, "nothing"),
        "whitespace": (b" \r\n\t " * 1000, html, "nothing"),
        "binary": (binary, html, "nothing"),
        "png as html": (b"\x89PNG\r\n\x1a\n" + binary, html, "nothing"),
        "gzip bytes as html": (b"\x1f\x8b\x08\x00" + binary, html, "nothing"),
        "nul bytes": (GOOD.replace("<p>", "<p>\x00", 3).encode(), html, "article"),
        "truncated mid-paragraph": (GOOD.encode()[: GOOD.find("Paragraph 3") + 40], html,
                                    "article"),
        "truncated mid-tag": (GOOD.encode()[: GOOD.find("<p>Paragraph 4") + 2], html,
                              "article"),
        "truncated in head": (GOOD.encode()[:200], html, "nothing"),
        "30 MB page": (huge_page(), html, "article"),
        "60,000 nested elements after the article": (nested_page(), html, "article"),
        "60,000 nested elements around the article": (nested_first_page(), html, "either"),
        "5,000 forms": (forms_page(), html, "article"),
        "100,000 links": (many_links_page(), html, "article"),
        "500,000 tiny elements": (tiny_elements_page(), html, "article"),
        "broken JSON-LD": (with_head("".join(BROKEN_JSONLD)).encode(), html, "article"),
        "impossible dates": (with_head("".join(IMPOSSIBLE_DATES[:-1]))
                             .replace('<div class="byline">', IMPOSSIBLE_DATES[-1]
                                      + '<div class="byline">').encode(), html, "article"),
        "utf-16 with BOM": (GOOD.encode("utf-16"), html, "article"),
        "utf-16-le without BOM": (GOOD.encode("utf-16-le"), None, "article"),
        "utf-16-be without BOM": (GOOD.encode("utf-16-be"), "text/html", "article"),
        "utf-8 labelled latin-1": (GOOD.encode(), "text/html; charset=iso-8859-1", "article"),
        "cp1252 labelled utf-8": (GOOD.replace("familiar face", "caf\u00e9 \u201cface\u201d")
                                  .encode("cp1252"), html, "article"),
        "unknown charset": (GOOD.encode(), "text/html; charset=x-no-such-charset", "article"),
        "script only": (b"<html><head><script>" + b"var a = 1;" * 100_000
                        + b"</script></head><body><script>document.write('hi')</script>"
                        b"</body></html>", html, "nothing"),
        "xml declaration": (b'<?xml version="1.0" encoding="utf-8"?>\n' + GOOD.encode(), html,
                            "article"),
        "not html at all": (b'{"headline": "json served as html"}', html, "nothing"),
    }


PAGES = hostile_pages()


# Bounds 4x tighter than the defaults: the same cuts, a quarter of the test time.
SMALL_LIMITS = {"max_extract_bytes": DEFAULT_MAX_EXTRACT_BYTES // 4,
                "max_elements": DEFAULT_MAX_ELEMENTS // 4}


def run_extract(body: bytes, content_type: str | None, page_params=None):
    """The article, or the reason there is none; anything else propagates (a bug)."""
    try:
        return extract_article(body, URL, content_type, page_params=page_params), None
    except NotAnArticle as exc:
        return None, exc.reason
    except NotHtml as exc:
        return None, str(exc)


@pytest.mark.parametrize("name", list(PAGES))
def test_hostile_page_gives_article_or_reason(name):
    body, content_type, expected = PAGES[name]
    article, reason = run_extract(body, content_type, SMALL_LIMITS)
    if expected == "article":
        assert article is not None, f"{name}: no article ({reason})"
        assert article.headline == HEADLINE
        assert "Paragraph 1 of story 1" in article.articleBody
    elif expected == "nothing":
        assert article is None, f"{name}: unexpected article {article.headline!r}"
        assert reason and isinstance(reason, str)
    else:
        assert article is not None or reason


def test_huge_page_is_cut_logged_and_bounded(caplog):
    body, content_type, _ = PAGES["30 MB page"]
    with caplog.at_level(logging.INFO, logger="gossipcrawl.extract.limits"):
        article = extract_article(body, URL, content_type)
    assert article.headline == HEADLINE
    cuts = [record.getMessage() for record in caplog.records]
    assert any("page cut for extraction" in message and URL in message
               and "GOSSIPCRAWL_MAX_EXTRACT_BYTES" in message for message in cuts)
    # The body keeps the article and what fitted under the bounds, not 30 MB.
    assert len(article.articleBody) < DEFAULT_MAX_EXTRACT_BYTES


def test_element_bound_comes_from_page_params_and_cuts_are_counted_in_stats():
    collector = DictStatCollector()
    body, content_type, _ = PAGES["100,000 links"]
    article = extract_article(body, URL, content_type, page_params={"max_elements": 2_000},
                              stats=Stats(collector))
    assert article.headline == HEADLINE
    assert "Paragraph 6 of story 1" in article.articleBody
    assert collector.data == {"gossipcrawl/pages/cut/elements": 1}


def test_page_params_set_each_page_its_own_bounds():
    """Two pages extracted one after the other with different bounds keep their own: no
    bound outlives its page."""
    body, content_type, _ = PAGES["30 MB page"]
    tight, loose = DictStatCollector(), DictStatCollector()
    extract_article(body, URL, content_type, page_params={"max_extract_bytes": 1024 * 1024},
                    stats=Stats(tight))
    extract_article(body[:2 * 1024 * 1024], URL, content_type, stats=Stats(loose))
    assert tight.data == {"gossipcrawl/pages/cut/bytes": 1}
    assert loose.data == {}


def test_limits_from_page_params():
    assert PageLimits.from_params(None) == PageLimits()
    assert PageLimits.from_params({"max_elements": "500"}) == PageLimits(max_elements=500)
    assert PageLimits.from_params({"max_extract_bytes": 0}).max_bytes == 0
    assert PageLimits.from_params({"max_elements": "lots"}) == PageLimits()


def test_cut_tree_keeps_document_order_prefix():
    import lxml.html

    root = lxml.html.document_fromstring(
        "<html><body><div id=a><p id=b>one</p><p id=c>two</p></div>tail"
        "<div id=d><p id=e>three</p></div></body></html>")
    ids_before = [element.get("id") for element in root.iter()]
    dropped = PageLimits(max_elements=5).cut_tree(root, URL)
    kept = [element.get("id") for element in root.iter()]
    assert kept == ids_before[:5]
    assert dropped == len(ids_before) - 5
    assert root.text_content() == "onetwotail"


def test_limits_off():
    limits = PageLimits(max_bytes=0, max_elements=0)
    assert limits.cut_body(b"x" * 100, URL) == b"x" * 100
    assert DEFAULT_MAX_ELEMENTS > 10_000


def test_impossible_iso_date_is_rejected_without_dateparser(monkeypatch):
    """dateparser (~5 s on first use) is never consulted for an ISO 8601-shaped value."""
    from gossipcrawl.extract import dates

    def fail(*args, **kwargs):
        raise AssertionError("dateparser consulted for an ISO 8601-shaped value")

    monkeypatch.setattr(dates, "_with_dateparser", fail)
    dates.parse_date.cache_clear()
    for raw in ("2024-13-45T99:99:99Z", "2024-02-30T10:00:00+02:00", "0000-00-00T00:00:00Z",
                "2024-07-10T25:61:00"):
        assert dates.parse_date(raw) is None


@pytest.mark.parametrize("depth", [100_000, 985])
def test_deeply_nested_jsonld_is_skipped(depth):
    """A JSON-LD block nested too deep for Python is skipped, not the whole page."""
    block = '<script type="application/ld+json">' + "[" * depth + "]" * depth + "</script>"
    article, reason = run_extract(with_head(block).encode(), "text/html; charset=utf-8")
    assert article is not None and article.headline == HEADLINE, reason


def test_meta_utf16_on_ascii_body_is_read_as_utf8():
    """The HTML standard: a `<meta charset>` of UTF-16 means UTF-8."""
    body = GOOD.replace('<meta charset="utf-8">', '<meta charset="utf-16">').encode()
    article = extract_article(body, URL, "text/html")
    assert article.headline == HEADLINE


@pytest.mark.parametrize("body, content_type", [
    ("<p>Café – «quoted»</p>".encode(), "text/html; charset=utf-8"),
    ("<p>Café – «quoted»</p>".encode(), None),
    ("<meta charset='windows-1252'><p>Café – «quoted»</p>".encode("cp1252"), "text/html"),
    ("<p>Café – «quoted»</p>".encode("cp1252"), "text/html; charset=utf-8"),  # mislabelled
    ("\ufeff<p>Café</p>".encode("utf-8"), None),
    ("<?xml version='1.0' encoding='utf-8'?><html><p>Café</p></html>".encode(), None),
    ("<p>Caf\x00é</p>".encode(), None),
])
def test_parsing_a_pages_bytes_directly_gives_the_tree_decoding_gives(body, content_type):
    direct = parse_document(body, content_type)
    decoded = parse_html(decode_html(body, content_type))
    assert lxml.html.tostring(direct, encoding="unicode") == \
        lxml.html.tostring(decoded, encoding="unicode")


# --- through a crawl ---------------------------------------------------------------------------

CRAWLED = ("empty", "binary", "truncated mid-paragraph", "truncated in head", "30 MB page",
           "60,000 nested elements after the article", "5,000 forms", "100,000 links",
           "broken JSON-LD", "utf-16 with BOM", "utf-16-le without BOM",
           "cp1252 labelled utf-8", "script only", "not html at all")


def slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")


@pytest.mark.e2e
def test_crawl_survives_hostile_pages(tmp_path):
    routes = {}
    for name in CRAWLED:
        body, content_type, _ = PAGES[name]
        headers = {"Content-Type": content_type} if content_type else {}
        # The article pages keep their canonical link to good-1; give each its own URL.
        path = f"/h/{slug(name)}/"
        # Its own canonical URL and text, so that dedupe keeps it apart from good-1.
        body = body.replace(b"/news/good-1/", path.encode()).replace(
            b"Paragraph 1 of story 1", f"Paragraph 1 of story 1 ({name})".encode())
        routes[path] = Route(body=body, headers=headers)
    with HostileSite(routes, good_articles=20, extra_links=list(routes)) as site:
        # Extraction runs in the reactor's thread: while it cuts the big pages, downloads
        # in flight wait, so this crawl (no slow routes) gets a roomy download timeout. The
        # page bounds are the defaults (4 MiB, 20,000 elements).
        run = crawl(site, tmp_path, "DOWNLOAD_TIMEOUT=30")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    urls = run.urls()
    # By canonical URL: a hostile copy whose encoding (UTF-16) defeats the byte replacement
    # above still names good-1 as its canonical page, and whichever of the two is fetched
    # first is the one emitted.
    canonical = {item["canonicalUrl"] for item in run.items}
    for path in site.good_paths():
        assert site.base_url + path in canonical
    for name in ("30 MB page", "60,000 nested elements after the article", "5,000 forms",
                 "100,000 links", "broken JSON-LD", "truncated mid-paragraph",
                 "cp1252 labelled utf-8"):
        assert f"{site.base_url}/h/{slug(name)}/" in urls, name
    headlines = {item["headline"] for item in run.items}
    assert HEADLINE in headlines
    # Every hostile page was fetched once and accounted for.
    for path in routes:
        assert site.hits[path] == 1, path
    # Pages count their cuts through web-poet's Stats, which scrapy-poet files under
    # "poet/stats/".
    assert run.stat("poet/stats/gossipcrawl/pages/cut/bytes") >= 1  # the 30 MB page
    # the 60,000 nested elements, the 5,000 forms, the 100,000 links
    assert run.stat("poet/stats/gossipcrawl/pages/cut/elements") >= 3
    unreadable = sum(run.stats_under("gossipcrawl/pages/error/").values())
    assert set(run.stats_under("gossipcrawl/pages/error/")) <= {
        "gossipcrawl/pages/error/NotHtml"}
    assert unreadable + run.stat("gossipcrawl/pages/not_article") >= 5
    assert run.stats.get("finish_reason") == "finished"
    assert run.stat("memusage/max") < 1024 * 1024 * 1024
    # Each record is valid JSON with the contract's fields (the validation pipeline ran).
    assert run.stat("gossipcrawl/items/dropped/invalid") == 0
    assert all(json.dumps(item) for item in run.items)
    # The summary line and the reasons are in the log.
    assert "only the first 4194304 are read (GOSSIPCRAWL_MAX_EXTRACT_BYTES)" in run.stderr
    assert "after the first 20000 (GOSSIPCRAWL_MAX_ELEMENTS)" in run.stderr
    assert "finish reason: finished" in run.stderr


@pytest.mark.parametrize("markup", [
    b"just text, no markup at all",
    b"text<html>more text<head>text in head<title>t</title>text</head>body text",
    b"<p>" * 500 + b"x",
    b"a<b>c<i>d</b>e</i>f" * 200,
    b"<table>text<tr>text<td>cell</table>" * 50,
    b"<ul>" + b"<li>item" * 300,
])
def test_element_count_never_exceeds_the_markup_bound(markup):
    # cut_tree skips its count when the body has few "<": the tree must never hold more
    # elements than that bound allows, whatever the parser adds.
    from gossipcrawl.extract.html import decode_html, parse_html

    root = parse_html(decode_html(markup, "text/html; charset=utf-8"))
    assert sum(1 for _ in root.iter()) <= 2 * markup.count(b"<") + 4


def test_element_count_bound_holds_on_every_fixture():
    from gossipcrawl.extract.html import decode_html, parse_html

    pages = sorted((Path(__file__).parents[1] / "fixtures").glob("*/*.html"))
    assert pages
    for page in pages:
        body = page.read_bytes()
        root = parse_html(decode_html(body))
        assert sum(1 for _ in root.iter()) <= 2 * body.count(b"<") + 4, page


@pytest.mark.e2e
def test_a_crawls_page_bounds_come_from_its_settings(tmp_path):
    """GOSSIPCRAWL_MAX_ELEMENTS reaches every page object of the crawl (in its page_params),
    whatever other crawlers in the process use."""
    from sites.newsroom import Newsroom

    with Newsroom(articles=3) as site:
        run = subprocess.run(
            [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/", "-o",
             "out.jsonl", "--state", "state.sqlite3", "-s", "DOWNLOAD_DELAY=0",
             "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "GOSSIPCRAWL_MAX_ELEMENTS=12"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 1), run.stderr[-3000:]
    assert "after the first 12 (GOSSIPCRAWL_MAX_ELEMENTS)" in run.stderr
    report = json.loads((tmp_path / "out.report.json").read_text())
    assert report["stats"]["poet/stats/gossipcrawl/pages/cut/elements"] >= 4
