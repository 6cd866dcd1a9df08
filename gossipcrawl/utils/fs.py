"""Files that readers see whole or not at all.

`AtomicFile` is the one way gossipcrawl writes a file others read (feeds, reports, a job's
files, the scheduler's state): the bytes go to a hidden temporary file beside the target
(same filesystem, so the rename is atomic), which is flushed, fsynced and renamed over the
target; the directory is fsynced after. A writer that fails removes its temporary file; a
writer that is killed leaves it, and the next writer in the same directory (of any target)
removes it once its owner (the PID in its name) is gone.

The temporary file is private (mode 0600) while it is written; at the rename it takes the
mode any new file of the process would get (0666 less the umask), like files written by
other Unix tools.
"""

from __future__ import annotations

import fcntl
import gzip
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlparse

logger = logging.getLogger(__name__)


def target_path(uri: str) -> Path:
    """The local path of a feed URI (`file://...`) or a plain path."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    return Path(uri)


def probe_directory(directory: Path) -> None:
    """OSError unless a file can be created in DIRECTORY; whatever the probe created (the
    missing directories, a temporary file) is removed again."""
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    created: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            created.append(path)
        handle, name = tempfile.mkstemp(dir=created[-1] if created else directory,
                                        prefix=".gossipcrawl-probe-")
        os.close(handle)
        os.unlink(name)
    finally:
        for path in reversed(created):
            path.rmdir()


def process_umask() -> int:
    """The process umask, read without changing it (Linux reports it in /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Elsewhere: set and restore (another thread creating a file meanwhile is a race
    # this fallback accepts).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable (a no-op where directories cannot be opened)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def process_alive(pid: int) -> bool:
    """True while process `pid` of this host exists (also when it is another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Busy(OSError):
    """Another process is writing the same file."""


def write_lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


class WriteLock:
    """An exclusive `flock` on a hidden `.NAME.lock` beside a file, taken at once or `Busy`.

    Within one process the lock is shared: the command line holds OUT's lock for the whole
    crawl, and the feed storage that writes OUT takes the same one (a second `flock` from the
    same process would refuse it). `release()` removes the lock file before letting go of
    it: a writer that opens the old file afterwards cannot lock it any more than before (the
    holder still has it), and one that opens the path afterwards makes a new file, after the
    holder's rename is done."""

    _held: dict[Path, list] = {}   # lock file -> [open file, holders] in this process

    def __init__(self, path: Path):
        self.path = write_lock_path(Path(path).resolve())
        held = WriteLock._held.get(self.path)
        if held is None:
            handle = open(self.path, "a+")   # open as long as the lock is held
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                raise Busy(f"another process is writing {path}") from None
            held = WriteLock._held[self.path] = [handle, 0]
        held[1] += 1
        self._released = False

    def release(self) -> None:
        if self._released:
            return
        self._released = True
        held = WriteLock._held[self.path]
        held[1] -= 1
        if held[1] == 0:
            del WriteLock._held[self.path]
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass   # a directory gone read-only: the file stays, the lock goes with it
            held[0].close()


def temporary_prefix(path: Path) -> str:
    return f".{path.name}."


# A writer's temporary file: `.NAME.PID.RANDOM.tmp` (see `AtomicFile`).
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.tmp$")


def remove_stale_temporaries(path: Path) -> None:
    """Delete the temporary files that writers in `path`'s directory left behind when they
    died: those of `path`, and those of any other name (a killed crawl's OUT is rarely the
    next crawl's: `-o feeds/$(date +%H).jsonl`)."""
    for candidate in path.parent.glob(".*.tmp"):
        match = _TEMPORARY.match(candidate.name)
        if match is None:
            continue
        pid = int(match.group("pid"))
        if pid != os.getpid() and not process_alive(pid):
            candidate.unlink(missing_ok=True)
            logger.info("removed the temporary file of a crashed writer: %s", candidate)


class AtomicFile:
    """A file that appears at `path` only when `commit()` is called, complete.

    Usage: `out = AtomicFile(path); out.file.write(...); out.commit()` (or `discard()`),
    or as a context manager that commits on success and discards on an exception."""

    def __init__(self, path: str | os.PathLike[str], *, mode: str = "w+b",
                 encoding: str | None = None, exclusive: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # exclusive: one writer at a time (two crawls never publish to one OUT at once).
        self._lock = WriteLock(self.path) if exclusive else None
        remove_stale_temporaries(self.path)
        handle, name = tempfile.mkstemp(prefix=f"{temporary_prefix(self.path)}{os.getpid()}.",
                                        suffix=".tmp", dir=self.path.parent)
        self.temporary = Path(name)
        self.file: IO = os.fdopen(handle, mode, encoding=encoding)
        self.done = False

    def commit(self, before_rename=None) -> None:
        """Flush, fsync and rename over the target; on any failure the temporary file is
        removed and the error raised. `before_rename(temporary)` is called when the file is
        complete on disk, just before the rename (to record what is being published)."""
        try:
            if not self.file.closed:
                self.file.flush()
                os.fsync(self.file.fileno())
                self.file.close()
            os.chmod(self.temporary, 0o666 & ~process_umask())
            if before_rename is not None:
                before_rename(self.temporary)
            os.replace(self.temporary, self.path)
        except BaseException:
            self.discard()
            raise
        self.done = True
        self._release()
        fsync_directory(self.path.parent)

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def discard(self) -> None:
        """Forget what was written: the target is left as it was."""
        try:
            if not self.file.closed:
                self.file.close()
        except OSError:
            pass  # a full disk fails the close's flush too: the file is going anyway
        self.temporary.unlink(missing_ok=True)
        self.done = True
        self._release()

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.commit()
        elif not self.done:
            self.discard()


def publish_copy(source: Path, target: Path, gzip_options: dict | None = None, *,
                 before_rename=None) -> None:
    """Copy `source` to `target` atomically, gzip-compressed when `gzip_options` is given
    (the options of `gzip.GzipFile`); `before_rename` as in `AtomicFile.commit`."""
    out = AtomicFile(target, mode="wb")
    try:
        with open(source, "rb") as data:
            if gzip_options is not None:
                with gzip.GzipFile(filename="", mode="wb", fileobj=out.file,
                                   **gzip_options) as packed:
                    shutil.copyfileobj(data, packed, 1 << 20)
            else:
                shutil.copyfileobj(data, out.file, 1 << 20)
    except BaseException:
        out.discard()
        raise
    out.commit(before_rename)


def write_text_atomically(path: Path, text: str) -> None:
    """Write a small text file (a report, a job's or the scheduler's state) atomically."""
    with AtomicFile(path, mode="w", encoding="utf-8") as out:
        out.file.write(text)
