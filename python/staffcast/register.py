"""The validated register: reading it (CSV, Excel, pandas, Arrow or a saved file) and
the ``Register`` the statistics take. The sick-leave and indicator tables are in
``staffcast._side_tables``, saved registers in ``staffcast._saved``; their public
names are importable from here too."""

from __future__ import annotations

import datetime as _dt
import html
import os
from typing import Any, Iterable, Mapping, Optional, Union

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from . import _core, _saved
from ._contract import REGISTER_COLUMNS
from ._dates import DateLike, _iso
from ._dialect import resolve_dialect, utf8_path
from ._frames import (
    arrow_buffers,
    checked,
    days_to_dates,
    is_table_like,
    source_label,
    to_arrow_table,
)
from ._saved import SAVED_SUFFIXES
from .errors import no_such_file
from ._side_tables import Indicators, SickLeave, Source, read_indicators, read_sick_leave
from ._validated import Validated
from .mapping import load_mapping

__all__ = [
    "Register",
    "SickLeave",
    "Indicators",
    "read_register",
    "load_register",
    "read_sick_leave",
    "read_indicators",
    "REGISTER_COLUMNS",
]

class Register(Validated):
    """A validated HR register: one row per employment spell.

    Built by :func:`read_register`. The data lives in the compiled core as
    columns (dates as day numbers, categories as codes); ``to_frame()`` gives it
    back as a pandas DataFrame with the input contract's columns.

    Example:
        >>> reg = sc.read_register("examples/data/employments.csv", extracted_on="2024-09-30")
        >>> len(reg), reg.persons
        (3840, 2766)
    """

    @property
    def persons(self) -> int:
        """Distinct employee_id values."""
        return self._core.persons

    @property
    def nbytes(self) -> int:
        """Bytes held by the register's columns and dictionaries."""
        return self._core.nbytes

    @property
    def extracted_on(self) -> _dt.date:
        """The snapshot day: given at reading, else assumed (the earlier of today and the
        latest date in the inputs; see :attr:`extracted_on_assumed`)."""
        return _dt.date.fromisoformat(self._core.extracted_on)

    @property
    def extracted_on_assumed(self) -> bool:
        """Whether the extraction date was assumed (not given); the issues then start with
        an ``extraction_date_assumed`` warning naming the day."""
        return bool(self._core.extracted_on_assumed)

    @property
    def date_range(self) -> tuple[_dt.date, _dt.date]:
        """Earliest and latest start_date."""
        return (_dt.date.fromisoformat(self._core.earliest_start), _dt.date.fromisoformat(self._core.latest_start))

    def employed_persons(self, as_of: DateLike) -> int:
        """Number of distinct persons with a spell covering ``as_of``."""
        return self._core.employed_persons(_iso(as_of))

    def to_frame(self) -> pd.DataFrame:
        """The spells as a DataFrame with the input contract's columns (sorted by person, start)."""
        cols = self._core.columns()
        dicts = self._core.dictionaries()
        ids = np.asarray(dicts["ids"], dtype=object)

        def categorical(codes: np.ndarray, names: list[str], first: int = 0) -> pd.Categorical:
            return pd.Categorical.from_codes(codes.astype("int64") - first, categories=names[first:])

        def nullable_category(codes: np.ndarray, names: list[str]) -> pd.Categorical:
            # Code 0 is "none" for end_reason / recruitment_source.
            return pd.Categorical.from_codes(codes.astype("int64") - 1, categories=names[1:])

        manager = cols["manager"].astype("int64")
        manager_ids = np.where(manager == 0xFFFFFFFF, None, ids[np.minimum(manager, len(ids) - 1)])
        fte = cols["fte"].astype("float64") / 100.0
        fte[cols["fte"] == 0] = np.nan
        frame = pd.DataFrame(
            {
                "employee_id": ids[cols["person"]],
                "birth_date": days_to_dates(cols["birth_date"]),
                "gender": categorical(cols["gender"], dicts["gender"]),
                "employment_form": categorical(cols["employment_form"], dicts["employment_form"]),
                "position": pd.Categorical.from_codes(cols["position"].astype("int64"), dicts["positions"]),
                "department": pd.Categorical.from_codes(cols["department"].astype("int64"), dicts["departments"]),
                "fte": fte,
                "start_date": days_to_dates(cols["start_date"]),
                "end_date": days_to_dates(cols["end_date"], _core.OPEN_END_DAY),
                "end_reason": nullable_category(cols["end_reason"], dicts["end_reason"]),
                "recruitment_source": nullable_category(cols["recruitment_source"], dicts["recruitment_source"]),
                "manager_id": manager_ids,
            }
        )
        for name, (codes, values) in cols["pass_through"].items():
            frame[name] = pd.Categorical.from_codes(codes.astype("int64"), values)
        return frame

    def save(self, path: Union[str, os.PathLike]) -> None:
        """Save the validated, encoded register as an Arrow IPC file (``.arrow``, ``.feather``, ``.ipc``).

        One uncompressed record batch: the coded columns, their dictionaries, the
        pairing of moves and continuations, the warnings, the extraction date and a
        checksum (docs/data.md). Written to a temporary name and renamed, so a
        failed save leaves no half-written file. Load it with :func:`load_register`
        (or :func:`read_register`, or the CLI wherever it takes a register).

        Example:
            >>> reg.save("build/register.arrow")
        """
        _saved.save(self._core, self.label, path)

    def summary(self) -> dict[str, Any]:
        """Rows, persons, date range, extraction date and warning counts."""
        first, last = self.date_range
        warnings = self._issues["code"].value_counts().to_dict() if len(self._issues) else {}
        return {
            "rows": self._core.rows_read,
            "spells": len(self),
            "persons": self.persons,
            "first_start": first,
            "last_start": last,
            "extracted_on": self.extracted_on,
            "extracted_on_assumed": self.extracted_on_assumed,
            "warnings": int(len(self._issues)),
            "warnings_by_code": warnings,
        }

    def __repr__(self) -> str:
        s = self.summary()
        return (
            f"<staffcast.Register {s['spells']} spells, {s['persons']} persons, "
            f"{s['first_start']}..{s['last_start']}, extracted on {s['extracted_on']}, {s['warnings']} warning(s)>"
        )

    def _repr_html_(self) -> str:
        s = self.summary()
        rows = [
            ("Persons", f"{s['persons']:,}"),
            ("Spells", f"{s['spells']:,}"),
            ("Start dates", f"{s['first_start']} – {s['last_start']}"),
            ("Extracted on", str(s["extracted_on"]) + (" (assumed)" if s["extracted_on_assumed"] else "")),
            ("Employed on extraction date", f"{self.employed_persons(s['extracted_on']):,}"),
            ("Warnings", ", ".join(f"{k}: {v}" for k, v in s["warnings_by_code"].items()) or "none"),
        ]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                       for k, v in rows)
        employed = self.employed_persons(s["extracted_on"])
        return (f"<div><strong>staffcast Register</strong> <code>{html.escape(self.label)}</code>: "
                f"<strong>{employed:,}</strong> employed on {html.escape(str(s['extracted_on']))}"
                f"<table>{body}</table></div>")


def _read_options(columns, codes, dimensions, open_end, extracted_on) -> dict[str, Any]:
    return dict(
        dimensions=list(dimensions or []),
        columns=dict(columns or {}),
        codes={k: dict(v) for k, v in (codes or {}).items()},
        open_end=open_end,
        extracted_on=_iso(extracted_on),
    )


EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def read_register(
    source: Source,
    *,
    mapping: Union[None, str, os.PathLike, Mapping[str, Any]] = None,
    columns: Optional[Mapping[str, str]] = None,
    codes: Optional[Mapping[str, Mapping[str, str]]] = None,
    sep: Optional[str] = None,
    decimal: Optional[str] = None,
    encoding: Optional[str] = None,
    date_format: Union[None, str, Iterable[str]] = None,
    century_pivot: Optional[int] = None,
    defaults: Optional[Mapping[str, Any]] = None,
    trim: Optional[bool] = None,
    dimensions: Optional[Iterable[str]] = None,
    open_end: Optional[str] = None,
    extracted_on: Optional[DateLike] = None,
    today: Optional[DateLike] = None,
    sheet: Union[int, str] = 0,
    max_issues: int = 10000,
) -> Register:
    """Read and validate an employments register.

    ``source`` is a CSV path, a pandas DataFrame or an Arrow table (anything with
    ``__arrow_c_stream__``) with the columns of the input contract (docs/data.md). ``columns`` renames
    the file's columns to the contract's (``{"Anst.nr": "employee_id"}``),
    ``codes`` maps the file's codes per column (``{"gender": {"K": "F"}}``; ``""``
    is no value). ``sep=None`` detects ``,`` or ``;``; ``decimal=None`` is ``,`` for
    ``;``-separated files, else ``.``. ``encoding`` is ``utf-8``, ``cp1252``
    or ``latin-1``; ``date_format`` is a layout or a list of layouts tried in
    order, built from ``%Y %y %m %d %b`` and separators (default ``%Y-%m-%d``);
    ``century_pivot`` reads ``%y``; ``defaults`` gives a value for a column the
    export lacks (``{"fte": 1.0, "employment_form": "permanent"}``); ``trim``
    (default on) removes spaces around every field. ``mapping`` (a TOML file or
    a dict with ``[columns]``, ``[codes.<column>]``, ``[defaults]`` and
    ``[format]``) gives all of these at once; explicit arguments win. The
    mapping and the arguments are checked by the same parser. ``.xlsx``
    workbooks are read with openpyxl (``sheet``), a ``.parquet`` file is read as
    a table (validated like a CSV), and a register saved with
    :meth:`Register.save` (``.arrow``) is loaded without validating again.

    ``extracted_on`` is the day the register was taken; without it, it is
    assumed to be the earlier of ``today`` (default: the clock) and the latest
    date in the file, and an ``extraction_date_assumed`` warning names the day
    (docs/data.md).

    Raises ValidationError listing every hard error; warnings are in
    ``Register.issues``.

    Example:
        >>> reg = sc.read_register("examples/data/employments.csv", extracted_on="2024-09-30")
        >>> reg = sc.read_register("examples/data/swedish/anstallda.csv", mapping="examples/data/swedish/mapping.toml")
        >>> reg.issues[["row", "code"]]
    """
    m = load_mapping(mapping)
    given = {"columns": dict(columns) if columns is not None else None,
             "codes": {k: dict(v) for k, v in codes.items()} if codes is not None else None,
             "defaults": dict(defaults) if defaults is not None else None,
             "dimensions": list(dimensions) if dimensions is not None else None,
             "format": {"sep": sep, "decimal": decimal, "encoding": encoding,
                        "date_format": [date_format] if isinstance(date_format, str) else
                        (list(date_format) if date_format is not None else None),
                        "century_pivot": century_pivot, "open_end": open_end, "trim": trim}}
    if any(v is not None for k, v in given.items() if k != "format") or any(
            v is not None for v in given["format"].values()):
        m = m.merged(load_mapping(given))
    options = _read_options(m.columns, m.codes, m.dimensions, m.open_end or "9999-12-31",
                            extracted_on if extracted_on is not None else m.extracted_on)
    options.update(date_format=m.date_format or ["%Y-%m-%d"], century_pivot=m.century_pivot,
                   defaults=dict(m.defaults), trim=True if m.trim is None else m.trim)
    sep = m.sep
    decimal = m.decimal
    encoding = m.encoding or "utf-8"
    if not is_table_like(source):
        path = os.fspath(source)
        lowered = path.lower()
        if lowered.endswith(SAVED_SUFFIXES):
            return load_register(path, extracted_on=extracted_on, today=today)
        if lowered.endswith(".parquet"):  # a table like any other: validated as a CSV is
            if not os.path.exists(path):
                raise no_such_file(path)
            source = _read_parquet(path)
            label = path
        elif lowered.endswith(EXCEL_SUFFIXES):
            if not os.path.exists(path):
                raise no_such_file(path)
            source = _read_excel(path, sheet)
            label = path
        else:
            label = path
    else:
        label = source_label(source)
    if is_table_like(source):
        table = to_arrow_table(source)
        wanted = set(options["columns"]) | set(REGISTER_COLUMNS) | set(options["dimensions"])
        names, buffers = arrow_buffers(table, wanted)
        result = _core.read_register_columns(names, buffers, label, decimal=decimal or ".", max_issues=max_issues,
                                             today=_iso(today), **options)
    else:
        if not os.path.exists(path):
            raise no_such_file(path)
        with utf8_path(path, encoding) as readable:
            sep, decimal = resolve_dialect(readable, sep, decimal)
            result = _core.read_register_csv(readable, sep=sep, decimal=decimal, max_issues=max_issues,
                                             label=path, today=_iso(today), **options)
    core, issues = checked(result)
    return Register(core, issues, label)


def _read_parquet(path: str) -> Any:
    """A Parquet file as an Arrow table (its columns are validated as a CSV's are)."""
    try:
        return pq.read_table(path)
    except (OSError, ValueError) as error:
        raise ValueError(f"{path} is not a readable Parquet file: {error}") from None


def _read_excel(path: str, sheet: Union[int, str]) -> pd.DataFrame:
    """The sheet as text columns (dates as YYYY-MM-DD), so the same validation applies."""
    try:
        frame = pd.read_excel(path, sheet_name=sheet, dtype=object, engine="openpyxl")
    except ImportError as error:  # pragma: no cover - openpyxl is a dependency
        raise ImportError("reading .xlsx needs openpyxl") from error

    def text(value: Any) -> Optional[str]:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            return None
        if isinstance(value, (pd.Timestamp, _dt.datetime)):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    return pd.DataFrame({str(c): [text(v) for v in frame[c]] for c in frame.columns}, dtype=object)


def load_register(path: Union[str, os.PathLike], *, extracted_on: Optional[DateLike] = None,
                  today: Optional[DateLike] = None, mapped: bool = True) -> Register:
    """Load a register saved with :meth:`Register.save` (an Arrow IPC file).

    The file is mapped, not read: the core checks its checksum, format version,
    lengths, codes, partners, dates and text offsets before it uses any column,
    and the register's columns and dictionaries are then views of the mapped
    file (nothing is copied; the file stays mapped while the register or any
    copy of it lives). Pairing and warnings are the saved ones. An assumed
    extraction date stays the day saved (``today`` changes nothing);
    ``extracted_on`` replaces it, with the earliest observed end that depends on
    it. A truncated, foreign or changed file raises ValueError naming the file.

    Saving again to the same path, renaming or deleting the file while it is
    loaded is safe (:meth:`Register.save` writes a new file and renames it). A
    program that truncates or rewrites the file in place while it is loaded makes
    later reads of the register fail with SIGBUS, as with any memory-mapped
    file; ``mapped=False`` reads the file into memory first for such files.

    Example:
        >>> reg.save("build/register.arrow"); reg2 = sc.load_register("build/register.arrow")
    """
    return Register(*_saved.load(path, extracted_on, today, mapped))
