"""Candidate generation at scale: a nightly batch of new documents against 100k / 1M stored, synthetic bands.

    python benchmarks/match_scale.py [--stored 100000,1000000] [--new 10000]

Builds, in a temporary DuckDB file, the ``bands`` table of N stored documents
(74 LSH band hashes and 15 paragraph hashes each, random, as real fingerprints
of distinct articles look) plus 10k new ones, 1% of which are planted copies of
stored documents; then times syndicate's own candidate query
(``syndicate.match.candidate_pairs``) for the new documents and the
verification that follows it (texts read from ``documents``, exact shingle
overlap), and checks that every planted copy is found and confirmed. Figures
for each N side by side, with the growth.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from syndicate.fingerprint import PARAGRAPH_BAND, warm_up
from syndicate.match import candidate_pairs, verify
from syndicate.settings import Settings
from syndicate.sqlutil import registered
from syndicate.store import Store

LSH_ROWS = 2 * Settings().bands  # whole text + opening passage
PARAGRAPHS = 15


def band_rows(doc_ids: np.ndarray, rng: np.random.Generator) -> pa.Table:
    n = len(doc_ids)
    per = LSH_ROWS + PARAGRAPHS
    band = np.tile(np.concatenate([np.arange(LSH_ROWS), np.full(PARAGRAPHS, PARAGRAPH_BAND)]).astype(np.int16), n)
    hashes = rng.integers(0, 2**63, size=n * per, dtype=np.uint64)
    return pa.table({"band": band, "hash": hashes, "doc_id": np.repeat(doc_ids.astype(np.int64), per)})


@dataclass
class ScaleResult:
    join_seconds: float  # candidate pairs from the band table
    verify_seconds: float  # texts fetched, template counts, exact shingle overlap of every candidate
    pairs: int
    found: int  # planted copies among the candidates
    verified: int  # planted copies confirmed by verification


VOCAB = np.array([f"w{i}" for i in range(20_000)])


def _texts(rng: np.random.Generator, n: int, words: int = 300) -> list[str]:
    return [" ".join(row) for row in VOCAB[rng.integers(0, len(VOCAB), size=(n, words))]]


def _edited(text: str, rng: np.random.Generator) -> str:
    """A light edit, as syndicators make: about 5% of the words replaced."""
    words = text.split()
    for i in rng.choice(len(words), size=len(words) // 20, replace=False):
        words[i] = "edit"
    return " ".join(words)


def run(stored: int, new: int, seed: int = 1) -> ScaleResult:
    """Build a database of ``stored`` + ``new`` documents (real schema, synthetic bands) and match the new ones."""
    rng = np.random.default_rng(seed)
    warm_up()  # load the compiled kernels before anything is timed
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "scale.duckdb")
        con = store.con
        for start in range(0, stored, 200_000):
            chunk = band_rows(np.arange(start + 1, min(stored, start + 200_000) + 1), rng)
            with registered(con, chunk=chunk):
                con.execute("INSERT INTO bands SELECT * FROM chunk")
        # stored documents: one site per 5,000; texts only where verification reads them
        con.execute("""INSERT INTO documents (doc_id, url, domain, site, text, matched)
                       SELECT i, 'https://s' || (i % 5000) || '.example/' || i, 's' || (i % 5000) || '.example',
                              's' || (i % 5000) || '.example', '', true FROM range(1, ? + 1) t(i)""", [stored])
        new_ids = np.arange(stored + 1, stored + new + 1)
        rows = band_rows(new_ids, rng)
        # 1% of the new documents are copies of stored ones: same band hashes (whole text and lead)
        copies = new_ids[: new // 100]
        originals = rng.integers(1, stored + 1, size=len(copies))
        hashes = rows.column("hash").to_numpy().copy()
        stored_hashes = dict(con.execute(
            "SELECT doc_id, list(hash ORDER BY band) FROM bands WHERE band >= 0 AND doc_id IN (SELECT * FROM unnest(?)) GROUP BY 1",
            [originals.tolist()]).fetchall())
        per = LSH_ROWS + PARAGRAPHS
        for copy, original in zip(copies, originals):
            offset = (copy - stored - 1) * per
            hashes[offset : offset + LSH_ROWS] = stored_hashes[int(original)]
        rows = rows.set_column(1, "hash", pa.array(hashes))
        with registered(con, chunk=rows):
            con.execute("INSERT INTO bands SELECT * FROM chunk")
        original_texts = dict(zip(originals.tolist(), _texts(rng, len(originals))))
        con.executemany("UPDATE documents SET text = ? WHERE doc_id = ?", [(t, d) for d, t in original_texts.items()])
        new_texts = _texts(rng, new)
        for i, original in enumerate(originals):
            new_texts[i] = _edited(original_texts[int(original)], rng)
        docs = pa.table({
            "doc_id": pa.array(new_ids, pa.int64()),
            "url": pa.array([f"https://new{i % 500}.example/{i}" for i in new_ids]),
            "domain": pa.array([f"new{i % 500}.example" for i in new_ids]),
            "text": pa.array(new_texts),
        })
        with registered(con, docs=docs):
            con.execute("""INSERT INTO documents (doc_id, url, domain, site, text, matched)
                           SELECT doc_id, url, domain, domain, text, false FROM docs""")
        con.execute("CHECKPOINT")
        new_list = new_ids.tolist()
        start = time.perf_counter()
        pairs, _ = candidate_pairs(con, new_list)
        joined = time.perf_counter()
        # what pipeline._match does next: read the texts, the site template counts, verify each pair exactly
        pages = store.page_lines(new_list)
        pages.update(store.page_lines([d for pair in pairs for d in pair if d not in pages]))
        template = store.template_pages(list(pages.values()))
        matches = verify(pairs, pages, template, store.settings)
        verified_at = time.perf_counter()
        planted = {(int(o), int(c)) for c, o in zip(copies, originals)}
        result = ScaleResult(joined - start, verified_at - joined, len(pairs), len(planted & set(pairs)),
                             len(planted & {(m.doc_a, m.doc_b) for m in matches}))
        store.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", default="100000,1000000")
    parser.add_argument("--new", type=int, default=10_000)
    args = parser.parse_args()
    sizes = [int(x) for x in args.stored.split(",")]
    print(f"{args.new} new documents ({args.new // 100} planted copies) against N stored; "
          f"{LSH_ROWS + PARAGRAPHS} band rows per document")
    print(f"{'stored':>10}{'band rows':>14}{'join s':>8}{'verify s':>10}{'pairs':>7}{'copies found':>14}{'verified':>10}")
    first = None
    for n in sizes:
        r = run(n, args.new)
        total = r.join_seconds + r.verify_seconds
        first = first or total
        print(f"{n:>10}{n * (LSH_ROWS + PARAGRAPHS):>14}{r.join_seconds:>8.2f}{r.verify_seconds:>10.2f}{r.pairs:>7}"
              f"{r.found:>8}/{args.new // 100}{r.verified:>7}/{args.new // 100}   ({total / first:.1f}x the first)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
