"""Checks of the pandas/numpy reference (tests/python/reference.py) itself.

Part 1: tiny hand-made registers whose answers are worked out by hand in the
comments. Part 2: a slow, literal, day-by-day pure-Python implementation of the
same rules, compared with the vectorised reference on a small generated
register. Only when both hold is the reference used to judge staffcast.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

import reference as ref

HEADER = ("employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,"
          "end_reason,recruitment_source,manager_id\n")


def frame(rows: str, header: str = HEADER) -> pd.DataFrame:
    text = header + "\n".join(line.strip() for line in rows.strip().splitlines()) + "\n"
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def sick_frame(rows: str) -> pd.DataFrame:
    return frame(rows, "employee_id,start_date,end_date,extent\n")


def records(table: pd.DataFrame, by) -> dict:
    """{group tuple: row dict} for easy lookups."""
    out = {}
    for _, row in table.iterrows():
        out[tuple(row[c] for c in by)] = row.to_dict()
    return out


# --------------------------------------------------------------------------- ages, bands, 29 February


def test_age_leap_day_birthday():
    # Born 29 Feb: in common years the birthday is 28 Feb.
    assert ref.age_on("1960-02-29", "2025-02-27") == 64
    assert ref.age_on("1960-02-29", "2025-02-28") == 65
    assert ref.age_on("1960-02-29", "2024-02-28") == 63  # leap year: birthday is 29 Feb
    assert ref.age_on("1960-02-29", "2024-02-29") == 64
    assert ref.age_on("1960-02-29", "2024-03-01") == 64
    assert ref.age_on("1980-06-15", "2021-06-14") == 40
    assert ref.age_on("1980-06-15", "2021-06-15") == 41


LEAP = """
L1,1960-02-29,F,permanent,Utredare,A,1.00,2000-01-01,,,external,
L2,1985-05-05,M,permanent,Utredare,A,1.00,2016-02-29,,,external,
"""


def test_snapshot_leap_day_age_and_tenure():
    emp = frame(LEAP)
    # 2025-02-27: L1 is 64 (60-64); 2025-02-28: L1 is 65 (65+).
    before = ref.snapshot(emp, "2025-02-27", by=["age_band"])
    assert records(before, ["age_band"])[("60-64",)]["headcount"] == 1
    on = ref.snapshot(emp, "2025-02-28", by=["age_band"])
    assert records(on, ["age_band"])[("65+",)]["mean_age"] == 65.0
    assert ("60-64",) not in records(on, ["age_band"])
    # L2 started 2016-02-29: 9 service years on 2025-02-28 (anniversary rule), 10 on 2026-02-28, 9 the day before.
    t = lambda d: records(ref.snapshot(emp, d, by=["tenure_band"]), ["tenure_band"])
    assert t("2025-02-28")[("5-9",)]["headcount"] == 1  # L2 (L1 has 25 years: 10+)
    assert t("2026-02-27")[("5-9",)]["headcount"] == 1
    assert ("5-9",) not in t("2026-02-28")
    assert t("2026-02-28")[("10+",)]["headcount"] == 2
    # statutory bands, exact Unicode labels
    stat = ref.snapshot(emp, "2025-02-28", by=["age_band"], age_bands="statutory")
    assert stat["age_band"].tolist() == ["30-49", "\u226550"]
    # retirements: L1's 65th birthday is 2025-02-28, in 2025
    ret = ref.retirements(emp, "2024-09-30", [2025, 2026])
    assert ret.iloc[0].to_dict() == {"already_past": 0, "2025": 1, "2026": 0, "total": 1}


# --------------------------------------------------------------------------- window bounds and extraction date

BOUNDS = """
A,1980-01-01,F,permanent,P,D1,1.00,2024-01-01,2024-06-30,own_request,external,
B,1980-01-01,F,permanent,P,D1,1.00,2023-12-31,2024-07-01,own_request,external,
C,1980-01-01,F,permanent,P,D1,1.00,2024-06-30,,,external,
D,1980-01-01,F,permanent,P,D1,1.00,2020-01-01,2023-12-31,own_request,external,
"""


def test_flows_and_snapshot_on_window_bounds():
    emp = frame(BOUNDS)
    # [2024-01-01, 2024-06-30]: A starts on the first day and ends on the last (1 rec, 1 dep);
    # B starts the day before and ends the day after (nothing); C starts on the last day (1 rec); D ends before.
    f = ref.flows(emp, "2024-01-01", "2024-06-30")
    assert f.iloc[0].to_dict() == {"departures": 1, "recruitments": 2, "moves_out": 0, "moves_in": 0}
    assert f.dtypes.tolist() == [np.int64] * 4
    assert ref.snapshot(emp, "2024-06-30")["headcount"].tolist() == [3]  # A, B, C
    assert ref.snapshot(emp, "2024-07-01")["headcount"].tolist() == [2]  # B (last day), C
    assert ref.snapshot(emp, "2023-12-31")["headcount"].tolist() == [2]  # B, D
    # extracted_on defaults to the latest start (2024-06-30): B's end 2024-07-01 is planned, not a departure.
    f = ref.flows(emp, "2024-01-01", "2024-12-31")
    assert f["departures"].tolist() == [1]
    f = ref.flows(emp, "2024-01-01", "2024-12-31", extracted_on="2024-12-31")
    assert f["departures"].tolist() == [2]


# --------------------------------------------------------------------------- concurrent spells, main spell

CONCURRENT = """
P1,1980-06-15,F,permanent,P,Z,0.60,2020-01-01,,,external,
P1,1980-06-15,F,permanent,P,A,0.40,2020-01-01,,,external,
P2,1980-06-15,F,permanent,P,Z,0.50,2019-01-01,,,external,
P2,1980-06-15,F,permanent,P,A,0.50,2020-01-01,,,external,
P3,1980-06-15,F,permanent,P,A,0.50,2020-01-01,2030-12-31,fixed_term_ended,external,
P3,1980-06-15,F,permanent,P,Z,0.50,2020-01-01,,,external,
P4,1980-06-15,F,temporary,P,A,0.50,2020-01-01,,,external,
P4,1980-06-15,F,permanent,P,Z,0.50,2020-01-01,,,external,
P5,1980-06-15,F,permanent,P,a,0.50,2020-01-01,,,external,
P5,1980-06-15,F,permanent,P,B,0.50,2020-01-01,,,external,
P6,1980-06-15,M,hourly,P,A,,2020-01-01,,,external,
P6,1980-06-15,M,permanent,P,Z,0.10,2020-01-01,,,external,
P7,1980-06-15,M,hourly,P,A,,2020-01-01,,,external,
"""


def test_snapshot_two_spells_at_once():
    emp = frame(CONCURRENT)
    day = "2021-01-01"  # everyone is 40
    # Main spells: P1 Z (larger fte); P2 Z (earlier start); P3 Z (open end is latest); P4 Z ('permanent' <
    # 'temporary'); P5 B ('B' < 'a' by code point); P6 Z (0.10 > empty fte = 0); P7 A (hourly only).
    total = ref.snapshot(emp, day)
    assert total.iloc[0].to_dict() == {"headcount": 7, "fte": pytest.approx(5.1), "mean_age": 40.0}
    by = records(ref.snapshot(emp, day, by=["department"]), ["department"])
    # fte of each spell in its own department: A = .4+.5+.5+.5 = 1.9 (headcount P7 only), B = .5, Z = .6+.5*3+.1
    assert list(by) == [("A",), ("B",), ("Z",), ("a",)]  # code point order
    assert by[("A",)]["headcount"] == 1 and by[("A",)]["fte"] == pytest.approx(1.9)
    assert by[("B",)]["headcount"] == 1 and by[("B",)]["fte"] == pytest.approx(0.5)
    assert by[("Z",)]["headcount"] == 5 and by[("Z",)]["fte"] == pytest.approx(2.2)
    assert by[("a",)]["headcount"] == 0 and by[("a",)]["fte"] == pytest.approx(0.5)
    assert math.isnan(by[("a",)]["mean_age"])
    # fte_band from the summed fte: P1..P5 1.00, P6 0.10, P7 none (empty label); sorted "" < "1.00" < "<0.50"
    bands = ref.snapshot(emp, day, by=["fte_band"])
    assert bands["fte_band"].tolist() == ["", "1.00", "<0.50"]
    assert bands["headcount"].tolist() == [1, 5, 1]
    assert bands["fte"].tolist() == pytest.approx([0.0, 5.0, 0.1])
    # the fte of a spell goes to its own form, with the person's fte_band
    ff = records(ref.snapshot(emp, day, by=["employment_form", "fte_band"]), ["employment_form", "fte_band"])
    assert ff[("temporary", "1.00")]["headcount"] == 0 and ff[("temporary", "1.00")]["fte"] == pytest.approx(0.5)
    # P6's hourly spell: headcount 0 and fte 0 in ("hourly", "<0.50") -> no row
    assert ff[("hourly", "")]["headcount"] == 1 and ("hourly", "<0.50") not in ff
    # filter first: under department="A" P1..P4 and P6 keep only their A spell, so they count there
    fa = ref.snapshot(emp, day, department="A")
    assert fa.iloc[0].to_dict() == {"headcount": 6, "fte": pytest.approx(1.9), "mean_age": 40.0}
    # full time over persons with fte (P7 excluded): P1..P5 full, P6 part
    ft = ref.full_time(emp, day, by=["department"])
    assert ft.to_dict("records") == [
        {"department": "B", "persons": 1, "full_time": 1, "part_time": 0, "full_time_share": 1.0},
        {"department": "Z", "persons": 5, "full_time": 4, "part_time": 1, "full_time_share": 0.8},
    ]
    assert ref.full_time(emp, day)["persons"].tolist() == [6]
    # Flows count spells' starts. P2's A spell starts while its Z spell (from 2019) covers the day before:
    # a continuation. Spells starting on the same day do not continue each other ("started earlier" is
    # strict), so each is a recruitment: P1, P3..P6 two each, P7 one = 11 in 2020; in department A:
    # P1, P3, P4, P6, P7 = 5.
    fl = ref.flows(emp, "2020-01-01", "2020-12-31", by=["department"])
    assert fl["recruitments"].tolist() == [5, 1, 4, 1] and fl["departures"].sum() == 0


# --------------------------------------------------------------------------- re-hire, moves

REHIRE = """
R,1980-01-01,F,permanent,P,A,1.00,2018-01-01,2020-03-31,own_request,external,
R,1980-01-01,F,permanent,P,A,1.00,2020-05-01,,,rehire,
"""


def test_rehire_after_gap_is_departure_and_recruitment():
    emp = frame(REHIRE)
    f = ref.flows(emp, "2020-01-01", "2020-12-31")
    assert f.iloc[0].to_dict() == {"departures": 1, "recruitments": 1, "moves_out": 0, "moves_in": 0}
    t = ref.turnover(emp, "2020-01-01", "2020-12-31")
    # rehire counts as external; days employed in 2020 (366 days): Jan-Mar 91 + May-Dec 245 = 336
    assert t.iloc[0]["recruitments"] == 1 and t.iloc[0]["departures"] == 1
    assert t.iloc[0]["average_headcount"] == pytest.approx(336 / 366)
    assert t.iloc[0]["turnover"] == pytest.approx(1.0 / (336 / 366))
    # tenure restarts at the re-hire: <1 on 2020-06-01
    assert ref.snapshot(emp, "2020-06-01", by=["tenure_band"])["tenure_band"].tolist() == ["<1"]


MOVES = """
M1,1980-01-01,F,permanent,P,A,1.00,2015-01-01,2020-03-31,internal_move,external,
M1,1980-01-01,F,permanent,P,B,1.00,2020-05-01,,,internal,
M2,1980-01-01,F,permanent,P,A,1.00,2015-01-01,2020-03-31,internal_move,external,
M2,1980-01-01,F,permanent,P,B,1.00,2020-05-02,,,internal,
M3,1980-01-01,F,permanent,P,A,1.00,2015-01-01,2020-03-31,internal_move,external,
M3,1980-01-01,F,permanent,P,B,1.00,2020-03-15,,,internal,
"""


def test_internal_move_31_and_32_days():
    emp = frame(MOVES)
    # M1: 2020-05-01 - 2020-03-31 = 31 days -> move. M2: 32 days -> departure (reason internal_move) and
    # recruitment (source internal). M3: overlapping next spell -> move.
    f = records(ref.flows(emp, "2020-01-01", "2020-12-31", by=["department"]), ["department"])
    assert f[("A",)] == {"department": "A", "departures": 1, "recruitments": 0, "moves_out": 2, "moves_in": 0}
    assert f[("B",)] == {"department": "B", "departures": 0, "recruitments": 1, "moves_out": 0, "moves_in": 2}
    # both halves count even when the other half lies outside the period
    f = ref.flows(emp, "2020-04-15", "2020-12-31")
    assert f.iloc[0].to_dict() == {"departures": 0, "recruitments": 1, "moves_out": 0, "moves_in": 1}
    # a move always counts for the population holding that half
    fb = ref.flows(emp, "2020-01-01", "2020-12-31", department="B")
    assert fb.iloc[0].to_dict() == {"departures": 0, "recruitments": 1, "moves_out": 0, "moves_in": 2}
    # turnover: M2's recruitment has source internal (not counted), its departure counts
    t = ref.turnover(emp, "2020-01-01", "2020-12-31")
    assert (t.iloc[0]["recruitments"], t.iloc[0]["departures"]) == (0, 1)
    # chained tenure: M1 and M3 joined back to 2015 (5 years on 2020-06-01), M2 starts afresh
    ten = records(ref.snapshot(emp, "2020-06-01", by=["tenure_band"]), ["tenure_band"])
    assert ten[("5-9",)]["headcount"] == 2 and ten[("<1",)]["headcount"] == 1
    # flows by tenure: M1's move_in on 2020-05-01 has 5 service years; M2's recruitment <1
    ft = records(ref.flows(emp, "2020-04-15", "2020-12-31", by=["tenure_band"]), ["tenure_band"])
    assert ft[("5-9",)]["moves_in"] == 1 and ft[("<1",)]["recruitments"] == 1


# --------------------------------------------------------------------------- continuations and filters

TEMP_PERM = """
T,1980-01-01,F,temporary,P,A,1.00,2019-01-01,2019-12-31,fixed_term_ended,external,
T,1980-01-01,F,permanent,P,A,1.00,2020-01-01,,,,
U,1985-01-01,M,temporary,P,A,0.50,2019-01-01,2020-03-31,fixed_term_ended,external,
U,1985-01-01,M,temporary,P,A,0.50,2020-04-01,2020-09-30,fixed_term_ended,,
"""


def test_temporary_to_permanent_continuation():
    emp = frame(TEMP_PERM)
    window = ("2019-06-01", "2020-06-30")
    # Unfiltered: T's temporary end is followed by the permanent spell the next day -> continuation,
    # and the permanent start is not a recruitment. U's renewal likewise; U's second end is after the window.
    f = ref.flows(emp, *window)
    assert f.iloc[0].to_dict() == {"departures": 0, "recruitments": 0, "moves_out": 0, "moves_in": 0}
    # Permanent staff: T's permanent start is a recruitment (partner outside), source internal.
    fp = ref.flows(emp, *window, employment_form="permanent")
    assert fp.iloc[0].to_dict() == {"departures": 0, "recruitments": 1, "moves_out": 0, "moves_in": 0}
    tp = ref.turnover(emp, *window, employment_form="permanent")
    assert tp.iloc[0]["recruitments"] == 0  # internal source does not count in municipal turnover
    # Temporary staff: T's temporary end is a departure; U's renewal stays a continuation.
    ftmp = ref.flows(emp, *window, employment_form="temporary")
    assert ftmp.iloc[0].to_dict() == {"departures": 1, "recruitments": 0, "moves_out": 0, "moves_in": 0}
    tt = ref.turnover(emp, *window, employment_form="temporary", definition="separation")
    assert tt.iloc[0]["departures"] == 1
    # Both forms together = unfiltered
    both = ref.flows(emp, *window, employment_form=["temporary", "permanent"])
    assert both.iloc[0].to_dict() == f.iloc[0].to_dict()
    # extracted_on defaults to the latest start, 2020-04-01: U's end 2020-09-30 is planned, not a departure
    assert ref.flows(emp, "2020-07-01", "2020-12-31")["departures"].tolist() == [0]
    assert ref.flows(emp, "2020-07-01", "2020-12-31", extracted_on="2020-12-31")["departures"].tolist() == [1]
    # T's chain runs from 2019-01-01: 1 year on 2020-01-01
    assert ref.snapshot(emp, "2020-01-01", by=["tenure_band"])["tenure_band"].tolist() == ["1-2"]


# --------------------------------------------------------------------------- retirements

RETIRE = """
N1,1960-01-01,F,permanent,P,A,1.00,2000-01-01,,,external,
N2,1959-12-31,F,permanent,P,A,1.00,2000-01-01,,,external,
N3,1960-02-29,F,permanent,P,B,1.00,2000-01-01,,,external,
N4,1962-12-31,M,permanent,P,B,1.00,2000-01-01,,,external,
N5,1970-05-05,M,permanent,P,B,1.00,2000-01-01,,,external,
N6,1955-05-05,M,temporary,P,B,1.00,2000-01-01,,,external,
N7,1961-05-05,M,permanent,P,B,1.00,2000-01-01,2024-09-29,own_request,external,
"""


def test_retirements_turning_65_on_1_january():
    emp = frame(RETIRE)
    # N1 turns 65 on 2025-01-01 -> 2025, not already past; N2 on 2024-12-31 -> already past;
    # N3 (29 Feb) on 2025-02-28 -> 2025; N4 on 2027-12-31 -> 2027; N5 in 2035 -> none; N6 already past;
    # N7 left before the as-of date -> not counted.
    out = ref.retirements(emp, "2024-09-30", [2025, 2026, 2027], by=["department"])
    assert list(out.columns) == ["department", "already_past", "2025", "2026", "2027", "total"]
    assert out.to_dict("records") == [
        {"department": "A", "already_past": 1, "2025": 1, "2026": 0, "2027": 0, "total": 2},
        {"department": "B", "already_past": 1, "2025": 1, "2026": 0, "2027": 1, "total": 3},
    ]
    perm = ref.retirements(emp, "2024-09-30", [2025, 2026, 2027], employment_form="permanent")
    assert perm.iloc[0].to_dict() == {"already_past": 1, "2025": 2, "2026": 0, "2027": 1, "total": 4}
    # age 67: N6 (1955) already past; N2 -> 2026; N1, N3 -> 2027
    r67 = ref.retirements(emp, "2024-09-30", [2025, 2026, 2027], age=67)
    assert r67.iloc[0].to_dict() == {"already_past": 1, "2025": 0, "2026": 1, "2027": 2, "total": 4}
    # N1's age band changes on 1 January
    assert records(ref.snapshot(emp, "2024-12-31", by=["age_band"]), ["age_band"])[("60-64",)]["headcount"] == 3
    assert records(ref.snapshot(emp, "2025-01-01", by=["age_band"]), ["age_band"])[("60-64",)]["headcount"] == 2


# --------------------------------------------------------------------------- average headcount and turnover

TEN_DAYS = """
A,1990-01-01,F,permanent,P,X,1.00,2020-01-01,,,external,
B,1990-01-01,F,permanent,P,X,1.00,2020-01-01,2024-03-05,own_request,external,
C,1990-01-01,F,permanent,P,X,1.00,2024-03-08,,,external,
D,1964-03-06,M,permanent,P,Y,1.00,2020-01-01,,,external,
"""


def test_average_headcount_ten_days():
    emp = frame(TEN_DAYS)
    window = ("2024-03-01", "2024-03-10")
    # A 10 days, B 5 days (1-5 March), C 3 days (8-10), D 10 days: (10 + 5 + 3 + 10) / 10 = 2.8
    t = ref.turnover(emp, *window)
    row = t.iloc[0].to_dict()
    assert row["average_headcount"] == pytest.approx(2.8)
    assert (row["recruitments"], row["departures"]) == (1, 1)
    assert row["turnover"] == pytest.approx((1 + 1) / 2 / 2.8)
    # D turns 60 on 2024-03-06: 5 days in 50-59, 5 days in 60-64
    by = records(ref.turnover(emp, *window, by=["age_band"]), ["age_band"])
    assert by[("30-39",)]["average_headcount"] == pytest.approx(1.8)
    assert by[("30-39",)]["turnover"] == pytest.approx(1 / 1.8)
    assert by[("50-59",)]["average_headcount"] == pytest.approx(0.5)
    assert by[("60-64",)]["average_headcount"] == pytest.approx(0.5)
    assert by[("60-64",)]["turnover"] == 0.0
    # the other definitions
    sep = ref.turnover(emp, *window, definition="separation").iloc[0]["turnover"]
    assert sep == pytest.approx(1 / 2.8)
    assert ref.turnover(emp, *window, definition="own_request").iloc[0]["turnover"] == pytest.approx(1 / 2.8)
    assert ref.turnover(emp, *window, definition="min").iloc[0]["turnover"] == pytest.approx(1 / 2.8)
    excl = ref.turnover(emp, *window, exclude_reasons=["own_request"]).iloc[0]
    assert excl["departures"] == 0 and excl["turnover"] == pytest.approx(0.5 / 2.8)
    ann = ref.turnover(emp, *window, annualise=True).iloc[0]["turnover"]
    assert ann == pytest.approx((1 + 1) / 2 / 2.8 * 365.25 / 10)


def test_average_headcount_spells_touching_the_window_bounds():
    emp = frame("""
        E,1990-01-01,F,permanent,P,X,1.00,2024-02-01,2024-03-01,own_request,external,
        F,1990-01-01,F,permanent,P,X,1.00,2024-03-10,,,external,
        G,1990-01-01,F,permanent,P,X,1.00,2024-02-01,2024-02-29,own_request,external,
        K,1990-01-01,F,permanent,P,X,0.50,2024-03-11,,,external,
    """)
    # E is employed on the first day only, F on the last day only, G and K not at all: (1 + 1) / 10 = 0.2
    t = ref.turnover(emp, "2024-03-01", "2024-03-10").iloc[0]
    assert (t["average_headcount"], t["recruitments"], t["departures"]) == (pytest.approx(0.2), 1, 1)
    # sick leave: E sick 29 Feb - 2 Mar counts only on 1 March (day 2 of the absence); fte_days 1 + 1
    sick = sick_frame("E,2024-02-29,2024-03-02,1.0\nK,2024-03-10,2024-03-12,1.0")
    s = ref.sick_leave(emp, sick, "2024-03-01", "2024-03-10").iloc[0]
    assert (s["persons"], s["fte_days"], s["sick_rate"], s["short_term_rate"]) == (2, 2.0, 0.5, 0.5)


SCOPE = """
A,1990-01-01,F,permanent,P,X,1.00,2020-01-01,2024-03-03,other_administration,external,
B,1990-01-01,F,permanent,P,X,1.00,2024-03-04,,,other_administration,
C,1990-01-01,F,permanent,P,X,1.00,2020-01-01,2024-03-06,retirement,external,
D,1990-01-01,F,permanent,P,X,1.00,2024-03-07,,,,
E,1990-01-01,F,permanent,P,X,1.00,2020-01-01,,,external,
H,1980-01-01,F,permanent,P,Z,1.00,2020-01-01,2024-03-05,own_request,external,
H,1980-01-01,F,permanent,P,W,0.20,2021-01-01,2024-03-05,own_request,external,
"""


def test_turnover_scope_definitions_and_empty_groups():
    emp = frame(SCOPE)
    window = ("2024-03-01", "2024-03-10")
    # departures: A (other_administration), C (retirement), H twice (both spells end the same day: no
    # continuation, so both ends are departures); recruitments: B (other_administration), D (empty = external)
    # days: A 3, B 7, C 6, D 4, E 10, H 5 (once: persons, not spells) = 35 -> 3.5
    t = ref.turnover(emp, *window).iloc[0]
    assert (t["average_headcount"], t["recruitments"], t["departures"]) == (pytest.approx(3.5), 2, 4)
    emp_scope = ref.turnover(emp, *window, scope="employer").iloc[0]
    assert (emp_scope["recruitments"], emp_scope["departures"]) == (1, 3)
    own = ref.turnover(emp, *window, definition="own_request").iloc[0]
    assert own["departures"] == 2 and own["turnover"] == pytest.approx(2 / 3.5)
    # H's W spell is never the main spell: department W has a departure but no average headcount -> NaN
    by = records(ref.turnover(emp, *window, by=["department"]), ["department"])
    assert by[("W",)]["average_headcount"] == 0.0 and by[("W",)]["departures"] == 1
    assert math.isnan(by[("W",)]["turnover"])
    assert by[("Z",)]["average_headcount"] == pytest.approx(0.5) and by[("Z",)]["departures"] == 1


# --------------------------------------------------------------------------- sick leave

SICK_EMP = """
S,1980-01-01,F,permanent,P,A,1.00,2020-01-01,,,external,
L,1960-01-01,M,permanent,P,A,0.50,2020-01-01,,,external,
O,1990-01-01,F,permanent,P,B,1.00,2020-01-01,,,external,
U,1990-01-01,F,permanent,P,B,1.00,2024-03-01,2024-03-15,own_request,external,
W,1990-01-01,F,permanent,P,B,0.80,2020-01-01,,,external,
W,1990-01-01,F,temporary,P,C,0.50,2020-01-01,,,external,
H,1990-01-01,F,hourly,P,B,,2020-01-01,,,external,
"""

SICK = """
S,2024-02-20,2024-03-10,1.0
L,2024-01-01,2024-03-31,0.5
O,2024-03-05,2024-03-08,0.75
O,2024-03-07,2024-03-12,0.5
O,2024-03-13,2024-03-13,0.25
U,2024-03-10,2024-03-20,1.0
H,2024-03-01,2024-03-31,1.0
X,2024-03-01,2024-03-31,1.0
"""


def test_sick_leave_by_hand():
    emp, sick = frame(SICK_EMP), sick_frame(SICK)
    window = ("2024-03-01", "2024-03-31")  # 31 days
    # S: absence from 20 Feb (day 1); 1 March is day 11 (Feb 2024 has 29 days). Inside the window 1-10 March
    #    = 10 days, days 11..20: short (<= 14) = 1-4 March = 4 days. Total length 20 days (< 60).
    # L: fte .50, extent .5 -> .25 per day, 31 days = 7.75; 1 March is day 61 -> all from day 60;
    #    the absence lasts 91 days -> long-term.
    # O: 5-6 at .75, 7-8 at .75+.5 capped at 1, 9-12 at .5, 13 at .25 (adjoining) = 1.5+2+2+.25 = 5.75,
    #    all days 1..9 -> short.
    # U: employed 1-15 March only: sick 10-15 = 6 days, days 1..6 -> short.
    # W: two spells .80 + .50, weight capped at 1.00; no sick leave. H hourly: left out. X: not in the register.
    # fte_days: S 31, L 15.5, O 31, U 15, W 31 = 123.5
    s = ref.sick_leave(emp, sick, *window)
    row = s.iloc[0].to_dict()
    sick_time = 10 + 7.75 + 5.75 + 6
    assert row["persons"] == 5
    assert row["fte_days"] == pytest.approx(123.5)
    assert row["sick_rate"] == pytest.approx(sick_time / 123.5)
    assert row["short_term_rate"] == pytest.approx((4 + 5.75 + 6) / 123.5)
    assert row["from_day_60_rate"] == pytest.approx(7.75 / 123.5)
    assert row["long_term_share"] == pytest.approx(7.75 / sick_time)
    by = records(ref.sick_leave(emp, sick, *window, by=["department"]), ["department"])
    assert list(by) == [("A",), ("B",)]  # W's C spell is never main
    assert by[("A",)]["persons"] == 2 and by[("A",)]["fte_days"] == pytest.approx(46.5)
    assert by[("A",)]["sick_rate"] == pytest.approx(17.75 / 46.5)
    assert by[("A",)]["long_term_share"] == pytest.approx(7.75 / 17.75)
    assert by[("B",)]["persons"] == 3 and by[("B",)]["fte_days"] == pytest.approx(77)
    assert by[("B",)]["long_term_share"] == 0.0
    # statutory age bands: L is 64 -> >=50
    st = records(ref.sick_leave(emp, sick, *window, by=["age_band"], age_bands="statutory"), ["age_band"])
    assert st[("\u226550",)]["from_day_60_rate"] == pytest.approx(7.75 / 15.5)
    # a window with no sick time: long_term_share NaN
    quiet = ref.sick_leave(emp, sick, "2024-05-01", "2024-05-31").iloc[0]
    assert quiet["sick_rate"] == 0.0 and math.isnan(quiet["long_term_share"])


def test_sick_leave_absence_before_window_counts_days_from_its_start():
    emp = frame("S,1980-01-01,F,permanent,P,A,1.00,2020-01-01,,,external,")
    # 1 Jan - 28 Feb and 29 Feb - 10 Mar adjoin -> one absence from 1 Jan; 1 March is day 61. Window = March: 10 sick days, all from day 60, absence 70 days long.
    sick = sick_frame("S,2024-01-01,2024-02-28,1.0\nS,2024-02-29,2024-03-10,1.0")
    row = ref.sick_leave(emp, sick, "2024-03-01", "2024-03-31").iloc[0]
    assert row["sick_rate"] == pytest.approx(10 / 31)
    assert row["short_term_rate"] == 0.0
    assert row["from_day_60_rate"] == pytest.approx(10 / 31)
    assert row["long_term_share"] == 1.0
    # a gap of one day starts a new absence: 1-10 Jan and 12 Jan - 10 Mar -> the second has day 1 on 12 Jan,
    # so 1 March is day 50: 1-10 March = days 50..59, none from day 60; length 59 < 60.
    sick = sick_frame("S,2024-01-01,2024-01-10,1.0\nS,2024-01-12,2024-03-10,1.0")
    row = ref.sick_leave(emp, sick, "2024-03-01", "2024-03-31").iloc[0]
    assert row["from_day_60_rate"] == 0.0 and row["long_term_share"] == 0.0


# --------------------------------------------------------------------------- indicators

IND = """indicator,period,value,target,better,unit,unit_of_analysis
I1,2021,80,76,higher,index,
I1,2022,78,76,higher,index,
I1,2023,75,76,higher,index,
I1,2024,74,76,higher,index,
I2,2023-T2,5,10,lower,antal,A
I2,2023-T3,7,10,lower,antal,A
I2,2024-T1,9,10,lower,antal,A
I2,2023-T3,7,5,lower,antal,B
I2,2024-T1,6,5,lower,antal,B
I3,2024-06,10,,higher,andel,
I3,2024-08,8,,higher,andel,
I4,2023,5,5,higher,andel,
I4,2024,5,5,higher,andel,
I5,2023-Q4,4,,lower,antal,
I5,2024-Q1,3,,lower,antal,
I5,2024-Q2,5,,lower,antal,
I6,2023-12,3,,lower,antal,
I6,2024-01,4,,lower,antal,
I6,2024-02,6,,lower,antal,
"""


def test_indicator_followup_flags():
    ind = pd.read_csv(io.StringIO(IND), dtype=str, keep_default_na=False)
    out = ref.indicators_followup(ind)
    assert list(out.columns) == ["indicator", "unit_of_analysis", "period", "value", "target", "previous",
                                 "change", "target_missed", "trend_wrong"]
    r = records(out, ["indicator", "unit_of_analysis"])
    assert list(r) == [("I1", ""), ("I2", "A"), ("I2", "B"), ("I3", ""), ("I4", ""), ("I5", ""), ("I6", "")]
    # I1 higher: 75 -> 74 below target 76; changes -1 and -3 both wrong
    assert (r[("I1", "")]["period"], r[("I1", "")]["previous"], r[("I1", "")]["change"]) == ("2024", 75.0, -1.0)
    assert r[("I1", "")]["target_missed"] and r[("I1", "")]["trend_wrong"]
    # I2/A lower: T2 5 -> T3 7 -> 2024-T1 9 (consecutive across the year); 9 < 10 meets target; trend wrong
    a = r[("I2", "A")]
    assert (a["period"], a["previous"], a["change"], a["target_missed"], a["trend_wrong"]) == \
        ("2024-T1", 7.0, 2.0, False, True)
    # I2/B: only one change -> no trend; 6 > 5 misses
    b = r[("I2", "B")]
    assert (b["change"], b["target_missed"], b["trend_wrong"]) == (-1.0, True, False)
    # I3: 2024-07 missing -> previous and change NaN; no target -> not missed
    c = r[("I3", "")]
    assert math.isnan(c["previous"]) and math.isnan(c["change"]) and math.isnan(c["target"])
    assert not c["target_missed"] and not c["trend_wrong"]
    # I4: exactly on target is not missed; no change is not a wrong trend
    assert not r[("I4", "")]["target_missed"] and r[("I4", "")]["change"] == 0.0
    # I5 lower: 4 -> 3 (right) -> 5 (wrong): not both wrong
    assert r[("I5", "")]["period"] == "2024-Q2" and not r[("I5", "")]["trend_wrong"]
    # I6 lower, months across the year: 3 -> 4 -> 6 both wrong
    assert r[("I6", "")]["period"] == "2024-02" and r[("I6", "")]["trend_wrong"]
    assert out["target_missed"].dtype == bool and out["value"].dtype == np.float64


def test_sample_indicators_run():
    from conftest import SAMPLE
    out = ref.indicators_followup(ref.load(SAMPLE / "indicators.csv"))
    assert len(out) == len(ref.load(SAMPLE / "indicators.csv")[["indicator", "unit_of_analysis"]].drop_duplicates())


# --------------------------------------------------------------------------- a literal day-by-day implementation


OPEN = dt.date(9999, 12, 31)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text) if text and text != "9999-12-31" else OPEN


def years_between(origin: dt.date, day: dt.date) -> int:
    try:
        anniversary = origin.replace(year=day.year)
    except ValueError:  # 29 February in a common year
        anniversary = dt.date(day.year, 2, 28)
    return day.year - origin.year - (day < anniversary)


def age_band(age: int, statutory: bool) -> str:
    if statutory:
        return "\u226429" if age <= 29 else "30-49" if age <= 49 else "\u226550"
    for top, label in [(19, "15-19"), (29, "20-29"), (39, "30-39"), (49, "40-49"), (59, "50-59"), (64, "60-64")]:
        if age <= top:
            return label
    return "65+"


def fte_band(fte: int) -> str:
    return "" if fte == 0 else "<0.50" if fte < 50 else "0.50-0.74" if fte < 75 else "0.75-0.99" if fte < 100 \
        else "1.00"


def tenure_band(years: int) -> str:
    return "<1" if years < 1 else "1-2" if years < 3 else "3-4" if years < 5 else "5-9" if years < 10 else "10+"


class Naive:
    """The contract read literally, one person and one day at a time."""

    def __init__(self, emp: pd.DataFrame, extracted_on=None):
        rows = emp.drop_duplicates().to_dict("records")
        self.spells = []
        for k, r in enumerate(rows):
            self.spells.append(dict(k=k, pid=r["employee_id"], birth=d(r["birth_date"]), gender=r["gender"],
                                    form=r["employment_form"], pos=r["position"], dept=r["department"],
                                    fte=round(float(r["fte"]) * 100) if r["fte"] else 0,
                                    start=d(r["start_date"]), end=d(r["end_date"]), reason=r["end_reason"],
                                    source=r["recruitment_source"]))
        self.by_person = defaultdict(list)
        for s in self.spells:
            self.by_person[s["pid"]].append(s)
        self.extracted_on = d(extracted_on) if extracted_on else max(s["start"] for s in self.spells)
        self._pair()

    @staticmethod
    def covers(s, day):
        return s["start"] <= day <= s["end"]

    @staticmethod
    def main_key(s):
        return (-s["fte"], s["start"], -s["end"].toordinal(), s["form"], s["dept"], s["pos"])

    def _pair(self):
        self.move_next, self.move_prev = {}, {}
        for spells in self.by_person.values():
            ends = sorted((s for s in spells if s["reason"] == "internal_move" and s["end"] != OPEN),
                          key=lambda s: (s["end"], s["start"], self.main_key(s)))
            for s in ends:
                cands = [t for t in spells if t["start"] > s["start"] and (t["start"] - s["end"]).days <= 31
                         and t["k"] not in self.move_prev]
                if cands:
                    t = min(cands, key=lambda t: (t["start"], self.main_key(t)))
                    self.move_next[s["k"]] = t["k"]
                    self.move_prev[t["k"]] = s["k"]
        self.chain = {}

        def chain(s):
            if s["k"] not in self.chain:
                preds = [t for t in self.by_person[s["pid"]] if t["start"] < s["start"]
                         and self.covers(t, s["start"] - dt.timedelta(days=1))]
                if s["k"] in self.move_prev:
                    preds.append(self.spells[self.move_prev[s["k"]]])
                self.chain[s["k"]] = min([s["start"]] + [chain(t) for t in preds])
            return self.chain[s["k"]]

        for s in self.spells:
            chain(s)

    def events(self, keep):
        out = []
        for s in self.spells:
            if not keep(s):
                continue
            others = [t for t in self.by_person[s["pid"]] if t["k"] != s["k"]]
            if s["k"] in self.move_next:
                out.append(("move_out", s, s["end"], s["source"]))
            elif s["end"] != OPEN:
                partners = [t for t in others if self.covers(t, s["end"] + dt.timedelta(days=1))]
                if not any(keep(t) for t in partners) and s["end"] <= self.extracted_on:
                    out.append(("departure", s, s["end"], s["source"]))
            if s["k"] in self.move_prev:
                out.append(("move_in", s, s["start"], s["source"]))
            else:
                partners = [t for t in others if t["start"] < s["start"]
                            and self.covers(t, s["start"] - dt.timedelta(days=1))]
                if not any(keep(t) for t in partners):
                    out.append(("recruitment", s, s["start"], "internal" if partners else s["source"]))
        return out

    def day_state(self, pid, day, keep, with_fte_only=False):
        """(main spell, summed fte, covering spells) of a person on a day, or None."""
        cover = [s for s in self.by_person[pid] if keep(s) and self.covers(s, day)
                 and (s["fte"] > 0 or not with_fte_only)]
        if not cover:
            return None
        return min(cover, key=self.main_key), sum(s["fte"] for s in cover), cover

    def label(self, by, attr, person, day, fte, statutory=False):
        out = []
        for name in by:
            if name == "age_band":
                out.append(age_band(years_between(person["birth"], day), statutory))
            elif name == "tenure_band":
                out.append(tenure_band(years_between(self.chain[person["k"]], day)))
            elif name == "fte_band":
                out.append(fte_band(fte))
            else:
                out.append(attr[{"employment_form": "form", "department": "dept", "position": "pos"}.get(name, name)])
        return tuple(out)

    def days(self, a, b):
        day = a
        while day <= b:
            yield day
            day += dt.timedelta(days=1)

    def snapshot(self, day, by, keep):
        acc = defaultdict(lambda: [0, 0, 0])
        for pid in self.by_person:
            st = self.day_state(pid, day, keep)
            if st is None:
                continue
            main, fte, cover = st
            g = self.label(by, main, main, day, fte)
            acc[g][0] += 1
            acc[g][2] += years_between(main["birth"], day)
            for s in cover:
                acc[self.label(by, s, main, day, fte)][1] += s["fte"]
        return {g: (h, f / 100, a / h if h else float("nan")) for g, (h, f, a) in acc.items() if h or f}

    def turnover(self, a, b, by, keep):
        acc = defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # person-days, rec (ext), dep, rec all, moves out, in
        for pid in self.by_person:
            for day in self.days(a, b):
                st = self.day_state(pid, day, keep)
                if st:
                    acc[self.label(by, st[0], st[0], day, st[1])][0] += 1
        for kind, s, day, source in self.events(keep):
            if not a <= day <= b:
                continue
            fte = self.day_state(s["pid"], day, keep)[1]
            g = self.label(by, s, s, day, fte)
            if kind == "recruitment":
                acc[g][3] += 1
                acc[g][1] += source != "internal"
            elif kind == "departure":
                acc[g][2] += 1
            else:
                acc[g][4 if kind == "move_out" else 5] += 1
        n = (b - a).days + 1
        return {g: (v[0] / n, v[1], v[2], v[3], v[4], v[5]) for g, v in acc.items()}

    def sick(self, sick: pd.DataFrame, a, b, by, keep, statutory):
        recs = defaultdict(list)
        for r in sick.drop_duplicates().to_dict("records"):
            recs[r["employee_id"]].append((d(r["start_date"]), d(r["end_date"]), float(r["extent"])))
        acc = defaultdict(lambda: [set(), 0.0, 0.0, 0.0, 0.0, 0.0])
        for pid in self.by_person:
            absences = []  # [first, last, {day: extent}]
            for s, e, x in sorted(recs.get(pid, [])):
                if absences and s <= absences[-1][1] + dt.timedelta(days=1):
                    absences[-1][1] = max(absences[-1][1], e)
                else:
                    absences.append([s, e, defaultdict(float)])
                for day in self.days(s, e):
                    absences[-1][2][day] += x
            for day in self.days(a, b):
                st = self.day_state(pid, day, keep, with_fte_only=True)
                if st is None:
                    continue
                main, fte, _ = st
                w = min(fte, 100) / 100
                g = self.label(by, main, main, day, fte, statutory)
                acc[g][0].add(pid)
                acc[g][1] += w
                for first, last, extents in absences:
                    if day in extents:
                        t = min(extents[day], 1.0) * w
                        number = (day - first).days + 1
                        acc[g][2] += t
                        acc[g][3] += t if number <= 14 else 0
                        acc[g][4] += t if number >= 60 else 0
                        acc[g][5] += t if (last - first).days + 1 >= 60 else 0
        return {g: (len(v[0]), v[1], v[2] / v[1], v[3] / v[1], v[4] / v[1], v[5] / v[2] if v[2] else float("nan"))
                for g, v in acc.items()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    import staffcast as sc  # only its synthetic generator
    out = tmp_path_factory.mktemp("gen")
    sc.generate(out, persons=120, years=4, seed=5)
    return ref.load(out / "employments.csv"), ref.load(out / "sick_leave.csv")


def close(x, y):
    if isinstance(x, float) and math.isnan(x):
        return isinstance(y, float) and math.isnan(y)
    return x == pytest.approx(y, rel=1e-9, abs=1e-9)


def compare(table: pd.DataFrame, by, columns, expected: dict):
    got = {tuple(r[c] for c in by): tuple(r[c] for c in columns) for _, r in table.iterrows()}
    assert set(got) == set(expected)
    for g, values in expected.items():
        for name, x, y in zip(columns, got[g], values):
            assert close(float(x), float(y)), (g, name, x, y)
    keys = [tuple(r[c] for c in by) for _, r in table.iterrows()]
    assert keys == sorted(keys)


FILTERS = [{}, {"employment_form": "permanent"}, {"employment_form": ["temporary", "hourly"]}]


def keep_of(filters):
    def keep(s):
        for name, value in filters.items():
            values = [value] if isinstance(value, str) else value
            if s[{"employment_form": "form", "department": "dept"}.get(name, name)] not in values:
                return False
        return True
    return keep


@pytest.mark.parametrize("filters", FILTERS)
def test_matches_day_by_day_snapshot_and_turnover(generated, filters):
    emp, _ = generated
    naive = Naive(emp)
    keep = keep_of(filters)
    for by in [[], ["department", "age_band", "fte_band", "tenure_band"], ["employment_form", "gender"]]:
        for day in [dt.date(2023, 2, 28), dt.date(2024, 9, 30)]:
            compare(ref.snapshot(emp, day, by=by, **filters), by, ["headcount", "fte", "mean_age"],
                    naive.snapshot(day, by, keep))
        a, b = dt.date(2023, 10, 1), dt.date(2024, 9, 30)
        expected = naive.turnover(a, b, by, keep)
        compare(ref.turnover(emp, a, b, by=by, **filters), by, ["average_headcount", "recruitments", "departures"],
                {g: v[:3] for g, v in expected.items()})
        flows_expected = {g: (v[2], v[3], v[4], v[5]) for g, v in expected.items() if any(v[2:])}
        if not by:
            flows_expected = {(): tuple(flows_expected.get((), (0, 0, 0, 0)))}
        compare(ref.flows(emp, a, b, by=by, **filters), by,
                ["departures", "recruitments", "moves_out", "moves_in"], flows_expected)


@pytest.mark.parametrize("filters", FILTERS[:2])
def test_matches_day_by_day_sick_leave(generated, filters):
    emp, sick = generated
    naive = Naive(emp)
    a, b = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
    for by, statutory in [([], False), (["gender", "age_band"], True), (["department", "tenure_band"], False)]:
        got = ref.sick_leave(emp, sick, a, b, by=by, age_bands="statutory" if statutory else None, **filters)
        compare(got, by, ["persons", "fte_days", "sick_rate", "short_term_rate", "from_day_60_rate",
                          "long_term_share"], naive.sick(sick, a, b, by, keep_of(filters), statutory))


def test_generated_register_exercises_the_rules(generated):
    """The cross-check above is only worth something if the data holds moves, continuations and overlaps."""
    emp, _ = generated
    naive = Naive(emp)
    kinds = {k for k, *_ in naive.events(lambda s: True)}
    assert {"departure", "recruitment", "move_out", "move_in"} <= kinds
    assert any(len(v) > 1 and any(s["start"] > t["start"] and naive.covers(t, s["start"] - dt.timedelta(days=1))
                                  for s in v for t in v) for v in naive.by_person.values())


@pytest.mark.parametrize("filters", FILTERS[:2])
def test_matches_literal_full_time_and_retirements(generated, filters):
    emp, _ = generated
    naive = Naive(emp)
    keep = keep_of(filters)
    day = dt.date(2024, 9, 30)
    by = ["gender", "age_band"]
    full, ret = defaultdict(lambda: [0, 0, 0]), defaultdict(lambda: [0, 0, 0, 0])
    for pid in naive.by_person:
        st = naive.day_state(pid, day, keep)
        if st is None:
            continue
        main, fte, _ = st
        g = naive.label(by, main, main, day, fte)
        if fte > 0:
            full[g][0] += 1
            full[g][1 if fte >= 100 else 2] += 1
        reach = main["birth"].year + 65
        ret[g][0] += reach < 2025
        for k, year in enumerate([2025, 2026], start=1):
            ret[g][k] += reach == year
        ret[g][3] += reach <= 2026
    compare(ref.full_time(emp, day, by=by, **filters), by, ["persons", "full_time", "part_time", "full_time_share"],
            {g: (p, f, q, f / p) for g, (p, f, q) in full.items()})
    compare(ref.retirements(emp, day, [2025, 2026], by=by, **filters), by, ["already_past", "2025", "2026", "total"],
            {g: tuple(v) for g, v in ret.items()})
