// The rules written once in C++: scenario validation, period splitting, the
// years of an outlook, the default windows of a plan's estimates, the summary of replicates and the table text format.
#include "register_fixture.hpp"

#include <staffcast/error.hpp>
#include <staffcast/io/table_format.hpp>
#include <staffcast/plan/dates.hpp>
#include <staffcast/plan/periods.hpp>
#include <staffcast/plan/years.hpp>
#include <staffcast/projection/replicate_summary.hpp>
#include <staffcast/projection/scenario_rules.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace staffcast;

namespace {

std::string validation_message(const Scenario& s) {
  try {
    validate_scenario(s);
  } catch (const argument_error& e) {
    return e.what();
  }
  return "<no error>";
}

std::string iso(day_t d) { return format_iso_date(d); }

template <class Years>
std::string message(day_t as_of, Years years) {
  try {
    outlook_years(as_of, years);
  } catch (const argument_error& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

TEST(ScenarioRules, BoundsAndMessages) {
  EXPECT_EQ(scenario_integer_problem("retirement_age_shift", 10), "");
  EXPECT_EQ(scenario_integer_problem("retirement_age_shift", 11), "must be an integer in -5..10, got 11");
  EXPECT_EQ(scenario_integer_problem("hiring_freeze_years", 2147483648LL), "must be an integer >= 0, got 2147483648");
  EXPECT_EQ(scenario_integer_problem("target_stock", 100000001), "must be an integer in 0..100000000, got 100000001");
  EXPECT_EQ(scenario_number_problem("growth_per_year", 0.6), "must be a number in -0.5..0.5, got 0.6");
  EXPECT_EQ(scenario_number_problem("part_time_to_full_time", std::nan("")), "must be a number in [0, 1], got nan");
  EXPECT_EQ(scenario_number_problem("factor", -1), "must be a number >= 0, got -1");
  EXPECT_EQ(scenario_number_problem("factor", std::numeric_limits<double>::infinity()),
            "must be a number >= 0, got inf");
  EXPECT_THROW(scenario_range("growth"), argument_error);
}

TEST(ScenarioRules, ValidateNamesTheKey) {
  Scenario s;
  EXPECT_NE(validation_message(s).find("name must be a non-empty string"), std::string::npos);
  s.name = "later";
  EXPECT_EQ(validation_message(s), "<no error>");
  s.growth_per_year = 0.51;
  EXPECT_EQ(validation_message(s), "scenario 'later': growth_per_year must be a number in -0.5..0.5, got 0.51");
  s.growth_per_year = 0;
  s.rate_multipliers.push_back({{{"position", {}}}, 1.0});
  EXPECT_EQ(validation_message(s), "scenario 'later': rate_multipliers[1].where.position must not be an empty list");
  s.rate_multipliers = {{{}, -0.5}};
  EXPECT_EQ(validation_message(s), "scenario 'later': rate_multipliers[1].factor must be a number >= 0, got -0.5");
  s.rate_multipliers.clear();
  s.target_stock.per_group["Vård"] = 12.5;
  EXPECT_NE(validation_message(s).find("target_stock['Vård'] must be an integer in 0..100000000, got 12.5"),
            std::string::npos);
}

TEST(Periods, YearsTertialsMonthsAndRolling) {
  const day_t from = *parse_iso_date("2023-02-15"), to = *parse_iso_date("2024-05-10");
  auto years = split_periods(from, to, PeriodLength::year);
  ASSERT_EQ(years.size(), 2U);
  EXPECT_EQ(iso(years[0].start), "2023-02-15");
  EXPECT_EQ(iso(years[0].end), "2023-12-31");
  EXPECT_EQ(iso(years[1].start), "2024-01-01");
  EXPECT_EQ(iso(years[1].end), "2024-05-10");
  auto tertials = split_periods(from, to, "tertial");
  ASSERT_EQ(tertials.size(), 5U);  // Feb-Apr 2023 (clipped), May-Aug, Sep-Dec, Jan-Apr 2024, May 2024 (clipped)
  EXPECT_EQ(iso(tertials[1].start), "2023-05-01");
  EXPECT_EQ(iso(tertials[1].end), "2023-08-31");
  EXPECT_EQ(split_periods(from, to, "month").size(), 16U);
  auto rolling = split_periods(*parse_iso_date("2024-01-31"), *parse_iso_date("2024-03-30"), "rolling12");
  ASSERT_EQ(rolling.size(), 2U);  // the month ends 2024-01-31 and 2024-02-29; 2024-03-31 is after the end
  EXPECT_EQ(iso(rolling[1].start), "2023-03-01");  // the day after 2023-02-28 (29 February a year earlier)
  EXPECT_EQ(iso(rolling[1].end), "2024-02-29");
  EXPECT_THROW(split_periods(to, from, "year"), argument_error);
  EXPECT_THROW(split_periods(from, to, "week"), argument_error);
}

TEST(OutlookYears, CountsAndRanges) {
  const day_t as_of = *parse_iso_date("2024-09-30");
  EXPECT_EQ(outlook_years(as_of, 3), (std::vector<int>{2025, 2026, 2027}));  // the years after 2024
  EXPECT_EQ(outlook_years(*parse_iso_date("2024-12-31"), 1), std::vector<int>{2025});
  EXPECT_EQ(outlook_years(*parse_iso_date("2025-01-01"), 2), (std::vector<int>{2026, 2027}));
  EXPECT_EQ(outlook_years(as_of, "3"), outlook_years(as_of, 3));
  EXPECT_EQ(outlook_years(as_of, " 2 "), (std::vector<int>{2025, 2026}));
  EXPECT_EQ(outlook_years(as_of, "2025-2027"), (std::vector<int>{2025, 2026, 2027}));
  EXPECT_EQ(outlook_years(as_of, " 2030 - 2030 "), std::vector<int>{2030});  // a range ignores the as-of year
  EXPECT_EQ(outlook_years(as_of, "2020-2021"), (std::vector<int>{2020, 2021}));
  EXPECT_EQ(message(as_of, 0), "years must be at least 1");
  EXPECT_EQ(message(as_of, -2), "years must be at least 1");
  EXPECT_EQ(message(as_of, "0"), "years must be at least 1");
  EXPECT_EQ(message(as_of, "2027-2025"), "years 2027-2025 are reversed");
  EXPECT_EQ(message(as_of, " 2027-2025\n"), "years 2027-2025 are reversed");
  EXPECT_EQ(message(as_of, "three"), "years must be a count N or a range Y1-Yn, got 'three'");
  EXPECT_EQ(message(as_of, "2025-"), "years must be a count N or a range Y1-Yn, got '2025-'");
  EXPECT_EQ(message(as_of, "-3"), "years must be a count N or a range Y1-Yn, got '-3'");
  EXPECT_EQ(message(as_of, ""), "years must be a count N or a range Y1-Yn, got ''");
}

TEST(PlanWindows, RetirementEstimateFiveYearsRatesOneYear) {
  // The fixture's history starts at Z's end on 2005-12-31: no clipping.
  const Register reg = staffcast::testing::read("A,1960-05-01,F,permanent,Nurse,Care,1.00,2010-01-01,,,,\n");
  const DayRange five = retirement_estimate_window(reg, staffcast::testing::d("2024-09-30"));
  EXPECT_EQ(iso(five.start), "2019-10-01");  // the day after 2019-09-30
  EXPECT_EQ(iso(five.end), "2024-09-30");
  const DayRange one = rates_window(reg, staffcast::testing::d("2024-09-30"));
  EXPECT_EQ(iso(one.start), "2023-10-01");
  EXPECT_EQ(iso(one.end), "2024-09-30");
  const DayRange leap = rates_window(reg, staffcast::testing::d("2024-02-29"));
  EXPECT_EQ(iso(leap.start), "2023-03-01");  // the day after 2023-02-28
  EXPECT_EQ(iso(leap.end), "2024-02-29");

  // Without Z the observed history starts at B's end, 2022-06-30: the five years are clipped, one year is not.
  RegisterOptions options;
  options.extracted_on = parse_iso_date("2024-12-31");
  auto young =
      try_read_register_text(staffcast::testing::register_header +
                                 "A,1960-05-01,F,permanent,Nurse,Care,1.00,2020-01-01,,,,\n"
                                 "B,1970-05-01,M,permanent,Nurse,Care,1.00,2021-03-01,2022-06-30,own_request,,\n",
                             options);
  ASSERT_TRUE(young.register_);
  const DayRange clipped = retirement_estimate_window(*young.register_, staffcast::testing::d("2024-09-30"));
  EXPECT_EQ(iso(clipped.start), "2022-06-30");
  EXPECT_EQ(iso(clipped.end), "2024-09-30");
  EXPECT_EQ(iso(rates_window(*young.register_, staffcast::testing::d("2024-09-30")).start), "2023-10-01");
}

TEST(ReplicateSummary, MeanInOrderAndNumpyPercentiles) {
  const ReplicateSummary s = summarise_replicates({3.0, 1.0, 2.0, 10.0, 4.0});
  EXPECT_EQ(s.mean, 4.0);
  EXPECT_DOUBLE_EQ(s.p5, 1.2);
  EXPECT_EQ(s.p50, 3.0);
  EXPECT_DOUBLE_EQ(s.p95, 8.8);
  EXPECT_THROW(summarise_replicates({}), argument_error);
}

TEST(TableFormat, CellsByKindAndQuoting) {
  EXPECT_EQ(format_value(2.5, ValueKind::count), "2");  // half to even
  EXPECT_EQ(format_value(-0.2, ValueKind::count), "0");
  EXPECT_EQ(format_value(1.005, ValueKind::fte), "1.00");
  EXPECT_EQ(format_value(47.25, ValueKind::age), "47.2");
  EXPECT_EQ(format_value(0.0423, ValueKind::rate), "0.042300");
  EXPECT_EQ(format_value(1, ValueKind::flag), "true");
  EXPECT_EQ(format_value(12.0, ValueKind::number), "12");
  EXPECT_EQ(format_value(0.125, ValueKind::number), "0.125");
  EXPECT_EQ(format_value(-0.0, ValueKind::number), "0");
  EXPECT_EQ(format_value(std::nan(""), ValueKind::fte), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  Table t;
  t.key_names = {"department"};
  t.keys = {{"Vård, omsorg", "Total"}};
  t.values = {{"headcount", ValueKind::count, {3, 5}}, {"mean_age", ValueKind::age, {41.25, std::nan("")}}};
  EXPECT_EQ(to_csv(t), "department,headcount,mean_age\n\"Vård, omsorg\",3,41.2\nTotal,5,\n");
}

TEST(TableFormat, WriteCsvStreamsTheBytesOfToCsv) {
  Table t;
  t.key_names = {"department"};
  t.keys = {{"Vård, omsorg", "Total"}};
  t.values = {{"headcount", ValueKind::count, {3, 5}}, {"mean_age", ValueKind::age, {41.25, std::nan("")}}};
  t.suppressed = {"", "headcount"};
  std::ostringstream out;
  write_csv(out, t);
  EXPECT_EQ(out.str(), to_csv(t));
  EXPECT_EQ(out.str(), "department,headcount,mean_age,suppressed\n\"Vård, omsorg\",3,41.2,\nTotal,5,,headcount\n");

  std::ostringstream empty;
  write_csv(empty, Table{});
  EXPECT_EQ(empty.str(), to_csv(Table{}));

  std::ostringstream failed;
  failed.setstate(std::ios::badbit);
  EXPECT_THROW(write_csv(failed, t), io_error);
}
