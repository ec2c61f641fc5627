// The deterministic cohort model (docs/models.md): the
// expectation of the microsimulation's yearly steps over cells group ×
// birth_year × fte holding fractional counts.
#pragma once

#include <staffcast/projection/projection.hpp>
#include <staffcast/table.hpp>

#include <cstddef>
#include <vector>

namespace staffcast {

/// Per year and output group, the measures of projection_measures(); values
/// laid out [year][output group][measure].
struct ProjectionResult {
  std::size_t years = 0;
  std::size_t output_groups = 0;
  std::vector<double> values;

  [[nodiscard]] double at(std::size_t year, std::size_t group, std::size_t measure) const {
    return values[(year * output_groups + group) * projection_measure_count + measure];
  }
  double& at(std::size_t year, std::size_t group, std::size_t measure) {
    return values[(year * output_groups + group) * projection_measure_count + measure];
  }
};

/// Runs the cohort model over in.years years.
///
/// For each cell (g, birth_year, fte) with count c at the start of year t and
/// x = base_year + t − birth_year: retirements c·q_r (q_r = 1 above upper),
/// other exits c·(1 − q_r)·q_other(g, band(x)), the stayers c·(1 − q_r −
/// (1 − q_r)·q_other) move to h with M(g, h) and part-timers (fte 1..99) move
/// to fte 100 with share s; then recruits r_g = max(0, T_g(t) − stock_g) (0 in a
/// freeze year or with an empty pool) join spread evenly over the group's pool.
ProjectionResult cohort_projection(const ProjectionInputs& in);

/// A projection result as a table: key columns <output_by>, year (the calendar
/// year), then the measures; with `totals`, a Total row per year (sum over groups).
Table projection_table(const ProjectionInputs& in, const ProjectionResult& result, bool totals = false);

}  // namespace staffcast
