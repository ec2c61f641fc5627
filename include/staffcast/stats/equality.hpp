// Gender-equality key figures (docs/metrics.md, in the spirit of the jämix index).
#pragma once

#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <string>
#include <vector>

namespace staffcast {

struct EqualityOptions {
  std::vector<std::string> manager_positions;  // positions that make someone a manager
  int long_term_days = 60;                     // an absence this long is long-term sick leave
};

/// Rows (key `measure`) with columns women, men, difference (women − men), and
/// the counts behind them (women_n, men_n: the persons each share is taken over):
/// - share_permanent: persons whose main spell on `as_of` is permanent;
/// - full_time_share: persons with fte whose summed fte is at least 1.00;
/// - long_term_sick: persons with fte in the 12 months up to `as_of` who had an
///   absence of long_term_days or more overlapping those months (needs `sick`);
/// - share_managers: persons who are someone's manager_id on `as_of` or hold a
///   managerial position;
/// - share_of_managers / share_of_staff: each gender's share of the managers and
///   of the staff (women's share of managers against their share of staff).
/// X is counted in the staff but has no column of its own.
Table equality(const Register& reg, const SickLeave* sick, day_t as_of, const EqualityOptions& options,
               const Query& query);

}  // namespace staffcast
