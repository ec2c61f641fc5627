"""The pandas/numpy baseline of benchmarks/compare.py, part two: the plan's tables
on a prepared register, the whole plan, and the plan from a saved register."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather  # noqa: F401  (pa.feather)

from baseline_prepare import (AGE_EDGES, AGE_LABELS, BASELINE_READERS, CONTINUATION, DEPARTURE, GENDERS, MOVE_IN,
                              MOVE_OUT, N_BANDS, OPEN, RECRUITMENT, Prepared, age_on, baseline_prepare, baseline_read,
                              civil_from_days, day, days_from_civil, first_of_runs, is_leap)
from plan_settings import AS_OF, PERIOD, PLAN_TABLES, RETIREMENT_AGE, YEARS


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


def baseline_plan(emp_path: Path, sick_path: Path, engine: str = "pyarrow") -> dict[str, pd.DataFrame]:
    """The whole plan: both CSVs read with `engine` ("pyarrow" or "c"), prepared, the tables."""
    P = baseline_prepare(*BASELINE_READERS[engine](emp_path, sick_path))
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
