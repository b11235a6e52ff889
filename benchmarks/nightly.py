"""The nightly job at crawl scale: throughput by workers, peak memory by corpus size, incremental cost.

Measures ``syndicate scan`` run as a user runs it (a new process each time),
with its own baselines side by side in the same run: N workers against 1
worker (and the machine's own speed-up for N pure-CPU processes), and a
nightly run on 1% new pages against a full re-scan of the same corpus into a
fresh database. Details below.

Data: the 131 real pages of ``../shared/corpora/article-extraction-benchmark/html``
(Scrapinghub/Zyte's public article-extraction benchmark, MIT License), beside
the clone and not in the repository. The multiplied crawl and the databases
are written to a temporary folder (``$TMPDIR``, else ``/tmp``): about 2.5 GB of
crawl with the defaults.

Time on 2 cores: about 25-30 minutes with the defaults (100 copies: 13,100
pages; estimated: the scans of a full run add up to about 22 minutes, plus
building the crawl); about 2 minutes with ``--copies 2 --sizes 1,2``.

Run::

    python benchmarks/nightly.py [--pages ../shared/corpora/article-extraction-benchmark/html]
                                 [--copies 40] [--sizes 10,100] [--workers 2]

The 131 real pages are multiplied into a bigger crawl: copy i of a page keeps
its HTML and size but gets a digit appended to every other word of its text,
so copies are distinct articles (they do not match each other) that cost the
same to extract. Everything runs in this process run and prints:

1. pages/s of a full scan of ``--copies`` x 131 pages with 1 worker and with N
   workers, and the speed-up;
2. peak memory (resident set of the scan and its workers, sampled from /proc)
   scanning ``--sizes`` x 131 pages, e.g. 10x and 100x;
3. the time of a nightly run adding 1% new pages to the stored corpus, beside
   a full re-scan of the same corpus into a fresh database.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DEFAULT_PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "article-extraction-benchmark" / "html"
_WORD = re.compile(r"\w+")
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u9fff])([\u3040-\u30ff\u3400-\u9fff])")


def _vary(text: str, copy: int) -> str:
    counter = 0

    def word(m: re.Match) -> str:
        nonlocal counter
        counter += 1
        return m.group(0) + str(copy) if counter % 2 == 0 else m.group(0)

    return _CJK.sub(lambda m: m.group(1) + str(copy) + m.group(2), _WORD.sub(word, text))


def _variant(args: tuple[str, int]) -> str:
    """Copy ``copy`` of a page: same markup, distinct text."""
    import lxml.html

    path, copy = args
    raw = gzip.decompress(Path(path).read_bytes()) if path.endswith(".gz") else Path(path).read_bytes()
    doc = lxml.html.document_fromstring(raw)
    body = doc.find("body")
    for el in (body.iter() if body is not None else ()):
        if isinstance(el.tag, str) and el.tag not in ("script", "style"):
            if el.text:
                el.text = _vary(el.text, copy)
            if el.tail:
                el.tail = _vary(el.tail, copy)
    for meta in doc.iter("meta", "link"):  # the copy's own URL, not the original's
        for attr in ("content", "href"):
            value = meta.get(attr)
            if value and value.startswith("http"):
                meta.set(attr, f"{value}#copy{copy}")
    return lxml.html.tostring(doc, encoding="unicode")


def build_crawl(pages: list[str], copies: range, out: Path, workers: int) -> int:
    """A JSONL crawl of the given copies of every page; returns the number of records."""
    jobs = [(p, c) for c in copies for p in pages]
    with multiprocessing.get_context("forkserver").Pool(workers) as pool, out.open("w", encoding="utf-8") as f:
        for (path, copy), html in zip(jobs, pool.imap(_variant, jobs, chunksize=8)):
            url = f"https://copy{copy}.example/{Path(path).name.split('.')[0]}"
            f.write(json.dumps({"url": url, "html": html, "fetched_at": "2023-11-12T03:00:00Z"}) + "\n")
    return len(jobs)


class _PeakRSS:
    """Peak summed resident memory of a process and its children, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        out, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as f:
                        todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/status") as f:
                        total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
                except (OSError, StopIteration):
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak * 1024


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_scaling(workers: int, n: int = 10_000_000) -> float:
    """How much faster this machine runs `workers` CPU-bound processes than one: the ceiling for any speed-up."""
    start = time.perf_counter()
    for _ in range(workers):
        _burn(n)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    with multiprocessing.get_context("forkserver").Pool(workers) as pool:
        pool.map(_burn, [n] * workers)
    return serial / (time.perf_counter() - start)


def run_scan(paths: list[Path], db: Path, workers: int) -> tuple[float, int, dict]:
    """``syndicate scan`` as a user runs it; (seconds, peak RSS bytes, JSON summary)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "syndicate", "scan", *map(str, paths), "--db", str(db),
                             "--workers", str(workers), "--json", "--quiet"], stdout=subprocess.PIPE, text=True)
    sampler = _PeakRSS(proc.pid)
    out, _ = proc.communicate()
    peak = sampler.stop()
    if proc.returncode not in (0, 3):
        raise SystemExit(f"scan failed with status {proc.returncode}")
    return time.perf_counter() - start, peak, json.loads(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--copies", type=int, default=40, help="copies of the pages for the throughput runs")
    parser.add_argument("--sizes", default="10,100", help="corpus sizes (in copies) for the memory runs")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    pages = sorted(str(p) for p in args.pages.glob("*.html*"))
    if not pages:
        print(f"no pages at {args.pages}; pass --pages FOLDER", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        most = max([args.copies, *sizes])
        crawl = tmp_path / "crawl.jsonl"
        n = build_crawl(pages, range(most), crawl, args.workers)
        print(f"crawl: {n} pages ({most} copies of {len(pages)} real pages), {crawl.stat().st_size / 1e6:.0f} MB")

        def subset(copies: int, name: str) -> Path:
            path = tmp_path / name
            with crawl.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
                for i, line in enumerate(src):
                    if i >= copies * len(pages):
                        break
                    dst.write(line)
            return path

        base = subset(args.copies, "base.jsonl")
        base_n = args.copies * len(pages)
        print(f"\n1. throughput, full scan of {base_n} pages")
        seconds = {}
        for w in (1, args.workers):
            seconds[w], _, _ = run_scan([base], tmp_path / f"w{w}.duckdb", w)
            print(f"   {w} worker{'s' if w > 1 else ''}: {seconds[w]:8.1f} s  {base_n / seconds[w]:6.1f} pages/s")
        print(f"   speed-up with {args.workers} workers: {seconds[1] / seconds[args.workers]:.2f}x "
              f"(this machine runs {args.workers} pure-CPU processes {cpu_scaling(args.workers):.2f}x faster than one)")

        print("\n2. peak memory (scan process + workers)")
        for copies in sizes:
            path = subset(copies, f"size{copies}.jsonl")
            secs, peak, _ = run_scan([path], tmp_path / f"m{copies}.duckdb", args.workers)
            print(f"   {copies:4d}x = {copies * len(pages):6d} pages: peak {peak / 2**20:7.0f} MiB  ({secs:.0f} s)")

        print("\n3. nightly run adding 1% new pages")
        new = max(1, base_n // 100)
        night = tmp_path / "night.jsonl"
        with crawl.open(encoding="utf-8") as src, night.open("w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if base_n <= i < base_n + new:
                    dst.write(line)
        stored = tmp_path / f"w{args.workers}.duckdb"
        shutil.copy(stored, tmp_path / "only_new.duckdb")
        only_new, _, _ = run_scan([night], tmp_path / "only_new.duckdb", args.workers)
        again, _, summary = run_scan([base, night], stored, args.workers)
        full, _, _ = run_scan([base, night], tmp_path / "full.duckdb", args.workers)
        print(f"   stored: {base_n} pages; new tonight: {new} pages")
        print(f"   nightly run on the new pages only:          {only_new:7.1f} s  ({only_new / full:.1%} of a full re-scan)")
        print(f"   nightly run on everything (old pages again): {again:7.1f} s  ({again / full:.1%}; "
              f"{summary['pages_unchanged']} unchanged pages skipped)")
        print(f"   full re-scan of all {base_n + new} pages into a fresh database: {full:7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
