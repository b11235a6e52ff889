"""Write real WARC/1.0 files for tests and benchmarks, by hand (the format is simple).

``write_warc(path, records, gzip_mode)`` writes what a crawler writes: a
``warcinfo`` record, then for every fetched page a ``request`` record and its
``response`` record, then a ``metadata`` record and a ``revisit`` record
(which a reader of pages must skip). Every record carries a ``WARC-Record-ID``,
``WARC-Date``, ``Content-Length`` and a ``WARC-Block-Digest`` (``sha1:`` +
base32, as Heritrix and warcio write it); responses also carry a
``WARC-Payload-Digest``.

A response is ``(url, body, fetched_at, http_headers)`` or a :class:`Response`
(which adds the HTTP status). ``body`` is the page as the server meant it; the
headers say what goes on the wire: ``Content-Encoding: gzip`` (or ``deflate``,
``br``) compresses the body, ``Transfer-Encoding: chunked`` chunks it, both in
that order as HTTP does. Without ``Transfer-Encoding`` a ``Content-Length`` is
added when the headers have none. To write broken responses, ``wire`` gives the
payload bytes verbatim (headers as given, no coding applied) and ``block`` the
whole HTTP message verbatim.

``gzip_mode``: ``"record"`` gzips every record as its own gzip member (the
standard ``.warc.gz``), ``"file"`` gzips the whole file as one stream, None
writes a plain ``.warc``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import struct
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

CRLF = b"\r\n"


@dataclass(frozen=True)
class Response:
    url: str
    body: bytes
    fetched_at: datetime
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    reason: str = "OK"
    wire: bytes | None = None
    block: bytes | None = None


@dataclass(frozen=True)
class Written:
    """One record as written: its type, target URL and where it sits in the output.

    ``start``/``end`` are byte offsets in the file as written; for
    ``gzip_mode="file"`` they are offsets in the uncompressed stream.
    """

    type: str
    url: str | None
    record_id: str
    start: int
    end: int


ResponseLike = Response | tuple

WARC_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def warc_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime(WARC_DATE_FORMAT)


def sha1_digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def chunk(body: bytes, sizes: tuple[int, ...] = (1000, 4096, 17, 8192)) -> bytes:
    """HTTP/1.1 chunked transfer coding of ``body``, in chunks of varying sizes."""
    out = io.BytesIO()
    pos, i = 0, 0
    while pos < len(body):
        size = sizes[i % len(sizes)]
        part = body[pos : pos + size]
        out.write(b"%x\r\n" % len(part) + part + CRLF)
        pos += len(part)
        i += 1
    out.write(b"0\r\n\r\n")
    return out.getvalue()


def content_encode(body: bytes, coding: str) -> bytes:
    coding = coding.strip().lower()
    if coding in ("gzip", "x-gzip"):
        return gzip.compress(body, mtime=0)
    if coding == "deflate":
        return zlib.compress(body)
    if coding == "br":
        import brotli  # only for tests that ask for it

        return brotli.compress(body)
    if coding in ("", "identity"):
        return body
    raise ValueError(f"unknown content coding {coding!r}")


def http_response_block(resp: Response) -> tuple[bytes, bytes]:
    """(HTTP header block, payload bytes as on the wire) of a response."""
    if resp.block is not None:
        end = resp.block.find(b"\r\n\r\n")
        end = len(resp.block) if end < 0 else end + 4
        return resp.block[:end], resp.block[end:]
    headers = dict(resp.headers)
    lower = {k.lower(): k for k in headers}
    payload = resp.body
    if resp.wire is not None:
        payload = resp.wire
    else:
        if "content-encoding" in lower:
            for coding in headers[lower["content-encoding"]].split(","):
                payload = content_encode(payload, coding)
        if "chunked" in headers.get(lower.get("transfer-encoding", ""), "").lower():
            payload = chunk(payload)
    if "transfer-encoding" not in lower and "content-length" not in lower:
        headers["Content-Length"] = str(len(payload))
    head = f"HTTP/1.1 {resp.status} {resp.reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("latin-1"), payload


def tiny_png() -> bytes:
    """A real 1x1 PNG image."""

    def part(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + part(b"IHDR", header) + part(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + part(b"IEND", b"")


def http_request_block(url: str) -> bytes:
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return (
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "User-Agent: syndicate-tests/1.0\r\nAccept: text/html,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate\r\n\r\n"
    ).encode("latin-1")


def warc_record(warc_type: str, block: bytes, date: datetime, headers: dict[str, str], record_id: str | None = None) -> bytes:
    """One complete WARC/1.0 record: header, block, and the two CRLFs that end it."""
    record_id = record_id or new_record_id()
    head = {
        "WARC-Type": warc_type,
        "WARC-Record-ID": record_id,
        "WARC-Date": warc_date(date),
        **headers,
        "WARC-Block-Digest": sha1_digest(block),
        "Content-Length": str(len(block)),
    }
    text = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n"
    return text.encode("utf-8") + block + CRLF + CRLF


def as_response(item: ResponseLike) -> Response:
    if isinstance(item, Response):
        return item
    url, body, fetched_at, headers = item
    return Response(url, body, fetched_at, dict(headers))


def warc_records(records: Iterable[ResponseLike], filename: str = "test.warc", extras: bool = True) -> Iterable[tuple[str, str | None, str, bytes]]:
    """(type, url, record id, record bytes) of every record of the file, in order."""
    start = datetime(2023, 11, 10, tzinfo=timezone.utc)
    info = b"software: syndicate tests\r\nformat: WARC File Format 1.0\r\nconformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n"
    rid = new_record_id()
    yield "warcinfo", None, rid, warc_record(
        "warcinfo", info, start, {"WARC-Filename": filename, "Content-Type": "application/warc-fields"}, rid
    )
    first: tuple[Response, str, bytes] | None = None
    for item in records:
        resp = as_response(item)
        request_id, response_id = new_record_id(), new_record_id()
        ip = {"WARC-IP-Address": "192.0.2.1"}
        yield "request", resp.url, request_id, warc_record(
            "request",
            http_request_block(resp.url),
            resp.fetched_at,
            {"WARC-Target-URI": resp.url, "WARC-Concurrent-To": response_id, **ip,
             "Content-Type": "application/http; msgtype=request"},
            request_id,
        )
        head, payload = http_response_block(resp)
        yield "response", resp.url, response_id, warc_record(
            "response",
            head + payload,
            resp.fetched_at,
            {"WARC-Target-URI": resp.url, **ip, "Content-Type": "application/http; msgtype=response",
             "WARC-Payload-Digest": sha1_digest(payload)},
            response_id,
        )
        if first is None:
            first = (resp, response_id, payload)
    if extras and first is not None:
        resp, response_id, payload = first
        rid = new_record_id()
        yield "metadata", resp.url, rid, warc_record(
            "metadata",
            b"via: https://example.org/\r\nhopsFromSeed: L\r\nfetchTimeMs: 120\r\n",
            resp.fetched_at,
            {"WARC-Target-URI": resp.url, "WARC-Concurrent-To": response_id, "Content-Type": "application/warc-fields"},
            rid,
        )
        # The same URL fetched a day later, unchanged: a revisit record carries only the HTTP headers.
        later = resp.fetched_at + timedelta(days=1)
        revisit_head = (
            f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode("latin-1")
        rid = new_record_id()
        yield "revisit", resp.url, rid, warc_record(
            "revisit",
            revisit_head,
            later,
            {"WARC-Target-URI": resp.url,
             "WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
             "WARC-Refers-To": response_id, "WARC-Refers-To-Target-URI": resp.url,
             "WARC-Refers-To-Date": warc_date(resp.fetched_at), "WARC-Payload-Digest": sha1_digest(payload),
             "Content-Type": "application/http; msgtype=response"},
            rid,
        )


def write_warc(
    path: str | Path,
    records: Iterable[ResponseLike],
    gzip_mode: str | None = "record",
    extras: bool = True,
    compresslevel: int = 6,
) -> list[Written]:
    """Write a WARC file of ``records`` (see the module docstring); returns where each record went.

    ``extras`` False leaves out the metadata and revisit records.
    """
    if gzip_mode not in ("record", "file", None):
        raise ValueError(f"gzip_mode must be 'record', 'file' or None, not {gzip_mode!r}")
    path = Path(path)
    written: list[Written] = []
    with open(path, "wb") as raw:
        out = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=compresslevel, mtime=0) if gzip_mode == "file" else raw
        pos = 0
        for kind, url, rid, data in warc_records(records, path.name, extras):
            if gzip_mode == "record":
                data = gzip.compress(data, compresslevel, mtime=0)
            out.write(data)
            written.append(Written(kind, url, rid, pos, pos + len(data)))
            pos += len(data)
        if out is not raw:
            out.close()
    return written
