// libFuzzer target: the mapping-file parser (staffcast::parse_mapping_toml)
// and date layouts (staffcast::DateFormat, staffcast::guess_date_layouts).
//
// Input: a first byte choosing the part; then either the text of a mapping
// file, or date layouts separated by '|', a newline and a date text.
//
// Oracles, besides ASan/UBSan: the only exception is staffcast::argument_error;
// a mapping accepted gives a DateFormat, codes of the contract and defaults
// apply_mapping takes; parsing is deterministic. A layout list accepted reads a
// date only as a day of the calendar, the same twice; a swapped fit means the
// text fits the swapped layouts; every guessed layout reads every value.
#include <staffcast/date_format.hpp>
#include <staffcast/error.hpp>
#include <staffcast/io/mapping_file.hpp>
#include <staffcast/register/codes.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace staffcast;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_mapping invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, ...)                           \
  do {                                                  \
    if (!(cond)) fail(#cond, std::string(__VA_ARGS__)); \
  } while (0)

/// The mapping or the error message, as one comparable string.
std::string mapping_outcome(std::string_view text) {
  try {
    const ReadMapping m = parse_mapping_toml(text, "fuzz.toml");
    std::string out = "ok";
    if (!m.date_format.empty()) out += " " + mapping_date_format(m).describe();
    for (const auto& [column, codes] : m.codes) {
      for (const auto& [from, to] : codes) {
        if (column == "gender") FUZZ_CHECK(to.empty() || parse_gender(to).has_value(), to);
        if (column == "end_reason") FUZZ_CHECK(to.empty() || parse_end_reason(to).has_value(), to);
        out += " " + column + ":" + from + "=" + to;
      }
    }
    for (const auto& [column, value] : m.defaults) {
      FUZZ_CHECK(!value.empty(), column);
      out += " " + column + "=" + value;
    }
    for (const auto& [from, to] : m.columns) FUZZ_CHECK(!to.empty(), from);
    if (m.sep) FUZZ_CHECK(m.sep->size() == 1);
    if (m.decimal) FUZZ_CHECK(*m.decimal == "." || *m.decimal == ",");
    RegisterOptions options;
    apply_mapping(m, options);
    return out;
  } catch (const argument_error& e) {
    const std::string message = e.what();
    FUZZ_CHECK(message.rfind("mapping fuzz.toml", 0) == 0, message);
    return "error " + message;
  }
}

void check_layouts(std::string_view input) {
  const std::size_t newline = input.find('\n');
  const std::string_view patterns_text = input.substr(0, newline);
  const std::string_view text = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  std::vector<std::string> patterns;
  std::size_t from = 0;
  while (true) {
    const std::size_t bar = patterns_text.find('|', from);
    patterns.emplace_back(patterns_text.substr(from, bar == std::string_view::npos ? bar : bar - from));
    if (bar == std::string_view::npos) break;
    from = bar + 1;
  }
  for (const std::optional<int> pivot : {std::optional<int>(), std::optional<int>(1930)}) {
    try {
      const DateFormat format(patterns, pivot);
      day_t a = 0, b = 0;
      const bool read = format.parse(text, a);
      FUZZ_CHECK(read == format.parse(text, b));
      if (read) {
        FUZZ_CHECK(a == b);
        FUZZ_CHECK(a >= first_calendar_day && a <= last_calendar_day);
      }
      const std::string swapped = format.swapped_fit(text);
      FUZZ_CHECK(swapped.empty() != format.fits_swapped(text), swapped);
    } catch (const argument_error&) {
    }
  }
  const std::vector<std::string> values{std::string(text), std::string(patterns_text)};
  const DateLayoutGuess guess = guess_date_layouts(values, 2026);
  if (!guess.layouts.empty()) {
    const DateFormat format(guess.layouts, guess.century_pivot);
    for (const std::string& value : values) {
      std::string_view v = value;
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      if (!v.empty()) FUZZ_CHECK(format.parse(v).has_value(), value);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      FUZZ_CHECK(mapping_outcome(input) == mapping_outcome(input), "not deterministic");
    } else {
      check_layouts(input);
    }
  } catch (const std::bad_alloc&) {
  } catch (const std::exception& e) {
    fail("unexpected exception", e.what());
  }
  return 0;
}
