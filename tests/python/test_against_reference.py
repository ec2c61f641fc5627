"""staffcast against the independent pandas implementation (reference.py) on a
generated register of 50,000 persons: every table, several groupings and filters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import reference as ref
import staffcast as sc

PERSONS = 50_000


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference50k")
    sc.generate(out, persons=PERSONS, years=10, seed=3)
    reg = sc.read_register(out / "employments.csv")
    sick = sc.read_sick_leave(out / "sick_leave.csv", register=reg)
    emp = ref.load(out / "employments.csv")
    sick_frame = ref.load(out / "sick_leave.csv")
    ind = ref.load(out / "indicators.csv")
    return dict(reg=reg, sick=sick, emp=emp, sick_frame=sick_frame, ind=ind, dir=out)


def same(ours: pd.DataFrame, theirs: pd.DataFrame, drop=()) -> None:
    ours = ours.drop(columns=[c for c in drop if c in ours.columns]).reset_index(drop=True)
    theirs = theirs.reset_index(drop=True)
    assert ours.columns.tolist() == theirs.columns.tolist()
    assert len(ours) == len(theirs), (len(ours), len(theirs))
    for column in ours.columns:
        a, b = ours[column], theirs[column]
        if a.dtype == object or b.dtype == object or pd.api.types.is_string_dtype(b):
            assert a.astype(str).tolist() == b.astype(str).tolist(), column
        else:
            np.testing.assert_allclose(a.to_numpy(dtype=float), b.to_numpy(dtype=float), rtol=1e-9, atol=1e-9,
                                       equal_nan=True, err_msg=column)


GROUPINGS = [(), ("department",), ("gender", "age_band"), ("employment_form", "fte_band", "tenure_band"),
             ("position", "department", "age_band", "gender")]


@pytest.mark.parametrize("by", GROUPINGS)
def test_snapshot(data, by):
    same(sc.snapshot(data["reg"], "2024-09-30", by=list(by)), ref.snapshot(data["emp"], "2024-09-30", by=by))


def test_snapshot_filtered_earlier_day(data):
    same(sc.snapshot(data["reg"], "2021-03-01", by=["department"], employment_form="permanent", gender=["F", "X"]),
         ref.snapshot(data["emp"], "2021-03-01", by=("department",), employment_form="permanent",
                      gender=["F", "X"]))


@pytest.mark.parametrize("by", GROUPINGS)
def test_flows(data, by):
    same(sc.flows(data["reg"], "2023-10-01", "2024-09-30", by=list(by)),
         ref.flows(data["emp"], "2023-10-01", "2024-09-30", by=by))


@pytest.mark.parametrize("form", ["permanent", "temporary"])
def test_flows_under_a_filter(data, form):
    same(sc.flows(data["reg"], "2022-01-01", "2024-09-30", by=["department"], employment_form=form),
         ref.flows(data["emp"], "2022-01-01", "2024-09-30", by=("department",), employment_form=form))


@pytest.mark.parametrize("by,kwargs", [
    ((), {}),
    (("age_band",), dict(employment_form="permanent")),
    (("position",), dict(definition="separation", exclude_reasons=["retirement"])),
    (("gender", "tenure_band"), dict(definition="own_request", annualise=True)),
    (("department",), dict(definition="min", scope="employer")),
])
def test_turnover(data, by, kwargs):
    ours = sc.turnover(data["reg"], "2024-01-01", "2024-09-30", by=list(by), **kwargs)
    theirs = ref.turnover(data["emp"], "2024-01-01", "2024-09-30", by=by, **kwargs)
    same(ours, theirs)


@pytest.mark.parametrize("by,bands", [((), None), (("gender", "age_band"), "statutory"),
                                      (("department", "fte_band"), None)])
def test_sick_leave(data, by, bands):
    ours = sc.sick_leave(data["reg"], data["sick"], "2023-10-01", "2024-09-30", by=list(by), age_bands=bands,
                         suppress=False)
    theirs = ref.sick_leave(data["emp"], data["sick_frame"], "2023-10-01", "2024-09-30", by=by, age_bands=bands)
    same(ours, theirs, drop=["suppressed"])


@pytest.mark.parametrize("by", [(), ("gender", "age_band"), ("department",)])
def test_full_time(data, by):
    same(sc.full_time(data["reg"], "2024-09-30", by=list(by)), ref.full_time(data["emp"], "2024-09-30", by=by))


@pytest.mark.parametrize("by,kwargs", [(("department",), dict(employment_form="permanent")),
                                       (("gender", "age_band"), dict(age=67))])
def test_retirements(data, by, kwargs):
    same(sc.retirement_outlook(data["reg"], "2024-09-30", years=[2025, 2026, 2027], by=list(by), **kwargs),
         ref.retirements(data["emp"], "2024-09-30", [2025, 2026, 2027], by=by, **kwargs))


def test_indicator_followup(data):
    ours = sc.indicator_followup(sc.read_indicators(data["dir"] / "indicators.csv"))
    theirs = ref.indicators_followup(data["ind"])
    same(ours, theirs)
