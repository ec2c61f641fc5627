// The same period a year earlier beside a table (docs/metrics.md): <col>_prev,
// <col>_diff and <col>_pct per group.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/table.hpp>

namespace staffcast {

/// The day one year earlier (29 February maps to 28 February).
day_t one_year_earlier(day_t day);

/// Joins `now` and `before` on their key columns (groups in either) and adds,
/// after each compared value column c, c_prev, c_diff (now − before) and c_pct
/// (the change in per cent of before, as a fraction; missing when before is 0
/// or missing). Flags are not compared. Rows are sorted by key, Total last.
Table with_previous(const Table& now, const Table& before);

}  // namespace staffcast
