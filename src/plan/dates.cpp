// The dates a plan runs on (see plan/dates.hpp).
#include <staffcast/error.hpp>
#include <staffcast/plan/dates.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/register/register.hpp>

#include <algorithm>
#include <string>

namespace staffcast {

day_t plan_day(const Register& reg, std::optional<day_t> as_of) { return as_of ? *as_of : reg.extracted_on(); }

day_t plan_extraction_date(const Register& reg, std::optional<day_t> given) {
  Query query;
  query.extracted_on = given;
  return detail::extraction_day(reg, query);
}

day_t observed_from(const Register& reg) { return reg.earliest_observed_end().value_or(reg.earliest_start()); }

DayRange years_ending(day_t end, int years) {
  if (years < 1) throw argument_error("the history window must be at least one year, got " + std::to_string(years));
  return {add_years(end, -years) + 1, end};
}

DayRange history_window(const Register& reg, day_t end, int years) {
  const DayRange whole = years_ending(end, years);
  return {std::max(whole.start, observed_from(reg)), end};
}

DayRange retirement_estimate_window(const Register& reg, day_t as_of) {
  return history_window(reg, as_of, retirement_estimate_years);
}

DayRange rates_window(const Register& reg, day_t as_of) { return history_window(reg, as_of, rates_years); }

}  // namespace staffcast
