// Mapping files: keys, layouts, pivots, defaults, "" codes, TODO values, and
// a foreign export read with a mapping alone.
#include <staffcast/io/mapping_file.hpp>
#include <staffcast/register/register.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace staffcast {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const argument_error& e) {
    return e.what();
  }
  return "(no error)";
}

const char* us_mapping = R"(
[format]
date_format = ["%m/%d/%Y", "%m/%d/%y"]
century_pivot = 1930
extracted_on = 2019-03-01
[columns]
"EmpID" = "employee_id"
"DOB" = "birth_date"
"Sex" = "gender"
"Position" = "position"
"Department" = "department"
"DateofHire" = "start_date"
"DateofTermination" = "end_date"
"TermReason" = "end_reason"
"ManagerID" = "manager_id"
"Notes" = ""
[defaults]
fte = 1.0
employment_form = "permanent"
[codes.end_reason]
"N/A-StillEmployed" = ""
"career change" = "own_request"
[codes.gender]
"Female" = "F"
"Male" = "M"
)";

TEST(MappingFile, ParsesEverySection) {
  const ReadMapping m = parse_mapping_toml(us_mapping, "us.toml");
  EXPECT_EQ(m.columns.size(), 9U);  // "Notes" = "" is left out
  EXPECT_EQ(m.columns.at("EmpID"), "employee_id");
  EXPECT_EQ(m.date_format, (std::vector<std::string>{"%m/%d/%Y", "%m/%d/%y"}));
  EXPECT_EQ(m.century_pivot, 1930);
  EXPECT_EQ(m.extracted_on, parse_iso_date("2019-03-01"));
  EXPECT_EQ(m.defaults.at("fte"), "1.00");
  EXPECT_EQ(m.defaults.at("employment_form"), "permanent");
  EXPECT_EQ(m.codes.at("end_reason").at("N/A-StillEmployed"), "");
  EXPECT_EQ(m.codes.at("gender").at("Female"), "F");
  EXPECT_FALSE(m.trim.has_value());
  EXPECT_FALSE(m.sep.has_value());
}

TEST(MappingFile, FormatKeysAtTheTopAndOneLayout) {
  const ReadMapping m = parse_mapping_toml(
      "sep = \";\"\ndecimal = \",\"\ndate_format = \"%d.%m.%Y\"\ntrim = false\n"
      "extracted_on = \"2024-09-30\"\ndimensions = [\"region\"]\n");
  EXPECT_EQ(m.sep, ";");
  EXPECT_EQ(m.decimal, ",");
  EXPECT_EQ(m.date_format, std::vector<std::string>{"%d.%m.%Y"});
  EXPECT_EQ(m.trim, false);
  EXPECT_EQ(m.extracted_on, parse_iso_date("2024-09-30"));
  EXPECT_EQ(m.dimensions, std::vector<std::string>{"region"});
  EXPECT_EQ(parse_mapping_toml("sep = \"tab\"").sep, "\t");
  EXPECT_FALSE(parse_mapping_toml("sep = \"auto\"").sep.has_value());
}

TEST(MappingFile, ClearErrors) {
  EXPECT_EQ(message_of([] { parse_mapping_toml("colums = {}", "m.toml"); }),
            "mapping m.toml, line 1: key 'colums': unknown key (known: columns, codes, defaults, dimensions, format "
            "(or the [format] keys at the top: sep, decimal, encoding, date_format, century_pivot, open_end, "
            "extracted_on, trim))");
  EXPECT_EQ(message_of([] { parse_mapping_toml("[format]\ndate_format = \"%m/%d/%y\"", "m.toml"); }),
            "mapping m.toml, line 2: key 'format.date_format': date layout '%m/%d/%y' holds %y (a two-digit year): "
            "give century_pivot, e.g. century_pivot = 1930 reads yy as the year in [1930, 2029]");
  EXPECT_EQ(message_of([] { parse_mapping_toml("[format]\ndate_format = \"%d/%m/%Q\"", "m.toml"); }),
            "mapping m.toml, line 2: key 'format.date_format': date layout '%d/%m/%Q': unknown directive %Q; a "
            "layout is built from %Y %y %m %d %b and separators");
  EXPECT_EQ(message_of([] { parse_mapping_toml("[format]\ncentury_pivot = 1700", "m.toml"); }),
            "mapping m.toml, line 2: key 'format.century_pivot': must be a year in [1800, 2100]");
  EXPECT_EQ(message_of([] { parse_mapping_toml("[codes.gender]\nK = \"female\"", "m.toml"); }),
            "mapping m.toml, line 2: key 'codes.gender.K': 'female' is not a code of gender; use one of F, M, X, "
            "or \"\" for no value");
  EXPECT_EQ(message_of([] { parse_mapping_toml("[codes.colour]\nK = \"F\"", "m.toml"); }),
            "mapping m.toml, line 1: key 'codes.colour': not a column of the register");
  EXPECT_EQ(message_of([] { parse_mapping_toml("[defaults]\nfte = 1.5", "m.toml"); }),
            "mapping m.toml, line 2: key 'defaults.fte': fte must be in (0, 1]");
  EXPECT_EQ(message_of([] { parse_mapping_toml("[defaults]\nstart_date = \"2020-01-01\"", "m.toml"); }),
            "mapping m.toml, line 2: key 'defaults.start_date': no default can be given for it; defaults are for "
            "gender, employment_form, position, department, fte, recruitment_source");
  EXPECT_EQ(message_of([] { parse_mapping_toml("trim = \"yes\"", "m.toml"); }),
            "mapping m.toml, line 1: key 'trim': expected true or false, got a string");
  EXPECT_EQ(
      message_of([] { parse_mapping_toml("date_format = \"%Y%m%d\"\n[format]\ndate_format = \"%Y%m%d\"", "m.toml"); }),
      "mapping m.toml, line 3: key 'format.date_format': given twice (at the top and in [format])");
  EXPECT_NE(message_of([] { parse_mapping_toml("[format", "m.toml"); }).find("invalid TOML"), std::string::npos);
}

TEST(MappingFile, TodoValuesAreListedTogether) {
  const char* text = R"([format]
date_format = "TODO"
extracted_on = "TODO"
[codes.gender]
"Female" = "F"
"Unknown" = "TODO"
[defaults]
fte = "TODO"
)";
  EXPECT_EQ(message_of([&] { parse_mapping_toml(text, "m.toml"); }),
            "mapping m.toml: left to fill in (replace each TODO): [format] date_format (line 2); [format] "
            "extracted_on (line 3); [codes.gender] \"Unknown\" (line 6); [defaults] fte (line 8)");
}

TEST(MappingFile, ForeignExportReadWithTheMappingAlone) {
  const std::string text =
      "EmpID,DOB,Sex,Position,Department,DateofHire,DateofTermination,TermReason,ManagerID,Notes\n"
      "10026,07/10/1983,Male ,Technician,Production       ,7/5/2011,,N/A-StillEmployed,,x\n"
      "10084,09/19/88,Female,Technician,Production       ,3/30/2015,6/16/2016,career change,10026,y\n";
  RegisterOptions options;
  apply_mapping(parse_mapping_toml(us_mapping), options);
  const RegisterReadResult result = try_read_register_text(text, options);
  ASSERT_TRUE(result.register_) << result.issues.items()[0].message;
  const Register& reg = *result.register_;
  ASSERT_EQ(reg.size(), 2U);
  const SpellColumns& s = reg.spells();
  EXPECT_EQ(reg.ids()[s.person[0]], "10026");
  EXPECT_EQ(s.birth_date[0], to_day(1983, 7, 10));
  EXPECT_EQ(s.start_date[0], to_day(2011, 7, 5));
  EXPECT_EQ(s.end_date[0], open_end_day);
  EXPECT_EQ(s.end_reason[0], EndReason::none);
  EXPECT_EQ(s.birth_date[1], to_day(1988, 9, 19));
  EXPECT_EQ(s.end_date[1], to_day(2016, 6, 16));
  EXPECT_EQ(s.end_reason[1], EndReason::own_request);
  EXPECT_EQ(s.gender[0], Gender::M);
  EXPECT_EQ(s.gender[1], Gender::F);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(s.fte[i], 100);
    EXPECT_EQ(s.employment_form[i], EmploymentForm::permanent);
  }
  EXPECT_EQ(reg.departments().strings(), std::vector<std::string>{"Production"});  // trimmed
  EXPECT_EQ(reg.extracted_on(), to_day(2019, 3, 1));
  // The mapping's extracted_on is given, not assumed: no extraction_date_assumed warning.
  EXPECT_FALSE(reg.extracted_on_assumed());
  for (const Issue& issue : result.issues.items()) EXPECT_NE(issue.code, "extraction_date_assumed");
}

TEST(MappingFile, DefaultNotUsedWhenTheFileHasTheColumn) {
  RegisterOptions options;
  options.defaults = {{"fte", "1.00"}};
  options.extracted_on = to_day(2020, 1, 1);  // given: no extraction_date_assumed warning
  const std::string text =
      "employee_id,birth_date,gender,employment_form,position,department,fte,start_date\n"
      "A,1980-01-01,F,permanent,P,D,0.50,2020-01-01\n";
  const RegisterReadResult result = try_read_register_text(text, options);
  ASSERT_TRUE(result.register_);
  EXPECT_EQ(result.register_->spells().fte[0], 50);
  ASSERT_EQ(result.issues.size(), 1U);
  EXPECT_EQ(result.issues.items()[0].code, "default_not_used");
  EXPECT_EQ(result.issues.items()[0].column, "fte");
}

TEST(MappingFile, TrimOff) {
  RegisterOptions options;
  options.trim = false;
  const std::string text =
      "employee_id,birth_date,gender,employment_form,position,department,fte,start_date\n"
      "A,1980-01-01,F ,permanent,P,D,1.00,2020-01-01\n";
  const RegisterReadResult result = try_read_register_text(text, options);
  ASSERT_FALSE(result.register_);
  EXPECT_EQ(result.issues.items()[0].code, "unknown_code");
  EXPECT_EQ(result.issues.items()[0].value, "F ");
}

TEST(MappingFile, MissingColumnReportedWithEveryOtherProblem) {
  const std::string text =
      "employee_id,birth_date,gender,position,department,start_date\n"
      "A,1980-01-01,Q,P,D,2020-01-01\n"
      "B,1980-02-30,F,P,D,2020-01-01\n";
  const RegisterReadResult result = try_read_register_text(text, RegisterOptions{});
  ASSERT_FALSE(result.register_);
  std::vector<std::string> found;
  for (const Issue& issue : result.issues.items()) found.push_back(issue.code + " " + issue.column);
  EXPECT_EQ(found, (std::vector<std::string>{"missing_column employment_form", "missing_column fte",
                                             "unknown_code gender", "bad_date birth_date"}));
}

}  // namespace
}  // namespace staffcast
