"""The comparison commands: span, equality."""

from __future__ import annotations

import argparse
import sys

from ..comparisons import equality, span_of_control
from ._common import _emit, _filters_only, _need, _read_inputs, _read_register, _split

__all__ = ["COMMANDS"]


def cmd_span(args: argparse.Namespace) -> int:
    _need(args, "as_of")
    reg = _read_register(args)
    filters = _filters_only(args)
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


def cmd_equality(args: argparse.Namespace) -> int:
    _need(args, "as_of")
    reg, sick = _read_inputs(args)
    filters = _filters_only(args)
    frame = equality(reg, args.as_of, sick, manager_positions=_split(args.manager_positions) or [],
                     extracted_on=args.extracted_on, **filters)
    return _emit(args, frame)


def add_span(add, common) -> None:
    sub = add("span", cmd_span, "Span of control: direct reports per manager by department.")
    common(sub, "as_of")
    sub.add_argument("--limit", type=int, default=25, help="reports above this are flagged (default 25)")
    sub.add_argument("--manager-positions", metavar="P[,P]", help="positions that make someone a manager")
    sub.add_argument("--managers", action="store_true", help="instead: list the managers above the limit")


def add_equality(add, common) -> None:
    sub = add("equality", cmd_equality, "Gender-equality key figures: measure,women,men,difference,women_n,men_n.")
    common(sub, "as_of")
    sub.add_argument("--sick-leave", dest="sick_leave", metavar="FILE", help="sick-leave CSV (long-term sick leave)")
    sub.add_argument("--manager-positions", metavar="P[,P]", help="positions that make someone a manager")


COMMANDS = (add_span, add_equality)
