"""The one parallel engine: a function over a stream of chunks, results in input order.

A run starts its workers once (``Workers``, on first use), and every stage of the
run uses them: the folder's documents, the cross-file count, each JSONL file. A
Dask cluster plugs in as an executor of its own. At most a window of chunks is in
flight, so memory stays bounded whatever the input size, and as results come
back in the order the chunks went out, the output never depends on ``jobs``.

A stream of one chunk (a pre-commit hook on a few files) is done in this
process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # concurrent.futures is imported only when a pool is started
    from concurrent.futures import Executor, Future

T = TypeVar("T")
R = TypeVar("R")

# Chunks in flight per worker: keeps every worker busy while the results
# waiting to be consumed in order stay few.
WINDOW = 4
# How often a worker checks that the run that started it is still there.
PARENT_CHECK_SECONDS = 0.5


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Workers:
    """Where chunks are done: here (``jobs`` <= 1), a process pool started on first use and
    kept for the run, or a given executor (a Dask client's) with its own window."""

    def __init__(self, jobs: int = 1, executor: Executor | None = None, window: int | None = None) -> None:
        self.jobs = jobs
        self._executor = executor
        self._own: Any = None
        self.window = window if window is not None else max(1, jobs) * WINDOW

    def executor(self) -> Executor | None:
        if self._executor is None and self.jobs > 1:
            import multiprocessing
            import threading
            from concurrent.futures import ProcessPoolExecutor

            # fork is the quickest start, but forking a process that runs other threads
            # (a Dask client's, a library's) can copy a held lock and hang the child.
            method = "fork" if threading.active_count() == 1 else "forkserver"
            context = multiprocessing.get_context(method)
            self._own = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=context, initializer=_start_worker
            )
            self._executor = self._own
        return self._executor

    def close(self) -> None:
        if self._own is not None:
            self._own.shutdown(wait=True, cancel_futures=True)
            self._own = self._executor = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def ordered_map(
    function: Callable[[T], R], items: Iterable[T], workers: Workers
) -> Generator[tuple[T, R], None, None]:
    """(item, ``function(item)``) in input order, at most ``workers.window`` items in flight."""
    iterator = iter(items)
    head = list(islice(iterator, 2))
    if len(head) < 2 or workers.executor() is None:
        for item in chain(head, iterator):
            yield item, function(item)
        return
    executor = workers.executor()
    assert executor is not None
    pending: deque[tuple[T, Future[R]]] = deque()
    try:
        for item in chain(head, iterator):
            pending.append((item, executor.submit(function, item)))
            if len(pending) >= workers.window:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        # A stop (--on-error stop, Ctrl-C) cancels what has not started; the pool stays for the run.
        for _, future in pending:
            future.cancel()


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _start_worker() -> None:
    # Ctrl-C reaches the whole process group. Workers ignore it and finish the
    # chunk in hand (each file whole), the parent cancels the rest and stops.
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A parent killed outright (SIGKILL, the OOM killer) cannot stop its pool;
    # its workers would wait for work forever. They watch for it and leave.
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    # Like being killed with the parent: a file being written is left as it was
    # (its temp file is swept by the next run).
    os._exit(1)


__all__ = ["Workers", "chunks", "default_jobs", "ordered_map"]
