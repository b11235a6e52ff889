"""Speed, side by side in one run: fingerprinting, scan vs extraction, matching at scale, the naive script.

Measures four parts, each against its baseline in the same process run (the
list below says which); each figure is a median of interleaved repeats, so
the ratios are what carry over to another machine.

Data: ``../shared/corpora/article-extraction-benchmark`` (131 real news pages
in ``html/`` and their true article text in ``ground-truth.json``;
Scrapinghub/Zyte's public article-extraction benchmark, MIT License), beside
the clone and not in the repository: (a) reads the true texts, (b) and (d)
the pages. (c) is synthetic and needs no data, but about 20 GB of temporary
disk for 10M stored. Scans write their databases to a temporary folder
(``$TMPDIR``, else ``/tmp``). rensa is optional (``pip install -e '.[bench]'``).

Time on 2 cores: (a), (b) and (d) about 2-3 minutes (3 min 30 s measured on
a busy machine); (c) about 1 minute 15 s for 100k and 1M stored, and 10M
adds more than 10 minutes (building 890 million band rows and their index):
about 15-20 minutes in all with the defaults.

Run::

    python benchmarks/speed.py [--pages DIR] [--truth FILE] [--workers 2] [--repeat 7]
                               [--stored 100000,1000000,10000000] [--parts a,b,c,d]
    python benchmarks/speed.py --parts a,b,d                        # the real pages only, a few minutes

(a) fingerprint stage, docs/s, on the same shingled articles (the true bodies
    of the real pages): syndicate's compiled kernel vs datasketch
    ``MinHash.bulk`` vs rensa (``pip install rensa``), and a check that every
    signature is bit-identical to datasketch's;
(b) full ``syndicate scan`` of the real pages vs trafilatura extraction alone,
    same pages, same worker count (``scan_speed.py``): once as one default
    call a page, once as the calls syndicate's extraction makes (precision
    mode, and a second default-mode run where the first looks wrong);
(c) candidate lookup + verification for 10k new documents against 100k / 1M /
    10M stored (synthetic bands, ``match_scale.py``), beside the same
    candidates from a join on the band table;
(d) the naive script (trafilatura, then datasketch ``MinHash`` +
    ``MinHashLSH``, one process) end to end on the same pages vs ``syndicate
    scan``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scan_speed  # noqa: E402

# numpy, match_scale (DuckDB, numba) and syndicate are imported inside the parts: the worker
# processes of part (b) import this module, and a trafilatura script's workers would load none of them.

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "article-extraction-benchmark"


def _median_time(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def part_a(truth: Path, repeat: int) -> None:
    import numpy as np
    from datasketch import MinHash

    from syndicate.fingerprint.minhash import fingerprint_streams, warm_up
    from syndicate.settings import Settings
    from syndicate.text import token_stream, tokens

    texts = [page["articleBody"] for page in json.loads(truth.read_text(encoding="utf-8")).values()] * 3
    settings = Settings()
    warm_up()
    # the same shingled input for everyone, prepared outside the timings
    words = [tokens(t) for t in texts]
    shingles = [[" ".join(w[i : i + 5]) for i in range(max(1, len(w) - 4))] for w in words]
    shingle_bytes = [[s.encode("utf-8") for s in doc] for doc in shingles]
    streams = [token_stream(t) for t in texts]
    n = len(texts)
    print(f"(a) fingerprint stage: {n} articles ({sum(map(len, words)) // n} tokens each on average), "
          f"num_perm {settings.num_perm}")
    rows = [("datasketch MinHash.bulk", lambda: MinHash.bulk(shingle_bytes, num_perm=settings.num_perm))]
    try:
        from rensa import RMinHash

        def with_rensa() -> None:
            for doc in shingles:
                m = RMinHash(num_perm=settings.num_perm, seed=settings.seed)
                m.update(doc)
                m.digest()

        rows.append(("rensa RMinHash", with_rensa))
        r = RMinHash(num_perm=settings.num_perm, seed=settings.seed)
        r.update(shingles[0])
        d = MinHash(num_perm=settings.num_perm, seed=settings.seed)
        d.update_batch(shingle_bytes[0])
        rensa_compatible = np.array_equal(np.array(r.digest(), dtype=np.uint64), d.hashvalues)
    except ImportError:
        print("    rensa not installed (pip install rensa): skipped")
    rows.append(("syndicate kernel", lambda: fingerprint_streams(streams, settings)))
    times = {}
    for _ in range(repeat):  # interleaved
        for name, fn in rows:
            start = time.perf_counter()
            fn()
            times.setdefault(name, []).append(time.perf_counter() - start)
    base = statistics.median(times["datasketch MinHash.bulk"])
    print(f"    {'':<26}{'seconds':>9}{'docs/s':>10}{'vs datasketch':>15}")
    for name, _ in rows:
        t = statistics.median(times[name])
        print(f"    {name:<26}{t:>9.3f}{n / t:>10.0f}{base / t:>14.1f}x")
    print("    syndicate's row includes the lead-passage signature, 74 band hashes and the paragraph hashes; "
          "datasketch and rensa compute one signature")
    if "rensa RMinHash" in times:
        print(f"    rensa's signature of an article equals datasketch's: {rensa_compatible} "
              "(its own hashing and permutations: not loadable into datasketch)")
    # raw text in: tokenising is then part of every row
    raw_ours = _median_time(lambda: fingerprint_streams([token_stream(t) for t in texts], settings), repeat)
    raw_ds = _median_time(lambda: MinHash.bulk(
        [[" ".join(w[i : i + 5]).encode() for i in range(max(1, len(w) - 4))] for w in (tokens(t) for t in texts)],
        num_perm=settings.num_perm), repeat)
    print(f"    from raw text (normalise + tokenise included): syndicate {raw_ours:.3f} s, "
          f"datasketch {raw_ds:.3f} s: {raw_ds / raw_ours:.1f}x")
    same = _bit_identical(texts, settings)
    print(f"    signatures bit-identical to datasketch MinHash(affine32) over the same shingle hashes: "
          f"{same}/{n}")


def _bit_identical(texts: list[str], settings) -> int:
    import numpy as np
    from datasketch import MinHash

    from syndicate.fingerprint.minhash import fingerprint_many

    same = 0
    for text, fp in zip(texts, fingerprint_many(texts, settings)):
        m = MinHash(num_perm=settings.num_perm, seed=settings.seed, hashfunc=lambda x: x)
        m.update_batch([int(h) for h in fp.shingles])
        same += bool(np.array_equal(m.hashvalues, fp.signature))
    return same


def part_b(pages: Path, workers: int, repeat: int) -> None:
    files = sorted(str(p) for p in pages.rglob("*") if p.name.endswith((".html", ".html.gz", ".htm")))
    plain, same, full = [], [], []
    for _ in range(repeat):  # interleaved, so drift in machine speed hits all three alike
        plain.append(scan_speed.trafilatura_alone(files, workers))
        same.append(scan_speed.trafilatura_alone(files, workers, scan_speed._same_calls))
        full.append(scan_speed.syndicate_scan(pages, workers))
    p, c, f = statistics.median(plain), statistics.median(same), statistics.median(full)
    n = len(files)
    print(f"(b) {n} real pages, {workers} workers, median of {repeat} interleaved runs")
    print(f"    trafilatura alone, one default call a page:           {p:6.2f} s ({n / p:.1f} pages/s)  runs {_fmt(plain)}")
    print(f"    trafilatura alone, the calls syndicate's extraction makes: {c:6.2f} s ({n / c:.1f} pages/s)  runs {_fmt(same)}")
    print(f"    syndicate scan:                                       {f:6.2f} s ({n / f:.1f} pages/s)  runs {_fmt(full)}")
    print(f"    scan / the same extraction: {f / c:.2f}x; scan / one default call: {f / p:.2f}x")


def part_c(sizes: list[int], new: int) -> None:
    import match_scale
    print(f"(c) {new} new documents ({new // 100} planted copies) against N stored, "
          f"{match_scale.LSH_ROWS + match_scale.PARAGRAPHS} band rows each; fresh database and index, as a nightly run starts")
    print(f"    {'stored':>10}{'band rows':>14}{'lookup s':>10}{'verify s':>10}{'total s':>9}{'found':>9}{'growth':>8}"
          f"{'table join s':>14}{'index build s':>15}")
    first = None
    for n in sizes:
        r = match_scale.run(n, new)
        total = r.join_seconds + r.verify_seconds
        first = first or total
        print(f"    {n:>10}{n * (match_scale.LSH_ROWS + match_scale.PARAGRAPHS):>14}{r.join_seconds:>10.2f}"
              f"{r.verify_seconds:>10.2f}{total:>9.2f}{r.verified:>5}/{new // 100}{total / first:>7.1f}x"
              f"{r.table_join_seconds:>14.2f}{r.index_seconds:>15.1f}")
    print("    lookup: candidate pairs with the stored rows from the band index; table join: the same pairs "
          "from a join on the band table (checked equal); index build: once, from the table")


def naive_script(files: list[str]) -> int:
    """What a user writes first: extract, shingle, MinHash, query a MinHashLSH; returns the pairs found."""
    from datasketch import MinHash, MinHashLSH
    from trafilatura import extract

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    pairs = 0
    for i, path in enumerate(files):
        raw = Path(path).read_bytes()
        text = extract(gzip.decompress(raw) if path.endswith(".gz") else raw) or ""
        words = text.lower().split()
        m = MinHash(num_perm=128)
        m.update_batch([" ".join(words[j : j + 5]).encode() for j in range(max(1, len(words) - 4))])
        pairs += len(lsh.query(m))
        lsh.insert(str(i), m)
    return pairs


def part_d(pages: Path, workers: int, repeat: int) -> None:
    files = sorted(str(p) for p in pages.rglob("*") if p.name.endswith((".html", ".html.gz", ".htm")))
    naive, ours_1, ours_n = [], [], []
    for _ in range(repeat):
        naive.append(_median_time(lambda: naive_script(files), 1))
        ours_1.append(scan_speed.syndicate_scan(pages, 1))
        ours_n.append(scan_speed.syndicate_scan(pages, workers))
    a, b, c = statistics.median(naive), statistics.median(ours_1), statistics.median(ours_n)
    print(f"(d) naive trafilatura + datasketch MinHashLSH script, {len(files)} pages, one process: {a:.2f} s; "
          f"syndicate scan, 1 worker: {b:.2f} s ({b / a:.2f}x), {workers} workers: {c:.2f} s ({c / a:.2f}x)")


def _fmt(runs: list[float]) -> str:
    return ", ".join(f"{r:.2f}" for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=SHARED / "html", help="folder of real .html/.html.gz pages")
    parser.add_argument("--truth", type=Path, default=SHARED / "ground-truth.json",
                        help="JSON of {id: {articleBody}} for part (a)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--stored", default="100000,1000000,10000000")
    parser.add_argument("--new", type=int, default=10_000)
    parser.add_argument("--parts", default="a,b,c,d")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if parts & {"a"} and not args.truth.is_file() or parts & {"b", "d"} and not args.pages.is_dir():
        print(f"no pages at {args.pages} or no ground truth at {args.truth}; pass --pages/--truth", file=sys.stderr)
        return 2
    if "a" in parts:
        part_a(args.truth, args.repeat)
    if "b" in parts:
        part_b(args.pages, args.workers, args.repeat)
    if "c" in parts:
        part_c([int(x) for x in args.stored.split(",")], args.new)
    if "d" in parts:
        part_d(args.pages, args.workers, max(1, args.repeat // 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
