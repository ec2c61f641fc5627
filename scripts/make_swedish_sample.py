"""Writes examples/data/swedish/: the bundled sample as a Swedish HR export
(`;`, decimal comma, Windows-1252, Swedish headers and codes, 9999-12-31 for
"no end", dates as YYYYMMDD) with the mapping file that reads it back.

    python scripts/make_swedish_sample.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from staffcast._toml import string

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "examples" / "data" / "employments.csv"
OUT = ROOT / "examples" / "data" / "swedish"

HEADERS = {
    "employee_id": "Anst.nr", "birth_date": "Födelsedatum", "gender": "Kön", "employment_form": "Anställningsform",
    "position": "Befattning", "department": "Avdelning", "fte": "Sysselsättningsgrad", "start_date": "Från",
    "end_date": "Till", "end_reason": "Avgångsorsak", "recruitment_source": "Rekryteringsväg",
    "manager_id": "Chef",
}
CODES = {
    "gender": {"F": "K", "M": "M", "X": "X"},
    "employment_form": {"permanent": "Tillsvidare", "temporary": "Visstid", "hourly": "Timavlönad"},
    "end_reason": {"own_request": "Egen begäran", "retirement": "Pension", "fixed_term_ended": "Visstid upphör",
                   "internal_move": "Intern rörlighet", "other_administration": "Annan förvaltning",
                   "dismissal": "Uppsägning", "death": "Dödsfall", "other": "Övrigt"},
    "recruitment_source": {"internal": "Intern", "other_administration": "Annan förvaltning", "external": "Extern",
                           "rehire": "Återanställning"},
}
DATES = ("birth_date", "start_date", "end_date")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(SOURCE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([HEADERS[c] for c in HEADERS])
    for row in rows:
        out = []
        for column in HEADERS:
            value = row[column]
            if column in CODES and value:
                value = CODES[column][value]
            if column == "end_date" and not value:
                value = "9999-12-31"
            if column in DATES:
                value = value.replace("-", "")
            if column == "fte":
                value = value.replace(".", ",")
            out.append(value)
        writer.writerow(out)
    (OUT / "anstallda.csv").write_bytes(text.getvalue().encode("cp1252"))
    lines = ["# Reads anstallda.csv: staffcast read_register(path, mapping=this file) or --mapping.",
             "[format]", 'sep = ";"', 'decimal = ","', 'encoding = "cp1252"', 'date_format = "%Y%m%d"',
             'open_end = "99991231"', "", "[columns]"]
    lines += [f"{string(swedish)} = {string(contract)}" for contract, swedish in HEADERS.items()]
    for column, table in CODES.items():
        lines += ["", f"[codes.{column}]"] + [f"{string(swedish)} = {string(code)}" for code, swedish in table.items()]
    (OUT / "mapping.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
