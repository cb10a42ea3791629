"""``--version`` and ``--help`` answer without importing pandas (about half a second of start-up).

Each case runs in a fresh interpreter, since this test session has long imported pandas.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from commentscope import __version__

PROBE = """
import json, sys
sys.argv = ["commentscope", *json.loads(sys.argv[1])]
from commentscope.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
else:
    code = 0
heavy = sorted(name for name in ("pandas", "numpy", "pyarrow", "dateutil") if name in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def run_cli(*args: str) -> tuple[str, dict[str, object]]:
    """Standard output of the command, and its exit code and heavy modules imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_version_answers_without_pandas() -> None:
    output, report = run_cli("--version")
    assert output.strip() == f"commentscope {__version__}"
    assert report == {"code": 0, "heavy": []}


@pytest.mark.parametrize("args", [("--help",), ("stats", "--help")])
def test_help_answers_without_pandas(args: tuple[str, ...]) -> None:
    output, report = run_cli(*args)
    assert "Usage:" in output
    assert report == {"code": 0, "heavy": []}
