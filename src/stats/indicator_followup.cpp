#include <staffcast/stats/indicator_followup.hpp>

#include <staffcast/io/indicators.hpp>
#include <staffcast/table.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace staffcast {

Table indicator_followup(const Indicators& ind, bool previous_year) {
  using Series = std::map<std::int32_t, std::size_t>;  // period index -> row
  std::map<std::tuple<std::string, std::string, Granularity>, Series> series;
  for (std::size_t r = 0; r < ind.size(); ++r) {
    series[{ind.indicator[r], ind.unit_of_analysis[r], ind.period[r].granularity}][ind.period[r].index] = r;
  }
  Table table;
  table.key_names = {"indicator", "unit_of_analysis", "period"};
  table.keys.assign(3, {});
  ValueColumn value{"value", ValueKind::number, {}}, target{"target", ValueKind::number, {}},
      previous{"previous", ValueKind::number, {}}, change{"change", ValueKind::number, {}},
      missed{"target_missed", ValueKind::flag, {}}, wrong{"trend_wrong", ValueKind::flag, {}},
      year_before{"value_prev", ValueKind::number, {}}, year_diff{"value_diff", ValueKind::number, {}},
      year_pct{"value_pct", ValueKind::rate, {}};
  for (const auto& entry : series) {
    // Named references, not structured bindings: C++17 lambdas cannot capture bindings.
    const auto& rows = entry.second;
    const auto& [name, unit, granularity] = entry.first;
    const auto latest = std::prev(rows.end());
    const std::size_t r = latest->second;
    const int direction = ind.better[r];
    auto value_at = [&](std::int32_t index) {
      auto it = rows.find(index);
      return it == rows.end() ? missing : ind.value[it->second];
    };
    const double now = ind.value[r];
    const double before = value_at(latest->first - 1);
    const double earlier = value_at(latest->first - 2);
    const double last_change = now - before;  // NaN when the previous period is missing
    const double prior_change = before - earlier;
    auto worse = [&](double delta) { return !std::isnan(delta) && delta * direction < 0; };
    table.keys[0].push_back(name);
    table.keys[1].push_back(unit);
    table.keys[2].push_back(format_period(ind.period[r]));
    value.values.push_back(now);
    target.values.push_back(ind.target[r]);
    previous.values.push_back(before);
    change.values.push_back(last_change);
    const double t = ind.target[r];
    missed.values.push_back(!std::isnan(t) && (now - t) * direction < 0 ? 1 : 0);
    wrong.values.push_back(worse(last_change) && worse(prior_change) ? 1 : 0);
    // Periods per year: 1, 3 tertials, 4 quarters, 12 months.
    const std::int32_t per_year[] = {1, 3, 4, 12};
    const double last_year = value_at(latest->first - per_year[static_cast<std::size_t>(granularity)]);
    year_before.values.push_back(last_year);
    year_diff.values.push_back(now - last_year);
    year_pct.values.push_back(last_year != 0 && !std::isnan(last_year) ? (now - last_year) / last_year : missing);
  }
  table.values = {std::move(value),  std::move(target), std::move(previous),
                  std::move(change), std::move(missed), std::move(wrong)};
  if (previous_year) {
    table.values.push_back(std::move(year_before));
    table.values.push_back(std::move(year_diff));
    table.values.push_back(std::move(year_pct));
  }
  table.sort_rows();
  return table;
}

}  // namespace staffcast
