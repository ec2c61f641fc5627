// Scenario files (TOML, toml++) for Python: parsed in C++ so that Python and
// C++ users get the same rules and the same messages. A scenario crosses as a
// plain dict with the fields of staffcast::Scenario (python/staffcast/scenario.py
// builds its frozen dataclass from it).
#include "pybind.hpp"

#include <staffcast/io/scenario_file.hpp>
#include <staffcast/projection/scenario_rules.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace staffcast::bindings {

namespace {

/// Python values into a Scenario: the types are checked here, the values by
/// validate_scenario's rules (scenario_rules.hpp), with the same messages.
class Converter {
 public:
  explicit Converter(std::string name) : name_(std::move(name)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw argument_error("scenario '" + name_ + "': " + key + " " + what);
  }

  static std::string type_and_value(const py::handle& value) {
    return std::string(py::str(py::type::of(value).attr("__name__"))) + " " + std::string(py::repr(value));
  }

  static bool is_integer(const py::handle& value) {
    if (py::isinstance<py::bool_>(value) || py::isinstance<py::float_>(value)) return false;
    return py::isinstance<py::int_>(value) || py::hasattr(value, "__index__");  // numpy integers
  }

  /// An integer allowed by the rule of `rule`.
  std::int64_t integer(const py::handle& value, const std::string& key, const char* rule) const {
    const std::string range = scenario_range(rule);
    if (!is_integer(value)) fail(key, "must be an integer " + range + ", got " + type_and_value(value));
    const py::int_ index(py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr())));
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
    if (overflow != 0) fail(key, "must be an integer " + range + ", got " + std::string(py::str(index)));
    const std::string problem = scenario_integer_problem(rule, v);
    if (!problem.empty()) fail(key, problem);
    return v;
  }

  /// A number (int, float, numpy scalar, Decimal; not bool, not str) allowed by the rule of `rule`.
  double number(const py::handle& value, const std::string& key, const char* rule) const {
    double v = 0.0;
    if (py::isinstance<py::bool_>(value) || py::isinstance<py::str>(value) || py::isinstance<py::bytes>(value)) {
      fail(key, std::string("must be a number ") + scenario_range(rule) + ", got " + type_and_value(value));
    }
    if (is_integer(value)) {
      v = py::int_(py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()))).cast<double>();
    } else {
      v = PyFloat_AsDouble(value.ptr());
      if (v == -1.0 && PyErr_Occurred() != nullptr) {
        PyErr_Clear();
        fail(key, std::string("must be a number ") + scenario_range(rule) + ", got " + type_and_value(value));
      }
    }
    const std::string problem = scenario_number_problem(rule, v);
    if (!problem.empty()) fail(key, problem);
    return v;
  }

  RateMultiplier multiplier(const py::handle& item, const std::string& key) const {
    py::object where = py::none(), factor;
    if (is_mapping(item)) {
      std::vector<std::string> unknown;
      for (const auto& k : py::reinterpret_borrow<py::object>(item)) {
        const std::string name = py::str(k);
        if (name != "where" && name != "factor") unknown.push_back(std::string(py::repr(k)));
      }
      if (!unknown.empty()) {
        std::sort(unknown.begin(), unknown.end());
        std::string list;
        for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
        fail(key, "has unknown keys [" + list + "] (known: where, factor)");
      }
      if (!item.contains("factor")) fail(key + ".factor", "is required");
      factor = item["factor"];
      if (item.contains("where")) where = item["where"];
    } else if (py::isinstance<py::tuple>(item) && py::len(item) == 2) {  // (where, factor)
      where = item[py::int_(0)];
      factor = item[py::int_(1)];
    } else if (py::hasattr(item, "factor") && py::hasattr(item, "where")) {  // staffcast.RateMultiplier
      where = item.attr("where");
      factor = item.attr("factor");
    } else {
      fail(key, "must be a RateMultiplier, a dict with where/factor or a (where, factor) pair, got " +
                    std::string(py::repr(item)));
    }
    RateMultiplier m;
    m.factor = number(factor, key + ".factor", "factor");
    if (where.is_none() || (py::isinstance<py::dict>(where) && py::len(where) == 0)) return m;
    if (!is_mapping(where)) {
      fail(key + ".where", "must be a mapping of column -> value or values, got " +
                               std::string(py::str(py::type::of(where).attr("__name__"))));
    }
    for (const auto& column : where) {
      if (!py::isinstance<py::str>(column) || py::len(column) == 0) {
        fail(key + ".where", "has an invalid column name " + std::string(py::repr(column)));
      }
      const std::string name = py::str(column);
      const py::object values = where[column];
      const std::string shown = key + ".where." + name;
      std::vector<std::string> labels;
      if (py::isinstance<py::str>(values)) {
        labels.push_back(values.cast<std::string>());
      } else if (py::isinstance<py::iterable>(values)) {
        for (const auto& v : values) {
          if (!py::isinstance<py::str>(v)) fail(shown, "values must be strings, got " + std::string(py::repr(v)));
          labels.push_back(v.cast<std::string>());
        }
        if (labels.empty()) fail(shown, "must not be an empty list");
      } else {
        fail(shown, "must be a string or a list of strings, got " + std::string(py::repr(values)));
      }
      m.where[name] = std::move(labels);
    }
    return m;
  }

  TargetStock target_stock(const py::handle& value) const {
    TargetStock out;
    if (is_mapping(value)) {
      if (py::len(value) == 0) fail("target_stock", "must not be an empty mapping");
      for (const auto& group : value) {
        if (!py::isinstance<py::str>(group) || py::len(group) == 0) {
          fail("target_stock", "has an invalid group label " + std::string(py::repr(group)));
        }
        const std::string key = "target_stock[" + std::string(py::repr(group)) + "]";
        out.per_group[group.cast<std::string>()] = static_cast<double>(integer(value[group], key, "target_stock"));
      }
    } else {
      out.total = static_cast<double>(integer(value, "target_stock", "target_stock"));
    }
    return out;
  }

  static bool is_mapping(const py::handle& value) {
    // Leaked on purpose: a static py::object would be released after the interpreter is gone.
    static const py::handle mapping =
        py::module_::import("collections.abc").attr("Mapping").cast<py::object>().release();
    return py::isinstance<py::dict>(value) || py::isinstance(value, mapping);
  }

 private:
  std::string name_;
};

}  // namespace

Scenario scenario_from_python(const py::handle& value) {
  py::dict d;
  if (Converter::is_mapping(value)) {
    d = py::dict(py::reinterpret_borrow<py::object>(value));
  } else if (py::hasattr(value, "to_dict")) {
    d = value.attr("to_dict")().cast<py::dict>();
  } else {
    throw argument_error("a scenario must be a dict or have a to_dict() method");
  }
  static const std::vector<std::string> known{
      "name",         "retirement_age_shift",  "rate_multipliers", "growth_per_year", "hiring_freeze_years",
      "target_stock", "part_time_to_full_time"};
  std::vector<std::string> unknown;
  for (const auto& [k, v] : d) {
    const std::string key = py::str(k);
    if (key != "rate_multiplier" && std::find(known.begin(), known.end(), key) == known.end()) {
      unknown.push_back(std::string(py::repr(k)));
    }
  }
  if (!unknown.empty()) {
    std::sort(unknown.begin(), unknown.end());
    std::string list, names;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
    throw argument_error(std::string("scenario: unknown key") + (unknown.size() > 1 ? "s " : " ") + list +
                         " (known: " + names + ")");
  }
  if (!d.contains("name")) throw argument_error("scenario: name is required");
  const py::object name = d["name"];
  if (!py::isinstance<py::str>(name) || py::len(name) == 0) {
    throw argument_error("scenario: name must be a non-empty string, got " + std::string(py::repr(name)));
  }
  Scenario s;
  s.name = name.cast<std::string>();
  const Converter c(s.name);
  auto given = [&](const char* key) { return d.contains(key) && !d[key].is_none(); };
  if (given("retirement_age_shift")) {
    s.retirement_age_shift =
        static_cast<int>(c.integer(d["retirement_age_shift"], "retirement_age_shift", "retirement_age_shift"));
  }
  for (const char* key : {"rate_multipliers", "rate_multiplier"}) {
    if (!given(key)) continue;
    py::object list = d[key];
    if (Converter::is_mapping(list) || (py::hasattr(list, "factor") && py::hasattr(list, "where"))) {
      list = py::make_tuple(list);
    }
    if (!py::isinstance<py::iterable>(list) || py::isinstance<py::str>(list)) {
      c.fail(key, "must be a list, got " + std::string(py::str(py::type::of(list).attr("__name__"))));
    }
    std::size_t i = 0;
    for (const auto& item : list) {
      s.rate_multipliers.push_back(c.multiplier(item, std::string(key) + "[" + std::to_string(++i) + "]"));
    }
  }
  if (given("growth_per_year")) {
    s.growth_per_year = c.number(d["growth_per_year"], "growth_per_year", "growth_per_year");
  }
  if (given("hiring_freeze_years")) {
    s.hiring_freeze_years =
        static_cast<int>(c.integer(d["hiring_freeze_years"], "hiring_freeze_years", "hiring_freeze_years"));
  }
  if (given("part_time_to_full_time")) {
    s.part_time_to_full_time =
        c.number(d["part_time_to_full_time"], "part_time_to_full_time", "part_time_to_full_time");
  }
  if (given("target_stock")) s.target_stock = c.target_stock(d["target_stock"]);
  validate_scenario(s);
  return s;
}

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
  m.def(
      "scenario_dict", [](const py::object& value) { return scenario_to_dict(scenario_from_python(value)); },
      py::arg("scenario"),
      "A scenario (a dict of its fields or an object with to_dict()) checked by the C++ rules and returned as a "
      "dict of the Scenario fields (ValueError naming the key otherwise).");
}

}  // namespace staffcast::bindings
