// Helpers shared by the C++ tests: small registers from CSV rows, dates, queries.
#pragma once

#include <staffcast/generate/generate.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/register/register.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace staffcast::testing {

inline const std::string register_header =
    "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
    "recruitment_source,manager_id\n";
// Z left in 2005, so the observed history starts there (periods before the earliest recorded end are unavailable).
inline const std::string history = "Z,1950-01-01,M,permanent,Old,Old,1.00,2000-01-01,2005-12-31,own_request,,\n";

/// A register of the given rows (plus `history`), extracted on `extracted`.
inline Register read(const std::string& body, const char* extracted = "2024-12-31") {
  RegisterOptions options;
  options.extracted_on = parse_iso_date(extracted);
  auto result = try_read_register_text(register_header + body + history, options);
  EXPECT_TRUE(result.register_) << (result.issues.empty() ? "" : result.issues.items()[0].message);
  return std::move(*result.register_);
}

/// The register sc.generate writes for `persons` (no indicators, no sick leave),
/// read back. ctest runs each test in its own process side by side: the files go
/// to a directory named after the running test, removed afterwards.
inline Register generated_register(std::size_t persons) {
  GenerateOptions options;
  options.persons = persons;
  options.indicators = false;
  options.sick_leave = false;
  const auto dir = std::filesystem::temp_directory_path() /
                   (std::string("staffcast-test-generated-") +
                    ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
  generate(dir.string(), options);
  auto read = try_read_register_csv((dir / "employments.csv").string());
  std::filesystem::remove_all(dir);
  if (!read.register_) throw std::runtime_error("the generated register does not validate");
  return std::move(*read.register_);
}

/// Three spells of two persons: B's temporary spell continues into a permanent
/// one (a pairing), C is hourly without an fte; read with the extraction date
/// assumed. The register of the saved-register tests.
inline Register pairing_sample(const std::string& label = "<memory>") {
  auto result = try_read_register_text(register_header +
                                           "B,1980-01-01,F,temporary,U,V,0.50,2020-01-01,2020-06-30,fixed_term_ended,"
                                           "external,A\n"
                                           "B,1980-01-01,F,permanent,U,V,0.50,2020-07-01,,,internal,A\n"
                                           "C,1970-01-01,M,hourly,W,V,,2019-01-01,,,,\n",
                                       {}, label);
  EXPECT_TRUE(result.register_);
  return std::move(*result.register_);
}

inline day_t d(const char* text) { return *parse_iso_date(text); }

inline Query by(const Register& reg, std::vector<std::string> names, bool totals = false) {
  Query q;
  q.by = GroupBy::parse(reg, names);
  q.totals = totals;
  return q;
}

}  // namespace staffcast::testing
