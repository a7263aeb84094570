"""Worker processes with a time limit and a memory limit for each document.

A counterparty's draft is untrusted input: a FlateDecode bomb or a zip bomb can make a parser take
gigabytes or hang. Every document is therefore handled in a worker process that has an address-space
limit (``RLIMIT_AS``) and a deadline; a worker that overruns either is killed and replaced, and only
that document gets an error. ``review``, ``batch`` and ``serve`` all run their documents here.

Workers are started by a fork server that has already imported the review pipeline, so a new worker
starts warm in a few milliseconds and never inherits the threads of a web server.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from reviewer.cli import DEFAULT_MEMORY_MB, DEFAULT_SECONDS  # the defaults of --time-limit and --memory-limit
from reviewer.errors import describe, one_line

# A worker is replaced after this many documents: some parsers keep memory after a document closes.
TASKS_PER_WORKER = 100
# Modules the fork server imports once, so that each worker starts with them loaded.
PRELOAD = ["reviewer.worker_preload"]
# Signals a native library dies with when malloc fails under the address-space limit (pdfium aborts, for one).
_NATIVE_CRASHES = frozenset(s for s in (getattr(signal, n, None) for n in ("SIGABRT", "SIGSEGV", "SIGBUS")) if s)


@dataclass(frozen=True)
class Limits:
    """What one document may use."""

    seconds: float = DEFAULT_SECONDS  # wall-clock time; 0 or less: no limit
    memory_mb: int = DEFAULT_MEMORY_MB  # address space of the worker; 0 or less: no limit


def cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than the machine has): the
    default number of workers."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class WorkerLost(Exception):
    """A worker was killed or died while handling a task. ``str()`` is a one-line reason."""


class PoolClosed(RuntimeError):
    """A task was submitted to a pool that is closed (or closing)."""


class PoolFailed(WorkerLost):
    """The pool itself failed (its manager thread hit an error): no later task will run either."""


@dataclass
class _Task:
    id: int
    fn: Callable[[Any], Any]
    arg: Any
    future: Future


class _Worker:
    def __init__(self, ctx, limits: Limits):
        self.conn, child = ctx.Pipe()
        try:
            self.process = ctx.Process(target=_worker_main, args=(child, limits.memory_mb), daemon=True)
            self.process.start()
        except BaseException:
            self.conn.close()
            raise
        finally:
            child.close()
        self.task: _Task | None = None
        self.deadline = float("inf")
        self.done = 0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class Pool:
    """A fixed number of worker processes; ``submit(fn, arg)`` returns a ``concurrent.futures.Future``.

    ``fn`` must be a module-level function (it is pickled by name). A task whose worker overruns the
    time limit, exceeds the memory limit so badly that the process dies, or crashes gets a
    ``WorkerLost`` exception in its future; other tasks are unaffected. Thread-safe.
    """

    def __init__(self, size: int | None = None, limits: Limits = Limits(), preload: list[str] | None = None):
        self.size = max(1, size or cores())
        self.limits = limits
        methods = multiprocessing.get_all_start_methods()
        self._ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(PRELOAD if preload is None else preload)
        self._queue: deque[_Task] = deque()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._closed = False
        self._cancel = False  # stop at once: running tasks get WorkerLost
        self._ids = itertools.count()
        self._thread = threading.Thread(target=self._manage, name="reviewer-pool", daemon=True)
        self._thread.start()

    # -- public -----------------------------------------------------------------------------------------
    def submit(self, fn: Callable[[Any], Any], arg: Any) -> Future:
        future: Future = Future()
        with self._lock:
            if self._closed:
                raise PoolClosed("the pool is closed")
            self._queue.append(_Task(next(self._ids), fn, arg, future))
        self._wake()
        return future

    def close(self, cancel: bool = False) -> None:
        """Stop the workers: after the queued tasks finish, or at once (``cancel=True``)."""
        with self._lock:
            self._closed = True
            self._cancel = self._cancel or cancel
            if cancel:
                while self._queue:
                    self._queue.popleft().future.cancel()
        self._wake()
        self._thread.join()
        if self._wake_r >= 0:
            os.close(self._wake_r)
            os.close(self._wake_w)
            self._wake_r = self._wake_w = -1

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(cancel=exc_type is not None)

    # -- the manager thread ---------------------------------------------------------------------------
    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass

    def _manage(self) -> None:
        failure, lost = "the review was stopped", WorkerLost
        try:
            while True:
                self._dispatch()
                with self._lock:
                    busy = [w for w in self._workers if w.task is not None]
                    if self._cancel or (self._closed and not self._queue and not busy):
                        break
                deadline = min((w.deadline for w in busy), default=float("inf"))
                timeout = None if deadline == float("inf") else max(0.0, deadline - time.monotonic())
                ready = wait([self._wake_r] + [w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
                if self._wake_r in ready:
                    os.read(self._wake_r, 4096)
                for worker in busy:
                    self._collect(worker, ready)
        except Exception as exc:  # noqa: BLE001 - a bug here must fail the documents, not hang them or print a traceback
            failure, lost = f"the worker pool failed ({describe(exc)})", PoolFailed
        finally:
            with self._lock:
                self._closed = True
                stranded, self._queue = list(self._queue), deque()
            for task in stranded:
                if task.future.set_running_or_notify_cancel():
                    task.future.set_exception(lost(failure))
            for worker in self._workers:
                if worker.task is not None and not worker.task.future.done():
                    worker.task.future.set_exception(lost(failure))
                worker.kill()
            self._workers.clear()

    def _dispatch(self) -> None:
        with self._lock:
            while self._queue:
                idle = next((w for w in self._workers if w.task is None), None)
                if idle is None and len(self._workers) >= self.size:
                    return
                task = self._queue.popleft()
                if not task.future.set_running_or_notify_cancel():
                    continue
                if idle is None:
                    try:
                        idle = _Worker(self._ctx, self.limits)
                    except Exception as exc:  # no process could be started (process limit, memory, a broken main)
                        task.future.set_exception(WorkerLost(f"could not start a worker process ({one_line(exc)})"))
                        continue
                    self._workers.append(idle)
                try:
                    idle.conn.send((task.fn, task.arg))
                except Exception as exc:  # the worker died between tasks, or the task cannot be pickled: replace it
                    idle.kill()
                    self._workers.remove(idle)  # not self._replace(): the lock is held, and it is not reentrant
                    task.future.set_exception(WorkerLost(f"could not hand the document to a worker ({one_line(exc)})"))
                    continue
                idle.task = task
                idle.deadline = time.monotonic() + self.limits.seconds if self.limits.seconds > 0 else float("inf")

    def _collect(self, worker: _Worker, ready: list) -> None:
        task = worker.task
        assert task is not None
        if worker.conn in ready:
            try:
                kind, value = worker.conn.recv()
            except (EOFError, OSError):
                kind, value = "lost", None
            if kind != "lost":
                worker.task, worker.deadline = None, float("inf")
                worker.done += 1
                if kind == "ok":
                    task.future.set_result(value)
                else:
                    task.future.set_exception(value)
                if kind == "memory" or worker.done >= TASKS_PER_WORKER:
                    self._replace(worker)
                return
        if worker.process.sentinel in ready or worker.conn in ready:
            worker.process.join(2)  # the pipe closes a moment before the exit status is known
            code = worker.process.exitcode
            self._replace(worker)
            task.future.set_exception(WorkerLost(_death_reason(code, self.limits)))
            return
        if time.monotonic() >= worker.deadline:
            self._replace(worker)
            task.future.set_exception(WorkerLost(f"took longer than the time limit of {self.limits.seconds:g} s"))

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)


def _death_reason(code: int | None, limits: Limits) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if -code == signal.SIGKILL and limits.memory_mb > 0:
            return f"the worker was killed ({name}), most likely for using too much memory"
        if -code in _NATIVE_CRASHES and limits.memory_mb > 0:
            # Native parsers (pdfium, libxml2) abort rather than raise when an allocation fails under RLIMIT_AS.
            return (f"the worker stopped unexpectedly ({name}): a parser crashed, most likely for needing more memory "
                    f"than the limit of {limits.memory_mb} MB")
        return f"the worker stopped unexpectedly ({name})"
    if code not in (None, 0) and limits.memory_mb > 0:
        return f"the worker stopped unexpectedly (exit status {code}); the memory limit is {limits.memory_mb} MB"
    return f"the worker stopped unexpectedly (exit status {code})"


def set_memory_limit(memory_mb: int) -> None:
    """Cap this process's address space: allocations beyond it raise ``MemoryError``."""
    if memory_mb <= 0:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(conn: Connection, memory_mb: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    set_memory_limit(memory_mb)
    too_big = ("memory", WorkerLost(f"needs more memory than the limit of {memory_mb} MB"))  # made before memory runs out
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        fn, arg = message
        try:
            reply = ("ok", fn(arg))
        except MemoryError:
            reply = too_big
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the caller
            reply = ("error", _picklable(exc))
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(too_big)
        except Exception as exc:  # a result that cannot be pickled
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        if reply[0] == "memory":
            return


def _picklable(exc: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
