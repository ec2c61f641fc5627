"""The backtest plot: a forecast's error by horizon per model (``sc.plot.backtest_errors``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import pandas as pd

from ._i18n import check_lang, code, text
from ._plot_common import PALETTE
from ._plot_common import axes as _axes
from ._plot_common import number_axis as _number_axis
from ._plot_common import numbers as _numbers
from ._plot_common import require as _require

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["backtest_errors"]


def backtest_errors(summary: pd.DataFrame, rows: Optional[pd.DataFrame] = None, *, ax: Optional["Axes"] = None,
                    lang: str = "en", title: Optional[str] = None) -> "Axes":
    """A backtest's errors by horizon per model: the mean absolute error (``mae`` of
    ``Backtest.summary()``) as a line per model, and with ``rows`` (``Backtest.table``)
    each forecast's error (forecast − observed) as a point beside it.

    Example:
        >>> bt = sc.backtest(reg, origins="2018-2021", horizon=2, models=["naive", "trend"])
        >>> sc.plot.backtest_errors(bt.summary(), rows=bt.table)
    """
    check_lang(lang)
    _require(summary, ["model", "horizon", "mae"], "backtest_errors")
    if rows is not None:
        _require(rows, ["model", "horizon", "error"], "backtest_errors")
    ax = _axes(ax)
    models = list(dict.fromkeys(summary["model"].astype(str)))
    step = 0.5 / max(len(models), 1)  # the points of the models side by side around each horizon
    for i, model in enumerate(models):
        colour = PALETTE[i % len(PALETTE)]
        line = summary[summary["model"].astype(str) == model].sort_values("horizon")
        ax.plot(_numbers(line["horizon"]), _numbers(line["mae"]), color=colour, marker="o",
                label=f"{code(model, lang)}: {text('plot.mae', lang)}")
        if rows is not None:
            points = rows[rows["model"].astype(str) == model]
            offset = (i - (len(models) - 1) / 2) * step
            ax.scatter(_numbers(points["horizon"]) + offset, _numbers(points["error"]), color=colour, s=12,
                       alpha=0.4, linewidths=0, label=text("plot.cell_errors", lang) if i == 0 else None)
    from matplotlib.ticker import MaxNLocator

    ax.axhline(0.0, color="#566573", linewidth=0.8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _number_axis(ax, "y", lang)
    ax.set_xlabel(text("plot.horizon", lang))
    ax.set_ylabel(text("plot.error", lang))
    ax.set_title(title or text("plot.backtest", lang))
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax
