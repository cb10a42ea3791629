"""Hostile pages and unlucky users (through real processes): text from a page or a file name is
never markup or terminal control, ``-o`` never destroys an input, and exit codes tell the truth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals, links and FIFOs")

HOSTILE_TITLE = "[link=https://evil.example]Totally safe title[/link] [bold red]red[/bold red] C[/]D [video] x"
INVISIBLE = "bidi\u202eevil zero\u200bwidth join\u200dword\u2060end"


def hostile_page(title: str = HOSTILE_TITLE) -> str:
    return (
        f"{title}\n\n"
        "Body.\n\n"
        "2 comments\n\n"
        f"  1. Mallory {INVISIBLE} [bold]x[/bold] \x1b]8;;https://evil.example\x1b\\\\link\x1b]8;;\x1b\\\\\n"
        "    May 1, 2020 at 10:00\n\n"
        f"    Text with \x1b[31mred\x1b[0m and [link=https://evil.example]markup[/link] {INVISIBLE}.\n\n"
        "    • Trent\n"
        "      May 1, 2020 at 11:00\n\n"
        "      A reply.\n"
    )


def on_a_terminal(*args: str, cwd: Path | None = None) -> tuple[int, bytes]:
    """Exit code and the raw bytes a pseudo-terminal received from the command."""
    import pty

    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "commentscope", *args],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200", "TERM": "xterm-256color", "FORCE_COLOR": "1"},
    ) as process:
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # Linux raises EIO once the program has closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        code = process.wait(timeout=60)
    os.close(controller)
    return code, shown


def run(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "commentscope", *args], input=stdin, capture_output=True, cwd=cwd, check=False
    )


TABLE_COMMANDS = ["comments", "stats", "tree", "commenters", "timeline", "network", "check"]


@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_page_text_is_never_markup_nor_terminal_control(command: str, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page(), encoding="utf-8")
    code, shown = on_a_terminal(command, str(page))
    assert code == (1 if command == "check" else 0), shown  # check reports the control characters
    assert b"\x1b]8;" not in shown  # no OSC 8 hyperlink
    assert b"\x1b]" not in shown and b"\x1b[31m" not in shown  # no OSC, no colour from the page
    for character in ("\u202e", "\u200b", "\u200d", "\u2060"):
        assert character.encode() not in shown
    text = shown.decode("utf-8")
    if command in ("comments", "tree", "commenters"):
        assert "\\x1b" in text  # shown as a visible escape
    if command in ("comments", "tree"):
        assert "\\u202e" in text and "\\u200b" in text
        assert "[bold]x[/bold]" in text


@pytest.mark.parametrize("command", ["comments", "tree"])
def test_a_title_full_of_markup_is_shown_as_written(command: str, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page(), encoding="utf-8")
    code, shown = on_a_terminal(command, str(page))
    assert code == 0, shown
    assert "[link=https://evil.example]Totally safe title[/link]" in shown.decode()
    assert "C[/]D [video] x" in shown.decode()


@pytest.mark.parametrize("title", ["C[/]D", "[/bold] Oops"])
def test_a_closing_tag_alone_in_a_title_is_no_crash(title: str, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page(title), encoding="utf-8")
    code, shown = on_a_terminal("comments", str(page))
    assert code == 0, shown
    assert title in shown.decode()


def test_file_names_in_the_stats_table_are_text(tmp_path: Path) -> None:
    names = ["[reverse]x.txt", "[link=evil.example]y.txt", "a[/b]c.txt"]
    (tmp_path / "a[").mkdir()
    for name in names:
        (tmp_path / name).write_text(hostile_page("Title"), encoding="utf-8")
    code, shown = on_a_terminal("stats", *names, cwd=tmp_path)
    assert code == 0, shown
    text = shown.decode()
    assert b"\x1b[7m" not in shown  # no reverse video
    assert b"\x1b]8;" not in shown
    for name in names:
        assert name in text


def test_data_formats_keep_invisible_characters_as_they_are(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page(), encoding="utf-8")
    done = run("comments", str(page), "-f", "json")
    assert done.returncode == 0
    rows = json.loads(done.stdout)
    assert INVISIBLE in rows[0]["text"]
