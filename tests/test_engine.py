"""The one parallel engine: ordered results, a bounded window, in this process for one chunk."""

from __future__ import annotations

import os
from concurrent.futures import Executor, Future
from typing import Any

from cleaner.engine import Workers, chunks, ordered_map


class _ImmediateExecutor(Executor):
    """Runs each call at once; enough to watch how far ahead ``ordered_map`` reads."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_ordered_map_is_lazy_ordered_and_keeps_a_bounded_window() -> None:
    pulled = []

    def items() -> Any:
        for i in range(100):
            pulled.append(i)
            yield i

    results = ordered_map(lambda x: x * 2, items(), Workers(executor=_ImmediateExecutor(), window=3))
    first = [next(results) for _ in range(5)]
    assert [r for _, r in first] == [0, 2, 4, 6, 8]
    assert len(pulled) <= 5 + 3
    assert [r for _, r in results] == [2 * i for i in range(5, 100)]


def test_one_chunk_is_done_here_and_starts_no_pool() -> None:
    # A hook run on a few files starts no pool; the function must then be callable as is.
    with Workers(4) as workers:
        pairs = list(ordered_map(lambda chunk: (len(chunk), os.getpid()), chunks(range(3), 16), workers))
        assert workers._own is None
    assert [result for _, result in pairs] == [(3, os.getpid())]


def test_the_pool_is_started_once_for_every_stream_of_a_run() -> None:
    with Workers(2) as workers:
        first = [r for _, r in ordered_map(abs, [-1, -2, -3], workers)]
        pool = workers._own
        second = [r for _, r in ordered_map(abs, [-4, -5], workers)]
        assert pool is not None and workers._own is pool
    assert (first, second) == ([1, 2, 3], [4, 5])
    assert workers._own is None  # closed with the run
