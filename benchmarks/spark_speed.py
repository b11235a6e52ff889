"""Local engine vs Spark ``local[N]`` on the same real pages, in one run, and whether their tables agree.

Measures the Spark engine (``scan_spark`` on ``local[N]``, Spark's start-up
shown apart) against the baseline of the local engine (``syndicate.scan``
with N workers), one after the other in this process run, each into its own
DuckDB file in a temporary folder; then compares every table row for row
(only ``first_seen``/``last_seen`` excluded). On one small machine Spark is
slower (a JVM, two passes over the input, Python workers that load the
kernels); the point is the same answers, and that the same scan runs on a
cluster.

Data: the 131 real pages of ``../shared/corpora/article-extraction-benchmark/html``
(Scrapinghub/Zyte's public article-extraction benchmark, MIT License), beside
the clone and not in the repository. Needs pyspark (``pip install -e '.[spark]'``)
and a Java runtime.

Time on 2 cores: about 1 minute 40 s (local engine under 10 s, Spark the rest).

Run::

    python benchmarks/spark_speed.py [--pages ../shared/corpora/article-extraction-benchmark/html] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

DEFAULT_PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "article-extraction-benchmark" / "html"
TABLES = ["documents", "links", "evidence", "signatures", "bands", "site_lines", "matches", "clusters", "origins"]


def snapshot(db: Path) -> dict[str, list]:
    with duckdb.connect(str(db), read_only=True) as con:
        out = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES if t != "documents"}
        out["documents"] = con.execute("SELECT * EXCLUDE (first_seen, last_seen) FROM documents ORDER BY doc_id").fetchall()
        return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not args.pages.is_dir():
        print(f"no pages at {args.pages}; pass --pages FOLDER", file=sys.stderr)
        return 2
    from syndicate import scan
    from syndicate.engines.spark import scan_spark, spark_session

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        local = scan([args.pages], Path(tmp) / "local.duckdb", workers=args.workers)
        local_s = time.perf_counter() - start
        start = time.perf_counter()
        session = spark_session(f"local[{args.workers}]")
        startup = time.perf_counter() - start
        on_spark = scan_spark([args.pages], Path(tmp) / "spark.duckdb", master=f"local[{args.workers}]")
        spark_s = time.perf_counter() - start
        session.stop()
        same = snapshot(Path(tmp) / "local.duckdb") == snapshot(Path(tmp) / "spark.duckdb")
    n = local.pages_read
    print(f"{n} real pages, {args.workers} workers / local[{args.workers}]")
    print(f"local engine:  {local_s:6.1f} s  ({n / local_s:.1f} pages/s)  {local.line()}")
    print(f"spark engine:  {spark_s:6.1f} s  ({n / spark_s:.1f} pages/s, of which {startup:.1f} s starting Spark)"
          f"  {on_spark.line()}")
    print(f"spark / local: {spark_s / local_s:.2f}x; identical tables: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
