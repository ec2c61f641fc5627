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
from staffcast.errors import printable

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
    "sick_leave_bad.csv": ("sick_leave", "bad_date", "not a real calendar date: February 2023 has 28 days"),
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
    # An impossible day or month is called impossible, with the reason; year 0000 is outside the calendar.
    assert ("row 3, column start_date: error bad_date: not a real calendar date: February 2023 has 28 days "
            "[value: 2023-02-29]") in result.stderr
    assert "row 4, column birth_date: error bad_date: not a valid date YYYY-MM-DD\n" in result.stderr
    # A birth date's reason is left out: it would name its month.
    assert "row 5, column birth_date: error bad_date: not a real calendar date\n" in result.stderr
    assert ("row 5, column end_date: error bad_date: not a real calendar date: April has 30 days "
            "[value: 2021-04-31]") in result.stderr
    assert "0000-00-00" not in result.stderr and "1979-13-01" not in result.stderr  # birth dates never echoed
    assert "month 13" not in result.stderr


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


def _us_dated_register(path: Path, rows: int) -> Path:
    """A register whose every date is month first (12/31/2020), as a US-style export writes them."""
    lines = [HEADER]
    for i in range(rows):
        month, day = 1 + i % 12, 13 + i % 15  # days over 12: month first is the only reading
        lines.append(f"E{i:06d},{month}/{day}/1980,F,permanent,Socialsekreterare,Barn och unga,1.00,"
                     f"{month:02d}/{day:02d}/2020,,,external,\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_ten_thousand_bad_dates_are_summarised_per_code_and_column(tmp_path):
    path = _us_dated_register(tmp_path / "us.csv", 10_000)
    for command in (["validate", path], ["snapshot", path, "--as-of", "2024-09-30"]):
        result = _cli_in_process(*command)
        assert result.returncode == 2
        lines = result.stderr.splitlines()
        assert len(lines) < 60, result.stderr[:3000]
        # the first 3 of each (code, column), then the count of the rest
        assert sum("column start_date: error bad_date" in line for line in lines) == 3
        assert sum("column birth_date: error bad_date" in line for line in lines) == 3
        # issues are listed up to 10,000 (5,000 rows of two bad dates each), the rest counted
        assert "... and 4,997 more bad_date in start_date" in lines
        assert "... and 4,997 more bad_date in birth_date" in lines
        assert "... and 10000 more not listed" in lines
        # start dates are shown, so the hint names their layout; birth dates never are
        hint = [line for line in lines if line.startswith("hint: ")]
        assert hint == ['hint: the dates look like %m/%d/%Y: give date_format = "%m/%d/%Y" in a mapping\'s [format] '
                        "(--mapping FILE, or date_format= in Python; see docs/data.md)"]
        assert "/1980" not in result.stderr


def test_day_first_dates_get_the_date_format_hint(tmp_path, write_register):
    path = write_register("E1,1980-01-01,F,permanent,Socialsekreterare,Barn och unga,1.00,31/12/2020,,,external,\n"
                          "E2,1981-01-01,M,permanent,Socialsekreterare,Barn och unga,1.00,15/06/2021,30/06/2022,"
                          "own_request,external,\n")
    result = _cli_in_process("validate", path)
    assert result.returncode == 2
    assert ('hint: the dates look like %d/%m/%Y: give date_format = "%d/%m/%Y" in a mapping\'s [format] '
            "(--mapping FILE, or date_format= in Python; see docs/data.md)") in result.stderr.splitlines()


def test_no_hint_for_impossible_dates():
    result = _cli_in_process("validate", HOSTILE / "bad_dates.csv")
    assert "hint:" not in result.stderr


@pytest.mark.parametrize("command", [
    ["snapshot", "{missing}.csv", "--as-of", "2024-09-30"],
    ["validate", "{missing}.csv"],
    ["validate", str(SAMPLE / "employments.csv"), "--sick-leave", "{missing}.csv"],
    ["mapping-template", "{missing}.csv"],
    ["mapping-template", "{missing}.csv", "--encoding", "cp1252"],
    ["save", "{missing}.csv", "{tmp}/out.arrow"],
    ["snapshot", "{missing}.arrow", "--as-of", "2024-09-30"],
    ["pseudonymise", "{missing}.csv", "{tmp}/out.csv", "--key-file", "{missing}.key"],
    ["project", str(SAMPLE / "employments.csv"), "--extracted-on", "2024-09-30", "--years", "2", "--scenario",
     "{missing}.toml"],
    ["snapshot", str(SAMPLE / "employments.csv"), "--as-of", "2024-09-30", "--mapping", "{missing}.toml"],
], ids=lambda c: c[0])
def test_a_missing_file_is_worded_the_same_by_every_command(command, tmp_path):
    missing = tmp_path / "nowhere"
    result = _cli_in_process(*(part.format(missing=missing, tmp=tmp_path) for part in command))
    assert result.returncode == 2
    assert result.stderr.startswith(f"staffcast {command[0]}: error: no such file: {missing}."), result.stderr
    assert "Errno" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_windows_export_read_as_utf8_gets_the_mapping_hint():
    export = SAMPLE / "swedish" / "anstallda.csv"
    result = _cli_in_process("validate", export)
    assert result.returncode == 2 and "error encoding" in result.stderr
    assert (f"hint: the file looks like cp1252 (a Windows export): pass --mapping FILE with encoding = \"cp1252\" "
            f"in its [format], or make one with: staffcast mapping-template {export} --encoding cp1252 "
            "--out mapping.toml (see docs/data.md)") in result.stderr.splitlines()
    for name in ("invalid_utf8.csv", "nul_bytes.csv"):  # not text in another encoding: no hint
        assert "hint:" not in _cli_in_process("validate", HOSTILE / name).stderr


def test_a_mistyped_option_gets_the_commands_usage_and_a_suggestion():
    result = _cli_in_process("snapshot", SAMPLE / "employments.csv", "--asof", "2024-09-30")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: staffcast snapshot ")
    assert "staffcast snapshot: error: unrecognized arguments: --asof 2024-09-30" in result.stderr
    assert "  --asof: did you mean --as-of?" in result.stderr.splitlines()
    # nothing close: the usage and the arguments, no guess
    result = _cli_in_process("snapshot", SAMPLE / "employments.csv", "--xyzzy")
    assert result.returncode == 2 and "did you mean" not in result.stderr


@pytest.mark.parametrize("day, reason", [("2024-09-31", "September has 30 days"),
                                         ("2023-02-29", "February 2023 has 28 days"),
                                         ("2024-13-01", "there is no month 13")])
def test_an_impossible_date_option_is_called_impossible(day, reason):
    expected = f"as_of: {day} is not a real calendar date: {reason}"
    result = _cli_in_process("snapshot", SAMPLE / "employments.csv", "--extracted-on", "2024-09-30", "--as-of", day)
    assert result.returncode == 2
    assert result.stderr == f"staffcast snapshot: error: {expected}\n"
    result = _cli_in_process("report", SAMPLE / "employments.csv", "--as-of", day, "--out", "never.html")
    assert result.returncode == 2 and expected in result.stderr
    reg = sc.read_register(SAMPLE / "employments.csv")
    with pytest.raises(ValueError, match=f"^{expected}$"):
        sc.snapshot(reg, day)
    # A text that is not a date at all keeps the layout message.
    result = _cli_in_process("snapshot", SAMPLE / "employments.csv", "--extracted-on", "2024-09-30", "--as-of", "30/09/2024")
    assert result.stderr == "staffcast snapshot: error: as_of must be an ISO date YYYY-MM-DD, got '30/09/2024'\n"


def test_messages_never_echo_control_bytes(write_register, tmp_path):
    # An argument, a field value and a file name holding terminal escapes: shown escaped, never raw.
    result = _cli_in_process("snapshot", SAMPLE / "employments.csv", "--extracted-on", "2024-09-30", "--as-of", "\x1b[2J\x07")
    assert result.returncode == 2
    assert result.stderr == "staffcast snapshot: error: as_of must be an ISO date YYYY-MM-DD, got '\\x1b[2J\\x07'\n"
    path = write_register(OK_ROW.replace("permanent", "perm\x1b]0;owned\x07anent"))
    result = _cli_in_process("validate", path)
    assert result.returncode == 2
    assert "[value: perm\\x1b]0;owned\\x07anent]" in result.stderr
    missing = tmp_path / "no\x1b[31mwhere.csv"
    result = _cli_in_process("validate", missing)
    assert result.stderr == f"staffcast validate: error: no such file: {tmp_path}/no\\x1b[31mwhere.csv\n"
    result = _cli_in_process("snapshot", SAMPLE / "employments.csv", "--as\x9b2J")
    assert result.returncode == 2 and "unrecognized arguments: --as\\u009b2J" in result.stderr
    for text in (result.stderr, _cli_in_process("validate", path).stderr):
        assert not any(ord(c) < 32 and c != "\n" or 0x7f <= ord(c) <= 0x9f for c in text)
    assert printable("a\x1b\nb\x9b") == "a\\x1b\nb\\u009b"
