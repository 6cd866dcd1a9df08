"""Site profiles: what gossipcrawl knows about a site, as data (one TOML file per site).

A profile names the site's domains, where its articles are announced (sitemaps, feeds,
listing pages), which URLs are articles, how gently to crawl it, and optionally the page
object that extracts its articles (`page_object`, a class in `gossipcrawl/pages/`; the
class binds itself to the domains with `@handle_urls`, the name here documents it and is
checked by the tests). Keys this loader does not know are ignored, so a profile written for
a newer gossipcrawl still loads. A start URL with no
profile gets `profile_for_url()`: the same spider, with discovery left to robots.txt, the
usual sitemap and feed locations and the site's own links.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files
from urllib.parse import urlsplit

from gossipcrawl.urls import site_of


class UnknownTarget(ValueError):
    """TARGET is neither a profile name nor an http(s) URL."""


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
    # Dotted path or bare name of the site's page object (in gossipcrawl/pages/sites.py).
    page_object: str | None = None
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
        page_object=data.get("page_object"),
        settings=settings,
    )


@lru_cache(maxsize=None)
def load_profiles() -> dict[str, SiteProfile]:
    profiles = {}
    for resource in sorted(files(__name__).iterdir(), key=lambda item: item.name):
        if resource.name.endswith(".toml"):
            profile = _profile_from_toml(tomllib.loads(resource.read_text(encoding="utf-8")))
            profiles[profile.name] = profile
    return profiles


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
    profiles = load_profiles()
    if target in profiles:
        return profiles[target]
    if "://" not in target:
        raise UnknownTarget(f"unknown site profile {target!r} (see `gossipcrawl sites`) and "
                            "not a URL")
    profile = profile_for_url(target)
    for known in profiles.values():
        if any(profile.domains[0] == d or profile.domains[0].endswith("." + d) for d in known.domains):
            # The profile's knowledge, starting where the operator asked.
            return replace(known, start_urls=(target,))
    return profile
