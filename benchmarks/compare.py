#!/usr/bin/env python3
"""staffcast against the best pandas/numpy we can write (docs/performance.md).

    python benchmarks/compare.py --persons 200000 --out r200k.json [--repeat 5] [--seed 1]

Generates a register with ``sc.generate`` (10 years of history, fixed seed;
cached under the temp dir), then builds the plan's tables by department x
age_band x gender both with staffcast and with a vectorised pandas/numpy
baseline (``pd.read_csv(engine="pyarrow")``, categoricals, numpy kernels),
**checks that both give the same table** (same rows, same labels, values equal
to 1e-9 relative; exit status 1 and a diff if not), times each side (best of
``--repeat`` runs, in this process) and writes a JSON list of
``{"name", "staffcast_s", "baseline", "baseline_s", "ratio"}`` with
``ratio = baseline_s / staffcast_s``. Facts that are not timings of a table
(machine, versions, bytes per spell, memory growth during load, the baseline's
own split of its preparation) go to ``<out>.meta.json``.

The baseline implements the same rules as staffcast (docs/metrics.md): the main
spell (largest fte, earliest start, latest end, smallest form/department/
position), moves (an internal_move end and the person's next spell within 31
days) and continuations paired once on the whole register, spell filters with
the "partner outside the population" rule, the exact daily average headcount
with people changing age band on their birthdays (29 February -> 28 February),
sick-leave absences joined when records overlap or adjoin, extents capped at
1, day numbers from the absence's first day. Like staffcast at read time, it
pairs moves and continuations, maps sick-leave ids to persons and builds the
absences once in its "prepare" step, which is timed inside the whole plan.
It does not validate (that is staffcast's job; docs/performance.md asks for exactly
that comparison).

The baseline lives beside this file: ``baseline_prepare.py`` (calendar helpers,
reading, the preparation), ``baseline_tables.py`` (the tables and the whole
plan) and ``plan_settings.py`` (the plan both sides build).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather  # noqa: F401  (pa.feather)

import staffcast as sc
from staffcast._io import write_text

from baseline_prepare import Prepared, baseline_prepare, baseline_read, baseline_read_c
from baseline_tables import BASELINE_TABLES, baseline_plan, baseline_save, baseline_saved_plan
from plan_settings import AS_OF, BY, PERIOD, PERMANENT, PLAN_TABLES, RETIREMENT_AGE, TABLES, YEARS


def staffcast_table(name: str, reg: sc.Register, sick: sc.SickLeave) -> pd.DataFrame:
    start, end = PERIOD
    if name == "snapshot":
        return sc.snapshot(reg, AS_OF, by=BY)
    if name == "flows":
        return sc.flows(reg, start, end, by=BY, employment_form=PERMANENT)
    if name == "average headcount":
        return sc.average_headcount(reg, start, end, by=BY, employment_form=PERMANENT)
    if name == "turnover":
        return sc.turnover(reg, start, end, by=BY, employment_form=PERMANENT)
    if name == "sick leave":
        return sc.sick_leave(reg, sick, start, end, by=BY, suppress=False).drop(columns=["suppressed"])
    if name == "retirement outlook":
        return sc.retirement_outlook(reg, AS_OF, years=YEARS, age=RETIREMENT_AGE, by=BY, employment_form=PERMANENT)
    if name == "full time":
        return sc.full_time(reg, AS_OF, by=BY)
    raise KeyError(name)


def staffcast_ingest(emp_path: Path, sick_path: Path) -> tuple[sc.Register, sc.SickLeave]:
    reg = sc.read_register(emp_path)
    return reg, sc.read_sick_leave(sick_path, register=reg)


def staffcast_plan(emp_path: Path, sick_path: Path) -> dict[str, pd.DataFrame]:
    reg, sick = staffcast_ingest(emp_path, sick_path)
    return {name: staffcast_table(name, reg, sick) for name in PLAN_TABLES}


def staffcast_saved_plan(register_path: Path, sick_path: Path) -> dict[str, pd.DataFrame]:
    """The plan from a saved register (Register.save, Arrow IPC); the sick leave is read from its CSV
    and validated against the register, as in the plan."""
    reg = sc.load_register(register_path)
    sick = sc.read_sick_leave(sick_path, register=reg)
    return {name: staffcast_table(name, reg, sick) for name in PLAN_TABLES}


# --------------------------------------------------------------------------- checking


class Mismatch(AssertionError):
    pass


def check_same(name: str, ours: pd.DataFrame, theirs: pd.DataFrame, rtol: float = 1e-9) -> None:
    """Raises Mismatch with a readable diff unless both tables have the same columns, the same rows
    with the same labels, and values equal to `rtol` relative (NaN equal to NaN)."""
    ours = ours.reset_index(drop=True)
    theirs = theirs.reset_index(drop=True)
    problems = []
    if ours.columns.tolist() != theirs.columns.tolist():
        raise Mismatch(f"{name}: columns differ\n  staffcast: {ours.columns.tolist()}\n"
                       f"  baseline:  {theirs.columns.tolist()}")
    keys = [c for c in BY if c in ours.columns]
    lab_a = ours[keys].astype(str).agg("|".join, axis=1) if keys else pd.Series([""] * len(ours))
    lab_b = theirs[keys].astype(str).agg("|".join, axis=1) if keys else pd.Series([""] * len(theirs))
    if len(ours) != len(theirs) or not (lab_a.to_numpy() == lab_b.to_numpy()).all():
        only_a = sorted(set(lab_a) - set(lab_b))
        only_b = sorted(set(lab_b) - set(lab_a))
        raise Mismatch(f"{name}: rows differ ({len(ours)} staffcast, {len(theirs)} baseline)\n"
                       f"  only in staffcast: {only_a[:10]}\n  only in baseline:  {only_b[:10]}")
    bad_rows = np.zeros(len(ours), dtype=bool)
    for column in ours.columns:
        if column in keys:
            continue
        a = ours[column].to_numpy(dtype=np.float64, na_value=np.nan)
        b = theirs[column].to_numpy(dtype=np.float64, na_value=np.nan)
        close = np.isclose(a, b, rtol=rtol, atol=1e-12) | (np.isnan(a) & np.isnan(b))
        if not close.all():
            problems.append(f"{column}: {int((~close).sum())} of {len(close)} values differ")
            bad_rows |= ~close
    if problems:
        rows = np.flatnonzero(bad_rows)[:10]
        diff = pd.concat({"staffcast": ours.iloc[rows], "baseline": theirs.iloc[rows]}, axis=1)
        with pd.option_context("display.width", 200, "display.max_columns", 40):
            raise Mismatch(f"{name}: " + "; ".join(problems) + "\n" + textwrap.indent(diff.to_string(), "  "))


# --------------------------------------------------------------------------- timing


def best_of(repeat: int, function: Callable[[], object]) -> float:
    """Best wall time of `function` over `repeat` runs; its result is dropped after the clock
    stops (freeing it is not part of making it), as in best_of_pair."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - t0)
        del result
    return best


def best_of_pair(repeat: int, ours: Callable[[], object], theirs: Callable[[], object]) -> tuple[float, float]:
    """Best wall time of each side over `repeat` runs, alternating the sides so that both see the
    same background load."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for k, function in enumerate((ours, theirs)):
            gc.collect()
            t0 = time.perf_counter()
            result = function()
            best[k] = min(best[k], time.perf_counter() - t0)
            del result
    return best[0], best[1]


def row(name: str, staffcast_s: float, baseline: str, baseline_s: float) -> dict:
    return {"name": name, "staffcast_s": staffcast_s, "baseline": baseline, "baseline_s": baseline_s,
            "ratio": baseline_s / staffcast_s if staffcast_s > 0 else float("inf")}


def rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def anonymous_rss_bytes() -> int:
    """Resident memory that is the process's own (RssAnon): not a mapped file's pages, which
    stay in the page cache and are shared."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    return 0


MEMORY_PROBE = """
import ctypes, gc, json, os, sys
sys.path.insert(0, {here!r})
import compare
import staffcast as sc
gc.collect()
before = compare.rss_bytes()
reg = sc.read_register({emp!r})
gc.collect()
after = compare.rss_bytes()
try:  # glibc keeps the reader's freed temporaries; trimmed, the growth is what the register holds
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    trimmed = compare.rss_bytes()
except OSError:
    trimmed = after
emp, sick = compare.baseline_read({emp!r}, {sick!r})
frame_bytes = int(emp.memory_usage(deep=True).sum())
print(json.dumps({{"spells": len(reg), "nbytes": reg.nbytes, "growth": after - before,
                  "growth_trimmed": trimmed - before, "pandas_frame_bytes": frame_bytes}}))
"""


SAVED_MEMORY_PROBE = """
import gc, json, sys
sys.path.insert(0, {here!r})
import compare
import staffcast as sc
sc.load_register({saved!r})  # imports and first-call set-up out of the measure
gc.collect()
before, anonymous = compare.rss_bytes(), compare.anonymous_rss_bytes()
reg = sc.load_register({saved!r})
gc.collect()
print(json.dumps({{"spells": len(reg), "nbytes": reg.nbytes, "growth": compare.rss_bytes() - before,
                  "anonymous_growth": compare.anonymous_rss_bytes() - anonymous}}))
"""


def _probe(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def saved_memory(saved: Path) -> dict:
    """`spells`, `nbytes` and the RSS `growth` of loading the saved register, in a fresh process."""
    return _probe(SAVED_MEMORY_PROBE.format(here=str(Path(__file__).resolve().parent), saved=str(saved)))


def memory_facts(emp_path: Path, sick_path: Path, saved: Optional[Path] = None) -> dict:
    """Register.nbytes per spell and the process's RSS growth while reading the CSV, and while
    loading the saved register when given (each in a fresh process)."""
    here = str(Path(__file__).resolve().parent)
    facts = _probe(MEMORY_PROBE.format(here=here, emp=str(emp_path), sick=str(sick_path)))
    spells = facts["spells"]
    out = {"spells": spells, "nbytes_per_spell": facts["nbytes"] / spells,
           "rss_growth_per_spell": facts["growth"] / spells,
           "rss_growth_after_malloc_trim_per_spell": facts["growth_trimmed"] / spells,
           "pandas_frame_bytes_per_spell": facts["pandas_frame_bytes"] / spells}
    if saved is not None:
        loaded = saved_memory(saved)
        out["load_nbytes_per_spell"] = loaded["nbytes"] / loaded["spells"]
        out["load_rss_growth_per_spell"] = loaded["growth"] / loaded["spells"]
        out["load_anonymous_rss_growth_per_spell"] = loaded["anonymous_growth"] / loaded["spells"]
    return out


def call_overhead(workdir: Path, seed: int, calls: int = 300) -> dict[str, dict[str, float]]:
    """Seconds per call of statistics on a 1,000-person register (min and median of `calls`)."""
    small = workdir / f"overhead-1000-{seed}"
    if not (small / "employments.csv").exists() or not (small / "sick_leave.csv").exists():
        sc.generate(small, persons=1000, years=10, seed=seed, indicators=False)
    reg, sick = staffcast_ingest(small / "employments.csv", small / "sick_leave.csv")
    # The calls as an analyst makes them: staffcast_table's, except for sick leave, which it adapts to
    # the baseline's table (dropping `suppressed` costs pandas more than the whole statistic); here
    # sick leave is called with its disclosure control on.
    statistics = {
        "snapshot": lambda: staffcast_table("snapshot", reg, sick),
        "turnover": lambda: staffcast_table("turnover", reg, sick),
        "sick leave": lambda: sc.sick_leave(reg, sick, *PERIOD, by=BY),
    }
    out = {}
    for name, statistic in statistics.items():
        statistic()
        samples = []
        for _ in range(calls):
            t0 = time.perf_counter()
            statistic()
            samples.append(time.perf_counter() - t0)
        out[name] = {"min_s": float(np.min(samples)), "median_s": float(np.median(samples))}
    return out


def machine_facts() -> dict:
    facts = {"python": platform.python_version(), "pandas": pd.__version__, "numpy": np.__version__,
             "pyarrow": pa.__version__, "staffcast": sc.__version__, "cpus": os.cpu_count(),
             "platform": platform.platform()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in lscpu.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("Model name", "Core(s) per socket", "Socket(s)", "Thread(s) per core"):
                facts[key.strip()] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return facts


# --------------------------------------------------------------------------- main


def generated(persons: int, seed: int, workdir: Optional[Path], regenerate: bool = False) -> tuple[Path, Path]:
    base = workdir or Path(tempfile.gettempdir()) / "staffcast-compare"
    out = base / f"persons-{persons}-seed-{seed}"
    emp, sick = out / "employments.csv", out / "sick_leave.csv"
    if regenerate or not (emp.exists() and sick.exists()):
        sc.generate(out, persons=persons, years=10, seed=seed, indicators=False)
    return emp, sick


def check_plan(emp_path: Path, sick_path: Path) -> tuple[sc.Register, sc.SickLeave, Prepared,
                                                           dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Builds every table both ways and checks them; raises Mismatch with a diff on the first difference."""
    reg, sick = staffcast_ingest(emp_path, sick_path)
    emp, sick_frame = baseline_read(emp_path, sick_path)
    if len(emp) != len(reg) or len(sick_frame) != len(sick):
        raise Mismatch(f"ingest: row counts differ: register {len(reg)} vs {len(emp)}, "
                       f"sick leave {len(sick)} vs {len(sick_frame)}")
    P = baseline_prepare(emp, sick_frame)
    ours = {name: staffcast_table(name, reg, sick) for name in TABLES}
    theirs = {name: BASELINE_TABLES[name](P) for name in TABLES}
    for name in TABLES:
        check_same(name, ours[name], theirs[name])
    return reg, sick, P, ours, theirs


def run(persons: int, out: Path, repeat: int = 5, seed: int = 1, workdir: Optional[Path] = None,
        overhead: bool = True, memory: bool = True, regenerate: bool = False, log=print) -> list[dict]:
    t_start = time.perf_counter()
    emp_path, sick_path = generated(persons, seed, workdir, regenerate)
    log(f"register: {emp_path.parent} ({emp_path.stat().st_size / 1e6:.0f} MB employments, "
        f"{sick_path.stat().st_size / 1e6:.0f} MB sick leave)")
    reg, sick, P, ours, _ = check_plan(emp_path, sick_path)
    log(f"checked: all {len(TABLES)} tables agree ({len(reg):,} spells, {reg.persons:,} persons, "
        f"{len(sick):,} sick-leave records; " + ", ".join(f"{k} {len(v)} rows" for k, v in ours.items()) + ")")

    results = []
    load_before = os.getloadavg()
    staffcast_s, baseline_s = best_of_pair(repeat, lambda: staffcast_ingest(emp_path, sick_path),
                                           lambda: baseline_read(emp_path, sick_path))
    results.append(row("ingest", staffcast_s, 'pd.read_csv(engine="pyarrow", dtype_backend="pyarrow"), '
                       'no validation', baseline_s))
    plain_s = best_of(min(repeat, 3), lambda: (pd.read_csv(emp_path, engine="pyarrow"),
                                               pd.read_csv(sick_path, engine="pyarrow")))
    results.append(row("ingest (read_csv defaults)", staffcast_s, 'pd.read_csv(engine="pyarrow"), no validation',
                       plain_s))
    # The C engine with the same categoricals and parsed dates; the whole-plan baseline reads
    # with whichever engine was faster here (and the C engine's frames give the same tables).
    c_engine_s = best_of(min(repeat, 3), lambda: baseline_read_c(emp_path, sick_path))
    results.append(row("ingest vs the C engine", staffcast_s,
                       'pd.read_csv(engine="c") with categoricals and dates, no validation', c_engine_s))
    baseline_engine = "c" if c_engine_s < baseline_s else "pyarrow"
    P_c = baseline_prepare(*baseline_read_c(emp_path, sick_path))
    for name in TABLES:
        check_same(f"{name} (C engine)", ours[name], BASELINE_TABLES[name](P_c))
    del P_c
    log(f"baseline reader for the whole plan: engine={baseline_engine!r} "
        f"(pyarrow {baseline_s:.3f} s, C {c_engine_s:.3f} s)")
    # A saved register (Arrow IPC, mapped and checked in C++) against reading and validating the CSV.
    saved = emp_path.parent / "register.arrow"
    reg.save(saved)
    # At least five rounds: a load takes tens of milliseconds, so one hiccup of the machine
    # moves it by a large share.
    load_s, csv_s = best_of_pair(max(repeat, 5), lambda: sc.load_register(saved),
                                 lambda: sc.read_register(emp_path))
    results.append(row("load saved register (.arrow)", load_s, "staffcast read_register (CSV, validated)", csv_s))
    frames = baseline_read(emp_path, sick_path)
    prepare_s, prepare_split = float("inf"), {}
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        prepared = baseline_prepare(*frames)
        elapsed = time.perf_counter() - t0
        if elapsed < prepare_s:
            prepare_s, prepare_split = elapsed, prepared.timings
    del frames, prepared
    for name in TABLES:
        staffcast_s, baseline_s = best_of_pair(repeat, lambda: staffcast_table(name, reg, sick),
                                               lambda: BASELINE_TABLES[name](P))
        results.append(row(name, staffcast_s, "pandas/numpy", baseline_s))
    del reg, sick, P
    gc.collect()
    staffcast_s, baseline_s = best_of_pair(repeat, lambda: staffcast_plan(emp_path, sick_path),
                                           lambda: baseline_plan(emp_path, sick_path, baseline_engine))
    results.append(row("whole plan", staffcast_s, "pandas/numpy (read_csv + prepare + tables)", baseline_s))
    # The plan from a saved register (no register CSV on either side): staffcast's load_register(.arrow)
    # against pandas reading the same columns from Feather, then its preparation and tables; the sick
    # leave comes from its CSV on both sides (staffcast validates it, the baseline does not).
    emp_arrow = emp_path.parent / "baseline-employments.arrow"
    baseline_save(emp_path, sick_path, emp_arrow)
    ours_saved = staffcast_saved_plan(saved, sick_path)
    theirs_saved = baseline_saved_plan(emp_arrow, sick_path)
    for name in PLAN_TABLES:
        check_same(f"{name} (from a saved register)", ours_saved[name], theirs_saved[name])
    del ours_saved, theirs_saved
    gc.collect()
    staffcast_s, baseline_s = best_of_pair(repeat, lambda: staffcast_saved_plan(saved, sick_path),
                                           lambda: baseline_saved_plan(emp_arrow, sick_path))
    results.append(row("whole plan from a saved register", staffcast_s,
                       "pandas/numpy (read_feather + read_csv sick leave + prepare + tables)", baseline_s))

    # ---- microsimulation rows (benchmarks/compare_microsim.py, written separately) ----
    # When that module exists, its rows are appended here; until then this is a no-op.
    compare_microsimulation = _microsim_comparison()
    if compare_microsimulation is not None:
        micro_reg = sc.load_register(saved)
        results.extend(compare_microsimulation(micro_reg, persons, repeat))
        del micro_reg
    # ---- end of microsimulation rows ----

    meta = {"persons": persons, "seed": seed, "repeat": repeat, "as_of": AS_OF, "period": list(PERIOD),
            "by": BY, "machine": machine_facts(), "load_average_before_after": [load_before[0], os.getloadavg()[0]],
            "baseline_prepare_s": prepare_s, "baseline_engine": baseline_engine,
            "baseline_prepare_split_s": {k: round(v, 4) for k, v in prepare_split.items()}}
    if memory:
        meta["memory"] = memory_facts(emp_path, sick_path, saved)
    if overhead:
        meta["call_overhead_1000_persons"] = call_overhead(emp_path.parent.parent, seed)
        snap = meta["call_overhead_1000_persons"]["snapshot"]
        results.append(row("call overhead: snapshot, 1,000 persons (median)", snap["median_s"],
                           "target 1 ms (docs/performance.md)", 1e-3))
    meta["wall_s"] = time.perf_counter() - t_start

    out = Path(out)
    meta_path = out.with_name(out.name[: -len(".json")] + ".meta.json" if out.name.endswith(".json")
                              else out.name + ".meta.json")
    write_atomically(out, json.dumps(results, indent=2) + "\n")
    write_atomically(meta_path, json.dumps(meta, indent=2) + "\n")
    log(format_table(results, meta))
    log(f"wrote {out} and {meta_path} in {meta['wall_s']:.0f} s")
    return results


def _microsim_comparison() -> Optional[Callable[[sc.Register, int, int], list[dict]]]:
    """compare_microsimulation(register, persons, repeat) from benchmarks/compare_microsim.py, when present."""
    path = Path(__file__).with_name("compare_microsim.py")
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("compare_microsim", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, "compare_microsimulation", None)


def write_atomically(path: Path, text: str) -> None:
    """staffcast's one atomic writer (an interrupted run leaves no half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)


def format_table(results: list[dict], meta: dict) -> str:
    lines = [f"{'table':<48} {'staffcast':>11} {'baseline':>11} {'ratio':>8}"]
    for r in results:
        lines.append(f"{r['name']:<48} {r['staffcast_s'] * 1e3:>9.1f}ms {r['baseline_s'] * 1e3:>9.1f}ms "
                     f"{r['ratio']:>7.2f}x")
    m = meta.get("memory")
    if m:
        lines.append(f"register: {m['nbytes_per_spell']:.1f} bytes per spell (Register.nbytes), "
                     f"RSS growth during load {m['rss_growth_per_spell']:.1f} bytes per spell "
                     f"({m['rss_growth_after_malloc_trim_per_spell']:.1f} after malloc_trim) "
                     f"(pandas frame: {m['pandas_frame_bytes_per_spell']:.0f})")
        if "load_rss_growth_per_spell" in m:
            lines.append(f"saved register: {m['load_nbytes_per_spell']:.1f} bytes per spell loaded, the process "
                         f"grows by {m['load_rss_growth_per_spell']:.1f} bytes per spell while loading, "
                         f"{m.get('load_anonymous_rss_growth_per_spell', float('nan')):.1f} of them its own "
                         "(the rest the mapped file's pages)")
    o = meta.get("call_overhead_1000_persons")
    if o:
        lines.append("call overhead, 1,000 persons: " + ", ".join(
            f"{k} {v['median_s'] * 1e3:.3f} ms (min {v['min_s'] * 1e3:.3f})" for k, v in o.items()))
    lines.append(f"baseline prepare (pairing, sick absences; inside the whole plan): "
                 f"{meta['baseline_prepare_s'] * 1e3:.0f} ms {meta['baseline_prepare_split_s']}")
    mf = meta["machine"]
    lines.append("1-minute load average before/after timing: {:.2f} / {:.2f} (other work on the machine "
                 "makes timings noisy)".format(*meta["load_average_before_after"]))
    lines.append(f"{mf.get('Model name', '?')}, {mf['cpus']} CPUs; pandas {mf['pandas']}, numpy {mf['numpy']}, "
                 f"pyarrow {mf['pyarrow']}, Python {mf['python']}")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, required=True, help="headcount on the extraction date")
    parser.add_argument("--out", type=Path, required=True, help="the JSON list of results")
    parser.add_argument("--repeat", type=int, default=5, help="runs per side; the best counts (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where generated registers are cached (default: <tmp>/staffcast-compare)")
    parser.add_argument("--regenerate", action="store_true", help="generate the register even when cached")
    parser.add_argument("--no-overhead", action="store_true", help="skip the 1,000-person call overhead")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory probe")
    args = parser.parse_args(argv)
    if args.persons < 1 or args.repeat < 1:
        parser.error("--persons and --repeat must be at least 1")
    try:
        run(args.persons, args.out, repeat=args.repeat, seed=args.seed, workdir=args.workdir,
            overhead=not args.no_overhead, memory=not args.no_memory, regenerate=args.regenerate)
    except Mismatch as error:
        print(f"compare.py: staffcast and the baseline disagree\n{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
