#include <staffcast/models/rates.hpp>

#include <staffcast/detail/distributions.hpp>
#include <staffcast/detail/flow_events.hpp>
#include <staffcast/detail/period_keys.hpp>
#include <staffcast/stats/turnover.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace staffcast {

RateEvents parse_rate_events(std::string_view text) {
  if (text == "departures") return RateEvents::departures;
  if (text == "moves") return RateEvents::moves;
  if (text == "exits") return RateEvents::exits;
  throw argument_error("events must be 'departures', 'moves' or 'exits', got '" + std::string(text) + "'");
}

namespace detail {

inline bool counts_event(const ExitRateOptions& options, const FlowEvent& event) {
  const bool kind = (event.kind == EventKind::departure && options.events != RateEvents::moves) ||
                    (event.kind == EventKind::move_out && options.events != RateEvents::departures);
  if (!kind) return false;
  return options.reasons.empty() ||
         std::find(options.reasons.begin(), options.reasons.end(), event.reason) != options.reasons.end();
}

}  // namespace detail

RateInterval poisson_rate_interval(double events, double exposure, double conf_level) {
  detail::check_conf_level(conf_level);
  if (!(events >= 0.0) || !std::isfinite(events)) throw argument_error("events must be finite and >= 0");
  if (!(exposure >= 0.0) || !std::isfinite(exposure)) throw argument_error("exposure must be finite and >= 0");
  if (exposure == 0.0) return {};
  const double alpha = 1.0 - conf_level;
  // χ²(p; 2k) / 2 is the p-quantile of Gamma(k, 1).
  const double lower = events == 0.0 ? 0.0 : detail::gamma_quantile(events, alpha / 2.0) / exposure;
  const double upper = detail::gamma_quantile(events + 1.0, 1.0 - alpha / 2.0) / exposure;
  return {lower, upper};
}

Table exit_rates(const Register& reg, day_t from, day_t to, const Query& query, const ExitRateOptions& options) {
  detail::check_conf_level(options.conf_level);
  detail::require_observed(reg, query, from, to);
  const GroupKeys keys(reg, query.by);
  constexpr std::size_t reasons = end_reason_names.size();
  enum { person_days = 0 };  // then one event column per end-reason code
  detail::GroupSums sums(1 + reasons);
  detail::add_person_days(reg, query, keys, from, to, sums, person_days);
  for_each_flow_event(reg, query.filter, from, to, detail::extraction_day(reg, query), [&](const FlowEvent& event) {
    if (!detail::counts_event(options, event)) return;
    sums.row(detail::event_key(reg, keys, query.filter, event))[1 + code_index(event.reason)] += 1;
  });
  if (keys.by().dimensions.empty()) sums.row(0);  // one row even when nobody was employed

  // The end reasons reported as rows (by_reason): given, or those that occur.
  std::vector<std::size_t> reason_rows;
  if (options.by_reason) {
    std::array<bool, reasons> wanted{};
    if (!options.reasons.empty()) {
      for (EndReason r : options.reasons) wanted[code_index(r)] = true;
    } else {
      for (std::size_t r = 0; r < sums.size(); ++r) {
        for (std::size_t c = 0; c < reasons; ++c) wanted[c] = wanted[c] || sums.sums(r)[1 + c] > 0;
      }
    }
    for (std::size_t c = 0; c < reasons; ++c) {
      if (wanted[c]) reason_rows.push_back(c);
    }
  }

  Table table = sums.labelled(keys);
  ValueColumn events{"events", ValueKind::count, {}}, years{"person_years", ValueKind::number, {}},
      rate{"rate", ValueKind::rate, {}}, lower{"lower", ValueKind::rate, {}}, upper{"upper", ValueKind::rate, {}};
  auto add_row = [&](double k, double pd) {
    const double t = pd / days_per_year;
    const RateInterval ci = poisson_rate_interval(k, t, options.conf_level);
    events.values.push_back(k);
    years.values.push_back(t);
    rate.values.push_back(t > 0 ? k / t : missing);
    lower.values.push_back(ci.lower);
    upper.values.push_back(ci.upper);
  };
  if (!options.by_reason) {
    for (std::size_t r = 0; r < sums.size(); ++r) {
      const double* row = sums.sums(r);
      double k = 0;
      for (std::size_t c = 0; c < reasons; ++c) k += row[1 + c];
      add_row(k, row[person_days]);
    }
  } else {
    Table expanded;
    expanded.key_names = table.key_names;
    expanded.key_names.push_back("end_reason");
    expanded.keys.assign(expanded.key_names.size(), {});
    for (std::size_t r = 0; r < sums.size(); ++r) {
      const double* row = sums.sums(r);
      for (std::size_t c : reason_rows) {
        for (std::size_t k = 0; k < table.keys.size(); ++k) expanded.keys[k].push_back(table.keys[k][r]);
        expanded.keys.back().emplace_back(end_reason_names[c]);
        add_row(row[1 + c], row[person_days]);
      }
    }
    table = std::move(expanded);
  }
  table.values = {std::move(events), std::move(years), std::move(rate), std::move(lower), std::move(upper)};
  table.sort_rows();
  if (query.totals && !keys.by().dimensions.empty()) {
    // The pooled rates: one Total row (per end reason with by_reason).
    const Table all = exit_rates(reg, from, to, query.ungrouped(), options);
    const std::size_t by_columns = keys.by().dimensions.size();
    for (std::size_t r = 0; r < all.rows(); ++r) {
      for (std::size_t k = 0; k < by_columns; ++k) table.keys[k].push_back(k == 0 ? table.total_label : "");
      if (options.by_reason) table.keys.back().push_back(all.keys.back()[r]);
      for (std::size_t c = 0; c < table.values.size(); ++c) table.values[c].values.push_back(all.values[c].values[r]);
    }
  }
  return table;
}

}  // namespace staffcast
