"""Type stubs of staffcast.report (the plan as one self-contained HTML file)."""

import os
from pathlib import Path
from typing import Any, Callable, Optional, Union

import pandas as pd

from .register import DateLike, Indicators, Register, SickLeave

__all__ = ["build_report", "write_report", "key_figures", "SECTIONS", "add_commands"]

SECTIONS: tuple[str, ...]

def key_figures(register: Register, as_of: Optional[DateLike] = ..., *, sick_leave: Optional[SickLeave] = ...,
                lang: str = ..., min_cell: Optional[int] = ..., sick_target: float = ...,
                retirement_age: int = ...) -> pd.DataFrame: ...
def build_report(register: Register, as_of: Optional[DateLike] = ..., *, sick_leave: Optional[SickLeave] = ...,
                 indicators: Optional[Indicators] = ..., lang: str = ..., min_cell: Optional[int] = ...,
                 sick_target: float = ..., short_term_target: float = ..., projection_years: int = ...,
                 retirement_age: int = ..., title: Optional[str] = ...) -> str: ...
def write_report(path: Union[str, os.PathLike[str]], register: Register, as_of: Optional[DateLike] = ...,
                 *, sick_leave: Optional[SickLeave] = ..., indicators: Optional[Indicators] = ..., lang: str = ...,
                 min_cell: Optional[int] = ..., sick_target: float = ..., short_term_target: float = ...,
                 projection_years: int = ..., retirement_age: int = ..., title: Optional[str] = ...) -> Path: ...
def add_commands(add: Callable[..., Any], common: Callable[..., None]) -> None: ...
