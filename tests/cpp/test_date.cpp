#include <staffcast/calendar.hpp>
#include <staffcast/register/groups.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <gtest/gtest.h>

using namespace staffcast;

TEST(Date, ParsesAndFormatsRoundTrip) {
  // 2024-09-30 is 19996 days after 1970-01-01 (computed with Python's datetime).
  EXPECT_EQ(parse_iso_date("2024-09-30"), 19996);
  EXPECT_EQ(parse_iso_date("1970-01-01"), 0);
  EXPECT_EQ(parse_iso_date("1969-12-31"), -1);
  EXPECT_EQ(parse_iso_date("9999-12-31"), open_end_day);
  EXPECT_EQ(format_iso_date(19996), "2024-09-30");
  EXPECT_EQ(format_iso_date(-1), "1969-12-31");
  for (day_t d = -30000; d < 90000; d += 37) EXPECT_EQ(parse_iso_date(format_iso_date(d)), d);
}

TEST(Date, RejectsWhatIsNotARealDate) {
  EXPECT_FALSE(parse_iso_date("2023-02-29"));
  EXPECT_TRUE(parse_iso_date("2024-02-29"));
  EXPECT_FALSE(parse_iso_date("1900-02-29"));
  EXPECT_TRUE(parse_iso_date("2000-02-29"));
  EXPECT_FALSE(parse_iso_date("2024-13-01"));
  EXPECT_FALSE(parse_iso_date("2024-00-10"));
  EXPECT_FALSE(parse_iso_date("2024-04-31"));
  EXPECT_FALSE(parse_iso_date("2024-4-30"));
  EXPECT_FALSE(parse_iso_date("2024/04/30"));
  EXPECT_FALSE(parse_iso_date(" 2024-04-30"));
  EXPECT_FALSE(parse_iso_date("２０２４-04-30"));
  EXPECT_FALSE(parse_iso_date(""));
  EXPECT_FALSE(parse_iso_date("0000-01-01"));
  EXPECT_FALSE(parse_iso_date("1399-12-31"));
}

TEST(Date, AgeCountsBirthdaysOnOrBeforeTheDay) {
  const day_t birth = *parse_iso_date("1960-06-15");
  EXPECT_EQ(age_on(birth, *parse_iso_date("2025-06-14")), 64);
  EXPECT_EQ(age_on(birth, *parse_iso_date("2025-06-15")), 65);
  EXPECT_EQ(age_on(birth, *parse_iso_date("2025-12-31")), 65);
}

TEST(Date, LeapDayBirthdayFallsOnFebruary28InCommonYears) {
  // lag (1930:173): the birthday of someone born on 29 February is 28 February in common years.
  const day_t birth = *parse_iso_date("1960-02-29");
  EXPECT_EQ(age_on(birth, *parse_iso_date("2025-02-27")), 64);
  EXPECT_EQ(age_on(birth, *parse_iso_date("2025-02-28")), 65);
  EXPECT_EQ(age_on(birth, *parse_iso_date("2024-02-28")), 63);
  EXPECT_EQ(age_on(birth, *parse_iso_date("2024-02-29")), 64);
  EXPECT_EQ(format_iso_date(birthday(birth, 65)), "2025-02-28");
  EXPECT_EQ(format_iso_date(birthday(birth, 64)), "2024-02-29");
  EXPECT_EQ(format_iso_date(add_years(*parse_iso_date("2024-02-29"), -1)), "2023-02-28");
}

// The fast conversions agree with Boost.Date_Time on every supported day.
TEST(Date, FastConversionsAgreeWithBoostEverywhere) {
  using greg = boost::gregorian::gregorian_calendar;
  long mismatches = 0;
  for (staffcast::day_t d = staffcast::first_calendar_day; d <= staffcast::last_calendar_day; ++d) {
    const auto b = greg::from_day_number(static_cast<greg::date_int_type>(d + 2440588));
    const staffcast::ymd f = staffcast::to_ymd(d);
    if (f.year != b.year || f.month != b.month || f.day != b.day) ++mismatches;
    if (staffcast::to_day(b.year, b.month, b.day) != d) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(staffcast::to_day(1400, 1, 1), staffcast::first_calendar_day);
  EXPECT_EQ(staffcast::to_day(9999, 12, 31), staffcast::last_calendar_day);
  EXPECT_EQ(staffcast::to_day(2000, 2, 29), 11016);  // 30 * 365 + 7 leap days (1972-1996) + 31 + 28
}

// Ages from the per-day table equal age_on for every birth date of 160 years,
// on days around 29 February (leap and common years) and an ordinary day.
TEST(Date, AgeTableAgreesWithAgeOn) {
  for (const char* text : {"2024-02-28", "2024-02-29", "2024-03-01", "2023-02-28", "2023-03-01", "2024-09-30"}) {
    const staffcast::day_t day = *staffcast::parse_iso_date(text);
    const staffcast::detail::AgeOnDay ages(day);
    ASSERT_TRUE(ages.valid());
    long mismatches = 0;
    for (staffcast::day_t birth = day - 160 * 366; birth <= day + 400; ++birth) {
      if (ages.age(birth) != staffcast::age_on(birth, day)) ++mismatches;
    }
    EXPECT_EQ(mismatches, 0) << text;
  }
  // Born 29 February 2000: 23 on 28 February 2023 (common year), 24 only on 29 February 2024.
  const staffcast::detail::AgeOnDay feb28(*staffcast::parse_iso_date("2023-02-28"));
  EXPECT_EQ(feb28.age(*staffcast::parse_iso_date("2000-02-29")), 23);
  const staffcast::detail::AgeOnDay feb28_leap(*staffcast::parse_iso_date("2024-02-28"));
  EXPECT_EQ(feb28_leap.age(*staffcast::parse_iso_date("2000-02-29")), 23);
}
