// staffcast._core: the compiled core. Private; use the `staffcast` package.
#include "pybind.hpp"

#include <staffcast/error.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/version.hpp>

PYBIND11_MODULE(_core, m) {
  m.doc() = "staffcast compiled core (private; use the staffcast package)";
  m.attr("__version__") = STAFFCAST_VERSION;
  py::register_exception<staffcast::error>(m, "StaffcastError", PyExc_RuntimeError);
  py::register_exception<staffcast::argument_error>(m, "ArgumentError", PyExc_ValueError);
  py::register_exception<staffcast::unavailable_error>(m, "UnavailableError", m.attr("ArgumentError"));
  py::register_exception<staffcast::io_error>(m, "IOError", PyExc_OSError);
  staffcast::bindings::register_register(m);
  staffcast::bindings::register_tables(m);
  staffcast::bindings::register_mapping(m);
  staffcast::bindings::register_generate(m);
  staffcast::bindings::register_statistics(m);
  staffcast::bindings::register_models(m);
  staffcast::bindings::register_comparisons(m);
  staffcast::bindings::register_projection(m);
  staffcast::bindings::register_scenario(m);
  staffcast::bindings::register_plan(m);
  staffcast::bindings::register_optimise(m);
  staffcast::bindings::register_backtest(m);
}
