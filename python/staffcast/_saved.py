"""Saved registers: the validated, encoded register as Arrow IPC or Parquet, and back.

The file holds the coded columns, their dictionaries, the pairing of moves and
continuations and the warnings, so loading checks the columns in C++ but parses
no text and (when the dictionaries are as written) derives nothing again.
"""

from __future__ import annotations

import json
import os
from typing import Any, Optional, Union

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq

from . import _core
from ._contract import ENUM_NAMES
from .errors import no_such_file
from ._dates import DateLike, _iso
from ._frames import checked, issues_frame
from ._io import atomic_path

__all__ = ["SAVED_SUFFIXES", "save", "load"]

SAVED_SUFFIXES = (".arrow", ".feather", ".ipc", ".parquet")
NO_CODE = 0xFFFFFFFF


def save(core: "_core.Register", label: str, path: Union[str, os.PathLike]) -> None:
    """Writes the validated, encoded register ``core`` (``.arrow``/``.feather``: Arrow IPC;
    ``.parquet``) atomically; :meth:`staffcast.Register.save` documents the format."""
    path = os.fspath(path)
    if not path.lower().endswith(SAVED_SUFFIXES):
        raise ValueError(f"save to a file ending in {', '.join(SAVED_SUFFIXES)}")
    cols = core.columns()
    dicts = core.dictionaries()
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
    warnings = core.issues()
    meta = {"format": 1, "derived": True, "label": label, "extracted_on": core.extracted_on,
            "extracted_on_given": bool(core.extracted_on_given), "rows_read": core.rows_read,
            "dimensions": list(cols["pass_through"].keys()), "persons": core.persons,
            "issues": {k: warnings[k] for k in ["file", "row", "line", "column", "code", "message", "severity"]}}
    table = pa.table(data).replace_schema_metadata({"staffcast": json.dumps(meta)})
    with atomic_path(path) as temporary:
        if path.lower().endswith(".parquet"):
            pq.write_table(table, temporary)
        else:
            feather.write_feather(table, temporary, compression="lz4")



def _dictionary_codes(array: "pa.DictionaryArray") -> np.ndarray:
    """The indices of a dictionary array as uint32, NO_CODE for null."""
    if array.null_count == 0:  # the usual case: no mask to build
        return array.indices.to_numpy(zero_copy_only=False).astype("uint32")
    valid = array.is_valid().to_numpy(zero_copy_only=False)
    indices = array.indices.fill_null(0).to_numpy(zero_copy_only=False).astype("int64")
    return np.where(valid, indices, NO_CODE).astype("uint32")


def _dictionary(column: "pa.ChunkedArray") -> tuple[np.ndarray, list[str]]:
    """Codes (NO_CODE for null) and values of a string or dictionary column."""
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
    array = table.column(column).combine_chunks().cast(pa.int32()).fill_null(null)
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype="int32")


def _fte_hundredths(table: "pa.Table") -> np.ndarray:
    fte = table.column("fte").combine_chunks().fill_null(0.0).to_numpy(zero_copy_only=False)
    return np.rint(np.asarray(fte, dtype="float64") * 100).clip(0, 255).astype("uint8")


def _string_buffers(array: "pa.Array"):
    """An Arrow string array as (offsets, data) buffers for the core (no Python string per
    value), or as a list when it has nulls or is not a plain string array."""
    if array.null_count or not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return array.to_pylist()
    _, offsets, data = array.buffers()
    kind = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(offsets, dtype=kind)[array.offset: array.offset + len(array) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return offsets.astype(np.int64), data



def _restore(table: pa.Table, meta: dict) -> Optional[tuple[Any, pd.DataFrame]]:
    """The fast path: the saved codes, dictionaries and pairing as they are (checked in C++).
    None when the file's dictionaries were re-encoded (e.g. by another Parquet writer)."""
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
    return core, frame


def load(path: Union[str, os.PathLike], extracted_on: Optional[DateLike] = None,
         today: Optional[DateLike] = None) -> tuple[Any, pd.DataFrame, str]:
    """The core register, its warnings and its label from a file :func:`save` wrote
    (:func:`staffcast.load_register` documents the checks).
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise no_such_file(path)
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
        restored = _restore(table, meta)
        if restored is not None:
            return (*restored, meta.get("label", path))
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
    # An assumed extraction date is assumed again with the saved day as "today": the same day.
    assumed_today = _iso(today) or meta.get("extracted_on")
    result = _core.read_register_coded(columns, given, meta.get("label", path), today=assumed_today)
    core, issues = checked(result)
    return core, issues, meta.get("label", path)
