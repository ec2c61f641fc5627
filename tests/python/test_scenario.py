"""sc.Scenario: validation in Python, TOML files through the C++ parser, round trips, the examples."""

from __future__ import annotations

from pathlib import Path

import pytest

import staffcast as sc
from staffcast.scenario import RateMultiplier, Scenario, load_scenario_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "scenarios"

DOCUMENTED_EXAMPLE = """\
name = "retire later"
retirement_age_shift = 2          # years added to every retirement age
[[rate_multiplier]]               # other separations
where = { position = "Socialsekreterare" }
factor = 0.8
growth_per_year = 0.055           # of the target stock
hiring_freeze_years = 0
part_time_to_full_time = 0.25     # share of part-time staff moving to full time per year
"""


def test_design_example_from_text():
    s = Scenario.from_toml(DOCUMENTED_EXAMPLE)
    assert s == Scenario("retire later", retirement_age_shift=2,
                         rate_multipliers=[{"where": {"position": "Socialsekreterare"}, "factor": 0.8}],
                         growth_per_year=0.055, part_time_to_full_time=0.25)
    assert s.rate_multipliers == (RateMultiplier(0.8, {"position": ("Socialsekreterare",)}),)
    assert s.hiring_freeze_years == 0 and s.target_stock is None


def test_defaults_are_the_baseline():
    s = Scenario("baseline")
    assert s.is_baseline
    assert s.to_dict() == {"name": "baseline", "retirement_age_shift": 0, "rate_multipliers": [],
                           "growth_per_year": 0.0, "hiring_freeze_years": 0, "target_stock": None,
                           "part_time_to_full_time": 0.0}
    assert str(s) == "baseline: baseline"
    assert not Scenario("x", hiring_freeze_years=1).is_baseline


def test_frozen():
    s = Scenario("a")
    with pytest.raises(AttributeError):
        s.growth_per_year = 0.1  # type: ignore[misc]


@pytest.mark.parametrize("file,field,value", [
    ("retire_later.toml", "retirement_age_shift", 2),
    ("turnover_minus_20.toml", "rate_multipliers", (RateMultiplier(0.8, {}),)),
    ("growth_5_5.toml", "growth_per_year", 0.055),
    ("hiring_freeze_2.toml", "hiring_freeze_years", 2),
    ("part_time_to_full_time_25.toml", "part_time_to_full_time", 0.25),
])
def test_example_files(file, field, value):
    s = load_scenario_file(EXAMPLES / file)
    assert getattr(s, field) == value
    assert Scenario.from_toml(EXAMPLES / file) == s
    assert Scenario.from_toml(str(EXAMPLES / file)) == s
    # every other field keeps its default
    others = {k: v for k, v in s.to_dict().items() if k not in ("name", field, "rate_multipliers" if
                                                                   field == "rate_multipliers" else "")}
    assert others == {k: v for k, v in Scenario("x").to_dict().items() if k in others}


def test_round_trip_through_toml():
    s = Scenario("all \"quoted\" \\ å", retirement_age_shift=-5, growth_per_year=-0.125, hiring_freeze_years=3,
                 target_stock={"Vård": 800, "Skola": 0}, part_time_to_full_time=1,
                 rate_multipliers=[RateMultiplier(1.5, {"position": ["A", "B"], "department": "Vård"}),
                                   ({}, 0.0)])
    text = s.to_toml()
    assert Scenario.from_toml(text) == s
    assert Scenario.from_dict(s.to_dict()) == s
    assert s.target_stock == {"Skola": 0, "Vård": 800}
    assert s.part_time_to_full_time == 1.0 and isinstance(s.part_time_to_full_time, float)
    total = Scenario("t", target_stock=1200)
    assert Scenario.from_toml(total.to_toml()).target_stock == 1200


def test_toml_errors_name_key_and_line():
    with pytest.raises(ValueError, match=r"<string>, line 2: key 'retirement_age_shift': .*-5\.\.10, got 11"):
        Scenario.from_toml('name = "a"\nretirement_age_shift = 11\n')
    with pytest.raises(ValueError, match=r"line 3: key 'rate_multiplier\[1\]\.fator': unknown key"):
        Scenario.from_toml('name = "a"\n[[rate_multiplier]]\nfator = 0.8\n')
    with pytest.raises(ValueError, match=r"key 'growth_per_year': expected a number .*got a string"):
        Scenario.from_toml('name = "a"\ngrowth_per_year = "5%"\n')
    with pytest.raises(ValueError, match=r"invalid TOML"):
        Scenario.from_toml('name = "a"\ngrowth_per_year =\n')
    with pytest.raises(ValueError, match=r"key 'name': is required"):
        Scenario.from_toml("hiring_freeze_years = 1\n")
    # the C++ error is a staffcast ArgumentError, i.e. a ValueError
    with pytest.raises(sc._core.ArgumentError):
        Scenario.from_toml('name = "a"\nx = 1\n')


def test_file_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "a"\n\nhiring_freeze_years = -1\n', encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{bad}, line 3: key 'hiring_freeze_years': must be an integer >= 0"):
        load_scenario_file(bad)
    with pytest.raises(FileNotFoundError):
        load_scenario_file(tmp_path / "missing.toml")
    with pytest.raises(IsADirectoryError):
        load_scenario_file(tmp_path)


@pytest.mark.parametrize("kwargs,match", [
    ({"retirement_age_shift": 11}, r"retirement_age_shift must be an integer in -5\.\.10, got 11"),
    ({"retirement_age_shift": 2.0}, r"retirement_age_shift must be an integer"),
    ({"retirement_age_shift": True}, r"retirement_age_shift must be an integer"),
    ({"growth_per_year": 0.6}, r"growth_per_year must be a number in -0\.5\.\.0\.5, got 0\.6"),
    ({"growth_per_year": float("nan")}, r"growth_per_year"),
    ({"growth_per_year": "5%"}, r"growth_per_year must be a number"),
    ({"hiring_freeze_years": -1}, r"hiring_freeze_years must be an integer >= 0, got -1"),
    ({"hiring_freeze_years": 2**31}, r"hiring_freeze_years"),
    ({"part_time_to_full_time": 1.5}, r"part_time_to_full_time must be a number in \[0, 1\]"),
    ({"target_stock": -1}, r"target_stock must be an integer in 0\.\.100000000"),
    ({"target_stock": 10.5}, r"target_stock must be an integer"),
    ({"target_stock": {}}, r"target_stock must not be an empty mapping"),
    ({"target_stock": {"A": -2}}, r"target_stock\['A'\]"),
    ({"rate_multipliers": [{"factor": -1}]}, r"rate_multipliers\[1\]\.factor must be a number >= 0"),
    ({"rate_multipliers": [{"where": {"position": "x"}}]}, r"rate_multipliers\[1\]\.factor is required"),
    ({"rate_multipliers": [{"factor": 1, "when": {}}]}, r"unknown keys \['when'\]"),
    ({"rate_multipliers": [{"factor": 1, "where": {"position": []}}]}, r"where\.position must not be an empty"),
    ({"rate_multipliers": [{"factor": 1, "where": {"position": [3]}}]}, r"values must be strings"),
    ({"rate_multipliers": [{"factor": 1, "where": "position"}]}, r"where must be a mapping"),
    ({"rate_multipliers": 0.8}, r"rate_multipliers must be a list"),
])
def test_python_validation_mirrors_the_parser(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Scenario("s", **kwargs)


def test_python_and_toml_agree_on_bounds():
    for key, good, bad in [("retirement_age_shift", (-5, 10), (-6, 11)), ("growth_per_year", (-0.5, 0.5), (-0.51, 0.51)),
                           ("part_time_to_full_time", (0, 1), (-0.01, 1.01)), ("hiring_freeze_years", (0,), (-1,)),
                           ("target_stock", (0, 100_000_000), (-1, 100_000_001))]:
        for value in good:
            assert getattr(Scenario.from_toml(f'name = "a"\n{key} = {value}\n'), key) == getattr(
                Scenario("a", **{key: value}), key)
        for value in bad:
            with pytest.raises(ValueError):
                Scenario.from_toml(f'name = "a"\n{key} = {value}\n')
            with pytest.raises(ValueError):
                Scenario("a", **{key: value})


def test_name_required():
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        Scenario("")
    with pytest.raises(ValueError, match="unknown key 'growth'"):
        Scenario.from_dict({"name": "a", "growth": 0.1})


def test_html_and_str():
    s = Scenario("<later>", retirement_age_shift=2, rate_multipliers=[({"position": "X"}, 0.8)],
                 hiring_freeze_years=2, part_time_to_full_time=0.25, growth_per_year=0.055)
    page = s._repr_html_()
    assert "&lt;later&gt;" in page and "+2 years" in page and "x 0.8 (position = X)" in page
    assert str(s) == ("<later>: retirement age +2 years; other separations x 0.8 (position = X); "
                      "target growth +5.5% per year; hiring freeze 2 year(s); part-time to full time 25% per year")


# ---------------------------------------------------------------- properties (hypothesis)

from hypothesis import given, settings, strategies as st  # noqa: E402

_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
_multiplier = st.builds(RateMultiplier, st.floats(0, 1e6, allow_nan=False),
                        st.dictionaries(_text, st.lists(st.text(max_size=8), min_size=1, max_size=3), max_size=2))
_scenarios = st.builds(
    Scenario, _text, st.integers(-5, 10), st.lists(_multiplier, max_size=3).map(tuple),
    st.floats(-0.5, 0.5, allow_nan=False), st.integers(0, 2**31 - 1),
    st.one_of(st.none(), st.integers(0, 100_000_000),
              st.dictionaries(_text, st.integers(0, 100_000_000), min_size=1, max_size=3)),
    st.floats(0, 1, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(_scenarios)
def test_any_valid_scenario_round_trips_through_the_cpp_parser(s):
    assert Scenario.from_toml(s.to_toml()) == s
    assert Scenario.from_dict(s.to_dict()) == s


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_raises_value_error(text):
    try:
        s = Scenario.from_toml(text + "\n")
    except ValueError:
        return
    assert s.name  # a parsed scenario is valid by construction
