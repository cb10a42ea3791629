"""Independent parts of a job at once: this thread and one worker take turns, or, for work that
holds the GIL, this process and children forked from it.

Arrow's compute kernels and numpy's array loops release the GIL, so cutting a large
column into parts and working two at a time uses both cores without a second process
(and without copying the page to it). A Python walk of parsed markup holds the GIL, so
threads would only take turns: ``in_processes`` forks instead, and the children, which
hold the input already, send back only their results.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
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
    if len(parts) < 2 or threading.current_thread().name.startswith(_WORKER):
        return map(function, parts)
    pool = _worker()
    return _taking_turns(function, parts, [pool.submit(function, part) for part in parts[1::2]])


def one_ahead(items: Iterator[T]) -> Iterator[T]:
    """The items, each next one made on the worker while the caller works on the one before: for a
    producer and a consumer that both release the GIL (decompressing a stream and decoding it)."""
    if threading.current_thread().name.startswith(_WORKER):
        yield from items
        return
    done = object()
    pending = _worker().submit(next, items, done)
    try:
        while (item := pending.result()) is not done:
            pending = _worker().submit(next, items, done)
            yield item
    finally:
        if not pending.cancel():
            wait([pending])  # the producer is not to be left running once its consumer has stopped


def _worker() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(1, thread_name_prefix=_WORKER)
    return _pool


def _taking_turns(function: Callable[[T], R], parts: Sequence[T], odd: list[Future[R]]) -> Iterator[R]:
    try:
        for index, part in enumerate(parts):
            yield function(part) if index % 2 == 0 else odd[index // 2].result()
    finally:
        for future in odd:
            future.cancel()
        wait(odd)  # none left running once the caller has stopped (a fork, say, may come next)


def spare_cores(limit: int | None = None) -> int:
    """How many parts ``in_processes`` should cut a job into: the cores this process may use (at
    most ``limit``), or 1 inside a worker process (a corpus's pool has every core busy already)
    or where there is no fork."""
    if not hasattr(os, "fork") or multiprocessing.parent_process() is not None:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, limit or cores))


def in_processes(function: Callable[[T], R], parts: Sequence[T]) -> list[R]:
    """``function`` of each part, the first in this process and each other in a child forked from
    it, results in the parts' order. An error a part raises is raised here (an exception that
    cannot be pickled, as a RuntimeError naming it); a part whose child gives no result (killed, out
    of memory) is run here, so the answer never depends on the children."""
    if len(parts) < 2 or not hasattr(os, "fork"):
        return [function(part) for part in parts]
    children: list[tuple[int, int]] = []
    reaped = 0
    try:
        for part in parts[1:]:
            children.append(_fork(function, part, [reading for _, reading in children]))
        results = [function(parts[0])]
        for pid, reading in children:
            results.append(_result(pid, reading, function, parts[len(results)]))
            reaped += 1
        return results
    finally:
        for pid, reading in children[reaped:]:  # left when this process's part failed, or was interrupted
            with contextlib.suppress(OSError):
                os.close(reading)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def _fork(function: Callable[[T], R], part: T, siblings: list[int]) -> tuple[int, int]:
    """A child working ``part``, and the end of the pipe its result comes from. ``siblings``: the
    pipes of the children forked before, which this one must not hold open."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writing)
        return pid, reading
    try:  # the child: its part, its result down the pipe, and out without running the parent's clean-up
        for end in (reading, *siblings):
            os.close(end)
        try:
            outcome: tuple[bool, object] = (True, function(part))
        except BaseException as error:  # every error goes back to the parent, which raises it
            outcome = (False, error)
        try:
            message = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            sent = f"{outcome[1]!r}" if not outcome[0] else "its result"
            message = pickle.dumps((False, RuntimeError(f"a forked part's {sent} could not be sent back: {error!r}")))
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(message)
    finally:
        os._exit(0)


def _result(pid: int, reading: int, function: Callable[[T], R], part: T) -> R:
    with os.fdopen(reading, "rb") as pipe:
        message = pipe.read()
    os.waitpid(pid, 0)
    try:
        done, value = pickle.loads(message)
    except Exception:  # the child died before its result was whole
        return function(part)
    if not done:
        raise value
    return value
