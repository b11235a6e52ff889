"""Scan throughput beside trafilatura-alone throughput on the same real pages, same workers.

Measures a full ``syndicate.scan`` (into a fresh DuckDB file in a temporary
folder) against the baseline of trafilatura extraction alone (one
``bare_extraction`` a page, in the same number of worker processes). Both run
in this process run, interleaved, ``--repeat`` times; the medians and their
ratio are printed, and the ratio is what matters (syndicate adds shingling,
MinHash, DuckDB writes, matching and clustering on top of extraction).

Data: the 131 real pages of ``../shared/corpora/article-extraction-benchmark/html``
(Scrapinghub/Zyte's public article-extraction benchmark, MIT License), beside
the clone and not in the repository; ``--pages`` takes any folder of
``.html``/``.html.gz`` pages.

Time on 2 cores: about 45 seconds with the defaults (3 interleaved runs of each).

Run::

    python benchmarks/scan_speed.py [--pages ../shared/corpora/article-extraction-benchmark/html] [--workers 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "article-extraction-benchmark" / "html"


def _extract_only(path: str) -> int:
    from trafilatura import bare_extraction

    raw = Path(path).read_bytes()
    if path.endswith(".gz"):
        raw = gzip.decompress(raw)
    doc = bare_extraction(raw, with_metadata=True, include_links=True)
    return len(doc.text) if doc is not None and doc.text else 0


def _same_calls(path: str) -> int:
    """The trafilatura calls syndicate's extraction makes for this page, and nothing else.

    Precision mode, plus the default mode where syndicate's policy asks for a
    second opinion (a short text or one missing the headline's words).
    """
    from trafilatura.utils import load_html

    from syndicate.extract.article import _body
    from syndicate.read.files import read_html_file

    page = next(read_html_file(Path(path)))
    doc = _body(load_html(page.html), page.url or "", fast=False)
    return len(doc.text) if doc is not None and doc.text else 0


def trafilatura_alone(files: list[str], workers: int, work=_extract_only) -> float:
    start = time.perf_counter()
    if workers == 1:
        for f in files:
            work(f)
    else:
        with multiprocessing.get_context("forkserver").Pool(workers) as pool:
            pool.map(work, files, chunksize=4)
    return time.perf_counter() - start


def syndicate_scan(folder: Path, workers: int) -> float:
    from syndicate import scan

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        scan([folder], Path(tmp) / "bench.duckdb", workers=workers)
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of real .html/.html.gz pages")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, interleaved; the median is reported")
    args = parser.parse_args()
    if not args.pages.is_dir():
        print(f"no pages at {args.pages}; pass --pages FOLDER", file=sys.stderr)
        return 2
    files = sorted(str(p) for p in args.pages.rglob("*") if p.name.endswith((".html", ".html.gz", ".htm")))
    n = len(files)
    alone_runs, scan_runs = [], []
    for _ in range(args.repeat):  # interleaved, so drift in machine speed hits both alike
        alone_runs.append(trafilatura_alone(files, args.workers))
        scan_runs.append(syndicate_scan(args.pages, args.workers))
    alone, full = statistics.median(alone_runs), statistics.median(scan_runs)
    print(f"{n} pages, {args.workers} workers, median of {args.repeat} interleaved runs")
    print(f"{'run':<24}{'seconds':>9}{'pages/s':>10}")
    print(f"{'trafilatura alone':<24}{alone:>9.2f}{n / alone:>10.1f}")
    print(f"{'syndicate scan':<24}{full:>9.2f}{n / full:>10.1f}")
    print(f"scan / extraction time: {full / alone:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
