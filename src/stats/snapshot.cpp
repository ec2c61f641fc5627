#include <staffcast/stats/snapshot.hpp>

#include <staffcast/detail/group_sums.hpp>
#include <staffcast/detail/person_day.hpp>
#include <staffcast/detail/totals.hpp>
#include <staffcast/register/query.hpp>

#include <algorithm>
#include <vector>

namespace staffcast {

Table snapshot(const Register& reg, day_t as_of, const Query& query) {
  detail::require_observed(reg, query, as_of, as_of);
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
  detail::append_totals(table, query, [&](const Query& q) { return snapshot(reg, as_of, q); });
  return table;
}

Table full_time(const Register& reg, day_t as_of, const Query& query) {
  detail::require_observed(reg, query, as_of, as_of);
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
  detail::append_totals(table, query, [&](const Query& q) { return full_time(reg, as_of, q); });
  return table;
}

}  // namespace staffcast
