// The dates a plan runs on, decided once for C++, Python and the CLI.
//
//   plan_day:             the day of the plan is the as-of date given, else the
//                         register's extraction date.
//   plan_extraction_date: the extraction date a statistic uses: the one given
//                         with the statistic, else the register's (given when
//                         reading, or assumed: register/extraction.hpp). The
//                         as-of date never stands in: a day after the
//                         extraction date is unavailable.
//   history_window:       the `years` years up to and including `end`
//                         (start = the day after the same date `years` years
//                         earlier, 29 February -> 28 February), clipped to the
//                         register's observed history (its earliest recorded
//                         end, or its earliest start when nothing has ended).
//   retirement_estimate_window: the retirement probabilities of a plan are
//                         estimated over the 5 years of history up to its day.
//   rates_window:         the other-departure rates of the recruitment need
//                         over the 1 year of history up to the day of the plan.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/plan/periods.hpp>

#include <optional>

namespace staffcast {

class Register;

/// The day of the plan: `as_of` when given, else the register's extraction date.
day_t plan_day(const Register& reg, std::optional<day_t> as_of = std::nullopt);

/// The extraction date in force (see above).
day_t plan_extraction_date(const Register& reg, std::optional<day_t> given);

/// The first day of the observed history: the earliest recorded end, else the earliest start.
day_t observed_from(const Register& reg);

/// The `years` years up to and including `end`, not clipped: [the day after the same date
/// `years` years earlier, end] (the report's "12 months up to the as-of date").
/// argument_error unless years >= 1.
DayRange years_ending(day_t end, int years);

/// The `years` years ending on `end`, clipped to the observed history (see above).
/// argument_error unless years >= 1.
DayRange history_window(const Register& reg, day_t end, int years);

/// The years of history the retirement probabilities are estimated from by default.
inline constexpr int retirement_estimate_years = 5;
/// The years of history the other-departure rates of the recruitment need come from by default.
inline constexpr int rates_years = 1;

/// The default window of the retirement probabilities for a plan on `as_of`:
/// history_window(reg, as_of, retirement_estimate_years).
DayRange retirement_estimate_window(const Register& reg, day_t as_of);

/// The default window of the other-departure rates of the recruitment need on `as_of`:
/// history_window(reg, as_of, rates_years).
DayRange rates_window(const Register& reg, day_t as_of);

}  // namespace staffcast
