"""A foreign HR export read with a mapping file only: the bundled sample written
as an American export (month-first dates, two- and four-digit years, unpadded
parts, padded codes, English headers, no fte or employment-form column, a
"N/A-StillEmployed" reason on every open spell, managers under their own
numbering and some left empty) and as a Swedish one (day-first dates with dots
and Swedish month names) gives the same tables as the canonical sample with
every spell full-time and permanent; span of control counts the reports of
each opaque manager key."""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import staffcast as sc

from conftest import SAMPLE, run_cli

EXTRACTED = "2024-09-30"
US_HEADERS = {"employee_id": "EmpID", "birth_date": "DOB", "gender": "Sex", "position": "Position",
              "department": "Department", "start_date": "DateofHire", "end_date": "DateofTermination",
              "end_reason": "TermReason", "recruitment_source": "RecruitmentSource", "manager_id": "ManagerID"}
SV_HEADERS = {"employee_id": "Anst.nr", "birth_date": "Födelsedatum", "gender": "Kön", "position": "Befattning",
              "department": "Avdelning", "start_date": "Anställningsdatum", "end_date": "Slutdatum",
              "end_reason": "Avgångsorsak", "recruitment_source": "Rekryteringsväg", "manager_id": "Chef"}
US_REASONS = {"own_request": "career change", "retirement": "Retirement", "fixed_term_ended": "Contract ended",
              "internal_move": "Internal transfer", "other_administration": "Another administration",
              "dismissal": "Terminated for cause", "death": "Death", "other": "Other"}
US_SOURCES = {"internal": "Internal posting", "other_administration": "Another administration",
              "external": "Indeed", "rehire": "Rehire"}
US_GENDER = {"F": "F ", "M": "M ", "X": "X "}  # padded, as the export has them
SV_MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
STILL_EMPLOYED = "N/A-StillEmployed"


def manager_key(manager_id: str, employee_id: str) -> str:
    """The export's ManagerID: its own numbering (E0000002 -> 90002, matching no EmpID), empty for
    the reports of every fifth employee."""
    if not manager_id or int(employee_id[1:]) % 5 == 0:
        return ""
    return str(90000 + int(manager_id[1:]))


def us_date(text: str, row: int) -> str:
    """Month-first, unpadded, with a two-digit year on every other row (when 1930..2029)."""
    if not text:
        return ""
    day = dt.date.fromisoformat(text)
    if row % 2 and 1930 <= day.year <= 2029:
        return f"{day.month:02d}/{day.day:02d}/{day.year % 100:02d}"
    return f"{day.month}/{day.day}/{day.year}"


def sv_date(text: str, row: int, column: str) -> str:
    """Birth dates as 5.7.1980; the others as 5 jul 2011 (Swedish month names)."""
    if not text:
        return ""
    day = dt.date.fromisoformat(text)
    if column == "birth_date":
        return f"{day.day}.{day.month}.{day.year}" if row % 2 else f"{day.day:02d}.{day.month:02d}.{day.year}"
    return f"{day.day} {SV_MONTHS[day.month - 1]} {day.year}"


def sample_rows() -> list[dict[str, str]]:
    with open(SAMPLE / "employments.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_export(path: Path, swedish: bool = False) -> Path:
    headers = SV_HEADERS if swedish else US_HEADERS
    out = []
    for i, row in enumerate(sample_rows()):
        record = {}
        for column, name in headers.items():
            value = row[column]
            if column in ("birth_date", "start_date", "end_date"):
                value = sv_date(value, i, column) if swedish else us_date(value, i)
            elif column == "gender" and not swedish:
                value = US_GENDER[value]
            elif column == "gender":
                value = {"F": "K", "M": "M", "X": "X"}[value]
            elif column == "department":
                value = value + " " * (i % 4)  # padded
            elif column == "end_reason":
                value = US_REASONS[value] if value else STILL_EMPLOYED
            elif column == "recruitment_source" and value:
                value = US_SOURCES[value]
            elif column == "manager_id":
                value = manager_key(value, row["employee_id"])
            record[name] = value
        out.append(record)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(headers.values()), delimiter=";" if swedish else ",")
        writer.writeheader()
        writer.writerows(out)
    return path


def mapping_text(swedish: bool = False) -> str:
    headers = SV_HEADERS if swedish else US_HEADERS
    fmt = ('sep = ";"\ndate_format = ["%d.%m.%Y", "%d %b %Y"]\n' if swedish else
           'date_format = ["%m/%d/%Y", "%m/%d/%y"]\ncentury_pivot = 1930\n')
    lines = ["[format]", fmt + f"extracted_on = {EXTRACTED}", "[columns]"]
    lines += [f'"{name}" = "{column}"' for column, name in headers.items()]
    # No code for the placeholder on open spells: the reader ignores it with a warning.
    lines += ["[defaults]", "fte = 1.0", 'employment_form = "permanent"', "[codes.end_reason]"]
    lines += [f'"{label}" = "{code}"' for code, label in US_REASONS.items()]
    lines += ["[codes.recruitment_source]"] + [f'"{label}" = "{code}"' for code, label in US_SOURCES.items()]
    if swedish:
        lines += ["[codes.gender]", '"K" = "F"']
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def canonical_full_time(tmp_path_factory) -> Path:
    """The canonical sample with every spell at fte 1.00 and permanent, written by hand."""
    frame = pd.read_csv(SAMPLE / "employments.csv", dtype=str, keep_default_na=False)
    frame["fte"] = "1.00"
    frame["employment_form"] = "permanent"
    path = tmp_path_factory.mktemp("canonical") / "employments.csv"
    frame.to_csv(path, index=False)
    return path


def with_manager_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """A register frame of the canonical sample with the export's manager keys."""
    out = frame.copy()
    keys = [manager_key(m or "", e) for m, e in zip(out["manager_id"], out["employee_id"])]
    out["manager_id"] = pd.Series([k or None for k in keys], index=out.index, dtype=object)
    return out


def reports_per_key(on: str) -> dict[str, int]:
    """Direct reports per manager key on a day, counted by hand from the sample's rows: spells
    started by then and not ended before it, with a key."""
    rows = sample_rows()
    counts: dict[str, int] = {}
    for row in rows:
        key = manager_key(row["manager_id"], row["employee_id"])
        if key and row["start_date"] <= on and (not row["end_date"] or row["end_date"] >= on):
            counts[key] = counts.get(key, 0) + 1
    return counts


COMMANDS = [("snapshot", "--as-of", EXTRACTED, "--by", "department,gender"),
            ("flows", "--from", "2022-01-01", "--to", "2023-12-31", "--by", "department"),
            ("turnover", "--from", "2023-01-01", "--to", "2023-12-31", "--by", "position")]


def cli_tables(register: Path, *mapping: str) -> list[str]:
    out = []
    for command in COMMANDS:
        result = run_cli(command[0], register, *command[1:], *mapping, "--extracted-on", EXTRACTED, "--format", "csv")
        assert result.returncode == 0, result.stderr
        out.append(result.stdout)
    return out


@pytest.mark.parametrize("swedish", [False, True], ids=["us", "swedish"])
def test_foreign_export_with_a_mapping_file_gives_the_canonical_tables(tmp_path, canonical_full_time, swedish):
    export = write_export(tmp_path / "export.csv", swedish)
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(mapping_text(swedish), encoding="utf-8")
    ours = sc.read_register(export, mapping=mapping)
    theirs = sc.read_register(canonical_full_time, extracted_on=EXTRACTED)
    pd.testing.assert_frame_equal(ours.to_frame(), with_manager_keys(theirs.to_frame()))
    assert ours.extracted_on == dt.date(2024, 9, 30)  # from the mapping: given, not assumed
    assert not ours.extracted_on_assumed
    assert len(ours) == 3840 and set(ours.to_frame()["fte"]) == {1.0}
    # The placeholder reason on each open spell (no end date in the sample) is a warning, and ignored.
    open_spells = [i + 2 for i, row in enumerate(sample_rows()) if not row["end_date"]]
    warned = ours.issues[ours.issues["code"] == "reason_on_open_spell"]
    assert len(open_spells) == 1005 and sorted(warned["row"]) == open_spells
    assert set(warned["value"]) == {STILL_EMPLOYED}
    assert set(ours.issues["code"]) == {"reason_on_open_spell", "unknown_manager"}
    assert cli_tables(export, "--mapping", mapping) == cli_tables(canonical_full_time)
    # Span of control: each opaque key's direct reports, as counted from the rows by hand.
    expected = reports_per_key(EXTRACTED)
    listed = sc.span_of_control(ours, EXTRACTED, limit=0, managers=True)
    assert dict(zip(listed["manager_id"], listed["reports"])) == expected
    assert set(listed["department"]) == {"(manager not in register)"}
    result = run_cli("span", export, "--mapping", mapping, "--as-of", EXTRACTED, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert f"(manager not in register),{len(expected)},{sum(expected.values())}," in result.stdout


def test_extraction_date_of_the_mapping_is_given_else_assumed(tmp_path):
    export = write_export(tmp_path / "export.csv")
    given = tmp_path / "given.toml"
    given.write_text(mapping_text(), encoding="utf-8")
    reg = sc.read_register(export, mapping=given)
    assert reg.extracted_on == dt.date(2024, 9, 30) and not reg.extracted_on_assumed
    assert "extraction_date_assumed" not in set(reg.issues["code"])
    result = run_cli("validate", export, "--mapping", given)
    assert result.returncode == 0 and "assumed" not in result.stderr, result.stderr
    # Without it the day is assumed: the earlier of today and the latest date of the file.
    assumed = tmp_path / "assumed.toml"
    assumed.write_text(mapping_text().replace(f"extracted_on = {EXTRACTED}\n", ""), encoding="utf-8")
    latest = max(d for row in sample_rows() for d in (row["start_date"], row["end_date"]) if d)
    reg = sc.read_register(export, mapping=assumed, today="2030-01-01")
    assert reg.extracted_on == dt.date.fromisoformat(latest) and reg.extracted_on_assumed
    assert reg.issues["code"].iloc[0] == "extraction_date_assumed"
    reg = sc.read_register(export, mapping=assumed, today="2020-06-30")
    assert reg.extracted_on == dt.date(2020, 6, 30)
    # An argument wins over the mapping.
    assert sc.read_register(export, mapping=given, extracted_on="2024-06-30").extracted_on == dt.date(2024, 6, 30)


def test_the_same_mapping_as_a_dict_and_as_keywords(tmp_path, canonical_full_time):
    export = write_export(tmp_path / "export.csv")
    as_dict = tomllib.loads(mapping_text())
    from_dict = sc.read_register(export, mapping=as_dict)
    keywords = dict(columns=as_dict["columns"], codes=as_dict["codes"], defaults={"fte": 1.0,
                    "employment_form": "permanent"}, date_format=["%m/%d/%Y", "%m/%d/%y"], century_pivot=1930)
    from_keywords = sc.read_register(export, extracted_on=EXTRACTED, **keywords)
    expected = with_manager_keys(sc.read_register(canonical_full_time, extracted_on=EXTRACTED).to_frame())
    pd.testing.assert_frame_equal(from_dict.to_frame(), expected)
    pd.testing.assert_frame_equal(from_keywords.to_frame(), expected)
    # The keywords go through the same parser: %y without a pivot is refused, with its message.
    with pytest.raises(ValueError, match=r"holds %y \(a two-digit year\): give century_pivot"):
        sc.read_register(export, **{**keywords, "century_pivot": None})
    with pytest.raises(ValueError, match="'female' is not a code of gender"):
        sc.read_register(export, mapping={"codes": {"gender": {"F ": "female"}}})


def fill_todos(template: str) -> str:
    """Fills what the template marks TODO, as an analyst would: the reasons and
    sources from the export's labels, and the extraction date."""
    reasons = {label: code for code, label in US_REASONS.items()}
    sources = {label: code for code, label in US_SOURCES.items()}
    section = ""
    out = []
    for line in template.splitlines():
        if line.startswith("["):
            section = line.split("]")[0] + "]"
        match = re.fullmatch(r'"(.*)" = "TODO"', line)
        if line.startswith("extracted_on = \"TODO\""):
            line = f"extracted_on = {EXTRACTED}"
        elif match and section == "[codes.end_reason]":
            line = f'"{match[1]}" = "{reasons[match[1]]}"'
        elif match and section == "[codes.recruitment_source]":
            line = f'"{match[1]}" = "{sources[match[1]]}"'
        out.append(line)
    return "\n".join(out) + "\n"


def test_mapping_template_on_the_export_after_filling_its_todos(tmp_path, canonical_full_time):
    export = write_export(tmp_path / "export.csv")
    result = run_cli("mapping-template", export)
    assert result.returncode == 0, result.stderr
    template = result.stdout
    parsed = tomllib.loads(template)
    assert parsed["format"]["date_format"] == ["%m/%d/%Y", "%m/%d/%y"]
    assert parsed["format"]["century_pivot"] == (dt.date.today().year - 90) // 10 * 10
    assert parsed["format"]["extracted_on"] == "TODO"
    assert parsed["columns"] == {name: column for column, name in US_HEADERS.items()}
    assert parsed["defaults"] == {"employment_form": "permanent", "fte": 1.0}
    assert parsed["codes"]["gender"] == {"F": "F", "M": "M", "X": "X"}  # trimmed, as the reader trims
    assert parsed["codes"]["end_reason"][STILL_EMPLOYED] == ""
    assert parsed["codes"]["end_reason"]["career change"] == "TODO"
    assert set(parsed["codes"]["recruitment_source"]) == set(US_SOURCES.values())
    # validate names what is left to fill in, and exits 2.
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(template, encoding="utf-8")
    result = run_cli("validate", export, "--mapping", mapping)
    assert result.returncode == 2
    assert "left to fill in (replace each TODO): [format] extracted_on" in result.stderr
    assert '[codes.end_reason] "career change"' in result.stderr and "Traceback" not in result.stderr
    mapping.write_text(fill_todos(template), encoding="utf-8")
    result = run_cli("validate", export, "--mapping", mapping)
    assert result.returncode == 0, result.stderr
    assert cli_tables(export, "--mapping", mapping) == cli_tables(canonical_full_time)


def test_mapping_template_decides_day_first_and_says_ambiguous(tmp_path):
    export = write_export(tmp_path / "export.csv", swedish=True)
    parsed = tomllib.loads(run_cli("mapping-template", export).stdout)
    assert parsed["format"]["sep"] == ";" and parsed["format"]["encoding"] == "utf-8"
    assert parsed["format"]["date_format"] == ["%d.%m.%Y", "%d %b %Y"]
    ambiguous = tmp_path / "ambiguous.csv"
    ambiguous.write_text("EmpID,DOB,DateofHire\n1,01/02/1980,03/04/2020\n", encoding="utf-8")
    text = run_cli("mapping-template", ambiguous).stdout
    assert 'date_format = "TODO"' in text
    assert "# day-first (%d/%m/%Y) and month-first (%m/%d/%Y) both read every date: say which" in text


def test_day_first_layout_on_month_first_data_exits_2_with_the_hint(tmp_path):
    export = write_export(tmp_path / "export.csv")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(mapping_text().replace('["%m/%d/%Y", "%m/%d/%y"]', '["%d/%m/%Y", "%d/%m/%y"]'),
                       encoding="utf-8")
    result = run_cli("validate", export, "--mapping", mapping)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    # One message per date column, not one per row.
    hints = [line for line in result.stderr.splitlines() if "every date of the column fits %m/%d/%Y or %m/%d/%y" in line]
    assert len(hints) == 3, result.stderr
    assert 'give date_format = ["%m/%d/%Y", "%m/%d/%y"]' in hints[0]
    # A single month-first date among day-first ones names the layout it fits.
    single = tmp_path / "single.csv"
    single.write_text("EmpID,DOB,DateofHire\nA,19/01/1980,3/30/2015\n", encoding="utf-8")
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(single, columns={"EmpID": "employee_id", "DOB": "birth_date", "DateofHire": "start_date"},
                         date_format="%d/%m/%Y", defaults={"gender": "F", "employment_form": "permanent",
                                                           "position": "P", "department": "D", "fte": 1})
    issues = caught.value.issues
    assert issues["message"].tolist() == ["not a valid date %d/%m/%Y; fits %m/%d/%Y (day and month swapped)"]


def test_missing_column_comes_with_every_other_problem(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("employee_id,birth_date,gender,position,department,start_date\n"
                    "A,1980-01-01,Q,P,D,2020-01-01\nB,1980-02-30,F,P,D,2020-01-01\n", encoding="utf-8")
    with pytest.raises(sc.ValidationError) as caught:
        sc.read_register(path)
    found = list(zip(caught.value.issues["code"], caught.value.issues["column"]))
    assert found == [("missing_column", "employment_form"), ("missing_column", "fte"), ("unknown_code", "gender"),
                     ("bad_date", "birth_date")]
