"""The numpy Philox4x32-10 of benchmarks/compare_microsim.py against the Random123 known-answer
vectors (Debian librandom123-doc) and a scalar pure-Python implementation."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from conftest import load_benchmark

ROOT = Path(__file__).resolve().parents[2]
KAT = Path("/usr/share/doc/librandom123-dev/tests/kat_vectors.gz")


cm = load_benchmark("compare_microsim")

# The philox4x32 lines of Random123 1.14's kat_vectors, as published (rounds, ctr0..3, key0..1, out0..3).
PUBLISHED = [
    (7, "00000000 00000000 00000000 00000000", "00000000 00000000", "5f6fb709 0d893f64 4f121f81 4f730a48"),
    (7, "ffffffff ffffffff ffffffff ffffffff", "ffffffff ffffffff", "5207ddc2 45165e59 4d8ee751 8c52f662"),
    (7, "243f6a88 85a308d3 13198a2e 03707344", "a4093822 299f31d0", "4dfccaba 190a87f0 c47362ba b6b5242a"),
    (10, "00000000 00000000 00000000 00000000", "00000000 00000000", "6627e8d5 e169c58d bc57ac4c 9b00dbd8"),
    (10, "ffffffff ffffffff ffffffff ffffffff", "ffffffff ffffffff", "408f276d 41c83b0e a20bc7c6 6d5451fd"),
    (10, "243f6a88 85a308d3 13198a2e 03707344", "a4093822 299f31d0", "d16cfe09 94fdcceb 5001e420 24126ea1"),
]


def _words(text):
    return [int(w, 16) for w in text.split()]


def _kat_file_vectors():
    if not KAT.exists():
        return []
    out = []
    with gzip.open(KAT, "rt") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 12 and parts[0] == "philox4x32":
                out.append((int(parts[1]), " ".join(parts[2:6]), " ".join(parts[6:8]), " ".join(parts[8:12])))
    return out


def scalar_philox(ctr, key, rounds=10):
    """Philox4x32-R on Python ints, written from the paper's definition."""
    m0, m1, w0, w1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85
    c = list(ctr)
    k0, k1 = key
    for r in range(rounds):
        if r:
            k0, k1 = (k0 + w0) & 0xFFFFFFFF, (k1 + w1) & 0xFFFFFFFF
        p0, p1 = m0 * c[0], m1 * c[2]
        c = [((p1 >> 32) ^ c[1] ^ k0) & 0xFFFFFFFF, p1 & 0xFFFFFFFF, ((p0 >> 32) ^ c[3] ^ k1) & 0xFFFFFFFF,
             p0 & 0xFFFFFFFF]
    return c


@pytest.mark.parametrize("rounds,ctr,key,out", PUBLISHED)
def test_published_known_answers(rounds, ctr, key, out):
    got = cm.philox4x32(_words(ctr), _words(key), rounds=rounds)
    assert [int(x) for x in got] == _words(out)
    assert scalar_philox(_words(ctr), _words(key), rounds) == _words(out)


def test_debian_kat_file_matches_and_holds_the_published_vectors():
    vectors = _kat_file_vectors()
    if not vectors:
        pytest.skip(f"{KAT} not installed (Debian librandom123-doc)")
    assert set(PUBLISHED) <= set(vectors)
    for rounds, ctr, key, out in vectors:
        assert [int(x) for x in cm.philox4x32(_words(ctr), _words(key), rounds=rounds)] == _words(out)


def test_vectorised_equals_scalar_on_random_counters_and_keys():
    rng = np.random.default_rng(12345)
    ctr = rng.integers(0, 2**32, size=(4, 257), dtype=np.uint64).astype(np.uint32)
    key = rng.integers(0, 2**32, size=2, dtype=np.uint64).astype(np.uint32)
    got = np.stack(cm.philox4x32(tuple(ctr), (key[0], key[1])))
    for j in range(ctr.shape[1]):
        expected = scalar_philox([int(c) for c in ctr[:, j]], (int(key[0]), int(key[1])))
        assert [int(x) for x in got[:, j]] == expected


def test_keying_and_uniforms_follow_the_contract():
    # seed 2^32 + 7: key (7, 1); replicate 2^32 + 3: counter words (3, 1).
    seed, replicate = (1 << 32) + 7, (1 << 32) + 3
    u = cm.uniforms(seed, np.array([0, 5, 4_000_000_000], dtype=np.int64), 4, replicate)
    for i, person in enumerate([0, 5, 4_000_000_000]):
        words = scalar_philox([person, 4, 3, 1], (7, 1))
        for j in range(4):
            assert u[j][i] == (words[j] + 0.5) / 2**32
    assert cm.philox_key(2**64 - 1) == (0xFFFFFFFF, 0xFFFFFFFF)


def test_unit_mapping_bounds_are_exact():
    x = np.array([0, 1, 0xFFFFFFFF], dtype=np.uint32)
    u = cm.to_unit(x)
    assert u[0] == 2.0**-33
    assert u[1] == 1.5 * 2.0**-32
    assert u[2] == 1.0 - 2.0**-33  # still below 1
    assert np.all((u > 0) & (u < 1))


# ---------------------------------------------------------------- the rules in numpy against the engine

SAMPLE = ROOT / "examples" / "data" / "employments.csv"


@pytest.fixture(scope="module")
def reg():
    import staffcast as sc

    return sc.read_register(SAMPLE)


@pytest.mark.parametrize("by", [[], ["department"], ["position", "age_band"], ["employment_form", "gender"]])
@pytest.mark.parametrize("scenario", [None,
                                      {"name": "pt", "part_time_to_full_time": 0.3, "growth_per_year": 0.05},
                                      {"name": "fz", "hiring_freeze_years": 2, "retirement_age_shift": 2,
                                       "target_stock": 900},
                                      {"name": "rm", "rate_multiplier": [{"where": {}, "factor": 1.7}],
                                       "growth_per_year": -0.2}])
def test_numpy_philox_rules_equal_the_engine_byte_for_byte(reg, by, scenario):
    import staffcast as sc
    from staffcast import _core

    inputs = sc.estimate_inputs(reg, years=6, by=by)
    if scenario is not None:
        inputs = sc.apply_scenario(inputs, scenario)
    seed = 2**40 + 17  # both key words in use
    core = np.asarray(_core.simulate_raw(inputs, seed, 0, 6, threads=1))
    numpy_raw = cm.simulate_numpy_batched(cm.Tables(inputs), 6, cm.philox_draw(seed), max_rows=9000)
    cm.check_identical(core, numpy_raw)
    # Replicates 3..5 alone are the same rows (keyed by the replicate, not by position).
    part = cm.simulate_numpy(cm.Tables(inputs), 3, cm.philox_draw(seed), first=3)
    assert part.tobytes() == core[3:].tobytes()


def test_check_identical_names_the_first_difference():
    a = np.zeros((2, 3, 4, len(cm.MEASURES)))
    b = a.copy()
    b[1, 2, 3, cm.M_END] = 1.0
    with pytest.raises(AssertionError, match=r"1 cells; first at replicate 1, year 3, output group 3, end"):
        cm.check_identical(a, b)


def test_default_rng_means_agree_and_a_shift_is_caught(reg):
    import staffcast as sc
    from staffcast import _core

    inputs = sc.estimate_inputs(reg, years=4, by=["department"])
    core = np.asarray(_core.simulate_raw(inputs, 5, 0, 40, threads=1))
    other = cm.simulate_numpy_batched(cm.Tables(inputs), 40, cm.default_rng_draw(5))
    assert core.tobytes() != other.tobytes()  # a different stream
    assert cm.check_means(core, other) <= 1.0
    shifted = other.copy()
    shifted[..., cm.M_RETIREMENTS] += 30.0 / inputs.output_groups  # 30 more retirements a year
    with pytest.raises(AssertionError, match="retirements"):
        cm.check_means(core, shifted)


def test_compare_microsimulation_rows(reg):
    rows = cm.compare_microsimulation(reg, 1102, 1, years=3, replicates=4)
    assert [set(r) for r in rows] == [{"name", "staffcast_s", "baseline", "baseline_s", "ratio"}] * 3
    for r in rows:
        assert r["staffcast_s"] > 0 and r["baseline_s"] > 0
        assert r["ratio"] == pytest.approx(r["baseline_s"] / r["staffcast_s"])
    assert "1 -> 2 threads" in rows[2]["name"] and rows[2]["baseline"] == "staffcast threads=1"
