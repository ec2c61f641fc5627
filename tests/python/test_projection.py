"""Projections from Python and the CLI: the cohort model, the microsimulation's
determinism and its summaries against numpy, pickling, progress and Ctrl-C."""

from __future__ import annotations

import pickle
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import staffcast as sc
from staffcast import _core

from conftest import SAMPLE, run_cli

AS_OF = "2024-09-30"
MEASURES = ["start", "retirements", "other_exits", "moves_out", "moves_in", "recruits", "end", "start_fte",
            "end_fte", "recruits_fte"]


@pytest.fixture(scope="module")
def reg():
    return sc.read_register(SAMPLE / "employments.csv")


@pytest.fixture(scope="module")
def inputs(reg):
    return sc.estimate_inputs(reg, years=5, by="department", as_of=AS_OF)


def test_inputs_hold_the_population_and_pickle(reg, inputs):
    headcount = sc.snapshot(reg, AS_OF, by="department")
    assert inputs.persons == headcount["headcount"].sum()
    assert [labels[0] for labels in inputs.group_labels] == sorted(headcount["department"])
    np.testing.assert_array_equal(inputs.target0, headcount.sort_values("department")["headcount"].to_numpy())
    assert np.allclose(inputs.move.sum(axis=1), 1.0)
    assert inputs.q_ret[-1] == 1.0 and inputs.base_year == 2024
    np.testing.assert_array_equal(inputs.q_other, 1 - np.exp(-inputs.m_other))
    back = pickle.loads(pickle.dumps(inputs))
    for name in ["group", "birth_year", "fte", "q_ret", "m_other", "move", "pool_age", "pool_fte", "target0"]:
        np.testing.assert_array_equal(getattr(back, name), getattr(inputs, name))
    assert back.group_labels == inputs.group_labels and back.as_of == AS_OF


def test_years_are_bounded_by_the_cpp_rule(reg, inputs):
    assert sc._core.max_projection_years == 200
    for call in (lambda: sc.project(reg, years=0), lambda: sc.simulate(reg, years=201, replicates=1),
                 lambda: sc.estimate_inputs(reg, years=2**70), lambda: sc.project(reg, years=201, inputs=inputs),
                 lambda: inputs.with_years(0), lambda: sc.compare(reg, [sc.Scenario("b")], years=0)):
        with pytest.raises(ValueError, match="^years must be between 1 and 200$"):
            call()
    with pytest.raises(ValueError, match="years must be an integer, got 2.5"):
        sc.project(reg, years=2.5)


def test_cohort_projection_balances(reg):
    result = sc.project(reg, years=4, by="department", as_of=AS_OF, totals=True)
    frame = result.to_frame()
    assert list(frame.columns) == ["department", "year"] + MEASURES
    groups = frame[frame["department"] != "Total"]
    balance = (groups["start"] - groups["retirements"] - groups["other_exits"] - groups["moves_out"]
               + groups["moves_in"] + groups["recruits"])
    np.testing.assert_allclose(balance, groups["end"], atol=1e-9)
    total = frame[frame["department"] == "Total"].set_index("year")
    assert list(total.index) == [2025, 2026, 2027, 2028]
    np.testing.assert_allclose(total["end"], groups.groupby("year")["end"].sum(), atol=1e-9)
    # Without growth the target (today's headcount) is held: end = start of year 1 whenever recruits are needed.
    headcount = sc.snapshot(reg, AS_OF)["headcount"].iloc[0]
    assert total["start"].iloc[0] == headcount
    assert "headcount" in result._repr_html_()


def test_simulation_is_identical_for_any_threads_and_split(inputs):
    one = _core.simulate_raw(inputs, 99, 0, 12, threads=1)
    two = _core.simulate_raw(inputs, 99, 0, 12, threads=2)
    assert one.tobytes() == two.tobytes()
    joined = np.concatenate([_core.simulate_raw(inputs, 99, 0, 5), _core.simulate_raw(inputs, 99, 5, 12, threads=2)])
    assert one.tobytes() == joined.tobytes()
    assert one.shape == (12, 5, inputs.output_groups, 10)


def test_summaries_are_numpys(reg, inputs):
    sim = sc.simulate(reg, years=5, replicates=37, seed=3, by="department", as_of=AS_OF, threads=2,
                      progress=False, inputs=inputs)
    frame = sim.to_frame()
    assert list(frame.columns) == ["year", "department", "measure", "mean", "p5", "p50", "p95"]
    raw = sim.raw
    mean = np.add.reduce(raw, axis=0) / raw.shape[0]  # sequential over replicates
    p5, p50, p95 = np.percentile(raw, [5, 50, 95], axis=0)
    labels = [labels[0] for labels in inputs.group_labels]
    for row in frame.itertuples():
        y, g, m = row.year - 2025, labels.index(row.department), MEASURES.index(row.measure)
        assert (row.mean, row.p5, row.p50, row.p95) == (mean[y, g, m], p5[y, g, m], p50[y, g, m], p95[y, g, m])
    assert len(frame) == 5 * len(labels) * 10


def test_simulation_mean_is_near_the_cohort_model(reg, inputs):
    # Recruitment binds here, so the means differ only by max(0, .) and rounding: within a few persons.
    sim = sc.simulate(reg, years=3, replicates=300, seed=11, by="department", as_of=AS_OF, progress=False)
    cohort = sc.project(reg, years=3, by="department", as_of=AS_OF).to_frame()
    ends = sim.to_frame().query("measure == 'retirements'").set_index(["year", "department"])["mean"]
    expected = cohort.set_index(["year", "department"])["retirements"]
    np.testing.assert_allclose(ends.sort_index(), expected.sort_index(), atol=1.5)


def test_progress_callback_and_scenario(reg, inputs):
    seen = []
    sc.simulate(reg, years=5, replicates=20, seed=1, progress=seen.append, inputs=inputs)
    assert sum(seen) == 20
    later = sc.apply_scenario(inputs, {"name": "later", "retirement_age_shift": 2, "part_time_to_full_time": 0.5,
                                       "hiring_freeze_years": 1,
                                       "rate_multiplier": [{"where": {"department": labels[0]}, "factor": 0.5}
                                                           for labels in inputs.group_labels[:1]]})
    assert later.retirement_age == inputs.retirement_age + 2 and later.part_time_share == 0.5
    np.testing.assert_array_equal(later.m_other[0], inputs.m_other[0] * 0.5)
    np.testing.assert_array_equal(later.m_other[1:], inputs.m_other[1:])
    frozen = sc.project(reg, years=5, by="department", as_of=AS_OF, inputs=later).to_frame()
    assert frozen.loc[frozen["year"] == 2025, "recruits"].sum() == 0
    with pytest.raises(ValueError, match="unknown key 'growth'"):
        sc.apply_scenario(inputs, {"name": "x", "growth": 0.1})
    with pytest.raises(ValueError, match="retirement_age_shift"):
        sc.apply_scenario(inputs, {"name": "x", "retirement_age_shift": 20})


def test_client_is_left_to_the_distributed_runner(reg, inputs):
    # The Dask runner (tests/python/test_distributed.py) gives the in-process bytes.
    pytest.importorskip("dask.distributed")
    remote = sc.simulate(reg, years=5, replicates=4, client="local", inputs=inputs)
    local = sc.simulate(reg, years=5, replicates=4, threads=1, inputs=inputs)
    assert remote.raw.tobytes() == local.raw.tobytes()


def test_cli_project_tables(tmp_path):
    path = SAMPLE / "employments.csv"
    out = run_cli("project", path, "--years", "3", "--by", "department", "--as-of", AS_OF, "--format", "csv")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "department,year,start,retirements,other_exits,moves_out,moves_in,recruits,end,start_fte," \
                       "end_fte,recruits_fte"
    assert [line.split(",")[:2] for line in lines[-3:]] == [["Total", "2025"], ["Total", "2026"], ["Total", "2027"]]
    sim = run_cli("project", path, "--years", "2", "--replicates", "20", "--seed", "5", "--threads", "2",
                  "--as-of", AS_OF, "--format", "csv")
    assert sim.returncode == 0, sim.stderr
    assert sim.stdout.splitlines()[0] == "year,measure,mean,p5,p50,p95"
    again = run_cli("project", path, "--years", "2", "--replicates", "20", "--seed", "5", "--threads", "1",
                    "--as-of", AS_OF, "--format", "csv")
    assert again.stdout == sim.stdout
    for years in ("0", "201"):  # the C++ bound, with the CLI's option name
        bad = run_cli("project", path, "--years", years)
        assert (bad.returncode, bad.stderr) == (2, "staffcast project: error: --years must be between 1 and 200\n")
    bad = run_cli("project", path, "--years", "x")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    bad = run_cli("project", path, "--years", "2", "--by", "fte_band")
    assert bad.returncode == 2 and "fte_band" in bad.stderr


def test_ctrl_c_stops_a_long_simulation_quickly():
    process = subprocess.Popen([sys.executable, "-m", "staffcast", "project", str(SAMPLE / "employments.csv"),
                                "--years", "40", "--replicates", "50000", "--threads", "2", "--no-progress"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4.0)
    assert process.poll() is None, "the run finished before it could be interrupted"
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    elapsed = time.monotonic() - sent
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert elapsed < 3.0  # a second on an idle machine; the test machine is shared


def test_age_bands_split_the_same_draws(reg):
    plain = sc.simulate(reg, years=3, replicates=8, seed=21, by="department", as_of=AS_OF, progress=False)
    banded = sc.simulate(reg, years=3, replicates=8, seed=21, by="department,age_band", as_of=AS_OF,
                         progress=False, totals=True)
    bands = len(banded.inputs.output_band_labels)
    assert banded.inputs.output_by == ["department", "age_band"]
    summed = banded.raw.reshape(8, 3, -1, bands, 10).sum(axis=3)
    counts = [MEASURES.index(m) for m in MEASURES if not m.endswith("_fte")]
    np.testing.assert_array_equal(summed[..., counts], plain.raw[..., counts])
    np.testing.assert_allclose(summed, plain.raw, atol=1e-9)
    frame = banded.to_frame()
    total = frame[frame["department"] == "Total"]
    assert len(total) == 3 * 10 and (total["age_band"] == "").all()
    ends = plain.raw[:, :, :, MEASURES.index("end")].sum(axis=2)
    got = total[total["measure"] == "end"].sort_values("year")
    np.testing.assert_array_equal(got["p50"], np.percentile(ends, 50, axis=0))
    np.testing.assert_array_equal(got["mean"], ends.mean(axis=0))


class _Scenario:
    name = "object"

    def to_dict(self):
        return {"name": "object", "growth_per_year": 0.1, "target_stock": 500}


def test_scenario_objects_and_target_stock(reg, inputs):
    grown = sc.apply_scenario(inputs, _Scenario())
    assert grown.growth == 0.1
    np.testing.assert_allclose(grown.target0.sum(), 500)
    np.testing.assert_allclose(grown.target0 / 500, inputs.target0 / inputs.target0.sum())
    np.testing.assert_allclose(grown.target[1], grown.target0 * 1.1 * 1.1)
    projection = sc.project(reg, years=5, by="department", as_of=AS_OF, inputs=grown, scenario=None)
    ends = projection.totals()["end"]
    assert ends.iloc[-1] == pytest.approx(500 * 1.1 ** 5)
