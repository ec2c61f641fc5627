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
  from the register.
"""

from __future__ import annotations

import html
from typing import Any, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._table import to_frame
from .register import DateLike, Register, _iso
from .statistics import AgeBands, By, _by, _filters, _query

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
        >>> km["survival"].tolist()
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


# ---------------------------------------------------------------- transition model


class TransitionModel:
    """A Markov manpower model: states and yearly transition probabilities (docs/models.md).

    ``P[i, j]`` is the probability that a person in state i at the start of a
    year is in state j at its end; 1 − row sum is the exit probability. Rows
    summing above 1 + 1e-9, negative or non-finite entries, a non-square P or
    a state count mismatch raise ``ValueError``. A singular I − P (some states
    never exit, e.g. P = I) is allowed for projections; the functions built on
    N = (I − P)⁻¹ raise ``ValueError`` for it.

    Example:
        >>> m = sc.TransitionModel(["junior", "senior"], [[0.6, 0.2], [0.1, 0.7]])
        >>> m.fundamental_matrix()          # [[3, 2], [1, 4]]
        >>> m.expected_tenure("junior")     # 5.0
        >>> m.project({"junior": 100, "senior": 50}, years=3, recruits="hold")
    """

    def __init__(self, states: Sequence[Any], P: Any) -> None:
        names = [str(s) for s in states]
        if isinstance(P, pd.DataFrame):
            if set(map(str, P.index)) == set(names) == set(map(str, P.columns)) and len(P.index) == len(names):
                P = P.set_axis(list(map(str, P.index)), axis=0).set_axis(list(map(str, P.columns)), axis=1)
                P = P.loc[names, names]
            P = P.to_numpy()
        matrix = np.asarray(P, dtype="float64")
        if matrix.ndim != 2:
            raise ValueError("P must be a square matrix (rows = from, columns = to)")
        self._core = _core.TransitionModel(names, matrix)
        self.counts: Optional[pd.DataFrame] = None
        self.persons: Optional[pd.Series] = None
        self.exits: Optional[pd.Series] = None

    # -- construction from the register

    @classmethod
    def from_register(cls, register: Register, start: DateLike, end: DateLike,
                      states: Union[str, Sequence[str]] = "department", *, age_bands: AgeBands = None,
                      extracted_on: Optional[DateLike] = None, **filters: Any) -> "TransitionModel":
        """P estimated from the register between two dates.

        A person's state on a day is their main spell's value of ``states`` (a
        dimension such as ``"department"``, ``"position"``, ``"age_band"`` or a
        pass-through column; several are joined by ``", "``), among the spells
        passing the filters. P[i, j] = the share of the persons in state i on
        ``start`` who are in state j on ``end``; those no longer in the
        (filtered) population on ``end`` exited. The states are every value
        seen on either day (a state with nobody on ``start`` has a zero row).
        For yearly probabilities take ``end`` one year after ``start``. The
        counts behind P are kept in ``.persons`` (per state on ``start``),
        ``.counts`` (from × to) and ``.exits``.

        Example:
            >>> m = sc.TransitionModel.from_register(reg, "2023-09-30", "2024-09-30", states="position",
            ...                                      employment_form="permanent")
            >>> m.P, m.exits
        """
        if not isinstance(register, Register):
            raise TypeError(f"expected a staffcast.Register, got {type(register).__name__}")
        bands = age_bands if age_bands is None or isinstance(age_bands, str) else [int(e) for e in age_bands]
        raw = _core.estimate_transitions(register._core, _iso(start), _iso(end), _by(states), _filters(filters),
                                         age_bands=bands, extracted_on=_iso(extracted_on))
        names = list(raw["states"])
        model = cls(names, raw["P"])
        model.persons = pd.Series(raw["persons"], index=names, name="persons")
        model.counts = pd.DataFrame(raw["counts"], index=pd.Index(names, name="from"),
                                    columns=pd.Index(names, name="to"))
        model.exits = pd.Series(raw["exits"], index=names, name="exits")
        return model

    # -- the model

    @property
    def states(self) -> list[str]:
        """The state names, in the order of P's rows and columns."""
        return list(self._core.states)

    @property
    def P(self) -> pd.DataFrame:
        """The transition matrix (index = from, columns = to).

        Example:
            >>> sc.TransitionModel(["a"], [[0.9]]).P
        """
        return pd.DataFrame(self._core.matrix, index=pd.Index(self.states, name="from"),
                            columns=pd.Index(self.states, name="to"))

    @property
    def exit_probabilities(self) -> pd.Series:
        """1 − row sum per state.

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).exit_probabilities   # 0.2, 0.2
        """
        return pd.Series(self._core.exit_probabilities, index=self.states, name="exit_probability")

    @property
    def transient(self) -> bool:
        """True when every state eventually exits (I − P is invertible, so N exists).

        Example:
            >>> sc.TransitionModel(["a", "b"], np.eye(2)).transient   # False: nobody ever leaves
        """
        return bool(self._core.transient)

    def _vector(self, values: Any, name: str) -> np.ndarray:
        """Per-state values from a sequence (model order), a dict or Series (missing states = 0)."""
        if isinstance(values, (Mapping, pd.Series)):
            items = dict(values.items())
            unknown = [k for k in items if str(k) not in self.states]
            if unknown:
                raise ValueError(f"{name}: unknown state(s) {', '.join(map(str, unknown))}")
            lookup = {str(k): v for k, v in items.items()}
            return np.array([float(lookup.get(s, 0.0)) for s in self.states], dtype="float64")
        array = np.asarray(values, dtype="float64")
        if array.ndim != 1 or len(array) != len(self.states):
            raise ValueError(f"{name} must have one value per state ({len(self.states)})")
        return array

    def project(self, stocks: Any, years: int = 1, recruits: Any = None, target: Any = None) -> pd.DataFrame:
        """Projects stocks ``years`` years ahead.

        Each year the stocks n become n·P, then recruits join at year end:
        ``recruits=None`` (none), a per-state vector or dict (the same every
        year), or ``"hold"``: r = max(0, target − n·P) with ``target`` (default:
        the start stocks). Per year and state: ``exits`` = n_i·(1 − Σ_j P_ij),
        ``moves_out`` = n_i·Σ_{j≠i} P_ij, ``moves_in`` = Σ_{i≠j} n_i·P_ij,
        ``end`` = n·P + recruits, so start − exits − moves_out + moves_in +
        recruits = end. Columns: ``year, state, start, exits, moves_out,
        moves_in, recruits, end`` (year = 1..years).

        Example:
            >>> m = sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]])
            >>> m.project([100, 50], years=2, recruits={"a": 30})
        """
        n = self._vector(stocks, "stocks")
        if isinstance(recruits, str):
            if recruits != "hold":
                raise ValueError("recruits must be None, a value per state, or 'hold'")
            raw = self._core.project(n, int(years), "hold",
                                     None if target is None else self._vector(target, "target"))
        elif recruits is None:
            if target is not None:
                raise ValueError("target is used with recruits='hold'")
            raw = self._core.project(n, int(years), "none", None)
        else:
            raw = self._core.project(n, int(years), "fixed", self._vector(recruits, "recruits"))
        names = np.asarray(self.states, dtype=object)
        frame = pd.DataFrame({
            "year": raw["year"].astype("int64"),
            "state": names[raw["state"].astype("int64")],
            **{c: raw[c] for c in ("start", "exits", "moves_out", "moves_in", "recruits", "end")},
        })
        frame.attrs["staffcast"] = {"table": "transition_projection",
                                    "kinds": {"year": "key", "state": "key",
                                              **{c: "number" for c in ("start", "exits", "moves_out", "moves_in",
                                                                       "recruits", "end")}}}
        return frame

    def fundamental_matrix(self) -> pd.DataFrame:
        """N = (I − P)⁻¹: N[i, j] = expected years in state j for a person now in state i.

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).fundamental_matrix()
        """
        return pd.DataFrame(self._core.fundamental_matrix(), index=self.states, columns=self.states)

    def expected_tenure(self, state: Any) -> float:
        """Expected years until exit for a person now in ``state`` (row sum of N).

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).expected_tenure("a")   # 5.0
        """
        return float(self._core.expected_tenure(str(state)))

    def reach_probability(self, from_state: Any, to_state: Any) -> float:
        """Probability of ever reaching ``to_state`` from ``from_state`` before exiting: N_ij / N_jj (1 when i = j).

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).reach_probability("a", "b")   # 0.5
        """
        return float(self._core.reach_probability(str(from_state), str(to_state)))

    def steady_state(self, recruits: Any) -> pd.Series:
        """The stocks that ``recruits`` per year (joining at year end) sustain: n* = r·(I − P)⁻¹.

        n* is the fixed point of the projection: n*·P + r = n*.

        Example:
            >>> sc.TransitionModel(["a", "b"], [[0.6, 0.2], [0.1, 0.7]]).steady_state([10, 5])   # 35, 40
        """
        r = self._vector(recruits, "recruits")
        return pd.Series(self._core.steady_state(r), index=self.states, name="steady_state")

    def __repr__(self) -> str:
        return f"<staffcast.TransitionModel {len(self.states)} states: {', '.join(self.states[:6])}" + \
            (", ..." if len(self.states) > 6 else "") + ">"

    def _repr_html_(self) -> str:
        p = self.P
        p["exit"] = self.exit_probabilities.to_numpy()
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in p.columns)
        body = "".join(f"<tr><th>{html.escape(str(i))}</th>" + "".join(f"<td>{v:.3f}</td>" for v in row) + "</tr>"
                       for i, row in zip(p.index, p.to_numpy()))
        return (f"<div><strong>staffcast TransitionModel</strong> (rows: from, columns: to)"
                f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table></div>")

