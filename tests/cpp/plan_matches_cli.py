"""Runs the C++ example examples/cpp/plan.cpp on the bundled sample and the same commands
through the CLI (`--format csv`), and compares every table byte for byte.

    python tests/cpp/plan_matches_cli.py PATH/TO/staffcast_plan_example
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
REG = str(DATA / "employments.csv")
SICK = str(DATA / "sick_leave.csv")
AS_OF = ["--as-of", "2024-09-30"]
PERIOD = ["--from", "2023-10-01", "--to", "2024-09-30"]
# The sample's extraction date, as the example gives it.
EXTRACTED = ["--extracted-on", "2024-09-30"]

# table name (as the example writes it) -> the CLI command printing the same table
COMMANDS = {
    "snapshot": ["snapshot", REG, *AS_OF, "--by", "employment_form"],
    "flows": ["flows", REG, *PERIOD, "--by", "department"],
    "flows_per_year": ["flows", REG, "--from", "2021-01-01", "--to", "2024-09-30", "--per", "year"],
    "turnover": ["turnover", REG, *PERIOD, "--form", "permanent"],
    "sick_leave": ["sick-leave", REG, "--sick-leave", SICK, *PERIOD],
    "retirements": ["retirements", REG, *AS_OF, "--years", "2025-2027", "--age", "65", "--by", "department",
                    "--form", "permanent"],
    "recruitment_need": ["recruitment-need", REG, *AS_OF, "--years", "3", "--by", "department",
                         "--form", "permanent"],
}


def main(binary: str) -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([binary, str(DATA), out], check=True)
        written = sorted(p.stem for p in Path(out).glob("*.csv"))
        if written != sorted(COMMANDS):
            print(f"the example wrote {written}, expected {sorted(COMMANDS)}")
            failures += 1
        for name, command in COMMANDS.items():
            cli = subprocess.run([sys.executable, "-m", "staffcast", *command, *EXTRACTED, "--format", "csv"],
                                 check=True, capture_output=True).stdout
            path = Path(out) / f"{name}.csv"
            cpp = path.read_bytes() if path.exists() else b""
            if cli == cpp:
                print(f"{name}: byte-identical ({len(cli)} bytes)")
                continue
            failures += 1
            print(f"{name}: DIFFERS")
            for i, (a, b) in enumerate(zip(cli.decode().splitlines(), cpp.decode().splitlines())):
                if a != b:
                    print(f"  line {i + 1}\n    CLI: {a}\n    C++: {b}")
                    break
            else:
                print(f"  CLI {len(cli)} bytes, C++ {len(cpp)} bytes")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
