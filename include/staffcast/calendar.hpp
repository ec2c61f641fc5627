// Calendar dates as day numbers, and the calendar rules staffcast relies on.
//
// Hot paths work on `day_t` (days since 1970-01-01). Text is parsed by our own
// digit checks and converted with Boost.Date_Time, so no input can make a
// library throw. Birthdays of people born on 29 February fall on 28 February
// in common years (lag (1930:173) om beräkning av lagstadgad tid).
#pragma once

#include <staffcast/detail/attributes.hpp>
#include <staffcast/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace staffcast {

/// Days since 1970-01-01.
using day_t = std::int32_t;

struct ymd {
  int year;
  unsigned month;
  unsigned day;
};

namespace detail {
inline constexpr std::uint32_t unix_epoch_jdn = 2440588;  // day_number(1970-01-01)
}  // namespace detail

constexpr bool is_leap_year(int year) noexcept { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

constexpr unsigned days_in_month(int year, unsigned month) noexcept {
  constexpr unsigned lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : lengths[month - 1];
}

/// Years Boost.Date_Time can represent; everything we convert lies inside.
inline constexpr int min_calendar_year = 1400;
inline constexpr int max_calendar_year = 9999;

namespace detail {

// Gregorian conversions by Neri & Schneider, "Euclidean affine functions and
// their application to calendar algorithms" (Softw. Pract. Exper. 2023): only
// unsigned multiplications and shifts, about 3x faster than Boost's. The days
// are shifted by whole 400-year cycles so every supported day is positive;
// tests/cpp/test_date.cpp checks both against Boost for every day 1400-9999.
inline constexpr std::uint32_t civil_cycles = 3670;
inline constexpr std::uint32_t civil_day_shift = 719468 + 146097 * civil_cycles;
inline constexpr std::uint32_t civil_year_shift = 400 * civil_cycles;

/// The date of a day number, without range checks (valid for 1400..9999).
constexpr ymd day_to_civil(std::int32_t day) noexcept {
  const std::uint32_t n = static_cast<std::uint32_t>(day) + civil_day_shift;
  const std::uint32_t n1 = 4 * n + 3;
  const std::uint32_t century = n1 / 146097;
  const std::uint32_t n2 = (n1 % 146097) / 4 * 4 + 3;
  const std::uint64_t p2 = std::uint64_t{2939745} * n2;
  const auto year_of_century = static_cast<std::uint32_t>(p2 >> 32);
  const std::uint32_t day_of_year = static_cast<std::uint32_t>(p2 & 0xFFFFFFFFU) / 2939745 / 4;
  const std::uint32_t n3 = 2141 * day_of_year + 197913;
  const std::uint32_t month = n3 >> 16;
  const std::uint32_t dom = (n3 & 0xFFFFU) / 2141;
  const std::uint32_t january_or_february = day_of_year >= 306 ? 1 : 0;
  return {static_cast<int>(100 * century + year_of_century - civil_year_shift + january_or_february),
          january_or_february ? month - 12 : month, dom + 1};
}

/// The day number of a valid date, without checks.
constexpr std::int32_t civil_to_day(int year, unsigned month, unsigned day) noexcept {
  const std::uint32_t january_or_february = month <= 2 ? 1 : 0;
  const std::uint32_t y = static_cast<std::uint32_t>(year) + civil_year_shift - january_or_february;
  const std::uint32_t m = january_or_february ? month + 12 : month;
  const std::uint32_t century = y / 100;
  const std::uint32_t year_days = 1461 * y / 4 - century + century / 4;
  const std::uint32_t month_days = (979 * m - 2919) / 32;
  return static_cast<std::int32_t>(year_days + month_days + day - 1 - civil_day_shift);
}

}  // namespace detail

/// True when (year, month, day) is a real calendar date in the supported range.
constexpr bool is_valid_date(int year, unsigned month, unsigned day) noexcept {
  return year >= min_calendar_year && year <= max_calendar_year && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

/// Day number of a date; throws argument_error outside the supported calendar
/// (never narrows a year silently).
namespace detail {

// The throws of to_day and to_ymd, out of line so that the conversions
// themselves stay small enough to inline in the kernels' loops.
[[noreturn]] STAFFCAST_COLD inline void throw_bad_date(int year, unsigned month, unsigned day) {
  throw argument_error("date out of range: " + std::to_string(year) + "-" + std::to_string(month) + "-" +
                       std::to_string(day));
}
[[noreturn]] STAFFCAST_COLD inline void throw_outside_calendar(day_t day) {
  throw argument_error("day number " + std::to_string(day) + " is outside the calendar (1400-9999)");
}

}  // namespace detail

inline day_t to_day(int year, unsigned month, unsigned day) {
  if (!is_valid_date(year, month, day)) detail::throw_bad_date(year, month, day);
  return detail::civil_to_day(year, month, day);
}

/// Day numbers of 1400-01-01 and 9999-12-31, the calendar Boost.Date_Time covers.
inline constexpr day_t first_calendar_day = -208188;
inline constexpr day_t last_calendar_day = 2932896;

/// The date of a day number; throws argument_error outside 1400-01-01..9999-12-31.
inline ymd to_ymd(day_t day) {
  if (day < first_calendar_day || day > last_calendar_day) detail::throw_outside_calendar(day);
  return detail::day_to_civil(day);
}

/// Parses exactly `YYYY-MM-DD` (ASCII digits, a real date). Never throws.
inline std::optional<day_t> parse_iso_date(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t count, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  int year = 0, month = 0, day = 0;
  if (!digits(0, 4, year) || !digits(5, 2, month) || !digits(8, 2, day)) return std::nullopt;
  if (!is_valid_date(year, static_cast<unsigned>(month), static_cast<unsigned>(day))) return std::nullopt;
  try {
    return to_day(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  } catch (...) {  // unreachable after is_valid_date; kept so the function is truly noexcept
    return std::nullopt;
  }
}

namespace detail {

/// Why the fields year-month-day (read without the calendar check) are not a
/// real calendar date, e.g. "September has 30 days", "February 2023 has 28
/// days", "there is no month 13"; nothing for a real date or a year before 1400.
STAFFCAST_COLD inline std::optional<std::string> impossible_fields(int year, unsigned month, unsigned day) {
  static constexpr const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                           "July",    "August",   "September", "October", "November", "December"};
  auto two_digits = [](unsigned value) {
    std::string out = std::to_string(value);
    return out.size() < 2 ? "0" + out : out;
  };
  if (year < min_calendar_year) return std::nullopt;  // outside the calendar: the caller's own words
  if (month < 1 || month > 12) return "there is no month " + two_digits(month);
  if (day == 0) return std::string("there is no day 00");
  const unsigned length = days_in_month(year, month);
  if (day <= length) return std::nullopt;
  const std::string name = months[month - 1];
  if (month == 2) return name + " " + std::to_string(year) + " has " + std::to_string(length) + " days";
  return name + " has " + std::to_string(length) + " days";
}

}  // namespace detail

/// Why a text of the form YYYY-MM-DD (ASCII digits, separators in place) is not
/// a real calendar date, e.g. "September has 30 days" for 2024-09-31, "February
/// 2023 has 28 days" for 2023-02-29, "there is no month 13"; nothing when the
/// text is a real date, not of that form, or of a year before 1400. Messages say
/// "not a real calendar date: " and the reason; the reason never quotes the text
/// (a birth date is not shown). Other layouts: impossible_date(text, DateFormat)
/// in date_format.hpp.
STAFFCAST_COLD inline std::optional<std::string> impossible_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int year = 0;
  unsigned month = 0, day = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 4 || i == 7) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    const unsigned digit = static_cast<unsigned>(text[i] - '0');
    if (i < 4) {
      year = year * 10 + static_cast<int>(digit);
    } else if (i < 7) {
      month = month * 10 + digit;
    } else {
      day = day * 10 + digit;
    }
  }
  return detail::impossible_fields(year, month, day);
}

/// The day of an ISO date argument; argument_error naming `what` otherwise: the
/// reason for a date that does not exist (impossible_date), else the layout.
inline day_t require_iso_date(std::string_view text, std::string_view what) {
  if (const std::optional<day_t> day = parse_iso_date(text)) return *day;
  if (const std::optional<std::string> reason = impossible_date(text)) {
    throw argument_error(std::string(what) + ": " + std::string(text) + " is not a real calendar date: " + *reason);
  }
  throw argument_error(std::string(what) + " must be an ISO date YYYY-MM-DD, got '" + printable(text) + "'");
}

inline std::string format_iso_date(day_t day) {
  const ymd d = to_ymd(day);
  std::string out(10, '0');
  auto put = [&](std::size_t at, unsigned value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, static_cast<unsigned>(d.year), 4);
  out[4] = '-';
  put(5, d.month, 2);
  out[7] = '-';
  put(8, d.day, 2);
  return out;
}

/// The same day `years` calendar years later (negative: earlier); 29 February
/// maps to 28 February when the target year is common.
inline day_t add_years(day_t day, int years) {
  const ymd d = to_ymd(day);
  const std::int64_t wide = static_cast<std::int64_t>(d.year) + years;  // no signed overflow
  if (wide < min_calendar_year || wide > max_calendar_year) {
    throw argument_error("year " + std::to_string(wide) + " is outside the calendar (1400-9999)");
  }
  const int year = static_cast<int>(wide);
  const unsigned dom = (d.month == 2 && d.day == 29 && !is_leap_year(year)) ? 28U : d.day;
  return to_day(year, d.month, dom);
}

/// Completed years on `on` for someone born on `birth` (birthdays on or before `on`).
inline int age_on(day_t birth, day_t on) {
  const ymd b = to_ymd(birth);
  const ymd d = to_ymd(on);
  unsigned birth_day = b.day;
  if (b.month == 2 && b.day == 29 && !is_leap_year(d.year)) birth_day = 28;
  const bool had_birthday = d.month > b.month || (d.month == b.month && d.day >= birth_day);
  return d.year - b.year - (had_birthday ? 0 : 1);
}

/// The day of the `age`-th birthday of someone born on `birth`.
inline day_t birthday(day_t birth, int age) { return add_years(birth, age); }

/// 9999-12-31, the default open-end marker of end_date.
inline constexpr day_t open_end_day = 2932896;

}  // namespace staffcast
