"""Projections as fan charts: one chart with a fan per group (:func:`fan_chart`), or
one panel per group on a shared scale (:func:`fan_facets`), so that the
5th–95th percentile bands of several scenarios never cover each other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import numpy as np
import pandas as pd

from ._i18n import check_lang, column, text
from ._plot_common import PALETTE
from ._plot_common import axes as _axes
from ._plot_common import number_axis as _number_axis
from ._plot_common import numbers as _numbers
from ._plot_common import require as _require

if TYPE_CHECKING:  # matplotlib is imported when a plot is drawn, not with staffcast
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["fan_chart", "fan_facets"]

_VALUE_COLUMNS = ("mean", "p5", "p50", "p95")


def _fan_rows(frame: pd.DataFrame, by: Optional[str], measure: str, what: str) -> tuple[pd.DataFrame, Optional[str]]:
    """The rows of ``measure``, one group per fan; ``by`` None when the frame has no such column."""
    _require(frame, ["year", "measure", "mean"], what)
    if by == "scenario" and "scenario" not in frame.columns:
        by = None
    if by is not None and by not in frame.columns:
        raise ValueError(f"{what}: by={by!r} is not a column of the frame")
    rows = frame[frame["measure"].astype(str) == measure]
    if rows.empty:
        raise ValueError(f"{what}: no rows for measure {measure!r}; the frame has "
                         f"{', '.join(sorted(frame['measure'].astype(str).unique()))}")
    others = [c for c in rows.columns if c not in (by, "year", "measure", *_VALUE_COLUMNS)
              and rows[c].dtype == object and c != "suppressed"]
    for other in others:
        values = rows[other].astype(str)
        if values.nunique() > 1:
            if (values == "Total").any():
                rows = rows[values == "Total"]
            else:
                raise ValueError(f"{what} draws one group per fan: column {other!r} holds "
                                 f"{values.nunique()} values; filter the frame or pass by={other!r}")
    return rows, by


def _draw_fan(ax: "Axes", group: pd.DataFrame, colour: str, label: str, band_label: Optional[str],
              alpha: float) -> None:
    group = group.assign(_x=pd.to_numeric(group["year"], errors="coerce")).sort_values("_x")
    x = group["_x"].to_numpy(dtype="float64")
    centre_name = "p50" if "p50" in group and not np.isnan(_numbers(group["p50"])).all() else "mean"
    ax.plot(x, _numbers(group[centre_name]), color=colour, marker="o", markersize=3, label=label, zorder=3)
    if "p5" in group and "p95" in group:
        low, high = _numbers(group["p5"]), _numbers(group["p95"])
        ok = ~(np.isnan(low) | np.isnan(high))
        if ok.any():  # a light band with a dotted outline, so that overlapping bands stay apart
            from matplotlib.colors import to_rgba

            ax.fill_between(x[ok], low[ok], high[ok], facecolor=to_rgba(colour, alpha), edgecolor=colour,
                            linewidth=0.7, linestyle=":", label=band_label)


def _finish(ax: "Axes", rows: pd.DataFrame, measure: str, lang: str) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _number_axis(ax, "y", lang)
    values = _numbers(rows["p5"] if "p5" in rows and rows["p5"].notna().any() else rows["mean"])
    if len(values) and np.nanmin(values) >= 0:
        ax.set_ylim(bottom=0)  # counts: the axis starts at zero
    ax.set_xlabel(text("plot.year", lang))


def fan_chart(frame: pd.DataFrame, by: Optional[str] = "scenario", measure: str = "end", *,
              ax: Optional["Axes"] = None, lang: str = "en", title: Optional[str] = None) -> "Axes":
    """A projection as a fan chart: the median (or the mean) per year, the 5th–95th percentile as a band.

    Takes the long frame of a projection or simulation, ``[scenario,] year,
    <by>, measure, mean, p5, p50, p95``. ``measure`` picks the rows (start,
    retirements, other_exits, moves_out, moves_in, recruits, end, start_fte,
    end_fte, recruits_fte, gap); ``by`` draws one fan per value of that column
    (``"scenario"``, falling back to one fan when the frame has no such column;
    ``None`` for one). Any other group column must hold one value, or ``Total``
    rows, which are then used. A deterministic projection (p5 and p95 empty)
    draws lines only. Bands are light with dotted edges; for several
    overlapping fans :func:`fan_facets` draws one panel each.

    Example:
        >>> result = sc.compare(reg, [sc.Scenario("baseline"), "examples/scenarios/retire_later.toml"], years=5, replicates=200)
        >>> sc.plot.fan_chart(result.to_frame(), by="scenario", measure="recruits")
    """
    check_lang(lang)
    rows, by = _fan_rows(frame, by, measure, "fan_chart")
    ax = _axes(ax)
    groups = [(text("plot.all", lang), rows)] if by is None else list(rows.groupby(by, sort=False))
    for i, (label, group) in enumerate(groups):
        _draw_fan(ax, group, PALETTE[i % len(PALETTE)], str(label), text("plot.p5_p95", lang) if i == 0 else None,
                  0.12 if len(groups) > 1 else 0.2)
    _finish(ax, rows, measure, lang)
    ax.set_ylabel(column(measure, lang))
    ax.set_title(title or f"{text('plot.fan', lang)}: {column(measure, lang).lower()}")
    ax.legend(frameon=False, fontsize=8)
    return ax


def fan_facets(frame: pd.DataFrame, by: Optional[str] = "scenario", measure: str = "end", *,
               figure: Optional["Figure"] = None, lang: str = "en", title: Optional[str] = None,
               columns: Optional[int] = None) -> list["Axes"]:
    """A fan chart per group side by side, on one shared scale: each panel one median and its band.

    Takes the same frame as :func:`fan_chart`; draws on ``figure`` (a new
    pyplot figure when ``None``) with ``columns`` panels a row (all in one row
    up to four) and returns the panels' Axes in the order of the groups.

    Example:
        >>> result = sc.compare(reg, [sc.Scenario("baseline"), "examples/scenarios/retire_later.toml"], years=2, replicates=20)
        >>> panels = sc.plot.fan_facets(result.to_frame(), measure="recruits", lang="sv")
        >>> [ax.get_title() for ax in panels]
        ['baseline', 'retire later']
    """
    check_lang(lang)
    rows, by = _fan_rows(frame, by, measure, "fan_facets")
    groups = [(text("plot.all", lang), rows)] if by is None else list(rows.groupby(by, sort=False))
    per_row = columns or min(4, len(groups))
    lines = -(-len(groups) // per_row)
    if figure is None:
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=(3.2 * per_row + 0.8, 3.0 * lines + 0.8), layout="constrained")
    grid = figure.subplots(lines, per_row, sharex=True, sharey=True, squeeze=False)
    panels = []
    for i, (label, group) in enumerate(groups):
        ax = grid[i // per_row][i % per_row]
        ax.spines["top"].set_visible(False)
        ax.spines["right"].set_visible(False)
        _draw_fan(ax, group, PALETTE[i % len(PALETTE)], text("plot.median", lang), text("plot.p5_p95", lang), 0.25)
        _finish(ax, rows, measure, lang)
        ax.set_title(str(label), fontsize=10)
        if i % per_row == 0:
            ax.set_ylabel(column(measure, lang))
        panels.append(ax)
    for j in range(len(groups), lines * per_row):
        grid[j // per_row][j % per_row].set_visible(False)
    if panels:
        panels[0].legend(frameon=False, fontsize=8, loc="lower left")
    figure.suptitle(title or f"{text('plot.fan', lang)}: {column(measure, lang).lower()}")
    return panels
