"""WARC reading speed: syndicate's read_warc (FastWARC) beside warcio doing the same work.

Measures HTML records per second of ``read_warc`` against the baseline of
warcio's ``ArchiveIterator`` doing the same work, interleaved in the same
process run, and the same for the WARC layer alone (FastWARC beside warcio).
Details below.

Data: the 131 real pages of ``../shared/corpora/article-extraction-benchmark/html``
(Scrapinghub/Zyte's public article-extraction benchmark, MIT License), beside
the clone and not in the repository; the WARC built from them (71 MB for 2,000
records) goes to a temporary folder (``$TMPDIR``, else ``/tmp``).

Time on 2 cores: about 35 seconds with the defaults (building the WARC, then 3
interleaved runs of each reader).

Run::

    python benchmarks/warc_speed.py [--pages ../shared/corpora/article-extraction-benchmark/html] [--records 2000] [--repeat 3]

Builds a WARC gzipped record by record (the standard ``.warc.gz``) from the
real pages: each page answered by a 200 ``text/html`` response (every third
one gzip content-encoded, every fifth one chunked), each with its request
record, plus a warcinfo, metadata and revisit record; the pages are repeated
under new URLs until there are ``--records`` HTML responses. Then, in this
process run, interleaved, it reads the file with ``syndicate.read.warc.read_warc``
and with warcio's ``ArchiveIterator`` doing the same work: keep the 2xx HTML
responses, undo transfer and content encodings, decode the body with the
HTTP charset, take the URL and WARC-Date. It checks both give the same pages,
then prints HTML records per second of each (median of ``--repeat``) and the
ratio; and, to show where the time goes, the same for the WARC layer alone
(every record's block read raw: FastWARC's ``ArchiveIterator`` beside
warcio's), since undoing content encodings and decoding charsets costs both
readers the same.

warcio is a benchmark-only dependency: ``pip install warcio``.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "corpora" / "article-extraction-benchmark" / "html"
HTML_TYPES = ("text/html", "application/xhtml+xml")


def build_warc(pages: Path, records: int, out: Path) -> tuple[int, int]:
    """Write the benchmark WARC; returns (HTML responses, uncompressed bytes of their pages)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from warc_files import Response, write_warc

    files = sorted(p for p in pages.rglob("*") if p.name.endswith((".html", ".html.gz", ".htm")))
    bodies = [gzip.decompress(p.read_bytes()) if p.name.endswith(".gz") else p.read_bytes() for p in files]
    if not bodies:
        raise SystemExit(f"no .html/.html.gz pages in {pages}")
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)

    def responses():
        for i in range(records):
            headers = {"Content-Type": "text/html; charset=utf-8", "Server": "bench"}
            if i % 3 == 1:
                headers["Content-Encoding"] = "gzip"
            if i % 5 == 2:
                headers["Transfer-Encoding"] = "chunked"
            yield Response(f"https://bench.example/{i // len(bodies)}/{files[i % len(bodies)].name}",
                           bodies[i % len(bodies)], start + timedelta(seconds=i), headers)

    write_warc(out, responses(), gzip_mode="record")
    return records, sum(len(bodies[i % len(bodies)]) for i in range(records))


def syndicate_pages(path: Path, digest=None) -> list:
    from syndicate.read.page import Page
    from syndicate.read.warc import read_warc

    out = []
    for item in read_warc(path):
        if isinstance(item, Page):
            out.append(digest(item) if digest else None)
    return out


def warcio_pages(path: Path, digest=None) -> list:
    from warcio.archiveiterator import ArchiveIterator

    from syndicate.read.page import Page, parse_timestamp
    from syndicate.read.http import charset_of as _charset

    out = []
    with open(path, "rb") as f:
        records = ArchiveIterator(f)
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            if not record.http_headers.get_statuscode().startswith("2"):
                continue
            mime, _, params = (record.http_headers.get_header("Content-Type") or "").partition(";")
            if mime.strip().lower() not in HTML_TYPES:
                continue
            body = record.content_stream().read()  # de-chunked and decompressed by warcio
            codec = _charset(params)
            page = Page(
                source=str(path),
                record=f"offset {records.get_record_offset()}",
                url=record.rec_headers.get_header("WARC-Target-URI"),
                html=body.decode(codec, "replace") if codec else body,
                fetched_at=parse_timestamp(record.rec_headers.get_header("WARC-Date")),
            )
            out.append(digest(page) if digest else None)
    return out


def fastwarc_blocks(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator

    with open(path, "rb") as f:
        return sum(len(record.reader.read()) for record in ArchiveIterator(f, parse_http=False))


def warcio_blocks(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        return sum(len(record.raw_stream.read()) for record in ArchiveIterator(f, no_record_parse=True))


def _digest(page) -> tuple:
    import xxhash

    html = page.html.encode("utf-8") if isinstance(page.html, str) else page.html
    return page.url, page.fetched_at, type(page.html).__name__, xxhash.xxh3_64_hexdigest(html)


def timed(fn, path: Path) -> float:
    start = time.perf_counter()
    fn(path)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of real .html/.html.gz pages")
    parser.add_argument("--records", type=int, default=2000, help="HTML response records in the WARC")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, interleaved; the median is reported")
    args = parser.parse_args()
    try:
        import warcio  # noqa: F401
    except ImportError:
        print("warcio is needed for the comparison: pip install warcio", file=sys.stderr)
        return 2
    if not args.pages.is_dir():
        print(f"no pages at {args.pages}; pass --pages FOLDER", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        n, html_bytes = build_warc(args.pages, args.records, path)
        mine, theirs = syndicate_pages(path, _digest), warcio_pages(path, _digest)
        if len(mine) != n or mine != theirs:
            print(f"the readers disagree: syndicate {len(mine)} pages, warcio {len(theirs)}, expected {n}", file=sys.stderr)
            return 1
        if fastwarc_blocks(path) != warcio_blocks(path):
            print("the WARC layers disagree on the blocks' bytes", file=sys.stderr)
            return 1
        runs: dict[str, list[float]] = {name: [] for name in ("syn", "wio", "fw_raw", "wio_raw")}
        for _ in range(args.repeat):  # interleaved, so drift in machine speed hits all alike
            runs["syn"].append(timed(syndicate_pages, path))
            runs["wio"].append(timed(warcio_pages, path))
            runs["fw_raw"].append(timed(fastwarc_blocks, path))
            runs["wio_raw"].append(timed(warcio_blocks, path))
        size = path.stat().st_size
    t = {name: statistics.median(r) for name, r in runs.items()}
    print(f"{n} HTML responses ({html_bytes / 1e6:.0f} MB of pages) in a {size / 1e6:.0f} MB per-record .warc.gz, "
          f"{2 * n + 3} records; median of {args.repeat} interleaved runs")
    print(f"{'pages (same work)':<34}{'seconds':>9}{'HTML records/s':>16}{'MB/s':>8}")
    for name, key in (("syndicate read_warc (FastWARC)", "syn"), ("warcio ArchiveIterator", "wio")):
        print(f"{name:<34}{t[key]:>9.2f}{n / t[key]:>16.0f}{html_bytes / 1e6 / t[key]:>8.0f}")
    print(f"read_warc is {t['wio'] / t['syn']:.2f}x as fast as warcio")
    print(f"{'WARC layer only (raw blocks)':<34}{'seconds':>9}{'records/s':>16}")
    for name, key in (("FastWARC ArchiveIterator", "fw_raw"), ("warcio ArchiveIterator", "wio_raw")):
        print(f"{name:<34}{t[key]:>9.2f}{(2 * n + 3) / t[key]:>16.0f}")
    print(f"FastWARC is {t['wio_raw'] / t['fw_raw']:.2f}x as fast as warcio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
