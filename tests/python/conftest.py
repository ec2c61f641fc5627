from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "data"

HEADER = ("employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,"
          "end_reason,recruitment_source,manager_id\n")


@pytest.fixture
def write_register(tmp_path):
    """Writes a register CSV with the contract header and the given rows."""

    def write(rows: str, name: str = "employments.csv", header: str = HEADER, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes((header + rows).encode(encoding))
        return path

    return write


def run_cli(*args: str, input_bytes: bytes | None = None) -> subprocess.CompletedProcess:
    """Runs `python -m staffcast ...` in a subprocess and captures its output."""
    return subprocess.run([sys.executable, "-m", "staffcast", *map(str, args)], capture_output=True, text=True,
                          input=None if input_bytes is None else input_bytes.decode(), timeout=300)


def load_benchmark(name: str):
    """Imports benchmarks/NAME.py (not a package) as the module NAME, once per test session."""
    if name in sys.modules:
        return sys.modules[name]
    benchmarks = str(ROOT / "benchmarks")
    if benchmarks not in sys.path:  # the scripts import their siblings (compare.py its baseline modules)
        sys.path.insert(0, benchmarks)
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
