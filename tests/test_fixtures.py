"""Saved pages and their expected items: every field of every fixture is its own test.

Each `fixtures/articles/<name>.html` has a `<name>.json`:

    {"url": "...", "article": true, "expected": {"headline": ..., ...}}
    {"url": "...", "article": false}

`expected` holds contract fields compared exactly against the item's record, plus body
checks that do not break on harmless whitespace changes:

    articleBody_startswith / articleBody_endswith   str
    articleBody_contains / articleBody_excludes     [str]
    sections_headings                               [str or null], in order

A failure names the fixture and the field: `test_field[wp-yoast-gh-headline]`. Every article
fixture checks every field the page object extracts (`test_fixture_checks_every_field`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from gossipcrawl.commands.fixture import build_fixture
from gossipcrawl.items import to_record
from gossipcrawl.pages.generic import NotAnArticle
from gossipcrawl.pages.registry import extract_article
from gossipcrawl.schemas import article_schema

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "articles"

BODY_CHECKS = ("articleBody_startswith", "articleBody_endswith", "articleBody_contains",
               "articleBody_excludes", "sections_headings")

# Contract fields a fixture does not check, and why: the rest, every field the page object
# extracts, each fixture must check (fundus' test_parser.py has the same rule).
NOT_EXTRACTED = {
    "revision": "set by the dedupe pipeline",
    "storyId": "set by the story pipeline",
    "metadata": "set by the crawl: download time, crawl id and the page object's name",
    "url": "the fixture's own `url`, which the page object is given",
    "schemaVersion": "a constant, pinned by the schema every record is validated against",
}
# Fields checked by their shape rather than exactly (see the module docstring).
SHAPE_CHECKS = {"articleBody": ("articleBody_startswith", "articleBody_endswith"),
                "sections": ("sections_headings",)}
EXTRACTED_FIELDS = [name for name in article_schema()["properties"] if name not in NOT_EXTRACTED]

# (fixture, field) -> reason, for checks whose recorded value is right (read on the page)
# and the extractor's wrong today; xfail(strict=False), so a fix upstream turns them into
# XPASS without editing this file.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


def _load_fixtures() -> dict[str, dict]:
    found = {}
    for html_path in sorted(FIXTURES.glob("*.html")):
        spec_path = html_path.with_suffix(".json")
        if not spec_path.exists():
            raise AssertionError(f"{html_path.name} has no {spec_path.name}")
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        spec["path"] = html_path
        found[html_path.stem] = spec
    return found


FIXTURE_SPECS = _load_fixtures()
ARTICLES = [name for name, spec in FIXTURE_SPECS.items() if spec["article"]]
NON_ARTICLES = [name for name, spec in FIXTURE_SPECS.items() if not spec["article"]]


def _field_cases():
    for name in ARTICLES:
        for field in FIXTURE_SPECS[name]["expected"]:
            marks = ()
            if (name, field) in KNOWN_FAILURES:
                marks = (pytest.mark.xfail(strict=False, reason=KNOWN_FAILURES[(name, field)]),)
            yield pytest.param(name, field, id=f"{name}-{field}", marks=marks)


_records: dict[str, dict] = {}


def record_of(name: str) -> dict:
    """The contract record of an article fixture, extracted once per test session."""
    if name not in _records:
        spec = FIXTURE_SPECS[name]
        article = extract_article(spec["path"].read_bytes(), spec["url"])
        _records[name] = to_record(article, date_downloaded="2024-08-20T00:00:00Z",
                                   crawl_id="fixtures")
    return _records[name]


def test_enough_fixtures():
    assert len(ARTICLES) >= 15
    assert len(NON_ARTICLES) >= 5


def unchecked_fields(expected: dict) -> list[str]:
    """The extracted fields that a fixture's `expected` does not check."""
    return [name for name in EXTRACTED_FIELDS
            if not all(check in expected for check in SHAPE_CHECKS.get(name, (name,)))]


@pytest.mark.parametrize("name", ARTICLES)
def test_fixture_checks_every_field(name):
    unchecked = unchecked_fields(FIXTURE_SPECS[name]["expected"])
    assert not unchecked, f"fixtures/articles/{name}.json does not check {unchecked}"


def test_an_unchecked_field_is_seen():
    expected = dict(FIXTURE_SPECS["wp-yoast-gh"]["expected"])
    del expected["shows"], expected["sections_headings"]
    assert unchecked_fields(expected) == ["sections", "shows"]


def test_the_fixture_command_records_every_checked_field():
    name = "oldwp-kubrick-bb"  # a comment form, comments and a count: every kind of field
    spec = FIXTURE_SPECS[name]
    fixture, _ = build_fixture(spec["path"].read_bytes(), spec["url"])
    assert unchecked_fields(fixture["expected"]) == []
    record = record_of(name)
    assert {field: fixture["expected"][field] for field in ("commentForm", "comments")} == \
        {field: record[field] for field in ("commentForm", "comments")}


@pytest.mark.parametrize("name, field", list(_field_cases()))
def test_field(name, field):
    expected = FIXTURE_SPECS[name]["expected"][field]
    record = record_of(name)
    body = record["articleBody"]
    if field == "articleBody_startswith":
        assert body.startswith(expected), body[:200]
    elif field == "articleBody_endswith":
        assert body.endswith(expected), body[-200:]
    elif field == "articleBody_contains":
        missing = [text for text in expected if text not in body]
        assert not missing, f"missing from articleBody: {missing}"
    elif field == "articleBody_excludes":
        present = [text for text in expected if text in body]
        assert not present, f"boilerplate in articleBody: {present}"
    elif field == "sections_headings":
        assert [section["heading"] for section in record["sections"]] == expected
    else:
        assert field in record, f"{field} is not a contract field"
        assert record[field] == expected


@pytest.mark.parametrize("name", ARTICLES)
def test_record_validates_against_the_schema(name):
    schema = json.loads(resources.files("gossipcrawl.schemas").joinpath("article.json")
                        .read_text(encoding="utf-8"))
    jsonschema.validate(record_of(name), schema)


@pytest.mark.parametrize("name", NON_ARTICLES)
def test_non_article_gives_no_item(name):
    spec = FIXTURE_SPECS[name]
    with pytest.raises(NotAnArticle):
        extract_article(spec["path"].read_bytes(), spec["url"])


# --- the command line on the same fixtures ---------------------------------------------------

def _extract_cli(name: str) -> subprocess.CompletedProcess:
    spec = FIXTURE_SPECS[name]
    return subprocess.run(
        [sys.executable, "-m", "gossipcrawl", "extract", "--url", spec["url"],
         str(spec["path"])],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120)


def test_cli_extract_prints_one_json_line_for_an_article():
    name = "wp-yoast-gh"
    done = _extract_cli(name)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    item = json.loads(lines[0])
    expected = FIXTURE_SPECS[name]["expected"]
    assert item["headline"] == expected["headline"]
    assert item["canonicalUrl"] == expected["canonicalUrl"]
    assert item["url"] == FIXTURE_SPECS[name]["url"]


def test_cli_extract_prints_nothing_for_a_non_article():
    name = "nonarticle-category-gh"
    done = _extract_cli(name)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "not an article" in done.stderr
