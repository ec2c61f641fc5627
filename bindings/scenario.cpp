// Scenario files (TOML, toml++) for Python: parsed in C++ so that Python and
// C++ users get the same rules and the same messages. A scenario crosses as a
// plain dict with the fields of staffcast::Scenario (python/staffcast/scenario.py
// builds its frozen dataclass from it).
#include "pybind.hpp"

#include <staffcast/io/scenario_file.hpp>

namespace staffcast::bindings {

namespace {

py::dict scenario_to_dict(const Scenario& s) {
  py::dict out;
  out["name"] = s.name;
  out["retirement_age_shift"] = s.retirement_age_shift;
  py::list multipliers;
  for (const RateMultiplier& m : s.rate_multipliers) {
    py::dict where;
    for (const auto& [column, values] : m.where) where[py::str(column)] = py::cast(values);
    py::dict entry;
    entry["where"] = where;
    entry["factor"] = m.factor;
    multipliers.append(entry);
  }
  out["rate_multipliers"] = multipliers;
  out["growth_per_year"] = s.growth_per_year;
  out["hiring_freeze_years"] = s.hiring_freeze_years;
  if (s.target_stock.total) {
    out["target_stock"] = static_cast<long long>(*s.target_stock.total);
  } else if (!s.target_stock.per_group.empty()) {
    py::dict groups;
    for (const auto& [group, value] : s.target_stock.per_group) groups[py::str(group)] = static_cast<long long>(value);
    out["target_stock"] = groups;
  } else {
    out["target_stock"] = py::none();
  }
  out["part_time_to_full_time"] = s.part_time_to_full_time;
  return out;
}

}  // namespace

void register_scenario(py::module_& m) {
  m.def(
      "parse_scenario_toml",
      [](const std::string& text, const std::string& label) {
        Scenario s;
        {
          py::gil_scoped_release release;
          s = parse_scenario_toml(text, label);
        }
        return scenario_to_dict(s);
      },
      py::arg("text"), py::arg("label") = "<string>",
      "Parses the text of a scenario TOML file into a dict of the Scenario fields (ArgumentError naming the "
      "key and line on any problem).");
  m.def(
      "read_scenario_file",
      [](const std::string& path) {
        Scenario s;
        {
          py::gil_scoped_release release;
          s = read_scenario_file(path);
        }
        return scenario_to_dict(s);
      },
      py::arg("path"), "Reads and parses a scenario TOML file into a dict of the Scenario fields.");
}

}  // namespace staffcast::bindings
