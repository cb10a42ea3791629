"""The progress bar on a real pseudo-terminal: what is left on the screen once a run ends."""

from __future__ import annotations

import os
import re
import select
import sys
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")

# Run the command with the bar's delay at zero, so that it shows from the first page on.
_RUN = (
    "import sys; import commentscope.writers.progress as p; p.PROGRESS_DELAY_SECONDS = 0; "
    "from commentscope.cli import main; sys.argv[0] = 'commentscope'; main()"
)


def _run_on_terminal(*args: str, columns: int = 100) -> tuple[bytes, int]:
    """The bytes a terminal receives from the command (stdout and stderr both), and its exit code."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin, stdout and stderr are the terminal
        os.environ.update(COLUMNS=str(columns), LINES="40", TERM="xterm-256color")
        os.environ.pop("NO_COLOR", None)
        os.execv(sys.executable, [sys.executable, "-c", _RUN, *args])
    received = b""
    while select.select([fd], [], [], 60)[0]:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        received += data
    _, status = os.waitpid(pid, 0)
    return received, os.waitstatus_to_exitcode(status)


def _screen(received: bytes) -> list[str]:
    """What a terminal shows after these bytes: the few controls rich's live display uses
    (carriage return, newline, erase line, cursor up) are applied, colours are dropped."""
    lines = [""]
    row = column = 0
    text = received.decode("utf-8")
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\r\n|.", text, re.DOTALL):
        if token in ("\r\n", "\n"):
            row, column = row + 1, 0
            if row == len(lines):
                lines.append("")
        elif token == "\r":
            column = 0
        elif token == "\x1b[2K":
            lines[row] = ""
        elif (up := re.fullmatch(r"\x1b\[(\d*)A", token)) is not None:
            row = max(row - int(up.group(1) or 1), 0)
        elif token.startswith("\x1b["):
            continue  # colours, cursor shown or hidden
        else:
            line = lines[row].ljust(column)
            lines[row] = line[:column] + token + line[column + 1 :]
            column += 1
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.rstrip() for line in lines]


def _pages(folder: Path, good: int, empty: int) -> Path:
    sample = (Path(__file__).resolve().parents[2] / "samples" / "deep.txt").read_text(encoding="utf-8")
    folder.mkdir()
    for index in range(good):
        (folder / f"a{index}.txt").write_text(sample, encoding="utf-8")
    for index in range(empty):
        (folder / f"z{index}.txt").write_text("", encoding="utf-8")
    return folder


def test_warnings_during_the_bar_and_the_error_after_it_leave_a_clean_screen(tmp_path: Path) -> None:
    folder = _pages(tmp_path / "pages", good=0, empty=3)
    received, code = _run_on_terminal("stats", str(folder), "-j", "1")
    assert b"Parsing pages" in received  # the bar was on
    assert code == 3
    assert _screen(received) == [
        f"Warning: skipped {folder}/z0.txt: is empty",
        f"Warning: skipped {folder}/z1.txt: is empty",
        f"Warning: skipped {folder}/z2.txt: is empty",
        "Error: none of the 3 inputs could be read",
    ]


def test_an_error_while_the_bar_runs_is_on_its_own_line_and_the_bar_is_gone(tmp_path: Path) -> None:
    folder = _pages(tmp_path / "pages", good=2, empty=1)
    received, code = _run_on_terminal("stats", str(folder), "-j", "1", "--strict", "-f", "csv", "-o", "/dev/null")
    assert b"Parsing pages" in received
    assert code == 3
    assert _screen(received) == [f"Error: {folder}/z0.txt: is empty"]


def test_the_table_after_the_bar_starts_on_a_clean_screen(tmp_path: Path) -> None:
    folder = _pages(tmp_path / "pages", good=2, empty=1)
    received, code = _run_on_terminal("network", str(folder), "-j", "1")
    assert b"Parsing pages" in received
    assert code == 1  # a page was skipped
    screen = _screen(received)
    assert screen[0] == f"Warning: skipped {folder}/z0.txt: is empty"
    assert screen[1].startswith("┏━") and not any("Parsing pages" in line for line in screen)


def test_the_screen_model_keeps_what_a_glued_line_shows() -> None:
    """The check above could not pass on output that glued a warning onto the bar."""
    glued = b"Parsing pages \x1b[32m1/3\x1b[0mWarning: skipped x\r\n\r\x1b[2KParsing pages 2/3\r\n\x1b[1A\x1b[2K"
    assert _screen(glued) == ["Parsing pages 1/3Warning: skipped x"]
