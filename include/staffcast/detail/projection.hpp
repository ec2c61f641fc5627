// Age and output bands and labels of the projection (cohort and microsimulation),
// and the input check that reuses the scanned move rows.
#pragma once

#include <staffcast/detail/move_rows.hpp>
#include <staffcast/projection/projection.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace staffcast {

namespace detail {

inline std::size_t band_of(const std::vector<int>& lower, int value) noexcept {
  std::size_t i = 0;
  while (i + 1 < lower.size() && value >= lower[i + 1]) ++i;
  return i;
}

inline std::string joined_label(const std::vector<std::string>& parts) {
  std::string label;
  for (const std::string& part : parts) label += (label.empty() ? "" : ", ") + part;
  return label;
}

}  // namespace detail
namespace detail {

/// Output age band of attained age x, clamped to 0..200 (the tables' range).
inline std::size_t output_band(const ProjectionInputs& in, int x) {
  return in.age_band_position < 0 ? 0 : band_of(in.output_band_lower, x);
}

}  // namespace detail

/// Throws argument_error unless the inputs are consistent (sizes, ranges, a row-stochastic M).
/// `move_rows` is detail::scan_move_rows(in.move), when the caller has it already (the
/// microsimulation scans the move matrix once, for the checks and its own tables).
void validate_projection_inputs(const ProjectionInputs& in, const detail::MoveRows& move_rows);

}  // namespace staffcast
