"""Read crawled corpora as a stream of pages: folders of HTML files and JSONL crawl exports.

Readers never hold the corpus in memory and never stop on a bad record: they
yield a :class:`ReadError` with a one-line reason and go on.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Union

from ..errors import InputError, one_line
from .page import InputProgress, Item, Page, ReadError, parse_timestamp

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")


def has_suffix(path: Path, suffixes: tuple[str, ...]) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in suffixes)


def read_html_file(path: Path) -> Iterator[Item]:
    """One page from an .html/.htm file, gunzipped when it ends in .gz."""
    source = str(path)
    try:
        raw = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            raw = gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadError(source, "", f"cannot read file: {one_line(exc)}")
        return
    mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
    yield Page(source=source, record="", html=raw, fetched_at=mtime, fallback_url=path.resolve().as_uri())


def read_jsonl(path: Path, progress: InputProgress | None = None) -> Iterator[Item]:
    """Pages from a JSONL crawl export: one object a line with ``url`` and ``html`` or ``text``.

    Optional fields: ``fetched_at`` (ISO 8601 or Unix seconds) and ``title``
    (for ``text`` records).
    """
    source = str(path)
    try:
        raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
    except OSError as exc:
        yield ReadError(source, "", f"cannot open file: {one_line(exc)}")
        return
    with raw:
        lines = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n")
        lineno = 0
        while True:
            lineno += 1
            try:
                line = lines.readline()
            except (OSError, EOFError, zlib.error) as exc:
                yield ReadError(source, f"line {lineno}", f"file ends in the middle: {one_line(exc)}")
                return
            if not line:
                return
            if progress is not None:  # bytes of the file as stored, read ahead by a buffer at most
                progress.current = (raw.fileobj if isinstance(raw, gzip.GzipFile) else raw).tell()
            if line.strip():
                yield _jsonl_record(source, lineno, line)


def _jsonl_record(source: str, lineno: int, line: str) -> Item:
    record = f"line {lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return ReadError(source, record, f"not valid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(obj, dict):
        return ReadError(source, record, f"expected a JSON object, got {type(obj).__name__}")
    url, html, text, title = obj.get("url"), obj.get("html"), obj.get("text"), obj.get("title")
    if url is not None and not isinstance(url, str):
        return ReadError(source, record, f"'url' must be a string, got {type(url).__name__}")
    if html is None and text is None:
        return ReadError(source, record, "record has neither 'html' nor 'text'")
    for name, value in (("html", html), ("text", text), ("title", title)):
        if value is not None and not isinstance(value, str):
            return ReadError(source, record, f"'{name}' must be a string, got {type(value).__name__}")
    if html is None and not url:
        return ReadError(source, record, "a 'text' record needs a 'url'")
    times = {}
    for name in ("fetched_at", "published_at"):
        try:
            times[name] = parse_timestamp(obj.get(name))
        except (ValueError, OverflowError, OSError) as exc:
            return ReadError(source, record, f"bad '{name}': {exc}")
    fetched_at = times["fetched_at"]
    return Page(
        source=source,
        record=record,
        url=url or None,
        html=html,
        text=None if html is not None else text,
        fetched_at=fetched_at,
        fallback_url=f"{Path(source).resolve().as_uri()}#{record.replace(' ', '-')}",
        title=title,
        published_at=times["published_at"],
    )


def input_files(path: Path) -> Iterator[Path]:
    """The files a path stands for: itself, or the readable files of a folder tree (sorted, hidden ones skipped)."""
    if not path.is_dir():
        yield path
        return
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            file = Path(root) / name
            if not name.startswith(".") and has_suffix(file, HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES):
                yield file


def read_path(path: Path, progress: InputProgress | None = None) -> Iterator[Item]:
    """Pages from one file or a folder tree (files in sorted order, hidden ones skipped)."""
    if not path.exists():
        raise InputError(f"no such file or folder: {path}")
    for file in input_files(path):
        yield from _read_file(file, progress)
        if progress is not None:
            progress.done += _size(file)
            progress.current = 0


def _read_file(path: Path, progress: InputProgress | None) -> Iterator[Item]:
    if has_suffix(path, JSONL_SUFFIXES):
        yield from read_jsonl(path, progress)
    elif has_suffix(path, HTML_SUFFIXES):
        yield from read_html_file(path)
    elif has_suffix(path, WARC_SUFFIXES):
        from .warc import read_warc  # imports FastWARC only when there is a WARC to read

        yield from read_warc(path)
    else:
        yield ReadError(str(path), "", "unsupported file type; expected .html, .htm, .jsonl, .warc (optionally .gz)")


def read_paths(paths: Iterable[str | os.PathLike[str]], progress: InputProgress | None = None) -> Iterator[Item]:
    """Pages from several inputs, in the order given; checks they all exist first.

    With ``progress``, its ``total`` is set to the inputs' size up front and
    its position follows the reading.
    """
    paths = [Path(p) for p in paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    if progress is not None:
        progress.total = sum(_size(f) for p in paths for f in input_files(p))
    return (item for path in paths for item in read_path(path, progress))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
