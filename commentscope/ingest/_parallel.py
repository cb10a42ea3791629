"""Independent parts of a job at once, in two threads.

Arrow's compute kernels and numpy's array loops release the GIL, so cutting a large
column into parts and working two at a time uses both cores without a second process
(and without copying the page to it).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_WORKER = "commentscope-part"
_pool: ThreadPoolExecutor | None = None


def _forget_pool() -> None:
    """A forked child (a corpus worker) inherits the pool but not its threads: it starts its own."""
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_pool)


def in_parallel(function: Callable[[T], R], parts: Sequence[T]) -> Iterator[R]:
    """``function`` of each part, two parts at a time, results yielded in the parts' order as they
    are ready (when one is yielded, every part before it is done).

    Inside a part, parts run one after the other: waiting on the two busy workers would deadlock.
    """
    global _pool
    if len(parts) < 2 or threading.current_thread().name.startswith(_WORKER):
        return map(function, parts)
    if _pool is None:
        _pool = ThreadPoolExecutor(2, thread_name_prefix=_WORKER)
    return _pool.map(function, parts)
