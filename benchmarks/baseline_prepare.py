"""The pandas/numpy baseline of benchmarks/compare.py, part one: calendar helpers on
day numbers, reading the CSVs (pyarrow or the C engine) and the preparation that
pairs moves and continuations, maps sick-leave ids and builds the absences
(compare.py's docstring gives the rules)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather  # noqa: F401  (pa.feather)

from plan_settings import CATEGORICAL, PERMANENT


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
