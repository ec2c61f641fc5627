"""Pseudonymisation (docs/privacy.md): keyed HMAC-SHA-256 pseudonyms for person keys.

Pseudonymised data is still personal data: whoever holds the key can link the
pseudonyms back to the keys, and birth dates, positions and small groups can
identify people. Keep the key apart from the data.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
from typing import Iterable, Optional, Union

import pandas as pd

from ._dialect import detect_separator
from ._io import atomic_open

__all__ = ["pseudonymise", "read_key", "pseudonym"]

MIN_KEY_BYTES = 32
ID_COLUMNS = ("employee_id", "manager_id")


def read_key(path: Union[str, os.PathLike]) -> bytes:
    """The key in a key file: its bytes less one trailing newline; at least 32 bytes."""
    with open(path, "rb") as handle:
        key = handle.read()
    if key.endswith(b"\n"):
        key = key[:-1]
    _check_key(key)
    return key


def _check_key(key: bytes) -> None:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the key must be at least {MIN_KEY_BYTES} bytes, got {len(key)}; "
                         "make one with: head -c 32 /dev/urandom | base64 > KEY")


def pseudonym(key: bytes, identifier: str) -> str:
    """Lowercase hex HMAC-SHA-256 (64 characters) of the identifier's UTF-8 bytes."""
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def _coarse_birth_date(value: str) -> str:
    """YYYY-MM-DD -> YYYY-MM-01 (year and month kept); anything else unchanged."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value[:8] + "01"
    return value


def pseudonymise(frame: pd.DataFrame, key: Union[bytes, str], *, columns: Iterable[str] = ID_COLUMNS,
                 birth_date: Optional[str] = None) -> pd.DataFrame:
    """A copy of ``frame`` with the person keys replaced by keyed pseudonyms.

    ``columns`` present in the frame (``employee_id`` and ``manager_id`` by
    default) get the lowercase hex HMAC-SHA-256 of each value's UTF-8 bytes;
    empty values stay empty. The same key gives the same pseudonyms across files
    and years. ``birth_date="year-month"`` also sets birth dates to the first of
    their month. The key must be at least 32 bytes.

    Example:
        >>> frame = pd.read_csv("examples/data/employments.csv", dtype=str, keep_default_na=False)
        >>> safe = sc.pseudonymise(frame, b"a key of at least thirty-two bytes", birth_date="year-month")
        >>> safe["employee_id"].str.len().unique().tolist()
        [64]
    """
    key_bytes = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    _check_key(key_bytes)
    out = frame.copy()
    cache: dict[str, str] = {}

    def convert(value):
        if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
            return value
        text = str(value)
        if text not in cache:
            cache[text] = pseudonym(key_bytes, text)
        return cache[text]

    for column in columns:
        if column in out.columns:
            out[column] = out[column].map(convert).astype(object)
    if birth_date is not None:
        if birth_date != "year-month":
            raise ValueError("birth_date must be 'year-month'")
        if "birth_date" in out.columns:
            out["birth_date"] = out["birth_date"].map(
                lambda v: _coarse_birth_date(v.isoformat()[:10] if hasattr(v, "isoformat") else str(v))
                if not (v is None or (isinstance(v, float) and pd.isna(v))) else v)
    return out


def pseudonymise_file(source: Union[str, os.PathLike], target: Union[str, os.PathLike], key: bytes,
                      birth_date: Optional[str] = None, encoding: str = "utf-8") -> int:
    """Streams a CSV, replacing employee_id and manager_id; writes atomically. Returns the rows written."""
    _check_key(key)
    if birth_date not in (None, "year-month"):
        raise ValueError("--birth-date must be year-month")
    sep = detect_separator(source)
    rows = 0
    cache: dict[str, str] = {}
    with open(source, encoding=encoding, newline="") as infile, atomic_open(target) as outfile:
        first = infile.read(1)
        if first != "\ufeff":
            infile.seek(0)
        reader = csv.reader(infile, delimiter=sep)
        writer = csv.writer(outfile, delimiter=sep, lineterminator="\n")
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{os.fspath(source)} is empty")
        ids = [i for i, name in enumerate(header) if name.strip() in ID_COLUMNS]
        if not ids:
            raise ValueError(f"{os.fspath(source)} has no employee_id or manager_id column")
        births = [i for i, name in enumerate(header) if name.strip() == "birth_date"] if birth_date else []
        writer.writerow(header)
        for row in reader:
            for i in ids:
                if i < len(row) and row[i] != "":
                    value = row[i]
                    if value not in cache:
                        cache[value] = pseudonym(key, value)
                    row[i] = cache[value]
            for i in births:
                if i < len(row):
                    row[i] = _coarse_birth_date(row[i])
            writer.writerow(row)
            rows += 1
    return rows

