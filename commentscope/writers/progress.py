"""A progress bar on stderr for long runs, shown only after a delay.

The bar draws through the run's one stderr console (``stderr_console``), so a warning printed
while it runs goes on its own line above it, and the bar is erased before anything after it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from commentscope.writers.escaping import terminal_safe
from commentscope.writers.table import stderr_console


@contextmanager
def progress(total: int, label: str, *, quiet: bool = False) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr, shown only on a terminal, only when not quiet, and only once a
    run has taken a second; yields the function to call after each item."""
    if quiet or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = stderr_console()
    bar = Progress(
        TextColumn(terminal_safe(label), markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,  # data written meanwhile stays on stdout, never moved to stderr
    )
    task = bar.add_task(label, total=total)
    started = time.monotonic()

    def advance() -> None:
        bar.advance(task)
        if not bar.live.is_started and time.monotonic() - started > PROGRESS_DELAY_SECONDS:
            bar.start()

    try:
        yield advance
    finally:
        bar.stop()


PROGRESS_DELAY_SECONDS = 1.0
