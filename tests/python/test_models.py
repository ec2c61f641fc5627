"""Cohort engine I: exit rates, Kaplan–Meier tenure curves and the transition model.

Answers are worked out by hand in the comments, taken from published tables, or
checked against independent implementations (scipy's chi-square quantiles,
lifelines' Kaplan–Meier fitter).
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import staffcast as sc

from conftest import SAMPLE, run_cli

# 2024 is a leap year (366 days); extraction 2024-12-31; Z's end in 2005 opens the observed history.
# P1: D1 from 2020-01-01, own request 2024-06-30 (182 days of 2024).
# P2: D1 from 2024-01-01, ongoing (366 days).
# P3: D2 from 2015-03-01, internal move 2024-03-31 -> D1 2024-04-01, ongoing (91 days in D2, 275 in D1).
# P4: temporary in D2 2024-01-01 .. 2024-06-30, fixed term ended (182 days).
SMALL = (
    "P1,1980-01-01,F,permanent,S,D1,1.00,2020-01-01,2024-06-30,own_request,,\n"
    "P2,1990-07-01,M,permanent,S,D1,1.00,2024-01-01,,,external,\n"
    "P3,1970-05-05,F,permanent,S,D2,1.00,2015-03-01,2024-03-31,internal_move,,\n"
    "P3,1970-05-05,F,permanent,S,D1,1.00,2024-04-01,,,internal,\n"
    "P4,2000-02-02,M,temporary,S,D2,1.00,2024-01-01,2024-06-30,fixed_term_ended,external,\n"
    "Z,1950-01-01,M,permanent,Old,Old,1.00,2000-01-01,2005-12-31,own_request,,\n"
)
MONTH = 30.4375


@pytest.fixture
def small(write_register):
    return sc.read_register(write_register(SMALL), extracted_on="2024-12-31")


@pytest.fixture(scope="module")
def sample():
    return sc.read_register(SAMPLE / "employments.csv")


def garwood(k: float, t: float, level: float = 0.95) -> tuple[float, float]:
    """The oracle: scipy's chi-square quantiles in the textbook formula."""
    chi2 = pytest.importorskip("scipy.stats").chi2

    alpha = 1 - level
    lower = 0.0 if k == 0 else chi2.ppf(alpha / 2, 2 * k) / (2 * t)
    return lower, chi2.ppf(1 - alpha / 2, 2 * k + 2) / (2 * t)


# ---------------------------------------------------------------- Garwood intervals and exit rates


def test_garwood_known_values():
    # k = 0, T = 1: upper = χ²(0.975; 2)/2 = −ln 0.025 = 3.688879; k = 1: [−ln 0.975, 5.571643];
    # k = 10: [4.795389, 18.390356] (tables of exact Poisson limits).
    lower, upper = sc.poisson_rate_interval(0, 1.0)
    assert lower == 0.0 and upper == pytest.approx(-math.log(0.025), rel=1e-13)
    assert upper == pytest.approx(3.688879, abs=1e-6)
    assert sc.poisson_rate_interval(1, 1.0) == pytest.approx((-math.log(0.975), 5.571643), abs=1e-6)
    assert sc.poisson_rate_interval(10, 1.0) == pytest.approx((4.795389, 18.390356), abs=1e-6)
    assert sc.poisson_rate_interval(10, 2.0) == pytest.approx((4.795389 / 2, 18.390356 / 2), abs=1e-6)
    assert all(math.isnan(x) for x in sc.poisson_rate_interval(3, 0.0))
    with pytest.raises(ValueError):
        sc.poisson_rate_interval(-1, 1.0)
    with pytest.raises(ValueError):
        sc.poisson_rate_interval(1, 1.0, conf_level=1.5)


@pytest.mark.parametrize("k", [0, 1, 2, 5, 10, 37, 250])
@pytest.mark.parametrize("t,level", [(1.0, 0.95), (12.5, 0.90), (0.3, 0.99)])
def test_garwood_equals_the_chi_square_formula(k, t, level):
    assert sc.poisson_rate_interval(k, t, level) == pytest.approx(garwood(k, t, level), rel=1e-10, abs=1e-300)


def test_exit_rates_by_hand(small):
    frame = sc.exit_rates(small, "2024-01-01", "2024-12-31")
    assert frame.columns.tolist() == ["events", "person_years", "rate", "lower", "upper"]
    # Departures P1 and P4 (P3's move is not one) over 182 + 366 + 366 + 182 = 1096 person-days.
    row = frame.iloc[0]
    assert row["events"] == 2
    assert row["person_years"] == pytest.approx(1096 / 365.25, rel=1e-13)
    assert row["rate"] == pytest.approx(2 / (1096 / 365.25), rel=1e-13)
    assert (row["lower"], row["upper"]) == pytest.approx(garwood(2, 1096 / 365.25), rel=1e-10)

    # D1: P1 182 + P2 366 + P3 275 = 823 days, 1 event (P1); D2: P3 91 + P4 182 = 273 days, 1 event (P4).
    dep = sc.exit_rates(small, "2024-01-01", "2024-12-31", by="department", totals=True)
    assert dep["department"].tolist() == ["D1", "D2", "Total"]
    assert dep["events"].tolist() == [1, 1, 2]
    assert dep["person_years"].to_numpy() * 365.25 == pytest.approx([823, 273, 1096], rel=1e-13)
    assert dep["upper"].iloc[0] == pytest.approx(garwood(1, 823 / 365.25)[1], rel=1e-10)

    # By reason: the reasons that occur, each with the department's whole exposure.
    reasons = sc.exit_rates(small, "2024-01-01", "2024-12-31", by="department", by_reason=True)
    assert reasons.columns.tolist()[:2] == ["department", "end_reason"]
    assert reasons[["department", "end_reason", "events"]].values.tolist() == [
        ["D1", "fixed_term_ended", 0], ["D1", "own_request", 1], ["D2", "fixed_term_ended", 1],
        ["D2", "own_request", 0]]
    assert reasons["lower"].iloc[0] == 0.0
    assert reasons["upper"].iloc[0] == pytest.approx(garwood(0, 823 / 365.25)[1], rel=1e-10)

    # Internal moves out instead of departures: P3 out of D2.
    moves = sc.exit_rates(small, "2024-01-01", "2024-12-31", by="department", events="moves")
    assert moves["events"].tolist() == [0, 1]
    # Filters apply to spells: permanent staff only (P4 out): 1 event over 914 days.
    perm = sc.exit_rates(small, "2024-01-01", "2024-12-31", employment_form="permanent")
    assert perm["events"].tolist() == [1]
    assert perm["person_years"].iloc[0] * 365.25 == pytest.approx(914)
    with pytest.raises(ValueError, match="after the extraction date"):
        sc.exit_rates(small, "2024-01-01", "2025-03-31")
    with pytest.raises(ValueError):
        sc.exit_rates(small, "2024-01-01", "2024-12-31", events="arrivals")


def test_exit_rates_agree_with_flows_and_average_headcount(sample):
    # The same departures as sc.flows, and the exposure of sc.average_headcount (person-days / days).
    start, end, days = "2023-10-01", "2024-09-30", 366
    for by in (None, "department", ["gender", "age_band"]):
        rates = sc.exit_rates(sample, start, end, by=by, employment_form="permanent")
        flows = sc.flows(sample, start, end, by=by, employment_form="permanent")
        average = sc.average_headcount(sample, start, end, by=by, employment_form="permanent")
        keys = [c for c in rates.columns if c not in ("events", "person_years", "rate", "lower", "upper")]
        merged = rates.merge(flows, on=keys, how="outer").merge(average, on=keys, how="outer") if keys else \
            pd.concat([rates, flows, average], axis=1)
        # (sc.flows has no row for a group without any flow.)
        assert (merged["events"] == merged["departures"].fillna(0)).all()
        assert merged["person_years"].to_numpy() * 365.25 == pytest.approx(
            merged["average_headcount"].to_numpy() * days, rel=1e-12)
    # By reason, the cause-specific rates add up to the total.
    both = sc.exit_rates(sample, start, end, by="department", by_reason=True)
    total = sc.exit_rates(sample, start, end, by="department")
    assert both.groupby("department")["events"].sum().tolist() == total["events"].tolist()
    assert both.groupby("department")["rate"].sum().to_numpy() == pytest.approx(total["rate"].to_numpy())


# ---------------------------------------------------------------- Kaplan–Meier


def test_kaplan_meier_by_hand():
    # durations 1 2 2 3 4 5 5 6, events 1 1 0 1 0 1 1 0.
    # t=1: n=8, d=1, S=7/8.  t=2: n=7 (the one censored at 2 is still at risk), S=3/4.
    # t=3: n=5, S=3/5.  t=5: n=3, d=2, S=1/5.  Greenwood σ² at 3 = 1/56 + 1/42 + 1/20 = 11/120.
    km = sc.kaplan_meier([1, 2, 2, 3, 4, 5, 5, 6], [1, 1, 0, 1, 0, 1, 1, 0])
    assert km.columns.tolist() == ["group", "time", "at_risk", "events", "survival", "lower", "upper"]
    assert km["group"].tolist() == ["all"] * 4
    assert km["time"].tolist() == [1, 2, 3, 5]
    assert km["at_risk"].tolist() == [8, 7, 5, 3]
    assert km["events"].tolist() == [1, 1, 1, 2]
    assert km["survival"].to_numpy() == pytest.approx([7 / 8, 3 / 4, 3 / 5, 1 / 5], rel=1e-14)
    z, sigma = 1.959963984540054, math.sqrt(11 / 120)
    assert km["lower"].iloc[2] == pytest.approx(0.6 * math.exp(-z * sigma), rel=1e-12)
    assert km["upper"].iloc[2] == pytest.approx(min(1.0, 0.6 * math.exp(z * sigma)), rel=1e-12)
    assert km.attrs["staffcast"]["medians"]["all"]["median"] == 5.0  # the first time S <= 0.5
    plain = sc.kaplan_meier([1, 2, 2, 3, 4, 5, 5, 6], [1, 1, 0, 1, 0, 1, 1, 0], ci="plain")
    assert plain["lower"].iloc[2] == pytest.approx(0.6 * (1 - z * sigma), rel=1e-12)


def test_kaplan_meier_late_entry_by_hand():
    # (entry, exit, event): (0,2,1) (0,3,0) (1.5,4,1) (2.5,4,1) (0,5,0) (3,6,1).
    # t=2: at risk entry < 2 <= exit: the 1st, 2nd, 3rd, 5th -> n=4, S = 3/4.
    # t=4: the 3rd, 4th, 5th, 6th -> n=4, d=2, S = 3/8.  t=6: the 6th alone -> S = 0, no interval.
    km = sc.kaplan_meier([2, 3, 4, 4, 5, 6], [1, 0, 1, 1, 0, 1], entry=[0, 0, 1.5, 2.5, 0, 3])
    assert km["at_risk"].tolist() == [4, 4, 1]
    assert km["survival"].tolist() == pytest.approx([3 / 4, 3 / 8, 0.0])
    assert math.isnan(km["lower"].iloc[2]) and math.isnan(km["upper"].iloc[2])
    with pytest.raises(ValueError, match="entry"):
        sc.kaplan_meier([2, 3], [1, 1], entry=[2, 0])


def test_kaplan_meier_published_leukemia_data():
    # Freireich et al. (1963), 6-MP group (21 patients, weeks of remission; * = censored), the classic
    # textbook table (e.g. Kleinbaum & Klein, Survival Analysis, ch. 2): S = .857 .807 .753 .690 .627 .538 .448
    # at 6 7 10 13 16 22 23, at risk 21 17 15 12 11 7 6, median 23.
    weeks = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
    relapse = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    km = sc.kaplan_meier(weeks, relapse)
    assert km["time"].tolist() == [6, 7, 10, 13, 16, 22, 23]
    assert km["at_risk"].tolist() == [21, 17, 15, 12, 11, 7, 6]
    assert km["survival"].round(3).tolist() == [0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448]
    exact = np.cumprod([18 / 21, 16 / 17, 14 / 15, 11 / 12, 10 / 11, 6 / 7, 5 / 6])
    assert km["survival"].to_numpy() == pytest.approx(exact, rel=1e-14)
    # Greenwood at week 6: 3 / (21 · 18); log interval S·exp(±zσ), upper capped at 1.
    sigma = math.sqrt(3 / (21 * 18))
    assert km["lower"].iloc[0] == pytest.approx(18 / 21 * math.exp(-1.959963984540054 * sigma), rel=1e-12)
    assert km["upper"].iloc[0] == 1.0
    med = sc.kaplan_meier_median(weeks, relapse)
    assert med.columns.tolist() == ["group", "observations", "events", "median", "lower", "upper"]
    assert med[["observations", "events", "median"]].values.tolist() == [[21, 9, 23]]


def test_kaplan_meier_median_rules():
    # survfit: the first time S <= 0.5; on an exact flat at 0.5 the midpoint to the next drop, or to the last
    # observed time when the flat reaches the end; NaN when S stays above 0.5.
    assert sc.kaplan_meier_median([1, 2, 3, 5], [1, 1, 0, 1])["median"].tolist() == [3.5]
    assert sc.kaplan_meier_median([1, 2, 3, 7], [1, 1, 0, 0])["median"].tolist() == [4.5]
    assert math.isnan(sc.kaplan_meier_median([1, 2, 3], [1, 0, 0])["median"].iloc[0])


def _lifelines_check(km: pd.DataFrame, durations, events, entry=None) -> None:
    from lifelines import KaplanMeierFitter

    fit = KaplanMeierFitter().fit(durations, events, entry=entry, alpha=0.05)
    times = km["time"].to_numpy()
    survival = fit.survival_function_.iloc[:, 0].loc[times].to_numpy()
    np.testing.assert_allclose(km["survival"].to_numpy(), survival, rtol=1e-12, atol=1e-15)
    table = fit.event_table.loc[times]
    assert km["at_risk"].tolist() == table["at_risk"].astype(int).tolist()
    assert km["events"].tolist() == table["observed"].astype(int).tolist()
    lower = fit.confidence_interval_.filter(like="lower").iloc[:, 0].loc[times].to_numpy()
    upper = fit.confidence_interval_.filter(like="upper").iloc[:, 0].loc[times].to_numpy()
    positive = km["survival"].to_numpy() > 0
    np.testing.assert_allclose(km["lower"].to_numpy()[positive], lower[positive], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(km["upper"].to_numpy()[positive], upper[positive], rtol=1e-9, atol=1e-12)
    if not np.any(np.abs(km["survival"].to_numpy() - 0.5) < 1e-8):  # lifelines has no midpoint rule
        assert km.attrs["staffcast"]["medians"][km["group"].iloc[0]]["median"] == fit.median_survival_time_


def test_kaplan_meier_equals_lifelines_by_group_with_ties():
    lifelines = pytest.importorskip("lifelines")
    data = lifelines.datasets.load_waltons()  # a published data set shipped with lifelines: two groups, ties
    km = sc.kaplan_meier(data["T"], data["E"], groups=data["group"], ci="log-log")
    assert sorted(km["group"].unique()) == ["control", "miR-137"]
    for group, curve in km.groupby("group", sort=True):
        part = data[data["group"] == group]
        _lifelines_check(curve.reset_index(drop=True), part["T"], part["E"])


def test_kaplan_meier_equals_lifelines_with_late_entry():
    pytest.importorskip("lifelines")
    rng = np.random.default_rng(20241124)
    n = 300
    durations = rng.integers(1, 40, n).astype(float)  # integer times: many ties
    events = rng.integers(0, 2, n)
    # Late entry at half-integers, never equal to an event time (lifelines counts an entry at t as at risk at
    # t, R and staffcast do not), always before the exit.
    late = rng.random(n) < 0.5
    entry = np.where(late, np.floor(rng.random(n) * durations) - 0.5, 0.0).clip(min=0.0)
    km = sc.kaplan_meier(durations, events, entry=entry, ci="log-log")
    _lifelines_check(km, durations, events, entry=entry)
    # Without late entry too.
    _lifelines_check(sc.kaplan_meier(durations, events, ci="log-log"), durations, events)


def test_kaplan_meier_input_checks():
    with pytest.raises(ValueError):
        sc.kaplan_meier([1, 2], [1, 2])
    with pytest.raises(ValueError):
        sc.kaplan_meier([1, 2], [1])
    with pytest.raises(ValueError):
        sc.kaplan_meier([1, -2], [1, 1])
    with pytest.raises(ValueError, match="ci"):
        sc.kaplan_meier([1, 2], [1, 1], ci="arcsine")
    km = sc.kaplan_meier([1, 2, 3], [1, 1, 1], groups=[2, 1, 2])  # group labels keep their type
    assert km["group"].tolist() == [1, 2, 2]


# ---------------------------------------------------------------- tenure curves from the register


def test_tenure_observations_and_curves_by_hand(small):
    obs = sc.tenure_observations(small, by="department", window=("2024-01-01", "2024-12-31"))
    assert obs.columns.tolist() == ["department", "entry", "duration", "event"]
    days = lambda a, b: (pd.Timestamp(b) - pd.Timestamp(a)).days  # noqa: E731
    # Group by the main spell on the entry day (P3 was in D2 on 2024-01-01).
    assert obs["department"].tolist() == ["D1", "D1", "D2", "D2"]
    expected_entry = [days("2020-01-01", "2024-01-01"), 0, days("2015-03-01", "2024-01-01"), 0]
    expected_exit = [days("2020-01-01", "2024-07-01"), 366, days("2015-03-01", "2025-01-01"), 182]
    assert obs["entry"].to_numpy() * MONTH == pytest.approx(expected_entry)
    assert obs["entry"].iloc[0] == pytest.approx(48.0)  # 1461 days
    assert obs["duration"].to_numpy() * MONTH == pytest.approx(expected_exit)
    assert obs["event"].tolist() == [1, 0, 0, 1]

    # Pooled: at P4's exit (182 days) only P2 and P4 are at risk, P1 and P3 entered at 48 and 106 months:
    # S = 1/2; at P1's exit P1 alone is at risk: S = 0. The median is the midpoint of the flat at 0.5.
    curves = sc.tenure_curves(small, window=("2024-01-01", "2024-12-31"))
    assert curves.columns.tolist() == ["group", "time", "at_risk", "events", "survival", "lower", "upper"]
    assert curves["at_risk"].tolist() == [2, 1] and curves["survival"].tolist() == [0.5, 0.0]
    medians = sc.tenure_medians(small, window=("2024-01-01", "2024-12-31"))
    assert medians["median"].iloc[0] == pytest.approx((182 + expected_exit[0]) / 2 / MONTH)
    # The same as Kaplan–Meier on the observations with late entry.
    km = sc.kaplan_meier(obs["duration"], obs["event"], entry=obs["entry"])
    assert km["survival"].tolist() == curves["survival"].tolist()


def test_tenure_curves_on_the_sample(sample):
    window = ("2019-10-01", "2024-09-30")
    curves = sc.tenure_curves(sample, by="department", window=window, totals=True, employment_form="permanent")
    obs = sc.tenure_observations(sample, by="department", window=window, employment_form="permanent")
    assert (obs["entry"] > 0).any()  # spells that began before the window enter late
    assert (obs["entry"] < obs["duration"]).all()
    for department, part in obs.groupby("department"):
        km = sc.kaplan_meier(part["duration"], part["event"], entry=part["entry"])
        mine = curves[curves["department"] == department]
        np.testing.assert_array_equal(mine["survival"].to_numpy(), km["survival"].to_numpy())
        np.testing.assert_array_equal(mine["at_risk"].to_numpy(), km["at_risk"].to_numpy())
    pooled = sc.kaplan_meier(obs["duration"], obs["event"], entry=obs["entry"])
    np.testing.assert_array_equal(curves[curves["department"] == "Total"]["survival"].to_numpy(),
                                  pooled["survival"].to_numpy())
    # Every event is the departure that ends an episode, so there are at most as many as sc.flows counts.
    everyone = sc.tenure_observations(sample, window=window)
    assert 0 < everyone["event"].sum() <= sc.flows(sample, *window)["departures"].iloc[0]


# ---------------------------------------------------------------- the transition model


def test_two_state_chain_by_hand():
    # P = [[0.6, 0.2], [0.1, 0.7]]: I − P = [[0.4, −0.2], [−0.1, 0.3]], det = 0.1, N = [[3, 2], [1, 4]].
    m = sc.TransitionModel(["junior", "senior"], [[0.6, 0.2], [0.1, 0.7]])
    n = m.fundamental_matrix()
    assert n.index.tolist() == n.columns.tolist() == ["junior", "senior"]
    np.testing.assert_allclose(n.to_numpy(), [[3, 2], [1, 4]], rtol=1e-12)
    assert m.expected_tenure("junior") == pytest.approx(5) and m.expected_tenure("senior") == pytest.approx(5)
    # Reaching senior from junior: 0.2 / (0.2 + 0.2 exit) = 1/2 = N_js / N_ss; junior from senior: 1/3.
    assert m.reach_probability("junior", "senior") == pytest.approx(0.5)
    assert m.reach_probability("senior", "junior") == pytest.approx(1 / 3)
    assert m.reach_probability("junior", "junior") == 1.0
    # Steady state for r = (10, 5): r·N = (35, 40).
    star = m.steady_state({"junior": 10, "senior": 5})
    assert star.index.tolist() == ["junior", "senior"] and star.tolist() == pytest.approx([35, 40])

    # One year from (100, 50): n·P = (65, 55); exits (20, 10); moves out (20, 5); moves in (5, 20).
    p = m.project([100, 50])
    assert p.columns.tolist() == ["year", "state", "start", "exits", "moves_out", "moves_in", "recruits", "end"]
    assert p[["year", "state"]].values.tolist() == [[1, "junior"], [1, "senior"]]
    np.testing.assert_allclose(p[["start", "exits", "moves_out", "moves_in", "recruits", "end"]].to_numpy(),
                               [[100, 20, 20, 5, 0, 65], [50, 10, 5, 20, 0, 55]], rtol=1e-12)
    # Holding the start stocks: r = max(0, (100, 50) − (65, 55)) = (35, 0); year 2 starts from (100, 55):
    # n·P = (65.5, 58.5) -> r = (34.5, 0).
    hold = m.project({"junior": 100, "senior": 50}, years=2, recruits="hold")
    assert hold["recruits"].tolist() == pytest.approx([35, 0, 34.5, 0])
    assert hold["end"].tolist() == pytest.approx([100, 55, 100, 58.5])
    target = m.project([100, 50], years=1, recruits="hold", target=[70, 70])
    assert target["recruits"].tolist() == pytest.approx([5, 15])
    fixed = m.project([100, 50], years=1, recruits={"senior": 4})
    assert fixed["recruits"].tolist() == [0, 4] and fixed["end"].tolist() == pytest.approx([65, 59])


def test_three_grade_hierarchy():
    # J -> S 0.1 and S -> T 0.05 promotions; stay 0.7, 0.8, 0.9. N is upper triangular:
    # N_JJ = 1/0.3, N_JS = 0.1/(0.3·0.2), N_JT = 0.1·0.05/(0.3·0.2·0.1) = 5/6; reaching T from J:
    # (0.1/0.3)·(0.05/0.2) = 1/12.
    m = sc.TransitionModel(["J", "S", "T"], [[0.7, 0.1, 0], [0, 0.8, 0.05], [0, 0, 0.9]])
    n = m.fundamental_matrix()
    assert n.loc["J", "T"] == pytest.approx(5 / 6) and n.loc["S", "T"] == pytest.approx(2.5)
    assert m.expected_tenure("J") == pytest.approx(1 / 0.3 + 0.1 / 0.06 + 5 / 6)
    assert m.reach_probability("J", "T") == pytest.approx(1 / 12)
    assert m.exit_probabilities.tolist() == pytest.approx([0.2, 0.15, 0.1])


def test_transition_model_errors():
    with pytest.raises(ValueError, match="sums to"):
        sc.TransitionModel(["a", "b"], [[0.9, 0.2], [0, 1]])
    with pytest.raises(ValueError, match="negative"):
        sc.TransitionModel(["a", "b"], [[0.5, -0.1], [0, 0.5]])
    with pytest.raises(ValueError, match="square"):
        sc.TransitionModel(["a", "b"], [[0.5, 0.1, 0], [0, 0.5, 0]])
    with pytest.raises(ValueError, match="states"):
        sc.TransitionModel(["a", "b", "c"], [[0.5, 0.1], [0, 0.5]])
    with pytest.raises(ValueError, match="twice"):
        sc.TransitionModel(["a", "a"], np.zeros((2, 2)))
    identity = sc.TransitionModel(["a", "b"], np.eye(2))
    assert not identity.transient
    for call in (identity.fundamental_matrix, lambda: identity.expected_tenure("a"),
                 lambda: identity.reach_probability("a", "b"), lambda: identity.steady_state([1, 1])):
        with pytest.raises(ValueError, match="singular"):
            call()
    # A closed class {b, c} makes I − P singular although a exits.
    closed = sc.TransitionModel(["a", "b", "c"], [[0.5, 0.2, 0], [0, 0, 1], [0, 1, 0]])
    with pytest.raises(ValueError, match="'b', 'c'"):
        closed.fundamental_matrix()
    sc.TransitionModel(["a"], [[1 + 1e-10]])  # within the 1e-9 tolerance
    with pytest.raises(ValueError):
        identity.project([1, -1])
    with pytest.raises(ValueError, match="unknown state"):
        identity.project({"c": 1})
    with pytest.raises(ValueError, match="unknown state"):
        sc.TransitionModel(["a", "b"], [[0.5, 0], [0, 0.5]]).expected_tenure("c")


def test_identity_leaves_stocks_unchanged():
    p = sc.TransitionModel(["a", "b", "c"], np.eye(3)).project([7, 0, 3.5], years=4)
    assert (p["end"] == p["start"]).all() and (p[["exits", "moves_out", "moves_in", "recruits"]] == 0).all().all()


def test_dataframe_p_is_aligned_to_the_states():
    frame = pd.DataFrame([[0.7, 0.1], [0.2, 0.6]], index=["b", "a"], columns=["b", "a"])
    m = sc.TransitionModel(["a", "b"], frame)
    assert m.P.loc["a", "b"] == 0.2 and m.P.loc["b", "a"] == 0.1 and m.P.loc["a", "a"] == 0.6


@st.composite
def chains(draw):
    n = draw(st.integers(1, 5))
    weights = np.array(draw(st.lists(st.lists(st.floats(0, 1), min_size=n, max_size=n), min_size=n, max_size=n)))
    keep = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))  # row sums, exit >= 0
    sums = weights.sum(axis=1, keepdims=True)
    p = np.where(sums > 0, weights / np.where(sums > 0, sums, 1) * keep[:, None], 0.0)
    stocks = np.array(draw(st.lists(st.floats(0, 1e4), min_size=n, max_size=n)))
    recruits = np.array(draw(st.lists(st.floats(0, 1e3), min_size=n, max_size=n)))
    return p, stocks, recruits


@settings(max_examples=60, deadline=None)
@given(chains(), st.sampled_from(["none", "fixed", "hold"]))
def test_projection_properties(chain, mode):
    p, stocks, recruits = chain
    states = [f"s{i}" for i in range(len(stocks))]
    m = sc.TransitionModel(states, p)
    years = 4
    frame = m.project(stocks, years=years, recruits={"none": None, "fixed": recruits, "hold": "hold"}[mode])
    assert len(frame) == years * len(states) and frame["year"].tolist() == np.repeat(range(1, years + 1),
                                                                                      len(states)).tolist()
    scale = 1 + stocks.sum() + years * recruits.sum()
    balance = frame["start"] - frame["exits"] - frame["moves_out"] + frame["moves_in"] + frame["recruits"]
    np.testing.assert_allclose(balance, frame["end"], atol=1e-9 * scale)
    # Each year starts where the previous one ended; nothing is created or lost between states.
    for y in range(1, years):
        np.testing.assert_array_equal(frame[frame.year == y + 1]["start"], frame[frame.year == y]["end"])
    per_year = frame.groupby("year")[["moves_out", "moves_in"]].sum()
    np.testing.assert_allclose(per_year["moves_out"], per_year["moves_in"], atol=1e-9 * scale)
    assert (frame[["exits", "moves_out", "moves_in", "recruits", "end"]] >= -1e-9 * scale).all().all()
    if mode == "hold":
        assert (frame["end"] >= np.tile(stocks, years) - 1e-9 * scale).all()
    # The steady state (when every state eventually exits) is a fixed point of the projection.
    if m.transient:
        star = m.steady_state(recruits)
        again = m.project(star.to_numpy(), years=2, recruits=recruits)
        np.testing.assert_allclose(again["end"], again["start"], rtol=1e-8, atol=1e-8 * (1 + star.sum()))


def test_estimated_from_the_register(small):
    # On 2024-01-01: P1, P2 in D1; P3, P4 in D2. On 2024-12-31: P2 and P3 in D1; P1 and P4 gone.
    m = sc.TransitionModel.from_register(small, "2024-01-01", "2024-12-31", states="department")
    assert m.states == ["D1", "D2"]
    np.testing.assert_array_equal(m.P.to_numpy(), [[0.5, 0.0], [0.5, 0.0]])
    assert m.persons.tolist() == [2, 2] and m.exits.tolist() == [1, 1]
    assert m.counts.loc["D2", "D1"] == 1
    # N = [[2, 0], [1, 1]].
    assert m.expected_tenure("D2") == pytest.approx(2)
    perm = sc.TransitionModel.from_register(small, "2024-01-01", "2024-12-31", employment_form="permanent")
    np.testing.assert_array_equal(perm.P.to_numpy(), [[0.5, 0.0], [1.0, 0.0]])  # P4 is not in the population
    with pytest.raises(ValueError):
        sc.TransitionModel.from_register(small, "2024-12-31", "2024-01-01")


def test_estimated_on_the_sample_projects(sample):
    m = sc.TransitionModel.from_register(sample, "2023-09-30", "2024-09-30", states="department",
                                         employment_form="permanent")
    stocks = sc.snapshot(sample, "2024-09-30", by="department", employment_form="permanent")
    # Stocks on the start day are the persons behind the estimate.
    start = sc.snapshot(sample, "2023-09-30", by="department", employment_form="permanent")
    assert m.persons.loc[start["department"]].tolist() == start["headcount"].tolist()
    frame = m.project(dict(zip(stocks["department"], stocks["headcount"])), years=3, recruits="hold")
    assert len(frame) == 3 * len(m.states)
    assert all(m.expected_tenure(s) >= 1 for s in m.states)


# ---------------------------------------------------------------- command line and names


def test_names_are_exported():
    for name in ("exit_rates", "kaplan_meier", "kaplan_meier_median", "tenure_curves", "tenure_medians",
                 "tenure_observations", "TransitionModel", "poisson_rate_interval"):
        assert name in sc.__all__ and hasattr(sc, name)


def test_cli_rates_and_tenure():
    data = str(SAMPLE / "employments.csv")
    result = run_cli("rates", data, "--from", "2023-10-01", "--to", "2024-09-30", "--by", "department",
                     "--form", "permanent", "--format", "csv")
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert frame.columns.tolist() == ["department", "events", "person_years", "rate", "lower", "upper"]
    api = sc.exit_rates(sc.read_register(data), "2023-10-01", "2024-09-30", by="department",
                        employment_form="permanent", totals=True)
    assert frame["department"].tolist() == api["department"].tolist()
    assert frame["events"].tolist() == api["events"].tolist()
    np.testing.assert_allclose(frame["upper"], api["upper"], atol=1e-6)
    result = run_cli("tenure", data, "--by", "employment_form", "--median", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "employment_form,observations,events,median,lower,upper"
    bad = run_cli("rates", data, "--from", "2024-01-01")
    assert bad.returncode == 2 and "--to" in bad.stderr and "Traceback" not in bad.stderr
