// The validation rule of a scenario, written once: the TOML reader
// (scenario_file.hpp), apply_scenario and the Python bindings (a dict or a
// staffcast.Scenario) all check a scenario's values here.
//
// Bounds (docs/models.md, scenarios):
//   retirement_age_shift    an integer in -5..10
//   growth_per_year         a number in -0.5..0.5
//   hiring_freeze_years     an integer >= 0 (at most 2^31 - 1)
//   target_stock            an integer in 0..100000000 (total or per group)
//   part_time_to_full_time  a number in [0, 1]
//   factor                  a number >= 0 (of a rate multiplier)
// Numbers must be finite. A scenario needs a non-empty name; a rate
// multiplier's `where` columns need a name and at least one value; a
// per-group target stock needs at least one group, each with a label.
#pragma once

#include <staffcast/projection/scenario.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace staffcast {

/// The allowed values of a scenario key as text: "in -5..10", ">= 0", "in [0, 1]",
/// "in 0..100000000", "in -0.5..0.5"; throws argument_error for another key.
const char* scenario_range(std::string_view key);

/// What is wrong with `value` for the integer key `key` (retirement_age_shift,
/// hiring_freeze_years, target_stock), e.g. "must be an integer in -5..10, got 11";
/// empty when the value is allowed.
std::string scenario_integer_problem(std::string_view key, std::int64_t value);

/// What is wrong with `value` for the number key `key` (growth_per_year,
/// part_time_to_full_time, factor), e.g. "must be a number in [0, 1], got 1.5";
/// empty when the value is allowed.
std::string scenario_number_problem(std::string_view key, double value);

/// A number as the shortest text that reads back to it ("0.6", "nan", "inf").
std::string scenario_number_text(double value);

/// Checks every field of a scenario against the rules above; throws
/// argument_error "scenario 'NAME': KEY PROBLEM" (keys as in Python:
/// rate_multipliers[1].factor, target_stock['A']).
void validate_scenario(const Scenario& scenario);

}  // namespace staffcast
