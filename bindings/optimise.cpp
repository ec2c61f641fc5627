// Optimised workforce plans for Python (plan/optimise.hpp, io/plan_file.hpp):
// the plan file (or the TOML text Python writes from a dict) is parsed,
// validated and solved in C++; the result crosses as a dict (the table as
// table_to_dict, the binding constraints as columns, the explanation as text).
#include "pybind.hpp"

#include <staffcast/io/plan_file.hpp>
#include <staffcast/plan/dates.hpp>
#include <staffcast/plan/optimise.hpp>
#include <staffcast/plan/plan_from_register.hpp>
#include <staffcast/register/register.hpp>

#include <optional>
#include <string>

namespace staffcast::bindings {

namespace {

py::dict result_to_dict(const PlanResult& r) {
  py::dict out;
  out["objective"] = plan_objective_name(r.objective);
  out["objective_value"] = r.objective_value;
  out["total_cost"] = r.total_cost;
  out["table"] = table_to_dict(r.table);
  py::list constraint, period, category, limit, price, text;
  for (const PlanBinding& b : r.binding) {
    constraint.append(b.constraint);
    period.append(b.period);
    category.append(b.category);
    limit.append(b.limit);
    price.append(b.shadow_price);
    text.append(b.text);
  }
  py::dict binding;
  binding["constraint"] = constraint;
  binding["period"] = period;
  binding["category"] = category;
  binding["limit"] = limit;
  binding["shadow_price"] = price;
  binding["text"] = text;
  out["binding"] = binding;
  out["explain"] = explain_plan(r);
  return out;
}

std::optional<PlanObjective> objective_argument(const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  return parse_plan_objective(*name);
}

/// Solves the plan; with a register, fills it in from the register first (plan_from_register).
PlanResult solve(const WorkforcePlan& plan, const Register* reg, const std::optional<std::string>& as_of,
                 const std::optional<std::string>& extracted_on, const std::optional<PlanObjective>& objective) {
  if (reg == nullptr) {
    if (as_of) throw argument_error("as_of needs a register: a plan from a register takes both");
    py::gil_scoped_release release;
    return optimise_plan(plan, objective);
  }
  const std::optional<day_t> day = as_of ? std::optional<day_t>(day_argument(*as_of, "as_of")) : std::nullopt;
  const std::optional<day_t> extracted =
      extracted_on ? std::optional<day_t>(day_argument(*extracted_on, "extracted_on")) : std::nullopt;
  py::gil_scoped_release release;
  return optimise_plan(plan_from_register(plan, *reg, plan_day(*reg, day), extracted), objective);
}

}  // namespace

void register_optimise(py::module_& m) {
  // Registered after ArgumentError, so that pybind11 tries it first.
  py::register_exception<infeasible_plan_error>(m, "InfeasiblePlanError", m.attr("ArgumentError"));
  m.def(
      "optimise_plan_toml",
      [](const std::string& text, const std::string& label, const std::optional<std::string>& objective,
         const Register* reg, const std::optional<std::string>& as_of, const std::optional<std::string>& extracted_on) {
        const std::optional<PlanObjective> chosen = objective_argument(objective);
        WorkforcePlan plan;
        {
          py::gil_scoped_release release;
          plan = parse_plan_toml(text, label);
        }
        return result_to_dict(solve(plan, reg, as_of, extracted_on, chosen));
      },
      py::arg("text"), py::arg("label") = "<string>", py::arg("objective") = py::none(),
      py::arg("register") = py::none(), py::arg("as_of") = py::none(), py::arg("extracted_on") = py::none(),
      "Parses, validates and solves a plan given as TOML text: a dict with objective, objective_value, "
      "total_cost, table, binding and explain (ArgumentError naming the key and line; InfeasiblePlanError "
      "naming the conflicting constraints).");
  m.def(
      "optimise_plan_file",
      [](const std::string& path, const std::optional<std::string>& objective, const Register* reg,
         const std::optional<std::string>& as_of, const std::optional<std::string>& extracted_on) {
        const std::optional<PlanObjective> chosen = objective_argument(objective);
        WorkforcePlan plan;
        {
          py::gil_scoped_release release;
          plan = read_plan_file(path);
        }
        return result_to_dict(solve(plan, reg, as_of, extracted_on, chosen));
      },
      py::arg("path"), py::arg("objective") = py::none(), py::arg("register") = py::none(),
      py::arg("as_of") = py::none(), py::arg("extracted_on") = py::none(),
      "optimise_plan_toml for a plan file; with a register, the plan's [register] section fills in its categories "
      "on as_of (default: the register's extraction date).");
}

}  // namespace staffcast::bindings
