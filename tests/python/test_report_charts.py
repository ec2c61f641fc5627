"""The report's charts as drawn: numbers written the Swedish way in the Swedish report, suppressed cells
hatched alike with a legend entry, no text on top of other text or cut off at the edge, and the projection's
bands one panel each."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import staffcast as sc  # noqa: E402
from staffcast import _report_sections  # noqa: E402
from staffcast._plot_common import SUPPRESSED_STYLE, plain  # noqa: E402
from conftest import SAMPLE  # noqa: E402

AS_OF = "2024-09-30"
SUPPRESSED_SV = "dolt (skyddar små grupper)"


@pytest.fixture(scope="module")
def figures():
    """Every figure of the Swedish report of the sample, in the order of the page."""
    reg = sc.read_register(SAMPLE / "employments.csv")
    sick = sc.read_sick_leave(SAMPLE / "sick_leave.csv", register=reg)
    ind = sc.read_indicators(SAMPLE / "indicators.csv")
    drawn = []
    original = _report_sections._render

    def keep(draw, size=(8.0, 4.5), whole=False):
        figure = original(draw, size, whole)
        drawn.append(figure)
        return figure

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_report_sections, "_render", keep)
        sc.build_report(reg, AS_OF, sick_leave=sick, indicators=ind, lang="sv")
    for figure in drawn:
        FigureCanvasAgg(figure).draw()
    return drawn


def _texts(figure):
    """Every text drawn on the figure: titles, axis labels, tick labels in view, annotations, legends."""
    out = list(figure.texts)  # the suptitle is one of them
    for ax in figure.axes:
        if not ax.get_visible():
            continue
        out += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis._update_ticks():
                out += [label for label in (tick.label1, tick.label2) if label.get_visible()]
        legend = ax.get_legend()
        if legend is not None:
            out += [legend.get_title(), *legend.get_texts()]
    unique = list({id(t): t for t in out}.values())
    return [t for t in unique if t.get_visible() and t.get_text().strip()]


def _axes_titled(figures, title):
    found = [ax for figure in figures for ax in figure.axes if ax.get_title() == title]
    assert found, [ax.get_title() for figure in figures for ax in figure.axes]
    return found[0]


def _hatched(ax):
    return [p for p in ax.patches if p.get_hatch() == SUPPRESSED_STYLE["hatch"]]


def _legend_texts(ax):
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend is not None else []


def test_numbers_in_the_swedish_charts_have_decimal_commas(figures):
    assert len(figures) == 8  # staff, flows (2), sick leave, retirements, need, projection, backtest
    for figure in figures:
        for t in _texts(figure):
            assert not re.search(r"\d\.\d", t.get_text()), t.get_text()  # no decimal point anywhere
    need = _axes_titled(figures, "Rekryteringsbehov")
    labels = [t.get_text() for t in need.texts]
    assert labels and all(re.fullmatch(r"\d+,\d", label) for label in labels), labels
    turnover = _axes_titled(figures, "Personalomsättning")
    ticks = [t.get_text() for t in turnover.get_xticklabels() if t.get_text()]
    assert ticks and all(re.fullmatch(r"\d+(,\d)?\u00a0%", tick) for tick in ticks), ticks
    values = [t.get_text() for t in turnover.texts]
    assert values and all(re.fullmatch(r" \d+,\d\u00a0%", value) for value in values), values
    assert plain(1234.5, "sv") == "1\u202f234,5" and plain(1234.5, "en") == "1,234.5"


def test_suppressed_cells_are_hatched_alike_with_a_legend_entry(figures):
    reg = sc.read_register(SAMPLE / "employments.csv")
    pyramid_frame = sc.disclose(sc.snapshot(reg, AS_OF, by=["age_band", "gender"]), min_count=5)
    hidden = int(pyramid_frame["headcount"].isna().sum())
    assert hidden >= 1  # the sample has small cells (e.g. 65+)
    pyramid = _axes_titled(figures, "Ålderspyramid")
    assert len(_hatched(pyramid)) == hidden
    seen = 0
    for figure in figures:
        for ax in figure.axes:
            hatched = _hatched(ax)
            if hatched:
                seen += 1
                assert SUPPRESSED_SV in _legend_texts(ax), ax.get_title()
                for patch in hatched:  # one look: same fill, edge and hatch as the style
                    assert matplotlib.colors.to_hex(patch.get_facecolor()) == SUPPRESSED_STYLE["facecolor"]
                    assert matplotlib.colors.to_hex(patch.get_edgecolor()) == SUPPRESSED_STYLE["edgecolor"]
    assert seen >= 2  # the pyramid and at least one more chart have suppressed cells
    for figure in figures:
        assert not any(t.get_text() == "vissa celler dolda" for t in _texts(figure))


def test_no_text_overlaps_other_text_or_leaves_the_figure(figures):
    for figure in figures:
        renderer = figure.canvas.get_renderer()
        edge = figure.bbox
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _texts(figure)]
        for text, box in boxes:
            assert box.x0 >= edge.x0 - 1 and box.x1 <= edge.x1 + 1, (text, box, edge)
            assert box.y0 >= edge.y0 - 1 and box.y1 <= edge.y1 + 1, (text, box, edge)
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1:]:
                width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
                height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
                assert width <= 1 or height <= 1, (a, b)


def test_projection_bands_have_a_panel_each(figures):
    projection = next(figure for figure in figures
                      if any(ax.get_title() == "Basscenario" for ax in figure.axes))
    panels = [ax for ax in projection.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == ["Basscenario", "Personalomsättning −20 %",
                                                 "Pension två år senare"]
    for ax in panels:
        bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
        assert len(bands) == 1  # one 5-95 % band per panel, nothing on top of it
    assert len({ax.get_ylim() for ax in panels}) == 1  # one shared scale
    assert not any(isinstance(p, Rectangle) and p.get_hatch() for ax in panels for p in ax.patches)
