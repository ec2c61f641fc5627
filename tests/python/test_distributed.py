"""sc.simulate(..., client=...) on dask.distributed: the same bytes as the in-process run, for 1 and 4
workers (threads) and 2 worker processes (the inputs and results cross by pickle), and sc.compare on a
cluster."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import staffcast as sc

distributed = pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "data" / "employments.csv"
YEARS, REPLICATES, SEED = 4, 120, 20241201


@pytest.fixture(scope="module")
def reg():
    return sc.read_register(SAMPLE)


@pytest.fixture(scope="module")
def inputs(reg):
    return sc.estimate_inputs(reg, years=YEARS, by=["department", "age_band"])


@pytest.fixture(scope="module")
def in_process(reg, inputs):
    return sc.simulate(reg, YEARS, REPLICATES, seed=SEED, by=["department", "age_band"], inputs=inputs, threads=1,
                       progress=False)


def _cluster(workers: int, processes: bool):
    return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                    dashboard_address=None, silence_logs=50)


@pytest.mark.parametrize("workers", [1, 4])
def test_threads_cluster_is_byte_identical(reg, inputs, in_process, workers):
    with _cluster(workers, processes=False) as cluster, distributed.Client(cluster) as client:
        sim = sc.simulate(reg, YEARS, REPLICATES, seed=SEED, by=["department", "age_band"], inputs=inputs,
                          client=client)
        assert len(client.scheduler_info()["workers"]) == workers
    assert sim.raw.shape == in_process.raw.shape == (REPLICATES, YEARS, inputs.output_groups, len(sc.MEASURES))
    assert sim.raw.tobytes() == in_process.raw.tobytes()
    pd.testing.assert_frame_equal(sim.to_frame(), in_process.to_frame(), check_exact=True)


def test_process_cluster_pickles_inputs_and_results(reg, inputs, in_process):
    restored = pickle.loads(pickle.dumps(inputs))
    assert restored.persons == inputs.persons and np.array_equal(restored.target, inputs.target)
    with _cluster(2, processes=True) as cluster, distributed.Client(cluster) as client:
        sim = sc.simulate(reg, YEARS, REPLICATES, seed=SEED, by=["department", "age_band"], inputs=inputs,
                          client=client)
        # The tasks ran in the worker processes, not here.
        pids = client.run(lambda: __import__("os").getpid())
        assert len(set(pids.values())) == 2 and __import__("os").getpid() not in pids.values()
    pd.testing.assert_frame_equal(sim.to_frame(), in_process.to_frame(), check_exact=True)


def test_scheduler_address_and_batches(reg, inputs, in_process, monkeypatch):
    from staffcast import _core

    calls = []
    real = _core.simulate_raw

    def spy(inputs, seed, begin, end, threads=1, progress=None):
        calls.append((begin, end))
        return real(inputs, seed, begin, end, threads=threads)

    monkeypatch.setattr(_core, "simulate_raw", spy)
    with _cluster(2, processes=False) as cluster:
        sim = sc.simulate(reg, YEARS, REPLICATES, seed=SEED, by=["department", "age_band"], inputs=inputs,
                          client=cluster.scheduler_address)
    assert sim.raw.tobytes() == in_process.raw.tobytes()
    # One probe replicate, then contiguous batches covering 0..R in order, at most 4 per worker thread.
    probe, batches = calls[0], sorted(calls[1:])
    assert probe == (0, 1)
    assert batches[0][0] == 0 and batches[-1][1] == REPLICATES
    assert all(a[1] == b[0] for a, b in zip(batches, batches[1:]))
    assert 1 <= len(batches) <= 4 * 2


def test_local_string_starts_and_stops_a_cluster(reg, inputs, in_process):
    sim = sc.simulate(reg, YEARS, 40, seed=SEED, by=["department", "age_band"], inputs=inputs, client="local")
    assert sim.raw.tobytes() == in_process.raw[:40].tobytes()


def test_bad_client(reg, inputs):
    with pytest.raises(TypeError, match="client must be None, 'local'"):
        sc.simulate(reg, YEARS, 10, inputs=inputs, client=42)


def test_compare_on_a_cluster_equals_in_process(reg):
    scenarios = [sc.Scenario("baseline"), sc.Scenario("freeze", hiring_freeze_years=1)]
    local = sc.compare(reg, scenarios, years=3, replicates=60, seed=5, by="department", threads=1)
    with _cluster(2, processes=False) as cluster, distributed.Client(cluster) as client:
        remote = sc.compare(reg, scenarios, years=3, replicates=60, seed=5, by="department", client=client)
    pd.testing.assert_frame_equal(local.to_frame(), remote.to_frame(), check_exact=True)
