"""Comment forms, comment counts and comments (issue 5), and the never-POST guarantee.

Every fixture in fixtures/comments/ is a saved page or fragment (`<name>.html`) with its
expected output (`<name>.json`): the contract fields `commentForm`, `commentCount` and
`comments`, plus `url` (the page's URL, the extractor's input) and `formKinds` (what each
`<form>` on the page is, in page order). Each expected value is its own test, so a failure
names the fixture and the field.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lxml.html
import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import FormRequest, HtmlResponse
from scrapy.utils.test import get_crawler

from gossipcrawl.extract.comments import (PROVIDERS, classify_forms, count_in_text,
                                          extract_comment_count, extract_comment_form,
                                          extract_comments)
from gossipcrawl.extract.html import decode_html, parse_html
from gossipcrawl.extract.structured import jsonld_nodes
from gossipcrawl.downloadermiddlewares.getonly import GetOnlyDownloaderMiddleware

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures" / "comments"
NAMES = sorted(path.stem for path in FIXTURES.glob("*.html"))
FORM_KEYS = ("provider", "action", "method", "title", "notes", "fields", "hiddenFields")
COMMENT_KEYS = ("id", "author", "datePublished", "text", "parentId")


@cache
def page(name: str):
    """(expected, actual) for one fixture, run once per session."""
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    root = parse_html(decode_html((FIXTURES / f"{name}.html").read_bytes()))
    comments = extract_comments(root, expected["url"])
    actual = {
        "commentForm": extract_comment_form(root, expected["url"]),
        "commentCount": extract_comment_count(root, jsonld_nodes(root), comments),
        "comments": comments,
        "formKinds": [verdict.kind for verdict in classify_forms(root)],
    }
    return expected, actual


def _form_cases():
    for name in NAMES:
        expected, _ = page(name)
        if expected["commentForm"] is None:
            yield pytest.param(name, None, id=f"{name}-commentForm=null")
            continue
        for key in FORM_KEYS:
            yield pytest.param(name, key, id=f"{name}-commentForm.{key}")


def _form_field_cases():
    for name in NAMES:
        form = page(name)[0]["commentForm"]
        for index, _ in enumerate((form or {}).get("fields", [])):
            yield pytest.param(name, index, id=f"{name}-commentForm.fields[{index}]")


def _comment_cases():
    for name in NAMES:
        for index, _ in enumerate(page(name)[0]["comments"]):
            for key in COMMENT_KEYS:
                yield pytest.param(name, index, key, id=f"{name}-comments[{index}].{key}")


def test_there_are_enough_fixtures():
    assert len(NAMES) >= 20
    providers = {page(name)[0]["commentForm"]["provider"] for name in NAMES
                 if page(name)[0]["commentForm"]}
    assert providers == set(PROVIDERS)
    kinds = {kind for name in NAMES for kind in page(name)[0]["formKinds"]}
    assert {"comment", "search", "newsletter", "login", "contact", "poll"} <= kinds


@pytest.mark.parametrize(("name", "key"), list(_form_cases()))
def test_comment_form(name, key):
    expected, actual = page(name)
    if key is None:
        assert actual["commentForm"] is None
        return
    assert actual["commentForm"] is not None, "no comment form found"
    assert actual["commentForm"][key] == expected["commentForm"][key]


@pytest.mark.parametrize(("name", "index"), list(_form_field_cases()))
def test_comment_form_field(name, index):
    expected, actual = page(name)
    assert actual["commentForm"] is not None, "no comment form found"
    fields = actual["commentForm"]["fields"]
    assert index < len(fields), f"only {len(fields)} fields"
    assert fields[index] == expected["commentForm"]["fields"][index]


@pytest.mark.parametrize("name", NAMES)
def test_comment_form_shape(name):
    form = page(name)[1]["commentForm"]
    if form is None:
        return
    assert list(form) == list(FORM_KEYS)
    assert form["provider"] in PROVIDERS
    if form["action"] is not None:
        assert form["action"].startswith(("http://", "https://"))
        assert form["method"] in ("get", "post", "dialog")
    for field in form["fields"]:
        assert list(field) == ["name", "type", "label", "required"]
        assert field["type"] not in ("hidden", "submit", "button", "reset", "image")
    assert all(isinstance(v, str) for v in form["hiddenFields"].values())


@pytest.mark.parametrize("name", NAMES)
def test_form_kinds(name):
    expected, actual = page(name)
    assert actual["formKinds"] == expected["formKinds"]


@pytest.mark.parametrize("name", NAMES)
def test_comment_count(name):
    expected, actual = page(name)
    assert actual["commentCount"] == expected["commentCount"]


@pytest.mark.parametrize("name", NAMES)
def test_number_of_comments(name):
    expected, actual = page(name)
    assert len(actual["comments"]) == len(expected["comments"])


@pytest.mark.parametrize(("name", "index", "key"), list(_comment_cases()))
def test_comment(name, index, key):
    expected, actual = page(name)
    assert index < len(actual["comments"]), f"only {len(actual['comments'])} comments"
    assert actual["comments"][index][key] == expected["comments"][index][key]


@pytest.mark.parametrize("name", NAMES)
def test_extractors_leave_the_shared_tree_alone(name):
    root = parse_html(decode_html((FIXTURES / f"{name}.html").read_bytes()))
    before = lxml.html.tostring(root)
    comments = extract_comments(root, "https://example.com/")
    extract_comment_form(root, "https://example.com/")
    extract_comment_count(root, jsonld_nodes(root), comments)
    classify_forms(root)
    assert lxml.html.tostring(root) == before


# --- smaller cases ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "count"), [
    ("2 Comments", 2),
    ("One thought on “10 reasons to watch”", 1),
    ("View all 5 comments", 5),
    ("Comments (12)", 12),
    ("1,204 comments", 1204),
    ("No Comments", 0),
    ("Leserkommentare (3)", 3),
    ("Leave a comment", None),
    ("Comments", None),
])
def test_count_in_text(text, count):
    assert count_in_text(text) == count


def test_comment_count_falls_back_to_jsonld_then_to_counting():
    root = parse_html("<html><body><article><p>Text</p></article></body></html>")
    assert extract_comment_count(root, [{"@type": "NewsArticle", "commentCount": 9}]) == 9
    assert extract_comment_count(root, [], [{"id": "1"}, {"id": "2"}]) == 2
    assert extract_comment_count(root, [], []) is None


def test_action_resolves_against_base_href():
    root = parse_html('<html><head><base href="https://cdn.example.org/site/"></head><body>'
                      '<div id="respond"><h3>Leave a Reply</h3>'
                      '<form action="wp-comments-post.php" method="POST" id="commentform">'
                      '<textarea name="comment" placeholder="Your comment"></textarea>'
                      '<input type="hidden" name="comment_post_ID" value="7"></form></div>'
                      '</body></html>')
    form = extract_comment_form(root, "https://www.example.org/post/")
    assert form["action"] == "https://cdn.example.org/site/wp-comments-post.php"
    assert form["method"] == "post"
    assert form["fields"] == [{"name": "comment", "type": "textarea", "label": "Your comment",
                               "required": False}]


def test_a_page_without_forms_has_no_comment_form():
    root = parse_html("<html><body><article><h1>Hi</h1><p>No comments here.</p></article>"
                      "</body></html>")
    assert extract_comment_form(root, "https://example.com/") is None
    assert extract_comments(root, "https://example.com/") == []


# --- the never-POST guarantee -----------------------------------------------------------

def _middleware(settings=None):
    crawler = get_crawler(settings_dict=settings or {})
    return GetOnlyDownloaderMiddleware.from_crawler(crawler), crawler


def test_middleware_lets_get_and_head_through():
    mw, crawler = _middleware()
    assert mw.process_request(Request("https://example.com/")) is None
    assert mw.process_request(Request("https://example.com/", method="HEAD")) is None
    assert not any(key.startswith("gossipcrawl/requests/refused_method")
                   for key in crawler.stats.get_stats())


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "post"])
def test_middleware_refuses_other_methods(method, caplog):
    mw, crawler = _middleware()
    with caplog.at_level("WARNING", logger="gossipcrawl.downloadermiddlewares.getonly"), \
            pytest.raises(IgnoreRequest):
        mw.process_request(Request("https://example.com/wp-comments-post.php", method=method))
    upper = method.upper()
    assert crawler.stats.get_value(f"gossipcrawl/requests/refused_method/{upper}") == 1
    assert "https://example.com/wp-comments-post.php" in caplog.text
    assert upper in caplog.text


@pytest.mark.filterwarnings("ignore:FormRequest.from_response")
def test_middleware_refuses_a_comment_form_submission():
    html = (FIXTURES / "wp_core_current.html").read_bytes()
    response = HtmlResponse("https://soapsbuzz.example/2024/07/10/gh-sonny-returns/",
                            body=html, encoding="utf-8")
    request = FormRequest.from_response(response, formid="commentform",
                                        formdata={"comment": "hello"})
    assert request.method == "POST"
    mw, crawler = _middleware()
    with pytest.raises(IgnoreRequest):
        mw.process_request(request)
    assert crawler.stats.get_value("gossipcrawl/requests/refused_method/POST") == 1


def test_middleware_reads_its_setting():
    mw, _ = _middleware({"GOSSIPCRAWL_ALLOWED_METHODS": ["GET"]})
    assert mw.process_request(Request("https://example.com/")) is None
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("https://example.com/", method="HEAD"))


_PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Test article</title></head><body>
<article><h1>Test article</h1><p>Body.</p></article>
<div id="respond" class="comment-respond"><h3 id="reply-title">Leave a Reply</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p><label for="comment">Comment</label><textarea id="comment" name="comment" required></textarea></p>
<p><label for="author">Name</label><input id="author" name="author" type="text" required></p>
<p><input type="submit" value="Post Comment">
<input type="hidden" name="comment_post_ID" value="1"><input type="hidden" name="comment_parent" value="0"></p>
</form></div></body></html>"""

_CRAWL = textwrap.dedent("""
    import json, sys

    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import FormRequest

    from gossipcrawl.extract.comments import extract_comment_form
    from gossipcrawl.extract.html import parse_html

    URL, OUT = sys.argv[1], sys.argv[2]


    class CommentPoster(scrapy.Spider):
        # A spider that does what gossipcrawl must never do: submit the comment form.
        name = "comment_poster"

        async def start(self):
            yield scrapy.Request(URL, callback=self.parse)

        def parse(self, response):
            stats = self.crawler.stats
            form = extract_comment_form(parse_html(response.text), response.url)
            stats.set_value("test/form_provider", form["provider"])
            post = FormRequest.from_response(
                response, formid="commentform", callback=self.parse_posted,
                errback=self.refused, dont_filter=True,
                formdata={"comment": "First!", "author": "bot"})
            stats.set_value("test/attempted_method", post.method)
            yield post
            yield scrapy.Request(URL + "?again=1", method="PUT", errback=self.refused)
            yield scrapy.Request(URL + "?after=1", callback=self.parse_after)

        def parse_posted(self, response):
            self.crawler.stats.inc_value("test/post_answered")

        def parse_after(self, response):
            self.crawler.stats.inc_value("test/get_after_refusal")

        def refused(self, failure):
            self.crawler.stats.inc_value("test/errback_" + type(failure.value).__name__)


    process = CrawlerProcess(settings={
        "DOWNLOADER_MIDDLEWARES": {"gossipcrawl.downloadermiddlewares.getonly.GetOnlyDownloaderMiddleware": 50},
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "RETRY_ENABLED": False,
        "LOG_LEVEL": "INFO",
    })
    crawler = process.create_crawler(CommentPoster)
    process.crawl(crawler)
    process.start()
    with open(OUT, "w") as handle:
        json.dump(crawler.stats.get_stats(), handle, default=str)
""")


@pytest.fixture
def loopback_site():
    """A one-page site on 127.0.0.1 that records every request it receives."""
    seen: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def _record(self):
            seen.append((self.command, self.path))

        def do_GET(self):
            self._record()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(_PAGE)))
            self.end_headers()
            self.wfile.write(_PAGE)

        def _answer_write(self):
            self._record()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PUT = do_DELETE = do_PATCH = _answer_write

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/article/", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.e2e
def test_a_real_crawl_never_posts_a_comment_form(loopback_site, tmp_path):
    url, seen = loopback_site
    out = tmp_path / "stats.json"
    script = tmp_path / "crawl.py"
    script.write_text(_CRAWL)
    result = subprocess.run([sys.executable, str(script), url, str(out)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    stats = json.loads(out.read_text())

    # the spider found the comment form and really tried to POST it
    assert stats["test/form_provider"] == "wordpress"
    assert stats["test/attempted_method"] == "POST"
    # the server saw GETs only
    assert [method for method, _ in seen] == ["GET", "GET"], seen
    assert ("GET", "/article/?after=1") in seen
    # the refusals were counted, reported to the spider, and logged with their URL
    assert stats["gossipcrawl/requests/refused_method/POST"] == 1
    assert stats["gossipcrawl/requests/refused_method/PUT"] == 1
    assert stats["test/errback_IgnoreRequest"] == 2
    assert "test/post_answered" not in stats
    assert stats["test/get_after_refusal"] == 1
    assert "downloader/request_method_count/POST" not in stats
    assert f"Refused POST {url.rsplit('/article/', 1)[0]}/wp-comments-post.php" in result.stderr
