"""What went wrong with the database file, in one line, from the error DuckDB or the system raised.

Used where such an error would otherwise end a command with a traceback: the
command line turns whatever escapes a command into one of these (see
``cli._Group``), and ``Store`` and the write lock use them for the errors they
meet themselves. A damaged file is a :class:`DatabaseError` (exit 2); a write
that fails part way (a full disk, a file size limit, a filesystem remounted
read-only, an I/O error) is a :class:`StorageError` (exit 74), after which
every batch committed before it stays.
"""

from __future__ import annotations

import errno
import os
import re

from ..errors import DatabaseError, StorageError, SyndicateError

# what each errno the system gives for a failed write means to the user, by its strerror text (DuckDB's
# messages carry the text, not the number)
WRITE_FAILURES = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file is larger than this process may write (ulimit -f) or the filesystem allows",
    errno.EROFS: "the filesystem is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EIO: "an I/O error (a failing disk or a lost network filesystem)",
}
_REMEDY = {errno.ENOSPC: "make room", errno.EDQUOT: "make room", errno.EFBIG: "raise the limit or make room",
           errno.EROFS: "fix the mount", errno.EACCES: "fix the permissions", errno.EPERM: "fix the permissions",
           errno.EIO: "check the disk"}
_STRERROR = {os.strerror(code): code for code in WRITE_FAILURES}
_FILE = re.compile(r'file "([^"]*)"')
_DAMAGED = ("Corrupt database file", "Could not read enough bytes", "not a valid DuckDB database", "Failed to deserialize")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def damaged_message(path: str, reason: str, check_hint: bool = False) -> str:
    """A database file DuckDB cannot read back: damaged blocks, a missing tail, a damaged header."""
    hint = "; 'syndicate check' tells whether the rest of it reads" if check_hint else ""
    return f"{path} is damaged or truncated ({_first_line(reason)}): restore it from a backup (or scan into a new --db){hint}"


def damaged(path: str, reason: str, check_hint: bool = False) -> DatabaseError:
    return DatabaseError(damaged_message(path, reason, check_hint))


def write_failure(exc: BaseException) -> tuple[int, str] | None:
    """(errno, the file) when ``exc`` is a failed write or open for writing, else None."""
    if isinstance(exc, OSError) and exc.errno in WRITE_FAILURES:
        return exc.errno, str(exc.filename or "")
    text = str(exc)
    for message, code in _STRERROR.items():
        if message in text:
            file = _FILE.search(text)
            return code, file.group(1) if file else ""
    return None


def explain(exc: BaseException, db: str | None = None) -> SyndicateError | None:
    """A one-line error for a database or storage failure anywhere in ``exc``'s chain, or None for anything else.

    The chain is read from its first cause: a failed write that made DuckDB
    invalidate the database, and the failed attempt to record the run after it,
    are reported as the failed write.
    """
    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    for error in reversed(chain):
        found = _explain_one(error, db)
        if found is not None:
            return found
    return None


def _explain_one(exc: BaseException, db: str | None) -> SyndicateError | None:
    if isinstance(exc, SyndicateError):
        return exc
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency
        duckdb = None
    is_duckdb = duckdb is not None and isinstance(exc, duckdb.Error)
    if not (is_duckdb or isinstance(exc, OSError)):
        return None
    text = str(exc)
    failed = write_failure(exc)
    if failed is not None:
        code, file = failed
        if is_duckdb or not file or db is None or os.path.abspath(file).startswith(os.path.abspath(db)):
            kept = ("; what the scan stored is kept in its .wal file, which the next open applies"
                    if "checkpoint" in text.lower() else "; every batch committed before it stays")
        else:  # not the database: a report, an export, Parquet files
            kept = ""
        return StorageError(f"cannot write {file or db or 'the database'}: {WRITE_FAILURES[code]} "
                            f"({_first_line(text)}){kept}: {_REMEDY[code]}, then run again")
    if is_duckdb and any(sign in text for sign in _DAMAGED):
        file = _FILE.search(text)
        return damaged(file.group(1) if file else db or "the database", text, check_hint=True)
    return None
