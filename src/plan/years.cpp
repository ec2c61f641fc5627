// The years of an outlook (see plan/years.hpp).
#include <staffcast/error.hpp>
#include <staffcast/plan/years.hpp>

#include <charconv>
#include <limits>
#include <optional>
#include <string>

namespace staffcast {

namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view blanks = " \t\n\r\f\v";
  const auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

/// A whole number with an optional sign and surrounding blanks, as Python's int() reads one.
std::optional<int> parse_int(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<int> year_range(int first, int last) {
  std::vector<int> years;
  years.reserve(static_cast<std::size_t>(static_cast<long long>(last) - first + 1));
  for (long long y = first; y <= last; ++y) years.push_back(static_cast<int>(y));
  return years;
}

}  // namespace

std::vector<int> outlook_years(day_t as_of, int count) {
  if (count < 1) throw argument_error("years must be at least 1");
  const int base = to_ymd(as_of).year;
  if (count > std::numeric_limits<int>::max() - base) throw argument_error("years reach past the calendar");
  return year_range(base + 1, base + count);
}

std::vector<int> outlook_years(day_t as_of, std::string_view text) {
  text = trim(text);
  const auto not_years = [&] {
    return argument_error("years must be a count N or a range Y1-Yn, got '" + std::string(text) + "'");
  };
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    const auto count = parse_int(text);
    if (!count) throw not_years();
    return outlook_years(as_of, *count);
  }
  const auto first = parse_int(text.substr(0, dash));
  const auto last = parse_int(text.substr(dash + 1));
  if (!first || !last) throw not_years();
  if (*last < *first) throw argument_error("years " + std::string(text) + " are reversed");
  return year_range(*first, *last);
}

}  // namespace staffcast
