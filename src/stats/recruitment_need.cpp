#include <staffcast/stats/recruitment_need.hpp>

#include <staffcast/stats/retirement.hpp>
#include <staffcast/stats/snapshot.hpp>
#include <staffcast/stats/turnover.hpp>

#include <cmath>

namespace staffcast {

Table recruitment_need(const Register& reg, day_t as_of, const RecruitmentNeedOptions& options, const Query& query) {
  if (options.years.empty() || options.years.size() > 10) throw argument_error("the horizon is 1 to 10 years");
  if (options.separation_factor < 0) throw argument_error("the separation factor must not be negative");
  if (!(options.growth > -1.0 && options.growth < 10.0))
    throw argument_error("growth must be between -100% and +1000%");
  if (options.retirement_age_shift < -30 || options.retirement_age_shift > 30) {
    throw argument_error("the retirement age shift must be between -30 and 30 years");
  }
  if (!(options.separation_factor < 100.0)) throw argument_error("the separation factor must be below 100");
  RetirementProbabilities shifted = options.probabilities;
  shifted.from_age += options.retirement_age_shift;
  Query grouped = query;
  grouped.totals = false;
  grouped.extracted_on = detail::extraction_day(reg, query);
  const Table start = snapshot(reg, as_of, grouped);
  const Table outlook = probabilistic_retirement_outlook(reg, as_of, options.years, shifted, grouped);
  TurnoverOptions separation;
  separation.definition = TurnoverDefinition::separation;
  separation.exclude_reasons = {EndReason::retirement};
  separation.annualise = true;  // a yearly rate, whatever the length of the rate window
  const Table rates = turnover(reg, options.rates_from, options.rates_to, grouped, separation);

  const std::size_t dims = query.by.dimensions.size();
  auto label_of = [&](const Table& t, std::size_t row) {
    std::string label;
    for (std::size_t k = 0; k < dims; ++k) label += t.keys[k][row] + '\x1f';
    return label;
  };
  std::map<std::string, double> rate_of;
  for (std::size_t r = 0; r < rates.rows(); ++r) {
    const double rate = rates.column("turnover").values[r];
    rate_of[label_of(rates, r)] = std::isnan(rate) ? 0.0 : rate;
  }
  std::map<std::string, double> retirements;  // label + year
  for (std::size_t r = 0; r < outlook.rows(); ++r) {
    retirements[label_of(outlook, r) + outlook.keys[dims][r]] = outlook.column("total_expected").values[r];
  }
  Table table;
  table.key_names = start.key_names;
  table.key_names.push_back("year");
  table.keys.assign(table.key_names.size(), {});
  ValueColumn start_col{"start", ValueKind::fte, {}}, retired{"retirements", ValueKind::fte, {}},
      other{"other_departures", ValueKind::fte, {}}, growth{"growth", ValueKind::fte, {}},
      need{"recruitment_need", ValueKind::fte, {}}, end_col{"end", ValueKind::fte, {}};
  auto add_rows = [&](const std::vector<std::string>& labels, double headcount, double rate,
                      const std::vector<double>& retiring) {
    double target = headcount;
    for (std::size_t y = 0; y < options.years.size(); ++y) {
      const double next_target = target * (1.0 + options.growth);
      const double other_exits = rate * options.separation_factor * target;
      const double change = next_target - target;
      const double needed = std::max(0.0, retiring[y] + other_exits + change);
      for (std::size_t k = 0; k < labels.size(); ++k) table.keys[k].push_back(labels[k]);
      table.keys.back().push_back(std::to_string(options.years[y]));
      start_col.values.push_back(target);
      retired.values.push_back(retiring[y]);
      other.values.push_back(other_exits);
      growth.values.push_back(change);
      need.values.push_back(needed);
      const double end = target - retiring[y] - other_exits + needed;
      end_col.values.push_back(end);
      target = end;
    }
  };
  for (std::size_t r = 0; r < start.rows(); ++r) {
    const std::string label = label_of(start, r);
    std::vector<std::string> labels;
    for (std::size_t k = 0; k < dims; ++k) labels.push_back(start.keys[k][r]);
    const double headcount = start.column("headcount").values[r];
    if (headcount == 0) continue;  // fte without anyone whose main spell is here
    std::vector<double> retiring;
    for (std::size_t y = 0; y < options.years.size(); ++y) {
      auto it = retirements.find(label + std::to_string(options.years[y]));
      retiring.push_back(it == retirements.end() ? 0.0 : it->second);
    }
    auto rate = rate_of.find(label);
    const double group_rate = rate == rate_of.end() ? 0.0 : rate->second;
    add_rows(labels, headcount, group_rate, retiring);
  }
  table.values = {std::move(start_col), std::move(retired), std::move(other),
                  std::move(growth),    std::move(need),    std::move(end_col)};
  table.sort_rows();
  if (query.totals && dims > 0) {
    // The Total rows are the ungrouped call: the whole population's stock, its
    // own separation rate and its expected retirements. They are not the sum of
    // the group rows, which apply each group's rate to the group's stock.
    const Table whole = recruitment_need(reg, as_of, options, query.ungrouped());
    for (std::size_t r = 0; r < whole.rows(); ++r) {
      for (std::size_t k = 0; k < dims; ++k) table.keys[k].push_back(k == 0 ? table.total_label : "");
      table.keys.back().push_back(whole.keys.back()[r]);
      for (std::size_t c = 0; c < table.values.size(); ++c) table.values[c].values.push_back(whole.values[c].values[r]);
    }
    table.key_codes.clear();
    table.key_labels.clear();
  }
  return table;
}

}  // namespace staffcast
