"""Cohort engine I: occurrence/exposure rates, tenure curves, the transition model.

Every number is computed in the compiled core; this module converts arguments
and results (pandas DataFrames whose columns are the CLI's csv columns).

- :func:`exit_rates` — departures per person-year with exact Poisson (Garwood)
  intervals (docs/models.md, "Occurrence/exposure rates").
- :func:`kaplan_meier`, :func:`kaplan_meier_median` — Kaplan–Meier curves with
  late entry, Greenwood variances and R survfit's intervals and median, for any
  durations; :func:`tenure_curves`, :func:`tenure_medians` — the same built from
  the register (docs/models.md, "Kaplan–Meier tenure curves").
- :class:`TransitionModel` — the Markov manpower model (docs/models.md), given or estimated
  from the register (defined in :mod:`staffcast.transition`).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._table import to_frame
from .register import DateLike, Register, _iso
from .statistics import AgeBands, By, _query
from .transition import TransitionModel

__all__ = [
    "exit_rates",
    "poisson_rate_interval",
    "kaplan_meier",
    "kaplan_meier_median",
    "tenure_curves",
    "tenure_medians",
    "tenure_observations",
    "TransitionModel",
]

ArrayLike = Union[Sequence[Any], np.ndarray, pd.Series]
Window = Optional[tuple[Optional[DateLike], Optional[DateLike]]]


# ---------------------------------------------------------------- rates


def poisson_rate_interval(events: float, person_years: float, conf_level: float = 0.95) -> tuple[float, float]:
    """The exact (Garwood) confidence interval of a Poisson rate ``events / person_years``.

    lower = χ²(α/2; 2k) / 2T (0 when k = 0), upper = χ²(1 − α/2; 2k + 2) / 2T
    at level 1 − α = ``conf_level``; both NaN when T = 0.

    Example:
        >>> sc.poisson_rate_interval(0, 1.0)       # (0.0, 3.688879...)
        >>> sc.poisson_rate_interval(10, 1.0)      # (4.795389..., 18.390356...)
    """
    lower, upper = _core.poisson_rate_interval(float(events), float(person_years), float(conf_level))
    return float(lower), float(upper)


def exit_rates(register: Register, start: DateLike, end: DateLike, by: By = None, *, conf_level: float = 0.95,
               by_reason: bool = False, reasons: Optional[Sequence[str]] = None, events: str = "departures",
               totals: bool = False, age_bands: AgeBands = None, extracted_on: Optional[DateLike] = None,
               **filters: Any) -> pd.DataFrame:
    """Occurrence/exposure rates over [start, end]: events per person-year, per group.

    - ``events``: departures dated in the period, counted exactly as
      :func:`staffcast.flows` counts them (moves and continuations are not
      departures; ends after the extraction date are planned, never events),
      each in the group of its own spell on its day. ``events="moves"`` counts
      internal moves out instead, ``"exits"`` both. ``reasons=[...]`` keeps only
      those end reasons.
    - ``person_years``: person-days of the filtered population in the group of
      their main spell, split at birthdays (age_band) and service anniversaries
      (tenure_band), / 365.25.
    - ``rate`` = events / person_years; ``lower``, ``upper``: the exact Poisson
      (Garwood) interval at ``conf_level``: χ²(α/2; 2k)/2T (0 when k = 0) and
      χ²(1 − α/2; 2k + 2)/2T; NaN without exposure.

    With ``by_reason=True`` there is one row per end reason (column
    ``end_reason``; the reasons given, else those that occur), each with the
    group's full exposure: cause-specific rates that add up to the total.
    Columns: ``<by>[, end_reason], events, person_years, rate, lower, upper``.

    Example:
        >>> sc.exit_rates(reg, "2023-10-01", "2024-09-30", by="age_band", employment_form="permanent")
        >>> sc.exit_rates(reg, "2023-10-01", "2024-09-30", by_reason=True, reasons=["own_request", "retirement"])
    """
    q = _query(register, by, totals, age_bands, extracted_on, filters)
    table = _core.exit_rates(register._core, _iso(start), _iso(end), conf_level=float(conf_level),
                             by_reason=bool(by_reason), reasons=list(reasons or []), events=str(events), **q)
    return to_frame(table, "exit_rates", start=_iso(start), end=_iso(end), conf_level=float(conf_level),
                    by_reason=bool(by_reason), events=str(events), **q)


# ---------------------------------------------------------------- Kaplan–Meier


_CURVE_KINDS = {"time": "number", "at_risk": "count", "events": "count", "survival": "rate", "lower": "rate",
                "upper": "rate"}
_MEDIAN_KINDS = {"observations": "count", "events": "count", "median": "number", "lower": "number",
                 "upper": "number"}


def _vector(values: ArrayLike, name: str, dtype: str = "float64") -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    try:
        return array.astype(dtype)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers") from None


def _km(durations: ArrayLike, events: ArrayLike, groups: Optional[ArrayLike], entry: Optional[ArrayLike], ci: str,
        conf_level: float) -> tuple[dict, pd.Series]:
    time = _vector(durations, "durations")
    flags = _vector(events, "events")
    if len(flags) != len(time):
        raise ValueError("durations and events must have the same length")
    if not np.isin(flags, (0.0, 1.0)).all():
        raise ValueError("events must be 0/1 or False/True (1 = the event happened, 0 = censored)")
    starts = None if entry is None else _vector(entry, "entry")
    if groups is None:
        labels = pd.Series(["all"], dtype=object)
        codes = None
    else:
        values = groups.reset_index(drop=True) if isinstance(groups, pd.Series) else pd.Series(groups)
        if len(values) != len(time):
            raise ValueError("groups must have one value per duration")
        if values.isna().any():
            raise ValueError("groups must not be missing")
        try:
            codes, uniques = pd.factorize(values, sort=True)
        except TypeError:  # values that cannot be ordered: first appearance
            codes, uniques = pd.factorize(values, sort=False)
        labels = pd.Series(uniques)
        codes = codes.astype("uint32")
    raw = _core.kaplan_meier(time, flags.astype("uint8"), codes, len(labels), starts, ci=str(ci),
                             conf_level=float(conf_level))
    return raw, labels


def kaplan_meier(durations: ArrayLike, events: ArrayLike, groups: Optional[ArrayLike] = None,
                 entry: Optional[ArrayLike] = None, ci: str = "log", conf_level: float = 0.95) -> pd.DataFrame:
    """Kaplan–Meier survival curves, one row per distinct event time per group.

    At risk at t: ``entry < t <= duration`` (without ``entry``: duration ≥ t),
    so an observation censored at t is at risk at t; S(t) = Π(1 − d/n).
    Greenwood σ²(t) = Σ d / (n(n − d)). ``ci``: ``"log"`` (R survfit's default,
    S·exp(±zσ) with the upper limit capped at 1), ``"log-log"`` (lifelines')
    or ``"plain"`` (S(1 ± zσ) clipped to [0, 1]); lower/upper are NaN where
    S = 0. ``entry`` gives late-entry (left-truncation) times. Without groups
    the group is ``"all"``. Columns: ``group, time, at_risk, events, survival,
    lower, upper``; ``attrs["staffcast"]["medians"]`` holds each group's median
    (see :func:`kaplan_meier_median`).

    Example:
        >>> km = sc.kaplan_meier([1, 2, 2, 3, 4, 5, 5, 6], [1, 1, 0, 1, 0, 1, 1, 0])
        >>> km["survival"].round(6).tolist()
        [0.875, 0.75, 0.6, 0.2]
    """
    raw, labels = _km(durations, events, groups, entry, ci, conf_level)
    frame = pd.DataFrame({
        "group": labels.take(raw["group"].astype("int64")).reset_index(drop=True),
        "time": raw["time"],
        "at_risk": raw["at_risk"].astype("int64"),
        "events": raw["events"].astype("int64"),
        "survival": raw["survival"],
        "lower": raw["lower"],
        "upper": raw["upper"],
    })
    medians = {labels.iloc[g]: {"median": float(raw["median"][g]), "lower": float(raw["median_lower"][g]),
                                "upper": float(raw["median_upper"][g])} for g in range(len(labels))}
    frame.attrs["staffcast"] = {"table": "kaplan_meier", "kinds": {"group": "key", **_CURVE_KINDS}, "ci": ci,
                                "conf_level": float(conf_level), "medians": medians}
    return frame


def kaplan_meier_median(durations: ArrayLike, events: ArrayLike, groups: Optional[ArrayLike] = None,
                        entry: Optional[ArrayLike] = None, ci: str = "log", conf_level: float = 0.95) -> pd.DataFrame:
    """The median survival time per group, as R's survfit prints it.

    The median is the first time S(t) ≤ 0.5; where S sits at exactly 0.5 (to
    √ε) it is the midpoint between that time and the next drop (or the last
    observed time when the flat reaches the end); NaN when S stays above 0.5.
    ``lower``/``upper`` apply the same rule to the lower and upper confidence
    curves (``ci``, ``conf_level`` as in :func:`kaplan_meier`). Columns:
    ``group, observations, events, median, lower, upper``.

    Example:
        >>> sc.kaplan_meier_median([1, 2, 3, 5], [1, 1, 0, 1])["median"].tolist()
        [3.5]
    """
    raw, labels = _km(durations, events, groups, entry, ci, conf_level)
    frame = pd.DataFrame({
        "group": labels.reset_index(drop=True),
        "observations": raw["observations"].astype("int64"),
        "events": raw["total_events"].astype("int64"),
        "median": raw["median"],
        "lower": raw["median_lower"],
        "upper": raw["median_upper"],
    })
    frame.attrs["staffcast"] = {"table": "kaplan_meier_median", "kinds": {"group": "key", **_MEDIAN_KINDS},
                                "ci": ci, "conf_level": float(conf_level)}
    return frame


def _tenure(register: Register, by: By, window: Window, ci: str, conf_level: float, totals: bool,
            age_bands: AgeBands, extracted_on: Optional[DateLike], filters: dict) -> tuple[dict, dict]:
    q = _query(register, by, totals, age_bands, extracted_on, filters)
    start, end = (None, None) if window is None else window
    raw = _core.tenure_curves(register._core, _iso(start), _iso(end), ci=str(ci), conf_level=float(conf_level), **q)
    meta = dict(start=raw["start"], end=raw["end"], ci=str(ci), conf_level=float(conf_level), unit="months", **q)
    return raw, meta


def tenure_curves(register: Register, by: By = None, window: Window = None, *, ci: str = "log",
                  conf_level: float = 0.95, totals: bool = False, age_bands: AgeBands = None,
                  extracted_on: Optional[DateLike] = None, **filters: Any) -> pd.DataFrame:
    """Kaplan–Meier tenure curves from the register, in months of chained service.

    One observation per employment episode (a person's spells joined by
    internal moves and continuations) employed on some day of ``window`` =
    (start, end) (default: the register's observed history up to the
    extraction date). Tenure runs from the episode's first day to the day after
    its last day, in months = days / 30.4375. Episodes that began before the
    window enter late (left truncation: at risk only from the window start);
    an event is a departure (not a move or continuation) inside the window;
    ongoing spells and planned ends after the extraction date are censored at
    the window end. Group and filters are those of the person's main spell on
    the day the episode enters the window. Columns: ``<by>`` (or ``group`` =
    ``"all"``), ``time, at_risk, events, survival, lower, upper``; with
    ``totals=True`` the pooled curve follows as ``Total``.

    Example:
        >>> sc.tenure_curves(reg, by="department", window=("2019-10-01", "2024-09-30"),
        ...                  employment_form="permanent")
    """
    raw, meta = _tenure(register, by, window, ci, conf_level, totals, age_bands, extracted_on, filters)
    return to_frame(raw["curves"], "tenure_curves", **meta)


def tenure_medians(register: Register, by: By = None, window: Window = None, *, ci: str = "log",
                   conf_level: float = 0.95, totals: bool = False, age_bands: AgeBands = None,
                   extracted_on: Optional[DateLike] = None, **filters: Any) -> pd.DataFrame:
    """Median tenure (months) per group, from the curves of :func:`tenure_curves`.

    The median and its interval as R's survfit defines them (see
    :func:`kaplan_meier_median`); NaN when fewer than half leave within the
    observed tenures. Columns: ``<by>`` (or ``group``), ``observations,
    events, median, lower, upper``.

    Example:
        >>> sc.tenure_medians(reg, by="position", window=("2019-10-01", "2024-09-30"))
    """
    raw, meta = _tenure(register, by, window, ci, conf_level, totals, age_bands, extracted_on, filters)
    return to_frame(raw["medians"], "tenure_medians", **meta)


def tenure_observations(register: Register, by: By = None, window: Window = None, *, age_bands: AgeBands = None,
                        extracted_on: Optional[DateLike] = None, **filters: Any) -> pd.DataFrame:
    """The observations behind :func:`tenure_curves`: one row per employment episode.

    Columns: ``<by>, entry, duration, event``: tenure (months) at which the
    episode enters the window (0 when it began inside it; left truncation
    otherwise), tenure at exit (departure or censoring), and 1 for a
    departure, 0 for censoring. No person keys are included. Feed them to
    :func:`kaplan_meier` (``entry=``) or to other survival software.

    Example:
        >>> obs = sc.tenure_observations(reg, by="department", window=("2019-10-01", "2024-09-30"))
        >>> sc.kaplan_meier(obs["duration"], obs["event"], groups=obs["department"], entry=obs["entry"])
    """
    q = _query(register, by, False, age_bands, extracted_on, filters)
    raw = _core.tenure_observations(register._core, *(_iso(d) for d in (window or (None, None))), **q)
    codes = raw["group"].astype("int64")
    data: dict[str, Any] = {}
    for k, name in enumerate(raw["key_names"]):
        labels = np.asarray([label[k] for label in raw["labels"]], dtype=object)
        data[name] = labels[codes] if len(labels) else np.asarray([], dtype=object)
    data["entry"] = raw["entry"]
    data["duration"] = raw["duration"]
    data["event"] = raw["event"].astype("int64")
    frame = pd.DataFrame(data)
    frame.attrs["staffcast"] = {"table": "tenure_observations", "start": raw["start"], "end": raw["end"],
                                "unit": "months",
                                "kinds": {**{name: "key" for name in raw["key_names"]}, "entry": "number",
                                          "duration": "number", "event": "flag"}}
    return frame
