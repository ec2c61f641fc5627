// Backtests: the register cut at a day, the backtest rows and their summary
// (the rules live in register/cut.hpp and projection/backtest.hpp).
#include "pybind.hpp"

#include <staffcast/projection/backtest.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/register/cut.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

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
        check_backtest(reg, query, options);
        // The run on its own thread; this one watches for Ctrl-C, which cancels it within a second.
        std::atomic<bool> cancel{false};
        options.cancel = &cancel;
        Table rows, summary;
        std::exception_ptr failure;
        std::mutex mutex;
        std::condition_variable finished_cv;
        bool finished = false;
        std::thread runner;
        {
          py::gil_scoped_release release;
          runner = std::thread([&]() {
            try {
              rows = backtest(reg, query, options);
              summary = backtest_summary(rows);
            } catch (...) {
              failure = std::current_exception();
            }
            std::lock_guard<std::mutex> lock(mutex);
            finished = true;
            finished_cv.notify_all();
          });
        }
        for (bool over = false; !over;) {
          {
            py::gil_scoped_release release;
            std::unique_lock<std::mutex> lock(mutex);
            over = finished_cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return finished; });
          }
          if (!over && PyErr_CheckSignals() != 0) {
            cancel = true;
            {
              py::gil_scoped_release release;
              runner.join();
            }
            throw py::error_already_set();
          }
        }
        runner.join();
        if (failure) std::rethrow_exception(failure);
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
