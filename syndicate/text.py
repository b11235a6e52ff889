"""Text normalisation and tokens, shared by extraction (word counts) and fingerprints."""

from __future__ import annotations

import re
import unicodedata

# Scripts written without spaces between words: each character is one token, so
# k-shingles over them are character shingles.
_NO_SPACE = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\uff66-\uff9f"  # half-width Katakana
)
_TOKEN_RE = re.compile(f"[{_NO_SPACE}]|[^\\W_{_NO_SPACE}]+")


def normalize(text: str) -> str:
    """Unicode-normalise (NFKC) and case-fold, so "ﬁ", "Fi" and "FI" agree."""
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(text: str) -> list[str]:
    """Words of the normalised text; punctuation and quote style do not count.

    Characters of scripts without spaces (Chinese, Japanese, Thai, ...) are one
    token each.
    """
    return _TOKEN_RE.findall(normalize(text))


def token_stream(text: str) -> bytes:
    """The tokens as the fingerprint stage reads them: UTF-8, joined by spaces, lines by newlines.

    Tokens never contain a space or a newline, so the stream is unambiguous.
    """
    return "\n".join(" ".join(_TOKEN_RE.findall(line)) for line in normalize(text).split("\n")).encode("utf-8")
