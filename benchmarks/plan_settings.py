"""The plan that benchmarks/compare.py builds on both sides: the day, the period,
the years, the grouping and the tables."""

AS_OF = "2024-09-30"           # the generator's extraction date
PERIOD = ("2023-10-01", "2024-09-30")  # rolling 12 months up to it
YEARS = [2025, 2026, 2027]
RETIREMENT_AGE = 65
BY = ["department", "age_band", "gender"]
PERMANENT = "permanent"        # flows, turnover and retirements are the permanent staff's, as in the plan

TABLES = ["snapshot", "flows", "average headcount", "turnover", "sick leave", "retirement outlook", "full time"]
# The plan's tables (docs/performance.md "the whole plan"); average headcount is inside turnover.
PLAN_TABLES = ["snapshot", "flows", "turnover", "sick leave", "retirement outlook", "full time"]

CATEGORICAL = ["gender", "employment_form", "position", "department", "end_reason", "recruitment_source"]
