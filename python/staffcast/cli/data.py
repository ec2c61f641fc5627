"""Commands on the data: validate, generate, mapping-template, save."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from .._io import write_text
from ..generate import generate
from ..mapping import mapping_template
from ..register import read_indicators
from ._common import EXIT_OK, UsageError, _print_issues, _read_inputs, _read_register, add_extraction_options

__all__ = ["add_validate", "add_generate", "add_mapping_template", "add_save"]


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


def cmd_validate(args: argparse.Namespace) -> int:
    reg, sick = _read_inputs(args)
    summary = reg.summary()
    out = sys.stdout
    issues = reg.issues
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
        assumed = " (assumed)" if summary["extracted_on_assumed"] else ""
        out.write(f"  extracted on   {summary['extracted_on']}{assumed}\n")
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
    text = mapping_template(args.export, encoding=args.encoding, sep=args.sep)
    if args.out:
        write_text(args.out, text)
        sys.stderr.write(f"wrote {args.out}: fill in the right-hand sides\n")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_save(args: argparse.Namespace) -> int:
    reg = _read_register(args)
    reg.save(args.out)
    sys.stdout.write(f"saved {len(reg):,} spells of {reg.persons:,} persons to {args.out}\n")
    return EXIT_OK


def add_validate(add, common) -> None:
    validate = add("validate", cmd_validate, "Validate a register: rows, persons, date range, every error and "
                   "warning.")
    validate.add_argument("register", help="employments CSV")
    validate.add_argument("--sick-leave", metavar="FILE", help="sick-leave CSV to validate against the register")
    validate.add_argument("--indicators", metavar="FILE", help="indicators CSV to validate")
    validate.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
    validate.add_argument("--dimension", action="append", metavar="NAME", help="pass-through column to keep")
    add_extraction_options(validate)
    validate.add_argument("--format", choices=["table", "csv", "json"], default="table")


def add_generate(add, common) -> None:
    gen = add("generate", cmd_generate, "Write a synthetic register, sick leave and indicators.")
    gen.add_argument("out_dir", help="output directory")
    gen.add_argument("--persons", type=int, default=1100, help="headcount on the extraction date")
    gen.add_argument("--years", type=int, default=10, help="years of history")
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--extracted-on", metavar="D", help="extraction date (default 2024-09-30)")
    gen.add_argument("--departments", type=int, default=0, help="0 = automatic")


def add_mapping_template(add, common) -> None:
    sub = add("mapping-template", cmd_mapping_template, "Write a starting mapping file from an export: columns, "
              "date layouts, defaults and code values, TODO where a choice is left.")
    sub.add_argument("export", help="the HR system's export (CSV)")
    sub.add_argument("--encoding", help="utf-8, cp1252 or latin-1 (default: detect utf-8 or cp1252)")
    sub.add_argument("--sep", help="separator (default: detect , or ;)")
    sub.add_argument("--out", metavar="FILE", help="write the template here instead of standard output")


def add_save(add, common) -> None:
    sub = add("save", cmd_save, "Save a validated register (Arrow IPC, .arrow) that opens in an instant.")
    sub.add_argument("register", help="employments CSV, .xlsx or saved register")
    sub.add_argument("out", help="the file to write (.arrow, .feather or .ipc)")
    sub.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
    sub.add_argument("--dimension", action="append", metavar="NAME", help="pass-through column to keep")
    add_extraction_options(sub)
