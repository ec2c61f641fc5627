"""Records (or checks) the output of every CLI command on the bundled sample.

The CLI is called in-process (``staffcast.cli.main``) with csv and json output,
and the report's tables are taken from its HTML; each output is one file under
``tests/golden/outputs``. ``--check`` compares byte for byte and lists what
differs, so a refactoring that changes a number cannot pass unnoticed.

    python tests/golden/record.py            # record
    python tests/golden/record.py --check    # compare (exit 1 on a difference)
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = ROOT / "examples" / "data"
OUTPUTS = HERE / "outputs"

REG = str(DATA / "employments.csv")
SICK = str(DATA / "sick_leave.csv")
IND = str(DATA / "indicators.csv")
SWE = str(DATA / "swedish" / "anstallda.csv")
SWE_MAP = str(DATA / "swedish" / "mapping.toml")
SCENARIOS = ROOT / "examples" / "scenarios"
WILLIAMS = str(ROOT / "examples" / "plans" / "williams_manpower.toml")
SOCIAL_PLAN = str(ROOT / "examples" / "plans" / "social_services.toml")

AS_OF = ["--as-of", "2024-09-30"]
# The sample's real extraction date, given so that no output depends on today.
EXTRACTED = ["--extracted-on", "2024-09-30"]
# Commands that read no register (optimise: unless given one, with its own --extracted-on).
NO_REGISTER = ("indicators", "mapping-template", "optimise")
PERIOD = ["--from", "2023-10-01", "--to", "2024-09-30"]

# name -> arguments (without --format); each runs with csv and with json.
COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", REG, "--sick-leave", SICK, "--indicators", IND],
    "validate_swedish": ["validate", SWE, "--mapping", SWE_MAP],
    "snapshot": ["snapshot", REG, *AS_OF],
    "snapshot_by": ["snapshot", REG, *AS_OF, "--by", "employment_form,gender"],
    "snapshot_age": ["snapshot", REG, *AS_OF, "--by", "age_band", "--age-bands", "statutory"],
    "snapshot_compare": ["snapshot", REG, *AS_OF, "--by", "department", "--compare", "previous-year"],
    "snapshot_top": ["snapshot", REG, *AS_OF, "--top", "10", "--form", "permanent"],
    "snapshot_min_cell": ["snapshot", REG, *AS_OF, "--by", "department,gender", "--min-cell", "5"],
    "snapshot_swedish": ["snapshot", SWE, "--mapping", SWE_MAP, *AS_OF, "--by", "department"],
    "full_time": ["full-time", REG, *AS_OF, "--by", "gender,age_band"],
    "flows": ["flows", REG, *PERIOD, "--by", "department"],
    "flows_per": ["flows", REG, "--from", "2021-01-01", "--to", "2024-09-30", "--per", "year"],
    "flows_tertial": ["flows", REG, "--from", "2023-01-01", "--to", "2024-08-31", "--per", "tertial"],
    "flows_rolling": ["flows", REG, "--from", "2022-01-01", "--to", "2024-09-30", "--per", "rolling12"],
    "departures": ["departures", REG, *PERIOD, "--form", "permanent"],
    "recruitments": ["recruitments", REG, *PERIOD, "--form", "permanent"],
    "turnover": ["turnover", REG, *PERIOD, "--by", "age_band", "--form", "permanent"],
    "turnover_separation": ["turnover", REG, *PERIOD, "--definition", "separation", "--annualise"],
    "turnover_month": ["turnover", REG, "--from", "2024-01-01", "--to", "2024-06-30", "--per", "month"],
    "turnover_compare": ["turnover", REG, *PERIOD, "--by", "department", "--compare", "previous-year"],
    "sick_leave": ["sick-leave", REG, "--sick-leave", SICK, *PERIOD, "--by", "gender,age_band",
                   "--age-bands", "statutory"],
    "sick_leave_targets": ["sick-leave", REG, "--sick-leave", SICK, *PERIOD, "--target", "0.06",
                           "--short-term-target", "0.02"],
    "sick_leave_per": ["sick-leave", REG, "--sick-leave", SICK, "--from", "2022-01-01", "--to", "2024-08-31",
                       "--per", "tertial"],
    "indicators": ["indicators", IND],
    "indicators_compare": ["indicators", IND, "--compare", "previous-year"],
    "retirements": ["retirements", REG, *AS_OF, "--years", "2025-2027", "--age", "65", "--by", "department",
                    "--form", "permanent"],
    "retirements_count": ["retirements", REG, *AS_OF, "--years", "5", "--by", "position"],
    "retirements_probabilities": ["retirements", REG, *AS_OF, "--years", "3", "--probabilities", "estimate",
                                  "--by", "department"],
    "retirements_at_age": ["retirements", REG, *AS_OF, "--probabilities", "at_age"],
    "recruitment_need": ["recruitment-need", REG, *AS_OF, "--years", "3", "--by", "department",
                         "--form", "permanent"],
    "recruitment_need_growth": ["recruitment-need", REG, *AS_OF, "--years", "10", "--growth", "0.055",
                                "--turnover-factor", "0.8", "--retirement-shift", "1"],
    "span": ["span", REG, *AS_OF, "--limit", "25"],
    "span_managers": ["span", REG, *AS_OF, "--limit", "10", "--managers"],
    "equality": ["equality", REG, *AS_OF, "--sick-leave", SICK, "--manager-positions", "Enhetschef"],
    "rates": ["rates", REG, *PERIOD, "--by", "age_band"],
    "rates_reason": ["rates", REG, *PERIOD, "--by-reason"],
    "tenure_median": ["tenure", REG, "--median", "--by", "employment_form"],
    "tenure": ["tenure", REG, "--form", "permanent"],
    "project": ["project", REG, *AS_OF, "--years", "5", "--by", "department"],
    "project_scenario": ["project", REG, *AS_OF, "--years", "5", "--scenario",
                         str(SCENARIOS / "turnover_minus_20.toml")],
    "simulate": ["project", REG, *AS_OF, "--years", "3", "--replicates", "20", "--seed", "7", "--threads", "1",
                 "--no-progress", "--by", "employment_form"],
    "simulate_threads": ["project", REG, *AS_OF, "--years", "3", "--replicates", "20", "--seed", "7",
                         "--threads", "2", "--no-progress", "--by", "employment_form"],
    "compare_scenarios": ["project", REG, *AS_OF, "--years", "5", "--scenario", "baseline",
                          "--scenario", str(SCENARIOS / "growth_5_5.toml"),
                          "--scenario", str(SCENARIOS / "hiring_freeze_2.toml")],
    "compare_scenarios_sim": ["project", REG, *AS_OF, "--years", "3", "--replicates", "10", "--seed", "3",
                              "--threads", "1", "--no-progress", "--scenario", "baseline",
                              "--scenario", str(SCENARIOS / "retire_later.toml"),
                              "--scenario", str(SCENARIOS / "part_time_to_full_time_25.toml")],
    "optimise": ["optimise", WILLIAMS],
    "optimise_redundancy_explain": ["optimise", WILLIAMS, "--objective", "redundancy", "--explain"],
    "backtest": ["backtest", REG, "--origins", "2019-2021", "--horizon", "2", "--by", "department",
                 "--replicates", "20", "--seed", "3", "--threads", "1"],
    "backtest_summary": ["backtest", REG, "--origins", "2016-2022", "--horizon", "3", "--form", "permanent",
                         "--replicates", "50", "--seed", "1", "--summary"],
    "optimise_register": ["optimise", SOCIAL_PLAN, REG, "--as-of", "2024-09-30", "--extracted-on", "2024-09-30"],
}

# Commands whose output is not a table (text only).
TEXT_COMMANDS: dict[str, list[str]] = {
    "validate_text": ["validate", REG],
    "validate_assumed": ["validate", REG, "--today", "2026-12-01"],
    "mapping_template": ["mapping-template", SWE, "--encoding", "cp1252"],
    "snapshot_table": ["snapshot", REG, *AS_OF, "--by", "department"],
    "bad_register": ["snapshot", str(ROOT / "tests" / "data" / "hostile" / "bad_dates.csv"), *AS_OF],
    "missing_as_of": ["snapshot", REG],
    "turnover_unavailable": ["turnover", REG, "--from", "2025-01-01", "--to", "2025-12-31"],
    "snapshot_after_extraction": ["snapshot", REG, "--as-of", "2030-01-01"],
    "optimise_explain": ["optimise", WILLIAMS, "--explain"],
    "optimise_register_explain": ["optimise", SOCIAL_PLAN, REG, "--as-of", "2024-09-30", "--extracted-on",
                                  "2024-09-30", "--explain"],
}


def with_extraction(argv: list[str]) -> list[str]:
    """The command with the sample's extraction date, unless it reads no register or says --today."""
    if argv[0] in NO_REGISTER or "--today" in argv or "--extracted-on" in argv:
        return argv
    return [*argv, *EXTRACTED]


def run(argv: list[str]) -> str:
    from staffcast.cli import main

    out, err = io.StringIO(), io.StringIO()
    os.environ.pop("COLUMNS", None)  # tables wrap to the default width, whatever terminal records them
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    text = f"$ staffcast {' '.join(_portable(a) for a in argv)}\nexit {code}\n--- stdout\n{out.getvalue()}"
    text += f"--- stderr\n{err.getvalue()}"
    return _portable(text)


def _portable(text: str) -> str:
    return text.replace(str(ROOT), "<root>")


def report_tables(lang: str) -> str:
    from staffcast.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "report.html"
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["report", REG, *AS_OF, *EXTRACTED, "--sick-leave", SICK, "--indicators", IND,
                         "--lang", lang, "--out", str(target)])
        page = target.read_text(encoding="utf-8")
    tables = re.findall(r"<table.*?</table>", page, flags=re.S)
    headings = re.findall(r"<h[1-3][^>]*>.*?</h[1-3]>", page, flags=re.S)
    return f"exit {code}\n" + "\n".join(headings) + "\n\n" + "\n\n".join(tables) + "\n"


def outputs() -> dict[str, str]:
    result: dict[str, str] = {}
    for name, argv in COMMANDS.items():
        for fmt in ("csv", "json"):
            result[f"{name}.{fmt}.txt"] = run(with_extraction([*argv, "--format", fmt]))
    for name, argv in TEXT_COMMANDS.items():
        result[f"{name}.txt"] = run(with_extraction(argv))
    for lang in ("en", "sv"):
        result[f"report_{lang}.html.txt"] = report_tables(lang)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the recorded outputs")
    args = parser.parse_args()
    produced = outputs()
    if not args.check:
        OUTPUTS.mkdir(exist_ok=True)
        for old in OUTPUTS.glob("*.txt"):
            old.unlink()
        for name, text in produced.items():
            (OUTPUTS / name).write_text(text, encoding="utf-8")
        print(f"recorded {len(produced)} outputs in {OUTPUTS}")
        return 0
    recorded = {p.name: p.read_text(encoding="utf-8") for p in OUTPUTS.glob("*.txt")}
    differ = sorted(n for n in produced if recorded.get(n) != produced[n])
    missing = sorted(set(recorded) - set(produced))
    for name in differ:
        print(f"differs: {name}")
    for name in missing:
        print(f"not produced: {name}")
    print(f"{len(produced) - len(differ)} of {len(produced)} outputs byte-identical")
    return 1 if differ or missing else 0


if __name__ == "__main__":
    sys.exit(main())
