"""Current-state statistics of the competence-supply plan (docs/metrics.md).

Every function returns a plain pandas DataFrame whose columns are exactly the
CLI's csv columns: the ``by`` columns, then the values; a ``Total`` row only
with ``totals=True``; ``attrs["staffcast"]`` says what the table is. Filters are
keyword arguments on spells (``employment_form="permanent"``,
``department=["Vuxen", "Barn och unga"]``, ``gender``, ``position`` or a
declared pass-through column); a list means any of.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence, Union

import pandas as pd

from . import _core
from ._table import to_frame
from .register import DateLike, Indicators, Register, SickLeave, _iso

__all__ = [
    "snapshot",
    "top_positions",
    "full_time",
    "flows",
    "departures",
    "recruitments",
    "average_headcount",
    "turnover",
    "sick_leave",
    "indicator_followup",
    "retirement_outlook",
    "retirement_probabilities",
    "expected_retirements",
    "recruitment_need",
    "periods",
    "periodic",
    "against_targets",
]

By = Union[None, str, Sequence[str]]
AgeBands = Union[None, str, Sequence[int]]


def _by(by: By) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [part.strip() for part in by.split(",") if part.strip()]
    return list(by)


def _filters(filters: dict) -> dict[str, list[str]]:
    out = {}
    for column, value in filters.items():
        if value is None:
            continue
        values = [value] if isinstance(value, str) else list(value)
        out[column] = [str(v) for v in values]
    return out


def _query(register: Register, by: By, totals: bool, age_bands: AgeBands, extracted_on, filters: dict) -> dict:
    if not isinstance(register, Register):
        raise TypeError(f"expected a staffcast.Register, got {type(register).__name__}")
    bands = age_bands if age_bands is None or isinstance(age_bands, str) else [int(e) for e in age_bands]
    return dict(by=_by(by), filters=_filters(filters), totals=bool(totals), age_bands=bands,
                extracted_on=_iso(extracted_on))


Compare = Optional[str]


def _with_compare(name: str, call, dates: dict, compare: Compare, **meta) -> pd.DataFrame:
    """Runs `call(**dates)`; with compare="previous-year" also on the dates one year
    earlier (29 February -> 28 February) and joins them (<col>_prev, _diff, _pct).
    An earlier period outside the register's history gives empty _prev columns and
    says so in ``attrs["staffcast"]["previous"]``."""
    now = call(**dates)
    if compare is None:
        return to_frame(now, name, **dates, **meta)
    if compare != "previous-year":
        raise ValueError(f"compare must be None or 'previous-year', got {compare!r}")
    earlier = {key: _core.one_year_earlier(day) for key, day in dates.items()}
    note = f"compared with {', '.join(earlier.values())}"
    try:
        before = call(**earlier)
    except _core.UnavailableError as error:
        note = f"the same period a year earlier is unavailable: {error}"
        before = {"keys": now["keys"], "suppressed": None,
                  "values": [(c, k, v * float("nan")) for c, k, v in now["values"]]}
    frame = to_frame(_core.with_previous(now, before), name, **dates, previous=note, **meta)
    return frame


def snapshot(register: Register, as_of: DateLike, by: By = None, *, totals: bool = False,
             age_bands: AgeBands = None, extracted_on: Optional[DateLike] = None, compare: Compare = None,
             **filters) -> pd.DataFrame:
    """Headcount, fte and mean age on ``as_of``.

    A person counts once, in the group of their main spell (largest fte, then
    earliest start, latest end, smallest form/department/position); ``fte``
    sums every spell, each in its own group; ``mean_age`` is the mean of
    completed years. Columns: ``<by>, headcount, fte, mean_age``; with
    ``compare="previous-year"`` each value also gets ``_prev`` (the same day a
    year earlier), ``_diff`` and ``_pct`` (change as a fraction of before).

    Example:
        >>> sc.snapshot(reg, "2024-09-30", by=["employment_form", "gender"], totals=True)
    """
    q = _query(register, by, totals, age_bands, extracted_on, filters)
    return _with_compare("snapshot", lambda as_of: _core.snapshot(register._core, as_of, **q), {"as_of": _iso(as_of)},
                         compare, **q)


def top_positions(register: Register, as_of: DateLike, n: int = 10, **filters) -> pd.DataFrame:
    """The ``n`` most common positions by headcount on ``as_of`` (ties by name).

    Example:
        >>> sc.top_positions(reg, "2024-09-30", n=10, employment_form="permanent")
    """
    frame = snapshot(register, as_of, by=["position"], **filters)
    frame = frame.sort_values(["headcount", "position"], ascending=[False, True], kind="stable").head(n)
    frame = frame.reset_index(drop=True)
    frame.attrs["staffcast"] = {**frame.attrs["staffcast"], "table": "top_positions", "n": n}
    return frame


def full_time(register: Register, as_of: DateLike, by: By = None, *, totals: bool = False,
              age_bands: AgeBands = None, extracted_on: Optional[DateLike] = None, compare: Compare = None,
              **filters) -> pd.DataFrame:
    """Full-time share on ``as_of``: persons whose summed fte is at least 1.00.

    Only persons with an fte count (hourly-only staff are left out). Columns:
    ``<by>, persons, full_time, part_time, full_time_share``.

    Example:
        >>> sc.full_time(reg, "2024-09-30", by=["gender", "age_band"])
    """
    q = _query(register, by, totals, age_bands, extracted_on, filters)
    return _with_compare("full_time", lambda as_of: _core.full_time(register._core, as_of, **q),
                         {"as_of": _iso(as_of)}, compare, row_total="persons", **q)


def _period(name: str, function, register: Register, start, end, by, totals, age_bands, extracted_on, filters,
            row_total: Optional[str] = None, compare: Compare = None):
    q = _query(register, by, totals, age_bands, extracted_on, filters)
    return _with_compare(name, lambda start, end: function(register._core, start, end, **q),
                         {"start": _iso(start), "end": _iso(end)}, compare, row_total=row_total, **q)


def flows(register: Register, start: DateLike, end: DateLike, by: By = None, *, totals: bool = False,
          age_bands: AgeBands = None, extracted_on: Optional[DateLike] = None, compare: Compare = None,
          **filters) -> pd.DataFrame:
    """Departures, recruitments and internal moves dated in [start, end].

    Moves (an ``internal_move`` end and the person's next spell within 31 days)
    and continuations (renewals) are never departures or recruitments; under a
    filter, a continuation whose other half lies outside counts for the
    filtered population. Columns: ``<by>, departures, recruitments, moves_out,
    moves_in``.

    Example:
        >>> sc.flows(reg, "2024-01-01", "2024-09-30", employment_form="permanent")
    """
    return _period("flows", _core.flows, register, start, end, by, totals, age_bands, extracted_on, filters,
                   compare=compare)


def departures(register: Register, start: DateLike, end: DateLike, by: By = None, *, totals: bool = False,
               age_bands: AgeBands = None, extracted_on: Optional[DateLike] = None, compare: Compare = None,
               **filters) -> pd.DataFrame:
    """Departures in [start, end] by end reason: one column per reason, then ``departures``.

    ``other_administration`` are those who left for another administration of
    the same employer; internal moves are not departures (see :func:`flows`).

    Example:
        >>> sc.departures(reg, "2024-01-01", "2024-09-30", employment_form="permanent")
    """
    return _period("departures", _core.departures_by_reason, register, start, end, by, totals, age_bands,
                   extracted_on, filters, row_total="departures", compare=compare)


def recruitments(register: Register, start: DateLike, end: DateLike, by: By = None, *, totals: bool = False,
                 age_bands: AgeBands = None, extracted_on: Optional[DateLike] = None, compare: Compare = None,
                 **filters) -> pd.DataFrame:
    """Recruitments in [start, end] by path: internal, other_administration,
    external (an empty source counts as external), rehire, then ``recruitments``.

    Example:
        >>> sc.recruitments(reg, "2024-01-01", "2024-09-30", employment_form="permanent")
    """
    return _period("recruitments", _core.recruitments_by_source, register, start, end, by, totals, age_bands,
                   extracted_on, filters, row_total="recruitments", compare=compare)


def average_headcount(register: Register, start: DateLike, end: DateLike, by: By = None, *,
                      totals: bool = False, age_bands: AgeBands = None, extracted_on: Optional[DateLike] = None,
                      compare: Compare = None, **filters) -> pd.DataFrame:
    """The mean over every day of [start, end] of the headcount on that day.

    Example:
        >>> sc.average_headcount(reg, "2023-10-01", "2024-09-30")
    """
    return _period("average_headcount", _core.average_headcount, register, start, end, by, totals, age_bands,
                   extracted_on, filters, compare=compare)


def turnover(register: Register, start: DateLike, end: DateLike, by: By = None, definition: str = "municipal",
             annualise: bool = False, *, exclude_reasons: Iterable[str] = (), scope: str = "administration",
             totals: bool = False, age_bands: AgeBands = None, extracted_on: Optional[DateLike] = None,
             compare: Compare = None, **filters) -> pd.DataFrame:
    """Turnover (personalomsättning) over [start, end].

    Definitions (the numerator; the denominator is always the exact daily
    average headcount):

    - ``"municipal"`` (default): (recruitments with source other than
      ``internal`` + departures) / 2;
    - ``"separation"``: departures;
    - ``"own_request"``: departures at the person's own request;
    - ``"min"`` (central government): min(recruitments with source other than
      ``internal``, departures).

    Moves and continuations never count. ``exclude_reasons`` removes end
    reasons from the departures, ``scope="employer"`` treats
    ``other_administration`` like a move, ``annualise=True`` scales a part-year
    period by 365.25 / its days. Columns: ``<by>, average_headcount,
    recruitments, departures, turnover``.

    Example:
        >>> sc.turnover(reg, "2024-01-01", "2024-09-30", by="age_band", employment_form="permanent")
    """
    q = _query(register, by, totals, age_bands, extracted_on, filters)

    def call(start: str, end: str) -> dict:
        return _core.turnover(register._core, start, end, definition=definition,
                              exclude_reasons=list(exclude_reasons), scope=scope, annualise=bool(annualise), **q)

    return _with_compare("turnover", call, {"start": _iso(start), "end": _iso(end)}, compare, definition=definition,
                         annualise=bool(annualise), **q)


def sick_leave(register: Register, sick_leave: SickLeave, start: DateLike, end: DateLike, by: By = None, *,
               totals: bool = False, age_bands: AgeBands = None, extracted_on: Optional[DateLike] = None,
               min_group: int = 10, suppress: bool = True, compare: Compare = None, **filters) -> pd.DataFrame:
    """Sick leave as a share of working time over [start, end], calendar-day basis.

    ``sick_rate`` = Σ(sick days × extent × fte) / Σ(employed days × fte);
    ``short_term_rate`` counts days 1–14 of each absence, ``from_day_60_rate``
    days 60 and later, ``long_term_share`` the share of sick time in absences
    of 60 days or more. Groups of ``min_group`` (10) employees or fewer, and
    groups whose sick leave is one person's, are blanked and named in
    ``suppressed`` (``suppress=False`` turns this off for internal analysis;
    never publish such figures). Columns: ``<by>, persons, fte_days, sick_rate,
    short_term_rate, from_day_60_rate, long_term_share, suppressed``.

    Example:
        >>> sc.sick_leave(reg, sick, "2023-10-01", "2024-09-30", by=["gender", "age_band"],
        ...               age_bands="statutory")
    """
    if not isinstance(sick_leave, SickLeave):
        raise TypeError(f"expected a staffcast.SickLeave, got {type(sick_leave).__name__}")
    q = _query(register, by, totals, age_bands, extracted_on, filters)

    def call(start: str, end: str) -> dict:
        return _core.sick_leave_rates(register._core, sick_leave._core, start, end, min_group=min_group,
                                      suppress=bool(suppress), **q)

    frame = _with_compare("sick_leave", call, {"start": _iso(start), "end": _iso(end)}, compare, **q)
    if compare is not None:  # the core always names the blanked columns ("" for none); joins may leave gaps
        frame["suppressed"] = frame["suppressed"].fillna("")
    return frame


def indicator_followup(indicators: Indicators, compare: Compare = None) -> pd.DataFrame:
    """Latest value of every indicator against its target and trend.

    Columns: ``indicator, unit_of_analysis, period, value, target, previous,
    change, target_missed, trend_wrong``; with ``compare="previous-year"``
    also ``value_prev, value_diff, value_pct`` (the same period a year earlier).

    Example:
        >>> sc.indicator_followup(sc.read_indicators("examples/data/indicators.csv"))
    """
    if not isinstance(indicators, Indicators):
        raise TypeError(f"expected a staffcast.Indicators, got {type(indicators).__name__}")
    if compare not in (None, "previous-year"):
        raise ValueError(f"compare must be None or 'previous-year', got {compare!r}")
    return to_frame(_core.indicator_followup(indicators._core, previous_year=compare is not None),
                    "indicator_followup")


def _years(as_of: DateLike, years: Union[int, str, Sequence[int]]) -> list[int]:
    """The years of an outlook: a count N, a text "N" or "Y1-Yn" (the C++ plan rule), or a list."""
    if isinstance(years, int):
        return _core.outlook_years(_iso(as_of), int(years))
    if isinstance(years, str):
        return _core.outlook_years(_iso(as_of), years)
    return [int(y) for y in years]


def retirement_outlook(register: Register, as_of: DateLike, years: Union[int, str, Sequence[int]] = 3,
                       age: int = 65, by: By = None, *, totals: bool = False, age_bands: AgeBands = None,
                       extracted_on: Optional[DateLike] = None, **filters) -> pd.DataFrame:
    """Who reaches ``age`` in each of the coming years, over persons employed on ``as_of``.

    ``years`` is a count N (the N calendar years after the as-of year), a range
    ``"2025-2027"`` or a list. ``already_past`` = the birthday before 1 January
    of the first year. Columns: ``<by>, already_past, <Y1>, …, <Yn>, total``.

    Example:
        >>> sc.retirement_outlook(reg, "2024-09-30", years="2025-2027", by="department",
        ...                       employment_form="permanent", totals=True)
    """
    q = _query(register, by, totals, age_bands, extracted_on, filters)
    year_list = _years(as_of, years)
    table = _core.retirement_outlook(register._core, _iso(as_of), year_list, int(age), **q)
    return to_frame(table, "retirement_outlook", as_of=_iso(as_of), years=year_list, age=int(age),
                    row_total="total", **q)


Probabilities = Union[None, str, Sequence[float], dict]


def retirement_probabilities(register: Register, start: Optional[DateLike] = None, end: Optional[DateLike] = None,
                             age: int = 65, upper: int = 69, *, extracted_on: Optional[DateLike] = None,
                             **filters) -> pd.DataFrame:
    """Yearly retirement probabilities by attained age, estimated from the register.

    For x = age..upper−1: m_x = retirement departures / person-years at attained
    age x (calendar year − birth year) over [start, end] (default: the five
    years up to the register's extraction date), q_x = 1 − exp(−m_x); q at
    ``upper`` is 1. Columns: ``age, retirements, person_years, rate, probability``.

    Example:
        >>> sc.retirement_probabilities(reg, age=65, upper=69, employment_form="permanent")
    """
    end_day = _core.plan_day(register._core, _iso(end))
    start_day = _iso(start) if start is not None else _core.retirement_estimate_window(register._core, end_day)[0]
    q = _core.retirement_probabilities(register._core, start_day, end_day, int(age), int(upper),
                                       filters=_filters(filters), extracted_on=_iso(extracted_on))
    ages = list(range(q["from_age"], q["from_age"] + len(q["q"])))
    py = pd.Series(q["person_years"], dtype="float64")
    events = pd.Series(q["retirements"], dtype="float64")
    frame = pd.DataFrame({"age": ages, "retirements": events.astype("int64"), "person_years": py,
                          "rate": (events / py).where(py > 0), "probability": q["q"]})
    frame.attrs["staffcast"] = {"table": "retirement_probabilities", "start": start_day, "end": end_day,
                                "kinds": {"age": "key", "retirements": "count", "person_years": "fte",
                                          "rate": "rate", "probability": "rate"}}
    return frame


def _probabilities(register: Register, as_of: str, age: int, upper: int, probabilities: Probabilities,
                   filters: dict, extracted_on: Optional[str] = None) -> tuple[int, list[float]]:
    if probabilities is None or (isinstance(probabilities, str) and probabilities == "estimate"):
        start, end = _core.retirement_estimate_window(register._core, as_of)
        # the extraction date in force: the one given, else the register's (C++ plan rule)
        extracted_on = _core.plan_extraction_date(register._core, extracted_on)
        table = retirement_probabilities(register, start, end, age=age, upper=upper, extracted_on=extracted_on,
                                         **filters)
        return age, table["probability"].tolist()
    if isinstance(probabilities, str):
        if probabilities == "at_age":
            return age, [1.0]
        raise ValueError("probabilities must be 'estimate', 'at_age', a list from `age` on, or {age: q}")
    if isinstance(probabilities, dict):
        ages = sorted(int(a) for a in probabilities)
        if ages != list(range(ages[0], ages[-1] + 1)):
            raise ValueError("probabilities must cover consecutive ages")
        return ages[0], [float(probabilities[a]) for a in ages]
    return age, [float(p) for p in probabilities]


def expected_retirements(register: Register, as_of: DateLike, years: Union[int, str, Sequence[int]] = 3,
                         age: int = 65, upper: int = 69, probabilities: Probabilities = "estimate",
                         by: By = None, *, totals: bool = False, age_bands: AgeBands = None,
                         extracted_on: Optional[DateLike] = None, **filters) -> pd.DataFrame:
    """The probabilistic retirement outlook: retirement as a probability over ages ``age``..``upper``.

    Each person employed on ``as_of`` retires in year Y with probability q at
    their attained age in Y (unless retired earlier in the outlook); anyone past
    ``upper`` leaves in the first year. ``probabilities`` is ``"estimate"``
    (from the register's own retirements, see :func:`retirement_probabilities`),
    ``"at_age"`` (everyone retires at ``age``: then ``expected`` equals the
    deterministic outlook), a list of q from ``age`` on, or ``{age: q}``.
    Columns: ``<by>, year, already_past, expected, from_already_past,
    share_leaving, total_expected, p5, p95`` (p5/p95: exact quantiles of the
    Poisson-binomial count of the year's retirements).

    Example:
        >>> sc.expected_retirements(reg, "2024-09-30", years=5, by="department", employment_form="permanent")
    """
    q = _query(register, by, totals, age_bands, extracted_on, filters)
    year_list = _years(as_of, years)
    from_age, qs = _probabilities(register, _iso(as_of), int(age), int(upper), probabilities, filters,
                                  _iso(extracted_on))
    table = _core.probabilistic_retirement_outlook(register._core, _iso(as_of), year_list, from_age, qs, **q)
    return to_frame(table, "expected_retirements", as_of=_iso(as_of), years=year_list, age=from_age,
                    probabilities=qs, **q)


def recruitment_need(register: Register, as_of: DateLike, years: Union[int, str, Sequence[int]] = 3,
                     age: int = 65, upper: int = 69, probabilities: Probabilities = "estimate", by: By = None, *,
                     retirement_age_shift: int = 0, turnover_factor: float = 1.0, growth: float = 0.0,
                     rates_window: Optional[tuple] = None, totals: bool = False, age_bands: AgeBands = None,
                     extracted_on: Optional[DateLike] = None, **filters) -> pd.DataFrame:
    """How many must be recruited each year to hold (or grow) today's staff.

    Per group and year: ``start`` (the target stock), ``retirements``
    (expected, see :func:`expected_retirements`), ``other_departures`` (the
    group's separation rate without retirements over ``rates_window``, by
    default the 12 months up to ``as_of``, times the stock and
    ``turnover_factor``), ``growth`` (``growth`` per year of the stock;
    negative for planned cuts), ``recruitment_need`` (the sum, at least 0) and
    ``end``. Scenarios: ``probabilities="at_age"`` (everyone retires at
    ``age``), ``retirement_age_shift=2`` (two years later),
    ``turnover_factor=0.8`` (turnover −20%), ``growth=0.055``.

    Example:
        >>> sc.recruitment_need(reg, "2024-09-30", years=10, by="department", employment_form="permanent",
        ...                     growth=0.01, totals=True)
    """
    q = _query(register, by, totals, age_bands, extracted_on, filters)
    as_of_day = _iso(as_of)
    year_list = _years(as_of, years)
    from_age, qs = _probabilities(register, as_of_day, int(age), int(upper), probabilities, filters,
                                  _iso(extracted_on))
    if rates_window is None:
        rates_start, rates_end = _core.rates_window(register._core, as_of_day)
    else:
        rates_start, rates_end = _iso(rates_window[0]), _iso(rates_window[1])
    table = _core.recruitment_need(register._core, as_of_day, year_list, from_age, qs, int(retirement_age_shift),
                                   float(turnover_factor), float(growth), rates_start, rates_end, **q)
    return to_frame(table, "recruitment_need", as_of=as_of_day, years=year_list, probabilities=qs,
                    retirement_age_shift=retirement_age_shift, turnover_factor=turnover_factor, growth=growth, **q)


def periods(start: DateLike, end: DateLike, freq: str = "year") -> list[tuple[str, str]]:
    """Consecutive periods covering [start, end]: ``"year"`` (calendar years, clipped to
    the range), ``"tertial"``, ``"month"``, or ``"rolling12"`` (the 12 months ending at
    each month end from ``start`` on, e.g. 2023-10-01..2024-09-30).

    Example:
        >>> sc.statistics.periods("2020-01-01", "2024-09-30", "year")[-1]
        ('2024-01-01', '2024-09-30')
    """
    return [tuple(period) for period in _core.split_periods(_iso(start), _iso(end), freq)]


def periodic(statistic, register: Register, start: DateLike, end: DateLike, freq: str = "year",
             *args, **kwargs) -> pd.DataFrame:
    """A period statistic (flows, turnover, sick_leave, ...) over consecutive periods,
    as one long frame with ``period_start`` and ``period_end`` first.

    Example:
        >>> sc.periodic(sc.turnover, reg, "2020-01-01", "2024-09-30", "year", employment_form="permanent")
        >>> sc.periodic(sc.sick_leave, reg, "2023-01-01", "2024-09-30", "rolling12", sick)
    """
    frames = []
    for begin, stop in periods(start, end, freq):
        if statistic is sick_leave:
            frame = statistic(register, args[0], begin, stop, *args[1:], **kwargs)
        else:
            frame = statistic(register, begin, stop, *args, **kwargs)
        frame.insert(0, "period_end", stop)
        frame.insert(0, "period_start", begin)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    meta = dict(frames[0].attrs.get("staffcast", {})) if frames else {}
    kinds = dict(meta.get("kinds", {}))
    kinds.update({"period_start": "key", "period_end": "key"})
    meta.update({"kinds": kinds, "freq": freq})
    out.attrs["staffcast"] = meta
    return out


def against_targets(frame: pd.DataFrame, targets: dict, better: str = "lower") -> pd.DataFrame:
    """Adds ``<col>_target`` and ``<col>_missed`` for each ``{column: target}``
    (``better="lower"``: missed when the value is above the target, as for sick leave).

    Example:
        >>> sc.against_targets(sc.sick_leave(reg, sick, "2023-10-01", "2024-09-30"), {"sick_rate": 0.06, "short_term_rate": 0.02})
    """
    if better not in ("lower", "higher"):
        raise ValueError("better must be 'lower' or 'higher'")
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    meta = dict(out.attrs.get("staffcast", {}))
    kinds = dict(meta.get("kinds", {}))
    for column, target in targets.items():
        if column not in out.columns:
            raise ValueError(f"no column {column!r} in the table")
        values = pd.to_numeric(out[column], errors="coerce")
        out[f"{column}_target"] = float(target)
        missed = values > target if better == "lower" else values < target
        out[f"{column}_missed"] = missed.where(values.notna(), False).astype(bool)
        kinds[f"{column}_target"] = kinds.get(column, "rate")
        kinds[f"{column}_missed"] = "flag"
    meta["kinds"] = kinds
    out.attrs["staffcast"] = meta
    return out
