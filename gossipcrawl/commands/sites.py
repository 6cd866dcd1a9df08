"""`gossipcrawl sites [--check]`: the site profiles, one line each; `--check` validates every
profile file (schema, and that its page object exists) and exits 1 on any problem, for CI
and for an operator who has just edited one."""

from __future__ import annotations

import sys

from gossipcrawl.commands.base import EXIT_FAILED, EXIT_OK


def add_parser(commands) -> None:
    parser = commands.add_parser("sites", help="list the site profiles")
    parser.add_argument("--check", action="store_true",
                        help="validate every profile; exit 1 when one is broken")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from gossipcrawl.sites import broken_profiles, load_profiles

    profiles = load_profiles()
    broken = {name: damaged.message() for name, damaged in broken_profiles().items()}
    if args.check:
        for name, profile in profiles.items():
            problem = page_object_problem(profile.page_object)
            if problem:
                broken[name] = f"site profile {name}: {problem}"
        for message in broken.values():
            print(f"gossipcrawl: error: {message}", file=sys.stderr)
        total = len(profiles) + len(broken_profiles())
        print(f"{total} site profiles checked: {total - len(broken)} valid, "
              f"{len(broken)} broken")
        return EXIT_FAILED if broken else EXIT_OK
    width = max((len(name) for name in profiles), default=4)
    print(f"{'name':<{width}}  {'domains':<40}  sources")
    for name, profile in profiles.items():
        print(f"{name:<{width}}  {', '.join(profile.domains):<40}  {profile.describe_sources()}")
    for message in broken.values():
        print(f"gossipcrawl: warning: {message} (left out; see `gossipcrawl sites --check`)",
              file=sys.stderr)
    return EXIT_OK


def page_object_problem(page_object: str | None) -> str | None:
    """Why a profile's `page_object` names no class, or None."""
    if not page_object:
        return None
    import importlib

    module_name, _, name = page_object.rpartition(".")
    module_name = module_name or "gossipcrawl.pages.sites"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        return f"page_object {page_object!r}: cannot import {module_name}: {exc}"
    if not isinstance(getattr(module, name, None), type):
        return f"page_object {page_object!r} is not a class in {module_name}"
    return None
