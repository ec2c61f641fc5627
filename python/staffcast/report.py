"""The competence-supply plan as one self-contained HTML file.

``build_report`` computes the sections of the plan (staff today, flows and
turnover, sick leave against target, retirements and recruitment need for the
next three years, projection with scenarios, indicators with trend flags) and
returns the HTML: standard-library string templates with every text escaped,
plots embedded as base64 PNG, no external resources. ``write_report`` writes
it atomically (a temporary name in the same directory, then a rename), so an
interrupted run never leaves a half-finished file. Disclosure control
(docs/privacy.md) is on by default: every table goes through
``sc.disclose(..., min_count=5)`` and sick leave through its own suppression.

Example:
    >>> import staffcast as sc
    >>> reg = sc.read_register("examples/data/employments.csv", extracted_on="2024-09-30")
    >>> sick = sc.read_sick_leave("examples/data/sick_leave.csv", register=reg)
    >>> sc.write_report("build/report.html", reg, "2024-09-30", sick_leave=sick, lang="sv")
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any, Optional, Union

import pandas as pd

from . import _io
from . import statistics as stats
from ._dates import DateLike
from ._i18n import number
from ._report_sections import _BUILDERS, _Context, _context, _count, _p, _pct, need_total
from ._version import __version__ as _version
from .register import Indicators, Register, SickLeave

__all__ = ["build_report", "write_report", "key_figures", "SECTIONS"]

#: The section ids of the report, in order (each is an ``<h2 id=...>``). ``backtest`` ("How good were
#: the forecasts") is left out when the register's history allows no backtest origin.
SECTIONS = ("staff", "flows", "sick", "retirements", "projection", "backtest", "indicators")

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
    total_need = need_total(reg, as_of, ctx.years)  # as the recruitment-need table and chart show it
    add("recruitment_need", ctx.t("kf.need"), total_need, number(total_need, ctx.lang, 1))
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


# ---------------------------------------------------------------- the document


def build_report(register: Register, as_of: Optional[DateLike] = None, *, sick_leave: Optional[SickLeave] = None,
                 indicators: Optional[Indicators] = None, lang: str = "en", min_cell: Optional[int] = 5,
                 sick_target: float = 0.06, short_term_target: float = 0.02, projection_years: int = 5,
                 retirement_age: int = 65, title: Optional[str] = None) -> str:
    """The plan as one self-contained HTML document (a string).

    Sections (``<h2 id=...>``, see :data:`SECTIONS`): staff today, flows and
    turnover, sick leave against target, retirements and recruitment need for
    the next three years, projection with scenarios, how good the forecasts
    were (a backtest, when the history allows one), indicators with trend
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
    extracted = ctx.t("report.extracted_assumed" if register.extracted_on_assumed else "report.extracted",
                      day=register.extracted_on.isoformat())
    body = [f"<h1>{html.escape(heading)}</h1>", _p(ctx.t("report.subtitle", as_of=ctx.as_of), "subtitle"),
            _p(extracted, "subtitle")]
    if ctx.min_cell is None:
        body.append(_p(ctx.t("report.no_disclosure"), "warn"))
    sections = [(key, _BUILDERS[key](ctx)) for key in SECTIONS]
    sections = [(key, part) for key, part in sections if part is not None]  # a section with nothing to show
    toc = "".join(f"<li><a href='#{key}'>{html.escape(ctx.t('section.' + key))}</a></li>" for key, _ in sections)
    body.append(_key_figures_html(ctx, figures))
    body.append(f"<nav><h3>{html.escape(ctx.t('report.contents'))}</h3><ol>{toc}</ol></nav>")
    for key, part in sections:
        body.append(f"<section><h2 id='{key}'>{html.escape(ctx.t('section.' + key))}</h2>{part}</section>")
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
        >>> sc.write_report("build/plan.html", reg, "2024-09-30", sick_leave=sick, indicators=ind)
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a directory; give the report's file name")
    if not target.parent.exists():
        raise FileNotFoundError(f"the directory {target.parent} does not exist")
    page = build_report(register, as_of, sick_leave=sick_leave, indicators=indicators, lang=lang, min_cell=min_cell,
                        sick_target=sick_target, short_term_target=short_term_target,
                        projection_years=projection_years, retirement_age=retirement_age, title=title)
    _io.write_text(target, page)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(target, 0o666 & ~umask)  # a report is for reading (the temporary file was private)
    return target
