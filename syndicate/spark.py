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
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from .errors import InputError
from .extract import content_hash
from .fingerprint import fingerprint_streams
from .lock import WriteLock
from .pipeline import ScanSummary, _record_errors, _store_batch, match_pending, recorded_run
from .readers import Item, Page, ReadError, input_files, read_path
from .settings import Settings
from .store import Store
from .worker import DEFAULT_PAGE_TIMEOUT, Processed, process_page

DEFAULT_MASTER = "local[*]"


@dataclass(frozen=True)
class Seen:
    """What the first pass reports of one record: enough to decide whether to extract it."""

    file: int
    record: int
    error: ReadError | None
    content_hash: str | None = None
    url: str | None = None
    size: int = 0


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
    return builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()


def _items(files: Sequence[tuple[int, str]]) -> Iterator[tuple[int, int, Item]]:
    for index, path in files:
        for record, item in enumerate(read_path(Path(path))):
            yield index, record, item


def _first_pass(files: Iterator[tuple[int, str]], max_page_bytes: int) -> Iterator[Seen]:
    for index, record, item in _items(list(files)):
        if isinstance(item, ReadError):
            yield Seen(index, record, item)
            continue
        size = len(item.html if item.html is not None else item.text or "")
        if size > max_page_bytes:
            reason = (f"page of {size / 2**20:.1f} MiB is over the {max_page_bytes / 2**20:g} MiB limit "
                      "(--max-page-mb)")
            yield Seen(index, record, ReadError(item.source, item.record, reason, kind="too_large"))
            continue
        yield Seen(index, record, None, content_hash(item), item.url, size)


def _second_pass(files: Iterator[tuple[int, str]], wanted, settings: Settings, fast: bool,
                 timeout: float | None) -> Iterator[tuple[int, int, Processed | ReadError]]:
    todo = wanted.value
    done: list[tuple[int, int, Processed | ReadError]] = []
    for index, record, item in _items(list(files)):
        if isinstance(item, Page) and (index, record) in todo:
            done.append((index, record, process_page(item, fast=fast, timeout=timeout)))
    articles = [k for k, (_, _, r) in enumerate(done) if isinstance(r, Processed) and r.stream is not None]
    for k, fp in zip(articles, fingerprint_streams([done[k][2].stream for k in articles], settings)):
        index, record, result = done[k]
        done[k] = (index, record, replace(result, fingerprint=fp))
    yield from done


def scan_spark(
    paths: Sequence[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    settings: Settings | None = None,
    master: str | None = None,
    batch_size: int = 64,
    match_every: int = 4096,
    max_page_bytes: int = 10 * 2**20,
    fast: bool = False,
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT,
    partitions: int | None = None,
) -> ScanSummary:
    """Scan like :func:`syndicate.scan`, with reading, extraction and fingerprinting on Spark.

    ``paths`` are files or folders the executors can read at the same paths
    (a shared filesystem, or one machine with ``local[*]``).
    """
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    files = [str(f) for p in paths for f in input_files(Path(p))]
    with WriteLock(db, "scan"), Store.open(db, settings) as store, recorded_run(store, paths) as summary:
        spark = spark_session(master)
        # a few partitions per core: each task pays for loading the kernels in its Python worker
        slices = partitions or max(1, min(len(files), 4 * spark.sparkContext.defaultParallelism))
        indexed = spark.sparkContext.parallelize(list(enumerate(files)), slices)
        seen = sorted(indexed.mapPartitions(lambda part: _first_pass(part, max_page_bytes)).collect(),
                      key=lambda s: (s.file, s.record))
        todo = _decide(store, seen, summary)
        wanted = spark.sparkContext.broadcast({(s.file, s.record) for s in todo})
        # results stream back to the driver in input order, a partition at a time
        fp_settings = store.settings  # the lambda must not capture the store (its connection)
        results = iter(indexed.mapPartitions(
            lambda part: _second_pass(part, wanted, fp_settings, fast, page_timeout)
        ).sortBy(lambda row: (row[0], row[1])).toLocalIterator())
        pending = next(results, None)
        known: dict[int, np.ndarray] = {}
        unmatched = 0
        for start in range(0, len(seen), batch_size):  # the local engine's batches: the same items each
            batch = []
            for s in seen[start : start + batch_size]:
                if pending is not None and (pending[0], pending[1]) == (s.file, s.record):
                    batch.append(pending[2])
                    pending = next(results, None)
            unmatched += _store_batch(store, batch, summary, known)
            if unmatched >= match_every:
                match_pending(store, summary, known)
                unmatched = 0
        match_pending(store, summary, known)
    return summary


def _decide(store: Store, seen: list[Seen], summary: ScanSummary) -> list[Seen]:
    """The records to extract; read errors, oversized and already stored pages are accounted here.

    The same decisions, in the same batches, as the local engine's ``_new_pages``.
    """
    todo: list[Seen] = []
    for start in range(0, len(seen), 32):
        part = seen[start : start + 32]
        summary.pages_read += len(part)
        _record_errors(store, [s.error for s in part if s.error is not None], summary)
        pages = [s for s in part if s.error is None]
        known = store.known_hashes([s.content_hash for s in pages])
        again: list[str] = []
        for s in pages:
            urls = known.get(s.content_hash, set())
            if urls and (s.url is None or s.url in urls):
                summary.pages_skipped += 1
                again.extend(urls if s.url is None else [s.url])
            else:
                todo.append(s)
        if again:
            store.touch_documents([p.doc_id for p in store.stored_pages(again).values()])
    return todo
