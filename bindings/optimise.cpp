// Optimised workforce plans for Python (plan/optimise.hpp, io/plan_file.hpp):
// the plan file (or the TOML text Python writes from a dict) is parsed,
// validated and solved in C++; the result crosses as a dict (the table as
// table_to_dict, the binding constraints as columns, the explanation as text).
#include "pybind.hpp"

#include <staffcast/io/plan_file.hpp>
#include <staffcast/plan/optimise.hpp>

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

}  // namespace

void register_optimise(py::module_& m) {
  // Registered after ArgumentError, so that pybind11 tries it first.
  py::register_exception<infeasible_plan_error>(m, "InfeasiblePlanError", m.attr("ArgumentError"));
  m.def(
      "optimise_plan_toml",
      [](const std::string& text, const std::string& label, const std::optional<std::string>& objective) {
        PlanResult r;
        {
          py::gil_scoped_release release;
          r = optimise_plan(parse_plan_toml(text, label), objective_argument(objective));
        }
        return result_to_dict(r);
      },
      py::arg("text"), py::arg("label") = "<string>", py::arg("objective") = py::none(),
      "Parses, validates and solves a plan given as TOML text: a dict with objective, objective_value, "
      "total_cost, table, binding and explain (ArgumentError naming the key and line; InfeasiblePlanError "
      "naming the conflicting constraints).");
  m.def(
      "optimise_plan_file",
      [](const std::string& path, const std::optional<std::string>& objective) {
        PlanResult r;
        {
          py::gil_scoped_release release;
          r = optimise_plan(read_plan_file(path), objective_argument(objective));
        }
        return result_to_dict(r);
      },
      py::arg("path"), py::arg("objective") = py::none(), "optimise_plan_toml for a plan file.");
}

}  // namespace staffcast::bindings
