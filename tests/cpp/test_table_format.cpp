// The cells of the table format that Python's aligned and HTML tables print:
// rates in per cent, value kinds by name, and CSV fields (which the generator
// writes too).
#include <staffcast/io/table_format.hpp>

#include <gtest/gtest.h>

#include <cmath>

using namespace staffcast;

namespace {

TEST(TableFormat, RatesInPerCent) {
  EXPECT_EQ(format_value(0.0423, ValueKind::rate, true), "4.2%");
  EXPECT_EQ(format_value(0.0425, ValueKind::rate, true), "4.2%");  // 4.25 exactly: half to even, as Python
  EXPECT_EQ(format_value(1.0, ValueKind::rate, true), "100.0%");
  EXPECT_EQ(format_value(0.0, ValueKind::rate, true), "0.0%");
  EXPECT_EQ(format_value(std::nan(""), ValueKind::rate, true), "");
  // Only rates change: the other kinds print as in csv.
  EXPECT_EQ(format_value(0.5, ValueKind::fte, true), "0.50");
  EXPECT_EQ(format_value(2.5, ValueKind::count, true), "2");
  EXPECT_EQ(format_value(0.125, ValueKind::number, true), "0.125");
}

TEST(TableFormat, ValueKindsByName) {
  EXPECT_EQ(parse_value_kind("count"), ValueKind::count);
  EXPECT_EQ(parse_value_kind("fte"), ValueKind::fte);
  EXPECT_EQ(parse_value_kind("age"), ValueKind::age);
  EXPECT_EQ(parse_value_kind("rate"), ValueKind::rate);
  EXPECT_EQ(parse_value_kind("flag"), ValueKind::flag);
  EXPECT_EQ(parse_value_kind("number"), ValueKind::number);
  EXPECT_FALSE(parse_value_kind("key"));
  EXPECT_FALSE(parse_value_kind("text"));
}

TEST(TableFormat, CsvFieldQuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("Vuxen"), "Vuxen");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("a\rb"), "\"a\rb\"");
}

}  // namespace
