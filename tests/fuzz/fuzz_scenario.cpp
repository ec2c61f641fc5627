// libFuzzer target: the scenario-file parser (staffcast::parse_scenario_toml, toml++).
//
// Input: the text of a scenario file.
//
// Oracles, besides ASan/UBSan: the only exception is staffcast::argument_error
// (toml++'s parse_error must be caught and translated), its message names the
// source label; an accepted scenario has a non-empty name and every field
// within the bounds of docs/models.md, "Scenarios"; parsing is deterministic (a
// second parse of the same text gives the same scenario or the same message).
#include <staffcast/error.hpp>
#include <staffcast/io/scenario_file.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace {

using namespace staffcast;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_scenario invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, ...)                           \
  do {                                                  \
    if (!(cond)) fail(#cond, std::string(__VA_ARGS__)); \
  } while (0)

const char* const label = "fuzz.toml";

/// The scenario or the error message, as one comparable string.
std::string outcome(std::string_view text) {
  try {
    const Scenario s = parse_scenario_toml(text, label);
    FUZZ_CHECK(!s.name.empty());
    FUZZ_CHECK(s.retirement_age_shift >= min_retirement_age_shift &&
               s.retirement_age_shift <= max_retirement_age_shift);
    FUZZ_CHECK(std::isfinite(s.growth_per_year) && s.growth_per_year >= min_growth_per_year &&
               s.growth_per_year <= max_growth_per_year);
    FUZZ_CHECK(s.hiring_freeze_years >= 0);
    FUZZ_CHECK(s.part_time_to_full_time >= 0.0 && s.part_time_to_full_time <= 1.0);
    FUZZ_CHECK(!(s.target_stock.total && !s.target_stock.per_group.empty()), "both total and per group");
    if (s.target_stock.total) {
      FUZZ_CHECK(*s.target_stock.total >= 0 && *s.target_stock.total <= static_cast<double>(max_target_stock));
    }
    std::string out = "ok " + s.name + " " + std::to_string(s.retirement_age_shift) + " " +
                      std::to_string(s.growth_per_year) + " " + std::to_string(s.hiring_freeze_years) + " " +
                      std::to_string(s.part_time_to_full_time);
    for (const auto& [group, value] : s.target_stock.per_group) {
      FUZZ_CHECK(!group.empty());
      FUZZ_CHECK(value >= 0 && value <= static_cast<double>(max_target_stock) && value == std::floor(value));
      out += " " + group + "=" + std::to_string(value);
    }
    for (const RateMultiplier& m : s.rate_multipliers) {
      FUZZ_CHECK(std::isfinite(m.factor) && m.factor >= 0.0);
      out += " x" + std::to_string(m.factor);
      for (const auto& [column, values] : m.where) {
        FUZZ_CHECK(!column.empty());
        FUZZ_CHECK(!values.empty());
        out += " " + column + ":" + std::to_string(values.size());
      }
    }
    return out;
  } catch (const argument_error& e) {
    const std::string message = e.what();
    FUZZ_CHECK(message.rfind(std::string("scenario ") + label, 0) == 0, "message without the source: " + message);
    return "error " + message;
  } catch (const std::bad_alloc&) {
    return "bad_alloc";  // -rss_limit_mb reports real memory blow-ups
  } catch (const std::exception& e) {
    fail("an exception other than argument_error:", e.what());
  } catch (...) {
    fail("a non-std exception");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string first = outcome(text);
  FUZZ_CHECK(outcome(text) == first, "two parses of the same text differ");
  return 0;
}
