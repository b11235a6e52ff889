"""The ``syndicate`` command: thin click wrappers around the library."""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import signal
import sys
import threading
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import click

from . import __version__
from .views.display import printable
from .views.rows import format_rows, json_value
from .errors import SyndicateError

if TYPE_CHECKING:
    from .engines.local import ScanSummary
    from .settings import Settings
    from .store.database import Store

# Each command imports the stages it runs when it runs: the worker processes a
# scan starts import this module too, and need none of them (nor DuckDB).

DEFAULT_DB = "syndicate.duckdb"


def _finite(value: float | None) -> float | None:
    """NaN and infinity pass click's range check, and no timer takes them."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds (0: no limit)")
    return value

EXIT_WITH_ERRORS = 3
"""Exit status of a scan that completed but could not read some inputs (see the errors table)."""


def _remember_db(ctx: click.Context, value: str) -> str:
    """The --db of this command, for naming it in an error (see _Group)."""
    ctx.meta["syndicate.db"] = value
    return value


db_option = click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    envvar="SYNDICATE_DB",
    show_envvar=True,
    type=click.Path(dir_okay=False),
    help="DuckDB database file.",
    callback=lambda ctx, param, value: _remember_db(ctx, value),
)


_INTERRUPTED = threading.Event()


def _interrupt(signum: int, frame: object) -> None:
    _INTERRUPTED.set()
    raise KeyboardInterrupt


def _interrupted(ctx: click.Context) -> None:
    click.echo("interrupted: what was committed stays (a scan keeps every stored batch); rerun to continue",
               err=True)
    ctx.exit(130)


class _Group(click.Group):
    """Turns a SyndicateError into one line on stderr and its exit status, no traceback.

    So does a database or storage failure met anywhere in a command (a full
    disk, a damaged block, a filesystem gone read-only): see store/failure.py.
    """

    def invoke(self, ctx: click.Context) -> Any:
        _INTERRUPTED.clear()
        with contextlib.suppress(ValueError):  # not the main thread: leave Ctrl-C as it is
            signal.signal(signal.SIGINT, _interrupt)
        try:
            return super().invoke(ctx)
        except SyndicateError as exc:
            click.echo(printable(f"error: {exc}", keep_newlines=exc.multiline).rstrip(), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:  # Ctrl-C: the transaction in progress is rolled back, the lock released
            _interrupted(ctx)
        except BrokenPipeError:  # the reader of stdout went away (| head): stop quietly, as cat and grep do
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
            ctx.exit(128 + signal.SIGPIPE)
        except Exception as exc:
            if _INTERRUPTED.is_set():  # DuckDB turns Ctrl-C in a query into its own error
                _interrupted(ctx)
            from .store.failure import explain

            known = explain(exc, ctx.meta.get("syndicate.db"))
            if known is None:
                raise  # a bug: the traceback says where
            click.echo(printable(f"error: {known}"), err=True)
            ctx.exit(known.exit_code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="syndicate")
def cli() -> None:
    """Find syndicated copies of news articles in crawled pages; ask about them in SQL."""


@cli.command("scan")
@click.argument("paths", nargs=-1, type=click.Path())
@db_option
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Extraction processes [default: CPU count].")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, show_default=True, help="Pages stored per transaction.")
@click.option("--shingle-size", type=click.IntRange(min=1), default=None, help="Words per shingle [default: 5].")
@click.option("--num-perm", type=click.IntRange(min=2), default=None, help="MinHash permutations [default: 128].")
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=None, help="Jaccard similarity of a duplicate [default: 0.5].")
@click.option("--containment", type=click.FloatRange(0, 1, min_open=True), default=None, help="Share of the shorter article found in the longer one for a partial copy [default: 0.8].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Verdict settings for a new database ([verdict] of syndicate.toml) [default: ./syndicate.toml if present].")
@click.option("--extract", "mode", type=click.Choice(["precise", "fast"]), default="fast", show_default=True,
              envvar="SYNDICATE_EXTRACT", show_envvar=True,
              help="precise: trafilatura (precision mode, a second pass where it looks wrong); fast: Resiliparse's "
                   "main-content extraction from one parse (about 5x faster extraction, body F1 0.969 vs 0.968 on "
                   "the benchmark pages). Recorded per page (documents.extract_mode).")
@click.option("--max-page-mb", type=click.FloatRange(min=0, min_open=True), default=10, show_default=True,
              envvar="SYNDICATE_MAX_PAGE_MB", show_envvar=True,
              help="Larger pages are not extracted; they are recorded in the errors table.")
@click.option("--page-timeout", type=click.FloatRange(min=0), default=30, show_default=True,
              envvar="SYNDICATE_PAGE_TIMEOUT", show_envvar=True, callback=lambda ctx, param, value: _finite(value),
              help="Seconds a page may take to extract; a slower one is abandoned and recorded (0: no limit).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Where reading, extraction and fingerprinting run: worker processes here, or Spark tasks.")
@click.option("--master", default=None, metavar="URL",
              help="Spark master with --engine spark (local[*], spark://host:7077, yarn) [default: local[*] or spark-submit's].")
@click.option("--parquet-out", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="After the scan, also write every table and the syndication view as DIR/<name>.parquet.")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (for monitoring).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="Read only the files of folders matching GLOB (a name, or a path relative to the folder); repeatable.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Leave out files and folders matching GLOB; wins over --include; repeatable.")
@click.option("--from-file", "from_file", type=click.File("r", encoding="utf-8"), default=None, metavar="FILE",
              help="Also scan the paths listed in FILE, one a line (- for stdin; blank lines and # comments ignored).")
@click.option("--allow-empty", is_flag=True, help="Exit 0 when the inputs hold no page (else an error, exit 2).")
@click.option("--log-interval", type=click.FloatRange(min=0), default=60, show_default=True,
              help="Seconds between progress lines when stderr is not a terminal (0: every batch).")
def scan_command(
    paths: Sequence[str], db: str, workers: int | None, batch_size: int, shingle_size: int | None,
    num_perm: int | None, threshold: float | None, containment: float | None, config_path: str | None,
    mode: str, max_page_mb: float,
    page_timeout: float, engine: str, master: str | None, parquet_out: str | None, quiet: bool, as_json: bool,
    include: tuple[str, ...], exclude: tuple[str, ...], from_file: Any, allow_empty: bool, log_interval: float,
) -> None:
    """Scan crawled pages (folders of .html/.html.gz, .jsonl exports, .warc/.warc.gz) into the database.

    Pages already stored with the same bytes are skipped; new pages are matched
    against everything stored before. Exit status: 0 ok; 3 completed, but some
    inputs could not be read (see the errors table); 75 another scan (or
    prune, sql --write) holds the write lock; 2 a usage or database error (a
    reader has the file open, the file is damaged or may not be written);
    74 writing failed part way (a full disk), committed batches kept; 1 the
    scan failed.

    \b
    Settings fixed at a database's first scan: --shingle-size and --num-perm
    (what is stored for every page: fingerprints made otherwise would not
    compare with the stored ones; change them with a new --db).
    Settings that can change later: --threshold, --containment and the
    [verdict] of syndicate.toml decide the kind of each stored pair from its
    stored scores; change them on a stored database with 'syndicate recluster'
    (no rescan).

    \b
    Files of folders are read by name (.html, .htm, .jsonl, .ndjson, .warc,
    optionally .gz) or, for other names (index.php, story.shtml, page?p=2, no
    extension), when their first 8 KiB are an HTML page; what is passed over
    is counted in the summary by reason.
    """
    if from_file is not None:
        paths = (*paths, *(line.strip() for line in from_file
                           if line.strip() and not line.lstrip().startswith("#")))
    if not paths:
        raise click.UsageError("name at least one PATH to scan, or --from-file FILE")
    if engine == "local" and (page_timeout or (workers or os.cpu_count() or 1) > 1):
        from .engines.pool import start_fork_server

        start_fork_server(mode == "fast")  # the workers' imports run beside this process's
    from .engines.local import STATUS_WITH_ERRORS, scan
    from .store.database import Store

    signal.signal(signal.SIGTERM, _terminate)  # a clean stop: the run is marked failed, the lock released
    from .settings import load_config

    config = load_config(config_path)
    overrides = dict(config.verdict)
    overrides.update({
        k: v
        for k, v in dict(shingle_size=shingle_size, num_perm=num_perm, threshold=threshold, containment=containment).items()
        if v is not None
    })
    settings = _requested_settings(db, overrides)
    limits = dict(max_page_bytes=int(max_page_mb * 2**20), page_timeout=page_timeout or None, fast=mode == "fast")
    chosen = dict(include=include, exclude=exclude, allow_empty=allow_empty)
    if engine == "spark":
        try:
            from .engines.spark import scan_spark
        except ImportError as exc:
            raise SyndicateError(f"--engine spark needs pyspark ({exc}); install it with pip install 'pyspark>=4.0' "
                                  "(in a clone: pip install -e '.[spark]')") from None
        run = partial(scan_spark, master=master)
    else:
        run = partial(scan, workers=workers)
    progress = None if quiet else _Progress(sys.stderr.isatty(), log_interval)
    try:
        summary = run(paths, db, settings=settings, batch_size=batch_size, on_batch=progress, **chosen, **limits)
    finally:
        if progress:
            progress.done()
    if parquet_out:
        with Store.open(db, read_only=True) as store:
            store.export_parquet(parquet_out)
    if as_json:
        click.echo(json.dumps({"run_id": summary.run_id, "status": summary.status, **summary.counts(),
                               "seconds": round(summary.seconds, 3), "interrupted_runs": summary.interrupted_runs,
                               "files_skipped_by_reason": summary.files_skipped,
                               "errors": [e.__dict__ for e in summary.errors[:100]]}, ensure_ascii=False))
    elif not quiet:
        _print_errors(summary)
        click.echo(summary.line())
    if summary.status == STATUS_WITH_ERRORS:
        click.get_current_context().exit(EXIT_WITH_ERRORS)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


class _Progress:
    """Scan progress on stderr: a live line on a terminal, a timestamped line every interval otherwise.

    The counts are pages read, dealt with (stored, unchanged or failed) and
    matched; the ETA comes from the rate pages are dealt with, against the
    pages the input holds as far as its bytes read tell. Off a terminal a
    timer thread writes the line every ``interval`` seconds even while one
    batch or a matching round takes long; it only reads the counters.
    """

    def __init__(self, tty: bool, interval: float) -> None:
        self.tty, self.interval = tty, interval
        self.start = time.monotonic()
        self.summary: ScanSummary | None = None
        self.stop = threading.Event()
        self.timer: threading.Thread | None = None
        if not tty and interval > 0:
            self.timer = threading.Thread(target=self._tick, name="syndicate-progress", daemon=True)
            self.timer.start()

    def __call__(self, s: ScanSummary) -> None:
        self.summary = s
        if self.tty:
            click.echo("\r" + self.text(s) + "\033[K", err=True, nl=False)
        elif self.interval == 0:
            self._log()

    def _tick(self) -> None:
        while not self.stop.wait(self.interval):
            self._log()

    def _log(self) -> None:
        if self.summary is not None:
            stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            click.echo(f"{stamp} scan: " + self.text(self.summary), err=True)

    def text(self, s: ScanSummary) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        done = s.pages_done
        parts = [f"{s.pages_read} pages read", f"{done} done ({s.pages_new + s.pages_changed} extracted, "
                 f"{s.pages_unchanged} unchanged, {s.pages_failed} failed)", f"{s.new_matches} new matches",
                 f"{done / elapsed:.1f} pages/s"]
        if s.matching:
            parts.append("matching...")
        elif s.bytes_total and s.bytes_done and done:
            expected = s.pages_read * s.bytes_total / s.bytes_done  # pages the whole input holds, by its bytes read
            parts.append(f"ETA {_duration(max(expected - done, 0) * elapsed / done)}")
        return ", ".join(parts)

    def done(self) -> None:
        self.stop.set()
        if self.timer is not None:
            self.timer.join()
        if self.tty:
            click.echo("\r\033[K", err=True, nl=False)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s"


def _requested_settings(db: str, overrides: dict[str, Any]) -> Settings | None:
    """Settings with the user's overrides applied to the stored (or default) ones."""
    from .settings import Settings
    from .store.database import Store

    if not overrides:
        return None
    base = Settings()
    if os.path.exists(db):
        with Store.open(db) as store:
            base = store.settings
    return base.replace(**overrides)


def _print_errors(summary: ScanSummary) -> None:
    shown = summary.errors[:20]
    for e in shown:
        where = f"{e.source} {e.record}".strip()
        click.echo(printable(f"skipped {where}: {e.reason}"), err=True)
    if len(summary.errors) > len(shown):
        click.echo(f"... and {len(summary.errors) - len(shown)} more (SELECT * FROM errors WHERE run_id = {summary.run_id})", err=True)


@cli.command("sql")
@click.argument("query")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--max-width", type=click.IntRange(min=0), default=None, metavar="N",
              help="Cut table cells at N characters (0: never) [default: 80 on a terminal, never when piped].")
@click.option("--write", is_flag=True,
              help="Open the database for writing (takes the write lock), with files, ATTACH and extensions "
                   "allowed; read-only and sandboxed to the database otherwise.")
def sql_command(query: str, db: str, fmt: str, max_width: int | None, write: bool) -> None:
    """Run a SQL query against the database and print the result.

    The database is opened read-only unless --write is given, so a mistyped
    query cannot change a month of history, and sandboxed: the query sees the
    database and nothing else (no file, URL, other database, extension or
    setting change). A table shows NULL as NULL; CSV leaves it empty; JSON is
    one array of objects with null. Exit status 2 when DuckDB refuses the
    query, with its whole message.
    """
    import duckdb

    from .match.bandindex import BandIndex
    from .store.snapshot import writing
    from .store.database import Store
    from .errors import QueryError

    if not query.strip():
        raise click.UsageError("the query is empty; e.g. syndicate sql \"SELECT count(*) FROM documents\"")
    if write and not os.path.exists(db):
        raise SyndicateError(f"no database at {db}; run 'syndicate scan PATH --db {db}' first")
    with contextlib.ExitStack() as stack:
        if write:
            stack.enter_context(writing(db, "sql --write"))  # and the snapshot for readers afterwards
            store = stack.enter_context(Store.open(db))
        else:  # sandboxed: the query reaches this database (or its snapshot while a scan writes) and nothing else
            store = stack.enter_context(latest(db))
        try:
            result = store.con.execute(query)
            columns = None if result.description is None else [d[0] for d in result.description]
            rows = [] if columns is None else result.fetchall()
        except duckdb.Error as exc:
            message = str(exc).strip()
            if not write and "read-only" in message:
                raise QueryError(f"the database is opened read-only; add --write to change it\n{message}") from None
            if not write and (isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in message):
                raise QueryError(
                    "sql without --write reads this database and nothing else: no file, URL, other database, "
                    f"extension or setting change\n{message}") from None
            raise QueryError(f"SQL error: {message}") from None
        if write and re.search(r"\bbands\b", query, re.IGNORECASE):
            BandIndex.discard(db)  # the table may have changed under it: the next scan rebuilds it
        if columns is None:
            return
    echo_rows(format_rows(columns, rows, fmt, max_width=table_width(max_width)), fmt)


def _query_options(command: Any) -> Any:
    """--kinds, --min-similarity and --config: which stored matches copies, top, report and export show."""
    command = click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
        help="Take the [query] defaults of this file [default: $SYNDICATE_CONFIG, else ./syndicate.toml if present].",
    )(command)
    command = click.option(
        "--min-similarity", type=float, default=None, metavar="X",
        help="Least similarity a match must have, 0 to 1 [default: the config's, else 0].")(command)
    return click.option(
        "--kinds", default=None, metavar="KINDS",
        help="Kinds of match to show, comma-separated (duplicate,partial,rewrite,alias,related,template) or all "
             "[default: the config's, else duplicate,partial,rewrite,alias].")(command)


@cli.command("copies")
@click.argument("url")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_query_options
def copies_command(url: str, db: str, fmt: str, kinds: str | None, min_similarity: float | None,
                   config_path: str | None) -> None:
    """List the pages paired with the page at URL (its cluster, and its direct matches), with their scores."""
    from .views.query import copies, origin_of, query_filters
    from .store.database import Store

    filters = query_filters(config_path, kinds, min_similarity)
    with latest(db) as store:
        found = copies(store, url, filters.kinds, filters.min_similarity)
        report = origin_of(store, url)
    if report.cluster_id is not None and not report.crawled:
        click.echo(printable(f"origin: {report.origin_url or report.publisher} (not crawled; {report.evidence})"), err=True)
    if not found and fmt == "table":
        limit = f"; similarity at least {filters.min_similarity:g}" if filters.min_similarity > 0 else ""
        click.echo(printable(f"no other page carries the article of {url} (kinds {','.join(filters.kinds)}{limit})"),
                   err=True)
        return
    columns = ["url", "domain", "published_at", "similarity", "containment", "trigram_containment", "kind", "is_origin"]
    rows = [
        (c.url, c.domain, c.published_at, c.similarity, c.containment, c.trigram_containment,
         c.kind if c.kind or fmt != "table" else "(cluster)", c.is_origin)
        for c in found
    ]
    echo_rows(format_rows(columns, rows, fmt, digits=3), fmt)


@cli.command("origin")
@click.argument("url")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def origin_command(url: str, db: str, fmt: str) -> None:
    """Print where the article on the page at URL came from, with the evidence."""
    from .views.query import origin_of
    from .store.database import Store

    with latest(db) as store:
        report = origin_of(store, url)
    if fmt == "json":
        click.echo(json.dumps(json_value({**report.__dict__, "crawled": report.crawled}), ensure_ascii=False, indent=2))
        return
    if report.cluster_id is None:
        click.echo(printable(f"{report.url}: its article is found on no other page and credits no outside source"))
        return
    where = report.origin_url or "(no URL)"
    who = ", ".join(x for x in (report.origin_domain, report.publisher) if x)
    state = "this page" if report.page_is_origin else ("crawled" if report.crawled else "not crawled")
    click.echo(printable(f"origin:     {where}" + (f" ({who})" if who else "") + f" [{state}]"))
    click.echo(f"confidence: {report.confidence:.2f} ({report.method})")
    click.echo(printable(f"evidence:   {report.evidence}"))
    click.echo(f"pages:      {report.pages} stored page{'s carry' if report.pages != 1 else ' carries'} this article")


@cli.command("top")
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_query_options
def top_command(db: str, limit: int, fmt: str, kinds: str | None, min_similarity: float | None,
                config_path: str | None) -> None:
    """Domains most often the origin of copied articles, and domains that repost most.

    Only copies whose match with the origin page passes --kinds and
    --min-similarity count; a copy linked to the origin only through other
    pages of its cluster counts when a chain of passing matches joins them.
    """
    from .views.query import query_filters, top
    from .store.database import Store

    filters = query_filters(config_path, kinds, min_similarity)
    with latest(db) as store:
        origins, reposters = top(store, limit, filters.kinds, filters.min_similarity)
    origin_columns, reposter_columns = ["origin", "articles", "copies"], ["reposter", "copies", "sources", "share_linking_back"]
    if fmt == "json":  # one document
        click.echo(json.dumps({"origins": [dict(zip(origin_columns, map(json_value, r))) for r in origins],
                               "reposters": [dict(zip(reposter_columns, map(json_value, r))) for r in reposters]},
                              ensure_ascii=False, indent=2))
    elif fmt == "csv":  # one table: a row per domain and list, the columns of both lists
        columns = ["list", "domain", "articles", "copies", "sources", "share_linking_back"]
        rows = [("origins", d, articles, copies, None, None) for d, articles, copies in origins]
        rows += [("reposters", d, None, copies, sources, share) for d, copies, sources, share in reposters]
        echo_rows(format_rows(columns, rows, fmt), fmt)
    else:
        click.echo("Most copied origins")
        echo_rows(format_rows(origin_columns, origins, fmt, max_width=table_width(None), digits=3), fmt)
        click.echo("\nMost active reposters")
        echo_rows(format_rows(reposter_columns, reposters, fmt, max_width=table_width(None), digits=3), fmt)


@cli.command("runs")
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def runs_command(db: str, limit: int, fmt: str) -> None:
    """The last scans: when, how long, what they read and found, and how they ended."""
    from .store.database import Store

    columns = ["run_id", "started_at", "finished_at", "status", "seconds", "pages_read", "pages_new", "pages_changed",
               "pages_unchanged", "pages_failed", "files_skipped", "new_matches", "clusters", "paths"]
    with latest(db) as store:
        rows = store.con.execute(
            f"SELECT {', '.join(columns)} FROM runs ORDER BY run_id DESC LIMIT ?", [limit]).fetchall()
    if fmt != "table":  # the paths a run scanned, as a list
        rows = [(*row[:-1], row[-1].split("\n") if row[-1] else []) for row in rows]
    else:
        rows = [(*row[:-1], ", ".join((row[-1] or "").split("\n"))) for row in rows]
    echo_rows(format_rows(columns, rows, fmt, max_width=table_width(None), digits=1), fmt)


@cli.command("diff")
@click.argument("url_a")
@click.argument("url_b")
@db_option
@click.option("--html", "html_out", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Also write the two articles side by side, shared passages marked, as an HTML file.")
def diff_command(url_a: str, url_b: str, db: str, html_out: str | None) -> None:
    """Show two stored articles with the passages they share marked, and their similarity and containment."""
    from .views.diff import diff_articles, render_html, render_terminal
    from .store.database import Store

    from .store.lookup import find_document

    with latest(db) as store:
        pages = []
        for url in (url_a, url_b):  # in any spelling copies and origin accept
            doc_id = find_document(store, url)
            pages.append(store.con.execute("SELECT url, title, text FROM documents WHERE doc_id = ?", [doc_id]).fetchall()[0])
        k = store.settings.shingle_size
    result = diff_articles(pages[0][2] or "", pages[1][2] or "", k)
    click.echo(f"similarity {result.similarity:.3f}, containment {result.containment:.3f}")
    for label, (url, title, _), side in (("A", pages[0], result.a), ("B", pages[1], result.b)):
        click.echo()
        click.echo(printable(f"== {label}: {url} ({title or 'no title'}): {side.shared_share:.0%} in shared passages"))
        click.echo(render_terminal(side, lambda s: click.style(s, fg="green", bold=True)))
    if html_out:
        write_file(html_out, render_html(result, pages[0][0], pages[1][0]))
        click.echo(f"\nwrote {html_out}", err=True)


@cli.command("report")
@db_option
@click.option("--since", default=None, metavar="AGE", help="Only pages first seen this recently: 7d, 12w, 36h [default: all].")
@click.option("--out", required=True, type=click.Path(dir_okay=False), metavar="FILE", help="The HTML file to write.")
@_query_options
def report_command(db: str, since: str | None, out: str, kinds: str | None, min_similarity: float | None,
                   config_path: str | None) -> None:
    """Write one offline HTML file: totals per run, top domains, repost lag, who copies whom, largest clusters.

    The copies counted are those that pass --kinds and --min-similarity, as in top.
    """
    from .views.query import query_filters
    from .views.report import report
    from .store.retention import parse_age
    from .store.database import Store

    filters = query_filters(config_path, kinds, min_similarity)
    with latest(db) as store:
        page = report(store, parse_age(since) if since else None, filters.kinds, filters.min_similarity)
    write_file(out, page)
    click.echo(f"wrote {out} ({len(page) // 1024} KiB)")


@cli.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl"]), default="parquet", show_default=True)
@click.option("--out", required=True, type=click.Path(file_okay=False), metavar="DIR", help="Folder to write into.")
@click.option("--no-text", is_flag=True, help="Leave the article texts out (documents and corpus).")
@_query_options
def export_command(db: str, fmt: str, out: str, no_text: bool, kinds: str | None, min_similarity: float | None,
                   config_path: str | None) -> None:
    """Write documents, matches, clusters, origins, syndication and a deduplicated corpus as files.

    --kinds and --min-similarity filter matches, syndication and the corpus
    (pages count as one article only when passing matches join them).
    """
    from .views.export import export
    from .views.query import query_filters
    from .store.database import Store

    filters = query_filters(config_path, kinds, min_similarity)
    with latest(db, sandbox=False) as store:  # export writes files
        for path, rows in export(store, out, fmt, with_text=not no_text, kinds=filters.kinds,
                                 min_similarity=filters.min_similarity):
            click.echo(f"{path}  {rows} rows")


@cli.command("check")
@db_option
@click.option("--fix", is_flag=True, help="Repair what can be repaired without a rescan, then check again.")
def check_command(db: str, fix: bool) -> None:
    """Read every stored value, and verify that the tables agree (matches, clusters, origins, signatures, bands).

    Exit status: 0 ok; 1 the tables disagree (each problem printed); 2 the
    file is damaged (a block fails DuckDB's checksum, the file ends too soon).
    With --fix, rows that refer to pages no longer stored are deleted and
    every cluster and origin is rebuilt from the matches (takes the write lock).
    """
    from .store.check import check, repair
    from .store.database import Store

    if fix:
        if not os.path.exists(db):
            raise SyndicateError(f"no database at {db}; run 'syndicate scan PATH --db {db}' first")
        for line in repair(db):
            click.echo(f"fixed: {line}")
    with Store.open(db, read_only=True, sandbox=True) as store:  # the live file: check reads its storage
        problems = check(store)
        counts = store.con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM matches), "
            "(SELECT count(DISTINCT cluster_id) FROM clusters)").fetchall()[0]
    for problem in problems:
        click.echo(printable(problem.line()))
    if problems:
        hint = "; 'syndicate check --fix' repairs what it can" if not fix else "; forget those pages and scan them again"
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {db}{hint}", err=True)
        click.get_current_context().exit(1)
    click.echo(f"ok: {counts[0]} documents, {counts[1]} matches, {counts[2]} clusters consistent")


@cli.command("recluster")
@db_option
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Take the [verdict] settings of this file [default: ./syndicate.toml if present].")
@click.option("--threshold", type=click.FloatRange(0, 1, min_open=True), default=None, help="Jaccard similarity of a duplicate.")
@click.option("--containment", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Share of the shorter article found in the longer one for a partial copy.")
@click.option("--rewrite-containment", type=click.FloatRange(0, 1), default=None,
              help="Share of the shorter story's word trigrams found in the other for a rewrite.")
@click.option("--rewrite-coverage", type=click.FloatRange(0, 1), default=None,
              help="Share of the longer story's word trigrams found in the other for a rewrite.")
@click.option("--kinds", "cluster_kinds", default=None, metavar="KINDS",
              help="Kinds of match that join clusters, comma-separated (duplicate,partial,rewrite,alias,related,template).")
def recluster_command(db: str, config_path: str | None, threshold: float | None, containment: float | None,
                      rewrite_containment: float | None, rewrite_coverage: float | None, cluster_kinds: str | None) -> None:
    """Judge the stored pairs again with new verdict settings, and rebuild clusters and origins (no rescan).

    Every verified pair is stored with its scores, so a new threshold or other
    cluster kinds take effect without extracting anything again. Settings not
    given keep their stored values; options win over the config file.
    """
    from .settings import load_config
    from .store.rejudge import rejudge

    if not os.path.exists(db):
        raise SyndicateError(f"no database at {db}; run 'syndicate scan PATH --db {db}' first")
    changes = dict(load_config(config_path).verdict)
    changes.update({k: v for k, v in dict(threshold=threshold, containment=containment,
                                          rewrite_containment=rewrite_containment, rewrite_coverage=rewrite_coverage,
                                          cluster_kinds=cluster_kinds).items() if v is not None})
    click.echo(rejudge(db, changes).line())


@cli.command("prune")
@db_option
@click.option("--older-than", "older_than", required=True, metavar="AGE",
              help="Remove pages not seen for this long: 90d, 12w, 36h.")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
@click.option("--all", "allow_all", is_flag=True, help="Allow removing every stored page (refused otherwise).")
def prune_command(db: str, older_than: str, dry_run: bool, allow_all: bool) -> None:
    """Remove pages last seen longer ago than AGE, with their bands, matches and cluster memberships."""
    from .store.retention import parse_age, prune

    if not os.path.exists(db):
        raise SyndicateError(f"no database at {db}")
    click.echo(prune(db, parse_age(older_than), dry_run=dry_run, allow_all=allow_all).line())


@cli.command("forget")
@click.argument("urls", nargs=-1)
@db_option
@click.option("--domain", "domains", multiple=True, metavar="DOMAIN", help="Remove every page of DOMAIN; repeatable.")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
def forget_command(urls: tuple[str, ...], db: str, domains: tuple[str, ...], dry_run: bool) -> None:
    """Remove the pages at URLS, or every page of a --domain, and everything derived from them.

    Their matches go, and their clusters and origins are recomputed, as for
    prune; use this (not DELETE through sql --write) to take pages out. A URL
    may differ from the stored one in scheme, www. and a trailing slash; one
    that is not stored exits 1 and nothing is removed.
    """
    from .store.retention import forget

    if not urls and not domains:
        raise click.UsageError("name the URLs to forget, or --domain DOMAIN")
    if not os.path.exists(db):
        raise SyndicateError(f"no database at {db}")
    click.echo(forget(db, urls, domains, dry_run=dry_run).line())


@contextlib.contextmanager
def latest(db: str, sandbox: bool = True) -> Iterator[Store]:
    """The latest committed state of the database, read-only: its snapshot while a scan writes it (said on stderr)."""
    from .store.snapshot import open_latest

    store, reading = open_latest(db, sandbox=sandbox)
    if reading.busy:
        click.echo(printable(f"note: {reading.describe()}: {reading.busy}"), err=True)
    with store:
        yield store


def write_file(path: str, text: str) -> None:
    """Write an output file, making its folder; a path that cannot be written is a one-line error."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SyndicateError(f"cannot write {path}: {exc.strerror or exc}") from None


def table_width(max_width: int | None) -> int:
    """How wide a table cell may be: as asked, else 80 on a terminal and whole when piped (0: whole)."""
    if max_width is not None:
        return max_width
    return 80 if sys.stdout.isatty() else 0


def echo_rows(text: str, fmt: str) -> None:
    """Print what :func:`format_rows` made.

    CSV and JSON go out exactly as written, the same on a terminal and into a
    pipe (click would otherwise drop ANSI sequences from the values when piped
    and keep them on a terminal); a table's cells are already made printable.
    """
    click.echo(text, nl=False, color=True if fmt in ("csv", "json") else None)


def main() -> None:
    """Console entry point."""
    cli(prog_name="syndicate")
