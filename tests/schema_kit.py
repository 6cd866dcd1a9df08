"""The article JSON Schema read as JSON types, for the checks that keep it in step with the
item classes (tests/test_items.py) and with docs/contract.md (tests/test_contract_doc.py)."""

from __future__ import annotations

from typing import Any

JSON_TYPE_OF = {str: "string", int: "integer", bool: "boolean", float: "number",
                type(None): "null"}


def branches(node: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    """A schema node as its alternatives, one per JSON type, `$ref`s resolved in `defs`;
    a `const` or an `enum` becomes its values' type with an `enum` list."""
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in node:
        return [branch for choice in node["anyOf"] for branch in branches(choice, defs)]
    if "const" in node or "enum" in node:
        values = [node["const"]] if "const" in node else node["enum"]
        kinds = {JSON_TYPE_OF[type(value)] for value in values}
        if len(kinds) != 1:
            raise ValueError(f"an enum of several types: {node}")
        return [{"type": kinds.pop(), "enum": values}]
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    return [{**node, "type": kind} for kind in types]
