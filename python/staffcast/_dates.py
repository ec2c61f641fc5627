"""Dates as the compiled core takes them: ISO text (YYYY-MM-DD)."""

from __future__ import annotations

import datetime as _dt
from typing import Optional, Union

import pandas as pd

__all__ = ["DateLike", "_iso"]

DateLike = Union[str, _dt.date, pd.Timestamp]


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
