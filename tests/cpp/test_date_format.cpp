// Date layouts: every directive, separators, pivots, 29 February, the swapped
// hints, the layout guesses of mapping templates, and their use by the register.
#include <staffcast/date_format.hpp>
#include <staffcast/detail/field_parse.hpp>
#include <staffcast/register/register.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <random>

#include <string>
#include <vector>

namespace staffcast {
namespace {

day_t d(int y, unsigned m, unsigned dd) { return to_day(y, m, dd); }

std::optional<day_t> read(const DateFormat& format, std::string_view text) { return format.parse(text); }

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const argument_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DateFormat, DefaultIsIsoOnly) {
  const DateFormat iso;
  EXPECT_TRUE(iso.is_iso());
  EXPECT_EQ(read(iso, "2024-02-29"), d(2024, 2, 29));
  EXPECT_EQ(read(iso, "2023-02-29"), std::nullopt);
  EXPECT_EQ(read(iso, "2024-2-9"), std::nullopt);  // ISO stays exactly ten characters
  EXPECT_EQ(iso.describe(), "%Y-%m-%d");
}

// The readers' inline paths (eight digits at a time) for %Y-%m-%d and %Y%m%d
// when they come first: every day of 1890-2210 (past both ends of the table
// they use), impossible days, and random eight- and ten-byte texts, decided
// as the layouts' general parser decides them.
TEST(DateFormat, FastPathsAgreeWithTheGeneralParser) {
  const DateFormat formats[] = {DateFormat::iso(), require_date_format("%Y%m%d"), DateFormat({"%Y%m%d", "%d/%m/%Y"}),
                                DateFormat({"%Y-%m-%d", "%d.%m.%Y"}), require_date_format("%d/%m/%Y")};
  EXPECT_EQ(formats[0].fast_layout(), DateFormat::FastLayout::iso);
  EXPECT_EQ(formats[1].fast_layout(), DateFormat::FastLayout::compact);
  EXPECT_EQ(formats[2].fast_layout(), DateFormat::FastLayout::compact);
  EXPECT_EQ(formats[3].fast_layout(), DateFormat::FastLayout::iso);
  EXPECT_EQ(formats[4].fast_layout(), DateFormat::FastLayout::none);
  std::vector<std::string> texts;
  char buffer[48];  // room for any int, as the format warning counts
  for (int y = 1890; y <= 2210; ++y) {
    for (int m = 0; m <= 13; ++m) {
      for (int dd = 0; dd <= 32; ++dd) {
        std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, dd);
        texts.emplace_back(buffer);
        std::snprintf(buffer, sizeof buffer, "%04d%02d%02d", y, m, dd);
        texts.emplace_back(buffer);
      }
    }
  }
  std::mt19937_64 random(17);
  const char alphabet[] = "0123456789-/.:a ";
  for (int i = 0; i < 200000; ++i) {
    std::string text(i % 2 == 0 ? 8 : 10, '0');
    for (char& c : text) c = random() % 3 == 0 ? alphabet[random() % 16] : static_cast<char>('0' + random() % 10);
    texts.push_back(text);
  }
  std::size_t dates = 0;
  for (const DateFormat& format : formats) {
    for (const std::string& text : texts) {
      day_t fast = 0;
      const bool parsed = detail::parse_day_to(text, format, fast);
      const std::optional<day_t> general = format.parse(text);
      ASSERT_EQ(parsed, general.has_value()) << text << " in " << format.describe();
      if (parsed) {
        ASSERT_EQ(fast, *general) << text;
        ++dates;
      }
    }
  }
  EXPECT_GT(dates, 4U * 117000U);  // 117,250 real days in 1890-2210, found by the four formats that read them
  day_t day = 0;
  ASSERT_TRUE(detail::parse_day_to("20240229", formats[1], day));
  EXPECT_EQ(day, d(2024, 2, 29));
  EXPECT_FALSE(detail::parse_day_to("20230229", formats[1], day));
}

TEST(DateFormat, EveryDirectiveAndSeparator) {
  EXPECT_EQ(read(DateFormat({"%Y%m%d"}), "20240930"), d(2024, 9, 30));
  EXPECT_EQ(read(DateFormat({"%d/%m/%Y"}), "30/09/2024"), d(2024, 9, 30));
  EXPECT_EQ(read(DateFormat({"%m/%d/%Y"}), "3/30/2015"), d(2015, 3, 30));
  EXPECT_EQ(read(DateFormat({"%m/%d/%Y"}), "07/05/2011"), d(2011, 7, 5));
  EXPECT_EQ(read(DateFormat({"%d.%m.%Y"}), "5.7.2011"), d(2011, 7, 5));
  EXPECT_EQ(read(DateFormat({"%d %m %Y"}), "05 07 2011"), d(2011, 7, 5));
  EXPECT_EQ(read(DateFormat({"%Y/%m/%d"}), "2011/7/5"), d(2011, 7, 5));
  EXPECT_EQ(read(DateFormat({"%d-%b-%Y"}), "05-Jul-2011"), d(2011, 7, 5));
  EXPECT_EQ(read(DateFormat({"%d %b %Y"}), "3 okt 2019"), d(2019, 10, 3));   // Swedish
  EXPECT_EQ(read(DateFormat({"%d %b %Y"}), "3 OCT 2019"), d(2019, 10, 3));   // English, any case
  EXPECT_EQ(read(DateFormat({"%d %b %Y"}), "31 maj 2019"), d(2019, 5, 31));  // Swedish May
  EXPECT_EQ(read(DateFormat({"%d %b %Y"}), "31 may 2019"), d(2019, 5, 31));
  EXPECT_EQ(read(DateFormat({"%d %b %Y"}), "31 mai 2019"), std::nullopt);
  EXPECT_EQ(read(DateFormat({"%b %d, %Y"}), "Dec 24, 2019"), d(2019, 12, 24));
  // Next to another number a day or month is exactly two digits.
  EXPECT_EQ(read(DateFormat({"%d%m%Y"}), "05072011"), d(2011, 7, 5));
  EXPECT_EQ(read(DateFormat({"%d%m%Y"}), "5072011"), std::nullopt);
  // Parts of the wrong width, stray text, no text.
  EXPECT_EQ(read(DateFormat({"%m/%d/%Y"}), "3/30/15"), std::nullopt);
  EXPECT_EQ(read(DateFormat({"%m/%d/%Y"}), "003/30/2015"), std::nullopt);
  EXPECT_EQ(read(DateFormat({"%m/%d/%Y"}), "3/30/2015 "), std::nullopt);
  EXPECT_EQ(read(DateFormat({"%m/%d/%Y"}), ""), std::nullopt);
  EXPECT_EQ(read(DateFormat({"%m/%d/%Y"}), "13/01/2015"), std::nullopt);
}

TEST(DateFormat, TwentyNinthOfFebruary) {
  const DateFormat us({"%m/%d/%Y", "%m/%d/%y"}, 1930);
  EXPECT_EQ(read(us, "2/29/2024"), d(2024, 2, 29));
  EXPECT_EQ(read(us, "2/29/2023"), std::nullopt);
  EXPECT_EQ(read(us, "2/29/00"), d(2000, 2, 29));                            // 2000 is a leap year
  EXPECT_EQ(read(DateFormat({"%m/%d/%y"}, 1900), "2/29/00"), std::nullopt);  // 1900 is not
  EXPECT_EQ(read(DateFormat({"%d.%m.%Y"}), "29.02.1900"), std::nullopt);
}

TEST(DateFormat, CenturyPivot) {
  const DateFormat us({"%m/%d/%Y", "%m/%d/%y"}, 1930);
  EXPECT_EQ(read(us, "09/19/88"), d(1988, 9, 19));
  EXPECT_EQ(read(us, "09/19/30"), d(1930, 9, 19));  // the pivot itself
  EXPECT_EQ(read(us, "09/19/29"), d(2029, 9, 19));  // pivot + 99
  EXPECT_EQ(read(us, "07/10/1983"), d(1983, 7, 10));
  EXPECT_EQ(read(DateFormat({"%y%m%d"}, 1955), "540101"), d(2054, 1, 1));
  EXPECT_EQ(read(DateFormat({"%y%m%d"}, 1955), "550101"), d(1955, 1, 1));
  EXPECT_EQ(message_of([] { DateFormat({"%m/%d/%y"}); }),
            "date layout '%m/%d/%y' holds %y (a two-digit year): give century_pivot, e.g. century_pivot = 1930 "
            "reads yy as the year in [1930, 2029]");
  EXPECT_EQ(message_of([] { DateFormat({"%m/%d/%y"}, 1700); }),
            "century_pivot must be a year in [1800, 2100], got 1700");
}

TEST(DateFormat, ListTriedInOrder) {
  const DateFormat both({"%d/%m/%Y", "%m/%d/%Y"});
  EXPECT_EQ(read(both, "05/07/2011"), d(2011, 7, 5));  // the first layout wins
  EXPECT_EQ(read(both, "07/30/2011"), d(2011, 7, 30));
  EXPECT_EQ(both.describe(), "%d/%m/%Y or %m/%d/%Y");
  EXPECT_FALSE(both.is_iso());
}

TEST(DateFormat, BadLayoutsAreClearErrors) {
  EXPECT_EQ(message_of([] { DateFormat({"%d/%m/%Q"}); }),
            "date layout '%d/%m/%Q': unknown directive %Q; a layout is built from %Y %y %m %d %b and separators");
  EXPECT_EQ(message_of([] { DateFormat({"%Y-%m-%dT"}); }),
            "date layout '%Y-%m-%dT': 'T' is not a separator; use -, /, ., space or another punctuation mark");
  EXPECT_EQ(message_of([] { DateFormat({"%Y-%m"}); }),
            "date layout '%Y-%m' must hold one year (%Y or %y), one month (%m or %b) and one day (%d)");
  EXPECT_EQ(message_of([] { DateFormat({"%d/%d/%Y"}); }),
            "date layout '%d/%d/%Y' must hold one year (%Y or %y), one month (%m or %b) and one day (%d)");
  EXPECT_EQ(message_of([] { DateFormat({"%Y-%m-%"}); }), "date layout '%Y-%m-%' ends in a lone %");
  EXPECT_EQ(message_of([] { DateFormat(std::vector<std::string>{}); }),
            "date_format needs at least one layout, e.g. \"%Y-%m-%d\"");
}

TEST(DateFormat, SwappedHints) {
  const DateFormat eu({"%d/%m/%Y"});
  EXPECT_EQ(eu.swapped_fit("3/30/2015"), "%m/%d/%Y");
  EXPECT_TRUE(eu.fits_swapped("07/05/2011"));
  EXPECT_EQ(eu.swapped_fit("30/3/2015"), "");  // a day-first date, no hint
  EXPECT_EQ(eu.swapped_fit("31/31/2015"), "");
  const DateFormat us({"%m/%d/%Y", "%m/%d/%y"}, 1930);
  EXPECT_EQ(us.swapped_fit("30/03/88"), "%d/%m/%y");
  EXPECT_FALSE(DateFormat({"%d %b %Y"}).swappable());  // a month name cannot be a day
  EXPECT_EQ(DateLayout("%d.%m.%Y").swapped().pattern(), "%m.%d.%Y");
}

TEST(DateFormat, GuessesLayoutsFromValues) {
  // Month-first with two- and four-digit years, unpadded parts.
  DateLayoutGuess g = guess_date_layouts({"07/10/1983", "09/19/88", "3/30/2015", ""}, 2026);
  EXPECT_EQ(g.layouts, (std::vector<std::string>{"%m/%d/%Y", "%m/%d/%y"}));
  EXPECT_EQ(g.century_pivot, 1930);
  EXPECT_FALSE(g.ambiguous);
  // Day-first.
  g = guess_date_layouts({"30.09.2024", "1.2.2020"}, 2026);
  EXPECT_EQ(g.layouts, std::vector<std::string>{"%d.%m.%Y"});
  EXPECT_EQ(g.century_pivot, std::nullopt);
  // Both orders read every value: ambiguous, both named.
  g = guess_date_layouts({"01/02/2020", "03/04/2021"}, 2026);
  EXPECT_TRUE(g.ambiguous);
  EXPECT_EQ(g.layouts, std::vector<std::string>{"%d/%m/%Y"});
  EXPECT_EQ(g.alternative, std::vector<std::string>{"%m/%d/%Y"});
  // ISO, compact, Swedish month names.
  EXPECT_EQ(guess_date_layouts({"2024-09-30"}, 2026).layouts, std::vector<std::string>{"%Y-%m-%d"});
  EXPECT_EQ(guess_date_layouts({"20240930", "19991231"}, 2026).layouts, std::vector<std::string>{"%Y%m%d"});
  EXPECT_EQ(guess_date_layouts({"3 okt 2019", "31 maj 2020"}, 2026).layouts, std::vector<std::string>{"%d %b %Y"});
  // No layout reads every value.
  EXPECT_TRUE(guess_date_layouts({"2024-09-30", "not a date"}, 2026).layouts.empty());
  // %Y-%m-%d alone is ISO, exactly YYYY-MM-DD: not proposed for a one-digit month.
  EXPECT_TRUE(guess_date_layouts({"", "2019-3-01"}, 2026).layouts.empty());
  EXPECT_FALSE(DateFormat({"%Y-%m-%d"}).parse("2019-3-01").has_value());
}

const char* header =
    "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
    "recruitment_source,manager_id\n";

TEST(DateFormat, RegisterBadDateSaysTheSwappedLayout) {
  RegisterOptions options;
  options.date_format = DateFormat({"%d/%m/%Y"});
  // One month-first date among day-first ones: one issue with the hint.
  const std::string text = std::string(header) +
                           "A,19/01/1980,F,permanent,P,D,1.00,30/01/2015,,,,\n"
                           "B,20/01/1980,F,permanent,P,D,1.00,3/30/2015,,,,\n";
  const RegisterReadResult result = try_read_register_text(text, options);
  ASSERT_FALSE(result.register_);
  ASSERT_EQ(result.issues.size(), 1U);
  EXPECT_EQ(result.issues.items()[0].row, 3);
  EXPECT_EQ(result.issues.items()[0].message, "not a valid date %d/%m/%Y; fits %m/%d/%Y (day and month swapped)");
}

TEST(DateFormat, RegisterColumnOfSwappedDatesGivesOneIssue) {
  RegisterOptions options;
  options.date_format = DateFormat({"%d/%m/%Y"});
  std::string text = header;
  // Every start date is month-first: three are no day-first date, two would be read wrongly.
  for (const char* start : {"3/30/2015", "07/05/2011", "12/31/2016", "1/13/2018", "02/01/2019"}) {
    text += std::string("A") + start + ",19/01/1980,F,permanent,P,D,1.00," + start + ",,,,\n";
  }
  const RegisterReadResult result = try_read_register_text(text, options);
  ASSERT_FALSE(result.register_);
  ASSERT_EQ(result.issues.size(), 1U);
  const Issue& issue = result.issues.items()[0];
  EXPECT_EQ(issue.column, "start_date");
  EXPECT_EQ(issue.code, "bad_date");
  EXPECT_EQ(issue.row, 1);
  EXPECT_EQ(issue.message,
            "every date of the column fits %m/%d/%Y (day and month swapped), not %d/%m/%Y: 3 of them are no date in "
            "%d/%m/%Y and the others would be read wrongly; give date_format = \"%m/%d/%Y\"");
  EXPECT_EQ(result.issues.error_count(), 1U);
}

}  // namespace
}  // namespace staffcast
