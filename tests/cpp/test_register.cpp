#include <staffcast/detail/parallel.hpp>
#include <staffcast/register/register.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

using namespace staffcast;

namespace {

const std::string header =
    "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
    "recruitment_source,manager_id\n";

// With an extraction date, so that no extraction_date_assumed warning comes first.
RegisterReadResult read(const std::string& body, RegisterOptions options = {}) {
  if (!options.extracted_on) options.extracted_on = parse_iso_date("2024-12-31");
  return try_read_register_text(header + body, options, "reg.csv");
}

std::vector<std::string> codes(const IssueList& issues) {
  std::vector<std::string> out;
  for (const auto& issue : issues.items()) out.push_back(issue.code);
  return out;
}

}  // namespace

TEST(Register, ReadsValidRowsIntoSortedColumns) {
  RegisterOptions options;
  options.today = parse_iso_date("2026-12-05");
  const auto result = try_read_register_text(
      header +
          "E2,1980-05-01,M,temporary,Utredare,Vuxen,0.5,2020-01-01,2020-06-30,fixed_term_ended,external,\n"
          "E1,1960-02-29,F,permanent,Socialsekreterare,Barn och unga,1.00,2010-03-01,,,,\n"
          "E3,1990-01-01,X,hourly,Vårdbiträde,Vuxen,,2021-01-01,9999-12-31,,,E1\n",
      options, "reg.csv");
  ASSERT_TRUE(result.register_) << result.issues.size();
  const Register& reg = *result.register_;
  EXPECT_EQ(reg.size(), 3U);
  EXPECT_EQ(reg.persons(), 3U);
  EXPECT_EQ(reg.ids().strings(), (std::vector<std::string>{"E1", "E2", "E3"}));
  EXPECT_EQ(reg.departments().strings(), (std::vector<std::string>{"Barn och unga", "Vuxen"}));
  const SpellColumns& s = reg.spells();
  EXPECT_EQ(s.person, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(s.fte, (std::vector<std::uint8_t>{100, 50, 0}));
  EXPECT_EQ(s.end_date[0], open_end_day);
  EXPECT_EQ(s.end_date[2], open_end_day);
  EXPECT_EQ(s.end_reason[1], EndReason::fixed_term_ended);
  EXPECT_EQ(s.manager[2], 0U);
  EXPECT_EQ(s.source_row, (std::vector<std::uint32_t>{3, 2, 4}));
  // Assumed: the latest date (E3's start), before today.
  EXPECT_EQ(format_iso_date(reg.extracted_on()), "2021-01-01");
  EXPECT_TRUE(reg.extracted_on_assumed());
  EXPECT_EQ(format_iso_date(*reg.earliest_observed_end()), "2020-06-30");
  ASSERT_EQ(reg.issues().size(), 1U);
  EXPECT_EQ(reg.issues().items()[0].code, "extraction_date_assumed");
}

TEST(Register, FiveDifferentErrorsAreAllReported) {
  const auto result = read(
      "E1,1970-01-01,F,permanent,A,D,1.00,2023-02-29,,,,\n"                       // bad_date (row 2)
      "E2,1970-01-01,Q,permanent,A,D,1.00,2020-01-01,,,,\n"                       // unknown_code gender (row 3)
      "E3,1970-01-01,F,permanent,A,D,1.20,2020-01-01,,,,\n"                       // fte_out_of_range (row 4)
      "E4,1970-01-01,F,permanent,A,D,1.00,2020-01-01,2019-01-01,own_request,,\n"  // end_before_start (row 5)
      "E5,2015-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n");                     // implausible_age (row 6)
  EXPECT_FALSE(result.register_);
  EXPECT_EQ(result.issues.error_count(), 5U);
  EXPECT_EQ(codes(result.issues), (std::vector<std::string>{"bad_date", "unknown_code", "fte_out_of_range",
                                                            "end_before_start", "implausible_age"}));
  const auto& items = result.issues.items();
  EXPECT_EQ(items[0].row, 2);
  EXPECT_EQ(items[0].column, "start_date");
  EXPECT_EQ(items[0].value, "2023-02-29");
  EXPECT_EQ(items[1].row, 3);
  EXPECT_EQ(items[1].column, "gender");
  EXPECT_EQ(items[1].value, "Q");
  EXPECT_EQ(items[2].row, 4);
  EXPECT_EQ(items[2].column, "fte");
  EXPECT_EQ(items[3].row, 5);
  EXPECT_EQ(items[3].column, "end_date");
  EXPECT_EQ(items[4].row, 6);
  EXPECT_EQ(items[4].column, "birth_date");
  EXPECT_EQ(items[4].value, "");  // birth dates never appear in issues
}

TEST(Register, MissingColumnsValuesAndOtherCodes) {
  auto result = try_read_register_text("employee_id,birth_date\nE1,1970-01-01\n");
  EXPECT_FALSE(result.register_);
  EXPECT_EQ(result.issues.error_count(), 6U);  // gender, form, position, department, fte, start_date
  EXPECT_EQ(result.issues.items()[0].code, "missing_column");
  EXPECT_EQ(result.issues.items()[0].row, 1);

  result = read(
      ",1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n"
      "E2,1970-01-01,F,permanent,A,D,,2020-01-01,,,,\n"
      "E3,1970-01-01,F,permanent,A,D,abc,2020-01-01,,,,\n"
      "E4,1970-01-01,F,permanent,A,D,0.333,2020-01-01,,,,\n"
      "E5,1970-01-01,F,permanent,A,D,1.00,2020-01-01,2021-01-01,,,\n"
      "E6,1970-01-01,F,permanent,A,D,1.00,2020-01-01,2021-01-01,quit,,\n"
      "E7,1970-01-01,F,permanent,A,D,1.00,1899-12-31,,,,\n"
      "E8,1970-01-01,F,permanent,A,D,0,2020-01-01,,,,\n");
  EXPECT_EQ(codes(result.issues),
            (std::vector<std::string>{"missing_value", "missing_value", "bad_number", "bad_number", "missing_value",
                                      "unknown_code", "bad_date", "fte_out_of_range"}));
  EXPECT_EQ(result.issues.items()[0].column, "employee_id");
  EXPECT_EQ(result.issues.items()[0].value, "");
  EXPECT_EQ(result.issues.items()[4].column, "end_reason");
}

TEST(Register, FileOrderDoesNotMatter) {
  const std::string a = "E2,1980-05-01,M,permanent,U,V,0.50,2020-01-01,,,,\n";
  const std::string b = "E1,1960-01-01,F,permanent,S,B,1.00,2010-03-01,2015-01-01,own_request,,\n";
  const std::string c = "E1,1960-01-01,F,temporary,S,B,1.00,2016-03-01,,,rehire,\n";
  const auto one = read(a + b + c);
  const auto two = read(c + a + b);
  ASSERT_TRUE(one.register_ && two.register_);
  EXPECT_EQ(one.register_->spells().start_date, two.register_->spells().start_date);
  EXPECT_EQ(one.register_->spells().person, two.register_->spells().person);
  EXPECT_EQ(one.register_->spells().employment_form, two.register_->spells().employment_form);
}

TEST(Register, WarningsAreReportedAndDataUsed) {
  const auto result = read(
      "E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,M9\n"                       // unknown_manager
      "E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,M9\n"                       // duplicate_row
      "E2,1970-01-01,F,permanent,A,D,1.00,2020-01-01,2021-06-30,internal_move,,\n"  // unpaired_move
      "E3,1970-01-01,F,permanent,A,D,0.50,2020-01-01,2020-12-31,own_request,,\n"
      "E3,1970-01-01,F,permanent,A,D,0.50,2020-06-01,,,,\n"  // overlapping_spells
      "E4,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,E5\n"
      "E5,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,E4\n");  // manager_cycle
  ASSERT_TRUE(result.register_);
  EXPECT_EQ(result.issues.error_count(), 0U);
  auto found = codes(result.issues);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::string>{"duplicate_row", "manager_cycle", "overlapping_spells", "unknown_manager",
                                             "unpaired_move"}));
  const Register& reg = *result.register_;
  EXPECT_EQ(reg.size(), 6U);  // the duplicate is collapsed
  EXPECT_EQ(reg.persons(), 5U);
  EXPECT_EQ(reg.ids().size(), 6U);  // plus the unknown manager
  for (const auto& issue : result.issues.items()) {
    EXPECT_EQ(issue.message.find("E1"), std::string::npos);
    EXPECT_EQ(issue.message.find("M9"), std::string::npos);
  }
}

TEST(Register, MovesAndContinuationsArePaired) {
  const auto result = read(
      // internal move with start - end = 31 days (2020 is a leap year): a move
      "A,1970-01-01,F,permanent,P1,D1,1.00,2015-01-01,2020-01-31,internal_move,,\n"
      "A,1970-01-01,F,permanent,P2,D2,1.00,2020-03-02,,,internal,\n"
      // start - end = 32 days: not a move (departure plus recruitment), and an unpaired_move warning
      "B,1970-01-01,F,permanent,P1,D1,1.00,2015-01-01,2020-01-31,internal_move,,\n"
      "B,1970-01-01,F,permanent,P2,D2,1.00,2020-03-04,,,external,\n"
      // renewal of a fixed-term contract: continuation
      "C,1970-01-01,F,temporary,P1,D1,1.00,2020-01-01,2020-06-30,fixed_term_ended,,\n"
      "C,1970-01-01,F,permanent,P1,D1,1.00,2020-07-01,,,internal,\n");
  ASSERT_TRUE(result.register_);
  const SpellColumns& s = result.register_->spells();
  ASSERT_EQ(s.size(), 6U);
  EXPECT_EQ(s.end_kind[0], EndKind::move_out);
  EXPECT_EQ(s.end_partner[0], 1U);
  EXPECT_EQ(s.start_kind[1], StartKind::move_in);
  EXPECT_EQ(s.end_kind[2], EndKind::departure);
  EXPECT_EQ(s.start_kind[3], StartKind::recruitment);
  EXPECT_EQ(s.end_kind[4], EndKind::continuation);
  EXPECT_EQ(s.start_kind[5], StartKind::continuation);
  EXPECT_EQ(s.start_partner[5], 4U);
  EXPECT_EQ(s.end_kind[5], EndKind::open);
  EXPECT_EQ(codes(result.issues), (std::vector<std::string>{"unpaired_move"}));
}

TEST(Register, ColumnMappingCodesAndPassThrough) {
  RegisterOptions options;
  options.columns = {{"Anst.nr", "employee_id"}, {"Kön", "gender"}};
  options.codes = {{"gender", {{"K", "F"}}}, {"employment_form", {{"Tillsvidare", "permanent"}}}};
  options.dimensions = {"region"};
  const auto result = try_read_register_text(
      "Anst.nr,birth_date,Kön,employment_form,position,department,fte,start_date,region\n"
      "E1,1970-01-01,K,Tillsvidare,A,D,1,2020-01-01,Norr\n"
      "E2,1970-01-01,K,Tillsvidare,A,D,1,2020-01-01,Syd\n"
      "E3,1970-01-01,Z,Tillsvidare,A,D,1,2020-01-01,Norr\n",
      options);
  EXPECT_FALSE(result.register_);
  ASSERT_EQ(result.issues.size(), 1U);
  EXPECT_EQ(result.issues.items()[0].column, "Kön");  // the file's own column name
  EXPECT_EQ(result.issues.items()[0].row, 4);

  const auto ok = try_read_register_text(
      "Anst.nr,birth_date,Kön,employment_form,position,department,fte,start_date,region\n"
      "E1,1970-01-01,K,Tillsvidare,A,D,1,2020-01-01,Norr\n"
      "E2,1970-01-01,K,Tillsvidare,A,D,1,2020-01-01,Syd\n",
      options);
  ASSERT_TRUE(ok.register_);
  ASSERT_EQ(ok.register_->pass_through().size(), 1U);
  EXPECT_EQ(ok.register_->pass_through()[0].dictionary.strings(), (std::vector<std::string>{"Norr", "Syd"}));
  EXPECT_EQ(ok.register_->spells().gender[0], Gender::F);
}

TEST(Register, AHeaderWithoutRecordsIsAnError) {
  const auto result = read("");
  EXPECT_FALSE(result.register_);
  ASSERT_EQ(result.issues.size(), 1U);
  EXPECT_EQ(result.issues.items()[0].code, "malformed_csv");
  EXPECT_EQ(result.issues.items()[0].row, 2);
  EXPECT_EQ(result.issues.items()[0].message, "the file has a header row but no records");
  // Blank lines are not records either.
  EXPECT_FALSE(read("\n\n").register_);
}

// Managers are interned apart from the employees: the dictionary is still the
// employees sorted, then the manager ids no spell belongs to, sorted, whether
// the employees come in key order or not and whatever refers forward.
TEST(Register, ManagerIdsJoinTheEmployeesDictionary) {
  const std::string row = ",1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,";
  for (const std::string& body :
       {"E1" + row + "E3\n" + "E2" + row + "Z9\n" + "E3" + row + "A0\n" + "E4" + row + "E1\n" + "E5" + row + "Z9\n",
        "E3" + row + "A0\n" + "E1" + row + "E3\n" + "E5" + row + "Z9\n" + "E2" + row + "Z9\n" + "E4" + row + "E1\n",
        "E4" + row + "E1\n" + "E2" + row + "Z9\n" + "E5" + row + "Z9\n" + "E1" + row + "E3\n" + "E3" + row + "A0\n"}) {
    const auto result = read(body);
    ASSERT_TRUE(result.register_);
    const Register& reg = *result.register_;
    EXPECT_EQ(reg.persons(), 5U);
    EXPECT_EQ(reg.ids().strings(), (std::vector<std::string>{"E1", "E2", "E3", "E4", "E5", "A0", "Z9"}));
    // Spells by person E1..E5: managers E3, Z9, A0, E1, Z9.
    EXPECT_EQ(reg.spells().manager, (std::vector<std::uint32_t>{2, 6, 5, 0, 6}));
    // Once per key that is no employee's (Z9 twice, A0 once), not per row.
    EXPECT_EQ(codes(result.issues), (std::vector<std::string>{"unknown_manager", "unknown_manager"}));
  }
}

TEST(Register, EmployedPersonsCountsEachPersonOnceOnTheDay) {
  // E1: two overlapping spells (two positions at once), E2: a gap, E3: ongoing.
  const auto result = read(
      "E1,1980-01-01,F,permanent,A,D,0.5,2020-01-01,2020-12-31,own_request,external,\n"
      "E1,1980-01-01,F,permanent,B,D,0.5,2020-06-01,2020-08-31,other,external,\n"
      "E2,1981-01-01,M,temporary,A,D,1.0,2020-01-01,2020-03-31,fixed_term_ended,external,\n"
      "E2,1981-01-01,M,temporary,A,D,1.0,2020-07-01,2020-09-30,fixed_term_ended,rehire,\n"
      "E3,1982-01-01,X,hourly,A,D,,2020-05-01,9999-12-31,,external,\n");
  ASSERT_TRUE(result.register_) << (result.issues.empty() ? "" : result.issues.items()[0].message);
  const Register& reg = *result.register_;
  auto on = [](const char* text) { return *parse_iso_date(text); };
  EXPECT_EQ(reg.employed_persons(on("2019-12-31")), 0U);
  EXPECT_EQ(reg.employed_persons(on("2020-01-01")), 2U);  // first day counts
  EXPECT_EQ(reg.employed_persons(on("2020-03-31")), 2U);  // last day counts
  EXPECT_EQ(reg.employed_persons(on("2020-04-15")), 1U);  // E2 between spells
  EXPECT_EQ(reg.employed_persons(on("2020-07-01")), 3U);  // E1 twice is one person; hourly counts
  EXPECT_EQ(reg.employed_persons(on("2021-06-30")), 1U);  // only the ongoing spell
}

// Exact duplicates are found in the pass that checks file order (two halves
// on two threads) when the file is in canonical order, and after sorting when
// it is not: the same warnings, each naming the first row of its run, either way.
TEST(Register, DuplicateRunsAreNamedByTheirFirstRowInOrderOrNot) {
  const std::string a = "E1,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n";
  const std::string b = "E2,1971-01-01,M,permanent,A,D,1.00,2019-01-01,2020-12-31,own_request,,\n";
  const std::string c = "E2,1971-01-01,M,permanent,A,D,1.00,2021-01-01,,,,\n";
  const std::string d = "E3,1972-01-01,F,temporary,B,D,0.50,2022-01-01,,,,\n";
  auto duplicates = [](const RegisterReadResult& result) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& issue : result.issues.items()) {
      if (issue.code == "duplicate_row") out.emplace_back(issue.row, issue.message);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::size_t before = detail::parallel_finish_rows;
  for (const std::size_t threshold : {std::size_t{1}, before}) {
    detail::parallel_finish_rows = threshold;  // 1: the pass in two halves even here
    // Rows are numbered as lines (the header is row 1): rows 2-4 one run, row 6 a
    // duplicate of row 5 across the middle of the eight, row 9 of row 8.
    const auto sorted = read(a + a + a + b + b + c + d + d);
    const auto shuffled = read(d + a + b + a + c + d + b + a);
    ASSERT_TRUE(sorted.register_ && shuffled.register_);
    EXPECT_EQ(sorted.register_->size(), 4U);
    EXPECT_EQ(shuffled.register_->size(), 4U);
    using Found = std::vector<std::pair<std::int64_t, std::string>>;
    EXPECT_EQ(duplicates(sorted), (Found{{3, "exact duplicate of row 2; counted once"},
                                         {4, "exact duplicate of row 2; counted once"},
                                         {6, "exact duplicate of row 5; counted once"},
                                         {9, "exact duplicate of row 8; counted once"}}));
    // Shuffled: a in rows 3, 5, 9 (first 3); b in 4, 8 (first 4); d in 2, 7 (first 2).
    EXPECT_EQ(duplicates(shuffled), (Found{{5, "exact duplicate of row 3; counted once"},
                                           {7, "exact duplicate of row 2; counted once"},
                                           {8, "exact duplicate of row 4; counted once"},
                                           {9, "exact duplicate of row 3; counted once"}}));
    EXPECT_EQ(sorted.register_->spells().start_date, shuffled.register_->spells().start_date);
    EXPECT_EQ(sorted.register_->earliest_start(), parse_iso_date("2019-01-01"));
    EXPECT_EQ(sorted.register_->latest_start(), parse_iso_date("2022-01-01"));
    EXPECT_EQ(sorted.register_->earliest_observed_end(), parse_iso_date("2020-12-31"));
  }
  detail::parallel_finish_rows = before;
}
