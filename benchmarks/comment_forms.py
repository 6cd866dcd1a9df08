#!/usr/bin/env python
"""Comment-form detection and description quality on fixtures/comments/.

    python benchmarks/comment_forms.py [--verbose]

For every fixture (a saved page and its expected JSON) it runs the comment extractors and
prints one row: the expected provider (or null), ours, a naive baseline's, the `<form>`
elements whose kind (comment, search, newsletter, login, contact, poll) we got right, and
the field-level checks we passed. The baseline is what one would write first: "the first
form holding a textarea is the comment form; wordpress when it posts to
wp-comments-post.php"; it knows no script-loaded providers.

Field-level checks per fixture: commentForm null-or-not (1 when null is expected, else
provider, action, method, title, notes, hiddenFields, the number of fields and each expected
field), commentCount (1), the number of comments (1) and each comment's id, author,
datePublished, text and parentId (5 each).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gossipcrawl.extract.comments import (classify_forms, extract_comment_count,  # noqa: E402
                                          extract_comment_form, extract_comments)
from gossipcrawl.extract.html import decode_html, parse_html  # noqa: E402
from gossipcrawl.extract.structured import jsonld_nodes  # noqa: E402

FIXTURES = REPO / "fixtures" / "comments"
SCALAR_KEYS = ("provider", "action", "method", "title", "notes", "hiddenFields")
COMMENT_KEYS = ("id", "author", "datePublished", "text", "parentId")


def baseline_provider(root, url: str) -> str | None:
    for form in root.iter("form"):
        if next(form.iter("textarea"), None) is not None:
            action = urljoin(url, form.get("action") or "")
            return "wordpress" if action.endswith("wp-comments-post.php") else "other"
    return None


def field_checks(expected: dict, actual: dict) -> tuple[int, int, list[str]]:
    passed, total, failed = 0, 0, []

    def check(label: str, ok: bool) -> None:
        nonlocal passed, total
        total += 1
        passed += ok
        if not ok:
            failed.append(label)

    want, got = expected["commentForm"], actual["commentForm"]
    if want is None:
        check("commentForm=null", got is None)
    else:
        got = got or {}
        for key in SCALAR_KEYS:
            check(f"commentForm.{key}", got.get(key) == want[key])
        got_fields = got.get("fields") or []
        check("len(commentForm.fields)", len(got_fields) == len(want["fields"]))
        for i, field in enumerate(want["fields"]):
            check(f"commentForm.fields[{i}]", i < len(got_fields) and got_fields[i] == field)
    check("commentCount", actual["commentCount"] == expected["commentCount"])
    check("len(comments)", len(actual["comments"]) == len(expected["comments"]))
    for i, comment in enumerate(expected["comments"]):
        have = actual["comments"][i] if i < len(actual["comments"]) else {}
        for key in COMMENT_KEYS:
            check(f"comments[{i}].{key}", have.get(key, object()) == comment[key])
    return passed, total, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every failed check")
    args = parser.parse_args()

    names = sorted(path.stem for path in FIXTURES.glob("*.html"))
    from gossipcrawl.extract.dates import parse_date
    parse_date("10 July 2024 at 7:32 pm")  # dateparser's one-off import is not per-page cost
    rows = []
    totals = dict(right=0, base_right=0, forms=0, forms_right=0, base_forms_right=0,
                  passed=0, checks=0)
    seconds: list[float] = []
    for name in names:
        expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
        url = expected["url"]
        root = parse_html(decode_html((FIXTURES / f"{name}.html").read_bytes()))
        started = time.perf_counter()
        comments = extract_comments(root, url)
        actual = {"commentForm": extract_comment_form(root, url),
                  "commentCount": extract_comment_count(root, jsonld_nodes(root), comments),
                  "comments": comments}
        kinds = [verdict.kind for verdict in classify_forms(root)]
        seconds.append(time.perf_counter() - started)

        want = (expected["commentForm"] or {}).get("provider")
        ours = (actual["commentForm"] or {}).get("provider")
        base = baseline_provider(root, url)
        # the baseline names a form "comment" when it is the first one with a textarea
        first_textarea = next((i for i, form in enumerate(root.iter("form"))
                               if next(form.iter("textarea"), None) is not None), None)
        base_kinds = ["comment" if i == first_textarea else "not"
                      for i in range(len(expected["formKinds"]))]
        truth_binary = ["comment" if k == "comment" else "not" for k in expected["formKinds"]]
        forms_right = sum(a == b for a, b in zip(kinds, expected["formKinds"])) \
            if len(kinds) == len(expected["formKinds"]) else 0
        base_forms_right = sum(a == b for a, b in zip(base_kinds, truth_binary))
        passed, total, failed = field_checks(expected, actual)

        totals["right"] += ours == want
        totals["base_right"] += base == want
        totals["forms"] += len(expected["formKinds"])
        totals["forms_right"] += forms_right
        totals["base_forms_right"] += base_forms_right
        totals["passed"] += passed
        totals["checks"] += total
        rows.append((name, want or "null", ours or "null", base or "null",
                     f"{forms_right}/{len(expected['formKinds'])}", f"{passed}/{total}", failed))

    header = ("fixture", "expected", "gossipcrawl", "baseline", "forms", "fields")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row[:-1]))
        if args.verbose and row[-1]:
            print("    failed: " + ", ".join(row[-1]))
    n = len(rows)
    print()
    print(f"fixtures:                                   {n}")
    print(f"comment form classified right (provider or null):"
          f"  gossipcrawl {totals['right']}/{n}   baseline {totals['base_right']}/{n}")
    print(f"<form> elements classified right (kind):     gossipcrawl "
          f"{totals['forms_right']}/{totals['forms']}   baseline (comment or not) "
          f"{totals['base_forms_right']}/{totals['forms']}")
    print(f"field-level accuracy:                        gossipcrawl "
          f"{totals['passed']}/{totals['checks']} "
          f"({100 * totals['passed'] / max(totals['checks'], 1):.1f}%)")
    print(f"time per page:                               median "
          f"{1000 * statistics.median(seconds):.1f} ms, max {1000 * max(seconds):.1f} ms "
          f"(the max pays dateparser's first use of a language)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
