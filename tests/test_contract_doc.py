"""docs/contract.md and the JSON Schema describe the same record.

The doc's field table must name every schema property, and nothing else, with the type the
schema gives it (`str or null` for `["string", "null"]`, `list` for an array, …); a nested
object's keys must be named in its row; the comment form's example must be valid and
complete, and its provider list must be the schema's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from schema_kit import branches

from gossipcrawl.schemas import article_schema

DOC = Path(__file__).resolve().parents[1] / "docs" / "contract.md"
DOC_TYPE = {"string": "str", "integer": "int", "boolean": "bool", "array": "list",
            "object": "object", "null": "null"}


def _section(text: str, heading: str) -> str:
    """The text under a markdown heading, up to the next heading of any level."""
    start = text.index(f"\n{heading}\n") + len(heading) + 2
    following = re.search(r"\n#+ ", text[start:])
    return text[start:start + following.start()] if following else text[start:]


def field_table(text: str) -> dict[str, tuple[set[str], str]]:
    """{field: (its type's words, its meaning)} from the article item's table."""
    table = _section(text, "## Article item (one JSON object per line, UTF-8, no ASCII escaping)")
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names, kind, meaning = cells[0], cells[1], "|".join(cells[2:])
        for name in re.findall(r"`([^`]+)`", names):
            rows[name] = (set(kind.split(" or ")), meaning)
    return rows


def schema_type_words(node: dict) -> set[str]:
    return {DOC_TYPE[branch["type"]] for branch in branches(node, article_schema()["$defs"])}


def nested_keys(node: dict) -> list[str]:
    """The keys of the object a field holds (or of its list's items), if any."""
    keys: list[str] = []
    for branch in branches(node, article_schema()["$defs"]):
        if branch["type"] == "array":
            keys += nested_keys(branch["items"])
        elif branch["type"] == "object" and "properties" in branch:
            keys += list(branch["properties"])
    return keys


DOC_TEXT = DOC.read_text(encoding="utf-8")
TABLE = field_table(DOC_TEXT)
PROPERTIES = article_schema()["properties"]


def test_the_table_names_every_schema_field_and_no_other():
    assert set(TABLE) - set(PROPERTIES) == set(), "in docs/contract.md, not in the schema"
    assert set(PROPERTIES) - set(TABLE) == set(), "in the schema, not in docs/contract.md"


@pytest.mark.parametrize("name", list(PROPERTIES))
def test_the_doc_gives_the_schema_type(name):
    kind, meaning = TABLE[name]
    assert kind == schema_type_words(PROPERTIES[name]), meaning
    if name != "commentForm":  # its keys are in its own section, checked below
        missing = [key for key in nested_keys(PROPERTIES[name]) if f'"{key}"' not in meaning]
        assert not missing, f"{name}'s row does not name {missing}"


def test_a_changed_type_would_be_seen():
    changed = DOC_TEXT.replace("| `commentCount` | int or null |", "| `commentCount` | int |")
    assert field_table(changed)["commentCount"][0] != \
        schema_type_words(PROPERTIES["commentCount"])


def _comment_form_schema() -> dict:
    (described,) = [branch for branch in branches(PROPERTIES["commentForm"],
                                                  article_schema()["$defs"])
                    if branch["type"] == "object"]
    return {**described, "$defs": article_schema()["$defs"]}


def test_the_comment_form_example_is_valid_and_complete():
    section = _section(DOC_TEXT, "### Comment form")
    example = json.loads(re.search(r"```json\n(.*?)```", section, re.DOTALL).group(1))
    schema = _comment_form_schema()
    jsonschema.validate(example, schema)
    assert list(example) == list(schema["properties"])
    field_keys = schema["properties"]["fields"]["items"]["properties"]
    assert all(list(field) == list(field_keys) for field in example["fields"])


def test_the_comment_form_providers_are_the_schema_enum():
    section = _section(DOC_TEXT, "### Comment form")
    line = re.search(r"- `provider`: (.*?)\n *\(", section, re.DOTALL).group(1)
    providers = re.findall(r"`([a-z]+)`", line)
    assert providers == _comment_form_schema()["properties"]["provider"]["enum"]
