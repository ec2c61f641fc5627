"""Statistics on small registers whose answers are worked out by hand (docs/metrics.md)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import staffcast as sc

from conftest import HEADER, run_cli

# Extraction 2024-12-31. Worked answers are in the comments of each test.
REGISTER = (
    # A: permanent full time, born on leap day; two concurrent spells from 2023 (0.60 + 0.40).
    "A,1960-02-29,F,permanent,Socialsekreterare,Vuxen,0.60,2010-01-01,,,,\n"
    "A,1960-02-29,F,temporary,Utredare,Barn och unga,0.40,2023-01-01,2024-06-30,fixed_term_ended,external,\n"
    # B: turns 65 on 1 January 2025; left and was re-hired (gap of 100 days).
    "B,1960-01-01,M,permanent,Utredare,Vuxen,1.00,2015-01-01,2023-12-31,own_request,,\n"
    "B,1960-01-01,M,permanent,Utredare,Vuxen,1.00,2024-04-10,,,rehire,\n"
    # C: internal move with start - end = 31 days (a move).
    "C,1990-05-15,F,permanent,Handläggare,Vuxen,1.00,2018-01-01,2024-03-31,internal_move,,\n"
    "C,1990-05-15,F,permanent,Handläggare,Barn och unga,1.00,2024-05-01,,,internal,\n"
    # D: internal_move end with start - end = 32 days: a departure and a recruitment (and a warning).
    "D,1985-07-01,M,permanent,Handläggare,Vuxen,0.50,2019-01-01,2024-03-31,internal_move,,\n"
    "D,1985-07-01,M,permanent,Handläggare,Barn och unga,0.50,2024-05-02,,,external,\n"
    # E: temporary renewed, then converted to permanent (continuations).
    "E,2000-12-31,F,temporary,Behandlingsassistent,Barn och unga,1.00,2024-01-01,2024-02-29,fixed_term_ended,external,\n"
    "E,2000-12-31,F,temporary,Behandlingsassistent,Barn och unga,1.00,2024-03-01,2024-06-30,fixed_term_ended,external,\n"
    "E,2000-12-31,F,permanent,Behandlingsassistent,Barn och unga,1.00,2024-07-01,,,internal,\n"
    # F: hourly, no fte, starts on the window start and ends on the window end.
    "F,1995-03-03,X,hourly,Vårdbiträde,Vuxen,,2024-01-01,2024-12-31,fixed_term_ended,external,\n"
    # G: retired 2024-09-30 at 66.
    "G,1958-05-05,F,permanent,Socialsekreterare,Vuxen,0.80,2000-01-01,2024-09-30,retirement,,\n"
    # H: left in 2015, so the observed history reaches back to 2015-06-30.
    "H,1970-01-01,M,permanent,Utredare,Vuxen,1.00,2005-01-01,2015-06-30,own_request,,\n"
)


@pytest.fixture
def reg(write_register):
    return sc.read_register(write_register(REGISTER), extracted_on="2024-12-31")


def row(frame: pd.DataFrame, **keys) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in keys.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, (keys, frame)
    return frame[mask].iloc[0]


def test_pairing_warnings(reg):
    # D's move end has no spell within 31 days.
    assert reg.issues["code"].tolist() == ["unpaired_move"]


def test_snapshot_main_spell_and_fte(reg):
    # On 2024-03-15: A (two spells; main = permanent 0.60 in Vuxen), B not employed (re-hired in April),
    # C in Vuxen, D in Vuxen (0.50), E temporary in Barn och unga, F hourly, G in Vuxen.
    frame = sc.snapshot(reg, "2024-03-15", by="department", totals=True)
    assert frame.columns.tolist() == ["department", "headcount", "fte", "mean_age"]
    barn = row(frame, department="Barn och unga")
    vuxen = row(frame, department="Vuxen")
    total = row(frame, department="Total")
    assert barn["headcount"] == 1 and vuxen["headcount"] == 5 and total["headcount"] == 6
    # fte: Barn och unga = A's 0.40 + E's 1.00; Vuxen = A 0.60 + C 1.00 + D 0.50 + G 0.80 (F has none).
    assert barn["fte"] == pytest.approx(1.40) and vuxen["fte"] == pytest.approx(2.90)
    assert total["fte"] == pytest.approx(4.30)
    # Ages on 2024-03-15: A 64 (born 1960-02-29, birthday 2024-02-29 passed), C 33, D 38, F 29, G 65 -> Vuxen 45.8.
    assert vuxen["mean_age"] == pytest.approx((64 + 33 + 38 + 29 + 65) / 5)
    assert barn["mean_age"] == pytest.approx(23)  # E turns 24 on 2024-12-31


def test_leap_day_birthday_in_a_common_year(reg):
    # A, born 1960-02-29, is 64 on 2025-02-27 ... the register ends 2024-12-31, so check 2023:
    # on 2023-02-27 A is 62, on 2023-02-28 (birthday in a common year) 63.
    before = sc.snapshot(reg, "2023-02-27", by="age_band", age_bands=[63], department="Vuxen",
                         employment_form="permanent")
    on = sc.snapshot(reg, "2023-02-28", by="age_band", age_bands=[63], department="Vuxen",
                     employment_form="permanent")
    # Bands -62 and 63+: B (63, born 1960-01-01) and G (64) are 63+ on both days; A moves from -62 to 63+
    # on 28 February.
    assert row(before, age_band="63+")["headcount"] == 2
    assert row(on, age_band="63+")["headcount"] == 3
    assert row(on, age_band="63+")["mean_age"] == pytest.approx((63 + 63 + 64) / 3)


def test_flows_moves_continuations_rehire(reg):
    frame = sc.flows(reg, "2024-01-01", "2024-12-31", totals=False)
    # Departures: D's unpaired move end (03-31), G's retirement (09-30), F's end (12-31) -> 3.
    #   (A's temporary end on 06-30 is a continuation: A's permanent spell covers 07-01.
    #    E's ends are continuations. B left on 2023-12-31, outside the period.)
    # Recruitments: B's re-hire (04-10), D's new spell (05-02), F (01-01), E's first spell (01-01) -> 4.
    # Moves: C out (03-31) and in (05-01).
    assert frame.to_dict("records") == [{"departures": 3, "recruitments": 4, "moves_out": 1, "moves_in": 1}]


def test_flows_on_window_bounds(reg):
    # A period of one day, 2024-12-31, holds F's end; 2024-01-01 holds E's and F's starts.
    assert sc.flows(reg, "2024-12-31", "2024-12-31")["departures"].tolist() == [1]
    assert sc.flows(reg, "2024-01-01", "2024-01-01")["recruitments"].tolist() == [2]
    assert sc.flows(reg, "2024-01-02", "2024-12-30")["recruitments"].tolist() == [2]


def test_continuation_counts_across_a_filter(reg):
    # Under employment_form=permanent, E's permanent start (its temporary predecessor is outside the filter)
    # is a recruitment with source internal; under temporary, E's last temporary end is a departure.
    rec = sc.recruitments(reg, "2024-01-01", "2024-12-31", employment_form="permanent")
    assert rec[["internal", "other_administration", "external", "rehire", "recruitments"]].values.tolist() == [
        [1, 0, 1, 1, 3]]  # E internal, D external, B rehire
    dep = sc.departures(reg, "2024-01-01", "2024-12-31", employment_form="temporary")
    # Temporary departures: A's temporary end (A stays permanent, outside the filter) and E's 06-30 end.
    assert dep["fixed_term_ended"].tolist() == [2] and dep["departures"].tolist() == [2]


def test_departures_by_reason(reg):
    dep = sc.departures(reg, "2024-01-01", "2024-12-31")
    assert dep.columns.tolist() == ["own_request", "retirement", "fixed_term_ended", "internal_move",
                                    "other_administration", "dismissal", "death", "other", "departures"]
    assert dep.iloc[0][["retirement", "fixed_term_ended", "internal_move", "departures"]].tolist() == [1, 1, 1, 3]


def test_average_headcount_and_turnover(reg):
    # Permanent staff over 2024 (366 days): A all year; B from 04-10 (266 days); C until 03-31 (91) and
    # from 05-01 (245: not employed in April, between the halves of the move); D until 03-31 (91 days) and
    # from 05-02 (244 days); E from 07-01 (184 days); G until 09-30 (274 days).
    # Person-days = 366 + 266 + 336 + 335 + 184 + 274 = 1761.
    avg = 1761 / 366
    frame = sc.turnover(reg, "2024-01-01", "2024-12-31", employment_form="permanent")
    assert frame["average_headcount"].iloc[0] == pytest.approx(avg)
    # Recruitments with source != internal: B (rehire), D (external) = 2; departures: D's end, G = 2.
    assert frame[["recruitments", "departures"]].values.tolist() == [[2, 2]]
    assert frame["turnover"].iloc[0] == pytest.approx((2 + 2) / 2 / avg)
    separation = sc.turnover(reg, "2024-01-01", "2024-12-31", definition="separation",
                             employment_form="permanent", exclude_reasons=["retirement"])
    assert separation["turnover"].iloc[0] == pytest.approx(1 / avg)
    own = sc.turnover(reg, "2024-01-01", "2024-12-31", definition="own_request", employment_form="permanent")
    assert own["departures"].iloc[0] == 0 and own["turnover"].iloc[0] == 0
    half = sc.turnover(reg, "2024-01-01", "2024-06-30", employment_form="permanent", annualise=True)
    plain = sc.turnover(reg, "2024-01-01", "2024-06-30", employment_form="permanent")
    assert half["turnover"].iloc[0] == pytest.approx(plain["turnover"].iloc[0] * 365.25 / 182)


def test_turnover_splits_people_between_age_bands_at_birthdays(reg):
    # B turns 65 on 2025-01-01: in 2024 B is 64 all year. G turns 66 on 2024-05-05 (already 65+).
    # With edges [65], on 2024 E (23) C (33) D (38) are -64 all year; A is 64 then... born 1960-02-29,
    # 64 on 2024-02-29 (leap year) so stays 15-64. Only bands "15-64" and "65+" exist.
    frame = sc.average_headcount(reg, "2024-01-01", "2024-12-31", by="age_band", age_bands=[65],
                                 employment_form="permanent")
    assert row(frame, age_band="65+")["average_headcount"] == pytest.approx(274 / 366)  # G
    assert row(frame, age_band="15-64")["average_headcount"] == pytest.approx((1761 - 274) / 366)


def test_retirements_turning_65_on_1_january(reg):
    frame = sc.retirement_outlook(reg, "2024-12-31", years="2025-2027", by="department", totals=True)
    assert frame.columns.tolist() == ["department", "already_past", "2025", "2026", "2027", "total"]
    vuxen = row(frame, department="Vuxen")
    # Employed on 2024-12-31 with main spell in Vuxen: A (65 on 2025-02-28), B (65 on 2025-01-01), F (no).
    assert vuxen[["already_past", "2025", "2026", "2027", "total"]].tolist() == [0, 2, 0, 0, 2]
    # With age 64: A reached 64 on 2024-02-29 and B on 2024-01-01 -> both already past.
    frame = sc.retirement_outlook(reg, "2024-12-31", years=2, age=64, department="Vuxen")
    assert frame[["already_past", "2025", "2026"]].values.tolist() == [[2, 0, 0]]


def test_full_time(reg):
    # On 2024-03-15: A 0.60 + 0.40 = 1.00 full time; C 1.00; D 0.50 part; E 1.00; G 0.80 part; F hourly left out.
    frame = sc.full_time(reg, "2024-03-15", by="gender", totals=True)
    assert row(frame, gender="F")[["persons", "full_time", "part_time"]].tolist() == [4, 3, 1]
    assert row(frame, gender="M")[["persons", "full_time", "part_time"]].tolist() == [1, 0, 1]
    assert row(frame, gender="Total")["full_time_share"] == pytest.approx(3 / 5)


def test_unavailable_periods_and_bad_arguments(reg):
    with pytest.raises(ValueError, match="after the extraction date"):
        sc.flows(reg, "2024-06-01", "2025-01-31")
    with pytest.raises(ValueError, match="reversed"):
        sc.flows(reg, "2024-06-01", "2024-01-31")
    with pytest.raises(ValueError, match="no department 'Nope'"):
        sc.snapshot(reg, "2024-03-15", department="Nope")
    with pytest.raises(ValueError, match="unknown dimension"):
        sc.snapshot(reg, "2024-03-15", by="colour")
    with pytest.raises(ValueError, match="definition"):
        sc.turnover(reg, "2024-01-01", "2024-06-30", definition="magic")


def test_sick_leave_rates_by_hand(write_register, tmp_path):
    # Twelve full-time persons employed all of January 2024 (31 days): denominator 12 * 31 = 372 fte-days.
    rows = "".join(f"P{i:02d},1980-01-01,F,permanent,S,D,1.00,2020-01-01,,,,\n" for i in range(12))
    reg = sc.read_register(write_register(rows), extracted_on="2024-12-31")
    sick_path = tmp_path / "sick.csv"
    sick_path.write_text(
        "employee_id,start_date,end_date,extent\n"
        # P00: an absence from 2023-12-20 to 2024-01-10: days 13..34 of it fall in January 1..10 -> 10 days,
        # of which days 13 and 14 (Jan 1-2) are short-term. It lasts 22 days: not long-term.
        "P00,2023-12-20,2024-01-10,1\n"
        # P01: overlapping records 01-05..01-08 at 0.75 and 01-07..01-09 at 0.5: extents add up, capped at 1:
        # 0.75 + 0.75 + 1 + 1 + 0.5 = 4.0 sick days, all short-term.
        "P01,2024-01-05,2024-01-08,0.75\n"
        "P01,2024-01-07,2024-01-09,0.5\n"
        # P02: adjoining records form one absence of 2023-11-01..2024-01-31 (92 days, long-term): January
        # days 62..92 -> 31 days, all from day 60.
        "P02,2023-11-01,2023-12-31,1\n"
        "P02,2024-01-01,2024-01-31,1\n")
    sick = sc.read_sick_leave(sick_path, register=reg)
    frame = sc.sick_leave(reg, sick, "2024-01-01", "2024-01-31")
    total_sick = 10 + 4 + 31
    assert frame["persons"].tolist() == [12]
    assert frame["fte_days"].iloc[0] == pytest.approx(372)
    assert frame["sick_rate"].iloc[0] == pytest.approx(total_sick / 372)
    assert frame["short_term_rate"].iloc[0] == pytest.approx((2 + 4) / 372)
    assert frame["from_day_60_rate"].iloc[0] == pytest.approx(31 / 372)
    assert frame["long_term_share"].iloc[0] == pytest.approx(31 / total_sick)
    assert frame["suppressed"].tolist() == [""]


def test_sick_leave_is_never_shown_for_ten_or_fewer(write_register, tmp_path):
    rows = "".join(f"P{i:02d},1980-01-01,F,permanent,S,Big,1.00,2020-01-01,,,,\n" for i in range(20))
    rows += "".join(f"Q{i:02d},1980-01-01,F,permanent,S,Small,1.00,2020-01-01,,,,\n" for i in range(8))
    rows += "".join(f"R{i:02d},1980-01-01,F,permanent,S,Mid,1.00,2020-01-01,,,,\n" for i in range(15))
    reg = sc.read_register(write_register(rows), extracted_on="2024-12-31")
    sick_path = tmp_path / "sick.csv"
    sick_path.write_text("employee_id,start_date,end_date,extent\n"
                         + "".join(f"{p}0{i},2024-01-0{i + 1},2024-01-0{i + 3},1\n" for p in "PQR" for i in range(3)))
    sick = sc.read_sick_leave(sick_path, register=reg)
    frame = sc.sick_leave(reg, sick, "2024-01-01", "2024-01-31", by="department", totals=True)
    small = row(frame, department="Small")
    assert math.isnan(small["sick_rate"]) and "sick_rate" in small["suppressed"]
    # One hidden group could be recovered from the others and the total: the next smallest (Mid) is hidden too.
    assert math.isnan(row(frame, department="Mid")["sick_rate"])
    assert not math.isnan(row(frame, department="Big")["sick_rate"])
    # The CLI prints no sick-leave figure for the small department either.
    result = run_cli("sick-leave", reg.label, "--sick-leave", sick_path, "--from", "2024-01-01", "--to", "2024-01-31",
                     "--by", "department", "--extracted-on", "2024-12-31", "--format", "csv")
    assert result.returncode == 0, result.stderr
    small_line = [line for line in result.stdout.splitlines() if line.startswith("Small,")][0]
    assert small_line.split(",")[3:7] == ["", "", "", ""]


def test_indicator_followup(tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text(
        "indicator,period,value,target,better,unit,unit_of_analysis\n"
        "HME,2022,80,80,higher,index,\n"
        "HME,2023,79,80,higher,index,\n"
        "HME,2024,78,80,higher,index,\n"          # two falls in a row: trend_wrong; 78 < 80: target missed
        "Hot,2024-T1,5,6,lower,antal,Vuxen\n"
        "Hot,2024-T3,4,6,lower,antal,Vuxen\n"     # T2 missing: no previous, no change
        "Intro,2023,0.9,0.9,higher,andel,\n"
        "Intro,2024,0.9,0.9,higher,andel,\n")     # on target: not missed
    frame = sc.indicator_followup(sc.read_indicators(path))
    assert frame.columns.tolist() == ["indicator", "unit_of_analysis", "period", "value", "target", "previous",
                                      "change", "target_missed", "trend_wrong"]
    hme = row(frame, indicator="HME")
    assert (hme["period"], hme["previous"], hme["change"]) == ("2024", 79, -1)
    assert bool(hme["target_missed"]) and bool(hme["trend_wrong"])
    hot = row(frame, indicator="Hot")
    assert hot["period"] == "2024-T3" and math.isnan(hot["previous"]) and not hot["target_missed"]
    intro = row(frame, indicator="Intro")
    assert not intro["target_missed"] and not intro["trend_wrong"]


def test_plan_table_from_the_cli_exactly():
    """The retirement table of the plan, byte for byte in structure."""
    result = run_cli("retirements", "examples/data/employments.csv", "--as-of", "2024-09-30", "--years",
                     "2025-2027", "--age", "65", "--by", "department", "--form", "permanent", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "department,already_past,2025,2026,2027,total"
    assert [line.split(",")[0] for line in lines[1:-1]] == ["Barn och unga", "Försörjningsstöd", "Vuxen", "Total"]
    assert lines[-1] == ""  # final LF, no CR
    assert "\r" not in result.stdout
    body = [list(map(int, line.split(",")[1:])) for line in lines[1:-1]]
    for values in body:
        assert sum(values[:-1]) == values[-1]
    assert [sum(col) for col in zip(*body[:-1])] == body[-1]


def test_cli_statistics_columns(tmp_path):
    data = "examples/data/"
    cases = {
        ("snapshot", "--as-of", "2024-09-30"): "headcount,fte,mean_age",
        ("flows", "--from", "2024-01-01", "--to", "2024-09-30"): "departures,recruitments,moves_out,moves_in",
        ("turnover", "--from", "2024-01-01", "--to", "2024-09-30"): "average_headcount,recruitments,departures,turnover",
        ("full-time", "--as-of", "2024-09-30"): "persons,full_time,part_time,full_time_share",
        ("sick-leave", "--sick-leave", data + "sick_leave.csv", "--from", "2023-10-01", "--to", "2024-09-30"):
            "persons,fte_days,sick_rate,short_term_rate,from_day_60_rate,long_term_share,suppressed",
    }
    for args, columns in cases.items():
        result = run_cli(args[0], data + "employments.csv", *args[1:], "--by", "gender", "--format", "csv")
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.splitlines()[0] == "gender," + columns
        assert result.stdout.splitlines()[-1].startswith("Total,")
    result = run_cli("indicators", data + "indicators.csv", "--format", "json")
    assert result.returncode == 0
    rows = __import__("json").loads(result.stdout)
    assert set(rows[0]) == {"indicator", "unit_of_analysis", "period", "value", "target", "previous", "change",
                            "target_missed", "trend_wrong"}
    bad = run_cli("snapshot", data + "employments.csv", "--as-of", "2024-09-30", "--form", "permanentt")
    assert bad.returncode == 2 and "no employment_form 'permanentt'" in bad.stderr
    bad = run_cli("turnover", data + "employments.csv", "--from", "2024-09-30", "--to", "2024-01-01")
    assert bad.returncode == 2 and "reversed" in bad.stderr
    bad = run_cli("flows", data + "employments.csv", "--from", "2024-01-01")
    assert bad.returncode == 2 and "--to" in bad.stderr


def test_disclose_secondary_suppression():
    frame = pd.DataFrame({"department": ["A", "B", "C", "Total"], "already_past": [3, 10, 12, 25],
                          "2025": [7, 8, 9, 24], "total": [10, 18, 21, 49]})
    frame.attrs["staffcast"] = {"kinds": {"department": "key", "already_past": "count", "2025": "count",
                                          "total": "count"}, "row_total": "total"}
    out = sc.disclose(frame, min_count=5)
    # Primary: A's 3. Row A needs one more: its 7 (or its total, 10). Column already_past needs one more: the
    # Total's 25 is nobody's own cell, so it goes (not B's 10); the Total row then needs one more, its 24,
    # which also closes column 2025. 7 persons' cells hidden; through B it would be 7 + 10 + 8 = 25.
    assert out["already_past"].isna().tolist() == [True, False, False, True]
    assert out["2025"].isna().tolist() == [True, False, False, True]
    assert out["total"].isna().tolist() == [False, False, False, False]
    assert out["suppressed"].tolist() == ["already_past;2025", "", "", "already_past;2025"]
    # With the Total row kept (published elsewhere), B's 10 and 8 are the cheapest way.
    kept = sc.disclose(frame, min_count=5, keep_totals=True)
    assert kept["already_past"].isna().tolist() == [True, True, False, False]
    assert kept["2025"].isna().tolist() == [True, True, False, False]
