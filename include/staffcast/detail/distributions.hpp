// Quantiles of the chi-square, gamma and normal distributions (Boost.Math,
// header-only, from the Boost headers that Boost.Date_Time already needs),
// called with a policy that never throws: arguments are checked here first,
// and anything Boost would report comes back as NaN.
#pragma once

#include <staffcast/error.hpp>

#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <cmath>
#include <limits>

namespace staffcast::detail {

namespace bmp = boost::math::policies;
using quiet_policy =
    bmp::policy<bmp::domain_error<bmp::ignore_error>, bmp::pole_error<bmp::ignore_error>,
                bmp::overflow_error<bmp::ignore_error>, bmp::underflow_error<bmp::ignore_error>,
                bmp::denorm_error<bmp::ignore_error>, bmp::evaluation_error<bmp::ignore_error>,
                bmp::rounding_error<bmp::ignore_error>, bmp::indeterminate_result_error<bmp::ignore_error>>;

/// The p-quantile of the gamma distribution with shape `a` and scale 1
/// (the inverse of the regularised lower incomplete gamma function P(a, x)).
/// 0 for a = 0 (a point mass at 0), 0 for p = 0, +inf for p = 1.
inline double gamma_quantile(double a, double p) {
  if (!(a >= 0.0) || !std::isfinite(a)) throw argument_error("gamma quantile: the shape must be finite and >= 0");
  if (!(p >= 0.0 && p <= 1.0)) throw argument_error("gamma quantile: the probability must lie in [0, 1]");
  if (a == 0.0 || p == 0.0) return 0.0;
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  return boost::math::gamma_p_inv(a, p, quiet_policy());
}

/// The p-quantile of the chi-square distribution with `df` degrees of freedom:
/// χ²(p; df) = 2 · gamma_quantile(df / 2, p).
inline double chi_square_quantile(double p, double df) { return 2.0 * gamma_quantile(df / 2.0, p); }

/// The p-quantile of the standard normal distribution, for 0 < p < 1.
inline double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) throw argument_error("normal quantile: the probability must lie in (0, 1)");
  return -std::sqrt(2.0) * boost::math::erfc_inv(2.0 * p, quiet_policy());
}

/// Throws unless 0 < conf_level < 1.
inline void check_conf_level(double conf_level) {
  if (!(conf_level > 0.0 && conf_level < 1.0)) {
    throw argument_error("conf_level must lie strictly between 0 and 1");
  }
}

}  // namespace staffcast::detail
