// Current-state statistics: snapshot, flows, turnover, sick leave, full time,
// indicators follow-up and the retirement outlook.
#include "pybind.hpp"

#include <staffcast/stats/disclosure.hpp>
#include <staffcast/stats/flows.hpp>
#include <staffcast/stats/indicator_followup.hpp>
#include <staffcast/stats/recruitment_need.hpp>
#include <staffcast/stats/retirement.hpp>
#include <staffcast/stats/sick_leave_rates.hpp>
#include <staffcast/stats/snapshot.hpp>
#include <staffcast/stats/turnover.hpp>

#include <string_view>
#include <unordered_map>

namespace staffcast::bindings {

namespace {

const char* kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::count:
      return "count";
    case ValueKind::fte:
      return "fte";
    case ValueKind::age:
      return "age";
    case ValueKind::rate:
      return "rate";
    case ValueKind::number:
      return "number";
    case ValueKind::flag:
      return "flag";
  }
  return "number";
}

}  // namespace

namespace {

/// A key column as (codes, labels): labels[codes[r]] is row r's label, each
/// distinct label made into a Python string once (a result of 50,000 rows has
/// a few thousand distinct labels, so this is most of the cost of handing
/// the table over). Rows come sorted, so a label often repeats the previous row's.
py::tuple coded_key_column(const std::vector<std::string>& column) {
  py::array_t<std::uint32_t> codes(static_cast<py::ssize_t>(column.size()));
  std::uint32_t* code = codes.mutable_data();
  std::vector<const std::string*> distinct;
  std::unordered_map<std::string_view, std::uint32_t> index;
  for (std::size_t r = 0; r < column.size(); ++r) {
    if (r > 0 && column[r] == column[r - 1]) {
      code[r] = code[r - 1];
      continue;
    }
    const auto [it, inserted] = index.emplace(column[r], static_cast<std::uint32_t>(distinct.size()));
    if (inserted) distinct.push_back(&column[r]);
    code[r] = it->second;
  }
  py::list labels(distinct.size());
  for (std::size_t i = 0; i < distinct.size(); ++i) labels[i] = py::str(*distinct[i]);
  return py::make_tuple(std::move(codes), std::move(labels));
}

}  // namespace

/// A table as {"keys": [(name, codes, labels)], "values": [(name, kind, array)], "suppressed": [...] or
/// None}, where a key column's label in row r is labels[codes[r]].
py::dict table_to_dict(const Table& table) {
  py::list keys, values;
  const bool coded_already = table.has_key_codes();
  for (std::size_t k = 0; k < table.key_names.size(); ++k) {
    if (coded_already) {  // the kernel's own codes: no label is looked up again
      keys.append(py::make_tuple(table.key_names[k], to_numpy(table.key_codes[k]), py::cast(table.key_labels[k])));
      continue;
    }
    const py::tuple coded = coded_key_column(table.keys[k]);
    keys.append(py::make_tuple(table.key_names[k], coded[0], coded[1]));
  }
  for (const ValueColumn& column : table.values) {
    values.append(py::make_tuple(column.name, kind_name(column.kind), to_numpy(column.values)));
  }
  py::dict out;
  out["keys"] = keys;
  out["values"] = values;
  out["suppressed"] = table.suppressed.empty() ? py::object(py::none()) : py::cast(table.suppressed);
  return out;
}

Query make_query(const Register& reg, const std::vector<std::string>& by,
                 const std::map<std::string, std::vector<std::string>>& filters, bool totals,
                 const py::object& age_bands, const std::optional<std::string>& extracted_on) {
  Query q;
  q.by = GroupBy::parse(reg, by);
  if (!age_bands.is_none()) {
    if (py::isinstance<py::str>(age_bands)) {
      const auto name = age_bands.cast<std::string>();
      if (name == "statutory") {
        q.by.age_bands = statutory_age_bands();
      } else if (name != "default") {
        throw argument_error("age_bands must be 'default', 'statutory' or a list of edges");
      }
    } else {
      q.by.age_bands = Bands::from_edges(age_bands.cast<std::vector<int>>());
    }
  }
  q.filter = Filter::parse(reg, filters);
  q.totals = totals;
  if (extracted_on) q.extracted_on = day_argument(*extracted_on, "extracted_on");
  return q;
}

void register_statistics(py::module_& m) {
  using Filters = std::map<std::string, std::vector<std::string>>;
#define STAFFCAST_QUERY_ARGS                                                                       \
  py::arg("by"), py::arg("filters"), py::arg("totals") = false, py::arg("age_bands") = py::none(), \
                                     py::arg("extracted_on") = py::none()

  // Tables on one day: snapshot and full time.
  auto day_table = [&m](const char* name, auto compute) {
    m.def(
        name,
        [compute](const Register& reg, const std::string& as_of, const std::vector<std::string>& by,
                  const Filters& filters, bool totals, const py::object& age_bands,
                  const std::optional<std::string>& extracted_on) {
          const Query q = make_query(reg, by, filters, totals, age_bands, extracted_on);
          const day_t day = day_argument(as_of, "as_of");
          Table t;
          {
            py::gil_scoped_release release;
            t = compute(reg, day, q);
          }
          return table_to_dict(t);
        },
        py::arg("register"), py::arg("as_of"), STAFFCAST_QUERY_ARGS);
  };
  day_table("snapshot", [](const Register& r, day_t d, const Query& q) { return snapshot(r, d, q); });
  day_table("full_time", [](const Register& r, day_t d, const Query& q) { return full_time(r, d, q); });

  auto period_table = [&m](const char* name, auto compute) {
    m.def(
        name,
        [compute](const Register& reg, const std::string& start, const std::string& end,
                  const std::vector<std::string>& by, const Filters& filters, bool totals, const py::object& age_bands,
                  const std::optional<std::string>& extracted_on) {
          const Query q = make_query(reg, by, filters, totals, age_bands, extracted_on);
          const day_t from = day_argument(start, "start");
          const day_t to = day_argument(end, "end");
          Table t;
          {
            py::gil_scoped_release release;
            t = compute(reg, from, to, q);
          }
          return table_to_dict(t);
        },
        py::arg("register"), py::arg("start"), py::arg("end"), STAFFCAST_QUERY_ARGS);
  };
  period_table("flows", [](const Register& r, day_t a, day_t b, const Query& q) { return flows(r, a, b, q); });
  period_table("departures_by_reason",
               [](const Register& r, day_t a, day_t b, const Query& q) { return departures_by_reason(r, a, b, q); });
  period_table("recruitments_by_source",
               [](const Register& r, day_t a, day_t b, const Query& q) { return recruitments_by_source(r, a, b, q); });
  period_table("average_headcount",
               [](const Register& r, day_t a, day_t b, const Query& q) { return average_headcount(r, a, b, q); });

  m.def(
      "turnover",
      [](const Register& reg, const std::string& start, const std::string& end, const std::vector<std::string>& by,
         const Filters& filters, bool totals, const py::object& age_bands,
         const std::optional<std::string>& extracted_on, const std::string& definition,
         const std::vector<std::string>& exclude_reasons, const std::string& scope, bool annualise) {
        const Query q = make_query(reg, by, filters, totals, age_bands, extracted_on);
        TurnoverOptions options;
        options.definition = parse_turnover_definition(definition);
        options.exclude_reasons = parse_end_reasons(exclude_reasons);
        options.employer_scope = parse_turnover_scope(scope) == TurnoverScope::employer;
        options.annualise = annualise;
        const day_t from = day_argument(start, "start");
        const day_t to = day_argument(end, "end");
        Table t;
        {
          py::gil_scoped_release release;
          t = turnover(reg, from, to, q, options);
        }
        return table_to_dict(t);
      },
      py::arg("register"), py::arg("start"), py::arg("end"), STAFFCAST_QUERY_ARGS, py::arg("definition") = "municipal",
      py::arg("exclude_reasons") = std::vector<std::string>(), py::arg("scope") = "administration",
      py::arg("annualise") = false);

  m.def(
      "sick_leave_rates",
      [](const Register& reg, const SickLeave& sick, const std::string& start, const std::string& end,
         const std::vector<std::string>& by, const Filters& filters, bool totals, const py::object& age_bands,
         const std::optional<std::string>& extracted_on, int min_group, bool suppress) {
        const Query q = make_query(reg, by, filters, totals, age_bands, extracted_on);
        SickLeaveRateOptions options;
        options.min_group = min_group;
        options.disclosure_control = suppress;
        const day_t from = day_argument(start, "start");
        const day_t to = day_argument(end, "end");
        Table t;
        {
          py::gil_scoped_release release;
          t = sick_leave_rates(reg, sick, from, to, q, options);
        }
        return table_to_dict(t);
      },
      py::arg("register"), py::arg("sick_leave"), py::arg("start"), py::arg("end"), STAFFCAST_QUERY_ARGS,
      py::arg("min_group") = 10, py::arg("suppress") = true);

  m.def(
      "retirement_outlook",
      [](const Register& reg, const std::string& as_of, const std::vector<int>& years, int age,
         const std::vector<std::string>& by, const Filters& filters, bool totals, const py::object& age_bands,
         const std::optional<std::string>& extracted_on) {
        const Query q = make_query(reg, by, filters, totals, age_bands, extracted_on);
        const day_t day = day_argument(as_of, "as_of");
        Table t;
        {
          py::gil_scoped_release release;
          t = retirement_outlook(reg, day, years, age, q);
        }
        return table_to_dict(t);
      },
      py::arg("register"), py::arg("as_of"), py::arg("years"), py::arg("age"), STAFFCAST_QUERY_ARGS);

  m.def(
      "retirement_probabilities",
      [](const Register& reg, const std::string& start, const std::string& end, int age, int upper,
         const Filters& filters, const std::optional<std::string>& extracted_on) {
        const Query q = make_query(reg, {}, filters, false, py::none(), extracted_on);
        RetirementProbabilities p;
        const day_t from = day_argument(start, "start");
        const day_t to = day_argument(end, "end");
        {
          py::gil_scoped_release release;
          p = estimate_retirement_probabilities(reg, from, to, age, upper, q);
        }
        py::dict out;
        out["from_age"] = p.from_age;
        out["q"] = p.q;
        out["retirements"] = p.retirements;
        out["person_years"] = p.person_years;
        return out;
      },
      py::arg("register"), py::arg("start"), py::arg("end"), py::arg("age"), py::arg("upper"), py::arg("filters"),
      py::arg("extracted_on") = py::none());

  m.def(
      "probabilistic_retirement_outlook",
      [](const Register& reg, const std::string& as_of, const std::vector<int>& years, int from_age,
         const std::vector<double>& q, const std::vector<std::string>& by, const Filters& filters, bool totals,
         const py::object& age_bands, const std::optional<std::string>& extracted_on) {
        const Query query = make_query(reg, by, filters, totals, age_bands, extracted_on);
        const RetirementProbabilities p = RetirementProbabilities::given(from_age, q);
        const day_t day = day_argument(as_of, "as_of");
        Table t;
        {
          py::gil_scoped_release release;
          t = probabilistic_retirement_outlook(reg, day, years, p, query);
        }
        return table_to_dict(t);
      },
      py::arg("register"), py::arg("as_of"), py::arg("years"), py::arg("from_age"), py::arg("q"), STAFFCAST_QUERY_ARGS);

  m.def(
      "recruitment_need",
      [](const Register& reg, const std::string& as_of, const std::vector<int>& years, int from_age,
         const std::vector<double>& q, int shift, double separation_factor, double growth,
         const std::string& rates_start, const std::string& rates_end, const std::vector<std::string>& by,
         const Filters& filters, bool totals, const py::object& age_bands,
         const std::optional<std::string>& extracted_on) {
        const Query query = make_query(reg, by, filters, totals, age_bands, extracted_on);
        RecruitmentNeedOptions options;
        options.years = years;
        options.probabilities = RetirementProbabilities::given(from_age, q);
        options.retirement_age_shift = shift;
        options.separation_factor = separation_factor;
        options.growth = growth;
        options.rates_from = day_argument(rates_start, "rates_start");
        options.rates_to = day_argument(rates_end, "rates_end");
        const day_t day = day_argument(as_of, "as_of");
        Table t;
        {
          py::gil_scoped_release release;
          t = recruitment_need(reg, day, options, query);
        }
        return table_to_dict(t);
      },
      py::arg("register"), py::arg("as_of"), py::arg("years"), py::arg("from_age"), py::arg("q"), py::arg("shift"),
      py::arg("separation_factor"), py::arg("growth"), py::arg("rates_start"), py::arg("rates_end"),
      STAFFCAST_QUERY_ARGS);

  m.def(
      "suppress_cells",
      [](std::size_t rows, std::size_t columns, const std::vector<double>& counts,
         const std::vector<std::uint8_t>& totals, long row_total, int min_count, std::size_t node_limit,
         const std::vector<std::uint8_t>& fixed) {
        CountGrid grid;
        grid.rows = rows;
        grid.columns = columns;
        grid.counts = counts;
        grid.totals = totals;
        grid.row_total = row_total;
        grid.fixed = fixed;
        CellSuppression s;
        {
          py::gil_scoped_release release;
          s = suppress_cells(grid, min_count, node_limit);
        }
        py::dict out;
        out["hidden"] = to_numpy(s.hidden);
        out["primary"] = to_numpy(s.primary);
        out["rates_hidden"] = to_numpy(s.rates_hidden);
        out["group_hidden"] = to_numpy(s.group_hidden);
        out["primary_cells"] = s.primary_cells;
        out["secondary_cells"] = s.secondary_cells;
        out["secondary_persons"] = s.secondary_persons;
        out["optimal"] = s.optimal;
        return out;
      },
      py::arg("rows"), py::arg("columns"), py::arg("counts"), py::arg("totals"), py::arg("row_total"),
      py::arg("min_count"), py::arg("node_limit") = 2000000, py::arg("fixed") = std::vector<std::uint8_t>{});

  m.def(
      "indicator_followup",
      [](const Indicators& ind, bool previous_year) { return table_to_dict(indicator_followup(ind, previous_year)); },
      py::arg("indicators"), py::arg("previous_year") = false);
#undef STAFFCAST_QUERY_ARGS
}

}  // namespace staffcast::bindings
