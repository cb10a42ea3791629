"""The reports ``export`` builds, from hand-written samples: several pages, one page, one export file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from commentscope.analysis import commenter_table, page_stats, reply_network, timeline
from commentscope.analysis.thread_table import thread_table
from commentscope.model import Thread
from commentscope.readers.corpus import load_corpus

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PAGES = ["small.txt", "deep.txt", "awkward.txt", "formats/wordpress.xml"]


@dataclass
class Export:
    threads: list[Thread]
    reports: dict[str, Any]

    @property
    def comments(self) -> pd.DataFrame:
        return self.reports["comments"]

    @property
    def table(self) -> pd.DataFrame:
        return thread_table(self.threads)


def build_export(names: list[str]) -> Export:
    corpus = load_corpus([str(SAMPLES / name) for name in names], jobs=1, summarise=page_stats)
    threads = corpus.threads
    comments = corpus.comments if len(threads) > 1 else threads[0].comments
    stats = corpus.summaries
    reports = {
        "stats": stats if len(threads) > 1 else stats[0],
        "comments": comments,
        "commenters": commenter_table(comments),
        "timeline": timeline(comments, "D"),
        "network": reply_network(comments),
    }
    return Export(threads, reports)


@pytest.fixture
def export() -> Export:
    return build_export(PAGES)
