// Date layouts (docs/data.md, date layouts): parsing the patterns, reading
// dates in them, and guessing the layout of a column for mapping templates.
#include <staffcast/date_format.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace staffcast {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// The month of a three-letter English or Swedish abbreviation (any case), or 0.
unsigned month_of_name(std::string_view name) noexcept {
  static constexpr std::array<std::pair<std::string_view, unsigned>, 14> names{{{"jan", 1},
                                                                                {"feb", 2},
                                                                                {"mar", 3},
                                                                                {"apr", 4},
                                                                                {"may", 5},
                                                                                {"maj", 5},
                                                                                {"jun", 6},
                                                                                {"jul", 7},
                                                                                {"aug", 8},
                                                                                {"sep", 9},
                                                                                {"oct", 10},
                                                                                {"okt", 10},
                                                                                {"nov", 11},
                                                                                {"dec", 12}}};
  if (name.size() != 3) return 0;
  const char key[3] = {lower(name[0]), lower(name[1]), lower(name[2])};
  for (const auto& [abbreviation, month] : names) {
    if (abbreviation == std::string_view(key, 3)) return month;
  }
  return 0;
}

std::string swap_day_and_month(std::string_view pattern) {
  std::string out(pattern);
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] != '%') continue;
    if (out[i + 1] == 'd') {
      out[i + 1] = 'm';
    } else if (out[i + 1] == 'm') {
      out[i + 1] = 'd';
    }
    ++i;
  }
  return out;
}

}  // namespace

DateLayout::DateLayout(std::string_view pattern) : pattern_(pattern) {
  const std::string quoted = "date layout '" + std::string(pattern) + "'";
  int years = 0, months = 0, days = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '%') {
      if (i + 1 == pattern.size()) throw argument_error(quoted + " ends in a lone %");
      const char d = pattern[++i];
      switch (d) {
        case 'Y':
          pieces_.push_back({Part::year4, 0, false});
          ++years;
          break;
        case 'y':
          pieces_.push_back({Part::year2, 0, false});
          ++years;
          break;
        case 'm':
          pieces_.push_back({Part::month, 0, false});
          ++months;
          break;
        case 'b':
          pieces_.push_back({Part::month_name, 0, false});
          ++months;
          break;
        case 'd':
          pieces_.push_back({Part::day, 0, false});
          ++days;
          break;
        default:
          throw argument_error(quoted + ": unknown directive %" + std::string(1, d) +
                               "; a layout is built from %Y %y %m %d %b and separators");
      }
    } else if (is_letter(c) || is_digit(c) || static_cast<unsigned char>(c) < 0x20 ||
               static_cast<unsigned char>(c) >= 0x7F) {
      throw argument_error(quoted + ": '" + std::string(1, c) +
                           "' is not a separator; use -, /, ., space or another punctuation mark");
    } else {
      pieces_.push_back({Part::separator, c, false});
    }
  }
  if (years != 1 || months != 1 || days != 1) {
    throw argument_error(quoted + " must hold one year (%Y or %y), one month (%m or %b) and one day (%d)");
  }
  auto numeric = [&](std::size_t k) {
    const Part p = pieces_[k].part;
    return p == Part::year4 || p == Part::year2 || p == Part::month || p == Part::day;
  };
  for (std::size_t k = 0; k < pieces_.size(); ++k) {
    if (pieces_[k].part != Part::month && pieces_[k].part != Part::day) continue;
    pieces_[k].fixed_width = (k > 0 && numeric(k - 1)) || (k + 1 < pieces_.size() && numeric(k + 1));
  }
}

bool DateLayout::two_digit_year() const noexcept {
  return std::any_of(pieces_.begin(), pieces_.end(), [](const Piece& p) { return p.part == Part::year2; });
}

bool DateLayout::swappable() const noexcept {
  return std::any_of(pieces_.begin(), pieces_.end(), [](const Piece& p) { return p.part == Part::month; });
}

DateLayout DateLayout::swapped() const { return DateLayout(swap_day_and_month(pattern_)); }

bool DateLayout::fields(std::string_view text, int century_pivot, ymd& out) const noexcept {
  std::size_t at = 0;
  auto number = [&](std::size_t min_digits, std::size_t max_digits, unsigned& value) {
    std::size_t n = 0;
    value = 0;
    while (n < max_digits && at < text.size() && is_digit(text[at])) {
      value = value * 10 + static_cast<unsigned>(text[at] - '0');
      ++at;
      ++n;
    }
    return n >= min_digits;
  };
  int year = 0;
  unsigned month = 0, day = 0, value = 0;
  for (const Piece& piece : pieces_) {
    switch (piece.part) {
      case Part::year4:
        if (!number(4, 4, value)) return false;
        year = static_cast<int>(value);
        break;
      case Part::year2: {
        if (!number(2, 2, value)) return false;
        const int base = century_pivot - century_pivot % 100;
        year = base + static_cast<int>(value);
        if (year < century_pivot) year += 100;
        break;
      }
      case Part::month:
        if (!number(piece.fixed_width ? 2 : 1, 2, month)) return false;
        break;
      case Part::day:
        if (!number(piece.fixed_width ? 2 : 1, 2, day)) return false;
        break;
      case Part::month_name:
        if (text.size() - at < 3) return false;
        month = month_of_name(text.substr(at, 3));
        if (month == 0) return false;
        at += 3;
        break;
      case Part::separator:
        if (at >= text.size() || text[at] != piece.separator) return false;
        ++at;
        break;
    }
  }
  if (at != text.size()) return false;
  out = {year, month, day};
  return true;
}

bool DateLayout::parse(std::string_view text, int century_pivot, day_t& out) const noexcept {
  ymd d{};
  if (!fields(text, century_pivot, d) || !is_valid_date(d.year, d.month, d.day)) return false;
  out = detail::civil_to_day(d.year, d.month, d.day);
  return true;
}

// ISO dates are never read with day and month swapped: no swapped layouts, no hints.
DateFormat::DateFormat() : layouts_{DateLayout("%Y-%m-%d")} {}

DateFormat::DateFormat(const std::vector<std::string>& patterns, std::optional<int> century_pivot)
    : pivot_(century_pivot) {
  if (patterns.empty()) throw argument_error("date_format needs at least one layout, e.g. \"%Y-%m-%d\"");
  for (const std::string& pattern : patterns) {
    layouts_.emplace_back(pattern == "iso" || pattern.empty() ? std::string_view("%Y-%m-%d")
                                                              : std::string_view(pattern));
  }
  for (const DateLayout& layout : layouts_) {
    if (layout.two_digit_year() && !pivot_) {
      throw argument_error("date layout '" + layout.pattern() +
                           "' holds %y (a two-digit year): give century_pivot, e.g. century_pivot = 1930 reads yy "
                           "as the year in [1930, 2029]");
    }
    if (layout.swappable()) swapped_.push_back(layout.swapped());
  }
  if (pivot_ && (*pivot_ < min_century_pivot || *pivot_ > max_century_pivot)) {
    throw argument_error("century_pivot must be a year in [" + std::to_string(min_century_pivot) + ", " +
                         std::to_string(max_century_pivot) + "], got " + std::to_string(*pivot_));
  }
  iso_ = layouts_.size() == 1 && layouts_[0].pattern() == "%Y-%m-%d";
  // A text of the first layout's width that is a date in it is that date
  // whatever follows in the list: the fast path may decide it.
  fast_ = layouts_[0].pattern() == "%Y-%m-%d" ? FastLayout::iso
          : layouts_[0].pattern() == "%Y%m%d" ? FastLayout::compact
                                              : FastLayout::none;
  if (iso_) swapped_.clear();
}

std::vector<std::string> DateFormat::patterns() const {
  std::vector<std::string> out;
  for (const DateLayout& layout : layouts_) out.push_back(layout.pattern());
  return out;
}

std::string DateFormat::describe() const {
  std::string out;
  for (std::size_t i = 0; i < layouts_.size(); ++i) {
    if (i > 0) out += " or ";
    out += layouts_[i].pattern();
  }
  return out;
}

bool DateFormat::parse(std::string_view text, day_t& out) const noexcept {
  if (iso_) {
    const std::optional<day_t> day = parse_iso_date(text);
    if (day) out = *day;
    return day.has_value();
  }
  const int pivot = pivot_.value_or(1900);
  for (const DateLayout& layout : layouts_) {
    if (layout.parse(text, pivot, out)) return true;
  }
  return false;
}

bool DateFormat::fits_swapped(std::string_view text) const noexcept {
  const int pivot = pivot_.value_or(1900);
  day_t day = 0;
  for (const DateLayout& layout : swapped_) {
    if (layout.parse(text, pivot, day)) return true;
  }
  return false;
}

std::string DateFormat::swapped_fit(std::string_view text) const {
  const int pivot = pivot_.value_or(1900);
  day_t day = 0;
  for (const DateLayout& layout : swapped_) {
    if (layout.parse(text, pivot, day)) return layout.pattern();
  }
  return {};
}

std::optional<std::string> impossible_date(std::string_view text, const DateFormat& format) {
  if (format.is_iso()) return impossible_date(text);
  if (format.parse(text)) return std::nullopt;
  const int pivot = format.century_pivot().value_or(1900);
  std::optional<std::string> first;
  for (const DateLayout& layout : format.layouts()) {
    ymd d{};
    if (!layout.fields(text, pivot, d)) continue;
    std::optional<std::string> reason = detail::impossible_fields(d.year, d.month, d.day);
    if (!reason) continue;
    if (d.month >= 1 && d.month <= 12) return reason;
    if (!first) first = std::move(reason);
  }
  return first;
}

std::vector<std::string> DateFormat::swapped_patterns() const {
  std::vector<std::string> out;
  for (const DateLayout& layout : swapped_) out.push_back(layout.pattern());
  return out;
}

namespace {

/// A family of layouts: one order of year, month and day, one month form and
/// one separator, with a four- and a two-digit year.
struct Family {
  std::array<DateLayout, 2> layouts;  // %Y, %y
  bool fits = true;
  bool used[2] = {false, false};
};

std::string family_pattern(int order, bool month_name, std::string_view separator, bool two_digit) {
  const std::string y = two_digit ? "%y" : "%Y";
  const std::string m = month_name ? "%b" : "%m";
  const std::string s(separator);
  switch (order) {
    case 0:
      return y + s + m + s + "%d";
    case 1:
      return "%d" + s + m + s + y;
    default:
      return m + s + "%d" + s + y;
  }
}

}  // namespace

DateLayoutGuess guess_date_layouts(const std::vector<std::string>& values, int this_year) {
  DateLayoutGuess guess;
  std::vector<std::string_view> texts;
  std::string separators;
  for (const std::string& value : values) {
    std::string_view text = value;
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.empty()) continue;
    texts.push_back(text);
    for (char c : text) {
      if (!is_digit(c) && !is_letter(c) && c != '%' && static_cast<unsigned char>(c) >= 0x20 &&
          static_cast<unsigned char>(c) < 0x7F && separators.find(c) == std::string::npos && separators.size() < 8) {
        separators.push_back(c);
      }
    }
  }
  if (texts.empty()) return guess;
  const int pivot = std::clamp((this_year - 90) / 10 * 10, min_century_pivot, max_century_pivot);
  std::vector<std::string> seps{""};
  for (char c : separators) seps.emplace_back(1, c);
  auto layouts_of = [](const Family& family) {
    std::vector<std::string> out;
    for (int k = 0; k < 2; ++k) {
      if (family.used[k]) out.push_back(family.layouts[static_cast<std::size_t>(k)].pattern());
    }
    return out;
  };
  // A proposal is read as the reader reads it: %Y-%m-%d alone is ISO, exactly
  // YYYY-MM-DD, so "2019-3-01" is not proposed as ISO.
  auto reads_all = [&](const Family& family) {
    const DateFormat format(layouts_of(family), pivot);
    day_t day = 0;
    return std::all_of(texts.begin(), texts.end(), [&](std::string_view text) { return format.parse(text, day); });
  };
  // order 0: year first, 1: day first, 2: month first.
  struct Found {
    int order;
    Family family;
  };
  std::vector<Found> found;
  for (const std::string& sep : seps) {
    for (bool month_name : {false, true}) {
      for (int order = 0; order < 3; ++order) {
        Family family{{DateLayout(family_pattern(order, month_name, sep, false)),
                       DateLayout(family_pattern(order, month_name, sep, true))}};
        for (std::string_view text : texts) {
          day_t day = 0;
          if (family.layouts[0].parse(text, pivot, day)) {
            family.used[0] = true;
          } else if (family.layouts[1].parse(text, pivot, day)) {
            family.used[1] = true;
          } else {
            family.fits = false;
            break;
          }
        }
        if (family.fits && reads_all(family)) found.push_back({order, family});
      }
    }
  }
  if (found.empty()) return guess;
  const Found* year_first = nullptr;
  const Found* day_first = nullptr;
  const Found* month_first = nullptr;
  for (const Found& f : found) {
    const Found** slot = f.order == 0 ? &year_first : f.order == 1 ? &day_first : &month_first;
    if (*slot == nullptr) *slot = &f;
  }
  const Found* chosen = year_first != nullptr ? year_first : day_first != nullptr ? day_first : month_first;
  guess.layouts = layouts_of(chosen->family);
  if (chosen == day_first && month_first != nullptr) {
    guess.ambiguous = true;
    guess.alternative = layouts_of(month_first->family);
  }
  if (chosen->family.used[1] || (guess.ambiguous && month_first->family.used[1])) guess.century_pivot = pivot;
  return guess;
}

}  // namespace staffcast
