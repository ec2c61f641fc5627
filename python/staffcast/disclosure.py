"""Disclosure control for published tables (docs/privacy.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._table import kinds_of

__all__ = ["disclose"]


def disclose(table: pd.DataFrame, min_count: int = 5) -> pd.DataFrame:
    """Suppress small counts so that no person can be singled out.

    Counts from 1 to ``min_count - 1`` are blanked (primary suppression); then
    further cells, the smallest first, until every row and every count column
    that holds a suppressed cell holds at least two, so that none can be
    recovered from the totals (secondary suppression). In a row with a blanked
    count, the derived values (rates, means, fte) are blanked too. Blanked
    columns are named in the ``suppressed`` column; nothing is dropped.

    Example:
        >>> sc.disclose(sc.retirement_outlook(reg, "2024-09-30", by="department", totals=True), min_count=5)
    """
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    kinds = kinds_of(table)
    counts = [c for c in table.columns if kinds.get(c) == "count"]
    derived = [c for c in table.columns if kinds.get(c) in ("rate", "age", "fte", "number")]
    keys = [c for c in table.columns if kinds.get(c) == "key"]
    out = table.copy()
    out.attrs = dict(table.attrs)
    n = len(out)
    if n == 0 or not counts:
        if "suppressed" not in out.columns:
            out["suppressed"] = ""
        return out
    values = np.column_stack([pd.to_numeric(out[c], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
                              for c in counts])
    hidden = (values >= 1) & (values < min_count)
    is_total = np.zeros(n, dtype=bool)
    if keys:
        is_total = out[keys[0]].astype(str).to_numpy() == "Total"
    inner_rows = np.flatnonzero(~is_total)
    row_total = table.attrs.get("staffcast", {}).get("row_total")
    inner_cols = [j for j, c in enumerate(counts) if c != row_total]

    def protect(cells: list[tuple[int, int]]) -> bool:
        """Hide the smallest visible cell among `cells`; False when none is left."""
        visible = [(values[i, j], i, j) for i, j in cells if not hidden[i, j] and not np.isnan(values[i, j])]
        if not visible:
            return False
        _, i, j = min(visible)
        hidden[i, j] = True
        return True

    changed = True
    while changed:
        changed = False
        if row_total in counts and len(inner_cols) >= 2:  # a row can be recovered from its row total
            for i in range(n):
                row = [(i, j) for j in inner_cols]
                if sum(hidden[i, j] for j in inner_cols) == 1 and protect(row):
                    changed = True
        if len(inner_rows) >= 2:  # a column can be recovered from the Total row
            for j in range(len(counts)):
                column = [(i, j) for i in inner_rows]
                if sum(hidden[i, j] for i in inner_rows) == 1 and protect(column):
                    changed = True
    names = [[] for _ in range(n)]
    for j, column in enumerate(counts):
        mask = hidden[:, j]
        if mask.any():
            out[column] = pd.array(out[column], dtype="Int64")
            out.loc[mask, column] = pd.NA
            for i in np.flatnonzero(mask):
                names[i].append(column)
    row_hidden = hidden.any(axis=1)
    for column in derived:
        if row_hidden.any():
            out.loc[row_hidden, column] = np.nan
            for i in np.flatnonzero(row_hidden):
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
    out.attrs["staffcast"] = meta
    return out
