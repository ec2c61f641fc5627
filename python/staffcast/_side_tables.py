"""The optional tables beside the register: sick-leave records and indicator values,
validated by the compiled core (with a register, sick leave outside anyone's
employment is a warning)."""

from __future__ import annotations

import html
import os
from typing import TYPE_CHECKING, Any, Mapping, Optional, Union

import numpy as np
import pandas as pd

from . import _core
from ._dialect import resolve_dialect, utf8_path
from .errors import no_such_file
from ._frames import arrow_buffers, checked, days_to_dates, is_table_like, issues_frame, source_label, to_arrow_table
from ._validated import Validated

if TYPE_CHECKING:  # for the annotations only: the register module imports this one
    from .register import Register

__all__ = ["SickLeave", "Indicators", "read_sick_leave", "read_indicators", "Source"]

Source = Union[str, os.PathLike, pd.DataFrame, Any]


class SickLeave(Validated):
    """Validated sick-leave records (employee_id, start_date, end_date, extent)."""

    def to_frame(self) -> pd.DataFrame:
        """The records as a DataFrame sorted by person and start."""
        cols = self._core.columns()
        ids = np.asarray(cols["ids"], dtype=object)
        return pd.DataFrame(
            {
                "employee_id": ids[cols["person"]],
                "start_date": days_to_dates(cols["start_date"]),
                "end_date": days_to_dates(cols["end_date"]),
                "extent": cols["extent"].astype("float64") / 100.0,
            }
        )

    def __repr__(self) -> str:
        return f"<staffcast.SickLeave {len(self)} records, {len(self._issues)} warning(s)>"

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        first = frame["start_date"].min() if len(frame) else None
        last = frame["end_date"].max() if len(frame) else None
        rows = [
            ("Records", f"{len(self):,}"),
            ("Persons", f"{frame['employee_id'].nunique():,}"),
            ("Dates", f"{first.date() if first is not None else ''} – {last.date() if last is not None else ''}"),
            ("Warnings", f"{len(self._issues):,}"),
        ]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                       for k, v in rows)
        return (f"<div><strong>staffcast SickLeave</strong> <code>{html.escape(self.label)}</code>"
                f"<table>{body}</table></div>")


class Indicators(Validated):
    """Validated indicator values with targets and the direction of "better"."""

    def to_frame(self) -> pd.DataFrame:
        """indicator, unit_of_analysis, period, value, target, better, unit."""
        cols = self._core.columns()
        return pd.DataFrame(
            {
                "indicator": cols["indicator"],
                "unit_of_analysis": cols["unit_of_analysis"],
                "period": cols["period"],
                "value": cols["value"],
                "target": cols["target"],
                "better": cols["better"],
                "unit": cols["unit"],
            }
        )

    def __repr__(self) -> str:
        return f"<staffcast.Indicators {len(self)} values>"

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        counts = frame.groupby("indicator", sort=True)["period"].agg(["count", "min", "max"])
        body = "".join(f"<tr><td>{html.escape(str(name))}</td><td>{row['count']}</td>"
                       f"<td>{html.escape(str(row['min']))} – {html.escape(str(row['max']))}</td></tr>"
                       for name, row in counts.iterrows())
        return (f"<div><strong>staffcast Indicators</strong> <code>{html.escape(self.label)}</code>: "
                f"{len(self):,} values of {len(counts):,} indicators, {len(self._issues):,} warning(s)"
                f"<table><thead><tr><th>indicator</th><th>values</th><th>periods</th></tr></thead>"
                f"<tbody>{body}</tbody></table></div>")


def read_sick_leave(
    source: Source,
    register: Optional[Register] = None,
    *,
    columns: Optional[Mapping[str, str]] = None,
    sep: Optional[str] = None,
    decimal: Optional[str] = None,
    encoding: str = "utf-8",
    max_issues: int = 10000,
) -> SickLeave:
    """Read and validate sick-leave records; with ``register``, also warn about
    records outside anyone's employment. When the register's extraction date
    was assumed, it is assumed again over both inputs (the sick leave's latest
    end counts too; never after the register's "today"), and ``register``
    records the new day.

    Example:
        >>> sick = sc.read_sick_leave("examples/data/sick_leave.csv", register=reg)
    """
    core_register = register._core if register is not None else None
    if is_table_like(source):
        names, buffers = arrow_buffers(to_arrow_table(source))
        result = _core.read_sick_leave_columns(
            names, buffers, source_label(source), core_register, columns=dict(columns or {}),
            decimal=decimal or ".", max_issues=max_issues,
        )
    else:
        path = os.fspath(source)
        if not os.path.exists(path):
            raise no_such_file(path)
        with utf8_path(path, encoding) as readable:
            sep, decimal = resolve_dialect(readable, sep, decimal)
            result = _core.read_sick_leave_csv(readable, core_register, columns=dict(columns or {}), sep=sep,
                                               decimal=decimal, max_issues=max_issues, label=path)
    core, issues = checked(result)
    if register is not None and register._core.extracted_on_assumed:
        moved = _core.with_sick_leave_dates(register._core, core)
        if moved.extracted_on != register._core.extracted_on:
            register._core = moved
            register._issues = issues_frame(moved.issues())
    return SickLeave(core, issues, source_label(source))


def read_indicators(
    source: Source,
    *,
    columns: Optional[Mapping[str, str]] = None,
    sep: Optional[str] = None,
    decimal: Optional[str] = None,
    encoding: str = "utf-8",
    max_issues: int = 10000,
) -> Indicators:
    """Read and validate indicator values (indicator, period, value, target, better, ...).

    Example:
        >>> ind = sc.read_indicators("examples/data/indicators.csv")
        >>> ind.to_frame().head()
    """
    if is_table_like(source):
        names, buffers = arrow_buffers(to_arrow_table(source))
        result = _core.read_indicators_columns(names, buffers, source_label(source), columns=dict(columns or {}),
                                               decimal=decimal or ".", max_issues=max_issues)
    else:
        path = os.fspath(source)
        if not os.path.exists(path):
            raise no_such_file(path)
        with utf8_path(path, encoding) as readable:
            sep, decimal = resolve_dialect(readable, sep, decimal)
            result = _core.read_indicators_csv(readable, columns=dict(columns or {}), sep=sep, decimal=decimal,
                                               max_issues=max_issues, label=path)
    core, issues = checked(result)
    return Indicators(core, issues, source_label(source))
