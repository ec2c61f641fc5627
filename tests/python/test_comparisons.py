"""The same period a year earlier, span of control and gender-equality figures, worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import staffcast as sc

from conftest import run_cli

ROWS = (
    "HIST,1970-01-01,M,permanent,S,Vuxen,1.00,2000-01-01,2010-12-31,own_request,,\n"  # history from 2010
    # The boss (an Enhetschef) and three reports in Vuxen.
    "BOSS,1970-01-01,F,permanent,Enhetschef,Vuxen,1.00,2015-01-01,,,,\n"
    "R1,1980-01-01,F,permanent,S,Vuxen,1.00,2016-01-01,,,,BOSS\n"
    "R2,1981-01-01,M,permanent,S,Vuxen,0.50,2016-01-01,,,,BOSS\n"
    "R3,1982-01-01,F,temporary,S,Vuxen,1.00,2023-03-01,,,external,BOSS\n"  # started after 2023-02-28
    # A manager with zero reports (managerial position only).
    "IDLE,1975-01-01,M,permanent,Enhetschef,Barn,1.00,2015-01-01,,,,\n"
    # A department that did not exist a year earlier.
    "NEW,1990-01-01,F,permanent,S,Ny,1.00,2023-06-01,,,external,IDLE\n"
    # A manager cycle on the day: C1 -> C2 -> C1.
    "C1,1970-01-01,M,permanent,S,Cykel,1.00,2015-01-01,,,,C2\n"
    "C2,1971-01-01,F,permanent,S,Cykel,1.00,2015-01-01,,,,C1\n"
    # A manager_id naming someone who left before the day.
    "GONE,1960-01-01,M,permanent,S,Barn,1.00,2000-01-01,2020-12-31,retirement,,\n"
    "ORPHAN,1985-01-01,F,permanent,S,Barn,1.00,2018-01-01,,,,GONE\n"
)


@pytest.fixture
def reg(write_register):
    return sc.read_register(write_register(ROWS), extracted_on="2024-02-29")


def test_leap_day_compared_with_28_february(reg):
    frame = sc.snapshot(reg, "2024-02-29", by="department", totals=True, compare="previous-year")
    assert frame.attrs["staffcast"]["previous"] == "compared with 2023-02-28"
    vuxen = frame[frame.department == "Vuxen"].iloc[0]
    # 2024-02-29: BOSS, R1, R2, R3 = 4; 2023-02-28: R3 not yet started = 3.
    assert (vuxen.headcount, vuxen.headcount_prev, vuxen.headcount_diff) == (4, 3, 1)
    assert vuxen.headcount_pct == pytest.approx(1 / 3)
    assert vuxen.fte_prev == pytest.approx(2.5) and vuxen.fte == pytest.approx(3.5)
    ny = frame[frame.department == "Ny"].iloc[0]
    # The new department: 0 a year earlier, no per cent change from zero.
    assert (ny.headcount, ny.headcount_prev, ny.headcount_diff) == (1, 0, 1)
    assert math.isnan(ny.headcount_pct)
    assert frame.department.tolist() == ["Barn", "Cykel", "Ny", "Vuxen", "Total"]
    total = frame[frame.department == "Total"].iloc[0]
    assert (total.headcount, total.headcount_prev) == (9, 7)


def test_period_compared_and_unavailable_earlier_period(reg):
    frame = sc.flows(reg, "2023-01-01", "2023-12-31", compare="previous-year")
    # 2023: R3 and NEW recruited; 2022: nobody came or went.
    assert frame[["recruitments", "recruitments_prev", "recruitments_diff"]].values.tolist() == [[2, 0, 2]]
    old = sc.flows(reg, "2010-12-31", "2011-06-30", compare="previous-year")
    assert old.attrs["staffcast"]["previous"].startswith("the same period a year earlier is unavailable")
    assert old["departures"].tolist() == [1] and pd.isna(old["departures_prev"]).all()
    result = run_cli("flows", reg.label, "--from", "2010-12-31", "--to", "2011-06-30", "--extracted-on",
                     "2024-02-29", "--compare", "previous-year", "--format", "csv")
    assert result.returncode == 0
    assert "unavailable" in result.stderr
    assert result.stdout.splitlines()[1].split(",")[:3] == ["1", "", ""]


def test_span_of_control(reg):
    frame = sc.span_of_control(reg, "2024-02-29", limit=2, manager_positions=["Enhetschef"])
    assert frame.columns.tolist() == ["department", "managers", "reports", "min", "median", "p90", "max",
                                      "above_limit"]
    rows = {r.department: r for r in frame.itertuples(index=False)}
    # Vuxen: BOSS with 3 reports. Barn: IDLE with 1 (NEW, in Ny) and ORPHAN's manager is gone.
    # Cykel: C1 and C2 manage each other (1 each).
    assert (rows["Vuxen"].managers, rows["Vuxen"].reports, rows["Vuxen"].above_limit) == (1, 3, 1)
    assert (rows["Barn"].managers, rows["Barn"].reports) == (1, 1)
    assert (rows["Cykel"].managers, rows["Cykel"].reports) == (2, 2)
    total = rows["Total"]
    assert (total.managers, total.reports, total.min, total.max) == (4, 6, 1, 3)
    assert total.median == pytest.approx(1.0) and total.p90 == pytest.approx(2.4)  # numpy linear: 1,1,1,3
    issues = frame.attrs["staffcast"]["issues"]
    assert sorted(issues["code"]) == ["manager_cycle", "unknown_manager"]
    assert issues.loc[issues.code == "unknown_manager", "row"].tolist() == [12]  # ORPHAN's row
    managers = sc.span_of_control(reg, "2024-02-29", limit=2, managers=True)
    assert managers[["manager_id", "reports"]].values.tolist() == [["BOSS", 3]]
    # Without the managerial position IDLE still manages NEW; a manager with zero reports needs the position.
    idle = sc.span_of_control(reg, "2024-02-29", limit=5, manager_positions=["Enhetschef"], department="Barn")
    assert idle[idle.department == "Barn"]["min"].tolist() == [0]  # IDLE: NEW is filtered out (Ny)
    result = run_cli("span", reg.label, "--as-of", "2024-02-29", "--extracted-on", "2024-02-29", "--limit", "2",
                     "--format", "csv")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "department,managers,reports,min,median,p90,max,above_limit"
    assert "manager_cycle" in result.stderr and "unknown_manager" in result.stderr


def test_equality(reg, tmp_path):
    sick_path = tmp_path / "sick.csv"
    sick_path.write_text("employee_id,start_date,end_date,extent\n"
                         "R1,2023-09-01,2023-11-30,1\n"      # 91 days: long-term, woman
                         "R2,2023-09-01,2023-09-10,1\n")     # short, man
    sick = sc.read_sick_leave(sick_path, register=reg)
    frame = sc.equality(reg, "2024-02-29", sick, manager_positions=["Enhetschef"])
    rows = {r.measure: r for r in frame.itertuples(index=False)}
    # Employed on 2024-02-29: women BOSS, R1, R3, NEW, C2, ORPHAN (6); men R2, IDLE, C1 (3).
    assert (rows["share_permanent"].women, rows["share_permanent"].men) == (pytest.approx(5 / 6), 1.0)
    # Full time: women all 1.00 (6/6); men R2 0.50 -> 2/3.
    assert rows["full_time_share"].women == 1.0 and rows["full_time_share"].men == pytest.approx(2 / 3)
    assert rows["full_time_share"].difference == pytest.approx(1 / 3)
    # Long-term sick: R1 among 6 women; no man.
    assert rows["long_term_sick"].women == pytest.approx(1 / 6) and rows["long_term_sick"].men == 0
    # Managers: BOSS, C2 (women); IDLE, C1 (men).
    assert rows["share_managers"].women == pytest.approx(2 / 6) and rows["share_managers"].men == pytest.approx(2 / 3)
    assert rows["share_of_managers"].women == 0.5 and rows["share_of_staff"].women == pytest.approx(6 / 9)
    result = run_cli("equality", reg.label, "--as-of", "2024-02-29", "--extracted-on", "2024-02-29",
                     "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [r["measure"] for r in __import__("json").loads(result.stdout)] == [
        "share_permanent", "full_time_share", "share_managers", "share_of_managers", "share_of_staff"]


def test_indicator_compared_with_a_year_earlier(tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text("indicator,period,value,target,better,unit,unit_of_analysis\n"
                    "Hot,2023-T1,257,,lower,antal,\nHot,2023-T2,250,,lower,antal,\nHot,2023-T3,240,,lower,antal,\n"
                    "Hot,2024-T1,261,,lower,antal,\n")
    frame = sc.indicator_followup(sc.read_indicators(path), compare="previous-year")
    row = frame.iloc[0]
    assert (row.period, row.value, row.value_prev, row.value_diff) == ("2024-T1", 261, 257, 4)
    assert row.value_pct == pytest.approx(4 / 257)
