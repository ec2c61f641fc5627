"""Cohort engine I: occurrence/exposure rates, tenure curves, the transition model."""

from __future__ import annotations

__all__: list[str] = []
