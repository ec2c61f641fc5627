"""Pseudonymisation (docs/privacy.md) checked against Python's hmac, computed independently."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

import staffcast as sc

from conftest import SAMPLE, run_cli

KEY = b"0123456789abcdef0123456789abcdef"  # 32 bytes


def expected(identifier: str) -> str:
    return hmac.new(KEY, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


def test_cli_pseudonymises_register_and_sick_leave_consistently(tmp_path):
    key = tmp_path / "KEY"
    key.write_bytes(KEY + b"\n")  # one trailing newline is not part of the key
    out = tmp_path / "pseudo.csv"
    result = run_cli("pseudonymise", SAMPLE / "employments.csv", out, "--key-file", key)
    assert result.returncode == 0, result.stderr
    original = pd.read_csv(SAMPLE / "employments.csv", dtype=str, keep_default_na=False)
    pseudo = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert pseudo.columns.tolist() == original.columns.tolist()
    assert pseudo["employee_id"].tolist() == [expected(v) for v in original["employee_id"]]
    assert pseudo["manager_id"].tolist() == [expected(v) if v else "" for v in original["manager_id"]]
    assert all(len(v) == 64 and v == v.lower() for v in pseudo["employee_id"])
    pd.testing.assert_frame_equal(pseudo.drop(columns=["employee_id", "manager_id"]),
                                  original.drop(columns=["employee_id", "manager_id"]))
    sick_out = tmp_path / "sick.csv"
    assert run_cli("pseudonymise", SAMPLE / "sick_leave.csv", sick_out, "--key-file", key).returncode == 0
    # The same key links the files: statistics on the pseudonymised pair equal the originals.
    reg, reg_p = sc.read_register(SAMPLE / "employments.csv"), sc.read_register(out)
    sick, sick_p = (sc.read_sick_leave(SAMPLE / "sick_leave.csv", register=reg),
                    sc.read_sick_leave(sick_out, register=reg_p))
    assert sick_p.issues.empty
    a = sc.sick_leave(reg, sick, "2023-10-01", "2024-09-30", by="department")
    b = sc.sick_leave(reg_p, sick_p, "2023-10-01", "2024-09-30", by="department")
    pd.testing.assert_frame_equal(a, b)


def test_short_key_is_refused_and_nothing_written(tmp_path):
    key = tmp_path / "KEY"
    key.write_bytes(b"too short\n")
    out = tmp_path / "pseudo.csv"
    result = run_cli("pseudonymise", SAMPLE / "employments.csv", out, "--key-file", key)
    assert result.returncode == 2 and "at least 32 bytes" in result.stderr
    assert not out.exists()
    with pytest.raises(ValueError):
        sc.pseudonymise(pd.DataFrame({"employee_id": ["E1"]}), b"short")


def test_python_function_and_birth_dates(tmp_path):
    frame = pd.DataFrame({"employee_id": ["E1", "E2"], "manager_id": ["E2", None],
                          "birth_date": ["1960-02-29", "1985-07-13"]})
    out = sc.pseudonymise(frame, KEY, birth_date="year-month")
    assert out["employee_id"].tolist() == [expected("E1"), expected("E2")]
    assert out["manager_id"].iloc[0] == expected("E2") and out["manager_id"].iloc[1] is None
    assert out["birth_date"].tolist() == ["1960-02-01", "1985-07-01"]
    assert frame["employee_id"].tolist() == ["E1", "E2"]  # the input is not changed
