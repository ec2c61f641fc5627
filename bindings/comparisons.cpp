// The plan's comparisons: the same period a year earlier, span of control,
// gender-equality key figures.
#include "pybind.hpp"

#include <staffcast/stats/compare.hpp>
#include <staffcast/stats/equality.hpp>
#include <staffcast/stats/span.hpp>

namespace staffcast::bindings {

namespace {

ValueKind kind_from_name(const std::string& name) {
  if (name == "count") return ValueKind::count;
  if (name == "fte") return ValueKind::fte;
  if (name == "age") return ValueKind::age;
  if (name == "rate") return ValueKind::rate;
  if (name == "flag") return ValueKind::flag;
  return ValueKind::number;
}

/// The inverse of table_to_dict.
Table table_from_dict(const py::dict& dict) {
  Table table;
  for (const auto& item : dict["keys"].cast<py::list>()) {
    const auto triple = item.cast<py::tuple>();
    table.key_names.push_back(triple[0].cast<std::string>());
    const auto codes = triple[1].cast<std::vector<std::uint32_t>>();
    const auto labels = triple[2].cast<std::vector<std::string>>();
    std::vector<std::string> column;
    column.reserve(codes.size());
    for (std::uint32_t c : codes) {
      if (c >= labels.size()) throw argument_error("a key code has no label");
      column.push_back(labels[c]);
    }
    table.keys.push_back(std::move(column));
  }
  for (const auto& item : dict["values"].cast<py::list>()) {
    const auto triple = item.cast<py::tuple>();
    table.values.push_back({triple[0].cast<std::string>(), kind_from_name(triple[1].cast<std::string>()),
                            triple[2].cast<std::vector<double>>()});
  }
  if (!dict["suppressed"].is_none()) table.suppressed = dict["suppressed"].cast<std::vector<std::string>>();
  return table;
}

}  // namespace

void register_comparisons(py::module_& m) {
  m.def(
      "with_previous",
      [](const py::dict& now, const py::dict& before) {
        return table_to_dict(with_previous(table_from_dict(now), table_from_dict(before)));
      },
      py::arg("now"), py::arg("before"));

  m.def(
      "one_year_earlier",
      [](const std::string& day) { return format_iso_date(one_year_earlier(day_argument(day, "day"))); },
      py::arg("day"));

  m.def(
      "span_of_control",
      [](const Register& reg, const std::string& as_of, int limit, const std::vector<std::string>& manager_positions,
         const std::map<std::string, std::vector<std::string>>& filters, bool totals,
         const std::optional<std::string>& extracted_on) {
        const Query q = make_query(reg, {}, filters, totals, py::none(), extracted_on);
        SpanOptions options;
        options.limit = limit;
        options.manager_positions = manager_positions;
        const day_t day = day_argument(as_of, "as_of");
        SpanResult result;
        {
          py::gil_scoped_release release;
          result = span_of_control(reg, day, options, q);
        }
        return py::make_tuple(table_to_dict(result.by_department), table_to_dict(result.above_limit),
                              issues_to_dict(result.issues));
      },
      py::arg("register"), py::arg("as_of"), py::arg("limit"), py::arg("manager_positions"), py::arg("filters"),
      py::arg("totals") = true, py::arg("extracted_on") = py::none());

  m.def(
      "equality",
      [](const Register& reg, const SickLeave* sick, const std::string& as_of,
         const std::vector<std::string>& manager_positions,
         const std::map<std::string, std::vector<std::string>>& filters,
         const std::optional<std::string>& extracted_on) {
        const Query q = make_query(reg, {}, filters, false, py::none(), extracted_on);
        EqualityOptions options;
        options.manager_positions = manager_positions;
        const day_t day = day_argument(as_of, "as_of");
        Table t;
        {
          py::gil_scoped_release release;
          t = equality(reg, sick, day, options, q);
        }
        return table_to_dict(t);
      },
      py::arg("register"), py::arg("sick_leave").none(true), py::arg("as_of"), py::arg("manager_positions"),
      py::arg("filters"), py::arg("extracted_on") = py::none());
}

}  // namespace staffcast::bindings
