"""Rewrite the README's example outputs (blocks opening with `$ commentscope ... samples/...`) with
what the commands print at 100 columns, as tests/test_docs.py checks them.

    python tools/readme_examples.py
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from commentscope.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = re.compile(r"```\n\$ (commentscope [^\n]*samples/[^\n]*)\n(.*?)```", re.DOTALL)


def printed(command: str) -> str:
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "samples").symlink_to(ROOT / "samples")
        here = os.getcwd()
        os.chdir(scratch)
        try:
            result = CliRunner().invoke(app, shlex.split(command)[1:], env={"COLUMNS": "100"})
        finally:
            os.chdir(here)
    return "\n".join(line.rstrip() for line in result.output.rstrip("\n").splitlines()) + "\n"


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    updated = EXAMPLE.sub(lambda m: f"```\n$ {m.group(1)}\n{printed(m.group(1))}```", text)
    readme.write_text(updated, encoding="utf-8")
    print("README examples up to date" if updated == text else "README examples rewritten", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
