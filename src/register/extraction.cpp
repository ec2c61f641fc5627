// The assumed extraction date of a register (see register/extraction.hpp).
#include "builder.hpp"

#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/extraction.hpp>

#include <algorithm>
#include <chrono>

namespace staffcast {

namespace {

constexpr std::string_view assumed_code = "extraction_date_assumed";

}  // namespace

day_t today_utc() {
  const auto hours =
      std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now().time_since_epoch());
  return static_cast<day_t>(hours.count() / 24);
}

void Register::set_extraction_date(std::optional<day_t> given, day_t today, std::optional<day_t> other_latest) {
  extracted_on_given_ = given.has_value();
  if (given) {
    extracted_on_ = *given;
    today_ = *given;
  } else {
    today_ = today;
    const day_t latest = other_latest ? std::max(latest_date_, *other_latest) : latest_date_;
    extracted_on_ = assumed_extraction_date(latest, today);
  }
  if (!earliest_closed_end_known_) {
    earliest_closed_end_.reset();
    for (std::size_t i = 0; i < spells_.size(); ++i) {
      const day_t end = spells_.end_date[i];
      if (end != open_end_day && (!earliest_closed_end_ || end < *earliest_closed_end_)) earliest_closed_end_ = end;
    }
    earliest_closed_end_known_ = true;
  }
  // The earliest end on or before the extraction date is the earliest end of all, if that one is.
  earliest_observed_end_.reset();
  if (earliest_closed_end_ && *earliest_closed_end_ <= extracted_on_) earliest_observed_end_ = earliest_closed_end_;
}

std::string extraction_assumed_message(const Register& reg) {
  if (reg.extracted_on_given()) return {};
  const day_t day = reg.extracted_on();
  std::string text = "no extraction date given: assumed " + format_iso_date(day) + ", ";
  text += day < reg.assumed_today() ? "the latest date in the inputs (earlier than today)"
                                    : "today (earlier than the latest date in the inputs)";
  // Recorded ends after the latest start: planned ends of a live export, if it was taken about then.
  std::size_t later = 0;
  const SpellColumns& s = reg.spells();
  for (std::size_t i = 0; i < s.size(); ++i) {
    later += s.end_date[i] != open_end_day && s.end_date[i] > reg.latest_start() && s.end_date[i] <= day ? 1 : 0;
  }
  if (later > 0) {
    text += "; " + std::to_string(later) + " recorded end(s) after the latest start date " +
            format_iso_date(reg.latest_start()) +
            " count as departures: if the register was taken about then, give that day";
  }
  return text + " (extracted_on, CLI --extracted-on)";
}

namespace detail {

void note_assumed_extraction(const Register& reg, IssueList& issues, const std::string& file) {
  issues.remove(assumed_code);
  if (reg.extracted_on_given()) return;
  issues.prepend({file,
                  0,
                  0,
                  {},
                  std::string(assumed_code),
                  extraction_assumed_message(reg),
                  format_iso_date(reg.extracted_on()),
                  Severity::warning});
}

}  // namespace detail

Register with_sick_leave_dates(Register reg, const SickLeave& sick) {
  if (reg.extracted_on_given() || sick.size() == 0) return reg;
  const day_t latest = *std::max_element(sick.end_date.begin(), sick.end_date.end());
  const day_t before = reg.extracted_on();
  reg.set_extraction_date(std::nullopt, reg.assumed_today(), latest);
  if (reg.extracted_on() == before) return reg;
  std::string file;
  for (const Issue& issue : reg.issues().items()) {
    if (issue.code == assumed_code) {
      file = issue.file;
      break;
    }
  }
  detail::note_assumed_extraction(reg, reg.issues_, file);
  return reg;
}

}  // namespace staffcast
