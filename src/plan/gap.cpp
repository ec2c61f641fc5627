// The supply-demand gap of a scenario comparison (see plan/gap.hpp).
#include <staffcast/error.hpp>
#include <staffcast/plan/gap.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/projection/replicate_summary.hpp>

#include <algorithm>
#include <string>

namespace staffcast {

Table supply_demand_gap(const ProjectionInputs& in, const std::vector<double>& end, std::size_t replicates,
                        bool totals) {
  const std::size_t groups = in.groups();
  const std::size_t outputs = in.output_groups();
  const std::size_t bands = groups == 0 ? 1 : outputs / groups;
  const auto years = static_cast<std::size_t>(in.years);
  if (replicates == 0) throw argument_error("no replicates to summarise");
  if (end.size() != replicates * years * outputs) {
    throw argument_error("the end stocks must be [replicate, year, output group] matching the inputs");
  }
  const Eigen::MatrixXd target = target_stocks(in);
  // gap[(y * groups + g) * replicates + r]
  std::vector<double> gap(years * groups * replicates);
  for (std::size_t r = 0; r < replicates; ++r) {
    for (std::size_t y = 0; y < years; ++y) {
      for (std::size_t g = 0; g < groups; ++g) {
        double stock = 0;
        for (std::size_t b = 0; b < bands; ++b) stock += end[(r * years + y) * outputs + g * bands + b];
        gap[(y * groups + g) * replicates + r] =
            stock - target(static_cast<Eigen::Index>(y), static_cast<Eigen::Index>(g));
      }
    }
  }
  Table table;
  table.key_names.push_back("year");
  for (const std::string& name : in.output_by) table.key_names.push_back(name);
  table.key_names.push_back("measure");
  table.keys.assign(table.key_names.size(), {});
  table.values = {{"mean", ValueKind::number, {}},
                  {"p5", ValueKind::number, {}},
                  {"p50", ValueKind::number, {}},
                  {"p95", ValueKind::number, {}}};
  auto add = [&](std::size_t y, const std::vector<std::string>& labels, std::vector<double> values) {
    table.keys[0].push_back(std::to_string(in.base_year + static_cast<int>(y) + 1));
    for (std::size_t k = 0; k < labels.size(); ++k) table.keys[1 + k].push_back(labels[k]);
    table.keys.back().push_back("gap");
    const ReplicateSummary s = summarise_replicates(std::move(values));
    table.values[0].values.push_back(s.mean);
    table.values[1].values.push_back(s.p5);
    table.values[2].values.push_back(s.p50);
    table.values[3].values.push_back(s.p95);
  };
  // The group's label in each output column; a column that is no dimension (age_band) reads Total.
  std::vector<std::vector<std::string>> labels(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    for (const std::string& column : in.output_by) {
      const auto k = std::find(in.dimensions.begin(), in.dimensions.end(), column) - in.dimensions.begin();
      labels[g].push_back(k < static_cast<std::ptrdiff_t>(in.dimensions.size())
                              ? in.group_labels[g][static_cast<std::size_t>(k)]
                              : std::string("Total"));
    }
  }
  for (std::size_t y = 0; y < years; ++y) {
    for (std::size_t g = 0; g < groups; ++g) {
      const double* cell = gap.data() + (y * groups + g) * replicates;
      add(y, labels[g], std::vector<double>(cell, cell + replicates));
    }
  }
  if (totals && !in.output_by.empty()) {
    std::vector<std::string> total_labels(in.output_by.size());
    total_labels[0] = "Total";
    for (std::size_t y = 0; y < years; ++y) {
      std::vector<double> values(replicates, 0.0);
      for (std::size_t g = 0; g < groups; ++g) {  // group-code order, as the engine's Total rows
        for (std::size_t r = 0; r < replicates; ++r) values[r] = values[r] + gap[(y * groups + g) * replicates + r];
      }
      add(y, total_labels, std::move(values));
    }
  }
  return table;
}

Table supply_demand_gap(const ProjectionInputs& in, const RawSimulation& raw, bool totals) {
  if (raw.years != static_cast<std::size_t>(in.years) || raw.output_groups != in.output_groups()) {
    throw argument_error("the raw array does not match the inputs' years and groups");
  }
  std::vector<double> end(raw.replicates * raw.years * raw.output_groups);
  for (std::size_t r = 0; r < raw.replicates; ++r) {
    for (std::size_t y = 0; y < raw.years; ++y) {
      for (std::size_t o = 0; o < raw.output_groups; ++o) {
        end[(r * raw.years + y) * raw.output_groups + o] = raw.at(r, y, o, m_end);
      }
    }
  }
  return supply_demand_gap(in, end, raw.replicates, totals);
}

}  // namespace staffcast
