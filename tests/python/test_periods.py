"""Per year, per tertial and rolling 12 months; sick leave against its targets."""

from __future__ import annotations

import pandas as pd
import pytest

import staffcast as sc
from staffcast.statistics import periods

from conftest import SAMPLE, run_cli


def test_periods_by_hand():
    assert periods("2020-03-15", "2022-06-30", "year") == [
        ("2020-03-15", "2020-12-31"), ("2021-01-01", "2021-12-31"), ("2022-01-01", "2022-06-30")]
    assert periods("2024-01-01", "2024-12-31", "tertial") == [
        ("2024-01-01", "2024-04-30"), ("2024-05-01", "2024-08-31"), ("2024-09-01", "2024-12-31")]
    assert periods("2024-01-01", "2024-03-31", "rolling12") == [
        ("2023-02-01", "2024-01-31"), ("2023-03-01", "2024-02-29"), ("2023-04-01", "2024-03-31")]
    with pytest.raises(ValueError):
        periods("2024-01-01", "2023-01-01")


def test_periodic_equals_separate_calls():
    reg = sc.read_register(SAMPLE / "employments.csv")
    long = sc.periodic(sc.turnover, reg, "2022-01-01", "2024-09-30", "year", by="gender", employment_form="permanent")
    for (start, end), part in long.groupby(["period_start", "period_end"]):
        alone = sc.turnover(reg, start, end, by="gender", employment_form="permanent")
        pd.testing.assert_frame_equal(part.drop(columns=["period_start", "period_end"]).reset_index(drop=True), alone)
    assert long["period_start"].unique().tolist() == ["2022-01-01", "2023-01-01", "2024-01-01"]


def test_sick_leave_rolling_and_targets_on_the_cli():
    result = run_cli("sick-leave", SAMPLE / "employments.csv", "--sick-leave", SAMPLE / "sick_leave.csv",
                     "--from", "2024-07-01", "--to", "2024-09-30", "--per", "rolling12", "--target", "0.06",
                     "--short-term-target", "0.02", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("period_start,period_end,persons,fte_days,sick_rate")
    assert lines[0].endswith("sick_rate_target,sick_rate_missed,short_term_rate_target,short_term_rate_missed")
    assert [line.split(",")[:2] for line in lines[1:]] == [["2023-08-01", "2024-07-31"], ["2023-09-01", "2024-08-31"],
                                                            ["2023-10-01", "2024-09-30"]]
    reg = sc.read_register(SAMPLE / "employments.csv")
    sick = sc.read_sick_leave(SAMPLE / "sick_leave.csv", register=reg)
    frame = sc.against_targets(sc.sick_leave(reg, sick, "2023-10-01", "2024-09-30"), {"sick_rate": 0.05})
    assert bool(frame["sick_rate_missed"].iloc[0]) == (frame["sick_rate"].iloc[0] > 0.05)
