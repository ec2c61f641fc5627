// Scenario files (docs/models.md, "Scenarios"): every key, every error, the example of docs/models.md.
#include <staffcast/error.hpp>
#include <staffcast/io/scenario_file.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

using namespace staffcast;

namespace {

/// The message of the argument_error that parsing `text` throws ("" if none or another type).
std::string error_of(const std::string& text) {
  try {
    parse_scenario_toml(text, "test.toml");
  } catch (const argument_error& e) {
    return e.what();
  } catch (...) {
    return "<another exception type>";
  }
  return "<no error>";
}

/// Asserts that parsing fails with a message containing every part.
void expect_error(const std::string& text, std::initializer_list<const char*> parts) {
  const std::string message = error_of(text);
  for (const char* part : parts) {
    EXPECT_NE(message.find(part), std::string::npos) << "message: " << message << "\nexpected: " << part;
  }
}

}  // namespace

TEST(ScenarioFile, DesignExample) {
  const Scenario s = parse_scenario_toml(R"(name = "retire later"
retirement_age_shift = 2          # years added to every retirement age
[[rate_multiplier]]               # other separations
where = { position = "Socialsekreterare" }
factor = 0.8
growth_per_year = 0.055           # of the target stock
hiring_freeze_years = 0
part_time_to_full_time = 0.25     # share of part-time staff moving to full time per year
)");
  EXPECT_EQ(s.name, "retire later");
  EXPECT_EQ(s.retirement_age_shift, 2);
  ASSERT_EQ(s.rate_multipliers.size(), 1U);
  EXPECT_EQ(s.rate_multipliers[0].factor, 0.8);
  ASSERT_EQ(s.rate_multipliers[0].where.size(), 1U);
  EXPECT_EQ(s.rate_multipliers[0].where.at("position"), std::vector<std::string>{"Socialsekreterare"});
  // In TOML the keys after [[rate_multiplier]] belong to that table; scenario
  // keys found there are lifted to the scenario, so the example means what it says.
  EXPECT_EQ(s.growth_per_year, 0.055);
  EXPECT_EQ(s.hiring_freeze_years, 0);
  EXPECT_EQ(s.part_time_to_full_time, 0.25);
  EXPECT_FALSE(s.target_stock.total.has_value());
}

TEST(ScenarioFile, ScenarioKeyGivenTwiceIsAnError) {
  expect_error(R"(name = "retire later"
growth_per_year = 0.01
[[rate_multiplier]]
where = { position = "Socialsekreterare" }
factor = 0.8
growth_per_year = 0.055
)",
               {"test.toml", "line 6", "'growth_per_year'", "given twice"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = 1\nname = 'b'\n", {"line 4", "'name'", "given twice"});
}

TEST(ScenarioFile, EveryKey) {
  const Scenario s = parse_scenario_toml(R"(name = "all"
retirement_age_shift = -3
growth_per_year = -0.1
hiring_freeze_years = 2
part_time_to_full_time = 1
target_stock = 1200

[[rate_multiplier]]
where = { position = ["Undersköterska", "Sjuksköterska"], department = "Vård" }
factor = 1.5

[[rate_multiplier]]
factor = 0
)");
  EXPECT_EQ(s.name, "all");
  EXPECT_EQ(s.retirement_age_shift, -3);
  EXPECT_EQ(s.growth_per_year, -0.1);
  EXPECT_EQ(s.hiring_freeze_years, 2);
  EXPECT_EQ(s.part_time_to_full_time, 1.0);
  ASSERT_TRUE(s.target_stock.total.has_value());
  EXPECT_EQ(*s.target_stock.total, 1200.0);
  EXPECT_TRUE(s.target_stock.per_group.empty());
  ASSERT_EQ(s.rate_multipliers.size(), 2U);
  EXPECT_EQ(s.rate_multipliers[0].factor, 1.5);
  EXPECT_EQ(s.rate_multipliers[0].where.at("position"), (std::vector<std::string>{"Undersköterska", "Sjuksköterska"}));
  EXPECT_EQ(s.rate_multipliers[0].where.at("department"), std::vector<std::string>{"Vård"});
  EXPECT_EQ(s.rate_multipliers[1].factor, 0.0);
  EXPECT_TRUE(s.rate_multipliers[1].where.empty());  // every group
}

TEST(ScenarioFile, DefaultsChangeNothing) {
  const Scenario s = parse_scenario_toml("name = \"baseline\"\n");
  EXPECT_EQ(s.name, "baseline");
  EXPECT_EQ(s.retirement_age_shift, 0);
  EXPECT_TRUE(s.rate_multipliers.empty());
  EXPECT_EQ(s.growth_per_year, 0.0);
  EXPECT_EQ(s.hiring_freeze_years, 0);
  EXPECT_FALSE(s.target_stock.total.has_value());
  EXPECT_TRUE(s.target_stock.per_group.empty());
  EXPECT_EQ(s.part_time_to_full_time, 0.0);
}

TEST(ScenarioFile, TargetStockPerGroup) {
  const Scenario s = parse_scenario_toml(R"(name = "demand"
[target_stock]
"Vård" = 800
Skola = 0
)");
  EXPECT_FALSE(s.target_stock.total.has_value());
  ASSERT_EQ(s.target_stock.per_group.size(), 2U);
  EXPECT_EQ(s.target_stock.per_group.at("Vård"), 800.0);
  EXPECT_EQ(s.target_stock.per_group.at("Skola"), 0.0);
}

TEST(ScenarioFile, BoundsAreInclusive) {
  EXPECT_EQ(parse_scenario_toml("name='a'\nretirement_age_shift=-5").retirement_age_shift, -5);
  EXPECT_EQ(parse_scenario_toml("name='a'\nretirement_age_shift=10").retirement_age_shift, 10);
  EXPECT_EQ(parse_scenario_toml("name='a'\ngrowth_per_year=-0.5").growth_per_year, -0.5);
  EXPECT_EQ(parse_scenario_toml("name='a'\ngrowth_per_year=0.5").growth_per_year, 0.5);
  EXPECT_EQ(parse_scenario_toml("name='a'\ngrowth_per_year=0").growth_per_year, 0.0);  // an integer is a number
  EXPECT_EQ(parse_scenario_toml("name='a'\npart_time_to_full_time=0.0").part_time_to_full_time, 0.0);
  EXPECT_EQ(parse_scenario_toml("name='a'\nhiring_freeze_years=2147483647").hiring_freeze_years, 2147483647);
  EXPECT_EQ(*parse_scenario_toml("name='a'\ntarget_stock=100000000").target_stock.total, 1e8);
  EXPECT_EQ(*parse_scenario_toml("name='a'\ntarget_stock=0").target_stock.total, 0.0);
}

TEST(ScenarioFile, UnknownKeys) {
  expect_error("name = 'a'\n\nretirement_shift = 2\n", {"test.toml", "line 3", "'retirement_shift'", "unknown key"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = 1\nwhen = { a = 'b' }\n",
               {"line 4", "'rate_multiplier[1].when'", "unknown key"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = 1\n[[rate_multiplier]]\nfactor = 2\nfactr = 1\n",
               {"line 6", "'rate_multiplier[2].factr'"});
}

TEST(ScenarioFile, WrongTypes) {
  expect_error("name = 3\n", {"line 1", "'name'", "expected a string, got an integer"});
  expect_error("name = 'a'\nretirement_age_shift = 2.0\n",
               {"line 2", "'retirement_age_shift'", "expected an integer", "got a float"});
  expect_error("name = 'a'\nretirement_age_shift = '2'\n", {"'retirement_age_shift'", "got a string"});
  expect_error("name = 'a'\ngrowth_per_year = '5%'\n", {"line 2", "'growth_per_year'", "expected a number"});
  expect_error("name = 'a'\ngrowth_per_year = true\n", {"'growth_per_year'", "got a boolean"});
  expect_error("name = 'a'\nhiring_freeze_years = 1.5\n", {"'hiring_freeze_years'", "got a float"});
  expect_error("name = 'a'\npart_time_to_full_time = 1979-05-27\n", {"'part_time_to_full_time'", "got a date"});
  expect_error("name = 'a'\ntarget_stock = 12.5\n", {"line 2", "'target_stock'", "got a float"});
  expect_error("name = 'a'\ntarget_stock = [1, 2]\n", {"'target_stock'", "got an array"});
  expect_error("name = 'a'\n[target_stock]\nVard = '800'\n", {"line 3", "'target_stock.Vard'", "got a string"});
  expect_error("name = 'a'\nrate_multiplier = 0.8\n", {"line 2", "'rate_multiplier'", "got a float"});
  expect_error("name = 'a'\nrate_multiplier = [0.8]\n", {"'rate_multiplier[1]'", "got a float"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = '0.8'\n", {"line 3", "'rate_multiplier[1].factor'"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = 1\nwhere = 'position'\n",
               {"line 4", "'rate_multiplier[1].where'", "got a string"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = 1\nwhere = { position = 3 }\n",
               {"line 4", "'rate_multiplier[1].where.position'", "expected a string or an array of strings"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = 1\nwhere = { position = ['x', 3] }\n",
               {"'rate_multiplier[1].where.position[2]'", "expected a string, got an integer"});
}

TEST(ScenarioFile, OutOfRange) {
  expect_error("name = 'a'\nretirement_age_shift = 11\n", {"line 2", "'retirement_age_shift'", "-5..10", "got 11"});
  expect_error("name = 'a'\nretirement_age_shift = -6\n", {"'retirement_age_shift'", "got -6"});
  expect_error("name = 'a'\nretirement_age_shift = 9223372036854775807\n", {"'retirement_age_shift'"});
  expect_error("name = 'a'\ngrowth_per_year = 0.51\n", {"'growth_per_year'", "-0.5..0.5", "got 0.51"});
  expect_error("name = 'a'\ngrowth_per_year = -0.6\n", {"'growth_per_year'"});
  expect_error("name = 'a'\ngrowth_per_year = nan\n", {"'growth_per_year'", "got nan"});
  expect_error("name = 'a'\ngrowth_per_year = inf\n", {"'growth_per_year'", "got inf"});
  expect_error("name = 'a'\nhiring_freeze_years = -1\n", {"'hiring_freeze_years'", ">= 0", "got -1"});
  expect_error("name = 'a'\nhiring_freeze_years = 2147483648\n", {"'hiring_freeze_years'", "got 2147483648"});
  expect_error("name = 'a'\ntarget_stock = -1\n", {"'target_stock'", "0..100000000"});
  expect_error("name = 'a'\ntarget_stock = 100000001\n", {"'target_stock'"});
  expect_error("name = 'a'\ntarget_stock = {}\n", {"'target_stock'", "must not be empty"});
  expect_error("name = 'a'\ntarget_stock = { A = -5 }\n", {"'target_stock.A'", "got -5"});
  expect_error("name = 'a'\npart_time_to_full_time = 1.01\n", {"'part_time_to_full_time'", "[0, 1]"});
  expect_error("name = 'a'\npart_time_to_full_time = -0.0001\n", {"'part_time_to_full_time'"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = -0.5\n", {"line 3", "'rate_multiplier[1].factor'", ">= 0"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = inf\n", {"'rate_multiplier[1].factor'"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nfactor = 1\nwhere = { position = [] }\n",
               {"'rate_multiplier[1].where.position'", "must not be empty"});
}

TEST(ScenarioFile, RequiredKeys) {
  expect_error("retirement_age_shift = 1\n", {"test.toml", "'name'", "is required"});
  expect_error("name = ''\n", {"'name'", "must not be empty"});
  expect_error("name = 'a'\n[[rate_multiplier]]\nwhere = { position = 'x' }\n",
               {"line 2", "'rate_multiplier[1].factor'", "is required"});
}

TEST(ScenarioFile, InvalidToml) {
  expect_error("name = 'a'\ngrowth_per_year = \n", {"test.toml", "line 2", "invalid TOML"});
  expect_error("name = 'a'\nname = 'b'\n", {"line 2", "invalid TOML"});  // duplicate key
  expect_error("name = \"unterminated\n", {"line 1", "invalid TOML"});
  expect_error(std::string("name = 'a\0b'\n", 12), {"invalid TOML"});
  expect_error("name = '\xff'\n", {"invalid TOML"});
  expect_error("[[[", {"invalid TOML"});
  expect_error("", {"'name'", "is required"});
}

TEST(ScenarioFile, ReadFile) {
  const std::string path = testing::TempDir() + "staffcast_scenario_test.toml";
  {
    std::ofstream out(path, std::ios::binary);
    out << "name = \"freeze\"\nhiring_freeze_years = 2\n";
  }
  const Scenario s = read_scenario_file(path);
  EXPECT_EQ(s.name, "freeze");
  EXPECT_EQ(s.hiring_freeze_years, 2);
  {
    std::ofstream out(path, std::ios::binary);
    out << "name = \"freeze\"\nhiring_freeze_years = -2\n";
  }
  try {
    read_scenario_file(path);
    FAIL() << "no error";
  } catch (const argument_error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ", line 2: key 'hiring_freeze_years'"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
  EXPECT_THROW(read_scenario_file(path), io_error);
  EXPECT_THROW(read_scenario_file(testing::TempDir()), io_error);
}

TEST(ScenarioFile, ExampleFiles) {
  const std::string dir = std::string(STAFFCAST_SOURCE_DIR) + "/examples/scenarios/";
  EXPECT_EQ(read_scenario_file(dir + "retire_later.toml").retirement_age_shift, 2);
  EXPECT_EQ(read_scenario_file(dir + "turnover_minus_20.toml").rate_multipliers.at(0).factor, 0.8);
  EXPECT_EQ(read_scenario_file(dir + "growth_5_5.toml").growth_per_year, 0.055);
  EXPECT_EQ(read_scenario_file(dir + "hiring_freeze_2.toml").hiring_freeze_years, 2);
  EXPECT_EQ(read_scenario_file(dir + "part_time_to_full_time_25.toml").part_time_to_full_time, 0.25);
}

// Fuzz finding (fuzz_scenario): a table header starting with a character that
// cannot start a key reached toml++'s parse_key, whose assertion aborted (and
// under clang with NDEBUG was __builtin_assume: undefined behaviour). Now a
// clear argument_error from the parser's own error path.
TEST(ScenarioFileFuzzRegressions, TableHeaderWithBadKeyCharacter) {
  for (const char* text : {"[~a]\n", "[[~a]]\n", "name = 'a'\n[~rate_multiplier]]\nfactor = 0\n"}) {
    expect_error(text, {"test.toml, line", "invalid TOML", "expected bare key starting character", "saw '~'"});
  }
}

// Fuzz finding (fuzz_scenario, UBSan): toml++ 3.3's is_non_ascii_horizontal_whitespace
// reaches __builtin_unreachable for most non-ASCII code points, e.g. a
// character after a value or after a line-ending backslash in a multi-line
// string. The parser now calls a correct version: errors stay errors, valid
// text parses, and the Unicode spaces it means are still whitespace.
TEST(ScenarioFileFuzzRegressions, NonAsciiWhereWhitespaceIsChecked) {
  expect_error("name = \"a\" \xc3\xa5\n", {"test.toml, line 1", "invalid TOML"});
  expect_error("name = 'a'\ngrowth_per_year = 0.1\xc3\xb6\n", {"line 2", "invalid TOML"});
  EXPECT_EQ(parse_scenario_toml("name = \"\"\"a\\\n   \xc3\xb6\"\"\"\n").name, "a\xc3\xb6");
  EXPECT_EQ(parse_scenario_toml("name = \"\"\"a\\\n \xe3\x80\x80 b\"\"\"\n").name, "ab");  // U+3000 is skipped
  EXPECT_EQ(parse_scenario_toml("name = \"\"\"a\\\n \xc2\xa0"
                                "b\"\"\"\n")
                .name,
            "ab");  // U+00A0 too
}
