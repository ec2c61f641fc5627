// Date layouts of HR exports (docs/data.md, date layouts): patterns built from
// %Y (four digits), %y (two digits, read with a century pivot), %m and %d (one
// or two digits; exactly two when next to another number without a
// separator), %b (an English or Swedish month abbreviation: Jan, maj, okt)
// and any separator (-, /, ., space, ...) or none. A DateFormat is a list of
// layouts tried in order.
//
// Example:
//   staffcast::DateFormat us({"%m/%d/%Y", "%m/%d/%y"}, 1930);
//   day_t d;
//   us.parse("3/30/2015", d);          // true: 2015-03-30
//   us.parse("09/19/88", d);           // true: 1988-09-19
//   staffcast::DateFormat eu({"%d/%m/%Y"});
//   eu.swapped_fit("3/30/2015");       // "%m/%d/%Y": the hint of a bad_date
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

/// The range of a century pivot: `yy` is read as the year in [pivot, pivot + 99].
inline constexpr int min_century_pivot = 1800;
inline constexpr int max_century_pivot = 2100;

/// One date layout, e.g. "%m/%d/%y" or "%d %b %Y".
class DateLayout {
 public:
  /// Parses `pattern`; throws argument_error naming what is wrong (an unknown
  /// directive, a letter or digit as separator, a part missing or repeated).
  explicit DateLayout(std::string_view pattern);

  [[nodiscard]] const std::string& pattern() const noexcept { return pattern_; }
  /// Whether the layout holds %y (and so needs a century pivot).
  [[nodiscard]] bool two_digit_year() const noexcept;
  /// Whether the layout holds %d and %m, so that swapping them is another layout.
  [[nodiscard]] bool swappable() const noexcept;
  /// The same layout with %d and %m exchanged (e.g. "%d/%m/%Y" -> "%m/%d/%Y").
  [[nodiscard]] DateLayout swapped() const;
  /// The fields of `text` in this layout, without the calendar check (a month
  /// may be 13, a day 31 April); `century_pivot` reads %y. Never throws.
  [[nodiscard]] bool fields(std::string_view text, int century_pivot, ymd& out) const noexcept;
  /// The day `text` holds in this layout: the fields read and a real date. Never throws.
  [[nodiscard]] bool parse(std::string_view text, int century_pivot, day_t& out) const noexcept;

 private:
  enum class Part : std::uint8_t { year4, year2, month, day, month_name, separator };
  struct Piece {
    Part part;
    char separator;    // for Part::separator
    bool fixed_width;  // %m or %d next to another number: exactly two digits
  };
  std::vector<Piece> pieces_;
  std::string pattern_;
};

/// A list of date layouts tried in order, and the century pivot of %y.
/// Default: ISO (%Y-%m-%d), parsed on the readers' fast path.
class DateFormat {
 public:
  DateFormat();
  /// Throws argument_error: no layout, a bad layout, %y without a pivot, a
  /// pivot outside [min_century_pivot, max_century_pivot]. "iso" is %Y-%m-%d.
  explicit DateFormat(const std::vector<std::string>& patterns, std::optional<int> century_pivot = std::nullopt);

  /// The ISO layout alone.
  static DateFormat iso() { return DateFormat(); }

  /// True for the ISO layout alone (strict: exactly YYYY-MM-DD).
  [[nodiscard]] bool is_iso() const noexcept { return iso_; }
  /// The fixed layouts the readers parse inline, eight digits at a time, when
  /// they come first: %Y-%m-%d (ten bytes) and %Y%m%d (eight bytes).
  enum class FastLayout : std::uint8_t { none, iso, compact };
  [[nodiscard]] FastLayout fast_layout() const noexcept { return fast_; }
  [[nodiscard]] const std::vector<DateLayout>& layouts() const noexcept { return layouts_; }
  [[nodiscard]] std::optional<int> century_pivot() const noexcept { return pivot_; }
  /// The patterns, in order.
  [[nodiscard]] std::vector<std::string> patterns() const;
  /// The patterns for a message: "%m/%d/%Y or %m/%d/%y".
  [[nodiscard]] std::string describe() const;

  /// The day of `text` in the first layout it fits. Never throws.
  [[nodiscard]] bool parse(std::string_view text, day_t& out) const noexcept;
  [[nodiscard]] std::optional<day_t> parse(std::string_view text) const noexcept {
    day_t day = 0;
    if (!parse(text, day)) return std::nullopt;
    return day;
  }

  /// Whether any layout has a day and a month to swap.
  [[nodiscard]] bool swappable() const noexcept { return !swapped_.empty(); }
  /// Whether `text` is a date in one of the layouts with day and month swapped.
  [[nodiscard]] bool fits_swapped(std::string_view text) const noexcept;
  /// The first swapped layout `text` is a date in (e.g. "%m/%d/%Y"), or empty.
  [[nodiscard]] std::string swapped_fit(std::string_view text) const;
  /// The patterns of the swapped layouts, in order.
  [[nodiscard]] std::vector<std::string> swapped_patterns() const;

 private:
  std::vector<DateLayout> layouts_;
  std::vector<DateLayout> swapped_;
  std::optional<int> pivot_;
  bool iso_ = true;
  FastLayout fast_ = FastLayout::iso;
};

/// The DateFormat of one pattern; throws argument_error for a bad one.
inline DateFormat require_date_format(std::string_view pattern) {
  return DateFormat(std::vector<std::string>{std::string(pattern)});
}

/// Parses a date in the given layouts (digits checked, a real date). Never throws.
inline std::optional<day_t> parse_date(std::string_view text, const DateFormat& format) noexcept {
  return format.parse(text);
}

/// Why `text` is not a real calendar date in the layouts of `format` (its fields
/// read by DateLayout::fields, e.g. 31/09/2024 in %d/%m/%Y: "September has 30
/// days"); nothing when it is a date in one of them, fits none, or is of a year
/// before 1400. A reason about the day wins over "there is no month 13" of an
/// earlier layout. The ISO layout alone reads exactly YYYY-MM-DD, as parse() does.
std::optional<std::string> impossible_date(std::string_view text, const DateFormat& format);

/// What the values of a date column say about their layout (mapping templates).
struct DateLayoutGuess {
  /// The layouts that read every value, in order (four-digit years first); empty when none does.
  std::vector<std::string> layouts;
  /// Proposed when a layout holds %y.
  std::optional<int> century_pivot;
  /// Day-first and month-first both read every value.
  bool ambiguous = false;
  /// The layouts of the other order when ambiguous.
  std::vector<std::string> alternative;
};

/// The layout of a column of date texts (empty values skipped), tried over
/// year-month-day, day-month-year and month-day-year orders with the
/// separators seen; `this_year` decides the proposed pivot (this_year - 90,
/// down to a multiple of ten). Never throws (bar std::bad_alloc).
DateLayoutGuess guess_date_layouts(const std::vector<std::string>& values, int this_year);

}  // namespace staffcast
