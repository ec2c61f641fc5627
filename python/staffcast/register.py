"""The validated register and the optional sick-leave and indicator tables."""

from __future__ import annotations

import datetime as _dt
import html
import os
import tempfile
from typing import Any, Iterable, Mapping, Optional, Union

import numpy as np
import pandas as pd

from . import _core
from ._dialect import resolve_dialect, utf8_path
from ._frames import (
    arrow_buffers,
    days_to_dates,
    is_table_like,
    issues_frame,
    source_label,
    to_arrow_table,
)
from .errors import ValidationError

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

REGISTER_COLUMNS = [
    "employee_id",
    "birth_date",
    "gender",
    "employment_form",
    "position",
    "department",
    "fte",
    "start_date",
    "end_date",
    "end_reason",
    "recruitment_source",
    "manager_id",
]

DateLike = Union[str, _dt.date, pd.Timestamp]
Source = Union[str, os.PathLike, pd.DataFrame, Any]


def _iso(day: Optional[DateLike]) -> Optional[str]:
    if day is None:
        return None
    if isinstance(day, str):
        return day
    if isinstance(day, (pd.Timestamp, _dt.datetime)):
        return day.date().isoformat()
    if isinstance(day, _dt.date):
        return day.isoformat()
    raise TypeError(f"expected a date, got {type(day).__name__}")


def _check(result: tuple) -> tuple[Any, pd.DataFrame]:
    core, issues = result
    frame = issues_frame(issues)
    if core is None:
        raise ValidationError(frame, dropped=int(issues["dropped"]))
    return core, frame


class Register:
    """A validated HR register: one row per employment spell.

    Built by :func:`read_register`. The data lives in the compiled core as
    columns (dates as day numbers, categories as codes); ``to_frame()`` gives it
    back as a pandas DataFrame with the input contract's columns.

    Example:
        >>> reg = sc.read_register("examples/data/employments.csv")
        >>> len(reg), reg.persons
        (1412, 1203)
    """

    def __init__(self, core: "_core.Register", issues: pd.DataFrame, label: str) -> None:
        self._core = core
        self._issues = issues
        self.label = label

    def __len__(self) -> int:
        return len(self._core)

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
        """The snapshot day: given at reading, else the latest start_date."""
        return _dt.date.fromisoformat(self._core.extracted_on)

    @property
    def date_range(self) -> tuple[_dt.date, _dt.date]:
        """Earliest and latest start_date."""
        return (_dt.date.fromisoformat(self._core.earliest_start), _dt.date.fromisoformat(self._core.latest_start))

    @property
    def issues(self) -> pd.DataFrame:
        """The warnings found while reading (hard errors raise ValidationError)."""
        return self._issues.copy()

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
        """Save the validated, encoded register (``.arrow``/``.feather``: Arrow IPC; ``.parquet``).

        Written to a temporary name and renamed, so a failed save leaves no
        half-written file. Load it with :func:`load_register` (or
        :func:`read_register`, or the CLI wherever it takes a register).

        Example:
            >>> reg.save("register.arrow")
        """
        import json

        import pyarrow as pa
        import pyarrow.feather as feather
        import pyarrow.parquet as pq

        path = os.fspath(path)
        if not path.lower().endswith(SAVED_SUFFIXES):
            raise ValueError(f"save to a file ending in {', '.join(SAVED_SUFFIXES)}")
        cols = self._core.columns()
        dicts = self._core.dictionaries()
        ids = pa.array(dicts["ids"], pa.string())

        def coded(codes: np.ndarray, values, nullable: bool = False, offset: int = 0) -> pa.DictionaryArray:
            codes = codes.astype("int64") - offset
            mask = (codes < 0) | (codes >= len(values)) if nullable else None
            indices = pa.array(np.where(mask, 0, codes) if nullable else codes, pa.int32(), mask=mask)
            return pa.DictionaryArray.from_arrays(indices, pa.array(values, pa.string()))

        def dates(days: np.ndarray, open_end: Optional[int] = None) -> pa.Array:
            mask = days == open_end if open_end is not None else None
            return pa.array(days.astype("int32"), pa.int32(), mask=mask).cast(pa.date32())

        fte = cols["fte"].astype("float64") / 100.0
        data = {
            "employee_id": pa.DictionaryArray.from_arrays(pa.array(cols["person"].astype("int32")), ids),
            "birth_date": dates(cols["birth_date"]),
            "gender": coded(cols["gender"], dicts["gender"]),
            "employment_form": coded(cols["employment_form"], dicts["employment_form"]),
            "position": coded(cols["position"], dicts["positions"]),
            "department": coded(cols["department"], dicts["departments"]),
            "fte": pa.array(fte, pa.float64(), mask=cols["fte"] == 0),
            "start_date": dates(cols["start_date"]),
            "end_date": dates(cols["end_date"], _core.OPEN_END_DAY),
            "end_reason": coded(cols["end_reason"], dicts["end_reason"][1:], nullable=True, offset=1),
            "recruitment_source": coded(cols["recruitment_source"], dicts["recruitment_source"][1:], nullable=True,
                                        offset=1),
            "manager_id": coded(cols["manager"], dicts["ids"], nullable=True),
            "source_row": pa.array(cols["source_row"], pa.uint32()),
            # The pairing of moves and continuations, so loading need not derive it again.
            "start_kind": pa.array(cols["start_kind"], pa.uint8()),
            "end_kind": pa.array(cols["end_kind"], pa.uint8()),
            "start_partner": pa.array(cols["start_partner"], pa.uint32()),
            "end_partner": pa.array(cols["end_partner"], pa.uint32()),
            "chain_start": dates(cols["chain_start"]),
        }
        for name, (codes, values) in cols["pass_through"].items():
            data[name] = coded(codes, values)
        warnings = self._core.issues()
        meta = {"format": 1, "derived": True, "label": self.label, "extracted_on": self._core.extracted_on,
                "extracted_on_given": bool(self._core.extracted_on_given), "rows_read": self._core.rows_read,
                "dimensions": list(cols["pass_through"].keys()), "persons": self.persons,
                "issues": {k: warnings[k] for k in ["file", "row", "line", "column", "code", "message", "severity"]}}
        table = pa.table(data).replace_schema_metadata({"staffcast": json.dumps(meta)})
        directory = os.path.dirname(os.path.abspath(path))
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".staffcast-", suffix=".tmp")
        os.close(handle)
        try:
            if path.lower().endswith(".parquet"):
                pq.write_table(table, temporary)
            else:
                feather.write_feather(table, temporary, compression="lz4")
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

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
            ("Extracted on", str(s["extracted_on"])),
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


SAVED_SUFFIXES = (".arrow", ".feather", ".ipc", ".parquet")
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
    date_format: Optional[str] = None,
    dimensions: Optional[Iterable[str]] = None,
    open_end: Optional[str] = None,
    extracted_on: Optional[DateLike] = None,
    sheet: Union[int, str] = 0,
    max_issues: int = 10000,
) -> Register:
    """Read and validate an employments register.

    ``source`` is a CSV path, a pandas DataFrame or an Arrow table (anything with
    ``__arrow_c_stream__``) with the columns of DESIGN §2. ``columns`` renames
    the file's columns to the contract's (``{"Anst.nr": "employee_id"}``),
    ``codes`` maps the file's codes per column (``{"gender": {"K": "F"}}``).
    ``sep=None`` detects ``,`` or ``;``; ``decimal=None`` is ``,`` for
    ``;``-separated files, else ``.``. ``encoding`` is ``utf-8``, ``cp1252``
    or ``latin-1``; ``date_format`` is ``%Y-%m-%d`` (default), ``%Y%m%d`` or
    ``%d/%m/%Y``. ``mapping`` (a TOML file or a dict with ``[columns]``,
    ``[codes.<column>]`` and ``[format]``) gives all of these at once; explicit
    arguments win. ``.xlsx`` workbooks are read with openpyxl (``sheet``), and a
    register saved with :meth:`Register.save` (``.arrow``/``.parquet``) is
    loaded without validating again.

    Raises ValidationError listing every hard error; warnings are in
    ``Register.issues``.

    Example:
        >>> reg = sc.read_register("employments.csv", dimensions=["region"])
        >>> reg = sc.read_register("export.csv", mapping="mapping.toml")
        >>> reg.issues[["row", "code"]]
    """
    from .mapping import load_mapping

    m = load_mapping(mapping)
    merged_columns = {**m.columns, **dict(columns or {})}
    merged_codes = {**m.codes, **{k: dict(v) for k, v in (codes or {}).items()}}
    dims = list(m.dimensions) + [d for d in (dimensions or []) if d not in m.dimensions]
    options = _read_options(merged_columns, merged_codes, dims, open_end or m.open_end, extracted_on)
    date_format = date_format or m.date_format
    sep = sep if sep is not None else m.sep
    decimal = decimal if decimal is not None else m.decimal
    encoding = encoding or m.encoding
    if not is_table_like(source):
        path = os.fspath(source)
        lowered = path.lower()
        if lowered.endswith(SAVED_SUFFIXES):
            return load_register(path, extracted_on=extracted_on)
        if lowered.endswith(EXCEL_SUFFIXES):
            if not os.path.exists(path):
                raise FileNotFoundError(f"no such file: {path}")
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
                                             date_format=date_format, **options)
    else:
        if not os.path.exists(path):
            raise FileNotFoundError(f"no such file: {path}")
        with utf8_path(path, encoding) as readable:
            sep, decimal = resolve_dialect(readable, sep, decimal)
            result = _core.read_register_csv(readable, sep=sep, decimal=decimal, max_issues=max_issues,
                                             label=path, date_format=date_format, **options)
    core, issues = _check(result)
    return Register(core, issues, label)


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


# The code lists of the enumerated columns, in the core's code order (code 0 of
# end_reason and recruitment_source is "none").
ENUM_NAMES = {
    "gender": ["F", "M", "X"],
    "employment_form": ["permanent", "temporary", "hourly"],
    "end_reason": ["", "own_request", "retirement", "fixed_term_ended", "internal_move", "other_administration",
                   "dismissal", "death", "other"],
    "recruitment_source": ["", "internal", "other_administration", "external", "rehire"],
}
NO_CODE = 0xFFFFFFFF


def _dictionary_codes(array: "pa.DictionaryArray") -> np.ndarray:
    """The indices of a dictionary array as uint32, NO_CODE for null."""
    if array.null_count == 0:  # the usual case: no mask to build
        return array.indices.to_numpy(zero_copy_only=False).astype("uint32")
    valid = array.is_valid().to_numpy(zero_copy_only=False)
    indices = array.indices.fill_null(0).to_numpy(zero_copy_only=False).astype("int64")
    return np.where(valid, indices, NO_CODE).astype("uint32")


def _dictionary(column: "pa.ChunkedArray") -> tuple[np.ndarray, list[str]]:
    """Codes (NO_CODE for null) and values of a string or dictionary column."""
    import pyarrow as pa

    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if not pa.types.is_dictionary(array.type):
        array = array.cast(pa.string()).dictionary_encode()
    return _dictionary_codes(array), [str(v) for v in array.dictionary.to_pylist()]


def _enum_codes(codes: np.ndarray, labels: list, column: str) -> np.ndarray:
    """Core codes of an enumerated column; null is code 0 and an unknown label 255 (refused by the core)."""
    names = ENUM_NAMES[column]
    lookup = np.array([names.index(v) if v in names else 255 for v in labels] + [0], dtype="uint8")
    return lookup[np.where(codes == NO_CODE, len(labels), codes)]


def _days(table: "pa.Table", column: str, null: int = 0) -> np.ndarray:
    """A date32 column as day numbers, `null` for missing."""
    import pyarrow as pa

    array = table.column(column).combine_chunks().cast(pa.int32()).fill_null(null)
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype="int32")


def _fte_hundredths(table: "pa.Table") -> np.ndarray:
    fte = table.column("fte").combine_chunks().fill_null(0.0).to_numpy(zero_copy_only=False)
    return np.rint(np.asarray(fte, dtype="float64") * 100).clip(0, 255).astype("uint8")


def _string_buffers(array: "pa.Array"):
    """An Arrow string array as (offsets, data) buffers for the core (no Python string per
    value), or as a list when it has nulls or is not a plain string array."""
    import pyarrow as pa

    if array.null_count or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array.to_pylist()
    _, offsets, data = array.buffers()
    kind = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(offsets, dtype=kind)[array.offset: array.offset + len(array) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return offsets.astype(np.int64), data


def _restore(table: "pa.Table", meta: dict, path: str) -> Optional[Register]:
    """The fast path: the saved codes, dictionaries and pairing as they are (checked in C++).
    None when the file's dictionaries were re-encoded (e.g. by another Parquet writer)."""
    import pyarrow as pa

    def dictionary(name: str):
        array = table.column(name).combine_chunks()
        if not pa.types.is_dictionary(array.type):
            return None
        return _dictionary_codes(array), array.dictionary

    def enum(name: str):
        found = dictionary(name)
        if found is None:
            return None
        codes = _enum_codes(found[0], found[1].to_pylist(), name)
        return None if (codes == 255).any() else codes

    try:
        person = dictionary("employee_id")
        manager = dictionary("manager_id")
        position = dictionary("position")
        department = dictionary("department")
        if None in (person, manager, position, department) or not manager[1].equals(person[1]):
            return None
        enums = {name: enum(name) for name in ENUM_NAMES}
        if any(value is None for value in enums.values()):
            return None
        pass_through = []
        for name in meta.get("dimensions", []):
            found = dictionary(name)
            if found is None:
                return None
            pass_through.append((name, found[0], [str(v) for v in found[1].to_pylist()]))
        columns = {
            "person": person[0], "ids": _string_buffers(person[1]),
            "manager": manager[0], "position": position[0], "positions": [str(v) for v in position[1].to_pylist()],
            "department": department[0], "departments": [str(v) for v in department[1].to_pylist()],
            "birth_date": _days(table, "birth_date"), "start_date": _days(table, "start_date"),
            "end_date": _days(table, "end_date", _core.OPEN_END_DAY), "chain_start": _days(table, "chain_start"),
            "fte": _fte_hundredths(table),
            "source_row": table.column("source_row").combine_chunks().to_numpy(zero_copy_only=False),
            "start_kind": table.column("start_kind").combine_chunks().to_numpy(zero_copy_only=False),
            "end_kind": table.column("end_kind").combine_chunks().to_numpy(zero_copy_only=False),
            "start_partner": table.column("start_partner").combine_chunks().to_numpy(zero_copy_only=False),
            "end_partner": table.column("end_partner").combine_chunks().to_numpy(zero_copy_only=False),
            "pass_through": pass_through, **enums,
        }
    except (KeyError, pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    issues = dict(meta.get("issues", {}))
    issues["line"] = [0 if v is None else int(v) for v in issues.get("line", [])]
    for key in ["file", "row", "column", "code", "message", "severity"]:
        issues.setdefault(key, [])
    try:
        core = _core.restore_register(columns, meta, issues)
    except ValueError:
        return None  # re-encoded dictionaries (another writer): take the checked, re-deriving path
    frame = issues_frame({**issues, "value": [""] * len(issues["row"]),
                          "line": [None if v == 0 else v for v in issues["line"]]})
    return Register(core, frame, meta.get("label", path))


def load_register(path: Union[str, os.PathLike], *, extracted_on: Optional[DateLike] = None) -> Register:
    """Load a register saved with :meth:`Register.save` (Arrow IPC or Parquet).

    The saved columns are checked (codes, dates, lengths) and pairing and
    warnings are recomputed, but no text is parsed again.

    Example:
        >>> reg.save("register.arrow"); reg2 = sc.load_register("register.arrow")
    """
    import json

    import pyarrow as pa
    import pyarrow.feather as feather
    import pyarrow.parquet as pq

    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no such file: {path}")
    try:
        table = pq.read_table(path) if path.lower().endswith(".parquet") else feather.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise ValueError(f"{path} is not a saved staffcast register: {error}") from None
    meta_raw = (table.schema.metadata or {}).get(b"staffcast")
    if meta_raw is None:
        raise ValueError(f"{path} is not a saved staffcast register (no staffcast metadata)")
    meta = json.loads(meta_raw)
    if meta.get("format") != 1:
        raise ValueError(f"{path}: unknown saved-register format {meta.get('format')!r}")
    if meta.get("derived") and extracted_on is None:
        restored = _restore(table, meta, path)
        if restored is not None:
            return restored
    try:
        columns = {
            "employee_id": _dictionary(table.column("employee_id")),
            "position": _dictionary(table.column("position")),
            "department": _dictionary(table.column("department")),
            "manager_id": _dictionary(table.column("manager_id")),
            "birth_date": _days(table, "birth_date"),
            "start_date": _days(table, "start_date"),
            "end_date": _days(table, "end_date", _core.OPEN_END_DAY),
            "fte": _fte_hundredths(table),
            **{name: _enum_codes(*_dictionary(table.column(name)), name) for name in ENUM_NAMES},
            "source_row": table.column("source_row").combine_chunks().cast(pa.uint32()).to_numpy(
                zero_copy_only=False),
            "pass_through": [(name, *_dictionary(table.column(name))) for name in meta.get("dimensions", [])],
        }
    except (KeyError, pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise ValueError(f"{path} is not a valid saved staffcast register: {error}") from None
    given = _iso(extracted_on) or (meta.get("extracted_on") if meta.get("extracted_on_given") else None)
    result = _core.read_register_coded(columns, given, meta.get("label", path))
    core, issues = _check(result)
    return Register(core, issues, meta.get("label", path))


class SickLeave:
    """Validated sick-leave records (employee_id, start_date, end_date, extent)."""

    def __init__(self, core: "_core.SickLeave", issues: pd.DataFrame, label: str) -> None:
        self._core = core
        self._issues = issues
        self.label = label

    def __len__(self) -> int:
        return len(self._core)

    @property
    def issues(self) -> pd.DataFrame:
        """Warnings, e.g. sick_leave_outside_employment."""
        return self._issues.copy()

    def to_frame(self) -> pd.DataFrame:
        """The records as a DataFrame sorted by person and start."""
        cols = self._core.columns()
        ids = np.asarray(cols["ids"], dtype=object)
        return pd.DataFrame(
            {
                "employee_id": ids[cols["person"]],
                "start_date": days_to_dates(cols["start_date"]),
                "end_date": days_to_dates(cols["end_date"]),
                "extent": cols["extent"].astype("float64") / 100.0,
            }
        )

    def __repr__(self) -> str:
        return f"<staffcast.SickLeave {len(self)} records, {len(self._issues)} warning(s)>"

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        first = frame["start_date"].min() if len(frame) else None
        last = frame["end_date"].max() if len(frame) else None
        rows = [
            ("Records", f"{len(self):,}"),
            ("Persons", f"{frame['employee_id'].nunique():,}"),
            ("Dates", f"{first.date() if first is not None else ''} – {last.date() if last is not None else ''}"),
            ("Warnings", f"{len(self._issues):,}"),
        ]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                       for k, v in rows)
        return (f"<div><strong>staffcast SickLeave</strong> <code>{html.escape(self.label)}</code>"
                f"<table>{body}</table></div>")


class Indicators:
    """Validated indicator values with targets and the direction of "better"."""

    def __init__(self, core: "_core.Indicators", issues: pd.DataFrame, label: str) -> None:
        self._core = core
        self._issues = issues
        self.label = label

    def __len__(self) -> int:
        return len(self._core)

    @property
    def issues(self) -> pd.DataFrame:
        return self._issues.copy()

    def to_frame(self) -> pd.DataFrame:
        """indicator, unit_of_analysis, period, value, target, better, unit."""
        cols = self._core.columns()
        return pd.DataFrame(
            {
                "indicator": cols["indicator"],
                "unit_of_analysis": cols["unit_of_analysis"],
                "period": cols["period"],
                "value": cols["value"],
                "target": cols["target"],
                "better": cols["better"],
                "unit": cols["unit"],
            }
        )

    def __repr__(self) -> str:
        return f"<staffcast.Indicators {len(self)} values>"

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        counts = frame.groupby("indicator", sort=True)["period"].agg(["count", "min", "max"])
        body = "".join(f"<tr><td>{html.escape(str(name))}</td><td>{row['count']}</td>"
                       f"<td>{html.escape(str(row['min']))} – {html.escape(str(row['max']))}</td></tr>"
                       for name, row in counts.iterrows())
        return (f"<div><strong>staffcast Indicators</strong> <code>{html.escape(self.label)}</code>: "
                f"{len(self):,} values of {len(counts):,} indicators, {len(self._issues):,} warning(s)"
                f"<table><thead><tr><th>indicator</th><th>values</th><th>periods</th></tr></thead>"
                f"<tbody>{body}</tbody></table></div>")


def read_sick_leave(
    source: Source,
    register: Optional[Register] = None,
    *,
    columns: Optional[Mapping[str, str]] = None,
    sep: Optional[str] = None,
    decimal: Optional[str] = None,
    encoding: str = "utf-8",
    max_issues: int = 10000,
) -> SickLeave:
    """Read and validate sick-leave records; with ``register``, also warn about
    records outside anyone's employment.

    Example:
        >>> sick = sc.read_sick_leave("sick_leave.csv", register=reg)
    """
    core_register = register._core if register is not None else None
    if is_table_like(source):
        names, buffers = arrow_buffers(to_arrow_table(source))
        result = _core.read_sick_leave_columns(
            names, buffers, source_label(source), core_register, columns=dict(columns or {}),
            decimal=decimal or ".", max_issues=max_issues,
        )
    else:
        path = os.fspath(source)
        if not os.path.exists(path):
            raise FileNotFoundError(f"no such file: {path}")
        with utf8_path(path, encoding) as readable:
            sep, decimal = resolve_dialect(readable, sep, decimal)
            result = _core.read_sick_leave_csv(readable, core_register, columns=dict(columns or {}), sep=sep,
                                               decimal=decimal, max_issues=max_issues, label=path)
    core, issues = _check(result)
    return SickLeave(core, issues, source_label(source))


def read_indicators(
    source: Source,
    *,
    columns: Optional[Mapping[str, str]] = None,
    sep: Optional[str] = None,
    decimal: Optional[str] = None,
    encoding: str = "utf-8",
    max_issues: int = 10000,
) -> Indicators:
    """Read and validate indicator values (indicator, period, value, target, better, ...).

    Example:
        >>> ind = sc.read_indicators("indicators.csv")
        >>> ind.to_frame().head()
    """
    if is_table_like(source):
        names, buffers = arrow_buffers(to_arrow_table(source))
        result = _core.read_indicators_columns(names, buffers, source_label(source), columns=dict(columns or {}),
                                               decimal=decimal or ".", max_issues=max_issues)
    else:
        path = os.fspath(source)
        if not os.path.exists(path):
            raise FileNotFoundError(f"no such file: {path}")
        with utf8_path(path, encoding) as readable:
            sep, decimal = resolve_dialect(readable, sep, decimal)
            result = _core.read_indicators_csv(readable, columns=dict(columns or {}), sep=sep, decimal=decimal,
                                               max_issues=max_issues, label=path)
    core, issues = _check(result)
    return Indicators(core, issues, source_label(source))
