"""Every code example is a test: the ```python blocks of README.md and docs/*.md,
the `staffcast ...` lines of their ```sh blocks, and the docstring examples of
the public Python API run against the bundled sample.

Each test works in a temporary directory that holds a link to examples/, so the
documented paths (examples/data/employments.csv) resolve and every file an
example writes (plan.html, register.arrow) lands in the temporary directory.
The blocks of one page run in order in one namespace, as a reader would type
them; REGISTER and SICK in a command line stand for the bundled sample files.
"""

from __future__ import annotations

import base64
import contextlib
import doctest
import importlib
import io
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

import staffcast as sc
from staffcast.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PLACEHOLDERS = {"REGISTER": "examples/data/employments.csv", "SICK": "examples/data/sick_leave.csv"}
# First words of shell lines that are not staffcast examples: the build, the benchmarks and the
# screenshot are run by `make test`, `make test-cpp`, `make bench` and the report tests.
NOT_RUN_HERE = {"make", "cmake", "chromium", ".venv/bin/python", "build/cpp/benchmarks/staffcast_bench"}
# Shell lines that prepare a file an example then reads; run through bash in the work directory.
SHELL_SET_UP = {"head"}
# The modules whose docstring examples run (the public library; the CLI is covered by the pages).
DOCTEST_MODULES = ["staffcast", "staffcast._display", "staffcast._i18n", "staffcast._side_tables",
                   "staffcast._table", "staffcast.backtest", "staffcast.comparisons", "staffcast.disclosure",
                   "staffcast.errors", "staffcast.generate", "staffcast.mapping", "staffcast.models",
                   "staffcast.optimise", "staffcast.plot", "staffcast._plot_backtest", "staffcast._plot_common",
                   "staffcast._plot_fan", "staffcast.privacy", "staffcast.projection", "staffcast.register",
                   "staffcast.report", "staffcast.scenario", "staffcast.scenario_comparison", "staffcast.statistics",
                   "staffcast.transition"]


def blocks(page: Path, language: str) -> list[tuple[int, str]]:
    """(first line number, text) of each fenced block of the given language on the page."""
    found, current, start = [], None, 0
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if current is None and line.strip() == f"```{language}":
            current, start = [], number + 1
        elif current is not None and line.strip() == "```":
            found.append((start, "\n".join(current) + "\n"))
            current = None
        elif current is not None:
            current.append(line)
    return found


def commands(text: str) -> list[str]:
    """The shell lines of a block, continuation lines joined and comments removed."""
    joined = re.sub(r"\\\n\s*", " ", text)
    lines = []
    for line in joined.splitlines():
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    (tmp_path / "build").mkdir()  # where the examples write, as `make` leaves it in a checkout
    # The key file the privacy page's shell block makes (head -c 32 /dev/urandom | base64 > KEY).
    (tmp_path / "KEY").write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    yield tmp_path
    import matplotlib.pyplot as plt

    plt.close("all")


def _pages_with(language: str) -> list[Path]:
    return [page for page in PAGES if blocks(page, language)]


def test_the_pages_have_examples():
    assert (ROOT / "README.md") in _pages_with("python")
    assert (ROOT / "README.md") in _pages_with("sh")


@pytest.mark.parametrize("page", _pages_with("python"), ids=lambda p: p.name)
def test_python_blocks_run(page, workdir):
    import matplotlib

    matplotlib.use("Agg", force=True)
    namespace = {"__name__": "__doc_example__"}
    if page != ROOT / "README.md" and "read_register" not in page.read_text(encoding="utf-8"):
        # A page that continues the README's first lines: reg, sick and ind as defined there.
        exec("import staffcast as sc\n"
             "reg = sc.read_register('examples/data/employments.csv')\n"
             "sick = sc.read_sick_leave('examples/data/sick_leave.csv', register=reg)\n"
             "ind = sc.read_indicators('examples/data/indicators.csv')\n", namespace)
    for line, text in blocks(page, "python"):
        code = compile(text, f"{page.name}:{line}", "exec")
        exec(code, namespace)
    _assert_outputs_in_build(workdir)


def _assert_outputs_in_build(workdir: Path) -> None:
    stray = sorted(p.name for p in workdir.iterdir())
    assert stray == ["KEY", "build", "examples"], f"an example wrote outside build/: {stray}"


def _sh_pages() -> list[Path]:
    return [page for page in _pages_with("sh")
            if any(line.startswith("staffcast ") for _, text in blocks(page, "sh") for line in commands(text))]


@pytest.mark.parametrize("page", _sh_pages(), ids=lambda p: p.name)
def test_command_lines_run(page, workdir):
    ran = 0
    for start, text in blocks(page, "sh"):
        for line in commands(text):
            words = shlex.split(line)
            if words[0] in NOT_RUN_HERE:
                continue
            if words[0] in SHELL_SET_UP:
                subprocess.run(["bash", "-c", line], check=True, cwd=workdir, timeout=30)
                continue
            assert words[0] == "staffcast", f"{page.name}:{start}: unknown command {words[0]!r}; add it to " \
                                            "NOT_RUN_HERE or SHELL_SET_UP"
            argv = [PLACEHOLDERS.get(word, word) for word in words[1:]]
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main(argv)
            assert status == 0, f"{page.name}:{start}: `{line}` exited {status}:\n{err.getvalue()[-2000:]}"
            ran += 1
    assert ran
    _assert_outputs_in_build(workdir)


class _AnyOutputWhenNoneShown(doctest.OutputChecker):
    """An example that shows no output only has to run; one that shows output must match it."""

    def check_output(self, want, got, optionflags):
        return not want or super().check_output(want, got, optionflags)


def test_docstring_examples_run(workdir):
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg", force=True)
    reg = sc.read_register("examples/data/employments.csv")
    sick = sc.read_sick_leave("examples/data/sick_leave.csv", register=reg)
    ind = sc.read_indicators("examples/data/indicators.csv")
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(checker=_AnyOutputWhenNoneShown(),
                                   optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    examples = 0
    report = io.StringIO()
    for name in DOCTEST_MODULES:
        for test in finder.find(importlib.import_module(name), name):
            test.globs.update(sc=sc, reg=reg, sick=sick, ind=ind)
            runner.run(test, out=report.write)
            examples += len(test.examples)
            plt.close("all")
    assert examples > 100
    assert runner.failures == 0, report.getvalue()
    _assert_outputs_in_build(workdir)  # a docstring example writes into build/, never beside the sources



def test_no_documented_command_writes_outside_build():
    """The shell lines not run here (benchmarks, the build) write into build/ too, as a reader runs them
    from the repository root."""
    pages = [*PAGES, ROOT / "benchmarks" / "README.md"]
    outputs = []
    for page in pages:
        for _, text in blocks(page, "sh"):
            for line in commands(text):
                words = shlex.split(line)
                outputs += [(page.name, words[i + 1]) for i, word in enumerate(words[:-1])
                            if word in ("--out", "-o", "--out-dir")]
    assert outputs
    stray = [(page, path) for page, path in outputs if not path.startswith(("build/", "$", "/tmp/"))]
    assert not stray, stray


def test_every_command_is_in_the_cli_reference():
    """docs/cli.md has a table row for every command of `staffcast --help`, and the README's command
    lines show the models (rates, tenure) beside the statistics."""
    from staffcast.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z-]+)[ `]", reference, flags=re.M))
    assert set(sub.choices) - rows == set()
    readme = [line for _, text in blocks(ROOT / "README.md", "sh") for line in commands(text)]
    shown = {shlex.split(line)[1] for line in readme if line.startswith("staffcast ")}
    assert {"rates", "tenure", "turnover", "project", "report"} <= shown
