"""Disclosure control for published tables (docs/privacy.md)."""

from __future__ import annotations

from typing import Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._table import kinds_of

__all__ = ["disclose"]


def disclose(table: pd.DataFrame, min_count: int = 5, *,
             keep_totals: Union[bool, Sequence[str]] = False) -> pd.DataFrame:
    """Suppress small counts so that no person can be singled out.

    Counts from 1 to ``min_count - 1`` are blanked (primary suppression); then
    further cells, the ``Total`` row and the row total included, so that no
    column (with its ``Total``) and no row with a row total holds exactly one
    blanked cell, choosing the cells that hide the fewest persons (secondary
    suppression, computed in C++: ``_core.suppress_cells``; a cell of the
    ``Total`` row is nobody's own cell, so a total is hidden rather than a
    group's cell). ``keep_totals`` names the columns whose ``Total`` must stay
    (``True``: every one), for totals published elsewhere too (a key figure),
    which would otherwise give the hidden cells back. In a row with a blanked
    count the rates and other numbers computed from counts are blanked too,
    and when every count of a row is blanked, its fte and mean age. Blanked columns are named in the
    ``suppressed`` column; nothing is dropped. ``attrs["staffcast"]["disclosure"]``
    says how many cells were blanked and why.

    Example:
        >>> sc.disclose(sc.retirement_outlook(reg, "2024-09-30", by="department", totals=True), min_count=5)
    """
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    kinds = kinds_of(table)
    counts = [c for c in table.columns if kinds.get(c) == "count"]
    rates = [c for c in table.columns if kinds.get(c) == "rate"]
    values = [c for c in table.columns if kinds.get(c) in ("age", "fte")]
    rates += [c for c in table.columns if kinds.get(c) == "number"]  # e.g. differences of counts
    keys = [c for c in table.columns if kinds.get(c) == "key"]
    out = table.copy()
    out.attrs = dict(table.attrs)
    n = len(out)
    if n == 0 or not counts:
        if "suppressed" not in out.columns:
            out["suppressed"] = ""
        return out
    grid = np.column_stack([pd.to_numeric(out[c], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
                            for c in counts])
    is_total = np.zeros(n, dtype=np.uint8)
    if keys:
        is_total = (out[keys[0]].astype(str).to_numpy() == "Total").astype(np.uint8)
    row_total = table.attrs.get("staffcast", {}).get("row_total")
    kept = set(counts) if keep_totals is True else set(keep_totals or ())
    fixed = np.zeros((n, len(counts)), dtype=np.uint8)
    for j, column in enumerate(counts):
        if column in kept:
            fixed[:, j] = is_total
    result = _core.suppress_cells(n, len(counts), grid.ravel().tolist(), is_total.tolist(),
                                  counts.index(row_total) if row_total in counts else -1, int(min_count),
                                  fixed=fixed.ravel().tolist())
    hidden = np.asarray(result["hidden"], dtype=bool).reshape(n, len(counts))
    names = [[] for _ in range(n)]
    for j, column in enumerate(counts):
        mask = hidden[:, j]
        if mask.any():
            out[column] = pd.array(out[column], dtype="Int64")
            out.loc[mask, column] = pd.NA
            for i in np.flatnonzero(mask):
                names[i].append(column)
    for derived, rows in ((rates, np.asarray(result["rates_hidden"], dtype=bool)),
                          (values, np.asarray(result["group_hidden"], dtype=bool))):
        for column in derived:
            if rows.any():
                out.loc[rows, column] = np.nan
                for i in np.flatnonzero(rows):
                    if column not in names[i]:
                        names[i].append(column)
    previous = out["suppressed"].fillna("").astype(str).tolist() if "suppressed" in out.columns else [""] * n
    merged = []
    for old, new in zip(previous, names):
        parts = [p for p in old.split(";") if p] + [p for p in new if p not in old.split(";")]
        merged.append(";".join(parts))
    out["suppressed"] = pd.Series(merged, index=out.index, dtype=object)
    meta = dict(out.attrs.get("staffcast", {}))
    meta_kinds = dict(meta.get("kinds", {}))
    meta_kinds["suppressed"] = "text"
    meta["kinds"] = meta_kinds
    meta["min_count"] = min_count
    meta["disclosure"] = {"min_count": int(min_count), "primary_cells": int(result["primary_cells"]),
                          "secondary_cells": int(result["secondary_cells"]),
                          "secondary_persons": float(result["secondary_persons"]),
                          "optimal": bool(result["optimal"])}
    out.attrs["staffcast"] = meta
    return out
