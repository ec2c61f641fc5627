"""Synthetic registers for demos, tests and benchmarks."""

from __future__ import annotations

import datetime as _dt
import os
from typing import Union

from . import _core

__all__ = ["generate", "SAMPLE"]

#: The options that produce the bundled sample in examples/data: a
#: social-services committee of about 1,100 staff in three departments.
SAMPLE = dict(persons=1100, years=10, seed=20240930, extracted_on="2024-09-30", departments=3)


def generate(
    out_dir: Union[str, os.PathLike],
    persons: int = 1100,
    years: int = 10,
    seed: int = 1,
    extracted_on: Union[str, _dt.date] = "2024-09-30",
    departments: int = 0,
    sick_leave: bool = True,
    indicators: bool = True,
) -> dict[str, int]:
    """Write a synthetic register (employments.csv, sick_leave.csv, indicators.csv) to ``out_dir``.

    The same arguments give byte-identical files on any machine. ``persons`` is
    the headcount on ``extracted_on``; ``years`` the history before it;
    ``departments=0`` picks 3 for small organisations, else about persons/350.
    Returns the number of spells, persons ever employed, sick-leave records
    and indicator rows written.

    Example:
        >>> sc.generate("build/org", persons=40_000, years=10, seed=7)
    """
    if isinstance(extracted_on, _dt.date):
        extracted_on = extracted_on.isoformat()
    return dict(
        _core.generate(os.fspath(out_dir), int(persons), int(years), int(seed), str(extracted_on), int(departments),
                       bool(sick_leave), bool(indicators))
    )
