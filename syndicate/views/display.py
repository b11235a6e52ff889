"""Crawled text made safe to show: in a terminal, and (for reports) in HTML.

A crawled title or URL is written by a stranger. Printed raw, an ANSI escape
sequence in it can rewrite the user's terminal (clear it, change the window
title, hide lines), and a bidirectional override can make one URL read as
another. Every crawled value the CLI prints goes through :func:`printable`;
every value put into HTML through :func:`html_text`.
"""

from __future__ import annotations

import html
import unicodedata

# Format characters that reorder or hide text: bidi overrides and isolates, zero-width joiners/spaces.
_HIDING = {"\u061c", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff",
           *(chr(c) for c in range(0x202A, 0x202F)), *(chr(c) for c in range(0x2066, 0x206A))}


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, keep_newlines: bool = False) -> str:
    """``text`` with control and text-hiding characters shown as visible escapes (``\\x1b``, ``\\u202e``).

    Tabs become spaces; newlines too unless ``keep_newlines``.
    """
    out = []
    for ch in str(text):
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\t\n\r":
            out.append(" ")
        elif ch in _HIDING or unicodedata.category(ch) in ("Cc", "Cs", "Co"):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)


def html_text(text: object) -> str:
    """``text`` for HTML element content or a quoted attribute: ``& < > " '`` escaped, controls made visible."""
    return html.escape(printable(text, keep_newlines=True), quote=True)
