"""The model commands: rates, tenure."""

from __future__ import annotations

import argparse

from ..models import exit_rates, tenure_curves, tenure_medians
from ._common import _emit, _need, _query_args, _read_register, _split

__all__ = ["COMMANDS"]


def _cmd_rates(args: argparse.Namespace) -> int:
    _need(args, "start", "end")
    frame = exit_rates(_read_register(args), args.start, args.end, conf_level=args.conf_level,
                       by_reason=args.by_reason, reasons=_split(args.reasons), events=args.events,
                       **_query_args(args))
    return _emit(args, frame)


def _cmd_tenure(args: argparse.Namespace) -> int:
    function = tenure_medians if args.median else tenure_curves
    frame = function(_read_register(args), window=(args.start, args.end), ci=args.ci, conf_level=args.conf_level,
                     **_query_args(args))
    return _emit(args, frame)


def add_rates(add, common) -> None:
    sub = add("rates", _cmd_rates, "Exit rates per person-year with exact Poisson intervals: <by>,events,"
              "person_years,rate,lower,upper.")
    common(sub, "period")
    sub.add_argument("--conf-level", type=float, default=0.95, metavar="L", help="interval level (default 0.95)")
    sub.add_argument("--by-reason", action="store_true", help="one row per end reason (column end_reason)")
    sub.add_argument("--reasons", metavar="R[,R]", help="count only these end reasons")
    sub.add_argument("--events", default="departures", choices=["departures", "moves", "exits"],
                     help="departures (default), internal moves out, or both")


def add_tenure(add, common) -> None:
    sub = add("tenure", _cmd_tenure, "Kaplan-Meier tenure curves in months: <by>,time,at_risk,events,survival,"
              "lower,upper (--median: <by>,observations,events,median,lower,upper). --from/--to set the "
              "observation window (default: the observed history).")
    common(sub, "period")
    sub.add_argument("--median", action="store_true", help="print the median tenure per group instead")
    sub.add_argument("--ci", default="log", choices=["log", "log-log", "plain"], help="interval type (default log)")
    sub.add_argument("--conf-level", type=float, default=0.95, metavar="L", help="interval level (default 0.95)")


COMMANDS = (add_rates, add_tenure)
