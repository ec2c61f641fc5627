#include <staffcast/models/kaplan_meier.hpp>

#include <staffcast/detail/distributions.hpp>
#include <staffcast/detail/group_sums.hpp>
#include <staffcast/detail/person_day.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/stats/snapshot.hpp>
#include <staffcast/table.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

namespace detail {

/// R survival's quantile rule (quantile.survfit's `findq`) for probability p on a
/// curve given at its event times, starting at time 0, whose data end at
/// `last_time`: the first time the curve drops to 1 − p or below; when it sits
/// at exactly 1 − p (within √ε) the midpoint between that time and the next
/// drop, or `last_time` when the flat reaches the end. NaN values are skipped.
inline double survfit_quantile(const std::vector<double>& time, const std::vector<double>& surv, double last_time,
                               double p = 0.5) {
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  // R's duplicated(): keep the first occurrence of each value of 1 − S (NaN equal to NaN).
  const std::size_t n = time.size();
  std::vector<double> f(n);
  for (std::size_t k = 0; k < n; ++k) f[k] = 1.0 - surv[k];
  std::vector<std::size_t> order(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = k;
  auto less = [&](std::size_t a, std::size_t b) {
    const bool na = std::isnan(f[a]), nb = std::isnan(f[b]);
    if (na != nb) return nb;  // numbers first
    if (!na && f[a] != f[b]) return f[a] < f[b];
    return a < b;
  };
  std::sort(order.begin(), order.end(), less);
  std::vector<bool> keep(n, true);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = order[k];
    if (f[i] == 0.0) keep[i] = false;  // a duplicate of the leading 0 at time 0
    if (k > 0) {
      const std::size_t prev = order[k - 1];
      if ((std::isnan(f[i]) && std::isnan(f[prev])) || f[i] == f[prev]) keep[i] = false;
    }
  }
  std::vector<double> x{0.0}, y{0.0};  // y = 1 − S without duplicates, starting at (0, 0)
  double ymax = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    if (!keep[k]) continue;
    x.push_back(time[k]);
    y.push_back(f[k]);
    if (!std::isnan(f[k])) ymax = std::max(ymax, f[k]);
  }
  if (ymax < p) return missing;
  // approx(y + shift, index, p, method = "constant", f = 1): the index of the
  // smallest abscissa >= p, when p lies within the abscissae.
  auto index_at = [&](double shift) -> std::optional<std::size_t> {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::optional<std::size_t> best;
    for (std::size_t k = 0; k < y.size(); ++k) {
      if (std::isnan(y[k])) continue;
      const double a = y[k] + shift;
      lo = std::min(lo, a);
      hi = std::max(hi, a);
      if (a >= p && (!best || a < y[*best] + shift)) best = k;
    }
    if (!best || p < lo || p > hi) return std::nullopt;
    return best;
  };
  const auto i1 = index_at(tol);
  const auto i2 = index_at(-tol);
  double q = (i1 && i2) ? (x[*i1] + x[*i2]) / 2.0 : missing;
  if (!std::isnan(y.back()) && std::fabs(p - y.back()) < tol && i1) q = (x[*i1] + last_time) / 2.0;
  return q;
}

inline void check_survival_data(const SurvivalData& data) {
  const std::size_t n = data.duration.size();
  if (data.event.size() != n) throw argument_error("durations and events must have the same length");
  if (!data.entry.empty() && data.entry.size() != n) throw argument_error("entry must have one value per duration");
  if (!data.group.empty() && data.group.size() != n) throw argument_error("groups must have one value per duration");
  for (std::size_t i = 0; i < n; ++i) {
    const double t = data.duration[i];
    if (!std::isfinite(t) || t < 0) throw argument_error("durations must be finite and >= 0");
    if (data.event[i] > 1) throw argument_error("events must be 0 (censored) or 1 (event)");
    if (!data.entry.empty()) {
      const double a = data.entry[i];
      if (!std::isfinite(a)) throw argument_error("entry times must be finite");
      if (!(a < t)) throw argument_error("every entry time must be before its duration (entry < duration)");
    }
    if (!data.group.empty() && data.group[i] >= data.groups) throw argument_error("group code out of range");
  }
}

}  // namespace detail

ConfidenceType parse_confidence_type(std::string_view text) {
  if (text == "log") return ConfidenceType::log;
  if (text == "log-log" || text == "log_log") return ConfidenceType::log_log;
  if (text == "plain") return ConfidenceType::plain;
  throw argument_error("ci must be 'log', 'log-log' or 'plain', got '" + std::string(text) + "'");
}

std::vector<SurvivalCurve> kaplan_meier(const SurvivalData& data, const KaplanMeierOptions& options) {
  detail::check_conf_level(options.conf_level);
  detail::check_survival_data(data);
  const double z = detail::normal_quantile(1.0 - (1.0 - options.conf_level) / 2.0);
  const bool has_entry = !data.entry.empty();
  const std::size_t n = data.duration.size();
  // Observations by group (counting sort keeps input order within a group).
  std::vector<std::size_t> first(data.groups + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++first[(data.group.empty() ? 0 : data.group[i]) + 1];
  for (std::size_t g = 0; g < data.groups; ++g) first[g + 1] += first[g];
  std::vector<std::size_t> order(n);
  {
    std::vector<std::size_t> next(first.begin(), first.end() - 1);
    for (std::size_t i = 0; i < n; ++i) order[next[data.group.empty() ? 0 : data.group[i]]++] = i;
  }
  std::vector<SurvivalCurve> curves(data.groups);
  std::vector<double> exits, entries, event_times;
  for (std::size_t g = 0; g < data.groups; ++g) {
    SurvivalCurve& c = curves[g];
    exits.clear();
    entries.clear();
    event_times.clear();
    for (std::size_t k = first[g]; k < first[g + 1]; ++k) {
      const std::size_t i = order[k];
      exits.push_back(data.duration[i]);
      if (has_entry) entries.push_back(data.entry[i]);
      if (data.event[i]) event_times.push_back(data.duration[i]);
    }
    c.observations = exits.size();
    c.total_events = static_cast<double>(event_times.size());
    std::sort(exits.begin(), exits.end());
    std::sort(entries.begin(), entries.end());
    std::sort(event_times.begin(), event_times.end());
    double s = 1.0, greenwood = 0.0;
    for (std::size_t k = 0; k < event_times.size();) {
      const double t = event_times[k];
      std::size_t m = k;
      while (m < event_times.size() && event_times[m] == t) ++m;
      const double d = static_cast<double>(m - k);
      k = m;
      // n = #{exit >= t} − #{entry >= t} (entry < exit, so entry >= t implies exit > t).
      double at_risk = static_cast<double>(exits.end() - std::lower_bound(exits.begin(), exits.end(), t));
      if (has_entry)
        at_risk -= static_cast<double>(entries.end() - std::lower_bound(entries.begin(), entries.end(), t));
      s *= 1.0 - d / at_risk;
      greenwood = at_risk > d ? greenwood + d / (at_risk * (at_risk - d)) : std::numeric_limits<double>::infinity();
      double lo = missing, hi = missing;
      if (s > 0.0) {
        const double sigma = std::sqrt(greenwood);
        switch (options.ci) {
          case ConfidenceType::log:
            lo = s * std::exp(-z * sigma);
            hi = std::min(1.0, s * std::exp(z * sigma));
            break;
          case ConfidenceType::log_log: {
            const double theta = std::log(-std::log(s));
            const double w = z * sigma / -std::log(s);
            lo = std::exp(-std::exp(theta + w));
            hi = std::exp(-std::exp(theta - w));
            break;
          }
          case ConfidenceType::plain:
            lo = std::max(0.0, s - z * sigma * s);
            hi = std::min(1.0, s + z * sigma * s);
            break;
        }
      }
      c.time.push_back(t);
      c.at_risk.push_back(at_risk);
      c.events.push_back(d);
      c.survival.push_back(s);
      c.lower.push_back(lo);
      c.upper.push_back(hi);
    }
    if (!exits.empty()) {
      const double last = exits.back();
      c.median = detail::survfit_quantile(c.time, c.survival, last);
      c.median_lower = detail::survfit_quantile(c.time, c.lower, last);
      c.median_upper = detail::survfit_quantile(c.time, c.upper, last);
    }
  }
  return curves;
}

Table survival_table(const std::vector<SurvivalCurve>& curves, const std::vector<std::string>& key_names,
                     const std::vector<std::vector<std::string>>& labels) {
  Table table;
  table.key_names = key_names;
  table.keys.assign(key_names.size(), {});
  ValueColumn time{"time", ValueKind::number, {}}, at_risk{"at_risk", ValueKind::count, {}},
      events{"events", ValueKind::count, {}}, survival{"survival", ValueKind::rate, {}},
      lower{"lower", ValueKind::rate, {}}, upper{"upper", ValueKind::rate, {}};
  for (std::size_t g = 0; g < curves.size(); ++g) {
    const SurvivalCurve& c = curves[g];
    for (std::size_t r = 0; r < c.time.size(); ++r) {
      for (std::size_t k = 0; k < key_names.size(); ++k) table.keys[k].push_back(labels[g][k]);
    }
    time.values.insert(time.values.end(), c.time.begin(), c.time.end());
    at_risk.values.insert(at_risk.values.end(), c.at_risk.begin(), c.at_risk.end());
    events.values.insert(events.values.end(), c.events.begin(), c.events.end());
    survival.values.insert(survival.values.end(), c.survival.begin(), c.survival.end());
    lower.values.insert(lower.values.end(), c.lower.begin(), c.lower.end());
    upper.values.insert(upper.values.end(), c.upper.begin(), c.upper.end());
  }
  table.values = {std::move(time),     std::move(at_risk), std::move(events),
                  std::move(survival), std::move(lower),   std::move(upper)};
  return table;
}

Table median_table(const std::vector<SurvivalCurve>& curves, const std::vector<std::string>& key_names,
                   const std::vector<std::vector<std::string>>& labels) {
  Table table;
  table.key_names = key_names;
  table.keys.assign(key_names.size(), {});
  ValueColumn observations{"observations", ValueKind::count, {}}, events{"events", ValueKind::count, {}},
      median{"median", ValueKind::number, {}}, lower{"lower", ValueKind::number, {}},
      upper{"upper", ValueKind::number, {}};
  for (std::size_t g = 0; g < curves.size(); ++g) {
    const SurvivalCurve& c = curves[g];
    for (std::size_t k = 0; k < key_names.size(); ++k) table.keys[k].push_back(labels[g][k]);
    observations.values.push_back(static_cast<double>(c.observations));
    events.values.push_back(c.total_events);
    median.values.push_back(c.median);
    lower.values.push_back(c.median_lower);
    upper.values.push_back(c.median_upper);
  }
  table.values = {std::move(observations), std::move(events), std::move(median), std::move(lower), std::move(upper)};
  return table;
}

TenureObservations tenure_observations(const Register& reg, day_t from, day_t to, const Query& query) {
  detail::require_observed(reg, query, from, to);
  const SpellColumns& s = reg.spells();
  const GroupKeys keys(reg, query.by);
  struct Row {
    std::uint64_t key;
    double entry, exit;
    std::uint8_t event;
  };
  std::vector<Row> rows;
  std::vector<day_t> chains;
  detail::for_each_person(s, [&](std::size_t b, std::size_t e) {
    chains.clear();
    for (std::size_t i = b; i < e; ++i) chains.push_back(s.chain_start[i]);
    std::sort(chains.begin(), chains.end());
    chains.erase(std::unique(chains.begin(), chains.end()), chains.end());
    for (const day_t chain : chains) {
      day_t last_day = chain;
      std::uint32_t last = no_code;
      day_t entry_day = open_end_day;
      for (std::size_t i = b; i < e; ++i) {
        if (s.chain_start[i] != chain) continue;
        if (last == no_code || s.end_date[i] > last_day) {
          last_day = s.end_date[i];
          last = static_cast<std::uint32_t>(i);
        }
        if (s.end_date[i] >= from) entry_day = std::min(entry_day, std::max(s.start_date[i], from));
      }
      if (entry_day > to) continue;  // not employed in the window
      // The main spell on the entry day among the episode's spells passing the filter.
      std::uint32_t main = no_code;
      int fte = 0;
      for (std::size_t i = b; i < e; ++i) {
        if (s.chain_start[i] != chain || s.start_date[i] > entry_day || entry_day > s.end_date[i]) continue;
        if (!query.filter.passes(reg, i)) continue;
        fte += s.fte[i];
        if (main == no_code || is_better_main_spell(s, i, main)) main = static_cast<std::uint32_t>(i);
      }
      if (main == no_code) continue;
      const bool departed = s.end_kind[last] == EndKind::departure && last_day <= to;
      const day_t exit_day = departed ? last_day + 1 : std::min(last_day, to) + 1;
      rows.push_back({keys.key(main, entry_day, fte), static_cast<double>(entry_day - chain) / days_per_month,
                      static_cast<double>(exit_day - chain) / days_per_month,
                      departed ? std::uint8_t{1} : std::uint8_t{0}});
    }
  });
  TenureObservations out;
  for (const Dimension& d : keys.by().dimensions) out.key_names.push_back(d.name);
  // Dense group codes in the order of their labels.
  std::map<std::uint64_t, std::vector<std::string>> labels;
  for (const Row& r : rows) {
    if (labels.find(r.key) == labels.end()) labels.emplace(r.key, keys.labels(r.key));
  }
  std::vector<std::pair<std::vector<std::string>, std::uint64_t>> sorted;
  for (auto& [key, label] : labels) sorted.emplace_back(label, key);
  std::sort(sorted.begin(), sorted.end());
  std::map<std::uint64_t, std::uint32_t> code;
  for (std::size_t g = 0; g < sorted.size(); ++g) {
    code[sorted[g].second] = static_cast<std::uint32_t>(g);
    out.labels.push_back(sorted[g].first);
  }
  out.data.groups = sorted.size();
  for (const Row& r : rows) {
    out.data.duration.push_back(r.exit);
    out.data.entry.push_back(r.entry);
    out.data.event.push_back(r.event);
    out.data.group.push_back(code[r.key]);
  }
  return out;
}

TenureCurves tenure_curves(const Register& reg, day_t from, day_t to, const Query& query,
                           const KaplanMeierOptions& options) {
  TenureObservations obs = tenure_observations(reg, from, to, query);
  if (obs.key_names.empty()) {
    obs.key_names = {"group"};
    obs.labels.assign(obs.data.groups, {"all"});
    if (obs.data.groups == 0) {  // nobody: an empty "all" curve
      obs.data.groups = 1;
      obs.labels = {{"all"}};
    }
  }
  const auto curves = kaplan_meier(obs.data, options);
  TenureCurves out{survival_table(curves, obs.key_names, obs.labels), median_table(curves, obs.key_names, obs.labels)};
  if (query.totals && !query.by.dimensions.empty()) {
    const TenureCurves all = tenure_curves(reg, from, to, query.ungrouped(), options);
    auto append = [](Table& table, const Table& pooled, const std::string& label) {
      for (std::size_t r = 0; r < pooled.rows(); ++r) {
        for (std::size_t k = 0; k < table.keys.size(); ++k) table.keys[k].push_back(k == 0 ? label : "");
        for (std::size_t c = 0; c < table.values.size(); ++c) {
          table.values[c].values.push_back(pooled.values[c].values[r]);
        }
      }
    };
    append(out.curves, all.curves, out.curves.total_label);
    append(out.medians, all.medians, out.medians.total_label);
  }
  return out;
}

}  // namespace staffcast
