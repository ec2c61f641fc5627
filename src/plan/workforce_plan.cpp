// The rules of a workforce plan's values (plan/workforce_plan.hpp), written
// once: the plan file reader and validate_plan (the C++ API, Python dicts)
// check them here.
#include <staffcast/error.hpp>
#include <staffcast/plan/workforce_plan.hpp>
#include <staffcast/projection/scenario_rules.hpp>

#include <cmath>
#include <set>
#include <string>
#include <utility>

namespace staffcast {

PlanObjective parse_plan_objective(std::string_view name) {
  if (name == "cost") return PlanObjective::cost;
  if (name == "redundancy") return PlanObjective::redundancy;
  if (name == "shortfall") return PlanObjective::shortfall;
  throw argument_error("objective must be one of cost, redundancy, shortfall, got '" + std::string(name) + "'");
}

const char* plan_objective_name(PlanObjective objective) {
  switch (objective) {
    case PlanObjective::cost:
      return "cost";
    case PlanObjective::redundancy:
      return "redundancy";
    case PlanObjective::shortfall:
      return "shortfall";
  }
  return "cost";
}

std::string plan_share_problem(double value) {
  if (std::isfinite(value) && value >= 0.0 && value <= 1.0) return {};
  return "must be a number in [0, 1], got " + scenario_number_text(value);
}

std::string plan_amount_problem(double value) {
  if (std::isfinite(value) && value >= 0.0 && value <= max_plan_amount) return {};
  return "must be a number >= 0 (at most 1e12), got " + scenario_number_text(value);
}

namespace {

[[noreturn]] void fail(const std::string& key, const std::string& what) {
  throw argument_error("plan: " + key + ": " + what);
}

void check(const std::string& problem, const std::string& key) {
  if (!problem.empty()) fail(key, problem);
}

/// A per-period list: one value per period, or one for all (`one_allowed`).
void check_periods(const std::vector<double>& values, int periods, bool one_allowed, bool shares,
                   const std::string& key) {
  const auto n = static_cast<std::size_t>(periods);
  if (values.size() != n && !(one_allowed && values.size() == 1)) {
    fail(key, std::string("must have ") + (one_allowed ? "one value or " : "") + std::to_string(periods) +
                  " values (one per period), got " + std::to_string(values.size()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string at = values.size() == 1 && one_allowed ? key : key + "[" + std::to_string(i + 1) + "]";
    check(shares ? plan_share_problem(values[i]) : plan_amount_problem(values[i]), at);
  }
}

}  // namespace

void validate_plan(const WorkforcePlan& plan) {
  if (plan.from_register) {
    fail("register", "the plan takes its values from a register ([register]): give a register and an as-of date");
  }
  if (plan.periods < 1 || plan.periods > max_plan_periods) {
    fail("periods",
         "must be an integer in 1.." + std::to_string(max_plan_periods) + ", got " + std::to_string(plan.periods));
  }
  if (!plan.period_labels.empty() && plan.period_labels.size() != static_cast<std::size_t>(plan.periods)) {
    fail("period_labels", "must have one label per period (" + std::to_string(plan.periods) + "), got " +
                              std::to_string(plan.period_labels.size()));
  }
  if (plan.overstaffing_max_total) check(plan_amount_problem(*plan.overstaffing_max_total), "overstaffing_max_total");
  if (plan.categories.empty()) fail("category", "a plan needs at least one [[category]]");
  std::set<std::string> names;
  for (std::size_t i = 0; i < plan.categories.size(); ++i) {
    const PlanCategory& c = plan.categories[i];
    const std::string key = "category[" + std::to_string(i + 1) + "]";
    if (c.name.empty()) fail(key + ".name", "is required (a non-empty string)");
    if (!names.insert(c.name).second) fail(key + ".name", "'" + c.name + "' is given twice");
    check(plan_amount_problem(c.initial), key + ".initial");
    check_periods(c.demand, plan.periods, false, false, key + ".demand");
    check(plan_share_problem(c.wastage_new), key + ".wastage_new");
    check_periods(c.wastage, plan.periods, true, true, key + ".wastage");
    if (!c.recruit_max.empty()) check_periods(c.recruit_max, plan.periods, true, false, key + ".recruit_max");
    check(plan_amount_problem(c.recruit_cost), key + ".recruit_cost");
    if (c.redundancy_cost) check(plan_amount_problem(*c.redundancy_cost), key + ".redundancy_cost");
    if (c.overstaffing_cost) check(plan_amount_problem(*c.overstaffing_cost), key + ".overstaffing_cost");
    if (c.short_time_max) check(plan_amount_problem(*c.short_time_max), key + ".short_time_max");
    check(plan_amount_problem(c.short_time_cost), key + ".short_time_cost");
    check(plan_share_problem(c.short_time_output), key + ".short_time_output");
    if (c.shortfall_cost) check(plan_amount_problem(*c.shortfall_cost), key + ".shortfall_cost");
  }
  std::set<std::pair<std::string, std::string>> pairs;
  for (std::size_t i = 0; i < plan.moves.size(); ++i) {
    const PlanMove& m = plan.moves[i];
    const std::string key = "move[" + std::to_string(i + 1) + "]";
    for (const auto& [what, name] : {std::pair<const char*, const std::string&>{"from", m.from}, {"to", m.to}}) {
      if (name.empty()) fail(key + "." + what, "is required (the name of a category)");
      if (names.count(name) == 0) {
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        fail(key + "." + what, "unknown category '" + name + "' (categories: " + known + ")");
      }
    }
    if (m.from == m.to) fail(key + ".to", "a move needs two different categories, got '" + m.to + "' twice");
    if (!pairs.emplace(m.from, m.to).second) {
      fail(key, "the move from '" + m.from + "' to '" + m.to + "' is given twice");
    }
    if (!m.max.empty()) check_periods(m.max, plan.periods, true, false, key + ".max");
    if (m.max_share_of_target) check(plan_share_problem(*m.max_share_of_target), key + ".max_share_of_target");
    check(plan_amount_problem(m.cost), key + ".cost");
    if (m.arrive) check(plan_share_problem(*m.arrive), key + ".arrive");
  }
  for (std::size_t i = 0; i < plan.capacities.size(); ++i) {
    const PlanCapacity& k = plan.capacities[i];
    const std::string key = "capacity[" + std::to_string(i + 1) + "]";
    if (k.name.empty()) fail(key + ".name", "is required (what the capacity is, e.g. \"later retirement\")");
    if (names.count(k.category) == 0) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      fail(key + ".category", "unknown category '" + k.category + "' (categories: " + known + ")");
    }
    if (!k.max.empty()) check_periods(k.max, plan.periods, true, false, key + ".max");
    check(plan_amount_problem(k.cost), key + ".cost");
  }
}

}  // namespace staffcast
