"""The command line: exit codes, messages on stderr, never a traceback."""

from __future__ import annotations

import json
import os
import random

import pytest

from conftest import HEADER, run_cli

GOOD = "E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\nE2,1980-01-01,M,temporary,B,D,0.50,2021-01-01,2021-12-31,fixed_term_ended,external,E1\n"


def test_validate_a_valid_register(write_register):
    result = run_cli("validate", write_register(GOOD), "--extracted-on", "2021-12-31")
    assert result.returncode == 0, result.stderr
    assert "spells                    2" in result.stdout
    assert "persons                   2" in result.stdout
    assert "2020-01-01 .. 2021-01-01" in result.stdout
    assert result.stderr == ""


def test_validate_reports_every_error_and_exits_2(write_register):
    path = write_register(
        "E1,1970-01-01,F,permanent,A,D,1.00,2023-02-29,,,,\n"
        "E2,1970-01-01,Q,permanent,A,D,1.00,2020-01-01,,,,\n"
        "E3,1970-01-01,F,permanent,A,D,1.20,2020-01-01,,,,\n"
        "E4,1970-01-01,F,permanent,A,D,1.00,2020-01-01,2019-01-01,own_request,,\n"
        "E5,2015-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n"
    )
    result = run_cli("validate", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "5 error(s)" in result.stderr
    for expected in ["row 2, column start_date: error bad_date", "row 3, column gender: error unknown_code",
                     "row 4, column fte: error fte_out_of_range", "row 5, column end_date: error end_before_start",
                     "row 6, column birth_date: error implausible_age"]:
        assert expected in result.stderr
    assert "2015-01-01" not in result.stderr and "E5" not in result.stderr
    assert result.stdout == ""


def test_validate_warnings_as_csv_and_json(write_register):
    path = write_register(GOOD + "E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n")
    result = run_cli("validate", path, "--extracted-on", "2021-12-31", "--format", "csv")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "file,row,line,column,code,message,value,severity"
    assert ",4,4,,duplicate_row," in lines[1]
    result = run_cli("validate", path, "--extracted-on", "2021-12-31", "--format", "json")
    rows = json.loads(result.stdout)
    assert [r["code"] for r in rows] == ["duplicate_row"]


@pytest.mark.parametrize("content", [
    b"",                                                     # empty file
    b"\x00\x01\x02\xff\xfe" * 2000,                          # binary garbage
    HEADER.encode()[:40],                                    # truncated header
    (HEADER + "E1,1970-01-01,F,perm").encode(),              # truncated row
    (HEADER + 'E1,"unterminated\n').encode(),                # unterminated quote
    b"no,header,here\n1,2,3\n",                              # not a register at all
    (HEADER + "E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\x00\n").encode(),
])
def test_malformed_files_exit_2_without_traceback(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run_cli("validate", path)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert "error" in result.stderr


def test_ten_megabyte_field_is_reported(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes((HEADER + "E1,1970-01-01,F,permanent,\"" + "x" * (10 << 20) + "\",D,1.00,2020-01-01,,,,\n"
                      + "E2,1970-01-01,F,permanent,A,D,9,2020-01-01,,,,\n").encode())
    result = run_cli("validate", path)
    assert result.returncode == 2
    assert "row 2, column position: error field_too_long" in result.stderr
    assert "row 3, column fte: error fte_out_of_range" in result.stderr


def test_random_bytes_never_crash(tmp_path):
    rng = random.Random(1234)
    alphabet = [b",", b"\"", b"\n", b"\r", b"E1", b"2020-01-01", b"F", b"permanent", b"1.00", b"\xc3", b"\x00", b"x"]
    for case in range(30):
        body = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        path = tmp_path / f"r{case}.csv"
        path.write_bytes(HEADER.encode() + body)
        result = run_cli("validate", path)
        assert result.returncode in (0, 2), (case, result.stderr)
        assert "Traceback" not in result.stderr


def test_missing_file_and_bad_arguments_exit_2(tmp_path):
    result = run_cli("validate", tmp_path / "missing.csv")
    assert result.returncode == 2 and "no such file" in result.stderr
    result = run_cli("validate")
    assert result.returncode == 2
    result = run_cli("frobnicate")
    assert result.returncode == 2
    result = run_cli("validate", tmp_path / "missing.csv", "--extracted-on", "2024-02-30")
    assert result.returncode == 2


def test_bad_extracted_on_is_an_argument_error(write_register):
    result = run_cli("validate", write_register(GOOD), "--extracted-on", "30/09/2024")
    assert result.returncode == 2
    assert "extracted_on" in result.stderr and "Traceback" not in result.stderr


def test_mapping_file(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("Anst.nr;Födelsedatum;Kön;Form;Befattning;Avdelning;Tjg;Från\n"
                     "1;1970-01-01;K;Tillsvidare;Socialsekreterare;Vuxen;0,75;2020-01-01\n".encode())
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\n"Anst.nr" = "employee_id"\n"Födelsedatum" = "birth_date"\n"Kön" = "gender"\n'
        'Form = "employment_form"\nBefattning = "position"\nAvdelning = "department"\nTjg = "fte"\n'
        '"Från" = "start_date"\n[codes.gender]\nK = "F"\n[codes.employment_form]\nTillsvidare = "permanent"\n',
        encoding="utf-8")
    result = run_cli("validate", path, "--mapping", mapping)
    assert result.returncode == 0, result.stderr
    assert "persons                   1" in result.stdout
    mapping.write_text("colums = {}\n")
    result = run_cli("validate", path, "--mapping", mapping)
    assert result.returncode == 2 and "unknown key" in result.stderr


def test_generate_then_validate_and_demo(tmp_path):
    out = tmp_path / "gen"
    result = run_cli("generate", out, "--persons", "300", "--years", "3", "--seed", "5")
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(out)) == ["employments.csv", "indicators.csv", "sick_leave.csv"]
    result = run_cli("validate", out / "employments.csv", "--sick-leave", out / "sick_leave.csv",
                     "--indicators", out / "indicators.csv")
    assert result.returncode == 0, result.stderr
    result = run_cli("generate", out, "--persons", "0")
    assert result.returncode == 2


def test_demo_runs_on_the_bundled_sample():
    result = run_cli("demo")
    assert result.returncode == 0, result.stderr
    for title in ["Headcount on 2024-09-30", "Turnover of permanent staff", "Sick leave against the targets",
                  "Retirements at 65, permanent staff, 2025-2027", "Recruitment need", "Indicators"]:
        assert title in result.stdout
    # The retirement table of the demo is the plan's table.
    plan = run_cli("retirements", "examples/data/employments.csv", "--as-of", "2024-09-30", "--years", "3",
                   "--by", "department", "--form", "permanent")
    assert plan.stdout.splitlines()[-1].split() == [line for line in result.stdout.splitlines()
                                                     if line.strip().startswith("Total ") and "  21 " in line][0].split()
