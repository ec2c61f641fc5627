"""staffcast: workforce analytics for competence-supply planning.

Read a validated HR register, then compute headcount, flows, turnover, sick
leave and retirements, and project them forward.

Example:
    >>> import staffcast as sc
    >>> reg = sc.read_register("examples/data/employments.csv")
    >>> reg.employed_persons("2024-09-30")
"""

from __future__ import annotations

from .errors import StaffcastError, ValidationError
from .generate import generate
from .register import (
    Indicators,
    Register,
    SickLeave,
    read_indicators,
    read_register,
    read_sick_leave,
)

__version__ = "0.1.0"

__all__ = [
    "Indicators",
    "Register",
    "SickLeave",
    "StaffcastError",
    "ValidationError",
    "generate",
    "read_indicators",
    "read_register",
    "read_sick_leave",
    "__version__",
]
