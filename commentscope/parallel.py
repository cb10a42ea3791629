"""Independent parts of a job at once: this thread and one worker take turns.

Arrow's compute kernels and numpy's array loops release the GIL, so cutting a large
column into parts and working two at a time uses both cores without a second process
(and without copying the page to it).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_WORKER = "commentscope-part"
_pool: ThreadPoolExecutor | None = None


def _forget_pool() -> None:
    """A forked child (a corpus worker) inherits the pool but not its thread: it starts its own."""
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_pool)


def in_parallel(function: Callable[[T], R], parts: Sequence[T]) -> Iterator[R]:
    """``function`` of each part, two parts at a time, results yielded in the parts' order (when one
    is yielded, every part before it is done).

    The worker runs the odd parts, queued at once; this thread runs the even ones as they are asked
    for. So a job takes one thread more rather than two, and this thread's share of the work reuses
    the memory its earlier stages freed instead of a worker's fresh memory. Inside a part, parts run
    one after the other: waiting on the busy worker would deadlock.
    """
    global _pool
    if len(parts) < 2 or threading.current_thread().name.startswith(_WORKER):
        return map(function, parts)
    if _pool is None:
        _pool = ThreadPoolExecutor(1, thread_name_prefix=_WORKER)
    return _taking_turns(function, parts, [_pool.submit(function, part) for part in parts[1::2]])


def _taking_turns(function: Callable[[T], R], parts: Sequence[T], odd: list[Future[R]]) -> Iterator[R]:
    try:
        for index, part in enumerate(parts):
            yield function(part) if index % 2 == 0 else odd[index // 2].result()
    finally:
        for future in odd:
            future.cancel()
