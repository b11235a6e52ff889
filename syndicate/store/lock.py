"""One writer at a time: a lock file beside the database, held for the whole scan.

The lock is an ``flock`` on ``<db>.lock``, so the kernel releases it when the
holder dies, even by ``kill -9``; the file keeps the holder's pid, host and
start time to say who holds it. A lock file whose ``flock`` is free was left
by a process that died: it is taken over, and its run is marked interrupted.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import DatabaseError, StorageError, SyndicateError


class LockedError(SyndicateError):
    """Another process is writing to the database."""

    exit_code = 75  # EX_TEMPFAIL: try again later


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) a lock."""

    pid: int
    host: str
    since: str
    command: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, since {self.since}"


def lock_path(db: str | os.PathLike[str]) -> Path:
    return Path(f"{os.fspath(db)}.lock")


class WriteLock:
    """Exclusive right to write to one database; use as a context manager."""

    def __init__(self, db: str | os.PathLike[str], command: str = "scan") -> None:
        self.path = lock_path(db)
        self.db = os.fspath(db)
        self.command = command
        self.fd: int | None = None
        self.stale: Holder | None = None

    def acquire(self) -> "WriteLock":
        """Take the lock or fail at once with who holds it; remember a stale holder taken over."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # a read-only filesystem, a folder it may not write, a full disk
            raise DatabaseError(
                f"cannot write beside {self.db}: {exc.strerror or exc} ({self.path}); a {self.command} needs to create "
                "its lock file there and write the database: check the folder's permissions and free space, or use "
                "another --db") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            who = holder.describe() if holder else "another process"
            raise LockedError(
                f"{self.db} is being written by another {holder.command if holder else 'scan'} ({who}); "
                "wait for it to finish or use another --db"
            ) from None
        self.stale = _read(fd)
        me = Holder(os.getpid(), socket.gethostname(), _now(), self.command)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me.__dict__).encode(), 0)
            os.fsync(fd)
        except OSError as exc:  # a full disk: the holder is not recorded, and the database cannot be written either
            os.close(fd)
            raise StorageError(f"cannot write the lock file {self.path}: {exc.strerror or exc}; make room, then "
                               "run again") from None
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)  # an empty file: nobody to take over from
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> "WriteLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def holder(db: str | os.PathLike[str]) -> Holder | None:
    """The process writing to the database now, or None."""
    path = lock_path(db)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # none, or one this process may not read: nobody it can name
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read(fd: int) -> Holder | None:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"null")
        return Holder(int(data["pid"]), str(data["host"]), str(data["since"]), str(data.get("command", "scan")))
    except (ValueError, TypeError, KeyError):
        return None


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
