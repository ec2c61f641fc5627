#include <staffcast/stats/flows.hpp>

#include <staffcast/detail/flow_events.hpp>
#include <staffcast/detail/totals.hpp>
#include <staffcast/stats/snapshot.hpp>

#include <array>

namespace staffcast {

Table flows(const Register& reg, day_t from, day_t to, const Query& query) {
  detail::require_observed(reg, query, from, to);
  GroupKeys keys(reg, query.by);
  const day_t extracted = detail::extraction_day(reg, query);
  keys.fix_period(from, std::min(to, extracted));
  // Counts: exact in any order, so the scan may run in chunks on several threads.
  detail::GroupSums sums = detail::sum_over_flow_events(
      reg, query.filter, from, to, extracted, 4, keys, [&](detail::GroupSums& counts, const FlowEvent& event) {
        counts.add_later(detail::event_key(reg, keys, query.filter, event), static_cast<std::size_t>(event.kind), 1);
      });
  Table table = sums.sorted_labelled(keys);
  const char* names[] = {"departures", "recruitments", "moves_out", "moves_in"};
  for (std::size_t c = 0; c < 4; ++c) {
    ValueColumn column{names[c], ValueKind::count, {}};
    for (std::size_t r = 0; r < sums.size(); ++r) column.values.push_back(sums.sums(r)[c]);
    if (keys.by().dimensions.empty() && sums.size() == 0) column.values.push_back(0);
    table.values.push_back(std::move(column));
  }
  table.sort_rows();
  detail::append_totals(table, query, [&](const Query& q) { return flows(reg, from, to, q); });
  return table;
}

Table departures_by_reason(const Register& reg, day_t from, day_t to, const Query& query) {
  detail::require_observed(reg, query, from, to);
  GroupKeys keys(reg, query.by);
  const day_t extracted = detail::extraction_day(reg, query);
  keys.fix_period(from, std::min(to, extracted));
  constexpr std::size_t reasons = end_reason_names.size();  // index 0 (none) unused
  detail::GroupSums sums(reasons, keys);
  for_each_flow_event(reg, query.filter, from, to, extracted, [&](const FlowEvent& event) {
    if (event.kind != EventKind::departure) return;
    sums.row(detail::event_key(reg, keys, query.filter, event))[code_index(event.reason)] += 1;
  });
  Table table = sums.sorted_labelled(keys);
  const bool empty_total = keys.by().dimensions.empty() && sums.size() == 0;
  ValueColumn total{"departures", ValueKind::count, {}};
  for (std::size_t c = 1; c < reasons; ++c) {
    ValueColumn column{std::string(end_reason_names[c]), ValueKind::count, {}};
    for (std::size_t r = 0; r < sums.size(); ++r) column.values.push_back(sums.sums(r)[c]);
    if (empty_total) column.values.push_back(0);
    table.values.push_back(std::move(column));
  }
  for (std::size_t r = 0; r < sums.size(); ++r) {
    double sum = 0;
    for (std::size_t c = 1; c < reasons; ++c) sum += sums.sums(r)[c];
    total.values.push_back(sum);
  }
  if (empty_total) total.values.push_back(0);
  table.values.push_back(std::move(total));
  table.sort_rows();
  detail::append_totals(table, query, [&](const Query& q) { return departures_by_reason(reg, from, to, q); });
  return table;
}

Table recruitments_by_source(const Register& reg, day_t from, day_t to, const Query& query) {
  detail::require_observed(reg, query, from, to);
  GroupKeys keys(reg, query.by);
  const day_t extracted = detail::extraction_day(reg, query);
  keys.fix_period(from, std::min(to, extracted));
  detail::GroupSums sums(4, keys);
  for_each_flow_event(reg, query.filter, from, to, extracted, [&](const FlowEvent& event) {
    if (event.kind != EventKind::recruitment) return;
    std::size_t column = 2;  // external, also for unknown
    switch (event.source) {
      case RecruitmentSource::internal:
        column = 0;
        break;
      case RecruitmentSource::other_administration:
        column = 1;
        break;
      case RecruitmentSource::rehire:
        column = 3;
        break;
      case RecruitmentSource::external:
      case RecruitmentSource::unknown:
        column = 2;
        break;
    }
    sums.row(detail::event_key(reg, keys, query.filter, event))[column] += 1;
  });
  Table table = sums.sorted_labelled(keys);
  const bool empty_total = keys.by().dimensions.empty() && sums.size() == 0;
  const char* names[] = {"internal", "other_administration", "external", "rehire"};
  ValueColumn total{"recruitments", ValueKind::count, {}};
  for (std::size_t c = 0; c < 4; ++c) {
    ValueColumn column{names[c], ValueKind::count, {}};
    for (std::size_t r = 0; r < sums.size(); ++r) column.values.push_back(sums.sums(r)[c]);
    if (empty_total) column.values.push_back(0);
    table.values.push_back(std::move(column));
  }
  for (std::size_t r = 0; r < sums.size(); ++r) {
    const double* row = sums.sums(r);
    total.values.push_back(row[0] + row[1] + row[2] + row[3]);
  }
  if (empty_total) total.values.push_back(0);
  table.values.push_back(std::move(total));
  table.sort_rows();
  detail::append_totals(table, query, [&](const Query& q) { return recruitments_by_source(reg, from, to, q); });
  return table;
}

}  // namespace staffcast
