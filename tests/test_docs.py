"""Guard rails: the README's commands are the ones CI runs, and they stay true."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentscope.cli import app

ROOT = Path(__file__).resolve().parent.parent


def _fresh_machine_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.DOTALL)
    assert block, "README must open with a sh block of fresh-machine commands"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    install_and_run, install_and_test = _fresh_machine_commands()
    assert "commentscope stats samples/" in install_and_run
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    extraction = next(line for line in ci.splitlines() if line.startswith("test_command=$("))
    shown = subprocess.run(
        ["bash", "-c", f'{extraction}; printf %s "$test_command"'], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert shown.stdout == install_and_test
    assert 'eval "$test_command"' in ci


def test_readme_sample_paths_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in set(re.findall(r"samples/[\w.]+\.txt", readme)):
        assert (ROOT / path).is_file(), path


def _readme_examples() -> list[tuple[str, str]]:
    """(command, output) for every README block that shows `$ commentscope ...` on a sample."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = []
    for block in re.findall(r"```\n\$ (commentscope [^\n]*)\n(.*?)```", readme, re.DOTALL):
        command, output = block
        if "samples/" in command:
            examples.append((command, output))
    return examples


def test_readme_shows_examples() -> None:
    assert len(_readme_examples()) >= 6


@pytest.mark.parametrize(("command", "output"), _readme_examples())
def test_readme_example_output_is_what_the_command_prints(
    command: str, output: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run where the samples are reachable as samples/, in a scratch folder for anything written."""
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, shlex.split(command)[1:], env={"COLUMNS": "100"})
    # check exits 1 when it finds problems, which its example is there to show
    assert result.exit_code == (1 if "problems/" in command else 0), result.output

    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.rstrip("\n").splitlines()]

    assert lines(result.output) == lines(output)
