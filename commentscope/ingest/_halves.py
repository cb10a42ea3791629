"""Two halves of a job at once, in two threads.

Arrow's compute kernels and numpy's array loops release the GIL, so splitting a large
column in two and working both halves at once uses two cores without a second process
(and without copying the page to it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_WORKER = "commentscope-half"
_pool: ThreadPoolExecutor | None = None


def both_at_once(function: Callable[[T], R], first: T, second: T) -> tuple[R, R]:
    """``function`` of two independent halves of a job, run at the same time.

    Inside a half, halves run one after the other: waiting on the two busy workers would deadlock.
    """
    global _pool
    if threading.current_thread().name.startswith(_WORKER):
        return function(first), function(second)
    if _pool is None:
        _pool = ThreadPoolExecutor(2, thread_name_prefix=_WORKER)
    one, other = _pool.map(function, [first, second])
    return one, other
