"""What every plot of :mod:`staffcast.plot` shares: axes, colours, numbers in the
plot's language, and one look for suppressed cells (a grey hatched bar with a
legend entry)."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Optional, Sequence

import numpy as np
import pandas as pd

from ._i18n import check_lang, code, number, percent, text
from ._table import kinds_of

if TYPE_CHECKING:  # matplotlib is imported when a plot is drawn, not with staffcast
    from matplotlib.axes import Axes

COLOURS = {"F": "#c0392b", "M": "#2471a3", "X": "#7d8c3c"}
PALETTE = ["#2471a3", "#c0392b", "#229954", "#b9770e", "#7d3c98", "#17a589", "#839192", "#a04000", "#1f618d",
           "#633974"]
#: How a suppressed cell is drawn, in every chart.
SUPPRESSED_STYLE = {"facecolor": "#e5e8e8", "hatch": "///", "edgecolor": "#7f8c8d", "linewidth": 0.6}


def new_axes(figsize: tuple[float, float] = (8.0, 5.0)) -> "Axes":
    """A fresh Axes on a new pyplot figure (what every plot uses when ``ax`` is None).

    Example:
        >>> ax = sc.plot.new_axes((6, 4))
        >>> sc.plot.turnover(sc.turnover(reg, "2023-10-01", "2024-09-30", by="age_band"), ax=ax)
    """
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def axes(ax: Optional["Axes"], figsize: tuple[float, float] = (8.0, 5.0)) -> "Axes":
    ax = new_axes(figsize) if ax is None else ax
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    return ax


def keys(frame: pd.DataFrame) -> list[str]:
    kinds = kinds_of(frame)
    if kinds:
        return [c for c in frame.columns if kinds.get(c) == "key" and c not in ("period_start", "period_end")]
    return [c for c in frame.columns if frame[c].dtype == object and c != "suppressed"]


def without_totals(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    if not names:
        return frame
    mask = np.zeros(len(frame), dtype=bool)
    for key in names:
        mask |= frame[key].astype(str).to_numpy() == "Total"
    return frame[~mask]


def numbers(series: pd.Series) -> np.ndarray:
    """Floats with NaN where a cell is missing or suppressed."""
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} takes a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs the column(s) {', '.join(missing)}; "
                         f"the frame has {', '.join(map(str, frame.columns))}")


_BAND = re.compile(r"^\s*(?:(?P<le>[≤<]|-)\s*(?P<hi>\d+)|(?P<ge>≥)\s*(?P<lo2>\d+)"
                   r"|(?P<lo>\d+)\s*(?:[-–]\s*\d+|\+)?)\s*$")


def band_lower(label: Any) -> float:
    """The lower edge of an age band label: ``"≤29"`` is −∞, ``"15-19"`` 15, ``"20-29"`` 20, ``"65+"`` 65.

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


def band_order(labels: Sequence[Any]) -> list[Any]:
    return sorted(labels, key=lambda label: (band_lower(label), str(label)))


def group_label(row: pd.Series, names: Sequence[str], lang: str) -> str:
    return " / ".join(code(str(row[k]), lang) for k in names) if names else text("plot.all", lang)


# ---------------------------------------------------------------- numbers in the plot's language


def plain(value: float, lang: str = "en", decimals: Optional[int] = None) -> str:
    """A number as the plot shows it: ``1,102.5`` in English, ``1 102,5`` in Swedish; with ``decimals``
    None, as few decimals as the value needs (at most two)."""
    check_lang(lang)
    if decimals is None:
        decimals = next((d for d in (0, 1, 2) if abs(round(value, d) - value) < 1e-9), 2)
    if round(value, decimals) == 0:
        value = 0.0  # no "-0"
    return number(value, lang, decimals)


def number_axis(ax: "Axes", axis: str, lang: str, absolute: bool = False) -> None:
    """Tick labels in the plot's language (``absolute``: without sign, for the pyramid's left side)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _: plain(abs(value) if absolute else value, lang))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def percent_axis(ax: "Axes", axis: str, lang: str) -> None:
    """Per-cent tick labels in the plot's language (``5%``, ``5 %``)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _: percent(value, lang, 0 if abs(100 * value - round(100 * value)) < 1e-9
                                                       else 1))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def share(value: float, lang: str, decimals: Optional[int] = 1) -> str:
    """A share as per cent in the plot's language; ``decimals`` None: as few as it needs."""
    if decimals is None:
        shown = plain(100 * value, lang)
        return shown + ("%" if lang == "en" else "\u00a0%")
    return percent(value, lang, decimals)


# ---------------------------------------------------------------- suppressed cells


def suppressed_handle(lang: str) -> Any:
    """The legend entry of suppressed cells."""
    from matplotlib.patches import Patch

    return Patch(**SUPPRESSED_STYLE, label=text("plot.suppressed", lang))


def legend(ax: "Axes", lang: str, suppressed: bool, **kwargs: Any) -> None:
    """The axes' legend, with the entry for suppressed cells when some are drawn."""
    handles, labels = ax.get_legend_handles_labels()
    if suppressed and text("plot.suppressed", lang) not in labels:
        handles.append(suppressed_handle(lang))
        labels.append(text("plot.suppressed", lang))
    if handles:
        kwargs.setdefault("frameon", False)
        ax.legend(handles, labels, **kwargs)


def suppressed_barh(ax: "Axes", y: Any, width: Any, left: Any = 0.0, height: float = 0.8,
                    label: Optional[str] = None) -> Any:
    """Horizontal bars for suppressed cells, in the one suppressed style."""
    return ax.barh(y, width, left=left, height=height, label=label, **SUPPRESSED_STYLE)


def suppressed_bar(ax: "Axes", x: Any, height: Any, bottom: Any = 0.0, width: float = 0.7,
                   label: Optional[str] = None) -> Any:
    """Vertical bars (or segments) for suppressed cells, in the one suppressed style."""
    return ax.bar(x, height, bottom=bottom, width=width, label=label, **SUPPRESSED_STYLE)
