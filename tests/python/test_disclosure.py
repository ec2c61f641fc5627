"""Disclosure control (docs/privacy.md, issue #10): small groups' sick leave is never shown, and with
--min-cell K no count under K can be read or recovered from the totals."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pandas as pd
import pytest

import staffcast as sc
from conftest import HEADER, SAMPLE, run_cli

# Department sizes: "Liten" has 8 people, so its sick leave must never be shown.
SIZES = {"Liten": 8, "Mellan": 23, "Stor": 41, "Störst": 57}


def _register_rows() -> tuple[str, str]:
    rng = np.random.default_rng(11)
    employments, sick = [], ["employee_id,start_date,end_date,extent"]
    n = 0
    for department, size in SIZES.items():
        for _ in range(size):
            n += 1
            gender = "F" if rng.random() < 0.7 else "M"
            birth = f"{int(rng.integers(1958, 1995))}-{int(rng.integers(1, 13)):02d}-15"
            start = f"{int(rng.integers(2010, 2022))}-0{int(rng.integers(1, 10))}-01"
            # A few leave during 2024, so that flows have small counts.
            if rng.random() < 0.15:
                end, reason = f"2024-0{int(rng.integers(2, 9))}-10", "own_request"
            else:
                end, reason = "", ""
            employments.append(f"P{n:04d},{birth},{gender},permanent,Handläggare,{department},1.00,{start},{end},"
                               f"{reason},external,")
            # Everyone has one absence in spring 2024, some longer than 60 days.
            length = int(rng.choice([3, 9, 20, 75]))
            sick.append(f"P{n:04d},2024-03-01,{(pd.Timestamp('2024-03-01') + pd.Timedelta(days=length - 1)).date()},1.0")
    # Two people who left in 2019 give the register an observed history before 2024.
    employments += ["Q0001,1960-01-01,F,permanent,Handläggare,Stor,1.00,2005-01-01,2019-06-30,retirement,external,",
                    "Q0002,1970-01-01,M,permanent,Handläggare,Stor,1.00,2005-01-01,2019-06-30,own_request,external,"]
    return "".join(line + "\n" for line in employments), "\n".join(sick) + "\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("disclosure")
    employments, sick = _register_rows()
    (root / "employments.csv").write_text(HEADER + employments)
    (root / "sick_leave.csv").write_text(sick)
    return root


def _run(*args):
    """The command on the fixture, extracted on 2024-09-30 (its rows run to 2024-09-10)."""
    return run_cli(*args, "--extracted-on", "2024-09-30")


def _csv(result) -> pd.DataFrame:
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), keep_default_na=True, dtype={"suppressed": str})


SICK_COLUMNS = ["sick_rate", "short_term_rate", "from_day_60_rate", "long_term_share"]


@pytest.mark.parametrize("by", ["department", "department,gender"])
def test_sick_leave_of_a_department_of_8_is_never_shown(files, by):
    table = _csv(_run("sick-leave", files / "employments.csv", "--sick-leave", files / "sick_leave.csv",
                         "--from", "2024-01-01", "--to", "2024-08-31", "--extracted-on", "2024-09-30",
                         "--by", by, "--format", "csv"))
    small = table[table.department == "Liten"]
    assert len(small) >= 1
    assert small[SICK_COLUMNS].isna().all().all()
    # It cannot be recovered from the Total row either: with one group blanked, another is blanked too.
    inner = table[table.department != "Total"]
    assert inner.sick_rate.isna().sum() >= 2
    # Groups of more than 10 with several people's sick time are shown.
    shown = inner[inner.persons > 10]
    assert shown.sick_rate.notna().any()


def test_the_python_api_suppresses_it_too(files):
    reg = sc.read_register(files / "employments.csv", extracted_on="2024-09-30")
    sick = sc.read_sick_leave(files / "sick_leave.csv", register=reg)
    table = sc.sick_leave(reg, sick, "2024-01-01", "2024-08-31", by="department", totals=True)
    assert table.loc[table.department == "Liten", "sick_rate"].isna().all()
    unsuppressed = sc.sick_leave(reg, sick, "2024-01-01", "2024-08-31", by="department", suppress=False)
    assert unsuppressed.loc[unsuppressed.department == "Liten", "sick_rate"].notna().all()  # the data is there


def _assert_nothing_recoverable(table: pd.DataFrame, counts: list[str], row_total: str | None, k: int) -> None:
    """No visible count in 1..k-1; no column (with its Total row) and no row (with its row total) that holds
    exactly one hidden count, so none can be worked out by subtraction."""
    key = table.columns[0]
    inner = table[table[key] != "Total"]
    for column in counts:
        visible = inner[column].dropna()
        assert not ((visible >= 1) & (visible < k)).any(), (column, visible.tolist())
        if "Total" in set(table[key]) or len(inner) >= 2:
            assert table[column].isna().sum() != 1, column  # else Total − the others gives it away
    if row_total is not None:
        hidden_per_row = table[counts].isna().sum(axis=1)
        assert not (hidden_per_row == 1).any(), table[hidden_per_row == 1]


def test_min_cell_5_on_the_retirement_table(files):
    table = _csv(_run("retirements", files / "employments.csv", "--as-of", "2024-09-30", "--years",
                         "2025-2027", "--by", "department", "--min-cell", "5", "--format", "csv"))
    counts = ["already_past", "2025", "2026", "2027", "total"]
    _assert_nothing_recoverable(table, counts, "total", 5)
    assert table[counts].isna().any().any()  # the test data has small cells, so something was suppressed


@pytest.mark.parametrize("command,args,counts,row_total", [
    ("flows", ("--from", "2024-01-01", "--to", "2024-09-30"),
     ["departures", "recruitments", "moves_out", "moves_in"], None),
    ("snapshot", ("--as-of", "2024-09-30"), ["headcount"], None),
    ("departures", ("--from", "2024-01-01", "--to", "2024-09-30"), None, None),
])
def test_min_cell_5_on_other_tables(files, command, args, counts, row_total):
    table = _csv(_run(command, files / "employments.csv", *args, "--by", "department,gender",
                         "--extracted-on", "2024-09-30", "--min-cell", "5", "--format", "csv"))
    if counts is None:  # by-reason tables: every integer column but the keys
        counts = [c for c in table.columns if c not in ("department", "gender", "suppressed")
                  and pd.api.types.is_numeric_dtype(table[c])]
    _assert_nothing_recoverable(table, counts, row_total, 5)


def test_recovery_by_brute_force_is_impossible_on_a_small_table():
    """On a table small enough to enumerate, every hidden cell admits at least two values consistent with
    the published margins (so none is determined)."""
    frame = pd.DataFrame({"department": ["A", "B", "C", "Total"], "F": [2, 6, 9, 17], "M": [7, 1, 8, 16],
                          "total": [9, 7, 17, 33]})
    frame.attrs["staffcast"] = {"kinds": {"department": "key", "F": "count", "M": "count", "total": "count"},
                                "row_total": "total"}
    out = sc.disclose(frame, min_count=5)
    hidden = [(i, c) for i in range(3) for c in ("F", "M") if pd.isna(out.loc[i, c])]
    assert (0, "F") in hidden and (1, "M") in hidden
    # Enumerate every value a hidden cell can take (0 up to its row's total) and keep the assignments that
    # match every published total.
    published = {(i, c): int(out.loc[i, c]) for i in range(3) for c in ("F", "M") if (i, c) not in hidden}
    row_totals = [int(out.loc[i, "total"]) for i in range(3)]
    column_totals = {c: int(out.loc[3, c]) for c in ("F", "M")}
    solutions = []
    for values in itertools.product(*(range(row_totals[i] + 1) for i, _ in hidden)):
        grid = {**published, **dict(zip(hidden, values))}
        if all(grid[(i, "F")] + grid[(i, "M")] == row_totals[i] for i in range(3)) and \
                all(sum(grid[(i, c)] for i in range(3)) == column_totals[c] for c in ("F", "M")):
            solutions.append(values)
    assert len(solutions) >= 2
    for position in range(len(hidden)):
        assert len({s[position] for s in solutions}) >= 2, hidden[position]


def _hand_table() -> pd.DataFrame:
    # Worked out by hand (tests/cpp/test_disclosure.cpp has the same table): R1 a = 2 is hidden. Blanking the
    # smallest visible group cell of each open sum in turn hides R1 b, R3 a, R2 b, R3 b and R2 a (290 persons).
    # With the totals as candidates R1 b (100) and the Total's a and b close every sum; with the Total row kept
    # (published elsewhere), R1 b (100), R3 a (10) and R3 b (70) do, 180 persons.
    frame = pd.DataFrame({"group": ["R1", "R2", "R3", "Total"], "a": [2, 50, 10, 62], "b": [100, 60, 70, 230],
                          "total": [102, 110, 80, 292], "share_a": [2 / 102, 50 / 110, 10 / 80, 62 / 292]})
    frame.attrs["staffcast"] = {"kinds": {"group": "key", "a": "count", "b": "count", "total": "count",
                                          "share_a": "rate"}, "row_total": "total"}
    return frame


def _hidden(out: pd.DataFrame, key: str, columns: list[str]) -> set[tuple[str, str]]:
    return {(g, c) for g, row in zip(out[key], out[columns].isna().to_numpy()) for c, h in zip(columns, row) if h}


def test_secondary_suppression_hides_the_fewest_persons():
    out = sc.disclose(_hand_table(), min_count=5)
    assert _hidden(out, "group", ["a", "b", "total"]) == {("R1", "a"), ("R1", "b"), ("Total", "a"), ("Total", "b")}
    assert out.attrs["staffcast"]["disclosure"] == {"min_count": 5, "primary_cells": 1, "secondary_cells": 3,
                                                    "secondary_persons": 100.0, "optimal": True}
    # the rates of the rows with a hidden count go too; the row totals (group sizes) stay
    assert out["share_a"].isna().tolist() == [True, False, False, True]
    assert out["total"].tolist() == [102, 110, 80, 292]
    assert out["suppressed"].tolist() == ["a;b;share_a", "", "", "a;b;share_a"]
    kept = sc.disclose(_hand_table(), min_count=5, keep_totals=True)
    assert _hidden(kept, "group", ["a", "b", "total"]) == {("R1", "a"), ("R1", "b"), ("R3", "a"), ("R3", "b")}
    assert kept.attrs["staffcast"]["disclosure"]["secondary_persons"] == 180


def test_two_categories_with_their_totals_by_hand():
    # Women and men, full time and part time; F part time = 2 must be hidden. Its row needs F full (500) or
    # F persons (502), its column M part (40) or the Total's (42, nobody's own cell). The cheapest: F full with
    # the Total's part and full time (500 persons' cells); through the men it would be 500 + 40 + 247 = 787.
    frame = pd.DataFrame({"gender": ["F", "M", "Total"], "persons": [502, 287, 789], "full_time": [500, 247, 747],
                          "part_time": [2, 40, 42]})
    frame.attrs["staffcast"] = {"kinds": {"gender": "key", "persons": "count", "full_time": "count",
                                          "part_time": "count"}, "row_total": "persons"}
    out = sc.disclose(frame, min_count=5)
    assert out["persons"].tolist() == [502, 287, 789]
    assert out["full_time"].isna().tolist() == [True, False, True]
    assert out["part_time"].isna().tolist() == [True, False, True]
    assert out.attrs["staffcast"]["disclosure"]["secondary_persons"] == 500
    # with the Total kept, the men's cells are the cheapest way
    kept = sc.disclose(frame, min_count=5, keep_totals=True)
    assert kept["full_time"].isna().tolist() == [True, True, False]
    assert kept.attrs["staffcast"]["disclosure"]["secondary_persons"] == 787


def test_a_total_equal_to_its_only_group_is_hidden_with_it():
    frame = pd.DataFrame({"department": ["A", "Total"], "departures": [3, 3], "recruitments": [12, 12]})
    frame.attrs["staffcast"] = {"kinds": {"department": "key", "departures": "count", "recruitments": "count"}}
    out = sc.disclose(frame, min_count=5)
    assert out["departures"].isna().tolist() == [True, True]
    assert out["recruitments"].tolist() == [12, 12]


def test_full_time_by_gender_of_the_sample_keeps_the_men():
    """The sample: 8 persons of gender X, 2 of them part time. The men's row (247) stays; X's full time and
    the Total's full and part time go (the Total of persons is the headcount, published as a key figure)."""
    reg = sc.read_register(SAMPLE / "employments.csv")
    raw = sc.full_time(reg, "2024-09-30", by="gender", totals=True)
    assert raw["persons"].tolist() == [768, 247, 8, 1023] and raw["part_time"].tolist()[2] == 2
    out = sc.disclose(raw, min_count=5, keep_totals=["persons"])
    assert out[out["gender"] == "M"].drop(columns="suppressed").equals(raw[raw["gender"] == "M"]
                                                                       .drop(columns=[]).astype(out.dtypes.drop(
                                                                           "suppressed").to_dict()))
    assert _hidden(out, "gender", ["persons", "full_time", "part_time"]) == {
        ("X", "full_time"), ("X", "part_time"), ("Total", "full_time"), ("Total", "part_time")}
    assert out.attrs["staffcast"]["disclosure"]["secondary_persons"] == 6
    _assert_nothing_recoverable(out, ["persons", "full_time", "part_time"], "persons", 5)
