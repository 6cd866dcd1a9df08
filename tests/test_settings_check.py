"""`-s NAME=VALUE` and `--state` are checked before anything starts: a bad value, an unknown
name or a state that is not a path nor a Redis URL is one line and exit 2, nothing written."""

from __future__ import annotations

import pytest
from cli_kit import assert_one_line_error, gossipcrawl, snapshot

from gossipcrawl.setting_types import SettingError, check_setting
from gossipcrawl.state import StateError, check_state_uri


@pytest.mark.parametrize("name, value", [
    ("DOWNLOAD_DELAY", "0.5"), ("DOWNLOAD_DELAY", 2), ("AUTOTHROTTLE_ENABLED", "False"),
    ("AUTOTHROTTLE_ENABLED", True), ("CONCURRENT_REQUESTS_PER_DOMAIN", "8"),
    ("GOSSIPCRAWL_MAX_PAGES_PER_SITE", "100"), ("GOSSIPCRAWL_MAX_PAGES_PER_SITE", 100),
    ("GOSSIPCRAWL_MIN_BODY_COVERAGE", "0.9"), ("LOG_LEVEL", "DEBUG"),
    ("FEEDS", '{"out.jsonl": {"format": "jsonlines"}}'), ("GOSSIPCRAWL_PROGRESS", "ON"),
    ("RETRY_HTTP_CODES", "500,502"), ("GOSSIPCRAWL_STATE", "redis://127.0.0.1:6379/2"),
    ("SPIDERMON_MAX_ERRORS", "3"),                   # an add-on's own setting, passed on
    ("MAIL_HOST", "smtp.example"),                   # a Scrapy setting not in the table
])
def test_good_values_pass(name, value):
    check_setting(name, value)


@pytest.mark.parametrize("name, value, message", [
    ("DOWNLOAD_DELAY", "abc", "DOWNLOAD_DELAY takes a number of seconds, 0 or more, not 'abc'"),
    ("DOWNLOAD_DELAY", "-1", "0 or more"),
    ("GOSSIPCRAWL_MAX_PAGES_PER_SITE", "lots", "takes a whole number, 0 or more, not 'lots'"),
    ("CONCURRENT_REQUESTS", "2.5", "a whole number, 1 or more"),
    ("AUTOTHROTTLE_ENABLED", "maybe", "true or false"),
    ("GOSSIPCRAWL_MIN_BODY_COVERAGE", "95", "a number from 0 to 1"),
    ("LOG_LEVEL", "verbose", "one of CRITICAL, ERROR, WARNING, INFO, DEBUG"),
    ("FEEDS", "out.jsonl", "a JSON object"),
    ("GOSSIPCRAWL_PROGRESS", "sometimes", "auto, on or off"),
    ("GOSSIPCRAWL_STATE", "postgres://x/y", "unknown scheme postgres:"),
    ("DOWNLOAD_DELAY_TYPO", "0", "unknown setting DOWNLOAD_DELAY_TYPO (did you mean DOWNLOAD_DELAY?)"),
    ("GOSSIPCRAWL_MAX_PAGE", "5", "did you mean GOSSIPCRAWL_MAX_PAGES"),
])
def test_bad_values_and_names_are_named(name, value, message):
    with pytest.raises(SettingError) as refused:
        check_setting(name, value)
    assert message in str(refused.value)


def test_unknown_names_pass_when_allowed():
    check_setting("MYADDON_ENABLED", "1", allow_unknown=True)
    with pytest.raises(SettingError):
        check_setting("MYADDON_ENABLED", "1")


@pytest.mark.parametrize("uri, kind", [
    ("state.sqlite3", "sqlite"), ("/var/lib/x:y.sqlite3", "sqlite"), ("sqlite://s.db", "sqlite"),
    ("redis://127.0.0.1:6379/0", "redis"), ("rediss://r.example/3?prefix=gc", "redis"),
    ("unix:///run/redis.sock?db=1", "redis"), ("REDIS://r/0", "redis"),
])
def test_state_forms(uri, kind):
    assert check_state_uri(uri) == kind


@pytest.mark.parametrize("uri, message", [
    ("redis:/broken", "is not a redis:// URL"),
    ("postgres://x/y", "unknown scheme postgres:"),
    ("redis://127.0.0.1/abc", "the Redis database must be a number (redis://host:port/0), not 'abc'"),
    ("redis://127.0.0.1:port/0", "the port is not a number"),
    ("unix:///run/redis.sock?db=one", "not 'one'"),
    ("", "STATE is empty"),
])
def test_bad_states(uri, message):
    with pytest.raises(StateError) as refused:
        check_state_uri(uri)
    assert message in str(refused.value)


# --- through the command line: one line, exit 2, nothing written ----------------------------

@pytest.mark.parametrize("args, message", [
    (["-s", "DOWNLOAD_DELAY=abc"], "-s DOWNLOAD_DELAY=abc: DOWNLOAD_DELAY takes a number"),
    (["-s", "GOSSIPCRAWL_MAX_PAGES_PER_SITE=lots"], "GOSSIPCRAWL_MAX_PAGES_PER_SITE takes a whole number"),
    (["-s", "DOWNLOAD_DELAY_TYPO=0"], "did you mean DOWNLOAD_DELAY?"),
    (["-s", "LOG_LEVEL=verbose"], "LOG_LEVEL takes one of"),
    (["--state", "redis:/broken"], "STATE 'redis:/broken' is not a redis:// URL"),
    (["--state", "postgres://x/y"], "unknown scheme postgres:"),
    (["--state", "redis://127.0.0.1/abc"], "the Redis database must be a number"),
    (["-s", "GOSSIPCRAWL_STATE=redis:/broken"], "is not a redis:// URL"),
])
def test_bad_settings_and_states_through_the_cli(tmp_path, args, message):
    result = gossipcrawl("crawl", "https://soaps.example/", "-o", "out.jsonl", *args,
                         cwd=tmp_path)
    assert_one_line_error(result, 2, message)
    assert snapshot(tmp_path) == set(), "a refused crawl wrote files"


@pytest.mark.parametrize("command", [["demo"], ["fixture", "https://soaps.example/a/"]])
def test_every_command_with_s_checks_it(tmp_path, command):
    result = gossipcrawl(*command, "-s", "DOWNLOAD_DELAY=abc", cwd=tmp_path)
    assert_one_line_error(result, 2, "DOWNLOAD_DELAY takes a number")
    assert snapshot(tmp_path) == set()


def test_a_crawl_refused_after_the_state_check_leaves_no_state(tmp_path):
    """The state is checked without creating it: a job directory refused afterwards must
    not leave `.gossipcrawl/` (or any state file) behind."""
    import json

    other = tmp_path / "jobs" / "soaphub"
    other.mkdir(parents=True)
    (other / "job.json").write_text(json.dumps({"site": "soaphub", "crawlId": "c1",
                                                "status": "paused", "runs": 1}))
    work = tmp_path / "work"
    work.mkdir()
    for extra in ([], ["--state", "deep/down/state.sqlite3"]):
        result = gossipcrawl("crawl", "soapdirt", "--job-dir", str(other), *extra, cwd=work)
        assert_one_line_error(result, 2, "holds an unfinished crawl of 'soaphub'")
        assert snapshot(work) == set()


def test_the_state_check_reports_what_it_cannot_create(tmp_path):
    from gossipcrawl.state import check_state

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StateError, match="cannot open state .*: Not a directory"):
        check_state(str(blocker / "sub" / "state.sqlite3"))
    check_state(str(tmp_path / "a" / "b" / "state.sqlite3"))
    assert snapshot(tmp_path) == {"file"}
