// Sjukfrånvaro: sick leave as a share of working time over a period (docs/metrics.md),
// on a calendar-day basis, with the statutory suppression of small groups.
#pragma once

#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

namespace staffcast {

struct SickLeaveRateOptions {
  /// Groups of this many employees or fewer are never shown (the statutory rule).
  int min_group = 10;
  /// Off only for internal checks: published figures must keep it on.
  bool disclosure_control = true;
  int short_term_days = 14;  // days 1..14 of an absence
  int from_day = 60;         // days 60 and later; absences of this length are long-term
};

/// Sick leave over [from, to]. Columns: persons, fte_days, sick_rate,
/// short_term_rate, from_day_60_rate, long_term_share; `suppressed` names the
/// blanked columns of groups of min_group persons or fewer, of groups whose
/// sick leave belongs to one person, and of the next-smallest group where a
/// single suppressed group could otherwise be recovered from the others and the whole.
Table sick_leave_rates(const Register& reg, const SickLeave& sick, day_t from, day_t to, const Query& query,
                       const SickLeaveRateOptions& options = {});

}  // namespace staffcast
