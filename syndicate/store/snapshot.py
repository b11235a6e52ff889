"""A read-only copy of the database beside it, so that people can query while a scan writes.

DuckDB lets one process open a file for writing and no other process open it
meanwhile, not even to read. So the process that writes (scan, recluster,
prune, sql --write) publishes a snapshot, ``syndicate.snapshot.duckdb`` beside
``syndicate.duckdb``: at the end of each write command, and during a long scan
after a matching round, at most every ``SNAPSHOT_INTERVAL`` seconds. Readers
(the CLI's read commands, :func:`open_latest`, dashboards, notebooks) open the
snapshot; they never hold the live file, so a scan never waits for them and
they never wait for a scan.

A snapshot is always a whole, consistent database: only committed data (the
writer checkpoints first, and copies while no transaction is open), written
to a temporary file in the same folder, flushed to disk, and renamed over the
previous one in one step. A reader that has the old snapshot open keeps
reading it (the old file lives on until it is closed); the next open gets the
new one. A writer killed while publishing leaves the previous snapshot as it
was (and a temporary file that the next publication removes).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shutil
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from .database import Store
from .lock import LockedError, WriteLock, holder

log = logging.getLogger(__name__)

SNAPSHOT_INTERVAL = float(os.environ.get("SYNDICATE_SNAPSHOT_INTERVAL", 600))
"""Least seconds between two snapshots published during one scan (env SYNDICATE_SNAPSHOT_INTERVAL); one more is
always published at the end. 0 publishes after every matching round."""

SNAPSHOTS = os.environ.get("SYNDICATE_SNAPSHOT", "on").lower() not in ("0", "off", "no", "false")
"""Whether write commands publish snapshots at all (env SYNDICATE_SNAPSHOT=off turns them off)."""

_FICLONE = 0x40049409  # Linux ioctl: share the blocks of a file on a copy-on-write filesystem (btrfs, XFS, ZFS)


def snapshot_path(db: str | os.PathLike[str]) -> Path:
    """Where the snapshot of ``db`` lives: ``x.duckdb`` -> ``x.snapshot.duckdb``; ``x`` -> ``x.snapshot``."""
    db = Path(db)
    if db.suffix:
        return db.with_name(f"{db.stem}.snapshot{db.suffix}")
    return db.with_name(f"{db.name}.snapshot")


@dataclass(frozen=True)
class Reading:
    """What a reader opened: the live database or its snapshot, and how old that snapshot is."""

    path: Path
    snapshot: bool
    published_at: datetime | None = None  # when the snapshot was published (UTC)
    run_id: int | None = None  # the newest run it holds
    run_status: str | None = None  # "running" for a snapshot published during that run
    busy: str | None = None  # why the live database was not read: who is writing it

    def age_seconds(self, now: float | None = None) -> float | None:
        if self.published_at is None:
            return None
        return max(0.0, (now or time.time()) - self.published_at.timestamp())

    def describe(self) -> str:
        """One line for stderr: which snapshot is read and how old it is."""
        if not self.snapshot:
            return f"reading {self.path}"
        stamp = self.published_at.strftime("%Y-%m-%dT%H:%M:%SZ") if self.published_at else "?"
        age = _age(self.age_seconds() or 0.0)
        run = f"run {self.run_id}, {'mid-run' if self.run_status == 'running' else self.run_status}; " \
            if self.run_id is not None else ""
        return f"reading the snapshot of {stamp} ({run}{age} old)"


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def publish(db: str | os.PathLike[str]) -> Path | None:
    """Copy ``db`` to its snapshot atomically; the caller holds the write lock and no transaction is open.

    A database open for writing in this process must be checkpointed first
    (:meth:`Store.checkpoint`), so that the file holds every committed
    transaction. Returns the snapshot's path, or None when snapshots are off
    or the copy failed: a snapshot is a convenience for readers, and a
    failure to make one (a full disk) is logged and never fails the write.
    """
    if not SNAPSHOTS:
        return None
    db = Path(db)
    target = snapshot_path(db)
    _remove_leftovers(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        changed = os.stat(db).st_mtime_ns
        _copy(db, tmp)
        os.utime(tmp, ns=(time.time_ns(), changed))  # the snapshot bears the time of the data it holds
        os.replace(tmp, target)
        _sync_folder(target.parent)
    except OSError as exc:
        log.warning("could not publish the snapshot %s (%s); readers see the previous one", target,
                    exc.strerror or exc)
        with contextlib.suppress(OSError):
            tmp.unlink()
        return None
    return target


def _copy(source: Path, target: Path) -> None:
    with open(source, "rb") as src, open(target, "wb") as dst:
        try:
            fcntl.ioctl(dst.fileno(), _FICLONE, src.fileno())  # instant on a copy-on-write filesystem
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EXDEV, errno.EINVAL, errno.ENOTTY, errno.EBADF,
                                 errno.EPERM, errno.ENOSYS):
                raise
            shutil.copyfileobj(src, dst, 8 * 2**20)
        dst.flush()
        os.fsync(dst.fileno())


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_leftovers(target: Path) -> None:
    """Temporary files of publications killed part way (their process is gone: the caller holds the lock)."""
    for stale in target.parent.glob(f".{target.name}.tmp-*"):
        with contextlib.suppress(OSError):
            stale.unlink()


@contextlib.contextmanager
def writing(db: str | os.PathLike[str], command: str) -> Iterator[None]:
    """Hold the write lock for ``command`` and publish the snapshot when the block ends without an error.

    Open and close the database inside the block: the snapshot is copied from
    the closed file, before the lock is released. After an error the previous
    snapshot stays, and readers open the live database (nobody writes it).
    """
    with WriteLock(db, command):
        yield
        publish(db)


PUBLISHING_SHARE = 0.1
"""Most of a scan's time spent publishing snapshots during it: a copy of a large database takes minutes."""


class Publisher:
    """Publishes during a scan after a matching round: at most every ``interval`` seconds, and no more often than
    keeps the copies under PUBLISHING_SHARE of the scan's time (a copy that took 30 s waits 300 s for the next)."""

    def __init__(self, db: str | os.PathLike[str], interval: float = SNAPSHOT_INTERVAL) -> None:
        self.db, self.interval = db, interval
        self.last = time.monotonic()
        self.cost = 0.0  # seconds the last publication took
        self.published = 0

    def due(self) -> bool:
        wait = max(self.interval, self.cost / PUBLISHING_SHARE)
        return SNAPSHOTS and time.monotonic() - self.last >= wait

    def publish(self) -> None:
        started = time.monotonic()
        if publish(self.db) is not None:
            self.published += 1
        self.last = time.monotonic()
        self.cost = self.last - started


def current(db: str | os.PathLike[str]) -> bool:
    """Whether the snapshot holds everything the live database holds: the live file has not changed since it was
    copied (the snapshot bears its modification time), and no write-ahead log waits to be applied to it."""
    try:
        same = snapshot_path(db).stat().st_mtime_ns == Path(db).stat().st_mtime_ns
    except OSError:
        return False
    return same and not Path(f"{db}.wal").exists()


def describe_snapshot(path: Path, con: object) -> Reading:
    """The Reading of an opened snapshot: when it was published and the newest run it holds."""
    published = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)  # the time of the data it holds
    try:
        row = con.execute("SELECT run_id, status FROM runs ORDER BY run_id DESC LIMIT 1").fetchall()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a description, never a reason to fail the read
        row = []
    run_id, status = (int(row[0][0]), str(row[0][1])) if row else (None, None)
    return Reading(path, True, published, run_id, status)


def open_latest(db: str | os.PathLike[str], sandbox: bool = True) -> tuple[Store, Reading]:
    """Open the latest committed state of ``db`` read-only, without ever holding up a writer.

    The snapshot when it is current (nothing written since it was published):
    then the live file is not opened at all, so a scan can start at any time.
    Else the live database; and when a writer holds that, the snapshot as the
    writer last published it (``Reading.busy`` says who writes). Without a
    snapshot, the writer's LockedError (exit 75) as before.
    """
    db = Path(db)
    snapshot = snapshot_path(db)
    if current(db):
        store = Store.open(snapshot, read_only=True, sandbox=sandbox)
        writer = holder(db)  # none, or a writer that has written nothing since it published
        busy = f"{db} is being written by a {writer.command} ({writer.describe()})" if writer else None
        return store, replace(describe_snapshot(snapshot, store.con), busy=busy)
    try:
        return Store.open(db, read_only=True, sandbox=sandbox), Reading(db, False)
    except LockedError as exc:
        if not snapshot.exists():
            raise LockedError(f"{exc}; no snapshot to read meanwhile (the first write command publishes "
                              f"{snapshot.name})") from None
        store = Store.open(snapshot, read_only=True, sandbox=sandbox)
        return store, replace(describe_snapshot(snapshot, store.con), busy=str(exc).split(";")[0])
