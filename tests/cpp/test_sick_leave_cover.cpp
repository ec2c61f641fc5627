// sick_leave_outside_employment: a sick-leave record is inside employment when
// every one of its days lies in some spell of the person. The reader merges the
// person's spells into intervals and finds the one interval that can hold the
// record by binary search; these tests compare it with the definition itself,
// checked day by day.
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/register.hpp>

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

using namespace staffcast;

namespace {

const std::string register_header =
    "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason\n";

struct Interval {
  day_t from, to;
};

std::string spell_row(const std::string& person, day_t from, day_t to, bool open) {
  return person + ",1950-01-01,F,permanent,A,D,1.00," + format_iso_date(from) + "," +
         (open ? std::string(",") : format_iso_date(to) + ",own_request") + "\n";
}

// The definition, day by day: every day of [from, to] is a day of some spell.
bool inside_by_days(const std::vector<Interval>& spells, day_t from, day_t to) {
  for (day_t day = from; day <= to; ++day) {
    bool covered = false;
    for (const Interval& s : spells) covered = covered || (s.from <= day && day <= s.to);
    if (!covered) return false;
  }
  return true;
}

std::set<std::int64_t> warned_rows(const IssueList& issues) {
  std::set<std::int64_t> rows;
  for (const Issue& issue : issues.items()) {
    if (issue.code == "sick_leave_outside_employment") rows.insert(issue.row);
  }
  return rows;
}

}  // namespace

// Random small registers (spells that overlap, touch or leave gaps, in any order
// in the file) and random records: the warnings are exactly the records the
// day-by-day definition puts outside employment.
TEST(SickLeaveCover, AgreesWithTheDayByDayDefinition) {
  std::mt19937 random(20261205);
  const day_t base = *parse_iso_date("2020-01-01");
  for (int round = 0; round < 300; ++round) {
    const int persons = 1 + static_cast<int>(random() % 3);
    std::vector<std::vector<Interval>> spells(static_cast<std::size_t>(persons));
    std::string text = register_header;
    for (int p = 0; p < persons; ++p) {
      const int count = 1 + static_cast<int>(random() % 5);
      for (int i = 0; i < count; ++i) {
        const day_t from = base + static_cast<day_t>(random() % 40);
        const day_t to = from + static_cast<day_t>(random() % 8);
        const bool open = i == count - 1 && random() % 4 == 0;
        spells[static_cast<std::size_t>(p)].push_back({from, open ? open_end_day : to});
        text += spell_row("P" + std::to_string(p), from, to, open);
      }
    }
    RegisterOptions options;
    options.extracted_on = base + 60;
    const auto reg = try_read_register_text(text, options);
    ASSERT_TRUE(reg.register_) << text << (reg.issues.empty() ? "" : reg.issues.items()[0].message);

    std::string sick = "employee_id,start_date,end_date,extent\n";
    std::set<std::int64_t> expected;
    const int records = 1 + static_cast<int>(random() % 12);
    for (int k = 0; k < records; ++k) {
      const int p = static_cast<int>(random() % static_cast<unsigned>(persons + 1));  // persons: not in the register
      const day_t from = base - 3 + static_cast<day_t>(random() % 55);
      const day_t to = from + static_cast<day_t>(random() % 6);
      sick += "P" + std::to_string(p) + "," + format_iso_date(from) + "," + format_iso_date(to) + ",1\n";
      if (p == persons || !inside_by_days(spells[static_cast<std::size_t>(p)], from, to)) expected.insert(k + 2);
    }
    const auto read = try_read_sick_leave_text(sick, {}, &*reg.register_);
    ASSERT_TRUE(read.sick_leave);
    EXPECT_EQ(warned_rows(read.issues), expected) << text << sick;
  }
}

// One person with 20,000 one-day spells (10,000 separate intervals of two days)
// and 200,000 records: finishes in the test's time, and the warnings counted agree
// with a day map of the employment.
TEST(SickLeaveCover, ManySpellsOfOnePersonAndManyRecords) {
  const day_t base = *parse_iso_date("1966-01-01");  // born 1950: aged 16 at the first spell, 98 at the last
  constexpr int spell_count = 20000;
  std::string text = register_header;
  text.reserve(static_cast<std::size_t>(spell_count) * 96);
  std::vector<bool> employed;
  for (int i = 0; i < spell_count; ++i) {
    const day_t day = base + static_cast<day_t>(i / 2 * 3 + i % 2);  // days 0, 1, 3, 4, 6, 7, ...
    text += spell_row("P", day, day, false);
    if (employed.size() <= static_cast<std::size_t>(day - base))
      employed.resize(static_cast<std::size_t>(day - base) + 1);
    employed[static_cast<std::size_t>(day - base)] = true;
  }
  RegisterOptions options;
  options.extracted_on = base + static_cast<day_t>(employed.size());
  const auto reg = try_read_register_text(text, options);
  ASSERT_TRUE(reg.register_) << (reg.issues.empty() ? "" : reg.issues.items()[0].message);

  std::mt19937 random(7);
  constexpr int record_count = 200000;
  std::string sick = "employee_id,start_date,end_date,extent\n";
  sick.reserve(static_cast<std::size_t>(record_count) * 40);
  std::size_t outside = 0;
  for (int k = 0; k < record_count; ++k) {
    const auto first = static_cast<std::size_t>(random() % employed.size());
    const std::size_t last = std::min(employed.size() - 1, first + random() % 3);
    bool inside = true;
    for (std::size_t day = first; day <= last; ++day) inside = inside && employed[day];
    outside += inside ? 0 : 1;
    sick += "P," + format_iso_date(base + static_cast<day_t>(first)) + "," +
            format_iso_date(base + static_cast<day_t>(last)) + ",1\n";
  }
  const auto read = try_read_sick_leave_text(sick, {}, &*reg.register_);
  ASSERT_TRUE(read.sick_leave);
  EXPECT_EQ(read.sick_leave->size(), static_cast<std::size_t>(record_count));
  EXPECT_GT(outside, 0U);
  EXPECT_EQ(read.issues.warning_count(), outside);
}
