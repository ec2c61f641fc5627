// The summary of replicated values, written once: the microsimulation's
// tables (microsim.hpp `summarise`), the totals of a simulation and the
// scenario comparison's gap all summarise this way.
//
//   mean           the sum in replicate order, divided by the count
//   p5, p50, p95   numpy's default ("linear") percentiles
#pragma once

#include <staffcast/table.hpp>

#include <vector>

namespace staffcast {

struct ProjectionInputs;
struct RawSimulation;

struct ReplicateSummary {
  double mean = 0;
  double p5 = 0;
  double p50 = 0;
  double p95 = 0;
};

/// Summarises the values of one cell over the replicates (sorts `values`);
/// argument_error when there are none.
ReplicateSummary summarise_replicates(std::vector<double> values);

/// numpy's default ("linear") percentile of sorted values, with numpy's lerp:
/// virtual index (n - 1) q, a + (b - a) g, or b - (b - a)(1 - g) when g >= 0.5.
double numpy_linear_percentile(const std::vector<double>& sorted, double q);

/// Per year and measure: the summary of each replicate's sum over every output
/// group (summed in group order). Keys year, measure; values mean, p5, p50, p95.
Table summarise_totals(const ProjectionInputs& in, const RawSimulation& raw);

}  // namespace staffcast
