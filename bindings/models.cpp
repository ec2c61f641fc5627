// Cohort engine I: occurrence/exposure rates, Kaplan–Meier tenure curves and
// the transition (Markov) model.
#include "pybind.hpp"

#include <pybind11/eigen.h>

#include <staffcast/models/kaplan_meier.hpp>
#include <staffcast/models/rates.hpp>
#include <staffcast/models/transition.hpp>

#include <optional>

namespace staffcast::bindings {

namespace {

using Filters = std::map<std::string, std::vector<std::string>>;

KaplanMeierOptions km_options(const std::string& ci, double conf_level) {
  KaplanMeierOptions options;
  options.ci = parse_confidence_type(ci);
  options.conf_level = conf_level;
  return options;
}

/// Curves as {"group": codes, "time": ..., ...} plus per-group medians.
py::dict curves_to_dict(const std::vector<SurvivalCurve>& curves) {
  std::vector<std::uint32_t> group;
  std::vector<double> time, at_risk, events, survival, lower, upper;
  std::vector<double> observations, total_events, median, median_lower, median_upper;
  for (std::size_t g = 0; g < curves.size(); ++g) {
    const SurvivalCurve& c = curves[g];
    group.insert(group.end(), c.time.size(), static_cast<std::uint32_t>(g));
    time.insert(time.end(), c.time.begin(), c.time.end());
    at_risk.insert(at_risk.end(), c.at_risk.begin(), c.at_risk.end());
    events.insert(events.end(), c.events.begin(), c.events.end());
    survival.insert(survival.end(), c.survival.begin(), c.survival.end());
    lower.insert(lower.end(), c.lower.begin(), c.lower.end());
    upper.insert(upper.end(), c.upper.begin(), c.upper.end());
    observations.push_back(static_cast<double>(c.observations));
    total_events.push_back(c.total_events);
    median.push_back(c.median);
    median_lower.push_back(c.median_lower);
    median_upper.push_back(c.median_upper);
  }
  py::dict out;
  out["group"] = to_numpy(group);
  out["time"] = to_numpy(time);
  out["at_risk"] = to_numpy(at_risk);
  out["events"] = to_numpy(events);
  out["survival"] = to_numpy(survival);
  out["lower"] = to_numpy(lower);
  out["upper"] = to_numpy(upper);
  out["observations"] = to_numpy(observations);
  out["total_events"] = to_numpy(total_events);
  out["median"] = to_numpy(median);
  out["median_lower"] = to_numpy(median_lower);
  out["median_upper"] = to_numpy(median_upper);
  return out;
}

template <class T>
std::vector<T> vector_of(const py::array_t<T, py::array::c_style | py::array::forcecast>& a) {
  if (a.ndim() != 1) throw argument_error("expected a one-dimensional array");
  return std::vector<T>(a.data(), a.data() + a.size());
}

}  // namespace

void register_models(py::module_& m) {
#define STAFFCAST_QUERY_ARGS                                                                       \
  py::arg("by"), py::arg("filters"), py::arg("totals") = false, py::arg("age_bands") = py::none(), \
                                     py::arg("extracted_on") = py::none()

  m.def(
      "poisson_rate_interval",
      [](double events, double exposure, double conf_level) {
        const RateInterval ci = poisson_rate_interval(events, exposure, conf_level);
        return py::make_tuple(ci.lower, ci.upper);
      },
      py::arg("events"), py::arg("exposure"), py::arg("conf_level") = 0.95);

  m.def(
      "exit_rates",
      [](const Register& reg, const std::string& start, const std::string& end, const std::vector<std::string>& by,
         const Filters& filters, bool totals, const py::object& age_bands,
         const std::optional<std::string>& extracted_on, double conf_level, bool by_reason,
         const std::vector<std::string>& reasons, const std::string& events) {
        const Query q = make_query(reg, by, filters, totals, age_bands, extracted_on);
        ExitRateOptions options;
        options.conf_level = conf_level;
        options.by_reason = by_reason;
        options.reasons = parse_end_reasons(reasons);
        options.events = parse_rate_events(events);
        const day_t from = day_argument(start, "start");
        const day_t to = day_argument(end, "end");
        Table t;
        {
          py::gil_scoped_release release;
          t = exit_rates(reg, from, to, q, options);
        }
        return table_to_dict(t);
      },
      py::arg("register"), py::arg("start"), py::arg("end"), STAFFCAST_QUERY_ARGS, py::arg("conf_level") = 0.95,
      py::arg("by_reason") = false, py::arg("reasons") = std::vector<std::string>(), py::arg("events") = "departures");

  m.def(
      "kaplan_meier",
      [](const py::array_t<double, py::array::c_style | py::array::forcecast>& durations,
         const py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>& events,
         const std::optional<py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>>& groups,
         std::size_t n_groups,
         const std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>>& entry,
         const std::string& ci, double conf_level) {
        SurvivalData data;
        data.duration = vector_of(durations);
        data.event = vector_of(events);
        if (groups) data.group = vector_of(*groups);
        data.groups = n_groups;
        if (entry) data.entry = vector_of(*entry);
        const KaplanMeierOptions options = km_options(ci, conf_level);
        std::vector<SurvivalCurve> curves;
        {
          py::gil_scoped_release release;
          curves = kaplan_meier(data, options);
        }
        return curves_to_dict(curves);
      },
      py::arg("durations"), py::arg("events"), py::arg("groups"), py::arg("n_groups"), py::arg("entry"),
      py::arg("ci") = "log", py::arg("conf_level") = 0.95);

  m.def(
      "tenure_curves",
      [](const Register& reg, const std::optional<std::string>& start, const std::optional<std::string>& end,
         const std::vector<std::string>& by, const Filters& filters, bool totals, const py::object& age_bands,
         const std::optional<std::string>& extracted_on, const std::string& ci, double conf_level) {
        const Query q = make_query(reg, by, filters, totals, age_bands, extracted_on);
        const KaplanMeierOptions options = km_options(ci, conf_level);
        const day_t from =
            start ? day_argument(*start, "start") : reg.earliest_observed_end().value_or(reg.earliest_start());
        const day_t to = end ? day_argument(*end, "end") : detail::extraction_day(reg, q);
        TenureCurves t;
        {
          py::gil_scoped_release release;
          t = tenure_curves(reg, from, to, q, options);
        }
        py::dict out;
        out["curves"] = table_to_dict(t.curves);
        out["medians"] = table_to_dict(t.medians);
        out["start"] = format_iso_date(from);
        out["end"] = format_iso_date(to);
        return out;
      },
      py::arg("register"), py::arg("start"), py::arg("end"), STAFFCAST_QUERY_ARGS, py::arg("ci") = "log",
      py::arg("conf_level") = 0.95);

  m.def(
      "tenure_observations",
      [](const Register& reg, const std::optional<std::string>& start, const std::optional<std::string>& end,
         const std::vector<std::string>& by, const Filters& filters, bool totals, const py::object& age_bands,
         const std::optional<std::string>& extracted_on) {
        const Query q = make_query(reg, by, filters, totals, age_bands, extracted_on);
        const day_t from =
            start ? day_argument(*start, "start") : reg.earliest_observed_end().value_or(reg.earliest_start());
        const day_t to = end ? day_argument(*end, "end") : detail::extraction_day(reg, q);
        TenureObservations obs;
        {
          py::gil_scoped_release release;
          obs = tenure_observations(reg, from, to, q);
        }
        py::dict out;
        out["key_names"] = obs.key_names;
        out["labels"] = obs.labels;
        out["group"] = to_numpy(obs.data.group);
        out["entry"] = to_numpy(obs.data.entry);
        out["duration"] = to_numpy(obs.data.duration);
        out["event"] = to_numpy(obs.data.event);
        out["start"] = format_iso_date(from);
        out["end"] = format_iso_date(to);
        return out;
      },
      py::arg("register"), py::arg("start"), py::arg("end"), STAFFCAST_QUERY_ARGS);

  py::class_<TransitionModel>(m, "TransitionModel")
      .def(py::init<std::vector<std::string>, Eigen::MatrixXd>(), py::arg("states"), py::arg("P"))
      .def_property_readonly("states", &TransitionModel::states)
      .def_property_readonly("matrix", &TransitionModel::matrix)
      .def_property_readonly("exit_probabilities", &TransitionModel::exit_probabilities)
      .def_property_readonly("transient", &TransitionModel::transient)
      .def("fundamental_matrix", &TransitionModel::fundamental_matrix)
      .def("expected_tenure", py::overload_cast<const std::string&>(&TransitionModel::expected_tenure, py::const_),
           py::arg("state"))
      .def("reach_probability",
           py::overload_cast<const std::string&, const std::string&>(&TransitionModel::reach_probability, py::const_),
           py::arg("from_state"), py::arg("to_state"))
      .def("steady_state", &TransitionModel::steady_state, py::arg("recruits"))
      .def(
          "project",
          [](const TransitionModel& model, const Eigen::VectorXd& stocks, int years, const std::string& recruitment,
             const std::optional<Eigen::VectorXd>& values) {
            const TransitionProjection p = model.project(stocks, years, Recruitment::parse(recruitment, values));
            py::dict out;
            out["year"] = to_numpy(p.year);
            out["state"] = to_numpy(p.state);
            out["start"] = to_numpy(p.start);
            out["exits"] = to_numpy(p.exits);
            out["moves_out"] = to_numpy(p.moves_out);
            out["moves_in"] = to_numpy(p.moves_in);
            out["recruits"] = to_numpy(p.recruits);
            out["end"] = to_numpy(p.end);
            return out;
          },
          py::arg("stocks"), py::arg("years"), py::arg("recruitment") = "none", py::arg("values") = py::none());

  m.def(
      "estimate_transitions",
      [](const Register& reg, const std::string& start, const std::string& end, const std::vector<std::string>& states,
         const Filters& filters, const py::object& age_bands, const std::optional<std::string>& extracted_on) {
        const Query q = make_query(reg, states, filters, false, age_bands, extracted_on);
        const day_t from = day_argument(start, "start");
        const day_t to = day_argument(end, "end");
        TransitionEstimate e;
        {
          py::gil_scoped_release release;
          e = estimate_transitions(reg, from, to, q);
        }
        py::dict out;
        out["states"] = e.states;
        out["persons"] = e.persons;
        out["counts"] = e.counts;
        out["exits"] = e.exits;
        out["P"] = e.p;
        return out;
      },
      py::arg("register"), py::arg("start"), py::arg("end"), py::arg("states"), py::arg("filters"),
      py::arg("age_bands") = py::none(), py::arg("extracted_on") = py::none());
#undef STAFFCAST_QUERY_ARGS
}

}  // namespace staffcast::bindings
