"""docs/operations.md's walk-through runs as written: its shell blocks, in order, with free
ports for 8080 (the demo site) and 6800 (Scrapyd) and a temporary directory for
/tmp/gossipcrawl-walk; what it says the commands print is what they print."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from conftest import ROOT, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.scrapyd]

DOC = ROOT / "docs" / "operations.md"


def walkthrough() -> tuple[list[str], str]:
    """The walk-through's shell blocks, in order, and its whole text."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Walk-through"):]
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL), section


def expected_lines(text: str, substitute) -> list[re.Pattern]:
    """The round's lines the walk-through shows, `<...>` standing for anything."""
    block = re.search(r"```\n(127-0-0-1-8080: finished.*?)```", text, re.DOTALL).group(1)
    return [re.compile(".+".join(re.escape(substitute(part))
                                 for part in re.split(r"<[^>]+>", line)) + "$")
            for line in block.strip().splitlines()]


def test_the_operations_walkthrough_runs_as_written(tmp_path):
    blocks, text = walkthrough()
    serve, crawl, scrapyd, deploy, schedule, again = blocks
    demo_port, scrapyd_port, walk = free_port(), free_port(), tmp_path / "walk"

    def substitute(snippet: str) -> str:
        return (snippet.replace("8080", str(demo_port)).replace("6800", str(scrapyd_port))
                .replace("/tmp/gossipcrawl-walk", str(walk)))

    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}

    def run(block: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-euo", "pipefail", "-c", substitute(block)], cwd=cwd,
                              env=env, capture_output=True, text=True, timeout=180,
                              check=False)

    def background(block: str, cwd: Path, log: str) -> subprocess.Popen:
        return subprocess.Popen(["bash", "-euo", "pipefail", "-c", substitute(block)],
                                cwd=cwd, env=env, start_new_session=True,
                                stdout=open(tmp_path / log, "wb"), stderr=subprocess.STDOUT)

    def wait_for(url: str, log: str):
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(url, timeout=5) as response:
                    return response.read()
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"{url} did not answer:\n"
                                + (tmp_path / log).read_text(errors="replace")[-3000:])
                time.sleep(0.2)

    # A copy of the project for scrapyd-deploy, which writes setup.py and build/ where it runs.
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "gossipcrawl", project / "gossipcrawl",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    (project / "scrapy.cfg").write_text(substitute((ROOT / "scrapy.cfg").read_text()))

    site = background(serve, tmp_path, "demo.log")
    node = None
    try:
        wait_for(f"http://127.0.0.1:{demo_port}/robots.txt", "demo.log")
        first = run(crawl, tmp_path)
        shown = re.search(r"It prints one line, `(.*?)`", text, re.DOTALL).group(1)
        assert first.returncode == 0, first.stderr[-3000:]
        assert first.stderr.strip().splitlines()[-1] == substitute(" ".join(shown.split()))
        second = run(crawl, tmp_path)
        assert second.returncode == 0 and "gossipcrawl: 0 articles emitted" in second.stderr

        node = background(scrapyd, tmp_path, "scrapyd.log")
        wait_for(f"http://127.0.0.1:{scrapyd_port}/daemonstatus.json", "scrapyd.log")
        deployed = run(deploy, project)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        assert f"http://127.0.0.1:{scrapyd_port}/" in deployed.stdout        # the targets
        assert '"spiders": 1' in deployed.stdout + deployed.stderr

        dispatched = run(schedule, tmp_path)
        assert dispatched.returncode == 0, dispatched.stdout + dispatched.stderr
        assert re.fullmatch(rf"127-0-0-1-{demo_port}: dispatched on local \(job "
                            rf"127-0-0-1-{demo_port}\.\S+\)\n", dispatched.stdout)
        deadline = time.monotonic() + 120
        while True:
            jobs = json.loads(wait_for(f"http://127.0.0.1:{scrapyd_port}/listjobs.json"
                                       "?project=gossipcrawl", "scrapyd.log"))
            if jobs["finished"] and not jobs["pending"] and not jobs["running"]:
                break
            assert time.monotonic() < deadline, jobs
            time.sleep(0.5)
        read_back = run(again, tmp_path)
        assert read_back.returncode == 0, read_back.stdout + read_back.stderr
        lines = read_back.stdout.splitlines()
        patterns = expected_lines(text, substitute)
        assert len(lines) == len(patterns), lines
        for line, pattern in zip(lines, patterns, strict=True):
            assert pattern.match(line), (line, pattern.pattern)
        feeds = list((walk / "feeds" / f"127-0-0-1-{demo_port}").glob("*.jsonl"))
        assert len(feeds) == 1 and len(feeds[0].read_text().splitlines()) == 32
    finally:
        for process in (site, node):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def test_scrapyd_starts_with_the_example_configuration(tmp_path):
    """docs/scrapyd.conf.example as it is, but for its directories and its port: Scrapyd
    starts, answers on 127.0.0.1, and only with the account the file names."""
    import base64
    from urllib.error import HTTPError
    from urllib.request import Request

    example = (ROOT / "docs" / "scrapyd.conf.example").read_text()
    port = free_port()
    config = re.sub(r"(?m)^http_port\s*=.*$", f"http_port = {port}", example)
    config = config.replace("/var/lib/scrapyd", str(tmp_path)).replace(
        "/var/log/scrapyd", str(tmp_path / "logs"))
    (tmp_path / "scrapyd.conf").write_text(config)
    account = dict(re.findall(r"(?m)^(username|password)\s*=\s*(\S+)", example))
    with open(tmp_path / "scrapyd.out", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=tmp_path,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        token = base64.b64encode(f"{account['username']}:{account['password']}".encode())
        request = Request(f"http://127.0.0.1:{port}/daemonstatus.json",
                          headers={"Authorization": f"Basic {token.decode()}"})
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(request, timeout=5) as response:
                    assert json.loads(response.read())["status"] == "ok"
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, \
                    (tmp_path / "scrapyd.out").read_text(errors="replace")[-3000:]
                time.sleep(0.2)
        with pytest.raises(HTTPError) as refused:
            urlopen(f"http://127.0.0.1:{port}/daemonstatus.json", timeout=5)
        assert refused.value.code == 401
    finally:
        process.terminate()
        process.wait(timeout=20)
