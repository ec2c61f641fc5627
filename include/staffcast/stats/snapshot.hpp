// Who works here on a day: headcount, fte and mean age by any dimensions.
#pragma once

#include <staffcast/detail/group_sums.hpp>
#include <staffcast/register/query.hpp>

#include <algorithm>
#include <vector>

namespace staffcast {

namespace detail {

/// The filtered spells of person block [b, e) covering `day`, their summed fte
/// (hundredths) and the main spell; main == no_code when there are none.
struct PersonOnDay {
  std::vector<std::uint32_t> spells;
  int fte = 0;
  std::uint32_t main = no_code;
};

inline void person_on_day(const Register& reg, const Filter& filter, std::size_t b, std::size_t e, day_t day,
                          PersonOnDay& out) {
  const SpellColumns& s = reg.spells();
  out.spells.clear();
  out.fte = 0;
  out.main = no_code;
  for (std::size_t i = b; i < e; ++i) {
    if (s.start_date[i] > day || day > s.end_date[i] || !filter.passes(reg, i)) continue;
    out.spells.push_back(static_cast<std::uint32_t>(i));
    out.fte += s.fte[i];
    if (out.main == no_code || is_better_main_spell(s, i, out.main)) out.main = static_cast<std::uint32_t>(i);
  }
}

/// The days in [from, to] on which a person's main-spell group may change:
/// `from`, `to + 1`, the starts and ends of `spells`, and (when grouping by
/// them) birthdays and service anniversaries; sorted and unique.
inline void group_change_days(const SpellColumns& s, const std::vector<std::uint32_t>& spells, day_t from, day_t to,
                              bool by_age, bool by_tenure, std::vector<day_t>& cuts) {
  cuts.assign({from, to + 1});
  auto cut = [&](day_t day) {
    if (day > from && day <= to) cuts.push_back(day);
  };
  const int first_year = to_ymd(from).year;
  const int last_year = to_ymd(to).year;
  // The anniversaries of `origin` in first_year..last_year, as birthday(origin, years) gives them.
  auto anniversaries = [&](day_t origin) {
    const ymd o = to_ymd(origin);
    const bool leap_day = o.month == 2 && o.day == 29;
    for (int year = std::max(first_year, o.year + 1); year <= last_year; ++year) {
      cut(to_day(year, o.month, leap_day && !is_leap_year(year) ? 28U : o.day));
    }
  };
  for (std::uint32_t i : spells) {
    cut(s.start_date[i]);
    if (s.end_date[i] < to) cut(s.end_date[i] + 1);
    if (by_age) anniversaries(s.birth_date[i]);
    if (by_tenure) anniversaries(s.chain_start[i]);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
}

/// The main spell among `spells` covering `day` (no_code if none) and their summed fte.
inline std::uint32_t main_spell_on(const SpellColumns& s, const std::vector<std::uint32_t>& spells, day_t day,
                                   int& fte) {
  fte = 0;
  std::uint32_t main = no_code;
  for (std::uint32_t i : spells) {
    if (s.start_date[i] > day || day > s.end_date[i]) continue;
    fte += s.fte[i];
    if (main == no_code || is_better_main_spell(s, i, main)) main = i;
  }
  return main;
}

}  // namespace detail

/// Headcount (persons, by their main spell), fte (every spell in its own group)
/// and mean age in completed years on `as_of`. Columns: headcount, fte, mean_age.
inline Table snapshot(const Register& reg, day_t as_of, const Query& query) {
  detail::require_observed(reg, query, as_of, as_of, as_of);
  const SpellColumns& s = reg.spells();
  GroupKeys keys(reg, query.by);
  keys.fix_day(as_of);
  enum { headcount, fte, age_sum };
  auto per_person = [&](detail::GroupSums& sums, std::uint32_t main, int person_fte, const std::uint32_t* spells,
                        std::size_t count) {
    const std::uint64_t main_key = keys.key(main, as_of, person_fte);
    sums.add_later(main_key, headcount, 1);
    sums.add_later(main_key, age_sum, keys.age(s.birth_date[main], as_of));
    for (std::size_t k = 0; k < count; ++k) {
      const std::uint32_t i = spells[k];
      if (s.fte[i] > 0) sums.add_later(i == main ? main_key : keys.key(i, as_of, person_fte), fte, s.fte[i]);
    }
  };
  detail::GroupSums sums = detail::sum_over_persons_on_day(reg, query.filter, as_of, 3, keys, per_person);
  Table table = sums.sorted_labelled(keys);
  ValueColumn count{"headcount", ValueKind::count, {}}, fte_sum{"fte", ValueKind::fte, {}},
      mean_age{"mean_age", ValueKind::age, {}};
  for (std::size_t r = 0; r < sums.size(); ++r) {
    const double* row = sums.sums(r);
    count.values.push_back(row[headcount]);
    fte_sum.values.push_back(row[fte] / 100.0);
    mean_age.values.push_back(row[headcount] > 0 ? row[age_sum] / row[headcount] : missing);
  }
  table.values = {std::move(count), std::move(fte_sum), std::move(mean_age)};
  if (table.key_names.empty() && table.rows() == 0) {  // nobody employed: one row of zeros
    table.values[0].values.push_back(0);
    table.values[1].values.push_back(0);
    table.values[2].values.push_back(missing);
  }
  table.sort_rows();
  if (query.totals && !table.key_names.empty()) table.append_total(snapshot(reg, as_of, query.ungrouped()));
  return table;
}

/// Persons employed on `as_of` whose summed fte is at least 1.00, among persons
/// with any fte (hourly-only persons are left out), by their main spell.
/// Columns: persons, full_time, part_time, full_time_share.
inline Table full_time(const Register& reg, day_t as_of, const Query& query) {
  detail::require_observed(reg, query, as_of, as_of, as_of);
  GroupKeys keys(reg, query.by);
  keys.fix_day(as_of);
  auto per_person = [&](detail::GroupSums& sums, std::uint32_t main, int person_fte, const std::uint32_t*,
                        std::size_t) {
    if (person_fte == 0) return;
    const std::uint64_t key = keys.key(main, as_of, person_fte);
    sums.add_later(key, 0, 1);
    if (person_fte >= 100) sums.add_later(key, 1, 1);
  };
  detail::GroupSums sums = detail::sum_over_persons_on_day(reg, query.filter, as_of, 2, keys, per_person);
  Table table = sums.sorted_labelled(keys);
  ValueColumn persons{"persons", ValueKind::count, {}}, full{"full_time", ValueKind::count, {}},
      part{"part_time", ValueKind::count, {}}, share{"full_time_share", ValueKind::rate, {}};
  for (std::size_t r = 0; r < sums.size(); ++r) {
    const double* row = sums.sums(r);
    persons.values.push_back(row[0]);
    full.values.push_back(row[1]);
    part.values.push_back(row[0] - row[1]);
    share.values.push_back(row[0] > 0 ? row[1] / row[0] : missing);
  }
  if (keys.by().dimensions.empty() && sums.size() == 0) {
    persons.values = {0};
    full.values = {0};
    part.values = {0};
    share.values = {missing};
  }
  table.values = {std::move(persons), std::move(full), std::move(part), std::move(share)};
  table.sort_rows();
  if (query.totals && !table.key_names.empty()) table.append_total(full_time(reg, as_of, query.ungrouped()));
  return table;
}

}  // namespace staffcast
