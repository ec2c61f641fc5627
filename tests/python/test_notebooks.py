"""The example notebooks are small and clean, and executed in a Jupyter kernel they show
their figures: every cell that plots gives an inline PNG (no `Agg` backend in a notebook)."""

from __future__ import annotations

import json
import re

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
    for step in ("retirement_outlook", "recruitment_need", "fan_chart", "sc.compare(", "sc.backtest(",
                 "sc.optimise_plan(", "sc.plot.optimised_plan(", ".explain()"):
        assert step in source


PLOTS = re.compile(r"\.plot\(|sc\.plot\.")
# The cells that draw a figure: tour (pyramid, turnover, sick leave); planning (retirement wave,
# recruitment need, fan chart, backtest errors, optimised plan).
FIGURES = {"tour.ipynb": 3, "planning.ipynb": 5}


@pytest.mark.parametrize("name", ["tour.ipynb", "planning.ipynb"])
def test_notebook_shows_its_figures(name, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    # As a user's Jupyter runs it: the kernel picks its inline backend only when none is forced.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert "matplotlib.use" not in "".join(cell.source for cell in notebook.cells)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    plotting = [cell for cell in notebook.cells if cell.cell_type == "code" and PLOTS.search(cell.source)]
    assert len(plotting) == FIGURES[name]
    for cell in plotting:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(images) == 1, f"{name}: not one figure shown by the cell\n{cell.source}"
    errors = [o for cell in notebook.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert not errors


def test_make_notebook_opens_them():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^notebook:", makefile, re.M) and "examples/notebooks" in makefile
    assert "MPLBACKEND=Agg" not in makefile
    extras = (ROOT / "pyproject.toml").read_text()
    assert re.search(r"^notebook = \[", extras, re.M)
