"""The evidence on a verified pair, and the kind it earns under given verdict settings.

Every candidate pair is measured once, on exact evidence, and the scores are
stored in ``matches`` (above a low floor), so the verdict can be taken again
later with other settings (``syndicate recluster``) without a rescan:

- ``similarity``: Jaccard similarity of the two shingle sets (5-token shingles);
- ``containment``: the share of the smaller set found in the larger;
- ``shared``: shingles in common;
- ``trigram_containment`` / ``trigram_coverage``: the share of the smaller /
  the larger text's word trigrams found in the other. A story rewritten from
  another (reordered, cut, sentences merged, a local line added) keeps many of
  its source's trigrams though few of its 5-token shingles;
- ``longest_run``: tokens in the longest passage of one text whose every
  5-token shingle is in the other;
- ``shared_sentences``: sentences of six tokens or more found word for word in both;
- ``title_similarity``: token Jaccard of the headlines (None when one is missing).

Kinds, strongest first (:func:`kind_of`): ``duplicate`` and ``partial`` (the
same article: similar, contained or sharing a long block), ``rewrite`` (most
of the smaller story's trigrams come from the other, which is not much longer:
reworded wire copy; independent write-ups of one event share names, numbers
and quotes, not that much of their wording), ``related`` (above the floor, not
one article under the current settings; kept so a lower threshold can be
chosen later).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..fingerprint.minhash import overlap, shingle_hashes
from ..settings import Settings
from ..text import tokens

DUPLICATE = "duplicate"
PARTIAL = "partial"
REWRITE = "rewrite"
RELATED = "related"
GRADED_KINDS = (DUPLICATE, PARTIAL, REWRITE, RELATED)
"""Kinds decided by the scores alone (``alias`` and ``template`` are decided on the texts and kept by recluster)."""

# A copy whose shingle set is less than this share of the other's, and mostly
# contained in it, carries part of the article: a truncated repost.
PARTIAL_SIZE_RATIO = 0.75

SENTENCE_TOKENS = 6
"""Sentences shorter than this are not compared (datelines, "He said.")."""
_SENTENCE_END = re.compile(r"[.!?؟۔।。！？\n]+")


@dataclass(frozen=True)
class Scores:
    """What verification measured on one pair (see the module docstring)."""

    similarity: float
    containment: float
    shared: int
    trigram_containment: float
    trigram_coverage: float
    longest_run: int
    shared_sentences: int
    title_similarity: float | None

    def sizes(self) -> tuple[float, float]:
        """The smaller and larger shingle-set sizes these scores imply."""
        if self.shared == 0 or self.containment == 0 or self.similarity == 0:
            return 0.0, 0.0
        small = self.shared / self.containment
        union = self.shared / self.similarity
        return small, union - small + self.shared


def measure(text_a: str, text_b: str, shingles_a: np.ndarray, shingles_b: np.ndarray, shingle_size: int,
            title_a: str | None = None, title_b: str | None = None) -> Scores:
    """The scores of two texts (their shingle sets given, since verification has them already)."""
    similarity, containment, shared = overlap(shingles_a, shingles_b)
    tri_a, tri_b = shingle_hashes(text_a, 3), shingle_hashes(text_b, 3)
    _, tri_small, tri_shared = overlap(tri_a, tri_b)
    tri_large = tri_shared / max(len(tri_a), len(tri_b)) if tri_shared else 0.0
    return Scores(
        similarity=round(similarity, 6), containment=round(containment, 6), shared=shared,
        trigram_containment=round(tri_small, 6), trigram_coverage=round(tri_large, 6),
        longest_run=longest_run(tokens(text_a), tokens(text_b), shingle_size) if shared else 0,
        shared_sentences=len(_sentences(text_a) & _sentences(text_b)),
        title_similarity=_title_similarity(title_a, title_b),
    )


def kind_of(s: Scores, settings: Settings) -> str | None:
    """The kind these scores earn under ``settings``' verdict settings; None below the floor."""
    small, large = s.sizes()
    contained = s.containment >= settings.containment and round(small) >= settings.min_shingles
    # a long run of identical text (several paragraphs) is a partial copy even when
    # the copy carries much text of its own (chrome the extractor kept, commentary)
    block = s.shared >= settings.min_shared and s.containment >= settings.min_shared_containment
    if s.similarity >= settings.threshold or contained or block:
        return PARTIAL if (contained or block) and small < PARTIAL_SIZE_RATIO * large else DUPLICATE
    if (s.trigram_containment >= settings.rewrite_containment and s.trigram_coverage >= settings.rewrite_coverage
            and round(small) >= settings.min_shingles):  # a headline-and-byline stub is not a story
        return REWRITE
    if max(s.containment, s.trigram_containment) >= settings.floor:
        return RELATED
    return None


def longest_run(a: list[str], b: list[str], k: int) -> int:
    """Tokens in the longest passage of ``a`` whose every k-token shingle is in ``b`` (0 when none is)."""
    if len(a) < k or len(b) < k:
        return 0
    in_b = {tuple(b[i : i + k]) for i in range(len(b) - k + 1)}
    best = streak = 0
    for i in range(len(a) - k + 1):
        streak = streak + 1 if tuple(a[i : i + k]) in in_b else 0
        best = max(best, streak)
    return best + k - 1 if best else 0


def _sentences(text: str) -> set[tuple[str, ...]]:
    out = set()
    for sentence in _SENTENCE_END.split(text):
        words = tokens(sentence)
        if len(words) >= SENTENCE_TOKENS:
            out.add(tuple(words))
    return out


def _title_similarity(a: str | None, b: str | None) -> float | None:
    ta, tb = set(tokens(a or "")), set(tokens(b or ""))
    if not ta or not tb:
        return None
    return round(len(ta & tb) / len(ta | tb), 6)
