"""Fault injection for the exactly-once promise (issue #13).

A *scenario* is a sequence of crawls of one loopback site (`sites.newsroom.Newsroom`) against
one state (a SQLite file or a Redis that the harness runs with persistence), through the
real command (`python -m gossipcrawl crawl URL -o OUT --state STATE [--job-dir DIR]`) in
subprocesses. Between some crawls the site's articles are edited and new ones added; into
some crawls a fault is injected at a random point; the scenario always ends with clean
crawls until one delivers nothing new (a job is resumed by the same command until it is
finished). Then the scenario is judged from what it delivered and from the site's request
log, never from what the crawler says about itself:

- every article: the revisions delivered across all the scenario's feeds are 1..k, each
  once, each with new content, in the order the site published its versions, and the
  newest is the site's current version (nothing lost, nothing doubled);
- the state remembers exactly the newest delivered (revision, contentHash) of each article;
- no request for a robots.txt-disallowed (`/private/`) or offsite URL;
- no `.*.tmp` file left anywhere in the scenario's directories;
- each crawl's exit status is one the documentation allows for the fault injected into it,
  and no crawl printed a traceback.

Delivered feeds are taken away after every crawl (as a downstream consumer would), so a
crawl that writes the same OUT again never hides what an earlier one delivered.

Faults (`FAULTS`): SIGINT (also twice, a forced stop) and SIGKILL at random points (a time,
a number of requests the site has served, the moment the feed's temporary file appears,
the moment the delivered feed appears), a full disk (a 1 MiB tmpfs, root only), the output
directory removed or made read-only mid-crawl, Redis stopped (or killed) and restarted
mid-crawl, the SQLite file locked by another process (`BEGIN EXCLUSIVE`) for a few seconds
or for longer than the store's 30 s busy timeout. Each crawl also gets a random discovery
order: the site delays its sitemap, listing or feed, and answers with random jitter.

`run_scenario(env, spec)` runs one scenario; `random_scenarios(rng, count)` draws specs;
`covering_scenarios()` is a small fixed set that injects every fault kind at least once.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sites.newsroom import Newsroom

PYTHON = sys.executable
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "GOSSIPCRAWL_JOB_SYNC_INTERVAL=0.2", "-s", "LOG_LEVEL=INFO"]
CRAWL_TIMEOUT = 240.0

KILLS = ("sigint", "sigint2", "sigkill")
FAULTS = (*KILLS, "disk_full", "out_vanish", "out_readonly", "redis_restart", "redis_kill",
          "sqlite_lock", "sqlite_lock_long")
NEEDS_SMALL_DISK = {"disk_full"}
NEEDS_REDIS = {"redis_restart", "redis_kill"}
NEEDS_SQLITE = {"sqlite_lock", "sqlite_lock_long"}

# Exit statuses the documentation allows for a crawl, by the fault injected into it
# (README "Exit status"): 0 done, 1 ended early (Ctrl-C without a job), 2 refused before
# anything ran (an unwritable OUT, an unreachable Redis: the start-up checks), 3 the feed or the state
# could not be stored, 5 a job paused, 130 interrupted before the crawl started, -2/-9 the
# process ended by the signal itself (a SIGINT before Python installed its handler). A fault that lands after the crawl's work is done
# may leave it with 0.
ALLOWED = {
    None: {0},
    "sigint": {0, 1, 130, -2},
    "sigint2": {0, 1, 130, -2},
    "sigkill": {0, -9},
    "disk_full": {0, 3},
    "out_vanish": {0, 3},
    "out_readonly": {0, 2, 3},
    "redis_restart": {0, 2, 3},
    "redis_kill": {0, 2, 3},
    "sqlite_lock": {0, 3},
    "sqlite_lock_long": {0, 3},
}
ALLOWED_IN_JOB = {**ALLOWED, "sigint": {0, 5, 130, -2}, "sigint2": {0, 5, 130, -2}}

# Discovery orders: which kind of page the site answers late.
ORDERS = {
    "listing before sitemap": {"sitemap": 1.0},
    "sitemap before listing": {"listing": 1.0},
    "feed before sitemap": {"sitemap": 1.0, "listing": 1.0},
    "sitemap slow": {"sitemap": 2.5},
    "no delays": {},
}


# --- the environment: a Redis with persistence, a small disk ---------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server on 127.0.0.1 as an operator would run a state store: append-only file,
    fsynced at every write. `stop()` / `start()` keep its port and data directory."""

    def __init__(self, directory: Path):
        self.executable = shutil.which("redis-server")
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.executable is not None

    def url(self, prefix: str) -> str:
        return f"redis://127.0.0.1:{self.port}/0?prefix={prefix}"

    def start(self) -> None:
        with self._lock:
            if self.process is not None and self.process.poll() is None:
                return
            with open(self.directory / "redis.log", "ab") as log:
                self.process = subprocess.Popen(
                    [self.executable, "--port", str(self.port), "--bind", "127.0.0.1",
                     "--dir", str(self.directory), "--appendonly", "yes",
                     "--appendfsync", "always", "--save", ""],
                    stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start: "
                                   + (self.directory / "redis.log").read_text()[-2000:])
            time.sleep(0.05)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self, *, kill: bool = False) -> None:
        with self._lock:
            if self.process is None or self.process.poll() is not None:
                return
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def articles(self, prefix: str) -> dict[str, tuple[str, int]]:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port)
        try:
            raw = client.hgetall(f"{prefix}:articles")
        finally:
            client.close()
        return {key.hex(): (value[:16].hex(), int.from_bytes(value[16:20], "big"))
                for key, value in raw.items()}


class SmallDisk:
    """A 1 MiB tmpfs (root only): `fill(leave)` leaves that many bytes free, `free()` gives
    the space back."""

    def __init__(self, path: Path):
        self.path = path
        self.mounted = False
        self.reason = ""
        if os.geteuid() != 0:
            self.reason = "mounting a small tmpfs needs root"
            return
        path.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(path)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            self.reason = f"cannot mount a tmpfs: {result.stderr.strip()}"
            return
        self.mounted = True

    @property
    def filler(self) -> Path:
        return self.path / "filler"

    def fill(self, leave: int) -> None:
        self.free()
        stat = os.statvfs(self.path)
        size = max(0, stat.f_bavail * stat.f_frsize - leave)
        with open(self.filler, "wb") as handle:
            try:
                handle.write(b"\0" * size)
            except OSError:
                pass

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False)
            self.mounted = False


@dataclass
class Environment:
    root: Path
    redis: RedisServer | None = None
    small_disk: SmallDisk | None = None

    @classmethod
    def create(cls, root: Path, *, redis: bool = True, small_disk: bool = True):
        root.mkdir(parents=True, exist_ok=True)
        env = cls(root)
        if redis:
            server = RedisServer(root / "redis")
            if server.available:
                server.start()
                env.redis = server
        if small_disk:
            env.small_disk = SmallDisk(root / "small")
        return env

    def close(self) -> None:
        if self.redis is not None:
            self.redis.stop()
        if self.small_disk is not None:
            self.small_disk.unmount()

    def skipped(self, fault: str) -> str | None:
        """Why this environment cannot inject the fault, or None."""
        if fault in NEEDS_REDIS and self.redis is None:
            return "redis-server is not installed"
        if fault in NEEDS_SMALL_DISK and not (self.small_disk and self.small_disk.mounted):
            return self.small_disk.reason if self.small_disk else "no small disk"
        return None


# --- scenarios --------------------------------------------------------------------------------

@dataclass
class ScenarioSpec:
    number: int
    seed: int
    faults: list[str]
    state: str = "sqlite"            # "sqlite" or "redis"
    job: bool = False                # --job-dir
    articles: int = 20
    per_page: int = 5
    gzip: bool = False
    same_out: bool = False           # every crawl (every job) writes the same OUT name
    on_small_disk: bool = False      # OUT (and maybe the job and the state) on the tmpfs
    job_on_small_disk: bool = False
    state_on_small_disk: bool = False
    early: bool = False              # faults drawn in the first half of a crawl

    def describe(self) -> str:
        where = "small disk" if self.on_small_disk else "disk"
        return (f"#{self.number} {self.state}{' job' if self.job else ''} "
                f"{self.articles} articles, {'gz' if self.gzip else 'jsonl'} on {where}: "
                + ", ".join(self.faults))


def random_scenarios(rng: random.Random, count: int, env: Environment,
                     *, long_lock: bool = True) -> list[ScenarioSpec]:
    """`count` scenarios: every fault kind the environment can inject appears, twice when
    there are enough scenarios (the long SQLite lock once, when `long_lock`), beside 2-3
    kills (SIGINT, SIGKILL) in each scenario."""
    kinds = [fault for fault in FAULTS if env.skipped(fault) is None]
    others = [fault for fault in kinds if fault not in KILLS and fault != "sqlite_lock_long"]
    pool = others * (2 if count >= len(others) else 1)
    if long_lock and "sqlite_lock_long" in kinds:
        pool.insert(0, "sqlite_lock_long")
    rng.shuffle(pool)
    slots: list[list[str]] = [[] for _ in range(count)]
    for index, fault in enumerate(pool):
        for attempt in range(count):
            slot = slots[(index + attempt) % count]
            kinds_here = set(slot) | {fault}
            if len(slot) < 2 and not (kinds_here & NEEDS_REDIS and kinds_here & NEEDS_SQLITE):
                slot.append(fault)
                break
    specs = []
    for number, slot in enumerate(slots, start=1):
        faults = slot + [rng.choice(("sigint", "sigkill", "sigkill", "sigint2"))
                         for _ in range(rng.randint(2, 3))]
        rng.shuffle(faults)
        specs.append(_spec_for(rng, number, faults))
    return specs


def _spec_for(rng: random.Random, number: int, faults: list[str], **fixed) -> ScenarioSpec:
    kinds = set(faults)
    if kinds & NEEDS_REDIS and kinds & NEEDS_SQLITE:
        # One state per scenario: the SQLite lock goes to the next scenario's kind.
        faults = [fault for fault in faults if fault not in NEEDS_SQLITE]
        kinds = set(faults)
    state = ("redis" if kinds & NEEDS_REDIS else "sqlite" if kinds & NEEDS_SQLITE
             else rng.choice(("sqlite", "redis")))
    on_small = bool(kinds & NEEDS_SMALL_DISK)
    spec = ScenarioSpec(
        number=number, seed=rng.randrange(1 << 30), faults=faults, state=state,
        job=rng.random() < 0.5, articles=rng.randint(12, 36), per_page=rng.choice((4, 6, 10)),
        gzip=rng.random() < 0.25, same_out=rng.random() < 0.3, on_small_disk=on_small,
        job_on_small_disk=on_small and rng.random() < 0.5,
        state_on_small_disk=on_small and state == "sqlite" and rng.random() < 0.3)
    for name, value in fixed.items():
        setattr(spec, name, value)
    return spec


def covering_scenarios(seed: int = 13) -> list[ScenarioSpec]:
    """A few scenarios that inject every fault kind once (the long SQLite lock excepted),
    with and without a job, on both stores: the test suite's subset."""
    rng = random.Random(seed)
    specs = [
        _spec_for(rng, 1, ["sigkill", "sigint", "sigkill"], job=True, state="sqlite",
                  articles=16),
        _spec_for(rng, 2, ["sigkill", "sigint2", "redis_restart", "sigkill"], job=False,
                  state="redis", articles=16),
        _spec_for(rng, 3, ["disk_full", "sigkill", "out_vanish"], job=False, state="sqlite",
                  articles=16, same_out=False),
        _spec_for(rng, 4, ["redis_kill", "sigint", "out_readonly"], job=True, state="redis",
                  articles=14),
        _spec_for(rng, 5, ["sqlite_lock", "disk_full", "sigkill"], job=True, state="sqlite",
                  articles=14),
    ]
    for spec in specs:
        spec.early = True
    return specs


# --- one crawl --------------------------------------------------------------------------------

@dataclass
class CrawlRecord:
    scenario: int
    index: int
    fault: str | None
    order: str
    job: bool
    out: str
    returncode: int | None = None
    allowed: set = field(default_factory=set)
    injected: bool = False
    point: str = ""          # where the fault landed: signal and crawl progress
    seconds: float = 0.0
    traceback: bool = False
    hung: bool = False
    log: str = ""
    delivered: int = 0       # items in the feed this crawl delivered
    resumed: bool = False    # it went on with an earlier run's job

    @property
    def unexpected(self) -> bool:
        return self.hung or self.returncode not in self.allowed


@dataclass
class ScenarioResult:
    spec: ScenarioSpec
    crawls: list[CrawlRecord] = field(default_factory=list)
    articles: int = 0
    delivered: int = 0
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    out_of_order: list[str] = field(default_factory=list)
    torn: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    temporaries: list[str] = field(default_factory=list)
    state_mismatches: list[str] = field(default_factory=list)
    not_converged: bool = False
    skipped: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def unexpected_exits(self) -> list[CrawlRecord]:
        return [crawl for crawl in self.crawls if crawl.unexpected]

    @property
    def tracebacks(self) -> list[CrawlRecord]:
        return [crawl for crawl in self.crawls if crawl.traceback]

    def problems(self) -> list[str]:
        found = []
        for name in ("lost", "doubled", "gaps", "out_of_order", "torn", "forbidden",
                     "temporaries", "state_mismatches"):
            for detail in getattr(self, name):
                found.append(f"{name}: {detail}")
        for crawl in self.unexpected_exits:
            found.append(f"crawl {crawl.index} ({crawl.fault or 'clean'}"
                         f"{' ' + crawl.point if crawl.point else ''}) exited "
                         f"{'(hung)' if crawl.hung else crawl.returncode}, allowed "
                         f"{sorted(crawl.allowed)}; log {crawl.log}")
        for crawl in self.tracebacks:
            found.append(f"crawl {crawl.index} printed a traceback; log {crawl.log}")
        if self.not_converged:
            found.append("not converged: clean crawls kept delivering")
        if self.error:
            found.append(f"harness error: {self.error}")
        return found


class Scenario:
    """Runs one ScenarioSpec (see the module docstring)."""

    def __init__(self, env: Environment, spec: ScenarioSpec):
        self.env = env
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.dir = env.root / f"s{spec.number:02d}"
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        small = env.small_disk.path / f"s{spec.number:02d}" if spec.on_small_disk else None
        self.out_dir = (small / "out") if small else self.dir / "out"
        self.job_dir = ((small / "job") if small and spec.job_on_small_disk
                        else self.dir / "job")
        state_dir = (small / "state") if small and spec.state_on_small_disk else self.dir
        self.state_path = state_dir / "state.sqlite3"
        self.prefix = f"s{spec.number:02d}x{spec.seed}"
        self.state = (env.redis.url(self.prefix) if spec.state == "redis"
                      else str(self.state_path))
        self.scan_dirs = [self.dir] + ([small] if small else [])
        self.delivered_dir = self.dir / "delivered"
        self.delivered_dir.mkdir()
        self.result = ScenarioResult(spec)
        self.site: Newsroom | None = None
        self.job_out: str | None = None   # OUT of the job in progress
        self.outs = 0
        self.expected_seconds = 4.0
        self.expected_requests = spec.articles + 10

    # --- the plan ---------------------------------------------------------------------

    def run(self) -> ScenarioResult:
        spec = self.spec
        for directory in (self.out_dir, self.job_dir.parent, self.state_path.parent):
            directory.mkdir(parents=True, exist_ok=True)
        with Newsroom(articles=spec.articles, per_page=spec.per_page,
                      jitter=self.rng.choice((0.0, 0.02, 0.08)), seed=spec.seed) as site:
            self.site = site
            try:
                self._crawl(None)   # the first crawl: everything is new
                for fault in spec.faults:
                    if self.rng.random() < 0.7:
                        self._change_site()
                    skipped = self.env.skipped(fault)
                    if skipped:
                        self.result.skipped.append(f"{fault}: {skipped}")
                        continue
                    self._crawl(fault)
                if self.rng.random() < 0.7:
                    self._change_site()
                self._converge()
            except Exception as exc:
                import traceback

                self.result.error = f"{type(exc).__name__}: {exc}"
                traceback.print_exc()
            finally:
                if self.env.small_disk is not None:
                    self.env.small_disk.free()
                self._judge()
        return self.result

    def _change_site(self) -> None:
        site = self.site
        for number in self.rng.sample(sorted(site.versions), k=self.rng.randint(1, 3)):
            site.edit(number)
        for _ in range(self.rng.choice((0, 0, 1, 2))):
            site.add()

    def _converge(self) -> None:
        """Clean crawls until a finished one delivers nothing (a job resumed until it is
        finished). A resumed job goes on with the discovery of its first run (its sitemaps
        and listings are done): what the site changed since then is the next job's, so only
        a crawl that started afresh and found nothing ends the scenario."""
        for _ in range(6):
            record = self._crawl(None)
            finished = record.returncode == 0 and self.job_out is None and not record.resumed
            if finished and record.delivered == 0:
                return
        self.result.not_converged = True

    # --- one crawl ----------------------------------------------------------------------

    def _next_out(self) -> str:
        if self.job_out is not None:
            return self.job_out
        self.outs += 1
        suffix = ".jsonl.gz" if self.spec.gzip else ".jsonl"
        name = "feed" if self.spec.same_out else f"feed-{self.outs:02d}"
        out = str(self.out_dir / f"{name}{suffix}")
        if self.spec.job:
            self.job_out = out
        return out

    def _crawl(self, fault: str | None) -> CrawlRecord:
        spec, site = self.spec, self.site
        order = self.rng.choice(sorted(ORDERS))
        site.delays = dict(ORDERS[order])
        site.delays["article"] = self.rng.choice((0.0, 0.05, 0.15, 0.3))
        out = self._next_out()
        index = len(self.result.crawls) + 1
        record = CrawlRecord(spec.number, index, fault, order, spec.job, Path(out).name)
        self.result.crawls.append(record)
        concurrency = self.rng.choice((1, 2, 4, 8))
        command = [PYTHON, "-m", "gossipcrawl", "crawl", site.base_url + "/", "-o", out,
                   "--state", self.state, *FAST,
                   "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}"]
        if spec.job:
            command += ["--job-dir", str(self.job_dir)]
        log_path = self.dir / f"crawl-{index:02d}.log"
        record.log = str(log_path)
        injector = Injector(self, fault, record) if fault else None
        if injector:
            injector.before()
        served_before = len(site.log)
        started = time.monotonic()
        with open(log_path, "wb") as log:
            log.write((" ".join(command) + f"\n# fault {fault}, order {order}\n").encode())
            log.flush()
            process = subprocess.Popen(command, cwd=self.dir, stdout=log,
                                       stderr=subprocess.STDOUT)
            try:
                if injector:
                    injector.during(process, served_before, started)
                process.wait(timeout=max(1.0, CRAWL_TIMEOUT - (time.monotonic() - started)))
            except subprocess.TimeoutExpired:
                record.hung = True
                process.kill()
                process.wait()
            finally:
                if injector:
                    injector.after()
        record.seconds = time.monotonic() - started
        record.returncode = process.returncode
        text = log_path.read_text(errors="replace")
        record.traceback = _traceback(text, fault)
        record.resumed = "gossipcrawl: resumed job (run " in text   # the summary line
        record.allowed = (ALLOWED_IN_JOB if spec.job else ALLOWED)[fault]
        if record.returncode == 0:
            # What the next crawl's fault is drawn against: this crawl's length.
            self.expected_seconds = max(2.0, record.seconds)
            self.expected_requests = max(3, len(site.log) - served_before)
        if self.job_out is not None and self._job_finished():
            self.job_out = None
        record.delivered = self._collect(index)
        return record

    def _job_finished(self) -> bool:
        try:
            info = json.loads((self.job_dir / "job.json").read_text())
        except (OSError, ValueError):
            return False
        return info.get("status") == "finished"

    def _collect(self, index: int) -> int:
        """Take the delivered feeds away (a downstream consumer), and the crawl reports."""
        count = 0
        if not self.out_dir.exists():
            return 0
        for path in sorted(self.out_dir.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            if path.name.endswith((".jsonl", ".jsonl.gz")):
                target = self.delivered_dir / f"{index:02d}-{path.name}"
                shutil.move(path, target)
                count += len(read_feed(target)[0])
            elif ".report." in path.name:
                path.unlink()
        return count

    # --- the verdict ------------------------------------------------------------------------

    def _judge(self) -> None:
        result, site = self.result, self.site
        deliveries: dict[int, list[tuple[int, str, int, str, str]]] = {}
        for path in sorted(self.delivered_dir.iterdir()):
            items, torn = read_feed(path)
            result.torn.extend(f"{path.name}: {line[:80]!r}" for line in torn)
            for item in items:
                number = int(item["url"].rstrip("/").rsplit("-", 1)[-1])
                deliveries.setdefault(number, []).append(
                    (int(item["revision"]), item["contentHash"], version_of(item), item["id"],
                     path.name))
                result.delivered += 1
        result.articles = len(site.versions)
        newest: dict[str, tuple[str, int]] = {}
        for number, current in sorted(site.versions.items()):
            got = sorted(deliveries.get(number, []))
            if not got:
                result.lost.append(f"story {number} never delivered")
                continue
            revisions = [revision for revision, *_ in got]
            hashes = Counter(content for _, content, *_ in got)
            repeated = [revision for revision, n in Counter(revisions).items() if n > 1]
            if repeated or any(n > 1 for n in hashes.values()):
                result.doubled.append(
                    f"story {number}: " + "; ".join(f"rev {r} v{v} in {name}"
                                                    for r, _, v, _, name in got))
            if sorted(set(revisions)) != list(range(1, max(revisions) + 1)):
                result.gaps.append(f"story {number}: revisions {revisions}")
            versions = [version for _, _, version, *_ in got]
            if versions != sorted(versions):
                result.out_of_order.append(f"story {number}: versions by revision {versions}")
            last = got[-1]
            if last[2] != current:
                result.lost.append(f"story {number}: site has version {current}, newest "
                                   f"delivered is version {last[2]} (rev {last[0]})")
            newest[last[3]] = (last[1], last[0])
        result.forbidden = site.forbidden_fetches()
        for directory in self.scan_dirs:
            result.temporaries.extend(str(path) for path in directory.rglob(".*.tmp"))
        try:
            state = self._state_articles()
        except Exception as exc:
            result.state_mismatches.append(f"cannot read the state: {exc}")
            return
        for article_id in sorted(set(state) | set(newest)):
            if state.get(article_id) != newest.get(article_id):
                result.state_mismatches.append(
                    f"{article_id[:10]}: state {state.get(article_id)}, delivered "
                    f"{newest.get(article_id)}")

    def _state_articles(self) -> dict[str, tuple[str, int]]:
        if self.spec.state == "redis":
            return self.env.redis.articles(self.prefix)
        db = sqlite3.connect(self.state_path)
        try:
            return {key.hex(): (digest.hex(), revision) for key, digest, revision in
                    db.execute("SELECT id, hash, revision FROM articles")}
        finally:
            db.close()


def _traceback(log: str, fault: str | None) -> bool:
    """True when the crawl printed a traceback - except Python's own KeyboardInterrupt
    when a SIGINT came while the interpreter was still starting (no gossipcrawl frame)."""
    marker = "Traceback (most recent call last)"
    if marker not in log:
        return False
    if fault in ("sigint", "sigint2"):
        tail = log[log.rindex(marker):]
        if tail.rstrip().endswith("KeyboardInterrupt") and "gossipcrawl/" not in tail:
            return log.count(marker) > 1
    return True


def read_feed(path: Path) -> tuple[list[dict], list[str]]:
    """The items of a delivered feed, and its lines that are not JSON (a torn file)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    items, torn = [], []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except ValueError:
                torn.append(line)
    return items, torn


def version_of(item: dict) -> int:
    """The site's version of an article, from the text the site wrote into it."""
    text = item.get("articleBody") or ""
    marker = "Version "
    start = text.find(marker)
    if start < 0:
        return 0
    return int(text[start + len(marker):].split(" ", 1)[0])


# --- injecting a fault into a running crawl ---------------------------------------------------

LOCKER = textwrap.dedent("""
    import sqlite3, sys, time
    db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
    db.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    db.execute("COMMIT")
""")


class Injector:
    """One fault for one crawl: prepared before it starts, fired at a random point while it
    runs, undone after it ends."""

    def __init__(self, scenario: Scenario, fault: str, record: CrawlRecord):
        self.scenario = scenario
        self.fault = fault
        self.record = record
        self.rng = scenario.rng
        self.threads: list[threading.Thread] = []
        self.undo: list = []
        self.trigger = self._draw_trigger()

    def _draw_trigger(self) -> tuple[str, float]:
        scenario = self.scenario
        choices = ["time", "served", "served"]
        if self.fault in KILLS or self.fault == "out_vanish":
            choices.append("temp")
        if self.fault in ("sigkill", "sigint"):
            choices.append("published")
        kind = self.rng.choice(choices)
        # Kills anywhere (and past the end); other faults (and every fault of the test
        # suite's scenarios) in the first half of the crawl, so that they are injected.
        reach = 1.1 if self.fault in KILLS and not scenario.spec.early else 0.5
        if kind == "time":
            return kind, round(self.rng.uniform(0.0, reach * scenario.expected_seconds), 2)
        if kind == "served":
            return kind, self.rng.randint(0, int(reach * scenario.expected_requests))
        return kind, 0

    def before(self) -> None:
        disk = self.scenario.env.small_disk
        if self.fault == "disk_full":
            # From no room at all to about one feed's worth: the write fails somewhere.
            leave = self.rng.choice((0, 4096, 16384, 65536,
                                     self.rng.randint(0, 3000 * self.scenario.spec.articles)))
            disk.fill(leave)
            self.record.injected = True
            self.record.point = f"disk full, {leave} bytes free"
            self.undo.append(disk.free)

    def during(self, process: subprocess.Popen, served_before: int, started: float) -> None:
        """Wait for the trigger (or the end of the crawl), then fire."""
        if self.fault == "disk_full":
            return
        site, scenario = self.scenario.site, self.scenario
        kind, value = self.trigger
        poll = 0.001 if kind in ("published", "temp") else 0.005
        out = Path(self.record.out)
        while process.poll() is None:
            if kind == "time" and time.monotonic() - started >= value:
                break
            if kind == "served" and len(site.log) - served_before >= value:
                break
            if kind == "temp" and any(scenario.out_dir.glob(f".*.{process.pid}.*.tmp")):
                break
            if kind == "published" and (scenario.out_dir / out).exists():
                break
            if time.monotonic() - started > CRAWL_TIMEOUT:
                return
            time.sleep(poll)
        if process.poll() is not None:
            self.record.point = f"not injected: the crawl ended first ({kind} {value})"
            return
        served = len(site.log) - served_before
        self.record.injected = True
        self.record.point = (f"{self.fault} at {kind} {value}: {served} requests served"
                             + (", job" if scenario.spec.job else ""))
        self.fire(process)

    def fire(self, process: subprocess.Popen) -> None:
        fault, scenario, env = self.fault, self.scenario, self.scenario.env
        if fault == "sigint":
            process.send_signal(signal.SIGINT)
        elif fault == "sigint2":
            process.send_signal(signal.SIGINT)
            time.sleep(self.rng.uniform(0.0, 1.0))
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        elif fault == "sigkill":
            process.send_signal(signal.SIGKILL)
        elif fault == "out_vanish":
            shutil.rmtree(scenario.out_dir, ignore_errors=True)
            self.undo.append(lambda: scenario.out_dir.mkdir(parents=True, exist_ok=True))
        elif fault == "out_readonly":
            self._read_only(scenario.out_dir)
        elif fault in ("redis_restart", "redis_kill"):
            outage = self.rng.choice((0.5, 2.0, 5.0, self.rng.uniform(0.1, 12.0)))
            self.record.point += f", Redis down {outage:.1f} s"
            env.redis.stop(kill=fault == "redis_kill")
            self._later(outage, env.redis.start)
            self.undo.append(env.redis.start)
        elif fault in ("sqlite_lock", "sqlite_lock_long"):
            seconds = (self.rng.uniform(31.0, 40.0) if fault == "sqlite_lock_long"
                       else self.rng.uniform(1.0, 8.0))
            self.record.point += f", locked {seconds:.1f} s"
            locker = subprocess.Popen([PYTHON, "-c", LOCKER, str(scenario.state_path),
                                       str(seconds)], stdout=subprocess.PIPE, text=True)
            locker.stdout.readline()   # held from here on
            self.undo.append(lambda: _finish(locker))

    def _read_only(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # Root writes through any mode bits: a read-only bind mount over the directory.
            subprocess.run(["mount", "--bind", str(directory), str(directory)], check=True)
            subprocess.run(["mount", "-o", "remount,bind,ro", str(directory)], check=True)
            self.undo.append(lambda: subprocess.run(["umount", str(directory)], check=False))
        else:
            mode = directory.stat().st_mode
            directory.chmod(0o555)
            self.undo.append(lambda: directory.chmod(mode & 0o7777))

    def _later(self, delay: float, action) -> None:
        thread = threading.Thread(target=lambda: (time.sleep(delay), action()), daemon=True)
        thread.start()
        self.threads.append(thread)

    def after(self) -> None:
        for thread in self.threads:
            thread.join()
        for action in reversed(self.undo):
            action()


def _finish(process: subprocess.Popen) -> None:
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- a run: many scenarios, one table --------------------------------------------------------

def run_scenario(env: Environment, spec: ScenarioSpec) -> ScenarioResult:
    return Scenario(env, spec).run()


@dataclass
class Totals:
    scenarios: int = 0
    crawls: int = 0
    faults: Counter = field(default_factory=Counter)
    not_injected: int = 0
    kill_points: set = field(default_factory=set)
    articles: int = 0
    delivered: int = 0
    lost: int = 0
    doubled: int = 0
    gaps: int = 0
    out_of_order: int = 0
    torn: int = 0
    forbidden: int = 0
    temporaries: int = 0
    state_mismatches: int = 0
    unexpected_exits: int = 0
    tracebacks: int = 0
    not_converged: int = 0
    harness_errors: int = 0
    exits: Counter = field(default_factory=Counter)
    skipped: set = field(default_factory=set)

    MUST_BE_ZERO = ("lost", "doubled", "gaps", "out_of_order", "torn", "forbidden",
                    "temporaries", "state_mismatches", "unexpected_exits", "tracebacks",
                    "not_converged", "harness_errors")

    def add(self, result: ScenarioResult) -> None:
        self.scenarios += 1
        self.crawls += len(result.crawls)
        for crawl in result.crawls:
            self.exits[(crawl.fault or "clean", crawl.returncode)] += 1
            if crawl.fault is None:
                continue
            if crawl.injected:
                self.faults[crawl.fault] += 1
                if crawl.fault in KILLS:
                    self.kill_points.add(_kill_point(crawl.point))
            else:
                self.not_injected += 1
        self.articles += result.articles
        self.delivered += result.delivered
        for name in ("lost", "doubled", "gaps", "out_of_order", "torn", "forbidden",
                     "temporaries", "state_mismatches"):
            setattr(self, name, getattr(self, name) + len(getattr(result, name)))
        self.unexpected_exits += len(result.unexpected_exits)
        self.tracebacks += len(result.tracebacks)
        self.not_converged += int(result.not_converged)
        self.harness_errors += int(bool(result.error))
        self.skipped.update(result.skipped)

    @property
    def ok(self) -> bool:
        return all(getattr(self, name) == 0 for name in self.MUST_BE_ZERO)

    def table(self, seconds: float) -> str:
        rows = [("scenarios tried", self.scenarios),
                ("faults injected", sum(self.faults.values()))]
        rows += [(f"  {kind}", self.faults[kind]) for kind in FAULTS if self.faults[kind]]
        rows += [("  planned, crawl ended first", self.not_injected),
                 ("distinct kill points (signal, progress)", len(self.kill_points)),
                 ("crawls run", self.crawls),
                 ("articles on the sites", self.articles),
                 ("articles delivered (all revisions)", self.delivered),
                 ("articles lost", self.lost),
                 ("articles doubled", self.doubled),
                 ("revision gaps", self.gaps),
                 ("versions out of order", self.out_of_order),
                 ("torn feed lines", self.torn),
                 ("forbidden fetches", self.forbidden),
                 ("temporary files left", self.temporaries),
                 ("state != delivered", self.state_mismatches),
                 ("unexpected exit statuses", self.unexpected_exits),
                 ("tracebacks", self.tracebacks),
                 ("scenarios not converged", self.not_converged),
                 ("harness errors", self.harness_errors),
                 ("wall time", f"{seconds:.0f} s")]
        width = max(len(name) for name, _ in rows)
        lines = [f"{name:<{width}}  {value:>8}" for name, value in rows]
        return "\n".join(lines)


def _kill_point(point: str) -> str:
    """A kill's signal and crawl progress (requests served, in a job or not): what makes two
    kill points different."""
    signal_name = point.split(" ", 1)[0]
    served = point.split(": ", 1)[1].split(" requests", 1)[0] if ": " in point else "?"
    return f"{signal_name}/{served}{'/job' if point.endswith('job') else ''}"
