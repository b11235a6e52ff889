"""The records a reader yields: a crawled page, or the reason a record could not be read."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Union

from .urls import normalize_url

DEFAULT_MAX_PAGE_BYTES = 10 * 2**20
"""The page size limit readers apply when the scan gives none (the default of ``--max-page-mb``)."""


@dataclass(frozen=True)
class Page:
    """One crawled page as read, before extraction.

    ``url`` is the URL the crawl recorded, or None when the input has none (a
    bare HTML file): extraction then takes it from the page's own og:url or
    canonical link, else ``fallback_url`` (the file's path as a file:// URL).
    Exactly one of ``html`` and ``text`` is set; ``text`` is an article already
    extracted upstream.

    ``url`` is normalised as the page is read (tracking parameters, fragment
    and default port dropped: :func:`syndicate.read.urls.normalize_url`), so
    one page crawled under several spellings is one document; ``crawled_url``
    keeps the URL exactly as the crawl recorded it.
    """

    source: str
    record: str
    url: str | None = None
    html: str | bytes | None = None
    text: str | None = None
    fetched_at: datetime | None = None
    fallback_url: str | None = None
    title: str | None = None
    crawled_url: str | None = None
    published_at: datetime | None = None  # as the crawl export gives it (JSONL ``published_at``); the page's own wins

    def __post_init__(self) -> None:
        if self.url:
            if self.crawled_url is None:
                object.__setattr__(self, "crawled_url", self.url)
            object.__setattr__(self, "url", normalize_url(self.url))


@dataclass(frozen=True)
class ReadError:
    """A record that could not be read; the scan records it and goes on."""

    source: str
    record: str
    reason: str
    kind: str = "read"  # read | too_large | extract | timeout: the errors table's ``kind``

    def __post_init__(self) -> None:
        # a reason quotes what it found (a file name, an exception); it must be storable text
        object.__setattr__(self, "reason", valid_text(self.reason))


Item = Union[Page, ReadError]


def valid_text(text: str) -> str:
    """``text`` with every lone surrogate (which no UTF-8 can carry, nor the database) as U+FFFD.

    JSON can spell one (``"\\ud800"``); a surrogate pair spelled as two
    escapes is one character.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def source_name(path: str | os.PathLike[str]) -> str:
    """A path as the ``source`` column shows it: as given, with bytes of a file name that are not UTF-8 as ``\\xff``.

    Python hands such names over with lone surrogates (``surrogateescape``),
    which cannot be stored; the file itself is still read by its real name.
    """
    name = os.fspath(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return os.fsencode(name).decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that did not come from the file system
            return valid_text(name)
    return name


def too_large(source: str, record: str, limit: int, size: int | None = None,
              how: str = "after decompression") -> ReadError:
    """The error row of a page over the size limit (``--max-page-mb``).

    ``size`` None: the page was not read to its end (a decompression bomb, a
    device), so only the limit is known; ``how`` says where it was stopped.
    """
    if size is None:
        reason = f"page larger than {limit / 2**20:g} MiB {how} (--max-page-mb)".replace("  ", " ")
    else:
        reason = f"page of {size / 2**20:.1f} MiB is over the {limit / 2**20:g} MiB limit (--max-page-mb)"
    return ReadError(source, record, reason, kind="too_large")


@dataclass
class InputProgress:
    """How much of the input has been read, in bytes of the files as stored (for progress and ETA)."""

    total: int = 0  # all input files
    done: int = 0  # files read to the end
    current: int = 0  # position in the file being read, where the reader knows it

    @property
    def read(self) -> int:
        return min(self.total, self.done + self.current)


def parse_timestamp(value: object) -> datetime | None:
    """ISO 8601 string or Unix seconds to an aware UTC datetime; None if absent.

    Raises ValueError for a value that is present but not a time.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a timestamp: {value!r}")
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc)
    raise ValueError(f"not a timestamp: {value!r}")
