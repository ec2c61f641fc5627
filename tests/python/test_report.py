"""The HTML report: sections, key figures, disclosure, languages, the CLI and the demo."""

from __future__ import annotations

import base64
import html.parser
import os
import re

import pandas as pd
import pytest

import staffcast as sc
from staffcast import _report_sections
from conftest import SAMPLE, run_cli

AS_OF = "2024-09-30"
HEADINGS = {
    "en": ["Staff today", "Flows and turnover", "Sick leave against target",
           "Retirements and recruitment need, next three years", "Projection with scenarios",
           "How good were the forecasts", "Indicators and trends"],
    "sv": ["Personal i dag", "Personalrörlighet och personalomsättning", "Sjukfrånvaro mot mål",
           "Pensionsavgångar och rekryteringsbehov, kommande tre år", "Prognos med scenarier",
           "Hur träffsäkra var prognoserna", "Indikatorer och trender"],
}


class Page(html.parser.HTMLParser):
    """The parts of the report the tests look at: h2 headings, images, tables (by their h3 caption)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.h2: list[tuple[str, str]] = []
        self.images: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.key_figures: dict[str, str] = {}
        self.links: list[str] = []
        self._tag: list[str] = []
        self._h3 = ""
        self._text = ""
        self._id = ""
        self._row: list[str] = []
        self._rows: list[list[str]] = []
        self._kf = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._tag.append(tag)
        if tag in ("h2", "h3", "td", "th"):
            self._text = ""
            self._id = attrs.get("id", "")
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag in ("link", "script", "a") and (attrs.get("href") or attrs.get("src")):
            self.links.append(attrs.get("href") or attrs.get("src"))
        if tag == "table":
            self._rows = []
        if tag == "tr":
            self._row = []
        if tag == "div" and attrs.get("id", "").startswith("kf-"):
            self._kf = attrs["id"][3:]
        if tag == "span" and attrs.get("class") == "v" and self._kf:
            self._text = ""

    def handle_endtag(self, tag):
        self._tag.pop()
        if tag == "h2":
            self.h2.append((self._id, self._text.strip()))
        elif tag == "h3":
            self._h3 = self._text.strip()
        elif tag in ("td", "th"):
            self._row.append(self._text.strip())
        elif tag == "tr":
            self._rows.append(self._row)
        elif tag == "table":
            self.tables[self._h3] = self._rows
        elif tag == "span" and self._kf and self._kf not in self.key_figures:
            self.key_figures[self._kf] = self._text.strip()

    def handle_data(self, data):
        self._text += data


@pytest.fixture(scope="module")
def data():
    reg = sc.read_register(SAMPLE / "employments.csv")
    sick = sc.read_sick_leave(SAMPLE / "sick_leave.csv", register=reg)
    ind = sc.read_indicators(SAMPLE / "indicators.csv")
    return reg, sick, ind


@pytest.fixture(scope="module")
def english(data):
    reg, sick, ind = data
    return sc.build_report(reg, AS_OF, sick_leave=sick, indicators=ind)


def table(page: Page, prefix: str) -> list[list[str]]:
    found = [rows for caption, rows in page.tables.items() if caption.startswith(prefix)]
    assert len(found) == 1, list(page.tables)
    return found[0]


def test_every_section_and_every_image(english):
    page = Page(english)
    assert [title for _, title in page.h2] == ["Key figures", *HEADINGS["en"]]
    assert [i for i, _ in page.h2[1:]] == list(sc.report.SECTIONS)
    # pyramid, turnover by age band and by position, sick leave, wave, need, fan chart, backtest errors
    assert len(page.images) == 8
    for src in page.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
    assert page.links == [f"#{key}" for key in sc.report.SECTIONS]  # nothing outside the file
    assert english.startswith("<!DOCTYPE html>") and english.rstrip().endswith("</html>")


def test_key_figures_are_the_statistics(data, english):
    reg, sick, _ = data
    page = Page(english)
    persons = sc.snapshot(reg, AS_OF, by="gender", totals=True)
    total = int(persons.loc[persons["gender"] == "Total", "headcount"].iloc[0])
    women = int(persons.loc[persons["gender"] == "F", "headcount"].iloc[0])
    forms = sc.snapshot(reg, AS_OF, by="employment_form")
    permanent = int(forms.loc[forms["employment_form"] == "permanent", "headcount"].iloc[0])
    assert page.key_figures["headcount"] == f"{total:,}"
    assert page.key_figures["permanent"] == f"{permanent:,}"
    assert page.key_figures["women_share"] == f"{100 * women / total:.1f}%"
    mean_age = sc.snapshot(reg, AS_OF)["mean_age"].iloc[0]
    assert page.key_figures["mean_age"] == f"{mean_age:.1f}"
    turnover = sc.turnover(reg, "2023-10-01", AS_OF, employment_form="permanent")["turnover"].iloc[0]
    assert page.key_figures["turnover"] == f"{100 * turnover:.1f}%"
    rate = sc.sick_leave(reg, sick, "2023-10-01", AS_OF)["sick_rate"].iloc[0]
    assert page.key_figures["sick_rate"] == f"{100 * rate:.1f}%"
    outlook = sc.retirement_outlook(reg, AS_OF, years="2025-2027", employment_form="permanent")
    assert page.key_figures["retirements"] == f"{int(outlook[['2025', '2026', '2027']].iloc[0].sum()):,}"
    need = sc.recruitment_need(reg, AS_OF, years="2025-2027", employment_form="permanent")
    yearly = [round(float(v), 1) for v in need["recruitment_need"]]
    assert page.key_figures["recruitment_need"] == f"{round(sum(yearly), 1):,.1f}"
    # the key figures come before the first section
    assert english.index("id='kf-headcount'") < english.index("id='staff'")


def test_published_tables_hold_no_small_counts(data, english):
    page = Page(english)
    for caption in ("Permanent staff turning 65", "Departures and recruitments", "Departures by reason",
                    "Headcount by employment form", "Full-time share"):
        rows = table(page, caption)
        header = rows[0]
        counts = [j for j, name in enumerate(header) if name in (
            "Already past", "2025", "2026", "2027", "Total", "Departures", "Recruitments", "Moved out", "Moved in",
            "Headcount", "Persons", "Full time", "Part time", "Own request", "Retirement", "Fixed term ended",
            "Other administration", "Dismissal", "Death", "Other")]
        assert counts, header
        for row in rows[1:]:
            for j in counts:
                assert row[j] not in ("1", "2", "3", "4"), (caption, header[j], row)
    # the retirement table really had small cells, which are shown as ·
    reg = data[0]
    raw = sc.retirement_outlook(reg, AS_OF, years="2025-2027", by="department", employment_form="permanent",
                                totals=True)
    small = ((raw[["already_past", "2025", "2026", "2027"]] >= 1) & (raw[["already_past", "2025", "2026", "2027"]] < 5))
    assert small.to_numpy().any()
    cells = [cell for row in table(page, "Permanent staff turning 65")[1:] for cell in row]
    assert cells.count("·") >= int(small.to_numpy().sum())


def test_sick_leave_groups_of_ten_or_fewer_are_not_shown(data, english):
    reg, sick, _ = data
    raw = sc.sick_leave(reg, sick, "2023-10-01", AS_OF, by=["gender", "age_band"], age_bands="statutory",
                        totals=True, suppress=False)
    rows = table(Page(english), "Sick leave by gender and age band")
    header = rows[0]
    for row in rows[1:]:
        gender, band = row[0], row[1]
        key = {"Women": "F", "Men": "M", "Other": "X", "Total": "Total"}[gender]
        match = raw[(raw["gender"] == key) & (raw["age_band"].fillna("") == band)]
        persons = int(match["persons"].iloc[0])
        if persons <= 10:
            assert row[header.index("Sick leave")] in ("", "·")


def test_projection_runs_the_scenarios_through_compare(data, monkeypatch):
    reg = data[0]
    calls = []

    class Scenario:
        def __init__(self, name, **keys):
            self.name, self.keys = name, keys

    class Result:
        def __init__(self, scenarios):
            self.scenarios = scenarios

        def to_frame(self):
            rows = [(s.name, year, "recruits", 10.0 + i, 8.0 + i, 10.0 + i, 13.0 + i)
                    for i, s in enumerate(self.scenarios) for year in (2025, 2026)]
            return pd.DataFrame(rows, columns=["scenario", "year", "measure", "mean", "p5", "p50", "p95"])

    def compare(register, scenarios, **options):
        calls.append((register, [(s.name, s.keys) for s in scenarios], options))
        return Result(scenarios)

    monkeypatch.setattr(_report_sections, "compare", compare)
    monkeypatch.setattr(_report_sections, "Scenario", Scenario)
    page = sc.build_report(reg, AS_OF, projection_years=2)
    assert calls[0][0] is reg
    assert calls[0][1] == [("Baseline", {}), ("Turnover −20%", {"rate_multipliers": [{"where": {}, "factor": 0.8}]}),
                           ("Retire two years later", {"retirement_age_shift": 2})]
    assert calls[0][2]["years"] == 2
    rows = table(Page(page), "Recruitment need per year and scenario")
    assert rows[1:] == [["Baseline", "10", "10", "20"], ["Turnover −20%", "11", "11", "22"],
                        ["Retire two years later", "12", "12", "24"]]
    assert "Microsimulation" in page


def test_swedish_report(data):
    reg, sick, ind = data
    text = sc.build_report(reg, AS_OF, sick_leave=sick, indicators=ind, lang="sv")
    page = Page(text)
    assert [title for _, title in page.h2] == ["Nyckeltal", *HEADINGS["sv"]]
    assert "<html lang='sv'>" in text and "Kompetensförsörjningsplan" in text
    rows = table(page, "Antal anställda per anställningsform")
    assert rows[0][:2] == ["Anställningsform", "Antal"]
    assert [r[0] for r in rows[1:]] == ["Timavlönad", "Tillsvidare", "Tidsbegränsad", "Totalt"]  # by code
    # Swedish number formats: a space between thousands, decimal comma, "5,3 %"
    total = int(sc.snapshot(reg, AS_OF)["headcount"].iloc[0])
    assert page.key_figures["headcount"] == f"{total:,}".replace(",", "\u202f")
    rate = sc.turnover(reg, "2023-10-01", AS_OF, employment_form="permanent")["turnover"].iloc[0]
    assert page.key_figures["turnover"] == f"{100 * rate:.1f}".replace(".", ",") + "\u00a0%"
    fte = sc.snapshot(reg, AS_OF)["fte"].iloc[0]
    assert rows[-1][2] == f"{fte:.2f}".replace(".", ",")


def test_without_optional_files_and_without_disclosure(data):
    reg = data[0]
    text = sc.build_report(reg, AS_OF, min_cell=None)
    page = Page(text)
    assert [i for i, _ in page.h2[1:]] == list(sc.report.SECTIONS)  # every heading still there
    assert "No sick-leave file was given" in text and "No indicators file was given" in text
    assert "INTERNAL: disclosure control is off" in text
    assert "sick_rate" not in Page(text).key_figures
    raw = sc.retirement_outlook(reg, AS_OF, years="2025-2027", by="department", employment_form="permanent",
                                totals=True)
    rows = table(page, "Permanent staff turning 65")
    shown = {row[0]: row[1:] for row in rows[1:]}
    for record in raw.itertuples(index=False):
        assert shown[record[0] if record[0] != "Total" else "Total"] == [str(v) for v in record[1:]]


def test_bad_options_are_clear_errors(data):
    reg = data[0]
    with pytest.raises(ValueError, match="lang"):
        sc.build_report(reg, AS_OF, lang="fi")
    with pytest.raises(ValueError, match="min_cell"):
        sc.build_report(reg, AS_OF, min_cell=0)
    with pytest.raises(TypeError, match="SickLeave"):
        sc.build_report(reg, AS_OF, sick_leave="sick.csv")


# ---------------------------------------------------------------- command line and demo


def test_cli_report(tmp_path):
    out = tmp_path / "plan.html"
    result = run_cli("report", SAMPLE / "employments.csv", "--as-of", AS_OF, "--out", out, "--sick-leave",
                     SAMPLE / "sick_leave.csv", "--indicators", SAMPLE / "indicators.csv", "--lang", "sv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}")
    page = Page(out.read_text(encoding="utf-8"))
    assert [title for _, title in page.h2[1:]] == HEADINGS["sv"]
    assert [p.name for p in tmp_path.iterdir()] == ["plan.html"]  # no temporary file left
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # readable as any new file, not private like the temporary


def test_cli_report_errors_keep_the_previous_file(tmp_path):
    out = tmp_path / "plan.html"
    out.write_text("previous\n")
    for args, message in (
        (["--as-of", AS_OF], "needs --out"),
        (["--out", out, "--lang", "de"], "invalid choice"),
        (["--out", out, "--sick-leave", tmp_path / "missing.csv"], "missing.csv"),
        (["--out", out, "--min-cell", "3", "--no-disclosure"], "contradict"),
        (["--out", tmp_path / "no" / "such" / "dir.html"], "does not exist"),
        (["--out", out, "--as-of", "2024-13-01"], "2024-13-01"),
    ):
        result = run_cli("report", SAMPLE / "employments.csv", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.html"]


def test_demo_prints_key_figures_and_writes_the_report(tmp_path):
    out = tmp_path / "demo.html"
    result = run_cli("demo", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "Key figures on 2024-09-30" in result.stdout
    assert re.search(r"Headcount\s+[\d,]+", result.stdout)
    assert f"The plan as one HTML file (disclosure control on): {out}" in result.stdout
    assert len(Page(out.read_text(encoding="utf-8")).images) == 8


def test_small_organisation_key_figures_follow_disclosure(tmp_path):
    sc.generate(tmp_path / "org", persons=40, years=6, seed=3)
    reg = sc.read_register(tmp_path / "org" / "employments.csv", extracted_on="2024-09-30")  # generate's day
    day = reg.extracted_on.isoformat()
    start = (reg.extracted_on.replace(year=reg.extracted_on.year - 1) + pd.Timedelta(days=1)).isoformat()
    raw = sc.turnover(reg, start, day, employment_form="permanent").iloc[0]
    outlook = sc.retirement_outlook(reg, day, years=3, employment_form="permanent").iloc[0]
    turning = int(outlook.iloc[1:4].sum())
    published = sc.report.key_figures(reg, day).set_index("key")["text"]
    internal = sc.report.key_figures(reg, day, min_cell=None).set_index("key")["text"]
    # a rate whose counts are 1..4 is not published; the internal figure is the statistic
    small = any(1 <= raw[c] < 5 for c in ("recruitments", "departures"))
    assert small  # this organisation is small enough to need it
    assert published["turnover"] == "·" and internal["turnover"] == f"{100 * raw['turnover']:.1f}%"
    assert published["retirements"] == (f"{turning}" if not 1 <= turning < 5 else "<5")
    assert internal["retirements"] == f"{turning}"
    page = sc.build_report(reg, day)  # every section still renders with most cells suppressed
    assert [key for key, _ in Page(page).h2[1:]] == list(sc.report.SECTIONS)


def test_one_recruitment_need_figure_on_the_page(data, english):
    """The card, the table and the chart show the same figure, one decimal; the Total rows of the grouped
    table are the ungrouped call; the scenario baseline is explained."""
    reg = data[0]
    need = sc.recruitment_need(reg, AS_OF, years="2025-2027", employment_form="permanent")
    grouped = sc.recruitment_need(reg, AS_OF, years="2025-2027", by="department", totals=True,
                                  employment_form="permanent")
    totals = grouped[grouped["department"] == "Total"].reset_index(drop=True)
    for column in ("start", "retirements", "other_departures", "growth", "recruitment_need", "end"):
        assert totals[column].tolist() == need[column].tolist(), column  # the same call, not a sum of groups
    yearly = [round(float(v), 1) for v in need["recruitment_need"]]
    page = Page(english)
    rows = table(page, "Recruitment need per year, permanent staff")
    j = rows[0].index("Recruitment need")
    assert [row[0] for row in rows[1:]] == ["2025", "2026", "2027", "Total"]
    assert [row[j] for row in rows[1:]] == [f"{v:.1f}" for v in yearly] + [f"{round(sum(yearly), 1):.1f}"]
    assert page.key_figures["recruitment_need"] == rows[-1][j]
    assert f"Over the three years: {rows[-1][j]}, the sum of the yearly figures shown." in english
    # the scenario table's baseline is explained beside the recruitment need of the first year
    baseline = table(page, "Recruitment need per year and scenario")[1]
    assert (f"The baseline here ({baseline[1]} recruits in 2025) is the microsimulation" in english
            and f"The recruitment need above ({yearly[0]:.1f} in 2025)" in english)
    swedish = Page(sc.build_report(reg, AS_OF, lang="sv"))
    assert swedish.key_figures["recruitment_need"] == rows[-1][j].replace(".", ",")


def test_tables_with_hidden_cells_say_what_was_hidden(data, english):
    reg = data[0]
    full = sc.disclose(sc.full_time(reg, AS_OF, by="gender", totals=True), min_count=5)
    done = full.attrs["staffcast"]["disclosure"]
    assert done["primary_cells"] >= 1
    start = english.index("Full-time share by gender")
    note = english[start:english.index("</p>", start)]
    assert f"Hidden (·): {done['primary_cells']} cell(s) of fewer than 5 persons" in note
    if done["secondary_cells"]:
        assert f"and {done['secondary_cells']} more ({int(done['secondary_persons'])} persons in all)" in note
    # a table with nothing hidden has no such sentence
    start = english.index("Headcount by employment form")
    assert "Hidden (·)" not in english[start:english.index("<h3>", start + 10)]
