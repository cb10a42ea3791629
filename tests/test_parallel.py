"""Parts of a job in forked children (``parallel.in_processes``): results in order, errors raised
here, and a child that gives no result never changes the answer. A producer a step ahead of its
consumer (``parallel.one_ahead``)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest

from commentscope.parallel import in_processes, one_ahead, spare_cores


def _square_and_pid(part: int) -> tuple[int, int]:
    return part * part, os.getpid()


def test_each_part_after_the_first_is_worked_in_a_child_and_comes_back_in_order() -> None:
    results = in_processes(_square_and_pid, [1, 2, 3, 4])
    assert [square for square, _ in results] == [1, 4, 9, 16]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 4  # three children, one each


def test_one_part_is_worked_here() -> None:
    assert in_processes(_square_and_pid, [5]) == [(25, os.getpid())]
    assert in_processes(_square_and_pid, []) == []


class Refused(Exception):
    pass


def _refuse_odd(part: int) -> int:
    if part % 2:
        raise Refused(f"part {part}")
    return part


def test_an_error_in_a_child_is_raised_here() -> None:
    with pytest.raises(Refused, match="part 3"):
        in_processes(_refuse_odd, [0, 2, 3])


def _refuse_here_wait_there(part: str) -> str:
    if part == "here":
        raise Refused("part here")
    time.sleep(60)
    return part


def test_an_error_here_leaves_no_child_behind() -> None:
    start = time.monotonic()
    with pytest.raises(Refused, match="part here"):
        in_processes(_refuse_here_wait_there, ["here", "there", "there"])
    assert time.monotonic() - start < 30  # the children were stopped, not waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every child reaped


class Unpicklable(Exception):
    def __init__(self, reason: str, code: int) -> None:
        super().__init__(reason)
        self.handle = lambda: code  # a lambda cannot be pickled


def _unpicklable(part: int) -> int:
    if part:
        raise Unpicklable("no way back", part)
    return part


def test_an_error_that_cannot_be_pickled_comes_back_by_name() -> None:
    with pytest.raises(RuntimeError, match=r"Unpicklable\(.no way back.\) could not be sent back"):
        in_processes(_unpicklable, [0, 1])


def _die_in_a_child(part: tuple[int, int]) -> tuple[int, bool]:
    number, parent = part
    if os.getpid() != parent:
        os._exit(3)  # killed before any result is sent
    return number, True


def test_a_child_that_dies_has_its_part_worked_here() -> None:
    parent = os.getpid()
    assert in_processes(_die_in_a_child, [(1, parent), (2, parent)]) == [(1, True), (2, True)]


def test_a_worker_process_cuts_no_job_into_parts() -> None:
    with ProcessPoolExecutor(1) as pool:
        assert pool.submit(spare_cores).result() == 1
    assert spare_cores() == len(os.sched_getaffinity(0))
    assert spare_cores(1) == 1
    assert spare_cores(10**6) == spare_cores()


def test_one_ahead_makes_the_next_item_on_the_worker_while_the_caller_has_the_one_before() -> None:
    made: list[tuple[int, str]] = []

    def produce() -> Iterator[int]:
        for number in range(3):
            made.append((number, threading.current_thread().name))
            yield number

    assert list(one_ahead(produce())) == [0, 1, 2]
    assert [number for number, _ in made] == [0, 1, 2]
    assert all(name.startswith("commentscope-part") for _, name in made)


def test_one_ahead_raises_the_producers_error_in_order() -> None:
    def produce() -> Iterator[int]:
        yield 1
        raise Refused("part 2")

    ahead = one_ahead(produce())
    assert next(ahead) == 1
    with pytest.raises(Refused, match="part 2"):
        next(ahead)


def test_a_consumer_that_stops_leaves_the_producer_idle() -> None:
    running = threading.Event()
    release = threading.Event()

    def produce() -> Iterator[int]:
        yield 1
        running.set()
        release.wait(5)
        yield 2

    ahead = one_ahead(produce())
    assert next(ahead) == 1
    running.wait(5)
    threading.Timer(0.05, release.set).start()
    ahead.close()  # returns once the item under way is made
    assert release.is_set()
