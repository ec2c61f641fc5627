#!/usr/bin/env python3
"""The microsimulation against vectorised numpy (docs/models.md, "One year").

    python benchmarks/compare_microsim.py --persons 100000 [--years 10] [--replicates 8] [--repeat 3]

The same rules as ``_core.simulate_raw`` (docs/models.md, "One year"), written in
numpy over all persons at once per year, from the same estimated inputs (taken
from ``_core.estimate_inputs``, so only the simulation is timed):

(a) ``numpy-philox``: a vectorised numpy Philox4x32-10 keyed exactly as docs/models.md says ("Random numbers")
    (key = seed, counter = (person, year, replicate)); its raw array
    ``[replicate, year, group, measure]`` must equal ``_core``'s **exactly**,
    checked before anything is timed;
(b) ``numpy-default-rng``: the same rules with ``np.random.default_rng(seed)``
    (PCG64) drawing the uniforms; a different stream, so only the means agree,
    within a stated tolerance (checked too).

``compare_microsimulation(register, persons, repeat)`` returns rows
``{name, staffcast_s, baseline, baseline_s, ratio}`` (staffcast with
``threads=1``, so ratios are per core, plus a row for the 1 -> 2 thread
speedup) for ``benchmarks/compare.py``.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

# --------------------------------------------------------------------------- Philox4x32-10 in numpy

PHILOX_M0 = np.uint64(0xD2511F53)
PHILOX_M1 = np.uint64(0xCD9E8D57)
PHILOX_W0 = np.uint32(0x9E3779B9)
PHILOX_W1 = np.uint32(0xBB67AE85)
_LO32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)


def philox4x32(counter, key, rounds: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Philox4x32-R (Salmon et al. 2011, the Random123 reference) over arrays.

    ``counter`` is a sequence of four uint32 arrays (or scalars) c0..c3, broadcast
    together; ``key`` a pair (k0, k1) of uint32 scalars. Returns the four output
    words x0..x3 as uint32 arrays. The words are held in uint64 (values below
    2^32), so the 32 x 32 -> 64-bit products are exact and no conversion is
    needed between rounds.

    Example:
        >>> [hex(int(x)) for x in philox4x32((0, 0, 0, 0), (0, 0))]
        ['0x6627e8d5', '0xe169c58d', '0xbc57ac4c', '0x9b00dbd8']
    """
    c0, c1, c2, c3 = (np.array(c, dtype=np.uint64) for c in np.broadcast_arrays(
        *(np.asarray(c, dtype=np.uint32) for c in counter)))
    k0, k1 = int(key[0]) & 0xFFFFFFFF, int(key[1]) & 0xFFFFFFFF
    for r in range(rounds):
        if r > 0:  # the reference's bumpkey, mod 2^32
            k0 = (k0 + 0x9E3779B9) & 0xFFFFFFFF
            k1 = (k1 + 0xBB67AE85) & 0xFFFFFFFF
        p0 = c0 * PHILOX_M0
        p1 = c2 * PHILOX_M1
        hi0 = p0 >> _SHIFT32
        hi1 = p1 >> _SHIFT32
        p0 &= _LO32
        p1 &= _LO32
        hi1 ^= c1
        hi1 ^= np.uint64(k0)
        hi0 ^= c3
        hi0 ^= np.uint64(k1)
        c0, c1, c2, c3 = hi1, p1, hi0, p0
    return tuple(c.astype(np.uint32) for c in (c0, c1, c2, c3))


def to_unit(x: np.ndarray) -> np.ndarray:
    """A uint32 word to a double in (0, 1): (x + 0.5) * 2^-32, exact in binary64 (docs/models.md, "Random numbers")."""
    return (x.astype(np.float64) + 0.5) * (2.0**-32)


def philox_key(seed: int) -> tuple[np.uint32, np.uint32]:
    """The key of a 64-bit seed: (seed & 0xFFFFFFFF, seed >> 32) (docs/models.md, "Random numbers")."""
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    return np.uint32(seed & 0xFFFFFFFF), np.uint32(seed >> 32)


def uniforms(seed: int, persons: np.ndarray, year: int, replicate: int) -> tuple[np.ndarray, ...]:
    """u0..u3 of the given persons in projection year t = ``year`` of ``replicate`` (docs/models.md, "Random numbers")."""
    replicate = int(replicate) & 0xFFFFFFFFFFFFFFFF
    words = philox4x32(
        (np.asarray(persons, dtype=np.uint32), np.uint32(year), np.uint32(replicate & 0xFFFFFFFF),
         np.uint32(replicate >> 32)),
        philox_key(seed),
    )
    return tuple(to_unit(w) for w in words)


# --------------------------------------------------------------------------- the rules in numpy

MEASURES = ("start", "retirements", "other_exits", "moves_out", "moves_in", "recruits", "end", "start_fte",
            "end_fte", "recruits_fte")
(M_START, M_RETIREMENTS, M_OTHER_EXITS, M_MOVES_OUT, M_MOVES_IN, M_RECRUITS, M_END, M_START_FTE, M_END_FTE,
 M_RECRUITS_FTE) = range(len(MEASURES))
MAX_AGE = 200  # ages are clamped to 0..200 for table lookups, as in the engine


class Tables:
    """The read-only per-run tables of docs/models.md, "One year", built from the estimated inputs with the
    same floating-point operations as the engine (q_other = 1 - exp(-m) with libm's exp; the leave
    probability q + (1 - q) q_other; cumulative move sums in column order; targets multiplied year by
    year and rounded half up)."""

    def __init__(self, inputs):
        """``inputs``: a ``_core.ProjectionInputs`` (its arrays, including the engine's own q_other and
        target, docs/models.md)."""
        self.group = np.asarray(inputs.group, dtype=np.int64)
        self.birth_year = np.asarray(inputs.birth_year, dtype=np.int64)
        self.fte = np.asarray(inputs.fte, dtype=np.int64)
        self.years = int(inputs.years)
        self.base_year = int(inputs.base_year)
        self.upper = int(inputs.upper_age)
        retirement_age = int(inputs.retirement_age)
        self.freeze = int(inputs.freeze_years)
        self.part_time = float(inputs.part_time_share)
        q_ret = np.asarray(inputs.q_ret, dtype=np.float64)
        q_other = np.atleast_2d(np.asarray(inputs.q_other, dtype=np.float64))  # 1 - exp(-m), C++ std::exp
        move = np.atleast_2d(np.asarray(inputs.move, dtype=np.float64))
        self.groups = G = q_other.shape[0]
        ages = np.arange(MAX_AGE + 1)
        # q_r[x]: 0 below R, the estimate R..upper-1, 1 at or above upper.
        q = np.zeros(MAX_AGE + 1)
        for x in range(MAX_AGE + 1):
            if x >= self.upper:
                q[x] = 1.0
            elif x >= retirement_age:
                q[x] = q_ret[x - retirement_age]
        self.q_ret = q
        rate_lower = np.asarray(inputs.rate_band_lower, dtype=np.int64)
        rate_band = np.searchsorted(rate_lower[1:], ages, side="right")
        leave = q[None, :] + (1.0 - q[None, :]) * q_other[:, rate_band]  # binary64, no contraction
        leave[:, ages > self.upper] = 1.0
        self.leave = leave  # [g, x]
        if int(inputs.age_band_position) < 0:
            self.bands = 1
            self.band = np.zeros(MAX_AGE + 1, dtype=np.int64)
        else:
            out_lower = np.asarray(inputs.output_band_lower, dtype=np.int64)
            self.bands = len(out_lower)
            self.band = np.searchsorted(out_lower[1:], ages, side="right").astype(np.int64)
        self.outputs = G * self.bands
        self.cumulative = np.cumsum(move, axis=1)  # sequential, in column order
        self.last_positive = np.array([int(np.nonzero(row > 0)[0][-1]) if np.any(row > 0) else 0 for row in move])
        self.moves = not np.array_equal(move, np.eye(G))
        self.pool_offset = np.asarray(inputs.pool_offset, dtype=np.int64)
        self.pool_age = np.asarray(inputs.pool_age, dtype=np.int64)
        self.pool_fte = np.asarray(inputs.pool_fte, dtype=np.int64)
        self.pool_size = np.diff(self.pool_offset)
        # round_half_up(T_g(t)) of the engine's year-by-year targets.
        self.target = np.floor(np.asarray(inputs.target, dtype=np.float64).reshape(self.years, G) + 0.5).astype(
            np.int64)


def _age_index(x: np.ndarray) -> np.ndarray:
    return np.clip(x, 0, MAX_AGE)


def simulate_numpy(tab: Tables, replicates: int, draw, first: int = 0) -> np.ndarray:
    """Replicates ``first .. first + replicates - 1`` at once, year by year, vectorised over all
    (replicate, person) rows.

    ``draw(ids, t, reps, which)`` returns the uniforms ``which`` (a tuple of word indices 0..3) of the rows
    (``reps`` are replicate numbers). Returns the raw array [replicate, year, output group, measure]
    (float64), as ``_core.simulate_raw``.
    """
    R, G, B, M, O = replicates, tab.groups, tab.bands, len(MEASURES), tab.outputs
    n0 = len(tab.group)
    rep = np.repeat(np.arange(R, dtype=np.int64), n0)
    ids = np.tile(np.arange(n0, dtype=np.int64), R)
    grp = np.tile(tab.group, R)
    birth = np.tile(tab.birth_year, R)
    fte = np.tile(tab.fte, R)
    next_id = np.full(R, n0, dtype=np.int64)
    raw = np.zeros((R, tab.years, O, M), dtype=np.float64)
    cells = R * O

    def tally(index, weights=None):
        return np.bincount(index, weights=weights, minlength=cells).reshape(R, O)

    for t in range(1, tab.years + 1):
        year = tab.base_year + t
        out = raw[:, t - 1]
        x = year - birth
        xi = _age_index(x)
        cell = rep * O + grp * B + tab.band[xi]
        out[..., M_START] = tally(cell)
        start_fte = tally(cell, fte)
        u0, u1, u2 = draw(ids, t, rep + first, (0, 1, 2))
        # 1. Exit.
        retire = (x > tab.upper) | (u0 < tab.q_ret[xi])
        other = ~retire & (u0 < tab.leave[grp, xi])
        out[..., M_RETIREMENTS] = tally(cell[retire])
        out[..., M_OTHER_EXITS] = tally(cell[other])
        stay = ~(retire | other)
        rep, ids, grp, birth, fte, xi, cell, u1, u2 = (a[stay] for a in (rep, ids, grp, birth, fte, xi, cell, u1, u2))
        # 2. Move: the first h with u1 < sum_{k <= h} M[g][k], else the last h with M > 0.
        if tab.moves:
            new = grp.copy()
            order = np.argsort(grp, kind="stable")
            bounds = np.searchsorted(grp[order], np.arange(G + 1))
            for g in range(G):
                if bounds[g] == bounds[g + 1]:
                    continue
                members = order[bounds[g]:bounds[g + 1]]
                h = np.searchsorted(tab.cumulative[g], u1[members], side="right")
                new[members] = np.where(h >= G, tab.last_positive[g], h)
            moved = new != grp
            out[..., M_MOVES_OUT] = tally(cell[moved])
            out[..., M_MOVES_IN] = tally((rep * O + new * B + tab.band[xi])[moved])
            grp = new
        # 3. Part-time to full-time.
        fte = np.where((fte >= 1) & (fte <= 99) & (u2 < tab.part_time), 100, fte)
        # 5. Recruits at year end, per replicate, per group in code order, one by one.
        if t > tab.freeze:
            stock = np.bincount(rep * G + grp, minlength=R * G).reshape(R, G)
            wanted = np.where(tab.pool_size[None, :] > 0, np.maximum(tab.target[t - 1][None, :] - stock, 0), 0)
            total = int(wanted.sum())
            if total:
                flat = wanted.ravel()  # replicate-major, group-minor: the creation order
                r_rep = np.repeat(np.repeat(np.arange(R), G), flat)
                r_grp = np.repeat(np.tile(np.arange(G), R), flat)
                per_rep = wanted.sum(axis=1)
                offset = np.concatenate(([0], np.cumsum(per_rep)[:-1]))
                r_ids = next_id[r_rep] + (np.arange(total) - offset[r_rep])
                next_id = next_id + per_rep
                (u3,) = draw(r_ids, t, r_rep + first, (3,))
                size = tab.pool_size[r_grp]
                entry = np.minimum(np.floor(u3 * size).astype(np.int64), size - 1)
                pick = tab.pool_offset[r_grp] + entry
                age = tab.pool_age[pick]
                r_fte = tab.pool_fte[pick]
                r_cell = r_rep * O + r_grp * B + tab.band[_age_index(age + 1)]
                out[..., M_RECRUITS] = tally(r_cell)
                out[..., M_RECRUITS_FTE] = tally(r_cell, r_fte) / 100.0
                rep = np.concatenate((rep, r_rep))
                ids = np.concatenate((ids, r_ids))
                grp = np.concatenate((grp, r_grp))
                birth = np.concatenate((birth, year - age))
                fte = np.concatenate((fte, r_fte))
        # End of year: stock in the band of next year's age.
        end_cell = rep * O + grp * B + tab.band[_age_index(year + 1 - birth)]
        out[..., M_END] = tally(end_cell)
        out[..., M_END_FTE] = tally(end_cell, fte) / 100.0
        out[..., M_START_FTE] = start_fte / 100.0
    return raw


def philox_draw(seed: int):
    """Uniforms from the keyed Philox stream ("Random numbers" in docs/models.md) (the engine's exactly)."""
    key = philox_key(seed)

    def draw(ids, t, reps, which):
        reps = np.asarray(reps, dtype=np.uint64)
        words = philox4x32((ids.astype(np.uint32), np.uint32(t), (reps & _LO32).astype(np.uint32),
                            (reps >> _SHIFT32).astype(np.uint32)), key)
        return tuple(to_unit(words[w]) for w in which)

    return draw


def default_rng_draw(seed: int):
    """Uniforms from numpy's default generator (PCG64): a different stream, the same rules."""
    rng = np.random.default_rng(seed)

    def draw(ids, t, reps, which):
        return tuple(rng.random(len(ids)) for _ in which)

    return draw



def simulate_numpy_batched(tab: Tables, replicates: int, draw, max_rows: int = 4_000_000) -> np.ndarray:
    """``simulate_numpy`` over batches of replicates holding at most ~``max_rows`` person rows at once
    (memory stays bounded at 1.3 million persons), concatenated in replicate order."""
    per_batch = max(1, max_rows // max(1, len(tab.group)))
    parts = [simulate_numpy(tab, min(per_batch, replicates - b), draw, first=b) for b in range(0, replicates, per_batch)]
    return np.concatenate(parts, axis=0)


# --------------------------------------------------------------------------- checks and timings

#: Means agree when, per year and measure (totals over groups), |mean_a - mean_b| <= MEAN_SIGMAS pooled
#: standard errors + MEAN_RELATIVE of the mean + MEAN_ABSOLUTE (two independent streams).
MEAN_SIGMAS = 6.0
MEAN_RELATIVE = 0.01
MEAN_ABSOLUTE = 1.0


def check_identical(core_raw: np.ndarray, numpy_raw: np.ndarray) -> None:
    """Raises AssertionError naming the first difference unless the two raw arrays are byte-identical."""
    if core_raw.shape != numpy_raw.shape:
        raise AssertionError(f"raw shapes differ: staffcast {core_raw.shape}, numpy {numpy_raw.shape}")
    if core_raw.tobytes() != np.ascontiguousarray(numpy_raw, dtype=np.float64).tobytes():
        where = np.argwhere(core_raw != numpy_raw)
        r, y, o, m = (int(v) for v in where[0])
        raise AssertionError(f"raw arrays differ in {len(where)} cells; first at replicate {r}, year {y + 1}, "
                             f"output group {o}, {MEASURES[m]}: staffcast {core_raw[r, y, o, m]!r}, "
                             f"numpy {numpy_raw[r, y, o, m]!r}")


def check_means(core_raw: np.ndarray, numpy_raw: np.ndarray) -> float:
    """Per year and measure, the totals over groups agree in mean within the stated tolerance. Returns the
    largest |difference| / allowed over all cells (<= 1)."""
    a = core_raw.sum(axis=2)  # [replicate, year, measure]
    b = numpy_raw.sum(axis=2)
    se = np.sqrt(a.var(axis=0, ddof=1) / a.shape[0] + b.var(axis=0, ddof=1) / b.shape[0]) if min(
        a.shape[0], b.shape[0]) > 1 else 0.0
    diff = np.abs(a.mean(axis=0) - b.mean(axis=0))
    allowed = MEAN_SIGMAS * se + MEAN_RELATIVE * np.abs(a.mean(axis=0)) + MEAN_ABSOLUTE
    worst = float(np.max(diff / allowed))
    if worst > 1.0:
        y, m = np.unravel_index(int(np.argmax(diff / allowed)), diff.shape)
        raise AssertionError(f"means differ beyond tolerance in year {y + 1}, {MEASURES[m]}: staffcast "
                             f"{a.mean(axis=0)[y, m]:.3f}, numpy default_rng {b.mean(axis=0)[y, m]:.3f}")
    return worst


def _best(repeat: int, run) -> tuple[float, object]:
    import time

    best, out = float("inf"), None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _inputs(register, years: int, by):
    import staffcast as sc

    if not isinstance(register, sc.Register):
        register = sc.read_register(register)
    return sc.estimate_inputs(register, years=years, by=by)


def compare_microsimulation(register, persons: int, repeat: int, *, years: int = 10,
                            replicates: Optional[int] = None, seed: int = 1,
                            by: Sequence[str] = ("department",)) -> list[dict]:
    """The microsimulation against vectorised numpy, per core (staffcast with threads=1).

    ``register``: a ``sc.Register`` or a register file; ``persons``: its size (labels, and the replicate
    count when ``replicates`` is None: enough that each side runs ~10^6 person-years, rounded up to an
    even count, at least 2, so that two threads get the same number of replicates). Both
    sides get the same ``_core.estimate_inputs`` arrays; only the simulation is timed (best of
    ``repeat``). Before timing: (a) the numpy Philox raw array equals ``_core.simulate_raw``'s byte for
    byte; (b) numpy's default_rng gives the same means within the tolerance above. Returns rows
    ``{name, staffcast_s, baseline, baseline_s, ratio}`` (ratio = baseline_s / staffcast_s), the last the
    1 -> 2 thread speedup of staffcast.
    """
    from staffcast import _core

    inputs = _inputs(register, years, list(by))
    if replicates is None:
        # An even count, so that the 1 -> 2 thread row can reach 2x (each thread runs whole replicates).
        replicates = 2 * max(1, min(32, math.ceil(1_000_000 / max(1, inputs.persons * years) / 2)))
    replicates = int(replicates)

    def run_core(threads: int):
        return np.asarray(_core.simulate_raw(inputs, seed, 0, replicates, threads=threads))

    def run_philox():
        return simulate_numpy_batched(Tables(inputs), replicates, philox_draw(seed))

    def run_default():
        return simulate_numpy_batched(Tables(inputs), replicates, default_rng_draw(seed))

    # Checks first, untimed.
    core_raw = run_core(1)
    check_identical(core_raw, run_philox())
    check_means(core_raw, run_default())

    t1, _ = _best(repeat, lambda: run_core(1))
    t2, raw2 = _best(repeat, lambda: run_core(2))
    check_identical(core_raw, raw2)
    tp, _ = _best(repeat, run_philox)
    td, _ = _best(repeat, run_default)
    label = f"microsim {persons} persons x {years} years x {replicates} replicates"
    return [
        {"name": f"{label}: numpy Philox (per core)", "staffcast_s": t1,
         "baseline": "numpy, the same keyed Philox4x32-10 stream (raw array identical)", "baseline_s": tp,
         "ratio": tp / t1},
        {"name": f"{label}: numpy default_rng (per core)", "staffcast_s": t1,
         "baseline": "numpy, np.random.default_rng (means within tolerance)", "baseline_s": td, "ratio": td / t1},
        {"name": f"{label}: 1 -> 2 threads", "staffcast_s": t2, "baseline": "staffcast threads=1",
         "baseline_s": t1, "ratio": t1 / t2},
    ]


def main(argv: Optional[Sequence[str]] = None) -> int:
    import argparse
    import json
    import tempfile
    from pathlib import Path

    import staffcast as sc

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--replicates", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--by", default="department")
    parser.add_argument("--out", type=Path, default=None, help="write the rows as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        sc.generate(tmp, persons=args.persons, years=10, seed=args.seed)
        register = sc.read_register(Path(tmp) / "employments.csv")
        rows = compare_microsimulation(register, args.persons, args.repeat, years=args.years,
                                       replicates=args.replicates, seed=args.seed,
                                       by=[b for b in args.by.split(",") if b])
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        print(f"{r['name']:<{width}}  staffcast {r['staffcast_s']:8.3f} s  baseline {r['baseline_s']:8.3f} s  "
              f"ratio {r['ratio']:6.2f}  ({r['baseline']})")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def dask_overhead(inputs, replicates: int = 1000, workers: int = 2, seed: int = 1, processes: bool = True,
                  repeat: int = 3) -> dict:
    """Dask overhead at ``replicates`` (docs/performance.md: under 10 % at >= 1,000 replicates on a running cluster):
    ``sc.simulate(client=...)``'s path on an already running LocalCluster of ``workers`` single-threaded
    workers (the inputs scattered once per call) against the in-process run with ``threads=workers``,
    interleaved ``repeat`` times (best of each, so that a busy machine hurts both alike). Checks that the
    raw arrays are byte-identical. Returns a row ``{name, staffcast_s (Dask), baseline, baseline_s,
    ratio}`` with ratio = in-process / Dask (1 = no overhead; 0.9 = 10 % overhead)."""
    import time

    from dask.distributed import Client, LocalCluster

    from staffcast import _core
    from staffcast.projection import _simulate_distributed

    dask_s = local_s = float("inf")
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None,
                      silence_logs=50) as cluster, Client(cluster) as client:
        client.wait_for_workers(workers)
        _simulate_distributed(inputs, seed, 2 * workers, client)  # warm the workers (imports)
        for _ in range(max(1, repeat)):
            t0 = time.perf_counter()
            remote = _simulate_distributed(inputs, seed, replicates, client)
            dask_s = min(dask_s, time.perf_counter() - t0)
            t0 = time.perf_counter()
            local = np.asarray(_core.simulate_raw(inputs, seed, 0, replicates, threads=workers))
            local_s = min(local_s, time.perf_counter() - t0)
            check_identical(local, remote)
    return {"name": f"microsim on Dask, {replicates} replicates, {workers} workers "
                    f"({'processes' if processes else 'threads'})",
            "staffcast_s": dask_s, "baseline": f"in-process threads={workers}", "baseline_s": local_s,
            "ratio": local_s / dask_s}
