"""The synthetic generator and the bundled sample, checked with pandas."""

from __future__ import annotations

import filecmp

import numpy as np
import pandas as pd
import pytest

import staffcast as sc
from staffcast.generate import SAMPLE

from conftest import SAMPLE as SAMPLE_DIR

AS_OF = pd.Timestamp("2024-09-30")


@pytest.fixture(scope="module")
def sample_frames():
    emp = pd.read_csv(SAMPLE_DIR / "employments.csv", dtype=str, keep_default_na=False)
    for column in ["birth_date", "start_date"]:
        emp[column] = pd.to_datetime(emp[column])
    emp["end"] = pd.to_datetime(emp["end_date"].replace("", "2262-01-01"))
    return emp


def test_bundled_sample_is_the_generator_output(tmp_path):
    """examples/data is exactly what `generate(**SAMPLE)` writes, so it can be regenerated anywhere."""
    sc.generate(tmp_path, **SAMPLE)
    for name in ["employments.csv", "sick_leave.csv", "indicators.csv"]:
        assert filecmp.cmp(tmp_path / name, SAMPLE_DIR / name, shallow=False), name


def test_same_seed_same_files_other_seed_differs(tmp_path):
    sc.generate(tmp_path / "a", persons=200, years=3, seed=11)
    sc.generate(tmp_path / "b", persons=200, years=3, seed=11)
    sc.generate(tmp_path / "c", persons=200, years=3, seed=12)
    assert filecmp.cmp(tmp_path / "a" / "employments.csv", tmp_path / "b" / "employments.csv", shallow=False)
    assert not filecmp.cmp(tmp_path / "a" / "employments.csv", tmp_path / "c" / "employments.csv", shallow=False)


def test_sample_looks_like_a_social_services_committee(sample_frames):
    emp = sample_frames
    employed = emp[(emp.start_date <= AS_OF) & (emp.end >= AS_OF)]
    persons = employed.sort_values("fte", ascending=False).drop_duplicates("employee_id")
    assert 1000 <= len(persons) <= 1200
    assert sorted(emp.department.unique()) == ["Barn och unga", "Försörjningsstöd", "Vuxen"]
    women = (persons.gender == "F").mean()
    assert 0.70 <= women <= 0.80
    # Completed years on 2024-09-30, by hand: year difference minus one before the birthday.
    born = persons.birth_date
    age = AS_OF.year - born.dt.year - ((born.dt.month > AS_OF.month) |
                                       ((born.dt.month == AS_OF.month) & (born.dt.day > AS_OF.day)))
    assert 42 <= age.mean() <= 46
    assert (age.between(60, 66).mean()) > 0.08  # the retirement wave is visible
    forms = persons.employment_form.value_counts(normalize=True)
    assert forms["permanent"] > 0.75 and forms["temporary"] > 0.04 and forms["hourly"] > 0.03
    top = persons.position.value_counts().index[:3].tolist()
    assert "Socialsekreterare" in top


def test_sample_validates_and_reader_agrees_with_pandas(sample_frames):
    reg = sc.read_register(SAMPLE_DIR / "employments.csv")
    emp = sample_frames
    assert len(reg) == len(emp)
    assert reg.persons == emp.employee_id.nunique()
    employed = emp[(emp.start_date <= AS_OF) & (emp.end >= AS_OF)].employee_id.nunique()
    assert reg.employed_persons("2024-09-30") == employed
    frame = reg.to_frame()
    assert np.isclose(frame.fte.sum(), pd.to_numeric(emp.fte.replace("", np.nan)).sum())
    sick = sc.read_sick_leave(SAMPLE_DIR / "sick_leave.csv", register=reg)
    assert sick.issues.empty
    indicators = sc.read_indicators(SAMPLE_DIR / "indicators.csv")
    assert len(indicators) == len(pd.read_csv(SAMPLE_DIR / "indicators.csv"))


def test_generate_rejects_bad_options(tmp_path):
    with pytest.raises(ValueError):
        sc.generate(tmp_path, persons=0)
    with pytest.raises(ValueError):
        sc.generate(tmp_path, persons=10, years=0)
