"""Hostile pages and unlucky users (through real processes): text from a page or a file name is
never markup or terminal control, ``-o`` never destroys an input, and exit codes tell the truth."""

from __future__ import annotations

import json
import os
import shutil
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


def run(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "commentscope", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        check=False,
        env={**os.environ, **(env or {})},
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


@pytest.mark.parametrize("spelling", ["relative", "dotted", "absolute", "link"])
def test_output_onto_an_input_is_refused_and_the_page_survives(spelling: str, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page("Title"), encoding="utf-8")
    before = page.read_bytes()
    (tmp_path / "alias.txt").symlink_to(page)
    target = {"relative": "page.txt", "dotted": "./page.txt", "absolute": str(page), "link": "alias.txt"}[spelling]
    done = run("stats", "page.txt", "-f", "json", "-o", target, cwd=tmp_path)
    assert done.returncode == 5
    shown = Path(target)  # as typer hands it over: ./page.txt is page.txt
    assert done.stderr.decode() == f"Error: {shown}: is one of the inputs (page.txt); choose another output file\n"
    assert page.read_bytes() == before


def test_export_refuses_to_write_a_report_over_an_input(tmp_path: Path) -> None:
    page = tmp_path / "stats.csv"
    page.write_text(hostile_page("Title"), encoding="utf-8")
    done = run("export", "stats.csv", "--from", "text", "--out", ".", "--force", cwd=tmp_path)
    assert done.returncode == 5
    assert b"is one of the inputs" in done.stderr
    assert page.read_text(encoding="utf-8") == hostile_page("Title")


def test_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page("Title"), encoding="utf-8")
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run("stats", str(page), "-f", "json", "-o", str(link)).returncode == 0
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["comments"] == 2


def test_output_to_a_fifo_reaches_its_reader(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page("Title"), encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE) as reader:
        done = run("stats", str(page), "-f", "json", "-o", str(fifo))
        received = reader.communicate(timeout=60)[0]
    assert done.returncode == 0
    assert json.loads(received)["comments"] == 2
    assert fifo.is_fifo()


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
def test_output_to_a_device_writes_through_it(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page("Title"), encoding="utf-8")
    device = tmp_path / "mynull"
    os.mknod(device, 0o666 | __import__("stat").S_IFCHR, os.makedev(1, 3))
    assert run("stats", str(page), "-f", "json", "-o", str(device)).returncode == 0
    assert device.is_char_device()  # a node of our own: /dev/null itself is not put at risk


def test_output_to_dev_stdout_is_written_in_place(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page("Title"), encoding="utf-8")
    done = run("stats", str(page), "-f", "json", "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["comments"] == 2
    assert Path("/dev/stdout").is_symlink()  # written through, never replaced


def test_dash_as_output_is_standard_output(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page("Title"), encoding="utf-8")
    done = run("stats", str(page), "-f", "json", "-o", "-", cwd=tmp_path)
    assert json.loads(done.stdout)["comments"] == 2
    assert not (tmp_path / "-").exists()


RACE = """
import os, sys
from pathlib import Path
from commentscope.errors import OutputError
from commentscope.writers import Result, WriteOptions, writer_named
from commentscope.writers.files import write_reports

names = ("stats", "comments", "commenters", "timeline", "network")
reports = {name: Result(name, [{"a": 1, "b": name}]) for name in names}
outcomes = []
for index in range(int(sys.argv[2])):
    out = Path(sys.argv[1]) / f"out{index}"
    start_reading, start_writing = os.pipe()
    children = []
    for _ in range(2):
        child = os.fork()
        if child == 0:  # wait for the start, then export as the command does
            os.close(start_writing)
            os.read(start_reading, 1)
            try:
                write_reports(reports, out, writer_named("csv"), WriteOptions())
                os._exit(0)
            except OutputError:
                os._exit(5)
        children.append(child)
    os.close(start_reading)
    os.close(start_writing)  # both children start at once
    codes = sorted(os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) for child in children)
    names = sorted(path.name for path in out.iterdir())
    outcomes.append([codes, names])
print(outcomes)
"""


def test_racing_exports_into_one_folder_never_both_win(tmp_path: Path) -> None:
    """50 pairs of processes export at the same moment into a fresh folder each: in every pair, exactly
    one writes the five reports and the other is refused (without --force)."""
    pairs = 50
    done = subprocess.run(
        [sys.executable, "-c", RACE, str(tmp_path), str(pairs)], capture_output=True, text=True, check=True
    )
    names = sorted(f"{name}.csv" for name in ("stats", "comments", "commenters", "timeline", "network"))
    assert done.stdout.strip() == str([[[0, 5], names]] * pairs)


def far_off_page(tmp_path: Path) -> Path:
    """88 bytes or so: one comment dated in the year 9999 and one in 2020."""
    page = tmp_path / "far.txt"
    page.write_text(
        "T\n\n  1. Ann\n    December 31, 9999 at 10:00\n\n    Far.\n\n"
        "  2. Bob\n    May 1, 2020 at 10:00\n\n    Near.\n",
        encoding="utf-8",
    )
    return page


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_far_off_date_gives_a_bounded_timeline_by_default(tmp_path: Path, fmt: str) -> None:
    done = run("timeline", str(far_off_page(tmp_path)), "-f", fmt)
    assert done.returncode == 0, done.stderr
    assert done.stderr.decode() == (
        "Warning: the comments span too long for a timeline by day; by year instead (--freq to choose)\n"
    )
    if fmt == "json":
        rows = json.loads(done.stdout)
        assert len(rows) == 9999 - 2020 + 1
        assert rows[0]["period"] == "2020-01-01T00:00:00" and rows[-1]["cumulative"] == 2


def test_an_explicit_period_too_fine_for_the_span_is_refused(tmp_path: Path) -> None:
    done = run("timeline", str(far_off_page(tmp_path)), "--freq", "hour")
    assert done.returncode == 3
    assert done.stderr.decode() == (
        "Error: 69,948,313 periods of hour from the first comment to the last, more than 100,000; "
        "choose a coarser --freq, such as year\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timeline", "{page}", "--freq", "1ns"], "Invalid value for '--freq': period '1ns' is shorter than a second"),
        (["timeline", "{page}", "--freq", "1us"], "Invalid value for '--freq': period '1us' is shorter than a second"),
        (["stats", "{page}", "--nope"], "No such option: --nope"),
        (["stats"], "Missing argument 'PATH...'."),
    ],
)
def test_usage_errors_are_one_line_and_a_hint(tmp_path: Path, args: list[str], message: str) -> None:
    page = str(far_off_page(tmp_path))
    done = run(*(arg.replace("{page}", page) for arg in args))
    assert done.returncode == 2
    first, hint = done.stderr.decode().splitlines()
    assert first.startswith(f"Error: {message}")
    assert hint == f"Try 'commentscope {args[0]} --help' for help."


def test_an_endless_input_is_refused_at_the_size_limit(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zeros:
        piped = subprocess.run(
            [sys.executable, "-m", "commentscope", "stats", "-", "--max-input-size", "4M"],
            stdin=zeros,
            capture_output=True,
            check=False,
            timeout=60,
        )
    assert piped.returncode == 3
    assert piped.stderr.decode() == (
        "Error: <stdin>: is larger than 4,194,304 bytes, the input size limit (raise it with --max-input-size)\n"
    )
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    linked = run("stats", str(link), "--max-input-size", "1M")
    assert linked.returncode == 3 and b"the input size limit" in linked.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [("\u00a0\u00a0\n\u3000\n".encode(), "is empty"), (b"\x00" * 4096, "is binary (NUL bytes), not text")],
)
def test_blank_or_binary_files_say_so(tmp_path: Path, content: bytes, message: str) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(content)
    done = run("stats", str(page))
    assert (done.returncode, done.stderr.decode()) == (3, f"Error: {page}: {message}\n")
    checked = run("check", str(page), "-f", "json")
    assert checked.returncode == 1
    assert json.loads(checked.stdout)["clean"] is False


def test_an_empty_path_is_named(tmp_path: Path) -> None:
    done = run("stats", "")
    assert (done.returncode, done.stderr.decode()) == (3, "Error: '': an empty path names no file\n")


def test_odd_file_names_are_escaped_and_every_format_stays_valid(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / os.fsdecode(b"bad\xff.txt")).write_text(hostile_page("Title"), encoding="utf-8")
    (folder / "line\rbreak.txt").write_text(hostile_page("Title"), encoding="utf-8")
    for fmt in ("json", "csv", "table"):
        done = run("stats", str(folder), "-f", fmt)
        assert done.returncode == 0, done.stderr
        done.stdout.decode("utf-8")  # valid UTF-8 throughout
    rows = json.loads(run("stats", str(folder), "-f", "json").stdout)
    assert [row["source"] for row in rows[:2]] == [f"{folder}/bad\\xff.txt", f"{folder}/line\rbreak.txt"]
    import csv
    import io

    table = list(csv.DictReader(io.StringIO(run("stats", str(folder), "-f", "csv").stdout.decode())))
    assert [row["source"] for row in table[:2]] == [f"{folder}/bad\\xff.txt", f"{folder}/line\rbreak.txt"]
    assert len(table) == 2  # a row a page: the carriage return broke no row


def test_lone_surrogates_from_a_codec_are_replaced_and_reported(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(hostile_page("Title").replace("A reply.", "A \\ud800 reply.").encode("ascii", "backslashreplace"))
    done = run("comments", str(page), "-e", "raw_unicode_escape", "-f", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[1]["text"] == "A \ufffd reply."
    assert "1 lone surrogate(s) in the text (not characters) replaced by U+FFFD" in done.stderr.decode()


def test_a_reader_that_stops_early_still_gets_the_exit_code_of_skipped_pages(tmp_path: Path) -> None:
    (tmp_path / "broken.txt").write_text("  1. Ann\n    February 30, 2020 at 10:00\n\n    x\n", encoding="utf-8")
    many = "".join(f"  {n}. Ann\n    May 1, 2020 at 10:00\n\n    Comment {n}.\n\n" for n in range(1, 5001))
    (tmp_path / "big.txt").write_text(many, encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "commentscope", "comments", str(tmp_path), "-f", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # as `| head -1` does
        assert process.wait(timeout=60) == 1
        assert process.stderr.read().decode() == (
            f"Warning: skipped {tmp_path}/broken.txt:1: cannot read the date 'February 30, 2020 at 10:00'\n"
        )


def _without_root_overrides() -> list[str]:
    """A prefix that runs a command without root's power to read any folder (CI runs as root), so
    that a folder of mode 000 is unreadable to it as to any user."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("as root, needs setpriv (util-linux) to drop the capability to read any folder")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_what_a_folder_holds_that_is_not_read_is_named(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.txt").write_text(hostile_page("Title"), encoding="utf-8")
    os.mkfifo(site / "pipe.txt")
    (site / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    locked = site / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(hostile_page("Title"), encoding="utf-8")
    locked.chmod(0)
    try:
        done = subprocess.run(
            [*_without_root_overrides(), sys.executable, "-m", "commentscope", "stats", str(site), "-f", "json"],
            capture_output=True,
            check=False,
            timeout=60,
        )
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1
    assert sorted(done.stderr.decode().splitlines()) == [
        f"Warning: skipped {site}/gone.txt: cannot be read (No such file or directory)",
        f"Warning: skipped {locked}: folder cannot be read (Permission denied)",
        f"Warning: skipped {site}/pipe.txt: not a regular file (a FIFO, a device or a socket)",
    ]
    assert json.loads(done.stdout)["source"] == f"{site}/page.txt"  # the one page read


@pytest.mark.parametrize("pattern", ["/etc/*", "../*", "a/../../*"])
def test_a_glob_that_leaves_the_folder_is_a_usage_error(tmp_path: Path, pattern: str) -> None:
    (tmp_path / "page.txt").write_text(hostile_page("Title"), encoding="utf-8")
    done = run("stats", str(tmp_path), "--glob", pattern)
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[0] == (
        f"Error: Invalid value for '--glob': --glob {pattern!r} must name files inside the folder "
        "(no absolute path, no '..')"
    )


def chain_page(tmp_path: Path, length: int) -> Path:
    """A reply chain ``length`` comments long, each a reply to the one before."""
    lines = ["Chain", ""]
    for level in range(length):
        indent = "  " * (level + 1)
        marker = "1." if level == 0 else "•"
        lines += [f"{indent}{marker} P{level}", f"{indent}  May 1, 2020 at 10:00", "", f"{indent}  Reply {level}.", ""]
    page = tmp_path / f"chain{length}.txt"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return page


def test_a_very_deep_json_tree_warns_and_points_to_the_flat_formats(tmp_path: Path) -> None:
    deep = run("tree", str(chain_page(tmp_path, 120)), "-f", "json")
    assert deep.returncode == 0
    assert deep.stderr.decode() == (
        "Warning: the JSON tree nests 241 levels, more than many JSON readers take (Python's json module, "
        "jq 1.6's 256); -f jsonl or -f csv give the same tree flat, with parent_id\n"
    )
    shallow = run("tree", str(chain_page(tmp_path, 99)), "-f", "json")
    assert (shallow.returncode, shallow.stderr) == (0, b"")  # 199 levels
    flat = run("tree", str(chain_page(tmp_path, 120)), "-f", "jsonl")
    assert flat.stderr == b"" and len(flat.stdout.splitlines()) == 120


@pytest.mark.parametrize("command", ["comments", "tree", "stats"])
def test_a_huge_title_is_cut_in_every_table(tmp_path: Path, command: str) -> None:
    page = tmp_path / "page.txt"
    page.write_text(hostile_page("Long " * 400_000), encoding="utf-8")  # a 2 MB title
    done = run(command, str(page), env={"COLUMNS": "120"})
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) < 50_000
    assert "Long Long" in done.stdout.decode()
