#include <staffcast/stats/sick_leave_rates.hpp>

#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/sick_leave_rates.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/stats/turnover.hpp>

#include <algorithm>
#include <limits>

namespace staffcast {

Table sick_leave_rates(const Register& reg, const SickLeave& sick, day_t from, day_t to, const Query& query,
                       const SickLeaveRateOptions& options) {
  Table table = detail::raw_sick_leave_rates(reg, sick, from, to, query, options);
  if (!options.disclosure_control) {
    table.values.pop_back();
    table.suppressed.assign(table.rows(), std::string());
    return table;
  }
  // Disclosure control (docs/privacy.md).
  const std::size_t rows = table.rows();
  const bool has_total = query.totals && !table.key_names.empty();
  const std::size_t groups = has_total ? rows - 1 : rows;
  std::vector<bool> hidden(rows, false);
  const auto& n = table.values[0].values;
  const auto& with_sick = table.values[6].values;
  for (std::size_t r = 0; r < rows; ++r) {
    hidden[r] = n[r] <= options.min_group || with_sick[r] == 1;
  }
  std::size_t hidden_groups = 0;
  for (std::size_t r = 0; r < groups; ++r) hidden_groups += hidden[r] ? 1 : 0;
  if (hidden_groups == 1 && groups > 1) {
    // One hidden group could be recovered from the others and the whole: hide the next-smallest too.
    std::size_t pick = rows;
    for (std::size_t r = 0; r < groups; ++r) {
      if (!hidden[r] && (pick == rows || n[r] < n[pick])) pick = r;
    }
    if (pick < rows) hidden[pick] = true;
  }
  table.suppressed.assign(rows, std::string());
  for (std::size_t r = 0; r < rows; ++r) {
    if (!hidden[r]) continue;
    for (std::size_t c = 2; c <= 5; ++c) table.values[c].values[r] = missing;
    table.suppressed[r] = "sick_rate;short_term_rate;from_day_60_rate;long_term_share";
  }
  table.values.pop_back();  // sick_persons is for the rule only: it would identify people
  return table;
}

}  // namespace staffcast
