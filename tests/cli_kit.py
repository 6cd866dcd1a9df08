"""Running `gossipcrawl` as an operator does, in a subprocess, and judging what it printed
and what it left behind."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What a terminal shows of a redrawn status line: everything up to its last redraw.
_REDRAWN = re.compile(r"[^\n]*\r\x1b\[K")


def gossipcrawl(*args: str, cwd: Path, env: dict | None = None,
                timeout: float = 180) -> subprocess.CompletedProcess:
    """The command with stdout and stderr captured (not a terminal: cron, Scrapyd)."""
    return subprocess.run([sys.executable, "-m", "gossipcrawl", *args], cwd=cwd,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout, check=False)


@dataclass
class TerminalRun:
    returncode: int
    output: str          # what the terminal shows at the end (status line redraws folded)
    raw: str
    seconds: float

    @property
    def lines(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.strip()]


class OnTerminal:
    """`gossipcrawl ARGS` started with stdout and stderr on a pseudo-terminal, as an operator
    types it; what it printed is read in a thread until it ends (`finish`)."""

    def __init__(self, *args: str, cwd: Path, env: dict | None = None):
        self._master, slave = pty.openpty()
        self._chunks: list[bytes] = []
        self.started = time.monotonic()
        self.process = subprocess.Popen([sys.executable, "-m", "gossipcrawl", *args], cwd=cwd,
                                        env={**os.environ, **(env or {})},
                                        stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            self._chunks.append(data)

    def raw(self) -> str:
        """Everything printed so far."""
        return b"".join(self._chunks).decode(errors="replace")

    def finish(self, timeout: float = 180) -> TerminalRun:
        """Wait for the command to end (killed after `timeout` seconds); what it showed."""
        try:
            returncode = self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self._reader.join(timeout=10)
            os.close(self._master)
        raw = self.raw()
        return TerminalRun(returncode, terminal_view(raw), raw,
                           time.monotonic() - self.started)


def gossipcrawl_on_terminal(*args: str, cwd: Path, env: dict | None = None,
                            timeout: float = 180) -> TerminalRun:
    """The command with stdout and stderr on a pseudo-terminal, run to its end."""
    return OnTerminal(*args, cwd=cwd, env=env).finish(timeout)


def terminal_view(raw: str) -> str:
    """What a terminal shows at the end of this output: each redrawn status line erased."""
    return _REDRAWN.sub("", raw.replace("\r\n", "\n"))


def assert_one_line_error(result, status: int, *fragments: str) -> str:
    """Exit STATUS, stderr a single `gossipcrawl: error:` line holding every fragment."""
    stderr = result.stderr if hasattr(result, "stderr") else result.output
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert result.returncode == status, f"exit {result.returncode}:\n{stderr[-3000:]}"
    assert "Traceback" not in stderr, stderr[-3000:]
    assert len(lines) == 1, stderr[-3000:]
    assert lines[0].startswith("gossipcrawl: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def snapshot(directory: Path) -> set[str]:
    """Every file and directory under DIRECTORY (hidden ones too), relative."""
    return {str(path.relative_to(directory)) for path in directory.rglob("*")}


def package_copy(destination: Path) -> Path:
    """A copy of the gossipcrawl package under DESTINATION, to run with PYTHONPATH set to
    it: a test may then add or break a site profile without touching the repository."""
    shutil.copytree(ROOT / "gossipcrawl", destination / "gossipcrawl",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return destination
