// Sick-leave and indicator tables.
#include "pybind.hpp"

#include <staffcast/io/indicators.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/io/table_format.hpp>

#include <cmath>

namespace staffcast::bindings {

namespace {

TableOptions table_options(const std::map<std::string, std::string>& columns, const std::string& sep,
                           const std::string& decimal, std::size_t max_issues,
                           const std::string& date_format = "%Y-%m-%d") {
  if (sep.size() != 1 || decimal.size() != 1) throw argument_error("sep and decimal must be single characters");
  TableOptions options;
  options.date_format = require_date_format(date_format);
  options.columns = columns;
  options.separator = sep[0];
  options.decimal = decimal[0];
  options.max_issues = max_issues;
  return options;
}

py::tuple sick_result(SickLeaveReadResult&& result) {
  py::dict issues = issues_to_dict(result.issues);
  if (!result.sick_leave) return py::make_tuple(py::none(), issues);
  return py::make_tuple(py::cast(std::move(*result.sick_leave)), issues);
}

py::tuple indicator_result(IndicatorsReadResult&& result) {
  py::dict issues = issues_to_dict(result.issues);
  if (!result.indicators) return py::make_tuple(py::none(), issues);
  return py::make_tuple(py::cast(std::move(*result.indicators)), issues);
}

std::unique_ptr<detail::ColumnRecordSource> column_source(const std::vector<std::string>& names,
                                                          const std::vector<py::tuple>& buffers,
                                                          const std::string& label, std::vector<py::object>& keep) {
  if (names.size() != buffers.size()) throw argument_error("names and columns differ in length");
  std::vector<detail::ColumnRecordSource::Column> cols;
  for (const py::tuple& b : buffers) cols.push_back(arrow_column(b, keep));
  return std::make_unique<detail::ColumnRecordSource>(names, std::move(cols), label);
}

/// One value of a value column as a Python object (see column_cells).
std::string object_cell(const py::handle& value, ValueKind kind, bool percent) {
  // Leaked on purpose: a static py::object would be released after the interpreter is gone.
  static const py::handle numpy_bool = py::module_::import("numpy").attr("bool_").cast<py::object>().release();
  static const py::handle pandas_na = py::module_::import("pandas").attr("NA").cast<py::object>().release();
  if (value.is_none() || value.is(pandas_na)) return {};
  if (py::isinstance<py::bool_>(value) || py::isinstance(value, numpy_bool)) {
    return py::cast<bool>(py::bool_(py::reinterpret_borrow<py::object>(value))) ? "true" : "false";
  }
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  const double x = PyFloat_AsDouble(value.ptr());
  if (x == -1.0 && PyErr_Occurred() != nullptr) throw py::error_already_set();
  return format_value(x, kind, percent);
}

/// One value of a key or text column (see column_cells).
std::string text_cell(const py::handle& value) {
  if (value.is_none()) return {};
  if (py::isinstance<py::float_>(value) && std::isnan(value.cast<double>())) return {};
  return py::str(value);
}

}  // namespace

std::vector<std::string> column_cells(const py::object& values, std::optional<ValueKind> kind, bool percent) {
  std::vector<std::string> cells;
  if (!kind) {
    for (const auto& v : values) cells.push_back(text_cell(v));
  } else if (py::isinstance<py::array>(values) &&
             std::string("fiu").find(values.attr("dtype").attr("kind").cast<std::string>()) != std::string::npos) {
    const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(values);
    cells.reserve(static_cast<std::size_t>(a.size()));
    for (py::ssize_t i = 0; i < a.size(); ++i) cells.push_back(format_value(a.data()[i], *kind, percent));
  } else {
    for (const auto& v : values) cells.push_back(object_cell(v, *kind, percent));
  }
  return cells;
}

void register_tables(py::module_& m) {
  m.def(
      "format_cells",
      [](const py::object& values, const std::string& kind, bool percent) {
        return column_cells(values, parse_value_kind(kind), percent);
      },
      py::arg("values"), py::arg("kind"), py::arg("percent") = false,
      "The cells of one column as text by the C++ table format: kind key/text (str, None and NaN empty) or a value "
      "kind (count, fte, age, rate, flag, number); percent: rates as 100*x with 1 decimal and '%'.");

  m.def(
      "printable", [](const py::bytes& text) { return printable(std::string(text)); }, py::arg("text"),
      "UTF-8 text with control characters and bytes that are not UTF-8 written as escapes (\\x1b, \\u009b), "
      "as every message that quotes input shows it.");

  py::class_<SickLeave>(m, "SickLeave")
      .def("__len__", &SickLeave::size)
      .def("issues", [](const SickLeave& t) { return issues_to_dict(t.issues); })
      .def("columns", [](const SickLeave& t) {
        py::dict out;
        out["person"] = to_numpy(t.person);
        out["start_date"] = to_numpy(t.start_date);
        out["end_date"] = to_numpy(t.end_date);
        out["extent"] = to_numpy(t.extent);
        out["source_row"] = to_numpy(t.source_row);
        out["ids"] = t.ids.strings();
        return out;
      });

  py::class_<Indicators>(m, "Indicators")
      .def("__len__", &Indicators::size)
      .def("issues", [](const Indicators& t) { return issues_to_dict(t.issues); })
      .def("columns", [](const Indicators& t) {
        py::dict out;
        py::list periods;
        for (const Period& p : t.period) periods.append(format_period(p));
        out["indicator"] = t.indicator;
        out["unit_of_analysis"] = t.unit_of_analysis;
        out["period"] = periods;
        out["value"] = to_numpy(t.value);
        out["target"] = to_numpy(t.target);
        py::list better;
        for (auto b : t.better) better.append(b > 0 ? "higher" : "lower");
        out["better"] = better;
        out["unit"] = t.unit;
        out["source_row"] = to_numpy(t.source_row);
        return out;
      });

  m.def(
      "read_sick_leave_csv",
      [](const std::string& path, const Register* reg, const std::map<std::string, std::string>& columns,
         const std::string& sep, const std::string& decimal, std::size_t max_issues, const std::string& label,
         const std::string& date_format) {
        const TableOptions options = table_options(columns, sep, decimal, max_issues, date_format);
        SickLeaveReadResult result;
        {
          py::gil_scoped_release release;
          result = try_read_sick_leave_csv(path, options, reg, label);
        }
        return sick_result(std::move(result));
      },
      py::arg("path"), py::arg("register").none(true), py::arg("columns"), py::arg("sep"), py::arg("decimal"),
      py::arg("max_issues"), py::arg("label") = "", py::arg("date_format") = "%Y-%m-%d");

  m.def(
      "read_sick_leave_columns",
      [](const std::vector<std::string>& names, const std::vector<py::tuple>& buffers, const std::string& label,
         const Register* reg, const std::map<std::string, std::string>& columns, const std::string& decimal,
         std::size_t max_issues) {
        const TableOptions options = table_options(columns, ",", decimal, max_issues);
        std::vector<py::object> keep;
        auto source = column_source(names, buffers, label, keep);
        SickLeaveReadResult result;
        {
          py::gil_scoped_release release;
          result = try_read_sick_leave(*source, options, reg);
        }
        return sick_result(std::move(result));
      },
      py::arg("names"), py::arg("buffers"), py::arg("label"), py::arg("register").none(true), py::arg("columns"),
      py::arg("decimal"), py::arg("max_issues"));

  m.def(
      "read_indicators_csv",
      [](const std::string& path, const std::map<std::string, std::string>& columns, const std::string& sep,
         const std::string& decimal, std::size_t max_issues, const std::string& label) {
        const TableOptions options = table_options(columns, sep, decimal, max_issues);
        return indicator_result(try_read_indicators_csv(path, options, label));
      },
      py::arg("path"), py::arg("columns"), py::arg("sep"), py::arg("decimal"), py::arg("max_issues"),
      py::arg("label") = "");

  m.def(
      "read_indicators_columns",
      [](const std::vector<std::string>& names, const std::vector<py::tuple>& buffers, const std::string& label,
         const std::map<std::string, std::string>& columns, const std::string& decimal, std::size_t max_issues) {
        const TableOptions options = table_options(columns, ",", decimal, max_issues);
        std::vector<py::object> keep;
        auto source = column_source(names, buffers, label, keep);
        return indicator_result(try_read_indicators(*source, options));
      },
      py::arg("names"), py::arg("buffers"), py::arg("label"), py::arg("columns"), py::arg("decimal"),
      py::arg("max_issues"));
}

}  // namespace staffcast::bindings
