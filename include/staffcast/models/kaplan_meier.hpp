// Tenure (survival) curves (docs/metrics.md): the Kaplan–Meier estimator with late
// entry, Greenwood variances, R survfit's confidence intervals and median, and
// the tenure observations of a register.
#pragma once

#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

/// The confidence interval of S(t), as R's survfit `conf.type`.
enum class ConfidenceType : std::uint8_t {
  log,      // S·exp(±zσ), upper capped at 1 (survfit's default)
  log_log,  // on log(−log S) (lifelines' interval)
  plain     // S(1 ± zσ), clipped to [0, 1]
};

/// "log", "log-log" (or "log_log") or "plain"; throws argument_error otherwise.
ConfidenceType parse_confidence_type(std::string_view text);

struct KaplanMeierOptions {
  ConfidenceType ci = ConfidenceType::log;
  double conf_level = 0.95;
};

/// Survival data, one entry per observation.
struct SurvivalData {
  std::vector<double> duration;      // exit time: the event or censoring time, >= 0
  std::vector<std::uint8_t> event;   // 1 = the event happened at `duration`, 0 = censored there
  std::vector<double> entry;         // late-entry time (left truncation), < duration; empty = none
  std::vector<std::uint32_t> group;  // group code < groups; empty = everyone in group 0
  std::size_t groups = 1;
};

/// One group's Kaplan–Meier curve: one entry per distinct event time.
struct SurvivalCurve {
  std::vector<double> time, at_risk, events, survival, lower, upper;
  std::size_t observations = 0;
  double total_events = 0;
  /// The median (and its interval) as R's quantile.survfit defines it; NaN when
  /// the curve does not reach 0.5.
  double median = missing, median_lower = missing, median_upper = missing;
};

/// Kaplan–Meier curves per group (docs/metrics.md). At risk at t: entry < t ≤ exit
/// (without entry times: exit ≥ t), so an observation censored at t counts as
/// at risk at t; S(t) = Π (1 − d/n) over event times ≤ t; Greenwood σ²(t) =
/// Σ d / (n (n − d)); intervals as R's survfit (`ci`); lower and upper NaN where
/// S = 0; the median as R's quantile.survfit.
std::vector<SurvivalCurve> kaplan_meier(const SurvivalData& data, const KaplanMeierOptions& options = {});

/// Curves as a table: the key columns (`labels[g]` per group g, e.g. {"group"}
/// and {{"all"}}), then time, at_risk, events, survival, lower, upper.
Table survival_table(const std::vector<SurvivalCurve>& curves, const std::vector<std::string>& key_names,
                     const std::vector<std::vector<std::string>>& labels);

/// One row per group: the key columns, then observations, events, median,
/// lower, upper (the median's interval from the lower and upper curves).
Table median_table(const std::vector<SurvivalCurve>& curves, const std::vector<std::string>& key_names,
                   const std::vector<std::vector<std::string>>& labels);

// ------------------------------------------------------------------ the register

/// Days per month of tenure.
inline constexpr double days_per_month = 30.4375;

/// Tenure observations of a register over an observation window, grouped.
struct TenureObservations {
  SurvivalData data;  // months
  std::vector<std::string> key_names;
  std::vector<std::vector<std::string>> labels;  // per group code, sorted by code point
};

/// Tenure observations over the window [from, to] (docs/metrics.md). One observation
/// per employment episode (a person's spells joined by moves and continuations,
/// i.e. sharing SpellColumns::chain_start) that is employed on some day of the
/// window. Tenure runs from the episode's first day; the observation enters on
/// the episode's first day in the window (late entry, left truncation, when the
/// episode began before `from`) and exits on the day after the episode's last
/// day — an event when that end is a departure (not a move or continuation)
/// on or before `to` — or is censored at the end of `to` (ongoing spells and
/// planned ends after the extraction date). Group and filters are those of the
/// person's main spell (among the spells passing the filter) on the entry day;
/// later moves or conversions do not change them. Times in months = days /
/// 30.4375.
TenureObservations tenure_observations(const Register& reg, day_t from, day_t to, const Query& query);

/// Tenure curves and medians of a register (see tenure_observations).
struct TenureCurves {
  Table curves;   // <by> (or group = "all"), time, at_risk, events, survival, lower, upper
  Table medians;  // <by> (or group = "all"), observations, events, median, lower, upper
};

/// Kaplan–Meier tenure curves (months) over the window [from, to] per group of
/// `query.by`; without grouping one curve with group = "all". With
/// query.totals, the pooled curve is appended with the first key "Total".
TenureCurves tenure_curves(const Register& reg, day_t from, day_t to, const Query& query,
                           const KaplanMeierOptions& options = {});

}  // namespace staffcast
