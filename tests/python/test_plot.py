"""staffcast.plot: every plot renders to PNG and draws the numbers of its table."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402

import staffcast as sc  # noqa: E402
from conftest import SAMPLE  # noqa: E402

AS_OF = "2024-09-30"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def reg():
    return sc.read_register(SAMPLE / "employments.csv")


@pytest.fixture(scope="module")
def sick(reg):
    return sc.read_sick_leave(SAMPLE / "sick_leave.csv", register=reg)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def png_of(ax) -> bytes:
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=60)
    data = buffer.getvalue()
    assert data.startswith(PNG) and len(data) > 2000
    return data


def bars(ax, label: str) -> BarContainer:
    found = [c for c in ax.containers if isinstance(c, BarContainer) and c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in ax.containers]
    return found[0]


# ---------------------------------------------------------------- age pyramid


def test_pyramid_by_hand():
    frame = pd.DataFrame({"age_band": ["20-29", "20-29", "65+", "15-19", "65+", "Total"],
                          "gender": ["F", "M", "F", "M", "M", ""],
                          "headcount": [7, 3, 2, 1, 4, 17]})
    ax = sc.plot.age_pyramid(frame)
    png_of(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["15-19", "20-29", "65+"]  # age order, Total ignored
    assert [p.get_width() for p in bars(ax, "Women")] == [0, -7, -2]
    assert [p.get_width() for p in bars(ax, "Men")] == [1, 3, 4]
    # the 65+ band is shaded (an axhspan over y 1.5..2.5) and named
    spans = [p for p in ax.patches if not any(p in c for c in ax.containers)]
    assert len(spans) == 1
    ys = (spans[0].get_transform() - ax.transData).transform(spans[0].get_path().vertices)[:, 1]
    assert ys.min() == pytest.approx(1.5) and ys.max() == pytest.approx(2.5)
    assert any(t.get_text() == "65+: retirement age" for t in ax.texts)


def test_pyramid_equals_the_snapshot_counts(reg):
    frame = sc.snapshot(reg, AS_OF, by=["gender", "age_band"])
    ax = sc.plot.age_pyramid(frame)
    png_of(ax)
    bands = [t.get_text() for t in ax.get_yticklabels()]
    assert bands == ["15-19", "20-29", "30-39", "40-49", "50-59", "60-64", "65+"]
    expected = {(g, b): n for g, b, n in frame[["gender", "age_band", "headcount"]].itertuples(index=False)}
    women = [-p.get_width() for p in bars(ax, "Women")]
    men = [p.get_width() for p in bars(ax, "Men")]
    assert women == [expected.get(("F", b), 0) for b in bands]
    assert men == [expected.get(("M", b), 0) for b in bands]
    # every person on the day is in exactly one bar (X drawn on the men's side when present)
    x = sum(p.get_width() for c in ax.containers if c.get_label() == "Other" for p in c)
    total = sc.snapshot(reg, AS_OF)["headcount"].iloc[0]
    assert sum(women) + sum(men) + x == total


def test_pyramid_in_swedish_and_with_suppressed_cells(reg):
    frame = sc.disclose(sc.snapshot(reg, AS_OF, by=["age_band", "gender"]), min_count=5)
    assert frame["headcount"].isna().any()  # the sample has small cells (e.g. under 20)
    ax = sc.plot.age_pyramid(frame, lang="sv")
    png_of(ax)
    assert ax.get_title() == "Ålderspyramid"
    assert {c.get_label() for c in ax.containers} >= {"Kvinnor", "Män"}
    # each suppressed cell is a hatched bar, explained in the legend
    hatched = [p for p in ax.patches if p.get_hatch() == "///"]
    assert len(hatched) == int(frame["headcount"].isna().sum())
    assert "dolt (skyddar små grupper)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert [t.get_text() for t in ax.get_xticklabels() if t.get_text()][:1] != ["−"]


def test_bad_input_is_a_clear_error(reg):
    with pytest.raises(ValueError, match="age_band"):
        sc.plot.age_pyramid(sc.snapshot(reg, AS_OF, by="gender"))
    with pytest.raises(ValueError, match="lang"):
        sc.plot.age_pyramid(sc.snapshot(reg, AS_OF, by=["age_band", "gender"]), lang="de")
    with pytest.raises(TypeError):
        sc.plot.turnover([1, 2, 3])


# ---------------------------------------------------------------- retirement wave


def test_retirement_wave_stacks_departments(reg):
    frame = sc.retirement_outlook(reg, AS_OF, years="2025-2027", by="department", employment_form="permanent",
                                  totals=True)
    ax = sc.plot.retirement_wave(frame)
    png_of(ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["already past", "2025", "2026", "2027"]
    inner = frame[frame["department"] != "Total"]
    for row in inner.itertuples(index=False):
        heights = [p.get_height() for p in bars(ax, row.department)]
        assert heights == [row.already_past, row._2, row._3, row._4]
    total = frame[frame["department"] == "Total"].iloc[0]
    # the labels on top of the stacks are the Total row
    tops = [float(t.get_text()) for t in ax.texts if t.get_text().replace(".", "").isdigit()]
    assert tops == [total["already_past"], total["2025"], total["2026"], total["2027"]]


def test_retirement_wave_of_a_disclosed_table_shows_the_published_totals(reg):
    raw = sc.retirement_outlook(reg, AS_OF, years="2025-2027", by="department", employment_form="permanent",
                                totals=True)
    frame = sc.disclose(raw, min_count=5)
    ax = sc.plot.retirement_wave(frame)
    png_of(ax)
    columns = ["already_past", "2025", "2026", "2027"]
    published = frame[frame["department"] == "Total"].iloc[0]
    inner = frame[frame["department"] != "Total"]
    visible = inner[columns].apply(pd.to_numeric).fillna(0).sum().to_numpy()
    grey = [p.get_height() for p in bars(ax, "suppressed (protects small groups)")]
    # the hatched segment is what the suppressed cells add up to where the Total row shows it
    for c, v, g in zip(columns, visible, grey):
        if pd.notna(published[c]):
            assert g == published[c] - v
        else:  # the Total is hidden too: a short segment that does not show the size
            assert 0 < g < 0.05 * max(visible.max(), 1) + 1e-9
    assert sum(grey) > 0  # the sample does have small cells here
    assert all(p.get_hatch() == "///" for p in bars(ax, "suppressed (protects small groups)"))
    tops = [float(t.get_text().replace(",", "")) for t in ax.texts]
    assert tops == [published[c] for c in columns if pd.notna(published[c])]
    assert "suppressed (protects small groups)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_expected_retirements_wave(reg):
    frame = sc.expected_retirements(reg, AS_OF, years=3, by="department", totals=True)
    ax = frame.staffcast.plot()
    png_of(ax)
    totals = frame[frame["department"] == "Total"].sort_values("year")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025", "2026", "2027"]
    stacked = np.zeros(3)
    for department, group in frame[frame["department"] != "Total"].groupby("department"):
        heights = [p.get_height() for p in bars(ax, department)]
        assert heights == pytest.approx(group.sort_values("year")["total_expected"].tolist())
        stacked += heights
    assert stacked == pytest.approx(totals["total_expected"].to_numpy())  # the groups add up to the Total row
    assert frame.staffcast.key_figure() == ("Expected retirements", f"{round(totals['total_expected'].sum(), 1):,}")
    lines = ax.collections[0].get_segments()  # the error bars: p5..p95 of the Total row
    assert [seg[0][1] for seg in lines] == pytest.approx(totals["p5"].tolist())
    assert [seg[1][1] for seg in lines] == pytest.approx(totals["p95"].tolist())


def test_retirement_wave_by_hand():
    frame = pd.DataFrame({"department": ["A", "B"], "already_past": [1, 0], "2025": [2, 3], "2026": [0, 5],
                          "total": [3, 8]})
    ax = sc.plot.retirement_wave(frame, already_past=False, lang="sv")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025", "2026"]
    assert [p.get_height() for p in bars(ax, "B")] == [3, 5]
    assert [p.get_y() for p in bars(ax, "B")] == [2, 0]  # stacked on A
    with pytest.raises(ValueError, match="year columns"):
        sc.plot.retirement_wave(frame.drop(columns=["2025", "2026"]))


# ---------------------------------------------------------------- turnover


def test_turnover_by_age_band(reg):
    frame = sc.turnover(reg, "2023-10-01", AS_OF, by="age_band", totals=True, employment_form="permanent")
    ax = sc.plot.turnover(frame)
    png_of(ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "65+" and labels[-1] in ("15-19", "20-29")  # oldest on top of the list, youngest last
    widths = dict(zip(labels, (p.get_width() for p in ax.containers[0])))
    for band, value in frame[frame["age_band"] != "Total"][["age_band", "turnover"]].itertuples(index=False):
        assert widths[band] == pytest.approx(0 if np.isnan(value) else value)
    total = frame.loc[frame["age_band"] == "Total", "turnover"].iloc[0]
    assert ax.lines[0].get_xdata()[0] == pytest.approx(total)


def test_turnover_heat_map_by_position_and_age_band():
    frame = pd.DataFrame({"position": ["Utredare", "Utredare", "Socialsekreterare", "Socialsekreterare"],
                          "age_band": ["30-39", "20-29", "20-29", "30-39"],
                          "turnover": [0.10, 0.25, 0.30, np.nan]})
    ax = sc.plot.turnover(frame)
    png_of(ax)
    image = ax.images[0].get_array()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["20-29", "30-39"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Socialsekreterare", "Utredare"]
    assert image[0, 0] == pytest.approx(0.30) and image.mask[0, 1]
    assert image[1, 0] == pytest.approx(0.25) and image[1, 1] == pytest.approx(0.10)
    assert sorted(t.get_text() for t in ax.texts if t.get_text().endswith("%")) == ["10%", "25%", "30%"]


# ---------------------------------------------------------------- sick leave


def test_sick_leave_per_month_against_target(reg, sick):
    monthly = sc.periodic(sc.sick_leave, reg, "2023-10-01", AS_OF, "month", sick)
    assert len(monthly) == 12
    ax = sc.plot.sick_leave(monthly, target={"sick_rate": 0.06, "short_term_rate": 0.02})
    png_of(ax)
    sick_line, short_line = ax.lines[0], ax.lines[1]
    assert list(sick_line.get_ydata()) == pytest.approx(monthly["sick_rate"].tolist())
    assert list(short_line.get_ydata()) == pytest.approx(monthly["short_term_rate"].tolist())
    targets = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert [line.get_ydata()[0] for line in targets] == [0.06, 0.02]
    # months above target are ringed: as many rings as months over 6% and over 2%
    over = int((monthly["sick_rate"] > 0.06).sum() + (monthly["short_term_rate"] > 0.02).sum())
    assert sum(len(c.get_offsets()) for c in ax.collections) == over


def test_sick_leave_by_group_with_single_target(reg, sick):
    frame = sc.sick_leave(reg, sick, "2023-10-01", AS_OF, by="gender")
    ax = sc.plot.sick_leave(frame, target=0.06, lang="sv")
    png_of(ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Kvinnor", "Män", "Annat"]
    heights = [p.get_height() for p in ax.containers[0]]
    assert heights == pytest.approx(frame["sick_rate"].fillna(0).tolist())
    with pytest.raises(ValueError, match="target"):
        sc.plot.sick_leave(frame, target={"nonsense": 0.1})


# ---------------------------------------------------------------- recruitment need


def test_recruitment_need_uses_the_total_rows(reg):
    frame = sc.recruitment_need(reg, AS_OF, years=3, by="department", totals=True, employment_form="permanent")
    ax = sc.plot.recruitment_need(frame)
    png_of(ax)
    totals = frame[frame["department"] == "Total"].sort_values("year")
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(y) for y in totals["year"]]
    assert [p.get_height() for p in bars(ax, "Retirements")] == pytest.approx(totals["retirements"].tolist())
    assert [p.get_height() for p in bars(ax, "Other departures")] == pytest.approx(
        totals["other_departures"].tolist())
    assert list(ax.lines[0].get_ydata()) == pytest.approx(totals["recruitment_need"].tolist())


def test_recruitment_need_sums_groups_without_totals():
    frame = pd.DataFrame({"department": ["A", "B", "A", "B"], "year": [2025, 2025, 2026, 2026],
                          "start": [10, 20, 10, 20], "retirements": [1.0, 2.0, 0.5, 1.5],
                          "other_departures": [1.0, 1.0, 1.0, 1.0], "growth": [0.0, 0.0, 0.0, 0.0],
                          "recruitment_need": [2.0, 3.0, 1.5, 2.5], "end": [10, 20, 10, 20]})
    ax = sc.plot.recruitment_need(frame)
    assert [p.get_height() for p in bars(ax, "Retirements")] == [3.0, 2.0]
    assert list(ax.lines[0].get_ydata()) == [5.0, 4.0]


# ---------------------------------------------------------------- fan chart


def projection_frame() -> pd.DataFrame:
    """The projection contract: scenario, year, <by>, measure, mean, p5, p50, p95 (built by hand)."""
    rows = []
    for scenario, shift in (("baseline", 0.0), ("growth", 10.0)):
        for year in (2025, 2026, 2027):
            for department in ("A", "Total"):
                base = (100.0 if department == "Total" else 40.0) + shift * (year - 2024)
                for measure, scale in (("end", 1.0), ("recruits", 0.1)):
                    m = base * scale
                    rows.append((scenario, str(year), department, measure, m + 0.5, m - 5 * scale, m,
                                 m + 6 * scale))
    return pd.DataFrame(rows, columns=["scenario", "year", "department", "measure", "mean", "p5", "p50", "p95"])


def test_fan_chart_by_scenario():
    frame = projection_frame()
    ax = sc.plot.fan_chart(frame, by="scenario", measure="end")
    png_of(ax)
    assert [line.get_label() for line in ax.lines] == ["baseline", "growth"]
    # the Total rows are drawn (department holds two values), median as the line
    assert list(ax.lines[0].get_ydata()) == [100.0, 100.0, 100.0]
    assert list(ax.lines[1].get_ydata()) == [110.0, 120.0, 130.0]
    assert list(ax.lines[1].get_xdata()) == [2025, 2026, 2027]
    band = [c for c in ax.collections if isinstance(c, PolyCollection)][1]
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(105.0) and ys.max() == pytest.approx(136.0)  # p5 of 2025, p95 of 2027


def test_fan_chart_single_series_and_errors():
    frame = projection_frame()
    one = frame[(frame["scenario"] == "baseline") & (frame["department"] == "A")].drop(columns=["scenario"])
    ax = sc.plot.fan_chart(one, measure="recruits", lang="sv")
    assert list(ax.lines[0].get_ydata()) == pytest.approx([4.0, 4.0, 4.0])
    assert ax.get_ylabel() == "Rekryteringar"
    with pytest.raises(ValueError, match="no rows for measure 'gap'"):
        sc.plot.fan_chart(frame, measure="gap")
    two_groups = frame[frame["department"] == "A"].assign(department=lambda f: np.where(
        f["year"] == "2025", "A", "B"))
    with pytest.raises(ValueError, match="one group per fan"):
        sc.plot.fan_chart(two_groups, measure="end")
    with pytest.raises(ValueError, match="by='region'"):
        sc.plot.fan_chart(frame, by="region")


def test_fan_chart_of_a_deterministic_projection_draws_no_band():
    frame = projection_frame().assign(p5=np.nan, p95=np.nan)
    ax = sc.plot.fan_chart(frame, measure="end")
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(ax.lines) == 2


# ---------------------------------------------------------------- accessor and display


def test_accessor_dispatches_on_the_table(reg):
    pyramid = sc.snapshot(reg, AS_OF, by=["age_band", "gender"])
    assert pyramid.staffcast.table == "snapshot"
    assert pyramid.staffcast.plot().get_title() == "Age pyramid"
    wave = sc.retirement_outlook(reg, AS_OF, years=3, by="department")
    assert wave.staffcast.plot(lang="sv").get_title() == "Pensionsavgångar (65)"
    assert sc.turnover(reg, "2023-10-01", AS_OF, by="age_band").staffcast.plot().get_title() == "Turnover"
    assert sc.plot.plot(projection_frame()).get_ylabel() == "Staff at year end"
    with pytest.raises(ValueError, match="no plot for the table 'flows'"):
        sc.flows(reg, "2023-10-01", AS_OF).staffcast.plot()


def test_key_figures_and_html(reg):
    frame = sc.snapshot(reg, AS_OF, by="employment_form", totals=True)
    total = int(frame.loc[frame["employment_form"] == "Total", "headcount"].iloc[0])
    assert total == int(frame.loc[frame["employment_form"] != "Total", "headcount"].sum())
    assert frame.staffcast.key_figure() == ("Headcount", f"{total:,}")
    # without a Total row the headcount is the sum of the groups
    assert sc.snapshot(reg, AS_OF, by="gender").staffcast.key_figure() == ("Headcount", f"{total:,}")
    page = frame.staffcast._repr_html_()
    assert page.index(f"{total:,}") < page.index("<table")  # the key figure on top
    assert "<td>permanent</td>" in page
    t = sc.turnover(reg, "2023-10-01", AS_OF, employment_form="permanent")
    rate = t["turnover"].iloc[0]
    assert t.staffcast.key_figure() == ("Turnover", f"{100 * rate:.1f}%")
    swedish = f"{100 * rate:.1f}".replace(".", ",") + "\u00a0%"
    assert t.staffcast.key_figure(lang="sv") == ("Personalomsättning", swedish)
    copy = frame.staffcast.to_frame()
    assert copy.equals(frame) and copy.attrs["staffcast"]["table"] == "snapshot" and copy is not frame
    hidden = sc.retirement_outlook(reg, AS_OF, years=3, by="department", totals=True).staffcast.disclose(5)
    assert hidden.attrs["staffcast"]["min_count"] == 5


def test_register_sick_leave_and_indicators_render_html(reg, sick):
    ind = sc.read_indicators(SAMPLE / "indicators.csv")
    page = reg._repr_html_()
    employed = int(sc.snapshot(reg, reg.extracted_on)["headcount"].iloc[0])
    assert f"<strong>{employed:,}</strong> employed on {reg.extracted_on}" in page  # the key figure on top
    assert page.index(f"{employed:,}") < page.index("<table") and f"{reg.persons:,}" in page
    page = sick._repr_html_()
    assert "staffcast SickLeave" in page and f"{len(sick):,}" in page
    persons = sick.to_frame()["employee_id"].nunique()
    assert f"<td>{persons:,}</td>" in page
    page = ind._repr_html_()
    names = ind.to_frame()["indicator"].nunique()
    assert f"{len(ind):,} values of {names:,} indicators" in page


# ---------------------------------------------------------------- type stubs


def test_only_the_compiled_module_has_a_stub():
    """The pure-Python modules carry their annotations inline; a stub beside one would hide them
    from type checkers. _core (compiled) has _core.pyi."""
    from pathlib import Path

    package = Path(sc.__file__).parent
    assert (package / "py.typed").is_file()
    assert sorted(p.relative_to(package).as_posix() for p in package.rglob("*.pyi")) == ["_core.pyi"]


# ---------------------------------------------------------------- labels


def test_swedish_and_english_number_formats():
    from staffcast._i18n import localise, number, percent

    assert number(1102, "en") == "1,102" and number(1102, "sv") == "1\u202f102"
    assert number(44.25, "sv", 1) == "44,2" and number(1234567.5, "en", 1) == "1,234,567.5"
    assert percent(0.0532, "en") == "5.3%" and percent(0.0532, "sv") == "5,3\u00a0%"
    assert localise("12.5%", "sv") == "12,5\u00a0%" and localise("926.00", "sv") == "926,00"
    assert localise("2024-T2", "sv") == "2024-T2" and localise("12.5%", "en") == "12.5%"


def test_every_label_is_used_and_translated():
    from pathlib import Path

    from staffcast import _i18n

    source = "".join((Path(_i18n.__file__).parent / name).read_text(encoding="utf-8")
                     for name in ("plot.py", "_plot_common.py", "_plot_fan.py", "_plot_backtest.py", "_plot_plan.py", "report.py",
                                  "_report_sections.py",
                                  "_display.py"))
    unused = [key for key in _i18n._TEXT if f'"{key}"' not in source and f"'{key}'" not in source
              and not key.startswith("section.")]
    assert unused == []
    for key, (en, sv) in _i18n._TEXT.items():
        assert en and sv and (en != sv or key in ("report.title",)), key
    for name in ("staff", "flows", "sick", "retirements", "projection", "indicators"):
        assert _i18n.text(f"section.{name}", "en") != _i18n.text(f"section.{name}", "sv")
