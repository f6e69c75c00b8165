"""The one error type the loaders raise for unusable input."""

from __future__ import annotations

from pathlib import Path


class LoaderInputError(Exception):
    """Input that cannot be loaded: names the file and, where known, the row and column.

    Its ``str`` is one line meant for the user; the command line prints it and exits 2.
    """

    def __init__(
        self,
        path: Path | str,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [str(self.path)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.problem}"
