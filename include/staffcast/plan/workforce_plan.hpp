// A workforce plan to optimise (docs/plans.md): staff categories over a number
// of periods, each with its stock, demand, wastage and the measures allowed
// (recruitment, redundancy, short time, overstaffing, shortfall), and moves
// between categories (retraining, promotion, conversion, downgrading).
//
// Per-period values (demand; wastage, recruit_max and a move's max) hold one
// value per period, or one value for every period (demand: exactly one per
// period). An absent measure is not allowed: no redundancy_cost means no
// redundancies, no short_time_max no short time, and so on.
//
// The rules every value must follow are checked once, by validate_plan, with
// the key path of the file in the message ("category[2].wastage[3]: must be a
// number in [0, 1], got 1.5"); the plan file reader (io/plan_file.hpp) applies
// the same rules and adds the line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

/// What an optimised plan minimises: the total cost, the number of
/// redundancies, or the shortfall against demand (persons).
enum class PlanObjective : std::uint8_t { cost, redundancy, shortfall };

/// "cost", "redundancy" or "shortfall"; argument_error naming the choices otherwise.
PlanObjective parse_plan_objective(std::string_view name);
/// The name of an objective ("cost", "redundancy", "shortfall").
const char* plan_objective_name(PlanObjective objective);

/// One staff category (a position, a department × position, a skill level).
struct PlanCategory {
  std::string name;
  double initial = 0.0;              // the stock when the plan starts
  std::vector<double> demand;        // persons needed, one per period
  double wastage_new = 0.0;          // share of a period's recruits who leave within it
  std::vector<double> wastage{0.0};  // share of the others who leave, per period (or one for all)
  std::vector<double> recruit_max;   // per period (or one for all); empty: unlimited
  double recruit_cost = 0.0;
  std::optional<double> redundancy_cost;    // nullopt: no redundancies
  std::optional<double> overstaffing_cost;  // nullopt: no overstaffing
  std::optional<double> short_time_max;     // nullopt: no short time
  double short_time_cost = 0.0;
  double short_time_output = 0.5;        // share of the work a person on short time does
  std::optional<double> shortfall_cost;  // nullopt: demand must be met (bar the shortfall objective)
  /// The keys the plan file gave for this category ("initial", "demand", ...):
  /// with a register they override the values taken from it (plan/plan_from_register.hpp).
  std::vector<std::string> keys_given;
};

/// Moving staff from one category to another; `max` per period (or one for all;
/// empty: no cap); `arrive` the share of the moved who stay (nullopt: one
/// minus the target's wastage in that period).
struct PlanMove {
  std::string from;
  std::string to;
  std::vector<double> max;
  std::optional<double> max_share_of_target;  // at most this share of the target's stock
  double cost = 0.0;
  std::optional<double> arrive;
};

/// Extra capacity of a category bought at a cost (later retirement, part-time
/// staff working full time): up to `max` persons (full-time equivalents) per
/// period (or one for all; empty: no cap) added to the category's stock in
/// that period, at `cost` each; they then stay, subject to the wastage, like
/// the rest of the stock.
struct PlanCapacity {
  std::string name;  // what it is, in the explanation ("later retirement")
  std::string category;
  std::vector<double> max;
  double cost = 0.0;
};

/// The `[register]` section of a plan: categories are the groups of the register
/// by these dimensions (as GroupBy::parse names them); `years` the calendar
/// years of the periods (empty: the `periods` years after the as-of year).
struct PlanRegisterSection {
  std::vector<std::string> by;
  std::vector<int> years;
};

/// The whole plan: a linear program over categories × periods (docs/plans.md).
struct WorkforcePlan {
  PlanObjective objective = PlanObjective::cost;
  int periods = 0;
  std::vector<std::string> period_labels;        // empty: "1", "2", ...
  std::optional<double> overstaffing_max_total;  // per period, across all categories
  std::vector<PlanCategory> categories;
  std::vector<PlanMove> moves;
  std::vector<PlanCapacity> capacities;  // empty: the result has no `capacity` column
  /// Set: the plan takes its stocks, wastage and demand from a register
  /// (plan_from_register) and cannot be solved without one.
  std::optional<PlanRegisterSection> from_register;
};

/// Most periods a plan may have.
inline constexpr int max_plan_periods = 1000;
/// Largest stock, demand, cap or cost a plan accepts (far above any organisation).
inline constexpr double max_plan_amount = 1e12;

/// What is wrong with `value` as a share (wastage, arrive, short_time_output,
/// max_share_of_target): "must be a number in [0, 1], got 1.5"; empty when allowed.
std::string plan_share_problem(double value);
/// What is wrong with `value` as an amount (stock, demand, cap, cost):
/// "must be a number >= 0, got -3"; empty when allowed.
std::string plan_amount_problem(double value);

/// Checks every value and reference of a plan against the rules above; throws
/// argument_error "plan: KEY: PROBLEM" with the key path of the plan file
/// (category[2].demand, move[1].to).
void validate_plan(const WorkforcePlan& plan);

}  // namespace staffcast
