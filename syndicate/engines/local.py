"""``scan``: read → extract → fingerprint → store → match → cluster, batch by batch.

Extraction and tokenising run in worker processes; this process fingerprints
each batch and is the only one that writes to DuckDB.
Each batch is stored in one transaction; every few thousand pages (and at the
end) the stored, unmatched pages are matched, clustered and attributed in
another, so the database is consistent at transaction boundaries and a rerun
after a crash finishes the job.
"""

from __future__ import annotations

import os
import time
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from itertools import islice
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from ..match.boilerplate import PageLines
from ..match.cluster import components, recluster
from ..extract.evidence import site_of
from ..extract.article import Article, content_hash
from ..fingerprint.minhash import Fingerprint, fingerprint_streams
from ..errors import EmptyInputError
from ..match.candidates import candidate_pairs, verify
from ..match.origin import refresh as refresh_origins
from ..read.page import InputProgress, Item, Page, ReadError, source_name
from ..read.files import read_paths
from ..read.select import Selection
from ..settings import Settings
from ..store.database import Store
from ..store.snapshot import Publisher, writing
from ..extract.worker import DEFAULT_PAGE_TIMEOUT, Processed, process_page
from .pool import Submission, WorkerPool

STATUS_OK = "ok"
STATUS_WITH_ERRORS = "completed_with_errors"
STATUS_FAILED = "failed"


@dataclass
class ScanSummary:
    """What one scan did; also stored as a row of ``runs``."""

    run_id: int = 0
    pages_read: int = 0
    pages_new: int = 0
    pages_changed: int = 0
    pages_unchanged: int = 0
    pages_failed: int = 0
    articles: int = 0
    new_matches: int = 0
    clusters: int = 0
    capped_buckets: int = 0
    seconds: float = 0.0
    status: str = STATUS_OK
    interrupted_runs: list[int] = field(default_factory=list)
    bytes_done: int = 0  # input read so far, for progress (0 when unknown)
    bytes_total: int = 0
    errors: list[ReadError] = field(default_factory=list)
    files_skipped: dict[str, int] = field(default_factory=dict)  # files of the folders not read, by reason
    matching: bool = False  # a matching round is running (for progress)

    @property
    def pages_done(self) -> int:
        """Pages read and dealt with: stored, found unchanged, or failed."""
        return self.pages_new + self.pages_changed + self.pages_unchanged + self.pages_failed

    def counts(self) -> dict[str, int]:
        return {
            "pages_read": self.pages_read,
            "pages_new": self.pages_new,
            "pages_changed": self.pages_changed,
            "pages_unchanged": self.pages_unchanged,
            "pages_failed": self.pages_failed,
            "articles": self.articles,
            "new_matches": self.new_matches,
            "clusters": self.clusters,
            "capped_buckets": self.capped_buckets,
            "files_skipped": sum(n for reason, n in self.files_skipped.items() if not reason.startswith("folders")),
        }

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        return (
            f"{self.pages_read} pages read ({self.pages_new} new, {self.pages_changed} changed, "
            f"{self.pages_unchanged} unchanged, {self.pages_failed} failed), {self.articles} articles, "
            f"{self.new_matches} new matches, {self.clusters} clusters, {self.seconds:.1f} s"
        ) + (f"; {Selection(skipped=Counter(self.files_skipped)).line()}" if self.files_skipped else "")


HANDOFF_PAGES = 32
"""Pages read and handed to the workers at a time; a batch is stored once all of its slices are back."""


@dataclass
class Unmatched:
    """The pages this scan stored and has not matched yet, as the worker stage left them.

    Their shingle sets and lines, so that matching them does not read their
    texts back from the database and tokenise them again.
    """

    shingles: dict[int, np.ndarray] = field(default_factory=dict)
    lines: dict[int, PageLines] = field(default_factory=dict)

    def add(self, doc_id: int, shingles: np.ndarray, lines: PageLines) -> None:
        self.shingles[doc_id] = shingles
        self.lines[doc_id] = lines

    def clear(self) -> None:
        self.shingles.clear()
        self.lines.clear()


class _Inline:
    """Pages for the worker stage in this process (one worker, no time limit), with the interface of a Submission.

    The pages are processed when their results are asked for, so a batch is
    extracted, then stored, one at a time, as with a single worker process.
    """

    def __init__(self, work: Callable[[Page], Processed | ReadError], pages: list[Page]) -> None:
        self.work, self.pages = work, pages

    def ready(self) -> bool:
        return False  # nothing is processed before get()

    def get(self) -> list[Processed | ReadError]:
        return [self.work(p) for p in self.pages]


def _next_results(in_flight: deque[list[Submission | _Inline]]) -> list[Processed | ReadError]:
    """The oldest batch's results, waiting for them, with those of later batches already back.

    Batches that are back together are stored in one transaction: the tail of
    a scan (the last batches come back at about the same time) then pays for
    one transaction, not one per batch.
    """
    results = [r for part in in_flight.popleft() for r in part.get()]
    while in_flight and all(part.ready() for part in in_flight[0]):
        results += [r for part in in_flight.popleft() for r in part.get()]
    return results


def _batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class _Runner:
    """Maps the worker stage over pages: worker processes (:mod:`.pool`), or inline for one worker without a time limit.

    One worker with a time limit is a worker process too: only a process can
    be stopped in the middle of a long parse. The workers start on entry, so
    they import the extractors while this process opens the database.
    """

    def __init__(self, workers: int, fast: bool, page_timeout: float | None) -> None:
        self.work = partial(process_page, fast=fast, timeout=page_timeout)
        self.workers, self.fast, self.page_timeout = workers, fast, page_timeout
        self.pool: WorkerPool | None = None
        self.closed = False

    def __enter__(self) -> "_Runner":
        if self.workers > 1 or self.page_timeout:
            self.pool = WorkerPool(self.workers, self.fast, self.page_timeout)
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self.pool is not None:
            if exc_type is not None or not self.closed:
                self.pool.terminate()
            self.pool.join()

    def close(self) -> None:
        """No more pages: the workers exit once they finish theirs, while this process stores and matches."""
        if self.pool is not None:
            self.pool.close()
        self.closed = True

    def submit(self, pages: list[Page]) -> Submission | _Inline:
        if self.pool is None or not pages:
            return _Inline(self.work, pages)
        return self.pool.submit(pages)


def scan(
    paths: Sequence[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    settings: Settings | None = None,
    workers: int | None = None,
    batch_size: int = 64,
    match_every: int = 4096,
    max_page_bytes: int = 10 * 2**20,
    fast: bool = True,
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT,
    on_batch: Callable[[ScanSummary], None] | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    allow_empty: bool = False,
) -> ScanSummary:
    """Scan crawled pages into the database at ``db`` and update matches and clusters.

    Pages whose bytes are already stored are not extracted again; a page whose
    content changed at the same URL replaces the stored one. ``settings`` None
    uses the database's (or the defaults for a new database). Holds the
    database's write lock for the whole scan (LockedError if another process
    has it); runs left "running" by a process that died are marked interrupted.

    ``include`` and ``exclude`` are glob patterns choosing the files of folders
    (see read/select.py); what the walk passes over is counted in
    ``files_skipped``. A scan that finds no page at all raises EmptyInputError
    (the run is recorded as failed) unless ``allow_empty``: a typo in a path or
    an empty crawl folder should not pass for a quiet night.
    """
    position = InputProgress()
    selection = Selection(include, exclude)
    items = read_paths(paths, position, max_page_bytes=max_page_bytes, selection=selection)  # fails now if a path does not exist
    workers = workers or os.cpu_count() or 1
    with writing(db, "scan"):  # and then the snapshot of the database as this scan left it, for readers
        summary = _scan_locked(items, db, settings, workers, batch_size, match_every, max_page_bytes, fast,
                               page_timeout, on_batch, position, selection, allow_empty, paths)
    return summary


def _scan_locked(items: Iterable[Item], db: str | os.PathLike[str], settings: Settings | None, workers: int,
                 batch_size: int, match_every: int, max_page_bytes: int, fast: bool, page_timeout: float | None,
                 on_batch: Callable[[ScanSummary], None] | None, position: InputProgress, selection: Selection,
                 allow_empty: bool, paths: Sequence[str | os.PathLike[str]]) -> ScanSummary:
    publisher = Publisher(db)
    with _Runner(workers, fast, page_timeout) as runner, Store.open(db, settings) as store, \
            recorded_run(store, paths) as summary:
        _report(summary, position, on_batch)  # the summary the scan updates in place, from the start
        in_flight: deque[list[Submission | _Inline]] = deque()
        unmatched = 0
        known = Unmatched()
        slices = _batched(items, min(HANDOFF_PAGES, batch_size))
        while True:
            # each slice goes to the workers as soon as it is read, so they start on the first page early
            parts = []
            for part in islice(slices, max(1, batch_size // HANDOFF_PAGES)):
                todo = _new_pages(store, part, summary, max_page_bytes)
                parts.append(runner.submit(todo))
            if not parts:
                break
            in_flight.append(parts)
            if len(in_flight) > 1:
                results = _next_results(in_flight)
                unmatched += _store_batch(store, results, summary, known)
                if unmatched >= match_every:
                    _match_round(store, summary, known, position, on_batch)
                    unmatched = 0
                    if publisher.due():  # readers see this round's matches while the scan goes on
                        store.checkpoint()
                        publisher.publish()
                _report(summary, position, on_batch)
        runner.close()
        while in_flight:
            results = _next_results(in_flight)
            unmatched += _store_batch(store, results, summary, known)
            _report(summary, position, on_batch)
        summary.files_skipped = dict(selection.skipped)
        if summary.pages_read == 0 and not allow_empty:
            raise EmptyInputError(_nothing_found(paths, selection))
        _match_round(store, summary, known, position, on_batch)  # also what a killed scan stored but did not match
    return summary


def _match_round(store: Store, summary: ScanSummary, known: Unmatched, position: InputProgress,
                 on_batch: Callable[[ScanSummary], None] | None) -> None:
    """One matching round, with progress said before (matching...) and after (the new matches)."""
    summary.matching = True
    _report(summary, position, on_batch)
    try:
        match_pending(store, summary, known)
    finally:
        summary.matching = False
    _report(summary, position, on_batch)


def _nothing_found(paths: Sequence[str | os.PathLike[str]], selection: Selection) -> str:
    skipped = selection.line()
    where = ", ".join(source_name(p) for p in paths)
    return (f"no pages found in {where}" + (f" ({skipped})" if skipped else "")
            + "; pass --allow-empty (allow_empty=True) to accept an empty scan")


@contextmanager
def recorded_run(store: Store, paths: Sequence[str | os.PathLike[str]]) -> Iterator[ScanSummary]:
    """A scan's row in ``runs``: started on entry, finished with its status and counts on exit (failed on an error).

    Runs left "running" by a process that died holding the lock are marked interrupted first.
    """
    started = time.perf_counter()
    summary = ScanSummary()
    summary.interrupted_runs = store.mark_interrupted_runs()
    summary.run_id = store.start_run([source_name(p) for p in paths])
    try:
        yield summary
    except BaseException:
        summary.status = STATUS_FAILED
        summary.seconds = time.perf_counter() - started
        store.finish_run(summary.run_id, summary.status, summary.counts(), summary.seconds)
        raise
    summary.clusters = int(store.con.execute("SELECT count(DISTINCT cluster_id) FROM clusters").fetchall()[0][0])
    summary.status = STATUS_WITH_ERRORS if summary.pages_failed else STATUS_OK
    summary.seconds = time.perf_counter() - started
    store.finish_run(summary.run_id, summary.status, summary.counts(), summary.seconds)


def _page_bytes(page: Page) -> int:
    return len(page.html if page.html is not None else page.text or "")


def oversized(page: Page, max_page_bytes: int) -> ReadError | None:
    """The error row of a page over the size limit, or None: such a page is never extracted."""
    size = _page_bytes(page)
    if size <= max_page_bytes:
        return None
    return ReadError(page.source, page.record, f"page of {size / 2**20:.1f} MiB is over the "
                     f"{max_page_bytes / 2**20:g} MiB limit (--max-page-mb)", kind="too_large")


def unstored(store: Store, keys: Sequence[tuple[str, str | None]], summary: ScanSummary) -> list[bool]:
    """For each (content hash, URL): True when it must be extracted.

    A page whose bytes are stored under its URL (or under any URL, for a page
    without one) is counted as skipped and its stored row touched (last_seen).
    """
    known = store.known_hashes([chash for chash, _ in keys])
    todo: list[bool] = []
    seen_again: list[str] = []
    for chash, url in keys:
        urls = known.get(chash, set())
        stored = bool(urls) and (url is None or url in urls)
        if stored:
            summary.pages_unchanged += 1
            seen_again.extend(urls if url is None else [url])
        todo.append(not stored)
    if seen_again:
        store.touch_documents([p.doc_id for p in store.stored_pages(seen_again).values()])
    return todo


def _report(summary: ScanSummary, position: InputProgress, on_batch: Callable[[ScanSummary], None] | None) -> None:
    summary.bytes_done, summary.bytes_total = position.read, position.total
    if on_batch:
        on_batch(summary)


def _new_pages(store: Store, batch: list[Item], summary: ScanSummary, max_page_bytes: int) -> list[Page]:
    """Pages of a batch that need extraction; read errors, oversized and unchanged pages are accounted here."""
    pages: list[Page] = []
    errors: list[ReadError] = []
    for item in batch:
        summary.pages_read += 1
        if isinstance(item, Page):
            item = oversized(item, max_page_bytes) or item
        (errors if isinstance(item, ReadError) else pages).append(item)
    todo = unstored(store, [(content_hash(p), p.url) for p in pages], summary)
    _record_errors(store, errors, summary)
    return [page for page, extract in zip(pages, todo) if extract]


def _record_errors(store: Store, errors: list[ReadError], summary: ScanSummary) -> None:
    if errors:
        summary.pages_failed += len(errors)
        summary.errors.extend(errors)
        store.add_errors(summary.run_id, errors)


def _store_batch(store: Store, results: list[Processed | ReadError], summary: ScanSummary, known: Unmatched) -> int:
    """Store one batch of processed pages in one transaction; returns how many await matching.

    The articles' shingle sets and lines go to ``known`` for matching.
    """
    with store.transaction():
        rows = _write_pages(store, [r for r in results if isinstance(r, Processed)], summary)
        articles = []
        for doc_id, art, fp, _ in rows:
            if fp is not None:
                lines = PageLines.of(site_of(art.domain), art.text, art.stream, art.title, art.article_key)
                known.add(doc_id, fp.shingles, lines)
                articles.append(lines)
        store.count_site_lines(articles)
        summary.articles += len(articles)
        _record_errors(store, [r for r in results if isinstance(r, ReadError)], summary)
    return len(rows)


@dataclass(frozen=True)
class Matching:
    """Where the matching stages run: the candidate join, verification and connected components.

    The defaults run them here (DuckDB and this process); the Spark engine
    passes its own, which compute the same results as Spark jobs.
    """

    candidates: Callable[..., tuple[list[tuple[int, int]], int]] = candidate_pairs
    verify: Callable[..., list] = verify
    components: Callable[..., dict[int, int]] = components
    band_index: bool = True  # look stored band rows up in the database's band index


LOCAL = Matching()


def match_pending(store: Store, summary: ScanSummary, known: Unmatched | None = None, matching: Matching = LOCAL) -> None:
    """Match, cluster and attribute every stored page not matched yet, in one transaction.

    Pages are stored batch by batch but matched a few thousand at a time: the
    candidate join reads the whole band table, so it runs once per
    ``match_every`` pages rather than once per batch. A page stored by a scan
    that died before matching it is matched by the next scan.
    """
    with store.transaction():
        pending = store.pending()
        if not pending:
            return
        touched = _match(store, [d for d, is_article in pending.items() if is_article], summary, known or Unmatched(),
                         matching)
        affected, assignment = recluster(store.con, sorted(set(pending) | set(touched)), matching.components,
                                         store.settings.kinds)
        old_clusters = store.cluster_ids(affected)
        store.replace_clusters(affected, assignment)
        dropped, origins = refresh_origins(store.con, affected, assignment, old_clusters, store.urls(list(pending)))
        store.replace_origins(dropped, origins)
        store.mark_matched(list(pending))
    if known is not None:
        known.clear()


Row = tuple[int, Article, "Fingerprint | None", datetime]


def _write_pages(store: Store, processed: list[Processed], summary: ScanSummary) -> list[Row]:
    """Store new and changed pages (a changed page keeps its doc_id and first_seen); returns what was written."""
    now = datetime.now(timezone.utc)
    latest: dict[str, Processed] = {}
    for r in processed:
        latest[r.article.url] = r  # the same URL twice in a batch: the later crawl wins
    summary.pages_unchanged += len(processed) - len(latest)
    stored = store.stored_pages(list(latest))
    changed = [stored[u].doc_id for u, r in latest.items() if u in stored and stored[u].content_hash != r.article.content_hash]
    first_seen = store.first_seen(changed)
    store.delete_documents(changed)
    next_id = store.next_doc_id()
    rows: list[Row] = []
    unchanged: list[int] = []
    todo = [r for u, r in latest.items() if u not in stored or stored[u].content_hash != r.article.content_hash]
    with_text = [r for r in todo if r.stream is not None and r.fingerprint is None]
    fingerprints = {id(r): r.fingerprint for r in todo if r.fingerprint is not None}
    fingerprints.update(zip(map(id, with_text), fingerprint_streams([r.stream for r in with_text], store.settings)))
    for url, r in latest.items():
        old = stored.get(url)
        if old is not None and old.content_hash == r.article.content_hash:
            summary.pages_unchanged += 1
            unchanged.append(old.doc_id)
            continue
        if old is not None:
            doc_id, seen = old.doc_id, first_seen.get(old.doc_id, now)
            summary.pages_changed += 1
        else:
            doc_id, seen, next_id = next_id, now, next_id + 1
            summary.pages_new += 1
        rows.append((doc_id, r.article, fingerprints.get(id(r)), seen))
    store.write_documents(rows, now=now.replace(tzinfo=None))
    store.touch_documents(unchanged)
    return rows


def _match(store: Store, new_ids: list[int], summary: ScanSummary, known: Unmatched, matching: Matching) -> list[int]:
    """Find and verify the matches of the given pages; returns the documents whose matches went away.

    New pages can turn lines of their site into template lines, so the site's
    earlier same-site matches are verified again and dropped when they rested
    on template text.
    """
    new_pages = {d: known.lines[d] for d in new_ids if d in known.lines}
    new_pages.update(store.page_lines([d for d in new_ids if d not in new_pages]))  # stored by a scan that died
    index = store.band_lookup() if matching.band_index else None
    pairs, capped = matching.candidates(store.con, new_ids, index)
    summary.capped_buckets += capped
    recheck = store.same_site_matches({p.site for p in new_pages.values() if p.site})
    pages = dict(new_pages)
    pages.update(store.page_lines([d for pair in pairs + recheck for d in pair if d not in pages]))
    template = store.template_pages(list(pages.values()))
    matches = matching.verify(pairs, pages, template, store.settings, known.shingles)
    store.write_matches([m.as_row() for m in matches])
    summary.new_matches += len(matches)
    kept = {(m.doc_a, m.doc_b) for m in matching.verify(recheck, pages, template, store.settings, known.shingles)}
    dropped = [pair for pair in recheck if pair not in kept]
    store.delete_matches(dropped)
    return [d for pair in dropped for d in pair]
