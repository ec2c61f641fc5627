// The optimised workforce plan (docs/plans.md): the plan as a linear program
// over categories × periods, built once and solved by COIN-OR Clp.
//
// Per category c and period t:
//   stock[c,t] = (1 − wastage[c,t]) stock[c,t−1] + (1 − wastage_new[c]) recruits[c,t]
//                + Σ arrive · moves into c − Σ moves out of c − redundancies[c,t]
//   stock[c,t] − (1 − short_time_output[c]) short_time[c,t] − overstaffing[c,t]
//                + shortfall[c,t] = demand[c,t]
// with the caps of the plan (recruit_max, a move's max and max_share_of_target
// of the target's stock, short_time_max, overstaffing_max_total per period),
// every quantity >= 0, minimising the plan's objective.
//
// Example:
//   staffcast::WorkforcePlan plan = staffcast::read_plan_file("plan.toml");
//   staffcast::PlanResult result = staffcast::optimise_plan(plan);
//   staffcast::write_csv(std::cout, result.table);
//   std::cout << staffcast::explain_plan(result);
#pragma once

#include <staffcast/error.hpp>
#include <staffcast/plan/workforce_plan.hpp>
#include <staffcast/table.hpp>

#include <optional>
#include <string>
#include <vector>

namespace staffcast {

/// A constraint of the optimum whose limit decides the objective: relaxing it
/// by one unit changes the objective by `shadow_price` (negative: it saves).
struct PlanBinding {
  std::string constraint;  // demand, recruit_max, move_max, move_share, short_time_max, overstaffing_max_total,
                           // capacity_max
  std::string period;
  std::string category;  // the category, "FROM -> TO" of a move, "NAME for CATEGORY" of a capacity;
                         // empty for overstaffing_max_total
  double limit = 0.0;    // the constraint's right-hand side (a share for move_share)
  double shadow_price = 0.0;
  std::string text;  // in words: "one more recruit allowed for skilled in period 2 saves 1,250"
};

/// The optimum: one row per period and category (keys period, category;
/// values stock, demand, recruits, moves_in, moves_out, redundancies,
/// short_time, overstaffing, shortfall in persons with one decimal, cost in
/// whole units), then a Total row (sums over the rows; stock and demand
/// empty). A move's cost counts in the row of its target category.
struct PlanResult {
  PlanObjective objective = PlanObjective::cost;
  double objective_value = 0.0;  // the minimum: cost, redundancies or shortfall
  double total_cost = 0.0;       // the plan's cost, whatever the objective
  Table table;
  std::vector<PlanBinding> binding;  // largest effect first
};

/// The plan has no solution: no choice of the measures meets every
/// constraint. `conflicts` names the constraints that cannot hold together, in
/// words (also in what()).
class infeasible_plan_error : public argument_error {
 public:
  infeasible_plan_error(const std::string& message, std::vector<std::string> conflicts)
      : argument_error(message), conflicts_(std::move(conflicts)) {}
  const std::vector<std::string>& conflicts() const noexcept { return conflicts_; }

 private:
  std::vector<std::string> conflicts_;
};

/// Validates the plan (validate_plan) and solves it, with the plan's own
/// objective or `objective` when given. Throws argument_error for a bad plan,
/// infeasible_plan_error when no plan meets the constraints, error when the
/// solver fails.
PlanResult optimise_plan(const WorkforcePlan& plan, std::optional<PlanObjective> objective = std::nullopt);

/// The binding constraints in words, one line each (or a line saying that no
/// constraint binds), headed by the objective's minimum.
std::string explain_plan(const PlanResult& result);

}  // namespace staffcast
