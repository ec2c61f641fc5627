#include <staffcast/calendar.hpp>
#include <staffcast/date_format.hpp>
#include <staffcast/register/groups.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

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

// A text in the layout whose day or month does not exist is named impossible, with the reason.
TEST(Date, ImpossibleDatesSayWhy) {
  EXPECT_EQ(impossible_date("2024-09-31"), "September has 30 days");
  EXPECT_EQ(impossible_date("2023-02-29"), "February 2023 has 28 days");
  EXPECT_EQ(impossible_date("1900-02-29"), "February 1900 has 28 days");  // a century, not a leap year
  EXPECT_EQ(impossible_date("2024-02-30"), "February 2024 has 29 days");
  EXPECT_EQ(impossible_date("2024-13-01"), "there is no month 13");
  EXPECT_EQ(impossible_date("2024-00-10"), "there is no month 00");
  EXPECT_EQ(impossible_date("2024-04-00"), "there is no day 00");
  EXPECT_EQ(impossible_date("20230229", DateFormat({"%Y%m%d"})), "February 2023 has 28 days");
  EXPECT_EQ(impossible_date("31/04/2024", DateFormat({"%d/%m/%Y"})), "April has 30 days");
  // Any layout: its fields are read without the calendar check, then checked.
  EXPECT_EQ(impossible_date("9/31/88", DateFormat({"%m/%d/%y"}, 1930)), "September has 30 days");
  EXPECT_EQ(impossible_date("31 Sep 2024", DateFormat({"%d %b %Y"})), "September has 30 days");
  EXPECT_EQ(impossible_date("29.2.2023", DateFormat({"%d.%m.%Y"})), "February 2023 has 28 days");
  EXPECT_EQ(impossible_date("2023-2-29", DateFormat({"%Y-%m-%d", "%d/%m/%Y"})), "February 2023 has 28 days");
  EXPECT_EQ(impossible_date("13/45/2024", DateFormat({"%m/%d/%Y"})), "there is no month 13");
  // A day reason of a later layout wins over the month of an earlier one.
  EXPECT_EQ(impossible_date("31/09/2024", DateFormat({"%m/%d/%Y", "%d/%m/%Y"})), "September has 30 days");
  EXPECT_FALSE(impossible_date("13/01/2015", DateFormat({"%m/%d/%Y", "%d/%m/%Y"})));  // a date in the second
  EXPECT_FALSE(impossible_date("2/29/88", DateFormat({"%m/%d/%y"}, 1930)));           // 1988 is a leap year
  // A real date, a text not in the layout, or a year outside the calendar: no reason.
  EXPECT_FALSE(impossible_date("2024-02-29"));
  EXPECT_FALSE(impossible_date("2024-9-31"));
  EXPECT_FALSE(impossible_date("2024/09/31"));
  EXPECT_FALSE(impossible_date("2024-09-31", DateFormat({"%Y%m%d"})));
  EXPECT_FALSE(impossible_date("2024-9-31", DateFormat::iso()));  // ISO alone reads exactly YYYY-MM-DD
  EXPECT_FALSE(impossible_date("0000-02-30"));
}

TEST(Date, RequireIsoDateNamesTheArgumentAndTheReason) {
  EXPECT_EQ(require_iso_date("2024-09-30", "as_of"), 19996);
  auto message = [](std::string_view text) {
    try {
      require_iso_date(text, "as_of");
    } catch (const argument_error& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("2024-09-31"), "as_of: 2024-09-31 is not a real calendar date: September has 30 days");
  EXPECT_EQ(message("2023-02-29"), "as_of: 2023-02-29 is not a real calendar date: February 2023 has 28 days");
  EXPECT_EQ(message("30/09/2024"), "as_of must be an ISO date YYYY-MM-DD, got '30/09/2024'");
  // Control bytes of the argument are shown as escapes, never sent to the terminal.
  EXPECT_EQ(message("\x1b[2J2024"), "as_of must be an ISO date YYYY-MM-DD, got '\\x1b[2J2024'");
}

TEST(Printable, EscapesControlCharactersAndBytesThatAreNotUtf8) {
  EXPECT_EQ(printable("plain text, Å ä ≤"), "plain text, Å ä ≤");
  EXPECT_EQ(printable("a\nb\tc\r"), "a\\x0ab\\x09c\\x0d");
  EXPECT_EQ(printable(std::string("nul\0end", 7)), "nul\\x00end");
  EXPECT_EQ(printable("\x1b[31mred\x7f"), "\\x1b[31mred\\x7f");
  EXPECT_EQ(printable("\xc2\x9b"
                      "2J"),
            "\\u009b2J");                                   // C1 CSI in UTF-8
  EXPECT_EQ(printable("caf\xe9"), "caf\\xe9");              // cp1252 é: not UTF-8
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");           // an overlong encoding
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(printable("\xf0\x9f\x98"), "\\xf0\\x9f\\x98");  // cut short
  const std::string once = printable("x\x1b\xff\xc2\x85y");
  EXPECT_EQ(printable(once), once);
}

// The youngest age band starts at the data contract's minimum age, the age the validation enforces.
TEST(AgeBands, TheYoungestBandStartsAtTheMinimumAge) {
  EXPECT_EQ(min_age_at_start, 15);
  EXPECT_EQ(default_age_bands().labels,
            (std::vector<std::string>{"15-19", "20-29", "30-39", "40-49", "50-59", "60-64", "65+"}));
  EXPECT_EQ(Bands::from_edges({25, 45}).labels, (std::vector<std::string>{"15-24", "25-44", "45+"}));
  EXPECT_EQ(Bands::from_edges({16}).labels, (std::vector<std::string>{"15-15", "16+"}));
  EXPECT_EQ(Bands::from_edges({15, 30}).labels.front(),
            "\u2264"
            "14");  // a band below the minimum holds nobody
  const std::string header =
      "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason\n";
  // Born 2005-06-15: 15 on 2020-06-15 (accepted), 14 the day before (refused).
  const auto at_15 = try_read_register_text(header + "E1,2005-06-15,F,hourly,A,D,0.20,2020-06-15,,\n");
  EXPECT_TRUE(at_15.register_);
  const auto at_14 = try_read_register_text(header + "E1,2005-06-15,F,hourly,A,D,0.20,2020-06-14,,\n");
  ASSERT_FALSE(at_14.register_);
  EXPECT_EQ(at_14.issues.items()[0].code, "implausible_age");
  EXPECT_EQ(at_14.issues.items()[0].message, "age at start_date is under 15");
}
