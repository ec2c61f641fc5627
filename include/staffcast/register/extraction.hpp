// The extraction date of a register when none is given (docs/data.md): it is
// assumed to be the earlier of today and the latest date in the inputs (start
// and end dates of the register and, when read with it, the sick leave; the
// open-end marker is no date). The register records the day and that it was
// assumed, and its issues start with an extraction_date_assumed warning that
// names the day.
#pragma once

#include <staffcast/calendar.hpp>

#include <string>

namespace staffcast {

class Register;
struct SickLeave;

/// Today's date on the system clock (UTC) as a day number.
day_t today_utc();

/// The assumed extraction date: the earlier of `today` and `latest_in_inputs`.
constexpr day_t assumed_extraction_date(day_t latest_in_inputs, day_t today) noexcept {
  return latest_in_inputs < today ? latest_in_inputs : today;
}

/// The text of the extraction_date_assumed warning of `reg` (empty when its
/// extraction date was given): the day, why, and, where recorded ends lie after
/// the latest start date, how many and that start date (a live export analysed
/// long after it was taken: its planned ends would count as departures).
std::string extraction_assumed_message(const Register& reg);

/// `reg` with its extraction date assumed again over its own dates and the sick
/// leave's (the latest end of a record), with the register's "today"; the
/// extraction_date_assumed warning says the new day. A register whose
/// extraction date was given is returned as it is.
Register with_sick_leave_dates(Register reg, const SickLeave& sick);

}  // namespace staffcast
