"""The one TOML writer: strings, keys and documents for the files staffcast writes
(mapping templates, scenarios) and for the dicts it hands to the C++ mapping
parser. Every string is a basic string with TOML's escapes, so any text reads
back as itself."""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any, Mapping

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



def value(item: Any) -> str:
    """A TOML value: a string, boolean, integer, finite float, date or array of values."""
    if isinstance(item, str):
        return string(item)
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if not math.isfinite(item):
            raise ValueError(f"TOML has no value for {item!r}")
        return repr(item)
    if isinstance(item, _dt.datetime):
        return item.date().isoformat()
    if isinstance(item, _dt.date):
        return item.isoformat()
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(value(v) for v in item) + "]"
    raise ValueError(f"cannot write {type(item).__name__} as a TOML value")


def document(data: Mapping[str, Any]) -> str:
    """A dict of values and tables (dicts) as a TOML document, every key quoted;
    ``None`` values are left out.

    Example:
        >>> document({"format": {"trim": True}, "columns": {"EmpID": "employee_id"}})
        '["format"]\\n"trim" = true\\n["columns"]\\n"EmpID" = "employee_id"\\n'
    """
    lines: list[str] = []

    def table(path: list[str], entries: Mapping[str, Any]) -> None:
        if path:
            lines.append("[" + ".".join(string(p) for p in path) + "]")
        nested = []
        for key, item in entries.items():
            if item is None:
                continue
            if isinstance(item, Mapping):
                nested.append((str(key), item))
            else:
                lines.append(f"{string(str(key))} = {value(item)}")
        for key, item in nested:
            table(path + [key], item)

    table([], data)
    return "\n".join(lines) + "\n"
