"""The register's rules: the assumed extraction date, one rule for days after it, end reasons on
open spells, opaque manager keys and one-to-one move pairing. Expected numbers are counted by hand
from the rows written here (or, for the property test, from the register's own spells)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import staffcast as sc
from staffcast.cli import main

from conftest import HEADER, SAMPLE

# Dates from 2010 to 2019-06-30 (Q's recorded end): a historical register.
HISTORICAL = ("P,1970-01-01,F,permanent,A,D,1.00,2010-01-01,2015-12-31,own_request,,\n"
              "Q,1972-01-01,M,temporary,A,D,1.00,2016-01-01,2019-06-30,fixed_term_ended,,\n"
              "R,1975-01-01,F,permanent,A,D,1.00,2018-03-01,,,external,\n")
# A live export: S's fixed-term contract is planned to end after "today" (2024-09-30).
LIVE = HISTORICAL + "S,1980-01-01,F,temporary,A,D,1.00,2024-01-01,2025-06-30,fixed_term_ended,,\n"
REG = str(SAMPLE / "employments.csv")
SICK = str(SAMPLE / "sick_leave.csv")


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- the extraction date


def test_a_historical_register_keeps_every_recorded_end(write_register):
    reg = sc.read_register(write_register(HISTORICAL), today="2026-12-05")
    assert reg.extracted_on == dt.date(2019, 6, 30)  # the latest date: Q's end
    assert reg.extracted_on_assumed
    first = reg.issues.iloc[0]
    assert first["code"] == "extraction_date_assumed" and first["severity"] == "warning"
    assert first["value"] == "2019-06-30"
    assert "1 recorded end(s) after the latest start date 2018-03-01" in first["message"]
    flows = sc.flows(reg, "2016-01-01", "2019-06-30")
    assert flows["departures"].tolist() == [1]  # Q's end is observed, not censored
    assert flows["recruitments"].tolist() == [2]
    with pytest.raises(sc.UnavailableError, match="after the extraction date 2019-06-30"):
        sc.flows(reg, "2019-01-01", "2019-12-31")


def test_a_live_register_keeps_planned_ends_planned(write_register):
    reg = sc.read_register(write_register(LIVE), today="2024-09-30")
    assert reg.extracted_on == dt.date(2024, 9, 30)  # today, before S's planned end
    assert "assumed 2024-09-30, today" in reg.issues.iloc[0]["message"]
    assert sc.snapshot(reg, "2024-09-30")["headcount"].tolist() == [2]  # R and S
    assert sc.flows(reg, "2024-01-01", "2024-09-30")["departures"].tolist() == [0]
    with pytest.raises(sc.UnavailableError):
        sc.snapshot(reg, "2024-10-01")


def test_a_given_date_is_not_assumed(write_register):
    reg = sc.read_register(write_register(HISTORICAL), extracted_on="2017-12-31", today="2026-12-05")
    assert not reg.extracted_on_assumed
    assert "extraction_date_assumed" not in set(reg.issues["code"])
    assert sc.flows(reg, "2016-01-01", "2017-12-31")["departures"].tolist() == [0]  # Q's end is planned


def test_the_sick_leave_dates_count_when_read_with_the_register(write_register, tmp_path):
    reg = sc.read_register(write_register(HISTORICAL), today="2026-12-05")
    sick = tmp_path / "sick.csv"
    sick.write_text("employee_id,start_date,end_date,extent\nR,2020-02-01,2020-02-20,1.0\n")
    sc.read_sick_leave(sick, register=reg)
    assert reg.extracted_on == dt.date(2020, 2, 20)
    assert reg.issues.iloc[0]["value"] == "2020-02-20"
    assert (reg.issues["code"] == "extraction_date_assumed").sum() == 1


def test_the_sample_assumes_its_latest_planned_end_and_says_how_many_ends_follow_the_last_start():
    reg = sc.read_register(REG, today="2026-12-05")
    frame = pd.read_csv(REG, dtype=str)
    ends = frame["end_date"].dropna()
    latest = max(frame["start_date"].max(), ends.max())
    assert str(reg.extracted_on) == latest == "2025-09-20"
    later = int((ends > frame["start_date"].max()).sum())
    assert later == 96
    assert f"{later} recorded end(s) after the latest start date 2024-09-30" in reg.issues.iloc[0]["message"]


def test_the_cli_names_an_assumed_day_in_exactly_one_note():
    code, out, err = cli("snapshot", REG, "--as-of", "2024-09-30", "--today", "2026-12-05", "--format", "csv")
    assert code == 0
    notes = [line for line in err.splitlines() if "note:" in line]
    assert len(notes) == 1 and err.count("\n") == 1
    assert notes[0].startswith("staffcast snapshot: note: no extraction date given: assumed 2025-09-20")
    # With the sick leave, still one note, after both inputs are read.
    code, out, err = cli("sick-leave", REG, "--sick-leave", SICK, "--from", "2023-10-01", "--to", "2024-09-30",
                         "--today", "2026-12-05", "--format", "csv")
    assert code == 0 and len(err.splitlines()) == 1 and "assumed 2025-09-20" in err
    # Given: no note.
    code, out, err = cli("snapshot", REG, "--as-of", "2024-09-30", "--extracted-on", "2024-09-30", "--format", "csv")
    assert code == 0 and err == ""


def test_validate_says_assumed():
    code, out, err = cli("validate", REG, "--today", "2026-12-05")
    assert code == 0
    assert "extracted on   2025-09-20 (assumed)" in out
    assert "warning extraction_date_assumed" in out


def test_the_report_header_shows_the_extraction_date(tmp_path):
    reg = sc.read_register(REG, today="2026-12-05")
    page = sc.build_report(reg, "2024-09-30", min_cell=5)
    assert "Register extracted on 2025-09-20 (assumed: no extraction date was given)" in page
    given = sc.read_register(REG, extracted_on="2024-09-30")
    page = sc.build_report(given, min_cell=5, lang="sv")
    assert "Registret uttaget 2024-09-30<" in page


def test_a_saved_register_keeps_its_assumed_day(write_register, tmp_path):
    reg = sc.read_register(write_register(HISTORICAL), today="2026-12-05")
    for name in ("r.arrow", "r.feather"):
        reg.save(tmp_path / name)
        again = sc.load_register(tmp_path / name)
        assert again.extracted_on == dt.date(2019, 6, 30) and again.extracted_on_assumed, name
        assert again.issues.iloc[0]["code"] == "extraction_date_assumed", name


# ---------------------------------------------------------------- one rule after the extraction date

AFTER = "2024-10-01"
GIVEN = ["--extracted-on", "2024-09-30"]
# Every command that reads the register, on a day or over a period reaching past its extraction date.
AFTER_COMMANDS = {
    "snapshot": ["snapshot", REG, "--as-of", AFTER],
    "full-time": ["full-time", REG, "--as-of", AFTER],
    "flows": ["flows", REG, "--from", "2024-01-01", "--to", AFTER],
    "departures": ["departures", REG, "--from", "2024-01-01", "--to", AFTER],
    "recruitments": ["recruitments", REG, "--from", "2024-01-01", "--to", AFTER],
    "turnover": ["turnover", REG, "--from", "2024-01-01", "--to", AFTER],
    "sick-leave": ["sick-leave", REG, "--sick-leave", SICK, "--from", "2024-01-01", "--to", AFTER],
    "retirements": ["retirements", REG, "--as-of", AFTER],
    "recruitment-need": ["recruitment-need", REG, "--as-of", AFTER],
    "span": ["span", REG, "--as-of", AFTER],
    "equality": ["equality", REG, "--as-of", AFTER],
    "rates": ["rates", REG, "--from", "2024-01-01", "--to", AFTER],
    "project": ["project", REG, "--as-of", AFTER, "--years", "2"],
}


@pytest.mark.parametrize("name", sorted(AFTER_COMMANDS))
def test_every_command_refuses_a_day_after_the_extraction_date(name):
    code, out, err = cli(*AFTER_COMMANDS[name], *GIVEN)
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    assert "2024-10-01 is after the extraction date 2024-09-30" in err, err


def test_the_library_refuses_it_too():
    reg = sc.read_register(REG, extracted_on="2024-09-30")
    for call in (lambda: sc.snapshot(reg, AFTER), lambda: sc.turnover(reg, "2024-01-01", AFTER),
                 lambda: sc.retirement_outlook(reg, AFTER, years=3), lambda: sc.span_of_control(reg, AFTER)):
        with pytest.raises(sc.UnavailableError, match="after the extraction date 2024-09-30"):
            call()
    # The day itself is available.
    assert sc.snapshot(reg, "2024-09-30")["headcount"].iloc[0] > 0


# ---------------------------------------------------------------- open spells and managers


def test_an_end_reason_on_an_open_spell_is_a_warning_and_ignored(write_register):
    reg = sc.read_register(write_register(
        "A,1970-01-01,F,permanent,P,D,1.00,2020-01-01,,N/A-StillEmployed,external,\n"
        "B,1970-01-01,F,permanent,P,D,1.00,2020-01-01,,own_request,,\n"
        "C,1970-01-01,F,permanent,P,D,1.00,2019-01-01,2019-12-31,own_request,,\n"), extracted_on="2024-12-31")
    warned = reg.issues[reg.issues["code"] == "reason_on_open_spell"]
    assert warned["row"].tolist() == [2, 3]
    assert warned["value"].tolist() == ["N/A-StillEmployed", "own_request"]
    frame = reg.to_frame()
    assert frame["end_reason"].isna().tolist() == [True, True, False]
    assert frame["recruitment_source"].tolist()[0] == "external"  # a source on an open spell is used


def test_opaque_manager_keys_count_in_span_of_control(write_register):
    # M1 manages E1, E2 and E5, M2 manages E4 (ids in another numbering); E3's manager is E1.
    reg = sc.read_register(write_register(
        "E1,1970-01-01,F,permanent,Chef,D1,1.00,2020-01-01,,,,M1\n"
        "E2,1970-01-01,F,permanent,A,D1,1.00,2020-01-01,,,,M1\n"
        "E3,1970-01-01,F,permanent,A,D2,1.00,2020-01-01,,,,E1\n"
        "E4,1970-01-01,F,permanent,A,D2,1.00,2020-01-01,,,,M2\n"
        "E5,1970-01-01,F,permanent,A,D2,1.00,2020-01-01,2021-12-31,own_request,,M1\n"
        "E5,1970-01-01,F,permanent,A,D2,1.00,2022-03-01,,,,M1\n"), extracted_on="2024-12-31")
    unknown = reg.issues[reg.issues["code"] == "unknown_manager"]
    assert unknown["row"].tolist() == [2, 5]  # once per key, at its first row
    span = sc.span_of_control(reg, "2024-06-30", limit=2)
    assert span["department"].tolist() == ["(manager not in register)", "D1", "Total"]
    assert span["managers"].tolist() == [2, 1, 3]
    assert span["reports"].tolist() == [4, 1, 5]
    assert span["above_limit"].tolist() == [1, 0, 1]
    listed = sc.span_of_control(reg, "2024-06-30", limit=2, managers=True)
    assert listed[["manager_id", "department", "reports"]].values.tolist() == [
        ["M1", "(manager not in register)", 3]]
    code, out, err = cli("span", reg.label, "--as-of", "2024-06-30",
                         "--extracted-on", "2024-12-31", "--format", "csv")
    assert code == 0 and "(manager not in register),2,4" in out and err == ""


# ---------------------------------------------------------------- moves, one to one


def test_two_move_outs_and_one_move_in_pair_once(write_register):
    reg = sc.read_register(write_register(
        "A,1970-01-01,F,permanent,P1,D1,1.00,2015-01-01,2020-01-31,internal_move,,\n"
        "A,1970-01-01,F,permanent,P2,D2,1.00,2016-01-01,2020-01-31,internal_move,,\n"
        "A,1970-01-01,F,permanent,P3,D3,1.00,2020-02-03,,,internal,\n"
        "Z,1950-01-01,M,permanent,Old,Old,1.00,2000-01-01,2005-12-31,own_request,,\n"), extracted_on="2024-12-31")
    assert reg.issues["code"].tolist() == ["unpaired_move"]
    flows = sc.flows(reg, "2020-01-01", "2020-12-31", by="department", totals=True).set_index("department")
    assert flows.loc["D1", ["departures", "moves_out"]].tolist() == [0, 1]
    assert flows.loc["D2", ["departures", "moves_out"]].tolist() == [1, 0]
    assert flows.loc["D3", ["recruitments", "moves_in"]].tolist() == [0, 1]
    assert flows.loc["Total", "moves_out"] == flows.loc["Total", "moves_in"] == 1


FIRST = dt.date(2012, 1, 1)
REASONS = ["internal_move", "internal_move", "own_request", "fixed_term_ended"]


@st.composite
def moving_registers(draw):
    """Persons whose spells come in steps: one to three concurrent spells that start and end on the
    same days (the same reason), the next step 2 to 31 days after the end, so a start never
    follows a spell of the person by a day and no continuation arises. Every fte is 1.00, so a
    group's fte on a day counts the spells held."""
    rows = ["HIST,1950-01-01,M,permanent,Old,Old,1.00,2000-01-01,2005-06-30,own_request,,"]
    for p in range(draw(st.integers(1, 8))):
        start = FIRST + dt.timedelta(days=draw(st.integers(0, 1500)))
        for _ in range(draw(st.integers(1, 4))):
            length = draw(st.integers(0, 900))
            end = start + dt.timedelta(days=length)
            ended = draw(st.booleans()) and end <= dt.date(2020, 12, 31)
            reason = draw(st.sampled_from(REASONS)) if ended else ""
            for k in range(draw(st.integers(1, 3))):
                department = draw(st.sampled_from(["D1", "D2", "D3"]))
                rows.append(f"P{p},1970-01-01,F,permanent,Pos{k},{department},1.00,{start},"
                            f"{end if ended else ''},{reason},,")
            if not ended:
                break
            start = end + dt.timedelta(days=draw(st.integers(2, 31)))
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=moving_registers(), first=st.integers(0, 2000), length=st.integers(0, 1500))
def test_stocks_balance_per_group(tmp_path, rows, first, length):
    path = tmp_path / "moves.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    reg = sc.read_register(path, extracted_on="2021-12-31")
    a = dt.date(2012, 1, 1) + dt.timedelta(days=first)
    b = min(a + dt.timedelta(days=length), dt.date(2021, 12, 31))

    def held(day: dt.date) -> pd.Series:
        """Spells per department held at the end of `day` (employed that day, not ending on it)."""
        on = sc.snapshot(reg, day, by="department").set_index("department")["fte"]
        ending = sc.flows(reg, day, day, by="department").set_index("department")
        ends = ending["departures"] + ending["moves_out"] if len(ending) else pd.Series(dtype=float)
        return on.sub(ends, fill_value=0)

    flows = sc.flows(reg, a, b, by="department").set_index("department")
    change = held(b).sub(held(a - dt.timedelta(days=1)), fill_value=0)
    net = (flows["recruitments"] + flows["moves_in"] - flows["departures"] - flows["moves_out"]
           if len(flows) else pd.Series(dtype=float))
    balance = change.sub(net, fill_value=0).drop("Old", errors="ignore")
    assert (balance.abs() < 1e-9).all(), (balance, rows)
    # One to one over the whole register: as many moves in as out.
    whole = sc.flows(reg, "2005-06-30", "2021-12-31")
    assert whole["moves_out"].tolist() == whole["moves_in"].tolist()
