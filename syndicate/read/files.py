"""Read crawled corpora as a stream of pages: folders of HTML files and JSONL crawl exports.

Readers never hold the corpus in memory and never stop on a bad record: they
yield a :class:`ReadError` with a one-line reason and go on. No page costs
more memory than the page size limit (``max_page_bytes``, the scan's
``--max-page-mb``): files are read, and gzip decompressed, up to one byte
past it, and JSONL is read line by line with a cap on the line.

Folders are walked in sorted order, hidden names skipped; symbolic links to
folders are followed, each folder read once (a link back into a folder being
read is an error row); a folder that cannot be listed is an error row; files
that are not regular files (FIFOs, devices, sockets) are skipped with an
error row, as they could block or never end.
"""

from __future__ import annotations

import gzip
import json
import os
import stat
import zlib
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from ..errors import InputError, one_line
from .page import (DEFAULT_MAX_PAGE_BYTES, InputProgress, Item, Page, ReadError, parse_timestamp, source_name,
                   too_large, valid_text)
from .select import Selection, not_a_page
from .sniff import NotAPage, decode_page, text_page

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")


def has_suffix(path: Path, suffixes: tuple[str, ...]) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in suffixes)


JSONL_LINE_FACTOR = 6
"""A JSONL line may be this many times the page size limit: JSON escapes spell one character in up to six."""


def read_html_file(path: Path, max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES) -> Iterator[Item]:
    """One page from an .html/.htm file, gunzipped when it ends in .gz.

    A file over ``max_page_bytes`` (as stored, or once gunzipped) is a
    ``too_large`` error, found without reading more than one byte past the
    limit. A modification time no datetime can hold leaves the fetch time
    empty and adds an error row saying so.
    """
    path = Path(path)
    source = source_name(path)
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if path.name.lower().endswith(".gz"):
                how = "after decompression"
                raw = gzip.GzipFile(fileobj=f, mode="rb").read(max_page_bytes + 1)
            elif stat.S_ISREG(st.st_mode) and st.st_size > max_page_bytes:
                yield too_large(source, "", max_page_bytes, st.st_size)
                return
            else:
                how = ""  # a file that grew, or a device: its size says nothing
                raw = f.read(max_page_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadError(source, "", f"cannot read file: {one_line(exc)}")
        return
    if len(raw) > max_page_bytes:
        yield too_large(source, "", max_page_bytes, how=how)
        return
    try:
        html = decode_page(raw)
    except NotAPage as exc:
        yield ReadError(source, "", str(exc), kind="extract")
        return
    fetched_at, note = _mtime(st)
    yield Page(source=source, record="", html=html, fetched_at=fetched_at, fallback_url=path.resolve().as_uri())
    if note:
        yield ReadError(source, "", note)


def _mtime(st: os.stat_result) -> tuple[datetime | None, str | None]:
    """The modification time as an aware datetime, or None and why (a time past the year 9999, or before 1)."""
    try:
        return datetime.fromtimestamp(st.st_mtime, tz=timezone.utc), None
    except (ValueError, OverflowError, OSError):
        return None, (f"file modification time ({st.st_mtime:.0f} s after 1970) is outside the years 1-9999: "
                      "page stored without a fetch time")


def read_jsonl(path: Path, progress: InputProgress | None = None,
               max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES) -> Iterator[Item]:
    """Pages from a JSONL crawl export: one object a line with ``url`` and ``html`` or ``text``.

    Optional fields: ``fetched_at`` (ISO 8601 or Unix seconds) and ``title``
    (for ``text`` records). Lines are read one at a time, as bytes, and a
    line longer than ``JSONL_LINE_FACTOR`` times ``max_page_bytes`` is
    skipped to its end unread (a ``too_large`` error).
    """
    path = Path(path)
    source = source_name(path)
    line_limit = JSONL_LINE_FACTOR * max_page_bytes
    try:
        raw: BinaryIO = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
    except OSError as exc:
        yield ReadError(source, "", f"cannot open file: {one_line(exc)}")
        return
    with raw:
        lineno = 0
        while True:
            lineno += 1
            try:
                line = raw.readline(line_limit + 1)
                overlong = len(line) > line_limit and not line.endswith(b"\n")
                if overlong:
                    length = len(line) + _skip_line(raw)
            except (OSError, EOFError, zlib.error) as exc:
                yield ReadError(source, f"line {lineno}", f"file ends in the middle: {one_line(exc)}")
                return
            if not line:
                return
            if progress is not None:  # bytes of the file as stored, read ahead by a buffer at most
                progress.current = (raw.fileobj if isinstance(raw, gzip.GzipFile) else raw).tell()
            if overlong:
                yield ReadError(source, f"line {lineno}",
                                f"line of {length / 2**20:.1f} MiB is over the {line_limit / 2**20:g} MiB limit for a "
                                f"JSONL line ({JSONL_LINE_FACTOR} x --max-page-mb)", kind="too_large")
            elif line.strip():
                text = line.decode("utf-8", "replace")
                if lineno == 1 and text.startswith("\ufeff"):
                    text = text[1:]  # a byte-order mark, as Windows tools write one
                yield _jsonl_record(path, source, lineno, text)


def _skip_line(raw: BinaryIO) -> int:
    """Read past the rest of a line, a piece at a time; how many bytes that was."""
    skipped = 0
    while piece := raw.readline(1 << 20):
        skipped += len(piece)
        if piece.endswith(b"\n"):
            break
    return skipped


def _jsonl_record(path: Path, source: str, lineno: int, line: str) -> Item:
    record = f"line {lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return ReadError(source, record, f"not valid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return ReadError(source, record, "not valid JSON: nested too deeply to read")
    except ValueError as exc:  # a number of more digits than Python converts
        return ReadError(source, record, f"not valid JSON: {one_line(exc)}")
    if not isinstance(obj, dict):
        return ReadError(source, record, f"expected a JSON object, got {type(obj).__name__}")
    url, html, text, title = obj.get("url"), obj.get("html"), obj.get("text"), obj.get("title")
    if url is not None and not isinstance(url, str):
        return ReadError(source, record, f"'url' must be a string, got {type(url).__name__}")
    if url and valid_text(url) != url:
        where = next(i for i, c in enumerate(url) if "\ud800" <= c <= "\udfff")
        return ReadError(source, record, f"'url' is not valid Unicode: a lone surrogate ({ascii(url[where])[1:-1]}) "
                                         f"at character {where + 1}")
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
            return ReadError(source, record, f"bad '{name}': {one_line(exc)}")
    if html is not None:
        try:  # a lone surrogate in the text is a bad character, as an invalid byte is: U+FFFD
            html = text_page(valid_text(html))
        except NotAPage as exc:
            return ReadError(source, record, str(exc), kind="extract")
    return Page(
        source=source,
        record=record,
        url=url or None,
        html=html,
        text=None if html is not None else valid_text(text),
        fetched_at=times["fetched_at"],
        fallback_url=f"{path.resolve().as_uri()}#{record.replace(' ', '-')}",
        title=None if title is None else valid_text(title),
        published_at=times["published_at"],
    )


ALL_SUFFIXES = HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES


def input_files(path: Path, selection: Selection | None = None) -> Iterator[Path]:
    """The files a path stands for: itself, or the files to read in a folder tree (see :func:`walk`)."""
    path = Path(path)
    if not path.is_dir():
        yield path
        return
    for entry in walk(path, selection):
        if isinstance(entry, Path):
            yield entry


def walk(top: Path, selection: Selection | None = None) -> Iterator[Path | ReadError]:
    """The files to read in the folder tree at ``top``, in sorted order, and an error for each thing skipped.

    Files and folders whose names start with "." are left out. A file with
    none of the suffixes read is read when its first bytes are an HTML page
    (a crawler's ``index.php``, ``story.shtml``, ``page?p=2``), else counted
    as skipped in ``selection`` with its reason (see read/select.py), as are
    files and folders its --include/--exclude patterns leave out. The files of a folder come before
    its subfolders. Symbolic links to folders are followed; each folder is
    read once, under the first path that reaches it (a link to a folder read
    elsewhere adds nothing), and a link back to a folder that contains it is
    an error. A folder that cannot be listed, and a file that is not a
    regular file (a FIFO would block the scan, a device never end), are
    errors too.
    """
    top = Path(top)
    try:
        key = _folder_key(top)
    except OSError as exc:
        yield ReadError(source_name(top), "", f"cannot read folder: {_why(exc)}")
        return
    selection = selection if selection is not None else Selection()
    seen = {key}
    stack: list[tuple[Path, dict]] = [(top, {key: top})]  # depth first, without recursion: trees may be deep
    while stack:
        folder, ancestors = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            yield ReadError(source_name(folder), "", f"cannot read folder: {_why(exc)}")
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            relative = path.relative_to(top).as_posix()
            if _is_folder(entry):
                if not selection.excluded(relative, is_folder=True):
                    subfolders.append(path)
                continue
            if selection.excluded(relative):
                continue
            why = _not_regular(entry)
            if why and has_suffix(path, ALL_SUFFIXES):
                yield ReadError(source_name(path), "", why)
            elif why:  # a FIFO, socket or device with no page's name: never opened
                selection.skipped["not a regular file"] += 1
            elif has_suffix(path, ALL_SUFFIXES):
                yield path
            else:
                reason = _judged_by_content(path)
                if isinstance(reason, ReadError):
                    yield reason
                elif reason is None:
                    yield path
                else:
                    selection.skipped[reason] += 1
        todo = []
        for path in subfolders:
            try:
                key = _folder_key(path)
            except OSError as exc:
                yield ReadError(source_name(path), "", f"cannot read folder: {_why(exc)}")
                continue
            if key in ancestors:
                yield ReadError(source_name(path), "", f"a link back to {source_name(ancestors[key])}, which contains "
                                                       "it: not followed (it would loop)")
            elif key not in seen:  # else read already, or about to be, under another path
                seen.add(key)
                todo.append((path, {**ancestors, key: path}))
        stack.extend(reversed(todo))


def _folder_key(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows symbolic links
    except OSError:
        return False


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(entry: os.DirEntry) -> str | None:
    """Why a listed file is not read: it is not a regular file. None if it is, or if that cannot be told (the reader
    then says why it cannot read it)."""
    try:
        if entry.is_file(follow_symlinks=False):
            return None  # the listing says a regular file: no system call
        mode = entry.stat().st_mode  # through symbolic links
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    try:
        link = f" (a link to {source_name(os.readlink(entry.path))})" if entry.is_symlink() else ""
    except OSError:
        link = ""
    return f"not a regular file: {kind}{link}; skipped"


def _why(exc: OSError) -> str:
    return exc.strerror or one_line(exc)


def read_path(path: Path, progress: InputProgress | None = None,
              max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES, selection: Selection | None = None) -> Iterator[Item]:
    """Pages from one file or a folder tree (see :func:`walk`); a file named here is read whatever it is."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file or folder: {source_name(path)}")
    for entry in walk(path, selection) if path.is_dir() else [path]:
        if isinstance(entry, ReadError):
            yield entry
            continue
        yield from _read_file(entry, progress, max_page_bytes)
        if progress is not None:
            progress.done += _size(entry)
            progress.current = 0


def _read_file(path: Path, progress: InputProgress | None, max_page_bytes: int) -> Iterator[Item]:
    if has_suffix(path, JSONL_SUFFIXES):
        yield from read_jsonl(path, progress, max_page_bytes)
    elif has_suffix(path, HTML_SUFFIXES):
        yield from read_html_file(path, max_page_bytes)
    elif has_suffix(path, WARC_SUFFIXES):
        from .warc import read_warc  # imports FastWARC only when there is a WARC to read

        yield from read_warc(path, max_page_bytes)
    else:
        reason = _judged_by_content(path)
        if isinstance(reason, ReadError):
            yield reason
        elif reason is None:  # an HTML page under a crawler's name: index.php, story.shtml, page?p=2
            yield from read_html_file(path, max_page_bytes)
        else:
            yield ReadError(source_name(path), "", f"{reason}; expected an HTML page, .jsonl or .warc (optionally .gz)")


def _judged_by_content(path: Path) -> str | ReadError | None:
    """For a file whose name says nothing: None when it is an HTML page, else why not, or the error opening it."""
    try:
        return not_a_page(path)
    except OSError as exc:
        return ReadError(source_name(path), "", f"cannot read file: {_why(exc)}")


def read_paths(paths: Iterable[str | os.PathLike[str]], progress: InputProgress | None = None,
               max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES, selection: Selection | None = None) -> Iterator[Item]:
    """Pages from several inputs, in the order given; checks they all exist first.

    With ``progress``, its ``total`` is set to the inputs' size up front and
    its position follows the reading. ``max_page_bytes`` is the scan's page
    size limit: no page is read or decompressed far past it. ``selection``
    holds the --include/--exclude patterns of folders and counts what the
    walk passed over.
    """
    paths = [Path(p) for p in paths]
    missing = [source_name(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    if progress is not None:
        patterns = Selection(selection.include, selection.exclude) if selection is not None else None
        progress.total = sum(_size(f) for p in paths for f in input_files(p, patterns))
    return (item for path in paths for item in read_path(path, progress, max_page_bytes, selection))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
