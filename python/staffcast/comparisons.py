"""The plan's comparisons: span of control and gender-equality key figures.

(The same period a year earlier is the ``compare="previous-year"`` argument of
every statistic in :mod:`staffcast.statistics`.)
"""

from __future__ import annotations

import sys
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


def add_commands(add, common) -> None:
    """The CLI subcommands `span` and `equality`."""
    from .cli import _emit, _need, _query_args, _read_register, _split

    def cmd_span(args) -> int:
        _need(args, "as_of")
        reg = _read_register(args)
        q = _query_args(args)
        filters = {k: v for k, v in q.items() if k not in ("by", "totals", "age_bands", "extracted_on")}
        frame = span_of_control(reg, args.as_of, limit=args.limit,
                                manager_positions=_split(args.manager_positions) or [],
                                extracted_on=args.extracted_on, managers=args.managers, **filters)
        issues = frame.attrs["staffcast"]["issues"]
        for issue in issues.head(20).itertuples(index=False):
            sys.stderr.write(f"{issue.file}: row {issue.row}, column {issue.column}: warning {issue.code}: "
                             f"{issue.message}\n")
        if len(issues) > 20:
            sys.stderr.write(f"... and {len(issues) - 20} more warnings\n")
        return _emit(args, frame)

    sub = add("span", cmd_span, "Span of control: direct reports per manager by department.")
    common(sub, "as_of")
    sub.add_argument("--limit", type=int, default=25, help="reports above this are flagged (default 25)")
    sub.add_argument("--manager-positions", metavar="P[,P]", help="positions that make someone a manager")
    sub.add_argument("--managers", action="store_true", help="instead: list the managers above the limit")

    def cmd_equality(args) -> int:
        _need(args, "as_of")
        reg = _read_register(args)
        from .register import read_sick_leave

        sick = read_sick_leave(args.sick_leave, register=reg) if args.sick_leave else None
        q = _query_args(args)
        filters = {k: v for k, v in q.items() if k not in ("by", "totals", "age_bands", "extracted_on")}
        frame = equality(reg, args.as_of, sick, manager_positions=_split(args.manager_positions) or [],
                         extracted_on=args.extracted_on, **filters)
        return _emit(args, frame)

    sub = add("equality", cmd_equality, "Gender-equality key figures: measure,women,men,difference,women_n,men_n.")
    common(sub, "as_of")
    sub.add_argument("--sick-leave", dest="sick_leave", metavar="FILE", help="sick-leave CSV (long-term sick leave)")
    sub.add_argument("--manager-positions", metavar="P[,P]", help="positions that make someone a manager")
