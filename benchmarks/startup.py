"""Start-up cost of a gossipcrawl process, each measurement in a fresh subprocess.

(a) `gossipcrawl extract PAGE` on one saved page: wall time and CPU time (wait4) and peak
    RSS (VmHWM, written by an atexit hook the benchmark puts in front of the command: the
    child's ru_maxrss would count the benchmark's own memory, inherited until exec).
    Baseline: trafilatura's command line on the same page (page on stdin), and
    `python -c pass` as the floor.
(b) A crawl process from its start to its first request: `gossipcrawl crawl URL` of a
    loopback server that, when the first request arrives (robots.txt), reads the crawler's
    CPU time (utime + stime from /proc/PID/stat) and VmHWM, then the process is killed.
    Also `scrapy crawl news -a target=URL`, the command a Scrapyd job runs. Baseline: a
    plain `scrapy runspider` process with a minimal one-URL spider, Scrapy's default
    settings, against the same server.
(b') The same crawls to their end, whole process (wait4 and VmHWM): the server has a small home page
    linking nowhere and answers 404 to everything else, so this is the fixed cost of an
    incremental crawl that finds nothing new (start, one page, monitors, report, exit).
(c) `python -X importtime` of (a) and of (b) up to its first request: self time summed by
    top-level package, and the gossipcrawl modules with the largest cumulative times.
    importtime's own bookkeeping inflates these times; read them as shares.

Rounds alternate the order of the commands; the table shows the median and the min.

    python benchmarks/startup.py [--rounds 5] [--page FILE]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGE = ROOT / "fixtures" / "articles" / "hearst-uk-corrie.html"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The targets (#17), on the 2-core development machine.
EXTRACT_WALL_TARGET, EXTRACT_RSS_TARGET_MB, CRAWL_CPU_TARGET = 0.6, 60.0, 1.0
HOME_PAGE = (b"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Soap news</title>"
             b"</head><body><h1>Soap news</h1><p>Nothing new today.</p></body></html>")
# Put in front of each measured command: VmHWM at exit, to the file named by the variable.
HWM_PRELUDE = """import atexit, os
def _write_hwm(path=os.environ["STARTUP_BENCH_HWM"]):
    with open("/proc/self/status") as status, open(path, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM:")))
atexit.register(_write_hwm)
"""
MINIMAL_SPIDER = '''
import os

import scrapy


class Minimal(scrapy.Spider):
    name = "minimal"
    start_urls = [os.environ["STARTUP_BENCH_URL"]]

    def parse(self, response):
        pass
'''


@dataclass
class Sample:
    wall: float       # seconds from spawn to exit (a) or to the first request (b)
    cpu: float        # user + system seconds of the process
    rss_mb: float     # peak resident set size, MB (10**6 bytes)


# --- (a) whole processes -------------------------------------------------------------------

def python_code(python: str, code: str) -> list[str]:
    """A `python -c` command whose process writes its VmHWM at exit (see run_process)."""
    return [python, "-c", HWM_PRELUDE + code]


def run_process(command: list[str], *, stdin_path: Path | None = None, cwd: str,
                env: dict, check: bool = True) -> Sample:
    """Run a `python_code` command to its end; wall time, CPU time and VmHWM of that child."""
    hwm_path = Path(cwd) / "vmhwm.txt"
    hwm_path.unlink(missing_ok=True)
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL,
                                   stderr=errors, cwd=cwd,
                                   env={**env, "STARTUP_BENCH_HWM": str(hwm_path)})
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if stdin_path:
            stdin.close()
        if check and process.returncode:
            errors.seek(0)
            raise RuntimeError(f"{command} exited {process.returncode}:\n"
                               f"{errors.read().decode(errors='replace')[-2000:]}")
    peak_kib = int(hwm_path.read_text(encoding="ascii").split()[1])
    return Sample(wall, usage.ru_utime + usage.ru_stime, peak_kib * 1024 / 1e6)


# --- (b) crawl processes up to their first request -----------------------------------------

def process_cpu(pid: int) -> float:
    """utime + stime of a live process, seconds (resolution: one clock tick)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # Fields 14 and 15 of proc(5); fields[0] is field 3 (state).
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    return float("nan")


class FirstRequestServer(ThreadingHTTPServer):
    """A home page at /, 404 for the rest; samples the watched process when a request
    first arrives."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FirstRequestHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"
        self.watch(None, 0.0)

    def watch(self, pid: int | None, started: float) -> None:
        self.pid, self.started = pid, started
        self.sample: Sample | None = None
        self.arrived = threading.Event()

    def first_request(self) -> None:
        if self.pid is None or self.arrived.is_set():
            return
        wall = time.perf_counter() - self.started
        self.sample = Sample(wall, process_cpu(self.pid), process_peak_rss_mb(self.pid))
        self.arrived.set()


class FirstRequestHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.first_request()
        body = HOME_PAGE if self.path == "/" else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def until_first_request(server: FirstRequestServer, command: list[str], *, cwd: str,
                        env: dict, stderr_path: Path | None = None) -> Sample:
    """Start a crawl process, sample it at its first request, kill it."""
    errors = open(stderr_path or os.devnull, "wb")
    try:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=errors, cwd=cwd, env=env)
        server.watch(process.pid, started)
        deadline = time.monotonic() + 120
        while not server.arrived.wait(0.05):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise RuntimeError(f"{command} made no request (exit {process.returncode})")
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        errors.close()
    assert server.sample is not None
    return server.sample


# --- (c) importtime ------------------------------------------------------------------------

def import_times(stderr: str) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module with its indentation) of each importtime line."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|", 2)
        rows.append((int(own), int(cumulative), name.rstrip()))
    return rows


def print_import_profile(title: str, rows: list[tuple[int, int, str]], top: int) -> None:
    by_package: dict[str, int] = {}
    for own, _, name in rows:
        package = name.strip().split(".")[0]
        by_package[package] = by_package.get(package, 0) + own
    total = sum(by_package.values())
    print(f"\n  {title}: {total / 1e6:.2f} s of imports under importtime, {len(rows)} modules")
    print(f"    {'top-level package (self time summed)':<40} {'ms':>6} {'share':>6}")
    for package, own in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        print(f"    {package:<40} {own / 1000:>6.0f} {own / total:>6.0%}")
    ours = sorted(((cumulative, name.strip()) for _, cumulative, name in rows
                   if name.strip().startswith("gossipcrawl")), reverse=True)
    print(f"    {'gossipcrawl modules (cumulative, nested)':<40} {'ms':>6}")
    for cumulative, name in ours[:top // 2]:
        print(f"    {name:<40} {cumulative / 1000:>6.0f}")


# --- the run -------------------------------------------------------------------------------

def clean_env(**extra: str) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key not in ("SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT", "PYTHONPROFILEIMPORTTIME")}
    env.update(extra)
    return env


def row(name: str, samples: list[Sample], baseline: list[Sample] | None = None) -> str:
    def cell(values: list[float], digits: int) -> str:
        return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f})"

    walls, cpus, rss = ([s.wall for s in samples], [s.cpu for s in samples],
                        [s.rss_mb for s in samples])
    text = f"  {name:<38} {cell(walls, 2):>13} {cell(cpus, 2):>13} {cell(rss, 1):>13}"
    if baseline:
        ratio = (statistics.median(cpus) / statistics.median([s.cpu for s in baseline]))
        text += f"   {ratio:.2f}x"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--page", type=Path, default=DEFAULT_PAGE)
    parser.add_argument("--top", type=int, default=12, help="packages shown by importtime")
    args = parser.parse_args()
    python = sys.executable
    page = args.page.resolve()

    with tempfile.TemporaryDirectory() as scratch, FirstRequestServer() as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        spider = Path(scratch) / "minimal_spider.py"
        spider.write_text(MINIMAL_SPIDER, encoding="utf-8")
        env = clean_env()
        job_env = clean_env(SCRAPY_SETTINGS_MODULE="gossipcrawl.settings")
        scrapy_env = clean_env(STARTUP_BENCH_URL=server.url)
        run_gossipcrawl = "import runpy; runpy.run_module('gossipcrawl', run_name='__main__')"
        run_scrapy = "from scrapy.cmdline import execute; execute()"
        extract = python_code(python, run_gossipcrawl) + ["extract", str(page)]
        trafilatura = python_code(python, "from trafilatura.cli import main; main()")
        floor = python_code(python, "pass")
        crawl = [python, "-m", "gossipcrawl", "crawl", server.url]
        job = [python, "-m", "scrapy", "crawl", "news", "-a", f"target={server.url}"]
        scrapy = [python, "-m", "scrapy", "runspider", str(spider)]
        crawl_to_end = python_code(python, run_gossipcrawl) + ["crawl", server.url]
        scrapy_to_end = python_code(python, run_scrapy) + ["runspider", str(spider)]
        steps = {
            "extract": lambda: run_process(extract, cwd=scratch, env=env),
            "trafilatura": lambda: run_process(trafilatura, stdin_path=page, cwd=scratch,
                                               env=env),
            "floor": lambda: run_process(floor, cwd=scratch, env=env),
            "crawl": lambda: until_first_request(server, crawl, cwd=scratch, env=env),
            "job": lambda: until_first_request(server, job, cwd=scratch, env=job_env),
            "scrapy": lambda: until_first_request(server, scrapy, cwd=scratch, env=scrapy_env),
            "crawl to end": lambda: run_process(crawl_to_end, cwd=scratch, env=env,
                                                check=False),
            "scrapy to end": lambda: run_process(scrapy_to_end, cwd=scratch, env=scrapy_env,
                                                 check=False),
        }
        samples: dict[str, list[Sample]] = {name: [] for name in steps}
        # One untimed pass of each warms the page cache and the bytecode caches.
        for step in steps.values():
            step()
        for round_number in range(args.rounds):
            order = list(steps) if round_number % 2 == 0 else list(reversed(steps))
            for name in order:
                samples[name].append(steps[name]())
        importtime_extract = subprocess.run(
            [python, "-X", "importtime", "-m", "gossipcrawl", "extract", str(page)],
            cwd=scratch, env=env, capture_output=True, text=True, check=True).stderr
        crawl_errors = Path(scratch) / "crawl-importtime.txt"
        until_first_request(server, [python, "-X", "importtime", *crawl[1:]], cwd=scratch,
                            env=env, stderr_path=crawl_errors)
        importtime_crawl = crawl_errors.read_text(encoding="utf-8", errors="replace")
        server.shutdown()

    shown = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
    print(f"start-up, {args.rounds} rounds in fresh processes: median (min)")
    print(f"page: {shown} ({page.stat().st_size / 1024:.1f} KiB)\n")
    header = f"  {'':<38} {'wall s':>13} {'CPU s':>13} {'peak RSS MB':>13}   CPU ratio"
    print("(a) extract one saved page, whole process")
    print(header)
    print(row("gossipcrawl extract", samples["extract"], samples["trafilatura"]))
    print(row("trafilatura CLI (baseline)", samples["trafilatura"], samples["trafilatura"]))
    print(row("python -c pass (floor)", samples["floor"], samples["trafilatura"]))
    print("\n(b) crawl process, start to its first request (RSS: VmHWM at that request)")
    print(header)
    print(row("gossipcrawl crawl URL", samples["crawl"], samples["scrapy"]))
    print(row("scrapy crawl news (a Scrapyd job)", samples["job"], samples["scrapy"]))
    print(row("scrapy runspider, minimal (baseline)", samples["scrapy"], samples["scrapy"]))
    print("\n(b') crawl process to its end, a site with nothing new (one page, the rest 404)")
    print(header)
    print(row("gossipcrawl crawl URL", samples["crawl to end"], samples["scrapy to end"]))
    print(row("scrapy runspider, minimal (baseline)", samples["scrapy to end"],
              samples["scrapy to end"]))

    extract_wall = statistics.median(s.wall for s in samples["extract"])
    extract_rss = statistics.median(s.rss_mb for s in samples["extract"])
    crawl_cpu = statistics.median(s.cpu for s in samples["crawl"])
    print("\ntargets (#17), medians:")
    for label, value, target, unit in (
            ("extract wall", extract_wall, EXTRACT_WALL_TARGET, "s"),
            ("extract peak RSS", extract_rss, EXTRACT_RSS_TARGET_MB, "MB"),
            ("crawl CPU to first request", crawl_cpu, CRAWL_CPU_TARGET, "s")):
        verdict = "met" if value <= target else "NOT met"
        print(f"  {label:<28} {value:6.2f} {unit:<2} <= {target:g} {unit:<2} {verdict}")

    print("\n(c) python -X importtime, one run each")
    print_import_profile("gossipcrawl extract", import_times(importtime_extract), args.top)
    print_import_profile("gossipcrawl crawl, to its first request",
                         import_times(importtime_crawl), args.top)


if __name__ == "__main__":
    main()
