"""sc.compare: common random numbers, the supply/target gap against independently computed targets,
the cohort model at replicates=0, wide/totals/plot, and the CLI's repeated --scenario."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import staffcast as sc

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "data" / "employments.csv"
EXAMPLES = ROOT / "examples" / "scenarios"
AS_OF = "2024-09-30"  # the sample's extraction date
YEARS, REPLICATES, SEED = 3, 40, 11


@pytest.fixture(scope="module")
def reg():
    return sc.read_register(SAMPLE, extracted_on="2024-09-30")


@pytest.fixture(scope="module")
def headcount(reg):
    """Today's headcount per department, from sc.snapshot (independent of the projection's own estimate)."""
    snap = sc.snapshot(reg, AS_OF, by="department")
    return dict(zip(snap["department"], snap["headcount"].astype(float)))


@pytest.fixture(scope="module")
def cmp(reg):
    return sc.compare(reg, [sc.Scenario("baseline"), sc.Scenario("freeze", hiring_freeze_years=2),
                            sc.Scenario("growth", growth_per_year=0.055), EXAMPLES / "retire_later.toml"],
                      years=YEARS, replicates=REPLICATES, seed=SEED, by="department", threads=1, progress=False)


def _rows(frame, scenario, measure, year=None):
    out = frame[(frame["scenario"] == scenario) & (frame["measure"] == measure)]
    return out if year is None else out[out["year"] == year]


def test_frame_shape_and_order(cmp):
    frame = cmp.to_frame()
    assert list(frame.columns) == ["scenario", "year", "department", "measure", "mean", "p5", "p50", "p95"]
    assert list(dict.fromkeys(frame["scenario"])) == ["baseline", "freeze", "growth", "retire later"]
    assert cmp.names == ["baseline", "freeze", "growth", "retire later"]
    # 3 departments x 3 years x (10 measures + gap) per scenario
    assert len(frame) == 4 * 3 * 3 * 11
    assert set(frame["measure"]) == set(sc.MEASURES) | {"gap"}
    assert set(frame["year"]) == {2025, 2026, 2027}


def test_each_scenario_equals_its_own_simulation(reg, cmp):
    # The comparison is the scenario's sc.simulate with the same seed, plus the gap rows.
    alone = sc.simulate(reg, YEARS, REPLICATES, seed=SEED, scenario=sc.Scenario("freeze", hiring_freeze_years=2),
                        by="department", threads=1, progress=False).to_frame()
    mine = cmp.to_frame()
    mine = mine[(mine["scenario"] == "freeze") & (mine["measure"] != "gap")].drop(columns="scenario")
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone.reset_index(drop=True), check_exact=True,
                                  check_like=False)


def test_common_random_numbers(cmp):
    frame = cmp.to_frame()
    base, freeze = (frame[frame["scenario"] == s].drop(columns="scenario").set_index(["year", "department", "measure"]) for s in
                    ("baseline", "freeze"))
    # Year 1: the same persons, the same draws: exits and moves identical in every statistic.
    for measure in ("start", "retirements", "other_exits", "moves_out", "moves_in", "start_fte"):
        pd.testing.assert_frame_equal(base.loc[2025].xs(measure, level="measure"),
                                      freeze.loc[2025].xs(measure, level="measure"), check_exact=True)
    # The freeze recruits nobody in its first two years, then recruits again.
    assert (_rows(frame, "freeze", "recruits", 2025)["p95"] == 0).all()
    assert (_rows(frame, "freeze", "recruits", 2026)["p95"] == 0).all()
    assert (_rows(frame, "freeze", "recruits", 2027)["mean"] > 0).all()


def test_gap_is_end_minus_target(cmp, headcount):
    frame = cmp.to_frame()
    # Baseline: recruits hold today's headcount exactly, so the gap is 0 in every replicate.
    gap = _rows(frame, "baseline", "gap")
    assert (gap[["mean", "p5", "p50", "p95"]].to_numpy() == 0).all()
    # Freeze: no recruits in years 1-2, so gap = end - today's headcount, replicate by replicate.
    for year in (2025, 2026):
        gap = _rows(frame, "freeze", "gap", year).set_index("department")
        end = _rows(frame, "freeze", "end", year).set_index("department")
        for department, h in headcount.items():
            for stat in ("mean", "p5", "p50", "p95"):
                assert gap.loc[department, stat] == pytest.approx(end.loc[department, stat] - h, abs=1e-9)
            assert gap.loc[department, "p95"] < 0  # nobody recruited, people left
    # Growth 5.5 %: recruits fill to round_half_up(T) with T = H * 1.055^t, so gap = round(T) - T.
    for t, year in enumerate((2025, 2026, 2027), start=1):
        gap = _rows(frame, "growth", "gap", year).set_index("department")
        for department, h in headcount.items():
            target = h
            for _ in range(t):
                target *= 1.055
            expected = math.floor(target + 0.5) - target
            assert gap.loc[department, "mean"] == pytest.approx(expected, abs=1e-9)
            assert gap.loc[department, "p5"] == pytest.approx(expected, abs=1e-9)


def test_cohort_model_at_zero_replicates(reg, headcount):
    cmp0 = sc.compare(reg, [sc.Scenario("baseline"), sc.Scenario("freeze", hiring_freeze_years=1)], years=2,
                      replicates=0, by="department")
    frame = cmp0.to_frame()
    assert frame["p5"].isna().all() and frame["p95"].isna().all()
    gap = _rows(frame, "baseline", "gap")
    assert np.allclose(gap["mean"], 0.0, atol=1e-9)
    # Freeze, year 1: expected end = H - expected exits + expected moves in - out; gap = that - H.
    proj = sc.project(reg, 2, by="department", scenario=sc.Scenario("freeze", hiring_freeze_years=1)).to_frame()
    first = proj[proj["year"] == 2025].set_index("department")
    gap = _rows(frame, "freeze", "gap", 2025).set_index("department")
    for department, h in headcount.items():
        expected = first.loc[department, "end"] - h
        assert gap.loc[department, "mean"] == pytest.approx(expected, abs=1e-9)
        assert first.loc[department, "recruits"] == 0
    # The long measures are the cohort model's values.
    end = _rows(frame, "freeze", "end", 2025).set_index("department")["mean"]
    assert np.array_equal(end.to_numpy(), first["end"].to_numpy())


def test_wide_and_totals(cmp):
    wide = cmp.wide(measure=["end", "gap"])
    assert list(wide.columns) == ["baseline", "freeze", "growth", "retire later"]
    frame = cmp.to_frame()
    value = _rows(frame, "growth", "end", 2026).set_index("department").loc["Vuxen", "mean"]
    assert wide.loc[(2026, "Vuxen", "end"), "growth"] == value
    p95 = cmp.wide(stat="p95")
    assert p95.loc[(2025, "Vuxen", "retirements"), "freeze"] == _rows(frame, "freeze", "retirements", 2025
                                                                      ).set_index("department").loc["Vuxen", "p95"]
    totals = cmp.totals()
    for year in (2025, 2026, 2027):
        assert totals.loc[year, ("end", "freeze")] == pytest.approx(_rows(frame, "freeze", "end", year)["mean"].sum())
        assert totals.loc[year, ("gap", "baseline")] == 0
    with pytest.raises(ValueError, match="stat must be one of"):
        cmp.wide(stat="p99")
    with pytest.raises(ValueError, match="unknown measure"):
        cmp.wide(measure="ends")
    page = cmp._repr_html_()
    assert "scenario comparison" in page and "retire later" in page and "gap to target" in page
    assert repr(cmp).startswith("<staffcast.ScenarioComparison baseline, freeze, growth, retire later: 3 years")


def test_part_time_to_full_time_with_common_random_numbers(reg):
    scenarios = [sc.Scenario("freeze", hiring_freeze_years=1),
                 sc.Scenario("freeze, all part-timers full time", hiring_freeze_years=1, part_time_to_full_time=1.0)]
    cmp = sc.compare(reg, scenarios, years=2, replicates=20, seed=3, threads=1, progress=False)
    frame = cmp.to_frame().set_index(["scenario", "year", "measure"])
    a, b = (frame.loc[s.name] for s in scenarios)
    assert a.loc[(2025, "end"), "mean"] == b.loc[(2025, "end"), "mean"]  # the same survivors
    assert b.loc[(2025, "end_fte"), "mean"] > a.loc[(2025, "end_fte"), "mean"]
    assert b.loc[(2026, "start_fte"), "mean"] == b.loc[(2025, "end_fte"), "mean"]
    # After a year at s = 1 nobody part-time is left: the second year changes no fte of a stayer, so
    # end_fte(2026) = start_fte(2026) minus the leavers' fte; with s = 1 every survivor is at 0 or 100.
    sim = cmp.results[1]
    end_fte, end = sim.raw[:, 0, :, sc.MEASURES.index("end_fte")], sim.raw[:, 0, :, sc.MEASURES.index("end")]
    hourly = int((np.asarray(sim.inputs.fte) == 0).sum())
    assert np.all(end_fte <= end) and np.all(end_fte >= end - hourly)
    assert np.all(end_fte == np.round(end_fte))  # whole persons at fte 1.00 (or hourly at 0)


def test_errors(reg):
    with pytest.raises(ValueError, match="given twice: a"):
        sc.compare(reg, [sc.Scenario("a"), sc.Scenario("a", growth_per_year=0.1)], years=2, replicates=2)
    with pytest.raises(ValueError, match="at least one scenario"):
        sc.compare(reg, [], years=2, replicates=2)
    with pytest.raises(ValueError, match="replicates must be an integer >= 0"):
        sc.compare(reg, [sc.Scenario("a")], years=2, replicates=-1)
    with pytest.raises(ValueError, match=r"line 2: key 'growth_per_year'"):
        sc.compare(reg, ['name = "x"\ngrowth_per_year = 9\n'], years=2, replicates=2)
    with pytest.raises(ValueError, match="is not a dimension of this projection"):
        sc.compare(reg, [sc.Scenario("m", rate_multipliers=[{"where": {"position": "X"}, "factor": 0.5}])],
                   years=2, replicates=2, by="department")


def test_plot_draws_one_fan_per_scenario_of_the_chosen_group(cmp):
    import matplotlib

    matplotlib.use("Agg")
    frame = cmp.to_frame()
    department = sorted(frame["department"].unique())[0]
    ax = cmp.plot(where={"department": department}, measure="end")
    assert [line.get_label() for line in ax.get_lines()] == cmp.names
    for line, name in zip(ax.get_lines(), cmp.names):
        want = _rows(frame[frame["department"] == department], name, "end").sort_values("year")
        assert list(line.get_xdata()) == want["year"].astype(int).tolist()
        assert np.allclose(line.get_ydata(), want["p50"].to_numpy())  # the centre line is the median
    assert len(ax.collections) == len(cmp.names)  # one P5-P95 band each
    ax.figure.savefig(io.BytesIO(), format="png")
    with pytest.raises(ValueError, match="where="):
        cmp.plot()  # several departments and no totals: percentiles cannot be added up
    with pytest.raises(ValueError, match="no rows"):
        cmp.plot(where={"department": "no such department"})


def test_cli_repeated_scenario_is_a_comparison(tmp_path):
    result = run_cli("project", SAMPLE, "--years", "2", "--replicates", "10", "--seed", "4", "--by", "department",
                     "--scenario", "baseline", "--scenario", EXAMPLES / "hiring_freeze_2.toml", "--format", "csv",
                     "--threads", "1", "--no-progress")
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert list(frame.columns) == ["scenario", "year", "department", "measure", "mean", "p5", "p50", "p95"]
    assert list(dict.fromkeys(frame["scenario"])) == ["baseline", "hiring freeze 2 years"]
    expected = sc.compare(sc.read_register(SAMPLE), [sc.Scenario("baseline"),
                                                     EXAMPLES / "hiring_freeze_2.toml"],
                          years=2, replicates=10, seed=4, by="department", totals=True).to_frame()  # CLI: totals
    gap = frame[(frame["measure"] == "gap") & (frame["scenario"] == "hiring freeze 2 years")]
    want = expected[(expected["measure"] == "gap") & (expected["scenario"] == "hiring freeze 2 years")]
    assert list(gap["department"]) == list(want["department"])
    assert list(gap["department"])[-2:] == ["Total", "Total"]
    assert np.allclose(gap["mean"].to_numpy(), want["mean"].to_numpy(), atol=1e-6)
    assert (frame[(frame["measure"] == "recruits") & (frame["scenario"] != "baseline")]["mean"] == 0).all()


def test_cli_single_scenario_file_and_errors(tmp_path):
    ok = run_cli("project", SAMPLE, "--years", "2", "--scenario", EXAMPLES / "growth_5_5.toml", "--format", "csv")
    assert ok.returncode == 0, ok.stderr
    assert "scenario" not in ok.stdout.splitlines()[0]  # one scenario: the plain projection
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[[rate_multiplier]]\nfactor = -1\n', encoding="utf-8")
    result = run_cli("project", SAMPLE, "--years", "2", "--scenario", bad)
    assert result.returncode == 2
    assert "line 3: key 'rate_multiplier[1].factor'" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("project", SAMPLE, "--years", "2", "--scenario", tmp_path / "nope.toml", "--scenario", bad)
    assert missing.returncode == 2 and "no such file: " in missing.stderr and "(scenario file)" in missing.stderr


def test_totals_are_per_replicate_sums(cmp, headcount):
    sims = dict(zip(cmp.names, cmp.results))
    end = sims["freeze"].raw[:, :, :, sc.MEASURES.index("end")].sum(axis=2)  # [replicate, year]
    h = sum(headcount.values())
    p95 = cmp.totals("p95")
    for y, year in enumerate((2025, 2026, 2027)):
        assert p95.loc[year, ("end", "freeze")] == np.percentile(end[:, y], 95)
        assert p95.loc[year, ("gap", "freeze")] == pytest.approx(np.percentile(end[:, y] - h, 95), abs=1e-9)
    with pytest.raises(ValueError, match="stat must be one of"):
        cmp.totals("max")
