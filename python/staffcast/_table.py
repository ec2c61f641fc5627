"""Result tables: core tables as pandas DataFrames, and their text formats (docs/python.md)."""

from __future__ import annotations

import io
import json
import math
from typing import Any

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


def format_table(frame: pd.DataFrame) -> str:
    """Aligned columns for people: rates in per cent, text left, numbers right."""
    kinds = kinds_of(frame)
    header = [str(c) for c in frame.columns]
    rows = text_rows(frame, percent=True)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    left = [kinds.get(c) in ("key", "text") for c in frame.columns]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(w) if l else cell.rjust(w) for cell, w, l in zip(cells, widths, left)).rstrip()

    buffer = io.StringIO()
    buffer.write(line(header) + "\n")
    for row in rows:
        buffer.write(line(row) + "\n")
    return buffer.getvalue()


def render(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return format_csv(frame)
    if fmt == "json":
        return format_json(frame)
    if fmt == "table":
        return format_table(frame)
    raise ValueError(f"unknown format {fmt!r}; use table, csv or json")

