"""What every validated input (register, sick leave, indicators) has in common: the
compiled core object, its warnings as a DataFrame, and the label of its source."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["Validated"]


class Validated:
    """A validated input: ``len()`` is its number of records, ``issues`` its warnings."""

    def __init__(self, core: Any, issues: pd.DataFrame, label: str) -> None:
        self._core = core
        self._issues = issues
        self.label = label

    def __len__(self) -> int:
        return len(self._core)

    @property
    def issues(self) -> pd.DataFrame:
        """The warnings found while reading (a copy), one row per issue with file, row and column."""
        return self._issues.copy()
