// Register: reading (CSV file or Arrow-style columns), validation issues, columns.
#include "pybind.hpp"

#include <staffcast/detail/source_readers.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/extraction.hpp>
#include <staffcast/register/register.hpp>

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

template <class Enum>
py::array_t<std::uint8_t> enum_codes(const std::vector<Enum>& values) {
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

namespace {

/// Strings given as a list of str, or as the buffers of an Arrow string array:
/// (offsets as int32 or int64, UTF-8 data as uint8), each checked (a saved file is not trusted).
/// The buffers avoid making a Python string per value (3 million person keys at 1.3 M persons).
std::vector<std::string> saved_strings(const py::handle& object) {
  if (!py::isinstance<py::tuple>(object)) return object.cast<std::vector<std::string>>();
  const auto parts = object.cast<py::tuple>();
  if (parts.size() != 2) throw argument_error("string buffers must be (offsets, data)");
  const auto data = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(parts[1]);
  const auto offsets = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(parts[0]);
  if (!data || !offsets || offsets.ndim() != 1 || offsets.size() < 1) {
    throw argument_error("string buffers must be (offsets, data)");
  }
  const std::int64_t* at = offsets.data();
  const auto size = static_cast<std::int64_t>(data.size());
  const char* bytes = reinterpret_cast<const char*>(data.data());
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(offsets.size() - 1));
  for (py::ssize_t i = 0; i + 1 < offsets.size(); ++i) {
    if (at[i] < 0 || at[i + 1] < at[i] || at[i + 1] > size) throw argument_error("string offsets out of range");
    out.emplace_back(bytes + at[i], static_cast<std::size_t>(at[i + 1] - at[i]));
  }
  return out;
}

}  // namespace

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
               pass_through[py::str(column.name)] = py::make_tuple(to_numpy(column.codes), column.dictionary.values());
             }
             out["pass_through"] = pass_through;
             return out;
           })
      .def("dictionaries", [](const Register& r) {
        py::dict out;
        out["ids"] = r.ids().values();
        out["positions"] = r.positions().values();
        out["departments"] = r.departments().values();
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

  m.def(
      "read_register_coded",
      [](const py::dict& columns, const std::optional<std::string>& extracted_on, const std::string& label,
         std::size_t max_issues, const std::optional<std::string>& today) {
        CodedRegister c;
        // Numeric columns arrive as numpy arrays: copy their buffers (not element by element).
        auto vector_of = [](const py::handle& object, auto tag) {
          using T = decltype(tag);
          const auto array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(object);
          if (!array) throw argument_error("the saved register has a column of the wrong type");
          return std::vector<T>(array.data(), array.data() + array.size());
        };
        auto strings = [&](const char* name) {
          const auto pair = columns[name].cast<py::tuple>();
          CodedRegister::Strings out;
          out.codes = vector_of(pair[0], std::uint32_t{});
          out.values = pair[1].cast<std::vector<std::string>>();
          return out;
        };
        auto days = [&](const char* name) { return vector_of(columns[name], day_t{}); };
        auto bytes = [&](const char* name) { return vector_of(columns[name], std::uint8_t{}); };
        c.employee_id = strings("employee_id");
        c.position = strings("position");
        c.department = strings("department");
        c.manager_id = strings("manager_id");
        c.birth_date = days("birth_date");
        c.start_date = days("start_date");
        c.end_date = days("end_date");
        c.gender = bytes("gender");
        c.employment_form = bytes("employment_form");
        c.fte = bytes("fte");
        c.end_reason = bytes("end_reason");
        c.recruitment_source = bytes("recruitment_source");
        c.source_row = vector_of(columns["source_row"], std::uint32_t{});
        for (const auto& item : columns["pass_through"].cast<py::list>()) {
          const auto triple = item.cast<py::tuple>();
          CodedRegister::Strings column;
          column.codes = vector_of(triple[1], std::uint32_t{});
          column.values = triple[2].cast<std::vector<std::string>>();
          c.pass_through.emplace_back(triple[0].cast<std::string>(), std::move(column));
        }
        if (extracted_on) c.extracted_on = day_argument(*extracted_on, "extracted_on");
        if (today) c.today = day_argument(*today, "today");
        c.label = label;
        RegisterReadResult result;
        {
          py::gil_scoped_release release;
          result = read_register_coded(c, max_issues);
        }
        return read_result(std::move(result));
      },
      py::arg("columns"), py::arg("extracted_on"), py::arg("label"), py::arg("max_issues") = 10000,
      py::arg("today") = py::none());

  m.def(
      "restore_register",
      [](const py::dict& columns, const py::dict& meta, const py::dict& issues) {
        auto vector_of = [](const py::handle& object, auto tag) {
          using T = decltype(tag);
          const auto array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(object);
          if (!array) throw argument_error("the saved register has a column of the wrong type");
          return std::vector<T>(array.data(), array.data() + array.size());
        };
        auto enums = [&](const char* name, auto tag) {
          using E = decltype(tag);
          const auto raw = vector_of(columns[name], std::uint8_t{});
          std::vector<E> out(raw.size());
          for (std::size_t i = 0; i < raw.size(); ++i) out[i] = static_cast<E>(raw[i]);
          return out;
        };
        SavedRegister saved;
        SpellColumns& s = saved.spells;
        s.person = vector_of(columns["person"], std::uint32_t{});
        s.birth_date = vector_of(columns["birth_date"], day_t{});
        s.gender = enums("gender", Gender{});
        s.employment_form = enums("employment_form", EmploymentForm{});
        s.position = vector_of(columns["position"], std::uint32_t{});
        s.department = vector_of(columns["department"], std::uint32_t{});
        s.fte = vector_of(columns["fte"], std::uint8_t{});
        s.start_date = vector_of(columns["start_date"], day_t{});
        s.end_date = vector_of(columns["end_date"], day_t{});
        s.end_reason = enums("end_reason", EndReason{});
        s.recruitment_source = enums("recruitment_source", RecruitmentSource{});
        s.manager = vector_of(columns["manager"], std::uint32_t{});
        s.source_row = vector_of(columns["source_row"], std::uint32_t{});
        s.start_kind = enums("start_kind", StartKind{});
        s.end_kind = enums("end_kind", EndKind{});
        s.start_partner = vector_of(columns["start_partner"], std::uint32_t{});
        s.end_partner = vector_of(columns["end_partner"], std::uint32_t{});
        s.chain_start = vector_of(columns["chain_start"], day_t{});
        saved.ids = saved_strings(columns["ids"]);
        saved.positions = columns["positions"].cast<std::vector<std::string>>();
        saved.departments = columns["departments"].cast<std::vector<std::string>>();
        for (const auto& item : columns["pass_through"].cast<py::list>()) {
          const auto triple = item.cast<py::tuple>();
          PassThroughColumn column;
          column.name = triple[0].cast<std::string>();
          column.codes = vector_of(triple[1], std::uint32_t{});
          column.dictionary = Dictionary(triple[2].cast<std::vector<std::string>>());
          saved.pass_through.push_back(std::move(column));
        }
        saved.persons = meta["persons"].cast<std::size_t>();
        saved.extracted_on = day_argument(meta["extracted_on"].cast<std::string>(), "extracted_on");
        saved.extracted_on_given = meta["extracted_on_given"].cast<bool>();
        saved.rows_read = meta["rows_read"].cast<std::int64_t>();
        const auto rows = issues["row"].cast<std::vector<std::int64_t>>();
        const auto lines = issues["line"].cast<std::vector<std::int64_t>>();
        const auto texts = [&](const char* name) { return issues[name].cast<std::vector<std::string>>(); };
        const auto file = texts("file"), column = texts("column"), code = texts("code"), message = texts("message");
        const auto severity = texts("severity");
        for (std::size_t i = 0; i < rows.size() && i < lines.size() && i < file.size() && i < column.size() &&
                                i < code.size() && i < message.size() && i < severity.size();
             ++i) {
          saved.issues.add({file[i],
                            rows[i],
                            lines[i],
                            column[i],
                            code[i],
                            message[i],
                            {},
                            severity[i] == "error" ? Severity::error : Severity::warning});
        }
        Register reg;
        {
          py::gil_scoped_release release;
          reg = restore_register(std::move(saved));
        }
        return reg;
      },
      py::arg("columns"), py::arg("meta"), py::arg("issues"));

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
