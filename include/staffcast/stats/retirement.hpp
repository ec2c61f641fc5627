// Retirement outlook (docs/metrics.md): who reaches the retirement age in each of the
// coming years, and who is already past it.
#pragma once

#include <staffcast/error.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace staffcast {

/// Deterministic outlook over persons employed on `as_of` (by their main
/// spell): `already_past` = the age-th birthday before 1 January of the first
/// year; one column per year Y (named "Y") = the age-th birthday within Y;
/// `total` = already_past + the years. Birthdays follow the 29 February rule.
Table retirement_outlook(const Register& reg, day_t as_of, const std::vector<int>& years, int age, const Query& query);

}  // namespace staffcast

namespace staffcast {

/// Yearly retirement probabilities q_x for attained ages x = from_age..upper
/// (x = calendar year − birth year); q at `upper` is 1 (docs/metrics.md).
struct RetirementProbabilities {
  int from_age = 65;
  std::vector<double> q;  // q[x - from_age]
  // When estimated: retirements and person-years per age (empty when given).
  std::vector<double> retirements, person_years;

  [[nodiscard]] int upper() const noexcept { return from_age + static_cast<int>(q.size()) - 1; }
  /// q_x, 0 below from_age, 1 from upper on.
  [[nodiscard]] double at(int age) const noexcept {
    if (age < from_age) return 0.0;
    if (age >= upper()) return 1.0;
    return q[static_cast<std::size_t>(age - from_age)];
  }

  static RetirementProbabilities given(int from_age, std::vector<double> q) {
    if (q.empty() || q.size() > 60) throw argument_error("between 1 and 60 retirement probabilities are needed");
    if (from_age < 1 || from_age > 120) throw argument_error("the first retirement age must be between 1 and 120");
    for (double p : q) {
      if (!(p >= 0.0 && p <= 1.0)) throw argument_error("retirement probabilities must lie in [0, 1]");
    }
    RetirementProbabilities out;
    out.from_age = from_age;
    out.q = std::move(q);
    out.q.back() = 1.0;
    return out;
  }
};

/// Estimates q_x = 1 − exp(−m_x), m_x = retirement departures / person-years at
/// attained age x over [from, to] (person-days of the main spell / 365.25), for
/// x = age..upper−1; q_upper = 1.
RetirementProbabilities estimate_retirement_probabilities(const Register& reg, day_t from, day_t to, int age, int upper,
                                                          const Query& query);

/// Probabilistic outlook over persons employed on `as_of` (by their main
/// spell): each person retires in year Y with probability q at their attained
/// age in Y, given they have not retired in an earlier year of the outlook;
/// anyone past `upper` leaves in the first year. Rows per group and year (key
/// column `year`): already_past (persons past the age before the first year),
/// expected (retirements of the others), from_already_past (expected exits of
/// the already past), share_leaving (from_already_past / already_past still
/// employed at the start of the year), total_expected, p5 and p95 (exact
/// quantiles of the Poisson-binomial count of all retirements in the year).
Table probabilistic_retirement_outlook(const Register& reg, day_t as_of, const std::vector<int>& years,
                                       const RetirementProbabilities& q, const Query& query);

}  // namespace staffcast
