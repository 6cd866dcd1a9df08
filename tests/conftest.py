"""Shared fixtures. `redis_server` starts a real, throw-away redis-server on 127.0.0.1 for
the tests marked `redis`; it fails (never skips) when redis-server cannot start, since CI
installs it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """URL of a redis-server started for this test session (no persistence)."""
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)")
    import redis

    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 15
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode(errors="replace")[-2000:]
                pytest.fail(f"redis-server did not start on port {port}:\n{output}")
            time.sleep(0.05)
    client.close()
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def redis_url(redis_server):
    """The session's Redis, emptied for this test."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushall()
    client.close()
    return redis_server


# --- Scrapyd: real instances on 127.0.0.1, the project's egg deployed with scrapyd-deploy ----

SCRAPYD_USERNAME = "gossipcrawl"
SCRAPYD_PASSWORD = "s3cret-for-tests"
ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


class ScrapydNode:
    """A Scrapyd started for the tests, with authentication on, in its own directory."""

    def __init__(self, name: str, directory):
        self.name = name
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (directory / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            "bind_address = 127.0.0.1\n"
            f"http_port = {self.port}\n"
            f"username = {SCRAPYD_USERNAME}\n"
            f"password = {SCRAPYD_PASSWORD}\n"
            f"eggs_dir = {directory / 'eggs'}\n"
            f"logs_dir = {directory / 'logs'}\n"
            f"dbs_dir = {directory / 'dbs'}\n"
            "items_dir =\n"
            "jobs_dir =\n"
            "poll_interval = 0.5\n"
            "max_proc = 8\n")
        self.log = open(directory / "scrapyd.out", "wb")
        import sys

        self.process = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=directory,
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def wait_until_up(self, timeout: float = 30):
        directory, name = self.directory, self.name
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.call("daemonstatus.json").get("status") == "ok":
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                output = (directory / "scrapyd.out").read_text(errors="replace")[-3000:]
                pytest.fail(f"Scrapyd {name} did not start on port {self.port}:\n{output}")
            time.sleep(0.1)

    def call(self, endpoint: str, data: dict | list | None = None, *, auth: bool = True) -> dict:
        """GET (or POST, with data) one of Scrapyd's JSON endpoints."""
        import base64
        import json
        from urllib.parse import urlencode
        from urllib.request import Request, urlopen

        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = Request(f"{self.url}/{endpoint}", data=body)
        if auth:
            token = base64.b64encode(f"{SCRAPYD_USERNAME}:{SCRAPYD_PASSWORD}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        with urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def wait_for_jobs(self, project: str = "gossipcrawl", timeout: float = 90) -> dict:
        """Wait until no job is pending or running; returns listjobs.json."""
        deadline = time.monotonic() + timeout
        while True:
            jobs = self.call(f"listjobs.json?project={project}")
            if not jobs.get("pending") and not jobs.get("running"):
                return jobs
            if time.monotonic() > deadline:
                pytest.fail(f"Scrapyd {self.name}: jobs still running after {timeout}s: {jobs}")
            time.sleep(0.25)

    def job_log(self, jobid: str, project: str = "gossipcrawl", spider: str = "news") -> str:
        path = self.directory / "logs" / project / spider / f"{jobid}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def build_and_deploy_egg(workdir, nodes: list[ScrapydNode]):
    """Build the project's egg with `scrapyd-deploy --build-egg` from a copy of the project
    (scrapyd-deploy writes setup.py and build/ where it runs), then deploy it to each node
    with `scrapyd-deploy <target>`, through [deploy:<node>] sections added to the copy's
    scrapy.cfg beside the project's own [deploy]. Returns the egg's path."""
    import sys

    source = workdir / "project"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "gossipcrawl", source / "gossipcrawl", ignore=ignore)
    for name in ("pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy(ROOT / name, source / name)
    with open(source / "scrapy.cfg", "a") as cfg:
        for node in nodes:
            cfg.write(f"\n[deploy:{node.name}]\nurl = {node.url}/\nproject = gossipcrawl\n"
                      f"username = {SCRAPYD_USERNAME}\npassword = ${{GOSSIPCRAWL_TEST_SCRAPYD_PASSWORD}}\n")
    deploy = str(__import__("pathlib").Path(sys.executable).parent / "scrapyd-deploy")
    env = {**__import__("os").environ, "GOSSIPCRAWL_TEST_SCRAPYD_PASSWORD": SCRAPYD_PASSWORD}
    egg = workdir / "gossipcrawl.egg"
    result = subprocess.run([deploy, "--build-egg", str(egg)], cwd=source, env=env,
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"scrapyd-deploy --build-egg failed:\n{result.stderr[-3000:]}")
    # Scrapyd checks an egg by listing its spiders in a subprocess: deploy to all at once.
    deploys = [(node, subprocess.Popen([deploy, node.name, "--version", "r1", "--egg", str(egg)],
                                       cwd=source, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True))
               for node in nodes]
    for node, process in deploys:
        stdout, stderr = process.communicate(timeout=120)
        if process.returncode != 0 or '"spiders": 1' not in stdout + stderr:
            pytest.fail(f"scrapyd-deploy {node.name} failed:\n{stdout}\n{stderr[-3000:]}")
    return egg


@pytest.fixture(scope="session")
def scrapyd_nodes(tmp_path_factory):
    """Two Scrapyd instances (authentication on, items_dir empty) with the gossipcrawl egg
    deployed on both. Fails, never skips, when Scrapyd cannot start."""
    try:
        import scrapyd  # noqa: F401
    except ImportError:
        pytest.fail("Scrapyd is not installed (pip install -e '.[test]')")
    nodes = []
    try:
        for name in ("node-a", "node-b"):
            nodes.append(ScrapydNode(name, tmp_path_factory.mktemp(f"scrapyd-{name}")))
        for node in nodes:
            node.wait_until_up()
        egg = build_and_deploy_egg(tmp_path_factory.mktemp("egg"), nodes)
        for node in nodes:
            node.egg = egg
        yield nodes
    finally:
        for node in nodes:
            node.stop()
