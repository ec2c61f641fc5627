// Parsing of single text fields: trimmed views, decimals in hundredths.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/date_format.hpp>
#include <staffcast/detail/attributes.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <system_error>

namespace staffcast::detail {

/// A space or a tab: what trim() removes.
constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

inline std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

/// Day numbers of the first of each month of 1900-2199 (the valid range of
/// every date the readers keep), and of 2200-01-01 last: a month's length is
/// the difference of two neighbours.
struct MonthStarts {
  static constexpr int first_year = 1900;
  static constexpr int years = 300;
  std::int32_t day[years * 12 + 1] = {};
  constexpr MonthStarts() {
    for (int k = 0; k <= years * 12; ++k) {
      day[k] = civil_to_day(first_year + k / 12, static_cast<unsigned>(k % 12) + 1U, 1U);
    }
  }
};
inline constexpr MonthStarts month_starts{};

/// The ISO layout the general way (any year of the calendar).
inline std::optional<day_t> parse_iso_day_slow(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned d0 = s[0] - 48U, d1 = s[1] - 48U, d2 = s[2] - 48U, d3 = s[3] - 48U;
  const unsigned m0 = s[5] - 48U, m1 = s[6] - 48U, a0 = s[8] - 48U, a1 = s[9] - 48U;
  if (d0 > 9U || d1 > 9U || d2 > 9U || d3 > 9U || m0 > 9U || m1 > 9U || a0 > 9U || a1 > 9U) return std::nullopt;
  const int year = static_cast<int>(d0 * 1000 + d1 * 100 + d2 * 10 + d3);
  const unsigned month = m0 * 10 + m1;
  const unsigned day = a0 * 10 + a1;
  // is_valid_date, with the month length looked up only past the 28th.
  if (month - 1U > 11U || day - 1U > 30U || year < min_calendar_year || year > max_calendar_year) return std::nullopt;
  if (day > 28U) {
    static constexpr unsigned char lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const unsigned length = month == 2U && is_leap_year(year) ? 29U : lengths[month - 1U];
    if (day > length) return std::nullopt;
  }
  return detail::civil_to_day(year, month, day);
}

/// parse_day_to() outside the table path: other layouts and years, and every text that is no date.
STAFFCAST_NOINLINE inline bool parse_day_to_slow(std::string_view text, const DateFormat& format, day_t& out) noexcept {
  if (!format.is_iso()) return format.parse(text, out);
  const std::optional<day_t> day = parse_iso_day_slow(text);
  if (day) out = *day;
  return day.has_value();
}

/// The day of eight ASCII bytes YYYYMMDD (byte 0 first in `digits`, little
/// endian) when they are digits of a date of 1900-2199: SWAR arithmetic, eight
/// digits checked and converted at once, and a table of month starts.
STAFFCAST_INLINE bool day_of_digits(std::uint64_t digits, day_t& out) noexcept {
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  constexpr std::uint64_t zeros = 0x3030303030303030ULL;
  // Every byte in '0'..'9': below 0x80, at least 0x30, at most 0x39 (no
  // borrow or carry crosses a byte in these sums).
  const bool all_digits = (digits & highs) == 0 && (((digits | highs) - zeros) & highs) == highs &&
                          ((digits + 0x4646464646464646ULL) & highs) == 0;
  if (!all_digits) return false;
  const std::uint64_t v = digits - zeros;
  const std::uint64_t pairs = v * 10U + (v >> 8U);  // bytes 0, 2, 4, 6: YY, YY, MM, DD
  const int year = static_cast<int>((pairs & 0xFFU) * 100U + ((pairs >> 16U) & 0xFFU));
  const auto month = static_cast<unsigned>((pairs >> 32U) & 0xFFU);
  const auto day = static_cast<unsigned>((pairs >> 48U) & 0xFFU);
  const auto years = static_cast<unsigned>(year - MonthStarts::first_year);
  if (years >= static_cast<unsigned>(MonthStarts::years) || month - 1U >= 12U) return false;
  const std::size_t k = years * 12U + (month - 1U);
  const std::int32_t first = month_starts.day[k];
  if (day - 1U >= static_cast<unsigned>(month_starts.day[k + 1] - first)) return false;
  out = first + static_cast<std::int32_t>(day) - 1;
  return true;
}

/// parse_date(text, format), with the fixed layouts parsed inline (the hot
/// path of every reader): the same result for every input. When the first
/// layout is %Y-%m-%d or %Y%m%d, a text of its width that is a date of
/// 1900-2199 in it takes eight bytes at a time (day_of_digits); other
/// years, layouts and texts go the general way.
///
/// True with `out` set when `text` is a date. No std::optional on the hot
/// path: GCC stores one as two parts and reloads it whole, a store-forwarding
/// stall per date.
STAFFCAST_INLINE bool parse_day_to(std::string_view text, const DateFormat& format, day_t& out) noexcept {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const DateFormat::FastLayout fast = format.fast_layout();
  if (fast == DateFormat::FastLayout::iso && text.size() == 10) {
    std::uint64_t w;  // YYYY-MM- (byte 0 first)
    std::uint16_t t;  // DD
    std::memcpy(&w, text.data(), 8);
    std::memcpy(&t, text.data() + 8, 2);
    // The eight digits side by side: YYYY MM DD.
    const std::uint64_t digits =
        (w & 0x00000000FFFFFFFFULL) | ((w >> 8U) & 0x0000FFFF00000000ULL) | (std::uint64_t{t} << 48U);
    if ((w & 0xFF0000FF00000000ULL) == 0x2D00002D00000000ULL && day_of_digits(digits, out)) return true;
  } else if (fast == DateFormat::FastLayout::compact && text.size() == 8) {
    std::uint64_t digits;  // YYYYMMDD
    std::memcpy(&digits, text.data(), 8);
    if (day_of_digits(digits, out)) return true;
  }
#endif
  return parse_day_to_slow(text, format, out);
}

inline std::optional<day_t> parse_day(std::string_view text, const DateFormat& format) noexcept {
  day_t day = 0;
  if (!parse_day_to(text, format, day)) return std::nullopt;
  return day;
}

enum class DecimalStatus : std::uint8_t { ok, not_a_number, too_precise, too_large };

/// Parses a non-negative decimal (digits, optionally `decimal` and more digits)
/// into hundredths. More than two decimals are accepted only as trailing zeros.
inline DecimalStatus parse_hundredths(std::string_view text, char decimal, std::int64_t& out) noexcept {
  std::int64_t whole = 0;
  std::size_t i = 0;
  bool any_digit = false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > 1'000'000'000) return DecimalStatus::too_large;
    whole = whole * 10 + (text[i] - '0');
    any_digit = true;
    ++i;
  }
  std::int64_t fraction = 0;
  if (i < text.size() && text[i] == decimal) {
    ++i;
    int places = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      const int digit = text[i] - '0';
      any_digit = true;
      if (places < 2) {
        fraction = fraction * 10 + digit;
      } else if (digit != 0) {
        return DecimalStatus::too_precise;
      }
      ++places;
      ++i;
    }
    if (places == 1) fraction *= 10;
  }
  if (!any_digit || i != text.size()) return DecimalStatus::not_a_number;
  out = whole * 100 + fraction;
  return DecimalStatus::ok;
}

/// Parses a finite decimal number with an optional sign and the given decimal
/// mark (no exponent, no thousands separators), correctly rounded.
inline std::optional<double> parse_decimal(std::string_view text, char decimal) noexcept {
  char normal[64];
  if (text.empty() || text.size() >= sizeof normal) return std::nullopt;
  std::size_t i = 0;
  std::size_t n = 0;
  if (text[0] == '-' || text[0] == '+') {
    if (text[0] == '-') normal[n++] = '-';
    ++i;
  }
  bool any_digit = false;
  bool seen_mark = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      normal[n++] = c;
    } else if (c == decimal && !seen_mark) {
      seen_mark = true;
      normal[n++] = '.';
    } else {
      return std::nullopt;
    }
  }
  if (!any_digit) return std::nullopt;
  double value = 0.0;
  const auto result = std::from_chars(normal, normal + n, value, std::chars_format::fixed);
  if (result.ec != std::errc() || result.ptr != normal + n) return std::nullopt;
  return value;
}

}  // namespace staffcast::detail
