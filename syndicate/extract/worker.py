"""The worker stage: extract one page and turn its article into a token stream.

Runs in worker processes, so it imports no later stage (no DuckDB); the
main process fingerprints what the workers return.
"""

from __future__ import annotations

import signal
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from .article import Article, ExtractionError, extract
from .fast import extract as fast_extract
from ..read.page import Page, ReadError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from ..fingerprint.minhash import Fingerprint

DEFAULT_PAGE_TIMEOUT = 30.0
"""Seconds one page may take to extract (real news pages take 20-100 ms)."""


@dataclass(frozen=True)
class Processed:
    """A page after the worker stage: its article, and its token stream when it has an article.

    ``fingerprint`` is set where the fingerprint was computed beside the
    extraction (Spark executors); the local engine computes it in the main process.
    """

    article: Article
    stream: bytes | None
    fingerprint: Fingerprint | None = None


class PageTimeout(BaseException):
    """Raised inside a page's extraction when its time is up.

    A BaseException, so the broad ``except Exception`` blocks inside
    trafilatura do not swallow it.
    """


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block with PageTimeout after ``seconds`` (SIGALRM; main thread only, else no limit).

    Python code is interrupted where it stands; a single C call (an lxml
    parse) is interrupted when it returns. The local engine's pool
    (:mod:`syndicate.engines.pool`) kills a worker whose page overruns this
    limit by more than a grace, which stops that C call too.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise PageTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def ready(fast: bool = False) -> None:
    """Load the extractor of the mode in a new worker process, before its first page arrives.

    The workers import it while the main process opens the database, instead
    of after the first pages are handed out. The fast mode needs no trafilatura
    (0.2-0.3 s to import): htmldate, for the pages whose head gives no date, is enough.
    """
    if fast:
        import htmldate  # noqa: F401

        from . import fast as _fast  # noqa: F401
        return
    import trafilatura  # noqa: F401
    import trafilatura.utils  # noqa: F401


def process_page(page: Page, fast: bool = True, timeout: float | None = DEFAULT_PAGE_TIMEOUT) -> Processed | ReadError:
    """Extract one page and tokenise its article (runs in a worker process).

    ``fast``: Resiliparse (:mod:`syndicate.extract.fast`); else trafilatura
    (:mod:`syndicate.extract.article`, precise).

    A page that fails, or takes longer than ``timeout`` seconds, comes back as
    a ReadError with a one-line reason; the worker goes on with the next page.
    """
    try:
        with time_limit(timeout):
            article = fast_extract(page) if fast else extract(page)
            return Processed(article, article.stream if article.has_article else None)
    except ExtractionError as exc:
        return ReadError(page.source, page.record, str(exc), kind="extract")
    except PageTimeout:
        return ReadError(page.source, page.record,
                         f"extraction took longer than {timeout:g} s (--page-timeout); page abandoned", kind="timeout")


READY = "ready"
"""What a worker process sends once it can take pages."""


@dataclass(frozen=True)
class Failure:
    """An exception raised while processing a page (a bug, not a bad page), carried back to the main process."""

    error: BaseException
    traceback: str


def serve(conn: Connection, fast: bool = True, timeout: float | None = DEFAULT_PAGE_TIMEOUT) -> None:
    """The loop of a worker process of the local engine (:mod:`syndicate.engines.pool`).

    Receives lists of pages on ``conn`` and sends back each page's result
    (``process_page``; a Failure for an exception) as soon as it is done, so
    that the main process knows which page is running and since when. Stops
    at ``None`` or when the main process closes its end. Ctrl-C is left to
    the main process, which stops the workers.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ready(fast)
    conn.send(READY)
    while True:
        try:
            pages = conn.recv()
        except EOFError:
            return
        if pages is None:
            return
        for page in pages:
            try:
                result: Processed | ReadError | Failure = process_page(page, fast, timeout)
            except Exception as exc:  # noqa: BLE001 - handed to the main process, which raises it
                result = Failure(exc, traceback.format_exc())
            conn.send(result)
