"""Date normalisation: whatever a page says -> ISO 8601 in UTC.

Fast path first (ISO 8601 and RFC 2822, which cover structured data, `<time datetime>` and
feeds); dateparser only for human-written dates ("10 July 2024, 7:32pm", "3 hours ago").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

# The languages dateparser reads a date in when the page does not say its own. Without
# them dateparser loads every language it knows (~5 s on first use, and slower per value).
# The crawler targets English-language soap sites; a page in another language passes its
# own code (`<html lang>`, JSON-LD inLanguage), as metadata and comment_threads do.
DEFAULT_LANGUAGES = ("en",)

# Dates before this or far in the future are parse errors, not publication dates.
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100

_DATE_ONLY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
# RFC 2822 as feeds and HTTP write it: "Wed, 10 Jul 2024 18:32:11 +0000". Only that shape
# goes to email.utils, which would read "August 20, 2024 9:04 pm" and drop the "pm".
_RFC_2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
# A date a reader could pin down: a four-digit year or a numeric day/month/year.
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2}\b")
_RELATIVE = re.compile(r"\b(?:ago|yesterday|today|tomorrow|last|next)\b", re.IGNORECASE)
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}|\b\d{1,2}\s*(?:am|pm)\b", re.IGNORECASE)
_DOTTED = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
# A time of day as other languages write it, after the date: "à 10h12", "às 10h12",
# "um 10.12 Uhr", "10時12分". dateparser reads "10:12" (and drops the words before it).
_WRITTEN_CLOCK = re.compile(r"(?:,?\s*\b(?:à|às|as|um|alle|a\s+las|a\s+les|om|kl\.?|at)\b)?\s*"
                    r"(?<![\d:.])(\d{1,2})\s*(?:h|時|\.(?=\d{2}\s*uhr))\s*(\d{2})(?:\s*分)?(?!\d)",
                    re.IGNORECASE)
_UNIX_TS = re.compile(r"^\s*(\d{10})(?:\d{3})?\s*$")
_ISO_SHAPED = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# An ISO 8601 date and time without a zone: "2024-07-16T19:30:00", "2024-07-16 19:30".
_NAIVE_ISO = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*$")
_ZONED_ISO = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?\s*"
                        r"(?:Z|z|[+-]\d{2}:?\d{2})\s*$")


def _plausible(moment: date) -> bool:
    return EARLIEST_YEAR <= moment.year <= LATEST_YEAR


def format_utc(moment: datetime) -> str:
    """`2024-07-10T18:32:11Z`; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_iso(raw: str) -> datetime | None:
    text = raw.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # "2024-07-10 18:32:11 +0000" and "+0000" offsets: make them fromisoformat-friendly.
    text = re.sub(r"\s*([+-])(\d{2}):?(\d{2})$", r"\1\2:\3", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_date(raw: str | None, languages: tuple[str, ...] | None = None,
               day_first: bool = False) -> str | None:
    """Normalise a date found on a page to UTC ISO 8601, or None when it is not a date.

    A value without a time gives only the date (`2024-07-10`). A value without a zone is
    taken as UTC. `day_first` settles `03/04/2024` for British pages.
    """
    if not raw or not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw or len(raw) > 100:
        return None
    only_day = _DATE_ONLY.match(raw)
    if only_day:
        try:
            day = date(*map(int, only_day.groups()))
        except ValueError:
            return None
        return day.isoformat() if _plausible(day) else None
    unix = _UNIX_TS.match(raw)
    if unix:
        stamp = datetime.fromtimestamp(int(unix.group(1)), tz=UTC)
        return format_utc(stamp) if _plausible(stamp) else None
    moment = _from_iso(raw)
    if moment is None and _ISO_SHAPED.match(raw):
        return None  # ISO 8601 in form, impossible in content (month 13, 25:61): no date
    if moment is None and _RFC_2822.match(raw):
        try:
            moment = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            moment = None
    if moment is None:
        if not _HAS_YEAR.search(raw) or _RELATIVE.search(raw):
            # "November 20" or "2 days ago": the year is a guess, so it is no date.
            return None
        languages = tuple(languages) if languages else DEFAULT_LANGUAGES
        raw = _WRITTEN_CLOCK.sub(r" \1:\2", raw)
        if _DOTTED.search(raw):
            day_first = True  # 11.04.2020 is day first wherever dots are written
        moment = _english_month_date(raw) if languages == ("en",) else None
        if moment is None:
            moment = _with_dateparser(raw, languages, day_first)
        if moment is None:
            return None
        if not _HAS_TIME.search(raw):
            return moment.date().isoformat() if _plausible(moment) else None
    if not _plausible(moment):
        return None
    return format_utc(moment)


# Words printed before a date ("Published: 10 July 2024"), dropped before parsing.
_DATE_PREFIX = re.compile(r"^(?:published|updated|posted|last updated|on)\s*:?\s*", re.IGNORECASE)

# "July 10, 2024", "Wednesday, 10th July 2024 at 2:32 pm": English month-name dates, the
# usual human-written shape, read without dateparser. Anything else (zones, relative
# words, other languages, two-digit years) still goes to dateparser.
_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = (r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue"
            r"|wed|thurs|thur|thu|fri|sat|sun)\.?,?\s+)?")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
# Zone abbreviations English-language news pages print; ambiguous ones (IST, CST in
# Asia) are left to dateparser.
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "bst": 1, "cet": 1, "cest": 2, "est": -5, "edt": -4,
          "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "et": None, "pt": None,
          "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13}
_ZONE = r"(?:\s+(?P<zone>" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r"))?"
_CLOCK = (r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
          r"(?:\s*(?P<half>[ap])\.?m\.?)?" + _ZONE)
_TIME = r"(?:\s*(?:,|at|@|-|\|)?\s*" + _CLOCK + r")?"
_ENGLISH_DATES = tuple(
    re.compile(r"^(?:on\s+)?" + _WEEKDAY + day_month + r",?\s+(?P<year>\d{4})" + _TIME + r"$",
               re.IGNORECASE)
    for day_month in (_MONTH + r"\s+" + _DAY, _DAY + r"\s+(?:of\s+)?" + _MONTH)) + (
    # The clock first: "11:11 PM EST Nov 19, 2019".
    re.compile(r"^" + _WEEKDAY + _CLOCK + r",?\s+" + _MONTH + r"\s+" + _DAY
               + r",?\s+(?P<year>\d{4})$", re.IGNORECASE),)


def _english_month_date(raw: str) -> datetime | None:
    """What dateparser (languages=["en"]) reads from an English month-name date, at a
    fraction of its cost; None when the value has another shape."""
    text = _DATE_PREFIX.sub("", raw)
    match = next((found for pattern in _ENGLISH_DATES if (found := pattern.match(text))), None)
    if match is None:
        return None
    zone = (match.group("zone") or "").lower()
    if zone and _ZONES[zone] is None:
        return None  # "ET": daylight saving unknown, dateparser decides
    month = _MONTHS[match.group("month").lower()]
    hour = int(match.group("hour") or 0)
    if match.group("half"):
        if not 1 <= hour <= 12:
            return None  # "17:19 PM": let dateparser decide
        hour = hour % 12 + (12 if match.group("half").lower() == "p" else 0)
    try:
        moment = datetime(int(match.group("year")), month, int(match.group("day")), hour,
                          int(match.group("minute") or 0), int(match.group("second") or 0))
    except ValueError:
        return None
    # A zoned value becomes naive UTC, like the rest of this module's naive values.
    hours = _ZONES[zone] if zone else None
    return moment - timedelta(hours=hours) if hours is not None else moment


def _with_dateparser(raw: str, languages: tuple[str, ...] | None,
                     day_first: bool) -> datetime | None:
    import dateparser  # imported lazily: it costs ~0.3 s at start-up

    settings = {
        "RETURN_AS_TIMEZONE_AWARE": False,
        "TO_TIMEZONE": "UTC",  # a zone the value names is applied, not dropped
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY" if day_first else "MDY",
        "PARSERS": ["absolute-time", "custom-formats"],
        "STRICT_PARSING": False,
    }
    cleaned = _DATE_PREFIX.sub("", raw)
    try:
        moment = dateparser.parse(cleaned, languages=list(languages or DEFAULT_LANGUAGES),
                                  settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    if not isinstance(moment, datetime):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


# A zone written with a date: an ISO offset, "Z", UTC/GMT, an abbreviation (EST, CEST, ET).
_HAS_ZONE = re.compile(r"(?:\d[Zz]|[+-]\d{2}:?\d{2})\s*$|\b(?:UTC|GMT|MEZ|MESZ|[A-Z]{1,4}T)\b")


def has_zone(raw: str) -> bool:
    """Whether a date as written names its zone or UTC offset."""
    return bool(_HAS_ZONE.search(raw))


def shift_from_offset(utc_value: str, offset: timedelta) -> str:
    """A `parse_date` result read from a zone-less value (so taken as UTC), re-read as
    wall-clock time in `offset`: `2024-07-10T09:15:00Z`, -05:00 -> `2024-07-10T14:15:00Z`.
    A date without a time is returned as it is."""
    if len(utc_value) <= 10:
        return utc_value
    moment = _from_iso(utc_value)
    if moment is None:
        return utc_value
    return format_utc(moment.replace(tzinfo=timezone(offset)))


def is_naive_iso(raw: str | None) -> bool:
    """True for an ISO 8601 date-time without a zone, the value that `parse_date` can only
    take as UTC; callers with a better clue (a zoned twin, the page's offset) use it."""
    return bool(raw and isinstance(raw, str) and _NAIVE_ISO.match(raw))


def wall_clock(raw: str | None) -> str | None:
    """`YYYY-MM-DDTHH:MM` as written in an ISO 8601 value (zoned or not), to match a naive
    value against its zoned twin; None for anything else."""
    if not raw or not isinstance(raw, str):
        return None
    if _NAIVE_ISO.match(raw):
        return raw.strip()[:16].replace(" ", "T")
    match = _ZONED_ISO.match(raw)
    return f"{match.group(1)}T{match.group(2)}" if match else None


def utc_offset(raw: str | None) -> timedelta | None:
    """The UTC offset an ISO 8601 value states, or None."""
    if not raw or not isinstance(raw, str) or not _ZONED_ISO.match(raw):
        return None
    moment = _from_iso(raw)
    return moment.utcoffset() if moment is not None else None


def parse_naive_with_offset(raw: str, offset: timedelta) -> str | None:
    """A naive ISO 8601 value read in the given UTC offset, normalised to UTC."""
    moment = _from_iso(raw)
    if moment is None or moment.tzinfo is not None or not _plausible(moment):
        return None
    return format_utc(moment.replace(tzinfo=timezone(offset)))
