"""Optimised workforce plans (docs/plans.md): sc.optimise_plan and `staffcast optimise` against the
published optima of Williams' manpower-planning problem, against the same problem written again here
for scipy's linprog (HiGHS, a second solver), and against plans solved by hand."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import staffcast as sc
from staffcast.cli import main

from conftest import ROOT

WILLIAMS = ROOT / "examples" / "plans" / "williams_manpower.toml"

NURSES = {"periods": 1, "category": [{"name": "nurses", "initial": 100, "demand": [120], "wastage": 0.1,
                                      "wastage_new": 0.2, "recruit_cost": 1000}]}


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


def williams_linprog(objective: str) -> float:
    """Williams' problem from the book's data, as its own LP for scipy (HiGHS): variables per year t
    and level s: workforce, hire, layoff, short time, excess; train[t, s, s'] for s != s'."""
    levels, years = range(3), range(3)
    initial = [2000, 1500, 1000]
    demand = [[1000, 1400, 1000], [500, 2000, 1500], [0, 2500, 2000]]
    rookie, veteran = [0.25, 0.20, 0.10], [0.10, 0.05, 0.05]
    hire_max, layoff_cost = [500, 800, 500], [200, 500, 500]
    short_cost, excess_cost = [500, 400, 400], [1500, 2000, 3000]
    names = [(kind, t, s) for t in years for s in levels for kind in ("w", "h", "l", "p", "e")]
    names += [("train", t, (a, b)) for t in years for a in levels for b in levels if a != b]
    index = {name: i for i, name in enumerate(names)}
    n = len(names)
    bounds = [(0, None)] * n
    cost = np.zeros(n)
    for t in years:
        for s in levels:
            bounds[index["h", t, s]] = (0, hire_max[s])
            bounds[index["p", t, s]] = (0, 50)
            cost[index["l", t, s]] = layoff_cost[s] if objective == "cost" else 1.0
            if objective == "cost":
                cost[index["p", t, s]] = short_cost[s]
                cost[index["e", t, s]] = excess_cost[s]
        bounds[index["train", t, (0, 1)]] = (0, 200)
        bounds[index["train", t, (0, 2)]] = (0, 0)
        if objective == "cost":
            cost[index["train", t, (0, 1)]] = 400
            cost[index["train", t, (1, 2)]] = 500
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for t in years:
        for s in levels:
            row = np.zeros(n)
            row[index["w", t, s]] = 1
            if t > 0:
                row[index["w", t - 1, s]] = -(1 - veteran[s])
            row[index["h", t, s]] = -(1 - rookie[s])
            row[index["l", t, s]] = 1
            for other in levels:
                if other == s:
                    continue
                row[index["train", t, (s, other)]] += 1
                row[index["train", t, (other, s)]] -= (1 - veteran[s]) if other < s else 0.5
            a_eq.append(row)
            b_eq.append((1 - veteran[s]) * initial[s] if t == 0 else 0.0)
            row = np.zeros(n)
            row[index["w", t, s]], row[index["e", t, s]], row[index["p", t, s]] = 1, -1, -0.5
            a_eq.append(row)
            b_eq.append(demand[t][s])
        row = np.zeros(n)
        row[index["train", t, (1, 2)]], row[index["w", t, 2]] = 1, -0.25
        a_ub.append(row)
        b_ub.append(0.0)
        row = np.zeros(n)
        for s in levels:
            row[index["e", t, s]] = 1
        a_ub.append(row)
        b_ub.append(150.0)
    solved = linprog(cost, A_ub=np.array(a_ub), b_ub=b_ub, A_eq=np.array(a_eq), b_eq=b_eq, bounds=bounds,
                     method="highs")
    assert solved.status == 0
    return float(solved.fun)


def test_williams_published_optima():
    redundancy = sc.optimise_plan(WILLIAMS, objective="redundancy")
    assert redundancy.objective_value == pytest.approx(841.8, abs=0.05)
    cost = sc.optimise_plan(WILLIAMS)
    assert cost.objective == "cost"
    assert cost.objective_value == pytest.approx(498677, abs=1)
    total = cost.table[cost.table["period"] == "Total"].iloc[0]
    assert total["cost"] == 498677


def test_williams_against_a_second_solver():
    assert sc.optimise_plan(WILLIAMS, objective="redundancy").objective_value == pytest.approx(
        williams_linprog("redundancy"), abs=1e-4)
    assert sc.optimise_plan(WILLIAMS).objective_value == pytest.approx(williams_linprog("cost"), abs=1e-3)


def test_table_columns_and_balance():
    result = sc.optimise_plan(WILLIAMS)
    assert list(result.table.columns) == ["period", "category", "stock", "demand", "recruits", "moves_in",
                                          "moves_out", "redundancies", "short_time", "overstaffing", "shortfall",
                                          "cost"]
    rows = result.table[result.table["period"] != "Total"]
    assert len(rows) == 9
    # Every move out of one category is a move into another.
    assert rows["moves_in"].sum() == pytest.approx(rows["moves_out"].sum())
    np.testing.assert_allclose(rows["stock"] - 0.5 * rows["short_time"] - rows["overstaffing"], rows["demand"],
                               atol=1e-6)
    assert rows.groupby("period")["overstaffing"].sum().max() <= 150 + 1e-6


def test_one_category_by_hand_from_a_dict():
    # 90 stay; 0.8 r = 30; r = 37.5 at 1000 each; one person more costs 1000 / 0.8.
    result = sc.optimise_plan(NURSES)
    row = result.table.iloc[0]
    assert (row["period"], row["category"], row["recruits"], row["cost"]) == ("1", "nurses", 37.5, 37500)
    assert list(result.binding["text"]) == ["one more person needed for nurses in period 1 costs 1,250"]
    assert result.binding["shadow_price"].iloc[0] == pytest.approx(1250)
    assert result.explain().splitlines()[0] == "minimum cost: 37,500"


def test_objective_argument_overrides_the_plan():
    plan = {**NURSES, "category": [{**NURSES["category"][0], "recruit_max": 25}]}
    assert sc.optimise_plan(plan, objective="shortfall").objective_value == pytest.approx(10.0)


def test_infeasible_plan_names_the_conflicting_constraints():
    plan = {**NURSES, "category": [{**NURSES["category"][0], "recruit_max": 25}]}
    with pytest.raises(sc.InfeasiblePlanError) as caught:
        sc.optimise_plan(plan)
    message = str(caught.value)
    assert "demand of nurses in period 1 (120.0): 10.0 short" in message
    assert "recruit_max of nurses in period 1 (25.0)" in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("change, expected", [
    ({"wastage": 1.5}, "plan: key 'category[1].wastage': must be a number in [0, 1], got 1.5"),
    ({"recruit_cost": -1}, "plan: key 'category[1].recruit_cost': must be a number >= 0"),
    ({"demand": [1, 2]}, "plan: key 'category[1].demand': must have 1 values"),
    ({"colour": "red"}, "plan: key 'category[1].colour': unknown key"),
])
def test_bad_dicts_name_the_key(change, expected):
    plan = {**NURSES, "category": [{**NURSES["category"][0], **change}]}
    with pytest.raises(ValueError) as caught:
        sc.optimise_plan(plan)
    assert str(caught.value).startswith(expected)


def test_move_to_an_unknown_category():
    plan = {**NURSES, "move": [{"from": "nurses", "to": "doctors"}]}
    with pytest.raises(ValueError, match=r"key 'move\[1\]\.to': unknown category 'doctors' \(categories: nurses\)"):
        sc.optimise_plan(plan)


def test_cli_csv_and_explain():
    status, out, err = cli("optimise", WILLIAMS, "--objective", "redundancy", "--format", "csv")
    assert status == 0, err
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert frame.columns[0] == "period" and frame["period"].iloc[-1] == "Total"
    assert float(frame["redundancies"].iloc[-1]) == pytest.approx(841.8, abs=0.05)
    status, out, err = cli("optimise", WILLIAMS, "--explain")
    assert status == 0, err
    assert "minimum cost: 498,677" in out and "binding constraints" in out
    status, out, _ = cli("optimise", WILLIAMS, "--explain", "--format", "json")
    assert status == 0
    records = json.loads(out)
    assert records and {"constraint", "period", "category", "limit", "shadow_price", "text"} <= set(records[0])


def test_cli_bad_plans_exit_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('periods = 1\n[[category]]\nname = "a"\ndemand = [1]\nwastage = -0.2\n')
    status, out, err = cli("optimise", bad)
    assert status == 2 and out == ""
    assert err == (f"staffcast optimise: error: plan {bad}, line 5, column 11: key 'category[1].wastage': "
                   "must be a number in [0, 1], got -0.2\n")
    infeasible = tmp_path / "infeasible.toml"
    infeasible.write_text('periods = 1\n[[category]]\nname = "a"\ninitial = 10\ndemand = [5]\n')
    status, _, err = cli("optimise", infeasible)
    assert status == 2 and "the plan is infeasible" in err and "Traceback" not in err
    status, _, err = cli("optimise", tmp_path / "missing.toml")
    assert status == 2 and "no such file" in err
