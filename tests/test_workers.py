"""Worker processes: each document under a time and memory limit, one failure never stops the others."""

from __future__ import annotations

import os
import time

import pytest

from reviewer.workers import Limits, Pool, WorkerLost


def double(n: int) -> int:
    return 2 * n


def sleep_for(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def allocate(mb: int) -> int:
    block = bytearray(mb * 1024 * 1024)
    return len(block)


def die(code: int) -> None:
    os._exit(code)


def raise_value(message: str) -> None:
    raise ValueError(message)


def test_results_come_back_from_workers():
    with Pool(2, Limits(seconds=30, memory_mb=0), preload=[]) as pool:
        futures = [pool.submit(double, n) for n in range(20)]
        assert [f.result(timeout=60) for f in futures] == [2 * n for n in range(20)]


def test_time_limit_kills_only_the_slow_task():
    with Pool(1, Limits(seconds=1, memory_mb=0), preload=[]) as pool:
        slow = pool.submit(sleep_for, 30)
        fast = pool.submit(double, 21)
        started = time.monotonic()
        with pytest.raises(WorkerLost, match="time limit of 1 s"):
            slow.result(timeout=60)
        assert time.monotonic() - started < 15
        assert fast.result(timeout=60) == 42  # a fresh worker took over


def test_memory_limit_gives_a_clear_error_and_a_fresh_worker():
    with Pool(1, Limits(seconds=60, memory_mb=600), preload=[]) as pool:
        big = pool.submit(allocate, 2000)
        small = pool.submit(allocate, 10)
        with pytest.raises(WorkerLost, match="memory than the limit of 600 MB"):
            big.result(timeout=60)
        assert small.result(timeout=60) == 10 * 1024 * 1024


def test_a_crashing_worker_is_reported_and_replaced():
    with Pool(1, Limits(seconds=60, memory_mb=0), preload=[]) as pool:
        crash = pool.submit(die, 3)
        after = pool.submit(double, 5)
        with pytest.raises(WorkerLost, match="exit status 3"):
            crash.result(timeout=60)
        assert after.result(timeout=60) == 10


def test_exceptions_come_back_as_they_were():
    with Pool(1, Limits(seconds=60, memory_mb=0), preload=[]) as pool:
        with pytest.raises(ValueError, match="bad clause"):
            pool.submit(raise_value, "bad clause").result(timeout=60)


def test_close_with_cancel_stops_running_work_quickly():
    pool = Pool(1, Limits(seconds=0, memory_mb=0), preload=[])
    running = pool.submit(sleep_for, 60)
    queued = pool.submit(double, 1)
    time.sleep(0.5)
    started = time.monotonic()
    pool.close(cancel=True)
    assert time.monotonic() - started < 10
    assert queued.cancelled()
    with pytest.raises(WorkerLost):
        running.result(timeout=5)


def abort(_: object) -> None:
    os.abort()


def test_a_native_abort_under_the_memory_limit_says_memory():
    # pdfium aborts (SIGABRT) when an allocation fails under RLIMIT_AS: the reason must say so.
    with Pool(1, Limits(seconds=60, memory_mb=600), preload=[]) as pool:
        with pytest.raises(WorkerLost, match=r"SIGABRT.*more memory than the limit of 600 MB"):
            pool.submit(abort, None).result(timeout=60)


def test_a_task_that_cannot_be_sent_fails_alone():
    with Pool(1, Limits(seconds=60, memory_mb=0), preload=[]) as pool:
        unsendable = pool.submit(double, lambda: 1)  # a lambda cannot be pickled
        after = pool.submit(double, 4)
        with pytest.raises(WorkerLost, match="could not hand the document to a worker"):
            unsendable.result(timeout=60)
        assert after.result(timeout=60) == 8


def test_a_worker_that_cannot_start_fails_its_task_without_hanging(monkeypatch):
    from reviewer import workers

    class NoProcess:
        def __init__(self, ctx, limits):
            raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(workers, "_Worker", NoProcess)
    with Pool(2, Limits(seconds=60, memory_mb=0), preload=[]) as pool:
        futures = [pool.submit(double, n) for n in range(3)]
        for future in futures:
            with pytest.raises(WorkerLost, match="could not start a worker process .*Resource temporarily unavailable"):
                future.result(timeout=30)


def test_a_failing_pool_fails_its_tasks_with_pool_failed(monkeypatch):
    """A bug in the pool's own thread fails every task it holds with PoolFailed (a WorkerLost), not a hang."""
    from reviewer import workers

    dispatch = workers.Pool._dispatch

    def broken(self):
        if self._queue:  # once a task waits
            raise OSError("no more file descriptors")
        dispatch(self)

    monkeypatch.setattr(workers.Pool, "_dispatch", broken)
    with Pool(1, Limits(seconds=30, memory_mb=0), preload=[]) as pool:
        future = pool.submit(double, 1)
        with pytest.raises(workers.PoolFailed, match=r"the worker pool failed \(OSError: no more file descriptors\)"):
            future.result(timeout=30)


def test_a_stopped_pool_is_not_a_failed_one():
    """Tasks stranded by closing the pool get a plain WorkerLost."""
    from reviewer import workers

    pool = Pool(1, Limits(seconds=30, memory_mb=0), preload=[])
    slow = pool.submit(sleep_for, 30)
    time.sleep(0.5)
    pool.close(cancel=True)
    with pytest.raises(WorkerLost) as caught:
        slow.result(timeout=30)
    assert not isinstance(caught.value, workers.PoolFailed)
