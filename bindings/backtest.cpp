// Backtests: the register cut at a day, the backtest rows and their summary
// (the rules live in register/cut.hpp and projection/backtest.hpp).
#include "pybind.hpp"

#include <staffcast/projection/backtest.hpp>
#include <staffcast/register/cut.hpp>

namespace staffcast::bindings {

void register_backtest(py::module_& m) {
  using Filters = std::map<std::string, std::vector<std::string>>;
  m.def(
      "cut_register",
      [](const Register& reg, const std::string& cut) {
        const day_t day = day_argument(cut, "cut");
        py::gil_scoped_release release;
        return cut_register(reg, day);
      },
      py::arg("register"), py::arg("cut"),
      "The register as if extracted on `cut`: later spells dropped, later ends erased, extracted_on = cut.");

  m.attr("backtest_models") = backtest_model_names();
  m.def(
      "parse_backtest_origins", [](const std::string& text) { return parse_backtest_origins(text); }, py::arg("text"),
      "(first, last) from \"Y\" or \"Y1-Y2\"; ArgumentError otherwise.");
  m.def(
      "backtest_origins",
      [](const Register& reg, const std::vector<std::string>& models) {
        return py::make_tuple(first_backtest_origin(reg, parse_backtest_models(models)), last_backtest_origin(reg));
      },
      py::arg("register"), py::arg("models"),
      "(first, last): the origins the register's history allows for these models.");

  m.def(
      "backtest",
      [](const Register& reg, int first_origin, int last_origin, int horizon, const std::vector<std::string>& models,
         std::size_t replicates, std::uint64_t seed, unsigned threads, const std::vector<std::string>& by,
         const Filters& filters) {
        BacktestOptions options;
        options.first_origin = first_origin;
        options.last_origin = last_origin;
        options.horizon = horizon;
        options.models = parse_backtest_models(models);
        options.replicates = replicates;
        options.seed = seed;
        options.threads = threads;
        const Query query = make_query(reg, by, filters, false, py::none(), std::nullopt);
        Table rows, summary;
        {
          py::gil_scoped_release release;
          rows = backtest(reg, query, options);
          summary = backtest_summary(rows);
        }
        py::dict out;
        out["rows"] = table_to_dict(rows);
        out["summary"] = table_to_dict(summary);
        return out;
      },
      py::arg("register"), py::arg("first_origin"), py::arg("last_origin"), py::arg("horizon"), py::arg("models"),
      py::arg("replicates"), py::arg("seed"), py::arg("threads"), py::arg("by"), py::arg("filters"),
      "{'rows': table, 'summary': table}: the backtest rows and their summary per model and horizon.");
}

}  // namespace staffcast::bindings
