// Private include hub for the bindings: pybind11 and the conversions we share.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <staffcast/detail/record_source.hpp>
#include <staffcast/detail/source_readers.hpp>
#include <staffcast/projection/scenario.hpp>
#include <staffcast/register/column.hpp>
#include <staffcast/register/issues.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace staffcast::bindings {

/// Copies a vector into a new numpy array.
template <class T>
py::array_t<T> to_numpy(const std::vector<T>& values) {
  py::array_t<T> out(static_cast<py::ssize_t>(values.size()));
  if (!values.empty()) std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

/// Copies a register's column into a new numpy array.
template <class T>
py::array_t<T> to_numpy(const Column<T>& values) {
  py::array_t<T> out(static_cast<py::ssize_t>(values.size()));
  if (!values.empty()) std::copy(values.begin(), values.end(), out.mutable_data());
  return out;
}

/// Issues as a dict of columns (for a DataFrame) plus the count not kept.
inline py::dict issues_to_dict(const IssueList& issues) {
  py::list file, row, line, column, code, message, value, severity;
  for (const Issue& issue : issues.items()) {
    file.append(issue.file);
    row.append(issue.row);
    if (issue.line > 0) {
      line.append(issue.line);
    } else {
      line.append(py::none());
    }
    column.append(issue.column);
    code.append(issue.code);
    message.append(issue.message);
    value.append(issue.value);
    severity.append(issue.severity == Severity::error ? "error" : "warning");
  }
  py::dict out;
  out["file"] = file;
  out["row"] = row;
  out["line"] = line;
  out["column"] = column;
  out["code"] = code;
  out["message"] = message;
  out["value"] = value;
  out["severity"] = severity;
  out["dropped"] = issues.dropped();
  out["errors"] = issues.error_count();
  out["warnings"] = issues.warning_count();
  return out;
}

detail::ColumnRecordSource::Column arrow_column(const py::tuple& buffers, std::vector<py::object>& keep);
void register_register(py::module_& m);

/// An ISO date argument; argument_error (ValueError in Python) naming `what` otherwise.
inline day_t day_argument(const std::string& text, const char* what) { return require_iso_date(text, what); }

/// A result table as {"keys": [(name, labels)], "values": [(name, kind, array)], "suppressed": list or None}.
py::dict table_to_dict(const Table& table);
/// Grouping, filters, totals, age bands and extraction date from Python arguments.
Query make_query(const Register& reg, const std::vector<std::string>& by,
                 const std::map<std::string, std::vector<std::string>>& filters, bool totals,
                 const py::object& age_bands, const std::optional<std::string>& extracted_on);
/// The cells of a column of Python values as text, by the C++ table format: with
/// `kind` a value kind, a numeric numpy array is formatted as doubles, and other
/// values one by one (None and pandas' NA empty, a bool true/false, a str as is, a
/// number by its kind); without (key and text columns), None and NaN are empty and
/// anything else is str().
std::vector<std::string> column_cells(const py::object& values, std::optional<ValueKind> kind, bool percent);
void register_tables(py::module_& m);
void register_mapping(py::module_& m);
void register_generate(py::module_& m);
void register_statistics(py::module_& m);
void register_models(py::module_& m);
void register_comparisons(py::module_& m);
void register_projection(py::module_& m);
void register_scenario(py::module_& m);
void register_optimise(py::module_& m);
/// A Scenario from a dict of its fields or an object with to_dict(), checked by validate_scenario.
Scenario scenario_from_python(const py::handle& value);
/// A Scenario as a dict of its fields (target_stock: None, an int or a dict of ints).
py::dict scenario_to_dict(const Scenario& scenario);
void register_plan(py::module_& m);
void register_backtest(py::module_& m);

}  // namespace staffcast::bindings
