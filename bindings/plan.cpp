// The plan's policies for Python (include/staffcast/plan/*.hpp), the calendar
// rules Python must not restate (date.hpp), the summary of replicates and the
// table text format: Python calls these instead of keeping its own copies.
#include "pybind.hpp"

#include <staffcast/io/table_format.hpp>
#include <staffcast/plan/dates.hpp>
#include <staffcast/plan/gap.hpp>
#include <staffcast/plan/periods.hpp>
#include <staffcast/plan/years.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/projection/replicate_summary.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace staffcast::bindings {

namespace {

std::optional<day_t> optional_day(const std::optional<std::string>& text, const char* what) {
  if (!text) return std::nullopt;
  return day_argument(*text, what);
}

std::optional<ValueKind> value_kind(const std::string& kind) {
  if (kind == "count") return ValueKind::count;
  if (kind == "fte") return ValueKind::fte;
  if (kind == "age") return ValueKind::age;
  if (kind == "rate") return ValueKind::rate;
  if (kind == "flag") return ValueKind::flag;
  if (kind == "number") return ValueKind::number;
  return std::nullopt;
}

/// One cell of a value column given as a Python object: None and pandas' NA empty, a bool
/// true/false, a str as is, a number by its kind.
std::string object_cell(const py::handle& value, ValueKind kind) {
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
  return format_value(x, kind);
}

/// A text or key column given as Python objects: None and NaN empty, anything else str().
std::string text_cell(const py::handle& value) {
  if (value.is_none()) return {};
  if (py::isinstance<py::float_>(value) && std::isnan(value.cast<double>())) return {};
  return py::str(value);
}

}  // namespace

void register_plan(py::module_& m) {
  // ------------------------------------------------------------- calendar
  m.def(
      "add_years",
      [](const std::string& day, int years) { return format_iso_date(add_years(day_argument(day, "day"), years)); },
      py::arg("day"), py::arg("years"),
      "The same day `years` calendar years later (negative: earlier); 29 February -> 28 February in common years.");
  m.def(
      "minus_years",
      [](const std::string& day, int years) { return format_iso_date(add_years(day_argument(day, "day"), -years)); },
      py::arg("day"), py::arg("years"), "The same day `years` calendar years earlier (29 February -> 28 February).");

  // ------------------------------------------------------------- plan policies
  m.def(
      "split_periods",
      [](const std::string& start, const std::string& end, const std::string& freq) {
        const auto periods = split_periods(day_argument(start, "start"), day_argument(end, "end"), freq);
        std::vector<std::tuple<std::string, std::string>> out;
        out.reserve(periods.size());
        for (const DayRange& p : periods) out.emplace_back(format_iso_date(p.start), format_iso_date(p.end));
        return out;
      },
      py::arg("start"), py::arg("end"), py::arg("freq") = "year",
      "Consecutive periods covering [start, end] (year, tertial, month or rolling12) as ISO date pairs.");
  m.def(
      "plan_day",
      [](const Register& reg, const std::optional<std::string>& as_of) {
        return format_iso_date(plan_day(reg, optional_day(as_of, "as_of")));
      },
      py::arg("register"), py::arg("as_of") = py::none(),
      "The day of the plan: as_of when given, else the register's extraction date.");
  m.def(
      "plan_extraction_date",
      [](const Register& reg, const std::optional<std::string>& given) {
        return format_iso_date(plan_extraction_date(reg, optional_day(given, "extracted_on")));
      },
      py::arg("register"), py::arg("extracted_on") = py::none(),
      "The extraction date in force: the one given, else the register's when given on reading, else as_of.");
  m.def(
      "years_ending",
      [](const std::string& end, int years) {
        const DayRange p = years_ending(day_argument(end, "end"), years);
        return std::make_tuple(format_iso_date(p.start), format_iso_date(p.end));
      },
      py::arg("end"), py::arg("years"),
      "The `years` years up to and including `end` (from the day after the same date `years` years earlier).");
  m.def(
      "history_window",
      [](const Register& reg, const std::string& end, int years) {
        const DayRange p = history_window(reg, day_argument(end, "end"), years);
        return std::make_tuple(format_iso_date(p.start), format_iso_date(p.end));
      },
      py::arg("register"), py::arg("end"), py::arg("years"),
      "The `years` years ending on `end`, clipped to the register's observed history, as (start, end).");
  m.def(
      "retirement_estimate_window",
      [](const Register& reg, const std::string& as_of) {
        const DayRange p = retirement_estimate_window(reg, day_argument(as_of, "as_of"));
        return std::make_tuple(format_iso_date(p.start), format_iso_date(p.end));
      },
      py::arg("register"), py::arg("as_of"),
      "The default window of the retirement probabilities of a plan on as_of, as (start, end).");
  m.def(
      "rates_window",
      [](const Register& reg, const std::string& as_of) {
        const DayRange p = rates_window(reg, day_argument(as_of, "as_of"));
        return std::make_tuple(format_iso_date(p.start), format_iso_date(p.end));
      },
      py::arg("register"), py::arg("as_of"),
      "The default window of the recruitment need's other-departure rates on as_of, as (start, end).");
  m.def(
      "outlook_years",
      [](const std::string& as_of, int count) { return outlook_years(day_argument(as_of, "as_of"), count); },
      py::arg("as_of"), py::arg("years"), "The `years` calendar years after the year of as_of.");
  m.def(
      "outlook_years",
      [](const std::string& as_of, const std::string& text) {
        return outlook_years(day_argument(as_of, "as_of"), text);
      },
      py::arg("as_of"), py::arg("years"), "The years of a count \"N\" or a range \"Y1-Yn\".");

  // ------------------------------------------------------------- summaries
  m.def(
      "summarise_replicates",
      [](const py::array_t<double, py::array::c_style | py::array::forcecast>& values) {
        const ReplicateSummary s =
            summarise_replicates(std::vector<double>(values.data(), values.data() + values.size()));
        return std::make_tuple(s.mean, s.p5, s.p50, s.p95);
      },
      py::arg("values"),
      "(mean, p5, p50, p95) of values over the replicates: the sum in order / n and numpy's linear percentiles.");
  m.def(
      "summarise_totals",
      [](const ProjectionInputs& in, const py::array_t<double, py::array::c_style | py::array::forcecast>& raw) {
        if (raw.ndim() != 4 || raw.shape(1) != in.years ||
            raw.shape(2) != static_cast<py::ssize_t>(in.output_groups()) ||
            raw.shape(3) != static_cast<py::ssize_t>(projection_measure_count)) {
          throw argument_error("raw must be an array [replicate, year, group, measure] matching the inputs");
        }
        RawSimulation r;
        r.replicates = static_cast<std::size_t>(raw.shape(0));
        r.years = static_cast<std::size_t>(in.years);
        r.output_groups = in.output_groups();
        r.values.assign(raw.data(), raw.data() + raw.size());
        return table_to_dict(summarise_totals(in, r));
      },
      py::arg("inputs"), py::arg("raw"), "Per year and measure: the summary of each replicate's sum over the groups.");
  m.def(
      "supply_demand_gap",
      [](const ProjectionInputs& in, const py::array_t<double, py::array::c_style | py::array::forcecast>& end,
         bool totals) {
        if (end.ndim() != 3 || end.shape(1) != in.years ||
            end.shape(2) != static_cast<py::ssize_t>(in.output_groups())) {
          throw argument_error("end must be an array [replicate, year, output group] matching the inputs");
        }
        const std::vector<double> values(end.data(), end.data() + end.size());
        return table_to_dict(supply_demand_gap(in, values, static_cast<std::size_t>(end.shape(0)), totals));
      },
      py::arg("inputs"), py::arg("end"), py::arg("totals") = false,
      "The gap between supply (end stock per group) and target demand T_g(t), summarised over the replicates.");

  // ------------------------------------------------------------- table text
  m.def(
      "format_csv",
      [](const std::vector<std::tuple<std::string, std::string, py::object>>& columns) {
        std::vector<TextColumn> text;
        text.reserve(columns.size());
        for (const auto& [name, kind_name, values] : columns) {
          TextColumn column{name, {}};
          const auto kind = value_kind(kind_name);
          if (!kind) {  // key and text columns
            for (const auto& v : values) column.cells.push_back(text_cell(v));
          } else if (py::isinstance<py::array>(values) &&
                     std::string("fiu").find(values.attr("dtype").attr("kind").cast<std::string>()) !=
                         std::string::npos) {
            const auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(values);
            column.cells.reserve(static_cast<std::size_t>(a.size()));
            for (py::ssize_t i = 0; i < a.size(); ++i) column.cells.push_back(format_value(a.data()[i], *kind));
          } else {
            for (const auto& v : values) column.cells.push_back(object_cell(v, *kind));
          }
          text.push_back(std::move(column));
        }
        return to_csv(text);
      },
      py::arg("columns"),
      "CSV text of [(name, kind, values)]: kind key/text (cells as str) or a value kind (count, fte, age, rate, "
      "flag, number), formatted by the C++ table format.");
}

}  // namespace staffcast::bindings
