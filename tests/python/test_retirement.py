"""Retirement outlook, probabilistic outlook and recruitment need (docs/metrics.md), worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import staffcast as sc

from conftest import run_cli

# As of 2024-09-30, outlook 2025-2027, age 65.
ROWS = (
    "JAN1,1960-01-01,F,permanent,S,Vuxen,1.00,2000-01-01,,,,\n"      # 65 on 2025-01-01 -> 2025
    "DEC31,1960-12-31,M,permanent,S,Vuxen,1.00,2000-01-01,,,,\n"     # 65 on 2025-12-31 -> 2025
    "DEC31B,1959-12-31,F,permanent,S,Barn,1.00,2000-01-01,,,,\n"     # 65 on 2024-12-31 -> already past
    "LEAP,1960-02-29,F,permanent,S,Barn,1.00,2000-01-01,,,,\n"       # 65 on 2025-02-28 (common year) -> 2025
    "FEB28,1962-02-28,F,permanent,S,Barn,1.00,2000-01-01,,,,\n"      # 65 on 2027-02-28 -> 2027
    "OLD,1958-03-01,M,permanent,S,Vuxen,0.50,1990-01-01,,,,\n"       # turned 65 in 2023, still employed -> past
    "GONE,1960-06-01,F,permanent,S,Vuxen,1.00,2000-01-01,2024-06-30,own_request,,\n"  # left before as-of
    "TEMP,1960-07-01,F,temporary,S,Vuxen,1.00,2024-01-01,2025-06-30,fixed_term_ended,external,\n"  # temporary
    "YOUNG,1990-01-01,F,permanent,S,Vuxen,1.00,2015-01-01,,,,\n"     # nowhere near 65
    "HIST,1970-01-01,M,permanent,S,Vuxen,1.00,2000-01-01,2010-12-31,own_request,,\n"  # observed history from 2010
)


@pytest.fixture
def reg(write_register):
    return sc.read_register(write_register(ROWS), extracted_on="2024-09-30")


def test_outlook_years_are_the_cpp_rule(reg):
    # A count N: the N calendar years after the as-of year; "N" the same; "Y1-Yn" the range; a list as given.
    assert sc._core.outlook_years("2024-09-30", 3) == [2025, 2026, 2027]
    assert sc._core.outlook_years("2024-12-31", " 2 ") == [2025, 2026]
    assert sc._core.outlook_years("2024-09-30", "2026-2028") == [2026, 2027, 2028]
    columns = ["2025", "2026", "2027"]
    for years in (3, "3", "2025-2027", [2025, 2026, 2027]):
        assert list(sc.retirement_outlook(reg, "2024-09-30", years=years).columns[1:4]) == columns
    with pytest.raises(ValueError, match="^years must be at least 1$"):
        sc.retirement_outlook(reg, "2024-09-30", years=0)
    with pytest.raises(ValueError, match="^years 2027-2025 are reversed$"):
        sc.retirement_outlook(reg, "2024-09-30", years=" 2027-2025 ")
    with pytest.raises(ValueError, match="a count N or a range Y1-Yn, got 'soon'"):
        sc.expected_retirements(reg, "2024-09-30", years="soon")


def test_default_windows_are_the_cpp_rule(reg):
    # The history starts at HIST's end (2010-12-31): no clipping. Five years for the retirement probabilities,
    # one year for the recruitment need's other departures, each up to and including the as-of date.
    assert sc._core.retirement_estimate_window(reg._core, "2024-09-30") == ("2019-10-01", "2024-09-30")
    assert sc._core.rates_window(reg._core, "2024-09-30") == ("2023-10-01", "2024-09-30")
    assert sc._core.rates_window(reg._core, "2024-02-29") == ("2023-03-01", "2024-02-29")
    estimated = sc.retirement_probabilities(reg, end="2024-09-30")
    assert estimated.attrs["staffcast"]["start"] == "2019-10-01"
    # Without an end the day is the plan's day, the extraction date (C++ plan_day).
    assert sc._core.plan_day(reg._core) == "2024-09-30"
    assert sc.retirement_probabilities(reg).attrs["staffcast"]["end"] == "2024-09-30"


def test_deterministic_outlook_by_hand(reg):
    frame = sc.retirement_outlook(reg, "2024-09-30", years="2025-2027", by="department", totals=True,
                                  employment_form="permanent")
    assert frame.to_dict("records") == [
        {"department": "Barn", "already_past": 1, "2025": 1, "2026": 0, "2027": 1, "total": 3},
        {"department": "Vuxen", "already_past": 1, "2025": 2, "2026": 0, "2027": 0, "total": 3},
        {"department": "Total", "already_past": 2, "2025": 3, "2026": 0, "2027": 1, "total": 6},
    ]
    # Without the filter TEMP (65 on 2025-07-01, employed on the as-of date) counts in 2025.
    everyone = sc.retirement_outlook(reg, "2024-09-30", years=3)
    assert everyone[["already_past", "2025", "2026", "2027", "total"]].values.tolist() == [[2, 4, 0, 1, 7]]


def test_cli_csv_text_exactly(reg):
    result = run_cli("retirements", reg.label, "--as-of", "2024-09-30", "--years", "2025-2027", "--age", "65",
                     "--by", "department", "--form", "permanent", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("department,already_past,2025,2026,2027,total\n"
                             "Barn,1,1,0,1,3\n"
                             "Vuxen,1,2,0,0,3\n"
                             "Total,2,3,0,1,6\n")


def test_at_age_probabilities_equal_the_deterministic_outlook(reg):
    deterministic = sc.retirement_outlook(reg, "2024-09-30", years=3, by="department", employment_form="permanent")
    expected = sc.expected_retirements(reg, "2024-09-30", years=3, probabilities="at_age", by="department",
                                       employment_form="permanent")
    for record in deterministic.itertuples(index=False):
        rows = expected[expected["department"] == record.department]
        assert rows["expected"].tolist() == [getattr(record, f"_{i}") for i in (2, 3, 4)]
        # With q = 1 from the age on, those already past all leave in the first year.
        assert rows["from_already_past"].tolist() == [record.already_past, 0, 0]
        assert (rows["p5"] == rows["p95"]).all()  # no uncertainty left


def test_expected_totals_add_up_to_the_people_at_risk(write_register):
    # Everyone is born 1955..1965, so within 2025..2034 everyone reaches the upper age 69 and retires.
    rows = "".join(f"P{y}{m},{y}-{m:02d}-15,F,permanent,S,D,1.00,2000-01-01,,,,\n"
                   for y in range(1955, 1966) for m in (1, 6, 12))
    reg = sc.read_register(write_register(rows), extracted_on="2024-09-30")
    sample = sc.read_register("examples/data/employments.csv")
    q = sc.retirement_probabilities(sample, age=65, upper=69)["probability"].tolist()
    assert q[-1] == 1.0 and all(0 <= p <= 1 for p in q)
    frame = sc.expected_retirements(reg, "2024-09-30", years=10, probabilities=q)
    assert frame["total_expected"].sum() == pytest.approx(len(rows.splitlines()))
    assert (frame["p5"] <= frame["total_expected"]).all() and (frame["total_expected"] <= frame["p95"]).all()


def test_estimated_probabilities_by_hand(write_register):
    # Over 2020-2023, ten persons attain 65 in 2021 and are employed all year; two retire on 2021-06-30.
    rows = "".join(f"P{i},1956-03-01,F,permanent,S,D,1.00,2000-01-01,,,,\n" for i in range(8))
    rows += "R1,1956-03-01,F,permanent,S,D,1.00,2000-01-01,2021-06-30,retirement,,\n"
    rows += "R2,1956-03-01,F,permanent,S,D,1.00,2000-01-01,2021-06-30,retirement,,\n"
    rows += "Z,1980-01-01,M,permanent,S,D,1.00,2000-01-01,2001-01-01,own_request,,\n"
    reg = sc.read_register(write_register(rows), extracted_on="2023-12-31")
    frame = sc.retirement_probabilities(reg, "2021-01-01", "2021-12-31", age=65, upper=66)
    # Person-years at attained age 65 in 2021: 8 * 365/365.25 + 2 * 181/365.25.
    person_years = (8 * 365 + 2 * 181) / 365.25
    assert frame["person_years"].iloc[0] == pytest.approx(person_years)
    assert frame["retirements"].tolist() == [2, 0]
    assert frame["probability"].iloc[0] == pytest.approx(1 - np.exp(-2 / person_years))
    assert frame["probability"].iloc[1] == 1.0


def test_poisson_binomial_quantiles_against_a_direct_convolution(write_register):
    rows = "".join(f"P{i:03d},{1955 + i % 9}-0{1 + i % 9}-10,F,permanent,S,D,1.00,2000-01-01,,,,\n"
                   for i in range(120))
    reg = sc.read_register(write_register(rows), extracted_on="2024-09-30")
    q = [0.3, 0.45, 0.6, 0.7, 1.0]
    frame = sc.expected_retirements(reg, "2024-09-30", years=3, probabilities=q)
    births = np.array([1955 + i % 9 for i in range(120)])
    past = births + 65 < 2025  # attained 65 before the first year (birthday before 2025-01-01)
    staying = np.ones(120)
    for year, row in zip([2025, 2026, 2027], frame.itertuples(index=False)):
        attained = year - births
        qx = np.where(attained < 65, 0.0, np.where(attained >= 69, 1.0, np.take(q, np.clip(attained - 65, 0, 4))))
        p = staying * qx
        staying = staying - p
        pmf = np.array([1.0])
        for pi in p:
            pmf = np.convolve(pmf, [1 - pi, pi])
        cdf = np.cumsum(pmf)
        assert row.p5 == int(np.argmax(cdf >= 0.05 - 1e-12))
        assert row.p95 == int(np.argmax(cdf >= 0.95 - 1e-12))
        assert row.total_expected == pytest.approx(p.sum())
        assert row.expected == pytest.approx(p[~past].sum())
        assert row.from_already_past == pytest.approx(p[past].sum())


def test_recruitment_need_scenarios(reg):
    base = sc.recruitment_need(reg, "2024-09-30", years=3, probabilities="at_age", employment_form="permanent",
                               rates_window=("2023-10-01", "2024-09-30"))
    # Permanent staff on the as-of date: 7 (JAN1, DEC31, DEC31B, LEAP, FEB28, OLD, YOUNG).
    # Other departures: GONE (own request) / permanent person-years over the 12 months (a yearly rate).
    average = (7 * 366 + 274) / 366  # GONE employed 2023-10-01..2024-06-30 = 274 days
    rate = 1 / (average * 366 / 365.25)
    assert base["start"].iloc[0] == 7
    assert base["retirements"].tolist() == [5, 0, 1]  # 2 already past leave in 2025, plus JAN1, DEC31, LEAP
    assert base["other_departures"].iloc[0] == pytest.approx(7 * rate)
    assert base["recruitment_need"].tolist() == pytest.approx([5 + 7 * rate, 7 * rate, 1 + 7 * rate])
    assert base["end"].tolist() == pytest.approx([7, 7, 7])
    grow = sc.recruitment_need(reg, "2024-09-30", years=3, probabilities="at_age", employment_form="permanent",
                               growth=0.1, turnover_factor=0.8, rates_window=("2023-10-01", "2024-09-30"))
    assert grow["growth"].iloc[0] == pytest.approx(0.7)
    assert grow["other_departures"].iloc[0] == pytest.approx(0.8 * 7 * rate)
    assert grow["end"].iloc[-1] == pytest.approx(7 * 1.1 ** 3)
    later = sc.recruitment_need(reg, "2024-09-30", years=3, probabilities="at_age", retirement_age_shift=2,
                                employment_form="permanent", rates_window=("2023-10-01", "2024-09-30"))
    # Retiring at 67: OLD (67 in 2025) and DEC31B (66 in 2025, 67 in 2026)... at_age shifted to 67 means q=1
    # from 67: already past 67 before 2025 -> none; OLD attains 67 in 2025; DEC31B in 2026; JAN1/DEC31/LEAP 2027.
    assert later["retirements"].tolist() == [1, 1, 3]
    with pytest.raises(ValueError):
        sc.recruitment_need(reg, "2024-09-30", years=11)


def test_cli_recruitment_need(reg):
    result = run_cli("recruitment-need", reg.label, "--as-of", "2024-09-30", "--years", "3", "--by", "department",
                     "--form", "permanent", "--probabilities", "at_age", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "department,year,start,retirements,other_departures,growth,recruitment_need,end"
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["Barn", "2025"], ["Barn", "2026"], ["Barn", "2027"], ["Vuxen", "2025"], ["Vuxen", "2026"],
        ["Vuxen", "2027"], ["Total", "2025"], ["Total", "2026"], ["Total", "2027"]]
