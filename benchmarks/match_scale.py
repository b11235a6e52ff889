"""Candidate generation at scale: a nightly batch of new documents against 100k / 1M stored, synthetic bands.

Measures syndicate's candidate lookup through the band index plus exact
verification, side by side in the same run with the same candidates from a
join on the ``bands`` table (the baseline), for each number of stored
documents. Details below.

Data: none to fetch. The bands and texts are synthetic (random, seeded),
written to a DuckDB file in a temporary folder (``$TMPDIR``, else ``/tmp``;
``--keep DIR`` keeps it). Disk: about 20 GB at 10M stored, a tenth of that at 1M.

Time on 2 cores: about 1 minute 15 s with the defaults (100k and 1M stored;
building the 1M database and its index is most of it). ``--stored 10000000``
(part (c) of ``speed.py``) takes more than 10 minutes: building 890 million
band rows and their index.

Run::

    python benchmarks/match_scale.py [--stored 100000,1000000] [--new 10000] [--keep DIR] [--cold]

Builds, in a temporary DuckDB file, the ``bands`` table of N stored documents
(74 LSH band hashes, 15 paragraph hashes and 94 anchor shingles each, random,
as real fingerprints of distinct articles look; ``--anchors 0`` for the layout
before anchors, to see what they cost) and its band index (past 20M band rows, where
syndicate keeps one), then stores 10k new documents
as a scan does (their rows appended to the index), 1% of them planted copies
of stored documents. On a freshly opened database whose files are in the OS
page cache, as a nightly run finds them on the machine that ran the last one
(``--cold`` empties the cache instead: Linux, root), it times syndicate's
candidate lookup through the band index
(``syndicate.match.candidates.candidate_pairs``) and the verification that follows it
(texts read from ``documents``, exact shingle overlap), and, side by side,
the same candidates from a join on the table; it checks both give the same
pairs and that every planted copy is found and confirmed. Figures for each N,
with the growth.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from syndicate.fingerprint.minhash import ANCHOR_BAND, PARAGRAPH_BAND, _fmix64
from syndicate.match.candidates import candidate_pairs, verify
from syndicate.settings import Settings
from syndicate.sqlutil import registered
from syndicate.store.database import Store

LSH_ROWS = 2 * Settings().bands  # whole text + opening passage
PARAGRAPHS = 15


ANCHORS = 94
"""Anchor rows of a 750-token article at the default anchor_rate (1 shingle in 8); ``--anchors 0`` leaves them out."""


def band_rows(doc_ids: np.ndarray, rng: np.random.Generator, anchors: int = ANCHORS) -> pa.Table:
    n = len(doc_ids)
    per = LSH_ROWS + PARAGRAPHS + anchors
    band = np.tile(np.concatenate([np.arange(LSH_ROWS), np.full(PARAGRAPHS, PARAGRAPH_BAND),
                                   np.full(anchors, ANCHOR_BAND)]).astype(np.int16), n)
    hashes = rng.integers(0, 2**63, size=n * per, dtype=np.uint64)
    # anchors are 32-bit shingle hashes mixed to 64 bits, as stored: as many distinct values as 32 bits
    # hold, so chance collisions between articles happen, as in a real crawl
    tail = hashes.reshape(n, per)[:, LSH_ROWS + PARAGRAPHS:]
    tail[:] = _fmix64(tail & np.uint64(0xFFFFFFFF))
    return pa.table({"band": band, "hash": hashes, "doc_id": np.repeat(doc_ids.astype(np.int64), per)})


@dataclass
class ScaleResult:
    join_seconds: float  # candidate pairs, stored rows looked up in the band index
    verify_seconds: float  # texts fetched, template counts, exact shingle overlap of every candidate
    table_join_seconds: float  # the same candidate pairs from a join on the band table
    index_seconds: float  # building the band index of the stored documents (once; nightly runs append)
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


def page_in(*paths: Path) -> None:
    """Read files through once, so they sit in the OS page cache as on the machine that ran last night's scan."""
    buffer = bytearray(16 * 2**20)
    for path in paths:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path] if path.exists() else []:
            with open(file, "rb", buffering=0) as f:
                while f.readinto(buffer):
                    pass


def drop_caches() -> None:
    """Empty the OS page cache (Linux, as root): the first night after a reboot."""
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def run(stored: int, new: int, seed: int = 1, keep: Path | None = None, cold: bool = False,
        anchors: int = ANCHORS) -> ScaleResult:
    """Build a database of ``stored`` + ``new`` documents (real schema, synthetic bands) and match the new ones.

    ``keep``: build it in this folder and leave it there (with its band index) for a closer look.
    ``cold``: time both lookups with the OS page cache emptied first (root only); by default the
    database and its band index are read through first, as a nightly run finds them.
    """
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = (keep or Path(tmp)) / "scale.duckdb"
        store = Store.open(path)
        con = store.con
        for start in range(0, stored, 200_000):
            chunk = band_rows(np.arange(start + 1, min(stored, start + 200_000) + 1), rng, anchors)
            with registered(con, chunk=chunk):
                con.execute("INSERT INTO bands SELECT * FROM chunk")
        # stored documents: one site per 5,000; texts only where verification reads them
        con.execute("""INSERT INTO documents (doc_id, url, domain, site, text, matched)
                       SELECT i, 'https://s' || (i % 5000) || '.example/' || i, 's' || (i % 5000) || '.example',
                              's' || (i % 5000) || '.example', '', true FROM range(1, ? + 1) t(i)""", [stored])
        con.execute("CHECKPOINT")
        started = time.perf_counter()
        store.band_lookup()  # the index of the stored rows, made from the table
        index_seconds = time.perf_counter() - started
        new_ids = np.arange(stored + 1, stored + new + 1)
        rows = band_rows(new_ids, rng, anchors)
        # 1% of the new documents are copies of stored ones: same band hashes (whole text and lead)
        copies = new_ids[: new // 100]
        originals = rng.integers(1, stored + 1, size=len(copies))
        hashes = rows.column("hash").to_numpy().copy()
        stored_hashes = dict(con.execute(
            "SELECT doc_id, list(hash ORDER BY band) FROM bands WHERE band >= 0 AND doc_id IN (SELECT * FROM unnest(?)) GROUP BY 1",
            [originals.tolist()]).fetchall())
        per = LSH_ROWS + PARAGRAPHS + anchors
        for copy, original in zip(copies, originals):
            offset = (copy - stored - 1) * per
            hashes[offset : offset + LSH_ROWS] = stored_hashes[int(original)]
        with store.transaction():  # as a scan stores a batch: rows to the table, then to the index
            store.add_band_rows(rows.column("band").to_numpy(), hashes, rows.column("doc_id").to_numpy())
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
        store.close()
        index_folder = Path(str(path) + ".bands")
        drop_caches() if cold else page_in(path, index_folder)
        store = Store.open(path)  # a nightly run starts with a fresh process's database and index
        con = store.con
        new_list = new_ids.tolist()
        start = time.perf_counter()
        pairs, _ = candidate_pairs(con, new_list, store.band_lookup())
        joined = time.perf_counter()
        # what pipeline._match does next: read the texts, the site template counts, verify each pair exactly
        pages = store.page_lines(new_list)
        pages.update(store.page_lines([d for pair in pairs for d in pair if d not in pages]))
        template = store.template_pages(list(pages.values()))
        matches = verify(pairs, pages, template, store.settings)
        verified_at = time.perf_counter()
        store.close()
        drop_caches() if cold else page_in(path)
        store = Store.open(path)  # the join on the table, on a fresh database as well
        con = store.con
        started = time.perf_counter()
        table_pairs, _ = candidate_pairs(con, new_list, None)
        table_seconds = time.perf_counter() - started
        if table_pairs != pairs:
            raise AssertionError("the band index and the table gave different candidates")
        planted = {(int(o), int(c)) for c, o in zip(copies, originals)}
        result = ScaleResult(joined - start, verified_at - joined, table_seconds, index_seconds, len(pairs),
                             len(planted & set(pairs)), len(planted & {(m.doc_a, m.doc_b) for m in matches}))
        store.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stored", default="100000,1000000")
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep the databases (one subfolder per N)")
    parser.add_argument("--cold", action="store_true", help="empty the OS page cache before each timing (Linux, root)")
    parser.add_argument("--anchors", type=int, default=ANCHORS, help="anchor rows per document (0: none)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.stored.split(",")]
    print(f"{args.new} new documents ({args.new // 100} planted copies) against N stored; "
          f"{LSH_ROWS + PARAGRAPHS + args.anchors} band rows per document ({args.anchors} of them anchors)")
    print(f"{'stored':>10}{'band rows':>14}{'index s':>9}{'lookup s':>10}{'verify s':>10}{'table join s':>14}"
          f"{'pairs':>7}{'copies found':>14}{'verified':>10}")
    first = None
    for n in sizes:
        keep = None
        if args.keep:
            keep = args.keep / str(n)
            keep.mkdir(parents=True, exist_ok=True)
        r = run(n, args.new, keep=keep, cold=args.cold, anchors=args.anchors)
        total = r.join_seconds + r.verify_seconds
        first = first or total
        print(f"{n:>10}{n * (LSH_ROWS + PARAGRAPHS + args.anchors):>14}{r.index_seconds:>9.2f}{r.join_seconds:>10.2f}"
              f"{r.verify_seconds:>10.2f}{r.table_join_seconds:>14.2f}{r.pairs:>7}"
              f"{r.found:>8}/{args.new // 100}{r.verified:>7}/{args.new // 100}   ({total / first:.1f}x the first)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
