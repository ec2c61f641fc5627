"""The projection commands: project (the cohort model, the microsimulation, or with
several --scenario the scenarios side by side) and backtest (how good the forecasts were)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import _core
from ..backtest import MODELS, backtest
from ..projection import project, simulate
from ..scenario import Scenario, load_scenario_file
from ..scenario_comparison import compare
from ._common import NOT_FILTERS, UsageError, _emit, _need, _query_args, _read_register, _split

__all__ = ["COMMANDS", "cli_scenario"]


def cli_scenario(value: str) -> Scenario:
    """A ``--scenario`` value: a TOML file, or ``baseline`` (no overrides) when no such file exists."""
    if value == "baseline" and not Path(value).exists():
        return Scenario("baseline")
    return load_scenario_file(value)


def _cmd_compare(args, register, years: int, query: dict, totals: bool) -> int:
    """``staffcast project REGISTER --scenario A --scenario B ...``: ``sc.compare`` as a wide table (one column
    per scenario, ``--stat``) or a long one (``--layout long``)."""
    scenarios = [cli_scenario(value) for value in args.scenario]
    if args.replicates is None:
        if args.seed is not None or args.threads is not None:
            raise UsageError("--seed and --threads need --replicates")
        replicates = 0
    else:
        if args.replicates < 1:
            raise UsageError("--replicates must be at least 1")
        replicates = args.replicates
    query = dict(query)
    by = query.pop("by", None)
    layout = args.layout or ("wide" if args.format == "table" else "long")
    if layout == "long" and args.stat is not None:
        raise UsageError("--stat chooses the statistic of --layout wide; --layout long shows mean, p5, p50 and p95")
    result = compare(register, scenarios, years, replicates, seed=args.seed or 0, by=by, threads=args.threads,
                     progress=None if not args.no_progress else False, as_of=args.as_of, totals=totals, **query)
    return _emit(args, result.to_frame(layout=layout, stat=args.stat or "mean"))


def _cmd_project(args: argparse.Namespace) -> int:
    _need(args, "years")
    try:
        years = int(args.years)
    except ValueError:
        raise UsageError(f"--years takes a count of years, got {args.years!r}") from None
    _core.require_projection_years(years, "--years")  # the C++ bound, in the CLI's words
    q = _query_args(args)
    totals = q.pop("totals")
    reg = _read_register(args)
    scenario = args.scenario
    if isinstance(scenario, list) and len(scenario) > 1:  # several --scenario: the comparison (sc.compare)
        return _cmd_compare(args, reg, years, q, totals)
    if args.layout is not None or args.stat is not None:
        raise UsageError("--layout and --stat apply to scenarios side by side (--scenario given several times)")
    if isinstance(scenario, list):
        scenario = cli_scenario(scenario[0])
    if args.replicates is None:
        if args.seed is not None or args.threads is not None:
            raise UsageError("--seed and --threads need --replicates")
        frame = project(reg, years, as_of=args.as_of, scenario=scenario, totals=totals, **q).to_frame()
    else:
        if args.replicates < 1:
            raise UsageError("--replicates must be at least 1")
        sim = simulate(reg, years, args.replicates, seed=args.seed or 0, scenario=scenario, threads=args.threads,
                       progress=None if not args.no_progress else False, as_of=args.as_of, totals=totals, **q)
        frame = sim.to_frame()
    return _emit(args, frame)


def add_project(add, common) -> None:
    sub = add("project", _cmd_project, "Projection over N years: the cohort model <by>,year,start,retirements,"
              "other_exits,moves_out,moves_in,recruits,end,start_fte,end_fte,recruits_fte; with --replicates the "
              "microsimulation's year,<by>,measure,mean,p5,p50,p95.")
    common(sub, "as_of")
    sub.add_argument("--years", metavar="N", help="number of projection years after the as-of year")
    sub.add_argument("--replicates", type=int, metavar="R", help="run the microsimulation with R replicates")
    sub.add_argument("--seed", type=int, metavar="S", help="random seed of the microsimulation (default 0)")
    sub.add_argument("--threads", type=int, metavar="T", help="worker threads (default: all cores)")
    sub.add_argument("--scenario", metavar="FILE", action="append",
                     help="a scenario TOML file ('baseline': no overrides); given several times, the scenarios "
                          "side by side with the gap to the target: scenario,year,<by>,measure,mean,p5,p50,p95")
    sub.add_argument("--layout", choices=["wide", "long"],
                     help="scenarios side by side: wide (one column per scenario; the default of --format table) "
                          "or long (one row per scenario; the default of csv and json)")
    sub.add_argument("--stat", choices=["mean", "p5", "p50", "p95"],
                     help="the statistic each scenario column of --layout wide shows (default mean)")
    sub.add_argument("--no-progress", action="store_true", help="no progress bar")


def _cmd_backtest(args: argparse.Namespace) -> int:
    _core.require_projection_years(args.horizon, "--horizon")  # the C++ bound, in the CLI's words
    models = _split(args.models) or list(MODELS)
    if args.replicates is not None and args.replicates < 1:
        raise UsageError("--replicates must be at least 1")
    if args.threads is not None and args.threads < 1:
        raise UsageError("--threads must be at least 1")
    q = _query_args(args)
    filters = {k: v for k, v in q.items() if k not in NOT_FILTERS}
    reg = _read_register(args)
    result = backtest(reg, origins=args.origins, horizon=args.horizon, by=q["by"], models=models,
                      replicates=200 if args.replicates is None else args.replicates, seed=args.seed or 0,
                      threads=args.threads, **filters)
    return _emit(args, result.summary() if args.summary else result.table)


def add_backtest(add, common) -> None:
    sub = add("backtest", _cmd_backtest, "How good the forecasts were: for each origin year the register cut on "
              "31 December, each model's headcount h years later beside the observed one: model,origin,horizon,"
              "<by>,observed,projected,p5,p95,error; with --summary model,horizon,cells,mae,mape,coverage.")
    sub.add_argument("register", help="employments CSV (or .xlsx, or a saved register)")
    sub.add_argument("--origins", metavar="Y1-Y2", help="origin years (default: every origin the history allows)")
    sub.add_argument("--horizon", type=int, default=3, metavar="H", help="years ahead, 1..H (default 3)")
    sub.add_argument("--by", metavar="A,B", help="group by department, position, employment_form, gender or "
                     "pass-through columns")
    sub.add_argument("--models", metavar="M[,M]", help="naive, trend, cohort, microsim (default: all four)")
    sub.add_argument("--replicates", type=int, metavar="R", help="replicates of the microsimulation (default 200)")
    sub.add_argument("--seed", type=int, metavar="S", help="random seed of the microsimulation (default 0)")
    sub.add_argument("--threads", type=int, metavar="T", help="worker threads (default: all cores)")
    sub.add_argument("--summary", action="store_true", help="per model and horizon: cells, mae, mape, coverage")
    sub.add_argument("--form", metavar="F[,F]", help="employment forms (permanent, temporary, hourly)")
    sub.add_argument("--department", metavar="D[,D]", help="departments")
    sub.add_argument("--position", metavar="P[,P]", help="positions")
    sub.add_argument("--gender", metavar="G[,G]", help="genders (F, M, X)")
    sub.add_argument("--filter", action="append", metavar="COLUMN=V[,V]", help="filter on a pass-through column")
    sub.add_argument("--extracted-on", metavar="D", help="day the register was extracted")
    sub.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
    sub.add_argument("--dimension", action="append", metavar="NAME", help="pass-through column to keep")
    sub.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sub.set_defaults(age_bands=None, no_totals=True, min_cell=None, compare=None)


COMMANDS = (add_project, add_backtest)
