// The calendar of date.hpp against Boost.Date_Time's gregorian calendar, for
// every day of 1900-2199: day numbers both ways, the weekday, and the "one
// year earlier / later" rule (29 February -> 28 February in common years).
#include <staffcast/calendar.hpp>
#include <staffcast/plan/periods.hpp>

#include <gtest/gtest.h>
#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>

namespace {

namespace greg = boost::gregorian;

const greg::date epoch(1970, 1, 1);

staffcast::day_t day_of(const greg::date& d) { return static_cast<staffcast::day_t>((d - epoch).days()); }

/// The same day `years` later in Boost's calendar, with staffcast's rule: a day that does not
/// exist in the target year (only 29 February) becomes the month's last day (28 February).
greg::date shifted(const greg::date& d, int years) {
  const int year = d.year() + years;
  const unsigned last = greg::gregorian_calendar::end_of_month_day(year, d.month());
  return greg::date(year, d.month(), std::min<unsigned>(d.day(), last));
}

}  // namespace

TEST(CalendarBoost, EveryDayOf1900To2199) {
  long mismatches = 0;
  for (greg::date d(1900, 1, 1); d <= greg::date(2199, 12, 31); d += greg::days(1)) {
    const staffcast::day_t n = day_of(d);
    const staffcast::ymd f = staffcast::to_ymd(n);
    if (f.year != d.year() || f.month != d.month() || f.day != d.day()) ++mismatches;
    if (staffcast::to_day(d.year(), d.month(), d.day()) != n) ++mismatches;
    // 1970-01-01 was a Thursday: day numbers and Boost agree on every weekday.
    if (((n % 7 + 7 + 4) % 7) != static_cast<int>(d.day_of_week().as_number())) ++mismatches;
    if (staffcast::is_leap_year(d.year()) != greg::gregorian_calendar::is_leap_year(d.year())) ++mismatches;
    if (staffcast::days_in_month(d.year(), d.month()) != d.end_of_month().day()) ++mismatches;
    if (staffcast::format_iso_date(n) != greg::to_iso_extended_string(d)) ++mismatches;
    if (staffcast::add_years(n, -1) != day_of(shifted(d, -1))) ++mismatches;
    if (staffcast::add_years(n, 1) != day_of(shifted(d, 1))) ++mismatches;
    if (staffcast::add_years(n, -5) != day_of(shifted(d, -5))) ++mismatches;
    EXPECT_LT(mismatches, 10) << "first mismatch near " << greg::to_iso_extended_string(d);
    if (mismatches >= 10) break;
  }
  EXPECT_EQ(mismatches, 0);
}

// Boost's own `years` arithmetic snaps the last day of a month to the last day of the target
// month (2025-02-28 - 1 year = 2024-02-29); staffcast keeps the day (2024-02-28) and only moves
// 29 February to 28 February. Everywhere else the two agree.
TEST(CalendarBoost, OneYearEarlierAgreesWithBoostBarEndOfMonthSnapping) {
  long differences = 0;
  for (greg::date d(1900, 1, 1); d <= greg::date(2199, 12, 31); d += greg::days(1)) {
    const greg::date boost_earlier = d - greg::years(1);
    const staffcast::day_t ours = staffcast::add_years(day_of(d), -1);
    if (ours == day_of(boost_earlier)) continue;
    ++differences;
    // Only 28 February of the year after a leap year differs: Boost gives 29 February.
    EXPECT_TRUE(d.month() == 2 && d.day() == 28 && greg::gregorian_calendar::is_leap_year(d.year() - 1))
        << greg::to_iso_extended_string(d);
    EXPECT_EQ(staffcast::format_iso_date(ours), std::to_string(d.year() - 1) + "-02-28");
  }
  EXPECT_EQ(differences, 73);  // the leap years 1899..2198 that are followed by a year in range
  EXPECT_EQ(staffcast::format_iso_date(staffcast::add_years(*staffcast::parse_iso_date("2024-02-29"), -1)),
            "2023-02-28");
}

// Rolling twelve months end at each month end and start the day after the same date a year earlier.
TEST(CalendarBoost, RollingPeriodsStartTheDayAfterOneYearEarlier) {
  for (int year = 1901; year <= 2199; year += 7) {
    const auto periods = staffcast::split_periods(staffcast::to_day(year, 1, 1), staffcast::to_day(year, 12, 31),
                                                  staffcast::PeriodLength::rolling12);
    ASSERT_EQ(periods.size(), 12U);
    for (std::size_t i = 0; i < periods.size(); ++i) {
      const greg::date end(year, static_cast<unsigned short>(i + 1), 1);
      EXPECT_EQ(periods[i].end, day_of(end.end_of_month()));
      EXPECT_EQ(periods[i].start, day_of(shifted(end.end_of_month(), -1)) + 1);
    }
  }
}
