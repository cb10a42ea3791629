"""Where output goes: standard output, a file replaced atomically, or a folder of reports."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from commentscope.writers import Result, WriteOptions, Writer


@contextmanager
def standard_output() -> Iterator[IO[str]]:
    """Standard output for data; a write error there (a full disk) is an OutputError naming it.

    A closed stdout (``>&-``) takes the data nowhere, as a shell's own commands do; a reader that
    went away raises BrokenPipeError, which the command turns into a quiet end."""
    from commentscope.errors import OutputError

    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    try:
        yield sys.stdout
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write ({error.strerror or error})", source="<stdout>") from None


@contextmanager
def open_output(path: Path) -> Iterator[IO[str]]:
    """Write a file whole or not at all: a temporary file beside it, renamed on success.

    Only a regular file (or a new one) is replaced that way, and a symbolic link is followed to
    its target first, so ``-o link.json`` writes where the link points. A FIFO, a device or
    ``/dev/stdout`` is written through in place: its reader gets the data.
    """
    from commentscope.errors import OutputError

    path = Path(path)
    try:
        in_place = not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # missing (or a dangling link): a new regular file
        in_place = False
    if in_place:
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                yield handle
        except OSError as error:
            raise OutputError(f"cannot write ({error.strerror or error})", source=str(path)) from None
        return
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        yield handle


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` (a link followed to its target), renamed onto it on success.

    The writer fills the temporary file or folder; on any error it is removed and ``path`` is untouched."""
    import shutil

    from commentscope.errors import OutputError

    target = Path(os.path.realpath(path))
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield temporary
        os.replace(temporary, target)
    except OSError as error:
        raise OutputError(f"cannot write ({error.strerror or error})", source=str(path)) from None
    finally:
        with suppress(OSError):
            if temporary.is_dir():
                shutil.rmtree(temporary)
            else:
                temporary.unlink(missing_ok=True)


def refuse_inputs(output: Path | None, inputs: Iterable[str]) -> None:
    """OutputError when the output is one of the inputs (by device and inode, so ``./page.txt``,
    an absolute path and a link to it are all caught): writing it would destroy the page."""
    from commentscope.errors import OutputError

    if output is None:
        return
    try:
        wanted = os.stat(output)
    except OSError:
        return
    if not stat.S_ISREG(wanted.st_mode):
        return
    for name in inputs:
        with suppress(OSError, ValueError):
            found = os.stat(name)
            if (found.st_dev, found.st_ino) == (wanted.st_dev, wanted.st_ino):
                raise OutputError(f"is one of the inputs ({name}); choose another output file", source=str(output))


def write_reports(
    reports: Mapping[str, Result],
    directory: Path,
    writer: Writer,
    options: WriteOptions,
    *,
    force: bool = False,
    inputs: Iterable[str] = (),
) -> list[Path]:
    """Write several reports into ``directory`` as ``NAME.EXT``, all of them or none; a writer that
    takes named tables gets them all at once, into the one file ``directory`` names.

    Without ``force``, each target is first created exclusively, so that of two exports racing into
    one folder only one can claim a name: the other is refused, never overwrites. Each report goes
    to a temporary file, renamed into place only once every one has been written.
    """
    from commentscope.errors import OutputError
    from commentscope.writers import Target, check_writer

    directory = Path(directory)
    for result in reports.values():
        check_writer(writer, result, options, directory)
    one_file = {"": directory}
    targets = one_file if writer.tables else {name: directory / f"{name}.{writer.extension}" for name in reports}
    for target in targets.values():
        refuse_inputs(target, inputs)
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing and not force:
        raise OutputError(f"would overwrite {', '.join(existing)} (use --force)", source=str(directory))
    folder = directory.parent if writer.tables else directory
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the folder ({error.strerror})", source=str(folder)) from None
    claimed = [] if force or writer.tables else _claim(list(targets.values()), directory)
    try:
        with ExitStack() as files:
            if writer.tables:
                tables = {name: result.for_writer(writer) for name, result in reports.items()}
                writer.write(tables, files.enter_context(atomic_path(directory)), options)
            for name, result in reports.items() if not writer.tables else ():
                data = result.for_writer(writer)
                if writer.target is Target.stream:
                    writer.write(data, files.enter_context(open_output(targets[name])), options)
                else:
                    writer.write(data, files.enter_context(atomic_path(targets[name])), options)
    except BaseException:
        _unlink(claimed)
        raise
    return list(targets.values())


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        with suppress(OSError):
            path.unlink()


def _claim(targets: list[Path], directory: Path) -> list[Path]:
    """Create every target, empty and exclusively, or none (OutputError: another run got there first)."""
    from commentscope.errors import OutputError

    claimed: list[Path] = []
    for target in targets:
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except OSError as error:
            _unlink(claimed)
            reason = "would overwrite" if isinstance(error, FileExistsError) else f"cannot write ({error.strerror})"
            raise OutputError(f"{reason} {target} (use --force)", source=str(directory)) from None
        claimed.append(target)
    return claimed
