// Group keys over a period and person-days of exposure (average headcount,
// turnover, exit rates, sick leave).
#pragma once

#include <staffcast/detail/group_sums.hpp>
#include <staffcast/detail/person_day.hpp>
#include <staffcast/register/query.hpp>

#include <algorithm>
#include <set>
#include <vector>

namespace staffcast {

namespace detail {

/// Group keys over a period [from, to] for spells whose key cannot change in
/// it: keys on `from` take ages from a table, and a person whose age band is
/// the same on `from` and on `to` (most people: bands span several years)
/// keeps it all period, so their key on any day of the period is their key on
/// `from` and their birthdays need no cut.
class PeriodKeys {
 public:
  PeriodKeys(const Register& reg, const Query& query, const GroupKeys& keys, day_t from, day_t to)
      : s_(reg.spells()),
        by_age_(query.by.uses(DimensionKind::age_band)),
        by_tenure_(query.by.uses(DimensionKind::tenure_band)),
        from_(from),
        to_(to),
        on_from_(keys) {
    on_from_.fix_day(from);
    on_from_.fix_period(from, to);
  }
  /// Whether the key of `spell` (on any day it covers in the period) is its key on `from`.
  [[nodiscard]] bool constant(std::uint32_t spell) const {
    if (by_tenure_) return false;
    if (!by_age_) return true;
    return on_from_.age_band_over_period(s_.birth_date[spell]) != GroupKeys::band_changes;
  }
  /// Whether constant() holds for every one of spells[0..count).
  [[nodiscard]] bool constant(const std::uint32_t* spells, std::size_t count) const {
    for (std::size_t k = 0; k < count; ++k) {
      if (!constant(spells[k])) return false;
    }
    return true;
  }
  /// The key of `spell` on `from` with the person's summed fte.
  [[nodiscard]] std::uint64_t key(std::uint32_t spell, int person_fte) const {
    return on_from_.key(spell, from_, person_fte);
  }

  /// Calls f(first, last, fte, key) for each stretch [first, last] of the period
  /// in which the person holding spells[0..count) (those of their spells that
  /// overlap the period and count) has a main spell and one group: `fte` is the
  /// summed fte of those spells on the stretch and `key` the main spell's group.
  /// A person with one spell whose key is constant is one stretch; otherwise the
  /// period is cut at starts, ends and (when their group may change) birthdays
  /// and service anniversaries. `scratch` and `cuts` are the caller's buffers.
  template <class F>
  void for_each_stretch(const std::uint32_t* spells, std::size_t count, std::vector<std::uint32_t>& scratch,
                        std::vector<day_t>& cuts, F&& f) const {
    const bool same_key = constant(spells, count);
    if (same_key && count == 1) {
      const std::uint32_t i = spells[0];
      f(std::max(s_.start_date[i], from_), std::min(s_.end_date[i], to_), static_cast<int>(s_.fte[i]),
        key(i, s_.fte[i]));
      return;
    }
    scratch.assign(spells, spells + count);
    group_change_days(s_, scratch, from_, to_, by_age_ && !same_key, by_tenure_, cuts);
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const day_t day = cuts[k];
      int fte = 0;
      const std::uint32_t main = main_spell_on(s_, scratch, day, fte);
      if (main == no_code) continue;
      f(day, cuts[k + 1] - 1, fte, same_key ? key(main, fte) : on_from_.key(main, day, fte));
    }
  }

 private:
  const SpellColumns& s_;
  bool by_age_, by_tenure_;
  day_t from_, to_;
  GroupKeys on_from_;
};

/// Adds, per group, the person-days of the filtered population in [from, to]:
/// day by day each person counts in their main spell's group on that day.
inline void add_person_days(const Register& reg, const Query& query, const GroupKeys& keys, day_t from, day_t to,
                            GroupSums& sums, std::size_t column) {
  struct Scratch {
    std::vector<day_t> cuts;
    std::vector<std::uint32_t> spells;
  };
  const std::size_t columns = column + 1;
  const PeriodKeys period(reg, query, keys, from, to);
  auto per_person = [&](GroupSums& days, const std::uint32_t* overlapping, std::size_t count, Scratch& scratch) {
    period.for_each_stretch(overlapping, count, scratch.spells, scratch.cuts,
                            [&](day_t first, day_t last, int, std::uint64_t key) {
                              days.add_later(key, column, static_cast<double>(last - first + 1));
                            });
  };
  // Whole days: exact in any order, so the scan may run in chunks on several threads.
  const GroupSums days = sum_over_persons_overlapping<Scratch>(reg, query.filter, from, to, columns, keys, per_person);
  sums.add_columns(days, columns);
}

}  // namespace detail

}  // namespace staffcast
