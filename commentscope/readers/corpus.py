"""Many pages at once: parse on every core, in the order given, keeping going past bad pages.

Pages are parsed in worker processes and come back in the order given. A page that
cannot be read or parsed becomes a ``PageFailure`` instead of stopping the run, so
that one broken file in a folder of thousands costs one line on stderr, not the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from commentscope.errors import CommentscopeError
from commentscope.model import COMMENT_COLUMNS, Thread, empty_comments, stacked_comments
from commentscope.readers import STDIN, load_threads
from commentscope.readers.convokit import corpus_companions
from commentscope.readers.paths import DEFAULT_GLOB, expand_paths


@dataclass(frozen=True)
class PageFailure:
    """A page that could not be used, why (the error's one line) and the exit code that error carries."""

    source: str
    message: str
    exit_code: int


@dataclass(frozen=True)
class Parsed:
    """A Thread as its worker read it, and the page's figures where they were asked for (``summarise``):
    a derived summary travels beside the Thread, never on it."""

    thread: Thread
    summary: dict[str, Any] | None = None


PageResult = Parsed | PageFailure


@dataclass(frozen=True)
class _Job:
    keep_text: bool
    summarise: Callable[[list[Thread]], list[dict[str, Any]]] | None
    reader: str | None
    max_input_size: int | None
    reading: dict[str, Any]  # the ReadOptions fields given (see ``registry.ReadOptions``)


def _load_page(path: str, job: _Job) -> list[PageResult]:
    """Every Thread of one input (an export can hold many), or its one failure."""
    try:
        threads = load_threads(path, reader=job.reader, max_input_size=job.max_input_size, **job.reading)
    except CommentscopeError as error:
        return [PageFailure(path, str(error), error.exit_code)]
    summaries = job.summarise(threads) if job.summarise is not None else [None] * len(threads)
    if not job.keep_text:
        for thread in threads:
            thread.comments["text"] = ""
            thread.article.body = ""
            thread.stack = None  # which holds the texts too
    return [Parsed(thread, summary) for thread, summary in zip(threads, summaries, strict=True)]


def _load_chunk(paths: list[str], job: _Job) -> list[list[PageResult]]:
    return [_load_page(path, job) for path in paths]


def load_pages(
    paths: list[str],
    *,
    keep_text: bool = True,
    jobs: int | None = None,
    summarise: Callable[[list[Thread]], list[dict[str, Any]]] | None = None,
    reader: str | None = None,
    max_input_size: int | None = None,
    **reading: Any,
) -> Iterator[list[PageResult]]:
    """Parse inputs in the order given, in ``jobs`` processes (all cores by default, 1 = in this process):
    for each, the Threads it holds or its failure. ``reader`` forces a format (see ``registry``);
    an input over ``max_input_size`` bytes fails; ``reading`` is what every reader is told
    (``registry.ReadOptions``: encoding, lenient, column_map, day_first, encoding_errors).
    The metadata files of a ConvoKit corpus read in the same run (``convokit.COMPANIONS``) are
    part of that corpus: each gives an empty result rather than being read as an input.

    ``keep_text=False`` blanks comment and article texts in the worker, so only
    structure crosses back and memory stays bounded by what the reports need
    (``words`` is counted before the text goes). ``summarise`` (a module-level
    function, so that it can be sent to a worker) takes an input's Threads together and gives
    each ``Parsed.summary`` where the input is parsed, so per-page figures are computed on
    every core too, and an export's thousands of threads in one pass.
    """
    job = _Job(keep_text, summarise, reader, max_input_size, {"processes": jobs, **reading})
    companions = corpus_companions(paths)
    inputs = [path for path in paths if path not in companions]
    results = _load_inputs(inputs, job, jobs)
    for path in paths:  # one result per path, in order: a companion of a corpus has no Threads of its own
        yield [] if path in companions else next(results)


def _load_inputs(paths: list[str], job: _Job, jobs: int | None) -> Iterator[list[PageResult]]:
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    if workers <= 1 or STDIN in paths:
        for path in paths:
            yield _load_page(path, job)
        return
    chunks = [paths[i : i + PAGES_PER_TASK] for i in range(0, len(paths), PAGES_PER_TASK)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk in pool.map(_load_chunk, chunks, [job] * len(chunks)):
            yield from chunk


#: Pages a worker parses per task: enough to amortise the hand-over, few enough to keep the bar moving.
PAGES_PER_TASK = 16


def corpus_comments(threads: list[Thread]) -> pd.DataFrame:
    """All pages' comments in one frame, with a leading ``source`` column (ids are unique per page)."""
    if not threads:
        return empty_comments().assign(source=pd.Series(dtype="str"))[["source", *COMMENT_COLUMNS]]
    combined = stacked_comments(threads).copy(deep=False)  # the reader's stack is not changed
    sizes = [len(thread.comments) for thread in threads]
    # Each page's name once, and a code per row: a repeated numpy string array would be as wide as
    # the longest name in every row.
    codes = pa.array(np.repeat(np.arange(len(threads), dtype=np.int32), sizes))
    names = pa.array([thread.source for thread in threads], pa.large_string())
    sources = pa.DictionaryArray.from_arrays(codes, names).cast(pa.large_string())
    combined.insert(0, "source", pd.array(sources, dtype="str"))
    return combined


@dataclass
class Corpus:
    """Several pages read together: the threads that parsed (with their figures, where ``summarise``
    asked for them), and the pages that did not."""

    threads: list[Thread]
    failures: list[PageFailure]
    summaries: list[dict[str, Any] | None] = field(default_factory=list)

    @property
    def comments(self) -> pd.DataFrame:
        """Every page's comments, with a leading ``source`` column."""
        return corpus_comments(self.threads)


def load_corpus(paths: Iterable[str], *, glob: str | None = DEFAULT_GLOB, **options: Any) -> Corpus:
    """Read files, folders and globs in parallel (options as for ``load_pages``), keeping going past bad pages."""
    corpus = Corpus([], [])
    for results in load_pages(expand_paths(paths, glob), **options):
        for result in results:
            if isinstance(result, PageFailure):
                corpus.failures.append(result)
            else:
                corpus.threads.append(result.thread)
                corpus.summaries.append(result.summary)
    return corpus
