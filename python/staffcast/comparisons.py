"""The plan's comparisons: span of control and gender-equality key figures.

(The same period a year earlier is the ``compare="previous-year"`` argument of
every statistic in :mod:`staffcast.statistics`.)
"""

from __future__ import annotations

from typing import Iterable, Optional

import pandas as pd

from . import _core
from ._frames import issues_frame
from ._table import to_frame
from .register import DateLike, Register, SickLeave, _iso
from .statistics import _filters

__all__ = ["span_of_control", "equality"]


def span_of_control(register: Register, as_of: DateLike, limit: int = 25, *,
                    manager_positions: Iterable[str] = (), extracted_on: Optional[DateLike] = None,
                    managers: bool = False, **filters) -> pd.DataFrame:
    """Direct reports per manager on ``as_of``, by department.

    Each person employed on the day reports to the ``manager_id`` of their main
    spell; managers are those named so by someone employed that day, plus the
    holders of ``manager_positions`` (who may have no reports), counted in the
    department of their own main spell. Columns: ``department, managers,
    reports, min, median, p90, max, above_limit`` with a ``Total`` row; with
    ``managers=True`` instead the managers with more than ``limit`` reports:
    ``manager_id, department, position, reports``. Warnings (a ``manager_id``
    naming nobody employed on the day, a manager cycle) are in
    ``attrs["staffcast"]["issues"]``.

    Example:
        >>> sc.span_of_control(reg, "2024-09-30", limit=25)
    """
    by_department, above, issues = _core.span_of_control(
        register._core, _iso(as_of), int(limit), list(manager_positions), _filters(filters), True,
        _iso(extracted_on))
    issue_frame = issues_frame(issues)
    issue_frame["file"] = register.label
    meta = dict(as_of=_iso(as_of), limit=int(limit), issues=issue_frame)
    if managers:
        return to_frame(above, "span_managers", **meta)
    return to_frame(by_department, "span_of_control", **meta)


def equality(register: Register, as_of: DateLike, sick_leave: Optional[SickLeave] = None, *,
             manager_positions: Iterable[str] = (), extracted_on: Optional[DateLike] = None,
             **filters) -> pd.DataFrame:
    """Gender-equality key figures on ``as_of``: women's and men's values and the difference.

    Rows (``measure``): ``share_permanent``, ``full_time_share``,
    ``long_term_sick`` (share of persons with an absence of 60 days or more in
    the 12 months up to ``as_of``; only with ``sick_leave``),
    ``share_managers`` (share of each gender's staff who are managers: someone's
    ``manager_id`` or in ``manager_positions``), ``share_of_managers`` and
    ``share_of_staff`` (each gender's share of the managers and of the staff).
    Columns: ``measure, women, men, difference, women_n, men_n``.

    Example:
        >>> sc.equality(reg, "2024-09-30", sick, manager_positions=["Enhetschef"])
    """
    sick = sick_leave._core if sick_leave is not None else None
    table = _core.equality(register._core, sick, _iso(as_of), list(manager_positions), _filters(filters),
                           _iso(extracted_on))
    return to_frame(table, "equality", as_of=_iso(as_of))

