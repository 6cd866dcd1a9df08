"""Site profiles: what gossipcrawl knows about a site, as data (one TOML file per site).

A profile names the site's domains, where its articles are announced (sitemaps, feeds,
listing pages), which URLs are articles and how gently to crawl it. A site that needs its
own page object has it beside its profile, in `sites/<name>.py`, bound to the profile's
domains (`gossipcrawl.pages.binding.site_page`). A start URL with no profile gets `profile_for_url()`: the same
spider, with discovery left to robots.txt, the usual sitemap and feed locations and the
site's own links.

Every profile is checked against its schema (`gossipcrawl.sites.schema`) when it loads. A
profile that does not pass is *broken*: it is left out of `load_profiles()`, kept with its
problem in `broken_profiles()`, and a command that needs it (its name as TARGET, or a URL
of its domains) stops with one line naming the file and the problem (`ProfileError`);
every other command and site works as usual. `gossipcrawl sites --check` lists them all.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from gossipcrawl.sites.schema import validate_profile
from gossipcrawl.urls import host_in_domains, site_of


class UnknownTarget(ValueError):
    """TARGET cannot be crawled: no profile has that name and it is not an http(s) URL,
    or its profile is broken (`ProfileError`)."""


class ProfileError(UnknownTarget):
    """The profile TARGET needs does not pass its schema (the message names the file)."""


@dataclass(frozen=True)
class BrokenProfile:
    """A profile file that does not load: its name is the file's name."""

    name: str
    path: str
    problem: str
    domains: tuple[str, ...] = ()   # as far as they could be read, to recognise its URLs

    def message(self) -> str:
        return f"site profile {self.path}: {self.problem}"


@dataclass(frozen=True)
class SiteProfile:
    name: str
    domains: tuple[str, ...]
    start_urls: tuple[str, ...]
    title: str = ""
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    listing_pages: tuple[str, ...] = ()
    # URLs matching any of these are articles; listing links are followed to find them.
    article_patterns: tuple[str, ...] = ()
    # URLs matching any of these are never requested (print views, search, feeds of comments).
    deny_patterns: tuple[str, ...] = ()
    download_delay: float = 1.0
    concurrency: int = 2
    language: str | None = None
    # Extra Scrapy settings for this site (e.g. GOSSIPCRAWL_MAX_PAGINATION).
    settings: dict = field(default_factory=dict)

    @property
    def compiled_article_patterns(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(pattern) for pattern in self.article_patterns)

    @property
    def compiled_deny_patterns(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(pattern) for pattern in self.deny_patterns)

    def describe_sources(self) -> str:
        sources = [] if self.sitemaps else ["robots.txt"]
        if self.sitemaps:
            sources.append(f"sitemaps({len(self.sitemaps)})")
        if self.feeds:
            sources.append(f"feeds({len(self.feeds)})")
        if self.listing_pages:
            sources.append(f"listings({len(self.listing_pages)})")
        sources.append("autodiscovery")
        return ", ".join(sources)


def _profile_from_toml(data: dict) -> SiteProfile:
    politeness = data.get("politeness", {})
    settings = dict(data.get("settings", {}))
    if "max_pages" in politeness:
        settings.setdefault("GOSSIPCRAWL_MAX_PAGES_PER_SITE", int(politeness["max_pages"]))
    return SiteProfile(
        name=data["name"],
        title=data.get("title", data["name"]),
        domains=tuple(data["domains"]),
        start_urls=tuple(data["start_urls"]),
        sitemaps=tuple(data.get("sitemaps", ())),
        feeds=tuple(data.get("feeds", ())),
        listing_pages=tuple(data.get("listing_pages", ())),
        article_patterns=tuple(data.get("article_patterns", ())),
        deny_patterns=tuple(data.get("deny_patterns", ())),
        download_delay=float(politeness.get("download_delay", 1.0)),
        concurrency=int(politeness.get("concurrency", 2)),
        language=data.get("language"),
        settings=settings,
    )


@cache
def _load_all() -> tuple[dict[str, SiteProfile], dict[str, BrokenProfile]]:
    profiles: dict[str, SiteProfile] = {}
    broken: dict[str, BrokenProfile] = {}
    for resource in sorted(files(__name__).iterdir(), key=lambda item: item.name):
        if not resource.name.endswith(".toml"):
            continue
        stem = resource.name[: -len(".toml")]
        data: dict = {}
        try:
            data = tomllib.loads(resource.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            problem: str | None = f"not valid TOML: {exc}"
        except (OSError, UnicodeDecodeError) as exc:
            problem = f"cannot be read: {exc}"
        else:
            problem = validate_profile(data, stem)
        if problem is None:
            profiles[stem] = _profile_from_toml(data)
            continue
        domains = data.get("domains")
        readable = tuple(domain.lower() for domain in domains if isinstance(domain, str)) \
            if isinstance(domains, list) else ()
        broken[stem] = BrokenProfile(stem, _display_path(resource), problem, readable)
    return profiles, broken


def _display_path(resource) -> str:
    """Where to edit the profile: its file, or its place in the package (egg, zip)."""
    return str(resource) if isinstance(resource, Path) else f"gossipcrawl/sites/{resource.name}"


def load_profiles() -> dict[str, SiteProfile]:
    """The profiles that pass their schema, by name."""
    return _load_all()[0]


def broken_profiles() -> dict[str, BrokenProfile]:
    """The profile files that do not load, by file name (without `.toml`)."""
    return _load_all()[1]


def profile_for_url(url: str) -> SiteProfile:
    """A profile for a site nobody described: its host (with and without www.). Its name
    keeps a port that is not the scheme's own: two sites on one host are two sites (the
    name is what a crawl holds in the state and what a job directory belongs to)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnknownTarget(f"not an http(s) URL: {url!r}")
    host = parts.hostname.lower()
    bare = site_of(url)
    domains = tuple(dict.fromkeys([bare, host]))
    name = bare if parts.port in (None, 80, 443) else f"{bare}:{parts.port}"
    return SiteProfile(name=name, title=bare, domains=domains, start_urls=(url,))


def resolve_target(target: str) -> SiteProfile:
    """TARGET as the CLI and `scrapy crawl news -a target=` take it: a profile name, or a
    start URL (a known site's URL gets that site's profile)."""
    profiles, broken = _load_all()
    if target in profiles:
        return profiles[target]
    if target in broken:
        raise ProfileError(broken[target].message())
    if "://" not in target:
        raise UnknownTarget(f"unknown site profile {target!r} (see `gossipcrawl sites`) and "
                            "not a URL")
    profile = profile_for_url(target)
    for known in profiles.values():
        if any(profile.domains[0] == d or profile.domains[0].endswith("." + d) for d in known.domains):
            # The profile's knowledge, starting where the operator asked.
            return replace(known, start_urls=(target,))
    for damaged in broken.values():
        if host_in_domains(target, damaged.domains):
            # Crawling without it would silently drop what the profile knows of the site.
            raise ProfileError(damaged.message())
    return profile
