"""benchmarks/saved_load.py runs its check at a small size (its timings are not asserted)."""

from __future__ import annotations

from conftest import load_benchmark


def test_saved_load_checks_the_loaded_register_and_counts_its_bytes(tmp_path):
    saved_load = load_benchmark("saved_load")
    result = saved_load.main(["--persons", "400", "--repeat", "1", "--workdir", str(tmp_path),
                              "--out", str(tmp_path / "r.json")])
    assert result["spells"] > 400 and (tmp_path / "r.json").exists()
    assert 40 < result["nbytes_per_spell"] < 100  # the memory target, at any size
    assert set(result) >= {"read_register_csv_s", "load_register_s", "ratio", "cpu_ratio", "rss_growth_per_spell"}
