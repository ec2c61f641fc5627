#include <staffcast/models/rates.hpp>
#include <staffcast/plan/dates.hpp>
#include <staffcast/plan/plan_from_register.hpp>
#include <staffcast/plan/years.hpp>
#include <staffcast/register/register.hpp>
#include <staffcast/stats/retirement.hpp>
#include <staffcast/stats/snapshot.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace staffcast {

namespace {

std::string label_of(const Table& t, std::size_t row, std::size_t dims) {
  std::string label;
  for (std::size_t k = 0; k < dims; ++k) label += (k == 0 ? "" : " / ") + t.keys[k][row];
  return label;
}

bool given(const PlanCategory& c, const char* key) {
  return std::find(c.keys_given.begin(), c.keys_given.end(), key) != c.keys_given.end();
}

double share(double value) { return std::isfinite(value) ? std::min(1.0, std::max(0.0, value)) : 0.0; }

/// The share of a stock that leaves within one year at `rate` departures per person-year, the
/// hazard constant over the year: 1 − exp(−rate).
double share_of_rate(double rate) { return std::isfinite(rate) && rate > 0 ? 1.0 - std::exp(-rate) : 0.0; }

}  // namespace

WorkforcePlan plan_from_register(const WorkforcePlan& plan, const Register& reg, day_t as_of,
                                 std::optional<day_t> extracted_on) {
  if (!plan.from_register) {
    throw argument_error(
        "plan: register: the plan has no [register] section (by = \"position\"): give its values "
        "in the plan, or the section");
  }
  const PlanRegisterSection& section = *plan.from_register;
  Query query;
  query.by = GroupBy::parse(reg, section.by);
  query.extracted_on = plan_extraction_date(reg, extracted_on);
  const std::size_t dims = query.by.dimensions.size();
  const std::vector<int> years = section.years.empty() ? outlook_years(as_of, plan.periods) : section.years;

  // initial: the snapshot headcount per group
  const Table start = snapshot(reg, as_of, query);
  std::map<std::string, double> headcount;
  std::vector<std::string> groups;
  for (std::size_t r = 0; r < start.rows(); ++r) {
    const double h = start.column("headcount").values[r];
    if (h > 0) {
      groups.push_back(label_of(start, r, dims));
      headcount[groups.back()] = h;
    }
  }

  // wastage: departures (not retirements) per person-year, under and from one year of service
  Query by_tenure = query;
  by_tenure.by.dimensions.push_back({DimensionKind::tenure_band, 0, "tenure_band"});
  by_tenure.by.tenure_bands = Bands{{INT_MIN, 1}, {"<1", "1+"}};
  ExitRateOptions departures;
  for (EndReason reason : {EndReason::own_request, EndReason::fixed_term_ended, EndReason::internal_move,
                           EndReason::other_administration, EndReason::dismissal, EndReason::death, EndReason::other}) {
    departures.reasons.push_back(reason);
  }
  const DayRange window = rates_window(reg, as_of);
  const Table rates = exit_rates(reg, window.start, window.end, by_tenure, departures);
  std::map<std::string, double> rate_new, rate_old;
  for (std::size_t r = 0; r < rates.rows(); ++r) {
    const double events = rates.column("events").values[r];
    const double exposure = rates.column("person_years").values[r];
    const double rate = exposure > 0 ? events / exposure : 0.0;
    (rates.keys[dims][r] == "<1" ? rate_new : rate_old)[label_of(rates, r, dims)] = rate;
  }

  // retirements: the probabilistic outlook, per group and year
  const DayRange estimate = retirement_estimate_window(reg, as_of);
  const RetirementProbabilities q = estimate_retirement_probabilities(
      reg, estimate.start, estimate.end, plan_retirement_age, plan_retirement_upper_age, query.ungrouped());
  const Table outlook = probabilistic_retirement_outlook(reg, as_of, years, q, query);
  std::map<std::string, double> retiring;  // label + '\x1f' + year
  for (std::size_t r = 0; r < outlook.rows(); ++r) {
    retiring[label_of(outlook, r, dims) + '\x1f' + outlook.keys[dims][r]] = outlook.column("total_expected").values[r];
  }

  WorkforcePlan out = plan;
  out.from_register.reset();
  out.periods = static_cast<int>(years.size());
  out.period_labels.clear();
  for (int y : years) out.period_labels.push_back(std::to_string(y));

  std::vector<PlanCategory> categories;
  if (plan.categories.empty()) {
    for (const std::string& g : groups) {
      PlanCategory c;
      c.name = g;
      categories.push_back(c);
    }
  } else {
    std::string unknown;
    for (const PlanCategory& c : plan.categories) {
      if (headcount.count(c.name) == 0) unknown += (unknown.empty() ? "'" : ", '") + c.name + "'";
    }
    if (!unknown.empty()) {
      std::string known;
      for (const std::string& g : groups) known += (known.empty() ? "" : ", ") + g;
      throw argument_error("plan: category: " + unknown + (unknown.find(',') == std::string::npos ? " is" : " are") +
                           " not a group of the register by " + section.by.front() + (dims > 1 ? " and more" : "") +
                           " on " + format_iso_date(as_of) + " (groups: " + known + ")");
    }
    categories = plan.categories;
  }
  for (PlanCategory& c : categories) {
    const double initial = headcount[c.name];
    if (!given(c, "initial")) c.initial = initial;
    if (!given(c, "demand")) c.demand.assign(years.size(), initial);
    if (!given(c, "wastage_new")) c.wastage_new = share_of_rate(rate_new[c.name]);
    if (!given(c, "wastage")) {
      c.wastage.clear();
      for (int y : years) {
        const auto found = retiring.find(c.name + '\x1f' + std::to_string(y));
        const double retire = share(found == retiring.end() || initial <= 0 ? 0.0 : found->second / initial);
        // Retirements first, then the others' departures among those who do not retire (as the projections).
        c.wastage.push_back(share(retire + (1.0 - retire) * share_of_rate(rate_old[c.name])));
      }
    }
  }
  out.categories = std::move(categories);
  validate_plan(out);
  return out;
}

}  // namespace staffcast
