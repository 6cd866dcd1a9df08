"""`gossipcrawl sites`: the site profiles, one line each."""

from __future__ import annotations


def add_parser(commands) -> None:
    parser = commands.add_parser("sites", help="list the site profiles")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from gossipcrawl.sites import load_profiles

    profiles = load_profiles()
    width = max((len(name) for name in profiles), default=4)
    print(f"{'name':<{width}}  {'domains':<40}  sources")
    for name, profile in profiles.items():
        print(f"{name:<{width}}  {', '.join(profile.domains):<40}  {profile.describe_sources()}")
    return 0
