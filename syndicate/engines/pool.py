"""The local engine's worker processes, with a time limit that holds for every page, parsing included.

``--page-timeout`` is enforced twice. Inside a worker, a ``SIGALRM``
(:func:`syndicate.extract.worker.time_limit`) stops Python code at the limit;
it cannot stop one long C call (an lxml or lexbor parse of a hostile page),
which returns when it is done, minutes later. And here, from the main
process: a page still running GRACE seconds past the limit has its worker
killed and replaced, and is recorded as a ``timeout`` error.

``multiprocessing.Pool`` cannot stop one task, so this module runs its own
processes. A thread of the main process hands each idle worker a chunk of
pages over the worker's own pipe and reads the results back page by page, so
it knows which page each worker is on and since when. When a worker is
killed, or dies (a crash in a C library, the out-of-memory killer), the page
it was on is recorded and the rest of its chunk goes back to the front of
the queue. No lock or queue is shared between workers, so killing one cannot
leave the others waiting on a lock it held. Results are returned in the
order the pages were submitted.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING

from ..read.page import Page, ReadError

if TYPE_CHECKING:
    from ..extract.worker import Failure, Processed

GRACE = 2.0
"""Seconds past ``--page-timeout`` before a page's worker is killed (the worker's own limit stops Python code on time)."""
MAX_CHUNK = 4
"""Pages handed to a worker at a time: fewer round trips to this process; re-run elsewhere when the worker is killed."""
_PRELOAD = {False: ["syndicate.extract.worker", "trafilatura", "trafilatura.utils"],
            True: ["syndicate.extract.worker", "syndicate.extract.fast", "htmldate"]}
"""Imported once by the fork server, by extraction mode (fast: no trafilatura, no htmldate: the few pages
that need htmldate import it in their worker), so that a new worker (a replacement included) starts at once."""
_READY = "ready"  # syndicate.extract.worker.READY, not imported here: this module is imported before the extractors


def start_fork_server(fast: bool) -> None:
    """Start the process that imports the extractors and forks the workers, without waiting for it.

    Called first thing by ``scan``: the fork server imports the extractors
    while this process imports DuckDB and numpy and opens the database.
    """
    _context().set_forkserver_preload(_PRELOAD[fast])
    forkserver.ensure_running()


def _context() -> context.ForkServerContext:
    return multiprocessing.get_context("forkserver")  # type: ignore[return-value]


class _Popen(popen_forkserver.Popen):
    """``popen_forkserver.Popen`` whose child does not import the caller's ``__main__``.

    multiprocessing re-runs the main script in each child so that functions
    defined there can be unpickled; a worker runs only
    ``syndicate.extract.worker.serve``, and re-running a script that calls
    ``scan()`` without an ``if __name__ == "__main__":`` guard would start a
    scan in every worker. It also spares each worker importing the CLI.
    The body is CPython's ``_launch`` (identical in 3.11 to 3.13) less the two keys.
    """

    def _launch(self, process_obj: multiprocessing.process.BaseProcess) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)  # type: ignore[attr-defined]
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        parent_w = os.dup(w)  # the child's sentinel of this process, as in CPython
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _WorkerProcess(context.ForkServerProcess):
    _start_method = "forkserver"

    @staticmethod
    def _Popen(process_obj: multiprocessing.process.BaseProcess) -> _Popen:
        return _Popen(process_obj)


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker process, as the cause of the one raised here."""

    def __str__(self) -> str:
        return self.args[0]


class Submission:
    """The results of a list of pages, in its order, once all are back (the interface of ``AsyncResult``)."""

    def __init__(self, size: int) -> None:
        self.results: list[Processed | ReadError | None] = [None] * size
        self.left = size
        self.error: BaseException | None = None
        self.done = threading.Event()
        if not size:
            self.done.set()

    def ready(self) -> bool:
        return self.done.is_set()

    def get(self) -> list[Processed | ReadError]:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.results  # type: ignore[return-value]

    def _put(self, index: int, result: Processed | ReadError | Failure) -> None:
        from ..extract.worker import Failure  # imported by now: this process started the workers

        if isinstance(result, Failure):
            self._fail(result.error, result.traceback)
            return
        self.results[index] = result
        self.left -= 1
        if not self.left:
            self.done.set()

    def _fail(self, error: BaseException, remote: str | None = None) -> None:
        if self.error is None:
            if remote:
                error.__cause__ = RemoteTraceback(f'\n"""\n{remote}"""')
            self.error = error
        self.done.set()


Task = tuple[Submission, int, Page]


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False  # sent READY: takes pages
    chunk: deque[Task] = field(default_factory=deque)  # handed out, not back yet; the first is running
    since: float = 0.0  # when the first page of ``chunk`` started


class WorkerPool:
    """``workers`` processes running ``process_page(page, fast, timeout)``; a page over ``timeout`` + GRACE is killed."""

    def __init__(self, workers: int, fast: bool, timeout: float | None, grace: float = GRACE) -> None:
        start_fork_server(fast)  # no-op when scan started it already
        self.fast, self.timeout = fast, timeout
        self.limit = timeout + grace if timeout else None
        self.pending: deque[Task] = deque()
        self.lock = threading.Lock()
        self.closing = self.stopping = False
        self.failure: BaseException | None = None  # what stopped the thread, raised to later submissions
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_write, False)
        self.size = workers
        self.workers: list[_Worker] = []  # started by the thread: this one goes on to open the database meanwhile
        self.thread = threading.Thread(target=self._run, name="syndicate-workers", daemon=True)
        self.thread.start()

    # --- the main thread's side -------------------------------------------------------------------

    def submit(self, pages: list[Page]) -> Submission:
        """Queue pages; their results come back, in this order, from the Submission's ``get``."""
        submission = Submission(len(pages))
        with self.lock:
            if self.failure is not None:
                raise self.failure
            if self.closing:
                raise ValueError("the worker pool is closed")
            self.pending.extend((submission, i, page) for i, page in enumerate(pages))
        self._wake()
        return submission

    def close(self) -> None:
        """No more pages: the workers stop once the queued ones are done."""
        with self.lock:
            self.closing = True
        self._wake()

    def terminate(self) -> None:
        """Stop now: the workers are killed, pages not done are dropped."""
        with self.lock:
            self.closing = self.stopping = True
        self._wake()

    def join(self) -> None:
        self.thread.join()
        for fd in (self.wake_read, self.wake_write):
            os.close(fd)

    def _wake(self) -> None:
        try:
            os.write(self.wake_write, b"x")
        except OSError:  # the pipe is full (the thread is woken already), or closed (joined)
            pass

    # --- the thread's side ------------------------------------------------------------------------

    def _start(self) -> _Worker:
        from ..extract.worker import serve

        ours, theirs = _context().Pipe()
        process = _WorkerProcess(target=serve, args=(theirs, self.fast, self.timeout), daemon=True,
                                 name="syndicate-worker")
        process.start()
        theirs.close()  # the worker's end lives in the worker only: its death is an end of file here
        return _Worker(process, ours)

    def _run(self) -> None:
        try:
            for _ in range(self.size):
                self.workers.append(self._start())
            while self._step():
                pass
        except BaseException as exc:  # noqa: BLE001 - a bug here must reach the scan, not hang it
            with self.lock:
                self.failure = exc
                self.closing = self.stopping = True
            for submission in {task[0] for w in self.workers for task in w.chunk} | {t[0] for t in self.pending}:
                submission._fail(exc)
        finally:
            if self.stopping:
                self._kill_all()
            else:
                self._stop_all()

    def _step(self) -> bool:
        """Hand out pages, wait for results, deaths or the next deadline; False once there is nothing left to do."""
        with self.lock:
            if self.stopping:
                return False
            if self.closing and not self.pending and not any(w.chunk for w in self.workers):
                return False
            handouts = []
            for w in self.workers:
                if w.ready and not w.chunk and self.pending:
                    size = max(1, min(MAX_CHUNK, len(self.pending) // (2 * len(self.workers))))
                    w.chunk.extend(self.pending.popleft() for _ in range(min(size, len(self.pending))))
                    handouts.append(w)
        for w in handouts:
            w.since = time.monotonic()
            try:
                w.conn.send([page for _, _, page in w.chunk])
            except (OSError, ValueError):  # it died while idle: found below by its sentinel
                pass
        timeout = None
        if self.limit is not None:
            deadlines = [w.since + self.limit for w in self.workers if w.chunk]
            if deadlines:
                timeout = max(0.0, min(deadlines) - time.monotonic())
        waiting = [self.wake_read] + [w.conn for w in self.workers] + [w.process.sentinel for w in self.workers]
        found = set(wait(waiting, timeout))
        if self.wake_read in found:
            os.read(self.wake_read, 4096)
        for w in list(self.workers):
            if w.conn in found and self._receive(w):
                continue
            if w.process.sentinel in found:
                self._receive(w)  # what it sent before it died
                w.process.join()
                self._replace(w, f"extraction crashed the worker process ({_how(w.process.exitcode)}); page abandoned")
        if self.limit is not None:
            now = time.monotonic()
            for w in list(self.workers):
                if w.chunk and now - w.since > self.limit:
                    self._replace(w, f"extraction took longer than {self.timeout:g} s (--page-timeout); page abandoned",
                                  "timeout")
        return True

    def _receive(self, w: _Worker) -> bool:
        """Read what the worker sent; False when it has closed its end (it died)."""
        try:
            while w.conn.poll():
                message = w.conn.recv()
                if isinstance(message, str) and message == _READY:
                    w.ready = True
                    continue
                submission, index, _ = w.chunk.popleft()
                w.since = time.monotonic()  # the next page of the chunk starts now
                submission._put(index, message)
        except (EOFError, OSError):
            return False
        return True

    def _replace(self, w: _Worker, reason: str, kind: str = "extract") -> None:
        """Stop ``w`` (if alive), record its running page as failed, queue the rest of its chunk again, start another."""
        if w.process.is_alive():
            w.process.kill()
        w.process.join()
        w.conn.close()
        if w.chunk:
            submission, index, page = w.chunk.popleft()
            submission._put(index, ReadError(page.source, page.record, reason, kind=kind))
            with self.lock:
                self.pending.extendleft(reversed(w.chunk))
        elif not w.ready:
            raise RuntimeError(f"a worker process exited before it was ready ({_how(w.process.exitcode)}); "
                               "see its traceback above")
        self.workers[self.workers.index(w)] = self._start()

    def _stop_all(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in self.workers:
            w.process.join(5)
        self._kill_all()

    def _kill_all(self) -> None:
        for w in self.workers:
            if w.process.is_alive():
                w.process.kill()
            w.process.join()
            w.conn.close()


def _how(exitcode: int | None) -> str:
    """How a process ended: "killed by SIGSEGV", "exit status 1"."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"
