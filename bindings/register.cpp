// Register: reading (CSV file or Arrow-style columns), validation issues, columns.
#include "pybind.hpp"

#include <staffcast/detail/arrow_c.hpp>
#include <staffcast/detail/source_readers.hpp>
#include <staffcast/io/saved_register.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/extraction.hpp>
#include <staffcast/register/register.hpp>

#include <cstdio>
#include <optional>

namespace staffcast::bindings {

namespace {

char single_char(const std::string& text, const char* what) {
  if (text.size() != 1) throw argument_error(std::string(what) + " must be a single character");
  return text[0];
}

RegisterOptions make_options(const std::vector<std::string>& dimensions,
                             const std::map<std::string, std::string>& columns,
                             const std::map<std::string, std::map<std::string, std::string>>& codes,
                             const std::string& open_end, const std::optional<std::string>& extracted_on,
                             const std::string& separator, const std::string& decimal, std::size_t max_issues,
                             const std::vector<std::string>& date_format, const std::optional<int>& century_pivot,
                             const std::map<std::string, std::string>& defaults, bool trim) {
  RegisterOptions options;
  options.date_format = DateFormat(date_format, century_pivot);
  options.defaults = defaults;
  options.trim = trim;
  options.dimensions = dimensions;
  options.columns = columns;
  options.codes = codes;
  options.open_end = open_end;
  if (extracted_on) options.extracted_on = day_argument(*extracted_on, "extracted_on");
  options.separator = single_char(separator, "sep");
  options.decimal = single_char(decimal, "decimal");
  options.max_issues = max_issues;
  return options;
}

py::tuple read_result(RegisterReadResult&& result) {
  py::dict issues = issues_to_dict(result.issues);
  if (!result.register_) return py::make_tuple(py::none(), issues);
  return py::make_tuple(py::cast(std::move(*result.register_)), issues);
}

/// The two Arrow C data interface structs a producer fills, released when
/// dropped unless a consumer took them (their release set to null).
struct ArrowCData {
  ArrowArray array{};
  ArrowSchema schema{};
  ArrowCData() = default;
  ArrowCData(const ArrowCData&) = delete;
  ArrowCData& operator=(const ArrowCData&) = delete;
  ~ArrowCData() { reset(); }
  void reset() {
    if (array.release != nullptr) array.release(&array);
    if (schema.release != nullptr) schema.release(&schema);
  }
};

template <class Enum>
py::array_t<std::uint8_t> enum_codes(const Column<Enum>& values) {
  py::array_t<std::uint8_t> out(static_cast<py::ssize_t>(values.size()));
  auto* data = out.mutable_data();
  for (std::size_t i = 0; i < values.size(); ++i) data[i] = static_cast<std::uint8_t>(values[i]);
  return out;
}

template <std::size_t N>
py::list names(const std::array<std::string_view, N>& values) {
  py::list out;
  for (std::string_view v : values) out.append(py::str(v.data(), v.size()));
  return out;
}

}  // namespace

/// Builds record columns from Arrow-style (offsets, data, valid) buffers.
/// The arrays (possibly converted copies) are appended to `keep` so the views stay valid.
detail::ColumnRecordSource::Column arrow_column(const py::tuple& buffers, std::vector<py::object>& keep) {
  const auto offsets = buffers[0].cast<py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>>();
  const auto data = buffers[1].cast<py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>>();
  const auto valid = buffers[2].cast<py::array_t<bool, py::array::c_style | py::array::forcecast>>();
  keep.push_back(offsets);
  keep.push_back(data);
  keep.push_back(valid);
  const auto rows = static_cast<std::size_t>(valid.size());
  if (static_cast<std::size_t>(offsets.size()) != rows + 1) throw argument_error("column buffers disagree in length");
  const auto* o = offsets.data();
  const auto* v = valid.data();
  const auto* d = reinterpret_cast<const char*>(data.data());
  const auto bytes = static_cast<std::int64_t>(data.size());
  detail::ColumnRecordSource::Column column(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    if (!v[i]) continue;
    if (o[i] < 0 || o[i + 1] < o[i] || o[i + 1] > bytes) throw argument_error("corrupt string column offsets");
    column[i] = std::string_view(d + o[i], static_cast<std::size_t>(o[i + 1] - o[i]));
  }
  return column;
}

void register_register(py::module_& m) {
  py::class_<Register>(m, "Register")
      .def("__len__", &Register::size)
      .def_property_readonly("persons", &Register::persons)
      .def_property_readonly("nbytes", &Register::nbytes)
      .def_property_readonly("rows_read", &Register::rows_read)
      .def_property_readonly("extracted_on", [](const Register& r) { return format_iso_date(r.extracted_on()); })
      .def_property_readonly("extracted_on_given", &Register::extracted_on_given)
      .def_property_readonly("extracted_on_assumed", &Register::extracted_on_assumed)
      .def_property_readonly("latest_date", [](const Register& r) { return format_iso_date(r.latest_date()); })
      .def_property_readonly("earliest_start", [](const Register& r) { return format_iso_date(r.earliest_start()); })
      .def_property_readonly("latest_start", [](const Register& r) { return format_iso_date(r.latest_start()); })
      .def_property_readonly("earliest_observed_end",
                             [](const Register& r) -> py::object {
                               if (!r.earliest_observed_end()) return py::none();
                               return py::str(format_iso_date(*r.earliest_observed_end()));
                             })
      .def("issues", [](const Register& r) { return issues_to_dict(r.issues()); })
      .def(
          "employed_persons",
          [](const Register& r, const std::string& on) { return r.employed_persons(day_argument(on, "as_of")); },
          py::arg("as_of"), "Number of distinct persons employed on the day.")
      .def("columns",
           [](const Register& r) {
             const SpellColumns& s = r.spells();
             py::dict out;
             out["person"] = to_numpy(s.person);
             out["birth_date"] = to_numpy(s.birth_date);
             out["gender"] = enum_codes(s.gender);
             out["employment_form"] = enum_codes(s.employment_form);
             out["position"] = to_numpy(s.position);
             out["department"] = to_numpy(s.department);
             out["fte"] = to_numpy(s.fte);
             out["start_date"] = to_numpy(s.start_date);
             out["end_date"] = to_numpy(s.end_date);
             out["end_reason"] = enum_codes(s.end_reason);
             out["recruitment_source"] = enum_codes(s.recruitment_source);
             out["manager"] = to_numpy(s.manager);
             out["source_row"] = to_numpy(s.source_row);
             out["start_kind"] = enum_codes(s.start_kind);
             out["end_kind"] = enum_codes(s.end_kind);
             out["start_partner"] = to_numpy(s.start_partner);
             out["end_partner"] = to_numpy(s.end_partner);
             out["chain_start"] = to_numpy(s.chain_start);
             py::dict pass_through;
             for (const auto& column : r.pass_through()) {
               pass_through[py::str(column.name)] = py::make_tuple(to_numpy(column.codes), column.dictionary.strings());
             }
             out["pass_through"] = pass_through;
             return out;
           })
      .def("dictionaries", [](const Register& r) {
        py::dict out;
        out["ids"] = r.ids().strings();
        out["positions"] = r.positions().strings();
        out["departments"] = r.departments().strings();
        out["gender"] = names(gender_names);
        out["employment_form"] = names(employment_form_names);
        out["end_reason"] = names(end_reason_names);
        out["recruitment_source"] = names(recruitment_source_names);
        return out;
      });

  m.attr("OPEN_END_DAY") = open_end_day;

  m.def(
      "today", [] { return format_iso_date(today_utc()); }, "Today's date (UTC).");
  m.def(
      "with_sick_leave_dates",
      [](const Register& reg, const SickLeave& sick) { return with_sick_leave_dates(reg, sick); }, py::arg("register"),
      py::arg("sick_leave"),
      "The register with its assumed extraction date taken again over its dates and the sick leave's.");

  m.def(
      "read_register_csv",
      [](const std::string& path, const std::vector<std::string>& dimensions,
         const std::map<std::string, std::string>& columns,
         const std::map<std::string, std::map<std::string, std::string>>& codes, const std::string& open_end,
         const std::optional<std::string>& extracted_on, const std::string& sep, const std::string& decimal,
         std::size_t max_issues, const std::string& label, const std::vector<std::string>& date_format,
         const std::optional<int>& century_pivot, const std::map<std::string, std::string>& defaults, bool trim,
         const std::optional<std::string>& today) {
        RegisterOptions options = make_options(dimensions, columns, codes, open_end, extracted_on, sep, decimal,
                                               max_issues, date_format, century_pivot, defaults, trim);
        if (today) options.today = day_argument(*today, "today");
        RegisterReadResult result;
        {
          py::gil_scoped_release release;
          result = try_read_register_csv(path, options, label);
        }
        return read_result(std::move(result));
      },
      py::arg("path"), py::arg("dimensions"), py::arg("columns"), py::arg("codes"), py::arg("open_end"),
      py::arg("extracted_on"), py::arg("sep"), py::arg("decimal"), py::arg("max_issues"), py::arg("label") = "",
      py::arg("date_format") = std::vector<std::string>{"%Y-%m-%d"}, py::arg("century_pivot") = py::none(),
      py::arg("defaults") = std::map<std::string, std::string>{}, py::arg("trim") = true,
      py::arg("today") = py::none());

  // A saved register through the Arrow C data interface: pyarrow writes into (or
  // reads from) the two structs of an ArrowCData by their addresses.
  py::class_<ArrowCData>(m, "ArrowCData")
      .def(py::init<>())
      .def_property_readonly("array_address", [](ArrowCData& c) { return reinterpret_cast<std::uintptr_t>(&c.array); })
      .def_property_readonly("schema_address",
                             [](ArrowCData& c) { return reinterpret_cast<std::uintptr_t>(&c.schema); });

  m.def(
      "export_saved_register",
      [](const Register& reg, const std::string& label, ArrowCData& out) {
        out.reset();
        export_saved_register(reg, label, &out.array, &out.schema);
      },
      py::arg("register"), py::arg("label"), py::arg("out"));

  m.def(
      "saved_register_checksum",
      [](const ArrowCData& batch) {
        char text[17];
        std::snprintf(text, sizeof text, "%016llx",
                      static_cast<unsigned long long>(saved_register_checksum(batch.array, batch.schema)));
        return std::string(text);
      },
      py::arg("batch"));

  m.def(
      "register_from_arrow",
      [](ArrowCData& in, const std::string& file, const std::optional<std::string>& extracted_on) {
        SavedRegisterOptions options;
        options.file = file;
        if (extracted_on) options.extracted_on = day_argument(*extracted_on, "extracted_on");
        // Moved out of the holder: register_from_arrow releases them.
        ArrowArray array = in.array;
        ArrowSchema schema = in.schema;
        in.array.release = nullptr;
        in.schema.release = nullptr;
        py::gil_scoped_release release;
        return register_from_arrow(&array, &schema, options);
      },
      py::arg("batch"), py::arg("file"), py::arg("extracted_on") = py::none());

  m.def(
      "read_register_columns",
      [](const std::vector<std::string>& names, const std::vector<py::tuple>& buffers, const std::string& label,
         const std::vector<std::string>& dimensions, const std::map<std::string, std::string>& columns,
         const std::map<std::string, std::map<std::string, std::string>>& codes, const std::string& open_end,
         const std::optional<std::string>& extracted_on, const std::string& decimal, std::size_t max_issues,
         const std::vector<std::string>& date_format, const std::optional<int>& century_pivot,
         const std::map<std::string, std::string>& defaults, bool trim, const std::optional<std::string>& today) {
        if (names.size() != buffers.size()) throw argument_error("names and columns differ in length");
        RegisterOptions options = make_options(dimensions, columns, codes, open_end, extracted_on, ",", decimal,
                                               max_issues, date_format, century_pivot, defaults, trim);
        if (today) options.today = day_argument(*today, "today");
        std::vector<detail::ColumnRecordSource::Column> cols;
        std::vector<py::object> keep;
        for (const py::tuple& b : buffers) cols.push_back(arrow_column(b, keep));
        detail::ColumnRecordSource source(names, std::move(cols), label);
        RegisterReadResult result;
        {
          py::gil_scoped_release release;
          result = try_read_register(source, options);
        }
        return read_result(std::move(result));
      },
      py::arg("names"), py::arg("buffers"), py::arg("label"), py::arg("dimensions"), py::arg("columns"),
      py::arg("codes"), py::arg("open_end"), py::arg("extracted_on"), py::arg("decimal"), py::arg("max_issues"),
      py::arg("date_format") = std::vector<std::string>{"%Y-%m-%d"}, py::arg("century_pivot") = py::none(),
      py::arg("defaults") = std::map<std::string, std::string>{}, py::arg("trim") = true,
      py::arg("today") = py::none());
}

}  // namespace staffcast::bindings
