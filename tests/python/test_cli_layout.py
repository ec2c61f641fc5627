"""The table format for people: wide tables wrapped to the terminal in blocks that repeat the key
columns, and scenarios side by side as columns (--layout wide, --stat)."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pandas as pd
import pytest

from conftest import SAMPLE
from staffcast._table import column_blocks
from staffcast.cli import main

REG = str(SAMPLE / "employments.csv")
LATER = str(SAMPLE.parent / "scenarios" / "retire_later.toml")
TURNOVER = ["turnover", REG, "--from", "2023-10-01", "--to", "2024-09-30", "--by", "age_band",
            "--compare", "previous-year"]


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def blocks_of(text: str) -> list[list[list[str]]]:
    """The blocks of a table-format output, each a list of rows of cells (split on two or more spaces;
    an empty cell vanishes, so only headers and the first cell of a row are compared)."""
    return [[re.split(r"\s{2,}", line.strip()) for line in block.splitlines()]
            for block in text.strip("\n").split("\n\n")]


def test_column_blocks_by_hand():
    # key 4 wide; values 10 wide; two spaces between: key+2 values = 4+2+10+2+10 = 28 <= 30.
    assert column_blocks([4, 10, 10, 10], keys=1, width=30) == [[0, 1, 2], [0, 3]]
    assert column_blocks([4, 10, 10, 10], keys=1, width=40) == [[0, 1, 2, 3]]
    # A column wider than the width still gets a block of its own.
    assert column_blocks([3, 50, 5], keys=1, width=20) == [[0, 1], [0, 2]]
    assert column_blocks([6, 6], keys=0, width=7) == [[0], [1]]


def test_a_wide_table_is_wrapped_to_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    code, whole, _ = cli(*TURNOVER)
    assert code == 0
    assert max(len(line) for line in whole.splitlines()) > 100 and "\n\n" not in whole  # one block when it fits
    monkeypatch.delenv("COLUMNS")
    code, wrapped, _ = cli(*TURNOVER)
    assert code == 0
    assert max(len(line) for line in wrapped.splitlines()) <= 100  # the default width
    code, csv, _ = cli(*TURNOVER, "--format", "csv")
    frame = pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)
    blocks = blocks_of(wrapped)
    assert len(blocks) >= 2
    header = []
    for block in blocks:
        assert block[0][0] == "age_band"  # the key column repeats in every block
        assert [row[0] for row in block[1:]] == list(frame["age_band"])  # every row in every block
        header += block[0][1:]
    assert header == list(frame.columns[1:])  # each value column once, in order
    monkeypatch.setenv("COLUMNS", "60")
    code, narrow, _ = cli(*TURNOVER)
    assert max(len(line) for line in narrow.splitlines()) <= 60 and len(blocks_of(narrow)) > len(blocks)
    assert csv == cli(*TURNOVER, "--format", "csv")[1]  # csv and json are never wrapped


def _long(*extra: str) -> pd.DataFrame:
    code, out, err = cli("project", REG, "--years", "3", "--scenario", "baseline", "--scenario", LATER,
                         "--format", "json", *extra)
    assert code == 0, err
    return pd.DataFrame(json.loads(out))


@pytest.mark.parametrize("extra, stat", [((), "mean"), (("--replicates", "20", "--seed", "4", "--stat", "p95"), "p95")])
def test_scenarios_side_by_side_are_columns(extra, stat):
    long = _long(*[e for e in extra if e not in ("--stat", "p95")])
    code, out, err = cli("project", REG, "--years", "3", "--scenario", "baseline", "--scenario", LATER,
                         "--format", "json", "--layout", "wide", *extra)
    assert code == 0, err
    wide = pd.DataFrame(json.loads(out))
    assert list(wide.columns) == ["year", "measure", "baseline", "retire later"]
    assert len(wide) * 2 == len(long)
    # The same numbers as the long layout, pivoted here by hand.
    for name in ("baseline", "retire later"):
        mine = long[long["scenario"] == name].set_index(["year", "measure"])[stat]
        theirs = wide.set_index(["year", "measure"])[name]
        pd.testing.assert_series_equal(theirs.sort_index(), mine.sort_index(), check_names=False)
    assert list(wide["year"]) == sorted(wide["year"])  # each year's rows together
    assert wide[wide["year"] == wide["year"].max()]["measure"].iloc[-1] == "gap"


def test_the_table_format_shows_scenarios_as_columns_by_default():
    args = ["project", REG, "--years", "3", "--scenario", "baseline", "--scenario", LATER]
    code, wide, _ = cli(*args)
    assert code == 0
    assert wide.splitlines()[0].split() == ["year", "measure", "baseline", "retire", "later"]
    code, long, _ = cli(*args, "--layout", "long")
    assert long.splitlines()[0].split()[:2] == ["scenario", "year"]
    assert len(long.splitlines()) - 1 == 2 * (len(wide.splitlines()) - 1)


@pytest.mark.parametrize("extra, message", [
    (["--scenario", "baseline", "--scenario", LATER, "--layout", "long", "--stat", "p5"], "--stat chooses"),
    (["--scenario", "baseline", "--layout", "wide"], "--layout and --stat apply to scenarios side by side"),
    (["--stat", "p50"], "--layout and --stat apply to scenarios side by side"),
])
def test_layout_options_outside_a_comparison_are_refused(extra, message):
    code, out, err = cli("project", REG, "--years", "2", *extra)
    assert code == 2 and out == "" and message in err
