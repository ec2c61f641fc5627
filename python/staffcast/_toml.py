"""The one TOML writer: strings and keys for the files staffcast writes (mapping
templates, scenarios, plans given as dicts). Every value is a basic string with TOML's escapes, so any
text reads back as itself."""

from __future__ import annotations

import math
import numbers
from typing import Any, Mapping

import numpy as np

__all__ = ["string", "document"]

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


def _value(value: Any, key: str) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return repr(x)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(v, f'{key}.{k}')}" for k, v in value.items()
                               if v is not None) + "}"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(_value(v, f"{key}[{i + 1}]") for i, v in enumerate(value)) + "]"
    raise ValueError(f"{key}: a value of type {type(value).__name__} cannot be written to TOML")


def document(data: Mapping[str, Any]) -> str:
    """A TOML document of ``data``: plain keys first, then each list of mappings (or a single
    mapping) as an array of tables (``[[category]]``). ``None`` values are left out (absent keys).

    Example:
        >>> document({"periods": 1, "category": [{"name": "a", "demand": [3]}]})
        'periods = 1\\n[[category]]\\nname = "a"\\ndemand = [3]\\n'
    """
    lines: list[str] = []
    tables: list[tuple[str, list]] = []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            tables.append((str(key), [value]))
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Mapping) for v in value):
            tables.append((str(key), list(value)))
        else:
            lines.append(f"{_key(key)} = {_value(value, str(key))}")
    for key, items in tables:
        for item in items:
            lines.append(f"[[{_key(key)}]]")
            lines += [f"{_key(k)} = {_value(v, f'{key}.{k}')}" for k, v in item.items() if v is not None]
    return "".join(line + "\n" for line in lines)
