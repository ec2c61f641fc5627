"""staffcast: workforce analytics for competence-supply planning.

Read a validated HR register, then compute headcount, flows, turnover, sick
leave and retirements, and project them forward.

Example:
    >>> import staffcast as sc
    >>> reg = sc.read_register("examples/data/employments.csv", extracted_on="2024-09-30")
    >>> sc.snapshot(reg, "2024-09-30", by="employment_form", totals=True)
"""

from __future__ import annotations

from .backtest import Backtest, backtest, cut_register
from .comparisons import equality, span_of_control
from .disclosure import disclose
from .models import *  # noqa: F401,F403  (the cohort engine: rates, tenure curves, transition model)
from .models import __all__ as _models_all
from .errors import StaffcastError, UnavailableError, ValidationError
from .generate import generate
from .privacy import pseudonymise
from .projection import (
    MEASURES,
    Projection,
    ProjectionInputs,
    Simulation,
    apply_scenario,
    estimate_inputs,
    project,
    simulate,
)
from .optimise import InfeasiblePlanError, PlanResult, optimise_plan
from .scenario import RateMultiplier, Scenario, load_scenario_file
from .scenario_comparison import ScenarioComparison, compare
from .mapping import guess_date_format, load_mapping, mapping_template
from .register import (
    Indicators,
    Register,
    SickLeave,
    load_register,
    read_indicators,
    read_register,
    read_sick_leave,
)
from . import _display  # noqa: F401  (registers the DataFrame accessor `frame.staffcast`)
from ._version import __version__
from . import plot, report
from .report import build_report, write_report
from .statistics import (
    against_targets,
    average_headcount,
    departures,
    expected_retirements,
    flows,
    full_time,
    indicator_followup,
    periodic,
    recruitment_need,
    recruitments,
    retirement_outlook,
    retirement_probabilities,
    sick_leave,
    snapshot,
    top_positions,
    turnover,
)

__all__ = [
    "Indicators",
    "against_targets",
    "periodic",
    "Register",
    "SickLeave",
    "StaffcastError",
    "UnavailableError",
    "ValidationError",
    "average_headcount",
    "build_report",
    "departures",
    "disclose",
    "equality",
    "expected_retirements",
    "flows",
    "full_time",
    "generate",
    "guess_date_format",
    "indicator_followup",
    "load_mapping",
    "load_register",
    "mapping_template",
    "plot",
    "pseudonymise",
    "read_indicators",
    "read_register",
    "read_sick_leave",
    "recruitment_need",
    "recruitments",
    "report",
    "retirement_outlook",
    "retirement_probabilities",
    "sick_leave",
    "snapshot",
    "span_of_control",
    "top_positions",
    "turnover",
    "project",
    "simulate",
    "estimate_inputs",
    "apply_scenario",
    "Projection",
    "Simulation",
    "ProjectionInputs",
    "MEASURES",
    "RateMultiplier",
    "Scenario",
    "ScenarioComparison",
    "compare",
    "load_scenario_file",
    "optimise_plan",
    "PlanResult",
    "InfeasiblePlanError",
    "write_report",
    "backtest",
    "cut_register",
    "Backtest",
    "__version__",
    *_models_all,
]
