// The supply-demand gap of a scenario comparison: per year and group, the end
// stock (summed over the output age bands) minus the target demand T_g(t), per
// replicate, then summarised (replicate_summary.hpp). A Total row per year
// (with `totals` and a grouping) summarises each replicate's gap summed over
// the groups in group order. Keys year, <output_by>, measure ("gap"; an
// age_band column reads "Total": the gap is per group); values mean, p5, p50, p95.
#pragma once

#include <staffcast/table.hpp>

#include <cstddef>
#include <vector>

namespace staffcast {

struct ProjectionInputs;
struct RawSimulation;

/// The gap from end stocks laid out [replicate][year][output group] (`replicates` of them).
Table supply_demand_gap(const ProjectionInputs& in, const std::vector<double>& end, std::size_t replicates,
                        bool totals);

/// The gap from a simulation's replicates (their `end` measure).
Table supply_demand_gap(const ProjectionInputs& in, const RawSimulation& raw, bool totals);

}  // namespace staffcast
