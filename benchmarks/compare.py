#!/usr/bin/env python3
"""staffcast against the best pandas/numpy we can write (docs/performance.md).

    python benchmarks/compare.py --persons 200000 --out r200k.json [--repeat 5] [--seed 1]

Generates a register with ``sc.generate`` (10 years of history, fixed seed;
cached under the temp dir), then builds the plan's tables by department x
age_band x gender both with staffcast and with a vectorised pandas/numpy
baseline (``pd.read_csv(engine="pyarrow")``, categoricals, numpy kernels),
**checks that both give the same table** (same rows, same labels, values equal
to 1e-9 relative; exit status 1 and a diff if not), times each side (best of
``--repeat`` runs, in this process) and writes a JSON list of
``{"name", "staffcast_s", "baseline", "baseline_s", "ratio"}`` with
``ratio = baseline_s / staffcast_s``. Facts that are not timings of a table
(machine, versions, bytes per spell, memory growth during load, the baseline's
own split of its preparation) go to ``<out>.meta.json``.

The baseline implements the same rules as staffcast (docs/metrics.md): the main
spell (largest fte, earliest start, latest end, smallest form/department/
position), moves (an internal_move end and the person's next spell within 31
days) and continuations paired once on the whole register, spell filters with
the "partner outside the population" rule, the exact daily average headcount
with people changing age band on their birthdays (29 February -> 28 February),
sick-leave absences joined when records overlap or adjoin, extents capped at
1, day numbers from the absence's first day. Like staffcast at read time, it
pairs moves and continuations, maps sick-leave ids to persons and builds the
absences once in its "prepare" step, which is timed inside the whole plan.
It does not validate (that is staffcast's job; docs/performance.md asks for exactly
that comparison).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather  # noqa: F401  (pa.feather)

import staffcast as sc
from staffcast._io import write_text

# --------------------------------------------------------------------------- the plan

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


def staffcast_table(name: str, reg: sc.Register, sick: sc.SickLeave) -> pd.DataFrame:
    start, end = PERIOD
    if name == "snapshot":
        return sc.snapshot(reg, AS_OF, by=BY)
    if name == "flows":
        return sc.flows(reg, start, end, by=BY, employment_form=PERMANENT)
    if name == "average headcount":
        return sc.average_headcount(reg, start, end, by=BY, employment_form=PERMANENT)
    if name == "turnover":
        return sc.turnover(reg, start, end, by=BY, employment_form=PERMANENT)
    if name == "sick leave":
        return sc.sick_leave(reg, sick, start, end, by=BY, suppress=False).drop(columns=["suppressed"])
    if name == "retirement outlook":
        return sc.retirement_outlook(reg, AS_OF, years=YEARS, age=RETIREMENT_AGE, by=BY, employment_form=PERMANENT)
    if name == "full time":
        return sc.full_time(reg, AS_OF, by=BY)
    raise KeyError(name)


def staffcast_ingest(emp_path: Path, sick_path: Path) -> tuple[sc.Register, sc.SickLeave]:
    reg = sc.read_register(emp_path)
    return reg, sc.read_sick_leave(sick_path, register=reg)


def staffcast_plan(emp_path: Path, sick_path: Path) -> dict[str, pd.DataFrame]:
    reg, sick = staffcast_ingest(emp_path, sick_path)
    return {name: staffcast_table(name, reg, sick) for name in PLAN_TABLES}


def staffcast_saved_plan(register_path: Path, sick_path: Path) -> dict[str, pd.DataFrame]:
    """The plan from a saved register (Register.save, Arrow IPC); the sick leave is read from its CSV
    and validated against the register, as in the plan."""
    reg = sc.load_register(register_path)
    sick = sc.read_sick_leave(sick_path, register=reg)
    return {name: staffcast_table(name, reg, sick) for name in PLAN_TABLES}


# --------------------------------------------------------------------------- baseline: calendar helpers

OPEN = int(np.datetime64("9999-12-31", "D").astype(np.int64))  # open end, as a day number
MOVE_GAP = 31
AGE_EDGES = np.array([20, 30, 40, 50, 60, 65], dtype=np.int64)
AGE_LABELS = np.array(["15-19", "20-29", "30-39", "40-49", "50-59", "60-64", "65+"], dtype=object)
N_BANDS = len(AGE_LABELS)
GENDERS = np.array(["F", "M", "X"], dtype=object)
# Group keys are mixed-radix (department, age band, gender) numbers, so sorting keys sorts the labels
# by code point, column by column, as staffcast sorts its rows.
assert list(AGE_LABELS) == sorted(AGE_LABELS) and list(GENDERS) == sorted(GENDERS)

# kinds of starts and ends after pairing
RECRUITMENT, MOVE_IN, CONTINUATION = 0, 1, 2
OPEN_END, DEPARTURE, MOVE_OUT = 0, 1, 3


def day(text: str) -> int:
    return int(np.datetime64(text, "D").astype(np.int64))


def civil_from_days(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of day numbers (days since 1970-01-01), vectorised (H. Hinnant's algorithm)."""
    z = np.asarray(z, dtype=np.int64) + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    y = yoe + era * 400 + (m <= 2)
    return y, m, d


def days_from_civil(y, m, d) -> np.ndarray:
    y = np.asarray(y, dtype=np.int64) - (np.asarray(m) <= 2)
    m = np.asarray(m, dtype=np.int64)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + np.asarray(d, dtype=np.int64) - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def is_leap(y):
    y = np.asarray(y)
    return (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))


def age_on(birth_y, birth_md, days) -> np.ndarray:
    """Completed years on `days` (scalar or array) of people born on (birth_y, birth_md = month*100+day);
    someone born on 29 February has the birthday on 28 February in common years."""
    y, m, d = civil_from_days(np.asarray(days))
    md = m * 100 + d
    birthday_md = np.where((birth_md == 229) & ~is_leap(y), 228, birth_md)
    return y - birth_y - (md < birthday_md)


def first_of_runs(values: np.ndarray) -> np.ndarray:
    """Boolean mask of the first element of each run of equal values."""
    first = np.ones(len(values), dtype=bool)
    if len(values) > 1:
        np.not_equal(values[1:], values[:-1], out=first[1:])
    return first


# --------------------------------------------------------------------------- baseline: ingest


def baseline_read(emp_path: Path, sick_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both files with pd.read_csv(engine="pyarrow"): Arrow-backed columns (dates stay date32), the
    closed code lists and the organisation's names as categoricals. No validation."""
    emp = pd.read_csv(emp_path, engine="pyarrow", dtype_backend="pyarrow",
                      dtype={c: "category" for c in CATEGORICAL})
    sick = pd.read_csv(sick_path, engine="pyarrow", dtype_backend="pyarrow", dtype={"employee_id": "category"})
    return emp, sick


def baseline_read_c(emp_path: Path, sick_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both files with pandas' C engine: the same categoricals, dates parsed to datetime64 with the
    layout given (pandas' fast ISO path). No validation."""
    emp = pd.read_csv(emp_path, engine="c", dtype={c: "category" for c in CATEGORICAL},
                      parse_dates=["birth_date", "start_date", "end_date"], date_format="%Y-%m-%d")
    sick = pd.read_csv(sick_path, engine="c", dtype={"employee_id": "category"},
                       parse_dates=["start_date", "end_date"], date_format="%Y-%m-%d")
    return emp, sick


# The readers the baseline may use; run() times both and the plan baseline keeps the faster.
BASELINE_READERS: dict[str, Callable] = {"pyarrow": baseline_read, "c": baseline_read_c}
baseline_engine = "pyarrow"


def _days(column: pd.Series, missing: Optional[int] = None, dtype=np.int64) -> np.ndarray:
    if isinstance(column.dtype, np.dtype) and column.dtype.kind == "M":  # the C engine's dates (numpy datetime64)
        days = column.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
        if missing is not None:
            days[column.isna().to_numpy()] = missing
        return days.astype(dtype)
    as_int = column.astype("int32[pyarrow]")
    if missing is not None:
        as_int = as_int.fillna(missing)
    return as_int.to_numpy(dtype=dtype)


def _arrow(values) -> pa.Array:
    """Strings of a pandas Index/array as Arrow (zero-copy when Arrow-backed)."""
    try:
        return values.array.__arrow_array__()
    except AttributeError:
        return pa.array(np.asarray(values, dtype=object), type=pa.string())


def _index_in(values, value_set: pa.Array) -> np.ndarray:
    """Position of each value in value_set, -1 when absent."""
    found = pc.index_in(_arrow(values), value_set=value_set).to_numpy(zero_copy_only=False)
    if found.dtype.kind == "f":
        found = np.where(np.isnan(found), -1, found)
    return found.astype(np.int64)


def _code_point_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of a categorical column renumbered so that they order like the labels by code point."""
    labels = np.asarray(column.cat.categories.astype(object), dtype=object)
    order = np.array(sorted(range(len(labels)), key=lambda k: labels[k]), dtype=np.int64)
    rank = np.empty(len(labels) + 1, dtype=np.int64)
    rank[order] = np.arange(len(labels))
    rank[-1] = -1  # missing (code -1)
    return rank[column.cat.codes.to_numpy(dtype=np.int64)], labels[order]


def _hundredths(column: pd.Series) -> np.ndarray:
    return np.rint(column.fillna(0.0).to_numpy(dtype=np.float64) * 100.0).astype(np.int64)


@dataclass
class Prepared:
    """The register as sorted numpy columns (by person, start, end), paired; sick-leave pieces."""

    n: int = 0
    pid: np.ndarray = None
    birth_y: np.ndarray = None
    birth_md: np.ndarray = None
    birth_m: np.ndarray = None
    birth_d: np.ndarray = None
    gender: np.ndarray = None
    form: np.ndarray = None
    dept: np.ndarray = None
    pos: np.ndarray = None
    fte: np.ndarray = None
    start: np.ndarray = None
    end: np.ndarray = None
    internal_source: np.ndarray = None
    start_kind: np.ndarray = None
    end_kind: np.ndarray = None
    start_pairs: tuple = ()   # (spell, partner): partner started earlier and covers the day before the start
    end_pairs: tuple = ()     # (spell, partner): partner covers the day after the end
    dept_labels: np.ndarray = None
    permanent: int = -1
    extracted_on: int = 0
    # sick leave, one row per piece of an absence with constant (capped) extent
    sick_pid: np.ndarray = None
    sick_first: np.ndarray = None   # first day of the piece
    sick_last: np.ndarray = None    # last day (inclusive)
    sick_absence_first: np.ndarray = None
    sick_long: np.ndarray = None    # the absence lasts >= 60 days in all
    sick_extent: np.ndarray = None  # hundredths, capped at 100
    sick_records: int = 0
    timings: dict = field(default_factory=dict)

    @property
    def groups(self) -> int:
        return len(self.dept_labels) * N_BANDS * len(GENDERS)


def baseline_prepare(emp: pd.DataFrame, sick: pd.DataFrame) -> Prepared:
    """Columns to numpy, sort, pair moves and continuations, sick-leave absences (what staffcast does
    at read time, minus validation)."""
    t0 = time.perf_counter()
    P = Prepared()
    pid, person_ids = pd.factorize(emp["employee_id"])
    start = _days(emp["start_date"])
    end = _days(emp["end_date"], OPEN)
    birth = _days(emp["birth_date"])
    gender, gender_labels = _code_point_codes(emp["gender"])
    form, form_labels = _code_point_codes(emp["employment_form"])
    dept, dept_labels = _code_point_codes(emp["department"])
    pos, _ = _code_point_codes(emp["position"])
    reason, reason_labels = _code_point_codes(emp["end_reason"])
    source, source_labels = _code_point_codes(emp["recruitment_source"])
    fte = _hundredths(emp["fte"])
    # gender codes must be F, M, X positions even when a gender is absent from the file
    gender = np.searchsorted(GENDERS, gender_labels)[gender] if len(gender_labels) else gender

    # Sort by (person, start, end) unless the file already is (the generator writes it so).
    packed = (pid << 32) + (start + (1 << 30))
    tie = packed[1:] == packed[:-1]
    ordered = bool(np.all(packed[1:] >= packed[:-1]) and np.all(end[1:][tie] >= end[:-1][tie]))
    if not ordered:
        order = np.lexsort((end, start, pid))
        pid, start, end, birth, gender, form, dept, pos, reason, source, fte = (
            a[order] for a in (pid, start, end, birth, gender, form, dept, pos, reason, source, fte))
    n = len(pid)
    P.n, P.pid, P.start, P.end = n, pid, start, end
    P.gender, P.form, P.dept, P.pos, P.fte = gender, form, dept, pos, fte
    by_, bm, bd = civil_from_days(birth)
    P.birth_y, P.birth_m, P.birth_d, P.birth_md = by_, bm, bd, bm * 100 + bd
    P.dept_labels = dept_labels
    P.permanent = int(np.searchsorted(form_labels, PERMANENT)) if PERMANENT in set(form_labels) else -1
    internal = int(np.searchsorted(source_labels, "internal")) if "internal" in set(source_labels) else -2
    P.internal_source = source == internal
    P.extracted_on = int(start.max()) if n else 0
    move_code = int(np.searchsorted(reason_labels, "internal_move")) if "internal_move" in set(reason_labels) else -2
    P.timings["columns"] = time.perf_counter() - t0

    # ---- moves and continuations, once on the whole register (docs/metrics.md)
    t1 = time.perf_counter()
    first = first_of_runs(pid)
    block = np.cumsum(first) - 1
    block_start = np.flatnonzero(first)
    block_len = np.diff(np.append(block_start, n))
    run_len = block_len[block]
    # Pairs of spells of one person at distance d in the sorted order: a before b, so start[a] <= start[b].
    end_own, end_partner, start_own, start_partner = [], [], [], []
    a = np.flatnonzero(run_len > 1)
    d = 1
    while len(a):
        a = a[a + d < n]
        a = a[pid[a + d] == pid[a]]
        if not len(a):
            break
        b = a + d
        sa, sb, ea, eb = start[a], start[b], end[a], end[b]
        m = (ea != OPEN) & (sb <= ea + 1) & (eb >= ea + 1)  # b covers the day after a ends
        end_own.append(a[m]); end_partner.append(b[m])
        m = (eb != OPEN) & (sa <= eb + 1) & (ea >= eb + 1)  # a covers the day after b ends
        end_own.append(b[m]); end_partner.append(a[m])
        m = (sa < sb) & (ea >= sb - 1)                       # a started earlier and covers the day before b
        start_own.append(b[m]); start_partner.append(a[m])
        d += 1
    cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0, np.int64)  # noqa: E731
    P.end_pairs = (cat(end_own), cat(end_partner))
    P.start_pairs = (cat(start_own), cat(start_partner))

    start_kind = np.zeros(n, dtype=np.int8)
    end_kind = np.where(end == OPEN, OPEN_END, DEPARTURE).astype(np.int8)
    # Moves: an internal_move end pairs with the person's next spell (the first that starts later)
    # when it starts at most 31 days after the end (overlap allowed).
    movers = np.flatnonzero((reason == move_code) & (end != OPEN))
    key = (pid << 32) + (start + (1 << 30))
    nxt = np.searchsorted(key, key[movers], side="right")
    ok = nxt < n
    ok[ok] = (pid[nxt[ok]] == pid[movers[ok]]) & (start[nxt[ok]] - end[movers[ok]] <= MOVE_GAP)
    end_kind[movers[ok]] = MOVE_OUT
    start_kind[nxt[ok]] = MOVE_IN
    continued_end = np.zeros(n, dtype=bool)
    continued_end[P.end_pairs[0]] = True
    end_kind[continued_end & (end_kind == DEPARTURE)] = CONTINUATION
    continued_start = np.zeros(n, dtype=bool)
    continued_start[P.start_pairs[0]] = True
    start_kind[continued_start & (start_kind == RECRUITMENT)] = CONTINUATION
    P.start_kind, P.end_kind = start_kind, end_kind
    P.timings["pairing"] = time.perf_counter() - t1

    # ---- sick leave: records to persons, absences, pieces of constant extent
    t2 = time.perf_counter()
    value_set = _arrow(person_ids)
    if isinstance(person_ids, pd.Index) and hasattr(value_set, "combine_chunks"):
        value_set = value_set.combine_chunks()
    ids = sick["employee_id"]
    if isinstance(ids.dtype, pd.CategoricalDtype):  # map each distinct key once, then the codes
        person_of = np.append(_index_in(ids.cat.categories, value_set), -1)
        spid = person_of[ids.cat.codes.to_numpy(dtype=np.int64)]
    else:
        spid = _index_in(ids, value_set)
    known = spid >= 0
    s_start = _days(sick["start_date"], dtype=np.int32)
    s_end = _days(sick["end_date"], dtype=np.int32)
    s_ext = _hundredths(sick["extent"]).astype(np.int32)
    if not known.all():  # records of persons not in the register never count
        spid, s_start, s_end, s_ext = spid[known], s_start[known], s_end[known], s_ext[known]
    P.sick_records = n_sick = len(spid)
    packed = (spid << 32) + (s_start + (1 << 30))
    if not np.all(packed[1:] >= packed[:-1]):  # by person and start (the order of equal starts is irrelevant)
        order = np.argsort(packed, kind="stable")
        spid, s_start, s_end, s_ext = spid[order], s_start[order], s_end[order], s_ext[order]
    del packed
    same = spid[1:] == spid[:-1]
    overlapping = same & (s_start[1:] <= s_end[:-1])
    if not overlapping.any():
        # No record overlaps its predecessor, hence none overlaps any earlier one: each record is a
        # piece of constant extent, and absences are runs of adjoining records.
        new_absence = np.ones(n_sick, dtype=bool)
        new_absence[1:] = ~same | (s_start[1:] > s_end[:-1] + 1)
        heads = np.flatnonzero(new_absence)
        counts = np.diff(np.append(heads, n_sick))
        a_first = s_start[heads]
        a_long = (s_end[heads + counts - 1] - a_first + 1) >= 60
        P.sick_pid, P.sick_first, P.sick_last, P.sick_extent = spid, s_start, s_end, np.minimum(s_ext, 100)
        P.sick_absence_first = np.repeat(a_first, counts)
        P.sick_long = np.repeat(a_long, counts)
    else:
        # Running maximum of the end within each person: pid dominates the packed key.
        run_end = np.maximum.accumulate((spid << 32) + (s_end + (1 << 30)))
        prev_end = np.empty_like(s_end)
        prev_end[1:] = (run_end[:-1] & ((1 << 32) - 1)) - (1 << 30)
        same = np.concatenate([[False], same])
        new_absence = ~same | (s_start > prev_end + 1)  # overlapping or adjoining records join
        overlapping = same & (s_start <= prev_end)       # extents may add up here
        absence = np.cumsum(new_absence) - 1
        heads = np.flatnonzero(new_absence)
        a_first = s_start[heads]
        a_last = np.maximum.reduceat(s_end, heads) if len(heads) else s_end[:0]
        a_long = (a_last - a_first + 1) >= 60
        # Absences with overlapping records: sweep their extent changes into pieces of constant extent.
        mixed = np.zeros(len(heads), dtype=bool)
        mixed[absence[overlapping]] = True
        inside = mixed[absence]
        ab = absence[inside]
        ev_abs = np.concatenate([ab, ab])
        ev_day = np.concatenate([s_start[inside], s_end[inside] + 1])
        ev_delta = np.concatenate([s_ext[inside], -s_ext[inside]])
        order = np.lexsort((ev_day, ev_abs))
        ev_abs, ev_day, level = ev_abs[order], ev_day[order], np.cumsum(ev_delta[order])
        last_of_day = np.ones(len(ev_day), dtype=bool)
        last_of_day[:-1] = (ev_abs[1:] != ev_abs[:-1]) | (ev_day[1:] != ev_day[:-1])
        ev_abs, ev_day, level = ev_abs[last_of_day], ev_day[last_of_day], level[last_of_day]
        k = np.flatnonzero((ev_abs[:-1] == ev_abs[1:]) & (level[:-1] > 0))
        plain = ~inside
        pieces_abs = np.concatenate([absence[plain], ev_abs[k]])
        P.sick_first = np.concatenate([s_start[plain], ev_day[k]])
        P.sick_last = np.concatenate([s_end[plain], ev_day[k + 1] - 1])
        P.sick_extent = np.minimum(np.concatenate([s_ext[plain], level[k]]), 100)
        P.sick_pid = spid[heads][pieces_abs]
        P.sick_absence_first = a_first[pieces_abs]
        P.sick_long = a_long[pieces_abs]
    P.timings["sick leave"] = time.perf_counter() - t2
    return P


# --------------------------------------------------------------------------- baseline: tables


def group_key(P: Prepared, rows: np.ndarray, age: np.ndarray) -> np.ndarray:
    band = np.searchsorted(AGE_EDGES, age, side="right")
    return (P.dept[rows] * N_BANDS + band) * 3 + P.gender[rows]


def labelled(P: Prepared, keys: np.ndarray, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """A result frame: the labels of the (sorted) group keys, then the value columns."""
    gender = keys % 3
    band = (keys // 3) % N_BANDS
    dept = keys // (3 * N_BANDS)
    frame = {"department": P.dept_labels[dept], "age_band": AGE_LABELS[band], "gender": GENDERS[gender]}
    frame.update(values)
    return pd.DataFrame(frame)


def main_spells(P: Prepared, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows sorted by person: each person's main spell (docs/metrics.md) and summed fte (hundredths)."""
    heads = np.flatnonzero(first_of_runs(P.pid[rows]))
    counts = np.diff(np.append(heads, len(rows)))
    fte = P.fte[rows]
    fte_sum = np.add.reduceat(fte, heads) if len(heads) else fte[:0]
    main = rows[heads]
    several = counts > 1
    if several.any():  # only people holding several spells need the tie-break sort
        member = np.repeat(several, counts)
        cand = rows[member]
        person = np.repeat(np.arange(len(heads)), counts)[member]
        order = np.lexsort((P.pos[cand], P.dept[cand], P.form[cand], -P.end[cand], P.start[cand], -P.fte[cand],
                            person))
        best = order[first_of_runs(person[order])]
        main[person[best]] = cand[best]
    return main, fte_sum


@dataclass
class Segments:
    """Stretches of days in [A, B] on which a person's main spell and summed fte do not change,
    sorted by (person, first day)."""

    pid: np.ndarray
    first: np.ndarray
    last: np.ndarray
    main: np.ndarray
    fte: np.ndarray


def segments(P: Prepared, keep: np.ndarray, a: int, b: int) -> Segments:
    rows = np.flatnonzero(keep & (P.start <= b) & (P.end >= a))
    pid = P.pid[rows]
    heads = np.flatnonzero(first_of_runs(pid))
    counts = np.diff(np.append(heads, len(rows)))
    # One spell in the period: one segment, the spell clipped to it (most people).
    one = rows[heads[counts == 1]]
    parts = [(P.pid[one], np.maximum(P.start[one], a), np.minimum(P.end[one], b), one, P.fte[one])]
    several = counts > 1
    if several.any():
        member = np.repeat(several, counts)
        cand_rows = rows[member]                      # spells of people with several, by person
        person = np.repeat(np.arange(several.sum()), counts[several])
        bstart = np.flatnonzero(first_of_runs(person))
        blen = counts[several]
        # cuts: the period's ends, starts inside it, days after ends inside it
        s, e = P.start[cand_rows], P.end[cand_rows]
        cut_person = np.concatenate([np.arange(len(blen)), np.arange(len(blen)), person[s > a], person[e < b]])
        cut_day = np.concatenate([np.full(len(blen), a), np.full(len(blen), b + 1), s[s > a], e[e < b] + 1])
        keys = np.unique((cut_person << 32) + (cut_day - a))
        kp, kd = keys >> 32, (keys & 0xFFFFFFFF) + a
        k = np.flatnonzero(kp[:-1] == kp[1:])
        seg_person, seg_first, seg_last = kp[k], kd[k], kd[k + 1] - 1
        # every spell of the person against every segment: covered on the segment's first day?
        reps = blen[seg_person]
        seg = np.repeat(np.arange(len(k)), reps)
        offset = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
        cand = cand_rows[bstart[seg_person][seg] + offset]
        cover = (P.start[cand] <= seg_first[seg]) & (P.end[cand] >= seg_first[seg])
        seg, cand = seg[cover], cand[cover]
        seg_fte = np.bincount(seg, weights=P.fte[cand], minlength=len(k)).astype(np.int64)
        order = np.lexsort((P.pos[cand], P.dept[cand], P.form[cand], -P.end[cand], P.start[cand], -P.fte[cand], seg))
        best = order[first_of_runs(seg[order])]
        main = np.full(len(k), -1, dtype=np.int64)
        main[seg[best]] = cand[best]
        employed = main >= 0
        main = main[employed]
        parts.append((P.pid[main], seg_first[employed], seg_last[employed], main, seg_fte[employed]))
    cols = [np.concatenate(c) for c in zip(*parts)]
    if len(parts) > 1:  # two runs sorted by (person, first day): a stable sort merges them in linear time
        order = np.argsort((cols[0] << 32) + (cols[1] + (1 << 30)), kind="stable")
        cols = [c[order] for c in cols]
    return Segments(*cols)


def birthday_pieces(P: Prepared, seg: Segments, a: int, b: int) -> tuple[np.ndarray, ...]:
    """Segments cut at the main spell's birthdays: (segment index, first, last, age), in order."""
    m = seg.main
    by_, bm, bd = P.birth_y[m], P.birth_m[m], P.birth_d[m]
    y_first, y_last = int(civil_from_days(a)[0]), int(civil_from_days(b)[0])
    bounds = [seg.first]
    for year in range(y_first, y_last + 1):
        birthday = days_from_civil(year, bm, np.where((bm == 2) & (bd == 29) & (not is_leap(year)), 28, bd))
        bounds.append(np.clip(birthday, seg.first, seg.last + 1))
    bounds.append(seg.last + 1)
    lo = np.stack(bounds[:-1], axis=1)  # (segments, pieces): piece k starts at the k-th birthday in the period
    hi = np.stack(bounds[1:], axis=1)
    age = (y_first - 1 - by_)[:, None] + np.arange(lo.shape[1])[None, :]
    nonempty = hi > lo
    seg_index = np.broadcast_to(np.arange(len(m))[:, None], lo.shape)[nonempty]
    return seg_index, lo[nonempty], hi[nonempty] - 1, age[nonempty]


def baseline_snapshot(P: Prepared) -> pd.DataFrame:
    d = day(AS_OF)
    rows = np.flatnonzero((P.start <= d) & (P.end >= d))
    main, _ = main_spells(P, rows)
    G = P.groups
    age_main = age_on(P.birth_y[main], P.birth_md[main], d)
    key = group_key(P, main, age_main)
    headcount = np.bincount(key, minlength=G)
    age_sum = np.bincount(key, weights=age_main, minlength=G)
    paid = rows[P.fte[rows] > 0]  # fte: every spell in its own group
    key_f = group_key(P, paid, age_on(P.birth_y[paid], P.birth_md[paid], d))
    fte = np.bincount(key_f, weights=P.fte[paid], minlength=G)
    keys = np.flatnonzero((headcount > 0) | (fte > 0))
    hc = headcount[keys]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_age = np.where(hc > 0, age_sum[keys] / np.maximum(hc, 1), np.nan)
    return labelled(P, keys, {"headcount": hc.astype(np.int64), "fte": fte[keys] / 100.0, "mean_age": mean_age})


def flow_events(P: Prepared, keep: np.ndarray, a: int, b: int) -> dict[str, np.ndarray]:
    """Spells whose start or end counts as each kind of event in [a, b] for the population `keep`."""
    own, partner = P.start_pairs
    start_inside = np.zeros(P.n, dtype=bool)
    start_inside[own[keep[partner]]] = True  # a predecessor in the population: not a recruitment
    own, partner = P.end_pairs
    end_inside = np.zeros(P.n, dtype=bool)
    end_inside[own[keep[partner]]] = True
    started = keep & (P.start >= a) & (P.start <= b) & (P.start <= P.extracted_on)
    ended = keep & (P.end != OPEN) & (P.end >= a) & (P.end <= b) & (P.end <= P.extracted_on)
    sk, ek = P.start_kind, P.end_kind
    continued_from_outside = started & (sk == CONTINUATION) & ~start_inside  # source internal
    return {
        "recruitment": np.flatnonzero(started & (sk == RECRUITMENT)),
        "recruitment_internal": np.flatnonzero(continued_from_outside),
        "move_in": np.flatnonzero(started & (sk == MOVE_IN)),
        "departure": np.flatnonzero(ended & ((ek == DEPARTURE) | ((ek == CONTINUATION) & ~end_inside))),
        "move_out": np.flatnonzero(ended & (ek == MOVE_OUT)),
    }


def event_keys(P: Prepared, rows: np.ndarray, days: np.ndarray) -> np.ndarray:
    return group_key(P, rows, age_on(P.birth_y[rows], P.birth_md[rows], days))


def baseline_flows(P: Prepared) -> pd.DataFrame:
    a, b = day(PERIOD[0]), day(PERIOD[1])
    ev = flow_events(P, P.form == P.permanent, a, b)
    G = P.groups
    count = lambda rows, days: np.bincount(event_keys(P, rows, days), minlength=G)  # noqa: E731
    recruited = np.concatenate([ev["recruitment"], ev["recruitment_internal"]])
    values = {
        "departures": count(ev["departure"], P.end[ev["departure"]]),
        "recruitments": count(recruited, P.start[recruited]),
        "moves_out": count(ev["move_out"], P.end[ev["move_out"]]),
        "moves_in": count(ev["move_in"], P.start[ev["move_in"]]),
    }
    keys = np.flatnonzero(sum(values.values()) > 0)
    return labelled(P, keys, {k: v[keys].astype(np.int64) for k, v in values.items()})


def person_days(P: Prepared, keep: np.ndarray, a: int, b: int) -> np.ndarray:
    seg = segments(P, keep, a, b)
    index, first, last, age = birthday_pieces(P, seg, a, b)
    key = group_key(P, seg.main[index], age)
    return np.bincount(key, weights=last - first + 1, minlength=P.groups)


def baseline_average_headcount(P: Prepared) -> pd.DataFrame:
    a, b = day(PERIOD[0]), day(PERIOD[1])
    days = person_days(P, P.form == P.permanent, a, b)
    keys = np.flatnonzero(days > 0)
    return labelled(P, keys, {"average_headcount": days[keys] / float(b - a + 1)})


def baseline_turnover(P: Prepared) -> pd.DataFrame:
    """The municipal definition: (recruitments with source other than internal + departures) / 2 /
    exact daily average headcount."""
    a, b = day(PERIOD[0]), day(PERIOD[1])
    keep = P.form == P.permanent
    days = person_days(P, keep, a, b)
    ev = flow_events(P, keep, a, b)
    G = P.groups
    rec = ev["recruitment"][~P.internal_source[ev["recruitment"]]]
    recruitments = np.bincount(event_keys(P, rec, P.start[rec]), minlength=G)
    departures = np.bincount(event_keys(P, ev["departure"], P.end[ev["departure"]]), minlength=G)
    keys = np.flatnonzero((days > 0) | (recruitments > 0) | (departures > 0))
    average = days[keys] / float(b - a + 1)
    r, d = recruitments[keys], departures[keys]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(average > 0, (r + d) / 2.0 / np.where(average > 0, average, 1.0), np.nan)
    return labelled(P, keys, {"average_headcount": average, "recruitments": r.astype(np.int64),
                              "departures": d.astype(np.int64), "turnover": rate})


def baseline_sick_leave(P: Prepared) -> pd.DataFrame:
    a, b = day(PERIOD[0]), day(PERIOD[1])
    G = P.groups
    seg = segments(P, P.fte > 0, a, b)  # hourly spells without fte are left out
    index, first, last, age = birthday_pieces(P, seg, a, b)
    pid = seg.pid[index]
    key = group_key(P, seg.main[index], age)
    weight = np.minimum(seg.fte[index], 100) / 100.0
    fte_days = np.bincount(key, weights=weight * (last - first + 1), minlength=G)
    person_groups = pd.unique((pid << 20) + key)  # distinct (person, group)
    persons = np.bincount(person_groups & ((1 << 20) - 1), minlength=G)

    # absence pieces in the period against the keyed segments (sorted by person, first day)
    sel = np.flatnonzero((P.sick_last >= a) & (P.sick_first <= b))
    s_pid, s_first, s_last = P.sick_pid[sel], P.sick_first[sel], P.sick_last[sel]
    s_extent, s_absence_first, s_long = P.sick_extent[sel], P.sick_absence_first[sel], P.sick_long[sel]
    packed = (pid << 32) + (first + (1 << 30))
    lo = np.searchsorted(packed, (s_pid << 32) + (s_first + (1 << 30)), side="right") - 1
    lo_ok = lo >= 0
    lo_ok[lo_ok] = (pid[lo[lo_ok]] == s_pid[lo_ok]) & (last[lo[lo_ok]] >= s_first[lo_ok])
    lo = np.where(lo_ok, lo, lo + 1)
    hi = np.searchsorted(packed, (s_pid << 32) + (s_last + (1 << 30)), side="right") - 1
    reps = np.maximum(hi - lo + 1, 0)
    piece = np.repeat(np.arange(len(reps)), reps)
    at = np.repeat(lo, reps) + (np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps))
    f = np.maximum(s_first[piece], first[at])
    l_ = np.minimum(s_last[piece], last[at])
    ok = (pid[at] == s_pid[piece]) & (f <= l_)
    piece, at, f, l_ = piece[ok], at[ok], f[ok], l_[ok]
    amount = s_extent[piece] / 100.0 * weight[at]
    absence_first = s_absence_first[piece]
    d0 = f - absence_first + 1
    d1 = l_ - absence_first + 1
    sick_time = amount * (d1 - d0 + 1)
    short = amount * np.maximum(np.minimum(d1, 14) - d0 + 1, 0)
    late = amount * np.maximum(d1 - np.maximum(d0, 60) + 1, 0)
    long_ = np.where(s_long[piece], sick_time, 0.0)
    k = key[at]
    sick = np.bincount(k, weights=sick_time, minlength=G)
    short = np.bincount(k, weights=short, minlength=G)
    late = np.bincount(k, weights=late, minlength=G)
    long_ = np.bincount(k, weights=long_, minlength=G)

    keys = np.flatnonzero(persons > 0)
    denom = fte_days[keys]
    with np.errstate(invalid="ignore", divide="ignore"):
        safe = np.where(denom > 0, denom, 1.0)
        total = sick[keys]
        values = {
            "persons": persons[keys].astype(np.int64),
            "fte_days": denom,
            "sick_rate": np.where(denom > 0, total / safe, np.nan),
            "short_term_rate": np.where(denom > 0, short[keys] / safe, np.nan),
            "from_day_60_rate": np.where(denom > 0, late[keys] / safe, np.nan),
            "long_term_share": np.where(total > 0, long_[keys] / np.where(total > 0, total, 1.0), np.nan),
        }
    return labelled(P, keys, values)


def baseline_retirement_outlook(P: Prepared) -> pd.DataFrame:
    d = day(AS_OF)
    rows = np.flatnonzero((P.form == P.permanent) & (P.start <= d) & (P.end >= d))
    main, _ = main_spells(P, rows)
    G = P.groups
    key = group_key(P, main, age_on(P.birth_y[main], P.birth_md[main], d))
    reach = P.birth_y[main] + RETIREMENT_AGE  # the year of the 65th birthday (29 Feb -> 28 Feb, same year)
    values = {"already_past": np.bincount(key, weights=reach < YEARS[0], minlength=G)}
    for year in YEARS:
        values[str(year)] = np.bincount(key, weights=reach == year, minlength=G)
    keys = np.flatnonzero(np.bincount(key, minlength=G) > 0)
    out = {k: v[keys].astype(np.int64) for k, v in values.items()}
    out["total"] = sum(out.values())
    return labelled(P, keys, out)


def baseline_full_time(P: Prepared) -> pd.DataFrame:
    d = day(AS_OF)
    rows = np.flatnonzero((P.start <= d) & (P.end >= d))
    main, fte = main_spells(P, rows)
    paid = fte > 0
    main, fte = main[paid], fte[paid]
    G = P.groups
    key = group_key(P, main, age_on(P.birth_y[main], P.birth_md[main], d))
    persons = np.bincount(key, minlength=G)
    full = np.bincount(key, weights=fte >= 100, minlength=G).astype(np.int64)
    keys = np.flatnonzero(persons > 0)
    n, f = persons[keys].astype(np.int64), full[keys]
    return labelled(P, keys, {"persons": n, "full_time": f, "part_time": n - f, "full_time_share": f / n})


BASELINE_TABLES: dict[str, Callable[[Prepared], pd.DataFrame]] = {
    "snapshot": baseline_snapshot,
    "flows": baseline_flows,
    "average headcount": baseline_average_headcount,
    "turnover": baseline_turnover,
    "sick leave": baseline_sick_leave,
    "retirement outlook": baseline_retirement_outlook,
    "full time": baseline_full_time,
}


def baseline_plan(emp_path: Path, sick_path: Path) -> dict[str, pd.DataFrame]:
    P = baseline_prepare(*BASELINE_READERS[baseline_engine](emp_path, sick_path))
    return {name: BASELINE_TABLES[name](P) for name in PLAN_TABLES}


def baseline_save(emp_path: Path, sick_path: Path, emp_arrow: Path) -> None:
    """The baseline's saved register: the frame baseline_read makes (typed, categoricals) as Feather v2."""
    emp, _ = baseline_read(emp_path, sick_path)
    emp.to_feather(emp_arrow)


def baseline_read_saved(emp_arrow: Path, sick_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    # As baseline_read's frames: dictionaries as categoricals, everything else Arrow-backed.
    emp = pa.feather.read_table(emp_arrow).to_pandas(
        types_mapper=lambda t: None if pa.types.is_dictionary(t) else pd.ArrowDtype(t))
    sick = pd.read_csv(sick_path, engine="pyarrow", dtype_backend="pyarrow", dtype={"employee_id": "category"})
    return emp, sick


def baseline_saved_plan(emp_arrow: Path, sick_path: Path) -> dict[str, pd.DataFrame]:
    P = baseline_prepare(*baseline_read_saved(emp_arrow, sick_path))
    return {name: BASELINE_TABLES[name](P) for name in PLAN_TABLES}


# --------------------------------------------------------------------------- checking


class Mismatch(AssertionError):
    pass


def check_same(name: str, ours: pd.DataFrame, theirs: pd.DataFrame, rtol: float = 1e-9) -> None:
    """Raises Mismatch with a readable diff unless both tables have the same columns, the same rows
    with the same labels, and values equal to `rtol` relative (NaN equal to NaN)."""
    ours = ours.reset_index(drop=True)
    theirs = theirs.reset_index(drop=True)
    problems = []
    if ours.columns.tolist() != theirs.columns.tolist():
        raise Mismatch(f"{name}: columns differ\n  staffcast: {ours.columns.tolist()}\n"
                       f"  baseline:  {theirs.columns.tolist()}")
    keys = [c for c in BY if c in ours.columns]
    lab_a = ours[keys].astype(str).agg("|".join, axis=1) if keys else pd.Series([""] * len(ours))
    lab_b = theirs[keys].astype(str).agg("|".join, axis=1) if keys else pd.Series([""] * len(theirs))
    if len(ours) != len(theirs) or not (lab_a.to_numpy() == lab_b.to_numpy()).all():
        only_a = sorted(set(lab_a) - set(lab_b))
        only_b = sorted(set(lab_b) - set(lab_a))
        raise Mismatch(f"{name}: rows differ ({len(ours)} staffcast, {len(theirs)} baseline)\n"
                       f"  only in staffcast: {only_a[:10]}\n  only in baseline:  {only_b[:10]}")
    bad_rows = np.zeros(len(ours), dtype=bool)
    for column in ours.columns:
        if column in keys:
            continue
        a = ours[column].to_numpy(dtype=np.float64, na_value=np.nan)
        b = theirs[column].to_numpy(dtype=np.float64, na_value=np.nan)
        close = np.isclose(a, b, rtol=rtol, atol=1e-12) | (np.isnan(a) & np.isnan(b))
        if not close.all():
            problems.append(f"{column}: {int((~close).sum())} of {len(close)} values differ")
            bad_rows |= ~close
    if problems:
        rows = np.flatnonzero(bad_rows)[:10]
        diff = pd.concat({"staffcast": ours.iloc[rows], "baseline": theirs.iloc[rows]}, axis=1)
        with pd.option_context("display.width", 200, "display.max_columns", 40):
            raise Mismatch(f"{name}: " + "; ".join(problems) + "\n" + textwrap.indent(diff.to_string(), "  "))


# --------------------------------------------------------------------------- timing


def best_of(repeat: int, function: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - t0)
    return best


def best_of_pair(repeat: int, ours: Callable[[], object], theirs: Callable[[], object]) -> tuple[float, float]:
    """Best wall time of each side over `repeat` runs, alternating the sides so that both see the
    same background load."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for k, function in enumerate((ours, theirs)):
            gc.collect()
            t0 = time.perf_counter()
            function()
            best[k] = min(best[k], time.perf_counter() - t0)
    return best[0], best[1]


def row(name: str, staffcast_s: float, baseline: str, baseline_s: float) -> dict:
    return {"name": name, "staffcast_s": staffcast_s, "baseline": baseline, "baseline_s": baseline_s,
            "ratio": baseline_s / staffcast_s if staffcast_s > 0 else float("inf")}


def rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


MEMORY_PROBE = """
import ctypes, gc, json, os, sys
sys.path.insert(0, {here!r})
import compare
import staffcast as sc
gc.collect()
before = compare.rss_bytes()
reg = sc.read_register({emp!r})
gc.collect()
after = compare.rss_bytes()
try:  # glibc keeps the reader's freed temporaries; trimmed, the growth is what the register holds
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    trimmed = compare.rss_bytes()
except OSError:
    trimmed = after
emp, sick = compare.baseline_read({emp!r}, {sick!r})
frame_bytes = int(emp.memory_usage(deep=True).sum())
print(json.dumps({{"spells": len(reg), "nbytes": reg.nbytes, "growth": after - before,
                  "growth_trimmed": trimmed - before, "pandas_frame_bytes": frame_bytes}}))
"""


SAVED_MEMORY_PROBE = """
import gc, json, sys
sys.path.insert(0, {here!r})
import compare
import staffcast as sc
sc.load_register({saved!r})  # imports and first-call set-up out of the measure
gc.collect()
before = compare.rss_bytes()
reg = sc.load_register({saved!r})
gc.collect()
print(json.dumps({{"spells": len(reg), "nbytes": reg.nbytes, "growth": compare.rss_bytes() - before}}))
"""


def _probe(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def saved_memory(saved: Path) -> dict:
    """`spells`, `nbytes` and the RSS `growth` of loading the saved register, in a fresh process."""
    return _probe(SAVED_MEMORY_PROBE.format(here=str(Path(__file__).resolve().parent), saved=str(saved)))


def memory_facts(emp_path: Path, sick_path: Path, saved: Optional[Path] = None) -> dict:
    """Register.nbytes per spell and the process's RSS growth while reading the CSV, and while
    loading the saved register when given (each in a fresh process)."""
    here = str(Path(__file__).resolve().parent)
    facts = _probe(MEMORY_PROBE.format(here=here, emp=str(emp_path), sick=str(sick_path)))
    spells = facts["spells"]
    out = {"spells": spells, "nbytes_per_spell": facts["nbytes"] / spells,
           "rss_growth_per_spell": facts["growth"] / spells,
           "rss_growth_after_malloc_trim_per_spell": facts["growth_trimmed"] / spells,
           "pandas_frame_bytes_per_spell": facts["pandas_frame_bytes"] / spells}
    if saved is not None:
        loaded = saved_memory(saved)
        out["load_nbytes_per_spell"] = loaded["nbytes"] / loaded["spells"]
        out["load_rss_growth_per_spell"] = loaded["growth"] / loaded["spells"]
    return out


def call_overhead(workdir: Path, seed: int, calls: int = 300) -> dict[str, dict[str, float]]:
    """Seconds per call of statistics on a 1,000-person register (min and median of `calls`)."""
    small = workdir / f"overhead-1000-{seed}"
    if not (small / "employments.csv").exists() or not (small / "sick_leave.csv").exists():
        sc.generate(small, persons=1000, years=10, seed=seed, indicators=False)
    reg, sick = staffcast_ingest(small / "employments.csv", small / "sick_leave.csv")
    # The calls as an analyst makes them: staffcast_table's, except for sick leave, which it adapts to
    # the baseline's table (dropping `suppressed` costs pandas more than the whole statistic); here
    # sick leave is called with its disclosure control on.
    statistics = {
        "snapshot": lambda: staffcast_table("snapshot", reg, sick),
        "turnover": lambda: staffcast_table("turnover", reg, sick),
        "sick leave": lambda: sc.sick_leave(reg, sick, *PERIOD, by=BY),
    }
    out = {}
    for name, statistic in statistics.items():
        statistic()
        samples = []
        for _ in range(calls):
            t0 = time.perf_counter()
            statistic()
            samples.append(time.perf_counter() - t0)
        out[name] = {"min_s": float(np.min(samples)), "median_s": float(np.median(samples))}
    return out


def machine_facts() -> dict:
    facts = {"python": platform.python_version(), "pandas": pd.__version__, "numpy": np.__version__,
             "pyarrow": pa.__version__, "staffcast": sc.__version__, "cpus": os.cpu_count(),
             "platform": platform.platform()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in lscpu.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("Model name", "Core(s) per socket", "Socket(s)", "Thread(s) per core"):
                facts[key.strip()] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return facts


# --------------------------------------------------------------------------- main


def generated(persons: int, seed: int, workdir: Optional[Path], regenerate: bool = False) -> tuple[Path, Path]:
    base = workdir or Path(tempfile.gettempdir()) / "staffcast-compare"
    out = base / f"persons-{persons}-seed-{seed}"
    emp, sick = out / "employments.csv", out / "sick_leave.csv"
    if regenerate or not (emp.exists() and sick.exists()):
        sc.generate(out, persons=persons, years=10, seed=seed, indicators=False)
    return emp, sick


def check_plan(emp_path: Path, sick_path: Path) -> tuple[sc.Register, sc.SickLeave, Prepared,
                                                           dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Builds every table both ways and checks them; raises Mismatch with a diff on the first difference."""
    reg, sick = staffcast_ingest(emp_path, sick_path)
    emp, sick_frame = baseline_read(emp_path, sick_path)
    if len(emp) != len(reg) or len(sick_frame) != len(sick):
        raise Mismatch(f"ingest: row counts differ: register {len(reg)} vs {len(emp)}, "
                       f"sick leave {len(sick)} vs {len(sick_frame)}")
    P = baseline_prepare(emp, sick_frame)
    ours = {name: staffcast_table(name, reg, sick) for name in TABLES}
    theirs = {name: BASELINE_TABLES[name](P) for name in TABLES}
    for name in TABLES:
        check_same(name, ours[name], theirs[name])
    return reg, sick, P, ours, theirs


def run(persons: int, out: Path, repeat: int = 5, seed: int = 1, workdir: Optional[Path] = None,
        overhead: bool = True, memory: bool = True, regenerate: bool = False, log=print) -> list[dict]:
    t_start = time.perf_counter()
    emp_path, sick_path = generated(persons, seed, workdir, regenerate)
    log(f"register: {emp_path.parent} ({emp_path.stat().st_size / 1e6:.0f} MB employments, "
        f"{sick_path.stat().st_size / 1e6:.0f} MB sick leave)")
    reg, sick, P, ours, _ = check_plan(emp_path, sick_path)
    log(f"checked: all {len(TABLES)} tables agree ({len(reg):,} spells, {reg.persons:,} persons, "
        f"{len(sick):,} sick-leave records; " + ", ".join(f"{k} {len(v)} rows" for k, v in ours.items()) + ")")

    results = []
    load_before = os.getloadavg()
    staffcast_s, baseline_s = best_of_pair(repeat, lambda: staffcast_ingest(emp_path, sick_path),
                                           lambda: baseline_read(emp_path, sick_path))
    results.append(row("ingest", staffcast_s, 'pd.read_csv(engine="pyarrow", dtype_backend="pyarrow"), '
                       'no validation', baseline_s))
    plain_s = best_of(min(repeat, 3), lambda: (pd.read_csv(emp_path, engine="pyarrow"),
                                               pd.read_csv(sick_path, engine="pyarrow")))
    results.append(row("ingest (read_csv defaults)", staffcast_s, 'pd.read_csv(engine="pyarrow"), no validation',
                       plain_s))
    # The C engine with the same categoricals and parsed dates; the whole-plan baseline reads
    # with whichever engine was faster here (and the C engine's frames give the same tables).
    c_engine_s = best_of(min(repeat, 3), lambda: baseline_read_c(emp_path, sick_path))
    results.append(row("ingest vs the C engine", staffcast_s,
                       'pd.read_csv(engine="c") with categoricals and dates, no validation', c_engine_s))
    global baseline_engine
    baseline_engine = "c" if c_engine_s < baseline_s else "pyarrow"
    P_c = baseline_prepare(*baseline_read_c(emp_path, sick_path))
    for name in TABLES:
        check_same(f"{name} (C engine)", ours[name], BASELINE_TABLES[name](P_c))
    del P_c
    log(f"baseline reader for the whole plan: engine={baseline_engine!r} "
        f"(pyarrow {baseline_s:.3f} s, C {c_engine_s:.3f} s)")
    # A saved register (Arrow IPC, mapped and checked in C++) against reading and validating the CSV.
    saved = emp_path.parent / "register.arrow"
    reg.save(saved)
    load_s, csv_s = best_of_pair(min(repeat, 3), lambda: sc.load_register(saved),
                                 lambda: sc.read_register(emp_path))
    results.append(row("load saved register (.arrow)", load_s, "staffcast read_register (CSV, validated)", csv_s))
    frames = baseline_read(emp_path, sick_path)
    prepare_s, prepare_split = float("inf"), {}
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        prepared = baseline_prepare(*frames)
        elapsed = time.perf_counter() - t0
        if elapsed < prepare_s:
            prepare_s, prepare_split = elapsed, prepared.timings
    del frames, prepared
    for name in TABLES:
        staffcast_s, baseline_s = best_of_pair(repeat, lambda: staffcast_table(name, reg, sick),
                                               lambda: BASELINE_TABLES[name](P))
        results.append(row(name, staffcast_s, "pandas/numpy", baseline_s))
    del reg, sick, P
    gc.collect()
    staffcast_s, baseline_s = best_of_pair(repeat, lambda: staffcast_plan(emp_path, sick_path),
                                           lambda: baseline_plan(emp_path, sick_path))
    results.append(row("whole plan", staffcast_s, "pandas/numpy (read_csv + prepare + tables)", baseline_s))
    # The plan from a saved register (no register CSV on either side): staffcast's load_register(.arrow)
    # against pandas reading the same columns from Feather, then its preparation and tables; the sick
    # leave comes from its CSV on both sides (staffcast validates it, the baseline does not).
    emp_arrow = emp_path.parent / "baseline-employments.arrow"
    baseline_save(emp_path, sick_path, emp_arrow)
    ours_saved = staffcast_saved_plan(saved, sick_path)
    theirs_saved = baseline_saved_plan(emp_arrow, sick_path)
    for name in PLAN_TABLES:
        check_same(f"{name} (from a saved register)", ours_saved[name], theirs_saved[name])
    del ours_saved, theirs_saved
    gc.collect()
    staffcast_s, baseline_s = best_of_pair(repeat, lambda: staffcast_saved_plan(saved, sick_path),
                                           lambda: baseline_saved_plan(emp_arrow, sick_path))
    results.append(row("whole plan from a saved register", staffcast_s,
                       "pandas/numpy (read_feather + read_csv sick leave + prepare + tables)", baseline_s))

    # ---- microsimulation rows (benchmarks/compare_microsim.py, written separately) ----
    # When that module exists, its rows are appended here; until then this is a no-op.
    compare_microsimulation = _microsim_comparison()
    if compare_microsimulation is not None:
        micro_reg = sc.load_register(saved)
        results.extend(compare_microsimulation(micro_reg, persons, repeat))
        del micro_reg
    # ---- end of microsimulation rows ----

    meta = {"persons": persons, "seed": seed, "repeat": repeat, "as_of": AS_OF, "period": list(PERIOD),
            "by": BY, "machine": machine_facts(), "load_average_before_after": [load_before[0], os.getloadavg()[0]],
            "baseline_prepare_s": prepare_s, "baseline_engine": baseline_engine,
            "baseline_prepare_split_s": {k: round(v, 4) for k, v in prepare_split.items()}}
    if memory:
        meta["memory"] = memory_facts(emp_path, sick_path, saved)
    if overhead:
        meta["call_overhead_1000_persons"] = call_overhead(emp_path.parent.parent, seed)
        snap = meta["call_overhead_1000_persons"]["snapshot"]
        results.append(row("call overhead: snapshot, 1,000 persons (median)", snap["median_s"],
                           "target 1 ms (docs/performance.md)", 1e-3))
    meta["wall_s"] = time.perf_counter() - t_start

    out = Path(out)
    meta_path = out.with_name(out.name[: -len(".json")] + ".meta.json" if out.name.endswith(".json")
                              else out.name + ".meta.json")
    write_atomically(out, json.dumps(results, indent=2) + "\n")
    write_atomically(meta_path, json.dumps(meta, indent=2) + "\n")
    log(format_table(results, meta))
    log(f"wrote {out} and {meta_path} in {meta['wall_s']:.0f} s")
    return results


def _microsim_comparison() -> Optional[Callable[[sc.Register, int, int], list[dict]]]:
    """compare_microsimulation(register, persons, repeat) from benchmarks/compare_microsim.py, when present."""
    path = Path(__file__).with_name("compare_microsim.py")
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("compare_microsim", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, "compare_microsimulation", None)


def write_atomically(path: Path, text: str) -> None:
    """staffcast's one atomic writer (an interrupted run leaves no half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)


def format_table(results: list[dict], meta: dict) -> str:
    lines = [f"{'table':<48} {'staffcast':>11} {'baseline':>11} {'ratio':>8}"]
    for r in results:
        lines.append(f"{r['name']:<48} {r['staffcast_s'] * 1e3:>9.1f}ms {r['baseline_s'] * 1e3:>9.1f}ms "
                     f"{r['ratio']:>7.2f}x")
    m = meta.get("memory")
    if m:
        lines.append(f"register: {m['nbytes_per_spell']:.1f} bytes per spell (Register.nbytes), "
                     f"RSS growth during load {m['rss_growth_per_spell']:.1f} bytes per spell "
                     f"({m['rss_growth_after_malloc_trim_per_spell']:.1f} after malloc_trim) "
                     f"(pandas frame: {m['pandas_frame_bytes_per_spell']:.0f})")
        if "load_rss_growth_per_spell" in m:
            lines.append(f"saved register: {m['load_nbytes_per_spell']:.1f} bytes per spell loaded, the process "
                         f"grows by {m['load_rss_growth_per_spell']:.1f} bytes per spell while loading")
    o = meta.get("call_overhead_1000_persons")
    if o:
        lines.append("call overhead, 1,000 persons: " + ", ".join(
            f"{k} {v['median_s'] * 1e3:.3f} ms (min {v['min_s'] * 1e3:.3f})" for k, v in o.items()))
    lines.append(f"baseline prepare (pairing, sick absences; inside the whole plan): "
                 f"{meta['baseline_prepare_s'] * 1e3:.0f} ms {meta['baseline_prepare_split_s']}")
    mf = meta["machine"]
    lines.append("1-minute load average before/after timing: {:.2f} / {:.2f} (other work on the machine "
                 "makes timings noisy)".format(*meta["load_average_before_after"]))
    lines.append(f"{mf.get('Model name', '?')}, {mf['cpus']} CPUs; pandas {mf['pandas']}, numpy {mf['numpy']}, "
                 f"pyarrow {mf['pyarrow']}, Python {mf['python']}")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, required=True, help="headcount on the extraction date")
    parser.add_argument("--out", type=Path, required=True, help="the JSON list of results")
    parser.add_argument("--repeat", type=int, default=5, help="runs per side; the best counts (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where generated registers are cached (default: <tmp>/staffcast-compare)")
    parser.add_argument("--regenerate", action="store_true", help="generate the register even when cached")
    parser.add_argument("--no-overhead", action="store_true", help="skip the 1,000-person call overhead")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory probe")
    args = parser.parse_args(argv)
    if args.persons < 1 or args.repeat < 1:
        parser.error("--persons and --repeat must be at least 1")
    try:
        run(args.persons, args.out, repeat=args.repeat, seed=args.seed, workdir=args.workdir,
            overhead=not args.no_overhead, memory=not args.no_memory, regenerate=args.regenerate)
    except Mismatch as error:
        print(f"compare.py: staffcast and the baseline disagree\n{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
