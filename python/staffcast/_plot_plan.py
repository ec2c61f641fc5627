"""The optimised plan's measures per period and category (``sc.plot.optimised_plan``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import numpy as np
import pandas as pd

from ._i18n import check_lang, column, text
from ._plot_common import PALETTE
from ._plot_common import axes as _axes
from ._plot_common import number_axis as _number_axis
from ._plot_common import numbers as _numbers
from ._plot_common import require as _require

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["optimised_plan"]

# The measures stacked in each bar, bottom up; capacity and shortfall only when a plan has them.
_MEASURES = ("recruits", "moves_in", "capacity", "shortfall")
_LABELS = {"recruits": "plot.plan_recruits", "moves_in": "plot.plan_moves_in", "capacity": "plot.plan_capacity",
           "shortfall": "plot.plan_shortfall"}


def optimised_plan(table: pd.DataFrame, *, ax: Optional["Axes"] = None, lang: str = "en",
                   title: Optional[str] = None) -> "Axes":
    """An optimised plan's measures: per period a bar for each category with its recruits, the
    persons moved in (training, conversion) and, when the plan has them, the capacity added and
    the shortfall (demand not met, hatched) stacked. Takes ``PlanResult.table`` (the ``Total``
    row is left out).

    Example:
        >>> result = sc.optimise_plan("examples/plans/social_services.toml", register=reg, as_of="2024-09-30")
        >>> sc.plot.optimised_plan(result.table)
    """
    check_lang(lang)
    _require(table, ["period", "category", "recruits", "moves_in", "shortfall"], "optimised_plan")
    rows = table[table["period"].astype(str) != "Total"]
    periods = list(dict.fromkeys(rows["period"].astype(str)))
    categories = list(dict.fromkeys(rows["category"].astype(str)))
    measures = [m for m in _MEASURES if m in rows.columns and (m in ("recruits", "moves_in")
                                                                or (_numbers(rows[m]) > 0).any())]
    ax = _axes(ax)
    width = 0.8 / max(len(categories), 1)
    colours = {"recruits": PALETTE[0], "moves_in": PALETTE[1], "capacity": PALETTE[3], "shortfall": "#FFFFFF"}
    ticks, labels = [], []
    labelled: set[str] = set()
    for c, category in enumerate(categories):
        part = rows[rows["category"].astype(str) == category]
        at = {period: i for i, period in enumerate(part["period"].astype(str))}
        x = np.arange(len(periods)) + (c - (len(categories) - 1) / 2) * width
        bottom = np.zeros(len(periods))
        for measure in measures:
            cells = np.nan_to_num(_numbers(part[measure]))
            values = np.array([cells[at[p]] if p in at else 0.0 for p in periods])
            shortfall = measure == "shortfall"
            shown = values > 0  # no outline of an empty part
            ax.bar(x[shown], values[shown], width=width * 0.9, bottom=bottom[shown], color=colours[measure],
                   edgecolor="#C0392B" if shortfall else "white", hatch="///" if shortfall else None,
                   linewidth=0.8, label=text(_LABELS[measure], lang) if shown.any() and measure not in labelled
                   else None)
            labelled.update([measure] if shown.any() else [])
            bottom += values
        ticks.extend(x)
        labels.extend([category] * len(periods))
    ax.set_xticks(ticks, labels, rotation=30, ha="right", fontsize=8)
    for p, period in enumerate(periods):  # the period under its group of bars
        ax.annotate(period, (p, 0), xytext=(0, -4), textcoords="offset points", xycoords=("data", "axes fraction"),
                    ha="center", va="top", fontsize=9, fontweight="bold")
    ax.tick_params(axis="x", pad=16)
    _number_axis(ax, "y", lang)
    ax.set_ylabel(text("plot.persons", lang))
    ax.set_xlabel(column("period", lang))
    ax.set_title(title or text("plot.plan", lang))
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax
