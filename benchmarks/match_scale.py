"""Candidate generation at scale: a nightly batch of new documents against 100k / 1M stored, synthetic bands.

    python benchmarks/match_scale.py [--stored 100000,1000000] [--new 10000]

Builds, in a temporary DuckDB file, the ``bands`` table of N stored documents
(74 LSH band hashes and 15 paragraph hashes each, random, as real fingerprints
of distinct articles look) plus 10k new ones, 1% of which are planted copies of
stored documents; then times syndicate's own candidate query
(``syndicate.match.candidate_pairs``) for the new documents, and checks that it
finds every planted copy. Figures for each N side by side, with the growth.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from syndicate.fingerprint import PARAGRAPH_BAND
from syndicate.match import candidate_pairs
from syndicate.settings import Settings

LSH_ROWS = 2 * Settings().bands  # whole text + opening passage
PARAGRAPHS = 15


def band_rows(doc_ids: np.ndarray, rng: np.random.Generator) -> pa.Table:
    n = len(doc_ids)
    per = LSH_ROWS + PARAGRAPHS
    band = np.tile(np.concatenate([np.arange(LSH_ROWS), np.full(PARAGRAPHS, PARAGRAPH_BAND)]).astype(np.int16), n)
    hashes = rng.integers(0, 2**63, size=n * per, dtype=np.uint64)
    return pa.table({"band": band, "hash": hashes, "doc_id": np.repeat(doc_ids.astype(np.int64), per)})


def run(stored: int, new: int, seed: int = 1) -> tuple[float, int, int]:
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "scale.duckdb"))
        con.execute("CREATE TABLE bands (band SMALLINT NOT NULL, hash UBIGINT NOT NULL, doc_id BIGINT NOT NULL)")
        for start in range(0, stored, 200_000):
            chunk = band_rows(np.arange(start + 1, min(stored, start + 200_000) + 1), rng)
            con.register("chunk", chunk)
            con.execute("INSERT INTO bands SELECT * FROM chunk")
            con.unregister("chunk")
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
        con.register("chunk", rows)
        con.execute("INSERT INTO bands SELECT * FROM chunk")
        con.unregister("chunk")
        con.execute("CHECKPOINT")
        start = time.perf_counter()
        pairs, capped = candidate_pairs(con, new_ids.tolist())
        seconds = time.perf_counter() - start
        found = {(int(o), int(c)) for c, o in zip(copies, originals)} & set(pairs)
        con.close()
    return seconds, len(pairs), len(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", default="100000,1000000")
    parser.add_argument("--new", type=int, default=10_000)
    args = parser.parse_args()
    sizes = [int(x) for x in args.stored.split(",")]
    print(f"{args.new} new documents ({args.new // 100} planted copies) against N stored; "
          f"{LSH_ROWS + PARAGRAPHS} band rows per document")
    print(f"{'stored':>10}{'band rows':>14}{'seconds':>10}{'pairs':>8}{'copies found':>14}")
    first = None
    for n in sizes:
        seconds, pairs, found = run(n, args.new)
        first = first or seconds
        print(f"{n:>10}{n * (LSH_ROWS + PARAGRAPHS):>14}{seconds:>10.2f}{pairs:>8}{found:>8}/{args.new // 100}"
              f"   ({seconds / first:.1f}x the first)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
