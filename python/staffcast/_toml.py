"""The one TOML writer: strings, values and documents for the files staffcast writes
(mapping templates, scenarios) and for the dicts it hands to the C++ parsers
(mappings, plans). Every string is a basic string with TOML's escapes, so any
text reads back as itself."""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from typing import Any, Mapping

import numpy as np

__all__ = ["string", "value", "document"]

_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = ['"']
    for ch in text:
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _key(name: Any) -> str:
    text = str(name)
    return text if text and all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in text) else string(text)


def value(item: Any, key: str = "value") -> str:
    """A TOML value: a string, boolean, integer, float (``nan`` and ``inf`` as TOML
    spells them, for the parser to judge), date, inline table or array; otherwise
    ValueError naming ``key``."""
    if isinstance(item, str):
        return string(item)
    if isinstance(item, (bool, np.bool_)):
        return "true" if item else "false"
    if isinstance(item, numbers.Integral):
        return str(int(item))
    if isinstance(item, numbers.Real):
        x = float(item)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return repr(x)
    if isinstance(item, _dt.datetime):
        return item.date().isoformat()
    if isinstance(item, _dt.date):
        return item.isoformat()
    if isinstance(item, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {value(v, f'{key}.{k}')}" for k, v in item.items()
                               if v is not None) + "}"
    if isinstance(item, (list, tuple, np.ndarray)):
        return "[" + ", ".join(value(v, f"{key}[{i + 1}]") for i, v in enumerate(item)) + "]"
    raise ValueError(f"{key}: a value of type {type(item).__name__} cannot be written to TOML")


def _is_table_list(item: Any) -> bool:
    return isinstance(item, (list, tuple)) and bool(item) and all(isinstance(v, Mapping) for v in item)


def document(data: Mapping[str, Any]) -> str:
    """A dict as a TOML document: plain keys first, then each dict as a table
    (nested dicts as sub-tables, ``[codes.gender]``) and each list of dicts as an
    array of tables (``[[category]]``, whose dict values are inline tables).
    ``None`` values are left out (absent keys).

    Example:
        >>> document({"format": {"trim": True}, "codes": {"gender": {"K": "F"}}})
        '[format]\\ntrim = true\\n[codes]\\n[codes.gender]\\nK = "F"\\n'
        >>> document({"periods": 1, "category": [{"name": "a", "demand": [3]}]})
        'periods = 1\\n[[category]]\\nname = "a"\\ndemand = [3]\\n'
    """
    lines: list[str] = []

    def table(path: list[str], entries: Mapping[str, Any]) -> None:
        dotted = ".".join(_key(p) for p in path)
        if path:
            lines.append(f"[{dotted}]")
        nested = []
        for key, item in entries.items():
            if item is None:
                continue
            if isinstance(item, Mapping) or (not path and _is_table_list(item)):
                nested.append((str(key), item))
            else:
                lines.append(f"{_key(key)} = {value(item, '.'.join(path + [str(key)]))}")
        for key, item in nested:
            if isinstance(item, Mapping):
                table(path + [key], item)
                continue
            for element in item:
                lines.append(f"[[{_key(key)}]]")
                lines.extend(f"{_key(k)} = {value(v, f'{key}.{k}')}" for k, v in element.items() if v is not None)

    table([], data)
    return "".join(line + "\n" for line in lines)
