"""``--version`` and ``--help`` answer without importing pandas (about half a second of start-up);
commands that parse use the C library's malloc for Arrow's buffers (and have it keep what is freed),
freeze the objects their imports made (the collector is on again afterwards), and load rich only to
draw.

Each case runs in a fresh interpreter, since this test session has long imported pandas.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from commentscope import __version__

PROBE = """
import gc, json, os, sys
sys.argv = ["commentscope", *json.loads(sys.argv[1])]
from commentscope.cli import main
frozen_before = gc.get_freeze_count()  # the interpreter's own start-up may have frozen some already
codes = []
os._exit = codes.append  # main() ends the process there: look around first
main()
code = codes[0]
heavy = sorted(name for name in ("pandas", "numpy", "pyarrow", "dateutil") if name in sys.modules)
pool = sys.modules["pyarrow"].default_memory_pool().backend_name if "pyarrow" in heavy else None
collector = {"enabled": gc.isenabled(), "newly_frozen": gc.get_freeze_count() - frozen_before}
kept = None
if sys.platform == "linux":  # glibc's malloc: does its heap keep a freed 24 MB block?
    import ctypes
    libc = ctypes.CDLL(None)
    if hasattr(libc, "mallinfo2"):
        class Info(ctypes.Structure):
            names = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"
            _fields_ = [(name, ctypes.c_size_t) for name in names.split()]
        libc.mallinfo2.restype = Info
        block = bytearray(24 << 20)
        del block
        kept = libc.mallinfo2().fordblks  # free bytes the heap holds
report = {
    "code": code, "heavy": heavy, "pool": pool, "rich": "rich" in sys.modules, "collector": collector, "kept": kept
}
print(json.dumps(report), file=sys.stderr)
"""


def run_cli(*args: str) -> tuple[str, dict[str, object]]:
    """Standard output of the command, and its exit code, heavy modules imported, Arrow's allocator,
    whether rich was loaded and the garbage collector's state."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_version_answers_without_pandas() -> None:
    output, report = run_cli("--version")
    assert output.strip() == f"commentscope {__version__}"
    assert {key: report[key] for key in ("code", "heavy", "pool")} == {"code": 0, "heavy": [], "pool": None}


@pytest.mark.parametrize("args", [("--help",), ("stats", "--help")])
def test_help_answers_without_pandas(args: tuple[str, ...]) -> None:
    output, report = run_cli(*args)
    assert "Usage:" in output
    assert {key: report[key] for key in ("code", "heavy", "pool")} == {"code": 0, "heavy": [], "pool": None}


def test_a_command_allocates_arrow_buffers_with_malloc(samples: Path) -> None:
    output, report = run_cli("stats", str(samples / "deep.txt"), "-f", "json")
    assert json.loads(output)["comments"] == 10
    assert report["code"] == 0
    assert report["pool"] == "system"


def test_a_command_freezes_its_imports_and_collects_again(samples: Path) -> None:
    output, report = run_cli("stats", str(samples / "deep.txt"), "-f", "json")
    assert json.loads(output)["comments"] == 10
    assert report["collector"]["enabled"] is True
    assert report["collector"]["newly_frozen"] > 10_000  # pandas and pyarrow's objects, skipped by later collections


def test_version_leaves_the_collector_alone() -> None:
    _, report = run_cli("--version")
    assert report["collector"] == {"enabled": True, "newly_frozen": 0}


def test_a_command_keeps_freed_memory_for_its_next_stage(samples: Path) -> None:
    _, version = run_cli("--version")
    output, report = run_cli("stats", str(samples / "deep.txt"), "-f", "json")
    if report["kept"] is None:
        pytest.skip("not glibc: malloc is left as it is")
    assert json.loads(output)["comments"] == 10
    assert report["kept"] >= 24 << 20  # served from the heap and kept there, not mapped and handed back
    assert version["kept"] < 24 << 20  # as malloc does by default


@pytest.mark.parametrize(("fmt", "rich"), [("json", False), ("csv", False), ("table", True)])
def test_rich_is_loaded_only_to_draw_a_table(samples: Path, fmt: str, rich: bool) -> None:
    output, report = run_cli("comments", str(samples / "deep.txt"), "-f", fmt)
    assert "Priya N." in output
    assert report["code"] == 0
    assert report["rich"] is rich


IN_PROCESS = """
import gc, json, sys
import pyarrow as pa
from typer.testing import CliRunner
from commentscope.cli import app
before = {"frozen": gc.get_freeze_count(), "pool": pa.default_memory_pool().backend_name, "gc": gc.isenabled()}
codes = [CliRunner().invoke(app, ["stats", sys.argv[1], "-f", "json"]).exit_code for _ in range(2)]
after = {"frozen": gc.get_freeze_count(), "pool": pa.default_memory_pool().backend_name, "gc": gc.isenabled()}
print(json.dumps({"codes": codes, "before": before, "after": after}))
"""


def test_the_app_called_in_process_leaves_the_process_as_it_was(samples: Path) -> None:
    """Only main(), the console script, tunes the process; a program calling the app keeps its own."""
    done = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, str(samples / "deep.txt")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report = json.loads(done.stdout)
    assert report["codes"] == [0, 0]
    assert report["after"] == report["before"]
