// Scenario files (docs/models.md, scenarios): a TOML file of overrides
// on the estimated projection inputs, parsed with toml++ into a Scenario.
//
//   name = "retire later"
//   retirement_age_shift = 2          # q'[x] = q[x - 2]
//   [[rate_multiplier]]               # other separations
//   where = { position = "Socialsekreterare" }
//   factor = 0.8
//   growth_per_year = 0.055           # of the target stock
//   hiring_freeze_years = 0
//   target_stock = 1200               # or a table: { "Vård" = 800, "Skola" = 400 }
//   part_time_to_full_time = 0.25     # share of part-time staff moving to full time per year
//
// Example:
//   staffcast::Scenario s = staffcast::read_scenario_file("retire_later.toml");
//   // s.name == "retire later", s.retirement_age_shift == 2
//
// TOML puts every key after a `[[rate_multiplier]]` header into that table; a
// scenario key found there (`growth_per_year` in the example above) is lifted
// to the scenario, as the example means it, and a key given twice is an error.
//
// Every problem (TOML syntax, an unknown key, a wrong type, a value out of
// range, a missing `name`) is a staffcast::argument_error whose message names
// the source, the line and the key; an unreadable file is a staffcast::io_error.
// Nothing else is thrown (bar std::bad_alloc).
#pragma once

#include <staffcast/error.hpp>
#include <staffcast/projection/scenario.hpp>

#include <string>
#include <string_view>

namespace staffcast {

/// Bounds of the scenario keys (docs/models.md, scenarios; checked by scenario_rules.hpp).
inline constexpr int min_retirement_age_shift = -5;
inline constexpr int max_retirement_age_shift = 10;
inline constexpr double min_growth_per_year = -0.5;
inline constexpr double max_growth_per_year = 0.5;
/// Upper bound of a target stock (total or per group): far above any
/// organisation, low enough that the recruits it implies fit in memory.
inline constexpr long long max_target_stock = 100'000'000;

/// Parses the text of a scenario file. `label` names the source in error
/// messages (a file name, or e.g. "<string>").
Scenario parse_scenario_toml(std::string_view text, const std::string& label = "<scenario>");

/// Reads and parses a scenario file (UTF-8 TOML).
Scenario read_scenario_file(const std::string& path);

}  // namespace staffcast
