#include <staffcast/stats/span.hpp>

#include <staffcast/detail/group_sums.hpp>
#include <staffcast/detail/person_day.hpp>
#include <staffcast/stats/snapshot.hpp>

#include <algorithm>
#include <cmath>

namespace staffcast {

namespace detail {

/// Linear-interpolation percentile (numpy's default) of sorted values.
inline double percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return missing;
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - static_cast<double>(lower));
}

}  // namespace detail

SpanResult span_of_control(const Register& reg, day_t as_of, const SpanOptions& options, const Query& query) {
  detail::require_observed(reg, query, as_of, as_of);
  const SpellColumns& s = reg.spells();
  std::vector<std::uint32_t> main_of(reg.persons(), no_code);
  detail::PersonOnDay person;
  detail::for_each_person(s, [&](std::size_t b, std::size_t e) {
    detail::person_on_day(reg, query.filter, b, e, as_of, person);
    if (person.main != no_code) main_of[s.person[person.main]] = person.main;
  });
  std::vector<bool> managerial_position(reg.positions().size(), false);
  for (const std::string& name : options.manager_positions) {
    const auto code = reg.positions().find(name);
    if (!code) throw argument_error("no position '" + name + "' in the register");
    managerial_position[*code] = true;
  }
  SpanResult result;
  // Reports per key: employees first, then opaque keys (manager ids that are no
  // employee's), whose reports count though their department is unknown.
  std::vector<int> reports(reg.ids().size(), 0);
  std::vector<bool> is_manager(reg.persons(), false);
  std::vector<bool> warned(reg.persons(), false);
  for (std::size_t p = 0; p < reg.persons(); ++p) {
    const std::uint32_t spell = main_of[p];
    if (spell == no_code) continue;
    if (managerial_position[s.position[spell]]) is_manager[p] = true;
    const std::uint32_t manager = s.manager[spell];
    if (manager == no_code) continue;
    if (manager >= reg.persons()) {
      ++reports[manager];
      continue;
    }
    if (main_of[manager] == no_code) {
      // An employee not counted on the day: once per key, not per report.
      if (!warned[manager]) {
        result.issues.warning({}, s.source_row[spell], 0, "manager_id", "unknown_manager",
                              "manager_id names nobody employed on " + format_iso_date(as_of) +
                                  " (in the population counted); reported once for all their reports");
        warned[manager] = true;
      }
      continue;
    }
    ++reports[manager];
    is_manager[manager] = true;
  }
  // Cycles among the day's reporting lines: follow each chain with a step limit.
  std::vector<std::uint8_t> state(reg.persons(), 0);  // 0 new, 1 on the current path, 2 done
  for (std::size_t start = 0; start < reg.persons(); ++start) {
    std::vector<std::uint32_t> path;
    auto p = static_cast<std::uint32_t>(start);
    while (p < reg.persons() && main_of[p] != no_code && state[p] == 0) {
      state[p] = 1;
      path.push_back(p);
      const std::uint32_t next = s.manager[main_of[p]];
      if (next == no_code || next >= reg.persons() || main_of[next] == no_code) break;
      if (state[next] == 1) {
        result.issues.warning({}, s.source_row[main_of[p]], 0, "manager_id", "manager_cycle",
                              "the chain of managers on " + format_iso_date(as_of) + " returns to a person");
        break;
      }
      p = next;
    }
    for (std::uint32_t q : path) state[q] = 2;
  }
  // Per department (of the manager's main spell), then the whole.
  std::map<std::string, std::vector<double>> by_department;
  std::vector<double> everyone;
  Table& list = result.above_limit;
  list.key_names = {"manager_id", "department", "position"};
  list.keys.assign(3, {});
  ValueColumn listed{"reports", ValueKind::count, {}};
  for (std::size_t p = 0; p < reg.persons(); ++p) {
    if (!is_manager[p]) continue;
    const std::uint32_t spell = main_of[p];
    by_department[std::string(reg.departments()[s.department[spell]])].push_back(reports[p]);
    everyone.push_back(reports[p]);
    if (reports[p] > options.limit) {
      list.keys[0].emplace_back(reg.ids()[p]);
      list.keys[1].emplace_back(reg.departments()[s.department[spell]]);
      list.keys[2].emplace_back(reg.positions()[s.position[spell]]);
      listed.values.push_back(reports[p]);
    }
  }
  for (std::size_t key = reg.persons(); key < reg.ids().size(); ++key) {
    if (reports[key] == 0) continue;
    by_department[std::string(opaque_manager_label)].push_back(reports[key]);
    everyone.push_back(reports[key]);
    if (reports[key] > options.limit) {
      list.keys[0].emplace_back(reg.ids()[key]);
      list.keys[1].push_back(std::string(opaque_manager_label));
      list.keys[2].push_back({});
      listed.values.push_back(reports[key]);
    }
  }
  list.values = {std::move(listed)};
  list.sort_rows();
  Table& table = result.by_department;
  table.key_names = {"department"};
  table.keys.assign(1, {});
  const char* names[] = {"managers", "reports", "min", "median", "p90", "max", "above_limit"};
  const ValueKind kinds[] = {ValueKind::count,  ValueKind::count, ValueKind::count, ValueKind::number,
                             ValueKind::number, ValueKind::count, ValueKind::count};
  for (std::size_t c = 0; c < 7; ++c) table.values.push_back({names[c], kinds[c], {}});
  auto add = [&](const std::string& label, std::vector<double> values) {
    std::sort(values.begin(), values.end());
    double total = 0, above = 0;
    for (double v : values) {
      total += v;
      above += v > options.limit ? 1 : 0;
    }
    table.keys[0].push_back(label);
    const double row[] = {static_cast<double>(values.size()),
                          total,
                          values.empty() ? missing : values.front(),
                          detail::percentile(values, 0.5),
                          detail::percentile(values, 0.9),
                          values.empty() ? missing : values.back(),
                          above};
    for (std::size_t c = 0; c < 7; ++c) table.values[c].values.push_back(row[c]);
  };
  for (auto& [department, values] : by_department) add(department, values);
  if (query.totals) add(table.total_label, everyone);
  return result;
}

}  // namespace staffcast
