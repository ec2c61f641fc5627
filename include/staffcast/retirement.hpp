// Retirement outlook (DESIGN §3): who reaches the retirement age in each of the
// coming years, and who is already past it.
#pragma once

#include <staffcast/snapshot.hpp>

#include <string>
#include <vector>

namespace staffcast {

/// Deterministic outlook over persons employed on `as_of` (by their main
/// spell): `already_past` = the age-th birthday before 1 January of the first
/// year; one column per year Y (named "Y") = the age-th birthday within Y;
/// `total` = already_past + the years. Birthdays follow the 29 February rule.
inline Table retirement_outlook(const Register& reg, day_t as_of, const std::vector<int>& years, int age,
                                const Query& query) {
  if (years.empty()) throw argument_error("at least one year is needed");
  for (std::size_t k = 1; k < years.size(); ++k) {
    if (years[k] != years[k - 1] + 1) throw argument_error("years must be consecutive");
  }
  if (years.front() <= to_ymd(as_of).year) throw argument_error("the years must come after the as-of year");
  if (age < 1 || age > 120) throw argument_error("retirement age must be between 1 and 120");
  detail::require_observed(reg, query, as_of, as_of, as_of);
  const SpellColumns& s = reg.spells();
  const GroupKeys keys(reg, query.by);
  const std::size_t n = years.size();
  detail::GroupSums sums(n + 1);  // already past, then each year
  const day_t first_day = to_day(years.front(), 1, 1);
  detail::PersonOnDay person;
  detail::for_each_person(s, [&](std::size_t b, std::size_t e) {
    detail::person_on_day(reg, query.filter, b, e, as_of, person);
    if (person.main == no_code) return;
    const day_t reaches = birthday(s.birth_date[person.main], age);
    double* row = sums.row(keys.key(person.main, as_of, person.fte));
    if (reaches < first_day) {
      row[0] += 1;
      return;
    }
    const int year = to_ymd(reaches).year;
    if (year <= years.back()) row[1 + static_cast<std::size_t>(year - years.front())] += 1;
  });
  Table table = sums.labelled(keys);
  const bool empty_total = keys.by().dimensions.empty() && sums.size() == 0;
  ValueColumn total{"total", ValueKind::count, {}};
  for (std::size_t c = 0; c <= n; ++c) {
    ValueColumn column{c == 0 ? std::string("already_past") : std::to_string(years[c - 1]), ValueKind::count, {}};
    for (std::size_t r = 0; r < sums.size(); ++r) column.values.push_back(sums.sums(r)[c]);
    if (empty_total) column.values.push_back(0);
    table.values.push_back(std::move(column));
  }
  for (std::size_t r = 0; r < sums.size(); ++r) {
    double sum = 0;
    for (std::size_t c = 0; c <= n; ++c) sum += sums.sums(r)[c];
    total.values.push_back(sum);
  }
  if (empty_total) total.values.push_back(0);
  table.values.push_back(std::move(total));
  table.sort_rows();
  if (query.totals && !table.key_names.empty()) {
    table.append_total(retirement_outlook(reg, as_of, years, age, query.ungrouped()));
  }
  return table;
}

}  // namespace staffcast
