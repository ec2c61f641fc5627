// Cohort engine I: occurrence/exposure rates, Kaplan–Meier tenure curves and
// the transition (Markov) model.
#include "pybind.hpp"

namespace staffcast::bindings {

void register_models(py::module_& m) { (void)m; }

}  // namespace staffcast::bindings
