"""Optimised workforce plans (docs/plans.md): the cheapest mix of recruitment,
moves between categories (training, conversion, downgrading), redundancy,
short time and overstaffing that meets the demand of each category in each
period. The plan is a linear program built and solved in C++ (COIN-OR Clp);
this module converts its result."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Union

import pandas as pd

from . import _core, _toml
from ._dates import DateLike, _iso
from ._table import KINDS_KEY, to_frame
from .errors import no_such_file

__all__ = ["PlanResult", "InfeasiblePlanError", "optimise_plan"]

#: The plan has no solution; the message names the constraints that conflict (a ``ValueError``).
InfeasiblePlanError = _core.InfeasiblePlanError


@dataclass(frozen=True)
class PlanResult:
    """The optimum of a plan.

    - ``table``: one row per period and category (``period, category, stock, demand, recruits,
      moves_in, moves_out, redundancies, short_time, overstaffing, shortfall, cost``), then a
      ``Total`` row;
    - ``binding``: the constraints whose limits decide the optimum (``constraint, period,
      category, limit, shadow_price, text``), largest effect first;
    - ``objective`` (cost, redundancy or shortfall), ``objective_value`` (the minimum) and
      ``total_cost`` (the plan's cost whatever the objective).

    Example:
        >>> result = sc.optimise_plan("examples/plans/williams_manpower.toml", objective="redundancy")
        >>> round(result.objective_value, 1)
        841.8
    """

    table: pd.DataFrame
    binding: pd.DataFrame
    objective: str
    objective_value: float
    total_cost: float
    explanation: str

    def explain(self) -> str:
        """The minimum and the binding constraints in words, one a line ("one more recruit allowed
        for skilled in period 2 saves 1,250").

        Example:
            >>> print(sc.optimise_plan("examples/plans/williams_manpower.toml").explain())  # doctest: +ELLIPSIS
            minimum cost: 498,677
            ...
        """
        return self.explanation


def _result(raw: dict) -> PlanResult:
    table = to_frame(raw["table"], "optimise_plan", objective=raw["objective"])
    binding = pd.DataFrame(raw["binding"], columns=["constraint", "period", "category", "limit", "shadow_price",
                                                    "text"])
    binding.attrs["staffcast"] = {"table": "optimise_plan_binding", KINDS_KEY: {
        "constraint": "key", "period": "key", "category": "key", "limit": "number", "shadow_price": "number",
        "text": "text"}}
    return PlanResult(table=table, binding=binding, objective=raw["objective"],
                      objective_value=float(raw["objective_value"]), total_cost=float(raw["total_cost"]),
                      explanation=raw["explain"])


def optimise_plan(plan: Union[str, os.PathLike, Mapping[str, Any]], register: Any = None,
                  as_of: Optional[DateLike] = None, objective: Optional[str] = None, *,
                  extracted_on: Optional[DateLike] = None) -> PlanResult:
    """Solves a workforce plan: a plan file (TOML, docs/plans.md) or a dict of the same keys
    (``{"periods": 3, "category": [{"name": ..., "demand": [...]}, ...], "move": [...]}``),
    which goes through the same C++ reader and rules. ``objective`` (cost, redundancy,
    shortfall) overrides the plan's own.

    With a ``register`` (an ``sc.Register``) the plan's ``[register]`` section (``{"register":
    {"by": "position"}}``) fills in each category on ``as_of`` (default: the extraction date):
    the snapshot headcount, the register's departure rates and expected retirements as
    wastage, today's stock as demand; the values the plan gives override them
    (docs/plans.md, "From the register").

    Bad plans raise ``ValueError`` naming the key (``category[2].wastage``) and, for files, the
    line; a plan no choice of measures can meet raises ``InfeasiblePlanError`` naming the
    constraints that conflict.

    Example:
        >>> result = sc.optimise_plan({"periods": 1, "category": [
        ...     {"name": "nurses", "initial": 100, "demand": [120], "wastage": 0.1, "wastage_new": 0.2,
        ...      "recruit_cost": 1000}]})
        >>> float(result.table.loc[0, "recruits"])
        37.5
    """
    source = dict(register=None if register is None else register._core, as_of=_iso(as_of),
                  extracted_on=_iso(extracted_on))
    if isinstance(plan, Mapping):
        try:
            raw = _core.optimise_plan_toml(_toml.document(plan), "<dict>", objective, **source)
        except InfeasiblePlanError:
            raise
        except ValueError as error:  # the lines of the TOML written from the dict mean nothing to its author
            raise ValueError(re.sub(r"^plan <dict>, line \d+, column \d+", "plan", str(error))) from None
        return _result(raw)
    if not isinstance(plan, (str, os.PathLike)):
        raise TypeError(f"optimise_plan takes a path or a dict, got {type(plan).__name__}")
    if not os.path.exists(plan):
        raise no_such_file(plan, "plan file")
    return _result(_core.optimise_plan_file(os.fspath(plan), objective, **source))
