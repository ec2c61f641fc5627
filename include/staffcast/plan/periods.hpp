// Period splitting: consecutive periods covering [start, end], as the CLI's
// --per and Python's sc.periodic use them.
//
//   year       calendar years, the first and last clipped to [start, end]
//   tertial    January-April, May-August, September-December, clipped
//   month      calendar months, clipped
//   rolling12  for each month end from start's month on, up to end: the twelve
//              months ending there (2023-10-01..2024-09-30); the first may reach
//              before start, month ends after end are left out.
// The day one year earlier follows add_years (29 February -> 28 February).
#pragma once

#include <staffcast/calendar.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace staffcast {

/// A closed range of days [start, end].
struct DayRange {
  day_t start = 0;
  day_t end = 0;
};

enum class PeriodLength : std::uint8_t { year, tertial, month, rolling12 };

/// "year", "tertial", "month" or "rolling12"; nullopt otherwise.
std::optional<PeriodLength> parse_period_length(std::string_view text) noexcept;

/// The periods covering [start, end]; argument_error when end < start ("the period is reversed").
std::vector<DayRange> split_periods(day_t start, day_t end, PeriodLength length);

/// The same, naming the length as text; argument_error for an unknown one
/// ("freq must be year, tertial, month or rolling12").
std::vector<DayRange> split_periods(day_t start, day_t end, std::string_view length);

/// The last day of a month.
day_t month_end(int year, unsigned month);

}  // namespace staffcast
