// Scenarios (docs/models.md): a named set of overrides applied to the
// estimated projection inputs. This header holds the struct only; parsing a
// TOML file into it lives in src/scenario.cpp, applying it to the inputs in
// projection.hpp (`apply_scenario`).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace staffcast {

/// One `[[rate_multiplier]]` entry: multiplies m_other of the groups matching
/// every `where` column (column = one of the listed values; the columns are
/// static dimensions of the run or `age_band`).
struct RateMultiplier {
  std::map<std::string, std::vector<std::string>> where;
  double factor = 1.0;
};

/// Target stock override: a single total (split by today's shares) and/or a
/// headcount per group label.
struct TargetStock {
  std::optional<double> total;
  std::map<std::string, double> per_group;
};

/// The fields of docs/models.md and nothing else. Defaults change nothing.
struct Scenario {
  std::string name;
  int retirement_age_shift = 0;                  // -5..10: q'[x] = q[x - k]
  std::vector<RateMultiplier> rate_multipliers;  // applied in order
  double growth_per_year = 0.0;                  // -0.5..0.5: T_g(t) = T_g(0) (1 + g)^t
  int hiring_freeze_years = 0;                   // >= 0: no recruits for t <= N
  TargetStock target_stock;                      // replaces today's headcount as T_g(0)
  double part_time_to_full_time = 0.0;           // [0, 1]: s in step 3
};

}  // namespace staffcast
