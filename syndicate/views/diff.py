"""``syndicate diff``: two articles with the passages they share marked.

A token is shared when a shingle covering it (k consecutive tokens, as
matching uses) occurs in the other article; tokens chained by overlapping
shared shingles make a passage, shown over the original text (case,
punctuation and all).
Similarity and containment are the exact figures verification uses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from .display import html_text, printable
from ..fingerprint.minhash import overlap, shingle_hashes
from ..text import _TOKEN_RE


@dataclass(frozen=True)
class Side:
    """One article: its text and the character spans of the passages it shares with the other."""

    text: str
    spans: list[tuple[int, int]]

    @property
    def shared_share(self) -> float:
        """Share of the article's characters (outside white space) inside shared passages."""
        total = len(re.sub(r"\s", "", self.text))
        inside = sum(len(re.sub(r"\s", "", self.text[a:b])) for a, b in self.spans)
        return inside / total if total else 0.0


@dataclass(frozen=True)
class ArticleDiff:
    a: Side
    b: Side
    similarity: float
    containment: float


def _tokens_with_spans(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        word = unicodedata.normalize("NFKC", m.group()).casefold()
        out.append((word, m.start(), m.end()))
    return out


def _shingles(words: list[str], k: int) -> list[str]:
    k = min(k, len(words))
    return [" ".join(words[i : i + k]) for i in range(len(words) - k + 1)] if words else []


def diff_articles(text_a: str, text_b: str, k: int = 5) -> ArticleDiff:
    """The shared passages of two article texts, with their similarity and containment."""
    ta, tb = _tokens_with_spans(text_a), _tokens_with_spans(text_b)
    sa, sb = set(_shingles([w for w, _, _ in ta], k)), set(_shingles([w for w, _, _ in tb], k))
    similarity, containment, _ = overlap(shingle_hashes(text_a, k), shingle_hashes(text_b, k))
    return ArticleDiff(Side(text_a, _merge(ta, sb, k)), Side(text_b, _merge(tb, sa, k)), similarity, containment)


def _merge(tokens: list[tuple[str, int, int]], other: set[str], k: int) -> list[tuple[int, int]]:
    """Character spans of passages: runs of tokens chained by overlapping shingles found in the other text.

    Two neighbouring tokens are in one passage only when one shared shingle
    covers both, so a passage is one stretch of the other article, not two
    stretches that happen to sit side by side here.
    """
    words = [w for w, _, _ in tokens]
    width = min(k, len(words))
    marked = [False] * len(words)
    linked = [False] * len(words)  # linked[i]: tokens i and i+1 are covered by one shared shingle
    for i, shingle in enumerate(_shingles(words, k)):
        if shingle in other:
            marked[i : i + width] = [True] * width
            linked[i : i + width - 1] = [True] * (width - 1)
    spans: list[tuple[int, int]] = []
    for i, (_, start, end) in enumerate(tokens):
        if not marked[i]:
            continue
        if i > 0 and linked[i - 1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def render_terminal(side: Side, style: Callable[[str], str]) -> str:
    """The text with shared passages passed through ``style`` (click.style with colour, say), controls escaped."""
    out, at = [], 0
    for start, end in side.spans:
        out.append(printable(side.text[at:start], keep_newlines=True))
        out.append(style(printable(side.text[start:end], keep_newlines=True)))
        at = end
    out.append(printable(side.text[at:], keep_newlines=True))
    return "".join(out)


def render_html(diff: ArticleDiff, title_a: str, title_b: str) -> str:
    """A self-contained HTML page: the two articles side by side, shared passages marked, all text escaped."""

    def column(side: Side, title: str) -> str:
        parts, at = [], 0
        for start, end in side.spans:
            parts.append(html_text(side.text[at:start]))
            parts.append(f"<mark>{html_text(side.text[start:end])}</mark>")
            at = end
        parts.append(html_text(side.text[at:]))
        body = "".join(parts).replace("\n", "<br>\n")
        return (f"<section><h2>{html_text(title)}</h2><p class='share'>{side.shared_share:.0%} of this article "
                f"is in shared passages</p><div class='text'>{body}</div></section>")

    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>syndicate diff</title>"
        "<style>body{font:15px/1.5 system-ui,sans-serif;margin:1.5em}main{display:flex;gap:2em}"
        "section{flex:1;min-width:0}mark{background:#ffe58a}h2{font-size:1em;word-break:break-all}"
        ".share{color:#555}</style></head><body>"
        f"<h1>Shared passages</h1><p>similarity {diff.similarity:.3f}, containment {diff.containment:.3f}</p>"
        f"<main>{column(diff.a, title_a)}{column(diff.b, title_b)}</main></body></html>\n"
    )
