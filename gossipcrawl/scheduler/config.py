"""The schedule file: Scrapyd nodes, sites, durations."""

from __future__ import annotations

import base64
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gossipcrawl.scheduler import ScheduleError

DEFAULT_STATE_FILE = ".gossipcrawl/schedule-state.json"
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s)", re.IGNORECASE)
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
# The keys each table may have: any other is a typo, reported with the closest one.
SCHEDULER_KEYS = ("interval", "state_file", "project", "spider", "version", "timeout")
SITE_KEYS = ("every", "state", "output", "job_dir", "settings")
GROUP_KEYS = ("name", "sites", *SITE_KEYS)
NODE_KEYS = ("name", "url", "username", "password", "password_env", "max_jobs")


def check_keys(table: dict, known, where: str) -> None:
    if not isinstance(table, dict):
        raise ScheduleError(f"{where} must be a table, not {table!r}")
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ScheduleError(f"unknown key {key!r} in {where}{hint}")


def parse_duration(value) -> float:
    """`"1h"`, `"30m"`, `"1h30m"`, `"90s"`, `"1d"` or a number of seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        text = str(value).strip()
        matches = list(_DURATION.finditer(text))
        if not matches or "".join(m.group(0) for m in matches).replace(" ", "") != \
                text.replace(" ", ""):
            raise ScheduleError(f"not a duration: {value!r} (use e.g. 30m, 1h, 1h30m, 1d)")
        seconds = sum(float(m.group(1)) * _UNITS[m.group(2).lower()] for m in matches)
    if seconds <= 0:
        raise ScheduleError(f"a duration must be positive: {value!r}")
    return seconds


def site_key(target: str) -> str:
    """A short, file-name-safe key for a site: the profile name, or the URL's host/path."""
    text = re.sub(r"^[a-z]+://", "", target.lower()).strip("/")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "site"


# --- the schedule file ------------------------------------------------------------------------

@dataclass
class Node:
    name: str
    url: str
    username: str | None = None
    password: str | None = None
    max_jobs: int | None = None

    def auth_header(self) -> str | None:
        if not self.username:
            return None
        token = base64.b64encode(f"{self.username}:{self.password or ''}".encode()).decode()
        return f"Basic {token}"


@dataclass
class Site:
    """What one Scrapyd job crawls: one site (`[[sites]]`), or a group of sites in one
    process (`[[groups]]`, `targets`)."""

    key: str
    target: str
    every: float
    output: str | None
    state: str | None
    job_dir: str | None
    settings: dict = field(default_factory=dict)
    # A group's targets (a site's is its one target).
    group: tuple[str, ...] = ()

    @property
    def targets(self) -> tuple[str, ...]:
        return self.group or (self.target,)


@dataclass
class Schedule:
    nodes: list[Node]
    sites: list[Site]
    interval: float = 60.0
    state_file: Path = Path(DEFAULT_STATE_FILE)
    project: str = "gossipcrawl"
    spider: str = "news"
    version: str | None = None
    timeout: float = 10.0


def load_schedule(path: str | os.PathLike) -> Schedule:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScheduleError(f"no such schedule file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScheduleError(f"cannot read the schedule file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScheduleError(f"{path}: not valid TOML: {exc}") from None
    return schedule_from_dict(data, base=path.parent)


def schedule_from_dict(data: dict, base: Path = Path(".")) -> Schedule:
    known = {"scheduler", "defaults", "nodes", "sites", "groups"}
    if unknown := set(data) - known:
        raise ScheduleError(f"unknown table(s) in the schedule: {', '.join(sorted(unknown))}")
    options = data.get("scheduler", {})
    defaults = data.get("defaults", {})
    check_keys(options, SCHEDULER_KEYS, "[scheduler]")
    check_keys(defaults, SITE_KEYS, "[defaults]")
    if not isinstance(data.get("nodes", []), list) or not isinstance(data.get("sites", []), list):
        raise ScheduleError("[[nodes]] and [[sites]] are arrays of tables (double brackets)")
    nodes = [_node(entry, number) for number, entry in enumerate(data.get("nodes", []), 1)]
    if not nodes:
        raise ScheduleError("the schedule names no [[nodes]]")
    if len({node.name for node in nodes}) != len(nodes):
        raise ScheduleError("two [[nodes]] have the same name")
    sites = [_site(entry, defaults) for entry in data.get("sites", [])]
    sites += [_group(entry, defaults) for entry in _groups_table(data)]
    if not sites:
        raise ScheduleError("the schedule names no [[sites]] or [[groups]]")
    if len({site.key for site in sites}) != len(sites):
        raise ScheduleError("two [[sites]] (or [[groups]]) have the same target or name "
                            "(give one a `name`)")
    _check_each_site_in_one_job(sites)
    state_file = Path(options.get("state_file", DEFAULT_STATE_FILE))
    return Schedule(nodes=nodes, sites=sites,
                    interval=parse_duration(options.get("interval", "1m")),
                    state_file=state_file if state_file.is_absolute() else base / state_file,
                    project=options.get("project", "gossipcrawl"),
                    spider=options.get("spider", "news"),
                    version=options.get("version"),
                    timeout=parse_duration(options.get("timeout", "10s")))


def _node(entry: dict, number: int) -> Node:
    check_keys(entry, NODE_KEYS, f"[[nodes]] number {number}")
    if "url" not in entry:
        raise ScheduleError(f"[[nodes]] number {number} has no url")
    if not str(entry["url"]).startswith(("http://", "https://")):
        raise ScheduleError(f"[[nodes]] number {number}: url must be an http(s) URL, not "
                            f"{entry['url']!r}")
    password = entry.get("password")
    if "password_env" in entry:
        password = os.environ.get(entry["password_env"])
        if password is None:
            raise ScheduleError(f"the environment variable {entry['password_env']} (password "
                                f"of node {entry.get('name', entry['url'])}) is not set")
    max_jobs = entry.get("max_jobs")
    if max_jobs is not None and (isinstance(max_jobs, bool) or not isinstance(max_jobs, int)
                                 or max_jobs < 1):
        raise ScheduleError(f"max_jobs of node {entry.get('name', entry['url'])} must be a "
                            f"whole number, 1 or more, not {max_jobs!r}")
    return Node(name=entry.get("name") or entry["url"], url=entry["url"].rstrip("/"),
                username=entry.get("username"), password=password, max_jobs=max_jobs)


def _site(entry: dict, defaults: dict) -> Site:
    check_keys(entry, ("target", "name", *SITE_KEYS), "a [[sites]] entry")
    if "target" not in entry:
        raise ScheduleError(f"a [[sites]] entry has no target: {entry}")
    where = f"[[sites]] target {entry['target']!r}"
    check_target(entry["target"], where)
    merged = {**defaults, **entry}
    settings = {**defaults.get("settings", {}), **entry.get("settings", {})}
    for name in ("output", "job_dir"):
        value = merged.get(name)
        if value and not value.startswith("/") and "://" not in value:
            raise ScheduleError(f"{name} must be an absolute path on the nodes: {value!r}")
    check_site_settings(settings, merged.get("state"), where)
    return Site(key=site_key(entry.get("name") or entry["target"]), target=entry["target"],
                every=parse_duration(merged.get("every", "1h")), output=merged.get("output"),
                state=merged.get("state"), job_dir=merged.get("job_dir"),
                settings={str(k): str(v) for k, v in settings.items()})


def _groups_table(data: dict) -> list:
    groups = data.get("groups", [])
    if not isinstance(groups, list):
        raise ScheduleError("[[groups]] is an array of tables (double brackets)")
    return groups


def _group(entry: dict, defaults: dict) -> Site:
    """A `[[groups]]` entry: several sites crawled by one Scrapyd job, in one process. Its
    `output` names `{site}` (each site's file), its `job_dir` is the group's (each site gets
    a directory in it)."""
    check_keys(entry, GROUP_KEYS, "a [[groups]] entry")
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise ScheduleError(f"a [[groups]] entry has no name: {entry}")
    where = f"[[groups]] {name!r}"
    targets = entry.get("sites")
    if not isinstance(targets, list) or not targets or \
            not all(isinstance(target, str) for target in targets):
        raise ScheduleError(f"{where}: sites must be a list of profile names or URLs")
    for target in targets:
        check_target(target, where)
    merged = {**defaults, **entry}
    output = merged.get("output")
    if output and "{site}" not in output:
        raise ScheduleError(f"{where}: output must name {{site}}, one file per site: "
                            f"{output!r}")
    site = _site({"target": targets[0], "name": name,
                  **{key: value for key, value in entry.items()
                     if key not in ("name", "sites")}}, defaults)
    site.group = tuple(dict.fromkeys(targets))
    return site


def _check_each_site_in_one_job(sites: list[Site]) -> None:
    """A site is never in two running jobs: in one [[sites]] entry or one group at most."""
    owner: dict[str, str] = {}
    for site in sites:
        for target in site.targets:
            key = site_key(target)
            if key in owner:
                raise ScheduleError(f"{target!r} is in both {owner[key]!r} and {site.key!r}: "
                                    "a site is crawled by one job at a time")
            owner[key] = site.key


def load_groups(path: str | os.PathLike) -> dict[str, list[str]]:
    """The `[[groups]]` of a schedule file, by name (for `gossipcrawl crawl --group`)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScheduleError(f"no such schedule file: {path} (--schedule FILE)") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScheduleError(f"cannot read the schedule file {path}: {exc}") from None
    groups = {}
    for entry in _groups_table(data):
        site = _group(entry, {})
        groups[site.key] = list(site.targets)
    return groups


def check_target(target, where: str) -> None:
    """A target the nodes can crawl: a profile that exists and loads, or an http(s) URL
    (checked with this machine's profiles, which deploy with the same code)."""
    from gossipcrawl.sites import UnknownTarget, resolve_target

    if not isinstance(target, str):
        raise ScheduleError(f"{where}: target must be a string")
    try:
        resolve_target(target)
    except UnknownTarget as exc:
        raise ScheduleError(f"{where}: {exc}") from None


def check_site_settings(settings: dict, state, where: str) -> None:
    """The job's settings and state as `gossipcrawl crawl` checks its -s and --state."""
    from gossipcrawl.setting_types import SettingError, check_settings
    from gossipcrawl.state import StateError, check_state_uri

    try:
        check_settings(settings)
    except SettingError as exc:
        raise ScheduleError(f"{where}: settings: {exc}") from None
    if state is not None:
        try:
            check_state_uri(str(state))
        except StateError as exc:
            raise ScheduleError(f"{where}: {exc}") from None
