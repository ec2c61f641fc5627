// A workforce plan filled in from a register (docs/plans.md, "From the
// register"): the categories are the groups of the plan's [register] grouping,
// and on the as-of date each gets
//   initial      the snapshot headcount;
//   wastage_new  1 − exp(−m_new): the share of a year's recruits who leave
//                within the year at m_new, the departure rate (departures per
//                person-year, retirements excluded) of persons in their first
//                year of service over the rates window (plan/dates.hpp
//                rates_window), the hazard constant over the year;
//   wastage[t]   r + (1 − r) · (1 − exp(−m_old)): r = the period's expected
//                retirements of the probabilistic retirement outlook (65,
//                estimated over retirement_estimate_window) divided by the
//                initial stock, m_old = the departure rate of persons with one
//                year of service or more;
//   demand[t]    the initial stock.
// Periods are calendar years. Shares are capped at 1. The values a category of the plan gives
// (PlanCategory::keys_given) override the register's. When the plan lists
// categories, the plan covers those (each must be a group of the register);
// otherwise every group with someone employed on the as-of date.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/plan/workforce_plan.hpp>

#include <optional>

namespace staffcast {

class Register;

/// The retirement age and the age by which everyone has retired, of the
/// retirement probabilities a plan from a register estimates.
inline constexpr int plan_retirement_age = 65;
inline constexpr int plan_retirement_upper_age = 69;

/// The plan with its categories filled in from `reg` on `as_of` (see above),
/// validated (validate_plan). `extracted_on` overrides the register's
/// extraction date. argument_error when the plan has no [register] section,
/// for an unknown grouping, and for a category of the plan that is not a group
/// of the register (naming them).
WorkforcePlan plan_from_register(const WorkforcePlan& plan, const Register& reg, day_t as_of,
                                 std::optional<day_t> extracted_on = std::nullopt);

}  // namespace staffcast
