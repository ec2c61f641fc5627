"""Hostile inputs (issue #10): each gives exit 2 and a clear message, never a crash or a traceback.

Small files live in tests/data/hostile/; the large ones (binary noise, 100,000 columns, a 50 MB line)
are generated here at test time (large hostile files are not committed).
"""

from __future__ import annotations

import contextlib
import io
import random
import subprocess
from pathlib import Path

import pytest

import staffcast as sc
from conftest import HEADER, ROOT, SAMPLE, run_cli
from staffcast.cli import main as cli_main

HOSTILE = ROOT / "tests" / "data" / "hostile"
OK_ROW = "E1,1980-01-01,F,permanent,Socialsekreterare,Barn och unga,1.00,2020-01-01,,,external,\n"

# file -> (how it is passed to `staffcast validate`, an issue code and a phrase the message must hold)
COMMITTED = {
    "empty.csv": ("register", "malformed_csv", "the file is empty"),
    "bom_only.csv": ("register", "malformed_csv", "the file is empty"),
    "header_only.csv": ("register", "malformed_csv", "header row but no records"),
    "newlines_only.csv": ("register", "missing_column", "required column 'employee_id' is missing"),
    "no_header_columns.csv": ("register", "missing_column", "the file has: a, b, c"),
    "invalid_utf8.csv": ("register", "encoding", "invalid UTF-8"),
    "nul_bytes.csv": ("register", "encoding", "NUL byte"),
    "bad_dates.csv": ("register", "bad_date", "not a valid date"),
    "unterminated_quote.csv": ("register", "malformed_csv", "unterminated quoted field"),
    "wrong_field_count.csv": ("register", "malformed_csv", "expected 12 fields, found 5"),
    "sick_leave_bad.csv": ("sick_leave", "bad_date", "not a valid date"),
    "indicators_bad.csv": ("indicators", "unknown_code", "expected one of higher, lower"),
}


def _cli_in_process(*args) -> subprocess.CompletedProcess:
    """`staffcast ARGS` through cli.main in this process (the small files; the large ones use a subprocess)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main([str(a) for a in args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def _validate(path: Path, kind: str):
    if kind == "register":
        return _cli_in_process("validate", path)
    option = "--sick-leave" if kind == "sick_leave" else "--indicators"
    return _cli_in_process("validate", SAMPLE / "employments.csv", option, path)


def _assert_clean_refusal(result, code: str, phrase: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert f"error {code}" in result.stderr, result.stderr[:2000]
    assert phrase in result.stderr, result.stderr[:2000]
    assert result.stdout == ""


def test_the_committed_directory_holds_every_case():
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(COMMITTED)


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_committed_hostile_file_exits_2_with_a_message(name):
    kind, code, phrase = COMMITTED[name]
    _assert_clean_refusal(_validate(HOSTILE / name, kind), code, phrase)


def test_bad_dates_are_each_reported_with_row_and_column():
    result = _cli_in_process("validate", HOSTILE / "bad_dates.csv")
    # 2023-02-29 (not a leap year) at row 3; 0000-00-00 and month 13 birth dates (value never shown);
    # 31 April as an end date.
    assert "row 3, column start_date: error bad_date: not a valid date YYYY-MM-DD [value: 2023-02-29]" in result.stderr
    assert "row 4, column birth_date: error bad_date" in result.stderr
    assert "row 5, column birth_date: error bad_date" in result.stderr
    assert "row 5, column end_date: error bad_date: not a valid date YYYY-MM-DD [value: 2021-04-31]" in result.stderr
    assert "0000-00-00" not in result.stderr and "1979-13-01" not in result.stderr  # birth dates never echoed


@pytest.mark.parametrize("name", sorted(n for n, (kind, _, _) in COMMITTED.items() if kind == "register"))
def test_python_api_raises_validation_error(name):
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(HOSTILE / name)
    issues = caught.value.issues
    assert (issues.severity == "error").any()
    assert COMMITTED[name][1] in set(issues.code)


def test_binary_noise(tmp_path):
    path = tmp_path / "noise.csv"
    path.write_bytes(random.Random(7).randbytes(256 * 1024))  # NUL bytes and invalid UTF-8 everywhere
    result = run_cli("validate", path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "error encoding" in result.stderr or "error malformed_csv" in result.stderr


def test_a_header_of_100000_columns(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000) + "\n")
    result = run_cli("validate", path)
    _assert_clean_refusal(result, "missing_column", "required column 'employee_id' is missing")
    assert len(result.stderr) < 200_000  # the column list is not echoed 100,000 times per issue


def test_a_record_of_100000_fields(tmp_path):
    path = tmp_path / "wide_row.csv"
    path.write_text(HEADER + OK_ROW + ",".join(["x"] * 100_000) + "\n")
    _assert_clean_refusal(run_cli("validate", path), "malformed_csv", "expected 12 fields, found 100000")


def test_a_50_mb_line(tmp_path):
    path = tmp_path / "long_line.csv"
    with open(path, "wb") as out:
        out.write(HEADER.encode() + OK_ROW.encode())
        out.write(b"E2,1981-02-03,M,permanent,")
        out.write(b"x" * (50 * 1024 * 1024))  # one field of 50 MB, no line break
        out.write(b",Ekonomi,1.00,2020-01-01,,,external,\n")
    _assert_clean_refusal(run_cli("validate", path), "field_too_long", "field longer than")


def test_a_50_mb_line_in_the_sick_leave_file(tmp_path):
    path = tmp_path / "sick.csv"
    path.write_bytes(b"employee_id,start_date,end_date,extent\n" + b"E" * (50 * 1024 * 1024) + b"\n")
    result = run_cli("validate", SAMPLE / "employments.csv", "--sick-leave", path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "field_too_long" in result.stderr or "malformed_csv" in result.stderr


def test_statistics_commands_refuse_hostile_input_too(tmp_path):
    for name in ("header_only.csv", "nul_bytes.csv", "bad_dates.csv"):
        result = _cli_in_process("snapshot", HOSTILE / name, "--as-of", "2024-09-30")
        assert result.returncode == 2, (name, result.stderr)
        assert "Traceback" not in result.stderr
