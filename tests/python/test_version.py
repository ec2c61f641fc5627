"""One version: CMake's project(VERSION) reaches the compiled core, the package and its metadata."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import staffcast as sc
from staffcast import _core

ROOT = Path(__file__).resolve().parents[2]


def _project_version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(staffcast VERSION ([0-9.]+)", text).group(1)


def test_the_version_comes_from_cmake_project():
    assert _core.__version__ == _project_version()
    assert sc.__version__ == _project_version()
    assert importlib.metadata.version("staffcast") == _project_version()


def test_no_other_file_writes_the_version():
    version = re.escape(_project_version())
    pattern = re.compile(rf"""version\s*=\s*["']{version}["']|__version__\s*=\s*["']{version}["']""")
    for path in [ROOT / "pyproject.toml", *(ROOT / "python" / "staffcast").rglob("*.py")]:
        assert not pattern.search(path.read_text(encoding="utf-8")), path
