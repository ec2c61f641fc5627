"""The cells of Python's aligned and HTML tables come from the C++ table format (_core.format_cells)."""

import numpy as np
import pandas as pd

from staffcast import _core
from staffcast._table import format_csv, text_rows


def test_format_cells_by_kind():
    values = np.array([0.0423, 0.0425, 1.0, np.nan])
    assert _core.format_cells(values, "rate") == ["0.042300", "0.042500", "1.000000", ""]
    assert _core.format_cells(values, "rate", True) == ["4.2%", "4.2%", "100.0%", ""]
    assert _core.format_cells([2.5, None, pd.NA, True, "<5"], "count") == ["2", "", "", "true", "<5"]
    assert _core.format_cells(np.array([12.0, 0.125, -0.0]), "number") == ["12", "0.125", "0"]
    assert _core.format_cells(["Vård", None, float("nan"), 3], "key") == ["Vård", "", "", "3"]


def test_text_rows_are_the_csv_cells_except_rates_in_per_cent():
    frame = pd.DataFrame({"department": ["A", "Total"], "headcount": [3, 4], "fte": [2.5, 3.0],
                          "turnover": [0.125, np.nan], "missed": [True, False]})
    frame.attrs["staffcast"] = {"kinds": {"department": "key", "headcount": "count", "fte": "fte",
                                          "turnover": "rate", "missed": "flag"}}
    assert text_rows(frame) == [["A", "3", "2.50", "0.125000", "true"], ["Total", "4", "3.00", "", "false"]]
    assert text_rows(frame, percent=True)[0][3] == "12.5%"
    csv_rows = [line.split(",") for line in format_csv(frame).splitlines()[1:]]
    assert csv_rows == text_rows(frame)
    assert text_rows(frame[[]]) == [[], []]
