"""Mutated samples: the parser either accounts for every line or refuses with a CommentscopeError.

The mutations are the damage real saves suffer (lines lost, doubled, re-indented or cut,
stray characters, bytes that are not UTF-8), mixed with the tokens the parser looks for
so that markers, dates and headers turn up in odd places. ``tests/fuzz/run_fuzz.py``
runs the same properties for minutes instead of seconds.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from commentscope.analysis.check import check_rows, check_thread
from commentscope.cli import app
from commentscope.errors import CommentscopeError
from commentscope.model import validate_comments
from commentscope.readers import load

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
#: The samples as saved: bytes decoded without newline translation, so CRLF and the BOM stay.
SAMPLE_TEXTS = tuple(path.read_bytes().decode("utf-8") for path in sorted(SAMPLES.glob("*.txt")))

TOKENS = (
    "  1. ",
    "  12. ",
    "    • ",
    "• ",
    "1.",
    "•",
    "January 24, 2019 at 07:36",
    "24 January 2019 at 7:36 pm",
    "2019-01-24 21:05",
    "February 30, 2019 at 10:00",
    "Thursday, Jan 24th 2019, 6:02 p.m.",
    " says:",
    "Reply",
    "Log in to Reply",
    "Comments are closed.",
    "3 comments for “Title",
    "one comment",
    "No comments yet.",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "\ufeff",
    "\u00a0",
    "\u2028",
    "\x85",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x00",
    "\ufffd",
    "Ã©",
    "    ",
)
text_piece = st.one_of(
    st.sampled_from(TOKENS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
)


@dataclass(frozen=True)
class Edit:
    """One change to a page's lines; ``at`` is taken modulo the line count."""

    op: str
    at: int
    piece: str = ""
    width: int = 0


edits = st.builds(
    Edit,
    op=st.sampled_from(["delete", "duplicate", "indent", "dedent", "cut", "insert", "new_line", "swap", "end"]),
    at=st.integers(min_value=0, max_value=10_000),
    piece=text_piece,
    width=st.integers(min_value=0, max_value=12),
)


def apply_edits(text: str, changes: list[Edit]) -> str:
    """The page after each edit in turn: whole-line operations plus pieces of text dropped in."""
    lines = text.split("\n")
    for edit in changes:
        if not lines:
            lines = [""]
        i = edit.at % len(lines)
        line = lines[i]
        if edit.op == "delete":
            del lines[i]
        elif edit.op == "duplicate":
            lines.insert(i, line)
        elif edit.op == "indent":
            lines[i] = " " * edit.width + line
        elif edit.op == "dedent":
            lines[i] = line[min(edit.width, len(line) - len(line.lstrip())) :]
        elif edit.op == "cut":
            lines[i] = line[: edit.width * len(line) // 12]
        elif edit.op == "insert":
            column = edit.width * len(line) // 12
            lines[i] = line[:column] + edit.piece + line[column:]
        elif edit.op == "new_line":
            lines.insert(i, " " * edit.width + edit.piece)
        elif edit.op == "swap":
            j = (i + edit.width + 1) % len(lines)
            lines[i], lines[j] = lines[j], line
        else:  # end: the save was cut off here
            del lines[i + 1 :]
            lines[i] = line[: edit.width * len(line) // 12]
    return "\n".join(lines)


@st.composite
def mutated_pages(draw: st.DrawFn) -> bytes:
    """A sample after a few edits, encoded as UTF-8; sometimes with raw bytes spliced in."""
    text = apply_edits(draw(st.sampled_from(SAMPLE_TEXTS)), draw(st.lists(edits, max_size=8)))
    data = text.encode("utf-8", "surrogatepass")
    for offset, chunk in draw(
        st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=4)), max_size=2)
    ):
        at = offset % (len(data) + 1)
        data = data[:at] + chunk + data[at:]
    return data


def assert_parses_or_refuses(data: bytes, lenient: bool) -> None:
    """The property: a Thread that accounts for every line and meets the schema, or a CommentscopeError."""
    try:
        thread = load(io.BytesIO(data), lenient=lenient, name="fuzzed.txt")
    except CommentscopeError:
        return
    assert sum(thread.diagnostics.counts.values()) == thread.diagnostics.total, dict(thread.diagnostics.counts)
    validate_comments(thread.comments)
    report = check_thread(thread, data.decode("utf-8"))
    assert report["accounting"]["adds_up"]
    assert check_rows(report)[0]["kind"] == "summary"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_pages(), st.booleans())
def test_mutated_page_parses_with_every_line_accounted_or_fails_cleanly(data: bytes, lenient: bool) -> None:
    assert_parses_or_refuses(data, lenient)


CLI_EXIT_CODES = (0, 3, 4)


def assert_cli_survives(runner: CliRunner, path: str) -> None:
    """``comments FILE -f json`` ends with an expected exit code and never shows a traceback."""
    result = runner.invoke(app, ["comments", path, "-f", "json"])
    assert result.exit_code in CLI_EXIT_CODES, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_pages())
def test_cli_never_shows_a_traceback_on_a_mutated_page(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.txt"
        path.write_bytes(data)
        assert_cli_survives(CliRunner(), str(path))
