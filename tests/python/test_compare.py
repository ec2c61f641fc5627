"""benchmarks/compare.py at a small size: every table agrees with the pandas/numpy baseline and the
JSON has the agreed shape (docs/performance.md). Timings are never asserted: CI machines vary."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import load_benchmark

PERSONS = 3_000
KEYS = {"name", "staffcast_s", "baseline", "baseline_s", "ratio"}


compare = load_benchmark("compare")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return compare.generated(PERSONS, seed=1, workdir=tmp_path_factory.mktemp("compare"))


@pytest.fixture(scope="module")
def checked(files):
    return compare.check_plan(*files)


def test_every_table_agrees(checked):
    reg, sick, prepared, ours, theirs = checked
    assert set(ours) == set(compare.TABLES) == set(theirs)
    for name in compare.TABLES:
        assert len(ours[name]) > 0, name
        compare.check_same(name, ours[name], theirs[name])  # raises Mismatch with a diff
    assert prepared.n == len(reg)


def test_the_plan_is_the_same_both_ways(files):
    ours = compare.staffcast_plan(*files)
    theirs = compare.baseline_plan(*files)
    assert list(ours) == list(theirs) == compare.PLAN_TABLES
    for name in compare.PLAN_TABLES:
        compare.check_same(name, ours[name], theirs[name])


def test_the_checker_catches_a_difference(checked):
    _, _, _, ours, theirs = checked
    wrong = theirs["turnover"].copy()
    wrong.loc[len(wrong) // 2, "departures"] += 1
    with pytest.raises(compare.Mismatch, match="departures"):
        compare.check_same("turnover", ours["turnover"], wrong)
    with pytest.raises(compare.Mismatch, match="rows differ"):
        compare.check_same("snapshot", ours["snapshot"], theirs["snapshot"].iloc[1:])
    nudged = theirs["sick leave"].copy()
    nudged["sick_rate"] = nudged["sick_rate"] * (1 + 1e-6)
    with pytest.raises(compare.Mismatch, match="sick_rate"):
        compare.check_same("sick leave", ours["sick leave"], nudged)


def test_cli_writes_the_json_list(tmp_path, files):
    out = tmp_path / "r.json"
    status = compare.main(["--persons", str(PERSONS), "--repeat", "1", "--out", str(out),
                           "--workdir", str(files[0].parent.parent)])
    assert status == 0
    results = json.loads(out.read_text())
    assert isinstance(results, list)
    names = [r["name"] for r in results]
    for expected in ["ingest", *compare.TABLES, "whole plan", "whole plan from a saved register"]:
        assert expected in names
    for r in results:
        assert KEYS <= set(r), r
        assert isinstance(r["name"], str) and isinstance(r["baseline"], str)
        assert r["staffcast_s"] > 0 and r["baseline_s"] > 0
        assert np.isclose(r["ratio"], r["baseline_s"] / r["staffcast_s"])
    meta = json.loads((tmp_path / "r.meta.json").read_text())
    assert meta["persons"] == PERSONS
    assert meta["memory"]["nbytes_per_spell"] > 0
    assert set(meta["call_overhead_1000_persons"]) >= {"snapshot"}


def test_cli_fails_loudly_on_disagreement(tmp_path, files, monkeypatch, capsys):
    original = compare.BASELINE_TABLES["flows"]

    def off_by_one(prepared):
        frame = original(prepared)
        frame.loc[0, "recruitments"] += 1
        return frame

    monkeypatch.setitem(compare.BASELINE_TABLES, "flows", off_by_one)
    status = compare.main(["--persons", str(PERSONS), "--repeat", "1", "--out", str(tmp_path / "r.json"),
                           "--workdir", str(files[0].parent.parent), "--no-overhead", "--no-memory"])
    assert status == 1
    assert "flows" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()


def test_unsorted_files_overlapping_sick_leave_and_unknown_persons(tmp_path, files):
    """The baseline's slow paths (files out of order, sick-leave records whose extents add up, records
    of persons not in the register) agree with staffcast too; the generator never writes them."""
    import pandas as pd

    emp_path, sick_path = files
    emp = pd.read_csv(emp_path, dtype=str, keep_default_na=False)
    sick = pd.read_csv(sick_path, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(7)
    extra = sick.sample(n=len(sick) // 5, random_state=7).copy()
    start = pd.to_datetime(extra["start_date"])
    end = pd.to_datetime(extra["end_date"])
    extra["start_date"] = (start + pd.to_timedelta(rng.integers(0, 3, len(extra)), unit="D")).dt.strftime("%Y-%m-%d")
    extra["end_date"] = (end + pd.to_timedelta(rng.integers(0, 40, len(extra)), unit="D")).dt.strftime("%Y-%m-%d")
    extra["start_date"] = np.minimum(extra["start_date"].to_numpy(), extra["end_date"].to_numpy())
    extra["extent"] = rng.choice(["0.25", "0.5", "0.75", "1.0"], len(extra))
    stranger = pd.DataFrame([{"employee_id": "Z-not-employed", "start_date": "2024-01-10",
                              "end_date": "2024-01-20", "extent": "1.0"}])
    sick = pd.concat([sick, extra, stranger], ignore_index=True)
    emp = emp.sample(frac=1.0, random_state=3)
    sick = sick.sample(frac=1.0, random_state=4)
    out = tmp_path / "shuffled"
    out.mkdir()
    emp.to_csv(out / "employments.csv", index=False)
    sick.to_csv(out / "sick_leave.csv", index=False)
    _, _, prepared, ours, theirs = compare.check_plan(out / "employments.csv", out / "sick_leave.csv")
    assert prepared.sick_records == len(sick) - 1
    assert len(prepared.sick_first) != prepared.sick_records  # the overlap sweep ran
    assert (prepared.sick_extent <= 100).all()
