"""Optimised plans from the register (docs/plans.md, "From the register"): the stocks equal the
snapshot, the wastage is the share 1 − exp(−rate) of departures per person-year computed here in
pandas from the CSV (with the expected retirements first), and
a one-category plan on a tiny register is solved by hand."""

from __future__ import annotations

import io
import math
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

import staffcast as sc
from staffcast.cli import main

from conftest import ROOT

SAMPLE = ROOT / "examples" / "data" / "employments.csv"
EXAMPLE = ROOT / "examples" / "plans" / "social_services.toml"
AS_OF = "2024-09-30"


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def sample() -> sc.Register:
    return sc.read_register(SAMPLE, extracted_on=AS_OF)


def departures_per_person_year(position: str, start: str, end: str) -> dict[str, tuple[int, float]]:
    """Departures (not retirements, not moves or continuations) and person-years in [start, end] of
    one position, under and from one year of chained service, straight from the CSV: a spell
    continues the service of an earlier spell of the person that covers the day before its start,
    or of an internal_move end at most 31 days before it (docs/metrics.md)."""
    d = pd.read_csv(SAMPLE, parse_dates=["start_date", "end_date"])
    lo, hi, day = pd.Timestamp(start), pd.Timestamp(end), pd.Timedelta(days=1)
    d["end"] = d.end_date.fillna(pd.Timestamp("2262-01-01"))
    d = d.sort_values(["employee_id", "start_date"]).reset_index(drop=True)
    service, left = {}, {}
    for _, group in d.groupby("employee_id", sort=False):
        rows = list(group.itertuples())
        for i, r in enumerate(rows):
            first = r.start_date
            for j, p in enumerate(rows[:i]):
                covers = p.start_date < r.start_date and p.end >= r.start_date - day
                move = (p.end_reason == "internal_move" and p.start_date < r.start_date
                        and r.start_date - p.end <= pd.Timedelta(days=31)
                        and all(q.start_date <= p.start_date for q in rows[j + 1:i]))
                if covers or move:
                    first = min(first, service[p.Index])
            service[r.Index] = first
            left[r.Index] = pd.notna(r.end_date) and not any(
                q.Index != r.Index and q.start_date <= r.end_date + day <= q.end for q in rows)
    events = {"<1": 0, "1+": 0}
    years = {"<1": 0.0, "1+": 0.0}
    for r in d[d.position == position].itertuples():
        a, b = max(r.start_date, lo), min(r.end, hi)
        if b < a:
            continue
        one = service[r.Index] + pd.DateOffset(years=1)
        years["<1"] += max(0, (min(b, one - day) - a).days + 1) / 365.25
        years["1+"] += max(0, (b - max(a, one)).days + 1) / 365.25
        if left[r.Index] and lo <= r.end_date <= hi and r.end_reason not in ("retirement", "internal_move"):
            events["1+" if r.end_date >= one else "<1"] += 1
    return {k: (events[k], years[k]) for k in events}


def test_initial_stocks_and_demand_are_the_snapshot(sample):
    result = sc.optimise_plan({"periods": 1, "register": {"by": "position"}}, sample, AS_OF)
    plan = result.table[result.table.period != "Total"].set_index("category")
    snapshot = sc.snapshot(sample, AS_OF, by="position").set_index("position")
    assert list(plan.index) == list(snapshot.index)
    assert plan.demand.tolist() == snapshot.headcount.astype(float).tolist()
    # nothing but recruitment allowed: every stock ends at its demand
    assert plan.stock.tolist() == pytest.approx(snapshot.headcount.astype(float).tolist())


def test_wastage_is_the_yearly_share_of_departures_per_person_year(sample):
    position = "Socialsekreterare"
    window = ("2023-10-01", AS_OF)  # the rates window: the year up to the as-of date
    counted = departures_per_person_year(position, *window)
    assert counted == {"<1": (25, pytest.approx(56.7666, abs=1e-4)), "1+": (37, pytest.approx(260.3860, abs=1e-4))}
    initial = 318  # the snapshot headcount of social workers
    retiring = sc.expected_retirements(sample, AS_OF, years=1, by="position")
    retiring = float(retiring.loc[retiring.position == position, "total_expected"].iloc[0])
    # Retirements first, then the others leave at the rate under a constant hazard over the year.
    retire = retiring / initial
    wastage = retire + (1 - retire) * (1 - math.exp(-counted["1+"][0] / counted["1+"][1]))
    # with wastage_new = 0 a recruit replaces exactly one leaver: recruits = wastage · initial
    plan = {"periods": 1, "register": {"by": "position"},
            "category": [{"name": position, "wastage_new": 0, "recruit_cost": 1}]}
    table = sc.optimise_plan(plan, sample, AS_OF).table
    assert table.loc[0, "recruits"] == pytest.approx(wastage * initial, rel=1e-9)
    # the recruits' own wastage: initial = (1 − w) initial + (1 − w_new) recruits
    wastage_new = 1 - math.exp(-counted["<1"][0] / counted["<1"][1])
    plan["category"][0].pop("wastage_new")
    table = sc.optimise_plan(plan, sample, AS_OF).table
    assert table.loc[0, "recruits"] == pytest.approx(wastage * initial / (1 - wastage_new), rel=1e-9)


TINY = """employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason
P1,1980-05-01,F,permanent,Nurse,Ward,1.00,2010-01-01,,
P2,1980-05-01,M,permanent,Nurse,Ward,1.00,2010-01-01,2024-06-30,own_request
P3,1990-05-01,F,permanent,Nurse,Ward,1.00,2024-01-01,,
P4,1990-05-01,F,permanent,Nurse,Ward,1.00,2024-03-01,2024-08-31,own_request
P5,1960-05-01,M,permanent,Nurse,Ward,1.00,2000-01-01,2023-06-30,own_request
"""


def test_one_category_from_a_tiny_register_by_hand(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text(TINY)
    reg = sc.read_register(path, extracted_on="2024-12-31")
    plan = {"periods": 1, "register": {"by": "position"},
            "category": [{"name": "Nurse", "recruit_cost": 1000}]}
    result = sc.optimise_plan(plan, reg, "2024-12-31")
    # On 2024-12-31 P1 and P3 are employed: initial = demand = 2. Over 2024 (366 days):
    # one year of service or more: P1 all year, P2 to 30 June (182 days), P2 leaves;
    # first year: P3 all year (her anniversary is 2025-01-01), P4 184 days, P4 leaves.
    # As shares of a year's stock at those rates, the hazard constant over the year: 1 − e^−rate.
    wastage = 1 - math.exp(-1 / ((366 + 182) / 365.25))
    wastage_new = 1 - math.exp(-1 / ((366 + 184) / 365.25))
    assert (round(wastage, 6), round(wastage_new, 6)) == (0.486505, 0.485259)
    recruits = 2 * wastage / (1 - wastage_new)  # 2 = (1 − w)·2 + (1 − w_new)·recruits; nobody near 65
    row = result.table.iloc[0]
    assert (row.period, row.category, row.demand) == ("2025", "Nurse", 2.0)
    assert row.recruits == pytest.approx(recruits, rel=1e-9)
    assert result.total_cost == pytest.approx(1000 * recruits, rel=1e-9)
    # a value the plan gives overrides the register's
    plan["category"][0].update(initial=10, demand=[10], wastage=0.1, wastage_new=0.5)
    assert sc.optimise_plan(plan, reg, "2024-12-31").table.iloc[0].recruits == pytest.approx(2.0)


def test_categories_not_in_the_register_are_named(sample):
    plan = {"periods": 1, "register": {"by": "position"},
            "category": [{"name": "Astronaut"}, {"name": "Socialsekreterare"}, {"name": "Pilot"}]}
    with pytest.raises(ValueError, match=r"'Astronaut', 'Pilot' are not a group of the register by position"):
        sc.optimise_plan(plan, sample, AS_OF)


def test_a_register_plan_needs_a_register():
    with pytest.raises(ValueError, match=r"give a register and an as-of date"):
        sc.optimise_plan(EXAMPLE)
    status, _, err = cli("optimise", EXAMPLE)
    assert status == 2 and "give a register" in err and "Traceback" not in err


def test_years_name_the_periods(sample):
    plan = {"register": {"by": "position", "years": [2026, 2027]}, "category": [{"name": "Utredare"}]}
    table = sc.optimise_plan(plan, sample, AS_OF).table
    assert table.period.tolist() == ["2026", "2027", "Total"]


def test_the_example_plan_from_the_cli():
    status, out, err = cli("optimise", EXAMPLE, SAMPLE, "--as-of", AS_OF, "--extracted-on", AS_OF, "--format", "csv")
    assert status == 0, err
    frame = pd.read_csv(io.StringIO(out))
    social = frame[(frame.category == "Socialsekreterare")]
    assert social.recruits.tolist() == [45.0, 45.0, 45.0]  # the recruitment cap binds every year
    assert social.moves_in.tolist() == [10.0, 10.0, 10.0]  # and so does the training cap


def test_capacity_by_hand():
    # 120 needed, 90 stay; a capacity person costs 500, a recruit 1000 / (1 − 0.2) = 1250 per person who
    # stays: the 10 capacity persons first, then 25 recruits for the other 20.
    plan = {"periods": 1,
            "category": [{"name": "nurses", "initial": 100, "demand": [120], "wastage": 0.1, "wastage_new": 0.2,
                          "recruit_cost": 1000}],
            "capacity": [{"name": "later retirement", "category": "nurses", "max": 10, "cost": 500}]}
    result = sc.optimise_plan(plan)
    row = result.table.iloc[0]
    assert (row.capacity, row.recruits, row.cost) == (10.0, pytest.approx(25.0), 30000)
    binding = result.binding.set_index("constraint")
    assert binding.loc["capacity_max", "shadow_price"] == pytest.approx(-750.0)
    assert binding.loc["capacity_max", "text"] == ("one more person of later retirement for nurses allowed in "
                                                   "period 1 saves 750")
    # without [[capacity]] the table has no capacity column
    assert "capacity" not in sc.optimise_plan({**plan, "capacity": None}).table.columns


def test_capacity_of_an_unknown_category(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text('periods = 1\n[[category]]\nname = "a"\ndemand = [1]\n'
                    '[[capacity]]\nname = "later retirement"\ncategory = "b"\n')
    status, _, err = cli("optimise", path)
    assert status == 2 and "line 7" in err and "capacity[1].category" in err and "unknown category 'b'" in err


def test_plot_stacks_each_categorys_measures(sample):
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    result = sc.optimise_plan(EXAMPLE, sample, AS_OF)
    table = result.table[result.table.period != "Total"]
    ax = sc.plot.optimised_plan(result.table, lang="sv")
    # per measure a bar per (period, category) that has some of it, bottom up
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["rekryteringar", "flyttade in (utbildning, omställning)",
                      "kapacitet (t.ex. högre sysselsättningsgrad)", "underskott (behov som inte täcks)"]
    heights = sorted(round(p.get_height(), 6) for container in ax.containers for p in container.patches)
    expected = sorted(round(v, 6) for m in ("recruits", "moves_in", "capacity", "shortfall") for v in table[m] if v > 0)
    assert heights == expected
    # the social workers' bars: recruits 45, 10 moved in on top, 7 capacity, then the shortfall
    social = table[table.category == "Socialsekreterare"].iloc[0]
    tops = sorted({round(p.get_y() + p.get_height(), 6) for c in ax.containers for p in c.patches})
    assert round(45 + 10 + 7 + social.shortfall, 6) in tops
    assert ax.get_title() == "Optimerad plan: åtgärder per period"
    assert sc.plot.plot(result.table).get_title() == "Optimised plan: measures per period"  # chosen by the table
    plt.close("all")


def test_an_as_of_after_the_extraction_date_is_refused(sample):
    # The register shows nothing after 2024-09-30: its stocks and rates would be made up.
    with pytest.raises(sc.UnavailableError, match=r"2024-10-01 is after the extraction date 2024-09-30"):
        sc.optimise_plan(EXAMPLE, sample, "2024-10-01")
    status, out, err = cli("optimise", EXAMPLE, SAMPLE, "--as-of", "2025-06-30", "--extracted-on", AS_OF)
    assert status == 2 and out == ""
    assert err == ("staffcast optimise: error: unavailable: 2025-06-30 is after the extraction date 2024-09-30; "
                   "the register does not show what happened then (a projection looks forward)\n")
