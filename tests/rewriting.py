"""Rewrite a real article the way a newspaper rewrites wire copy, for tests (no real rewritten pairs may be copied in).

The edits desks make: a local line on top, sentences cut, clauses reordered,
two sentences merged, common words reworded, the last paragraph moved up.
Deterministic, so a test's expectations hold run to run.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
REWORDED = {
    "said": "stated", "says": "states", "people": "residents", "also": "additionally", "after": "following",
    "before": "ahead of", "because": "as", "but": "however", "about": "around", "more": "further", "told": "informed",
    "new": "fresh", "first": "initial", "last": "previous", "many": "numerous", "help": "assist", "show": "indicate",
    "shows": "indicates", "showed": "indicated", "get": "obtain", "use": "employ", "used": "employed", "start": "begin",
    "started": "began", "big": "large", "could": "might", "will": "would", "would": "could", "make": "create",
    "made": "created", "found": "discovered", "during": "throughout", "between": "among", "while": "whereas",
    "than": "compared with", "very": "highly", "now": "currently", "including": "among them", "that": "which",
}
LOCAL_LINE = "Our correspondent reports from the region, where local officials followed the news closely."


def rewrite(text: str) -> str:
    """A newspaper's rewrite of ``text`` (paragraphs separated by newlines)."""
    out = []
    for pi, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
        kept = []
        for si, sentence in enumerate(_SENTENCE.split(paragraph)):
            n = pi * 7 + si
            if n % 4 == 3:
                continue  # one sentence in four cut
            if n % 3 == 1 and ", " in sentence[:-1]:  # the clauses of one sentence in three swapped
                head, tail = sentence.rstrip(".").split(", ", 1)
                sentence = tail[0].upper() + tail[1:] + ", " + head[0].lower() + head[1:] + "."
            kept.append(" ".join(REWORDED.get(w, w) for w in sentence.split(" ")))
        i = 0
        while i + 1 < len(kept):  # two sentences merged into one, every third
            kept[i : i + 2] = [kept[i].rstrip(".") + "; " + kept[i + 1][0].lower() + kept[i + 1][1:]]
            i += 3
        if kept:
            out.append(" ".join(kept))
    if len(out) > 2:
        out.insert(1, out.pop())
    return "\n".join([LOCAL_LINE, *out])
