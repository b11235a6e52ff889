"""The worker stage: extract one page and turn its article into a token stream.

Runs in worker processes, so it imports no later stage (no DuckDB); the
main process fingerprints what the workers return.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from .article import Article, ExtractionError, extract
from .fast import extract as fast_extract
from ..read.page import Page, ReadError

if TYPE_CHECKING:
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
    parse) is interrupted when it returns.
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


def ready() -> None:
    """Load trafilatura in a new worker process, before its first page arrives.

    A pool initializer: the workers import it while the main process opens
    the database, instead of after the first pages are handed out.
    """
    import trafilatura  # noqa: F401
    import trafilatura.utils  # noqa: F401


def process_page(page: Page, fast: bool = False, timeout: float | None = DEFAULT_PAGE_TIMEOUT) -> Processed | ReadError:
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
