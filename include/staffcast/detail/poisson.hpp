// The Poisson distribution's cumulative probabilities, for drawing counts by
// inversion (the microsimulation's observed recruitment).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace staffcast::detail {

/// Sets `cumulative` to P(K <= k) of K ~ Poisson(λ) for k = low..high and returns low: the
/// support [low, high] is where each probability is at least 1e-20, and the mass outside it
/// is renormalised away (the last entry is 1). The probabilities are computed from the mode
/// outwards (p(k ± 1) from p(k)), p(mode) once from lgamma. λ <= 0 (or NaN): {1} at 0.
inline std::int64_t poisson_cumulative(double lambda, std::vector<double>& cumulative) {
  cumulative.clear();
  if (!(lambda > 0.0)) {
    cumulative.push_back(1.0);
    return 0;
  }
  const auto mode = static_cast<std::int64_t>(std::floor(lambda));
  const double p_mode =
      std::exp(static_cast<double>(mode) * std::log(lambda) - lambda - std::lgamma(static_cast<double>(mode) + 1.0));
  constexpr double negligible = 1e-20;
  std::vector<double> below;  // p(mode − 1), p(mode − 2), ...
  for (std::int64_t k = mode; k > 0; --k) {
    const double p = (below.empty() ? p_mode : below.back()) * static_cast<double>(k) / lambda;
    if (p < negligible) break;
    below.push_back(p);
  }
  std::vector<double> pmf(below.rbegin(), below.rend());
  const std::int64_t low = mode - static_cast<std::int64_t>(below.size());
  pmf.push_back(p_mode);
  for (std::int64_t k = mode + 1;; ++k) {
    const double p = pmf.back() * lambda / static_cast<double>(k);
    if (p < negligible) break;
    pmf.push_back(p);
  }
  double total = 0;
  for (double p : pmf) total += p;
  double sum = 0;
  for (std::size_t k = 0; k + 1 < pmf.size(); ++k) {
    sum += pmf[k];
    cumulative.push_back(sum / total);
  }
  cumulative.push_back(1.0);
  return low;
}

}  // namespace staffcast::detail
