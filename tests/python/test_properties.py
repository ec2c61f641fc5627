"""Property tests: invariants on random registers, kept small and bounded."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import staffcast as sc

from conftest import HEADER

FORMS = ["permanent", "temporary", "hourly"]
REASONS = ["own_request", "retirement", "fixed_term_ended", "internal_move", "other_administration", "other"]
BASE = dt.date(2015, 1, 1)


@st.composite
def registers(draw):
    persons = draw(st.integers(1, 12))
    rows = ["HIST,1950-01-01,M,permanent,Old,Old,1.00,2000-01-01,2005-06-30,own_request,,"]  # history from 2005
    for p in range(persons):
        birth = dt.date(1955, 1, 1) + dt.timedelta(days=draw(st.integers(0, 14000)))
        start = BASE + dt.timedelta(days=draw(st.integers(0, 2500)))
        for _ in range(draw(st.integers(1, 3))):
            form = draw(st.sampled_from(FORMS))
            fte = "" if form == "hourly" else draw(st.sampled_from(["0.50", "0.75", "1.00"]))
            length = draw(st.integers(0, 1500))
            end = start + dt.timedelta(days=length)
            ended = draw(st.booleans()) and end <= dt.date(2024, 12, 31)
            reason = draw(st.sampled_from(REASONS)) if ended else ""
            rows.append(f"P{p},{birth},{draw(st.sampled_from('FMX'))},{form},{draw(st.sampled_from('AB'))},"
                        f"{draw(st.sampled_from(['D1', 'D2']))},{fte},{start},{end if ended else ''},{reason},,")
            start = end + dt.timedelta(days=draw(st.integers(1, 60)))
            if start > dt.date(2024, 12, 31):
                break
    return rows


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def read(tmp_path, rows, name="r.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return sc.read_register(path, extracted_on="2024-12-31")


def statistics(reg):
    return [
        sc.snapshot(reg, "2022-06-30", by=["department", "age_band"], totals=True),
        sc.flows(reg, "2020-01-01", "2024-12-31", by=["employment_form"], totals=True),
        sc.turnover(reg, "2021-01-01", "2023-12-31", by=["gender"], totals=True),
        sc.full_time(reg, "2023-03-01", by=["department"], totals=True),
        sc.retirement_outlook(reg, "2024-12-31", years=3, by=["department"], totals=True),
    ]


@SETTINGS
@given(rows=registers(), seed=st.integers(0, 2**32 - 1))
def test_row_order_does_not_matter(tmp_path, rows, seed):
    shuffled = list(np.random.default_rng(seed).permutation(rows))
    for a, b in zip(statistics(read(tmp_path, rows, "a.csv")), statistics(read(tmp_path, shuffled, "b.csv"))):
        pd.testing.assert_frame_equal(a, b)


@SETTINGS
@given(rows=registers())
def test_counts_non_negative_and_shares_in_unit_interval(tmp_path, rows):
    for frame in statistics(read(tmp_path, rows)):
        kinds = frame.attrs["staffcast"]["kinds"]
        for column, kind in kinds.items():
            values = pd.to_numeric(frame[column], errors="coerce").dropna()
            if kind == "count":
                assert (values >= 0).all(), column
            if column in ("full_time_share",):
                assert values.between(0, 1).all(), column


@SETTINGS
@given(rows=registers())
def test_round_trip_register_csv_register(tmp_path, rows):
    reg = read(tmp_path, rows)
    frame = reg.to_frame()
    text = frame.copy()
    for column in ["birth_date", "start_date", "end_date"]:
        text[column] = text[column].dt.strftime("%Y-%m-%d")
    text["fte"] = text["fte"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    path = tmp_path / "round.csv"
    text.to_csv(path, index=False)
    again = sc.read_register(path, extracted_on="2024-12-31")
    pd.testing.assert_frame_equal(again.to_frame(), frame)


@SETTINGS
@given(rows=registers())
def test_headcount_total_equals_distinct_persons_employed(tmp_path, rows):
    reg = read(tmp_path, rows)
    for day in ["2016-01-01", "2019-07-01", "2024-12-31"]:
        frame = sc.snapshot(reg, day, by=["department"], totals=True)
        total = frame[frame.department == "Total"]["headcount"].tolist() if len(frame) else [0]
        assert total == [reg.employed_persons(day)] or (not total and reg.employed_persons(day) == 0)
