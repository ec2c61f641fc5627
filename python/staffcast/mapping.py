"""Reading real HR exports: mappings (parsed by the C++ core) and mapping templates (docs/data.md)."""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from dataclasses import dataclass, field, fields
from typing import Any, Mapping, Optional, Union

from . import _core, _toml
from ._contract import ENUM_NAMES, REGISTER_COLUMNS
from ._dialect import detect_separator, sniff_encoding, utf8_path
from .errors import no_such_file

__all__ = ["ReadMapping", "load_mapping", "mapping_template", "guess_date_format"]


def _key(name: str) -> str:
    """A header as the template matches it: lower case, without spaces, dots, dashes and underscores."""
    return "".join(ch for ch in name.strip().lower() if ch not in " ._-/")


# Column names seen in HR exports (English and Swedish), used to pre-fill templates.
_COLUMN_NAMES = {
    "employee_id": ["employee_id", "empid", "employeeid", "employeenumber", "empno", "employeeno", "id",
                    "anst.nr", "anstnr", "anställningsnummer", "personnummer", "personid"],
    "birth_date": ["birth_date", "dob", "birthdate", "dateofbirth", "födelsedatum", "född"],
    "gender": ["gender", "sex", "kön"],
    "employment_form": ["employment_form", "employmentform", "employmenttype", "contracttype", "anställningsform",
                        "anstform"],
    "position": ["position", "jobtitle", "title", "job", "befattning", "yrke", "titel"],
    "department": ["department", "dept", "avdelning", "enhet", "förvaltning"],
    "fte": ["fte", "fulltimeequivalent", "sysselsättningsgrad", "tjänstgöringsgrad", "omfattning"],
    "start_date": ["start_date", "hiredate", "dateofhire", "startdate", "employmentstart", "från", "anställningsdatum",
                   "anställdfrån", "from", "fr.o.m."],
    "end_date": ["end_date", "terminationdate", "dateoftermination", "termdate", "enddate", "till", "slutdatum",
                 "anställdtill", "t.o.m."],
    "end_reason": ["end_reason", "termreason", "terminationreason", "reasonfortermination", "avgångsorsak",
                   "slutorsak"],
    "recruitment_source": ["recruitment_source", "recruitmentsource", "source", "rekryteringsväg", "rekrytering"],
    "manager_id": ["manager_id", "managerid", "manager", "supervisor", "supervisorid", "chef", "chefsanstnr",
                   "närmastechef"],
}
COLUMN_ALIASES = {_key(name): contract for contract, names in _COLUMN_NAMES.items() for name in names}

# Codes seen in HR exports, lower case, with their contract code ("" = no value).
CODE_ALIASES = {
    "gender": {"k": "F", "kvinna": "F", "f": "F", "female": "F", "woman": "F", "m": "M", "man": "M", "male": "M",
               "x": "X", "annat": "X", "other": "X"},
    "employment_form": {"tillsvidare": "permanent", "tillsvidareanställning": "permanent", "permanent": "permanent",
                        "visstid": "temporary", "tidsbegränsad": "temporary", "vikariat": "temporary",
                        "allmän visstid": "temporary", "temporary": "temporary", "fixed term": "temporary",
                        "timavlönad": "hourly", "timanställd": "hourly", "hourly": "hourly"},
    "end_reason": {"egen begäran": "own_request", "pension": "retirement", "ålderspension": "retirement",
                   "visstid upphör": "fixed_term_ended", "anställningen upphör": "fixed_term_ended",
                   "intern rörlighet": "internal_move", "byte av förvaltning": "other_administration",
                   "annan förvaltning": "other_administration", "uppsägning": "dismissal",
                   "avsked": "dismissal", "dödsfall": "death", "övrigt": "other", "annat": "other",
                   "retirement": "retirement", "retired": "retirement", "death": "death",
                   "n/a-stillemployed": "", "n/a - still employed": "", "still employed": ""},
    "recruitment_source": {"intern": "internal", "annan förvaltning": "other_administration",
                           "extern": "external", "återanställning": "rehire", "internal": "internal",
                           "external": "external", "rehire": "rehire"},
}
CODE_COLUMNS = tuple(CODE_ALIASES)
DATE_COLUMNS = ("birth_date", "start_date", "end_date")
TODO = "TODO"


@dataclass
class ReadMapping:
    """How to read an export: column renames, code maps, defaults and the file's format.
    ``None`` means not given (the reader's default: detect, ISO dates, trim on)."""

    columns: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    dimensions: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    sep: Optional[str] = None
    decimal: Optional[str] = None
    encoding: Optional[str] = None
    date_format: Optional[list[str]] = None
    century_pivot: Optional[int] = None
    open_end: Optional[str] = None
    extracted_on: Optional[str] = None
    trim: Optional[bool] = None

    def merged(self, other: "ReadMapping") -> "ReadMapping":
        """This mapping with what ``other`` gives on top (columns, codes and defaults merged key by key)."""
        out = ReadMapping(**{f.name: getattr(self, f.name) for f in fields(self)})
        out.columns = {**self.columns, **other.columns}
        out.codes = {c: dict(v) for c, v in self.codes.items()}
        for column, table in other.codes.items():
            out.codes.setdefault(column, {}).update(table)
        out.defaults = {**self.defaults, **other.defaults}
        out.dimensions = list(self.dimensions) + [d for d in other.dimensions if d not in self.dimensions]
        for name in ("sep", "decimal", "encoding", "date_format", "century_pivot", "open_end", "extracted_on",
                     "trim"):
            if getattr(other, name) is not None:
                setattr(out, name, getattr(other, name))
        return out


def _from_core(parsed: dict[str, Any]) -> ReadMapping:
    return ReadMapping(**{f.name: parsed[f.name] for f in fields(ReadMapping)})


def load_mapping(mapping: Union[None, str, os.PathLike, Mapping[str, Any]]) -> ReadMapping:
    """A mapping from a TOML file or a dict with ``[columns]``, ``[codes.<column>]``,
    ``[defaults]``, ``dimensions`` and ``[format]`` (``sep``, ``decimal``, ``encoding``,
    ``date_format``, ``century_pivot``, ``open_end``, ``extracted_on``, ``trim``).
    Both are checked by the same C++ parser: unknown keys, bad date layouts,
    ``%y`` without ``century_pivot``, codes outside the contract and values
    still ``TODO`` are errors (ValueError).

    Example:
        >>> m = sc.load_mapping("examples/data/swedish/mapping.toml")
        >>> m = sc.load_mapping({"format": {"date_format": ["%m/%d/%Y", "%m/%d/%y"], "century_pivot": 1930}})
    """
    if mapping is None:
        return ReadMapping()
    if isinstance(mapping, (str, os.PathLike)):
        if not os.path.exists(mapping):
            raise no_such_file(mapping, "mapping file")
        return _from_core(_core.read_mapping_file(os.fspath(mapping)))
    if not isinstance(mapping, Mapping):
        raise ValueError(f"mapping must be a TOML file or a dict, got {type(mapping).__name__}")
    return _from_core(_core.parse_mapping(_toml.document(mapping), "(a dict)"))


def guess_date_format(values: list[str]) -> dict[str, Any]:
    """The date layout of some date texts, decided by the C++ layout parser:
    ``layouts`` (in order; empty when none reads every value), ``century_pivot``
    (proposed for two-digit years), ``ambiguous`` (day-first and month-first both
    read every value) and ``alternative`` (the other order's layouts then).

    Example:
        >>> sc.guess_date_format(["07/10/1983", "09/19/88"])["layouts"]
        ['%m/%d/%Y', '%m/%d/%y']
    """
    return _core.guess_date_layouts([str(v) for v in values], _dt.date.today().year)


def _rows(path: Union[str, os.PathLike], encoding: str, sep: str) -> tuple[list[str], list[list[str]]]:
    with utf8_path(path, encoding) as readable:
        with open(readable, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=sep)
            header = next(reader, [])
            return header, [row for row in reader if row]


def _guess_column(name: str, taken: set[str]) -> str:
    contract = COLUMN_ALIASES.get(_key(name), "")
    return "" if contract in taken else contract


def _guess_code(column: str, value: str) -> str:
    if value in ENUM_NAMES[column] and value:
        return value
    return CODE_ALIASES[column].get(value.lower(), TODO)


def mapping_template(path: Union[str, os.PathLike], encoding: Optional[str] = None, sep: Optional[str] = None,
                     max_codes: int = 200) -> str:
    """A starting mapping file (TOML text) for an export: the separator, encoding and
    decimal mark sniffed; every header with a guess from the common English and
    Swedish names; the date layout decided from the values of the date columns
    (day-first, month-first, two-digit years with a proposed ``century_pivot``,
    or ``TODO`` when both orders read every value); ``[defaults]`` proposed for
    fte and employment_form when the export lacks them; ``extracted_on = "TODO"``;
    and a ``[codes.*]`` section with every distinct value of each coded column,
    with a guess or ``TODO``. ``staffcast validate EXPORT --mapping FILE`` then
    names every ``TODO`` left.

    Example:
        >>> print(sc.mapping_template("examples/data/swedish/anstallda.csv"))
    """
    if not os.path.exists(path):
        raise no_such_file(path)
    if encoding is None:
        encoding = sniff_encoding(path)
    with utf8_path(path, encoding) as readable:
        if sep is None:
            sep = detect_separator(readable)
    header, rows = _rows(path, encoding, sep)
    guess: dict[str, str] = {}
    taken: set[str] = set()
    for name in header:
        guess[name] = _guess_column(name, taken)
        if guess[name]:
            taken.add(guess[name])
    index = {guess[name]: i for i, name in enumerate(header) if guess[name]}

    def values(contract: str) -> list[str]:
        i = index[contract]
        seen: dict[str, None] = {}
        for row in rows:
            if i < len(row):
                seen.setdefault(row[i].strip(), None)
        seen.pop("", None)
        return list(seen)

    out = io.StringIO()
    out.write("# staffcast mapping: replace every TODO (staffcast validate EXPORT --mapping FILE lists them).\n")
    out.write("# Column names left \"\" are not used.\n[format]\n")
    out.write(f"sep = {_toml.string(sep)}\n")
    decimal = ',' if sep == ';' else '.'
    if "fte" in index and any("," in v and "." not in v for v in values("fte")):
        decimal = ","
    out.write(f"decimal = {_toml.string(decimal)}\n")
    out.write(f"encoding = {_toml.string(encoding)}\n")
    # Date layouts: decided by the C++ layout parser from every value of the date columns.
    date_values: list[str] = []
    notes = []
    per_column: list[dict[str, Any]] = []
    open_end = None
    for contract in DATE_COLUMNS:
        if contract not in index:
            continue
        column_values = values(contract)
        date_values += column_values
        one = guess_date_format(column_values)
        per_column.append(one)
        if not one["layouts"]:
            notes.append(f"{contract}: no layout reads every value")
        elif one["ambiguous"]:
            notes.append(f"{contract}: ambiguous, {' or '.join(one['layouts'] + one['alternative'])}")
        else:
            notes.append(f"{contract}: {' or '.join(one['layouts'])}")
        if contract == "end_date":
            open_end = next((v for v in column_values if "9999" in v), None)
    both = guess_date_format(date_values)
    if not both["layouts"] and per_column and all(one["layouts"] and not one["ambiguous"] for one in per_column):
        # Each column decided, in layouts of their own (e.g. 5.7.1980 and 5 jul 2011): all of them, in order.
        union = list(dict.fromkeys(layout for one in per_column for layout in one["layouts"]))
        pivots = [one["century_pivot"] for one in per_column if one["century_pivot"] is not None]
        both = {"layouts": union, "ambiguous": False, "alternative": [], "century_pivot": pivots[0] if pivots else None}
    for note in notes:
        out.write(f"# dates of {note}\n")
    if both["layouts"] and not both["ambiguous"]:
        layouts = both["layouts"]
        date_format = _toml.string(layouts[0]) if len(layouts) == 1 else _toml.value(layouts)
        out.write(f"date_format = {date_format}\n")
        if both["century_pivot"] is not None:
            pivot = both["century_pivot"]
            out.write(f"century_pivot = {pivot}  # two-digit years: yy is the year in [{pivot}, {pivot + 99}]\n")
    else:
        if both["ambiguous"]:
            out.write(f"# day-first ({' or '.join(both['layouts'])}) and month-first "
                      f"({' or '.join(both['alternative'])}) both read every date: say which\n")
        out.write(f"date_format = {_toml.string(TODO)}\n")
        if both["century_pivot"] is not None:
            out.write(f"century_pivot = {both['century_pivot']}\n")
    if open_end is not None:
        out.write(f"open_end = {_toml.string(open_end)}\n")
    out.write(f"extracted_on = {_toml.string(TODO)}  # the day the export was taken, e.g. 2019-03-01\n")
    out.write("\n[columns]\n")
    for name in header:
        out.write(f"{_toml.string(name)} = {_toml.string(guess[name])}\n")
    missing = [c for c in REGISTER_COLUMNS[:8] if c not in index]
    proposals = {"fte": "1.0", "employment_form": _toml.string("permanent")}
    defaults = [c for c in missing if c in ("gender", "employment_form", "position", "department", "fte")]
    if defaults:
        out.write("\n[defaults]  # the export has no column for these: every row gets this value\n")
        for column in defaults:
            out.write(f"{column} = {proposals.get(column, _toml.string(TODO))}\n")
    for column in missing:
        if column not in defaults:
            out.write(f"# no column found for {column}: name it in [columns]\n")
    for contract in CODE_COLUMNS:
        if contract not in index:
            continue
        out.write(f"\n[codes.{contract}]\n")
        for value in values(contract)[:max_codes]:
            out.write(f"{_toml.string(value)} = {_toml.string(_guess_code(contract, value))}\n")
    return out.getvalue()
