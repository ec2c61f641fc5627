"""Real HR exports: mappings, Swedish dialects, Excel, save and load (docs/data.md, issue 12)."""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd
import pytest

import staffcast as sc

from conftest import HEADER, SAMPLE, run_cli

SWEDISH = SAMPLE / "swedish"


@pytest.fixture(scope="module")
def canonical():
    return sc.read_register(SAMPLE / "employments.csv")


@pytest.fixture(scope="module")
def swedish():
    return sc.read_register(SWEDISH / "anstallda.csv", mapping=SWEDISH / "mapping.toml")


def tables(reg):
    return [
        sc.snapshot(reg, "2024-09-30", by=["department", "employment_form", "gender"], totals=True),
        sc.flows(reg, "2023-10-01", "2024-09-30", by="department"),
        sc.turnover(reg, "2023-10-01", "2024-09-30", by="age_band", employment_form="permanent"),
        sc.retirement_outlook(reg, "2024-09-30", years="2025-2027", by="department", employment_form="permanent"),
        sc.full_time(reg, "2024-09-30", by="gender"),
    ]


def test_swedish_export_gives_identical_statistics(canonical, swedish):
    assert len(swedish) == len(canonical) and swedish.persons == canonical.persons
    pd.testing.assert_frame_equal(swedish.to_frame(), canonical.to_frame())
    for ours, theirs in zip(tables(swedish), tables(canonical)):
        pd.testing.assert_frame_equal(ours, theirs, check_like=False)


def test_swedish_export_on_the_cli():
    args = ["--as-of", "2024-09-30", "--years", "2025-2027", "--by", "department", "--form", "permanent",
            "--format", "csv"]
    plain = run_cli("retirements", SAMPLE / "employments.csv", *args)
    swedish = run_cli("retirements", SWEDISH / "anstallda.csv", "--mapping", SWEDISH / "mapping.toml", *args)
    assert plain.returncode == 0 and swedish.returncode == 0, swedish.stderr
    assert swedish.stdout == plain.stdout


def test_excel_workbook(canonical, tmp_path):
    path = tmp_path / "register.xlsx"
    frame = pd.read_csv(SAMPLE / "employments.csv", dtype=str, keep_default_na=False)
    for column in ["birth_date", "start_date"]:
        frame[column] = pd.to_datetime(frame[column])  # real Excel dates
    frame["fte"] = pd.to_numeric(frame["fte"].replace("", np.nan))
    frame.to_excel(path, index=False, sheet_name="Anställda")
    reg = sc.read_register(path, sheet="Anställda")
    for ours, theirs in zip(tables(reg), tables(canonical)):
        pd.testing.assert_frame_equal(ours, theirs)


def test_unmapped_code_names_column_row_and_known_codes(tmp_path):
    text = (SWEDISH / "anstallda.csv").read_bytes().decode("cp1252").splitlines()
    text[5] = text[5].replace(";K;", ";Kvinna;", 1)
    path = tmp_path / "bad.csv"
    path.write_bytes(("\r\n".join(text) + "\r\n").encode("cp1252"))
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(path, mapping=SWEDISH / "mapping.toml")
    issue = caught.value.issues.iloc[0]
    assert (issue["row"], issue["column"], issue["code"], issue["value"]) == (6, "Kön", "unknown_code", "Kvinna")
    assert "the mapping knows K, M, X" in issue["message"]


def test_mapping_key_that_names_no_column(tmp_path):
    mapping = tomllib.loads((SWEDISH / "mapping.toml").read_text(encoding="utf-8"))
    mapping["columns"]["Anställningsnummer"] = "employee_id"
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(SWEDISH / "anstallda.csv", mapping=mapping)
    issue = caught.value.issues.iloc[0]
    assert issue["code"] == "missing_column" and issue["column"] == "Anställningsnummer"
    assert "the file has: Anst.nr, Födelsedatum, Kön" in issue["message"]
    with pytest.raises(ValueError, match="unknown key"):
        sc.read_register(SWEDISH / "anstallda.csv", mapping={"colums": {}})


def test_wrong_encoding_is_an_encoding_error_not_mojibake(tmp_path):
    # cp1252 bytes read as UTF-8: invalid UTF-8 -> encoding errors with rows.
    mapping = tomllib.loads((SWEDISH / "mapping.toml").read_text(encoding="utf-8"))
    mapping["format"]["encoding"] = "utf-8"
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(SWEDISH / "anstallda.csv", mapping=mapping)
    assert set(caught.value.issues["code"]) == {"encoding"}
    # UTF-8 bytes declared cp1252: refused instead of turning "Försörjningsstöd" into "FÃ¶rsÃ¶rjningsstÃ¶d".
    with pytest.raises(ValueError, match="encoding: the file is UTF-8"):
        sc.read_register(SAMPLE / "employments.csv", encoding="cp1252")


def test_date_formats(write_register, tmp_path):
    path = tmp_path / "dmy.csv"
    path.write_text(HEADER + "E1,29/02/1960,F,permanent,A,D,1.00,01/01/2020,31/12/9999,,,\n")
    reg = sc.read_register(path, date_format="%d/%m/%Y", open_end="31/12/9999")
    frame = reg.to_frame()
    assert frame["birth_date"].iloc[0] == pd.Timestamp("1960-02-29") and pd.isna(frame["end_date"].iloc[0])
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(path)  # ISO expected
    assert set(caught.value.issues["code"]) == {"bad_date"}


@pytest.mark.parametrize("suffix", [".arrow", ".feather"])
def test_save_and_load_round_trip(canonical, tmp_path, suffix):
    path = tmp_path / f"register{suffix}"
    canonical.save(path)
    loaded = sc.load_register(path)
    pd.testing.assert_frame_equal(loaded.to_frame(), canonical.to_frame())
    assert loaded._core.dictionaries() == canonical._core.dictionaries()
    for name, column in canonical._core.columns().items():
        if name != "pass_through":
            np.testing.assert_array_equal(loaded._core.columns()[name], column, err_msg=name)
    assert loaded.extracted_on == canonical.extracted_on
    for ours, theirs in zip(tables(loaded), tables(canonical)):
        pd.testing.assert_frame_equal(ours, theirs)
    # The CLI takes a saved register wherever it takes a CSV.
    result = run_cli("snapshot", path, "--as-of", "2024-09-30", "--format", "csv")
    assert result.returncode == 0 and result.stdout.splitlines()[1].startswith("1102,")


def test_save_keeps_pass_through_and_refuses_bad_files(write_register, tmp_path):
    path = write_register("E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,,Norr\n",
                          header=HEADER.rstrip("\n") + ",region\n")
    reg = sc.read_register(path, dimensions=["region"], extracted_on="2024-01-01")
    saved = tmp_path / "r.arrow"
    reg.save(saved)
    loaded = sc.load_register(saved)
    assert loaded.to_frame()["region"].tolist() == ["Norr"] and loaded.extracted_on == reg.extracted_on
    not_ours = tmp_path / "other.arrow"
    pd.DataFrame({"a": [1]}).to_feather(not_ours)
    with pytest.raises(ValueError, match="not a valid saved staffcast register: it has no staffcast.format"):
        sc.load_register(not_ours)
    garbage = tmp_path / "garbage.arrow"
    garbage.write_bytes(b"\x00\x01 not arrow")
    with pytest.raises(ValueError):
        sc.load_register(garbage)
    with pytest.raises(ValueError, match="save to a file ending"):
        reg.save(tmp_path / "r.csv")


def test_mapping_template_prefills_swedish_names():
    result = run_cli("mapping-template", SWEDISH / "anstallda.csv", "--encoding", "cp1252")
    assert result.returncode == 0, result.stderr
    template = tomllib.loads(result.stdout)
    assert template["format"] == {"sep": ";", "decimal": ",", "encoding": "cp1252", "date_format": "%Y%m%d",
                                  "open_end": "99991231", "extracted_on": "TODO"}
    # The encoding is sniffed when not given.
    assert tomllib.loads(run_cli("mapping-template", SWEDISH / "anstallda.csv").stdout)["format"] == template["format"]
    assert template["columns"]["Kön"] == "gender" and template["columns"]["Anst.nr"] == "employee_id"
    assert template["codes"]["gender"]["K"] == "F"
    assert template["codes"]["end_reason"]["Egen begäran"] == "own_request"


def test_a_saved_register_with_non_ascii_keys_loads_them_exactly(tmp_path):
    text = ("employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,"
            "end_reason,recruitment_source,manager_id\n"
            "Åsa-1,1980-05-01,F,permanent,Lärare,Skola,1.00,2020-01-01,,,external,\n"
            "Örjan-2,1975-02-03,M,permanent,Lärare,Skola,1.00,2021-01-01,,,external,Åsa-1\n")
    path = tmp_path / "e.csv"
    path.write_text(text, encoding="utf-8")
    reg = sc.read_register(path)
    reg.save(tmp_path / "r.arrow")
    loaded = sc.load_register(tmp_path / "r.arrow")
    assert loaded.to_frame()["employee_id"].tolist() == reg.to_frame()["employee_id"].tolist() == ["Åsa-1", "Örjan-2"]
    assert loaded.to_frame()["manager_id"].tolist() == reg.to_frame()["manager_id"].tolist()
