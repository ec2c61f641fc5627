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
from .register import Register, read_indicators, read_register, read_sick_leave

EXIT_OK, EXIT_RUNTIME, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad command-line arguments (exit 2)."""


# ---------------------------------------------------------------- helpers


def _load_mapping(path: Optional[str]) -> dict[str, Any]:
    """A mapping file (TOML): columns, codes, sep, decimal, encoding, dimensions, open_end."""
    if not path:
        return {}
    try:
        import tomllib  # Python 3.11+
    except ModuleNotFoundError:  # pragma: no cover
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as handle:
            mapping = tomllib.load(handle)
    except FileNotFoundError:
        raise UsageError(f"mapping file not found: {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"mapping file {path}: {error}") from None
    allowed = {"columns", "codes", "sep", "decimal", "encoding", "dimensions", "open_end"}
    unknown = set(mapping) - allowed
    if unknown:
        raise UsageError(f"mapping file {path}: unknown key(s) {', '.join(sorted(unknown))}")
    return mapping


def _read_register(args: argparse.Namespace) -> Register:
    mapping = _load_mapping(getattr(args, "mapping", None))
    dimensions = list(mapping.get("dimensions", [])) + list(getattr(args, "dimension", None) or [])
    return read_register(
        args.register,
        columns=mapping.get("columns"),
        codes=mapping.get("codes"),
        sep=mapping.get("sep"),
        decimal=mapping.get("decimal"),
        encoding=mapping.get("encoding", "utf-8"),
        dimensions=dimensions,
        open_end=mapping.get("open_end", "9999-12-31"),
        extracted_on=getattr(args, "extracted_on", None),
    )


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


def cmd_demo(args: argparse.Namespace) -> int:
    data = sample_dir()
    reg = read_register(data / "employments.csv")
    sick = read_sick_leave(data / "sick_leave.csv", register=reg)
    indicators = read_indicators(data / "indicators.csv")
    s = reg.summary()
    as_of = s["extracted_on"]
    out = sys.stdout
    out.write("staffcast demo: the bundled sample register (a social-services committee)\n")
    out.write(f"  register       {data / 'employments.csv'}\n")
    out.write(f"  spells         {s['spells']:,} of {s['persons']:,} persons, start dates {s['first_start']} .. "
              f"{s['last_start']}\n")
    out.write(f"  warnings       {s['warnings']:,}" +
              (f" ({', '.join(f'{k}: {v}' for k, v in s['warnings_by_code'].items())})" if s["warnings"] else "")
              + "\n")
    out.write(f"  sick leave     {len(sick):,} records; indicators {len(indicators):,} values\n")
    out.write(f"  headcount on {as_of}: {reg.employed_persons(as_of):,} persons employed\n")
    return EXIT_OK


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

    add("demo", cmd_demo, "Run the main job on the bundled sample.")
    return parser


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
