// The persons on a day: their filtered spells, summed fte and main spell,
// and the days on which a person's group may change.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/register/query.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
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

}  // namespace staffcast
