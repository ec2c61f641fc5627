// Plan files (docs/plans.md): a workforce plan in TOML, parsed with toml++
// into a WorkforcePlan.
//
//   objective = "cost"             # cost | redundancy | shortfall
//   periods = 3
//   overstaffing_max_total = 150   # per period, across all categories
//   [[category]]
//   name = "skilled"
//   initial = 1000
//   demand = [1000, 1500, 2000]
//   wastage_new = 0.10
//   wastage = 0.05                 # or one value per period
//   recruit_max = 500
//   redundancy_cost = 500
//   [[move]]
//   from = "semiskilled"
//   to = "skilled"
//   max_share_of_target = 0.25
//   cost = 500
//
// Every problem (TOML syntax, an unknown key, a wrong type, a value out of
// range, a move to an unknown category, a demand list of the wrong length) is
// a staffcast::argument_error whose message names the source, the line and
// column, and the key path ("category[2].wastage"); an unreadable file is a
// staffcast::io_error.
#pragma once

#include <staffcast/error.hpp>
#include <staffcast/plan/workforce_plan.hpp>

#include <string>
#include <string_view>

namespace staffcast {

/// Parses the text of a plan file. `label` names the source in error messages.
WorkforcePlan parse_plan_toml(std::string_view text, const std::string& label = "<plan>");

/// Reads and parses a plan file (UTF-8 TOML).
WorkforcePlan read_plan_file(const std::string& path);

}  // namespace staffcast
