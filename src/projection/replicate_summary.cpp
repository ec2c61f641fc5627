// The summary of replicated values (see replicate_summary.hpp).
#include <staffcast/error.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/projection/replicate_summary.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace staffcast {

double numpy_linear_percentile(const std::vector<double>& sorted, double q) {
  const std::size_t n = sorted.size();
  const double index = static_cast<double>(n - 1) * q;
  if (index >= static_cast<double>(n - 1)) return sorted[n - 1];
  const double below = std::floor(index);
  const auto i = static_cast<std::size_t>(below);
  const double gamma = index - below;
  const double a = sorted[i], b = sorted[i + 1];
  const double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

ReplicateSummary summarise_replicates(std::vector<double> values) {
  if (values.empty()) throw argument_error("no replicates to summarise");
  double sum = 0;
  for (double v : values) sum += v;
  ReplicateSummary out;
  out.mean = sum / static_cast<double>(values.size());
  std::sort(values.begin(), values.end());
  out.p5 = numpy_linear_percentile(values, 5.0 / 100.0);
  out.p50 = numpy_linear_percentile(values, 50.0 / 100.0);
  out.p95 = numpy_linear_percentile(values, 95.0 / 100.0);
  return out;
}

Table summarise_totals(const ProjectionInputs& in, const RawSimulation& raw) {
  if (raw.replicates == 0) throw argument_error("no replicates to summarise");
  if (raw.years != static_cast<std::size_t>(in.years) || raw.output_groups != in.output_groups()) {
    throw argument_error("the raw array does not match the inputs' years and groups");
  }
  Table table;
  table.key_names = {"year", "measure"};
  table.keys.assign(2, {});
  table.values = {{"mean", ValueKind::number, {}},
                  {"p5", ValueKind::number, {}},
                  {"p50", ValueKind::number, {}},
                  {"p95", ValueKind::number, {}}};
  const auto& names = projection_measures();
  std::vector<double> values(raw.replicates);
  for (std::size_t y = 0; y < raw.years; ++y) {
    for (std::size_t m = 0; m < projection_measure_count; ++m) {
      for (std::size_t r = 0; r < raw.replicates; ++r) {
        double sum = 0;
        for (std::size_t o = 0; o < raw.output_groups; ++o) sum += raw.at(r, y, o, m);
        values[r] = sum;
      }
      const ReplicateSummary s = summarise_replicates(values);
      table.keys[0].push_back(std::to_string(in.base_year + static_cast<int>(y) + 1));
      table.keys[1].push_back(names[m]);
      table.values[0].values.push_back(s.mean);
      table.values[1].values.push_back(s.p5);
      table.values[2].values.push_back(s.p50);
      table.values[3].values.push_back(s.p95);
    }
  }
  return table;
}

}  // namespace staffcast
