"""Crawl stat names live in gossipcrawl/stats.py, and docs/operations.md lists them all.

Operators' dashboards, Spidermon rules and the crawl report read the stats by name: a name
spelled out in a second module drifts from the one the writer uses, silently. So no module
of the package but gossipcrawl/stats.py spells a `gossipcrawl/...` stat, and the table of
stats in docs/operations.md is the one these tests build from that module's comments.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import gossipcrawl
from gossipcrawl import stats

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(gossipcrawl.__file__).resolve().parent
STATS_MODULE = PACKAGE / "stats.py"
OPERATIONS = ROOT / "docs" / "operations.md"
TABLE_HEADING = "### Crawl stats"

# Strings under gossipcrawl/ that are not stats: the package's files, the user agent.
NOT_STATS = ("gossipcrawl/sites/", "gossipcrawl/{")


def stat_constants() -> dict[str, str]:
    """{constant: stat name}: every `gossipcrawl/...` name gossipcrawl/stats.py defines."""
    return {name: value for name, value in vars(stats).items()
            if name.isupper() and isinstance(value, str) and value.startswith("gossipcrawl/")}


def _strings(tree: ast.AST):
    """Each string constant of a module with its line, f-strings as their source text."""
    parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
             for part in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in parts:
                yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            yield node.lineno, ast.unparse(node)[2:-1]


def test_no_module_but_stats_spells_a_stat_name():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == STATS_MODULE:
            continue
        relative = path.relative_to(PACKAGE).as_posix()
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            if text.startswith("gossipcrawl/") and not text.startswith(NOT_STATS):
                found.append(f"gossipcrawl/{relative}:{line}: {text!r}")
    assert not found, "stat names belong in gossipcrawl/stats.py:\n" + "\n".join(found)


def test_the_scan_sees_literals_in_fstrings_and_expressions():
    source = ('x.inc_value("gossipcrawl/a/b")\n'
              'f"{s.get(\'gossipcrawl/c\')}"\n'
              'x.inc_value(f"gossipcrawl/d/{kind}")\n')
    texts = [text for _, text in _strings(ast.parse(source))]
    assert {"gossipcrawl/a/b", "gossipcrawl/c", "gossipcrawl/d/{kind}"} <= set(texts)


def test_every_stat_has_one_constant():
    names = list(stat_constants().values())
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"gossipcrawl(/[a-z_]+)+/?", name) for name in names), names


def test_the_public_names_of_some_stats():
    # Monitors, dashboards and the command line read these: renaming one breaks them.
    assert stats.PAGES_SEEN == "gossipcrawl/pages/seen"
    assert stats.ITEMS_EMITTED == "gossipcrawl/items/emitted"
    assert stats.JOB_PAUSED == "gossipcrawl/job/paused"
    assert stats.MONITOR_FAILURES == "gossipcrawl/monitors/failed"
    assert stats.UNREACHABLE_HOST == "gossipcrawl/unreachable"
    assert stats.page_error("ValueError") == "gossipcrawl/pages/error/ValueError"
    assert stats.page_http_status(404) == "gossipcrawl/pages/http_status/404"
    assert stats.item_dropped("duplicate_url") == "gossipcrawl/items/dropped/duplicate_url"
    assert (stats.item_invalid_field("headline")
            == "gossipcrawl/items/dropped/invalid/headline")
    assert stats.coverage("headline") == "gossipcrawl/coverage/headline"
    assert stats.page_cut("bytes") == "gossipcrawl/pages/cut/bytes"
    assert stats.discovery_requests("sitemap") == "gossipcrawl/discovery/requests/sitemap"
    assert stats.discovery_trap("calendar") == "gossipcrawl/discovery/trap/calendar"
    assert stats.refused_method("POST") == "gossipcrawl/requests/refused_method/POST"


# --- the table in docs/operations.md ------------------------------------------------------------

def _family_placeholders() -> dict[str, str]:
    """{prefix constant: its member function's parameter}, from the functions of
    gossipcrawl/stats.py (`def page_error(exception)` -> `<exception>`)."""
    constants = stat_constants()
    placeholders = {}
    for node in ast.parse(STATS_MODULE.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and len(node.args.args) == 1:
            for name in ast.walk(node):
                if isinstance(name, ast.Name) and constants.get(name.id, "").endswith("/"):
                    placeholders[name.id] = node.args.args[0].arg
    return placeholders


def _shown(constant: str) -> str:
    value = stat_constants()[constant]
    if value.endswith("/"):
        return f"`{value}<{_family_placeholders()[constant]}>`"
    return f"`{value}`"


def stats_table() -> str:
    """The markdown table of gossipcrawl/stats.py: a row per area (its `# --- area (module):
    what` line), then a row per group of stats with the comment above them."""
    constants = stat_constants()
    rows = ["| stat | what it counts |", "| --- | --- |"]
    comment: list[str] = []
    group: list[str] = []

    def flush():
        if group:
            assert comment, f"{group[0]} has no comment saying what it counts"
            rows.append(f"| {', '.join(_shown(name) for name in group)} | {' '.join(comment)} |")
        group.clear()

    for line in STATS_MODULE.read_text(encoding="utf-8").splitlines():
        area = re.match(r"# --- (\w+) \(([^)]*)\):? ?(.*)$", line)
        if line.startswith("# --- families"):
            flush()
            break
        if area:
            flush()
            comment = []
            name, modules, purpose = area.groups()
            rows.append(f"| **{name}** (`{modules}`) | {purpose} |")
            continue
        if line.startswith("# "):
            if group:
                flush()
                comment = []
            comment.append(line[2:].strip())
            continue
        assignment = re.match(r"([A-Z_]+) = ", line)
        if assignment and assignment.group(1) in constants:
            group.append(assignment.group(1))
        elif assignment or not line.strip():
            flush()
            comment = []
    flush()
    return "\n".join(rows)


def _doc_table() -> str:
    text = OPERATIONS.read_text(encoding="utf-8")
    start = text.index(f"\n{TABLE_HEADING}\n")
    lines = text[start:].splitlines()
    table = [line for line in lines if line.startswith("|")]
    first = lines.index(table[0])
    return "\n".join(lines[first:first + len(table)])


def test_operations_doc_lists_every_stat_as_stats_py_says():
    expected = stats_table()
    assert _doc_table() == expected, (
        f"the table under {TABLE_HEADING!r} in docs/operations.md differs from "
        f"gossipcrawl/stats.py; it should read:\n\n{expected}\n")


def test_the_table_names_every_constant_once():
    shown = re.findall(r"`(gossipcrawl/[^`]+)`", stats_table())
    expected = [_shown(name).strip("`") for name in stat_constants()]
    assert sorted(shown) == sorted(expected)


def test_stat_names_the_docs_mention_exist():
    names = set(stat_constants().values())
    families = {name for name in names if name.endswith("/")}
    unknown = []
    for doc in sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]:
        for mention in re.findall(r"`(gossipcrawl/[^`\s]+)`", doc.read_text(encoding="utf-8")):
            if mention.endswith("/") or re.search(r"\.(py|toml|json|md|jsonl|gz)$", mention):
                continue   # a directory or file of the package
            stem = re.sub(r"(/\*|\*|<[^>]*>)$", "", mention)
            if mention in names or any(mention.startswith(family) for family in families):
                continue
            if stem != mention and any(name.startswith(stem) for name in names):
                continue
            unknown.append(f"{doc.name}: {mention}")
    assert not unknown, "stats the docs name that gossipcrawl/stats.py does not:\n" + \
        "\n".join(unknown)
