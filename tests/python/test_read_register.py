"""Reading and validating the register from CSV, pandas and Arrow (docs/data.md)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import staffcast as sc

from conftest import HEADER

ROWS = (
    "E2,1980-05-01,M,temporary,Utredare,Vuxen,0.50,2020-01-01,2020-06-30,fixed_term_ended,external,\n"
    "E1,1960-02-29,F,permanent,Socialsekreterare,Barn och unga,1.00,2010-03-01,,,,\n"
    'E3,1990-01-01,X,hourly,"Handläggare, ekonomiskt bistånd",Vuxen,,2021-01-01,9999-12-31,,,E1\n'
)


def test_reads_csv_into_a_register(write_register):
    reg = sc.read_register(write_register(ROWS))
    assert len(reg) == 3
    assert reg.persons == 3
    assert reg.extracted_on == dt.date(2021, 1, 1)  # assumed: the latest date (E3's start), before today
    assert reg.extracted_on_assumed
    assert reg.issues["code"].tolist() == ["extraction_date_assumed"]
    frame = reg.to_frame()
    assert list(frame.columns) == sc.register.REGISTER_COLUMNS
    assert frame["employee_id"].tolist() == ["E1", "E2", "E3"]
    assert frame["position"].astype(str).tolist() == ["Socialsekreterare", "Utredare",
                                                      "Handläggare, ekonomiskt bistånd"]
    assert frame["fte"].iloc[0] == 1.0 and frame["fte"].iloc[1] == 0.5 and np.isnan(frame["fte"].iloc[2])
    assert pd.isna(frame["end_date"].iloc[0]) and pd.isna(frame["end_date"].iloc[2])  # open end marker
    assert frame["end_date"].iloc[1] == pd.Timestamp("2020-06-30")
    assert frame["end_reason"].iloc[1] == "fixed_term_ended"
    assert pd.isna(frame["recruitment_source"].iloc[0])
    assert frame["manager_id"].isna().tolist() == [True, True, False] and frame["manager_id"].iloc[2] == "E1"
    assert reg.employed_persons("2020-03-01") == 2
    assert reg.employed_persons(dt.date(2020, 7, 1)) == 1


def test_bom_crlf_and_column_order(write_register, tmp_path):
    shuffled = "start_date,employee_id,gender,birth_date,employment_form,department,position,fte,extra\r\n"
    path = tmp_path / "r.csv"
    path.write_bytes(("\ufeff" + shuffled + "2020-01-01,E1,F,1970-01-01,permanent,D,P,1,ignored\r\n").encode())
    reg = sc.read_register(path)
    assert len(reg) == 1
    assert reg.to_frame()["start_date"].iloc[0] == pd.Timestamp("2020-01-01")


def test_five_errors_are_all_reported_with_row_column_and_code(write_register):
    path = write_register(
        "E1,1970-01-01,F,permanent,A,D,1.00,2023-02-29,,,,\n"
        "E2,1970-01-01,Q,permanent,A,D,1.00,2020-01-01,,,,\n"
        "E3,1970-01-01,F,permanent,A,D,1.20,2020-01-01,,,,\n"
        "E4,1970-01-01,F,permanent,A,D,1.00,2020-01-01,2019-01-01,own_request,,\n"
        "E5,2015-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n"
    )
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(path)
    issues = caught.value.issues
    assert list(issues.columns) == ["file", "row", "line", "column", "code", "message", "value", "severity"]
    assert issues[["row", "column", "code"]].values.tolist() == [
        [2, "start_date", "bad_date"],
        [3, "gender", "unknown_code"],
        [4, "fte", "fte_out_of_range"],
        [5, "end_date", "end_before_start"],
        [6, "birth_date", "implausible_age"],
    ]
    assert (issues["severity"] == "error").all()
    assert issues["value"].tolist() == ["2023-02-29", "Q", "1.20", "2019-01-01", ""]
    for text in issues["message"].tolist() + issues["value"].tolist():
        assert "E5" not in text and "2015-01-01" not in text


def test_line_differs_from_row_after_a_multiline_record(write_register):
    path = write_register(
        'E1,1970-01-01,F,permanent,"two\nlines",D,1.00,2020-01-01,,,,\n'
        "E2,1970-01-01,F,permanent,A,D,abc,2020-01-01,,,,\n"
    )
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(path)
    issue = caught.value.issues.iloc[0]
    assert (issue["row"], issue["line"], issue["code"]) == (3, 4, "bad_number")


def test_warnings_keep_the_data(write_register):
    reg = sc.read_register(write_register(
        "E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n"
        "E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n"
        "E2,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,NOBODY\n"
    ), extracted_on="2024-12-31")
    assert len(reg) == 2
    assert sorted(reg.issues["code"]) == ["duplicate_row", "unknown_manager"]
    assert (reg.issues["severity"] == "warning").all()
    assert reg.issues.loc[reg.issues.code == "duplicate_row", "row"].tolist() == [3]


def test_dataframe_and_arrow_sources_give_the_same_register(write_register):
    from_csv = sc.read_register(write_register(ROWS)).to_frame()
    frame = pd.read_csv(write_register(ROWS), dtype=str, keep_default_na=False)
    from_pandas = sc.read_register(frame).to_frame()
    pd.testing.assert_frame_equal(from_csv, from_pandas)
    typed = from_csv.copy()  # real dtypes: datetimes, floats with NaN, categoricals
    from_typed = sc.read_register(typed).to_frame()
    pd.testing.assert_frame_equal(from_csv, from_typed)
    from_arrow = sc.read_register(pa.Table.from_pandas(typed, preserve_index=False)).to_frame()
    pd.testing.assert_frame_equal(from_csv, from_arrow)


def test_dataframe_errors_use_spreadsheet_rows():
    frame = pd.DataFrame({
        "employee_id": ["E1", "E2"], "birth_date": ["1970-01-01", "1970-01-01"], "gender": ["F", "F"],
        "employment_form": ["permanent", "permanent"], "position": ["A", "A"], "department": ["D", "D"],
        "fte": [1.0, 1.5], "start_date": ["2020-01-01", "2020-01-01"],
    })
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(frame)
    issue = caught.value.issues.iloc[0]
    assert (issue["row"], issue["column"], issue["code"]) == (3, "fte", "fte_out_of_range")
    assert pd.isna(issue["line"])


def test_semicolon_decimal_comma_cp1252_and_mapping(tmp_path):
    text = ("Anst.nr;Födelsedatum;Kön;Anställningsform;Befattning;Avdelning;Sysselsättningsgrad;Från\r\n"
            "1;1970-01-01;K;Tillsvidare;Socialsekreterare;Försörjningsstöd;0,75;2020-01-01\r\n"
            "2;1980-01-01;M;Timavlönad;Vårdbiträde;Försörjningsstöd;;2021-01-01\r\n")
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    reg = sc.read_register(
        path,
        encoding="cp1252",
        columns={"Anst.nr": "employee_id", "Födelsedatum": "birth_date", "Kön": "gender",
                 "Anställningsform": "employment_form", "Befattning": "position", "Avdelning": "department",
                 "Sysselsättningsgrad": "fte", "Från": "start_date"},
        codes={"gender": {"K": "F"}, "employment_form": {"Tillsvidare": "permanent", "Timavlönad": "hourly"}},
    )
    frame = reg.to_frame()
    assert frame["fte"].iloc[0] == 0.75
    assert frame["department"].iloc[0] == "Försörjningsstöd"
    assert frame["gender"].tolist() == ["F", "M"]
    assert frame["employment_form"].tolist() == ["permanent", "hourly"]


def test_pass_through_dimension(write_register):
    header = HEADER.rstrip("\n") + ",region\n"
    path = write_register("E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,,Norr\n", header=header)
    reg = sc.read_register(path, dimensions=["region"])
    assert reg.to_frame()["region"].tolist() == ["Norr"]
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(path, dimensions=["county"])
    assert caught.value.issues["code"].tolist() == ["missing_column"]


def test_extracted_on_and_repr(write_register):
    reg = sc.read_register(write_register(ROWS), extracted_on=dt.date(2024, 9, 30))
    assert reg.extracted_on == dt.date(2024, 9, 30)
    assert "3 spells" in repr(reg)
    html = reg._repr_html_()
    assert "<table>" in html and "Persons" in html


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        sc.read_register(tmp_path / "nope.csv")


def test_sick_leave_and_indicators(write_register, tmp_path):
    reg = sc.read_register(write_register(ROWS))
    sick_path = tmp_path / "sick.csv"
    sick_path.write_text("employee_id,start_date,end_date,extent\n"
                         "E1,2021-03-01,2021-03-05,1\n"
                         "E2,2021-03-01,2021-03-05,0.5\n")  # E2 left in 2020
    sick = sc.read_sick_leave(sick_path, register=reg)
    assert len(sick) == 2
    assert sick.to_frame()["extent"].tolist() == [1.0, 0.5]
    assert sick.issues[["row", "code"]].values.tolist() == [[3, "sick_leave_outside_employment"]]
    ind_path = tmp_path / "ind.csv"
    ind_path.write_text("indicator,period,value,target,better,unit,unit_of_analysis\n"
                        "HME,2023,78.5,80,higher,index,\n"
                        "HME,2024,79,80,higher,index,\n")
    ind = sc.read_indicators(ind_path)
    assert ind.to_frame()["value"].tolist() == [78.5, 79.0]
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,period,value,better\nHME,2024-T4,x,up\n")
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_indicators(bad)
    assert caught.value.issues["code"].tolist() == ["bad_date", "bad_number", "unknown_code"]
