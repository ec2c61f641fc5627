"""The example notebooks are small and clean; `make test` executes them with pytest --nbmake."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

NOTEBOOKS = ROOT / "examples" / "notebooks"


@pytest.mark.parametrize("name", ["tour.ipynb", "planning.ipynb"])
def test_notebook_is_committed_clean(name):
    path = NOTEBOOKS / name
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert len(code) >= 5
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)  # no stored outputs
    assert path.stat().st_size < 20_000
    source = "".join("".join(cell["source"]) for cell in code)
    assert "import staffcast as sc" in source and "../data/" in source


def test_planning_notebook_compares_scenarios():
    notebook = json.loads((NOTEBOOKS / "planning.ipynb").read_text(encoding="utf-8"))
    source = "".join("".join(cell["source"]) for cell in notebook["cells"])
    for step in ("retirement_outlook", "recruitment_need", "fan_chart", "sc.compare("):
        assert step in source


def test_make_test_runs_the_notebooks():
    makefile = (ROOT / "Makefile").read_text()
    assert "--nbmake" in makefile and "examples/notebooks" in makefile
