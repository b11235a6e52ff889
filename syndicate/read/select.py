"""Which files of a folder a scan reads: by name, by --include/--exclude, and by content where the name says nothing.

Crawlers save pages under names that do not end in ``.html``: ``index.html?p=2``,
``page.php``, ``story.shtml``, ``doc.xhtml``, ``default.aspx``, a bare ``article``.
A file whose name is not one of the suffixes read is looked at: the first
8 KiB, never more, decide whether it is an HTML page. Everything a scan passes
over is counted by reason (:class:`Selection`), so that nothing is skipped
without a word.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Sequence

from .sniff import binary_signature

SNIFF_BYTES = 8192
"""How much of a file is read to tell whether it is an HTML page."""

# Files no crawler saves a page as: skipped by name, without opening them.
NOT_PAGE_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .webp .avif .svg .ico .bmp .tif .tiff .css .js .mjs .map .json .xml .rss .atom .txt .csv "
    ".pdf .doc .docx .xls .xlsx .ppt .pptx .zip .tar .tgz .gz .bz2 .xz .zst .7z .rar .woff .woff2 .ttf .otf .eot "
    ".mp3 .mp4 .m4a .webm .ogg .wav .avi .mov .mkv .flac .wasm .exe .bin .so .dll .parquet .duckdb .db .sqlite "
    ".py .md .log .pyc .lock .toml .yaml .yml .ini .cfg".split())

_HTML_START = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<title[\s>]", re.IGNORECASE)
_LEAD = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?", re.DOTALL)


def looks_like_html(head: bytes) -> bool:
    """Whether a file starting with ``head`` is an HTML page: markup first, and an html/head/body/title tag or an
    HTML doctype in the first 8 KiB. UTF-16 pages (with a byte-order mark) count too."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head[2:].decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be", "ignore").encode()
        except UnicodeError:
            return False
    lead = _LEAD.match(head)
    start = lead.end() if lead else 0
    return head[start:start + 1] == b"<" and _HTML_START.search(head, start, SNIFF_BYTES) is not None


def not_a_page(path: Path) -> str | None:
    """Why a file with no page suffix is not read (its type by name or by content), None if it is an HTML page.

    Raises OSError when the file cannot be opened: the caller records that.
    """
    suffix = _suffix(path.name)
    if suffix in NOT_PAGE_SUFFIXES:
        return f"not a page ({suffix})"
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    if not head:
        return "not a page (empty file)"
    if looks_like_html(head):
        return None
    kind = binary_signature(head)
    return f"not a page ({kind})" if kind else "not a page (no HTML in its first 8 KiB)"


def _suffix(name: str) -> str:
    """The file type a name ends in, ignoring a query string a crawler kept in it (``index.php?p=2``)."""
    name = name.split("?", 1)[0].lower()
    return PurePosixPath(name).suffix


@dataclass
class Selection:
    """The --include/--exclude patterns of a scan, and what it passed over, counted by reason.

    A pattern without ``/`` matches a file or folder name; with ``/``, the
    path relative to the folder scanned. ``*``, ``?`` and ``[...]`` are as in
    shell globs, and ``*`` also matches ``/`` in a path pattern. Excludes win
    and apply to folders too (an excluded folder is not walked); with
    includes, only files matching one are read.
    """

    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    skipped: Counter[str] = field(default_factory=Counter)

    def excluded(self, relative: str, is_folder: bool = False) -> bool:
        name = relative.rsplit("/", 1)[-1]
        if any(_matches(p, name, relative) for p in self.exclude):
            self.skipped["folders excluded (--exclude)" if is_folder else "excluded (--exclude)"] += 1
            return True
        if not is_folder and self.include and not any(_matches(p, name, relative) for p in self.include):
            self.skipped["not included (--include)"] += 1
            return True
        return False

    def line(self) -> str:
        """``12 files skipped: 9 not a page (.png), 3 excluded (--exclude)``, or "" when none was."""
        files = {reason: n for reason, n in self.skipped.items() if not reason.startswith("folders")}
        total = sum(files.values())
        parts = [f"{n} {reason}" for reason, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0]))]
        if not parts:
            return ""
        return f"{total} file{'s' if total != 1 else ''} skipped: {', '.join(parts)}"


def _matches(pattern: str, name: str, relative: str) -> bool:
    pattern = pattern.strip("/") if "/" in pattern.strip("/") else pattern.rstrip("/")
    return fnmatch.fnmatchcase(relative if "/" in pattern else name, pattern)
