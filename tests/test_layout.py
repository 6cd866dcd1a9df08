"""The package keeps its shape: no import cycles between gossipcrawl's modules, counting the
imports inside functions too (a function-level import hides a cycle, it does not remove
it)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gossipcrawl"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The gossipcrawl modules a module imports (its package for `from pkg import name`
    when `pkg.name` is not a module), anywhere in the file."""
    found = set()
    package = module_name(path) if path.name == "__init__.py" else \
        module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                     for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in modules)
    return found


def test_no_import_cycles():
    paths = [path for path in PACKAGE.rglob("*.py")]
    modules = {module_name(path) for path in paths}
    graph = {module_name(path): imports_of(path, modules) - {module_name(path)}
             for path in paths}
    # A package imports its own submodules through its __init__ only when it says so; a
    # submodule importing its package's __init__ is not a cycle unless the __init__
    # imports it back, which the graph shows.
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for other in sorted(graph.get(name, ())):
            if state.get(other) == 1:
                cycles.append(stack[stack.index(other):] + [other])
            elif other not in state:
                visit(other)
        stack.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert cycles == [], "\n".join(" -> ".join(cycle) for cycle in cycles)
