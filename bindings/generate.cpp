// Synthetic register generator.
#include "pybind.hpp"

#include <staffcast/generate/generate.hpp>

namespace staffcast::bindings {

void register_generate(py::module_& m) {
  m.def(
      "generate",
      [](const std::string& out_dir, std::size_t persons, int years, std::uint64_t seed,
         const std::string& extracted_on, int departments, bool sick_leave, bool indicators) {
        GenerateOptions options;
        options.persons = persons;
        options.years = years;
        options.seed = seed;
        options.extracted_on = day_argument(extracted_on, "extracted_on");
        options.departments = departments;
        options.sick_leave = sick_leave;
        options.indicators = indicators;
        GenerateSummary summary;
        {
          py::gil_scoped_release release;
          summary = generate(out_dir, options);
        }
        py::dict out;
        out["spells"] = summary.spells;
        out["persons_ever"] = summary.persons_ever;
        out["sick_leave_records"] = summary.sick_leave_records;
        out["indicator_rows"] = summary.indicator_rows;
        return out;
      },
      py::arg("out_dir"), py::arg("persons"), py::arg("years"), py::arg("seed"), py::arg("extracted_on"),
      py::arg("departments") = 0, py::arg("sick_leave") = true, py::arg("indicators") = true);
}

}  // namespace staffcast::bindings
