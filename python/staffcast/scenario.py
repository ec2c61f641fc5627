"""Scenarios: named sets of overrides on the estimated projection inputs (docs/models.md), in Python or
as TOML files parsed by the C++ core. Their values are checked by the C++ core's one scenario rule."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._table import to_frame

__all__ = ["RateMultiplier", "Scenario", "ScenarioComparison", "compare", "load_scenario_file"]

KEYS = ("name", "retirement_age_shift", "rate_multipliers", "growth_per_year", "hiring_freeze_years",
        "target_stock", "part_time_to_full_time")


@dataclass(frozen=True)
class RateMultiplier:
    """Multiplies the other-separation rates m_other of the groups matching every ``where`` column
    (column = one of the listed values; an empty ``where`` matches every group).

    Example:
        >>> sc.RateMultiplier(0.8, {"position": "Socialsekreterare"})
    """

    factor: float
    where: Mapping[str, tuple] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"where": {c: list(v) for c, v in self.where.items()}, "factor": self.factor}


@dataclass(frozen=True)
class Scenario:
    """A named set of overrides on the baseline projection (docs/models.md, scenarios). The defaults
    change nothing, so ``sc.Scenario("baseline")`` is the baseline.

    - ``retirement_age_shift`` (int, -5..10): q'[x] = q[x - k], every retirement age k years later;
    - ``rate_multipliers``: multiply the other-separation rates of matching groups
      (``[{"where": {"position": "Socialsekreterare"}, "factor": 0.8}]``, or ``RateMultiplier``s);
    - ``growth_per_year`` (-0.5..0.5): the target stock T(t) = T(0) (1 + g)^t;
    - ``hiring_freeze_years`` (int >= 0): no recruits in the first N years;
    - ``target_stock`` (int >= 0, or a dict group label -> int): replaces today's headcount as
      T(0) (a single number is split by today's shares);
    - ``part_time_to_full_time`` ([0, 1]): the share of part-time staff moving to full time per year.

    Files: ``Scenario.from_toml("retire_later.toml")`` (parsed by the C++ core, the same rules).

    Example:
        >>> later = sc.Scenario("retire later", retirement_age_shift=2,
        ...                     rate_multipliers=[{"where": {"position": "Socialsekreterare"}, "factor": 0.8}],
        ...                     growth_per_year=0.055, part_time_to_full_time=0.25)
        >>> sc.compare(reg, [sc.Scenario("baseline"), later], years=10, replicates=1000)
    """

    name: str
    retirement_age_shift: int = 0
    rate_multipliers: tuple = ()
    growth_per_year: float = 0.0
    hiring_freeze_years: int = 0
    target_stock: Union[None, int, Mapping[str, int]] = None
    part_time_to_full_time: float = 0.0

    def __post_init__(self) -> None:
        # The C++ core checks every value (the rules of staffcast/scenario_rules.hpp, the same as for
        # TOML files) and gives the fields back normalised; its ValueError names the key.
        checked = _core.scenario_dict({key: getattr(self, key) for key in KEYS})
        set_ = object.__setattr__
        for key in ("retirement_age_shift", "growth_per_year", "hiring_freeze_years", "part_time_to_full_time",
                    "target_stock"):
            set_(self, key, checked[key])
        set_(self, "rate_multipliers", tuple(RateMultiplier(m["factor"], {c: tuple(v) for c, v in m["where"].items()})
                                             for m in checked["rate_multipliers"]))

    # ------------------------------------------------------------------ files

    @classmethod
    def from_toml(cls, path_or_text: Union[str, os.PathLike]) -> "Scenario":
        """A scenario from a TOML file (a path) or TOML text (a string holding a newline or ``=``).

        Unknown keys, wrong types and out-of-range values raise ``ValueError`` naming the key and line.

        Example:
            >>> sc.Scenario.from_toml("examples/scenarios/retire_later.toml").retirement_age_shift
            2
            >>> sc.Scenario.from_toml('name = "freeze"\\nhiring_freeze_years = 2\\n').hiring_freeze_years
            2
        """
        if isinstance(path_or_text, os.PathLike) or (
                isinstance(path_or_text, str) and "\n" not in path_or_text and "=" not in path_or_text):
            return load_scenario_file(path_or_text)
        if not isinstance(path_or_text, str):
            raise TypeError(f"Scenario.from_toml takes a path or TOML text, got {type(path_or_text).__name__}")
        return cls.from_dict(_core.parse_scenario_toml(path_or_text, "<string>"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Scenario":
        """A scenario from a dict of its fields (as ``to_dict`` gives); unknown keys are errors."""
        checked = _core.scenario_dict(dict(data))
        return cls(**checked)

    def to_dict(self) -> dict:
        """The fields as plain Python values (lists and dicts), in the shape of the C++ ``Scenario``."""
        target = self.target_stock
        return {
            "name": self.name,
            "retirement_age_shift": self.retirement_age_shift,
            "rate_multipliers": [m.to_dict() for m in self.rate_multipliers],
            "growth_per_year": self.growth_per_year,
            "hiring_freeze_years": self.hiring_freeze_years,
            "target_stock": dict(target) if isinstance(target, Mapping) else target,
            "part_time_to_full_time": self.part_time_to_full_time,
        }

    def to_toml(self) -> str:
        """The scenario as a TOML file that ``from_toml`` reads back to an equal scenario."""
        lines = [f"name = {_toml_string(self.name)}"]
        defaults = Scenario("x")
        for key in ("retirement_age_shift", "growth_per_year", "hiring_freeze_years", "part_time_to_full_time"):
            value = getattr(self, key)
            if value != getattr(defaults, key):
                lines.append(f"{key} = {value!r}")
        if isinstance(self.target_stock, int):
            lines.append(f"target_stock = {self.target_stock}")
        elif self.target_stock:
            inner = ", ".join(f"{_toml_string(g)} = {v}" for g, v in self.target_stock.items())
            lines.append(f"target_stock = {{ {inner} }}")
        for m in self.rate_multipliers:
            lines += ["", "[[rate_multiplier]]"]
            if m.where:
                inner = ", ".join(f"{_toml_string(c)} = [{', '.join(_toml_string(v) for v in values)}]"
                                  for c, values in m.where.items())
                lines.append(f"where = {{ {inner} }}")
            lines.append(f"factor = {m.factor!r}")
        return "\n".join(lines) + "\n"

    @property
    def is_baseline(self) -> bool:
        """True when the scenario changes nothing."""
        return self.to_dict() | {"name": ""} == Scenario("x").to_dict() | {"name": ""}

    def _changes(self) -> list[tuple[str, str]]:
        out = []
        if self.retirement_age_shift:
            out.append(("retirement age", f"{self.retirement_age_shift:+d} years"))
        for m in self.rate_multipliers:
            where = ", ".join(f"{c} = {' / '.join(v)}" for c, v in m.where.items()) or "every group"
            out.append(("other separations", f"x {m.factor:g} ({where})"))
        if self.growth_per_year:
            out.append(("target growth", f"{self.growth_per_year:+.1%} per year"))
        if self.hiring_freeze_years:
            out.append(("hiring freeze", f"{self.hiring_freeze_years} year(s)"))
        if isinstance(self.target_stock, int):
            out.append(("target stock", f"{self.target_stock}"))
        elif self.target_stock:
            out.append(("target stock", ", ".join(f"{g}: {v}" for g, v in self.target_stock.items())))
        if self.part_time_to_full_time:
            out.append(("part-time to full time", f"{self.part_time_to_full_time:.0%} per year"))
        return out

    def __str__(self) -> str:
        changes = self._changes()
        return f"{self.name}: " + ("; ".join(f"{k} {v}" for k, v in changes) if changes else "baseline")

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in self._changes())
        if not rows:
            rows = "<tr><td colspan='2'>no overrides (baseline)</td></tr>"
        return (f"<div><strong>staffcast Scenario</strong> {html.escape(self.name)}"
                f"<table><tbody>{rows}</tbody></table></div>")


def _toml_string(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def load_scenario_file(path: Union[str, os.PathLike]) -> Scenario:
    """Reads a scenario TOML file (used by ``staffcast project --scenario FILE``).

    ``FileNotFoundError`` when it does not exist; ``ValueError`` naming the key and line otherwise.

    Example:
        >>> sc.load_scenario_file("examples/scenarios/hiring_freeze_2.toml").hiring_freeze_years
        2
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"scenario file not found: {path}")
    if path.is_dir():
        raise IsADirectoryError(f"scenario file is a directory: {path}")
    return Scenario.from_dict(_core.read_scenario_file(str(path)))


def as_scenario(value: Union[Scenario, str, os.PathLike, Mapping[str, Any]]) -> Scenario:
    """A Scenario from a Scenario, a dict of fields, or a TOML path or text."""
    if isinstance(value, Scenario):
        return value
    if isinstance(value, Mapping):
        return Scenario.from_dict(value)
    if isinstance(value, (str, os.PathLike)):
        return Scenario.from_toml(value)
    raise TypeError(f"expected a Scenario, a dict or a TOML file, got {type(value).__name__}")


# ---------------------------------------------------------------- comparing scenarios

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
    from .projection import MEASURES

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

    def to_frame(self) -> pd.DataFrame:
        """The long frame (a copy)."""
        return self._frame.copy()

    def wide(self, stat: str = "mean", measure: Union[None, str, Sequence[str]] = None) -> pd.DataFrame:
        """Scenarios side by side: index ``year, <by>, measure``, one column per scenario (in the order
        given) holding ``stat`` (mean, p5, p50 or p95).

        Example:
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
        from .projection import MEASURES

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
            >>> sc.compare(reg, ["baseline", "retire_later.toml"], years=5, totals=True).plot(measure="recruits")
        """
        try:
            from . import plot
        except ImportError:
            raise RuntimeError("ScenarioComparison.plot() needs staffcast.plot.fan_chart, which this installation "
                               "does not have (it needs matplotlib)") from None
        if not hasattr(plot, "fan_chart"):
            raise RuntimeError("this installation's staffcast.plot has no fan_chart")
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
        ...                  years=10, replicates=1000, by="department")
        >>> cmp.wide(measure=["end", "gap"])
        >>> cmp.plot()
    """
    from . import projection as proj

    if isinstance(scenarios, (Scenario, str, os.PathLike, Mapping)):
        scenarios = [scenarios]
    chosen = [as_scenario(s) for s in scenarios]
    if not chosen:
        raise ValueError("compare needs at least one scenario (e.g. sc.Scenario('baseline'))")
    names = [s.name for s in chosen]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"scenario names must be unique; given twice: {', '.join(duplicated)}")
    years = proj._positive_int(years, "years", 1, 200)
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
            from .projection import MEASURES

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


# ---------------------------------------------------------------- command line


def cli_scenario(value: str) -> Scenario:
    """A ``--scenario`` value: a TOML file, or ``baseline`` (no overrides) when no such file exists."""
    if value == "baseline" and not Path(value).exists():
        return Scenario("baseline")
    return load_scenario_file(value)


def _cmd_compare(args, register, years: int, query: dict, totals: bool) -> int:
    """``staffcast project REGISTER --scenario A --scenario B ...``: ``sc.compare`` as a long table."""
    from .cli import UsageError, _emit

    scenarios = [cli_scenario(value) for value in args.scenario]
    if args.replicates is None:
        if args.seed is not None or args.threads is not None:
            raise UsageError("--seed and --threads need --replicates")
        replicates = 0
    else:
        if args.replicates < 1:
            raise UsageError("--replicates must be at least 1")
        replicates = args.replicates
    query = dict(query)
    by = query.pop("by", None)
    result = compare(register, scenarios, years, replicates, seed=args.seed or 0, by=by, threads=args.threads,
                     progress=None if not args.no_progress else False, as_of=args.as_of, totals=totals, **query)
    return _emit(args, result.to_frame())
