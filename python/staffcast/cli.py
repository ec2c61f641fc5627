"""The `staffcast` command line. Exit status: 0 success, 2 invalid input or
arguments, 1 other runtime errors, 130 interrupted."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import pandas as pd

from . import __version__
from .errors import StaffcastError, ValidationError, format_issue
from .generate import SAMPLE, generate
from . import statistics as stats
from ._table import render
from .disclosure import disclose
from .register import Register, read_indicators, read_register, read_sick_leave

EXIT_OK, EXIT_RUNTIME, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad command-line arguments (exit 2)."""


# ---------------------------------------------------------------- helpers


def _read_register(args: argparse.Namespace) -> Register:
    """The register named on the command line: a CSV (with --mapping), an .xlsx or a saved register."""
    return read_register(args.register, mapping=getattr(args, "mapping", None),
                         dimensions=list(getattr(args, "dimension", None) or []),
                         extracted_on=getattr(args, "extracted_on", None))


def _write_table(frame: pd.DataFrame, fmt: str, stream) -> None:
    if fmt == "csv":
        frame.to_csv(stream, index=False, lineterminator="\n")
    elif fmt == "json":
        stream.write(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
        stream.write("\n")
    else:
        if frame.empty:
            stream.write("(none)\n")
        else:
            stream.write(frame.to_string(index=False))
            stream.write("\n")


def _print_issues(issues: pd.DataFrame, stream, limit: Optional[int] = None) -> None:
    shown = issues if limit is None else issues.head(limit)
    for record in shown.itertuples(index=False):
        stream.write(format_issue(record) + "\n")
    if limit is not None and len(issues) > limit:
        stream.write(f"... and {len(issues) - limit} more\n")


def sample_dir() -> Path:
    """The bundled sample: package data, the source tree's examples/data, or regenerated."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent.parent / "examples" / "data"):
        if (candidate / "employments.csv").is_file():
            return candidate
    cache = Path(tempfile.gettempdir()) / f"staffcast-sample-{__version__}"
    if not (cache / "employments.csv").is_file():
        generate(cache, **SAMPLE)
    return cache


# ---------------------------------------------------------------- commands


def cmd_validate(args: argparse.Namespace) -> int:
    reg = _read_register(args)
    summary = reg.summary()
    out = sys.stdout
    issues = reg.issues
    sick = read_sick_leave(args.sick_leave, register=reg) if args.sick_leave else None
    indicators = read_indicators(args.indicators) if args.indicators else None
    if sick is not None:
        issues = pd.concat([issues, sick.issues], ignore_index=True)
    if indicators is not None:
        issues = pd.concat([issues, indicators.issues], ignore_index=True)
    if args.format == "table":
        out.write(f"{args.register}: valid\n")
        out.write(f"  rows read      {summary['rows']:>12,}\n")
        out.write(f"  spells         {summary['spells']:>12,}\n")
        out.write(f"  persons        {summary['persons']:>12,}\n")
        out.write(f"  start dates    {summary['first_start']} .. {summary['last_start']}\n")
        out.write(f"  extracted on   {summary['extracted_on']}\n")
        if sick is not None:
            out.write(f"  sick leave     {len(sick):>12,} records\n")
        if indicators is not None:
            out.write(f"  indicators     {len(indicators):>12,} values\n")
        out.write(f"  warnings       {len(issues):>12,}\n")
        _print_issues(issues, out)
    else:
        _write_table(issues, args.format, out)
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    if args.persons < 1:
        raise UsageError("--persons must be at least 1")
    result = generate(args.out_dir, persons=args.persons, years=args.years, seed=args.seed,
                      extracted_on=args.extracted_on or "2024-09-30", departments=args.departments)
    sys.stdout.write(
        f"wrote {args.out_dir}: {result['spells']:,} spells of {result['persons_ever']:,} persons, "
        f"{result['sick_leave_records']:,} sick-leave records, {result['indicator_rows']:,} indicator values\n"
    )
    return EXIT_OK


def cmd_mapping_template(args: argparse.Namespace) -> int:
    from .mapping import mapping_template

    text = mapping_template(args.export, encoding=args.encoding, sep=args.sep)
    if args.out:
        _atomic_write(args.out, text)
        sys.stderr.write(f"wrote {args.out}: fill in the right-hand sides\n")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_save(args: argparse.Namespace) -> int:
    reg = _read_register(args)
    reg.save(args.out)
    sys.stdout.write(f"saved {len(reg):,} spells of {reg.persons:,} persons to {args.out}\n")
    return EXIT_OK


def _atomic_write(path: str, text: str) -> None:
    """Writes to a temporary name in the same directory, then renames: no half-written file."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".staffcast-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def cmd_demo(args: argparse.Namespace) -> int:
    """The plan's key figures on the bundled sample (a social-services committee)."""
    from ._table import format_table

    data = sample_dir()
    reg = read_register(data / "employments.csv")
    sick = read_sick_leave(data / "sick_leave.csv", register=reg)
    indicators = read_indicators(data / "indicators.csv")
    s = reg.summary()
    as_of = s["extracted_on"].isoformat()
    year = s["extracted_on"].year
    period = (f"{year - 1}-10-01", as_of)
    out = sys.stdout
    out.write("staffcast demo: the bundled sample register (a social-services committee)\n")
    out.write(f"  register   {data / 'employments.csv'}: {s['spells']:,} spells of {s['persons']:,} persons, "
              f"start dates {s['first_start']} .. {s['last_start']}, {s['warnings']} warning(s)\n")
    out.write(f"  also       {len(sick):,} sick-leave records, {len(indicators):,} indicator values\n\n")
    from .report import key_figures, write_report

    lang = getattr(args, "lang", "en") or "en"
    figures = key_figures(reg, as_of, sick_leave=sick, lang=lang)
    out.write(f"Key figures on {as_of}\n")
    width = max(len(label) for label in figures["label"])
    for figure in figures.itertuples(index=False):
        note = f"  ({figure.note})" if figure.note else ""
        out.write(f"  {figure.label.ljust(width)}  {figure.text:>8}{note}\n")
    out.write("\n")

    def section(title: str, frame) -> None:
        out.write(f"{title}\n")
        for line in format_table(frame).splitlines():
            out.write(f"  {line}\n")
        out.write("\n")

    section(f"Headcount on {as_of}", stats.snapshot(reg, as_of, by="employment_form", totals=True))
    section(f"Turnover of permanent staff, {period[0]} .. {period[1]}",
            stats.turnover(reg, *period, employment_form="permanent"))
    section("Sick leave against the targets (6%, days 1-14: 2%)",
            stats.against_targets(stats.sick_leave(reg, sick, *period), {"sick_rate": 0.06, "short_term_rate": 0.02})
            [["persons", "sick_rate", "sick_rate_missed", "short_term_rate", "short_term_rate_missed"]])
    section(f"Retirements at 65, permanent staff, {year + 1}-{year + 3}",
            stats.retirement_outlook(reg, as_of, years=3, by="department", employment_form="permanent",
                                     totals=True))
    need = stats.recruitment_need(reg, as_of, years=3, by="department", employment_form="permanent", totals=True)
    section("Recruitment need, permanent staff (retirements as probabilities over 65-69)",
            need[need["department"] == "Total"].drop(columns=["department"]))
    from .comparisons import span_of_control

    section(f"Span of control on {as_of} (direct reports per manager)",
            span_of_control(reg, as_of, limit=25))
    flagged = stats.indicator_followup(indicators)
    flagged = flagged[flagged["target_missed"] | flagged["trend_wrong"]]
    section("Indicators off target or trending the wrong way", flagged[["indicator", "unit_of_analysis", "period",
                                                                         "value", "target", "change"]])
    report = Path(args.out) if getattr(args, "out", None) else Path(tempfile.mkdtemp(prefix="staffcast-demo-")) / \
        "report.html"
    write_report(report, reg, as_of, sick_leave=sick, indicators=indicators, lang=lang)
    out.write(f"The plan as one HTML file (disclosure control on): {report.resolve()}\n")
    out.write("Next: `staffcast --help`, the README's tour, or the same on your own register.\n")
    return EXIT_OK


def _split(value: Optional[str]) -> Optional[list[str]]:
    if value is None:
        return None
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not parts:
        raise UsageError("an empty list was given")
    return parts


def _query_args(args: argparse.Namespace) -> dict[str, Any]:
    """by, totals, age bands, extraction date and filters from the common options."""
    by = _split(args.by) or []
    filters = {
        "employment_form": _split(args.form),
        "department": _split(args.department),
        "position": _split(args.position),
        "gender": _split(args.gender),
    }
    for item in args.filter or []:
        if "=" not in item:
            raise UsageError(f"--filter takes COLUMN=VALUE[,VALUE...], got {item!r}")
        column, values = item.split("=", 1)
        filters[column.strip()] = _split(values)
    age_bands: Any = None
    if args.age_bands:
        if args.age_bands in ("default", "statutory"):
            age_bands = args.age_bands
        else:
            try:
                age_bands = [int(edge) for edge in args.age_bands.split(",")]
            except ValueError:
                raise UsageError("--age-bands takes default, statutory or edges like 20,30,40,50,60,65") from None
    return dict(by=by, totals=bool(by) and not args.no_totals, age_bands=age_bands,
                extracted_on=args.extracted_on, **{k: v for k, v in filters.items() if v is not None})


def _compare(args: argparse.Namespace) -> dict[str, Any]:
    return {"compare": args.compare} if getattr(args, "compare", None) else {}


def _need(args: argparse.Namespace, *names: str) -> None:
    flags = {"start": "--from", "end": "--to"}
    missing = [flags.get(name, f"--{name.replace('_', '-')}") for name in names if getattr(args, name) is None]
    if missing:
        raise UsageError(f"{args.command} needs {' and '.join(missing)}")


def _emit(args: argparse.Namespace, frame: pd.DataFrame) -> int:
    note = frame.attrs.get("staffcast", {}).get("previous", "")
    if note.startswith("the same period a year earlier is unavailable"):
        sys.stderr.write(f"staffcast {args.command}: note: {note}\n")
    if args.min_cell is not None:
        frame = disclose(frame, min_count=args.min_cell)
    sys.stdout.write(render(frame, args.format))
    return EXIT_OK


def cmd_snapshot(args: argparse.Namespace) -> int:
    _need(args, "as_of")
    reg = _read_register(args)
    if args.top:
        q = _query_args(args)
        filters = {k: v for k, v in q.items() if k not in ("by", "totals", "age_bands", "extracted_on")}
        return _emit(args, stats.top_positions(reg, args.as_of, n=args.top, **filters))
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
    reg = _read_register(args)
    sick = read_sick_leave(args.sick_leave, register=reg)
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


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="staffcast", description="Workforce analytics for competence-supply "
                                     "planning.")
    parser.add_argument("--version", action="version", version=f"staffcast {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    def add(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(handler=handler)
        return sub

    validate = add("validate", cmd_validate, "Validate a register: rows, persons, date range, every error and "
                   "warning.")
    validate.add_argument("register", help="employments CSV")
    validate.add_argument("--sick-leave", metavar="FILE", help="sick-leave CSV to validate against the register")
    validate.add_argument("--indicators", metavar="FILE", help="indicators CSV to validate")
    validate.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
    validate.add_argument("--dimension", action="append", metavar="NAME", help="pass-through column to keep")
    validate.add_argument("--extracted-on", metavar="D", help="day the register was extracted (YYYY-MM-DD)")
    validate.add_argument("--format", choices=["table", "csv", "json"], default="table")

    gen = add("generate", cmd_generate, "Write a synthetic register, sick leave and indicators.")
    gen.add_argument("out_dir", help="output directory")
    gen.add_argument("--persons", type=int, default=1100, help="headcount on the extraction date")
    gen.add_argument("--years", type=int, default=10, help="years of history")
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--extracted-on", metavar="D", help="extraction date (default 2024-09-30)")
    gen.add_argument("--departments", type=int, default=0, help="0 = automatic")

    def common(sub: argparse.ArgumentParser, dates: str) -> None:
        sub.add_argument("register", help="employments CSV")
        if dates == "as_of":
            sub.add_argument("--as-of", dest="as_of", metavar="D", help="the day (YYYY-MM-DD)")
        else:
            sub.add_argument("--from", dest="start", metavar="A", help="first day of the period")
            sub.add_argument("--to", dest="end", metavar="B", help="last day of the period")
            sub.add_argument("--per", choices=["year", "tertial", "month", "rolling12"],
                             help="one row set per period within --from..--to")
        sub.add_argument("--by", metavar="A,B", help="group by these dimensions (gender, age_band, "
                         "employment_form, position, department, fte_band, tenure_band, pass-through columns)")
        sub.add_argument("--form", metavar="F[,F]", help="employment forms (permanent, temporary, hourly)")
        sub.add_argument("--department", metavar="D[,D]", help="departments")
        sub.add_argument("--position", metavar="P[,P]", help="positions")
        sub.add_argument("--gender", metavar="G[,G]", help="genders (F, M, X)")
        sub.add_argument("--filter", action="append", metavar="COLUMN=V[,V]", help="filter on a pass-through column")
        sub.add_argument("--age-bands", metavar="BANDS", help="default, statutory, or edges like 20,30,40,50,60,65")
        sub.add_argument("--no-totals", action="store_true", help="leave out the Total row")
        sub.add_argument("--extracted-on", metavar="D", help="day the register was extracted")
        sub.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
        sub.add_argument("--dimension", action="append", metavar="NAME", help="pass-through column to keep")
        sub.add_argument("--min-cell", type=int, metavar="K", help="suppress counts below K (disclosure control)")
        sub.add_argument("--compare", choices=["previous-year"], help="add the same day or period a year earlier")
        sub.add_argument("--format", choices=["table", "csv", "json"], default="table")

    sub = add("snapshot", cmd_snapshot, "Headcount, fte and mean age on a day: <by>,headcount,fte,mean_age.")
    common(sub, "as_of")
    sub.add_argument("--top", type=int, metavar="N", help="instead: the N most common positions")
    sub = add("full-time", cmd_full_time, "Full-time share: <by>,persons,full_time,part_time,full_time_share.")
    common(sub, "as_of")
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
    sub = add("indicators", cmd_indicators, "Indicators follow-up: latest value, target, change, flags.")
    sub.add_argument("indicators_file", metavar="FILE", help="indicators CSV")
    sub.add_argument("--min-cell", type=int, metavar="K", help=argparse.SUPPRESS)
    sub.add_argument("--compare", choices=["previous-year"], help="add the same period a year earlier")
    sub.add_argument("--format", choices=["table", "csv", "json"], default="table")
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

    # Areas with commands of their own register them here (add, common).
    for area in _command_areas():
        area.add_commands(add, common)

    sub = add("mapping-template", cmd_mapping_template, "Write a starting mapping file from an export's header "
              "and code values.")
    sub.add_argument("export", help="the HR system's export (CSV)")
    sub.add_argument("--encoding", default="utf-8", help="utf-8, cp1252 or latin-1")
    sub.add_argument("--sep", help="separator (default: detect , or ;)")
    sub.add_argument("--out", metavar="FILE", help="write the template here instead of standard output")

    sub = add("save", cmd_save, "Save a validated register (.arrow or .parquet) for fast loading.")
    sub.add_argument("register", help="employments CSV, .xlsx or saved register")
    sub.add_argument("out", help="the file to write (.arrow, .feather or .parquet)")
    sub.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
    sub.add_argument("--dimension", action="append", metavar="NAME", help="pass-through column to keep")
    sub.add_argument("--extracted-on", metavar="D", help="day the register was extracted")

    sub = add("demo", cmd_demo, "Run the main job on the bundled sample: key figures, tables and the HTML report.")
    sub.add_argument("--out", metavar="FILE.html", help="where to write the report (default: a new temporary "
                     "directory)")
    sub.add_argument("--lang", choices=["en", "sv"], default="en", help="labels of the report")
    return parser


def _command_areas() -> list:
    """Modules that define `add_commands(add, common)` for their CLI subcommands."""
    from . import comparisons, models, privacy, projection, report

    return [module for module in (models, comparisons, privacy, projection, report) if hasattr(module, "add_commands")]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: 2 on bad arguments, 0 for --help
        return int(exit_.code or 0)
    try:
        return args.handler(args)
    except ValidationError as error:
        sys.stderr.write(f"staffcast {args.command}: invalid input: {len(error.issues[error.issues.severity == 'error'])}"
                         " error(s)\n")
        _print_issues(error.issues, sys.stderr)
        if error.dropped:
            sys.stderr.write(f"... and {error.dropped} more not listed\n")
        return EXIT_INVALID
    except (UsageError, FileNotFoundError, IsADirectoryError, ValueError) as error:
        sys.stderr.write(f"staffcast {args.command}: error: {error}\n")
        return EXIT_INVALID
    except KeyboardInterrupt:
        sys.stderr.write(f"staffcast {args.command}: interrupted\n")
        return EXIT_INTERRUPTED
    except (StaffcastError, OSError, MemoryError) as error:
        sys.stderr.write(f"staffcast {args.command}: error: {error}\n")
        return EXIT_RUNTIME
    except Exception as error:  # noqa: BLE001 - the CLI never shows a traceback
        if os.environ.get("STAFFCAST_DEBUG"):
            raise
        sys.stderr.write(f"staffcast {args.command}: internal error: {type(error).__name__}: {error}\n")
        return EXIT_RUNTIME
