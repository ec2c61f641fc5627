// The microsimulation (docs/models.md): every person of the
// population and every recruit goes through the cohort model's yearly rules
// with draws from Philox4x32-10 keyed by (seed, replicate, person, year).
// Replicates are independent: the raw result of a replicate depends only on
// (inputs, seed, replicate), whatever the thread count or split of replicates.
#pragma once

#include <staffcast/error.hpp>
#include <staffcast/projection/philox.hpp>
#include <staffcast/projection/projection.hpp>
#include <staffcast/table.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace staffcast {

/// Thrown by simulate_raw when its cancel flag was set.
class cancelled_error : public error {
 public:
  cancelled_error() : error("the simulation was cancelled") {}
};

/// The raw microsimulation result: values [replicate][year][output group][measure]
/// for replicates replicate_begin .. replicate_begin + replicates − 1.
struct RawSimulation {
  std::uint64_t replicate_begin = 0;
  std::size_t replicates = 0;
  std::size_t years = 0;
  std::size_t output_groups = 0;
  std::vector<double> values;

  [[nodiscard]] std::size_t stride() const noexcept { return years * output_groups * projection_measure_count; }
  [[nodiscard]] double at(std::size_t r, std::size_t year, std::size_t group, std::size_t measure) const {
    return values[r * stride() + (year * output_groups + group) * projection_measure_count + measure];
  }
};

/// Runs replicates [replicate_begin, replicate_end) on `threads` std::threads
/// (0 = hardware concurrency): whole replicates one per thread while there are
/// at least as many left as threads, then each remaining replicate split across
/// all threads (its persons and recruits in parts, counts added up in the serial
/// steps between). Each finished replicate adds 1 to `*progress` (if given);
/// setting `*cancel` stops every worker within a year of one replicate and
/// throws cancelled_error. `simd` picks the Philox kernel (automatic: the best
/// the CPU has, capped by STAFFCAST_SIMD; a level the CPU lacks falls back to the
/// best it has). The bytes are the same whatever the threads and the level.
RawSimulation simulate_raw(const ProjectionInputs& in, std::uint64_t seed, std::uint64_t replicate_begin,
                           std::uint64_t replicate_end, unsigned threads = 1, const std::atomic<bool>* cancel = nullptr,
                           std::atomic<std::uint64_t>* progress = nullptr, simd_level simd = simd_level::automatic);

/// Summary per (year, output group, measure) over the replicates of `raw`, in
/// replicate order: mean = the sequential sum / R; p5, p50, p95 = numpy's
/// linear percentiles. Key columns: year (calendar), <output_by>, measure;
/// values mean, p5, p50, p95. With `totals` (and a grouping) a Total row per
/// year and measure summarises each replicate's sum over the groups. Rows of an
/// age band holding nobody in any replicate are left out.
Table summarise(const ProjectionInputs& in, const RawSimulation& raw, bool totals = false);

}  // namespace staffcast
