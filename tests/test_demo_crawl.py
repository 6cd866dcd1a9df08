"""End to end: the real Scrapy engine crawls the bundled demo site over loopback.

These tests run `gossipcrawl` as a newcomer would (a subprocess), then hold the JSONL
against the demo's manifest and the contract.
"""

import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from gossipcrawl.demo.content import manifest
from gossipcrawl.demo.server import DemoSite
from gossipcrawl.schemas import article_schema

pytestmark = pytest.mark.e2e

UTC = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO"]


def gossipcrawl(*args, cwd):
    return subprocess.run([sys.executable, "-m", "gossipcrawl", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("demo")
    result = gossipcrawl("demo", "-o", "out.jsonl", cwd=workdir)
    assert result.returncode == 0, result.stderr[-3000:]
    base_url = re.search(r"serving at (http://127\.0\.0\.1:\d+)", result.stderr).group(1)
    return read_jsonl(workdir / "out.jsonl"), manifest(base_url), workdir, result


def test_every_demo_article_once(demo_crawl):
    records, expected, workdir, _ = demo_crawl
    assert len(records) >= 30
    assert sorted(r["canonicalUrl"] for r in records) == sorted(e["canonicalUrl"] for e in expected)
    assert len({r["id"] for r in records}) == len(records), "duplicates in the output"
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".out.jsonl")] == [], \
        "temporary feed files left behind"


def test_records_satisfy_the_contract(demo_crawl):
    records, *_ = demo_crawl
    validator = jsonschema.Draft202012Validator(article_schema())
    for record in records:
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, f"{record['url']}: {errors[0].message}"
        assert record["id"] == hashlib.sha1(record["canonicalUrl"].encode()).hexdigest()
        assert "/amp/" not in record["canonicalUrl"] and "utm_" not in record["canonicalUrl"]
        for field in ("datePublished", "dateModified"):
            assert record[field] is None or UTC.match(record[field])
        for author in record["authors"]:
            assert not author["name"].startswith(("http", "www.")) and len(author["name"]) < 60
        assert record["revision"] == 1 and record["metadata"]["crawlId"]


def _by_url(demo_crawl):
    records, expected, *_ = demo_crawl
    found = {r["canonicalUrl"]: r for r in records}
    return [(found[e["canonicalUrl"]], e) for e in expected if e["canonicalUrl"] in found]


@pytest.mark.parametrize("field", ["headline", "datePublished", "dateModified", "inLanguage",
                                   "commentCount", "site"])
def test_fields_match_the_manifest(demo_crawl, field):
    wrong = [(r["url"], r[field], e[field]) for r, e in _by_url(demo_crawl) if r[field] != e[field]]
    assert not wrong, wrong[:3]


def test_authors_are_plain_names(demo_crawl):
    wrong = [(r["url"], r["authors"], e["authors"]) for r, e in _by_url(demo_crawl)
             if [a["name"] for a in r["authors"]] != [a["name"] for a in e["authors"]]]
    assert not wrong, wrong[:3]


def test_bodies_match_without_boilerplate(demo_crawl):
    for record, expected in _by_url(demo_crawl):
        got, want = tokens(record["articleBody"]), tokens(expected["articleBody"])
        assert got == want, (record["url"], record["articleBody"][:300])
        assert "ALSO READ" not in record["articleBody"]
        assert [s["heading"] for s in record["sections"]] == \
            [s["heading"] for s in expected["sections"]]


def test_shows_are_the_articles_own(demo_crawl):
    wrong = []
    for record, expected in _by_url(demo_crawl):
        got = {show["id"] for show in record["shows"]}
        want = {show["id"] for show in expected["shows"]}
        if got != want:
            wrong.append((record["url"], sorted(got), sorted(want)))
    assert not wrong, wrong[:3]


def test_comment_forms_and_comments(demo_crawl):
    for record, expected in _by_url(demo_crawl):
        form = record["commentForm"]
        if expected["hasCommentForm"]:
            assert form and form["provider"] == "wordpress", record["url"]
            assert form["action"].endswith("/wp-comments-post.php")
            assert any(field["name"] == "comment" and field["required"] for field in form["fields"])
            assert "comment_post_ID" in form["hiddenFields"]
        else:
            assert form is None, record["url"]
        assert [c["text"] for c in record["comments"]] == [c["text"] for c in expected["comments"]]


def test_second_crawl_with_the_same_state_emits_nothing_new(tmp_path):
    state = str(tmp_path / "state.sqlite3")
    with DemoSite() as site:
        first = gossipcrawl("crawl", site.base_url + "/", "-o", "first.jsonl.gz",
                            "--state", state, *FAST, cwd=tmp_path)
        assert first.returncode == 0, first.stderr[-2000:]
        second = gossipcrawl("crawl", site.base_url + "/", "-o", "second.jsonl",
                             "--state", state, *FAST, cwd=tmp_path)
        assert second.returncode == 0, second.stderr[-2000:]
        fresh = gossipcrawl("crawl", site.base_url + "/", "-o", "fresh.jsonl",
                            "--state", state, "--fresh", *FAST, cwd=tmp_path)
        assert fresh.returncode == 0, fresh.stderr[-2000:]
    assert len(read_jsonl(tmp_path / "first.jsonl.gz")) >= 30
    assert read_jsonl(tmp_path / "second.jsonl") == [], "unchanged articles were emitted again"
    assert (tmp_path / "second.jsonl").exists(), "an empty incremental crawl still writes its file"
    assert len(read_jsonl(tmp_path / "fresh.jsonl")) >= 30
