"""Tuning of the process that the ``commentscope`` command owns, armed only by ``main()``.

A program that imports commentscope, or calls the typer app in-process (``CliRunner``), owns its
own process: its garbage collector, its malloc, its Arrow memory pool and its exit stay as they
were. ``main()`` arms the tuning; the first command that parses applies it, so that ``--help`` and
``--version`` still answer without importing pandas. What each part buys is measured in
``benchmarks/README.md``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

_state = {"armed": False, "applied": False}


def arm() -> None:
    """Called by ``main()`` alone: from now on, ``tune()`` changes this process."""
    _state["armed"] = True


def tune() -> None:
    """Before a command's work, when ``main()`` armed it: keep memory that malloc frees, import
    the data stack with the cyclic collector paused and freeze what it made, and take Arrow's
    buffers from the C library's malloc. Otherwise nothing."""
    if not _state["armed"] or _state["applied"]:
        return
    _state["applied"] = True
    _keep_freed_memory()
    gc.disable()
    try:
        import pandas  # noqa: F401
        import pyarrow as pa
    finally:
        gc.enable()
    gc.freeze()
    pa.set_memory_pool(pa.system_memory_pool())


def _keep_freed_memory() -> None:
    """Have glibc's malloc serve blocks of up to 32 MB from its heap and keep what is freed there,
    so that each stage of the parser reuses the pages the stages before it freed instead of
    faulting in fresh ones. The process ends after one command, so freed memory is held only
    until then. Elsewhere (not glibc), nothing to tune."""
    import ctypes  # here, not at the top: --help and --version answer without it

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    mallopt(_M_TRIM_THRESHOLD, 1 << 30)


def flush_standard_streams() -> OSError | None:
    """Flush stdout and stderr; the error that writing stdout's last bytes met, if any.

    A reader that went away (``| head``) or a stdout that was closed (``>&-``) is no error: the
    command ends quietly, as ``cat`` does. A full disk or any other write error is returned.
    """
    failure = None
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            _silence(stream)
        except OSError as error:
            if stream is sys.stdout and failure is None:
                failure = error
            _silence(stream)
    return failure


def silence_stdout() -> None:
    """After the reader of stdout went away: what is still buffered or written goes nowhere."""
    _silence(sys.stdout)


def _silence(stream: object) -> None:
    """Point the stream's descriptor at /dev/null, so nothing later writes there again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())  # type: ignore[attr-defined]


def end(code: int) -> None:
    """End the process at once, without the interpreter's teardown (freeing every module and
    object one by one), its output already flushed."""
    os._exit(code)
