"""Errors meant for people: which file, which line, what was expected, what to do."""

from __future__ import annotations


class ExportError(ValueError):
    """A LinkedIn export that cannot be read as given.

    The message names the file, the line when there is one, the problem, and what to do, e.g.
    ``Connections.csv, line 57: 'Connected On' is '2026/02/07', ... What to do: ...``.
    """

    def __init__(self, file: str, line: int | None, problem: str, todo: str):
        self.file, self.line, self.problem, self.todo = file, line, problem, todo
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {problem}.\nWhat to do: {todo}")
