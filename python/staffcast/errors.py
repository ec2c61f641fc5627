"""Exceptions raised by staffcast."""

from __future__ import annotations

import os

import pandas as pd

from . import _core

__all__ = ["StaffcastError", "UnavailableError", "ValidationError", "no_such_file", "printable"]


def printable(text: str) -> str:
    r"""``text`` as a message may show it: control characters written as escapes, line by line (newlines
    are kept), by the C++ rule (``staffcast::printable``), so that what an input holds is shown and never
    acted on by a terminal.

    Example:
        >>> from staffcast.errors import printable
        >>> print(printable("bad\x1b[31m value"))
        bad\x1b[31m value
    """
    def one(line: str) -> str:
        try:
            data = line.encode("utf-8", "surrogateescape")  # bytes of a file name or argument kept as they are
        except UnicodeEncodeError:
            data = line.encode("utf-8", "surrogatepass")
        return _core.printable(data)

    return "\n".join(one(line) for line in str(text).split("\n"))


def no_such_file(path, what: str = "") -> FileNotFoundError:
    """The one error for a missing input file, whatever reads it: ``no such file: PATH``, and what
    the file was for where it is not the main input (``no such file: x.toml (scenario file)``)."""
    return FileNotFoundError(f"no such file: {os.fspath(path)}" + (f" ({what})" if what else ""))

#: Base class of staffcast's own runtime errors raised by the compiled core.
StaffcastError = _core.StaffcastError

#: A day or period outside the register's observed history: after its extraction date, or
#: before its earliest recorded end (a ValueError; the CLI exits 2). docs/data.md says why.
UnavailableError = _core.UnavailableError


class ValidationError(ValueError):
    """An input has hard errors; nothing was computed.

    ``issues`` is a DataFrame with one row per problem and the columns
    ``file, row, line, column, code, message, value, severity``. ``row`` counts
    records with the header as row 1 (as a spreadsheet shows it); ``line`` is the
    physical line where the record starts. Person keys and birth dates never
    appear in ``value`` or ``message``.

    Example:
        >>> try:
        ...     sc.read_register("examples/data/employments.csv", date_format="%d/%m/%Y")
        ... except sc.ValidationError as error:
        ...     print(error.issues[["row", "column", "code"]])
    """

    def __init__(self, issues: pd.DataFrame, dropped: int = 0) -> None:
        self.issues = issues
        self.dropped = dropped
        errors = issues[issues["severity"] == "error"]
        lines = [f"{len(errors) + dropped} error(s) in input"]
        for record in errors.head(10).itertuples(index=False):
            lines.append("  " + format_issue(record))
        if len(errors) > 10 or dropped:
            lines.append(f"  ... and {len(errors) - 10 + dropped if len(errors) > 10 else dropped} more")
        super().__init__("\n".join(lines))


def format_issue(record) -> str:
    """One issue as a human-readable line: where, what, and the offending value."""
    # Row 0: an issue of the whole input (the assumed extraction date), not of one record.
    where = f"{record.file}: row {record.row}" if record.row else f"{record.file}"
    if record.line is not None and not pd.isna(record.line) and int(record.line) != int(record.row):
        where += f" (line {int(record.line)})"
    if record.column:
        where += f", column {record.column}"
    text = f"{where}: {record.severity} {record.code}: {record.message}"
    if record.value:
        text += f" [value: {record.value}]"
    return printable(text)
