// Whole calendar months on the library's calendar (staffcast/date.hpp):
// contract lengths and the months and tertials of the indicators. Private to
// staffcast::generate.
#pragma once

#include <staffcast/calendar.hpp>

#include <algorithm>

namespace staffcast::detail::gen {

/// The same day `months` calendar months later (negative: earlier), clamped to
/// the last day of a shorter month.
inline day_t add_months(day_t t, int months) {
  const ymd d = to_ymd(t);
  int m0 = static_cast<int>(d.month) - 1 + months;
  const int y = d.year + (m0 >= 0 ? m0 / 12 : -((11 - m0) / 12));
  m0 -= (y - d.year) * 12;
  const auto m = static_cast<unsigned>(m0 + 1);
  return to_day(y, m, std::min(d.day, days_in_month(y, m)));
}

/// The last day of the month of `t`.
inline day_t end_of_month(day_t t) {
  const ymd d = to_ymd(t);
  return to_day(d.year, d.month, days_in_month(d.year, d.month));
}

}  // namespace staffcast::detail::gen
