"""The statistics commands: snapshot, full-time, flows, departures, recruitments,
turnover, sick-leave, indicators, retirements, recruitment-need."""

from __future__ import annotations

import argparse
from typing import Any, Optional

import pandas as pd

from .. import statistics as stats
from ..register import read_indicators
from ._common import (
    UsageError,
    _compare,
    _emit,
    _filters_only,
    _need,
    _query_args,
    _read_inputs,
    _read_register,
    _split,
)

__all__ = ["COMMANDS"]


def cmd_snapshot(args: argparse.Namespace) -> int:
    _need(args, "as_of")
    reg = _read_register(args)
    if args.top:
        return _emit(args, stats.top_positions(reg, args.as_of, n=args.top, **_filters_only(args)))
    return _emit(args, stats.snapshot(reg, args.as_of, **_query_args(args), **_compare(args)))


def cmd_full_time(args: argparse.Namespace) -> int:
    _need(args, "as_of")
    return _emit(args, stats.full_time(_read_register(args), args.as_of, **_query_args(args), **_compare(args)))


def _over_periods(args: argparse.Namespace, statistic, register, *extra, **kwargs) -> pd.DataFrame:
    """The statistic over [--from, --to], or per year / tertial / month / rolling 12 months with --per."""
    if getattr(args, "per", None):
        return stats.periodic(statistic, register, args.start, args.end, args.per, *extra, **kwargs)
    if statistic is stats.sick_leave:
        return statistic(register, extra[0], args.start, args.end, **kwargs)
    return statistic(register, args.start, args.end, *extra, **kwargs)


def cmd_flows(args: argparse.Namespace) -> int:
    _need(args, "start", "end")
    return _emit(args, _over_periods(args, stats.flows, _read_register(args), **_query_args(args), **_compare(args)))


def cmd_departures(args: argparse.Namespace) -> int:
    _need(args, "start", "end")
    return _emit(args, stats.departures(_read_register(args), args.start, args.end, **_query_args(args),
                                        **_compare(args)))


def cmd_recruitments(args: argparse.Namespace) -> int:
    _need(args, "start", "end")
    return _emit(args, stats.recruitments(_read_register(args), args.start, args.end, **_query_args(args),
                                          **_compare(args)))


def cmd_turnover(args: argparse.Namespace) -> int:
    _need(args, "start", "end")
    frame = _over_periods(args, stats.turnover, _read_register(args), definition=args.definition,
                          annualise=args.annualise, exclude_reasons=_split(args.exclude_reasons) or [],
                          scope=args.scope, **_query_args(args), **_compare(args))
    return _emit(args, frame)


def cmd_sick_leave(args: argparse.Namespace) -> int:
    _need(args, "start", "end", "sick_leave")
    reg, sick = _read_inputs(args)
    frame = _over_periods(args, stats.sick_leave, reg, sick, **_query_args(args), **_compare(args))
    targets = {k: v for k, v in (("sick_rate", args.target), ("short_term_rate", args.short_term_target)) if v}
    if targets:
        frame = stats.against_targets(frame, targets, better="lower")
    return _emit(args, frame)


def cmd_indicators(args: argparse.Namespace) -> int:
    return _emit(args, stats.indicator_followup(read_indicators(args.indicators_file), **_compare(args)))


def _years_arg(args: argparse.Namespace) -> Any:
    years: Any = args.years
    if years is None:
        return 3
    if years.isdigit():
        return int(years)
    return years


def _probabilities_arg(text: Optional[str]) -> Any:
    if text is None or text in ("estimate", "at_age"):
        return text or "estimate"
    try:
        return [float(part) for part in text.split(",")]
    except ValueError:
        raise UsageError("--probabilities takes estimate, at_age or q values like 0.4,0.5,0.7,0.8,1") from None


def cmd_retirements(args: argparse.Namespace) -> int:
    _need(args, "as_of")
    reg = _read_register(args)
    if args.probabilities is not None:
        frame = stats.expected_retirements(reg, args.as_of, years=_years_arg(args), age=args.age, upper=args.upper,
                                           probabilities=_probabilities_arg(args.probabilities), **_query_args(args))
    else:
        frame = stats.retirement_outlook(reg, args.as_of, years=_years_arg(args), age=args.age, **_query_args(args))
    return _emit(args, frame)


def cmd_recruitment_need(args: argparse.Namespace) -> int:
    _need(args, "as_of")
    frame = stats.recruitment_need(_read_register(args), args.as_of, years=_years_arg(args), age=args.age,
                                   upper=args.upper, probabilities=_probabilities_arg(args.probabilities),
                                   retirement_age_shift=args.retirement_shift,
                                   turnover_factor=args.turnover_factor, growth=args.growth, **_query_args(args))
    return _emit(args, frame)


def add_day_commands(add, common) -> None:
    """snapshot, full-time: tables on one day."""
    sub = add("snapshot", cmd_snapshot, "Headcount, fte and mean age on a day: <by>,headcount,fte,mean_age.")
    common(sub, "as_of")
    sub.add_argument("--top", type=int, metavar="N", help="instead: the N most common positions")
    sub = add("full-time", cmd_full_time, "Full-time share: <by>,persons,full_time,part_time,full_time_share.")
    common(sub, "as_of")


def add_period_commands(add, common) -> None:
    """flows, departures, recruitments, turnover, sick-leave: tables over a period."""
    sub = add("flows", cmd_flows, "Departures, recruitments and moves: <by>,departures,recruitments,moves_out,"
              "moves_in.")
    common(sub, "period")
    sub = add("departures", cmd_departures, "Departures by end reason.")
    common(sub, "period")
    sub = add("recruitments", cmd_recruitments, "Recruitments by recruitment path.")
    common(sub, "period")
    sub = add("turnover", cmd_turnover, "Turnover: <by>,average_headcount,recruitments,departures,turnover.")
    common(sub, "period")
    sub.add_argument("--definition", default="municipal", choices=["municipal", "separation", "own_request", "min"])
    sub.add_argument("--annualise", action="store_true", help="scale a part-year period to a year")
    sub.add_argument("--exclude-reasons", metavar="R[,R]", help="end reasons left out of the departures")
    sub.add_argument("--scope", default="administration", choices=["administration", "employer"])
    sub = add("sick-leave", cmd_sick_leave, "Sick leave: <by>,persons,fte_days,sick_rate,short_term_rate,"
              "from_day_60_rate,long_term_share,suppressed.")
    common(sub, "period")
    sub.add_argument("--sick-leave", dest="sick_leave", metavar="FILE", help="sick-leave CSV")
    sub.add_argument("--target", type=float, metavar="RATE", help="target for sick_rate (e.g. 0.06)")
    sub.add_argument("--short-term-target", type=float, metavar="RATE", help="target for short_term_rate (0.02)")


def add_indicators(add, common) -> None:
    sub = add("indicators", cmd_indicators, "Indicators follow-up: latest value, target, change, flags.")
    sub.add_argument("indicators_file", metavar="FILE", help="indicators CSV")
    sub.add_argument("--min-cell", type=int, metavar="K", help=argparse.SUPPRESS)
    sub.add_argument("--compare", choices=["previous-year"], help="add the same period a year earlier")
    sub.add_argument("--format", choices=["table", "csv", "json"], default="table")


def add_outlook_commands(add, common) -> None:
    """retirements, recruitment-need: the years ahead."""
    sub = add("retirements", cmd_retirements, "Retirement outlook: <by>,already_past,<Y1>,...,<Yn>,total.")
    common(sub, "as_of")
    sub.add_argument("--years", metavar="N|Y1-Yn", help="a count or a range of years (default 3)")
    sub.add_argument("--age", type=int, default=65, help="retirement age (default 65)")
    sub.add_argument("--upper", type=int, default=69, help="latest retirement age (default 69)")
    sub.add_argument("--probabilities", metavar="Q", help="instead: the probabilistic outlook with q = estimate, "
                     "at_age or q values from --age on")
    sub = add("recruitment-need", cmd_recruitment_need, "Recruitment need per year and group: <by>,year,start,"
              "retirements,other_departures,growth,recruitment_need,end.")
    common(sub, "as_of")
    sub.add_argument("--years", metavar="N|Y1-Yn", help="a count (up to 10) or a range of years (default 3)")
    sub.add_argument("--age", type=int, default=65, help="retirement age (default 65)")
    sub.add_argument("--upper", type=int, default=69, help="latest retirement age (default 69)")
    sub.add_argument("--probabilities", metavar="Q", help="estimate (default), at_age, or q values from --age on")
    sub.add_argument("--retirement-shift", type=int, default=0, metavar="YEARS", help="retire this many years later")
    sub.add_argument("--turnover-factor", type=float, default=1.0, metavar="F", help="scale other departures "
                     "(0.8 = turnover -20%%)")
    sub.add_argument("--growth", type=float, default=0.0, metavar="G", help="growth of the staff per year "
                     "(0.055 = +5.5%%; negative for cuts)")


COMMANDS = (add_day_commands, add_period_commands, add_indicators, add_outlook_commands)
