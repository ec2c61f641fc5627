"""Scenarios: named sets of overrides on the estimated projection inputs (see
"Scenarios" in docs/models.md), in Python or as TOML files parsed by the C++ core.
Comparing them side by side is :mod:`staffcast.scenario_comparison`."""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Union

from . import _core, _toml
from .errors import no_such_file

__all__ = ["RateMultiplier", "Scenario", "load_scenario_file", "as_scenario"]

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
    """A named set of overrides on the baseline projection (docs/models.md, "Scenarios"). The defaults
    change nothing, so ``sc.Scenario("baseline")`` is the baseline.

    - ``retirement_age_shift`` (int, -5..10): q'[x] = q[x - k], every retirement age k years later;
    - ``rate_multipliers``: multiply the other-separation rates of matching groups
      (``[{"where": {"position": "Socialsekreterare"}, "factor": 0.8}]``, or ``RateMultiplier``s);
      the columns of ``where`` must be among the projection's ``by`` (here ``by="position"``);
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
        >>> sc.compare(reg, [sc.Scenario("baseline"), later], years=10, replicates=1000, by="position")
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
        lines = [f"name = {_toml.string(self.name)}"]
        defaults = Scenario("x")
        for key in ("retirement_age_shift", "growth_per_year", "hiring_freeze_years", "part_time_to_full_time"):
            value = getattr(self, key)
            if value != getattr(defaults, key):
                lines.append(f"{key} = {value!r}")
        if isinstance(self.target_stock, int):
            lines.append(f"target_stock = {self.target_stock}")
        elif self.target_stock:
            inner = ", ".join(f"{_toml.string(g)} = {v}" for g, v in self.target_stock.items())
            lines.append(f"target_stock = {{ {inner} }}")
        for m in self.rate_multipliers:
            lines += ["", "[[rate_multiplier]]"]
            if m.where:
                inner = ", ".join(f"{_toml.string(c)} = [{', '.join(_toml.string(v) for v in values)}]"
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


def load_scenario_file(path: Union[str, os.PathLike]) -> Scenario:
    """Reads a scenario TOML file (used by ``staffcast project --scenario FILE``).

    ``FileNotFoundError`` when it does not exist; ``ValueError`` naming the key and line otherwise.

    Example:
        >>> sc.load_scenario_file("examples/scenarios/hiring_freeze_2.toml").hiring_freeze_years
        2
    """
    path = Path(path)
    if not path.exists():
        raise no_such_file(path, "scenario file")
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
