"""The item classes and the JSON Schema say the same thing, and `to_record` writes it.

`ArticleRecord` and its parts are compared with `gossipcrawl/schemas/article.json` field by
field, recursively: the same properties in the same order, every property required, and the
same JSON types and nullability (enums included). Either side changed alone fails here.
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any, Literal, Union

import attrs
import jsonschema
import pytest
from schema_kit import JSON_TYPE_OF, branches

from gossipcrawl.items import (
    Article,
    ArticleRecord,
    Author,
    Breadcrumb,
    CommentForm,
    Image,
    Section,
    to_record,
)
from gossipcrawl.schemas import article_schema

DEFS = article_schema()["$defs"]


def _alternatives(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return list(typing.get_args(annotation))
    return [annotation]


def _json_type(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return JSON_TYPE_OF[type(typing.get_args(annotation)[0])]
    if origin is list:
        return "array"
    if origin is dict or attrs.has(annotation):
        return "object"
    return JSON_TYPE_OF[annotation]


def _disagreements(annotation: Any, node: dict, where: str) -> list[str]:
    """How a Python annotation and a schema node disagree (empty when they agree)."""
    by_type = {branch["type"]: branch for branch in branches(node, DEFS)}
    options = {_json_type(option): option for option in _alternatives(annotation)}
    if set(options) != set(by_type):
        return [f"{where}: class says {sorted(options)}, schema says {sorted(by_type)}"]
    problems = []
    for kind, option in options.items():
        branch = by_type[kind]
        if typing.get_origin(option) is Literal:
            if list(typing.get_args(option)) != branch.get("enum"):
                problems.append(f"{where}: {typing.get_args(option)} != {branch.get('enum')}")
        elif kind == "array":
            (item,) = typing.get_args(option)
            problems += _disagreements(item, branch["items"], f"{where}[]")
        elif kind == "object" and attrs.has(option):
            problems += _class_disagreements(option, branch, where)
        elif kind == "object":
            _, value = typing.get_args(option)
            problems += _disagreements(value, branch["additionalProperties"], f"{where}{{}}")
    return problems


def _class_disagreements(cls: type, node: dict, where: str = "") -> list[str]:
    """How an attrs class and an object schema disagree: property names and order, every
    property required, no other property allowed, and each field's type."""
    hints = typing.get_type_hints(cls)
    fields = [field.name for field in attrs.fields(cls)]
    properties = node["properties"]
    label = where or cls.__name__
    problems = []
    if fields != list(properties):
        problems.append(f"{label}: fields {fields} != schema {list(properties)}")
    if node.get("additionalProperties") is not False:
        problems.append(f"{label}: the schema allows other properties")
    not_required = [name for name in properties if name not in node.get("required", [])]
    if not_required:
        problems.append(f"{label}: not required in the schema: {not_required}")
    for name in fields:
        if name in properties:
            problems += _disagreements(hints[name], properties[name],
                                       f"{where}.{name}" if where else name)
    return problems


def test_record_classes_and_schema_agree():
    assert _class_disagreements(ArticleRecord, article_schema()) == []


def test_the_comparison_sees_a_drift():
    """The check above can fail: one nullability, one enum value, one nested property and
    one required flag changed in the schema are each caught."""
    schema = json.loads(json.dumps(article_schema()))
    schema["properties"]["commentCount"]["type"] = "integer"
    schema["properties"]["commentForm"]["anyOf"][1]["properties"]["provider"]["enum"].pop()
    del schema["properties"]["shows"]["items"]["properties"]["mentions"]
    schema["required"].remove("storyId")
    problems = _class_disagreements(ArticleRecord, schema)
    assert any(p.startswith("commentCount: class says") for p in problems), problems
    assert any(p.startswith("commentForm.provider: (") for p in problems), problems
    assert any(p.startswith("shows[]: fields") for p in problems), problems
    assert "ArticleRecord: not required in the schema: ['storyId']" in problems


# --- to_record ------------------------------------------------------------------------------

SECTION = {"heading": None, "paragraphs": ["Sonny is back.", "Carly is not amused."]}
SHOW = {"id": "general-hospital", "name": "General Hospital", "mentions": 2}
FORM = {"provider": "wordpress", "action": "https://soapdirt.example/wp-comments-post.php",
        "method": "post", "title": "Leave a Reply", "notes": ["Be nice."],
        "fields": [{"name": "comment", "type": "textarea", "label": "Comment", "required": True}],
        "hiddenFields": {"comment_post_ID": "88412", "comment_parent": "0"}}
COMMENT = {"id": "c1", "author": "Ann", "datePublished": "2024-07-10", "text": "Yes!",
           "parentId": None}


EVERY_FIELD = {
    "url": "https://soapdirt.example/gh/sonny/?utm_source=x",
    "canonicalUrl": "https://soapdirt.example/gh/sonny/",
    "id": "0" * 40,
    "site": "soapdirt.example",
    "headline": "Sonny returns",
    "description": "A dek.",
    "articleBody": "Sonny is back.\n\nCarly is not amused.",
    "sections": [SECTION],
    "authors": [Author(name="Jo Writer", url="https://soapdirt.example/author/jo/",
                       email="jo@soapdirt.example"),
                Author(name=None, url="https://soapdirt.example/author/anon/")],
    "datePublished": "2024-07-10T18:32:11Z",
    "datePublishedRaw": "July 10, 2024",
    "dateModified": "2024-07-11",
    "dateModifiedRaw": "July 11",
    "inLanguage": "en-US",
    "mainImage": Image(url="https://soapdirt.example/sonny.jpg"),
    "breadcrumbs": [Breadcrumb(name="Home", url="https://soapdirt.example/")],
    "tags": ["Sonny"],
    "shows": [SHOW],
    "commentForm": FORM,
    "commentCount": 1,
    "comments": [COMMENT],
    "contentHash": "0123456789abcdef",
    "extractor": "gossipcrawl.generic/1",
}


def _article(**fields: Any) -> Article:
    """An article with every field set, its parts as the extractors give them (dicts)."""
    return Article(**{**EVERY_FIELD, **fields})


def test_record_has_every_schema_field_in_order_and_validates():
    record = to_record(_article(), date_downloaded="2024-07-12T00:00:00Z", crawl_id="c")
    jsonschema.validate(record, article_schema())
    assert list(record) == list(article_schema()["properties"])
    assert record["metadata"] == {"dateDownloaded": "2024-07-12T00:00:00Z", "crawlId": "c",
                                  "extractor": "gossipcrawl.generic/1"}


def test_parts_given_as_dicts_come_out_as_the_same_json():
    """What the extractors return is what the record holds, byte for byte."""
    record = to_record(_article(), date_downloaded="2024-07-12T00:00:00Z", crawl_id="c")
    for name, given in (("sections", [SECTION]), ("shows", [SHOW]), ("commentForm", FORM),
                        ("comments", [COMMENT])):
        assert json.dumps(record[name]) == json.dumps(given), name


def test_people_keep_name_and_url_only_and_need_a_name():
    record = to_record(_article(), date_downloaded="2024-07-12T00:00:00Z", crawl_id="c")
    assert record["authors"] == [{"name": "Jo Writer", "url": "https://soapdirt.example/author/jo/"}]
    assert record["breadcrumbs"] == [{"name": "Home", "url": "https://soapdirt.example/"}]
    assert record["mainImage"] == {"url": "https://soapdirt.example/sonny.jpg"}


def test_unknown_values_are_null_or_empty():
    article = Article(url="https://soapdirt.example/a/", headline="H", articleBody="B")
    record = to_record(article, date_downloaded="2024-07-12T00:00:00Z", crawl_id="c")
    assert list(record) == list(article_schema()["properties"])
    for name in ("sections", "authors", "breadcrumbs", "tags", "shows", "comments"):
        assert record[name] == [], name
    for name in ("description", "datePublished", "mainImage", "commentForm", "commentCount",
                 "storyId"):
        assert record[name] is None, name
    assert (record["schemaVersion"], record["revision"]) == (1, 1)


def test_parts_are_typed_on_the_item():
    article = _article()
    assert isinstance(article.sections[0], Section)
    assert isinstance(article.commentForm, CommentForm)
    assert article.commentForm.fields[0].required is True
    assert article.shows[0].mentions == 2 and article.comments[0].author == "Ann"


@pytest.mark.parametrize("part, value", [
    ("sections", [{**SECTION, "level": 2}]),                                 # unknown key
    ("shows", [{"id": "gh", "name": "GH"}]),                                 # missing key
    ("commentForm", {**FORM, "fields": [{"name": "c", "type": "textarea"}]}),  # nested
])
def test_a_malformed_part_fails_at_extraction(part, value):
    with pytest.raises(TypeError):
        _article(**{part: value})
