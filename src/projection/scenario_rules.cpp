// The validation rule of a scenario (see scenario_rules.hpp).
#include <staffcast/error.hpp>
#include <staffcast/io/scenario_file.hpp>
#include <staffcast/projection/scenario_rules.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace staffcast {

namespace {

struct IntegerRule {
  std::string_view key;
  std::int64_t lo;
  std::int64_t hi;
  const char* range;
};

struct NumberRule {
  std::string_view key;
  double lo;
  double hi;
  const char* range;
};

constexpr std::array<IntegerRule, 3> integer_rules{{
    {"retirement_age_shift", min_retirement_age_shift, max_retirement_age_shift, "in -5..10"},
    {"hiring_freeze_years", 0, std::numeric_limits<int>::max(), ">= 0"},
    {"target_stock", 0, max_target_stock, "in 0..100000000"},
}};

constexpr std::array<NumberRule, 3> number_rules{{
    {"growth_per_year", min_growth_per_year, max_growth_per_year, "in -0.5..0.5"},
    {"part_time_to_full_time", 0.0, 1.0, "in [0, 1]"},
    {"factor", 0.0, std::numeric_limits<double>::max(), ">= 0"},
}};

const IntegerRule* integer_rule(std::string_view key) {
  for (const auto& rule : integer_rules) {
    if (rule.key == key) return &rule;
  }
  return nullptr;
}

const NumberRule* number_rule(std::string_view key) {
  for (const auto& rule : number_rules) {
    if (rule.key == key) return &rule;
  }
  return nullptr;
}

[[noreturn]] void unknown_key(std::string_view key) {
  throw argument_error("scenario: no rule for the key '" + std::string(key) + "'");
}

std::string quoted(const std::string& text) { return "'" + text + "'"; }

}  // namespace

const char* scenario_range(std::string_view key) {
  if (const auto* rule = integer_rule(key)) return rule->range;
  if (const auto* rule = number_rule(key)) return rule->range;
  unknown_key(key);
}

std::string scenario_integer_problem(std::string_view key, std::int64_t value) {
  const auto* rule = integer_rule(key);
  if (rule == nullptr) unknown_key(key);
  if (value >= rule->lo && value <= rule->hi) return {};
  return std::string("must be an integer ") + rule->range + ", got " + std::to_string(value);
}

std::string scenario_number_text(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string scenario_number_problem(std::string_view key, double value) {
  const auto* rule = number_rule(key);
  if (rule == nullptr) unknown_key(key);
  if (std::isfinite(value) && value >= rule->lo && value <= rule->hi) return {};
  return std::string("must be a number ") + rule->range + ", got " + scenario_number_text(value);
}

void validate_scenario(const Scenario& s) {
  if (s.name.empty()) throw argument_error("scenario: name must be a non-empty string, got ''");
  auto fail = [&](const std::string& key, const std::string& what) {
    throw argument_error("scenario " + quoted(s.name) + ": " + key + " " + what);
  };
  auto integer = [&](const char* key, std::int64_t value, const std::string& shown) {
    const std::string problem = scenario_integer_problem(key, value);
    if (!problem.empty()) fail(shown, problem);
  };
  auto number = [&](const char* key, double value, const std::string& shown) {
    const std::string problem = scenario_number_problem(key, value);
    if (!problem.empty()) fail(shown, problem);
  };
  // A target stock is a whole number of persons held as a double.
  auto count = [&](double value, const std::string& shown) {
    if (!std::isfinite(value) || value != std::floor(value) || std::fabs(value) > 1e18) {
      fail(shown, std::string("must be an integer ") + scenario_range("target_stock") + ", got " +
                      scenario_number_text(value));
    }
    integer("target_stock", static_cast<std::int64_t>(value), shown);
  };
  integer("retirement_age_shift", s.retirement_age_shift, "retirement_age_shift");
  for (std::size_t i = 0; i < s.rate_multipliers.size(); ++i) {
    const RateMultiplier& m = s.rate_multipliers[i];
    const std::string key = "rate_multipliers[" + std::to_string(i + 1) + "]";
    number("factor", m.factor, key + ".factor");
    for (const auto& [column, values] : m.where) {
      if (column.empty()) fail(key + ".where", "has an invalid column name ''");
      if (values.empty()) fail(key + ".where." + column, "must not be an empty list");
    }
  }
  number("growth_per_year", s.growth_per_year, "growth_per_year");
  integer("hiring_freeze_years", s.hiring_freeze_years, "hiring_freeze_years");
  number("part_time_to_full_time", s.part_time_to_full_time, "part_time_to_full_time");
  if (s.target_stock.total) count(*s.target_stock.total, "target_stock");
  for (const auto& [group, value] : s.target_stock.per_group) {
    if (group.empty()) fail("target_stock", "has an invalid group label ''");
    count(value, "target_stock[" + quoted(group) + "]");
  }
}

}  // namespace staffcast
