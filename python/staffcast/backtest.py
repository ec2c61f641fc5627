"""Backtests (docs/models.md, "Backtests"): how good the forecasts would have been.

For each origin year Y the register is cut on Y-12-31 as if it had been
extracted then (:func:`cut_register`), each model is fitted on that history
alone, and its headcount on (Y+h)-12-31 is set beside the headcount the full
register shows on that day. Everything is computed in C++
(``staffcast/projection/backtest.hpp``); this module converts.

Example:
    >>> import staffcast as sc
    >>> reg = sc.read_register("examples/data/employments.csv")
    >>> bt = sc.backtest(reg, origins="2018-2021", horizon=2, replicates=100, seed=1)
    >>> bt.summary()
"""

from __future__ import annotations

import html
import os
from typing import Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core, plot
from ._dates import DateLike, _iso
from ._frames import issues_frame
from ._table import to_frame as _to_frame
from .register import Register
from .statistics import By, _by, _filters

__all__ = ["backtest", "cut_register", "Backtest", "MODELS"]

#: The models a backtest can check, in their default order.
MODELS: tuple[str, ...] = tuple(_core.backtest_models)

Origins = Union[None, int, str, Sequence[int], range]


def cut_register(register: Register, cut: DateLike) -> Register:
    """The register as if it had been extracted on ``cut``: spells starting later are
    dropped, end dates (and end reasons) after ``cut`` are erased, moves and
    continuations are paired again, and the extraction date is ``cut``.

    Example:
        >>> then = sc.cut_register(reg, "2020-12-31")
        >>> then.extracted_on
        datetime.date(2020, 12, 31)
    """
    if not isinstance(register, Register):
        raise TypeError(f"expected a staffcast.Register, got {type(register).__name__}")
    day = _iso(cut)
    if day is None:
        raise ValueError("cut_register needs the day of the cut")
    core = _core.cut_register(register._core, day)
    return Register(core, issues_frame(core.issues()), f"{register.label} (cut on {day})")


def _origins(register: Register, origins: Origins, models: list[str]) -> tuple[int, int]:
    """(first, last) origin years: "Y1-Y2" or "Y" (the C++ parser), a year, (first, last), a range or a
    list of consecutive years; None: every origin the register's history allows for the models."""
    if origins is None:
        first, last = _core.backtest_origins(register._core, models)
        if first > last:
            raise ValueError(f"the register's history allows no backtest origin for {', '.join(models)} "
                             f"(the first would be {first}, the last {last})")
        return first, last
    if isinstance(origins, str):
        return tuple(_core.parse_backtest_origins(origins))  # type: ignore[return-value]
    if isinstance(origins, (int, np.integer)) and not isinstance(origins, bool):
        return int(origins), int(origins)
    years = list(origins)
    if not years or any(isinstance(y, bool) or not isinstance(y, (int, np.integer)) for y in years):
        raise ValueError(f"origins take a year, 'Y1-Y2', (first, last) or consecutive years, got {origins!r}")
    if isinstance(origins, tuple) and len(years) == 2:
        return int(years[0]), int(years[1])
    if [int(y) for y in years] != list(range(int(years[0]), int(years[0]) + len(years))):
        raise ValueError(f"origins must be consecutive years, got {years}")
    return int(years[0]), int(years[-1])


class Backtest:
    """A backtest's result (``sc.backtest``).

    ``table``: one row per model, origin, horizon and group with ``model, origin,
    horizon, <by>, observed, projected, p5, p95, error``; ``summary()``: per model
    and horizon ``model, horizon, cells, mae, mape, coverage``; ``plot()``: the
    errors by horizon per model.
    """

    def __init__(self, result: dict, by: list[str], origins: tuple[int, int], horizon: int, models: list[str],
                 replicates: int, seed: int):
        self.by = by
        self.origins = origins
        self.horizon = horizon
        self.models = models
        self.replicates = replicates
        self.seed = seed
        meta = dict(origins=f"{origins[0]}-{origins[1]}", horizon=horizon, seed=seed, replicates=replicates)
        self.table = self._years(_to_frame(result["rows"], "backtest", by=by, **meta))
        self._summary = _to_frame(result["summary"], "backtest_summary", **meta)
        self._summary["horizon"] = self._summary["horizon"].astype("int64")

    @staticmethod
    def _years(frame: pd.DataFrame) -> pd.DataFrame:
        frame["origin"] = frame["origin"].astype("int64")
        frame["horizon"] = frame["horizon"].astype("int64")
        return frame

    def to_frame(self) -> pd.DataFrame:
        """The rows (a copy of ``table``)."""
        frame = self.table.copy()
        frame.attrs = dict(self.table.attrs)
        return frame

    def summary(self) -> pd.DataFrame:
        """Per model and horizon: ``cells`` (rows), ``mae`` (mean absolute error), ``mape``
        (mean absolute error / observed, over cells with observed > 0) and ``coverage``
        (share of cells whose observed lies in [p5, p95]; empty for point models)."""
        frame = self._summary.copy()
        frame.attrs = dict(self._summary.attrs)
        return frame

    def plot(self, **kwargs: Any):
        """The errors by horizon per model (``staffcast.plot.backtest_errors``)."""
        return plot.backtest_errors(self.summary(), rows=self.table, **kwargs)

    def __repr__(self) -> str:
        return (f"<staffcast.Backtest origins {self.origins[0]}-{self.origins[1]}, horizon {self.horizon}, "
                f"models {', '.join(self.models)}: {len(self.table)} rows>")

    def _repr_html_(self) -> str:
        s = self.summary()
        head = (f"<strong>staffcast backtest</strong>: origins {self.origins[0]}–{self.origins[1]}, "
                f"horizon {self.horizon}, {len(self.table)} rows")
        columns = ["model", "horizon", "cells", "mae", "mape", "coverage"]

        def cell(row: pd.Series, c: str) -> str:
            value = row[c]
            if c in ("model", "horizon", "cells"):
                return html.escape(str(value))
            if pd.isna(value):
                return ""
            return f"{value:.1%}" if c in ("mape", "coverage") else f"{value:.1f}"

        rows = "".join("<tr>" + "".join(f"<td>{cell(r, c)}</td>" for c in columns) + "</tr>" for _, r in s.iterrows())
        header = "".join(f"<th>{c}</th>" for c in columns)
        return f"<div><p>{head}</p><table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></div>"


def backtest(register: Register, origins: Origins = None, horizon: int = 3, by: By = None,
             models: Sequence[str] = MODELS, replicates: int = 200, seed: int = 0, *,
             threads: Optional[int] = None, **filters) -> Backtest:
    """How good the forecasts would have been (docs/models.md, "Backtests").

    For each origin year Y (``origins``: ``"2019-2022"``, a year, ``(first,
    last)`` or consecutive years; default: every origin the register's history
    allows) the register is cut on Y-12-31 as if extracted then, each model of
    ``models`` (``naive``, ``trend``, ``cohort``, ``microsim``) is fitted on that
    history alone, and its headcount on (Y+h)-12-31, h = 1..``horizon``, is set
    beside the observed headcount, where that day is on or before the
    register's extraction date. ``by``: department, position, employment_form,
    gender or pass-through columns; filters as keyword arguments. The
    microsimulation runs ``replicates`` replicates with ``seed`` for every origin
    (the same result for any ``threads``).

    Example:
        >>> bt = sc.backtest(reg, origins="2018-2021", horizon=2, models=["naive", "trend", "cohort"])
        >>> bt.summary()[["model", "horizon", "mae"]]
    """
    if not isinstance(register, Register):
        raise TypeError(f"expected a staffcast.Register, got {type(register).__name__}")
    if isinstance(models, str):
        models = [part.strip() for part in models.split(",") if part.strip()]
    models = [str(m) for m in models]
    for name, value in (("horizon", horizon), ("replicates", replicates)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**64:
        raise ValueError(f"seed must be an integer in [0, 2**64), got {seed!r}")
    if threads is None:
        threads = os.cpu_count() or 1
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or not 1 <= int(threads) <= 1024:
        raise ValueError(f"threads must be an integer between 1 and 1024, got {threads!r}")
    first, last = _origins(register, origins, models)
    result = _core.backtest(register._core, first, last, int(horizon), models, max(int(replicates), 0), int(seed),
                            int(threads), by=_by(by), filters=_filters(filters))
    return Backtest(result, _by(by), (first, last), int(horizon), models, int(replicates), int(seed))
