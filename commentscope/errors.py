"""One exception family and the exit codes the CLI maps them to."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit statuses a script can rely on."""

    OK = 0
    PROBLEMS = 1  # the command ran, and found problems (check) or skipped pages
    USAGE = 2  # typer/click's own code for bad options
    INPUT = 3  # a file could not be read
    PARSE = 4  # a page could not be parsed
    OUTPUT = 5  # a report could not be written
    INTERNAL = 70  # a bug: please report it (EX_SOFTWARE)


class CommentscopeError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = ExitCode.INPUT

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        where = self.source or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(CommentscopeError):
    """The input could not be read at all (missing, a folder, empty, not text)."""

    exit_code = ExitCode.INPUT


class ParseError(CommentscopeError):
    """The input was read but a part of it cannot be understood."""

    exit_code = ExitCode.PARSE


class OutputError(CommentscopeError):
    """A report could not be written."""

    exit_code = ExitCode.OUTPUT
