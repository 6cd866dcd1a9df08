"""What a setting's value may be, checked before a crawl starts.

Scrapy reads `-s NAME=VALUE` lazily: `-s DOWNLOAD_DELAY=abc` fails deep in the engine with a
traceback, and `-s DOWNLOAD_DELAY_TYPO=0` is silently ignored. `check_setting(name, value)`
answers both up front with one sentence (`SettingError`), for the command line's `-s`, a
profile's `[settings]` table, a schedule's `settings` and `scrapy crawl -s` (Scrapyd's jobs).

A setting is known when gossipcrawl's settings module or Scrapy's defaults define it, or when
its name is under the prefix of an add-on gossipcrawl loads (`SPIDERMON_`, `SCRAPY_POET_`:
those add-ons read and check their own). Its kind comes from the table below when it is
listed there (gossipcrawl's own settings and the Scrapy ones an operator is likely to pass),
else from the type of its default: a bool must read as a bool, a dict as a JSON object; other
Scrapy settings are passed on unchecked.

Values arrive as strings from a command line and typed from TOML; both are accepted when
Scrapy's `getbool`/`getint`/`getfloat`/`getdict` would read them.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ADDON_PREFIXES = ("SPIDERMON_", "SCRAPY_POET_")
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
PROGRESS_MODES = ("auto", "on", "off", "1", "0", "true", "false", "yes", "no", "always",
                  "never")


class SettingError(ValueError):
    """A setting that cannot be used; the message names it and says why."""


class UnknownSetting(SettingError):
    """A name neither gossipcrawl, Scrapy nor a loaded add-on defines (a typo, or the
    setting of an add-on gossipcrawl does not know)."""


@dataclass(frozen=True)
class Kind:
    """What a setting takes: `describe` is how an error message says it."""

    describe: str
    parse: Callable[[Any], Any]       # raises ValueError/TypeError when the value does not fit


def _bool(value):
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip() in ("0", "1", "True", "False", "true", "false"):
        return value.strip() in ("1", "True", "true")
    raise ValueError(value)


def _number(*, integer: bool, minimum: float | None = 0, maximum: float | None = None,
            above: float | None = None):
    def parse(value):
        if isinstance(value, bool):
            raise TypeError(value)
        number = int(value) if integer and not isinstance(value, float) else float(value)
        if integer and isinstance(value, float) and not value.is_integer():
            raise ValueError
        if isinstance(number, float) and not math.isfinite(number):
            raise ValueError
        if minimum is not None and number < minimum:
            raise ValueError
        if maximum is not None and number > maximum:
            raise ValueError
        if above is not None and number <= above:
            raise ValueError
        return number
    return parse


def _json_object(value):
    if isinstance(value, dict):
        return value
    parsed = json.loads(value)
    if not isinstance(parsed, dict):
        raise TypeError(parsed)
    return parsed


def _list(value):
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            parsed = json.loads(text)
            if not isinstance(parsed, list):
                raise TypeError(parsed)
            return parsed
        return [part for part in text.split(",") if part.strip()]
    raise TypeError(value)


def _int_list(value):
    return [_number(integer=True)(item) for item in _list(value)]


def _choice(choices: tuple[str, ...], *, fold_case: bool):
    def parse(value):
        text = str(value).strip()
        if (text.lower() if fold_case else text) not in choices:
            raise ValueError
        return text
    return parse


def _text(value):
    if isinstance(value, (dict, list)):
        raise TypeError(value)
    return value


BOOL = Kind("true or false (1 or 0)", _bool)
COUNT = Kind("a whole number, 0 or more", _number(integer=True))
POSITIVE_COUNT = Kind("a whole number, 1 or more", _number(integer=True, minimum=1))
SECONDS = Kind("a number of seconds, 0 or more", _number(integer=False))
NUMBER = Kind("a number, 0 or more", _number(integer=False))
POSITIVE_NUMBER = Kind("a number above 0", _number(integer=False, above=0))
FRACTION = Kind("a number from 0 to 1", _number(integer=False, maximum=1))
INTEGER = Kind("a whole number", _number(integer=True, minimum=None))
JSON_OBJECT = Kind("a JSON object, e.g. {\"name\": 1}", _json_object)
LIST = Kind("a comma-separated list or a JSON list", _list)
STATUS_CODES = Kind("a list of HTTP status codes, e.g. 500,502", _int_list)
TEXT = Kind("a string", _text)
LOG_LEVEL = Kind(f"one of {', '.join(LOG_LEVELS)}", _choice(LOG_LEVELS, fold_case=False))
PROGRESS = Kind("auto, on or off", _choice(PROGRESS_MODES, fold_case=True))


def _state_uri(value):
    from gossipcrawl.state import StateError, check_state_uri

    try:
        check_state_uri(str(value))
    except StateError as exc:
        raise SettingError(str(exc)) from None
    return value


STATE_URI = Kind("a SQLite path or a redis://, rediss:// or unix:// URL", _state_uri)

# Kinds that the type of a default cannot tell (None defaults, bounded numbers, choices),
# and the Scrapy settings an operator is likely to pass.
KINDS: dict[str, Kind] = {
    # gossipcrawl
    "GOSSIPCRAWL_STATE": STATE_URI,
    "GOSSIPCRAWL_JOB_DIR": TEXT,
    "GOSSIPCRAWL_REPORT": TEXT,
    "GOSSIPCRAWL_PROGRESS": PROGRESS,
    "GOSSIPCRAWL_MIN_HEADLINE_COVERAGE": FRACTION,
    "GOSSIPCRAWL_MIN_BODY_COVERAGE": FRACTION,
    "GOSSIPCRAWL_MAX_PAGE_ERROR_RATE": FRACTION,
    "GOSSIPCRAWL_MAX_INVALID_RATE": FRACTION,
    "GOSSIPCRAWL_STORY_THRESHOLD": FRACTION,
    "GOSSIPCRAWL_BACKOFF_HTTP_CODES": STATUS_CODES,
    "GOSSIPCRAWL_STORY_WINDOW_DAYS": POSITIVE_COUNT,
    # Scrapy: politeness and concurrency
    "DOWNLOAD_DELAY": SECONDS,
    "DOWNLOAD_TIMEOUT": POSITIVE_NUMBER,
    "RANDOMIZE_DOWNLOAD_DELAY": BOOL,
    "DOWNLOAD_DELAY_JITTER": FRACTION,
    "CONCURRENT_REQUESTS": POSITIVE_COUNT,
    "CONCURRENT_REQUESTS_PER_DOMAIN": POSITIVE_COUNT,
    "CONCURRENT_REQUESTS_PER_IP": COUNT,
    "CONCURRENT_ITEMS": POSITIVE_COUNT,
    "AUTOTHROTTLE_START_DELAY": SECONDS,
    "AUTOTHROTTLE_MAX_DELAY": SECONDS,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": POSITIVE_NUMBER,
    "RETRY_TIMES": COUNT,
    "RETRY_HTTP_CODES": STATUS_CODES,
    "HTTPERROR_ALLOWED_CODES": STATUS_CODES,
    "DNS_TIMEOUT": POSITIVE_NUMBER,
    "DEPTH_LIMIT": COUNT,
    "DEPTH_PRIORITY": INTEGER,
    "REDIRECT_MAX_TIMES": COUNT,
    # Scrapy: bounds
    "CLOSESPIDER_TIMEOUT": SECONDS,
    "CLOSESPIDER_TIMEOUT_NO_ITEM": SECONDS,
    "CLOSESPIDER_ITEMCOUNT": COUNT,
    "CLOSESPIDER_PAGECOUNT": COUNT,
    "CLOSESPIDER_PAGECOUNT_NO_ITEM": COUNT,
    "CLOSESPIDER_ERRORCOUNT": COUNT,
    "DOWNLOAD_MAXSIZE": COUNT,
    "DOWNLOAD_WARNSIZE": COUNT,
    "MEMUSAGE_LIMIT_MB": COUNT,
    "MEMUSAGE_WARNING_MB": COUNT,
    "MEMUSAGE_CHECK_INTERVAL_SECONDS": POSITIVE_NUMBER,
    # Scrapy: output and logs
    "FEED_EXPORT_BATCH_ITEM_COUNT": COUNT,
    "FEED_EXPORT_INDENT": INTEGER,
    "LOG_LEVEL": LOG_LEVEL,
    "LOGSTATS_INTERVAL": POSITIVE_NUMBER,
    "USER_AGENT": TEXT,
}


@dataclass(frozen=True)
class Known:
    names: frozenset[str]
    kinds: dict[str, Kind]


_known: Known | None = None


def known_settings() -> Known:
    """Every setting name gossipcrawl and Scrapy define, with the kinds checked."""
    global _known
    if _known is None:
        import scrapy.settings.default_settings as scrapy_defaults

        import gossipcrawl.settings as ours

        kinds: dict[str, Kind] = {}
        names = set(KINDS)
        for module, infer_numbers in ((scrapy_defaults, False), (ours, True)):
            for name in dir(module):
                if not name.isupper():
                    continue
                names.add(name)
                if name not in KINDS:
                    kind = _kind_of_default(getattr(module, name), infer_numbers)
                    if kind is not None:
                        kinds[name] = kind
        kinds.update(KINDS)
        _known = Known(frozenset(names), kinds)
    return _known


def _kind_of_default(default, infer_numbers: bool) -> Kind | None:
    """The kind a default's type implies. Numbers only for gossipcrawl's own settings,
    whose defaults are written as the type the code reads (Scrapy writes `DOWNLOAD_DELAY =
    0` for a setting that takes fractions)."""
    if isinstance(default, bool):
        return BOOL
    if isinstance(default, dict):
        return JSON_OBJECT
    if infer_numbers and isinstance(default, int):
        return COUNT
    if infer_numbers and isinstance(default, float):
        return NUMBER
    if infer_numbers and isinstance(default, (list, tuple)):
        return LIST
    return None


def check_setting(name: str, value, *, allow_unknown: bool = False) -> None:
    """Raise `SettingError` when NAME is not a known setting (unless `allow_unknown`) or
    VALUE is not of its kind."""
    known = known_settings()
    if name not in known.names and not name.startswith(ADDON_PREFIXES):
        if allow_unknown:
            return
        close = closest_name(name, known.names)
        hint = f" (did you mean {close}?)" if close else ""
        raise UnknownSetting(f"unknown setting {name}{hint}")
    kind = known.kinds.get(name)
    if kind is None:
        return
    try:
        kind.parse(value)
    except SettingError:
        raise
    except (ValueError, TypeError):
        raise SettingError(f"{name} takes {kind.describe}, not {_show(value)}") from None


def closest_name(name: str, names) -> str | None:
    """The known name NAME most likely misspells: the shortest one it begins (a name cut
    short), else the closest by difflib's ratio."""
    longer = sorted((known for known in names if known.startswith(name)), key=len)
    if longer:
        return longer[0]
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.75)
    return close[0] if close else None


def check_settings(settings: dict, *, allow_unknown: bool = False) -> None:
    for name, value in settings.items():
        check_setting(str(name), value, allow_unknown=allow_unknown)


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
