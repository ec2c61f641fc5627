#include <staffcast/io/indicators.hpp>
#include <staffcast/io/sick_leave.hpp>

#include <gtest/gtest.h>

#include <cmath>

using namespace staffcast;

TEST(SickLeave, ValidatesAndLinksToTheRegister) {
  const auto reg = try_read_register_text(
      "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason\n"
      "E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,2022-12-31,own_request\n"
      "E2,1970-01-01,M,permanent,A,D,1.00,2020-01-01,,\n");
  ASSERT_TRUE(reg.register_);
  const auto ok = try_read_sick_leave_text(
      "employee_id,start_date,end_date,extent\n"
      "E2,2021-03-01,2021-03-05,1\n"
      "E1,2022-12-20,2023-01-10,0.5\n"    // runs past the end of employment
      "E9,2021-01-01,2021-01-02,1.00\n",  // unknown person
      {}, &*reg.register_);
  ASSERT_TRUE(ok.sick_leave);
  EXPECT_EQ(ok.sick_leave->size(), 3U);
  EXPECT_EQ(ok.sick_leave->extent, (std::vector<std::uint8_t>{50, 100, 100}));
  ASSERT_EQ(ok.issues.size(), 2U);
  EXPECT_EQ(ok.issues.items()[0].code, "sick_leave_outside_employment");
  EXPECT_EQ(ok.issues.items()[0].row, 3);
  EXPECT_EQ(ok.issues.items()[1].row, 4);

  const auto bad = try_read_sick_leave_text(
      "employee_id,start_date,end_date,extent\n"
      "E2,2021-03-01,2021-02-05,1\n"
      "E2,2021-03-01,2021-03-05,1.5\n"
      "E2,2021-03-01,2021-03-05,half\n");
  EXPECT_FALSE(bad.sick_leave);
  ASSERT_EQ(bad.issues.size(), 3U);
  EXPECT_EQ(bad.issues.items()[0].code, "end_before_start");
  EXPECT_EQ(bad.issues.items()[1].code, "bad_number");
  EXPECT_EQ(bad.issues.items()[2].code, "bad_number");
}

TEST(Indicators, PeriodsParseAndOrder) {
  EXPECT_EQ(parse_period("2024")->index, 2024);
  EXPECT_EQ(parse_period("2024-T1")->index + 1, parse_period("2024-T2")->index);
  EXPECT_EQ(parse_period("2023-T3")->index + 1, parse_period("2024-T1")->index);
  EXPECT_EQ(parse_period("2023-12")->index + 1, parse_period("2024-01")->index);
  EXPECT_EQ(parse_period("2024-Q4")->granularity, Granularity::quarter);
  EXPECT_FALSE(parse_period("2024-T4"));
  EXPECT_FALSE(parse_period("2024-13"));
  EXPECT_FALSE(parse_period("24"));
  EXPECT_EQ(format_period(*parse_period("2024-T3")), "2024-T3");
  EXPECT_EQ(format_period(*parse_period("2024-09")), "2024-09");
}

TEST(Indicators, ReadsValuesTargetsAndDirection) {
  const auto result = try_read_indicators_text(
      "indicator,period,value,target,better,unit,unit_of_analysis\n"
      "HME,2023,78.5,80,higher,index,\n"
      "Hot och våld,2024-T1,12,,lower,antal,Vuxen\n");
  ASSERT_TRUE(result.indicators);
  EXPECT_DOUBLE_EQ(result.indicators->value[0], 78.5);
  EXPECT_TRUE(std::isnan(result.indicators->target[1]));
  EXPECT_EQ(result.indicators->better[1], -1);
  const auto bad = try_read_indicators_text(
      "indicator,period,value,better\n"
      "HME,2023-14,x,up\n");
  EXPECT_FALSE(bad.indicators);
  EXPECT_EQ(bad.issues.size(), 3U);
}
