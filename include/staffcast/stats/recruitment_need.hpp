// Recruitment need: retirements plus other departures plus growth, per year
// and group, over a horizon of up to ten years (docs/metrics.md, the plan's sum).
#pragma once

#include <staffcast/register/query.hpp>
#include <staffcast/stats/retirement.hpp>
#include <staffcast/table.hpp>

#include <vector>

namespace staffcast {

struct RecruitmentNeedOptions {
  std::vector<int> years;                 // consecutive calendar years after the as-of year
  RetirementProbabilities probabilities;  // yearly q by attained age
  int retirement_age_shift = 0;           // "retire two years later" = 2
  double separation_factor = 1.0;         // "turnover −20%" = 0.8
  double growth = 0.0;                    // of the target stock per year; negative = planned cuts
  day_t rates_from = 0, rates_to = 0;     // window of the other-departure rates
};

/// Per group and year (key `year`): start (the target stock at the start of the
/// year), retirements (expected, of today's staff), other_departures (the
/// group's separation rate without retirements over the rate window, per year
/// of the window, times the start stock and the factor), growth (change of the
/// target stock), recruitment_need (their sum, at least 0) and end. With
/// query.totals the `Total` rows are the same call ungrouped (the whole
/// population's stock and rate), not the sum of the group rows.
Table recruitment_need(const Register& reg, day_t as_of, const RecruitmentNeedOptions& options, const Query& query);

}  // namespace staffcast
