"""What a crawled body is: a page in some encoding, or binary data that is not a page at all.

Readers call :func:`decode_page` on the bytes of every page before they
yield it. It decides three things, cheaply, from the bytes alone:

- **Binary, not a page.** A body that starts with the signature of a known
  binary format (PNG, JPEG, GIF, WebP, PDF, zip, gzip, ...) or whose first
  4 KiB are more than 5% control bytes (0x00-0x08 and 0x0E-0x1F: not tab,
  line feed, form feed or carriage return; counted in characters, the first
  4,096, for a page decoded already) raises :class:`NotAPage`. Text
  has next to none (random bytes have 10.5%); a few NUL bytes in a page do
  not make it binary.
- **Which encoding.** A byte-order mark wins (UTF-16, UTF-32; UTF-8 too when
  a charset is given); then a charset the caller knows (the HTTP
  ``Content-Type`` of a WARC response); then UTF-16 without a mark,
  recognised by its NUL bytes in every other place around HTML markup. Pages
  in these are decoded to ``str``. A page that is UTF-8 but for a few bad
  bytes is decoded as UTF-8 with U+FFFD for them, instead of letting one
  stray byte make the whole page read as some other charset. Everything else
  stays ``bytes``, and extraction reads the charset from the page: valid
  UTF-8 (with or without a mark) is left as bytes, as the extractor parses it
  fastest that way, and its content hash stays the hash of the bytes as
  crawled.
- **NUL bytes** become U+FFFD, as HTML parsers read them (in a page of a
  legacy single- or multi-byte charset, where U+FFFD has no bytes, they are
  dropped, as browsers drop them from text); NUL bytes that only pad the end
  of a file are removed.
"""

from __future__ import annotations

import codecs
import re

from .http import charset_of

SAMPLE = 4096
"""Bytes (or characters) at the start of a page judged for control bytes."""
MAX_CONTROL_SHARE = 0.05
"""A page whose sample holds more control bytes than this share is binary."""

_CONTROL = bytes(b for b in range(32) if not 8 < b < 14)  # 0x00-0x08, 0x0E-0x1F
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
_CONTROL_CHARS = dict.fromkeys(_CONTROL)  # str.translate table deleting them
_ASCII = bytes(range(128))
_FFFD = "\ufffd".encode()

# (signature at offset 0, what it is); only signatures no text page starts with
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", None),  # bzip2 only with its block magic, below
    (b"\xfd7zXZ\x00", "xz data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O binary"),
    (b"\x00asm", "WebAssembly"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
    (b"\x1aE\xdf\xa3", "Matroska/WebM media"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_RIFF = {b"WEBP": "a WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

# longest first: the UTF-32 LE mark starts with the UTF-16 LE one
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE)


class NotAPage(Exception):
    """Bytes that are not a web page; the message is the one-line reason."""


def decode_page(raw: bytes, charset: str | None = None) -> str | bytes:
    """The page ``raw`` holds, as ``str`` when its encoding is known here, else as ``bytes`` (see the module).

    ``charset`` is a Python codec name the transport declared (HTTP), or None.
    Raises NotAPage for binary data.
    """
    kind = binary_signature(raw)
    if kind:
        raise NotAPage(f"binary content, not HTML: {kind}")
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            if codec == "utf-8" and not charset:
                break  # UTF-8 with a mark is read like UTF-8 without one
            return _text_page(raw[len(bom):].decode(codec, "replace"))
    if charset:
        return _text_page(raw.decode(charset, "replace"))
    codec = _utf16_without_bom(raw)
    if codec:
        return _text_page(raw.decode(codec, "replace"))
    raw = raw.rstrip(b"\x00")  # a file padded with NUL bytes (preallocated, or cut by a crash)
    _judge_bytes(raw[:SAMPLE])
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return raw.replace(b"\x00", _FFFD) if b"\x00" in raw else raw
    text = _nearly_utf8(raw)
    if text is not None:
        return text.replace("\x00", "\ufffd")
    return raw.replace(b"\x00", b"") if b"\x00" in raw else raw


def text_page(html: str) -> str:
    """A page given as text (a JSONL ``html`` field): judged for control characters, NUL as U+FFFD.

    Raises NotAPage when it is binary junk spelled as a string.
    """
    return _text_page(html)


def binary_reason(data: str | bytes) -> str | None:
    """Why ``data`` is binary and not a page (a signature, or the share of control bytes), None if it is not.

    The same rule as :func:`decode_page`, for a page that no reader judged
    (one built in code and handed to the extractor).
    """
    try:
        if isinstance(data, bytes):
            kind = binary_signature(data)
            if kind:
                return f"binary content, not HTML: {kind}"
            _judge_bytes(data.rstrip(b"\x00")[:SAMPLE])
        else:
            _judge_text(data.rstrip("\x00")[:SAMPLE])
    except NotAPage as exc:
        return str(exc)
    return None


def binary_signature(raw: bytes) -> str | None:
    """What binary format ``raw`` starts like ("a PNG image"), None if none."""
    head = raw[:16]
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            if kind is None:
                if _BZIP2.match(head):
                    return "bzip2 data"
                continue
            return kind
    if head.startswith(b"RIFF") and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return "MP4/QuickTime media"
    return None


def declared_charset(raw: bytes) -> str | None:
    """The Python codec of the charset a page declares in a ``<meta>`` of its first 1024 bytes, None if none."""
    m = _META_CHARSET.search(raw, 0, 1024)
    return charset_of("charset=" + m.group(1).decode("ascii")) if m else None


def _text_page(text: str) -> str:
    text = text.rstrip("\x00")
    _judge_text(text[:SAMPLE])
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def _judge_bytes(sample: bytes) -> None:
    _judge(len(sample), len(sample.translate(None, _NOT_CONTROL)), "bytes")


def _judge_text(sample: str) -> None:
    # counted in characters: a binary decoded with U+FFFD (three bytes each in UTF-8) keeps its share
    _judge(len(sample), len(sample) - len(sample.translate(_CONTROL_CHARS)), "characters")


def _judge(size: int, control: int, unit: str) -> None:
    """NotAPage when more than MAX_CONTROL_SHARE of a sample of ``size`` bytes or characters are control ones."""
    if size and control > MAX_CONTROL_SHARE * size:
        if size < SAMPLE:
            where = f"{size:,} {unit}"
        else:
            where = f"first {SAMPLE // 1024} KiB" if unit == "bytes" else f"first {SAMPLE:,} {unit}"
        raise NotAPage(f"binary content, not HTML: {100 * control / size:.0f}% of its {where} are control {unit}")


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for HTML in UTF-16 without a byte-order mark, else None.

    Markup is ASCII, so every other byte of UTF-16 HTML is NUL, and the text
    then starts like HTML.
    """
    sample = raw[: SAMPLE & ~1]
    pairs = len(sample) // 2
    if pairs < 8 or sample.count(b"\x00") < pairs // 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= pairs * 0.3 and even <= pairs * 0.02:
        codec = "utf-16-le"
    elif even >= pairs * 0.3 and odd <= pairs * 0.02:
        codec = "utf-16-be"
    else:
        return None
    start = sample[:512].decode(codec, "replace").lstrip()
    return codec if start.startswith("<") else None


def _nearly_utf8(raw: bytes) -> str | None:
    """The page decoded as UTF-8 with U+FFFD for its bad bytes, when it is UTF-8 but for a few; else None.

    Few means: at least ten well-formed non-ASCII characters for every bad
    sequence, or, in a page that declares UTF-8, at least as many (or no more
    than three bad sequences at all). A page that declares another charset
    is left to it.
    """
    declared = declared_charset(raw)
    if declared not in (None, "utf-8"):
        return None
    text = raw.decode("utf-8", "replace")
    bad = text.count("\ufffd") - raw.count(_FFFD)  # each bad sequence is one U+FFFD
    ascii_chars = len(raw) - len(raw.translate(None, _ASCII))  # one character per ASCII byte, in any case
    good = len(text) - ascii_chars - bad
    if good >= 10 * bad or (declared == "utf-8" and bad <= max(3, good)):
        return text[1:] if text.startswith("\ufeff") else text
    return None
