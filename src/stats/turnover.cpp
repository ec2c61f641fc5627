#include <staffcast/stats/turnover.hpp>

#include <staffcast/detail/flow_events.hpp>
#include <staffcast/detail/period_keys.hpp>
#include <staffcast/detail/person_day.hpp>
#include <staffcast/detail/totals.hpp>
#include <staffcast/stats/flows.hpp>

#include <algorithm>
#include <set>
#include <string>

namespace staffcast {

TurnoverDefinition parse_turnover_definition(std::string_view text) {
  if (text == "municipal") return TurnoverDefinition::municipal;
  if (text == "separation") return TurnoverDefinition::separation;
  if (text == "own_request") return TurnoverDefinition::own_request;
  if (text == "min") return TurnoverDefinition::min;
  throw argument_error("unknown turnover definition '" + std::string(text) +
                       "'; use municipal, separation, own_request or min");
}

TurnoverScope parse_turnover_scope(std::string_view text) {
  if (text == "administration") return TurnoverScope::administration;
  if (text == "employer") return TurnoverScope::employer;
  throw argument_error("scope must be 'administration' or 'employer'");
}

Table average_headcount(const Register& reg, day_t from, day_t to, const Query& query) {
  detail::require_observed(reg, query, from, to);
  const GroupKeys keys(reg, query.by);
  detail::GroupSums sums(1, keys);
  detail::add_person_days(reg, query, keys, from, to, sums, 0);
  const double days = static_cast<double>(to - from + 1);
  Table table = sums.sorted_labelled(keys);
  ValueColumn average{"average_headcount", ValueKind::fte, {}};
  for (std::size_t r = 0; r < sums.size(); ++r) average.values.push_back(sums.sums(r)[0] / days);
  if (keys.by().dimensions.empty() && sums.size() == 0) average.values.push_back(0);
  table.values = {std::move(average)};
  table.sort_rows();
  detail::append_totals(table, query, [&](const Query& q) { return average_headcount(reg, from, to, q); });
  return table;
}

Table turnover(const Register& reg, day_t from, day_t to, const Query& query, const TurnoverOptions& options) {
  detail::require_observed(reg, query, from, to);
  GroupKeys keys(reg, query.by);
  const day_t extracted = detail::extraction_day(reg, query);
  keys.fix_period(from, std::min(to, extracted));  // for the events' keys
  enum { person_days, recruitments, departures };
  detail::GroupSums sums(3, keys);
  detail::add_person_days(reg, query, keys, from, to, sums, person_days);
  auto excluded = [&](EndReason reason) {
    if (options.employer_scope && reason == EndReason::other_administration) return true;
    if (options.definition == TurnoverDefinition::own_request && reason != EndReason::own_request) return true;
    return std::find(options.exclude_reasons.begin(), options.exclude_reasons.end(), reason) !=
           options.exclude_reasons.end();
  };
  // Counts: exact in any order, so the events may be counted in chunks on several threads.
  const detail::GroupSums events = detail::sum_over_flow_events(
      reg, query.filter, from, to, extracted, 3, keys, [&](detail::GroupSums& counts, const FlowEvent& event) {
        if (event.kind == EventKind::departure && !excluded(event.reason)) {
          counts.add_later(detail::event_key(reg, keys, query.filter, event), departures, 1);
        } else if (event.kind == EventKind::recruitment && event.source != RecruitmentSource::internal &&
                   !(options.employer_scope && event.source == RecruitmentSource::other_administration)) {
          counts.add_later(detail::event_key(reg, keys, query.filter, event), recruitments, 1);
        }
      });
  sums.add(events);
  const double days = static_cast<double>(to - from + 1);
  const double scale = options.annualise ? 365.25 / days : 1.0;
  Table table = sums.sorted_labelled(keys);
  ValueColumn average{"average_headcount", ValueKind::fte, {}}, recruited{"recruitments", ValueKind::count, {}},
      departed{"departures", ValueKind::count, {}}, rate{"turnover", ValueKind::rate, {}};
  for (std::size_t r = 0; r < sums.size(); ++r) {
    const double* row = sums.sums(r);
    const double avg = row[person_days] / days;
    double numerator = 0;
    switch (options.definition) {
      case TurnoverDefinition::municipal:
        numerator = (row[recruitments] + row[departures]) / 2.0;
        break;
      case TurnoverDefinition::separation:
      case TurnoverDefinition::own_request:
        numerator = row[departures];
        break;
      case TurnoverDefinition::min:
        numerator = std::min(row[recruitments], row[departures]);
        break;
    }
    average.values.push_back(avg);
    recruited.values.push_back(row[recruitments]);
    departed.values.push_back(row[departures]);
    rate.values.push_back(avg > 0 ? numerator / avg * scale : missing);
  }
  if (keys.by().dimensions.empty() && sums.size() == 0) {
    average.values = {0};
    recruited.values = {0};
    departed.values = {0};
    rate.values = {missing};
  }
  table.values = {std::move(average), std::move(recruited), std::move(departed), std::move(rate)};
  table.sort_rows();
  detail::append_totals(table, query, [&](const Query& q) { return turnover(reg, from, to, q, options); });
  return table;
}

}  // namespace staffcast
