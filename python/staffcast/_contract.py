"""The input contract's columns and code lists (docs/data.md), shared by the readers,
the saved-register format and the mapping templates."""

from __future__ import annotations

__all__ = ["REGISTER_COLUMNS", "ENUM_NAMES"]

REGISTER_COLUMNS = [
    "employee_id",
    "birth_date",
    "gender",
    "employment_form",
    "position",
    "department",
    "fte",
    "start_date",
    "end_date",
    "end_reason",
    "recruitment_source",
    "manager_id",
]

# The code lists of the enumerated columns, in the core's code order (code 0 of
# end_reason and recruitment_source is "none").
ENUM_NAMES = {
    "gender": ["F", "M", "X"],
    "employment_form": ["permanent", "temporary", "hourly"],
    "end_reason": ["", "own_request", "retirement", "fixed_term_ended", "internal_move", "other_administration",
                   "dismissal", "death", "other"],
    "recruitment_source": ["", "internal", "other_administration", "external", "rehire"],
}
