"""Rich display of staffcast tables: the ``frame.staffcast`` pandas accessor.

Statistics return plain DataFrames (docs/python.md) whose ``attrs["staffcast"]``
says what they are. The accessor adds what a notebook wants on top:
``frame.staffcast.plot()`` (the right plot of :mod:`staffcast.plot`),
``frame.staffcast`` shown in Jupyter as a compact table with the key figure on
top (``to_html()``), ``key_figure()``, ``to_frame()`` and ``disclose()``.

Example:
    >>> t = sc.turnover(reg, "2023-10-01", "2024-09-30", by="age_band", totals=True)
    >>> t.staffcast.key_figure()
    ('Turnover', '18.4%')
    >>> t.staffcast            # in Jupyter: the key figure, then the table in per cent
    >>> t.staffcast.plot(lang="sv")
"""

from __future__ import annotations

import html
import math
from typing import Any, Optional

import pandas as pd

from . import plot as _plot
from ._i18n import check_lang, code, column, localise, number, percent, text
from ._table import kinds_of, text_rows
from .disclosure import disclose as _disclose

__all__ = ["StaffcastAccessor", "key_figure", "html_table"]


def _number(value: float, lang: str = "en") -> str:
    return number(value, lang, 0 if float(value).is_integer() else 1)


def _total_row(frame: pd.DataFrame) -> Optional[pd.Series]:
    kinds = kinds_of(frame)
    keys = [c for c in frame.columns if kinds.get(c) == "key" and c not in ("period_start", "period_end", "year")]
    if not keys:
        return frame.iloc[0] if len(frame) == 1 else None
    totals = frame[frame[keys[0]].astype(str) == "Total"]
    return totals.iloc[-1] if len(totals) else None


def _value(row: Optional[pd.Series], name: str) -> float:
    if row is None or name not in row.index:
        return math.nan
    value = pd.to_numeric(pd.Series([row[name]]), errors="coerce").iloc[0]
    return float(value) if pd.notna(value) else math.nan


def key_figure(frame: pd.DataFrame, lang: str = "en") -> tuple[str, str]:
    """The one figure that sums a staffcast table up, as (label, text).

    snapshot: total headcount; full_time: full-time share; flows: departures
    and recruitments; turnover: the overall turnover; sick_leave: the overall
    sick rate; retirement_outlook: the total reaching the age; recruitment_need:
    the need summed over the years; indicator_followup: how many are off target
    or trending the wrong way; a projection: the median ``end`` in the last
    year. Without a total row the figure is computed from the groups where that
    is exact (sums of counts), otherwise it is the number of rows.

    Example:
        >>> key_figure(sc.snapshot(reg, "2024-09-30"))
        ('Headcount', '1,102')
    """
    check_lang(lang)
    meta = frame.attrs.get("staffcast", {})
    name = meta.get("table")
    kinds = kinds_of(frame)
    total = _total_row(frame)
    counts = {c: pd.to_numeric(frame[c], errors="coerce") for c in frame.columns if kinds.get(c) == "count"}
    keys = [c for c in frame.columns if kinds.get(c) == "key"]
    inner = frame[frame[keys[0]].astype(str) != "Total"] if keys else frame

    def summed(col: str) -> float:
        if total is not None:
            return _value(total, col)
        values = pd.to_numeric(inner[col], errors="coerce")
        return float(values.sum()) if not values.isna().any() else math.nan

    def rate(col: str) -> Optional[str]:
        value = _value(total, col)
        return None if math.isnan(value) else percent(value, lang)

    if {"measure", "mean", "year"} <= set(frame.columns):
        ends = frame[frame["measure"].astype(str) == "end"]
        if "scenario" in ends.columns and len(ends):
            ends = ends[ends["scenario"] == ends["scenario"].iloc[0]]
        others = [c for c in ends.columns if ends[c].dtype == object and c not in ("measure", "scenario")]
        for other in others:
            if (ends[other].astype(str) == "Total").any():
                ends = ends[ends[other].astype(str) == "Total"]
        if len(ends) and all(ends[c].nunique() == 1 for c in others):
            last = ends.loc[pd.to_numeric(ends["year"]).idxmax()]
            value = last["p50"] if "p50" in last and pd.notna(last["p50"]) else last["mean"]
            return (text("kf.final", lang, measure=column("end", lang), year=last["year"]), _number(float(value), lang))
    if name in ("snapshot", "top_positions") and "headcount" in counts:
        value = summed("headcount")
        if not math.isnan(value):
            return column("headcount", lang), _number(value, lang)
    if name == "full_time" and rate("full_time_share"):
        return column("full_time_share", lang), rate("full_time_share")
    if name == "turnover" and rate("turnover"):
        return column("turnover", lang), rate("turnover")
    if name == "sick_leave" and rate("sick_rate") and "period_start" not in frame.columns:
        return column("sick_rate", lang), rate("sick_rate")
    if name == "retirement_outlook" and "total" in counts:
        value = summed("total")
        if not math.isnan(value):
            return column("total", lang), _number(value, lang)
    if name == "recruitment_need" and "recruitment_need" in frame.columns:
        rows = frame[frame[keys[0]].astype(str) == "Total"] if keys and keys[0] != "year" else frame
        if keys and keys[0] != "year" and rows.empty:
            rows = inner
        values = pd.to_numeric(rows["recruitment_need"], errors="coerce")
        if not values.isna().any():
            return column("recruitment_need", lang), _number(round(float(values.sum()), 1), lang)
    if name == "expected_retirements" and "total_expected" in frame.columns:
        groups = [k for k in keys if k != "year"]
        rows = frame[frame[groups[0]].astype(str) == "Total"] if groups else frame
        values = pd.to_numeric((rows if len(rows) else inner)["total_expected"], errors="coerce")
        if not values.isna().any():
            return column("total_expected", lang), _number(round(float(values.sum()), 1), lang)
    if name == "indicator_followup" and {"target_missed", "trend_wrong"} <= set(frame.columns):
        flagged = int((frame["target_missed"].astype(bool) | frame["trend_wrong"].astype(bool)).sum())
        return text("kf.off_target", lang), f"{flagged} / {len(frame)}"
    if name in ("flows", "departures", "recruitments"):
        parts = [f"{column(c, lang)} {_number(summed(c), lang)}" for c in ("departures", "recruitments")
                 if c in counts and not math.isnan(summed(c))]
        if parts:
            return text("kf.total", lang), ", ".join(parts)
    return text("kf.rows", lang), f"{len(frame):,}"


def html_table(frame: pd.DataFrame, lang: str = "en", max_rows: Optional[int] = 40, labels: bool = True,
               css_class: str = "staffcast") -> str:
    """A compact HTML table in the table's own number formats (per cent for rates, · for suppressed cells).

    Column headers and codes (F/M, permanent, Total) are labelled in ``lang``
    when ``labels`` is true; beyond ``max_rows`` the rest is summarised.

    Example:
        >>> html_table(sc.snapshot(reg, "2024-09-30", by="gender", totals=True), lang="sv")
    """
    check_lang(lang)
    kinds = kinds_of(frame)
    shown = frame if max_rows is None or len(frame) <= max_rows else frame.head(max_rows)
    columns = list(frame.columns)
    suppressed_cells = set()
    if "suppressed" in frame.columns:
        for i, names in enumerate(shown["suppressed"].fillna("").astype(str)):
            for name in names.split(";"):
                if name:
                    suppressed_cells.add((i, name))
    head = "".join(f"<th>{html.escape(column(str(c), lang) if labels else str(c))}</th>" for c in columns)
    body = []
    for i, row in enumerate(text_rows(shown, percent=True)):
        cells = []
        for name, cell in zip(columns, row):
            kind = kinds.get(name, "number")
            if kind == "key" and labels:
                cell = code(cell, lang)
            elif kind == "flag":
                cell = "⚠" if cell == "true" else ""
            elif kind != "text" and name != "suppressed":
                cell = localise(cell, lang)
            elif name == "suppressed" and labels:
                cell = ", ".join(column(part, lang) for part in cell.split(";") if part)
            if cell == "" and (i, name) in suppressed_cells:
                cell = "·"
            align = "" if kind in ("key", "text") else " class='flag'" if kind == "flag" else " class='num'"
            cells.append(f"<td{align}>{html.escape(cell)}</td>")
        css = " class='total'" if row and row[0] == "Total" else ""
        body.append(f"<tr{css}>" + "".join(cells) + "</tr>")
    more = ""
    if len(shown) < len(frame):
        more = f"<p class='more'>… {len(frame) - len(shown):,} more rows</p>"
    return (f"<table class='{css_class}'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            + more)


@pd.api.extensions.register_dataframe_accessor("staffcast")
class StaffcastAccessor:
    """``frame.staffcast``: plot, compact display and key figure of a staffcast table.

    Example:
        >>> frame = sc.retirement_outlook(reg, "2024-09-30", years=3, by="department", totals=True)
        >>> frame.staffcast.plot()
        >>> frame.staffcast.key_figure(lang="sv")
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    @property
    def table(self) -> Optional[str]:
        """What the frame is (``attrs["staffcast"]["table"]``), or None for a frame staffcast did not make."""
        return self._frame.attrs.get("staffcast", {}).get("table")

    @property
    def meta(self) -> dict[str, Any]:
        """A copy of ``attrs["staffcast"]``."""
        return dict(self._frame.attrs.get("staffcast", {}))

    def plot(self, **kwargs: Any) -> Any:
        """Draws the table with the fitting :mod:`staffcast.plot` function and returns the Axes.

        Example:
            >>> sc.snapshot(reg, "2024-09-30", by=["age_band", "gender"]).staffcast.plot(lang="sv")
        """
        return _plot.plot(self._frame, **kwargs)

    def key_figure(self, lang: str = "en") -> tuple[str, str]:
        """(label, text) of the table's key figure; see :func:`staffcast._display.key_figure`.

        Example:
            >>> sc.snapshot(reg, "2024-09-30").staffcast.key_figure(lang="sv")
            ('Antal', '1\u202f102')
        """
        return key_figure(self._frame, lang)

    def to_frame(self) -> pd.DataFrame:
        """A copy of the table with its ``attrs``.

        Example:
            >>> frame = sc.flows(reg, "2024-01-01", "2024-09-30").staffcast.to_frame()
        """
        out = self._frame.copy()
        out.attrs = {k: (dict(v) if isinstance(v, dict) else v) for k, v in self._frame.attrs.items()}
        return out

    def disclose(self, min_count: int = 5) -> pd.DataFrame:
        """:func:`staffcast.disclose` on the table.

        Example:
            >>> sc.flows(reg, "2024-01-01", "2024-09-30", by="department").staffcast.disclose(5)
        """
        return _disclose(self._frame, min_count=min_count)

    def to_html(self, lang: str = "en", max_rows: Optional[int] = 40) -> str:
        """The key figure on top, then a compact table (per cent for rates).

        Example:
            >>> page = sc.turnover(reg, "2023-10-01", "2024-09-30", by="age_band").staffcast.to_html(lang="sv")
        """
        label, value = self.key_figure(lang)
        name = self.table or "table"
        return (f"<div class='staffcast-result'><div><strong>staffcast {html.escape(name)}</strong>: "
                f"{html.escape(label)} <strong>{html.escape(value)}</strong> "
                f"<span style='color:#666'>({len(self._frame):,} rows)</span></div>"
                f"{html_table(self._frame, lang=lang, max_rows=max_rows, labels=False)}</div>")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        label, value = self.key_figure()
        return f"<staffcast {self.table or 'table'}: {label} {value}, {len(self._frame)} rows>"

