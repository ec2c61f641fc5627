"""Plots of staffcast tables with matplotlib.

Every function takes the DataFrame a statistic returned, draws on ``ax`` (a
new figure when ``None``), labels it in English or Swedish (``lang="en"`` or
``"sv"``) and returns the Axes; numbers are written the way of that language
(``1,102.5`` and ``12.5%``; ``1 102,5`` and ``12,5 %``). Suppressed cells (after
:func:`staffcast.disclose`) are drawn the same way in every chart, as grey
hatched bars with a legend entry: what they add up to when the ``Total`` row
shows it, else a short bar that does not show their size.
``frame.staffcast.plot()`` picks the right function from ``attrs["staffcast"]``.

Example:
    >>> import staffcast as sc
    >>> reg = sc.read_register("examples/data/employments.csv", extracted_on="2024-09-30")
    >>> ax = sc.plot.age_pyramid(sc.snapshot(reg, "2024-09-30", by=["age_band", "gender"]), lang="sv")
    >>> ax.figure.savefig("build/pyramid.png")
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ._i18n import check_lang, code, column, text
from ._plot_common import COLOURS, PALETTE, SUPPRESSED_STYLE, band_lower, new_axes
from ._plot_common import axes as _axes
from ._plot_common import band_order as _band_order
from ._plot_common import group_label as _group_label
from ._plot_common import keys as _keys
from ._plot_common import legend as _legend
from ._plot_common import number_axis as _number_axis
from ._plot_common import numbers as _numbers
from ._plot_common import percent_axis as _percent_axis
from ._plot_common import plain as _plain
from ._plot_common import require as _require
from ._plot_common import share as _share
from ._plot_common import suppressed_bar as _suppressed_bar
from ._plot_common import suppressed_barh as _suppressed_barh
from ._plot_common import without_totals as _without_totals
from ._plot_backtest import backtest_errors
from ._plot_fan import fan_chart, fan_facets
from ._plot_plan import optimised_plan

if TYPE_CHECKING:  # matplotlib is imported when a plot is drawn, not with staffcast
    from matplotlib.axes import Axes

__all__ = ["age_pyramid", "retirement_wave", "turnover", "sick_leave", "recruitment_need", "fan_chart", "fan_facets",
           "backtest_errors", "optimised_plan", "plot", "new_axes", "band_lower", "COLOURS", "PALETTE", "SUPPRESSED_STYLE"]


# ---------------------------------------------------------------- the plots


def age_pyramid(frame: pd.DataFrame, *, ax: Optional["Axes"] = None, lang: str = "en", retirement_age: int = 65,
                title: Optional[str] = None) -> "Axes":
    """The age pyramid: women to the left, men (and X) to the right, one bar per age band.

    Takes ``sc.snapshot(reg, day, by=["age_band", "gender"])`` (either order,
    ``Total`` rows ignored); bands from ``retirement_age`` up (``65+`` with the
    default bands) are shaded and marked. The bar of each band and gender is
    its ``headcount``.

    Example:
        >>> sc.plot.age_pyramid(sc.snapshot(reg, "2024-09-30", by=["age_band", "gender"]), lang="sv")
    """
    check_lang(lang)
    _require(frame, ["age_band", "gender", "headcount"], "age_pyramid")
    inner = _without_totals(frame, ["age_band", "gender"])
    counts = pd.DataFrame({"age_band": inner["age_band"].astype(str), "gender": inner["gender"].astype(str),
                           "headcount": _numbers(inner["headcount"])})
    hidden = counts[counts["headcount"].isna()]
    suppressed = bool(len(hidden))
    table = counts.pivot_table(index="age_band", columns="gender", values="headcount", aggfunc="sum",
                               fill_value=0.0)
    bands = _band_order(list(set(table.index) | set(hidden["age_band"])))
    table = table.reindex(bands).fillna(0.0)
    ax = _axes(ax, (8.0, 0.5 * len(bands) + 2.0))
    y = np.arange(len(bands))
    women = table["F"].to_numpy() if "F" in table else np.zeros(len(bands))
    men = table["M"].to_numpy() if "M" in table else np.zeros(len(bands))
    ax.barh(y, -women, color=COLOURS["F"], label=code("F", lang), height=0.8)
    ax.barh(y, men, color=COLOURS["M"], label=code("M", lang), height=0.8)
    others = table["X"].to_numpy() if "X" in table else np.zeros(len(bands))
    if others.sum() > 0:
        ax.barh(y, others, left=men, color=COLOURS["X"], label=code("X", lang), height=0.8)
    for band_y, band in zip(y, bands):
        if band_lower(band) >= retirement_age:
            ax.axhspan(band_y - 0.5, band_y + 0.5, color="#f4d03f", alpha=0.25, zorder=0)
    marked = [band_y for band_y, band in zip(y, bands) if band_lower(band) >= retirement_age]
    ax.set_yticks(y, [str(b) for b in bands])
    limit = max(1.0, float(max(women.max(initial=0), (men + others).max(initial=0))))
    ax.set_xlim(-limit * 1.1, limit * 1.1)
    if suppressed:  # a suppressed cell is a hatched bar of a fixed small length: its size is not shown
        nominal = 0.06 * limit
        position = {band: i for i, band in enumerate(bands)}
        for band, gender in zip(hidden["age_band"], hidden["gender"]):
            i = position[band]
            if gender == "F":
                _suppressed_barh(ax, [i], [-nominal], left=[-women[i]])
            else:
                start = men[i] + (others[i] if gender != "M" else 0.0)
                _suppressed_barh(ax, [i], [nominal], left=[start])
    if marked:
        ax.text(0.99, (marked[0] + 0.5) / len(bands), text("plot.retirement_band", lang), transform=ax.transAxes,
                ha="right", va="bottom", fontsize=9, color="#7d6608")
    _number_axis(ax, "x", lang, absolute=True)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel(text("plot.persons", lang))
    ax.set_ylabel(text("plot.age_band", lang))
    ax.set_title(title or text("plot.pyramid", lang))
    _legend(ax, lang, suppressed, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return ax


def _year_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if re.fullmatch(r"\d{4}", str(c))]


def retirement_wave(frame: pd.DataFrame, *, ax: Optional["Axes"] = None, lang: str = "en",
                    already_past: bool = True, title: Optional[str] = None) -> "Axes":
    """The retirement wave: who reaches the retirement age each year, stacked by group (e.g. department).

    Takes ``sc.retirement_outlook(...)`` (columns ``<by>, already_past, <Y1>, …,
    <Yn>, total``); the first bar is those already past the age
    (``already_past=False`` leaves it out); ``Total`` rows label the stacks, and
    what suppressed cells add up to is one grey segment. Also takes
    ``sc.expected_retirements(...)``: the expected retirements per year
    (``total_expected``) stacked by group, with the 5th–95th percentile of the
    whole as error bars.

    Example:
        >>> sc.plot.retirement_wave(sc.retirement_outlook(reg, "2024-09-30", years=3, by="department"))
    """
    check_lang(lang)
    if {"year", "total_expected"} <= set(frame.columns):
        return _expected_wave(frame, ax, lang, title)
    years = _year_columns(frame)
    if not years:
        raise ValueError("retirement_wave needs the year columns of sc.retirement_outlook (e.g. 2025, 2026) "
                         "or the year and total_expected columns of sc.expected_retirements")
    columns = (["already_past"] if already_past and "already_past" in frame.columns else []) + years
    keys = [k for k in _keys(frame) if k not in columns]
    inner = _without_totals(frame, keys)
    totals = frame.loc[frame.index.difference(inner.index)]
    ax = _axes(ax)
    x = np.arange(len(columns))
    bottom = np.zeros(len(columns))
    suppressed = False
    for i, (_, row) in enumerate(inner.iterrows()):
        values = np.array([_numbers(pd.Series([row[c]]))[0] for c in columns])
        suppressed |= bool(np.isnan(values).any())
        values = np.nan_to_num(values)
        ax.bar(x, values, bottom=bottom, color=PALETTE[i % len(PALETTE)], label=_group_label(row, keys, lang),
               width=0.7)
        bottom += values
    hidden_cells = np.zeros(len(columns), dtype=bool)
    for j, c in enumerate(columns):
        hidden_cells[j] = bool(np.isnan(_numbers(inner[c])).any())
    tops = bottom.copy()
    segment = np.zeros(len(columns))
    if len(totals):
        # the published Total row: what the suppressed cells add up to is drawn as one hatched segment
        tops = np.array([_numbers(totals[c])[0] for c in columns])
        segment = np.where(np.isnan(tops), 0.0, np.clip(np.nan_to_num(tops) - bottom, 0, None))
    # where the Total is not shown either, the segment has a fixed small height: its size is not known
    scale = max(1.0, float(np.nanmax(np.concatenate([bottom, tops]))))
    segment = np.where(hidden_cells & (segment == 0), 0.04 * scale, segment)
    if segment.any():
        suppressed = True
        _suppressed_bar(ax, x, segment, bottom=bottom, label=text("plot.suppressed", lang))
    for xi, total in zip(x, tops):
        if not np.isnan(total):
            ax.text(xi, total, _plain(total, lang), ha="center", va="bottom", fontsize=9)
    labels = [text("plot.already_past", lang) if c == "already_past" else str(c) for c in columns]
    ax.set_xticks(x, labels)
    _number_axis(ax, "y", lang)
    ax.set_ylabel(text("plot.persons", lang))
    ax.set_xlabel(text("plot.year", lang))
    age = frame.attrs.get("staffcast", {}).get("age")
    ax.set_title(title or (text("plot.wave", lang) + (f" ({age})" if age else "")))
    if keys or suppressed:
        _legend(ax, lang, suppressed, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.margins(y=0.12)
    return ax


def _expected_wave(frame: pd.DataFrame, ax: Optional["Axes"], lang: str, title: Optional[str]) -> "Axes":
    """sc.expected_retirements: expected retirements per year stacked by group, p5–p95 of the whole as error bars."""
    keys = [k for k in _keys(frame) if k != "year"]
    inner = _without_totals(frame, keys)
    totals = frame.loc[frame.index.difference(inner.index)] if keys else frame
    years = sorted(frame["year"].astype(str).unique())
    ax = _axes(ax)
    x = np.arange(len(years))
    bottom = np.zeros(len(years))
    groups = list(inner.groupby(keys, sort=True)) if keys else [(None, inner)]
    for i, (label, group) in enumerate(groups):
        by_year = pd.Series(_numbers(group["total_expected"]), index=group["year"].astype(str).to_numpy())
        values = np.nan_to_num(by_year.reindex(years).to_numpy(dtype="float64"))
        name = text("plot.all", lang) if label is None else " / ".join(
            code(str(v), lang) for v in (label if isinstance(label, tuple) else (label,)))
        ax.bar(x, values, bottom=bottom, color=PALETTE[i % len(PALETTE)], label=name, width=0.7)
        bottom += values
    if len(totals) and {"p5", "p95"} <= set(totals.columns):
        rows = totals.assign(_y=totals["year"].astype(str)).set_index("_y").reindex(years)
        low, high = _numbers(rows["p5"]), _numbers(rows["p95"])
        centre = _numbers(rows["total_expected"])
        ax.errorbar(x, centre, yerr=[np.clip(centre - low, 0, None), np.clip(high - centre, 0, None)], fmt="none",
                    ecolor="#333333", capsize=4, label=text("plot.p5_p95", lang))
    ax.set_xticks(x, years)
    _number_axis(ax, "y", lang)
    ax.set_xlabel(text("plot.year", lang))
    ax.set_ylabel(text("plot.persons", lang))
    age = frame.attrs.get("staffcast", {}).get("age")
    ax.set_title(title or (text("plot.wave", lang) + (f" ({age}+)" if age else "")))
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


def turnover(frame: pd.DataFrame, *, ax: Optional["Axes"] = None, lang: str = "en",
             title: Optional[str] = None) -> "Axes":
    """Turnover by group: horizontal bars for one ``by`` dimension (age bands in age order, others
    by turnover), a heat map for two (e.g. position × age band); the ``Total`` row is a reference line.

    Takes ``sc.turnover(...)``.

    Example:
        >>> sc.plot.turnover(sc.turnover(reg, "2023-10-01", "2024-09-30", by="age_band", totals=True))
    """
    check_lang(lang)
    _require(frame, ["turnover"], "turnover")
    keys = _keys(frame)
    inner = _without_totals(frame, keys)
    total = None
    if keys and len(inner) < len(frame):
        total_rows = frame.loc[frame.index.difference(inner.index)]
        total = float(_numbers(total_rows["turnover"])[0])
    values = _numbers(inner["turnover"])
    suppressed = bool(np.isnan(values).any())
    hidden_pairs = set()
    if len(keys) >= 2:
        hidden_pairs = {(str(a), str(b)) for a, b, v in zip(inner[keys[0]], inner[keys[1]], values) if np.isnan(v)}
    if len(keys) >= 2:
        ax = _axes(ax, (9.0, 0.35 * inner[keys[0]].nunique() + 2.5))
        grid = pd.DataFrame({"r": inner[keys[0]].astype(str).to_numpy(), "c": inner[keys[1]].astype(str).to_numpy(),
                             "v": values}).pivot_table(index="r", columns="c", values="v", aggfunc="first")
        cols = _band_order(list(grid.columns)) if keys[1] == "age_band" else sorted(grid.columns)
        rows = _band_order(list(grid.index)) if keys[0] == "age_band" else sorted(grid.index)
        grid = grid.reindex(index=rows, columns=cols)
        data = grid.to_numpy(dtype="float64")
        image = ax.imshow(np.ma.masked_invalid(data), cmap="YlOrRd", aspect="auto", vmin=0)
        from matplotlib.patches import Rectangle

        for (i, j), v in np.ndenumerate(data):
            if not np.isnan(v):
                ax.text(j, i, _share(v, lang, 0), ha="center", va="center", fontsize=8)
            elif suppressed and (rows[i], cols[j]) in hidden_pairs:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, **SUPPRESSED_STYLE))
        ax.set_xticks(np.arange(len(cols)), [code(str(c), lang) for c in cols])
        ax.set_yticks(np.arange(len(rows)), [code(str(r), lang) for r in rows])
        ax.set_xlabel(column(keys[1], lang))
        ax.set_ylabel(column(keys[0], lang))
        bar = ax.figure.colorbar(image, ax=ax, label=text("plot.turnover", lang))
        _percent_axis(bar.ax, "y", lang)
    else:
        labels = [_group_label(row, keys, lang) for _, row in inner.iterrows()]
        order = list(range(len(labels)))
        if keys and keys[0] == "age_band":
            order = sorted(order, key=lambda i: band_lower(inner[keys[0]].iloc[i]), reverse=True)
        else:
            order = sorted(order, key=lambda i: (np.nan_to_num(values[i], nan=-1.0), labels[i]))
        ax = _axes(ax, (8.0, 0.35 * len(labels) + 2.0))
        y = np.arange(len(order))
        ax.barh(y, np.nan_to_num(values[order]), color=PALETTE[0], height=0.7)
        shown = values[~np.isnan(values)]
        nominal = 0.04 * max(float(shown.max()) if len(shown) else 0.0, total or 0.0, 0.01)
        for yi, i in zip(y, order):
            if not np.isnan(values[i]):
                ax.text(values[i], yi, " " + _share(values[i], lang), va="center", fontsize=8)
            else:  # suppressed: a hatched bar of a fixed small length
                _suppressed_barh(ax, [yi], [nominal], height=0.7)
        ax.set_yticks(y, [labels[i] for i in order])
        if total is not None and not math.isnan(total):
            ax.axvline(total, color="#333333", linestyle="--", linewidth=1,
                       label=f"{code('Total', lang)} {_share(total, lang)}")
        _legend(ax, lang, suppressed, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        _percent_axis(ax, "x", lang)
        ax.set_xlabel(text("plot.turnover", lang))
        if keys:
            ax.set_ylabel(column(keys[0], lang))
        ax.margins(x=0.15)
    ax.set_title(title or text("plot.turnover", lang))
    if len(keys) >= 2 and suppressed:
        _legend(ax, lang, True, loc="upper left", bbox_to_anchor=(0.0, -0.12), fontsize=8)
    return ax


Target = Union[None, float, Mapping[str, float]]


def sick_leave(frame: pd.DataFrame, target: Target = None, *, ax: Optional["Axes"] = None, lang: str = "en",
               measures: Sequence[str] = ("sick_rate", "short_term_rate"), title: Optional[str] = None) -> "Axes":
    """Sick leave per month (or per group) against the target.

    Takes ``sc.periodic(sc.sick_leave, reg, a, b, "month", sick)`` (one point per
    month: a line per measure, or per group for ``sick_rate`` when the frame
    has ``by`` columns) or a plain ``sc.sick_leave(...)`` table (bars per
    group). ``target`` is the target of ``sick_rate`` (``0.06``) or a dict per
    measure (``{"sick_rate": 0.06, "short_term_rate": 0.02}``); targets are
    dashed lines and points above their target are ringed.

    Example:
        >>> monthly = sc.periodic(sc.sick_leave, reg, "2023-10-01", "2024-09-30", "month", sick)
        >>> sc.plot.sick_leave(monthly, target={"sick_rate": 0.06, "short_term_rate": 0.02})
    """
    check_lang(lang)
    _require(frame, ["sick_rate"], "sick_leave")
    targets: dict[str, float] = {}
    if isinstance(target, Mapping):
        targets = {str(k): float(v) for k, v in target.items()}
    elif target is not None:
        targets = {"sick_rate": float(target)}
    for name in targets:
        if name not in frame.columns:
            raise ValueError(f"a target was given for {name!r}, which the frame does not have")
    keys = _keys(frame)
    inner = _without_totals(frame, keys)
    suppressed = bool(np.isnan(_numbers(inner["sick_rate"])).any())
    shown = [m for m in measures if m in frame.columns]
    ax = _axes(ax)
    colours = {}
    if "period_start" in frame.columns:
        series = []
        if keys:
            for i, (label, group) in enumerate(inner.groupby(keys, sort=True)):
                label = label if isinstance(label, tuple) else (label,)
                series.append((" / ".join(code(str(v), lang) for v in label), group, "sick_rate", PALETTE[i % 10]))
        else:
            for i, name in enumerate(shown):
                series.append((column(name, lang), inner, name, PALETTE[i % 10]))
        for label, group, name, colour in series:
            x = pd.to_datetime(group["period_start"]).to_numpy()
            y = _numbers(group[name])
            for start, end in zip(pd.to_datetime(group["period_start"])[np.isnan(y)],
                                  pd.to_datetime(group["period_end"])[np.isnan(y)]):
                ax.axvspan(start, end, zorder=0, **SUPPRESSED_STYLE)  # a suppressed month
            ax.plot(x, y, marker="o", markersize=4, color=colour, label=label)
            colours.setdefault(name, colour)
            if name in targets:
                over = y > targets[name]
                ax.scatter(x[over], y[over], s=70, facecolors="none", edgecolors="#922b21", linewidths=1.2, zorder=3)
        import matplotlib.dates as mdates

        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        for tick in ax.get_xticklabels():
            tick.set_rotation(30)
            tick.set_ha("right")
        ax.set_xlabel(text("plot.month", lang))
    else:
        labels = [_group_label(row, keys, lang) for _, row in inner.iterrows()]
        x = np.arange(len(labels))
        width = 0.8 / max(1, len(shown))
        for i, name in enumerate(shown):
            raw = _numbers(inner[name])
            at = x + (i - (len(shown) - 1) / 2) * width
            ax.bar(at, np.nan_to_num(raw), width=width, color=PALETTE[i % 10], label=column(name, lang))
            colours[name] = PALETTE[i % 10]
            if np.isnan(raw).any():  # suppressed groups: hatched bars of a fixed small height
                shown_values = raw[~np.isnan(raw)]
                nominal = 0.04 * max(float(shown_values.max()) if len(shown_values) else 0.0, 0.01)
                _suppressed_bar(ax, at[np.isnan(raw)], nominal, width=width)
        ax.set_xticks(x, labels, rotation=30 if len(labels) > 4 else 0, ha="right" if len(labels) > 4 else "center")
    for name, value in targets.items():
        ax.axhline(value, color=colours.get(name, "#333333"), linestyle="--", linewidth=1,
                   label=f"{text('plot.target', lang)} {column(name, lang).lower()} {_share(value, lang, None)}")
    _percent_axis(ax, "y", lang)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(text("plot.share", lang))
    ax.set_title(title or text("plot.sick", lang))
    _legend(ax, lang, suppressed, fontsize=8)
    return ax


def recruitment_need(frame: pd.DataFrame, *, ax: Optional["Axes"] = None, lang: str = "en",
                     title: Optional[str] = None) -> "Axes":
    """Recruitment need per year: retirements, other departures and growth stacked, the need on top.

    Takes ``sc.recruitment_need(...)``; with ``by`` columns it uses the
    ``Total`` rows when there are any, else the sum over the groups.

    Example:
        >>> sc.plot.recruitment_need(sc.recruitment_need(reg, "2024-09-30", years=5, by="department", totals=True))
    """
    check_lang(lang)
    parts = ["retirements", "other_departures", "growth"]
    _require(frame, ["year", "recruitment_need", *parts], "recruitment_need")
    keys = [k for k in _keys(frame) if k != "year"]
    rows = frame
    if keys:
        totals = frame[frame[keys[0]].astype(str) == "Total"]
        rows = totals if len(totals) else _without_totals(frame, keys)
    numbers = pd.DataFrame({c: _numbers(rows[c]) for c in [*parts, "recruitment_need"]})
    numbers["year"] = rows["year"].astype(str).to_numpy()
    suppressed = bool(numbers.isna().any().any())
    per_year = numbers.groupby("year", sort=True).sum(min_count=1)
    ax = _axes(ax)
    x = np.arange(len(per_year))
    bottom = np.zeros(len(per_year))
    colours = {"retirements": PALETTE[0], "other_departures": PALETTE[2], "growth": PALETTE[3]}
    for part in parts:
        values = np.nan_to_num(per_year[part].to_numpy(dtype="float64"))
        positive = np.clip(values, 0, None)
        if part == "growth" and not positive.any():
            continue  # no growth: no empty legend entry
        ax.bar(x, positive, bottom=bottom, color=colours[part], label=column(part, lang), width=0.7)
        bottom += positive
    need = per_year["recruitment_need"].to_numpy(dtype="float64")
    ax.plot(x, need, color="#111111", marker="D", linestyle="none", label=text("plot.need_total", lang))
    for xi, value in zip(x, need):
        if not np.isnan(value):
            ax.annotate(_plain(value, lang, 1), (xi, max(value, bottom[xi])), xytext=(0, 5), textcoords="offset points",
                        ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, list(per_year.index))
    _number_axis(ax, "y", lang)
    ax.set_xlabel(text("plot.year", lang))
    ax.set_ylabel(text("plot.persons", lang))
    ax.set_title(title or text("plot.need", lang))
    _legend(ax, lang, suppressed, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.margins(y=0.12)
    return ax


_BY_TABLE = {
    "retirement_outlook": retirement_wave,
    "expected_retirements": retirement_wave,
    "turnover": turnover,
    "sick_leave": sick_leave,
    "recruitment_need": recruitment_need,
    "backtest_summary": backtest_errors,
    "optimise_plan": optimised_plan,
}


def plot(frame: pd.DataFrame, **kwargs: Any) -> "Axes":
    """The plot that fits a staffcast table, chosen from ``attrs["staffcast"]["table"]`` (and its columns).

    snapshot by age band and gender → :func:`age_pyramid`; retirement_outlook →
    :func:`retirement_wave`; turnover → :func:`turnover`; sick_leave →
    :func:`sick_leave`; recruitment_need → :func:`recruitment_need`; an optimised plan's
    table → :func:`optimised_plan`; a long
    projection frame (``measure, mean``) → :func:`fan_chart`.

    Example:
        >>> sc.plot.plot(sc.turnover(reg, "2023-10-01", "2024-09-30", by="age_band"))
    """
    name = frame.attrs.get("staffcast", {}).get("table")
    if {"measure", "mean", "year"} <= set(frame.columns):
        return fan_chart(frame, **kwargs)
    if name == "snapshot" and {"age_band", "gender"} <= set(frame.columns):
        return age_pyramid(frame, **kwargs)
    if name in _BY_TABLE:
        return _BY_TABLE[name](frame, **kwargs)
    if name is None and "turnover" in frame.columns:
        return turnover(frame, **kwargs)
    raise ValueError(f"no plot for the table {name!r}: use snapshot by age_band and gender, retirement_outlook, "
                     "turnover, sick_leave, recruitment_need or a projection frame")
