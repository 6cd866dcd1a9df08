#!/usr/bin/env python
"""Many sites: one process per site against one process for them all.

    python benchmarks/fleet.py [--sites 200] [--articles 20] [--delay 0.05] [--parallel 4]
                               [--at-once 16] [--skip-sequential]

Serves `--sites` loopback news sites (the pages of tests/sites/newsroom.py: robots.txt, a
sitemap, a feed, listing pages and `--articles` articles each), every one on its own port of
127.0.0.1, and crawls all of them three ways, each against a fresh state:

- (a) one `gossipcrawl crawl URL` process per site, one after the other;
- (a') the same, `--parallel` processes at a time;
- (b) one `gossipcrawl crawl URL URL ...` process for all sites (`GOSSIPCRAWL_SITES_AT_ONCE`).

Every crawl uses the same per-site politeness, scaled down from a real site's: a delay of
`--delay` seconds between a site's requests (no jitter, so the bound is exact), one
request at a time per site, AutoThrottle off. It prints wall time, CPU seconds (user + system
of the crawl processes, from `wait4`), peak RSS of the largest process, articles delivered,
requests per site, and the politeness check from the servers' own logs: no site ever saw two
requests at once or two requests closer together than its delay.

The sites are served by `--servers` child processes, each an asyncio loop holding its share
of the sites. A request is stamped with the time the kernel received its first bytes
(`SO_TIMESTAMPNS`), not when a server got round to reading it: on a loaded machine a
server's loop runs late, and gaps between its own stamps would say more about the server
than about the crawler.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from sites.loopback import SO_TIMESTAMPNS, STAMP_SPACE, kernel_stamp  # noqa: E402
from sites.newsroom import Newsroom  # noqa: E402 - tests/ is on the path only from here

# What the measurement itself moves by: a request is stamped when the kernel receives it, and
# the crawler counts a site's delay from when it starts a download, a few milliseconds
# earlier (before the connection is reused or made and the request written).
GAP_TOLERANCE = 0.02
# The servers inherit their listening sockets from this process.
FORK = multiprocessing.get_context("fork")


# --- the sites, served from child processes --------------------------------------------------

def _serve(listeners: list[socket.socket], articles: int, connection) -> None:
    ports = [listener.getsockname()[1] for listener in listeners]
    sites = {}
    for port in ports:
        site = Newsroom(articles=articles, per_page=10)   # its pages, not its thread server
        site.port, site.base_url = port, f"http://127.0.0.1:{port}"
        sites[port] = site
    hits: dict[int, list[tuple[float, str]]] = {port: [] for port in ports}
    in_flight = dict.fromkeys(ports, 0)
    most = dict.fromkeys(ports, 0)

    loop: asyncio.AbstractEventLoop

    async def receive(sock: socket.socket) -> tuple[bytes, float | None]:
        """The next bytes of a connection and when the kernel received them."""
        ready: asyncio.Future = loop.create_future()

        def read() -> None:
            try:
                data, ancillary, _, _ = sock.recvmsg(65536, STAMP_SPACE)
            except BlockingIOError:
                return
            except OSError:
                data, ancillary = b"", []   # the crawler closed the connection
            loop.remove_reader(sock)
            if not ready.done():
                ready.set_result((data, kernel_stamp(ancillary)))

        loop.add_reader(sock, read)
        return await ready

    async def handle(sock: socket.socket, port: int) -> None:
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        sock.setblocking(False)
        pending = b""
        try:
            while True:
                data, stamp = await receive(sock)
                if not data:
                    break
                if not pending:
                    arrived = stamp or time.time()
                pending += data
                if b"\r\n\r\n" not in pending:
                    continue
                head, pending = pending.split(b"\r\n\r\n", 1)
                path = head.split(b"\r\n", 1)[0].split()[1].decode().split("?")[0]
                hits[port].append((arrived, path))
                in_flight[port] += 1
                most[port] = max(most[port], in_flight[port])
                _, status, content_type, body = sites[port].route(path)
                page = body.encode()
                await loop.sock_sendall(sock, (
                    f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
                    f"Content-Length: {len(page)}\r\n\r\n").encode() + page)
                in_flight[port] -= 1
        except (ConnectionError, OSError):
            pass
        finally:
            sock.close()

    async def accept(listener: socket.socket, port: int) -> None:
        listener.setblocking(False)
        while True:
            sock, _ = await loop.sock_accept(listener)
            loop.create_task(handle(sock, port))

    async def main():
        nonlocal loop
        loop = asyncio.get_running_loop()
        servers = [loop.create_task(accept(listener, port))
                   for port, listener in zip(ports, listeners)]
        connection.send("ready")
        while True:
            command = await loop.run_in_executor(None, connection.recv)
            if command == "stop":
                break
            connection.send({port: (hits[port], most[port]) for port in ports})
            for port in ports:
                hits[port] = []
                most[port] = 0
        for server in servers:
            server.cancel()

    asyncio.run(main())


class Fleet:
    """`count` sites on their own ports, served by `servers` child processes."""

    def __init__(self, count: int, articles: int, servers: int):
        # Bound here and inherited by the (forked) servers: no port can be taken between
        # choosing it and listening on it.
        listeners = [_listener() for _ in range(count)]
        self.ports = [listener.getsockname()[1] for listener in listeners]
        self.children = []
        for index in range(servers):
            parent, child = FORK.Pipe()
            share = listeners[index::servers]
            process = FORK.Process(target=_serve, args=(share, articles, child),
                                              daemon=True)
            process.start()
            self.children.append((process, parent))
        for _, parent in self.children:
            assert parent.recv() == "ready"
        for listener in listeners:
            listener.close()   # the servers hold their own copies

    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}/" for port in self.ports]

    def logs(self) -> dict[int, tuple[list[tuple[float, str]], int]]:
        """Each site's requests (arrival time, path) and most at once since the last call."""
        found = {}
        for _, parent in self.children:
            parent.send("logs")
            found.update(parent.recv())
        return found

    def stop(self) -> None:
        for process, parent in self.children:
            parent.send("stop")
            process.join(timeout=10)


def _listener() -> socket.socket:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    return listener


def crawl_options(args, state: Path) -> list[str]:
    return ["--state", str(state), "-s", f"DOWNLOAD_DELAY={args.delay}",
            "-s", "DOWNLOAD_DELAY_JITTER=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING",
            "-s", f"GOSSIPCRAWL_SITES_AT_ONCE={args.at_once}"]


class Runs:
    """Crawl processes started and waited for, their CPU and peak memory from wait4."""

    def __init__(self):
        self.cpu = 0.0
        self.peak_kib = 0
        self.failed: list[str] = []

    def start(self, command: list[str], cwd: Path, log: Path) -> subprocess.Popen:
        handle = open(log, "wb")
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=handle)
        process.log = handle
        return process

    def wait(self, process: subprocess.Popen) -> None:
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        process.log.close()
        self.cpu += usage.ru_utime + usage.ru_stime
        self.peak_kib = max(self.peak_kib, usage.ru_maxrss)
        if process.returncode != 0:
            self.failed.append(f"exit {process.returncode}: {process.log.name}")


def gossipcrawl(*args: str) -> list[str]:
    return [sys.executable, "-m", "gossipcrawl", "crawl", *args]


def run_mode(name: str, fleet: Fleet, args, work: Path) -> dict:
    directory = work / name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    state = directory / "state.sqlite3"
    fleet.logs()   # forget what earlier modes asked
    runs = Runs()
    started = time.monotonic()
    if name == "one process":
        runs.wait(runs.start(gossipcrawl(*fleet.urls(),
                                         "-o", str(directory / "out" / "%(site)s.jsonl"),
                                         *crawl_options(args, state)),
                             directory, directory / "crawl.log"))
    else:
        width = 1 if name == "process per site" else args.parallel
        pending = list(fleet.ports)
        active: list[subprocess.Popen] = []
        while pending or active:
            while pending and len(active) < width:
                port = pending.pop(0)
                active.append(runs.start(
                    gossipcrawl(f"http://127.0.0.1:{port}/", "-o",
                                str(directory / "out" / f"127.0.0.1-{port}.jsonl"),
                                *crawl_options(args, state)),
                    directory, directory / f"crawl-{port}.log"))
            runs.wait(active.pop(0))
    wall = time.monotonic() - started
    logs = fleet.logs()
    delivered = sum(len(path.read_text().splitlines())
                    for path in (directory / "out").glob("*.jsonl"))
    gaps = sorted(gap for hits, _ in logs.values() for gap in _gaps(hits))
    return {"mode": name, "wall": wall, "cpu": runs.cpu, "peak_mib": runs.peak_kib / 1024,
            "articles": delivered, "expected": len(fleet.ports) * args.articles,
            "requests_per_site": sum(len(hits) for hits, _ in logs.values()) / len(logs),
            "smallest_gap": gaps[0] if gaps else None,
            "gap_p1": gaps[len(gaps) // 100] if gaps else None,
            "impolite": impolite(logs, args.delay), "failed": runs.failed}


def _gaps(hits: list[tuple[float, str]]) -> list[float]:
    times = sorted(moment for moment, _ in hits)
    return [later - earlier for earlier, later in zip(times, times[1:])]


def impolite(logs, delay: float) -> list[str]:
    """Sites whose log shows two requests at once or closer together than the delay."""
    found = []
    for port, (hits, most) in logs.items():
        gaps = _gaps(hits)
        if most > 1 or (gaps and min(gaps) < delay - GAP_TOLERANCE):
            found.append(f"{port}: {most} at once, smallest gap {min(gaps, default=0):.3f}s")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--at-once", type=int, default=16)
    parser.add_argument("--servers", type=int, default=2,
                        help="processes serving the sites (default: %(default)s)")
    parser.add_argument("--skip-sequential", action="store_true",
                        help="leave out mode (a), the slowest")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()

    fleet = Fleet(args.sites, args.articles, args.servers)
    try:
        with tempfile.TemporaryDirectory(prefix="fleet-") as scratch:
            modes = (["process per site"] if not args.skip_sequential else []) + \
                [f"{args.parallel} processes at a time", "one process"]
            results = [run_mode(name, fleet, args, Path(scratch)) for name in modes]
    finally:
        fleet.stop()

    baseline = results[0]["cpu"]
    print(f"\n{args.sites} sites x {args.articles} articles, delay {args.delay}s, one request "
          f"at a time per site; one process crawls {args.at_once} sites at once\n")
    print("| mode | wall s | CPU s | CPU vs first | peak RSS MiB | articles | requests/site "
          "| smallest gap (1st pct) | politeness |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for result in results:
        polite = "ok" if not result["impolite"] else f"{len(result['impolite'])} sites broken"
        print(f"| {result['mode']} | {result['wall']:.1f} | {result['cpu']:.1f} | "
              f"{result['cpu'] / baseline:.2f} | {result['peak_mib']:.0f} | "
              f"{result['articles']}/{result['expected']} | "
              f"{result['requests_per_site']:.1f} | {result['smallest_gap']:.3f} s "
              f"({result['gap_p1']:.3f} s) | {polite} |")
    for result in results:
        for line in result["impolite"][:10] + result["failed"][:10]:
            print(f"  {result['mode']}: {line}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    bad = any(r["impolite"] or r["failed"] or r["articles"] != r["expected"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
