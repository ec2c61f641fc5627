"""The report commands: report (the plan as one HTML file) and demo (the plan's key
figures, tables and report on the bundled sample)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from .. import statistics as stats
from .._table import format_table
from .._version import __version__
from ..comparisons import span_of_control
from ..generate import SAMPLE, generate
from ..register import read_indicators, read_register, read_sick_leave
from ..report import key_figures, write_report
from ._common import EXIT_OK, UsageError, _read_inputs, add_extraction_options, terminal_width

__all__ = ["add_report", "add_demo", "sample_dir"]


def sample_dir() -> Path:
    """The bundled sample: package data, the source tree's examples/data, or regenerated."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "data", package.parent.parent / "examples" / "data"):
        if (candidate / "employments.csv").is_file():
            return candidate
    cache = Path(tempfile.gettempdir()) / f"staffcast-sample-{__version__}"
    if not (cache / "employments.csv").is_file():
        generate(cache, **SAMPLE)
    return cache


def _cmd_report(args: Any) -> int:
    if args.out is None:
        raise UsageError("report needs --out FILE.html")
    if args.min_cell is not None and args.no_disclosure:
        raise UsageError("--min-cell and --no-disclosure contradict each other")
    reg, sick = _read_inputs(args)
    indicators = read_indicators(args.indicators) if args.indicators else None
    min_cell = None if args.no_disclosure else (args.min_cell if args.min_cell is not None else 5)
    # without --as-of the report's day is the extraction date: write_report asks the C++ plan rule (plan_day)
    path = write_report(args.out, reg, args.as_of, sick_leave=sick, indicators=indicators, lang=args.lang,
                        min_cell=min_cell, sick_target=args.target, short_term_target=args.short_term_target,
                        projection_years=args.projection_years)
    sys.stdout.write(f"wrote {path} ({path.stat().st_size:,} bytes)\n")
    if min_cell is None:
        sys.stderr.write("staffcast report: warning: disclosure control is off; do not publish this report\n")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The plan's key figures on the bundled sample (a social-services committee)."""
    data = sample_dir()
    reg = read_register(data / "employments.csv", extracted_on=SAMPLE["extracted_on"])
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
        for line in format_table(frame, terminal_width() - 2).splitlines():
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


def add_report(add, common) -> None:
    sub = add("report", _cmd_report, "The competence-supply plan as one self-contained HTML file.")
    sub.add_argument("register", help="employments CSV, .xlsx or saved register")
    sub.add_argument("--as-of", dest="as_of", metavar="D", help="the day of the plan (default: extraction date)")
    sub.add_argument("--out", metavar="FILE.html", help="the report to write")
    sub.add_argument("--lang", choices=["en", "sv"], default="en", help="labels in English or Swedish")
    sub.add_argument("--sick-leave", dest="sick_leave", metavar="FILE", help="sick-leave CSV")
    sub.add_argument("--indicators", metavar="FILE", help="indicators CSV")
    sub.add_argument("--min-cell", type=int, metavar="K", help="suppress counts below K (default 5)")
    sub.add_argument("--no-disclosure", action="store_true", help="no disclosure control (internal use only)")
    sub.add_argument("--target", type=float, default=0.06, metavar="RATE", help="sick-leave target (default 0.06)")
    sub.add_argument("--short-term-target", type=float, default=0.02, metavar="RATE",
                     help="target for days 1-14 (default 0.02)")
    sub.add_argument("--projection-years", type=int, default=5, metavar="N", help="years projected (default 5)")
    add_extraction_options(sub)
    sub.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
    sub.add_argument("--dimension", action="append", metavar="NAME", help="pass-through column to keep")


def add_demo(add, common) -> None:
    sub = add("demo", cmd_demo, "Run the main job on the bundled sample: key figures, tables and the HTML report.")
    sub.add_argument("--out", metavar="FILE.html", help="where to write the report (default: a new temporary "
                     "directory)")
    sub.add_argument("--lang", choices=["en", "sv"], default="en", help="labels of the report")
