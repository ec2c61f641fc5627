"""The plan commands: optimise (an optimised workforce plan, docs/plans.md)."""

from __future__ import annotations

import argparse
import sys

from .._table import render
from ..optimise import optimise_plan
from ._common import EXIT_OK, _read_register

__all__ = ["COMMANDS"]


def _cmd_optimise(args: argparse.Namespace) -> int:
    register = _read_register(args) if args.register is not None else None
    result = optimise_plan(args.plan, register, args.as_of, objective=args.objective)
    if not args.explain:
        sys.stdout.write(render(result.table, args.format))
    elif args.format == "table":
        sys.stdout.write(render(result.table, "table") + "\n" + result.explain())
    else:
        sys.stdout.write(render(result.binding, args.format))
    return EXIT_OK


def add_optimise(add, common) -> None:
    sub = add("optimise", _cmd_optimise, "An optimised workforce plan (a linear program solved by COIN-OR Clp): "
              "period,category,stock,demand,recruits,moves_in,moves_out,redundancies,short_time,overstaffing,"
              "shortfall,cost and a Total row. --explain adds the binding constraints with their shadow prices "
              "(csv/json: constraint,period,category,limit,shadow_price,text instead of the plan).")
    sub.add_argument("plan", help="plan file (TOML, docs/plans.md)")
    sub.add_argument("register", nargs="?", help="employments CSV: fills in the plan's [register] section "
                     "(stocks, wastage, demand by the plan's grouping)")
    sub.add_argument("--as-of", dest="as_of", metavar="D",
                     help="the day of the plan's stocks (with REGISTER; default: the extraction date)")
    sub.add_argument("--extracted-on", metavar="D", help="day the register was extracted")
    sub.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
    sub.add_argument("--objective", choices=["cost", "redundancy", "shortfall"],
                     help="what to minimise (default: the plan's objective, else cost)")
    sub.add_argument("--explain", action="store_true",
                     help="list the binding constraints and what one unit more of each is worth")
    sub.add_argument("--format", choices=["table", "csv", "json"], default="table")


COMMANDS = (add_optimise,)
