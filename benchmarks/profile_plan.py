"""Where the CPU time of the whole plan goes, by step: a sampling profile (Linux perf) of
compare.py's whole plan (both files read and validated, then the six plan tables), the
functions grouped into the steps docs/performance.md names.

    .venv/bin/python benchmarks/profile_plan.py --persons 1300000 [--runs 3] [--seed 1]

Needs `perf` (Debian's linux-perf) and a _core module with its symbols: pybind11 strips
Release modules, so build it once with

    .venv/bin/pip install --no-build-isolation --no-deps -e . -Ccmake.define.CMAKE_STRIP=/bin/true

The plan runs `--runs` times in a child process after one warm-up (the files in the page
cache), and the child runs once more with no plan at all; the difference, divided by the
plans run, is the CPU time of one plan (both threads), without the imports. Dates are
parsed inline in the record loops and have no symbol of their own: their share is estimated
from BM_parse_dates (benchmarks/bench_ingest.cpp) and the number of dates read.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
FREQUENCY = 1999  # samples per second and thread

CHILD = """
import sys
sys.path.insert(0, {here!r})
import compare
from pathlib import Path
emp, sick = Path({emp!r}), Path({sick!r})
runs = int(sys.argv[1])
if runs:
    compare.staffcast_plan(emp, sick)  # warm-up: the files in the page cache, the allocator grown
for _ in range(runs):
    compare.staffcast_plan(emp, sick)
"""

# (step, test on the symbol) in order: the first match decides.
STEPS: list[tuple[str, callable]] = [
    ("scan: the structural index (SIMD)", lambda dso, s: re.search(r"scan_(scalar|sse42|avx2|avx512)", s)),
    ("records: fields cut from the index", lambda dso, s: re.search(
        r"CsvReader::(plain_record|read_record|parse_record|index_from_here)|CsvRecordSource::next", s)),
    ("dictionaries: interning keys and codes", lambda dso, s: "Interner" in s),
    ("register: fields, codes, dates, checks", lambda dso, s: re.search(
        r"RegisterBuilder::(read_rows|load_fields|absorb|date_field|bad_date)", s)),
    ("register: pairing and manager checks", lambda dso, s: re.search(r"pair_persons|pair_spells|check_managers", s)),
    ("register: codes, order, duplicates", lambda dso, s: re.search(
        r"RegisterBuilder::finish|set_extraction_date|sorted_dictionary|kept_rows|Dictionary", s)),
    ("sick leave: fields, dates, checks against the register", lambda dso, s: re.search(
        r"read_sick_records|SickRecords|read_sick_leave|person_absences|with_sick_leave_dates|RowReporter", s)),
    ("tables", lambda dso, s: dso.startswith("_core") or "staffcast::" in s),
    ("kernel: page faults, fresh pages, mappings", lambda dso, s: dso == "[kernel.kallsyms]"),
    ("C library: copies, compares, malloc", lambda dso, s: dso.startswith(("libc", "libstdc++", "ld-linux"))),
    ("Python, pandas, numpy, Arrow", lambda dso, s: True),
]


def samples(data: Path) -> dict[str, int]:
    """Samples per step of a perf.data file."""
    report = subprocess.run(
        ["perf", "report", "-i", str(data), "--no-children", "--sort", "dso,symbol", "--stdio",
         "-F", "sample,dso,sym"], capture_output=True, text=True, check=True).stdout
    by_step: dict[str, int] = defaultdict(int)
    for line in report.splitlines():
        m = re.match(r"\s+(\d+)\s+(\S+)\s+\[.\]\s+(.*)$", line)
        if not m:
            continue
        count, dso, symbol = int(m.group(1)), m.group(2), m.group(3).strip()
        step = next(name for name, test in STEPS if test(dso, symbol))
        by_step[step] += count
    return by_step


def profile(child: Path, runs: int, out: Path) -> dict[str, int]:
    subprocess.run(["perf", "record", "-q", "-F", str(FREQUENCY), "-o", str(out), sys.executable, str(child),
                    str(runs)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return samples(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("perf") is None:
        print("profile_plan.py needs perf (apt install linux-perf)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(HERE))
    import compare
    import staffcast as sc

    core = Path(sc._core.__file__)
    symbols = subprocess.run(["nm", str(core)], capture_output=True, text=True).stdout
    if "scan_" not in symbols:
        print(f"{core} has no symbols (pybind11 strips Release modules); build it with\n"
              "  .venv/bin/pip install --no-build-isolation --no-deps -e . -Ccmake.define.CMAKE_STRIP=/bin/true",
              file=sys.stderr)
        return 2
    emp, sick = compare.generated(args.persons, args.seed, None)
    with tempfile.TemporaryDirectory() as tmp:
        child = Path(tmp) / "plan.py"
        child.write_text(CHILD.format(here=str(HERE), emp=str(emp), sick=str(sick)))
        with_plans = profile(child, args.runs, Path(tmp) / "plans.data")
        without = profile(child, 0, Path(tmp) / "none.data")
    plans = args.runs + 1  # the warm-up is a plan too
    per_plan = {step: max(with_plans.get(step, 0) - without.get(step, 0), 0) / plans / FREQUENCY
                for step, _ in STEPS}
    total = sum(per_plan.values())
    print(f"CPU time of one whole plan, {args.persons:,} persons ({emp.stat().st_size / 1e6:.0f} MB + "
          f"{sick.stat().st_size / 1e6:.0f} MB of CSV), both threads, mean of {plans} runs:")
    print(f"| step | CPU ms | share |\n|---|---:|---:|")
    for step, seconds in sorted(per_plan.items(), key=lambda kv: -kv[1]):
        print(f"| {step} | {seconds * 1e3:,.0f} | {100 * seconds / total:.1f} % |")
    print(f"| **all** | **{total * 1e3:,.0f}** | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
