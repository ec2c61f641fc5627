"""What the command groups share: exit codes, UsageError, the common options and
their conversion to library arguments, reading the register, writing the result."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Optional

import pandas as pd

from .._table import render
from ..disclosure import disclose
from .. import _toml
from ..errors import format_issue, printable
from ..mapping import guess_date_format
from ..register import Register, SickLeave, read_register, read_sick_leave

EXIT_OK, EXIT_RUNTIME, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130
# Tables in the table format are wrapped to $COLUMNS, else to this many characters.
DEFAULT_WIDTH = 100

# The filters every table command takes, and what is not a filter in _query_args' result.
NOT_FILTERS = ("by", "totals", "age_bands", "extracted_on")


class UsageError(Exception):
    """Bad command-line arguments (exit 2)."""


def _read_register(args: argparse.Namespace, note: bool = True) -> Register:
    """The register named on the command line: a CSV (with --mapping), an .xlsx or a saved register.
    With ``note``, an assumed extraction date is named on stderr (see _note_extraction)."""
    reg = read_register(args.register, mapping=getattr(args, "mapping", None),
                        dimensions=list(getattr(args, "dimension", None) or []),
                        extracted_on=getattr(args, "extracted_on", None), today=getattr(args, "today", None))
    if note:
        _note_extraction(args, reg)
    return reg


def _read_inputs(args: argparse.Namespace) -> tuple[Register, Optional[SickLeave]]:
    """The register and, with --sick-leave, the sick leave read against it (which may move an
    assumed extraction date); then the one note naming an assumed extraction date."""
    reg = _read_register(args, note=False)
    path = getattr(args, "sick_leave", None)
    sick = read_sick_leave(path, register=reg) if path else None
    _note_extraction(args, reg)
    return reg, sick


def _note_extraction(args: argparse.Namespace, reg: Register) -> None:
    """One line on stderr when the extraction date was assumed: the register's own warning."""
    if not reg.extracted_on_assumed:
        return
    issues = reg.issues
    assumed = issues[issues["code"] == "extraction_date_assumed"]["message"]
    text = assumed.iloc[0] if len(assumed) else f"extraction date assumed: {reg.extracted_on}"
    sys.stderr.write(f"staffcast {args.command}: note: {text}\n")


# Issues printed per (file, code, column) before the rest are counted.
SHOWN_PER_GROUP = 3

def _print_issues(issues: pd.DataFrame, stream, per_group: int = SHOWN_PER_GROUP, dropped: int = 0) -> None:
    """Every issue, summarised: the first ``per_group`` of each (file, code, column) in the order
    found, then "... and N more <code> in <column>"; ``dropped`` issues past the reader's limit;
    then a hint where the values show a cause."""
    keys = [issues["file"].astype(str), issues["code"].astype(str), issues["column"].fillna("").astype(str)]
    for (_, code, column), group in issues.groupby(keys, sort=False):
        for record in group.head(per_group).itertuples(index=False):
            stream.write(format_issue(record) + "\n")
        if len(group) > per_group:
            more = f"... and {len(group) - per_group:,} more {code}" + (f" in {column}" if column else "")
            stream.write(printable(more) + "\n")
    if dropped:
        stream.write(f"... and {dropped} more not listed\n")
    for hint in issue_hints(issues):
        stream.write(printable(f"hint: {hint}") + "\n")


def looks_like_cp1252(path: str) -> bool:
    """Whether a file that is not UTF-8 reads as Windows-1252 text (no NUL byte; Swedish letters)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 20)
    except OSError:
        return False
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
        return False
    except UnicodeDecodeError:
        pass
    text = head.decode("cp1252", errors="replace")
    return "\ufffd" not in text and any(letter in text for letter in "åäöÅÄÖéÉ")


def issue_hints(issues: pd.DataFrame) -> list[str]:
    """One line per file whose problems point at one cause: unreadable dates that all fit another
    layout (which, and what to do), or a Windows-1252 export read as UTF-8."""
    hints = []
    encoding = issues[(issues["code"] == "encoding")
                      & issues["message"].fillna("").astype(str).str.contains("invalid UTF-8")]
    for file in dict.fromkeys(encoding["file"].astype(str)):
        if looks_like_cp1252(file):
            hints.append(f"the file looks like cp1252 (a Windows export): pass --mapping FILE with "
                         f"encoding = \"cp1252\" in its [format], or make one with: staffcast mapping-template "
                         f"{file} --encoding cp1252 --out mapping.toml (see docs/data.md)")
    bad = issues[(issues["code"] == "bad_date") & issues["value"].fillna("").astype(str).ne("")]
    for _, group in bad.groupby(bad["file"].astype(str), sort=False):
        guess = guess_date_format([str(v) for v in group["value"]])
        if not guess["layouts"]:
            continue
        named = " or ".join(guess["layouts"] + guess["alternative"])
        layouts = guess["layouts"]
        given = _toml.string(layouts[0]) if len(layouts) == 1 else _toml.value(layouts)
        pivot = f" and century_pivot = {guess['century_pivot']}" if guess["century_pivot"] is not None else ""
        hints.append(f"the dates look like {named}: give date_format = {given}{pivot} in a mapping's [format] "
                     "(--mapping FILE, or date_format= in Python; see docs/data.md)")
    return hints


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


def _filters_only(args: argparse.Namespace) -> dict[str, Any]:
    """The filters of the common options alone (for the commands without by, totals, age bands)."""
    return {k: v for k, v in _query_args(args).items() if k not in NOT_FILTERS}


def _compare(args: argparse.Namespace) -> dict[str, Any]:
    return {"compare": args.compare} if getattr(args, "compare", None) else {}


def _need(args: argparse.Namespace, *names: str) -> None:
    flags = {"start": "--from", "end": "--to"}
    missing = [flags.get(name, f"--{name.replace('_', '-')}") for name in names if getattr(args, name) is None]
    if missing:
        raise UsageError(f"{args.command} needs {' and '.join(missing)}")


def terminal_width() -> int:
    """The width tables are wrapped to: ``$COLUMNS`` when it is a positive number, else 100."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return DEFAULT_WIDTH
    return columns if columns > 0 else DEFAULT_WIDTH


def _emit(args: argparse.Namespace, frame: pd.DataFrame) -> int:
    note = frame.attrs.get("staffcast", {}).get("previous", "")
    if note.startswith("the same period a year earlier is unavailable"):
        sys.stderr.write(f"staffcast {args.command}: note: {note}\n")
    if args.min_cell is not None:
        frame = disclose(frame, min_count=args.min_cell)
    sys.stdout.write(render(frame, args.format, width=terminal_width()))
    return EXIT_OK


def add_extraction_options(sub: argparse.ArgumentParser) -> None:
    """--extracted-on and --today, for every command that reads a register."""
    sub.add_argument("--extracted-on", metavar="D", help="day the register was extracted (default: assumed, the "
                     "earlier of today and the latest date in the inputs; a note names it)")
    sub.add_argument("--today", metavar="D", help="the day taken as today when the extraction date is assumed "
                     "(default: the clock)")


def common(sub: argparse.ArgumentParser, dates: str) -> None:
    """The options of every table command: the register, the day (``as_of``) or the period,
    grouping, filters, age bands, mapping, disclosure control, comparison and format."""
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
    add_extraction_options(sub)
    sub.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
    sub.add_argument("--dimension", action="append", metavar="NAME", help="pass-through column to keep")
    sub.add_argument("--min-cell", type=int, metavar="K", help="suppress counts below K (disclosure control)")
    sub.add_argument("--compare", choices=["previous-year"], help="add the same day or period a year earlier")
    sub.add_argument("--format", choices=["table", "csv", "json"], default="table")
