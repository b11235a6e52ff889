"""Candidate pairs from the band table, verified by similarity and containment.

A pair is a candidate when the two documents share a band hash: of the whole
text (near-duplicates) or of the opening passage (truncated copies). Each
candidate is then verified on the exact shingle sets, recomputed from the
stored text, so what lands in ``matches`` is not an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import duckdb
import numpy as np
import pyarrow as pa

from .fingerprint import overlap, shingle_hashes
from .settings import Settings

DUPLICATE = "duplicate"
PARTIAL = "partial"

# A copy whose shingle set is less than this share of the other's, and mostly
# contained in it, carries part of the article: a truncated repost.
PARTIAL_SIZE_RATIO = 0.75

CANDIDATES_SQL = """
SELECT DISTINCT least(n.doc_id, b.doc_id) AS doc_a, greatest(n.doc_id, b.doc_id) AS doc_b
FROM bands n
JOIN bands b ON n.band = b.band AND n.hash = b.hash AND n.doc_id <> b.doc_id
WHERE n.doc_id IN (SELECT doc_id FROM new_docs)
ORDER BY doc_a, doc_b
"""


@dataclass(frozen=True)
class Match:
    """Two documents carrying the same article; ``doc_a < doc_b``."""

    doc_a: int
    doc_b: int
    similarity: float
    containment: float
    kind: str

    def as_row(self) -> tuple[int, int, float, float, str]:
        return (self.doc_a, self.doc_b, self.similarity, self.containment, self.kind)


def candidate_pairs(con: duckdb.DuckDBPyConnection, new_doc_ids: Sequence[int]) -> list[tuple[int, int]]:
    """Pairs (a < b) that share a band hash, with at least one side among ``new_doc_ids``."""
    if not new_doc_ids:
        return []
    new_docs = pa.table({"doc_id": pa.array(sorted(set(new_doc_ids)), pa.int64())})
    con.register("new_docs", new_docs)
    try:
        return [tuple(row) for row in con.execute(CANDIDATES_SQL).fetchall()]
    finally:
        con.unregister("new_docs")


def classify(a: np.ndarray, b: np.ndarray, settings: Settings) -> Match | None:
    """Verify one pair of shingle sets; None when they do not carry the same article.

    Same article: Jaccard similarity at least ``settings.threshold``, or the
    smaller one (of at least ``settings.min_shingles`` shingles) contained in
    the larger one at ``settings.containment``. It is ``partial`` when the
    smaller is contained but clearly shorter.
    """
    similarity, containment, _ = overlap(a, b)
    small, large = sorted((len(a), len(b)))
    contained = containment >= settings.containment and small >= settings.min_shingles
    if similarity < settings.threshold and not contained:
        return None
    kind = PARTIAL if contained and small < PARTIAL_SIZE_RATIO * large else DUPLICATE
    return Match(0, 0, round(similarity, 6), round(containment, 6), kind)


def verify(
    pairs: Sequence[tuple[int, int]],
    shingles: Mapping[int, np.ndarray],
    load_texts: Callable[[Sequence[int]], Mapping[int, str]],
    settings: Settings,
) -> list[Match]:
    """Matches among candidate pairs.

    ``shingles`` holds the sets already in memory (this batch's documents);
    the others are recomputed from their stored text via ``load_texts``.
    """
    known = dict(shingles)
    missing = sorted({d for pair in pairs for d in pair if d not in known})
    for doc_id, text in load_texts(missing).items():
        known[doc_id] = shingle_hashes(text or "", settings.shingle_size)
    out = []
    for a, b in pairs:
        found = classify(known[a], known[b], settings)
        if found is not None:
            out.append(Match(a, b, found.similarity, found.containment, found.kind))
    return out
