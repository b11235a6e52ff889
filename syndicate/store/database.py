"""The DuckDB database: schema, settings, and every write.

DuckDB is the index as well as the store: the LSH band hashes are the table
``bands`` and candidate pairs come from a join on it (see ``match.py``); a
scan looks the stored rows up in a sorted copy of that table kept beside the
database (``match/bandindex.py``), which follows every committed write.
All writes of a batch happen in one transaction, so an interrupted scan leaves
the database as it was after the last whole batch.
"""

from __future__ import annotations

import errno
import json
import logging
import math
import os
import re
import shutil
import socket
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

import duckdb
import numpy as np
import pyarrow as pa

from ..match.bandindex import BandIndex
from ..match.boilerplate import PageLines
from ..errors import DatabaseError, SettingsMismatchError, SyndicateError
from ..extract.evidence import site_of
from .failure import damaged, damaged_message, explain, write_failure
from .lock import LockedError, holder
from ..extract.article import Article, article_key
from ..fingerprint.minhash import ANCHOR_BAND, PARAGRAPH_BAND, Fingerprint, anchors
from ..match.origin import Origin
from ..read.page import ReadError
from .schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION, TABLES, VIEWS
from ..settings import Settings
from ..sqlutil import copy_to, ids, registered

# Below this many band rows (about 225k stored pages) a join on the table is as fast as
# the band index (measured: 0.3-0.4 s against 0.5-0.7 s for 10k new pages and 100k
# stored), so none is built; SYNDICATE_BAND_INDEX_MIN_ROWS overrides it.
BAND_INDEX_MIN_ROWS = 20_000_000
log = logging.getLogger(__name__)

# A sandboxed connection (``Store.open(..., sandbox=True)``: ``syndicate sql`` without --write and the
# query commands) reaches the database file and nothing else. Given at connect, before any query runs:
SANDBOX_CONFIG = {
    # no file, URL or other database: read_csv/read_text/read_blob/glob, COPY, EXPORT/IMPORT DATABASE,
    # ATTACH of a file (a hard link to this database included), INSTALL, LOAD of a file, secrets on disk
    "enable_external_access": False,
    # no extension fetched or loaded behind a query's back (the built-in ones keep working)
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    # SQL cannot read the Python objects of the process by naming them (DuckDB's replacement scans)
    "python_enable_replacements": False,
    # no SET, RESET or PRAGMA can change any setting back (nor profiling_output, temp_directory, logging ...)
    "lock_configuration": True,
}  # and "temp_directory": a private one (see Store.open)



_CONFLICTING_LOCK = re.compile(r"Conflicting lock is held in (.*?) \(PID (\d+)\)")


def _open_failure(path: str, read_only: bool, exc: duckdb.IOException) -> str:
    """What stops DuckDB opening ``path``, in one line that names the cause (never this process's own lock).

    The write lock (exit 75) is another scan's; a file DuckDB cannot lock is
    held open by some other process, most often a reader: a different fault,
    which a nightly job must not mistake for "try again later".
    """
    message = str(exc)
    mode = "reading" if read_only else "writing"
    held = _CONFLICTING_LOCK.search(message)
    if held:
        program, pid = held.group(1).strip() or "a program", held.group(2)
        return (f"cannot open {path} for {mode}: another process has it open (pid {pid}, {program}), not a syndicate "
                "scan: a reader such as 'syndicate sql', a notebook or a dashboard. DuckDB lets no other process open "
                "a database file while one writes to it: close that process, then run again")
    first = message.splitlines()[0] if message else type(exc).__name__
    if "Could not read enough bytes" in message:  # shorter than its own header
        return damaged_message(path, first)
    if "Permission denied" in message or "Read-only file system" in message:
        return f"cannot open {path} for {mode}: {first} (check the file's and its folder's permissions)"
    if "not a valid DuckDB database" in message or "database file" in message.lower():
        return (f"cannot open {path}: it is not a readable DuckDB database ({first}); restore it from a backup, "
                "or use another --db")
    return f"cannot open database {path}: {first}"


def _check_stored_settings(text: str) -> None:
    """Refuse stored settings of the wrong type (ValueError), which would fail deep inside a scan, not here."""
    data = json.loads(text)
    if not isinstance(data, dict):
        return  # Settings.from_json says so
    defaults = Settings()
    for key in Settings.KEYS:
        if key not in data:
            continue
        value, default = data[key], getattr(defaults, key)
        if isinstance(default, str):
            right = isinstance(value, str)
        elif isinstance(default, int):
            right = type(value) is int and value >= 0
        else:
            right = type(value) in (int, float) and math.isfinite(value)
        if not right:
            kind = "text" if isinstance(default, str) else "a whole number >= 0" if isinstance(default, int) else "a number"
            raise ValueError(f"setting {key} is {value!r}, not {kind}")
    if not 0 <= data.get("seed", 0) < 2**32:
        raise ValueError(f"setting seed is {data['seed']!r}, not below 2**32")


@dataclass(frozen=True)
class StoredPage:
    """A page already in the database, as needed to decide whether to re-extract it."""

    doc_id: int
    content_hash: str


def _utc_naive(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _article_key_or_none(url: str | None, canonical: str | None) -> str | None:
    return article_key(url, canonical) if url else None


def no_article_reason(art: Article) -> str:
    """Why a stored page has no article: what its text says (a wall), else no text, else too short to be one."""
    return art.status_reason or ("no_text" if not art.text.strip() else "short")


# how far apart the two pages' publication dates are (NULL when one is undated)
HOURS_APART_SQL = """
UPDATE matches SET hours_apart = round(abs(date_diff('second', a.published_at, b.published_at)) / 3600.0, 2)
FROM new_pairs n, documents a, documents b
WHERE matches.doc_a = n.doc_a AND matches.doc_b = n.doc_b AND a.doc_id = n.doc_a AND b.doc_id = n.doc_b
"""


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Store:
    """One open syndicate database.

    Open it with :meth:`open`; the first scan records its settings and every
    later scan must use the same ones.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, settings: Settings) -> None:
        self.con = con
        self.path = path
        self.settings = settings
        self.band_index: BandIndex | None = None  # writable file databases only
        self._db_id = ""
        self._band_seq = 0
        self._in_transaction = False
        # band rows written and documents removed by the open transaction, for the band index once committed
        self._pending: tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray], list[np.ndarray]] | None = None
        self._scratch: str | None = None  # the private temp directory of a sandboxed connection
        self.writable = False  # opened for writing: checkpointed when its ``with`` block ends

    @classmethod
    def open(cls, path: str | os.PathLike[str], settings: Settings | None = None, read_only: bool = False,
             sandbox: bool = False) -> "Store":
        """Open (or create) a database.

        ``settings`` None means "whatever the database was built with"
        (defaults for a new one); given settings that differ from the stored
        ones are refused, since fingerprints made with them would not compare.
        ``sandbox`` (read-only opens only) makes the connection reach this
        database and nothing else (:data:`SANDBOX_CONFIG`): no file, URL,
        other database or extension, and no setting can be changed back.
        DuckDB shares one open database per file within a process only
        between connections of the same settings: close a store before
        opening the same file sandboxed (or not) again.
        """
        path = str(path)
        if sandbox and not read_only:
            raise ValueError("a sandboxed database is opened read-only")
        if read_only and not Path(path).exists():
            raise DatabaseError(f"no database at {path}; run 'syndicate scan PATH --db {path}' first")
        if not sandbox:
            return cls._open(path, settings, read_only, {})
        # DuckDB lets a query reach its temp directory (<db>.tmp beside the database by default): a private
        # one, removed on close, keeps spilling to disk possible and holds nothing but this connection's files
        scratch = tempfile.mkdtemp(prefix="syndicate-sandbox-")
        try:
            store = cls._open(path, settings, read_only, {**SANDBOX_CONFIG, "temp_directory": scratch})
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        store._scratch = scratch
        return store

    @classmethod
    def _open(cls, path: str, settings: Settings | None, read_only: bool, config: dict) -> "Store":
        try:
            con = duckdb.connect(path, read_only=read_only, config=config)
        except duckdb.IOException as exc:
            writer = holder(path)
            if writer is not None and (writer.pid, writer.host) != (os.getpid(), socket.gethostname()):
                raise LockedError(
                    f"{path} is being written by a {writer.command} ({writer.describe()}); try again when it finishes"
                ) from None
            full = write_failure(exc)  # creating a database on a full disk
            if full is not None and full[0] not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise explain(exc, path) from None
            raise DatabaseError(_open_failure(path, read_only, exc)) from None
        except duckdb.ConnectionException as exc:
            if "different configuration" not in str(exc):
                raise DatabaseError(f"cannot open database {path}: {str(exc).splitlines()[0]}") from None
            raise DatabaseError(f"{path} is already open in this process with other settings (sandboxed or not, "
                                "read-only or not); close it first") from None
        except duckdb.Error as exc:
            if "Corrupt database file" in str(exc):  # a block read at open fails its checksum
                raise damaged(path, str(exc)) from None
            raise DatabaseError(f"{path} is not a DuckDB database ({str(exc).splitlines()[0]})") from None
        try:
            stored = cls._stored_settings(con, path)
            if stored is None:
                if read_only:
                    raise DatabaseError(f"{path} is not a syndicate database; run 'syndicate scan' to create one")
                settings = settings or Settings()
                con.execute("BEGIN")
                con.execute(SCHEMA)
                con.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?), ('settings', ?)",
                    [str(SCHEMA_VERSION), settings.to_json()],
                )
                con.execute(VIEWS)
                con.execute("COMMIT")
            else:
                if settings is not None and settings != stored:
                    fixed = stored.differences(settings, Settings.FINGERPRINT_KEYS)
                    if fixed:
                        raise SettingsMismatchError(
                            f"{path} was built with other fingerprint settings ({'; '.join(fixed)}), which are fixed "
                            "at the first scan; scan with the stored settings or use a new --db"
                        )
                    raise SettingsMismatchError(
                        f"{path} judges matches with other settings ({'; '.join(stored.differences(settings))}); "
                        f"change them with 'syndicate recluster --db {path}' and the same options (no rescan needed)"
                    )
                settings = stored
                if not read_only:
                    cls._migrate(con, path)
        except duckdb.Error as exc:  # reading the meta table met a damaged block, creating the schema a full disk
            con.close()
            failure = explain(exc, path)
            if failure is None:
                raise
            raise failure from None
        except BaseException:
            con.close()
            raise
        store = cls(con, path, settings)
        store.writable = not read_only
        if not read_only:
            store._attach_band_index()
        return store

    def _attach_band_index(self) -> None:
        """Open the band table's sorted copy; databases from before it get their id and band_seq here."""
        self.band_index = BandIndex.beside(self.path)
        if self.band_index is None:
            return
        meta = dict(self.con.execute("SELECT key, value FROM meta WHERE key IN ('db_id', 'band_seq')").fetchall())
        for key, value in (("db_id", uuid.uuid4().hex), ("band_seq", "0")):
            if key not in meta:
                self.con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])
                meta[key] = value
        try:
            self._db_id, self._band_seq = meta["db_id"], int(meta["band_seq"])
        except (TypeError, ValueError):
            delete = "DELETE FROM meta WHERE key IN ('db_id', 'band_seq')"
            raise DatabaseError(
                f"{self.path} has a damaged meta table (band_seq is {meta['band_seq']!r}, not a number); it only "
                "dates the band index: delete it and db_id, and the index is rebuilt "
                f"(python -c \"import duckdb; duckdb.connect({self.path!r}).execute(\\\"{delete}\\\")\")") from None

    @staticmethod
    def _migrate(con: duckdb.DuckDBPyConnection, path: str) -> None:
        """Bring an older database to SCHEMA_VERSION, one versioned step at a time, in one transaction.

        Read-only opens leave an older database as it is: every query that
        worked on it still works.
        """
        version = int(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()[0][0])
        if version == SCHEMA_VERSION:
            return
        if any(step not in MIGRATIONS for step in range(version, SCHEMA_VERSION)):
            raise DatabaseError(f"{path} has schema {version}, which this syndicate cannot upgrade; use a new --db")
        # migrations may call the Python rules that fill new columns
        con.create_function("syndicate_article_key", _article_key_or_none, ["VARCHAR", "VARCHAR"], "VARCHAR",
                            null_handling="special")
        con.execute("BEGIN")
        try:
            for step in range(version, SCHEMA_VERSION):
                con.execute(MIGRATIONS[step])
            con.execute(VIEWS)
            con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise DatabaseError(
                f"cannot upgrade {path} from schema {version} to {SCHEMA_VERSION} ({str(exc).splitlines()[0]}); "
                "it is unchanged: keep using the syndicate that wrote it"
            ) from None

    @staticmethod
    def _stored_settings(con: duckdb.DuckDBPyConnection, path: str) -> Settings | None:
        has_meta = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main'"
        ).fetchall()[0][0]
        if not has_meta:
            tables = con.execute("SELECT count(*) FROM information_schema.tables").fetchall()[0][0]
            if tables:
                raise DatabaseError(f"{path} is a DuckDB database but not a syndicate one; use another --db")
            return None
        try:
            rows = dict(con.execute("SELECT key, value FROM meta").fetchall())
        except duckdb.IOException as exc:  # a truncated file fails on its first read, not at connect
            raise DatabaseError(
                f"cannot read {path}: {str(exc).splitlines()[0]}; the file is damaged or truncated: "
                "restore it from a backup (or scan into a new --db)"
            ) from None
        try:
            version = int(rows["schema_version"])
            _check_stored_settings(rows["settings"])
            settings = Settings.from_json(rows["settings"])
        except (KeyError, TypeError, ValueError, AttributeError, SyndicateError) as exc:  # JSONDecodeError: a ValueError
            reason = (f"no {exc.args[0]!r} row" if isinstance(exc, KeyError)
                      else f"{type(exc).__name__}: {str(exc).splitlines()[0].lstrip('-') if str(exc) else repr(exc)}")
            raise DatabaseError(
                f"{path} has a damaged meta table ({reason}); "
                "restore it from a backup, or put back the 'schema_version' and 'settings' rows it was built with"
            ) from None
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path} was written by a newer syndicate (schema {version}, this one reads {SCHEMA_VERSION}); upgrade syndicate"
            )
        return settings

    def set_verdict(self, settings: Settings) -> None:
        """Record new verdict settings (``syndicate recluster``); the fingerprint settings cannot change."""
        fixed = self.settings.differences(settings, Settings.FINGERPRINT_KEYS)
        if fixed:
            raise SettingsMismatchError(f"fingerprint settings are fixed at the first scan ({'; '.join(fixed)})")
        self.con.execute("UPDATE meta SET value = ? WHERE key = 'settings'", [settings.to_json()])
        self.settings = settings

    def close(self) -> None:
        self.con.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None and self.writable:
            self.checkpoint()
        self.close()

    def checkpoint(self) -> None:
        """Write the committed transactions into the database file now, failing loudly.

        DuckDB does it on close too, but there a failure (a full disk, a file
        size limit) is silent: the data stays in ``<db>.wal``, which the next
        open applies, and nobody learns that the disk is full.
        """
        try:
            self.con.execute("CHECKPOINT")
        except duckdb.Error as exc:
            failure = explain(exc, self.path)
            if failure is None:
                log.warning("checkpoint of %s deferred to the next open (%s)", self.path, str(exc).splitlines()[0])
                return
            self.close()
            raise failure from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: a batch is either wholly stored or not at all.

        The band index follows once the transaction is committed.
        """
        self.con.execute("BEGIN")
        self._in_transaction = True
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException:
            self._in_transaction = False
            if self._pending is not None:
                self._pending = None
                self._band_seq -= 1
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the failed COMMIT already rolled back
            raise
        self._in_transaction = False
        self._flush_bands()

    # --- the band index ---------------------------------------------------

    def _note_bands(self, bands: np.ndarray | None = None, hashes: np.ndarray | None = None,
                    docs: np.ndarray | None = None, gone: Sequence[int] = ()) -> None:
        """Record band rows written (or documents whose rows were deleted) for the band index."""
        if self.band_index is None:
            return
        if self._pending is None:
            self._pending = ([], [], [], [])
            self._band_seq += 1
            self.con.execute("UPDATE meta SET value = ? WHERE key = 'band_seq'", [str(self._band_seq)])
        if bands is not None:
            self._pending[0].append(np.asarray(bands))
            self._pending[1].append(np.asarray(hashes))
            self._pending[2].append(np.asarray(docs))
        if len(gone):
            self._pending[3].append(np.asarray(gone, dtype=np.int64))
        if not self._in_transaction:
            self._flush_bands()

    def _flush_bands(self) -> None:
        """Append the committed transaction's band rows to the band index, if it was up to date before it."""
        pending, self._pending = self._pending, None
        index = self.band_index
        if pending is None or index is None or index.db_id != self._db_id or index.seq != self._band_seq - 1:
            return  # nothing written, or the index is behind anyway: rebuilt when next needed
        bands, hashes, docs, gone = (np.concatenate(part) if part else np.empty(0, dtype)
                                     for part, dtype in zip(pending, (np.int16, np.uint64, np.int64, np.int64)))
        try:
            index.append(bands, hashes, docs, gone, self._band_seq, self._band_rows())
        except Exception as exc:  # the batch is committed; the index is a copy, rebuilt from the table
            log.warning("band index not updated (%s); the next scan rebuilds it", exc)
            index.invalidate()

    def _band_rows(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM bands").fetchall()[0][0])

    def band_index_min_rows(self) -> int:
        return int(os.environ.get("SYNDICATE_BAND_INDEX_MIN_ROWS", BAND_INDEX_MIN_ROWS))

    def _band_index_state(self) -> tuple[bool, bool]:
        """(use the band index, it is up to date).

        An up-to-date index is used at any size; one is built only once the
        table has ``BAND_INDEX_MIN_ROWS`` rows.
        """
        if self.band_index is None:
            return False, False
        rows = self._band_rows()
        current = self.band_index.current(self._db_id, self._band_seq, rows)
        return current or rows >= self.band_index_min_rows(), current

    def uses_band_index(self) -> bool:
        """Whether candidates will come from the band index."""
        return self._band_index_state()[0]

    def band_lookup(self) -> BandIndex | None:
        """The band index, rebuilt first when it does not match the table; None to join on the table instead."""
        if self._pending is not None:
            return None
        use, current = self._band_index_state()
        index = self.band_index
        if not use or index is None:
            return None
        if not current:
            log.info("building the band index %s", index.folder)
            try:
                index.rebuild(self.con, self._db_id, self._band_seq)
            except Exception as exc:  # e.g. a full disk: the join on the table gives the same candidates
                log.warning("cannot build the band index (%s); joining on the band table", exc)
                index.invalidate()
                return None
        return index

    def export_parquet(self, folder: str | os.PathLike[str]) -> list[Path]:
        """Every table and the ``syndication`` view as ``folder/<name>.parquet``, for DuckDB, Spark or pandas.

        DuckDB queries them in place: ``SELECT * FROM 'folder/matches.parquet'``.
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in (*TABLES, "syndication"):
            copy_to(self.con, f"SELECT * FROM {name}", out / f"{name}.parquet")
            written.append(out / f"{name}.parquet")
        return written

    # --- reads -----------------------------------------------------------

    def stored_pages(self, urls: Sequence[str]) -> dict[str, StoredPage]:
        """Stored doc_id and content hash of the given URLs that are in the database."""
        if not urls:
            return {}
        wanted = pa.table({"url": pa.array(list(set(urls)), pa.string())})
        with registered(self.con, wanted=wanted):
            rows = self.con.execute(
                "SELECT d.url, d.doc_id, d.content_hash FROM documents d JOIN wanted w ON d.url = w.url"
            ).fetchall()
        return {url: StoredPage(doc_id, chash) for url, doc_id, chash in rows}

    def known_hashes(self, hashes: Sequence[str]) -> dict[str, set[str]]:
        """URLs stored under each of the given content hashes."""
        if not hashes:
            return {}
        wanted = pa.table({"h": pa.array(list(set(hashes)), pa.string())})
        out: dict[str, set[str]] = {}
        with registered(self.con, wanted=wanted):
            rows = self.con.execute(
                "SELECT d.content_hash, d.url FROM documents d JOIN wanted w ON d.content_hash = w.h"
            ).fetchall()
        for chash, url in rows:
            out.setdefault(chash, set()).add(url)
        return out

    def next_doc_id(self) -> int:
        return int(self.con.execute("SELECT coalesce(max(doc_id), 0) + 1 FROM documents").fetchall()[0][0])

    def page_lines(self, doc_ids: Sequence[int]) -> dict[int, PageLines]:
        """Stored articles as verification sees them (site and lines)."""
        if not doc_ids:
            return {}
        with registered(self.con, wanted=ids(doc_ids)):
            rows = self.con.execute(
                "SELECT d.doc_id, d.domain, d.text, d.title, d.article_key FROM documents d JOIN wanted w USING (doc_id)"
            ).fetchall()
        return {doc_id: PageLines.of(site_of(domain or ""), text or "", title=title, article_key=key or "")
                for doc_id, domain, text, title, key in rows}

    def template_pages(self, pages: Sequence[PageLines]) -> dict[tuple[str, int], int]:
        """How many stored pages of each site carry each line of the given pages."""
        keys = {(p.site, h) for p in pages if p.site for h in p.hashes}
        if not keys:
            return {}
        sites, hashes = zip(*keys)
        wanted = pa.table({"site": pa.array(sites, pa.string()), "h": pa.array(hashes, pa.uint64())})
        with registered(self.con, wanted=wanted):
            rows = self.con.execute(
                "SELECT s.site, s.line_hash, s.pages FROM site_lines s JOIN wanted w ON s.site = w.site AND s.line_hash = w.h"
            ).fetchall()
        return {(site, h): n for site, h, n in rows}

    def texts(self, doc_ids: Sequence[int]) -> dict[int, str]:
        """Stored article text of the given documents."""
        if not doc_ids:
            return {}
        with registered(self.con, wanted=ids(doc_ids)):
            rows = self.con.execute(
                "SELECT d.doc_id, d.text FROM documents d JOIN wanted w USING (doc_id)"
            ).fetchall()
        return dict(rows)

    # --- writes ----------------------------------------------------------

    def start_run(self, paths: Sequence[str]) -> int:
        run_id = int(self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchall()[0][0])
        self.con.execute(
            "INSERT INTO runs (run_id, started_at, status, paths, settings) VALUES (?, ?, 'running', ?, ?)",
            [run_id, _now(), "\n".join(paths), self.settings.to_json()],
        )
        return run_id

    def mark_interrupted_runs(self) -> list[int]:
        """Runs still marked running: their process died (the caller holds the write lock)."""
        rows = [r[0] for r in self.con.execute("SELECT run_id FROM runs WHERE status = 'running' ORDER BY 1").fetchall()]
        if rows:
            self.con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        return rows

    def finish_run(self, run_id: int, status: str, counts: dict[str, int], seconds: float) -> None:
        columns = ", ".join(f"{name} = ?" for name in counts)
        self.con.execute(
            f"UPDATE runs SET finished_at = ?, status = ?, seconds = ?, {columns} WHERE run_id = ?",
            [_now(), status, seconds, *counts.values(), run_id],
        )

    def add_errors(self, run_id: int, errors: Sequence[ReadError]) -> None:
        if errors:
            self.con.executemany(
                "INSERT INTO errors (run_id, source, record, reason, kind) VALUES (?, ?, ?, ?, ?)",
                [(run_id, e.source, e.record, e.reason, e.kind) for e in errors],
            )

    def count_site_lines(self, pages: Sequence[PageLines], sign: int = 1) -> None:
        """Add (sign 1) or remove (sign -1) pages' lines to the per-site line counts."""
        counts: dict[tuple[str, int], int] = {}
        for page in pages:
            if page.site:
                for h in page.distinct():
                    counts[(page.site, h)] = counts.get((page.site, h), 0) + sign
        if not counts:
            return
        (sites, hashes), deltas = zip(*counts.keys()), list(counts.values())
        delta = pa.table({"site": pa.array(sites, pa.string()), "h": pa.array(hashes, pa.uint64()),
                          "n": pa.array(deltas, pa.int32())})
        with registered(self.con, delta=delta):
            self.con.execute(
                "UPDATE site_lines s SET pages = s.pages + d.n FROM delta d WHERE s.site = d.site AND s.line_hash = d.h")
            self.con.execute(
                """INSERT INTO site_lines SELECT d.site, d.h, d.n FROM delta d
                   WHERE d.n > 0 AND NOT EXISTS (
                       SELECT 1 FROM site_lines s WHERE s.site = d.site AND s.line_hash = d.h)""")
            if sign < 0:
                self.con.execute("DELETE FROM site_lines WHERE pages <= 0")

    def delete_documents(self, doc_ids: Sequence[int]) -> None:
        """Remove documents with their links, signatures, bands and matches.

        Cluster rows stay until :func:`syndicate.match.cluster.recluster`
        recomputes those clusters.
        """
        if not doc_ids:
            return
        articles = self._articles(doc_ids)
        self._note_bands(gone=doc_ids)
        self.count_site_lines([p for doc_id, p in self.page_lines(list(articles)).items()], sign=-1)
        with registered(self.con, gone=ids(doc_ids)):
            for table in ("links", "evidence", "signatures", "bands", "documents"):
                self.con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM gone)")
            self.con.execute(
                "DELETE FROM matches WHERE doc_a IN (SELECT doc_id FROM gone) OR doc_b IN (SELECT doc_id FROM gone)"
            )

    def write_documents(
        self, rows: Sequence[tuple[int, Article, Fingerprint | None, datetime]], now: datetime | None = None
    ) -> None:
        """Insert documents (doc_id, article, fingerprint or None, first_seen) with their index rows."""
        if not rows:
            return
        now = now or _now()
        doc = {name: [] for name in (
            "doc_id", "url", "domain", "site", "title", "author", "sitename", "published_at", "fetched_at",
            "modified_at", "canonical_url", "language", "source", "record", "content_hash", "status", "word_count",
            "shingle_count", "text", "first_seen", "last_seen", "matched", "crawled_url", "status_reason", "article_key", "extract_mode")}
        link_rows: dict[str, list] = {"doc_id": [], "url": [], "text": []}
        evidence_rows: dict[str, list] = {"doc_id": [], "kind": [], "url": [], "publisher": [], "text": []}
        sig_ids: list[int] = []
        sigs: list[np.ndarray] = []
        band_ids: list[np.ndarray] = []
        band_hashes: list[np.ndarray] = []
        band_docs: list[np.ndarray] = []
        for doc_id, art, fp, first_seen in rows:
            values = dict(
                doc_id=doc_id, url=art.url, domain=art.domain, site=site_of(art.domain), title=art.title, author=art.author,
                sitename=art.sitename, published_at=_utc_naive(art.published_at),
                fetched_at=_utc_naive(art.fetched_at), modified_at=_utc_naive(art.modified_at),
                canonical_url=art.canonical_url,
                language=art.language, source=art.source, record=art.record, content_hash=art.content_hash,
                status="article" if fp is not None else "no_article", word_count=art.word_count,
                shingle_count=fp.shingle_count if fp is not None else 0, text=art.text,
                first_seen=_utc_naive(first_seen), last_seen=now, matched=False,
                crawled_url=art.crawled_url or art.url, status_reason=None if fp is not None else no_article_reason(art),
                article_key=art.article_key, extract_mode=art.extract_mode,
            )
            for name, value in values.items():
                doc[name].append(value)
            for link in art.links:
                link_rows["doc_id"].append(doc_id)
                link_rows["url"].append(link.url)
                link_rows["text"].append(link.text)
            for ev in art.evidence:
                for name, value in (("doc_id", doc_id), ("kind", ev.kind), ("url", ev.url),
                                    ("publisher", ev.publisher), ("text", ev.text)):
                    evidence_rows[name].append(value)
            if fp is not None:
                sig_ids.append(doc_id)
                sigs.append(fp.signature)
                anchor = anchors(fp.shingles, self.settings.anchor_rate)
                n, k, m = len(fp.bands), len(fp.paragraphs), len(anchor)
                band_ids.append(np.concatenate([np.arange(n, dtype=np.int16), np.full(k, PARAGRAPH_BAND, dtype=np.int16),
                                                np.full(m, ANCHOR_BAND, dtype=np.int16)]))
                band_hashes.append(np.concatenate([fp.bands, fp.paragraphs, anchor]))
                band_docs.append(np.full(n + k + m, doc_id, dtype=np.int64))
        ts = pa.timestamp("us")
        doc_types = {"published_at": ts, "fetched_at": ts, "modified_at": ts, "first_seen": ts, "last_seen": ts,
                     "doc_id": pa.int64(), "word_count": pa.int32(), "shingle_count": pa.int32(),
                     "matched": pa.bool_()}
        new_docs = pa.table({k: pa.array(v, doc_types.get(k, pa.string())) for k, v in doc.items()})
        self._insert("documents", new_docs)
        if link_rows["doc_id"]:
            self._insert("links", pa.table({
                "doc_id": pa.array(link_rows["doc_id"], pa.int64()),
                "url": pa.array(link_rows["url"], pa.string()),
                "text": pa.array(link_rows["text"], pa.string()),
            }))
        if evidence_rows["doc_id"]:
            self._insert("evidence", pa.table({k: pa.array(v, pa.int64() if k == "doc_id" else pa.string())
                                               for k, v in evidence_rows.items()}))
        if sig_ids:
            num_perm = self.settings.num_perm
            flat = pa.array(np.concatenate(sigs), pa.uint32())
            self._insert("signatures", pa.table({
                "doc_id": pa.array(sig_ids, pa.int64()),
                "minhash": pa.ListArray.from_arrays(pa.array(np.arange(0, len(flat) + 1, num_perm, dtype=np.int32)), flat),
            }))
            self.add_band_rows(np.concatenate(band_ids), np.concatenate(band_hashes), np.concatenate(band_docs))

    def add_band_rows(self, bands: np.ndarray, hashes: np.ndarray, docs: np.ndarray) -> None:
        """Insert rows into ``bands`` (and, once committed, into the band index)."""
        self._insert("bands", pa.table({"band": pa.array(bands, pa.int16()), "hash": pa.array(hashes, pa.uint64()),
                                        "doc_id": pa.array(docs, pa.int64())}))
        self._note_bands(bands, hashes, docs)

    def _articles(self, doc_ids: Sequence[int]) -> set[int]:
        with registered(self.con, wanted=ids(doc_ids)):
            return {r[0] for r in self.con.execute(
                "SELECT doc_id FROM documents WHERE status = 'article' AND doc_id IN (SELECT doc_id FROM wanted)").fetchall()}

    def touch_documents(self, doc_ids: Sequence[int], now: datetime | None = None) -> None:
        """Mark stored pages as seen again in this crawl."""
        if doc_ids:
            with registered(self.con, seen=ids(doc_ids)):
                self.con.execute(
                    "UPDATE documents SET last_seen = ? WHERE doc_id IN (SELECT doc_id FROM seen)", [now or _now()]
                )

    def first_seen(self, doc_ids: Sequence[int]) -> dict[int, datetime]:
        if not doc_ids:
            return {}
        with registered(self.con, wanted=ids(doc_ids)):
            return dict(self.con.execute(
                "SELECT doc_id, first_seen FROM documents WHERE doc_id IN (SELECT doc_id FROM wanted)").fetchall())

    def pending(self) -> dict[int, bool]:
        """Stored pages not matched yet: doc_id -> whether it carries an article."""
        return dict(self.con.execute(
            "SELECT doc_id, status = 'article' FROM documents WHERE NOT matched ORDER BY doc_id").fetchall())

    def mark_matched(self, doc_ids: Sequence[int]) -> None:
        with registered(self.con, done=ids(doc_ids)):
            self.con.execute("UPDATE documents SET matched = true WHERE doc_id IN (SELECT doc_id FROM done)")

    def urls(self, doc_ids: Sequence[int]) -> list[str]:
        with registered(self.con, wanted=ids(doc_ids)):
            return [r[0] for r in self.con.execute(
                "SELECT url FROM documents WHERE doc_id IN (SELECT doc_id FROM wanted)").fetchall()]

    def same_site_matches(self, sites: set[str]) -> list[tuple[int, int]]:
        """Stored matches between two pages of one of these sites."""
        if not sites:
            return []
        wanted = pa.table({"site": pa.array(sorted(sites), pa.string())})
        with registered(self.con, wanted=wanted):
            return [tuple(r) for r in self.con.execute(
            """SELECT m.doc_a, m.doc_b FROM matches m
               JOIN documents a ON a.doc_id = m.doc_a JOIN documents b ON b.doc_id = m.doc_b
               WHERE a.site = b.site AND a.site IN (SELECT site FROM wanted) ORDER BY 1, 2""").fetchall()]

    def delete_matches(self, pairs: Sequence[tuple[int, int]]) -> None:
        if pairs:
            a, b = zip(*pairs)
            gone = pa.table({"a": pa.array(a, pa.int64()), "b": pa.array(b, pa.int64())})
            with registered(self.con, gone=gone):
                self.con.execute("DELETE FROM matches USING gone WHERE matches.doc_a = gone.a AND matches.doc_b = gone.b")

    MATCH_COLUMNS = (("doc_a", pa.int64()), ("doc_b", pa.int64()), ("similarity", pa.float64()),
                     ("containment", pa.float64()), ("kind", pa.string()), ("shared", pa.int32()),
                     ("trigram_containment", pa.float64()), ("trigram_coverage", pa.float64()),
                     ("longest_run", pa.int32()), ("shared_sentences", pa.int32()), ("title_similarity", pa.float64()))

    def write_matches(self, matches: Sequence[tuple]) -> None:
        """Insert ``Match.as_row()`` rows (ids, similarity, containment, kind, then the other scores)."""
        if matches:
            columns = list(zip(*matches))
            columns += [(None,) * len(matches)] * (len(self.MATCH_COLUMNS) - len(columns))
            table = pa.table({name: pa.array(values, kind) for (name, kind), values in zip(self.MATCH_COLUMNS, columns)})
            self._insert("matches", table)
            with registered(self.con, new_pairs=table.select(["doc_a", "doc_b"])):
                self.con.execute(HOURS_APART_SQL)

    def cluster_ids(self, doc_ids: Sequence[int]) -> list[int]:
        """Current cluster ids of the given documents."""
        if not doc_ids:
            return []
        with registered(self.con, wanted=ids(doc_ids)):
            return [r[0] for r in self.con.execute(
                "SELECT DISTINCT cluster_id FROM clusters WHERE doc_id IN (SELECT doc_id FROM wanted)").fetchall()]

    def replace_clusters(self, doc_ids: Sequence[int], assignment: dict[int, int]) -> None:
        """Drop the cluster rows of ``doc_ids`` and store ``assignment`` (doc_id -> cluster_id)."""
        if doc_ids:
            with registered(self.con, gone=ids(doc_ids)):
                self.con.execute("DELETE FROM clusters WHERE doc_id IN (SELECT doc_id FROM gone)")
        if assignment:
            self._insert("clusters", pa.table({
                "doc_id": pa.array(list(assignment.keys()), pa.int64()),
                "cluster_id": pa.array(list(assignment.values()), pa.int64()),
            }))

    def replace_origins(self, cluster_ids: Sequence[int], origins: Sequence[Origin]) -> None:
        """Drop the origins of ``cluster_ids`` and store ``origins``."""
        if cluster_ids:
            with registered(self.con, gone=ids(cluster_ids, "cluster_id")):
                self.con.execute("DELETE FROM origins WHERE cluster_id IN (SELECT cluster_id FROM gone)")
        if origins:
            columns = ("cluster_id", "origin_doc_id", "origin_url", "origin_domain", "publisher", "confidence", "method", "evidence")
            types = {"cluster_id": pa.int64(), "origin_doc_id": pa.int64(), "confidence": pa.float64()}
            self._insert("origins", pa.table({
                c: pa.array([getattr(o, c) for o in origins], types.get(c, pa.string())) for c in columns
            }))

    def _insert(self, table: str, data: pa.Table) -> None:
        with registered(self.con, _batch=data):
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _batch")
