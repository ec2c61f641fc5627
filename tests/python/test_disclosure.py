"""Disclosure control (docs/privacy.md, issue #10): small groups' sick leave is never shown, and with
--min-cell K no count under K can be read or recovered from the totals."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pandas as pd
import pytest

import staffcast as sc
from conftest import HEADER, run_cli

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
    """No visible count in 1..k-1; no row or column with exactly one hidden inner count."""
    key = table.columns[0]
    inner = table[table[key] != "Total"]
    for column in counts:
        visible = inner[column].dropna()
        assert not ((visible >= 1) & (visible < k)).any(), (column, visible.tolist())
        if "Total" in set(table[key]):
            assert inner[column].isna().sum() != 1, column  # else Total − the others gives it away
    if row_total is not None:
        cells = [c for c in counts if c != row_total]
        hidden_per_row = inner[cells].isna().sum(axis=1)
        assert not (hidden_per_row == 1).any(), inner[hidden_per_row == 1]


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
