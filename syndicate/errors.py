"""Errors a user can cause, each with a message that says what to do."""

from __future__ import annotations


class SyndicateError(Exception):
    """Base class: the CLI prints the message as one line and exits non-zero."""

    exit_code = 2
    multiline = False


class SettingsMismatchError(SyndicateError):
    """The database was built with other fingerprint settings."""


class DatabaseError(SyndicateError):
    """The database file cannot be used: missing, damaged, held open by another process, not writable, not syndicate's."""


class StorageError(SyndicateError):
    """Writing the database failed part way (a full disk, a file size limit, a read-only filesystem, an I/O error).

    Every batch committed before it stays; the next scan resumes.
    """

    exit_code = 74  # EX_IOERR


class InputError(SyndicateError):
    """An input path cannot be read at all (as opposed to one bad page inside it)."""


class EmptyInputError(InputError):
    """A scan found no page at all in its inputs (an empty folder, a typo in a path), and did not allow it."""


class QueryError(SyndicateError):
    """DuckDB refused a query: the message is DuckDB's, every line of it ("Did you mean", "Candidate bindings")."""

    multiline = True


class NotFoundError(SyndicateError):
    """A URL or document the user asked about is not in the database."""

    exit_code = 1


def one_line(exc: BaseException) -> str:
    """An exception as a one-line reason for the errors table."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
