"""Candidate pairs from the band table, verified by similarity and containment.

A pair is a candidate when the two documents share a band hash of the whole
text (near-duplicates) or of the opening passage (truncated copies), at
least two paragraph starts (copies inside other chrome, edited copies), or at
least two anchor shingles (stories rewritten from one another). Each
candidate is then verified on the exact shingle sets (recomputed from the
stored text, or taken from the scan's workers) without its site template lines (see ``boilerplate.py``), so
what lands in ``matches`` is not an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import duckdb
import numpy as np
import pyarrow as pa

from .bandindex import BandIndex
from .boilerplate import PageLines, without_template
from .scores import DUPLICATE, PARTIAL, RELATED, Scores, kind_of, measure
from .templates import is_template_pair
from ..fingerprint.minhash import ANCHOR_BAND, PARAGRAPH_BAND, overlap, shingle_hashes
from ..settings import Settings
from ..sqlutil import ids, registered

ALIAS = "alias"
"""Two pages of one site carrying one article: URL variants (www./amp./m., print, tracking), a same-site repost."""
TEMPLATE = "template"
"""Two stories written from one template (stock blurbs, lottery results): the same frame, other names and numbers."""

# Two pages of one site whose texts match under headlines sharing less than this
# (token Jaccard) carry the site's text, not an article: a wall, a notice, chrome.
SAME_HEADLINE = 0.5

# A paragraph start shared by more pages than this is boilerplate, not a lead.
MAX_PARAGRAPH_BUCKET = 100
# Anchors (a sample of each article's shingles, see fingerprint.ANCHOR_BAND): two articles sharing this
# many are candidates (a story rewritten from another keeps runs of its wording); an anchor on more
# pages than MAX_ANCHOR_BUCKET is a stock phrase, not a passage.
MIN_SHARED_ANCHORS = 2
MAX_ANCHOR_BUCKET = 100
# A new page is paired with at most this many pages of one LSH bucket (the
# earliest stored). A huge bucket is a story on hundreds of sites or text that
# slipped through as boilerplate: linking to a few of its pages puts the new
# page in the same cluster without verifying N x N pairs.
MAX_BUCKET_PARTNERS = 50

# The new pages' own band rows, then every stored row sharing a hash with one of
# them: a semi-join, which DuckDB runs as one scan of the band table with a Bloom
# filter built from the new hashes (4x faster than joining on the whole table).
NEW_BANDS_SQL = """
CREATE OR REPLACE TEMP TABLE new_bands AS
SELECT band, hash, doc_id FROM bands
WHERE doc_id BETWEEN (SELECT min(doc_id) FROM new_docs) AND (SELECT max(doc_id) FROM new_docs)
  AND doc_id IN (SELECT doc_id FROM new_docs)
"""
HITS_SQL = """
CREATE OR REPLACE TEMP TABLE band_hits AS
SELECT band, hash, doc_id FROM bands WHERE hash IN (SELECT hash FROM new_bands)
"""
# Pairs of rows sharing a bucket, ranked within it (earliest stored first) and with the bucket's size.
JOINED_SQL = """
CREATE OR REPLACE TEMP TABLE candidate_rows AS
SELECT n.doc_id AS a, b.doc_id AS b, n.band,
       row_number() OVER (PARTITION BY n.doc_id, n.band, n.hash ORDER BY b.doc_id) AS rank,
       count(*) OVER (PARTITION BY n.doc_id, n.band, n.hash) + 1 AS bucket
FROM new_bands n JOIN band_hits b ON n.band = b.band AND n.hash = b.hash
WHERE n.doc_id <> b.doc_id
"""
CANDIDATES_SQL = f"""
SELECT DISTINCT least(a, b) AS doc_a, greatest(a, b) AS doc_b FROM (
    SELECT a, b FROM candidate_rows WHERE band >= 0 AND rank <= {MAX_BUCKET_PARTNERS}
    UNION ALL
    SELECT a, b FROM candidate_rows
    WHERE band = {PARAGRAPH_BAND} AND bucket <= {MAX_PARAGRAPH_BUCKET}
    GROUP BY a, b HAVING count(*) >= 2
    UNION ALL
    SELECT a, b FROM candidate_rows
    WHERE band = {ANCHOR_BAND} AND bucket <= {MAX_ANCHOR_BUCKET}
    GROUP BY a, b HAVING count(*) >= {MIN_SHARED_ANCHORS}
)
ORDER BY doc_a, doc_b
"""
CAPPED_SQL = f"SELECT count(*) FROM candidate_rows WHERE band >= 0 AND rank = {MAX_BUCKET_PARTNERS + 1}"


@dataclass(frozen=True)
class Match:
    """Two documents sharing text, with the kind of match and the evidence; ``doc_a < doc_b``."""

    doc_a: int
    doc_b: int
    similarity: float
    containment: float
    kind: str
    scores: Scores | None = None

    def as_row(self) -> tuple:
        """The ``matches`` row: ids, similarity, containment, kind, then the other scores (see scores.py)."""
        s = self.scores
        extra = (s.shared, s.trigram_containment, s.trigram_coverage, s.longest_run, s.shared_sentences,
                 s.title_similarity) if s is not None else (None,) * 6
        return (self.doc_a, self.doc_b, self.similarity, self.containment, self.kind, *extra)


def candidate_pairs(
    con: duckdb.DuckDBPyConnection, new_doc_ids: Sequence[int], index: BandIndex | None = None
) -> tuple[list[tuple[int, int]], int]:
    """Pairs (a < b) that share a band hash, with at least one side among ``new_doc_ids``.

    The stored rows sharing a hash with the new pages' rows come from the band
    ``index`` when given (it must be up to date: see ``Store.band_lookup``),
    else from a scan of the table; the pairs are the same. Also returns how
    many (new page, bucket) pairings were capped at ``MAX_BUCKET_PARTNERS``:
    reported, so a flood of boilerplate shows.
    """
    if not new_doc_ids:
        return [], 0
    try:
        with registered(con, new_docs=ids(new_doc_ids)):
            con.execute(NEW_BANDS_SQL)
        if index is None:
            con.execute(HITS_SQL)
        else:
            _hits_from_index(con, index)
        con.execute(JOINED_SQL)
        pairs = [tuple(row) for row in con.execute(CANDIDATES_SQL).fetchall()]
        capped = int(con.execute(CAPPED_SQL).fetchall()[0][0])
    finally:
        con.execute("DROP TABLE IF EXISTS new_bands; DROP TABLE IF EXISTS band_hits; DROP TABLE IF EXISTS candidate_rows")
    return pairs, capped


def _hits_from_index(con: duckdb.DuckDBPyConnection, index: BandIndex) -> None:
    """``band_hits`` as HITS_SQL makes it, from the band index instead of a table scan."""
    probes = con.execute("SELECT DISTINCT band, hash FROM new_bands").fetchnumpy()
    bands, hashes = np.asarray(probes["band"], np.int16), np.asarray(probes["hash"], np.uint64)
    at, docs = index.lookup(bands, hashes)
    hits = pa.table({"band": pa.array(bands[at], pa.int16()), "hash": pa.array(hashes[at], pa.uint64()),
                     "doc_id": pa.array(docs, pa.int64())})
    with registered(con, hits=hits):
        con.execute("CREATE OR REPLACE TEMP TABLE band_hits AS SELECT * FROM hits")


def classify(a: np.ndarray, b: np.ndarray, settings: Settings) -> Match | None:
    """Whether two shingle sets carry the same article (``duplicate`` or ``partial``); None otherwise.

    Same article: Jaccard similarity at least ``settings.threshold``, or the
    smaller one (of at least ``settings.min_shingles`` shingles) contained in
    the larger one at ``settings.containment``, or at least
    ``settings.min_shared`` shingles in common making up
    ``settings.min_shared_containment`` of the smaller. It is ``partial`` when
    contained but clearly shorter. (Rewrites need the texts: see :func:`judge`.)
    """
    similarity, containment, shared = overlap(a, b)
    scores = Scores(round(similarity, 6), round(containment, 6), shared, 0.0, 0.0, 0, 0, None)
    kind = kind_of(scores, settings)
    if kind not in (DUPLICATE, PARTIAL):
        return None
    return Match(0, 0, scores.similarity, scores.containment, kind, scores)


def verify(
    pairs: Sequence[tuple[int, int]],
    pages: Mapping[int, PageLines],
    template_pages: Mapping[tuple[str, int], int],
    settings: Settings,
    known: Mapping[int, np.ndarray] | None = None,
) -> list[Match]:
    """Matches among candidate pairs, judged on the texts without their site template lines.

    ``pages`` holds every document of the pairs; ``template_pages`` counts,
    per (site, line hash), the stored pages carrying that line; ``known`` the
    shingle sets already computed of whole texts (by the workers, for pages
    of this scan), so they are not computed twice.
    """
    k = settings.shingle_size
    whole: dict[int, np.ndarray] = dict(known or {})

    def shingles(doc_id: int, text: str) -> np.ndarray:
        if text != pages[doc_id].text:  # template lines were set aside for this pair
            return shingle_hashes(text, k)
        if doc_id not in whole:
            whole[doc_id] = shingle_hashes(text, k)
        return whole[doc_id]

    out = []
    for a, b in pairs:
        verdict = judge(pages[a], pages[b], template_pages, settings,
                        lambda text, doc_id=a: shingles(doc_id, text), lambda text, doc_id=b: shingles(doc_id, text))
        if verdict is not None:
            scores, kind = verdict
            out.append(Match(a, b, scores.similarity, scores.containment, kind, scores))
    return out


def judge(
    a: PageLines, b: PageLines, template_pages: Mapping[tuple[str, int], int], settings: Settings,
    shingles_a: Callable[[str], np.ndarray], shingles_b: Callable[[str], np.ndarray],
) -> tuple[Scores, str] | None:
    """The verdict on one candidate pair: (scores, kind), or None below the floor or when the text is a site's own.

    - One site, one article key (URL variants): compared whole, an ``alias``
      when they carry one article.
    - Otherwise compared without template lines, and graded by the scores
      (:func:`syndicate.match.scores.kind_of`): ``duplicate``, ``partial``,
      ``rewrite`` or ``related``; a match whose differences are the names and
      numbers that fill one template is ``template``.
    - One site, other key: an ``alias`` when the headlines agree; under
      different headlines the shared text is the site's own, not an article.
    """
    k = settings.shingle_size
    same_site = bool(a.site) and a.site == b.site
    if same_site and a.article_key and a.article_key == b.article_key:
        scores = measure(a.text, b.text, shingles_a(a.text), shingles_b(b.text), k, a.title, b.title)
        return (scores, ALIAS) if kind_of(scores, settings) in (DUPLICATE, PARTIAL) else None
    ta, tb = without_template(a, b, template_pages)
    scores = measure(ta, tb, shingles_a(ta), shingles_b(tb), k, a.title, b.title)
    kind = kind_of(scores, settings)
    if kind is None:
        return None
    if kind != RELATED and is_template_pair(ta, tb, a.title, b.title):
        return scores, TEMPLATE
    if same_site and kind != RELATED:
        # headlines sharing under half their words (a missing one says nothing: title_similarity None)
        if scores.title_similarity is not None and scores.title_similarity < SAME_HEADLINE:
            return None
        return scores, ALIAS if kind in (DUPLICATE, PARTIAL) else kind
    return scores, kind
