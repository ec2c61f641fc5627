"""Reading real HR exports: mapping files, Swedish dialects, templates (docs/data.md)."""

from __future__ import annotations

import csv
import io
import os
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Union

from . import _toml
from ._contract import REGISTER_COLUMNS
from ._dialect import detect_separator, utf8_path
from .errors import no_such_file

__all__ = ["ReadMapping", "load_mapping", "mapping_template"]

FORMAT_KEYS = {"sep", "decimal", "encoding", "date_format", "open_end"}
TOP_KEYS = {"columns", "codes", "format", "dimensions"} | FORMAT_KEYS

# Swedish column names and codes seen in HR exports, used to pre-fill templates.
COLUMN_ALIASES = {
    "anst.nr": "employee_id", "anstnr": "employee_id", "anställningsnummer": "employee_id",
    "personnummer": "employee_id", "id": "employee_id",
    "födelsedatum": "birth_date", "född": "birth_date",
    "kön": "gender",
    "anställningsform": "employment_form", "anstform": "employment_form",
    "befattning": "position", "yrke": "position", "titel": "position",
    "avdelning": "department", "enhet": "department", "förvaltning": "department",
    "sysselsättningsgrad": "fte", "tjänstgöringsgrad": "fte", "omfattning": "fte",
    "från": "start_date", "startdatum": "start_date", "anställd från": "start_date", "fr.o.m.": "start_date",
    "till": "end_date", "slutdatum": "end_date", "anställd till": "end_date", "t.o.m.": "end_date",
    "avgångsorsak": "end_reason", "slutorsak": "end_reason",
    "rekryteringsväg": "recruitment_source", "rekrytering": "recruitment_source",
    "chef": "manager_id", "chefs anst.nr": "manager_id", "närmaste chef": "manager_id",
}
CODE_ALIASES = {
    "gender": {"k": "F", "kvinna": "F", "f": "F", "m": "M", "man": "M", "x": "X", "annat": "X"},
    "employment_form": {"tillsvidare": "permanent", "tillsvidareanställning": "permanent",
                        "visstid": "temporary", "tidsbegränsad": "temporary", "vikariat": "temporary",
                        "allmän visstid": "temporary", "timavlönad": "hourly", "timanställd": "hourly"},
    "end_reason": {"egen begäran": "own_request", "pension": "retirement", "ålderspension": "retirement",
                   "visstid upphör": "fixed_term_ended", "anställningen upphör": "fixed_term_ended",
                   "intern rörlighet": "internal_move", "byte av förvaltning": "other_administration",
                   "annan förvaltning": "other_administration", "uppsägning": "dismissal",
                   "avsked": "dismissal", "dödsfall": "death", "övrigt": "other", "annat": "other"},
    "recruitment_source": {"intern": "internal", "annan förvaltning": "other_administration",
                           "extern": "external", "återanställning": "rehire"},
}
CODE_COLUMNS = tuple(CODE_ALIASES)


@dataclass
class ReadMapping:
    """How to read an export: column renames, code maps and the file's format."""

    columns: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    dimensions: list[str] = field(default_factory=list)
    sep: Optional[str] = None
    decimal: Optional[str] = None
    encoding: str = "utf-8"
    date_format: str = "%Y-%m-%d"
    open_end: str = "9999-12-31"


def _check_text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"mapping: {name} must be text, got {type(value).__name__}")
    return value


def load_mapping(mapping: Union[None, str, os.PathLike, Mapping[str, Any]]) -> ReadMapping:
    """A mapping from a TOML file or a dict with ``[columns]``, ``[codes.<column>]`` and ``[format]``
    (``sep``, ``decimal``, ``encoding``, ``date_format``, ``open_end``); unknown keys are errors.

    Example:
        >>> m = sc.load_mapping("examples/data/swedish/mapping.toml")
    """
    if mapping is None:
        return ReadMapping()
    if isinstance(mapping, (str, os.PathLike)):
        try:
            with open(mapping, "rb") as handle:
                data = tomllib.load(handle)
        except FileNotFoundError:
            raise no_such_file(mapping, "mapping file") from None
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"mapping file {os.fspath(mapping)}: {error}") from None
    else:
        data = dict(mapping)
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ValueError(f"mapping: unknown key(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(TOP_KEYS))}")
    fmt = dict(data.get("format", {}))
    for key in FORMAT_KEYS:
        if key in data:
            fmt.setdefault(key, data[key])
    unknown = set(fmt) - FORMAT_KEYS
    if unknown:
        raise ValueError(f"mapping: unknown [format] key(s) {', '.join(sorted(unknown))}")
    out = ReadMapping()
    out.columns = {_check_text("a column name", k): _check_text(f"columns.{k}", v)
                   for k, v in dict(data.get("columns", {})).items() if v != ""}
    for column, table in dict(data.get("codes", {})).items():
        if not isinstance(table, Mapping):
            raise ValueError(f"mapping: codes.{column} must be a table")
        out.codes[column] = {str(k): _check_text(f"codes.{column}.{k}", v) for k, v in table.items() if v != ""}
    out.dimensions = [_check_text("a dimension", d) for d in data.get("dimensions", [])]
    sep = fmt.get("sep")
    if sep in (None, "auto"):
        out.sep = None
    elif sep in ("\\t", "tab"):
        out.sep = "\t"
    else:
        out.sep = _check_text("sep", sep)
    decimal = fmt.get("decimal")
    out.decimal = None if decimal in (None, "auto") else _check_text("decimal", decimal)
    out.encoding = _check_text("encoding", fmt.get("encoding", "utf-8"))
    out.date_format = _check_text("date_format", fmt.get("date_format", "%Y-%m-%d"))
    if out.date_format not in ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y"):
        raise ValueError(f"mapping: date_format must be %Y-%m-%d, %Y%m%d or %d/%m/%Y, got {out.date_format!r}")
    out.open_end = _check_text("open_end", fmt.get("open_end", "9999-12-31"))
    return out


def mapping_template(path: Union[str, os.PathLike], encoding: str = "utf-8", sep: Optional[str] = None,
                     max_codes: int = 50) -> str:
    """A starting mapping file (TOML text) from an export's header and the distinct
    values of its code columns; known Swedish names and codes are filled in, the
    rest are left empty for the analyst.

    Example:
        >>> print(sc.mapping_template("examples/data/swedish/anstallda.csv", encoding="cp1252"))
    """
    if not os.path.exists(path):
        raise no_such_file(path)
    with utf8_path(path, encoding) as readable:
        if sep is None:
            sep = detect_separator(readable)
        with open(readable, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=sep)
            header = next(reader, [])
            values: dict[int, dict[str, None]] = {i: {} for i in range(len(header))}
            for row in reader:
                for i, value in enumerate(row[: len(header)]):
                    if len(values[i]) <= max_codes:
                        values[i].setdefault(value.strip(), None)
    guess = {name: COLUMN_ALIASES.get(name.strip().lower(), name if name in REGISTER_COLUMNS else "")
             for name in header}
    # Date layout and open-end marker from the values of the date columns.
    date_values = [v for i, name in enumerate(header) if guess[name] in ("birth_date", "start_date", "end_date")
                   for v in values[i] if v]
    date_format, open_end = "%Y-%m-%d", "9999-12-31"
    if date_values and all(re.fullmatch(r"\d{8}", v) for v in date_values):
        date_format, open_end = "%Y%m%d", "99991231"
    elif date_values and all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", v) for v in date_values):
        date_format, open_end = "%d/%m/%Y", "31/12/9999"
    out = io.StringIO()
    out.write("# staffcast mapping: fill in the right-hand sides (empty = not used).\n")
    out.write("[format]\n")
    out.write(f"sep = {_toml.string(sep)}\n")
    out.write(f"decimal = {_toml.string(',' if sep == ';' else '.')}\n")
    out.write(f"encoding = {_toml.string(encoding)}\n")
    out.write(f"date_format = {_toml.string(date_format)}\nopen_end = {_toml.string(open_end)}\n\n[columns]\n")
    for name in header:
        out.write(f"{_toml.string(name)} = {_toml.string(guess[name])}\n")
    for i, name in enumerate(header):
        contract = guess[name]
        if contract not in CODE_COLUMNS:
            continue
        out.write(f"\n[codes.{contract}]\n")
        for value in values[i]:
            if value == "":
                continue
            known = CODE_ALIASES[contract].get(value.lower(), "")
            out.write(f"{_toml.string(value)} = {_toml.string(known)}\n")
    return out.getvalue()

