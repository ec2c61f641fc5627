"""How fast a saved register opens, and what it holds (docs/performance.md).

    .venv/bin/python benchmarks/saved_load.py [--persons 200000] [--repeat 5] [--seed 1] [--workdir DIR]

Generates the register as benchmarks/compare.py does (``sc.generate(persons=N,
years=10, seed=S)``, cached in the same place), saves it as Arrow IPC, checks
that the loaded register equals the CSV-read one column by column, then times
``sc.read_register`` of the CSV (validated) against ``sc.load_register`` of the
saved file, best of R, alternately, in wall time and in CPU time of the process
(all threads; steadier on a shared machine). In a fresh process each it measures
``Register.nbytes`` per spell and the growth of resident memory while loading.
Prints one JSON object; ``--out FILE`` also writes it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

import staffcast as sc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import generated, saved_memory, write_atomically  # noqa: E402


def same_register(a: sc.Register, b: sc.Register) -> None:
    """Every column, dictionary, warning and extraction fact equal, or AssertionError."""
    for name, column in a._core.columns().items():
        other = b._core.columns()[name]
        if name == "pass_through":
            assert column.keys() == other.keys()
            for dim in column:
                np.testing.assert_array_equal(column[dim][0], other[dim][0])
                assert list(column[dim][1]) == list(other[dim][1])
        else:
            np.testing.assert_array_equal(column, other, err_msg=name)
    assert a._core.dictionaries() == b._core.dictionaries()
    pd.testing.assert_frame_equal(a.issues, b.issues)
    assert (a.extracted_on, a.extracted_on_assumed, a.persons) == (b.extracted_on, b.extracted_on_assumed, b.persons)


def best_pair(repeat: int, ours, theirs) -> tuple[list[float], list[float]]:
    """Best wall time and best CPU time (all threads of the process) of each side, run alternately."""
    wall, cpu = [float("inf")] * 2, [float("inf")] * 2
    for _ in range(repeat):
        for k, function in enumerate((ours, theirs)):
            gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            function()
            wall[k] = min(wall[k], time.perf_counter() - t0)
            cpu[k] = min(cpu[k], time.process_time() - c0)
    return wall, cpu


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    emp, _ = generated(args.persons, args.seed, args.workdir)
    saved = emp.parent / "register.arrow"
    read = sc.read_register(emp)
    read.save(saved)
    same_register(sc.load_register(saved), read)
    (load_s, csv_s), (load_cpu, csv_cpu) = best_pair(args.repeat, lambda: sc.load_register(saved),
                                                     lambda: sc.read_register(emp))
    memory = saved_memory(saved)
    spells = memory["spells"]
    result = {
        "persons": args.persons, "spells": spells, "csv_mb": emp.stat().st_size / 1e6,
        "arrow_mb": saved.stat().st_size / 1e6, "read_register_csv_s": csv_s, "load_register_s": load_s,
        "ratio": csv_s / load_s, "read_register_csv_cpu_s": csv_cpu, "load_register_cpu_s": load_cpu,
        "cpu_ratio": csv_cpu / load_cpu, "load_average": os.getloadavg()[0],
        "nbytes_per_spell": memory["nbytes"] / spells,
        "rss_growth_per_spell": memory["growth"] / spells,
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "pandas": pd.__version__,
                    "pyarrow": pa.__version__, "staffcast": sc.__version__, "cpus": os.cpu_count(),
                    "processor": platform.processor() or platform.machine()},
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        write_atomically(args.out, text + "\n")
    return result


if __name__ == "__main__":
    main()
