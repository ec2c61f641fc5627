"""An independent pandas/numpy reference for staffcast's current-state statistics.

Written only from the data contract and the counting rules (docs/data.md, docs/metrics.md), never
from staffcast's own statistics code, so that the test suite can check the C++
results against it.  Clarity first, then speed: everything is vectorised over
spells, person-day *segments* (maximal runs of days on which a person's set of
covering spells, age and tenure do not change) and expanded sick days.

Every function takes the register as a DataFrame of strings, as read by
:func:`load` (``pd.read_csv(path, dtype=str, keep_default_na=False)``; empty
string = missing), and returns a plain DataFrame whose counts are int64 and
whose rates are float64, with rows sorted by each ``by`` column in turn by code
point.

Conventions chosen where the contract is silent (see also the module's report):

* exact duplicate rows are collapsed to one (the ``duplicate_row`` warning);
* a person's tenure on a day is the chained service of the person's main spell
  on that day; an event's tenure is that of the event's own spell;
* when several spells cover the day before a start, the chain follows the one
  reaching furthest back (the minimum chain start over all predecessors);
* move pairing is one-to-one and greedy: ``internal_move`` ends are taken in
  order of end date (then start date, then the main-spell order) and each
  takes the earliest still-free next spell (ties on start date broken by the
  main-spell order);
* groups are listed when they hold anything (a person, fte, an event); with no ``by``
  there is always exactly one row;
* label columns (the ``by`` columns, ``period``) are object dtype holding str;
* ``flows`` and ``turnover`` take ``extracted_on=`` (default: the latest start_date);
  every function takes ``age_bands=None | "statutory"``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Iterable, Optional, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "load",
    "snapshot",
    "flows",
    "turnover",
    "sick_leave",
    "full_time",
    "indicators_followup",
    "retirements",
    "age_on",
    "AGE_BANDS",
    "STATUTORY_AGE_BANDS",
]

OPEN_MARKER = "9999-12-31"
OPEN = int(np.datetime64(OPEN_MARKER, "D").astype(np.int64))
DIMENSIONS = ("gender", "age_band", "employment_form", "position", "department", "fte_band", "tenure_band")
FILTERS = ("employment_form", "department", "position", "gender")
AGE_BANDS = ["15-19", "20-29", "30-39", "40-49", "50-59", "60-64", "65+"]
STATUTORY_AGE_BANDS = ["\u226429", "30-49", "\u226550"]
FTE_BANDS = ["<0.50", "0.50-0.74", "0.75-0.99", "1.00"]
TENURE_BANDS = ["<1", "1-2", "3-4", "5-9", "10+"]
MOVE_GAP = 31
KEY_SHIFT = np.int64(1 << 23)  # person * KEY_SHIFT + (day + DAY_OFFSET) is a sortable (person, day) key
DAY_OFFSET = np.int64(1 << 22)


# --------------------------------------------------------------------------- input


def load(path) -> pd.DataFrame:
    """Reads a CSV as all-strings (empty string = missing); a UTF-8 BOM is accepted."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _day(value) -> int:
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        value = value.date()
    if isinstance(value, _dt.date):
        value = value.isoformat()
    return int(np.datetime64(str(value), "D").astype(np.int64))


def _days(series: pd.Series) -> np.ndarray:
    text = series.astype(str).to_numpy()
    text = np.where(text == "", OPEN_MARKER, text)
    return text.astype("datetime64[D]").astype(np.int64)


def _ymd(days: np.ndarray):
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = months.astype(np.int64) % 12 + 1
    dd = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, dd


def _leap(y):
    y = np.asarray(y)
    return (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))


def _anniversary_day(om, od, year):
    """Day number of the (om, od) anniversary in `year`; 29 Feb falls on 28 Feb in common years."""
    om = np.asarray(om, dtype=np.int64)
    od = np.asarray(od, dtype=np.int64)
    year = np.asarray(year, dtype=np.int64)
    od = np.where((om == 2) & (od == 29) & ~_leap(year), 28, od)
    month = ((year - 1970) * 12 + (om - 1)).astype("datetime64[M]")
    return month.astype("datetime64[D]").astype(np.int64) + od - 1


def _completed_years(origin, day):
    """Completed years from origin to day (anniversaries on or before day; 29 Feb -> 28 Feb)."""
    oy, om, od = _ymd(origin)
    y, m, d = _ymd(day)
    od = np.where((om == 2) & (od == 29) & ~_leap(y), 28, od)
    before = (m < om) | ((m == om) & (d < od))
    return (y - oy - before.astype(np.int64)).astype(np.int64)


def age_on(birth_date, day) -> int:
    """Completed years of age of one person on one day (scalar helper for tests)."""
    return int(_completed_years(np.array([_day(birth_date)]), np.array([_day(day)]))[0])


def _codepoint_codes(values: np.ndarray) -> np.ndarray:
    """Integer codes that order like the strings by code point (Python's str order)."""
    uniques = sorted(set(values.tolist()))
    lookup = {v: i for i, v in enumerate(uniques)}
    return np.fromiter((lookup[v] for v in values.tolist()), dtype=np.int64, count=len(values))


class _Register:
    """The register as numpy columns, one entry per spell (exact duplicates collapsed)."""

    def __init__(self, emp: pd.DataFrame, extracted_on=None):
        emp = emp.drop_duplicates().reset_index(drop=True)
        self.n = len(emp)
        self.ids = emp["employee_id"].astype(str).to_numpy()
        self.pid, self.person_ids = pd.factorize(self.ids)
        self.pid = self.pid.astype(np.int64)
        self.birth = _days(emp["birth_date"])
        self.start = _days(emp["start_date"])
        self.end = _days(emp["end_date"])
        fte = emp["fte"].astype(str).str.strip().replace("", "0")
        self.fte = np.rint(pd.to_numeric(fte).to_numpy(dtype=np.float64) * 100).astype(np.int64)
        self.cols = {c: emp[c].astype(str).to_numpy(dtype=object) for c in
                     ("gender", "employment_form", "position", "department", "end_reason", "recruitment_source")}
        self.form_code = _codepoint_codes(self.cols["employment_form"])
        self.dept_code = _codepoint_codes(self.cols["department"])
        self.pos_code = _codepoint_codes(self.cols["position"])
        self.extracted_on = _day(extracted_on) if extracted_on is not None else int(self.start.max()) if self.n else 0
        self._pairing = None

    # -- selection --------------------------------------------------------------

    def mask(self, filters: dict) -> np.ndarray:
        keep = np.ones(self.n, dtype=bool)
        for name, value in filters.items():
            if value is None:
                continue
            if name not in FILTERS:
                raise TypeError(f"unknown filter {name!r}")
            values = [value] if isinstance(value, str) else list(value)
            keep &= np.isin(self.cols[name], np.array(values, dtype=object))
        return keep

    def main_order(self, group: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Order of `rows` within each `group`: the main spell first (the tie-break of docs/metrics.md)."""
        return np.lexsort((self.pos_code[rows], self.dept_code[rows], self.form_code[rows], -self.end[rows],
                           self.start[rows], -self.fte[rows], group))

    # -- moves, continuations and chains (once, on the unfiltered register) ------

    @property
    def pairing(self) -> dict:
        if self._pairing is None:
            self._pairing = self._pair()
        return self._pairing

    def _pair(self) -> dict:
        n = self.n
        idx = np.arange(n)
        frame = pd.DataFrame({"pid": self.pid, "i": idx})
        pairs = frame.merge(frame.rename(columns={"i": "j"}), on="pid")
        i = pairs["i"].to_numpy()
        j = pairs["j"].to_numpy()
        other = i != j
        i, j = i[other], j[other]

        # Move candidates: an internal_move end i, a next spell j starting strictly after i started,
        # at most 31 days after i's end (overlap allowed).
        is_move_end = (self.cols["end_reason"] == "internal_move") & (self.end != OPEN)
        cand = is_move_end[i] & (self.start[j] > self.start[i]) & (self.start[j] - self.end[i] <= MOVE_GAP)
        ci, cj = i[cand], j[cand]
        move_next = np.full(n, -1, dtype=np.int64)
        move_prev = np.full(n, -1, dtype=np.int64)
        if len(ci):
            # rank every spell by the main-spell order (within the whole register) for tie-breaks
            rank = np.empty(n, dtype=np.int64)
            rank[self.main_order(np.zeros(n, dtype=np.int64), idx)] = idx
            order = np.lexsort((rank[cj], self.start[cj], rank[ci], self.start[ci], self.end[ci], self.pid[ci]))
            done = set()
            taken = set()
            for a, b in zip(ci[order].tolist(), cj[order].tolist()):
                if a in done or b in taken:
                    continue
                move_next[a] = b
                move_prev[b] = a
                done.add(a)
                taken.add(b)

        # Continuation partners of an end: any other spell covering end + 1.
        has_end = self.end != OPEN
        ce = has_end[i] & (self.start[j] <= self.end[i] + 1) & (self.end[j] >= self.end[i] + 1)
        end_cont = (i[ce], j[ce])
        # Continuation partners of a start: a spell that started earlier and covers start - 1.
        cs = (self.start[j] < self.start[i]) & (self.end[j] >= self.start[i] - 1)
        start_cont = (i[cs], j[cs])

        # Chain start: follow moves and continuations back (minimum over every predecessor).
        succ = np.concatenate([start_cont[0], np.flatnonzero(move_prev >= 0)])
        pred = np.concatenate([start_cont[1], move_prev[move_prev >= 0]])
        chain = self.start.copy()
        while len(succ):
            new = chain.copy()
            np.minimum.at(new, succ, chain[pred])
            if np.array_equal(new, chain):
                break
            chain = new
        return {"move_next": move_next, "move_prev": move_prev, "end_cont": end_cont,
                "start_cont": start_cont, "chain": chain}

    # -- events of a filtered population -----------------------------------------

    def events(self, keep: np.ndarray) -> pd.DataFrame:
        """Every event of the population `keep`: kind, spell, date, reason, effective source."""
        p = self.pairing
        n = self.n
        has_end = self.end != OPEN

        def partner_flags(pairs):
            own, partner = pairs
            any_partner = np.zeros(n, dtype=bool)
            any_partner[own] = True
            in_pop = np.zeros(n, dtype=bool)
            in_pop[own[keep[partner]]] = True
            return any_partner, in_pop

        end_any, end_in = partner_flags(p["end_cont"])
        start_any, start_in = partner_flags(p["start_cont"])
        move_out = keep & (p["move_next"] >= 0)
        move_in = keep & (p["move_prev"] >= 0)
        departure = keep & has_end & ~(p["move_next"] >= 0) & ~end_in & (self.end <= self.extracted_on)
        recruitment = keep & ~(p["move_prev"] >= 0) & ~start_in
        source = self.cols["recruitment_source"].copy()
        source[recruitment & start_any] = "internal"  # the partner lies outside the population

        parts = []
        for kind, sel, dates in (("departure", departure, self.end), ("recruitment", recruitment, self.start),
                                 ("move_out", move_out, self.end), ("move_in", move_in, self.start)):
            rows = np.flatnonzero(sel)
            parts.append(pd.DataFrame({"kind": kind, "row": rows, "date": dates[rows],
                                       "reason": self.cols["end_reason"][rows], "source": source[rows]}))
        return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------- segments


class _Segments:
    """Maximal runs of days in [a, b] on which a person's covering spells (among `rows`) do not change,
    cut further at birthdays (when age matters) and at service anniversaries (when tenure matters).

    Columns: pid, s, e (inclusive), main (row of the main spell), fte (summed, hundredths).
    `cover` holds (segment, row) for every covering spell.
    """

    def __init__(self, reg: _Register, rows: np.ndarray, a: int, b: int, age_cuts: bool, tenure_cuts: bool):
        rows = rows[(reg.start[rows] <= b) & (reg.end[rows] >= a)]
        pid = reg.pid[rows]
        persons = np.unique(pid)
        cut_pid = [persons, persons]
        cut_day = [np.full(len(persons), a), np.full(len(persons), b + 1)]
        inner = (reg.start[rows] > a) & (reg.start[rows] <= b)
        cut_pid.append(pid[inner])
        cut_day.append(reg.start[rows][inner])
        inner = (reg.end[rows] >= a) & (reg.end[rows] < b)
        cut_pid.append(pid[inner])
        cut_day.append(reg.end[rows][inner] + 1)
        ya, yb = int(_ymd(np.array([a]))[0][0]), int(_ymd(np.array([b]))[0][0])
        origins = []
        if age_cuts:
            origins.append((pid, reg.birth[rows]))
        if tenure_cuts:
            origins.append((pid, reg.pairing["chain"][rows]))
        for opid, origin in origins:
            _, om, od = _ymd(origin)
            for year in range(ya, yb + 1):
                day = _anniversary_day(om, od, np.full(len(origin), year))
                inner = (day > a) & (day <= b)
                cut_pid.append(opid[inner])
                cut_day.append(day[inner])
        keys = np.unique(np.concatenate(cut_pid).astype(np.int64) * KEY_SHIFT
                         + (np.concatenate(cut_day).astype(np.int64) + DAY_OFFSET))
        kp = keys // KEY_SHIFT
        kd = keys % KEY_SHIFT - DAY_OFFSET
        nxt = np.flatnonzero(kp[:-1] == kp[1:])
        seg_pid, seg_s, seg_e = kp[nxt], kd[nxt], kd[nxt + 1] - 1

        # covering spells of each segment (constant over the segment)
        segs = pd.DataFrame({"pid": seg_pid, "seg": np.arange(len(seg_pid))})
        spells = pd.DataFrame({"pid": pid, "row": rows})
        pairs = segs.merge(spells, on="pid")
        seg = pairs["seg"].to_numpy()
        row = pairs["row"].to_numpy()
        covers = (reg.start[row] <= seg_s[seg]) & (reg.end[row] >= seg_s[seg])
        seg, row = seg[covers], row[covers]
        fte = np.bincount(seg, weights=reg.fte[row], minlength=len(seg_pid)).astype(np.int64)
        order = reg.main_order(seg, row)
        first = np.ones(len(order), dtype=bool)
        first[1:] = seg[order][1:] != seg[order][:-1]
        main = np.full(len(seg_pid), -1, dtype=np.int64)
        main[seg[order][first]] = row[order][first]
        employed = main >= 0
        renumber = np.cumsum(employed) - 1
        self.pid, self.s, self.e = seg_pid[employed], seg_s[employed], seg_e[employed]
        self.main, self.fte = main[employed], fte[employed]
        keep_cover = employed[seg]
        self.cover_seg, self.cover_row = renumber[seg[keep_cover]], row[keep_cover]
        self.keys = self.pid * KEY_SHIFT + (self.s + DAY_OFFSET)

    def __len__(self) -> int:
        return len(self.pid)

    def lookup(self, pid: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Segment index holding (person, day), or -1 when the person is not employed that day."""
        at = np.searchsorted(self.keys, pid.astype(np.int64) * KEY_SHIFT + (day.astype(np.int64) + DAY_OFFSET),
                             side="right") - 1
        ok = at >= 0
        ok[ok] = (self.pid[at[ok]] == pid[ok]) & (self.e[at[ok]] >= day[ok])
        return np.where(ok, at, -1)


# --------------------------------------------------------------------------- groups


def _age_band(age: np.ndarray, age_bands) -> np.ndarray:
    if age_bands in (None, "default"):
        conds = [age <= 19, age <= 29, age <= 39, age <= 49, age <= 59, age <= 64]
        return np.select(conds, AGE_BANDS[:-1], AGE_BANDS[-1]).astype(object)
    if age_bands == "statutory":
        return np.select([age <= 29, age <= 49], STATUTORY_AGE_BANDS[:-1], STATUTORY_AGE_BANDS[-1]).astype(object)
    raise ValueError(f"unsupported age_bands {age_bands!r}")


def _fte_band(fte: np.ndarray) -> np.ndarray:
    return np.select([fte <= 0, fte < 50, fte < 75, fte < 100], [""] + FTE_BANDS[:3], FTE_BANDS[3]).astype(object)


def _tenure_band(years: np.ndarray) -> np.ndarray:
    return np.select([years < 1, years < 3, years < 5, years < 10], TENURE_BANDS[:4], TENURE_BANDS[4]).astype(object)


def _labels(reg: _Register, by: Sequence[str], attr_rows: np.ndarray, person_rows: np.ndarray, day: np.ndarray,
            fte_sum: np.ndarray, age_bands) -> pd.DataFrame:
    """Group labels: categorical attributes from `attr_rows`; age and tenure from `person_rows` on `day`."""
    out = {}
    for name in by:
        if name in ("gender", "employment_form", "position", "department"):
            out[name] = reg.cols[name][attr_rows]
        elif name == "age_band":
            out[name] = _age_band(_completed_years(reg.birth[person_rows], day), age_bands)
        elif name == "tenure_band":
            out[name] = _tenure_band(_completed_years(reg.pairing["chain"][person_rows], day))
        elif name == "fte_band":
            out[name] = _fte_band(fte_sum)
        else:
            raise ValueError(f"unknown dimension {name!r}")
    return pd.DataFrame(out, index=pd.RangeIndex(len(day)), columns=list(by))


def _aggregate(labels: pd.DataFrame, by: Sequence[str], values: dict) -> pd.DataFrame:
    """Sums `values` per group of `labels` (all groups present in labels)."""
    frame = labels.copy()
    for k, v in values.items():
        frame[k] = v
    if not by:
        return frame[list(values)].sum().to_frame().T
    return frame.groupby(list(by), sort=False, dropna=False)[list(values)].sum().reset_index()


def _combine(by: Sequence[str], parts: Sequence[pd.DataFrame], columns: Sequence[str]) -> pd.DataFrame:
    """Outer-joins per-group partial results and fills missing sums with 0."""
    by = list(by)
    if not by:
        row = {}
        for part in parts:
            for c in part.columns:
                row[c] = part[c].iloc[0] if len(part) else 0
        return pd.DataFrame([{c: row.get(c, 0) for c in columns}])
    merged = None
    for part in parts:
        merged = part if merged is None else merged.merge(part, on=by, how="outer")
    if merged is None:
        merged = pd.DataFrame(columns=by)
    for c in columns:
        if c not in merged.columns:
            merged[c] = 0
    return merged[by + [c for c in columns if c not in by]]


def _sorted(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    by = list(by)
    if by and len(frame):
        keys = list(zip(*[frame[c].astype(str).tolist() for c in by]))
        order = sorted(range(len(frame)), key=lambda k: keys[k])
        frame = frame.iloc[order]
    frame = frame.reset_index(drop=True)
    for c in by:
        frame[c] = frame[c].astype(object)
    return frame


def _check_by(by) -> list:
    by = [by] if isinstance(by, str) else list(by or ())
    for name in by:
        if name not in DIMENSIONS:
            raise ValueError(f"unknown dimension {name!r}")
    return by


def _empty(by, columns, ints, floats) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in by})
    for c in columns:
        frame[c] = pd.Series([], dtype=np.int64 if c in ints else np.float64)
    return frame


def _types(frame: pd.DataFrame, ints: Iterable[str], floats: Iterable[str]) -> pd.DataFrame:
    for c in ints:
        frame[c] = frame[c].fillna(0).astype(np.int64)
    for c in floats:
        frame[c] = frame[c].astype(np.float64)
    return frame


# --------------------------------------------------------------------------- statistics


def snapshot(emp: pd.DataFrame, as_of, by=(), age_bands=None, **filters) -> pd.DataFrame:
    """Headcount, fte and mean age on `as_of`: `[*by, headcount, fte, mean_age]`."""
    by = _check_by(by)
    reg = _Register(emp)
    d = _day(as_of)
    seg = _Segments(reg, np.flatnonzero(reg.mask(filters)), d, d, False, False)
    day = np.full(len(seg), d, dtype=np.int64)
    heads = _labels(reg, by, seg.main, seg.main, day, seg.fte, age_bands)
    age = _completed_years(reg.birth[seg.main], day)
    part_h = _aggregate(heads, by, {"headcount": np.ones(len(seg), dtype=np.int64), "age_sum": age})
    # fte: every covering spell in its own group; age, tenure and fte_band from the person
    cs, cr = seg.cover_seg, seg.cover_row
    spells = _labels(reg, by, cr, seg.main[cs], np.full(len(cs), d, dtype=np.int64), seg.fte[cs], age_bands)
    part_f = _aggregate(spells, by, {"fte100": reg.fte[cr]})
    out = _combine(by, [part_h, part_f], ["headcount", "age_sum", "fte100"])
    out = _types(out, ["headcount", "age_sum", "fte100"], [])
    out["fte"] = out["fte100"] / 100.0
    with np.errstate(invalid="ignore", divide="ignore"):
        out["mean_age"] = np.where(out["headcount"] > 0, out["age_sum"] / out["headcount"].where(out["headcount"] > 0, 1),
                                   np.nan)
    if by:
        out = out[(out["headcount"] > 0) | (out["fte100"] > 0)]
    out = _types(out[by + ["headcount", "fte", "mean_age"]].copy(), ["headcount"], ["fte", "mean_age"])
    return _sorted(out, by)


def _flow_labels(reg: _Register, events: pd.DataFrame, keep: np.ndarray, by, age_bands) -> pd.DataFrame:
    rows = events["row"].to_numpy()
    dates = events["date"].to_numpy().astype(np.int64)
    fte_sum = np.zeros(len(rows), dtype=np.int64)
    if "fte_band" in by and len(rows):
        seg = _Segments(reg, np.flatnonzero(keep), int(dates.min()), int(dates.max()), False, False)
        at = seg.lookup(reg.pid[rows], dates)
        assert (at >= 0).all()
        fte_sum = seg.fte[at]
    return _labels(reg, by, rows, rows, dates, fte_sum, age_bands)


def _events_in(reg: _Register, keep: np.ndarray, a: int, b: int) -> pd.DataFrame:
    ev = reg.events(keep)
    return ev[(ev["date"] >= a) & (ev["date"] <= b)].reset_index(drop=True)


def flows(emp: pd.DataFrame, start, end, by=(), age_bands=None, extracted_on=None, **filters) -> pd.DataFrame:
    """Events in [start, end]: `[*by, departures, recruitments, moves_out, moves_in]`."""
    by = _check_by(by)
    reg = _Register(emp, extracted_on)
    keep = reg.mask(filters)
    a, b = _day(start), _day(end)
    ev = _events_in(reg, keep, a, b)
    labels = _flow_labels(reg, ev, keep, by, age_bands)
    columns = ["departures", "recruitments", "moves_out", "moves_in"]
    kinds = dict(zip(columns, ["departure", "recruitment", "move_out", "move_in"]))
    values = {c: (ev["kind"].to_numpy() == k).astype(np.int64) for c, k in kinds.items()}
    out = _aggregate(labels, by, values)
    if not by and not len(out):
        out = pd.DataFrame([{c: 0 for c in columns}])
    return _sorted(_types(out[by + columns].copy(), columns, []), by)


def _average_headcount(reg: _Register, keep: np.ndarray, a: int, b: int, by, age_bands) -> pd.DataFrame:
    seg = _Segments(reg, np.flatnonzero(keep), a, b, "age_band" in by, "tenure_band" in by)
    labels = _labels(reg, by, seg.main, seg.main, seg.s, seg.fte, age_bands)
    return _aggregate(labels, by, {"person_days": seg.e - seg.s + 1})


def turnover(emp: pd.DataFrame, start, end, by=(), definition="municipal", exclude_reasons=(),
             scope="administration", annualise=False, age_bands=None, extracted_on=None,
             **filters) -> pd.DataFrame:
    """`[*by, average_headcount, recruitments, departures, turnover]` over [start, end]."""
    by = _check_by(by)
    if definition not in ("municipal", "separation", "own_request", "min"):
        raise ValueError(f"unknown definition {definition!r}")
    if scope not in ("administration", "employer"):
        raise ValueError(f"unknown scope {scope!r}")
    reg = _Register(emp, extracted_on)
    keep = reg.mask(filters)
    a, b = _day(start), _day(end)
    ndays = b - a + 1
    ev = _events_in(reg, keep, a, b)
    kind, reason, source = ev["kind"].to_numpy(), ev["reason"].to_numpy(), ev["source"].to_numpy()
    rec = (kind == "recruitment") & (source != "internal")
    dep = (kind == "departure") & ~np.isin(reason, np.array(list(exclude_reasons), dtype=object))
    if scope == "employer":
        rec &= source != "other_administration"
        dep &= reason != "other_administration"
    if definition == "own_request":
        dep &= reason == "own_request"
    labels = _flow_labels(reg, ev, keep, by, age_bands)
    part_e = _aggregate(labels, by, {"recruitments": rec.astype(np.int64), "departures": dep.astype(np.int64)})
    part_h = _average_headcount(reg, keep, a, b, by, age_bands)
    out = _combine(by, [part_h, part_e], ["person_days", "recruitments", "departures"])
    out = _types(out, ["person_days", "recruitments", "departures"], [])
    if by:
        out = out[(out["person_days"] > 0) | (out["recruitments"] > 0) | (out["departures"] > 0)].copy()
    out["average_headcount"] = out["person_days"] / float(ndays)
    r, dd, avg = out["recruitments"].to_numpy(float), out["departures"].to_numpy(float), out["average_headcount"].to_numpy()
    numerator = {"municipal": (r + dd) / 2.0, "separation": dd, "own_request": dd, "min": np.minimum(r, dd)}[definition]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(avg > 0, numerator / np.where(avg > 0, avg, 1.0), np.nan)
    if annualise:
        rate = rate * 365.25 / ndays
    out["turnover"] = rate
    out = out[by + ["average_headcount", "recruitments", "departures", "turnover"]].copy()
    return _sorted(_types(out, ["recruitments", "departures"], ["average_headcount", "turnover"]), by)


def _absences(reg: _Register, sick: pd.DataFrame) -> pd.DataFrame:
    """Sick records of known persons with their absence's first day and total length."""
    sick = sick.drop_duplicates()
    lookup = pd.Series(np.arange(len(reg.person_ids)), index=reg.person_ids)
    pid = sick["employee_id"].astype(str).map(lookup)
    known = pid.notna().to_numpy()
    frame = pd.DataFrame({
        "pid": pid[known].astype(np.int64).to_numpy(),
        "s": _days(sick["start_date"][known]),
        "e": _days(sick["end_date"][known]),
        "extent": pd.to_numeric(sick["extent"][known]).to_numpy(dtype=np.float64),
    })
    frame = frame[frame["extent"] > 0].sort_values(["pid", "s", "e"], kind="mergesort").reset_index(drop=True)
    if not len(frame):
        return frame.assign(absence=np.array([], np.int64), first=np.array([], np.int64),
                            length=np.array([], np.int64))
    running_end = frame.groupby("pid")["e"].cummax()
    prev_end = running_end.groupby(frame["pid"]).shift(1)
    new = prev_end.isna() | (frame["s"] > prev_end + 1)
    frame["absence"] = np.cumsum(new.to_numpy()) - 1
    grouped = frame.groupby("absence")
    first = grouped["s"].transform("min")
    last = grouped["e"].transform("max")
    frame["first"] = first.to_numpy()
    frame["length"] = (last - first + 1).to_numpy()
    return frame


def sick_leave(emp: pd.DataFrame, sick: pd.DataFrame, start, end, by=(), age_bands=None,
               **filters) -> pd.DataFrame:
    """`[*by, persons, fte_days, sick_rate, short_term_rate, from_day_60_rate, long_term_share]`."""
    by = _check_by(by)
    reg = _Register(emp)
    keep = reg.mask(filters) & (reg.fte > 0)  # hourly spells without fte are left out
    a, b = _day(start), _day(end)
    seg = _Segments(reg, np.flatnonzero(keep), a, b, "age_band" in by, "tenure_band" in by)
    weight = np.minimum(seg.fte, 100)  # hundredths
    labels = _labels(reg, by, seg.main, seg.main, seg.s, seg.fte, age_bands)
    days = seg.e - seg.s + 1
    part_d = _aggregate(labels, by, {"fte_days100": days * weight})
    if by:
        persons = labels.assign(pid=seg.pid).groupby(by, sort=False, dropna=False)["pid"].nunique()
        part_p = persons.rename("persons").reset_index()
    else:
        part_p = pd.DataFrame({"persons": [len(np.unique(seg.pid))]})

    # expand sick records into days inside [a, b]
    rec = _absences(reg, sick)
    s = np.maximum(rec["s"].to_numpy(), a)
    e = np.minimum(rec["e"].to_numpy(), b)
    inside = s <= e
    rec = rec[inside]
    s, e = s[inside], e[inside]
    n = (e - s + 1).astype(np.int64)
    rep = np.repeat(np.arange(len(rec)), n)
    offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    day = np.repeat(s, n) + offset
    pid = rec["pid"].to_numpy()[rep]
    daily = pd.DataFrame({"key": pid * KEY_SHIFT + (day + DAY_OFFSET), "pid": pid, "day": day,
                          "extent": rec["extent"].to_numpy()[rep], "first": rec["first"].to_numpy()[rep],
                          "length": rec["length"].to_numpy()[rep]})
    daily = daily.groupby("key", sort=False).agg(pid=("pid", "first"), day=("day", "first"), extent=("extent", "sum"),
                                                 first=("first", "first"), length=("length", "first"))
    extent = np.minimum(daily["extent"].to_numpy(), 1.0)
    dpid, dday = daily["pid"].to_numpy(), daily["day"].to_numpy()
    at = seg.lookup(dpid, dday)
    ok = at >= 0
    at, extent, dday = at[ok], extent[ok], dday[ok]
    number = dday - daily["first"].to_numpy()[ok] + 1
    length = daily["length"].to_numpy()[ok]
    sick_time = extent * (weight[at] / 100.0)
    sick_labels = labels.iloc[at].reset_index(drop=True)
    part_s = _aggregate(sick_labels, by, {
        "sick": sick_time,
        "short": np.where(number <= 14, sick_time, 0.0),
        "day60": np.where(number >= 60, sick_time, 0.0),
        "long": np.where(length >= 60, sick_time, 0.0),
    })
    out = _combine(by, [part_p, part_d, part_s], ["persons", "fte_days100", "sick", "short", "day60", "long"])
    for c in ["sick", "short", "day60", "long"]:
        out[c] = out[c].fillna(0.0).astype(np.float64)
    out = _types(out, ["persons", "fte_days100"], [])
    if by:
        out = out[out["persons"] > 0].copy()
    denom = out["fte_days100"].to_numpy() / 100.0
    out["fte_days"] = denom
    with np.errstate(invalid="ignore", divide="ignore"):
        safe = np.where(denom > 0, denom, 1.0)
        out["sick_rate"] = np.where(denom > 0, out["sick"] / safe, np.nan)
        out["short_term_rate"] = np.where(denom > 0, out["short"] / safe, np.nan)
        out["from_day_60_rate"] = np.where(denom > 0, out["day60"] / safe, np.nan)
        total = out["sick"].to_numpy()
        out["long_term_share"] = np.where(total > 0, out["long"] / np.where(total > 0, total, 1.0), np.nan)
    columns = ["persons", "fte_days", "sick_rate", "short_term_rate", "from_day_60_rate", "long_term_share"]
    out = out[by + columns].copy()
    return _sorted(_types(out, ["persons"], columns[1:]), by)


def full_time(emp: pd.DataFrame, as_of, by=(), age_bands=None, **filters) -> pd.DataFrame:
    """`[*by, persons, full_time, part_time, full_time_share]` over persons with summed fte > 0."""
    by = _check_by(by)
    reg = _Register(emp)
    d = _day(as_of)
    seg = _Segments(reg, np.flatnonzero(reg.mask(filters)), d, d, False, False)
    has = seg.fte > 0
    main, fte = seg.main[has], seg.fte[has]
    labels = _labels(reg, by, main, main, np.full(len(main), d, dtype=np.int64), fte, age_bands)
    full = (fte >= 100).astype(np.int64)
    out = _aggregate(labels, by, {"persons": np.ones(len(main), dtype=np.int64), "full_time": full,
                                  "part_time": 1 - full})
    if not by and not len(out):
        out = pd.DataFrame([{"persons": 0, "full_time": 0, "part_time": 0}])
    out = _types(out, ["persons", "full_time", "part_time"], [])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["full_time_share"] = np.where(out["persons"] > 0, out["full_time"] / out["persons"].where(out["persons"] > 0, 1),
                                          np.nan)
    out = out[by + ["persons", "full_time", "part_time", "full_time_share"]].copy()
    return _sorted(_types(out, [], ["full_time_share"]), by)


def retirements(emp: pd.DataFrame, as_of, years, age=65, by=(), age_bands=None, **filters) -> pd.DataFrame:
    """`[*by, already_past, *years, total]`: who reaches `age` in each calendar year, over persons employed
    on `as_of` (grouped by the main spell on `as_of`)."""
    by = _check_by(by)
    years = [int(y) for y in years]
    reg = _Register(emp)
    d = _day(as_of)
    seg = _Segments(reg, np.flatnonzero(reg.mask(filters)), d, d, False, False)
    labels = _labels(reg, by, seg.main, seg.main, np.full(len(seg), d, dtype=np.int64), seg.fte, age_bands)
    # The age-th birthday lies in calendar year birth_year + age (29 Feb -> 28 Feb stays in that year).
    reach_year = _ymd(reg.birth[seg.main])[0] + int(age)
    values = {"already_past": (reach_year < min(years)).astype(np.int64) if years else np.zeros(len(seg), np.int64)}
    for y in years:
        values[str(y)] = (reach_year == y).astype(np.int64)
    values["persons"] = np.ones(len(seg), dtype=np.int64)
    out = _aggregate(labels, by, values)
    columns = ["already_past", *[str(y) for y in years]]
    if not by and not len(out):
        out = pd.DataFrame([{c: 0 for c in columns + ["persons"]}])
    out = _types(out, columns, [])
    out["total"] = out[columns].sum(axis=1).astype(np.int64)
    return _sorted(out[by + columns + ["total"]].copy(), by)


# --------------------------------------------------------------------------- indicators


def _period_key(period: str):
    """(granularity, ordinal) so that consecutive periods of one granularity differ by 1."""
    p = period.strip()
    if len(p) == 4 and p.isdigit():
        return "year", int(p)
    year, _, rest = p.partition("-")
    if not (len(year) == 4 and year.isdigit()):
        raise ValueError(f"bad period {period!r}")
    y = int(year)
    if len(rest) == 2 and rest[0] in "Tt" and rest[1] in "123":
        return "tertial", y * 3 + int(rest[1]) - 1
    if len(rest) == 2 and rest[0] in "Qq" and rest[1] in "1234":
        return "quarter", y * 4 + int(rest[1]) - 1
    if len(rest) == 2 and rest.isdigit() and 1 <= int(rest) <= 12:
        return "month", y * 12 + int(rest) - 1
    raise ValueError(f"bad period {period!r}")


def _number(text: str) -> float:
    text = str(text).strip()
    return float(text) if text else float("nan")


def indicators_followup(ind: pd.DataFrame) -> pd.DataFrame:
    """One row per (indicator, unit_of_analysis) with its latest period, the previous value, the change,
    and the target / trend flags."""
    ind = ind.copy()
    if "unit_of_analysis" not in ind.columns:
        ind["unit_of_analysis"] = ""
    if "target" not in ind.columns:
        ind["target"] = ""
    rows = []
    for (name, unit), grp in ind.groupby(["indicator", "unit_of_analysis"], sort=False):
        keys = [_period_key(p) for p in grp["period"]]
        grans = {k[0] for k in keys}
        if len(grans) != 1:
            raise ValueError(f"indicator {name!r} mixes period granularities {sorted(grans)}")
        by_ord = {}
        for (gran, ordinal), (_, r) in zip(keys, grp.iterrows()):
            if ordinal in by_ord:
                raise ValueError(f"indicator {name!r} has period {r['period']!r} twice")
            by_ord[ordinal] = r
        latest = max(by_ord)
        last = by_ord[latest]
        better = str(last["better"]).strip()
        if better not in ("higher", "lower"):
            raise ValueError(f"bad better {better!r}")
        sign = 1.0 if better == "higher" else -1.0  # a change c is wrong when sign * c < 0
        value = _number(last["value"])
        target = _number(last["target"])
        v = [by_ord[latest - k]["value"] if (latest - k) in by_ord else None for k in range(3)]
        v = [_number(x) if x is not None else float("nan") for x in v]
        previous = v[1]
        change = value - previous if not np.isnan(previous) else float("nan")
        target_missed = bool(not np.isnan(target) and sign * (value - target) < 0)
        c1 = v[0] - v[1]
        c2 = v[1] - v[2]
        trend_wrong = bool(not np.isnan(c1) and not np.isnan(c2) and sign * c1 < 0 and sign * c2 < 0)
        rows.append({"indicator": name, "unit_of_analysis": unit, "period": str(last["period"]).strip(),
                     "value": value, "target": target, "previous": previous, "change": change,
                     "target_missed": target_missed, "trend_wrong": trend_wrong})
    columns = ["indicator", "unit_of_analysis", "period", "value", "target", "previous", "change",
               "target_missed", "trend_wrong"]
    out = pd.DataFrame(rows, columns=columns)
    for c in ["value", "target", "previous", "change"]:
        out[c] = out[c].astype(np.float64)
    for c in ["target_missed", "trend_wrong"]:
        out[c] = out[c].astype(bool)
    out["period"] = out["period"].astype(object)
    return _sorted(out, ["indicator", "unit_of_analysis"])
