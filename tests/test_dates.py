import pytest

from gossipcrawl.extract.dates import parse_date


@pytest.mark.parametrize("raw, expected", [
    ("2024-07-10T14:32:11-04:00", "2024-07-10T18:32:11Z"),
    ("2024-07-10T18:32:11Z", "2024-07-10T18:32:11Z"),
    ("2024-07-10T18:32:11.123+00:00", "2024-07-10T18:32:11Z"),
    ("2024-07-10 18:32:11 +0100", "2024-07-10T17:32:11Z"),
    ("2024-07-10T18:32:11", "2024-07-10T18:32:11Z"),           # no zone: taken as UTC
    ("2024-07-10", "2024-07-10"),                               # no time: a date alone
    ("Wed, 10 Jul 2024 18:32:11 +0000", "2024-07-10T18:32:11Z"),  # RFC 2822 (feeds)
    ("Wed, 10 Jul 2024 18:32:11 GMT", "2024-07-10T18:32:11Z"),
    ("July 10, 2024 at 2:32 pm", "2024-07-10T14:32:00Z"),
    ("10 July 2024", "2024-07-10"),
    ("Published: 10th July 2024", "2024-07-10"),
    ("1720636331", "2024-07-10T18:32:11Z"),                    # Unix timestamp
])
def test_normalises_to_utc(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "banana", "0000-00-00", "2024-02-30T10:00:00Z",
                                 "1066-10-14", "9999-12-31T00:00:00Z", None, "x" * 500])
def test_impossible_dates_are_none(raw):
    assert parse_date(raw) is None


def test_day_first_for_british_pages():
    assert parse_date("03/04/2024") == "2024-03-04"
    assert parse_date("03/04/2024", day_first=True) == "2024-04-03"


def test_naive_iso_helpers():
    from datetime import timedelta

    from gossipcrawl.extract.dates import (is_naive_iso, parse_naive_with_offset, utc_offset,
                                           wall_clock)

    assert is_naive_iso("2024-07-16T19:30:00") and is_naive_iso("2024-07-16 19:30")
    assert not is_naive_iso("2024-07-16T19:30:00+01:00") and not is_naive_iso("2024-07-16")
    assert wall_clock("2024-07-16T19:30:00") == wall_clock("2024-07-16 19:30:59Z")
    assert utc_offset("2024-07-16T19:30:00-0500") == timedelta(hours=-5)
    assert utc_offset("2024-07-16T19:30:00") is None
    assert parse_naive_with_offset("2024-07-16T19:30:00", timedelta(hours=1)) == \
        "2024-07-16T18:30:00Z"


@pytest.mark.parametrize("raw, expected", [
    ("August 20, 2024 9:04 pm", "2024-08-20T21:04:00Z"),          # the "pm" is kept
    ("Published 11:11 PM EST Nov 19, 2019", "2019-11-20T04:11:00Z"),  # clock first, zone applied
    ("July 10, 2024 2:32 pm EDT", "2024-07-10T18:32:00Z"),
    ("November 20", None),                                       # no year: no date
    ("2 days ago at 07:52", None),                               # relative: no reference
])
def test_human_written_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw, language, expected", [
    ("3 mars 2021 à 10h12", "fr", "2021-03-03T10:12:00Z"),        # a French clock
    ("03/03/2021 às 10h12", "pt", "2021-03-03T10:12:00Z"),
    ("3. März 2021 um 10.12 Uhr", "de", "2021-03-03T10:12:00Z"),
    ("2021年3月3日 10時12分", "ja", "2021-03-03T10:12:00Z"),
    ("12.03.2021", "de", "2021-03-12"),                           # dots: no clock
])
def test_times_written_the_way_other_languages_write_them(raw, language, expected):
    assert parse_date(raw, (language,), day_first=language != "ja") == expected
