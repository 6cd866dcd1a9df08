"""Each gossipcrawl setting has its one default, in gossipcrawl/settings.py.

A second default at a call site (`settings.getfloat("GOSSIPCRAWL_X", 0.95)`) drifts from the
settings module's without a sound; so the package reads its settings without one, and
every `GOSSIPCRAWL_*` name it reads is defined there. The one exception is a component that
must hold without gossipcrawl's settings (the GET-only guard, enabled in any Scrapy
project): its default is the settings module's own constant, imported from it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import gossipcrawl
from gossipcrawl import settings as project

PACKAGE = Path(gossipcrawl.__file__).resolve().parent
GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getdictorlist",
           "getwithbase", "getpriority"}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _setting_names(tree: ast.Module) -> dict[str, str]:
    """{module constant: setting name} for `X_SETTING = "GOSSIPCRAWL_..."` lines."""
    return {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            and node.value.value.startswith("GOSSIPCRAWL_")
            for target in node.targets if isinstance(target, ast.Name)}


def _imported_defaults(tree: ast.Module) -> set[str]:
    """The names a module imports from gossipcrawl.settings."""
    return {alias.asname or alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "gossipcrawl.settings"
            for alias in node.names}


def _settings_reads(tree: ast.Module):
    """(line, setting name, has a default of its own) for each `<...settings>.getX(NAME, ...)`
    call; a default that is gossipcrawl.settings' own constant of that name is not its own."""
    constants = _setting_names(tree)
    imported = _imported_defaults(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in GETTERS and node.args
                and "settings" in ast.unparse(node.func.value).lower()):
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            name = first.value
        elif isinstance(first, ast.Name) and first.id in constants:
            name = constants[first.id]
        else:
            continue
        defaults = node.args[1:] + [keyword.value for keyword in node.keywords]
        own = [default for default in defaults if not (
            isinstance(default, ast.Name) and default.id == name and name in imported)]
        yield node.lineno, name, bool(own)


def test_no_second_default_at_a_call_site():
    found = [f"gossipcrawl/{module}:{line}: {name}" for module, tree in _modules()
             for line, name, has_default in _settings_reads(tree)
             if name.startswith("GOSSIPCRAWL_") and has_default]
    assert not found, ("read these without a default (it is gossipcrawl/settings.py's):\n"
                       + "\n".join(found))


def test_every_setting_read_is_defined_in_settings_py():
    read = {name for _, tree in _modules() for _, name, _ in _settings_reads(tree)
            if name.startswith("GOSSIPCRAWL_")}
    assert read, "the scan found no reads: it is broken"
    missing = sorted(name for name in read if not hasattr(project, name))
    assert not missing, f"not defined in gossipcrawl/settings.py: {missing}"


def test_the_scan_sees_a_default():
    tree = ast.parse('from gossipcrawl.settings import GOSSIPCRAWL_D\n'
                     'X_SETTING = "GOSSIPCRAWL_X"\n'
                     'a = crawler.settings.getfloat("GOSSIPCRAWL_A", 0.5)\n'
                     'b = settings.getlist(X_SETTING, ["GET"])\n'
                     'c = self.crawler.settings.getbool("GOSSIPCRAWL_C")\n'
                     'd = settings.getlist("GOSSIPCRAWL_D", GOSSIPCRAWL_D)\n'
                     'e = settings.getlist("GOSSIPCRAWL_E", GOSSIPCRAWL_D)\n')
    assert sorted(_settings_reads(tree)) == [(3, "GOSSIPCRAWL_A", True),
                                             (4, "GOSSIPCRAWL_X", True),
                                             (5, "GOSSIPCRAWL_C", False),
                                             (6, "GOSSIPCRAWL_D", False),
                                             (7, "GOSSIPCRAWL_E", True)]
