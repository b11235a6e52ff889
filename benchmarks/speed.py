"""Speed, side by side in one run: fingerprinting, scan against extraction alone, matching at scale.

Measures three parts, each against its baselines in the same run; each figure
is a median of interleaved repeats, so the ratios are what carry over to
another machine.

Data: ``../shared/corpora/article-extraction-benchmark`` (131 real news pages
in ``html/`` and their true article text in ``ground-truth.json``;
Scrapinghub/Zyte's public article-extraction benchmark, MIT License), beside
the clone and not in the repository: (a) reads the true texts, (b) the pages.
(c) is synthetic and needs no data, but about 20 GB of temporary disk for 10M
stored. Scans write their databases to a temporary folder (``$TMPDIR``, else
``/tmp``). rensa is optional (``pip install -e '.[bench]'``).

Time on 2 cores: (a) about 15 s; (b) about 25 s a repeat (1 min 15 s with
``--repeat 3``); (c) about 3 minutes for 100k and 1M stored, and 10M adds more
than 10 minutes (building 1.8 billion band rows and their index).

Run::

    python benchmarks/speed.py [--pages DIR] [--truth FILE] [--workers 2] [--repeat 7]
                               [--stored 100000,1000000,10000000] [--parts a,b,c]
    python benchmarks/speed.py --parts b --repeat 3                 # the scan table alone

(a) fingerprint stage, docs/s, on the same shingled articles (the true bodies
    of the real pages): syndicate (numpy + xxhash) vs datasketch
    ``MinHash.bulk`` vs rensa (``pip install rensa``), and a check that every
    signature is bit-identical to datasketch's;
(b) every row a new process, start-up included, timed from outside, with the
    peak memory of its process tree: ``syndicate scan --extract fast`` and
    ``--extract precise`` with 1 and 2 workers; trafilatura
    ``bare_extraction(with_metadata=True)`` alone with the same workers; a
    datatrove-style pipeline (the ``trafilatura.extract`` call of datatrove's
    extractor, datasketch ``MinHash`` + ``MinHashLSH``); the ratio the goal
    names (default scan / trafilatura alone, 1 worker) and pages/s per core;
(c) candidate lookup + verification for 10k new documents against 100k / 1M /
    10M stored (synthetic bands, ``match_scale.py``), beside the same
    candidates from a join on the band table.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
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

    from syndicate.fingerprint.minhash import fingerprint_streams
    from syndicate.settings import Settings
    from syndicate.text import token_stream, tokens

    texts = [page["articleBody"] for page in json.loads(truth.read_text(encoding="utf-8")).values()] * 3
    settings = Settings()
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
    rows.append(("syndicate (numpy + xxhash)", lambda: fingerprint_streams(streams, settings)))
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


# --- (b): every row a new process, timed from the outside ----------------------------------------

DATATROVE_KWARGS = {"favor_precision": True, "include_comments": False, "deduplicate": True}
"""What datatrove's ``Trafilatura`` extractor passes to ``trafilatura.extract`` (its defaults)."""


def _page_text(path: str) -> str:
    raw = Path(path).read_bytes()
    return (gzip.decompress(raw) if path.endswith(".gz") else raw).decode("utf-8", "replace")


def _bare(path: str) -> int:
    from trafilatura import bare_extraction

    return bare_extraction(_page_text(path), with_metadata=True) is not None


def child_trafilatura(files: list[str], workers: int) -> None:
    """trafilatura alone: ``bare_extraction(with_metadata=True)`` of every page, in ``workers`` processes."""
    import trafilatura  # noqa: F401  (imported before the pool forks, as a script would)

    if workers == 1:
        done = sum(map(_bare, files))
    else:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = sum(pool.map(_bare, files, chunksize=4))
    print(done)


def child_datatrove(files: list[str]) -> None:
    """A datatrove-style pipeline in one process: trafilatura extract, 5-word shingles, MinHash, MinHashLSH."""
    from datasketch import MinHash, MinHashLSH
    from trafilatura import extract

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    pairs = 0
    for i, path in enumerate(files):
        text = extract(_page_text(path), **DATATROVE_KWARGS) or ""
        words = text.lower().split()
        m = MinHash(num_perm=128)
        m.update_batch([" ".join(words[j : j + 5]).encode() for j in range(max(1, len(words) - 4))])
        pairs += len(lsh.query(m))
        lsh.insert(str(i), m)
    print(pairs)


def _tree_rss(root: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds of a new process running ``command``, and the peak memory of its process tree (sampled every 20 ms)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"{command[:4]} exited {proc.returncode}")
    return seconds, peak


def part_b(pages: Path, workers: int, repeat: int) -> None:
    """Each row a new process (start-up included), interleaved, median of ``repeat``; peak memory of its process tree."""
    files = sorted(str(p) for p in pages.rglob("*") if p.name.endswith((".html", ".html.gz", ".htm")))
    me = [sys.executable, str(Path(__file__).resolve()), "--pages", str(pages)]
    rows: list[tuple[str, int, list[str] | None]] = []
    for w in sorted({1, workers}):
        rows.append((f"trafilatura bare_extraction alone", w, me + ["--child", "trafilatura", "--workers", str(w)]))
        for mode in ("fast", "precise"):
            rows.append((f"syndicate scan --extract {mode}", w, None))
    rows.append(("datatrove-style: extract + MinHash + LSH", 1, me + ["--child", "datatrove"]))
    runs: dict[tuple[str, int], list[tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="syndicate-speed-") as tmp:
        for r in range(repeat):
            for name, w, command in rows:
                if command is None:
                    db = Path(tmp) / f"{r}-{w}-{name.split()[-1]}.duckdb"
                    command = [sys.executable, "-m", "syndicate", "scan", str(pages), "--db", str(db), "--workers", str(w),
                               "--extract", name.split()[-1], "--quiet"]
                runs.setdefault((name, w), []).append(timed(command))
    n = len(files)
    base = {w: statistics.median(t for t, _ in runs[("trafilatura bare_extraction alone", w)]) for w in sorted({1, workers})}
    print(f"(b) {n} real pages; every row a new process, start-up included; median of {repeat} interleaved runs")
    print(f"    {'':<44}{'workers':>8}{'seconds':>9}{'vs trafilatura':>16}{'pages/s/core':>14}{'peak MiB':>10}")
    for name, w, _ in rows:
        t = statistics.median(s for s, _ in runs[(name, w)])
        mem = max(m for _, m in runs[(name, w)]) / 2**20
        print(f"    {name:<44}{w:>8}{t:>9.2f}{t / base[w]:>15.2f}x{n / t / w:>14.1f}{mem:>10.0f}")
    fast_1 = statistics.median(s for s, _ in runs[("syndicate scan --extract fast", 1)])
    print(f"    default scan (fast, 1 worker, new process) / trafilatura alone (1 worker, new process) = "
          f"{fast_1 / base[1]:.2f} (goal <= 0.25)")
    print("    vs trafilatura: against trafilatura alone with the same workers; peak MiB: the largest sum of the "
          "resident memory of the process and its workers, sampled every 20 ms")


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
    parser.add_argument("--parts", default="a,b,c")
    parser.add_argument("--child", choices=["trafilatura", "datatrove"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one timed row of part (b), in its own process
        files = sorted(str(p) for p in args.pages.rglob("*") if p.name.endswith((".html", ".html.gz", ".htm")))
        child_trafilatura(files, args.workers) if args.child == "trafilatura" else child_datatrove(files)
        return 0
    parts = set(args.parts.split(","))
    if parts & {"a"} and not args.truth.is_file() or parts & {"b"} and not args.pages.is_dir():
        print(f"no pages at {args.pages} or no ground truth at {args.truth}; pass --pages/--truth", file=sys.stderr)
        return 2
    if "a" in parts:
        part_a(args.truth, args.repeat)
    if "b" in parts:
        part_b(args.pages, args.workers, args.repeat)
    if "c" in parts:
        part_c([int(x) for x in args.stored.split(",")], args.new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
