"""The competence-supply plan as one self-contained HTML file.

``build_report`` computes the sections of the plan (staff today, flows and
turnover, sick leave against target, retirements and recruitment need for the
next three years, projection with scenarios, indicators with trend flags) and
returns the HTML: standard-library string templates with every text escaped,
plots embedded as base64 PNG, no external resources. ``write_report`` writes
it atomically (a temporary name in the same directory, then a rename), so an
interrupted run never leaves a half-finished file. Disclosure control
(DESIGN §8) is on by default: every table goes through
``sc.disclose(..., min_count=5)`` and sick leave through its own suppression.

Example:
    >>> import staffcast as sc
    >>> reg = sc.read_register("examples/data/employments.csv")
    >>> sick = sc.read_sick_leave("examples/data/sick_leave.csv", register=reg)
    >>> sc.write_report("report.html", reg, "2024-09-30", sick_leave=sick, lang="sv")
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Union

import pandas as pd

from . import _core
from . import statistics as stats
from ._display import html_table
from ._i18n import check_lang, column, number, percent, text
from .disclosure import disclose
from .register import DateLike, Indicators, Register, SickLeave, _iso

__all__ = ["build_report", "write_report", "key_figures", "SECTIONS", "add_commands"]

#: The section ids of the report, in order (each is an ``<h2 id=...>``).
SECTIONS = ("staff", "flows", "sick", "retirements", "projection", "indicators")

_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#1b2631;line-height:1.4}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #2471a3;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin-bottom:.3rem}.subtitle{color:#566573;margin-top:0}
.kf{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.kf div{border:1px solid #d5dbdb;border-radius:6px;padding:.6rem .9rem;min-width:9.5rem;background:#f8f9f9}
.kf .v{font-size:1.6rem;font-weight:bold}.kf .l{font-size:.85rem;color:#566573}.kf .n{font-size:.8rem;color:#922b21}
table.staffcast{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.88rem}
table.staffcast th,table.staffcast td{border-bottom:1px solid #e5e8e8;padding:.2rem .6rem;text-align:left}
table.staffcast td.num{text-align:right;font-variant-numeric:tabular-nums}table.staffcast td.flag{text-align:center}
table.staffcast tr.total td{font-weight:bold;border-top:1px solid #566573}
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eaeded}
figcaption,.note{font-size:.85rem;color:#566573}.warn{color:#922b21;font-weight:bold}
nav ol{columns:2}
"""


@dataclass
class _Context:
    register: Register
    as_of: str
    sick_leave: Optional[SickLeave]
    indicators: Optional[Indicators]
    lang: str
    min_cell: Optional[int]
    sick_target: float
    short_term_target: float
    projection_years: int
    retirement_age: int

    @property
    def year(self) -> int:
        return _dt.date.fromisoformat(self.as_of).year

    @property
    def period(self) -> tuple[str, str]:
        """The 12 months up to the as-of date."""
        return _core.years_ending(_dt.date.fromisoformat(self.as_of).isoformat(), 1)

    @property
    def years(self) -> list[int]:
        return [self.year + 1, self.year + 2, self.year + 3]

    def t(self, key: str, **values: Any) -> str:
        return text(key, self.lang, **values)

    def publish(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The table as published: disclosure control unless it was turned off."""
        return frame if self.min_cell is None else disclose(frame, min_count=self.min_cell)


# ---------------------------------------------------------------- building blocks


def _png(draw: Callable[[Any], Any], size: tuple[float, float] = (8.0, 4.5)) -> str:
    """Draws on a fresh Agg figure (no pyplot state) and returns the PNG as base64 text."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    ax = figure.add_subplot()
    draw(ax)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(ctx: _Context, draw: Callable[[Any], Any], caption: str, size: tuple[float, float] = (8.0, 4.5)) -> str:
    data = _png(draw, size)
    return (f"<figure><img alt='{html.escape(caption, quote=True)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _table(ctx: _Context, frame: pd.DataFrame, caption: str, columns: Optional[list[str]] = None) -> str:
    shown = frame if columns is None else frame[[c for c in columns if c in frame.columns]]
    if "suppressed" in frame.columns and columns is not None:  # name only the suppressed cells that are shown
        shown = shown.assign(suppressed=[";".join(n for n in str(names).split(";") if n in shown.columns)
                                         for names in frame["suppressed"].fillna("")])
    if "suppressed" in shown.columns and not shown["suppressed"].fillna("").astype(str).str.len().any():
        shown = shown.drop(columns=["suppressed"])
    shown.attrs = frame.attrs
    body = html_table(shown, lang=ctx.lang, max_rows=None) if len(shown) else f"<p>{ctx.t('report.empty')}</p>"
    return f"<h3>{html.escape(caption)}</h3>{body}"


def _p(content: str, css: str = "note") -> str:
    return f"<p class='{css}'>{html.escape(content)}</p>"


def _pct(ctx: "_Context", value: float) -> str:
    return "·" if pd.isna(value) else percent(value, ctx.lang)


def _count(ctx: _Context, value: float) -> str:
    """A count as published: below the disclosure threshold it shows as <K."""
    if pd.isna(value):
        return "·"
    if ctx.min_cell is not None and 1 <= value < ctx.min_cell:
        return f"<{ctx.min_cell}"
    return number(value, ctx.lang)


# ---------------------------------------------------------------- key figures


def _key_figures(ctx: _Context) -> list[dict[str, Any]]:
    """The key figures, read from the published (disclosed) tables: a figure whose count is suppressed is ·."""
    reg, as_of = ctx.register, ctx.as_of
    start, end = ctx.period
    figures: list[dict[str, Any]] = []

    def add(key: str, label: str, value: float, shown: str, note: str = "") -> None:
        figures.append({"key": key, "label": label, "value": value, "text": shown, "note": note})

    def cell(frame: pd.DataFrame, key: str, value: str, column_name: str) -> float:
        rows = frame.loc[frame[key].astype(str) == value, column_name]
        if not len(rows):
            return 0.0 if column_name == "headcount" else float("nan")
        number_ = pd.to_numeric(rows, errors="coerce").iloc[0]
        return float(number_) if pd.notna(number_) else float("nan")

    by_form = ctx.publish(stats.snapshot(reg, as_of, by="employment_form", totals=True))
    headcount = cell(by_form, "employment_form", "Total", "headcount")
    add("headcount", ctx.t("kf.headcount"), headcount, _count(ctx, headcount))
    permanent = cell(by_form, "employment_form", "permanent", "headcount")
    add("permanent", ctx.t("kf.permanent"), permanent, _count(ctx, permanent))
    by_gender = ctx.publish(stats.snapshot(reg, as_of, by="gender", totals=True))
    women = cell(by_gender, "gender", "F", "headcount")
    share = women / headcount if headcount else float("nan")
    add("women_share", ctx.t("kf.women_share"), share, _pct(ctx, share))
    mean_age = cell(by_form, "employment_form", "Total", "mean_age")
    add("mean_age", ctx.t("kf.mean_age"), mean_age, "·" if pd.isna(mean_age) else number(mean_age, ctx.lang, 1))
    turnover = ctx.publish(stats.turnover(reg, start, end, employment_form="permanent"))
    rate = float(pd.to_numeric(turnover["turnover"], errors="coerce").iloc[0])
    add("turnover", ctx.t("kf.turnover"), rate, _pct(ctx, rate))
    if ctx.sick_leave is not None:  # its own suppression: a staff of 10 or fewer shows none
        sick = stats.sick_leave(reg, ctx.sick_leave, start, end)
        value = float(sick["sick_rate"].iloc[0])
        note = ctx.t("kf.sick_target", target=_pct(ctx, ctx.sick_target))
        add("sick_rate", ctx.t("kf.sick"), value, _pct(ctx, value), note + (" ⚠" if value > ctx.sick_target else ""))
    outlook = stats.retirement_outlook(reg, as_of, years=ctx.years, age=ctx.retirement_age,
                                       employment_form="permanent")
    turning = float(sum(outlook[str(y)].iloc[0] for y in ctx.years))
    past = float(outlook["already_past"].iloc[0])
    add("retirements", ctx.t("kf.retirements", age=ctx.retirement_age), turning, _count(ctx, turning),
        ctx.t("kf.already_past", n=_count(ctx, past), age=ctx.retirement_age))
    need = stats.recruitment_need(reg, as_of, years=ctx.years, employment_form="permanent")
    total_need = float(need["recruitment_need"].sum())
    add("recruitment_need", ctx.t("kf.need"), total_need, _count(ctx, round(total_need)))
    return figures


def key_figures(register: Register, as_of: Optional[DateLike] = None, *, sick_leave: Optional[SickLeave] = None,
                lang: str = "en", min_cell: Optional[int] = 5, sick_target: float = 0.06,
                retirement_age: int = 65) -> pd.DataFrame:
    """The report's key figures as a frame: ``key, label, value, text, note``.

    headcount, permanent, women_share, mean_age, turnover (permanent staff, the
    12 months up to ``as_of``), sick_rate (when ``sick_leave`` is given),
    retirements (permanent staff reaching ``retirement_age`` in the next three
    years) and recruitment_need (the next three years). ``text`` is as the
    report prints it (counts below ``min_cell`` as ``<5``).

    Example:
        >>> sc.report.key_figures(reg, "2024-09-30", sick_leave=sick)[["label", "text"]]
    """
    ctx = _context(register, as_of, sick_leave, None, lang, min_cell, sick_target, 0.02, 5, retirement_age)
    return pd.DataFrame(_key_figures(ctx), columns=["key", "label", "value", "text", "note"])


def _key_figures_html(ctx: _Context, figures: list[dict[str, Any]]) -> str:
    cells = []
    for figure in figures:
        note = f"<span class='n'>{html.escape(figure['note'])}</span>" if figure["note"] else ""
        cells.append(f"<div id='kf-{figure['key']}'><span class='v'>{html.escape(figure['text'])}</span><br>"
                     f"<span class='l'>{html.escape(figure['label'])}</span><br>{note}</div>")
    return f"<section id='key-figures'><h2>{html.escape(ctx.t('report.key_figures'))}</h2>" \
           f"<div class='kf'>{''.join(cells)}</div></section>"


# ---------------------------------------------------------------- sections


def _staff_section(ctx: _Context) -> str:
    from . import plot

    reg, as_of = ctx.register, ctx.as_of
    parts = [_table(ctx, ctx.publish(stats.snapshot(reg, as_of, by="employment_form", totals=True)),
                    ctx.t("table.by_form", as_of=as_of))]
    pyramid = ctx.publish(stats.snapshot(reg, as_of, by=["age_band", "gender"]))
    parts.append(_figure(ctx, lambda ax: plot.age_pyramid(pyramid, ax=ax, lang=ctx.lang,
                                                            retirement_age=ctx.retirement_age),
                         f"{text('plot.pyramid', ctx.lang)}, {as_of}", (8.0, 5.0)))
    top = ctx.publish(stats.top_positions(reg, as_of, n=10, employment_form="permanent"))
    parts.append(_table(ctx, top, ctx.t("table.top_positions"), ["position", "headcount", "fte", "mean_age"]))
    full = ctx.publish(stats.full_time(reg, as_of, by="gender", totals=True))
    parts.append(_table(ctx, full, ctx.t("table.full_time")))
    return "".join(parts)


def _flows_section(ctx: _Context) -> str:
    from . import plot

    reg = ctx.register
    start, end = ctx.period
    parts = [_table(ctx, ctx.publish(stats.flows(reg, start, end, by="department", totals=True,
                                                 employment_form="permanent")),
                    ctx.t("table.flows", start=start, end=end))]
    parts.append(_table(ctx, ctx.publish(stats.departures(reg, start, end, employment_form="permanent")),
                        ctx.t("table.departures")))
    parts.append(_table(ctx, ctx.publish(stats.recruitments(reg, start, end, employment_form="permanent")),
                        ctx.t("table.recruitments")))
    by_band = stats.turnover(reg, start, end, by="age_band", totals=True, employment_form="permanent",
                             compare="previous-year")
    published = ctx.publish(by_band)
    parts.append(_table(ctx, published, ctx.t("table.turnover", start=start, end=end),
                        ["age_band", "average_headcount", "recruitments", "departures", "turnover", "turnover_prev"]))
    band_frame = published[[c for c in published.columns if not c.endswith(("_prev", "_diff", "_pct"))]]
    band_frame.attrs = published.attrs
    parts.append(_figure(ctx, lambda ax: plot.turnover(band_frame, ax=ax, lang=ctx.lang),
                         f"{text('plot.turnover', ctx.lang)} · {column('age_band', ctx.lang)}", (8.0, 4.0)))
    by_position = ctx.publish(stats.turnover(reg, start, end, by="position", totals=True,
                                             employment_form="permanent"))
    published_rows = by_position[by_position["turnover"].notna()]  # suppressed positions are left out of the plot
    published_rows.attrs = by_position.attrs
    by_position = published_rows
    parts.append(_figure(ctx, lambda ax: plot.turnover(by_position, ax=ax, lang=ctx.lang),
                         f"{text('plot.turnover', ctx.lang)} · {column('position', ctx.lang)}",
                         (8.0, 0.32 * len(by_position) + 1.8)))
    return "".join(parts)


def _sick_section(ctx: _Context) -> str:
    from . import plot

    if ctx.sick_leave is None:
        return _p(ctx.t("report.missing_sick"))
    reg = ctx.register
    start, end = ctx.period
    monthly_start = _dt.date.fromisoformat(_core.history_window(reg._core, end, 2)[0])  # two years, observed
    targets = {"sick_rate": ctx.sick_target, "short_term_rate": ctx.short_term_target}
    monthly = stats.periodic(stats.sick_leave, reg, monthly_start.isoformat(), end, "month", ctx.sick_leave)
    parts = [_figure(ctx, lambda ax: plot.sick_leave(monthly, target=targets, ax=ax, lang=ctx.lang),
                     f"{text('plot.sick', ctx.lang)}, {monthly_start.isoformat()} – {end}", (8.5, 4.2))]
    overall = stats.against_targets(stats.sick_leave(reg, ctx.sick_leave, start, end), targets)
    parts.append(_table(ctx, overall, f"{text('plot.sick', ctx.lang)}, {start} – {end}",
                        ["persons", "sick_rate", "sick_rate_target", "short_term_rate", "short_term_rate_target",
                         "from_day_60_rate", "long_term_share"]))
    groups = stats.sick_leave(reg, ctx.sick_leave, start, end, by=["gender", "age_band"], age_bands="statutory",
                              totals=True)
    parts.append(_table(ctx, ctx.publish(groups), ctx.t("table.sick", start=start, end=end),
                        ["gender", "age_band", "persons", "sick_rate", "short_term_rate", "from_day_60_rate",
                         "long_term_share"]))
    return "".join(parts)


def _retirements_section(ctx: _Context) -> str:
    from . import plot

    reg, as_of = ctx.register, ctx.as_of
    outlook = ctx.publish(stats.retirement_outlook(reg, as_of, years=ctx.years, age=ctx.retirement_age,
                                                   by="department", employment_form="permanent", totals=True))
    parts = [_table(ctx, outlook, ctx.t("table.retirements", age=ctx.retirement_age)),
             _p(ctx.t("note.retirement_uncertain"))]
    parts.append(_figure(ctx, lambda ax: plot.retirement_wave(outlook, ax=ax, lang=ctx.lang),
                         f"{text('plot.wave', ctx.lang)} ({ctx.retirement_age})", (8.5, 4.5)))
    need = stats.recruitment_need(reg, as_of, years=ctx.years, by="department", totals=True,
                                  employment_form="permanent")
    totals = need[need["department"] == "Total"].drop(columns=["department"]).reset_index(drop=True)
    totals.attrs = need.attrs
    parts.append(_table(ctx, totals, ctx.t("table.need")))
    parts.append(_figure(ctx, lambda ax: plot.recruitment_need(need, ax=ax, lang=ctx.lang),
                         text("plot.need", ctx.lang), (7.5, 4.0)))
    return "".join(parts)


def _scenarios(ctx: _Context) -> list[tuple[str, dict[str, Any]]]:
    sv = ctx.lang == "sv"
    return [
        ("Basscenario" if sv else "Baseline", {}),
        ("Personalomsättning −20 %" if sv else "Turnover −20%", {"turnover_factor": 0.8}),
        ("Pension två år senare" if sv else "Retire two years later", {"retirement_age_shift": 2}),
    ]


def _projection_frame(ctx: _Context) -> tuple[pd.DataFrame, str]:
    """The projection as the long frame ``scenario, year, measure, mean, p5, p50, p95`` and a note.

    The integrator's switch: when the projection engine is there
    (``sc.compare``), it runs the scenarios as a microsimulation; until then the
    deterministic recruitment-need model gives the same three scenarios, with
    ``p50 = mean`` and no band.
    """
    import staffcast as sc

    if hasattr(sc, "compare"):
        scenarios = []
        for name, overrides in _scenarios(ctx):  # DESIGN §4 scenario keys
            keys = {k: v for k, v in overrides.items() if k != "turnover_factor"}
            if "turnover_factor" in overrides:
                keys["rate_multipliers"] = [{"where": {}, "factor": overrides["turnover_factor"]}]
            scenarios.append(sc.Scenario(name, **keys))
        result = sc.compare(ctx.register, scenarios, years=ctx.projection_years, replicates=200, seed=0,
                            as_of=ctx.as_of, employment_form="permanent")
        return result.to_frame(), ctx.t("note.projection_sim")
    frames = []
    for name, overrides in _scenarios(ctx):
        need = stats.recruitment_need(ctx.register, ctx.as_of, years=ctx.projection_years,
                                      employment_form="permanent", **overrides)
        for measure, source in (("recruits", "recruitment_need"), ("retirements", "retirements"),
                                ("other_exits", "other_departures"), ("end", "end"), ("start", "start")):
            frames.append(pd.DataFrame({"scenario": name, "year": need["year"].astype(int), "measure": measure,
                                        "mean": need[source].astype(float), "p5": float("nan"),
                                        "p50": need[source].astype(float), "p95": float("nan")}))
    return pd.concat(frames, ignore_index=True), ctx.t("note.projection_fallback")


def _projection_section(ctx: _Context) -> str:
    """Projection with scenarios: a fan chart of the recruits per scenario and the table behind it."""
    from . import plot

    frame, note = _projection_frame(ctx)
    parts = [_p(note)]
    parts.append(_figure(ctx, lambda ax: plot.fan_chart(frame, by="scenario", measure="recruits", ax=ax,
                                                          lang=ctx.lang),
                         f"{text('plot.fan', ctx.lang)}: {column('recruits', ctx.lang).lower()}", (8.0, 4.2)))
    recruits = frame[frame["measure"] == "recruits"]
    centre = recruits["p50"].where(recruits["p50"].notna(), recruits["mean"])
    wide = (recruits.assign(value=centre, year=recruits["year"].astype(str))
            .pivot_table(index="scenario", columns="year", values="value", aggfunc="first", sort=False))
    wide = wide.reindex([name for name, _ in _scenarios(ctx) if name in wide.index] or list(wide.index))
    wide["total"] = wide.sum(axis=1)
    table = wide.reset_index()
    table.attrs["staffcast"] = {"table": "scenarios", "kinds": {"scenario": "key",
                                                                  **{c: "number" for c in table.columns[1:]}}}
    rounded = table.copy()
    rounded.attrs = table.attrs
    for c in rounded.columns[1:]:
        rounded[c] = rounded[c].round(0)
    parts.append(_table(ctx, rounded, ctx.t("table.scenarios")))
    return "".join(parts)


def _indicators_section(ctx: _Context) -> str:
    if ctx.indicators is None:
        return _p(ctx.t("report.missing_indicators"))
    followup = stats.indicator_followup(ctx.indicators)
    return _table(ctx, followup, ctx.t("table.indicators"),
                  ["indicator", "unit_of_analysis", "period", "value", "target", "previous", "change",
                   "target_missed", "trend_wrong"])


_BUILDERS: dict[str, Callable[[_Context], str]] = {
    "staff": _staff_section,
    "flows": _flows_section,
    "sick": _sick_section,
    "retirements": _retirements_section,
    "projection": _projection_section,
    "indicators": _indicators_section,
}


# ---------------------------------------------------------------- the document


def _context(register: Register, as_of: Optional[DateLike], sick_leave: Optional[SickLeave],
             indicators: Optional[Indicators], lang: str, min_cell: Optional[int], sick_target: float,
             short_term_target: float, projection_years: int, retirement_age: int) -> _Context:
    check_lang(lang)
    if not isinstance(register, Register):
        raise TypeError(f"expected a staffcast.Register, got {type(register).__name__}")
    if sick_leave is not None and not isinstance(sick_leave, SickLeave):
        raise TypeError(f"sick_leave must be a staffcast.SickLeave, got {type(sick_leave).__name__}")
    if indicators is not None and not isinstance(indicators, Indicators):
        raise TypeError(f"indicators must be a staffcast.Indicators, got {type(indicators).__name__}")
    if min_cell is not None and min_cell < 1:
        raise ValueError("min_cell must be at least 1 (or None to turn disclosure control off)")
    if not 1 <= int(projection_years) <= 10:
        raise ValueError("projection_years must be between 1 and 10")
    for name, value in (("sick_target", sick_target), ("short_term_target", short_term_target)):
        if not 0 <= value <= 1:
            raise ValueError(f"{name} is a share between 0 and 1, got {value}")
    day = _iso(as_of) if as_of is not None else register.extracted_on.isoformat()
    try:
        _dt.date.fromisoformat(day)
    except ValueError as error:
        raise ValueError(f"the as-of date {day!r} is not a valid date (YYYY-MM-DD): {error}") from None
    return _Context(register, day, sick_leave, indicators, lang, min_cell, float(sick_target),
                    float(short_term_target), int(projection_years), int(retirement_age))


def build_report(register: Register, as_of: Optional[DateLike] = None, *, sick_leave: Optional[SickLeave] = None,
                 indicators: Optional[Indicators] = None, lang: str = "en", min_cell: Optional[int] = 5,
                 sick_target: float = 0.06, short_term_target: float = 0.02, projection_years: int = 5,
                 retirement_age: int = 65, title: Optional[str] = None) -> str:
    """The plan as one self-contained HTML document (a string).

    Sections (``<h2 id=...>``, see :data:`SECTIONS`): staff today, flows and
    turnover, sick leave against target, retirements and recruitment need for
    the next three years, projection with scenarios, indicators with trend
    flags, below the key figures. ``as_of`` defaults to the register's
    extraction date; the period statistics cover the 12 months up to it.
    ``min_cell`` (5) is the disclosure threshold; ``None`` turns disclosure
    control off (internal use only; the report then says so on top). Labels in
    English or Swedish (``lang``).

    Example:
        >>> page = sc.build_report(reg, "2024-09-30", sick_leave=sick, indicators=ind, lang="sv")
    """
    ctx = _context(register, as_of, sick_leave, indicators, lang, min_cell, sick_target, short_term_target,
                   projection_years, retirement_age)
    heading = title or ctx.t("report.title")
    figures = _key_figures(ctx)
    body = [f"<h1>{html.escape(heading)}</h1>", _p(ctx.t("report.subtitle", as_of=ctx.as_of), "subtitle")]
    if ctx.min_cell is None:
        body.append(_p(ctx.t("report.no_disclosure"), "warn"))
    toc = "".join(f"<li><a href='#{key}'>{html.escape(ctx.t('section.' + key))}</a></li>" for key in SECTIONS)
    body.append(_key_figures_html(ctx, figures))
    body.append(f"<nav><h3>{html.escape(ctx.t('report.contents'))}</h3><ol>{toc}</ol></nav>")
    for key in SECTIONS:
        body.append(f"<section><h2 id='{key}'>{html.escape(ctx.t('section.' + key))}</h2>{_BUILDERS[key](ctx)}"
                    "</section>")
    from . import __version__ as _version

    footer = [ctx.t("report.generated", version=_version, register=os.path.basename(register.label))]
    if ctx.min_cell is not None:
        footer.append(ctx.t("report.disclosure", k_minus=ctx.min_cell - 1) + " " + ctx.t("report.suppressed_note"))
    body.append("<footer>" + "".join(_p(line) for line in footer) + "</footer>")
    return ("<!DOCTYPE html>\n"
            f"<html lang='{ctx.lang}'><head><meta charset='utf-8'>"
            f"<meta name='generator' content='staffcast {html.escape(_version)}'>"
            f"<title>{html.escape(heading)} {html.escape(ctx.as_of)}</title><style>{_CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")


def write_report(path: Union[str, os.PathLike], register: Register, as_of: Optional[DateLike] = None, *,
                 sick_leave: Optional[SickLeave] = None, indicators: Optional[Indicators] = None, lang: str = "en",
                 min_cell: Optional[int] = 5, sick_target: float = 0.06, short_term_target: float = 0.02,
                 projection_years: int = 5, retirement_age: int = 65, title: Optional[str] = None) -> Path:
    """Builds the report (see :func:`build_report` for the options) and writes it to ``path`` atomically.

    Everything is computed and rendered before anything is written; the file is
    written to a temporary name in the same directory and renamed, so a failed
    or interrupted run leaves the previous file as it was.

    Example:
        >>> sc.write_report("plan.html", reg, "2024-09-30", sick_leave=sick, indicators=ind)
    """
    from .cli import _atomic_write

    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a directory; give the report's file name")
    if not target.parent.exists():
        raise FileNotFoundError(f"the directory {target.parent} does not exist")
    page = build_report(register, as_of, sick_leave=sick_leave, indicators=indicators, lang=lang, min_cell=min_cell,
                        sick_target=sick_target, short_term_target=short_term_target,
                        projection_years=projection_years, retirement_age=retirement_age, title=title)
    _atomic_write(str(target), page)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(target, 0o666 & ~umask)  # a report is for reading (the temporary file was private)
    return target


# ---------------------------------------------------------------- command line


def _cmd_report(args: Any) -> int:
    import sys

    from .cli import UsageError, _read_register
    from .register import read_indicators, read_sick_leave

    if args.out is None:
        raise UsageError("report needs --out FILE.html")
    if args.min_cell is not None and args.no_disclosure:
        raise UsageError("--min-cell and --no-disclosure contradict each other")
    reg = _read_register(args)
    sick = read_sick_leave(args.sick_leave, register=reg) if args.sick_leave else None
    indicators = read_indicators(args.indicators) if args.indicators else None
    min_cell = None if args.no_disclosure else (args.min_cell if args.min_cell is not None else 5)
    as_of = args.as_of or reg.extracted_on.isoformat()
    path = write_report(args.out, reg, as_of, sick_leave=sick, indicators=indicators, lang=args.lang,
                        min_cell=min_cell, sick_target=args.target, short_term_target=args.short_term_target,
                        projection_years=args.projection_years)
    sys.stdout.write(f"wrote {path} ({path.stat().st_size:,} bytes)\n")
    if min_cell is None:
        sys.stderr.write("staffcast report: warning: disclosure control is off; do not publish this report\n")
    return 0


def add_commands(add: Callable[..., Any], common: Callable[..., None]) -> None:
    """Registers the ``report`` subcommand (called by the CLI's parser)."""
    sub = add("report", _cmd_report, "The competence-supply plan as one self-contained HTML file.")
    sub.add_argument("register", help="employments CSV, .xlsx or saved register")
    sub.add_argument("--as-of", dest="as_of", metavar="D", help="the day of the plan (default: extraction date)")
    sub.add_argument("--out", metavar="FILE.html", help="the report to write")
    sub.add_argument("--lang", choices=["en", "sv"], default="en", help="labels in English or Swedish")
    sub.add_argument("--sick-leave", dest="sick_leave", metavar="FILE", help="sick-leave CSV")
    sub.add_argument("--indicators", metavar="FILE", help="indicators CSV")
    sub.add_argument("--min-cell", type=int, metavar="K", help="suppress counts below K (default 5)")
    sub.add_argument("--no-disclosure", action="store_true", help="no disclosure control (internal use only)")
    sub.add_argument("--target", type=float, default=0.06, metavar="RATE", help="sick-leave target (default 0.06)")
    sub.add_argument("--short-term-target", type=float, default=0.02, metavar="RATE",
                     help="target for days 1-14 (default 0.02)")
    sub.add_argument("--projection-years", type=int, default=5, metavar="N", help="years projected (default 5)")
    sub.add_argument("--extracted-on", metavar="D", help="day the register was extracted")
    sub.add_argument("--mapping", metavar="FILE", help="TOML column/code mapping for the register")
    sub.add_argument("--dimension", action="append", metavar="NAME", help="pass-through column to keep")
