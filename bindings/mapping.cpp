// Mappings of real exports: the mapping parser (TOML text, which is also how
// Python sends dicts and keywords) and the date-layout guess of templates.
#include "pybind.hpp"

#include <staffcast/date_format.hpp>
#include <staffcast/io/mapping_file.hpp>

namespace staffcast::bindings {

namespace {

py::object optional_text(const std::optional<std::string>& value) {
  if (!value) return py::none();
  return py::str(*value);
}

py::dict mapping_to_dict(const ReadMapping& m) {
  py::dict out;
  out["columns"] = m.columns;
  out["codes"] = m.codes;
  out["dimensions"] = m.dimensions;
  out["defaults"] = m.defaults;
  out["sep"] = optional_text(m.sep);
  out["decimal"] = optional_text(m.decimal);
  out["encoding"] = optional_text(m.encoding);
  out["date_format"] = m.date_format.empty() ? py::object(py::none()) : py::object(py::cast(m.date_format));
  out["century_pivot"] = m.century_pivot ? py::object(py::int_(*m.century_pivot)) : py::object(py::none());
  out["open_end"] = optional_text(m.open_end);
  out["extracted_on"] = m.extracted_on ? py::object(py::str(format_iso_date(*m.extracted_on))) : py::object(py::none());
  out["trim"] = m.trim ? py::object(py::bool_(*m.trim)) : py::object(py::none());
  return out;
}

}  // namespace

void register_mapping(py::module_& m) {
  m.def(
      "parse_mapping",
      [](const std::string& text, const std::string& label) {
        return mapping_to_dict(parse_mapping_toml(text, label));
      },
      py::arg("text"), py::arg("label") = "<mapping>");
  m.def(
      "read_mapping_file", [](const std::string& path) { return mapping_to_dict(read_mapping_file(path)); },
      py::arg("path"));
  m.def(
      "guess_date_layouts",
      [](const std::vector<std::string>& values, int this_year) {
        const DateLayoutGuess g = guess_date_layouts(values, this_year);
        py::dict out;
        out["layouts"] = g.layouts;
        out["century_pivot"] = g.century_pivot ? py::object(py::int_(*g.century_pivot)) : py::object(py::none());
        out["ambiguous"] = g.ambiguous;
        out["alternative"] = g.alternative;
        return out;
      },
      py::arg("values"), py::arg("this_year"));
  m.def(
      "date_format_check",
      [](const std::vector<std::string>& patterns, const std::optional<int>& century_pivot) {
        return DateFormat(patterns, century_pivot).patterns();
      },
      py::arg("patterns"), py::arg("century_pivot") = py::none());
}

}  // namespace staffcast::bindings
