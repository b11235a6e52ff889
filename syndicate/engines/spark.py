"""``scan --engine spark``: the heavy stages of a scan as Spark tasks, the same library functions inside.

Executors read the input files, extract each page (``worker.process_page``)
and fingerprint the articles (``fingerprint.fingerprint_streams``), one
partition of files at a time; the driver stores the results in the DuckDB
database in the input's order, in the same batches as the local engine, and
matches, clusters and attributes them with the same code. A local scan and a
Spark scan of the same input give the same tables.

Two passes over the input: the first reads every record and returns what the
driver needs to decide what to extract (content hash, URL, size, read
errors), so pages already stored are never extracted again; the second
extracts and fingerprints only those. Pages travel to executors as file
paths, never through the driver.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator, Sequence

from ..errors import EmptyInputError, InputError
from ..extract.article import content_hash
from ..fingerprint.minhash import fingerprint_streams
from ..store.snapshot import writing
from ..match.candidates import CANDIDATES_SQL, CAPPED_SQL, verify
from .local import (
    HANDOFF_PAGES, Matching, ScanSummary, Unmatched, _nothing_found, _record_errors, _store_batch, match_pending, oversized,
    recorded_run, unstored,
)
from ..read.page import Item, Page, ReadError
from ..read.files import HTML_SUFFIXES, JSONL_SUFFIXES, WARC_SUFFIXES, has_suffix, read_path, walk
from ..read.select import Selection
from ..settings import Settings
from ..store.database import Store
from ..extract.worker import DEFAULT_PAGE_TIMEOUT, Processed, process_page

DEFAULT_MASTER = "local[*]"


@dataclass(frozen=True)
class Seen:
    """What the first pass reports of one record: enough to decide whether to extract it."""

    file: int
    record: int
    error: ReadError | None
    content_hash: str | None = None
    url: str | None = None


def spark_session(master: str | None = None, app: str = "syndicate"):
    """A SparkSession: ``master`` (``local[*]``, ``spark://host:7077``, ``yarn``...), or what spark-submit set."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app)
    if master or not os.environ.get("SPARK_HOME"):
        master = master or DEFAULT_MASTER
        builder = builder.master(master)
        if master.startswith("local"):  # executors run this interpreter, which has syndicate installed
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = builder.config("spark.pyspark.python", sys.executable)
            # one machine: a few shuffle partitions, not the cluster default of 200
            builder = builder.config("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 1)))
    return builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()


# One input file as a task sees it: (index, location, content, modified). A local path
# has content None (the executor reads it); a URI's bytes come from Spark's binaryFile source.
InputFile = tuple[int, str, "bytes | None", "datetime | None"]


def _items(files: Sequence[InputFile], max_page_bytes: int) -> Iterator[tuple[int, int, Item]]:
    for index, location, content, modified in files:
        if content is None:
            for record, item in enumerate(read_path(Path(location), max_page_bytes=max_page_bytes)):
                yield index, record, item
            continue
        # the readers read files: a URI's bytes go to a temporary file of the same name and time
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / PurePosixPath(location).name
            path.write_bytes(content)
            if modified is not None:
                os.utime(path, (modified.timestamp(), modified.timestamp()))
            for record, item in enumerate(read_path(path, max_page_bytes=max_page_bytes)):
                if isinstance(item, Page):
                    item = replace(item, source=location, fallback_url=location if item.fallback_url else None)
                else:
                    item = replace(item, source=location)
                yield index, record, item


def _is_uri(path: str | os.PathLike[str]) -> bool:
    return "://" in str(path)


def _input_files(spark, paths: Sequence[str | os.PathLike[str]], partitions: int | None,
                 selection: Selection | None = None):
    """An RDD of InputFile for the paths, indexed in the order a local scan reads them, and the walk's errors.

    What the folder walk skips (an unreadable folder, a FIFO, a link loop) is
    an error the driver records in its place in that order, as a local scan does.
    """
    local: list[InputFile] = []
    skipped: list[Seen] = []
    remote: dict[str, int] = {}
    index = 0
    for p in paths:
        if not _is_uri(p):
            for f in walk(Path(p), selection) if Path(p).is_dir() else [Path(p)]:
                if isinstance(f, ReadError):
                    skipped.append(Seen(index, 0, f))
                else:
                    local.append((index, str(f), None, None))
                index += 1
            continue
        listing = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(str(p))
        for (name,) in sorted(listing.select("path").collect()):
            if has_suffix(Path(PurePosixPath(name).name), HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES):
                remote[name] = index
                index += 1
    slices = partitions or max(1, min(max(index, 1), 4 * spark.sparkContext.defaultParallelism))
    rdd = spark.sparkContext.parallelize(local, slices)
    if remote:
        uris = [str(p) for p in paths if _is_uri(p)]
        contents = (spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(uris)
                    .select("path", "content", "modificationTime").rdd
                    .filter(lambda row: row[0] in remote)
                    .map(lambda row: (remote[row[0]], row[0], bytes(row[1]), row[2])))
        rdd = rdd.union(contents)
    return rdd, skipped


def _first_pass(files: Iterator[tuple[int, str]], max_page_bytes: int) -> Iterator[Seen]:
    for index, record, item in _items(list(files), max_page_bytes):
        if isinstance(item, ReadError):
            yield Seen(index, record, item)
            continue
        too_large = oversized(item, max_page_bytes)
        if too_large is not None:
            yield Seen(index, record, too_large)
            continue
        yield Seen(index, record, None, content_hash(item), item.url)


def _second_pass(files: Iterator[tuple[int, str]], wanted, settings: Settings, fast: bool,
                 timeout: float | None, max_page_bytes: int) -> Iterator[tuple[int, int, Processed | ReadError]]:
    todo = wanted.value
    done: list[tuple[int, int, Processed | ReadError]] = []
    for index, record, item in _items(list(files), max_page_bytes):
        if isinstance(item, Page) and (index, record) in todo:
            done.append((index, record, process_page(item, fast=fast, timeout=timeout)))
    articles = [k for k, (_, _, r) in enumerate(done) if isinstance(r, Processed) and r.stream is not None]
    for k, fp in zip(articles, fingerprint_streams([done[k][2].stream for k in articles], settings)):
        index, record, result = done[k]
        done[k] = (index, record, replace(result, fingerprint=fp))
    yield from done


class SparkMatching:
    """The candidate join, verification and connected components as Spark jobs, giving the local results.

    The candidate join reads the stored band table from a Parquet export of
    DuckDB's (so a nightly run matches its new pages against everything
    stored, not against itself); verification runs ``match.verify`` on
    partitions of the candidate pairs; components are found by propagating
    the smallest doc_id along the match edges until nothing changes.
    """

    def __init__(self, spark, workdir: Path) -> None:
        self.spark = spark
        self.workdir = workdir
        self.round = 0

    def candidates(self, con, new_doc_ids: Sequence[int], index: None = None) -> tuple[list[tuple[int, int]], int]:
        if not new_doc_ids:
            return [], 0
        self.round += 1
        path = self.workdir / f"bands-{self.round}.parquet"
        con.execute(f"COPY bands TO '{_sql_string(path)}' (FORMAT parquet)")
        spark = self.spark
        bands = spark.read.parquet(str(path))
        bands.createOrReplaceTempView("bands")
        spark.createDataFrame([(int(d),) for d in new_doc_ids], "doc_id long").createOrReplaceTempView("new_docs")
        spark.sql("SELECT b.band, b.hash, b.doc_id FROM bands b LEFT SEMI JOIN new_docs n ON b.doc_id = n.doc_id"
                  ).createOrReplaceTempView("new_bands")
        spark.sql(SPARK_JOINED_SQL).createOrReplaceTempView("candidate_rows")
        pairs = [(int(a), int(b)) for a, b in spark.sql(CANDIDATES_SQL).collect()]
        capped = int(spark.sql(CAPPED_SQL).collect()[0][0])
        return pairs, capped

    def verify(self, pairs, pages, template_pages, settings, known=None) -> list:
        if not pairs:
            return []
        shared = self.spark.sparkContext.broadcast((dict(pages), dict(template_pages), settings, dict(known or {})))
        slices = max(1, min(len(pairs) // 64 + 1, 4 * self.spark.sparkContext.defaultParallelism))
        return self.spark.sparkContext.parallelize(list(pairs), slices).mapPartitions(
            lambda part: verify(list(part), *shared.value)).collect()  # partitions keep the pairs' order

    def components(self, edges) -> dict[int, int]:
        from pyspark.sql import functions as F

        edges = [(int(a), int(b)) for a, b in edges]
        if not edges:
            return {}
        spark = self.spark
        links = spark.createDataFrame(edges + [(b, a) for a, b in edges], "src long, dst long").cache()
        labels = links.select(F.col("src").alias("node"), F.col("src").alias("label")).distinct()
        while True:
            offered = links.join(labels, links.src == labels.node).select(F.col("dst").alias("node"), "label")
            updated = labels.union(offered).groupBy("node").agg(F.min("label").alias("label")).cache()
            changed = updated.join(labels.withColumnRenamed("label", "old"), "node").where("label <> old").count()
            labels = updated
            if not changed:
                break
        links.unpersist()
        return {int(node): int(label) for node, label in labels.collect()}


def _sql_string(path: Path) -> str:
    return str(path).replace("'", "''")


# The local engine's candidate query (match.JOINED_SQL), in Spark SQL over the exported band table.
SPARK_JOINED_SQL = """
SELECT n.doc_id AS a, b.doc_id AS b, n.band,
       row_number() OVER (PARTITION BY n.doc_id, n.band, n.hash ORDER BY b.doc_id) AS rank,
       count(*) OVER (PARTITION BY n.doc_id, n.band, n.hash) + 1 AS bucket
FROM new_bands n JOIN bands b ON n.band = b.band AND n.hash = b.hash
WHERE n.doc_id <> b.doc_id
"""


def scan_spark(
    paths: Sequence[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    settings: Settings | None = None,
    master: str | None = None,
    batch_size: int = 64,
    match_every: int = 4096,
    max_page_bytes: int = 10 * 2**20,
    fast: bool = True,
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT,
    partitions: int | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    allow_empty: bool = False,
    on_batch: Callable[[ScanSummary], None] | None = None,
) -> ScanSummary:
    """Scan like :func:`syndicate.scan`, with the heavy stages on Spark.

    ``include``/``exclude`` choose the files of local folders and
    ``allow_empty`` accepts a scan with no page, as in a local scan; files
    Spark lists at a URI are chosen by their names alone. ``on_batch`` gets
    the summary, updated in place, once the inputs are listed, after each
    stored batch and around each matching round (its bytes are not counted).

    ``paths`` are local files or folders the executors can read at the same
    paths (a shared filesystem, or one machine with ``local[*]``), or URIs
    Spark reads (``s3a://bucket/crawl/``, ``hdfs:///crawl/``, ``file:///...``),
    whose files reach the executors through Spark's ``binaryFile`` source.
    """
    missing = [str(p) for p in paths if not _is_uri(p) and not Path(p).exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    with writing(db, "scan"), Store.open(db, settings) as store, recorded_run(store, paths) as summary:
        spark = spark_session(master)
        # a few partitions per core: each task pays for loading the extractors in its Python worker
        selection = Selection(include, exclude)
        indexed, skipped = _input_files(spark, paths, partitions, selection)
        seen = sorted(indexed.mapPartitions(lambda part: _first_pass(part, max_page_bytes)).collect() + skipped,
                      key=lambda s: (s.file, s.record))
        todo = _decide(store, seen, summary)
        summary.files_skipped = dict(selection.skipped)
        report = on_batch or (lambda _: None)
        report(summary)
        if summary.pages_read == 0 and not allow_empty:
            raise EmptyInputError(_nothing_found(paths, selection))
        wanted = spark.sparkContext.broadcast({(s.file, s.record) for s in todo})
        # results stream back to the driver in input order, a partition at a time
        fp_settings = store.settings  # the lambda must not capture the store (its connection)
        results = iter(indexed.mapPartitions(
            lambda part: _second_pass(part, wanted, fp_settings, fast, page_timeout, max_page_bytes)
        ).sortBy(lambda row: (row[0], row[1])).toLocalIterator())
        pending = next(results, None)
        known = Unmatched()
        unmatched = 0
        workdir = Path(tempfile.mkdtemp(prefix="syndicate-spark-"))
        on_spark = SparkMatching(spark, workdir)
        matching = Matching(on_spark.candidates, on_spark.verify, on_spark.components, band_index=False)
        try:
            for start in range(0, len(seen), batch_size):  # the local engine's batches: the same items each
                batch = []
                for s in seen[start : start + batch_size]:
                    if pending is not None and (pending[0], pending[1]) == (s.file, s.record):
                        batch.append(pending[2])
                        pending = next(results, None)
                unmatched += _store_batch(store, batch, summary, known)
                report(summary)
                if unmatched >= match_every:
                    _matching_round(store, summary, known, matching, report)
                    unmatched = 0
            _matching_round(store, summary, known, matching, report)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return summary


def _matching_round(store: Store, summary: ScanSummary, known: Unmatched, matching: Matching,
                    report: Callable[[ScanSummary], None]) -> None:
    summary.matching = True
    report(summary)
    try:
        match_pending(store, summary, known, matching)
    finally:
        summary.matching = False
    report(summary)


def _decide(store: Store, seen: list[Seen], summary: ScanSummary) -> list[Seen]:
    """The records to extract; read errors, oversized and already stored pages are accounted here.

    The same decisions, in the same batches, as the local engine's ``_new_pages``.
    """
    todo: list[Seen] = []
    for start in range(0, len(seen), HANDOFF_PAGES):
        part = seen[start : start + HANDOFF_PAGES]
        summary.pages_read += len(part)
        _record_errors(store, [s.error for s in part if s.error is not None], summary)
        pages = [s for s in part if s.error is None]
        extract = unstored(store, [(s.content_hash, s.url) for s in pages], summary)
        todo.extend(s for s, wanted in zip(pages, extract) if wanted)
    return todo
