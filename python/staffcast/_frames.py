"""Conversions between the compiled core and pandas / Arrow."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .errors import ValidationError

ISSUE_COLUMNS = ["file", "row", "line", "column", "code", "message", "value", "severity"]


def issues_frame(issues: dict) -> pd.DataFrame:
    """The core's issue columns as a DataFrame with stable dtypes."""
    frame = pd.DataFrame({name: issues[name] for name in ISSUE_COLUMNS})
    frame["row"] = frame["row"].astype("int64")
    frame["line"] = pd.array(frame["line"], dtype="Int64")
    for name in ["file", "column", "code", "message", "value", "severity"]:
        frame[name] = frame[name].astype(object)
    return frame


def checked(result: tuple) -> tuple[Any, pd.DataFrame]:
    """A reader's (core object, issues): the object and the issues as a frame; ValidationError
    when the core refused the input (object None)."""
    core, issues = result
    frame = issues_frame(issues)
    if core is None:
        raise ValidationError(frame, dropped=int(issues["dropped"]))
    return core, frame


def days_to_dates(days: np.ndarray, open_end: int | None = None) -> np.ndarray:
    """Day numbers since 1970-01-01 as datetime64[D]; `open_end` becomes NaT."""
    out = days.astype("int64").astype("datetime64[D]")
    if open_end is not None:
        out[days == open_end] = np.datetime64("NaT")
    return out


def is_table_like(source: Any) -> bool:
    return isinstance(source, (pd.DataFrame, pa.Table, pa.RecordBatch)) or hasattr(source, "__arrow_c_stream__")


def to_arrow_table(source: Any) -> pa.Table:
    if isinstance(source, pa.Table):
        return source
    if isinstance(source, pa.RecordBatch):
        return pa.Table.from_batches([source])
    if isinstance(source, pd.DataFrame):
        return pa.Table.from_pandas(source, preserve_index=False)
    if hasattr(source, "__arrow_c_stream__"):
        return pa.table(source)
    raise TypeError(f"cannot read a table from {type(source).__name__}")


def _as_text(column: pa.ChunkedArray) -> pa.Array:
    """A column as large_string, dates as YYYY-MM-DD and numbers as plain decimals."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = kind.value_type
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        column = pc.strftime(column, format="%Y-%m-%d")
    elif pa.types.is_null(kind):
        column = pa.chunked_array([pa.nulls(len(column), pa.large_string())])
    array = column.cast(pa.large_string()).combine_chunks()
    if isinstance(array, pa.ChunkedArray):  # pragma: no cover - older pyarrow
        array = pa.concat_arrays(array.chunks) if array.num_chunks else pa.array([], pa.large_string())
    return array


def arrow_buffers(table: pa.Table, wanted: set[str] | None = None) -> tuple[list[str], list[tuple]]:
    """Names and (offsets, data, valid) numpy buffers of the table's columns as text."""
    names: list[str] = []
    buffers: list[tuple] = []
    for name in table.column_names:
        if wanted is not None and name not in wanted:
            continue
        array = _as_text(table.column(name))
        n = len(array)
        bufs = array.buffers()
        offsets = np.frombuffer(bufs[1], dtype=np.int64)[array.offset : array.offset + n + 1]
        data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
        valid = array.is_valid().to_numpy(zero_copy_only=False)
        names.append(str(name))
        buffers.append((offsets, data, valid))
    return names, buffers


def source_label(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return f"<{type(source).__name__}>"
