// Occurrence/exposure rates (docs/metrics.md): events per person-year of exposure,
// per cell, with exact Poisson (Garwood) confidence intervals.
#pragma once

#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace staffcast {

/// Days per person-year.
inline constexpr double days_per_year = 365.25;

struct RateInterval {
  double lower = missing;
  double upper = missing;
};

/// The exact (Garwood) interval of a Poisson rate: k events over exposure T at
/// level 1 − α: lower = χ²(α/2; 2k) / 2T (0 when k = 0), upper =
/// χ²(1 − α/2; 2k + 2) / 2T. Both are NaN when T = 0. Throws argument_error for
/// a negative or non-finite k or T, or a level outside (0, 1).
RateInterval poisson_rate_interval(double events, double exposure, double conf_level = 0.95);

/// Which flow events a rate counts (as sc.flows counts them).
enum class RateEvents : std::uint8_t {
  departures,  // departures (default)
  moves,       // internal moves out (moves_out of sc.flows)
  exits        // both
};

/// "departures", "moves" or "exits"; throws argument_error otherwise.
RateEvents parse_rate_events(std::string_view text);

struct ExitRateOptions {
  double conf_level = 0.95;
  /// One row per end reason (key column `end_reason`), each with the cell's full exposure.
  bool by_reason = false;
  /// Count only these end reasons (empty: all). With by_reason the rows are
  /// these reasons when given, else the reasons that occur in the result.
  std::vector<EndReason> reasons;
  RateEvents events = RateEvents::departures;
};

/// Occurrence/exposure rates over [from, to] per group (docs/metrics.md).
///
/// events = departures (and/or moves out, see ExitRateOptions::events) dated in
/// [from, to], counted exactly as flows() counts them and grouped by their own
/// spell on the event day; person_years = person-days of the filtered
/// population in the group of their main spell, split at birthdays and service
/// anniversaries when age_band / tenure_band are grouped, / 365.25; rate =
/// events / person_years (NaN without exposure); lower, upper = the exact
/// Poisson (Garwood) interval at conf_level. Columns: `<by>[, end_reason],
/// events, person_years, rate, lower, upper`.
Table exit_rates(const Register& reg, day_t from, day_t to, const Query& query, const ExitRateOptions& options = {});

}  // namespace staffcast
