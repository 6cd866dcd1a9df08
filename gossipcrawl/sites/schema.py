"""The schema of a site profile (`gossipcrawl/sites/<name>.toml`), checked when it loads.

`validate_profile(data, stem)` returns the first problem of a parsed profile as a sentence
(None when it is valid): a missing or unknown key (with the closest known one), a value of
the wrong type, a pattern that does not compile, a URL that is not http(s) or lies outside
the profile's domains, a setting gossipcrawl does not know or a value it cannot take.

Every key a profile may have is in `KEYS` (and `POLITENESS_KEYS` for `[politeness]`): a key
that is not there is an error rather than silently ignored, because a misspelt key
(`article_pattern`) would otherwise quietly change what is crawled.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from gossipcrawl.urls import host_in_domains


@dataclass(frozen=True)
class Key:
    kind: str                   # "string", "strings", "number", "count", "table"
    required: bool = False
    check: str | None = None    # "name", "domain", "url", "regex", "language", "settings"


KEYS: dict[str, Key] = {
    "name": Key("string", required=True, check="name"),
    "title": Key("string"),
    "domains": Key("strings", required=True, check="domain"),
    "start_urls": Key("strings", required=True, check="url"),
    "sitemaps": Key("strings", check="url"),
    "feeds": Key("strings", check="url"),
    "listing_pages": Key("strings", check="url"),
    "article_patterns": Key("strings", check="regex"),
    "deny_patterns": Key("strings", check="regex"),
    "language": Key("string", check="language"),
    "politeness": Key("table"),
    "settings": Key("table", check="settings"),
}
POLITENESS_KEYS: dict[str, Key] = {
    "download_delay": Key("number"),
    "concurrency": Key("count"),
    "max_pages": Key("count"),
}
# Keys whose URLs the spider requests: it requests nothing outside the profile's domains.
URL_KEYS = ("start_urls", "sitemaps", "feeds", "listing_pages")

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TYPE_NAMES = {str: "a string", int: "a number", float: "a number", bool: "true or false",
               list: "a list", dict: "a table"}


def validate_profile(data: dict, stem: str) -> str | None:
    """The first problem of the profile parsed from `<stem>.toml`, or None."""
    problem = _unknown_key(data, KEYS, "")
    if problem:
        return problem
    for name, key in KEYS.items():
        if name not in data:
            if key.required:
                return f"missing required key {name!r}"
            continue
        problem = _check_value(name, data[name], key)
        if problem:
            return problem
    if data["name"] != stem:
        return f"name {data['name']!r} must be the file's name, {stem!r}"
    politeness = data.get("politeness", {})
    problem = _unknown_key(politeness, POLITENESS_KEYS, "politeness.")
    if problem:
        return problem
    for name, key in POLITENESS_KEYS.items():
        if name in politeness:
            problem = _check_value(f"politeness.{name}", politeness[name], key)
            if problem:
                return problem
    domains = [domain.lower() for domain in data["domains"]]
    for name in URL_KEYS:
        for index, url in enumerate(data.get(name, ())):
            if not host_in_domains(url, domains):
                return (f"{name}[{index}] {url!r} is outside the profile's domains "
                        f"({', '.join(domains)}): the crawl would never request it")
    return None


def _unknown_key(table: dict, known: dict, prefix: str) -> str | None:
    for name in table:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
            hint = f" (did you mean {prefix}{close[0]}?)" if close else ""
            return f"unknown key '{prefix}{name}'{hint}"
    return None


def _check_value(name: str, value, key: Key) -> str | None:
    if key.kind == "string" and not isinstance(value, str):
        return f"{name} must be a string, not {_type_name(value)}"
    if key.kind == "strings":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return f"{name} must be a list of strings, not {_type_name(value)}"
        if key.required and not value:
            return f"{name} must not be empty"
    if key.kind == "table" and not isinstance(value, dict):
        return f"{name} must be a table ([{name}]), not {_type_name(value)}"
    if key.kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))
                                 or value < 0):
        return f"{name} must be a number, 0 or more, not {value!r}"
    if key.kind == "count" and (isinstance(value, bool) or not isinstance(value, int)
                                or value < 1):
        return f"{name} must be a whole number, 1 or more, not {value!r}"
    items = value if key.kind == "strings" else [value]
    for index, item in enumerate(items):
        where = f"{name}[{index}]" if key.kind == "strings" else name
        problem = _check_item(where, item, key.check)
        if problem:
            return problem
    return None


def _check_item(where: str, item, check: str | None) -> str | None:
    if check == "name" and not _NAME.match(item):
        return f"{where} {item!r} must be lower-case letters, digits and dashes"
    if check == "domain" and not _DOMAIN.match(item.lower()):
        return f"{where} {item!r} is not a domain name (write soapdirt.com, no scheme or path)"
    if check == "url":
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"{where} {item!r} is not an http(s) URL"
    if check == "regex":
        try:
            re.compile(item)
        except re.error as exc:
            # As written in the file (a TOML literal string), not as a Python repr.
            return f"{where} '{item}' is not a valid regular expression: {exc}"
    if check == "language" and not _LANGUAGE.match(item):
        return f"{where} {item!r} is not a language tag (e.g. en-US)"
    if check == "settings":
        from gossipcrawl.setting_types import SettingError, check_settings

        try:
            check_settings(item)
        except SettingError as exc:
            return f"[settings]: {exc}"
    return None


def _type_name(value) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)
