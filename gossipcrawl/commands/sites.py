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
        broken.update(site_module_problems(profiles))
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


def site_module_problems(profiles) -> dict[str, str]:
    """`sites/<name>.py` modules that do not load, or bind no page object to profile
    `<name>` (gossipcrawl.pages.binding)."""
    import importlib
    import pkgutil

    import gossipcrawl.sites

    problems = {}
    for module in pkgutil.iter_modules(gossipcrawl.sites.__path__):
        if module.name == "schema":
            continue
        where = f"gossipcrawl/sites/{module.name}.py"
        try:
            loaded = importlib.import_module(f"gossipcrawl.sites.{module.name}")
        except Exception as exc:
            problems[module.name] = f"{where}: {type(exc).__name__}: {exc}"
            continue
        bound = {getattr(value, "site_profile", None) for value in vars(loaded).values()}
        if module.name not in bound:
            problems[module.name] = (f"{where}: binds no page object to site profile "
                                     f"{module.name!r} (@site_page({module.name!r}))")
    return problems
