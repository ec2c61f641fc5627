// libFuzzer target: staffcast's own date parser (staffcast::parse_iso_date) and
// the calendar helpers built on it, plus the indicator period parser.
//
// Input: the text to parse (also as YYYYMMDD and DD/MM/YYYY through
// parse_date). When it is longer than ten bytes, the first ten are also parsed
// as a date on their own and bytes 10.. give a second date and a number of
// years, so that age_on / add_years / birthday are exercised on pairs of real
// dates; bytes 21..32, when present, give an arbitrary int32 number of years
// and an arbitrary (year, month, day) for add_years / to_day.
//
// Oracles, besides ASan/UBSan: parse_iso_date never throws (it is noexcept, so
// a throw would terminate) and accepts exactly the real `YYYY-MM-DD` dates of
// years 1400-9999, checked against an independent implementation (Howard
// Hinnant's days_from_civil); format_iso_date round-trips; to_ymd inverts
// to_day; add_years keeps the day of the month except 29 February -> 28
// February in common years, and outside years 1400-9999 it (and to_day) throws
// staffcast::argument_error rather than wrapping the year or overflowing;
// age_on(b, birthday(b, k)) == k and is k - 1 the day before;
// parse_period/format_period round-trip; impossible_date and require_iso_date
// give a reason or an error only for a text that is not a date, and no message
// holds a control byte; the readers' inline date paths agree with the
// layouts' general parser.
#include <staffcast/calendar.hpp>
#include <staffcast/date_format.hpp>
#include <staffcast/detail/field_parse.hpp>
#include <staffcast/error.hpp>
#include <staffcast/io/indicators.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace {

using namespace staffcast;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_date invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, ...)                           \
  do {                                                  \
    if (!(cond)) fail(#cond, std::string(__VA_ARGS__)); \
  } while (0)

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, chrono-Compatible
/// Low-Level Date Algorithms), independent of Boost.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// The reference parser: exactly YYYY-MM-DD with ASCII digits, a real date, 1400-9999.
std::optional<std::int64_t> reference_parse(std::string_view text, int& y, unsigned& m, unsigned& d) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  m = static_cast<unsigned>((text[5] - '0') * 10 + (text[6] - '0'));
  d = static_cast<unsigned>((text[8] - '0') * 10 + (text[9] - '0'));
  if (y < 1400 || m < 1 || m > 12 || d < 1) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  static constexpr unsigned lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const unsigned length = m == 2 && leap ? 29U : lengths[m - 1];
  if (d > length) return std::nullopt;
  return days_from_civil(y, m, d);
}

/// Parses and cross-checks one candidate date; returns it when valid.
std::optional<day_t> check_date(std::string_view text) {
  const std::optional<day_t> day = parse_iso_date(text);  // noexcept: a throw terminates
  int y = 0;
  unsigned m = 0, d = 0;
  const auto expected = reference_parse(text, y, m, d);
  FUZZ_CHECK(day.has_value() == expected.has_value(),
             "parse_iso_date disagrees with the reference on '" + std::string(text) + "'");
  if (!day) return std::nullopt;
  FUZZ_CHECK(*day == *expected, "wrong day number for " + std::string(text));
  FUZZ_CHECK(format_iso_date(*day) == text, "format_iso_date does not round-trip " + std::string(text));
  const ymd parts = to_ymd(*day);
  FUZZ_CHECK(parts.year == y && parts.month == m && parts.day == d);
  FUZZ_CHECK(to_day(y, m, d) == *day);
  FUZZ_CHECK(is_valid_date(y, m, d));
  return day;
}

void check_calendar(day_t birth, day_t on, int years) {
  const ymd b = to_ymd(birth);
  const int target = b.year + years;
  if (target >= min_calendar_year && target <= max_calendar_year) {
    day_t later = 0;
    try {
      later = add_years(birth, years);
    } catch (const std::exception& e) {
      fail("add_years threw inside the supported range:", e.what());
    }
    const ymd l = to_ymd(later);
    FUZZ_CHECK(l.year == target && l.month == b.month);
    const bool feb29 = b.month == 2 && b.day == 29;
    FUZZ_CHECK(l.day == (feb29 && !is_leap_year(target) ? 28U : b.day));
    FUZZ_CHECK(birthday(birth, years) == later);
    if (years >= 0) {
      FUZZ_CHECK(age_on(birth, later) == years, "age_on(b, birthday(b, k)) != k");
      if (later - 1 >= birth) FUZZ_CHECK(age_on(birth, later - 1) == years - 1, "age on the day before");
    }
  }
  // age_on against a reference computation.
  const ymd d = to_ymd(on);
  unsigned birth_day = b.day;
  if (b.month == 2 && b.day == 29 && !is_leap_year(d.year)) birth_day = 28;
  const bool had = d.month > b.month || (d.month == b.month && d.day >= birth_day);
  const int age = age_on(birth, on);
  FUZZ_CHECK(age == d.year - b.year - (had ? 0 : 1));
  if (on >= birth) FUZZ_CHECK(age >= 0);
  if (on < birth) FUZZ_CHECK(age <= 0);
}

/// parse_date in the other layouts agrees with parse_iso_date on the
/// rearranged text: YYYYMMDD exactly, and D/M/YYYY with one- or two-digit
/// day and month (a date read is written back the way the text has it).
void check_layouts(std::string_view text) {
  static const DateFormat compact_format = require_date_format("%Y%m%d");
  static const DateFormat dmy_format = require_date_format("%d/%m/%Y");
  const std::optional<day_t> compact = parse_date(text, compact_format);
  if (text.size() == 8) {
    const std::string iso =
        std::string(text.substr(0, 4)) + "-" + std::string(text.substr(4, 2)) + "-" + std::string(text.substr(6, 2));
    FUZZ_CHECK(compact == parse_iso_date(iso), "YYYYMMDD disagrees with ISO for " + std::string(text));
  } else {
    FUZZ_CHECK(!compact);
  }
  const std::optional<day_t> dmy = parse_date(text, dmy_format);
  if (dmy) {
    const ymd d = to_ymd(*dmy);
    const std::size_t first = text.find('/');
    const std::size_t second = text.find('/', first + 1);
    FUZZ_CHECK(first != std::string_view::npos && second != std::string_view::npos, "D/M/YYYY without slashes");
    char expected[32];
    std::snprintf(expected, sizeof expected, "%0*u/%0*u/%04d", static_cast<int>(first), d.day,
                  static_cast<int>(second - first - 1), d.month, d.year);
    FUZZ_CHECK(std::string(expected) == std::string(text), "D/M/YYYY read back differs for " + std::string(text));
  }
  FUZZ_CHECK(parse_date(text, DateFormat::iso()) == parse_iso_date(text));
}

/// add_years over any int32 and to_day over any (year, month, day): a result
/// exactly when the date exists in 1400-9999, else staffcast::argument_error.
void check_range(day_t day, std::int32_t years, std::int32_t year, unsigned month, unsigned dom) {
  const ymd d = to_ymd(day);
  const std::int64_t target = static_cast<std::int64_t>(d.year) + years;
  const bool in_range = target >= min_calendar_year && target <= max_calendar_year;
  try {
    const day_t later = add_years(day, years);
    FUZZ_CHECK(in_range, "add_years accepted year " + std::to_string(target));
    FUZZ_CHECK(to_ymd(later).year == target);
  } catch (const argument_error&) {
    FUZZ_CHECK(!in_range, "add_years refused year " + std::to_string(target));
  } catch (const std::exception& e) {
    fail("add_years threw something other than argument_error:", e.what());
  }
  const bool valid = is_valid_date(year, month, dom);
  try {
    const day_t built = to_day(year, month, dom);
    FUZZ_CHECK(valid,
               "to_day accepted " + std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(dom));
    const ymd back = to_ymd(built);
    FUZZ_CHECK(back.year == year && back.month == month && back.day == dom);
  } catch (const argument_error&) {
    FUZZ_CHECK(!valid, "to_day refused a valid date");
  } catch (const std::exception& e) {
    fail("to_day threw something other than argument_error:", e.what());
  }
}

/// The messages of a date that is not one: impossible_date gives a reason only for a
/// text that does not parse; require_iso_date throws argument_error exactly then; and
/// no message carries a control byte (printable), escaping twice changing nothing.
void check_messages(std::string_view text) {
  const bool parses = parse_iso_date(text).has_value();
  static const DateFormat formats[] = {DateFormat::iso(), require_date_format("%Y%m%d"),
                                       require_date_format("%d/%m/%Y"), DateFormat({"%m/%d/%y", "%d %b %Y"}, 1930)};
  for (const DateFormat& format : formats) {
    const std::optional<std::string> reason = impossible_date(text, format);
    FUZZ_CHECK(!reason || !parse_date(text, format), "a reason for a real date: " + printable(text));
  }
  std::string message;
  try {
    require_iso_date(text, "as_of");
    FUZZ_CHECK(parses, "require_iso_date accepted " + printable(text));
  } catch (const argument_error& e) {
    FUZZ_CHECK(!parses, "require_iso_date refused " + printable(text));
    message = e.what();
  }
  for (const char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    FUZZ_CHECK(byte >= 0x20 && byte != 0x7F, "a control byte in the message for " + printable(text));
  }
  const std::string once = printable(text);
  FUZZ_CHECK(printable(once) == once, "printable is not idempotent on " + once);
}

void check_period(std::string_view text) {
  const std::optional<Period> period = parse_period(text);  // noexcept
  if (!period) return;
  const std::string formatted = format_period(*period);
  FUZZ_CHECK(formatted == text, "format_period does not round-trip " + std::string(text));
  const std::optional<Period> again = parse_period(formatted);
  FUZZ_CHECK(again && *again == *period);
}

}  // namespace

/// The readers' inline fast paths (eight digits at a time for %Y-%m-%d and
/// %Y%m%d first) decide exactly as the layouts' general parser.
void check_fast_paths(std::string_view text) {
  static const DateFormat formats[] = {DateFormat::iso(), require_date_format("%Y%m%d"),
                                       DateFormat({"%Y%m%d", "%d/%m/%Y"}), DateFormat({"%Y-%m-%d", "%d.%m.%Y"}),
                                       require_date_format("%d/%m/%Y")};
  for (const DateFormat& format : formats) {
    day_t fast = 0;
    const bool parsed = detail::parse_day_to(text, format, fast);
    const std::optional<day_t> general = format.parse(text);
    FUZZ_CHECK(parsed == general.has_value());
    FUZZ_CHECK(!parsed || fast == *general);
  }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_date(text);
  check_fast_paths(text);
  check_layouts(text);
  check_messages(text);
  check_period(text);
  if (size < 10) return 0;
  const std::optional<day_t> first = check_date(text.substr(0, 10));
  check_period(text.substr(0, 4));
  check_period(text.substr(0, 7));
  if (size < 20) return 0;
  const std::optional<day_t> second = check_date(text.substr(10, 10));
  int years = 0;
  if (size > 20) years = static_cast<int>(static_cast<std::int8_t>(data[20]));
  if (first && second) {
    check_calendar(*first, *second, years);
    check_calendar(*second, *first, -years);
  }
  if (first && size >= 33) {
    std::int32_t big = 0, year = 0;
    std::memcpy(&big, data + 21, 4);
    std::memcpy(&year, data + 25, 4);
    check_range(*first, big, year, data[29], data[30]);
  }
  return 0;
}
