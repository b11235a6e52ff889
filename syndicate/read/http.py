"""HTTP response bodies as a crawler stored them: headers, transfer and content codings, charset.

Used by the WARC reader: a response record holds the HTTP message as sent,
so its body may be chunked, compressed, and in any charset the headers name.
"""

from __future__ import annotations

import codecs
import re
import zlib

from ..errors import one_line
from .page import DEFAULT_MAX_PAGE_BYTES

# WHATWG Encoding Standard: these labels mean a superset in every browser.
_WHATWG = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

_CHUNK_LINE = re.compile(rb"[ \t]*([0-9a-fA-F]{1,16})[ \t]*(?:;[^\n]*)?\r?\n")

HTML_START = re.compile(
    rb"\s*(?:<!doctype\s+html|<html|<head|<body|<title|<meta|<script|<!--|<\?xml[^>]*>\s*<(?:!doctype\s+)?html)",
    re.IGNORECASE,
)


class Undecodable(Exception):
    """A body that cannot be decoded; its message is the ReadError's reason."""


class TooLarge(Undecodable):
    """A body that decompresses to more than the page size limit; decompression stopped there."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"page larger than {limit / 2**20:g} MiB after decompression (--max-page-mb)")
        self.limit = limit


def parse_headers(lines: list[bytes]) -> dict[str, str]:
    """Lower-cased header names to values; a repeated header keeps its last value, except codings, which add up."""
    headers: dict[str, str] = {}
    name = None
    for raw in lines:
        line = raw.rstrip(b"\r").decode("latin-1")
        if line[:1] in (" ", "\t") and name is not None:  # obsolete line folding
            headers[name] += " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        name = key.strip().lower()
        value = value.strip()
        if name in ("content-encoding", "transfer-encoding") and headers.get(name):
            headers[name] += ", " + value
        else:
            headers[name] = value
    return headers


# --- decoding ------------------------------------------------------------------------------


def decode_body(body: bytes, headers: dict[str, str], limit: int = DEFAULT_MAX_PAGE_BYTES) -> bytes:
    """The entity body: transfer codings undone (chunked last applied, first undone), then content codings.

    No decompression writes more than ``limit`` bytes (+1): past it, TooLarge
    (a 1 GiB gzip bomb costs what its first ``limit`` bytes cost).
    """
    for coding in _codings(headers.get("transfer-encoding", "")):
        body = _dechunk(body) if coding == "chunked" else _uncompress(body, coding, "Transfer-Encoding", limit)
    for coding in _codings(headers.get("content-encoding", "")):
        body = _uncompress(body, coding, "Content-Encoding", limit)
    return body


def _codings(value: str) -> list[str]:
    codings = [c.strip().lower() for c in value.split(",")]
    return [c for c in reversed(codings) if c and c != "identity"]


def _dechunk(data: bytes) -> bytes:
    """Undo chunked transfer coding; a body that does not start with a chunk size was stored de-chunked."""
    m = _CHUNK_LINE.match(data)
    if m is None:
        return data
    out = []
    pos = 0
    while True:
        m = _CHUNK_LINE.match(data, pos)
        if m is None:
            if pos >= len(data) or not data[pos:].strip():
                break  # cut short (a truncated record): keep what came
            raise Undecodable(f"bad chunked transfer coding at byte {pos} of the body")
        size = int(m.group(1), 16)
        pos = m.end()
        if size == 0:
            break
        out.append(data[pos : pos + size])
        pos += size
        if pos >= len(data):
            break
        if data.startswith(b"\r\n", pos):
            pos += 2
        elif data.startswith(b"\n", pos):
            pos += 1
        else:
            raise Undecodable(f"bad chunked transfer coding at byte {pos} of the body: chunk not followed by CRLF")
    return b"".join(out)


def _uncompress(data: bytes, coding: str, header: str, limit: int) -> bytes:
    try:
        if coding in ("gzip", "x-gzip"):
            return _inflate(data, 47, limit)  # gzip or zlib header, whichever it is
        if coding == "deflate":
            try:
                return _inflate(data, 15, limit)
            except zlib.error:
                return _inflate(data, -15, limit)  # raw deflate, as some servers send it
        if coding == "br":
            return _unbrotli(data, limit)
        if coding == "zstd":
            return _unzstd(data, limit)
    except Undecodable:
        raise
    except Exception as exc:  # noqa: BLE001 -- each decoder (zlib, brotli, zstd) has its own error class
        if HTML_START.match(data[:1024]):
            return data  # stored already decoded, header left as it was
        raise Undecodable(f"cannot decode {header}: {coding}: {one_line(exc)}") from None
    raise Undecodable(f"unsupported {header}: {coding}")


def _inflate(data: bytes, wbits: int, limit: int) -> bytes:
    """zlib/gzip data to bytes; concatenated gzip members are all read; a cut-off stream keeps what came.

    TooLarge as soon as the output passes ``limit``: never more than limit + 1 bytes are written.
    """
    out = []
    total = 0
    while True:
        d = zlib.decompressobj(wbits)
        piece = d.decompress(data, limit + 1 - total)
        total += len(piece)
        out.append(piece)
        while d.unconsumed_tail and total <= limit:
            piece = d.decompress(d.unconsumed_tail, limit + 1 - total)
            total += len(piece)
            out.append(piece)
        if total > limit:
            raise TooLarge(limit)
        data = d.unused_data
        if not d.eof or not data.startswith(b"\x1f\x8b"):
            return b"".join(out)  # whatever trails the last member is ignored, as browsers do


def _unbrotli(data: bytes, limit: int) -> bytes:
    try:
        import brotli
    except ImportError:
        try:
            import brotlicffi as brotli
        except ImportError:
            raise Undecodable("cannot decode Content-Encoding: br: install the brotli package") from None
    d = brotli.Decompressor()
    try:
        out = d.process(data, output_buffer_limit=limit + 1)
        finished = d.is_finished()
    except TypeError:  # a binding without the limit (brotlicffi): whole, as before
        out, finished = brotli.decompress(data), True
    if len(out) > limit:
        raise TooLarge(limit)
    if not finished:
        raise ValueError("the stream stops before its end")  # brotli.decompress would raise here too
    return out


def _unzstd(data: bytes, limit: int) -> bytes:
    try:
        from compression import zstd  # Python 3.14

        out = zstd.ZstdDecompressor().decompress(data, max_length=limit + 1)
    except ImportError:
        try:
            import zstandard
        except ImportError:
            raise Undecodable("cannot decode Content-Encoding: zstd: install the zstandard package") from None
        out = zstandard.ZstdDecompressor().stream_reader(data).read(limit + 1)
    if len(out) > limit:
        raise TooLarge(limit)
    return out


def charset_of(params: str) -> str | None:
    """The Python codec for the ``charset`` parameter of a Content-Type, None if absent or unknown."""
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            label = value.strip().strip("\"'").strip()
            try:
                info = codecs.lookup(label)
            except (LookupError, ValueError):
                return None
            if not getattr(info, "_is_text_encoding", True):
                return None  # rot13, zlib, base64...
            return _WHATWG.get(info.name, info.name)
    return None


def as_text(body: bytes, codec: str | None) -> str | bytes:
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body.decode(bom_codec, "replace")
    return body.decode(codec, "replace") if codec else body


# --- finding record boundaries ---------------------------------------------------------------
