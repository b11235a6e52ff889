"""Read WARC archives (``.warc``, ``.warc.gz``) as pages, with FastWARC.

Every ``response`` record holding an HTTP response with a 2xx status and an
HTML content type (``text/html``, ``application/xhtml+xml``, or none given and
a body that starts like HTML) becomes a :class:`Page`: its URL is the record's
``WARC-Target-URI``, its fetch time the ``WARC-Date``, and ``record`` is
``"offset N"``, the byte offset of the record in the file (what CDX indexes
and ``warcio extract`` use). Other records (``request``, ``metadata``,
``revisit``, ``warcinfo``...) and other responses (images, redirects, 404s)
are skipped silently.

The body is decoded as HTTP says: chunked transfer coding, then the content
codings (gzip, deflate, br; zstd when a decoder is installed). A body that
stops before its end (a record the crawler truncated, ``WARC-Truncated``)
keeps what it has. When the HTTP ``Content-Type`` names a charset Python
knows, the page becomes ``str`` (with the WHATWG reading of the common labels:
``iso-8859-1`` is windows-1252, ``shift_jis`` is cp932, and so on); otherwise
it stays ``bytes`` and extraction reads the charset from the page itself.

Three layouts are read, told apart by their bytes, not their names: a plain
WARC, a ``.warc.gz`` gzipped record by record (the standard), and a WARC
gzipped as one stream (``gzip file.warc``); in the last, offsets count in the
decompressed stream and ``record`` says ``"decompressed offset N"``.

Damage never raises: a record that cannot be parsed or decoded is one
:class:`ReadError`; a file that ends in the middle of a record keeps every
record before the cut and reports one ``ReadError`` ("archive ends in the
middle of a record at offset N"). FastWARC stops for good at the first
unreadable byte; here a damaged stretch in a plain or per-record gzip WARC is
reported once and reading resumes at the next intact record (a whole-file
gzip stream cannot be resumed, so the rest of such a file is lost). Block
digests are not verified: bytes garbled in place, lengths intact, go unseen.
WARC headers must end their lines with CRLF, as the standard says (FastWARC's
``quirks_mode`` would take LF-only ones, but then silently skips junk between
records, so it is off).

FastWARC reads the WARC layer (records, gzip members); HTTP headers and body
decoding are done here, because FastWARC's own (``auto_decode``, 2.0.1) drops
every record after a chunked + gzip response without a word, ends the whole
archive with an exception at an encoding it does not know (``x-gzip``), and
its ``http_charset`` passes unknown and quoted labels through.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..errors import one_line
from .http import HTML_START, TooLarge, Undecodable, charset_of, decode_body, parse_headers
from .page import DEFAULT_MAX_PAGE_BYTES, Item, Page, ReadError, parse_timestamp, source_name, too_large
from .sniff import NotAPage, decode_page

PLAIN, GZIP_RECORDS, GZIP_FILE = "plain", "gzip-records", "gzip-file"

HTML_TYPES = ("text/html", "application/xhtml+xml")
HTTP_HEAD_MAX = 64 << 10
"""HTTP headers longer than this are an error (servers refuse far less)."""
WARC_HEAD_MAX = 64 << 10
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"
_READ_ERRORS = (OSError, EOFError, zlib.error, ValueError)


_STATUS_LINE = re.compile(rb"HTTP/\d(?:\.\d)?[ \t]+(\d{3})(?:[ \t]|\r?$)")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_CONTENT_LENGTH = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*(\d+)[ \t]*\r?$")
_FRACTION = re.compile(r"(\.\d+)(?=Z|[+-]\d\d:?\d\d$|$)")


def read_warc(path: Path, max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES) -> Iterator[Item]:
    """Pages from the HTML responses of one WARC file; damage becomes ReadErrors.

    No body is decompressed past ``max_page_bytes`` (+1), and none stored at
    more than twice that is read at all: either is a ``too_large`` error.
    """
    path = Path(path)
    source = source_name(path)
    try:
        f = open(path, "rb")
    except OSError as exc:
        yield ReadError(source, "", f"cannot open file: {one_line(exc)}")
        return
    with f:
        try:
            size = os.fstat(f.fileno()).st_size
            layout = _layout(f)
        except OSError as exc:
            yield ReadError(source, "", f"cannot read file: {one_line(exc)}")
            return
        if layout == GZIP_FILE:
            yield from _read_gzip_stream(f, source, max_page_bytes)
        else:
            yield from _read_seekable(f, source, size, layout, max_page_bytes)


# --- reading -------------------------------------------------------------------------------


@dataclass
class _Stop:
    """How a run of FastWARC over the file ended."""

    last: int | None  # offset of the last complete record
    failed: int | None = None  # offset of a record found incomplete or unreadable
    reason: str | None = None  # FastWARC's error, or what was wrong with the record; None: it just stopped
    short: bool = False  # the record at ``failed`` is cut short by the end of the file
    records: int = 0


def _records(stream: BinaryIO, source: str, label: str, stream_detect: bool,
             max_page_bytes: int) -> Generator[Item, None, _Stop]:
    """Items of the records FastWARC reads from ``stream`` until it stops; returns how it stopped."""
    stop = _Stop(last=None)
    try:
        # strict parsing: FastWARC's quirks_mode reads LF-only WARC headers but silently skips junk between records
        records = iter(ArchiveIterator(stream, parse_http=False, auto_decode="none", stream_detect=stream_detect))
    except _READ_ERRORS as exc:
        stop.reason = one_line(exc)
        return stop
    while True:
        try:
            record = next(records)
        except StopIteration:
            return stop
        except _READ_ERRORS as exc:
            stop.reason = one_line(exc)
            return stop
        start = record.stream_pos
        try:
            item, got = _record_item(record, source, f"{label}{start}", max_page_bytes)
        except _READ_ERRORS as exc:
            stop.failed, stop.reason = start, one_line(exc)
            return stop
        length = record.content_length if record.headers.get("Content-Length") is not None else -1
        if got < length or length < 0:
            stop.failed, stop.short = start, True
            stop.reason = f"the file holds {got} of its {length} bytes" if length >= 0 else "its WARC header is cut off"
            return stop
        stop.last = start
        stop.records += 1
        if item is not None:
            yield item


def _read_seekable(f: BinaryIO, source: str, size: int, layout: str, max_page_bytes: int) -> Iterator[Item]:
    """A plain or per-record gzip WARC: FastWARC reads it; past damage, reading resumes at the next record."""
    pos = 0
    records = 0
    while True:
        f.seek(pos)
        stop = yield from _records(f, source, "offset ", stream_detect=True, max_page_bytes=max_page_bytes)
        records += stop.records
        if stop.failed is not None:
            damaged = stop.failed
        elif stop.last is not None:
            end = _record_end(f, stop.last, size, layout)
            damaged = size if end is None else _skip_blank(f, end, size)
        else:
            damaged = _skip_blank(f, pos, size)
        if damaged >= size:
            return
        resume = _find_record(f, damaged if damaged > pos else pos + 1, size, layout)
        why = f": {stop.reason}" if stop.reason else ""
        if resume == damaged:  # the record there is intact: FastWARC stopped short of it, try again from it
            pos = resume
            continue
        if resume is not None:
            yield ReadError(
                source, f"offset {damaged}",
                f"unreadable data at offset {damaged} ({resume - damaged} bytes), skipped to the next record at offset {resume}{why}",
            )
            pos = resume
            continue
        if records == 0 and damaged == 0 and not _starts_like_warc(f, 0, layout):
            yield ReadError(source, "offset 0", "not a WARC file: no WARC record at its start")
        elif stop.short or _is_cut_record(f, damaged, size, layout):
            yield ReadError(source, f"offset {damaged}", f"archive ends in the middle of a record at offset {damaged}{why}")
        else:
            yield ReadError(
                source, f"offset {damaged}",
                f"unreadable data from offset {damaged} to the end of the file ({size - damaged} bytes){why}",
            )
        return


def _read_gzip_stream(f: BinaryIO, source: str, max_page_bytes: int) -> Iterator[Item]:
    """A WARC gzipped as one stream: FastWARC reads the decompressed bytes, so offsets are decompressed ones.

    Past a bad byte a deflate stream cannot be resumed: the records before it
    are kept and the rest of the file is one ReadError.
    """
    f.seek(0)
    stream = _GzipStream(f)
    stop = yield from _records(stream, source, "decompressed offset ", stream_detect=False,
                               max_page_bytes=max_page_bytes)
    if stop.failed is None and stop.reason is None and stream.error is None and stream.rest_is_blank():
        return
    damaged = stop.failed
    if damaged is None:
        damaged = 0 if stop.last is None else _gzip_stream_record_end(f, stop.last)
    where = f"decompressed offset {damaged}"
    why = stream.error if stream.error and not stream.truncated else stop.reason or stream.error
    why = f": {why}" if why else ""
    if stop.records == 0 and damaged == 0:
        reason = f"not a WARC file, or unreadable from its start{why}"
    elif stream.truncated and stop.failed is None and stop.reason is None and damaged >= stream.pos:
        reason = f"archive ends at {where}, after a whole record: the gzip stream stops before its end"
    elif stream.truncated or (stop.short and stream.error is None):
        reason = f"archive ends in the middle of a record at {where}{why}"
    else:
        reason = f"unreadable data at {where}; the rest of a whole-file gzip cannot be read{why}"
    yield ReadError(source, where, reason)


class _GzipStream:
    """The decompressed bytes of a gzip file, member after member, for FastWARC to read.

    Where the data goes bad it ends instead of raising and keeps every byte it
    could decompress before the bad one (Python's GzipFile raises and loses the
    whole input chunk the error is in); ``error`` says what went wrong.
    """

    _INPUT = 64 << 10

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.d = zlib.decompressobj(31)
        self.buf = bytearray()
        self.pos = 0
        self.done = False
        self.error: str | None = None
        self.truncated = False

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size is None or size < 0 or len(self.buf) < size):
            self._fill()
        if size is None or size < 0 or size >= len(self.buf):
            out = bytes(self.buf)
            self.buf.clear()
        else:
            out = bytes(self.buf[:size])
            del self.buf[:size]
        self.pos += len(out)
        return out

    def tell(self) -> int:
        return self.pos

    def seekable(self) -> bool:
        return False

    def close(self) -> None:
        pass  # the file belongs to the caller

    def skip(self, n: int) -> None:
        while n > 0 and (chunk := self.read(min(n, _CHUNK))):
            n -= len(chunk)

    def rest_is_blank(self) -> bool:
        while chunk := self.read(_CHUNK):
            if chunk.strip(b"\r\n"):
                return False
        return self.error is None

    def _fill(self) -> None:
        data = self.f.read(self._INPUT)
        if not data:
            if not self.d.eof:
                self.truncated = True
                self.error = "the gzip stream stops before its end"
            self.done = True
            return
        while data and not self.done:
            if self.d.eof:  # another member follows, maybe after padding (NUL, CR, LF)
                data = data.lstrip(b"\0\r\n")
                if not data:
                    return
                self.d = zlib.decompressobj(31)
            saved = self.d.copy()
            try:
                self.buf += self.d.decompress(data)
            except zlib.error as exc:
                self._salvage(saved, data)
                self.error = f"bad gzip data: {one_line(exc)}"
                self.done = True
                return
            data = self.d.unused_data if self.d.eof else b""

    def _salvage(self, d, data: bytes) -> None:
        """The output of ``data`` up to the bad byte: fed again in 512-byte pieces, then the bad piece byte by byte."""
        for i in range(0, len(data), 512):
            saved = d.copy()
            try:
                self.buf += d.decompress(data[i : i + 512])
            except zlib.error:
                for j in range(i, min(i + 512, len(data))):
                    try:
                        self.buf += saved.decompress(data[j : j + 1])
                    except zlib.error:
                        return
                return
            if d.eof:
                return


def _record_item(record, source: str, label: str, max_page_bytes: int) -> tuple[Item | None, int]:
    """The page (or error) one record gives, and how many bytes of its block the file held."""
    if record.record_type != WarcRecordType.response:
        return None, record.reader.consume()
    reader = record.reader
    length = record.content_length
    warc_type = (record.headers.get("Content-Type") or "").lower()
    head = reader.read(min(length, HTTP_HEAD_MAX)) if length > 0 else b""
    got = len(head)
    if not warc_type.startswith("application/http") and not head.startswith(b"HTTP/"):
        return None, got + reader.consume()  # a response that is not HTTP (dns:, ...)
    m = _HEADER_END.search(head)
    if m is None:
        if got < min(length, HTTP_HEAD_MAX):
            return None, got  # cut short: the caller reports the archive's end
        got += reader.consume()
        if got > HTTP_HEAD_MAX:
            return ReadError(source, label, f"HTTP headers longer than {HTTP_HEAD_MAX >> 10} KiB"), got
        return ReadError(source, label, "HTTP response without the blank line that ends its headers"), got
    lines = head[: m.start()].split(b"\n")
    status = _STATUS_LINE.match(lines[0])
    if status is None:
        got += reader.consume()
        return ReadError(source, label, f"bad HTTP status line: {_show(lines[0])}"), got
    if not 200 <= int(status.group(1)) < 300:
        return None, got + reader.consume()
    headers = parse_headers(lines[1:])
    mime, _, params = headers.get("content-type", "").partition(";")
    mime = mime.strip().lower()
    if mime and mime not in HTML_TYPES:
        return None, got + reader.consume()
    body = head[m.end() :]
    stored = length - m.end()  # the body's bytes as stored, with its transfer and content codings
    if stored > 2 * max_page_bytes + (64 << 10):  # never read: decoding grows a compressed body, chunking adds little
        got += reader.consume()
        if got < length:
            return None, got
        reason = (f"response body of {stored / 2**20:.1f} MiB as stored is over twice the "
                  f"{max_page_bytes / 2**20:g} MiB page limit (--max-page-mb)")
        return ReadError(source, label, reason, kind="too_large"), got
    if got < length:
        rest = reader.read()
        got += len(rest)
        body += rest
        if got < length:
            return None, got
    try:
        body = decode_body(body, headers, max_page_bytes)
    except TooLarge as exc:
        return ReadError(source, label, str(exc), kind="too_large"), got
    except Undecodable as exc:
        return ReadError(source, label, str(exc)), got
    if not mime and not HTML_START.match(body[:1024].lstrip(b"\xef\xbb\xbf")):
        return None, got
    url = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>").strip()
    if not url:
        return ReadError(source, label, "response record without a WARC-Target-URI"), got
    if len(body) > max_page_bytes:
        return too_large(source, label, max_page_bytes, len(body)), got
    try:
        html = decode_page(body, charset_of(params))
    except NotAPage as exc:
        return ReadError(source, label, str(exc), kind="extract"), got
    fetched_at = _warc_date(record.headers.get("WARC-Date"))
    return Page(source=source, record=label, url=url, html=html, fetched_at=fetched_at, fallback_url=None), got


def _warc_date(value: str | None) -> datetime | None:
    """WARC-Date as an aware UTC datetime; WARC/1.1 allows up to nine digits of fraction. None if unreadable."""
    if value:
        value = _FRACTION.sub(lambda m: m.group(1)[:7].ljust(7, "0"), value.strip())
    try:
        return parse_timestamp(value)
    except (ValueError, OverflowError):
        return None


def _layout(f: BinaryIO) -> str:
    """Plain, gzipped record by record, or gzipped as one stream: whether the first member ends with the first record."""
    f.seek(0)
    if f.read(2) != b"\x1f\x8b":
        f.seek(0)
        return PLAIN
    member = _inflate_member(f, 0, stop_after_first_record=True, piece=4096)
    f.seek(0)
    return GZIP_FILE if member.more_than_one_record else GZIP_RECORDS


@dataclass
class _Member:
    end: int | None  # offset after the member, None if the file ends inside it
    head: bytes  # its first bytes, decompressed
    error: str | None = None  # the data is not valid gzip
    more_than_one_record: bool = False
    size: int = 0  # bytes it decompresses to


def _inflate_member(f: BinaryIO, start: int, stop_after_first_record: bool = False, piece: int = _CHUNK) -> _Member:
    """Decompress the gzip member at ``start`` (output discarded but its head); where it ends.

    ``stop_after_first_record``: stop as soon as the member is seen to hold more than one record.
    """
    f.seek(start)
    d = zlib.decompressobj(31)
    head = b""
    total = 0
    need = None
    consumed = 0
    while True:
        chunk = f.read(piece)
        if not chunk:
            return _Member(None, head)
        data = chunk
        while data:
            try:
                out = d.decompress(data, _CHUNK)
            except zlib.error as exc:
                return _Member(None, head, one_line(exc))
            total += len(out)
            if len(head) < WARC_HEAD_MAX:
                head += out[: WARC_HEAD_MAX - len(head)]
            if stop_after_first_record:
                if need is None:
                    need = _record_length(head)
                    if need is None and len(head) >= WARC_HEAD_MAX:
                        return _Member(None, head, more_than_one_record=True)
                if need is not None and total > need + 16:  # more than the CRLFs that may pad a record
                    return _Member(None, head, more_than_one_record=True)
            if d.eof:
                return _Member(start + consumed + len(chunk) - len(d.unused_data), head, size=total)
            data = d.unconsumed_tail
        consumed += len(chunk)


def _record_length(head: bytes) -> int | None:
    """Length of the WARC record whose header starts ``head`` (header + block + CRLF CRLF), None if unknown."""
    if not head.startswith(b"WARC/"):
        return None
    m = _HEADER_END.search(head)
    if m is None:
        return None
    cl = _CONTENT_LENGTH.search(head, 0, m.end())
    if cl is None:
        return None
    return m.end() + int(cl.group(1)) + (4 if m.group() == b"\r\n\r\n" else 2)  # LF-only writers end with LF LF


def _record_end(f: BinaryIO, start: int, size: int, layout: str) -> int | None:
    """Offset right after the record at ``start``; None if the file ends inside it."""
    if layout == GZIP_RECORDS:
        return _inflate_member(f, start).end
    f.seek(start)
    need = _record_length(f.read(WARC_HEAD_MAX))
    return None if need is None or start + need > size else start + need


def _gzip_stream_record_end(f: BinaryIO, start: int) -> int:
    """End of the record at decompressed offset ``start`` of a whole-file gzip (decompresses up to it again)."""
    f.seek(0)
    stream = _GzipStream(f)
    stream.skip(start)
    need = _record_length(stream.read(WARC_HEAD_MAX))
    return start if need is None else start + need


def _skip_blank(f: BinaryIO, pos: int, size: int) -> int:
    """``pos`` moved past CR/LF padding; ``size`` if nothing but padding (CR, LF, NUL) follows."""
    f.seek(pos)
    skipped = pos
    while pos < size:
        chunk = f.read(_CHUNK)
        if not chunk:
            break
        if skipped == pos:
            skipped += len(chunk) - len(chunk.lstrip(b"\r\n"))
        if chunk.strip(b"\r\n\0"):
            return skipped
        pos += len(chunk)
    return size


def _starts_like_warc(f: BinaryIO, pos: int, layout: str) -> bool:
    if layout == GZIP_RECORDS:
        return _inflate_member(f, pos).head.startswith(b"WARC/")
    f.seek(pos)
    return f.read(5) == b"WARC/"


def _is_cut_record(f: BinaryIO, pos: int, size: int, layout: str) -> bool:
    """Whether the bytes from ``pos`` to the end are the start of a record the file cuts off."""
    if layout == GZIP_RECORDS:
        member = _inflate_member(f, pos)
        return member.end is None and member.error is None and b"WARC/".startswith(member.head[:5])
    f.seek(pos)
    head = f.read(WARC_HEAD_MAX)
    if not b"WARC/".startswith(head[:5]):
        return False
    need = _record_length(head)
    return need is None or pos + need > size


def _find_record(f: BinaryIO, start: int, size: int, layout: str) -> int | None:
    """Offset of the first intact record at or after ``start``, None if there is none."""
    marker = _GZIP_MAGIC if layout == GZIP_RECORDS else b"WARC/1."
    pos = start
    while pos < size:
        f.seek(pos)
        chunk = f.read(_CHUNK + len(marker) - 1)
        i = chunk.find(marker)
        while i >= 0:
            if _intact_record_at(f, pos + i, size, layout):
                return pos + i
            i = chunk.find(marker, i + 1)
        pos += _CHUNK
    return None


def _intact_record_at(f: BinaryIO, pos: int, size: int, layout: str) -> bool:
    """Whether a whole record starts at ``pos``: its gzip member (or its bytes) is as long as its header says."""
    if layout == GZIP_RECORDS:
        member = _inflate_member(f, pos)
        need = _record_length(member.head)
        return member.end is not None and need is not None and need <= member.size <= need + 16
    f.seek(pos)
    need = _record_length(f.read(WARC_HEAD_MAX))
    if need is None or pos + need > size:
        return False
    f.seek(pos + need - 4)
    end = f.read(4)
    return end == b"\r\n\r\n" or end.endswith(b"\n\n")


# --- helpers -------------------------------------------------------------------------------


def _show(line: bytes) -> str:
    text = line.rstrip(b"\r").decode("latin-1")
    return repr(text[:60] + ("..." if len(text) > 60 else ""))
