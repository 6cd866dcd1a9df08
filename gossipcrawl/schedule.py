"""`gossipcrawl schedule FILE`: dispatch due crawls to Scrapyd nodes.

The schedule file (TOML) names the Scrapyd nodes and the sites:

    [scheduler]
    interval = "1m"                  # the loop looks for due sites this often
    state_file = "/var/lib/gossipcrawl/schedule-state.json"
    project = "gossipcrawl"          # the Scrapyd project (scrapy.cfg [deploy] project)

    [defaults]                       # for every site, unless the site says otherwise
    every = "1h"
    state = "redis://redis.internal:6379/0"
    output = "/srv/gossipcrawl/feeds/{site}/{time}.jsonl.gz"
    job_dir = "/srv/gossipcrawl/jobs/{site}"
    settings = { LOG_LEVEL = "INFO" }

    [[nodes]]
    name = "crawl-1"
    url = "http://crawl-1.internal:6800"
    username = "gossipcrawl"
    password_env = "SCRAPYD_PASSWORD"    # or password = "...", or no authentication
    max_jobs = 8                     # optional: never more running + pending jobs here

    [[sites]]
    target = "soapdirt"              # a profile name or a start URL, as for `crawl`
    every = "30m"

A round asks every node for its jobs (`listjobs.json`) and its load (`daemonstatus.json`).
A site is *due* when its last dispatch is older than its `every`; a due site is skipped
while a job of it is pending or running on any node, or when the node that ran its last job
does not answer (it may still be running there). Each due site goes to the least busy node
(fewest running + pending jobs, under its `max_jobs`) with `schedule.json`: spider `news`,
spider argument `target`, the job id `<site>.<UTC time>.<random>` (which is how later rounds
recognise the site's jobs) and settings for the feed (`FEEDS`), the state
(`GOSSIPCRAWL_STATE`) and the job directory (`GOSSIPCRAWL_JOB_DIR`). Paths are those of
the nodes; `{site}`, `{jobid}`, `{time}` (`20240710T183211Z`) and `{date}` are filled in.

What was dispatched when is kept in `state_file` (JSON, replaced atomically). The sites
share their dedupe state through Redis, so an article is emitted once whichever node
crawled it. `--once` runs one round (for cron); without it the command loops until
Ctrl-C or SIGTERM, finishing the round in progress.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import signal
import sys
import threading
import time
import tomllib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

from gossipcrawl.storage import write_text_atomically

logger = logging.getLogger(__name__)

DEFAULT_STATE_FILE = ".gossipcrawl/schedule-state.json"
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s)", re.I)
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


class ScheduleError(RuntimeError):
    """A schedule file that cannot be used: reported as one line."""


class ScrapydError(RuntimeError):
    """A Scrapyd node did not answer, or answered with an error."""


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
    key: str
    target: str
    every: float
    output: str | None
    state: str | None
    job_dir: str | None
    settings: dict = field(default_factory=dict)


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
    known = {"scheduler", "defaults", "nodes", "sites"}
    if unknown := set(data) - known:
        raise ScheduleError(f"unknown table(s) in the schedule: {', '.join(sorted(unknown))}")
    options = data.get("scheduler", {})
    defaults = data.get("defaults", {})
    nodes = [_node(entry, number) for number, entry in enumerate(data.get("nodes", []), 1)]
    if not nodes:
        raise ScheduleError("the schedule names no [[nodes]]")
    if len({node.name for node in nodes}) != len(nodes):
        raise ScheduleError("two [[nodes]] have the same name")
    sites = [_site(entry, defaults) for entry in data.get("sites", [])]
    if not sites:
        raise ScheduleError("the schedule names no [[sites]]")
    if len({site.key for site in sites}) != len(sites):
        raise ScheduleError("two [[sites]] have the same target (give one a `name`)")
    state_file = Path(options.get("state_file", DEFAULT_STATE_FILE))
    return Schedule(nodes=nodes, sites=sites,
                    interval=parse_duration(options.get("interval", "1m")),
                    state_file=state_file if state_file.is_absolute() else base / state_file,
                    project=options.get("project", "gossipcrawl"),
                    spider=options.get("spider", "news"),
                    version=options.get("version"),
                    timeout=parse_duration(options.get("timeout", "10s")))


def _node(entry: dict, number: int) -> Node:
    if "url" not in entry:
        raise ScheduleError(f"[[nodes]] number {number} has no url")
    password = entry.get("password")
    if "password_env" in entry:
        password = os.environ.get(entry["password_env"])
        if password is None:
            raise ScheduleError(f"the environment variable {entry['password_env']} (password "
                                f"of node {entry.get('name', entry['url'])}) is not set")
    max_jobs = entry.get("max_jobs")
    return Node(name=entry.get("name") or entry["url"], url=entry["url"].rstrip("/"),
                username=entry.get("username"), password=password,
                max_jobs=int(max_jobs) if max_jobs is not None else None)


def _site(entry: dict, defaults: dict) -> Site:
    if "target" not in entry:
        raise ScheduleError(f"a [[sites]] entry has no target: {entry}")
    merged = {**defaults, **entry}
    settings = {**defaults.get("settings", {}), **entry.get("settings", {})}
    for name in ("output", "job_dir"):
        value = merged.get(name)
        if value and not value.startswith("/") and "://" not in value:
            raise ScheduleError(f"{name} must be an absolute path on the nodes: {value!r}")
    return Site(key=site_key(entry.get("name") or entry["target"]), target=entry["target"],
                every=parse_duration(merged.get("every", "1h")), output=merged.get("output"),
                state=merged.get("state"), job_dir=merged.get("job_dir"),
                settings={str(k): str(v) for k, v in settings.items()})


# --- Scrapyd's HTTP API ---------------------------------------------------------------------

class ScrapydClient:
    def __init__(self, node: Node, timeout: float = 10.0):
        self.node = node
        self.timeout = timeout

    def _call(self, endpoint: str, *, query: dict | None = None,
              form: list[tuple[str, str]] | None = None) -> dict:
        url = f"{self.node.url}/{endpoint}"
        if query:
            url += "?" + urlencode(query)
        body = urlencode(form).encode() if form is not None else None
        request = Request(url, data=body, method="POST" if body is not None else "GET")
        if (auth := self.node.auth_header()) is not None:
            request.add_header("Authorization", auth)
        try:
            with urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except HTTPError as exc:
            raise ScrapydError(f"{self.node.name}: {endpoint} answered HTTP {exc.code}"
                               + (" (check the node's username and password)"
                                  if exc.code == 401 else "")) from None
        except (URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ScrapydError(f"{self.node.name}: {endpoint} failed: {reason}") from None
        if answer.get("status") != "ok":
            raise ScrapydError(f"{self.node.name}: {endpoint}: {answer.get('message', answer)}")
        return answer

    def daemon_status(self) -> dict:
        return self._call("daemonstatus.json")

    def list_jobs(self, project: str) -> dict:
        try:
            return self._call("listjobs.json", query={"project": project})
        except ScrapydError as exc:
            if "not found" in str(exc):  # the project was never deployed here: no jobs
                return {"pending": [], "running": [], "finished": []}
            raise

    def schedule(self, project: str, spider: str, *, jobid: str, args: dict[str, str],
                 settings: dict[str, str], version: str | None = None) -> str:
        form = [("project", project), ("spider", spider), ("jobid", jobid)]
        if version:
            form.append(("_version", version))
        form += [("setting", f"{name}={value}") for name, value in settings.items()]
        form += list(args.items())
        return self._call("schedule.json", form=form)["jobid"]


# --- one round ----------------------------------------------------------------------------------

@dataclass
class NodeView:
    node: Node
    client: ScrapydClient
    reachable: bool = False
    error: str | None = None
    load: int = 0
    active: dict[str, str] = field(default_factory=dict)  # job id -> "pending"/"running"

    @property
    def full(self) -> bool:
        return self.node.max_jobs is not None and self.load >= self.node.max_jobs


@dataclass
class Decision:
    site: str
    action: str              # dispatched, running, not-due, unknown, no-node, failed
    node: str | None = None
    jobid: str | None = None
    detail: str = ""

    def line(self) -> str:
        where = f" on {self.node}" if self.node else ""
        job = f" (job {self.jobid})" if self.jobid else ""
        return f"{self.site}: {self.action}{where}{job}" + (f": {self.detail}" if self.detail
                                                            else "")


def job_site(jobid: str) -> str | None:
    """The site key of a job this scheduler started (`<site>.<time>.<random>`)."""
    parts = jobid.rsplit(".", 2)
    return parts[0] if len(parts) == 3 else None


class Dispatcher:
    def __init__(self, schedule: Schedule, *, clock=time.time, client_factory=ScrapydClient):
        self.schedule = schedule
        self.clock = clock
        self.client_factory = client_factory

    # --- local record of dispatches -------------------------------------------------------

    def load_state(self) -> dict:
        try:
            data = json.loads(self.schedule.state_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"sites": {}}
        except (OSError, ValueError) as exc:
            raise ScheduleError(f"unreadable schedule state {self.schedule.state_file}: "
                                f"{exc}") from None
        data.setdefault("sites", {})
        return data

    def save_state(self, data: dict) -> None:
        write_text_atomically(self.schedule.state_file,
                              json.dumps(data, indent=2, sort_keys=True) + "\n")

    # --- the nodes ------------------------------------------------------------------------

    def survey(self) -> list[NodeView]:
        views = []
        for node in self.schedule.nodes:
            view = NodeView(node, self.client_factory(node, self.schedule.timeout))
            try:
                status = view.client.daemon_status()
                jobs = view.client.list_jobs(self.schedule.project)
            except ScrapydError as exc:
                view.error = str(exc)
                logger.warning("node unreachable: %s", exc)
            else:
                view.reachable = True
                view.load = int(status.get("running", 0)) + int(status.get("pending", 0))
                for kind in ("pending", "running"):
                    for job in jobs.get(kind, []):
                        view.active[job["id"]] = kind
            views.append(view)
        return views

    # --- the round --------------------------------------------------------------------------

    def run_round(self, *, dry_run: bool = False) -> list[Decision]:
        now = self.clock()
        state = self.load_state()
        records = state["sites"]
        views = self.survey()
        by_name = {view.node.name: view for view in views}
        active_sites: dict[str, tuple[str, str, str]] = {}
        for view in views:
            for jobid, kind in view.active.items():
                key = job_site(jobid)
                if key is not None:
                    active_sites[key] = (view.node.name, jobid, kind)
        decisions = []
        for site in self.schedule.sites:
            record = records.get(site.key, {})
            if site.key in active_sites:
                node, jobid, kind = active_sites[site.key]
                decisions.append(Decision(site.key, "running", node, jobid, f"still {kind}"))
                continue
            last_node = by_name.get(record.get("node"))
            if last_node is not None and not last_node.reachable \
                    and not record.get("finished"):
                decisions.append(Decision(
                    site.key, "unknown", last_node.node.name, record.get("jobid"),
                    "the node of its last job does not answer; not started elsewhere"))
                continue
            if record and not record.get("finished"):
                record["finished"] = True  # no longer pending or running anywhere
            due_at = record.get("dispatchedAt", 0) + site.every
            if now < due_at:
                decisions.append(Decision(site.key, "not-due", detail="next at "
                                          + _iso(due_at)))
                continue
            decisions.append(self._dispatch(site, views, records, now, dry_run))
        if not dry_run:
            self.save_state(state)
        return decisions

    def _dispatch(self, site: Site, views: list[NodeView], records: dict, now: float,
                  dry_run: bool) -> Decision:
        candidates = sorted((view for view in views if view.reachable and not view.full),
                            key=lambda view: view.load)  # stable: file order breaks ties
        if not candidates:
            return Decision(site.key, "no-node", detail="every node is unreachable or full")
        jobid = f"{site.key}.{_stamp(now)}.{uuid.uuid4().hex[:6]}"
        settings = self.job_settings(site, jobid, now)
        errors = []
        for view in candidates:
            if dry_run:
                return Decision(site.key, "would-dispatch", view.node.name, jobid)
            try:
                view.client.schedule(self.schedule.project, self.schedule.spider,
                                     jobid=jobid, args={"target": site.target},
                                     settings=settings, version=self.schedule.version)
            except ScrapydError as exc:
                errors.append(str(exc))
                logger.warning("dispatch failed: %s", exc)
                continue
            view.load += 1
            view.active[jobid] = "pending"
            records[site.key] = {"node": view.node.name, "jobid": jobid,
                                 "dispatchedAt": now, "finished": False}
            return Decision(site.key, "dispatched", view.node.name, jobid)
        return Decision(site.key, "failed", detail="; ".join(errors))

    def job_settings(self, site: Site, jobid: str, now: float) -> dict[str, str]:
        def fill(pattern: str) -> str:
            return pattern.format(site=site.key, jobid=jobid, time=_stamp(now),
                                  date=_stamp(now)[:8])

        settings = dict(site.settings)
        if site.output:
            settings["FEEDS"] = json.dumps(feed_entry(fill(site.output)))
        if site.state:
            settings["GOSSIPCRAWL_STATE"] = site.state
        if site.job_dir:
            settings["GOSSIPCRAWL_JOB_DIR"] = fill(site.job_dir)
        return settings


def feed_entry(out: str) -> dict:
    """The FEEDS setting for an output path on a node (not resolved on this machine)."""
    options: dict = {"format": "jsonlines", "encoding": "utf-8", "store_empty": True,
                     "overwrite": True}
    if out.endswith(".gz"):
        options["postprocessing"] = ["scrapy.extensions.postprocessing.GzipPlugin"]
        options["gzip_mtime"] = 0
    uri = out if "://" in out else "file://" + quote(out)
    return {uri: options}


def _stamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the command ------------------------------------------------------------------------------

def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="the schedule (TOML): nodes and sites")
    parser.add_argument("--once", action="store_true",
                        help="one round, then exit (for cron); default: loop until stopped")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would be dispatched, dispatch nothing")


def run(args) -> int:
    schedule = load_schedule(args.file)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s",
                        stream=sys.stderr)
    dispatcher = Dispatcher(schedule)
    if args.once or args.dry_run:
        return _report(dispatcher.run_round(dry_run=args.dry_run))
    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"gossipcrawl schedule: {len(schedule.sites)} sites, {len(schedule.nodes)} "
              f"nodes, a round every {schedule.interval:g}s; Ctrl-C stops", file=sys.stderr)
        while not stop.is_set():
            try:
                _report(dispatcher.run_round())
            except ScheduleError as exc:
                print(f"gossipcrawl schedule: error: {exc}", file=sys.stderr)
            stop.wait(schedule.interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("gossipcrawl schedule: stopped", file=sys.stderr)
    return 0


def _report(decisions: list[Decision]) -> int:
    for decision in decisions:
        print(decision.line(), flush=True)
    return 1 if any(d.action in ("failed", "no-node") for d in decisions) else 0
