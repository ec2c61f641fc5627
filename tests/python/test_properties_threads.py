"""Property tests (issue #10): identical results for any thread count and batch size.

- the microsimulation: any seed, thread count and split of the replicates into batches gives the
  same raw array byte for byte, and so the same summaries;
- the statistics and the CSV reader: a register large enough to take the two-thread paths (over
  200,000 spells, over 1 MiB of CSV) gives byte-identical tables with STAFFCAST_THREADS=1 and with
  the default (two threads on this machine).
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import staffcast as sc
from staffcast import _core

from conftest import SAMPLE

AS_OF = "2024-09-30"


@pytest.fixture(scope="module")
def inputs():
    reg = sc.read_register(SAMPLE / "employments.csv")
    return sc.estimate_inputs(reg, years=4, by="department", as_of=AS_OF)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**64 - 1), replicates=st.integers(1, 9), threads=st.integers(1, 4),
       cuts=st.lists(st.integers(0, 9), max_size=3))
def test_any_threads_and_batches_give_the_same_bytes(inputs, seed, replicates, threads, cuts):
    whole = _core.simulate_raw(inputs, seed, 0, replicates, threads=1)
    assert whole.shape[0] == replicates
    assert _core.simulate_raw(inputs, seed, 0, replicates, threads=threads).tobytes() == whole.tobytes()
    edges = sorted({0, replicates, *(c for c in cuts if c < replicates)})
    batches = [_core.simulate_raw(inputs, seed, a, b, threads=threads) for a, b in zip(edges, edges[1:])]
    assert np.concatenate(batches).tobytes() == whole.tobytes()
    summary = _core.summarise(inputs, whole)
    again = _core.summarise(inputs, np.concatenate(batches))
    assert set(summary) == set(again)
    for key in summary:
        a, b = summary[key], again[key]
        if isinstance(a, np.ndarray):
            assert a.tobytes() == b.tobytes(), key
        else:
            assert repr(a) == repr(b), key  # labels and lists of floats (repr keeps every bit, NaN too)


def test_simulate_is_the_same_with_1_and_2_threads():
    reg = sc.read_register(SAMPLE / "employments.csv")
    one = sc.simulate(reg, years=3, replicates=20, seed=5, by="department", as_of=AS_OF, threads=1,
                      progress=False).to_frame()
    two = sc.simulate(reg, years=3, replicates=20, seed=5, by="department", as_of=AS_OF, threads=2,
                      progress=False).to_frame()
    assert one.to_csv().encode() == two.to_csv().encode()


TABLES = r"""
import sys
import staffcast as sc
reg = sc.read_register(sys.argv[1] + "/employments.csv")
sick = sc.read_sick_leave(sys.argv[1] + "/sick_leave.csv", register=reg)
by = ["department", "age_band", "gender"]
for frame in (
    sc.snapshot(reg, "2024-09-30", by=by, totals=True),
    sc.full_time(reg, "2024-09-30", by=by, totals=True),
    sc.flows(reg, "2023-10-01", "2024-09-30", by=by, totals=True),
    sc.turnover(reg, "2023-10-01", "2024-09-30", by=by, totals=True),
    sc.average_headcount(reg, "2023-10-01", "2024-09-30", by=by, totals=True),
    sc.retirement_outlook(reg, "2024-09-30", years="2025-2027", by=by, totals=True),
    sc.sick_leave(reg, sick, "2023-10-01", "2024-09-30", by=by, suppress=False),
):
    sys.stdout.write(frame.to_csv(index=False, float_format="%.17g"))
sys.stdout.write(reg.to_frame().to_csv(index=False))
"""


def test_statistics_and_reader_are_the_same_with_1_and_2_threads(tmp_path):
    sc.generate(tmp_path, persons=70_000, years=10, seed=3)
    assert (tmp_path / "employments.csv").stat().st_size > 1 << 20
    outputs = []
    for threads in ("1", None):
        env = dict(os.environ)
        env.pop("STAFFCAST_THREADS", None)
        if threads:
            env["STAFFCAST_THREADS"] = threads
        run = subprocess.run([sys.executable, "-c", TABLES, str(tmp_path)], capture_output=True, env=env,
                             timeout=600)
        assert run.returncode == 0, run.stderr.decode()[-2000:]
        outputs.append(run.stdout)
    spells = len(sc.read_register(tmp_path / "employments.csv"))
    assert spells > 200_000  # large enough for the two-chunk scans
    assert outputs[0] == outputs[1]
