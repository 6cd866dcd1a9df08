"""Discovery and crawl policy, end to end: real crawls of local test sites on 127.0.0.1
(`tests/sites/soapsite.py`), judged by the JSONL and by the site's own request log."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sites.soapsite import (ALL_ARTICLES, FEED_ONLY, GZIP_ONLY, NEWS_ONLY, PAGINATION_ONLY,
                            REDIRECT_ONLY, RETRY_429, RETRY_503, SITEMAP_ARTICLES, SoapSite,
                            slug)

MAX_DEPTH = 4
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO",
        "-s", f"GOSSIPCRAWL_MAX_DEPTH={MAX_DEPTH}"]


class Crawl:
    def __init__(self, site: SoapSite, out: Path, process: subprocess.CompletedProcess):
        self.returncode = process.returncode
        self.stderr = process.stderr
        self.items = ([json.loads(line) for line in out.read_text().splitlines()]
                      if out.exists() else [])
        self.hits = list(site.log)
        self.paths = site.paths()
        self.fetches = site.article_fetches()
        self.base = site.base_url

    def stat(self, name: str) -> float:
        match = re.search(rf"'{re.escape(name)}': ([\d.]+)", self.stderr)
        return float(match.group(1)) if match else 0

    def urls(self) -> set[str]:
        return {item["canonicalUrl"] for item in self.items}


def crawl(site: SoapSite, tmp: Path, name: str, state: Path, *extra: str) -> Crawl:
    site.reset()
    out = tmp / f"{name}.jsonl"
    process = subprocess.run(
        [sys.executable, "-m", "gossipcrawl", "crawl", site.base_url + "/", "-o", str(out),
         "--state", str(state), *FAST, *extra],
        cwd=tmp, capture_output=True, text=True, timeout=120)
    result = Crawl(site, out, process)
    assert result.returncode == 0, process.stderr[-3000:]
    return result


def article_url(site_or_crawl, number: int) -> str:
    return f"{site_or_crawl.base}/{slug(number)}/" if isinstance(site_or_crawl, Crawl) \
        else f"{site_or_crawl.base_url}/{slug(number)}/"


@pytest.fixture(scope="module")
def yoast(tmp_path_factory):
    """Three crawls of one site with one state: first, unchanged, one article modified."""
    tmp = tmp_path_factory.mktemp("yoast")
    state = tmp / "state.sqlite3"
    with SoapSite("yoast") as site:
        first = crawl(site, tmp, "first", state)
        second = crawl(site, tmp, "second", state)
        site.touch(6)
        third = crawl(site, tmp, "third", state)
    return first, second, third




# --- finding every article, and nothing else --------------------------------------------

@pytest.mark.e2e
def test_every_article_is_found_once(yoast):
    first, _, _ = yoast
    assert first.urls() == {article_url(first, n) for n in ALL_ARTICLES}
    assert len(first.items) == len(ALL_ARTICLES)  # the republished copy is not a second item


@pytest.mark.e2e
def test_each_source_contributes(yoast):
    first, _, _ = yoast
    found = first.urls()
    for number in (NEWS_ONLY, GZIP_ONLY, FEED_ONLY, REDIRECT_ONLY, *PAGINATION_ONLY):
        assert article_url(first, number) in found, number
    assert "/news/rss.xml" in first.paths          # announced by <link rel=alternate>
    assert "/comments/feed/" not in first.paths    # comment feeds are not article sources
    assert "/category-sitemap.xml" not in first.paths  # taxonomy sitemaps are skipped


@pytest.mark.e2e
def test_disallowed_and_offsite_urls_are_never_requested(yoast):
    first, _, _ = yoast
    assert not [path for path in first.paths if path.startswith("/private/")]
    assert {hit.host for hit in first.hits} == {first.base.removeprefix("http://")}
    assert first.stat("gossipcrawl/discovery/offsite") >= 2   # sitemap and feed entries


@pytest.mark.e2e
def test_each_article_page_is_fetched_once(yoast):
    first, _, _ = yoast
    expected = {number: 1 for number in ALL_ARTICLES}
    expected[RETRY_503] = expected[RETRY_429] = 2     # the refusal, then the retry
    assert first.fetches == expected


@pytest.mark.e2e
def test_amp_tracking_and_reply_variants_are_not_fetched(yoast):
    first, _, _ = yoast
    assert not [path for path in first.paths
                if "/amp/" in path or "utm_" in path or "replytocom" in path]


@pytest.mark.e2e
def test_traps_end_by_themselves(yoast):
    first, _, _ = yoast
    paths = first.paths
    assert not [path for path in paths if path.startswith(("/calendar/", "/2024/", "/2023/"))]
    # An unnamed chain (/events-day-N/) stops at the depth limit.
    assert 0 < len([path for path in paths if path.startswith("/events-day-")]) <= MAX_DEPTH
    # Endless rel=next: page 4 links to nothing page 3 did not, so page 5 is never asked for.
    pages = [path for path in paths if path.startswith("/category/gh/page/")]
    assert sorted(pages) == ["/category/gh/page/2/", "/category/gh/page/3/",
                             "/category/gh/page/4/"]
    assert len([path for path in paths if path.startswith("/loop-")]) <= 3


@pytest.mark.e2e
def test_redirect_is_followed_and_counted(yoast):
    first, _, _ = yoast
    assert "/old-gh-story-16/" in first.paths
    item = next(item for item in first.items
                if item["canonicalUrl"] == article_url(first, REDIRECT_ONLY))
    assert item["url"] == article_url(first, REDIRECT_ONLY)
    assert first.stat("gossipcrawl/discovery/redirected") == 1


@pytest.mark.e2e
def test_429_and_503_are_retried_after_retry_after(yoast):
    first, _, _ = yoast
    for number, least in ((RETRY_429, 0.9), (RETRY_503, 0.9)):
        hits = [hit for hit in first.hits if hit.path == f"/{slug(number)}/"]
        assert [hit.status for hit in hits] == [429 if number == RETRY_429 else 503, 200]
        assert hits[1].time - hits[0].time >= least
    assert first.stat("retry/count") == 2
    assert first.stat("gossipcrawl/retry/retry_after_honoured") == 2


# --- incremental discovery -----------------------------------------------------------------

@pytest.mark.e2e
def test_second_crawl_fetches_no_unchanged_sitemap_or_feed_article(yoast):
    _, second, _ = yoast
    listed = {*SITEMAP_ARTICLES, NEWS_ONLY, GZIP_ONLY, FEED_ONLY}
    assert not listed & set(second.fetches)
    assert second.items == []
    # Pages no sitemap or feed dates (pagination-only, redirect-only) are fetched again.
    assert set(second.fetches) <= {*PAGINATION_ONLY, REDIRECT_ONLY}
    settled = (second.stat("gossipcrawl/discovery/unchanged_lastmod")
               + second.stat("gossipcrawl/discovery/unchanged_known"))
    assert settled == len(listed)


@pytest.mark.e2e
def test_modified_article_is_fetched_again(yoast):
    _, _, third = yoast
    listed = {*SITEMAP_ARTICLES, NEWS_ONLY, GZIP_ONLY, FEED_ONLY}
    assert listed & set(third.fetches) == {6}
    assert [(item["canonicalUrl"], item["revision"]) for item in third.items] == [
        (article_url(third, 6), 2)]


@pytest.mark.e2e
def test_requests_per_article(yoast):
    first, _, _ = yoast
    ratio = len(first.hits) / len(first.items)
    print(f"\nrequests per article found: {len(first.hits)}/{len(first.items)} = {ratio:.2f}")
    # 16 articles cost 16 page fetches, 2 retries, robots/sitemaps/feed and a few listings.
    assert ratio < 2.8
    # The crawl reports its own figure (Scrapy's request count over articles extracted).
    assert 0 < first.stat("gossipcrawl/discovery/requests_per_article") < 3


# --- other site styles ----------------------------------------------------------------------

@pytest.mark.parametrize("style, expected_sitemaps", [
    ("core", ["/sitemap_index.xml", "/wp-sitemap.xml", "/wp-sitemap-posts-post-1.xml"]),
    ("plain", ["/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap.xml"]),
])
@pytest.mark.e2e
def test_sitemap_locations_are_guessed_when_robots_names_none(tmp_path, style,
                                                              expected_sitemaps):
    with SoapSite(style, errors=False) as site:
        result = crawl(site, tmp_path, style, tmp_path / "state.sqlite3")
    assert result.urls() == {article_url(result, n) for n in ALL_ARTICLES}
    sitemaps = [path for path in result.paths if "sitemap" in path]
    assert sitemaps == expected_sitemaps   # tried in order, stopping at the first found
    assert not [path for path in result.paths if path.startswith("/private/")]


# --- gossipcrawl fixture ----------------------------------------------------------------------

@pytest.mark.e2e
def test_fixture_command_records_a_page(tmp_path):
    with SoapSite("yoast", errors=False) as site:
        url = f"{site.base_url}/{slug(1)}/"
        process = subprocess.run(
            [sys.executable, "-m", "gossipcrawl", "fixture", url, "--dir", str(tmp_path),
             "--name", "story-1"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert process.returncode == 0, process.stderr[-2000:]
        assert [hit.path for hit in site.log] == ["/robots.txt", f"/{slug(1)}/"]
        refused = subprocess.run(
            [sys.executable, "-m", "gossipcrawl", "fixture",
             f"{site.base_url}/private/gh-secret-story/", "--dir", str(tmp_path)],
            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "robots" in refused.stderr.lower()
    fixture = json.loads((tmp_path / "story-1.json").read_text())
    assert fixture["url"] == url and fixture["article"] is True
    assert fixture["expected"]["headline"].startswith("The Young and the Restless: story number 1")
    assert fixture["expected"]["canonicalUrl"] == url
    assert fixture["expected"]["articleBody_startswith"].startswith("In today's episode")
    assert (tmp_path / "story-1.html").read_bytes().startswith(b"<!doctype html>")


# --- units: Retry-After, profiles --------------------------------------------------------------

def test_retry_after_header_forms():
    from email.utils import formatdate

    from gossipcrawl.downloadermiddlewares.retryafter import retry_after_seconds

    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds(formatdate(1000.0 + 30, usegmt=True), now=1000.0) == 30.0
    assert retry_after_seconds(formatdate(1000.0 - 30, usegmt=True), now=1000.0) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_retry_after_is_capped_and_backoff_is_exponential():
    from scrapy import Request, Spider
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from gossipcrawl.downloadermiddlewares.retryafter import RetryAfterMiddleware

    crawler = get_crawler(Spider, {"GOSSIPCRAWL_BACKOFF_HTTP_CODES": [429, 503],
                                   "GOSSIPCRAWL_RETRY_AFTER_MAX": 30.0,
                                   "GOSSIPCRAWL_BACKOFF_BASE": 2.0,
                                   "GOSSIPCRAWL_BACKOFF_MAX": 60.0, "RETRY_TIMES": 2})
    crawler.spider = Spider.from_crawler(crawler, name="t")
    crawler.stats.open_spider()
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    request = Request("https://soaps.example/gh/")

    def delay_after(response_request, status, headers=None):
        response = Response(response_request.url, status=status, headers=headers or {},
                            request=response_request)
        before = dict(middleware._hold_until)
        result = middleware.process_response(response_request, response)
        hold = middleware._hold_until.get("soaps.example", 0) - before.get("soaps.example", 0)
        return result, hold

    import time as clock

    start = clock.monotonic()
    retry, _ = delay_after(request, 429, {"Retry-After": "3600"})
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert 29 <= middleware._hold_until["soaps.example"] - start <= 31  # capped
    middleware._hold_until.clear()
    start = clock.monotonic()
    second, _ = delay_after(retry, 503)                                # no header: 2 * 2**1
    assert 3.5 <= middleware._hold_until["soaps.example"] - start <= 4.5
    given_up, _ = delay_after(second, 503)                             # RETRY_TIMES reached
    assert isinstance(given_up, Response) and given_up.status == 503
    ok = Response(request.url, status=200, request=request)
    assert middleware.process_response(request, ok) is ok


def test_a_known_sites_url_gets_its_profile():
    """(Each profile's own checks: tests/test_profiles.py, one test per profile.)"""
    from gossipcrawl.sites import resolve_target

    # A known site's URL gets its profile, starting where the operator asked.
    chosen = resolve_target("https://www.digitalspy.com/soaps/emmerdale/")
    assert chosen.name == "digitalspy-soaps"
    assert chosen.start_urls == ("https://www.digitalspy.com/soaps/emmerdale/",)
