"""The C++ example examples/cpp/plan.cpp prints every table of the plan byte for byte as the CLI does
(the ctest plan_example_matches_cli runs the same check after `make test-cpp`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "build" / "cpp" / "tests" / "cpp" / "staffcast_plan_example"


@pytest.mark.skipif(not BINARY.exists(), reason="build the C++ tests first (make test-cpp)")
def test_cpp_plan_matches_cli():
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "cpp" / "plan_matches_cli.py"), str(BINARY)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
