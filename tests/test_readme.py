"""The README's two commands are what a newcomer runs; CI must run the very same test line."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    return [line for line in first_block.splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands():
    demo, tests = _readme_commands()
    assert "gossipcrawl demo" in demo and "pip install -e ." in demo
    assert "pytest" in tests and "'.[test]'" in tests


def test_ci_runs_the_readme_test_command_verbatim():
    _, tests = _readme_commands()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci_lines


def test_ci_lints_before_the_tests():
    """ruff and mypy run, from the pinned `lint` extra, before the README's test command;
    a finding stops CI there (the script runs under `set -e`)."""
    _, tests = _readme_commands()
    lines = [line.strip() for line in
             (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert "set -euo pipefail" in lines
    install = lines.index(".venv/bin/pip install -q -e '.[test,lint]'")
    ruff = lines.index(".venv/bin/ruff check gossipcrawl tests benchmarks")
    mypy = lines.index(".venv/bin/mypy gossipcrawl")
    assert install < ruff < lines.index(tests) and install < mypy < lines.index(tests)
    assert "set +e" not in lines[:lines.index(tests) - 1]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    lint = re.search(r"^lint = \[(.*?)\]", pyproject, re.S | re.M).group(1)
    assert re.search(r'"ruff>=[^"]*,<[^"]*"', lint) and re.search(r'"mypy>=[^"]*,<[^"]*"', lint)
