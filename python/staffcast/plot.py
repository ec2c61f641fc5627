"""Plots of staffcast tables with matplotlib.

Every function takes the DataFrame a statistic returned, draws on ``ax`` (a
new figure when ``None``), labels it in English or Swedish (``lang="en"`` or
``"sv"``) and returns the Axes. Suppressed cells (after :func:`staffcast.disclose`)
are drawn as zero and the plot says that some cells are suppressed.
``frame.staffcast.plot()`` picks the right function from ``attrs["staffcast"]``.

Example:
    >>> import staffcast as sc
    >>> reg = sc.read_register("examples/data/employments.csv")
    >>> ax = sc.plot.age_pyramid(sc.snapshot(reg, "2024-09-30", by=["age_band", "gender"]), lang="sv")
    >>> ax.figure.savefig("pyramid.png")
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from ._i18n import check_lang, code, column, text
from ._table import kinds_of

if TYPE_CHECKING:  # matplotlib is imported when a plot is drawn, not with staffcast
    from matplotlib.axes import Axes

__all__ = ["age_pyramid", "retirement_wave", "turnover", "sick_leave", "recruitment_need", "fan_chart",
           "backtest_errors", "plot", "new_axes"]

COLOURS = {"F": "#c0392b", "M": "#2471a3", "X": "#7d8c3c"}
PALETTE = ["#2471a3", "#c0392b", "#229954", "#b9770e", "#7d3c98", "#17a589", "#839192", "#a04000", "#1f618d",
           "#633974"]
_VALUE_COLUMNS = ("mean", "p5", "p50", "p95")


# ---------------------------------------------------------------- helpers


def new_axes(figsize: tuple[float, float] = (8.0, 5.0)) -> "Axes":
    """A fresh Axes on a new pyplot figure (what every plot uses when ``ax`` is None).

    Example:
        >>> ax = sc.plot.new_axes((6, 4))
        >>> sc.plot.turnover(sc.turnover(reg, "2023-10-01", "2024-09-30", by="age_band"), ax=ax)
    """
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _axes(ax: Optional["Axes"], figsize: tuple[float, float] = (8.0, 5.0)) -> "Axes":
    ax = new_axes(figsize) if ax is None else ax
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    return ax


def _keys(frame: pd.DataFrame) -> list[str]:
    kinds = kinds_of(frame)
    if kinds:
        return [c for c in frame.columns if kinds.get(c) == "key" and c not in ("period_start", "period_end")]
    return [c for c in frame.columns if frame[c].dtype == object and c != "suppressed"]


def _without_totals(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    if not keys:
        return frame
    mask = np.zeros(len(frame), dtype=bool)
    for key in keys:
        mask |= frame[key].astype(str).to_numpy() == "Total"
    return frame[~mask]


def _numbers(series: pd.Series) -> np.ndarray:
    """Floats with NaN where a cell is missing or suppressed."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} takes a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs the column(s) {', '.join(missing)}; "
                         f"the frame has {', '.join(map(str, frame.columns))}")


_BAND = re.compile(r"^\s*(?:(?P<le>[≤<]|-)\s*(?P<hi>\d+)|(?P<ge>≥)\s*(?P<lo2>\d+)"
                   r"|(?P<lo>\d+)\s*(?:-\s*\d+|\+)?)\s*$")


def band_lower(label: Any) -> float:
    """The lower edge of an age band label: ``"-19"`` and ``"≤29"`` are −∞, ``"20-29"`` 20, ``"65+"`` 65.

    Example:
        >>> band_lower("65+"), band_lower("60-64"), band_lower("≥50")
        (65.0, 60.0, 50.0)
    """
    match = _BAND.match(str(label))
    if not match:
        return math.inf
    if match.group("le"):
        return -math.inf
    if match.group("ge"):
        return float(match.group("lo2"))
    return float(match.group("lo"))


def _band_order(labels: Sequence[Any]) -> list[Any]:
    return sorted(labels, key=lambda label: (band_lower(label), str(label)))


def _note_suppressed(ax: "Axes", suppressed: bool, lang: str) -> None:
    if suppressed:
        ax.text(1.0, 1.01, text("plot.suppressed", lang), transform=ax.transAxes, ha="right", va="bottom",
                fontsize=8, color="#555555")


def _percent(ax: "Axes", axis: str = "y") -> None:
    from matplotlib.ticker import PercentFormatter

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(PercentFormatter(1.0, decimals=0))


def _group_label(row: pd.Series, keys: Sequence[str], lang: str) -> str:
    return " / ".join(code(str(row[k]), lang) for k in keys) if keys else text("plot.all", lang)


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
    suppressed = bool(counts["headcount"].isna().any())
    table = counts.pivot_table(index="age_band", columns="gender", values="headcount", aggfunc="sum",
                               fill_value=0.0)
    bands = _band_order(list(table.index))
    table = table.reindex(bands).fillna(0.0)
    ax = _axes(ax, (8.0, 0.5 * len(bands) + 2.0))
    y = np.arange(len(bands))
    women = table["F"].to_numpy() if "F" in table else np.zeros(len(bands))
    men = table["M"].to_numpy() if "M" in table else np.zeros(len(bands))
    ax.barh(y, -women, color=COLOURS["F"], label=code("F", lang), height=0.8)
    ax.barh(y, men, color=COLOURS["M"], label=code("M", lang), height=0.8)
    if "X" in table and table["X"].sum() > 0:
        ax.barh(y, table["X"].to_numpy(), left=men, color=COLOURS["X"], label=code("X", lang), height=0.8)
    for band_y, band in zip(y, bands):
        if band_lower(band) >= retirement_age:
            ax.axhspan(band_y - 0.5, band_y + 0.5, color="#f4d03f", alpha=0.25, zorder=0)
    marked = [band_y for band_y, band in zip(y, bands) if band_lower(band) >= retirement_age]
    if marked:
        ax.text(0.99, (marked[0] + 0.5) / len(bands), text("plot.retirement_band", lang), transform=ax.transAxes,
                ha="right", va="bottom", fontsize=9, color="#7d6608")
    ax.set_yticks(y, [str(b) for b in bands])
    limit = max(1.0, float(max(women.max(initial=0), (men + (table["X"].to_numpy() if "X" in table else 0)).max(
        initial=0))))
    ax.set_xlim(-limit * 1.1, limit * 1.1)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{abs(value):g}"))
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel(text("plot.persons", lang))
    ax.set_ylabel(text("plot.age_band", lang))
    ax.set_title(title or text("plot.pyramid", lang))
    ax.legend(loc="upper left", frameon=False)
    _note_suppressed(ax, suppressed, lang)
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
    tops = bottom
    if len(totals):
        # the published Total row: what the suppressed cells add up to is drawn as one grey segment
        tops = np.array([_numbers(totals[c])[0] for c in columns])
        hidden = np.clip(np.nan_to_num(tops) - bottom, 0, None)
        if hidden.any():
            ax.bar(x, hidden, bottom=bottom, color="#d5d8dc", hatch="//", edgecolor="#aab7b8", width=0.7,
                   label=text("plot.suppressed_part", lang))
    for xi, total in zip(x, tops):
        if not np.isnan(total):
            ax.text(xi, total, f"{total:g}", ha="center", va="bottom", fontsize=9)
    labels = [text("plot.already_past", lang) if c == "already_past" else str(c) for c in columns]
    ax.set_xticks(x, labels)
    ax.set_ylabel(text("plot.persons", lang))
    ax.set_xlabel(text("plot.year", lang))
    age = frame.attrs.get("staffcast", {}).get("age")
    ax.set_title(title or (text("plot.wave", lang) + (f" ({age})" if age else "")))
    if keys:
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.margins(y=0.12)
    _note_suppressed(ax, suppressed, lang)
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
    if len(keys) >= 2:
        ax = _axes(ax, (9.0, 0.35 * inner[keys[0]].nunique() + 2.5))
        grid = pd.DataFrame({"r": inner[keys[0]].astype(str).to_numpy(), "c": inner[keys[1]].astype(str).to_numpy(),
                             "v": values}).pivot_table(index="r", columns="c", values="v", aggfunc="first")
        cols = _band_order(list(grid.columns)) if keys[1] == "age_band" else sorted(grid.columns)
        rows = _band_order(list(grid.index)) if keys[0] == "age_band" else sorted(grid.index)
        grid = grid.reindex(index=rows, columns=cols)
        data = grid.to_numpy(dtype="float64")
        image = ax.imshow(np.ma.masked_invalid(data), cmap="YlOrRd", aspect="auto", vmin=0)
        for (i, j), v in np.ndenumerate(data):
            if not np.isnan(v):
                ax.text(j, i, f"{100 * v:.0f}%", ha="center", va="center", fontsize=8)
        ax.set_xticks(np.arange(len(cols)), [code(str(c), lang) for c in cols])
        ax.set_yticks(np.arange(len(rows)), [code(str(r), lang) for r in rows])
        ax.set_xlabel(column(keys[1], lang))
        ax.set_ylabel(column(keys[0], lang))
        from matplotlib.ticker import PercentFormatter

        ax.figure.colorbar(image, ax=ax, format=PercentFormatter(1.0, decimals=0), label=text("plot.turnover", lang))
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
        for yi, i in zip(y, order):
            if not np.isnan(values[i]):
                ax.text(values[i], yi, f" {100 * values[i]:.1f}%", va="center", fontsize=8)
        ax.set_yticks(y, [labels[i] for i in order])
        if total is not None and not math.isnan(total):
            ax.axvline(total, color="#333333", linestyle="--", linewidth=1,
                       label=f"{code('Total', lang)} {100 * total:.1f}%")
            ax.legend(frameon=False, loc="best")
        _percent(ax, "x")
        ax.set_xlabel(text("plot.turnover", lang))
        if keys:
            ax.set_ylabel(column(keys[0], lang))
        ax.margins(x=0.15)
    ax.set_title(title or text("plot.turnover", lang))
    _note_suppressed(ax, suppressed, lang)
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
            y = np.nan_to_num(_numbers(inner[name]))
            ax.bar(x + (i - (len(shown) - 1) / 2) * width, y, width=width, color=PALETTE[i % 10],
                   label=column(name, lang))
            colours[name] = PALETTE[i % 10]
        ax.set_xticks(x, labels, rotation=30 if len(labels) > 4 else 0, ha="right" if len(labels) > 4 else "center")
    for name, value in targets.items():
        ax.axhline(value, color=colours.get(name, "#333333"), linestyle="--", linewidth=1,
                   label=f"{text('plot.target', lang)} {column(name, lang).lower()} {100 * value:g}%")
    _percent(ax, "y")
    ax.set_ylim(bottom=0)
    ax.set_ylabel(text("plot.share", lang))
    ax.set_title(title or text("plot.sick", lang))
    ax.legend(frameon=False, fontsize=8)
    _note_suppressed(ax, suppressed, lang)
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
            ax.annotate(f"{value:.0f}", (xi, max(value, bottom[xi])), xytext=(0, 5), textcoords="offset points",
                        ha="center", va="bottom", fontsize=9)
    ax.set_xticks(x, list(per_year.index))
    ax.set_xlabel(text("plot.year", lang))
    ax.set_ylabel(text("plot.persons", lang))
    ax.set_title(title or text("plot.need", lang))
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.margins(y=0.12)
    _note_suppressed(ax, suppressed, lang)
    return ax


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
    draws lines only.

    Example:
        >>> result = sc.compare(reg, [sc.Scenario("baseline"), "examples/scenarios/retire_later.toml"], years=5, replicates=200)
        >>> sc.plot.fan_chart(result.to_frame(), by="scenario", measure="recruits")
    """
    check_lang(lang)
    _require(frame, ["year", "measure", "mean"], "fan_chart")
    if by == "scenario" and "scenario" not in frame.columns:
        by = None
    if by is not None and by not in frame.columns:
        raise ValueError(f"fan_chart: by={by!r} is not a column of the frame")
    rows = frame[frame["measure"].astype(str) == measure]
    if rows.empty:
        raise ValueError(f"fan_chart: no rows for measure {measure!r}; the frame has "
                         f"{', '.join(sorted(frame['measure'].astype(str).unique()))}")
    others = [c for c in rows.columns if c not in (by, "year", "measure", *_VALUE_COLUMNS)
              and rows[c].dtype == object and c != "suppressed"]
    for other in others:
        values = rows[other].astype(str)
        if values.nunique() > 1:
            if (values == "Total").any():
                rows = rows[values == "Total"]
            else:
                raise ValueError(f"fan_chart draws one group per fan: column {other!r} holds "
                                 f"{values.nunique()} values; filter the frame or pass by={other!r}")
    ax = _axes(ax)
    groups = [(text("plot.all", lang), rows)] if by is None else list(rows.groupby(by, sort=False))
    for i, (label, group) in enumerate(groups):
        group = group.assign(_x=pd.to_numeric(group["year"], errors="coerce")).sort_values("_x")
        x = group["_x"].to_numpy(dtype="float64")
        centre_name = "p50" if "p50" in group and not np.isnan(_numbers(group["p50"])).all() else "mean"
        centre = _numbers(group[centre_name])
        colour = PALETTE[i % len(PALETTE)]
        ax.plot(x, centre, color=colour, marker="o", markersize=3, label=str(label))
        if "p5" in group and "p95" in group:
            low, high = _numbers(group["p5"]), _numbers(group["p95"])
            ok = ~(np.isnan(low) | np.isnan(high))
            if ok.any():
                ax.fill_between(x[ok], low[ok], high[ok], color=colour, alpha=0.18, linewidth=0,
                                label=text("plot.p5_p95", lang) if i == 0 else None)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    values = _numbers(rows["p5"] if "p5" in rows and rows["p5"].notna().any() else rows["mean"])
    if len(values) and np.nanmin(values) >= 0:
        ax.set_ylim(bottom=0)  # counts: the axis starts at zero
    ax.set_xlabel(text("plot.year", lang))
    ax.set_ylabel(column(measure, lang))
    ax.set_title(title or f"{text('plot.fan', lang)}: {column(measure, lang).lower()}")
    ax.legend(frameon=False, fontsize=8)
    return ax


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
    ax.set_xlabel(text("plot.horizon", lang))
    ax.set_ylabel(text("plot.error", lang))
    ax.set_title(title or text("plot.backtest", lang))
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax


_BY_TABLE = {
    "retirement_outlook": retirement_wave,
    "expected_retirements": retirement_wave,
    "turnover": turnover,
    "sick_leave": sick_leave,
    "recruitment_need": recruitment_need,
    "backtest_summary": backtest_errors,
}


def plot(frame: pd.DataFrame, **kwargs: Any) -> "Axes":
    """The plot that fits a staffcast table, chosen from ``attrs["staffcast"]["table"]`` (and its columns).

    snapshot by age band and gender → :func:`age_pyramid`; retirement_outlook →
    :func:`retirement_wave`; turnover → :func:`turnover`; sick_leave →
    :func:`sick_leave`; recruitment_need → :func:`recruitment_need`; a long
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
