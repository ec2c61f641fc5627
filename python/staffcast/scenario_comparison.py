"""Scenarios side by side (``sc.compare``): several scenarios projected from the same
inputs with the same seed (common random numbers), with the gap between supply
and target demand. The scenarios themselves are :mod:`staffcast.scenario`."""

from __future__ import annotations

import html
import os
from typing import Any, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core, plot
from . import projection as proj
from .projection import MEASURES
from ._table import to_frame
from .scenario import Scenario, as_scenario

__all__ = ["ScenarioComparison", "compare", "STATS", "GAP"]

STATS = ("mean", "p5", "p50", "p95")
GAP = "gap"


def _summary(values: np.ndarray) -> tuple[float, float, float, float]:
    """mean (the sum in replicate order / R) and numpy's linear P5, P50, P95 of one column: the C++ summary."""
    return _core.summarise_replicates(np.asarray(values, dtype=np.float64))


def _gap_rows(inputs, end: np.ndarray, by: list[str], totals: bool) -> pd.DataFrame:
    """The gap between supply and target demand per year and group (the C++ rule, staffcast/plan/gap.hpp):
    end stock (summed over the output age bands) minus T_g(t), per replicate, then summarised. ``end`` is
    [replicate, year, output group]."""
    table = _core.supply_demand_gap(inputs, np.ascontiguousarray(end, dtype=np.float64), totals)
    frame = to_frame(table, "gap")
    frame["year"] = frame["year"].astype("int64")
    frame.attrs = {}
    return frame[["year", *by, "measure", *STATS]]


def _cohort_long(projection, inputs, by: list[str], totals: bool) -> pd.DataFrame:
    """The cohort model's wide frame as the long frame of a comparison (mean = expected value; the
    percentiles are missing), plus the gap = expected end stock − T_g(t)."""
    wide = projection.to_frame()
    long = wide.melt(id_vars=["year", *by], value_vars=list(MEASURES), var_name="measure", value_name="mean")
    order = {m: i for i, m in enumerate(MEASURES)}
    long["_m"] = long["measure"].map(order)
    long["_r"] = np.tile(np.arange(len(wide)), len(MEASURES))
    long = long.sort_values(["_r", "_m"], kind="mergesort").drop(columns=["_m", "_r"]).reset_index(drop=True)
    for stat in STATS[1:]:
        long[stat] = np.nan
    # The gap from the cohort's expected end stock per group (a one-replicate summary of the expectation).
    groups, years = int(inputs.groups), int(inputs.years)
    bands = int(inputs.output_groups) // groups
    end = np.zeros((1, years, groups * bands))
    body = wide if not totals or not by else wide[wide[by[0]] != "Total"]
    band_labels = list(inputs.output_band_labels) if int(inputs.age_band_position) >= 0 else [None]
    index = {}
    for o in range(groups * bands):
        index[tuple(inputs.output_labels(o))] = o
    for record in body.itertuples(index=False):
        row = record._asdict()
        o = index[tuple(str(row[c]) for c in by)] if by else 0
        end[0, int(row["year"]) - int(inputs.base_year) - 1, o] = row["end"]
    gap = _gap_rows(inputs, end, by, totals)
    for stat in STATS[1:]:
        gap[stat] = np.nan
    del band_labels
    return pd.concat([long, gap], ignore_index=True)


class ScenarioComparison:
    """Several scenarios projected from the same inputs with the same seed (common random numbers),
    side by side (``sc.compare``).

    ``to_frame()``: the long frame ``scenario, year, <by>, measure, mean, p5, p50, p95`` with the
    measures of the projection plus ``gap`` = end stock − target demand T_g(t) (per replicate, then
    summarised; with ``age_band`` in ``by`` the gap is per group, its age_band column ``Total``).
    ``wide()``: one column per scenario. ``results``: the ``Simulation`` (or ``Projection``) per scenario.
    """

    def __init__(self, scenarios: list[Scenario], results: list, frame: pd.DataFrame, *, years: int,
                 replicates: int, seed: int, by: list[str]):
        self.scenarios = scenarios
        self.results = results
        self._frame = frame
        self.years = years
        self.replicates = replicates
        self.seed = seed
        self.by = by

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def to_frame(self, layout: str = "long", stat: str = "mean") -> pd.DataFrame:
        """The comparison as one table (a copy). ``layout="long"``: ``scenario, year, <by>, measure, mean, p5,
        p50, p95``, one row per scenario, year, group and measure. ``layout="wide"``: ``year, <by>, measure``
        and one column per scenario (in the order given) holding ``stat`` (mean, p5, p50 or p95), the rows of
        each year together, the gap last.

        Example:
            >>> cmp = sc.compare(reg, [sc.Scenario("baseline"), "examples/scenarios/retire_later.toml"], years=3,
            ...                  replicates=0)
            >>> wide = cmp.to_frame(layout="wide")
            >>> list(wide.columns), len(wide) * 2 == len(cmp.to_frame())
            (['year', 'measure', 'baseline', 'retire later'], True)
        """
        if layout == "long":
            return self._frame.copy()
        if layout != "wide":
            raise ValueError(f"layout must be long or wide, got {layout!r}")
        keys = ["year", *self.by, "measure"]
        clash = [name for name in self.names if name in keys]
        if clash:
            raise ValueError(f"a scenario named {clash[0]!r} cannot be a column beside the key columns "
                             f"{', '.join(keys)}; rename it or use layout='long'")
        out = self.wide(stat).reset_index()
        out = out.sort_values("year", kind="mergesort").reset_index(drop=True)  # each year's rows together
        attrs = dict(self._frame.attrs.get("staffcast", {}))
        attrs["kinds"] = {**{c: "key" for c in keys}, **{n: "number" for n in self.names}}
        attrs["layout"], attrs["stat"] = "wide", stat
        out.attrs["staffcast"] = attrs
        return out

    def wide(self, stat: str = "mean", measure: Union[None, str, Sequence[str]] = None) -> pd.DataFrame:
        """Scenarios side by side: index ``year, <by>, measure``, one column per scenario (in the order
        given) holding ``stat`` (mean, p5, p50 or p95).

        Example:
            >>> cmp = sc.compare(reg, [sc.Scenario("baseline"), "examples/scenarios/retire_later.toml"], years=5, replicates=200)
            >>> cmp.wide(measure=["end", "gap"])
        """
        if stat not in STATS:
            raise ValueError(f"stat must be one of {', '.join(STATS)}, got {stat!r}")
        frame = self._frame
        if measure is not None:
            wanted = [measure] if isinstance(measure, str) else list(measure)
            known = set(frame["measure"])
            unknown = [m for m in wanted if m not in known]
            if unknown:
                raise ValueError(f"unknown measure(s) {unknown}; known: {', '.join(dict.fromkeys(frame['measure']))}")
            frame = frame[frame["measure"].isin(wanted)]
        keys = ["year", *self.by, "measure"]
        out = frame.pivot_table(index=keys, columns="scenario", values=stat, sort=False, dropna=False,
                                aggfunc="first")
        out = out[[n for n in self.names]]
        out.columns.name = None
        return out

    def totals(self, stat: str = "mean") -> pd.DataFrame:
        """Per year: the end stock and the gap summed over all groups, per replicate, then ``stat``
        (mean, p5, p50 or p95; with ``replicates=0`` the cohort model's expected values), side by side:
        columns (``end`` | ``gap``, scenario)."""
        if stat not in STATS:
            raise ValueError(f"stat must be one of {', '.join(STATS)}, got {stat!r}")
        pick = STATS.index(stat)
        data = {}
        for scenario, result in zip(self.scenarios, self.results):
            inputs = result.inputs
            target = np.asarray(inputs.target, dtype=np.float64).reshape(self.years, int(inputs.groups))
            if self.replicates:
                end = np.asarray(result.raw)[:, :, :, list(MEASURES).index("end")].sum(axis=2)  # integer counts
            else:
                end = result.totals()["end"].to_numpy(dtype=np.float64)[None, :]
            for y in range(self.years):
                demand = 0.0
                for g in range(target.shape[1]):  # group-code order
                    demand += target[y, g]
                for measure, values in (("end", end[:, y]), (GAP, end[:, y] - demand)):
                    summary = _summary(values) if self.replicates else (float(values[0]),) + (np.nan,) * 3
                    data.setdefault((measure, scenario.name), []).append(summary[pick])
        years = [int(self.results[0].inputs.base_year) + y + 1 for y in range(self.years)]
        out = pd.DataFrame(data, index=pd.Index(years, name="year"))
        return out.reindex(columns=pd.MultiIndex.from_product([["end", GAP], self.names]))

    def plot(self, where: Optional[Mapping[str, str]] = None, **kwargs):
        """A fan chart per scenario (``staffcast.plot.fan_chart(frame, by="scenario")``) of one group:
        the ``Total`` rows (``sc.compare(..., totals=True)``), the only group, or the group ``where``
        names (``where={"department": "Vuxen"}``). Percentiles of groups cannot be added up, so a
        comparison by several groups without totals needs ``where``.

        Example:
            >>> sc.compare(reg, [sc.Scenario("baseline"), "examples/scenarios/retire_later.toml"], years=5,
            ...            totals=True).plot(measure="recruits")
        """
        frame = self._frame
        for column, value in (where or {}).items():
            if column not in frame.columns:
                raise ValueError(f"where: the comparison has no column {column!r}; it has {', '.join(self.by)}")
            frame = frame[frame[column].astype(str) == str(value)]
            if frame.empty:
                raise ValueError(f"where: no rows with {column} = {value!r}")
        several = [c for c in self.by if c not in (where or {}) and frame[c].astype(str).nunique() > 1
                   and not (frame[c].astype(str) == "Total").any()]
        if several:
            raise ValueError(f"plot() draws one group per scenario: pass where={{{several[0]!r}: ...}} or run "
                             "sc.compare(..., totals=True) for the whole organisation")
        return plot.fan_chart(frame, by="scenario", **kwargs)

    def __repr__(self) -> str:
        kind = f"{self.replicates} replicates, seed {self.seed}" if self.replicates else "cohort model"
        return f"<staffcast.ScenarioComparison {', '.join(self.names)}: {self.years} years, {kind}>"

    def _repr_html_(self) -> str:
        t = self.totals()
        last = t.index.max() if len(t) else None
        head = (f"<strong>staffcast scenario comparison</strong>: {len(self.scenarios)} scenarios, {self.years} "
                f"years, {self.replicates} replicates (seed {self.seed})" if self.replicates else
                f"<strong>staffcast scenario comparison</strong>: {len(self.scenarios)} scenarios, {self.years} "
                f"years, cohort model")
        header = "".join(f"<th>{html.escape(n)}</th>" for n in self.names)
        rows = []
        for name, scenario in zip(self.names, self.scenarios):
            rows.append(f"<tr><th>{html.escape(name)}</th><td>{html.escape(str(scenario).split(': ', 1)[1])}</td></tr>")
        body = "".join(
            f"<tr><td>{int(year)}</td>" + "".join(f"<td>{t.loc[year, ('end', n)]:.1f}</td>" for n in self.names)
            + "".join(f"<td>{t.loc[year, (GAP, n)]:+.1f}</td>" for n in self.names) + "</tr>" for year in t.index)
        return (f"<div><p>{head}</p><table><tbody>{''.join(rows)}</tbody></table>"
                f"<table><thead><tr><th></th><th colspan='{len(self.names)}'>end stock</th>"
                f"<th colspan='{len(self.names)}'>gap to target</th></tr><tr><th>year</th>{header}{header}</tr>"
                f"</thead><tbody>{body}</tbody></table>"
                + (f"<p>gap at the end of {int(last)}: end stock − target demand (mean)</p>" if last else "")
                + "</div>")


def compare(register, scenarios: Sequence[Union[Scenario, str, os.PathLike, Mapping[str, Any]]], years: int = 10,
            replicates: int = 1000, seed: int = 0, by: Union[None, str, Sequence[str]] = None, client=None, *,
            as_of=None, threads: Optional[int] = None, totals: bool = False, progress=None, inputs=None,
            **filters) -> ScenarioComparison:
    """Projects several scenarios from the same estimated inputs with the same seed (common random numbers,
    so differences are the scenarios'), side by side with the gap between supply and target demand.

    ``scenarios``: ``Scenario`` objects, dicts of their fields, or TOML files (``sc.Scenario("baseline")``
    is the baseline). ``replicates=0`` runs the deterministic cohort model instead of the microsimulation.
    ``client``: None (threads in this process), ``"local"`` (a dask LocalCluster), a scheduler address or
    a ``dask.distributed.Client``; the results are identical either way.

    Example:
        >>> cmp = sc.compare(reg, [sc.Scenario("baseline"), "examples/scenarios/retire_later.toml",
        ...                        sc.Scenario("freeze", hiring_freeze_years=2)],
        ...                  years=10, replicates=1000, by="department", totals=True)
        >>> cmp.wide(measure=["end", "gap"])
        >>> cmp.plot()
    """
    if isinstance(scenarios, (Scenario, str, os.PathLike, Mapping)):
        scenarios = [scenarios]
    chosen = [as_scenario(s) for s in scenarios]
    if not chosen:
        raise ValueError("compare needs at least one scenario (e.g. sc.Scenario('baseline'))")
    names = [s.name for s in chosen]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"scenario names must be unique; given twice: {', '.join(duplicated)}")
    years = proj._projection_years(years)
    if isinstance(replicates, bool) or not isinstance(replicates, (int, np.integer)) or replicates < 0:
        raise ValueError(f"replicates must be an integer >= 0, got {replicates!r}")
    replicates = int(replicates)
    by_list = proj._by(by)
    if inputs is None:
        inputs = proj.estimate_inputs(register, years, by_list, as_of, **filters)
    elif int(inputs.years) != years:
        inputs = inputs.with_years(years)
    results, frames = [], []
    for scenario in chosen:
        adjusted = proj.apply_scenario(inputs, scenario)
        if replicates == 0:
            result = proj.project(register, years, by_list, inputs=inputs, scenario=scenario, totals=totals)
            frame = _cohort_long(result, adjusted, by_list, totals)
        else:
            result = proj.simulate(register, years, replicates, seed=seed, scenario=scenario, by=by_list,
                                   client=client, threads=threads, progress=progress, totals=totals, inputs=inputs)
            frame = result.to_frame()
            end = np.asarray(result.raw)[:, :, :, list(MEASURES).index("end")]
            frame = pd.concat([frame, _gap_rows(result.inputs, end, by_list, totals)], ignore_index=True)
        frame.insert(0, "scenario", scenario.name)
        results.append(result)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out.attrs["staffcast"] = {"table": "scenario_comparison", "kinds": {
        "scenario": "key", "year": "key", **{c: "key" for c in by_list}, "measure": "key",
        **{c: "number" for c in STATS}}, "scenarios": names, "replicates": replicates, "seed": int(seed),
        "as_of": inputs.as_of}
    return ScenarioComparison(chosen, results, out, years=years, replicates=replicates, seed=int(seed), by=by_list)
