"""The report's parts: its options (``_Context``), the building blocks (tables, figures,
notes) and the section builders. :mod:`staffcast.report` puts them together."""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
from dataclasses import dataclass
from typing import Any, Callable, Optional

import pandas as pd

from . import _core
from . import plot
from . import statistics as stats
from ._dates import DateLike, _iso
from ._display import html_table
from ._i18n import check_lang, column, number, percent, text
from .backtest import MODELS, backtest, cut_register
from .disclosure import disclose
from .register import Indicators, Register, SickLeave
from .scenario import Scenario
from .scenario_comparison import compare


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

    def publish(self, frame: pd.DataFrame, keep_totals: Any = True) -> pd.DataFrame:
        """The table as published: disclosure control unless it was turned off. The ``Total`` rows
        stay (``keep_totals``), as the key figures publish them too, except where named otherwise."""
        if self.min_cell is None:
            return frame
        return disclose(frame, min_count=self.min_cell, keep_totals=keep_totals)



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
    given = _iso(as_of)
    day = _core.plan_day(register._core, given)  # the as-of date given, else the extraction date (C++ plan rule)
    return _Context(register, day, sick_leave, indicators, lang, min_cell, float(sick_target),
                    float(short_term_target), int(projection_years), int(retirement_age))


# ---------------------------------------------------------------- building blocks


def _render(draw: Callable[[Any], Any], size: tuple[float, float] = (8.0, 4.5), whole: bool = False) -> Any:
    """Draws on a fresh Agg figure (no pyplot state) and returns it; ``draw`` gets the figure's one
    Axes, or with ``whole`` the figure itself."""
    from matplotlib.figure import Figure  # matplotlib loads only when a report is drawn

    figure = Figure(figsize=size, layout="constrained")
    draw(figure if whole else figure.add_subplot())
    return figure


def _png(draw: Callable[[Any], Any], size: tuple[float, float] = (8.0, 4.5), whole: bool = False) -> str:
    """The figure ``draw`` makes (see :func:`_render`) as PNG, in base64 text."""
    figure = _render(draw, size, whole)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(ctx: _Context, draw: Callable[[Any], Any], caption: str, size: tuple[float, float] = (8.0, 4.5),
            whole: bool = False) -> str:
    data = _png(draw, size, whole)
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
    return f"<h3>{html.escape(caption)}</h3>{body}{_suppression_note(ctx, frame)}"


def _suppression_note(ctx: _Context, frame: pd.DataFrame) -> str:
    """What disclosure control hid in a table, and why: a sentence under it (nothing when nothing is hidden)."""
    done = frame.attrs.get("staffcast", {}).get("disclosure")
    if not done or not (done["primary_cells"] or done["secondary_cells"]):
        return ""
    values = {"primary": done["primary_cells"], "k": done["min_count"], "secondary": done["secondary_cells"],
              "persons": number(done["secondary_persons"], ctx.lang)}
    key = "note.hidden_secondary" if done["secondary_cells"] else "note.hidden_primary"
    return _p(ctx.t(key, **values))


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


# ---------------------------------------------------------------- sections


def _staff_section(ctx: _Context) -> str:
    reg, as_of = ctx.register, ctx.as_of
    parts = [_table(ctx, ctx.publish(stats.snapshot(reg, as_of, by="employment_form", totals=True)),
                    ctx.t("table.by_form", as_of=as_of))]
    pyramid = ctx.publish(stats.snapshot(reg, as_of, by=["age_band", "gender"]))
    parts.append(_figure(ctx, lambda ax: plot.age_pyramid(pyramid, ax=ax, lang=ctx.lang,
                                                            retirement_age=ctx.retirement_age),
                         f"{text('plot.pyramid', ctx.lang)}, {as_of}", (8.0, 5.0)))
    top = ctx.publish(stats.top_positions(reg, as_of, n=10, employment_form="permanent"))
    parts.append(_table(ctx, top, ctx.t("table.top_positions"), ["position", "headcount", "fte", "mean_age"]))
    # the total of persons is the headcount of the key figures; the full- and part-time totals may go
    full = ctx.publish(stats.full_time(reg, as_of, by="gender", totals=True), keep_totals=["persons"])
    parts.append(_table(ctx, full, ctx.t("table.full_time")))
    return "".join(parts)


def _flows_section(ctx: _Context) -> str:
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
    parts.append(_figure(ctx, lambda ax: plot.turnover(by_position, ax=ax, lang=ctx.lang),
                         f"{text('plot.turnover', ctx.lang)} · {column('position', ctx.lang)}",
                         (8.0, 0.32 * len(by_position) + 1.8)))
    return "".join(parts)


def _sick_section(ctx: _Context) -> str:
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
    reg, as_of = ctx.register, ctx.as_of
    outlook = ctx.publish(stats.retirement_outlook(reg, as_of, years=ctx.years, age=ctx.retirement_age,
                                                   by="department", employment_form="permanent", totals=True))
    parts = [_table(ctx, outlook, ctx.t("table.retirements", age=ctx.retirement_age)),
             _p(ctx.t("note.retirement_uncertain"))]
    parts.append(_figure(ctx, lambda ax: plot.retirement_wave(outlook, ax=ax, lang=ctx.lang),
                         f"{text('plot.wave', ctx.lang)} ({ctx.retirement_age})", (8.5, 4.5)))
    need = stats.recruitment_need(reg, as_of, years=ctx.years, by="department", totals=True,
                                  employment_form="permanent")
    parts.append(_table(ctx, _need_table(ctx, need), ctx.t("table.need")))
    parts.append(_p(ctx.t("note.need_model", as_of=as_of, total=number(_need_figures(need)[1], ctx.lang, 1))))
    parts.append(_figure(ctx, lambda ax: plot.recruitment_need(need, ax=ax, lang=ctx.lang),
                         text("plot.need", ctx.lang), (7.5, 4.0)))
    return "".join(parts)


def _need_figures(need: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """The recruitment need as the report shows it: the Total rows (the whole population's own
    figures) with one decimal, and the figure for all the years, the sum of the yearly figures shown."""
    keys = [c for c in need.columns if c not in ("year",) and need[c].dtype == object and c != "suppressed"]
    rows = need[need[keys[0]].astype(str) == "Total"] if keys else need
    rows = rows.drop(columns=keys).reset_index(drop=True)
    rounded = rows.copy()
    for c in ("start", "retirements", "other_departures", "growth", "recruitment_need", "end"):
        rounded[c] = rounded[c].astype("float64").round(1)
    return rounded, round(float(rounded["recruitment_need"].sum()), 1)


def need_total(register: Register, as_of: str, years: list[int]) -> float:
    """The report's recruitment need over ``years`` (permanent staff): the sum of the yearly figures
    with one decimal, as the key figure, the table and the chart show it."""
    need = stats.recruitment_need(register, as_of, years=years, employment_form="permanent")
    return _need_figures(need)[1]


def _need_table(ctx: _Context, need: pd.DataFrame) -> pd.DataFrame:
    """The Total rows per year with one decimal, then the sum over the years of the flows."""
    rounded, total = _need_figures(need)
    flows = ["retirements", "other_departures", "growth", "recruitment_need"]
    table = pd.DataFrame({"year": [*rounded["year"].astype(str), "Total"]})
    for c in ("start", *flows, "end"):
        cells = [f"{v:.1f}" for v in rounded[c]]
        if c in flows:
            cells.append(f"{total:.1f}" if c == "recruitment_need" else f"{rounded[c].sum():.1f}")
        else:
            cells.append("")
        table[c] = pd.Series(cells, dtype=object)
    table.attrs["staffcast"] = {"table": "recruitment_need",
                                "kinds": {"year": "key", **{c: "number" for c in table.columns[1:]}}}
    return table


def _scenarios(ctx: _Context) -> list[tuple[str, dict[str, Any]]]:
    sv = ctx.lang == "sv"
    return [
        ("Basscenario" if sv else "Baseline", {}),
        ("Personalomsättning −20 %" if sv else "Turnover −20%", {"turnover_factor": 0.8}),
        ("Pension två år senare" if sv else "Retire two years later", {"retirement_age_shift": 2}),
    ]


def _projection_frame(ctx: _Context) -> tuple[pd.DataFrame, str]:
    """The projection as the long frame ``scenario, year, measure, mean, p5, p50, p95`` and a note:
    the scenarios run as a microsimulation (``sc.compare``, 200 replicates, seed 0)."""
    scenarios = []
    for name, overrides in _scenarios(ctx):  # a turnover factor is a rate multiplier on every group
        keys = {k: v for k, v in overrides.items() if k != "turnover_factor"}
        if "turnover_factor" in overrides:
            keys["rate_multipliers"] = [{"where": {}, "factor": overrides["turnover_factor"]}]
        scenarios.append(Scenario(name, **keys))
    result = compare(ctx.register, scenarios, years=ctx.projection_years, replicates=200, seed=0,
                     as_of=ctx.as_of, employment_form="permanent")
    return result.to_frame(), ctx.t("note.projection_sim")


def _projection_section(ctx: _Context) -> str:
    """Projection with scenarios: a fan chart of the recruits per scenario, one panel each, and the table
    behind it, with what its baseline is and why it differs from the recruitment need."""
    frame, note = _projection_frame(ctx)
    parts = [_p(note)]
    scenarios = frame["scenario"].nunique() if "scenario" in frame.columns else 1
    parts.append(_figure(ctx, lambda figure: plot.fan_facets(frame, by="scenario", measure="recruits", figure=figure,
                                                             lang=ctx.lang),
                         f"{text('plot.fan', ctx.lang)}: {column('recruits', ctx.lang).lower()}",
                         (3.2 * min(4, scenarios) + 0.8, 3.6), whole=True))
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
    first = str(ctx.year + 1)
    if first in rounded.columns and len(rounded):
        need = stats.recruitment_need(ctx.register, ctx.as_of, years=[ctx.year + 1], employment_form="permanent")
        parts.append(_p(ctx.t("note.scenario_baseline", baseline=number(float(rounded[first].iloc[0]), ctx.lang),
                              need=number(float(_need_figures(need)[0]["recruitment_need"].iloc[0]), ctx.lang, 1),
                              year=first)))
    return "".join(parts)


BACKTEST_HORIZON = 3
BACKTEST_REPLICATES = 200


def _backtest_section(ctx: _Context) -> Optional[str]:
    """How good were the forecasts: the permanent staff's headcount backtested (every model, horizon 3)
    from every origin the history up to the as-of date allows; None when it allows none. The summary
    holds forecast errors, not counts of persons, so it is shown without disclosure control."""
    reg = ctx.register
    history = cut_register(reg, ctx.as_of) if ctx.as_of < reg.extracted_on.isoformat() else reg
    first, last = _core.backtest_origins(history._core, list(MODELS))
    if first > last:
        return None
    try:
        result = backtest(history, origins=(first, last), horizon=BACKTEST_HORIZON,
                          replicates=BACKTEST_REPLICATES, seed=0, employment_form="permanent")
    except ValueError as error:  # e.g. no permanent staff on an origin day: say so, keep the report
        return _p(ctx.t("note.backtest_failed", reason=str(error)))
    summary = result.summary()
    shown = summary.assign(mae=summary["mae"].round(1))
    shown.attrs = summary.attrs
    parts = [_p(ctx.t("note.backtest", replicates=BACKTEST_REPLICATES)),
             _table(ctx, shown, ctx.t("table.backtest", first=first, last=last))]
    parts.append(_figure(ctx, lambda ax: plot.backtest_errors(summary, rows=result.table, ax=ax, lang=ctx.lang),
                         text("plot.backtest", ctx.lang), (8.0, 4.2)))
    return "".join(parts)


def _indicators_section(ctx: _Context) -> str:
    if ctx.indicators is None:
        return _p(ctx.t("report.missing_indicators"))
    followup = stats.indicator_followup(ctx.indicators)
    return _table(ctx, followup, ctx.t("table.indicators"),
                  ["indicator", "unit_of_analysis", "period", "value", "target", "previous", "change",
                   "target_missed", "trend_wrong"])


_BUILDERS: dict[str, Callable[[_Context], Optional[str]]] = {
    "staff": _staff_section,
    "flows": _flows_section,
    "sick": _sick_section,
    "retirements": _retirements_section,
    "projection": _projection_section,
    "backtest": _backtest_section,
    "indicators": _indicators_section,
}
