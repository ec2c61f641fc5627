"""Result tables: core tables as pandas DataFrames, and their text formats (docs/python.md)."""

from __future__ import annotations

import io
import json
import math
from typing import Any, Optional

import numpy as np
import pandas as pd

from . import _core

KINDS_KEY = "kinds"


# pandas 3 infers its string dtype from object arrays of str; wrapping them in an
# object Series keeps object dtype there. pandas 2 keeps object arrays as they
# are, and a frame of plain arrays builds in less than half the time (no index
# alignment), which is most of a small table's call.
_WRAP_TEXT = int(pd.__version__.split(".")[0]) >= 3


def _objects(values: Any) -> np.ndarray:
    """An object array of `values` (np.array would make a str array, or a 2-D one of sequences)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _text_column(values: np.ndarray) -> Any:
    return pd.Series(values, dtype=object, copy=False) if _WRAP_TEXT else values


def to_frame(table: dict, name: str, **meta: Any) -> pd.DataFrame:
    """A core table as a DataFrame: key columns, then values; ``attrs["staffcast"]`` says what it is."""
    # Every column is a new array made here, so the frame takes them without a copy.
    data: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    for key, codes, labels in table["keys"]:
        data[key] = _text_column(_objects(labels)[np.asarray(codes, dtype=np.intp)])
        kinds[key] = "key"
    for column, kind, values in table["values"]:
        values = np.asarray(values, dtype="float64")
        if kind == "count":
            if np.isnan(values).any():
                data[column] = pd.array(np.where(np.isnan(values), 0, values).astype("int64"), dtype="Int64")
                data[column][np.isnan(values)] = pd.NA
            else:
                data[column] = values.astype("int64")
        elif kind == "flag":
            data[column] = values.astype(bool)
        else:
            data[column] = values
        kinds[column] = kind
    if table.get("suppressed") is not None:
        data["suppressed"] = _text_column(_objects(table["suppressed"]))
        kinds["suppressed"] = "text"
    frame = pd.DataFrame(data, copy=False)
    frame.attrs["staffcast"] = {"table": name, KINDS_KEY: kinds, **meta}
    return frame


def kinds_of(frame: pd.DataFrame) -> dict[str, str]:
    return dict(frame.attrs.get("staffcast", {}).get(KINDS_KEY, {}))


_VALUE_KINDS = ("count", "fte", "age", "rate", "flag", "number")


def _columns(frame: pd.DataFrame) -> list[tuple[str, str, Any]]:
    """(name, kind, values) of each column for the C++ table format: a value kind (count, fte, age, rate, flag,
    number; a column without a known kind is a number) or key/text; numeric value columns as numpy arrays."""
    kinds = kinds_of(frame)
    columns = []
    for index, name in enumerate(frame.columns):
        kind = kinds.get(name, "number")
        if kind not in ("key", "text") and kind not in _VALUE_KINDS:
            kind = "number"
        column = frame.iloc[:, index]
        numeric = kind not in ("key", "text") and isinstance(column.dtype, np.dtype) and column.dtype.kind in "fiu"
        columns.append((str(name), kind, column.to_numpy() if numeric else column.tolist()))
    return columns


def text_rows(frame: pd.DataFrame, percent: bool = False) -> list[list[str]]:
    """The cells of each row as text, formatted by the C++ table format (the csv cells; with ``percent``,
    rates as 100*x with 1 decimal and '%')."""
    cells = [_core.format_cells(values, kind, percent) for _, kind, values in _columns(frame)]
    if not cells:
        return [[] for _ in range(len(frame))]
    return [list(row) for row in zip(*cells)]


def format_csv(frame: pd.DataFrame) -> str:
    """UTF-8 CSV text: header, LF line ends, minimal RFC 4180 quoting. The cells and the quoting are the
    C++ table format's (staffcast/io/table_format.hpp), so the CLI and C++ programs print the same bytes."""
    return _core.format_csv(_columns(frame))


def format_json(frame: pd.DataFrame) -> str:
    """A list of row objects; NaN as null; numbers as numbers."""
    kinds = kinds_of(frame)
    out = []
    for record in frame.itertuples(index=False):
        row = {}
        for column, value in zip(frame.columns, record):
            kind = kinds.get(column, "number")
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                row[column] = None
            elif kind in ("key", "text"):
                row[column] = str(value)
            elif kind == "count":
                row[column] = int(value)
            elif kind == "flag" or isinstance(value, (bool, np.bool_)):
                row[column] = bool(value)
            else:
                row[column] = float(value)
        out.append(row)
    return json.dumps(out, ensure_ascii=False) + "\n"


def column_blocks(widths: list[int], keys: int, width: int) -> list[list[int]]:
    """The columns of each block of a table wider than ``width``: the first ``keys`` columns in every block,
    then as many of the others, in order, as fit in ``width`` with two spaces between columns (at least one
    each, however wide).

    Example:
        >>> column_blocks([4, 10, 10, 10], keys=1, width=30)
        [[0, 1, 2], [0, 3]]
    """
    key_width = sum(widths[:keys]) + 2 * keys
    blocks: list[list[int]] = []
    current: list[int] = []
    used = key_width
    for index in range(keys, len(widths)):
        if current and used + widths[index] > width:
            blocks.append(list(range(keys)) + current)
            current, used = [], key_width
        current.append(index)
        used += widths[index] + 2
    if current or not blocks:
        blocks.append(list(range(keys)) + current)
    return blocks


def format_table(frame: pd.DataFrame, width: Optional[int] = None) -> str:
    """Aligned columns for people: rates in per cent, text left, numbers right. With ``width``, a table wider
    than ``width`` characters is split into blocks of columns, one under the other with a blank line between,
    each repeating the leading key columns.

    Example:
        >>> t = sc.turnover(reg, "2023-10-01", "2024-09-30", by="gender", totals=True, compare="previous-year")
        >>> print(format_table(t[["gender", "departures", "departures_prev", "departures_diff", "departures_pct"]],
        ...                    width=40))
        gender  departures  departures_prev
        F              148              126
        M               45               34
        X                1                1
        Total          194              161
        <BLANKLINE>
        gender  departures_diff  departures_pct
        F                    22           17.5%
        M                    11           32.4%
        X                     0            0.0%
        Total                33           20.5%
    """
    kinds = kinds_of(frame)
    header = [str(c) for c in frame.columns]
    rows = text_rows(frame, percent=True)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    left = [kinds.get(c) in ("key", "text") for c in frame.columns]
    keys = 0
    while keys < len(header) and kinds.get(frame.columns[keys]) == "key":
        keys += 1
    total = sum(widths) + 2 * max(len(widths) - 1, 0)
    blocks = column_blocks(widths, keys, width) if width is not None and total > width else [
        list(range(len(header)))]

    def line(cells: list[str], columns: list[int]) -> str:
        return "  ".join(cells[i].ljust(widths[i]) if left[i] else cells[i].rjust(widths[i])
                         for i in columns).rstrip()

    buffer = io.StringIO()
    for number, columns in enumerate(blocks):
        if number:
            buffer.write("\n")
        buffer.write(line(header, columns) + "\n")
        for row in rows:
            buffer.write(line(row, columns) + "\n")
    return buffer.getvalue()


def render(frame: pd.DataFrame, fmt: str, width: Optional[int] = None) -> str:
    """The frame as ``fmt`` (csv, json or table; ``width``: see format_table)."""
    if fmt == "csv":
        return format_csv(frame)
    if fmt == "json":
        return format_json(frame)
    if fmt == "table":
        return format_table(frame, width)
    raise ValueError(f"unknown format {fmt!r}; use table, csv or json")

