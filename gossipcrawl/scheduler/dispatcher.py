"""One round of the scheduler: survey the nodes, read back how each site's last job ended,
decide which sites are due, dispatch each to the least busy node."""

from __future__ import annotations

import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from gossipcrawl.extensions.outcome import OK, OUTCOME_LINE, PAUSED
from gossipcrawl.feeds.uris import feed_settings
from gossipcrawl.scheduler import ScheduleError
from gossipcrawl.scheduler.config import Node, Schedule, Site
from gossipcrawl.scheduler.scrapyd import ScrapydClient, ScrapydError
from gossipcrawl.utils.fs import write_text_atomically

logger = logging.getLogger(__name__)


@dataclass
class NodeView:
    node: Node
    client: ScrapydClient
    reachable: bool = False
    error: str | None = None
    load: int = 0
    active: dict[str, str] = field(default_factory=dict)  # job id -> "pending"/"running"
    finished: dict[str, dict] = field(default_factory=dict)  # job id -> listjobs entry

    @property
    def full(self) -> bool:
        return self.node.max_jobs is not None and self.load >= self.node.max_jobs


# Actions that make `schedule --once` exit non-zero: the site's last crawl failed (or its
# outcome was lost), or a due site could not be dispatched.
FAILURES = ("crawl-failed", "no-node", "failed")


@dataclass
class Decision:
    site: str
    action: str              # dispatched, running, not-due, unknown, no-node, failed;
                             # finished, paused, crawl-failed (the last job's outcome)
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
                for job in jobs.get("finished", []):
                    view.finished[job["id"]] = job
            views.append(view)
        return views

    # --- how a finished job ended -----------------------------------------------------------

    def job_outcome(self, view: NodeView, jobid: str) -> dict:
        """The outcome of a job that is no longer pending or running: the outcome line its
        crawl logged last (`gossipcrawl.extensions.outcome`), read from the job's log on
        its node; a job without one died before its crawl could end (the log's last error
        says why)."""
        job = view.finished.get(jobid)
        if job is None:
            return {"kind": "lost", "detail": f"{view.node.name} no longer lists the job "
                                              "(Scrapyd restarted?): its outcome is unknown"}
        log_url = job.get("log_url")
        if not log_url:
            return {"kind": "unknown", "detail": "the node keeps no job logs (logs_dir)"}
        try:
            tail = view.client.log_tail(log_url)
        except ScrapydError as exc:
            return {"kind": "unknown", "detail": str(exc), "log": log_url}
        return {**outcome_from_log(tail), "log": log_url}

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
                # No longer pending or running anywhere: how did it end?
                record["finished"] = True
                if last_node is not None:
                    outcome = self.job_outcome(last_node, record["jobid"])
                    record["outcome"] = {**outcome, "readAt": _iso(now)}
                    decisions.append(outcome_decision(site.key, record))
            due_at = record.get("dispatchedAt", 0) + site.every
            if now < due_at:
                last = record.get("outcome", {}).get("kind", OK)
                decisions.append(Decision(site.key, "not-due", detail="next at "
                                          + _iso(due_at)
                                          + (f"; its last crawl: {last}" if last != OK else "")))
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
                                     jobid=jobid, args=spider_arguments(site),
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
            # A group's sites each fill `{site}` of its output in the job (Scrapy's
            # `%(site)s`); its job directory is the group's.
            return pattern.format(site="%(site)s" if site.group and pattern is site.output
                                  else site.key, jobid=jobid, time=_stamp(now),
                                  date=_stamp(now)[:8])

        settings = dict(site.settings)
        if site.output:
            # Output paths are the nodes' (absolute, checked at load): not resolved here.
            settings["FEEDS"] = json.dumps(feed_settings(fill(site.output)))
        if site.state:
            settings["GOSSIPCRAWL_STATE"] = site.state
        if site.job_dir:
            settings["GOSSIPCRAWL_JOB_DIR"] = fill(site.job_dir)
        return settings


def spider_arguments(site: Site) -> dict[str, str]:
    """The news spider's arguments for a job: `target`, or a group's `targets` (separated
    by spaces: `scrapy crawl news -a targets=...` crawls them in one process)."""
    if site.group:
        return {"targets": " ".join(site.group)}
    return {"target": site.target}


def outcome_from_log(tail: str) -> dict:
    """{"kind", "detail"} from the end of a job's log: its last outcome line, else (the
    crawl never ended: a bad target or setting, a crash, a kill) the last error line."""
    lines = tail.splitlines()
    for line in reversed(lines):
        match = OUTCOME_LINE.search(line)
        if match:
            return {"kind": match["kind"], "detail": match["detail"] or ""}
    for line in reversed(lines):
        if " ERROR: " in line or line.startswith(("Traceback", "ERROR")) or "Error: " in line:
            return {"kind": "died", "detail": line.split(" ERROR: ", 1)[-1].strip()}
    return {"kind": "died", "detail": "the job ended without an outcome line"
                                      + (" (its log is empty)" if not tail.strip() else "")}


def outcome_decision(site: str, record: dict) -> Decision:
    outcome = record["outcome"]
    kind = outcome["kind"]
    action = "finished" if kind == OK else "paused" if kind == PAUSED else "crawl-failed"
    detail = kind + (f": {outcome['detail']}" if outcome.get("detail") else "")
    if action == "crawl-failed" and outcome.get("log"):
        detail += f" (log: {outcome['log']})"
    return Decision(site, action, record.get("node"), record.get("jobid"), detail)


def _stamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
