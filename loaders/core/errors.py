"""The one error type the loaders raise for unusable input, and one-line messages.

Every message the loaders print about a failure is one line: file names, URLs, cell values
and server answers are quoted through :func:`one_line`, so a file called ``a\\nerror: b.csv``
can never print a second ``error:`` line of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

# Characters that break a line or steer a terminal: C0 and C1 controls, DEL, and Unicode's
# line and paragraph separators (a terminal or a log reader may start a new line at each).
_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def one_line(text: object) -> str:
    """``str(text)`` with every line break and control character written as an escape
    (``\\n``, ``\\r``, ``\\t``, ``\\x1b``, ``\\u2028``...), so it prints as one line."""
    return _BREAKING.sub(_escaped, str(text))


class LoaderInputError(Exception):
    """Input that cannot be loaded: names the file and, where known, the row and column.

    Its ``str`` is one line meant for the user (file name, column and problem escaped by
    :func:`one_line`); the command line prints it and exits 2.
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
        where = [one_line(self.path)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {one_line(repr(self.column))}")
        return f"{', '.join(where)}: {one_line(self.problem)}"
