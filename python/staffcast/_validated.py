"""What every validated input (register, sick leave, indicators) has in common: the
compiled core object, its warnings as a DataFrame, and the label of its source."""

from __future__ import annotations

from typing import Any, Callable, Union

import pandas as pd

__all__ = ["Validated"]


class Validated:
    """A validated input: ``len()`` is its number of records, ``issues`` its warnings."""

    def __init__(self, core: Any, issues: Union[pd.DataFrame, Callable[[], pd.DataFrame]], label: str) -> None:
        """``issues``: the warnings, or a function that makes them when first asked for (a
        loaded register's warnings are rarely looked at, and the frame costs more than the
        load itself on small registers)."""
        self._core = core
        self._issue_frame = issues if isinstance(issues, pd.DataFrame) else None
        self._issue_source = None if isinstance(issues, pd.DataFrame) else issues
        self.label = label

    @property
    def _issues(self) -> pd.DataFrame:
        if self._issue_frame is None:
            self._issue_frame = self._issue_source()
            self._issue_source = None
        return self._issue_frame

    @_issues.setter
    def _issues(self, frame: pd.DataFrame) -> None:
        self._issue_frame = frame
        self._issue_source = None

    def __len__(self) -> int:
        return len(self._core)

    @property
    def issues(self) -> pd.DataFrame:
        """The warnings found while reading (a copy), one row per issue with file, row and column."""
        return self._issues.copy()
