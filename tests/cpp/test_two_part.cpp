// Reading one CSV input in two parts on two threads (detail::TwoPartRead):
// whatever the split point, the records, their row and line numbers, the
// issues and their order are those of one reader going through the input.
#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/field_parse.hpp>
#include <staffcast/detail/interner.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/record_source.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/register.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

using namespace staffcast;
using namespace staffcast::detail;

namespace {

struct Read {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> row_numbers, line_numbers;
  std::vector<std::tuple<std::int64_t, std::int64_t, std::string, std::string, std::string>> issues;
  bool merged = false;
};

void collect(RecordSource& source, Read& out) {
  CsvRecord record;
  while (source.next(record)) {
    out.rows.emplace_back(record.fields.begin(), record.fields.end());
    out.row_numbers.push_back(record.row);
    out.line_numbers.push_back(record.line);
  }
}

void take_issues(const IssueList& issues, Read& out) {
  for (const Issue& i : issues.items()) out.issues.emplace_back(i.row, i.line, i.column, i.code, i.message);
}

Read plain(const std::string& text) {
  Read out;
  IssueList issues;
  CsvRecordSource source(memory_source(text), "t.csv", issues);
  std::vector<std::string> header;
  if (source.header(header)) collect(source, out);
  take_issues(issues, out);
  return out;
}

Read in_two_parts(const std::string& text) {
  Read out;
  IssueList issues;
  const CsvInput input = CsvInput::memory(text);
  CsvRecordSource source(input.open(), "t.csv", issues);
  std::vector<std::string> header;
  if (!source.header(header)) {
    take_issues(issues, out);
    return out;
  }
  Read later;
  TwoPartRead parts(input, source, header, CsvOptions{}, 10000);
  out.merged = parts.run([&] { collect(source, out); }, [&] { collect(parts.second(), later); });
  take_issues(issues, out);
  if (out.merged) {
    for (std::size_t k = 0; k < later.rows.size(); ++k) {
      out.rows.push_back(later.rows[k]);
      out.row_numbers.push_back(later.row_numbers[k] + parts.row_offset());
      out.line_numbers.push_back(later.line_numbers[k] + parts.line_offset());
    }
    IssueList merged;
    parts.merge_issues(merged);
    take_issues(merged, out);
  }
  return out;
}

void expect_same(const Read& a, const Read& b, const std::string& context) {
  EXPECT_EQ(a.rows, b.rows) << context;
  EXPECT_EQ(a.row_numbers, b.row_numbers) << context;
  EXPECT_EQ(a.line_numbers, b.line_numbers) << context;
  EXPECT_EQ(a.issues, b.issues) << context;
}

/// Sets the two-part threshold for the scope (0: every input is split).
class Threshold {
 public:
  explicit Threshold(std::size_t bytes) : saved_(two_part_threshold().load()) { two_part_threshold() = bytes; }
  Threshold(const Threshold&) = delete;
  Threshold& operator=(const Threshold&) = delete;
  ~Threshold() { two_part_threshold() = saved_; }

 private:
  std::size_t saved_;
};

}  // namespace

// The split point sweeps through the input as records are added at its end:
// it falls inside quoted fields with line breaks, on CRLF line ends, right
// after a blank line, inside a malformed record; every time the result is the
// one reader's, and the sweep does take the two-part path.
TEST(TwoPart, RecordsRowsLinesAndIssuesMatchOneReaderAtEverySplit) {
  const std::string head =
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"two\nlines\",x\r\n2,plain,y\n\n3,\"q\"\"uote\r\nd\",z\n";
  std::size_t merged = 0, fell_back = 0;
  for (int tail = 0; tail < 40; ++tail) {
    std::string text = head;
    for (int k = 0; k < tail; ++k) {
      text += std::to_string(10 + k) + ",\"f\n" + std::to_string(k) + "\",v\r\n";
      if (k == 17) text += "bad,\"unterminated\nstill\",\"x\"y\n";  // malformed: text after a quote
      if (k == 25) text += "only,two\n";                            // wrong field count
    }
    const Read one = plain(text);
    const Read two = in_two_parts(text);
    expect_same(one, two, "tail " + std::to_string(tail));
    (two.merged ? merged : fell_back) += 1;
  }
  EXPECT_GT(merged, 5U);
  EXPECT_GT(fell_back, 5U);
}

// A record that ends exactly where the second part starts, with CRLF and
// without a final line end.
TEST(TwoPart, RecordEndingExactlyAtTheSplitAndNoFinalNewline) {
  for (const std::string eol : {"\n", "\r\n"}) {
    std::string text = "id,v" + eol;
    for (int k = 0; k < 50; ++k) text += "k" + std::to_string(k) + "," + std::to_string(k * 7) + eol;
    text += "last,1";  // no line end
    const Read two = in_two_parts(text);
    expect_same(plain(text), two, "eol size " + std::to_string(eol.size()));
    EXPECT_TRUE(two.merged);
  }
}

// An input whose whole second half is one quoted field: no record boundary
// after the middle, so the first reader reads everything.
TEST(TwoPart, QuotedFieldAcrossTheMiddleFallsBackToOneReader) {
  std::string text = "a,b\n1,\"";
  for (int k = 0; k < 200; ++k) text += "line " + std::to_string(k) + "\n";
  text += "\"\n2,x\n";
  const Read two = in_two_parts(text);
  expect_same(plain(text), two, "");
  EXPECT_FALSE(two.merged);
  ASSERT_EQ(two.rows.size(), 2U);
}

namespace {

const std::string register_header =
    "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
    "recruitment_source,manager_id\n";

std::string register_text(int persons, bool with_errors) {
  std::string text = register_header;
  for (int p = 0; p < persons; ++p) {
    const std::string id = "E" + std::to_string(100000 + (p * 7919) % persons);
    const std::string manager = p % 5 == 0 ? "" : "E" + std::to_string(100000 + (p * 31) % persons);
    const std::string position = p % 13 == 0 ? "\"Nurse,\nsenior\"" : (p % 2 ? "Nurse" : "Teacher");
    text += id + ",1970-01-0" + std::to_string(1 + p % 9) + ",F,permanent," + position + ",D" + std::to_string(p % 4) +
            ",1.00,2010-02-01,2015-01-31,internal_move,,\r\n";
    text += id + ",1970-01-0" + std::to_string(1 + p % 9) + ",F,permanent,Nurse,D" + std::to_string(p % 3) +
            ",0.5,2015-02-01,,,internal," + manager + "\n";
    if (with_errors && (p == persons / 5 || p == persons - 3)) {
      text += "X" + std::to_string(p) + ",1970-13-01,F,permanent,Nurse,D1,1.5,2015-02-01,,,,\n";  // two errors
    }
    if (p == persons / 2) text += "E100001,1970-01-02,F,permanent,Nurse,D1,0.5,2015-02-01,,,internal,\n";  // duplicate
  }
  return text;
}

std::vector<std::tuple<std::string, std::int64_t, std::int64_t, std::string, std::string, std::string, std::string>>
issue_tuples(const IssueList& issues) {
  std::vector<std::tuple<std::string, std::int64_t, std::int64_t, std::string, std::string, std::string, std::string>>
      out;
  for (const Issue& i : issues.items()) out.emplace_back(i.file, i.row, i.line, i.column, i.code, i.message, i.value);
  return out;
}

void expect_same_registers(const RegisterReadResult& a, const RegisterReadResult& b) {
  EXPECT_EQ(issue_tuples(a.issues), issue_tuples(b.issues));
  EXPECT_EQ(a.issues.error_count(), b.issues.error_count());
  EXPECT_EQ(a.issues.warning_count(), b.issues.warning_count());
  EXPECT_EQ(a.issues.dropped(), b.issues.dropped());
  ASSERT_EQ(a.register_.has_value(), b.register_.has_value());
  if (!a.register_) return;
  const Register& x = *a.register_;
  const Register& y = *b.register_;
  EXPECT_EQ(x.ids().strings(), y.ids().strings());
  EXPECT_EQ(x.persons(), y.persons());
  EXPECT_EQ(x.rows_read(), y.rows_read());
  const SpellColumns& s = x.spells();
  const SpellColumns& t = y.spells();
  EXPECT_EQ(s.person, t.person);
  EXPECT_EQ(s.position, t.position);
  EXPECT_EQ(s.department, t.department);
  EXPECT_EQ(s.manager, t.manager);
  EXPECT_EQ(s.start_date, t.start_date);
  EXPECT_EQ(s.end_date, t.end_date);
  EXPECT_EQ(s.fte, t.fte);
  EXPECT_EQ(s.source_row, t.source_row);
  EXPECT_EQ(s.start_partner, t.start_partner);
  EXPECT_EQ(s.end_partner, t.end_partner);
  EXPECT_EQ(x.positions().strings(), y.positions().strings());
  EXPECT_EQ(x.departments().strings(), y.departments().strings());
}

}  // namespace

// Errors in both parts come out in file order with their rows and lines;
// warnings (duplicates, unpaired moves, unknown managers) too; the register
// is the one reader's.
TEST(TwoPart, RegisterIsTheOneReadersWithErrorsInBothParts) {
  for (bool with_errors : {false, true}) {
    for (int persons : {40, 41, 97, 300}) {
      const std::string text = register_text(persons, with_errors);
      RegisterReadResult one, two;
      {
        Threshold never(std::numeric_limits<std::size_t>::max());
        one = try_read_register_text(text);
      }
      {
        Threshold always(0);
        two = try_read_register_text(text);
      }
      SCOPED_TRACE("persons " + std::to_string(persons) + (with_errors ? " with errors" : ""));
      EXPECT_EQ(one.register_.has_value(), !with_errors);
      if (with_errors) {
        ASSERT_GE(one.issues.error_count(), 4U);
        EXPECT_GT(one.issues.items().back().row, static_cast<std::int64_t>(persons));  // the second part's
      }
      expect_same_registers(one, two);
    }
  }
}

// With a small issue limit the kept issues and the counts (errors, dropped) agree.
TEST(TwoPart, IssueLimitAndCountsMatchOneReader) {
  std::string text = "employee_id,start_date,end_date,extent\n";
  for (int k = 0; k < 400; ++k) {
    text += "P" + std::to_string(k % 37) + ",2020-01-" + (k % 3 == 0 ? std::string("32") : std::string("05")) +
            ",2020-01-06," + (k % 7 == 0 ? "2" : "0.5") + "\n";
  }
  TableOptions options;
  options.max_issues = 25;
  SickLeaveReadResult one, two;
  {
    Threshold never(std::numeric_limits<std::size_t>::max());
    one = try_read_sick_leave_text(text, options);
  }
  {
    Threshold always(0);
    two = try_read_sick_leave_text(text, options);
  }
  EXPECT_EQ(issue_tuples(one.issues), issue_tuples(two.issues));
  EXPECT_EQ(one.issues.error_count(), two.issues.error_count());
  EXPECT_EQ(one.issues.dropped(), two.issues.dropped());
  EXPECT_GT(one.issues.dropped(), 50U);
  EXPECT_FALSE(two.sick_leave);
}

// Sick leave against a register: the table and the outside-employment
// warnings (rows and lines from both parts) are the one reader's.
TEST(TwoPart, SickLeaveIsTheOneReadersWithWarningsInBothParts) {
  const RegisterReadResult reg = try_read_register_text(register_text(50, false));
  ASSERT_TRUE(reg.register_);
  std::string text = "employee_id,start_date,end_date,extent\r\n";
  for (int k = 0; k < 300; ++k) {
    const std::string id = k % 11 == 0 ? "NOBODY" : "E" + std::to_string(100000 + (k * 13) % 50);
    text += id + "," + (k % 17 == 0 ? "2009-03-01" : "2012-03-01") + ",2012-03-0" + std::to_string(2 + k % 5) + "," +
            (k % 2 ? "1" : "0.25") + (k % 9 == 0 ? "\n" : "\r\n");
  }
  SickLeaveReadResult one, two;
  {
    Threshold never(std::numeric_limits<std::size_t>::max());
    one = try_read_sick_leave_text(text, {}, &*reg.register_);
  }
  {
    Threshold always(0);
    two = try_read_sick_leave_text(text, {}, &*reg.register_);
  }
  ASSERT_TRUE(one.sick_leave);
  ASSERT_TRUE(two.sick_leave);
  EXPECT_GT(one.issues.warning_count(), 20U);
  EXPECT_EQ(issue_tuples(one.issues), issue_tuples(two.issues));
  EXPECT_EQ(one.sick_leave->ids.strings(), two.sick_leave->ids.strings());
  EXPECT_EQ(one.sick_leave->person, two.sick_leave->person);
  EXPECT_EQ(one.sick_leave->start_date, two.sick_leave->start_date);
  EXPECT_EQ(one.sick_leave->end_date, two.sick_leave->end_date);
  EXPECT_EQ(one.sick_leave->extent, two.sick_leave->extent);
  EXPECT_EQ(one.sick_leave->source_row, two.sick_leave->source_row);
}

// The interner's repeat-key shortcut and tagged slots: codes in order of first appearance.
TEST(TwoPart, InternerCodesFollowFirstAppearance) {
  Interner interner;
  interner.reserve(3);
  std::vector<std::uint32_t> codes;
  for (const char* key : {"abcdefghij", "abcdefghij", "b", "abcdefghik", "b", "", "", "abcdefghij"}) {
    codes.push_back(interner.intern(key));
  }
  EXPECT_EQ(codes, (std::vector<std::uint32_t>{0, 0, 1, 2, 1, 3, 3, 0}));
  for (int k = 0; k < 5000; ++k) EXPECT_EQ(interner.intern("key" + std::to_string(k)), 4U + k);
  for (int k = 0; k < 5000; k += 7) EXPECT_EQ(interner.intern("key" + std::to_string(k)), 4U + k);
  EXPECT_EQ(interner.size(), 5004U);
}

// The ordered mode (ascending values, no hash table) and the switch to
// hashing at the first value out of order give the codes of a plain map of
// first appearances, for find() too, whatever the point of the switch.
TEST(TwoPart, InternerOrderedModeMatchesAMapOfFirstAppearances) {
  std::mt19937 random(7);
  for (int round = 0; round < 60; ++round) {
    Interner interner;
    if (round % 3 == 0) interner.reserve(50);
    std::map<std::string, std::uint32_t> reference;
    std::vector<std::string> keys;
    const int ascending = static_cast<int>(random() % 400);
    for (int k = 0; k < ascending; ++k) {
      char key[16];
      std::snprintf(key, sizeof key, "E%07d", k * 3);
      keys.emplace_back(key);
      if (random() % 4 == 0) keys.emplace_back(key);  // a person's second record
    }
    if (round % 5 == 1) keys.emplace_back("");  // the empty key sorts first
    for (int k = 0; k < static_cast<int>(random() % 300); ++k) {
      char key[16];
      std::snprintf(key, sizeof key, "E%07d", static_cast<int>(random() % 1500));
      keys.emplace_back(key);
    }
    bool was_ordered = true;
    for (const std::string& key : keys) {
      const auto expected = reference.emplace(key, static_cast<std::uint32_t>(reference.size())).first->second;
      ASSERT_EQ(interner.intern(key), expected) << round;
      if (interner.ordered()) {
        ASSERT_TRUE(was_ordered);  // once hashing, always hashing
      }
      was_ordered = interner.ordered();
    }
    ASSERT_EQ(interner.size(), reference.size());
    if (interner.ordered()) {
      EXPECT_TRUE(std::is_sorted(interner.values().begin(), interner.values().end()));
    }
    for (const auto& [key, code] : reference) EXPECT_EQ(interner.find(key), code);
    EXPECT_EQ(interner.find("E9999999"), Interner::npos);
    EXPECT_EQ(interner.find("D"), Interner::npos);
    EXPECT_EQ(interner.find("E0000001x"), Interner::npos);
  }
}

// Short keys are compared by their bytes packed in one word and their length:
// every string of up to 9 bytes over {a, b, NUL} keeps its own code, in
// either mode, and find() tells them apart.
TEST(TwoPart, InternerTellsShortKeysApart) {
  std::vector<std::string> keys{""};
  for (std::size_t k = 0; k < keys.size() && keys.size() < 30000; ++k) {
    if (keys[k].size() == 9) continue;
    for (char c : {'a', 'b', '\0'}) keys.push_back(keys[k] + c);
  }
  for (bool shuffled : {false, true}) {
    std::vector<std::string> order = keys;
    if (shuffled) std::shuffle(order.begin(), order.end(), std::mt19937(3));
    Interner interner;
    std::map<std::string, std::uint32_t> reference;
    for (int pass = 0; pass < 2; ++pass) {
      for (const std::string& key : order) {
        const auto expected = reference.emplace(key, static_cast<std::uint32_t>(reference.size())).first->second;
        ASSERT_EQ(interner.intern(key), expected);
      }
    }
    for (const auto& [key, code] : reference) ASSERT_EQ(interner.find(key), code);
  }
}

// absorb() gives the codes of interning the later values one by one, whether
// it adopts the later strings (both ordered, the later after the earlier) or
// not, and values added afterwards do not overwrite adopted ones.
TEST(TwoPart, InternerAbsorbMatchesInterningInTurn) {
  auto keys = [](int from, int to, int step) {
    std::vector<std::string> out;
    for (int k = from; k < to; k += step) out.push_back("K" + std::to_string(100000 + k) + std::string(k % 3, 'x'));
    return out;
  };
  const std::vector<std::vector<std::string>> firsts = {{}, keys(0, 9000, 1), keys(0, 9000, 2), {"Z", "A"}};
  const std::vector<std::vector<std::string>> laters = {
      {}, keys(9000, 20000, 1), keys(1, 9000, 2), {"K1", "K0"}, {std::string(20000, 'y')}};
  for (const auto& first : firsts) {
    for (const auto& later : laters) {
      Interner merged, part, reference;
      for (const auto& key : first) {
        merged.intern(key);
        reference.intern(key);
      }
      for (const auto& key : later) part.intern(key);
      std::vector<std::uint32_t> expected;
      for (const auto& key : later) expected.push_back(reference.intern(key));
      EXPECT_EQ(merged.absorb(part), expected);
      EXPECT_EQ(part.size(), 0U);
      for (const auto& key : keys(20000, 30000, 1)) EXPECT_EQ(merged.intern(key), reference.intern(key));
      ASSERT_EQ(merged.size(), reference.size());
      for (std::size_t c = 0; c < merged.size(); ++c) ASSERT_EQ(merged.values()[c], reference.values()[c]);
      if (merged.ordered()) {
        EXPECT_TRUE(std::is_sorted(merged.values().begin(), merged.values().end()));
      }
    }
  }
}

// The inline ISO date parser agrees with parse_date on real dates, invalid
// days, out-of-range years and garbage.
TEST(TwoPart, InlineIsoDatesAgreeWithParseDate) {
  std::vector<std::string> texts = {"2024-02-29",  "2023-02-29", "1900-01-01", "2199-12-31", "0000-01-01",
                                    "9999-12-31",  "1399-12-31", "2024-13-01", "2024-00-10", "2024-01-00",
                                    "2024-1-01",   "2024/01/01", "20240101",   "",           "2024-01-0a",
                                    "2024-01-01 ", "+024-01-01", "2024-04-31", "1600-02-29", "1700-02-29"};
  for (int year = 1395; year <= 2205; year += 3) {
    for (int month = 0; month <= 13; ++month) {
      for (int day : {0, 1, 28, 29, 30, 31, 32}) {
        char text[16];
        std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
        texts.emplace_back(text);
      }
    }
  }
  for (const std::string& text : texts) {
    for (const DateFormat& format :
         {DateFormat::iso(), require_date_format("%Y%m%d"), require_date_format("%d/%m/%Y")}) {
      EXPECT_EQ(parse_day(text, format), parse_date(text, format)) << text;
    }
  }
}

// Every day of 1895-2205 with month and day one past each end, and valid
// dates with one byte replaced by any value: the table path of parse_day
// (eight bytes at a time) agrees with parse_date.
TEST(TwoPart, InlineIsoDatesAgreeWithParseDateEverywhere) {
  char text[16];
  for (int year = 1895; year <= 2205; ++year) {
    for (int month = 0; month <= 13; ++month) {
      for (int day = 0; day <= 32; ++day) {
        std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
        ASSERT_EQ(parse_day(text, DateFormat::iso()), parse_date(text, DateFormat::iso())) << text;
      }
    }
  }
  std::mt19937_64 random(3);
  for (int round = 0; round < 200000; ++round) {
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", 1890 + static_cast<int>(random() % 320),
                  1 + static_cast<int>(random() % 12), 1 + static_cast<int>(random() % 31));
    std::string mutated(text, 10);
    mutated[random() % 10] = static_cast<char>(random() % 256);
    ASSERT_EQ(parse_day(mutated, DateFormat::iso()), parse_date(mutated, DateFormat::iso())) << mutated;
  }
}

// Random texts of separators, quotes and line ends: the two-part read is
// the one reader's whatever the quoting around the split.
TEST(TwoPart, RandomQuotingAndLineEndsMatchOneReader) {
  const char alphabet[] = {'a', 'b', ',', ',', '"', '\n', '\n', '\r', ' '};
  std::uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33U);
  };
  for (int round = 0; round < 400; ++round) {
    std::string text = "x,y\n";
    const std::size_t length = 20 + next() % 300;
    for (std::size_t k = 0; k < length; ++k) text += alphabet[next() % sizeof alphabet];
    expect_same(plain(text), in_two_parts(text), "round " + std::to_string(round));
  }
}

namespace {

/// Sets detail::parallel_finish_rows for the scope (0: every read finishes on two threads).
class FinishRows {
 public:
  explicit FinishRows(std::size_t rows) : saved_(parallel_finish_rows.load()) { parallel_finish_rows = rows; }
  FinishRows(const FinishRows&) = delete;
  FinishRows& operator=(const FinishRows&) = delete;
  ~FinishRows() { parallel_finish_rows = saved_; }

 private:
  std::size_t saved_;
};

}  // namespace

// Finishing on two threads (key strings beside the spells, manager chains
// beside the pairing, the sick-leave order check, copies and the check
// against the register in halves) gives the one-thread result: tables,
// warnings in order, and the counts under small issue limits.
TEST(TwoPart, FinishingOnTwoThreadsMatchesOneThread) {
  std::string text = register_text(301, false);
  const std::string row = ",1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,";
  for (int k = 0; k < 40; ++k) text += "C" + std::to_string(k) + row + "C" + std::to_string((k + 1) % 40) + "\n";
  for (int k = 0; k < 30; ++k) text += "U" + std::to_string(k) + row + "M" + std::to_string(k % 7) + "\n";
  // Pairing warnings among the first persons and the last (the persons are
  // paired in two parts): a move into an overlapping spell of the same job.
  for (const char* prefix : {"A", "Z"}) {
    for (int k = 0; k < 12; ++k) {
      const std::string id = prefix + std::to_string(k);
      text += id + ",1970-01-01,F,permanent,A,D,1.00,2019-01-01,2020-06-30,internal_move,,\n";
      text += id + ",1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n";
    }
  }
  // Duplicate rows are dropped before pairing, so the spells are fewer than
  // the rows: the second part must end at the last spell, not the last row.
  for (int k = 0; k < 25; ++k) text += "Z11,1970-01-01,F,permanent,A,D,1.00,2020-01-01,,,,\n";
  std::string sick = "employee_id,start_date,end_date,extent\n";
  for (int k = 0; k < 2000; ++k) {
    const std::string id = k % 11 == 0 ? "NOBODY" + std::to_string(k % 5) : "E" + std::to_string(100000 + k % 301);
    sick += id + "," + (k % 17 == 0 ? "2009-03-01" : "2012-03-01") + ",2012-03-0" + std::to_string(2 + k % 5) + "," +
            (k % 2 ? "1" : "0.25") + "\n";
  }
  for (std::size_t limit : {std::size_t{3}, std::size_t{40}, std::size_t{10000}}) {
    for (std::size_t split : {std::size_t{0}, std::numeric_limits<std::size_t>::max()}) {
      SCOPED_TRACE("limit " + std::to_string(limit) + (split == 0 ? ", two parts" : ", one part"));
      Threshold parts(split);
      RegisterOptions options;
      options.max_issues = limit;
      TableOptions sick_options;
      sick_options.max_issues = limit;
      RegisterReadResult one, two;
      {
        FinishRows never(std::numeric_limits<std::size_t>::max());
        one = try_read_register_text(text, options);
      }
      {
        FinishRows always(0);
        two = try_read_register_text(text, options);
      }
      ASSERT_TRUE(one.register_);
      // 7 unknown manager keys (once each), a cycle, a duplicate, the assumed extraction date, and
      // the overlapping spells of each A and Z person.
      EXPECT_GE(one.issues.warning_count(), 9U + 24U);
      expect_same_registers(one, two);
      EXPECT_EQ(one.register_->spells().chain_start, two.register_->spells().chain_start);
      SickLeaveReadResult sick_one, sick_two;
      {
        FinishRows never(std::numeric_limits<std::size_t>::max());
        sick_one = try_read_sick_leave_text(sick, sick_options, &*one.register_);
      }
      {
        FinishRows always(0);
        sick_two = try_read_sick_leave_text(sick, sick_options, &*one.register_);
      }
      ASSERT_TRUE(sick_one.sick_leave && sick_two.sick_leave);
      EXPECT_GT(sick_one.issues.warning_count(), 200U);
      EXPECT_EQ(issue_tuples(sick_one.issues), issue_tuples(sick_two.issues));
      EXPECT_EQ(sick_one.issues.warning_count(), sick_two.issues.warning_count());
      EXPECT_EQ(sick_one.issues.dropped(), sick_two.issues.dropped());
      EXPECT_EQ(sick_one.sick_leave->ids.strings(), sick_two.sick_leave->ids.strings());
      EXPECT_EQ(sick_one.sick_leave->person, sick_two.sick_leave->person);
      EXPECT_EQ(sick_one.sick_leave->start_date, sick_two.sick_leave->start_date);
      EXPECT_EQ(sick_one.sick_leave->source_row, sick_two.sick_leave->source_row);
    }
  }
}

// The lines of sick-leave warnings (kept as steps of line - row, not a
// column) are the physical lines where the records start: with records that
// span lines, blank lines, CR-only and CRLF line ends, in file order and out
// of it, from one reader and from two parts.
TEST(TwoPart, SickLeaveWarningLinesAreWhereTheRecordsStart) {
  const RegisterReadResult reg = try_read_register_text(register_text(50, false));
  ASSERT_TRUE(reg.register_);
  for (const bool shuffled : {false, true}) {
    std::string text = "employee_id,start_date,end_date,extent\n";
    std::int64_t row = 1, line = 2;                               // of the next record
    std::vector<std::pair<std::int64_t, std::int64_t>> expected;  // (row, line) of each warning
    for (int k = 0; k < 400; ++k) {
      const int who = shuffled ? (k * 37) % 400 : k;
      ++row;
      std::string id = "E" + std::to_string(100000 + who % 50);
      std::int64_t spans = 1;
      if (who % 7 == 0) {
        id = "\"NO\nBODY" + std::to_string(who) + "\"";  // not in the register, and two lines long
        spans = 2;
        expected.emplace_back(row, line);
      } else if (who % 5 == 0) {
        id = "NOBODY" + std::to_string(who);
        expected.emplace_back(row, line);
      }
      const char* end = k % 3 == 0 ? "\r\n" : k % 11 == 0 ? "\r" : "\n";
      text += id + ",2012-03-01,2012-03-0" + std::to_string(2 + who % 5) + ",1" + end;
      line += spans;
      if (k % 13 == 0) {                                           // a blank line is numbered as a row and a line
        text += end[0] == '\r' && end[1] == '\0' ? "\r\n" : "\n";  // after a lone CR, LF alone would pair with it
        ++row;
        ++line;
      }
    }
    std::sort(expected.begin(), expected.end());
    for (const std::size_t threshold : {std::numeric_limits<std::size_t>::max(), std::size_t{0}}) {
      Threshold split(threshold);
      const SickLeaveReadResult result = try_read_sick_leave_text(text, {}, &*reg.register_);
      ASSERT_TRUE(result.sick_leave);
      std::vector<std::pair<std::int64_t, std::int64_t>> got;
      for (const Issue& issue : result.issues.items()) {
        if (issue.code == "sick_leave_outside_employment" &&
            issue.message.find("not in the register") != std::string::npos) {
          got.emplace_back(issue.row, issue.line);
        }
      }
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, expected) << "shuffled " << shuffled << " threshold " << threshold;
    }
  }
}

// less_text (the ordered interner's test, eight bytes at a time) is byte order:
// shared prefixes, high bytes, every length around eight.
TEST(TwoPart, InternerLessTextIsByteOrder) {
  std::mt19937_64 random(9);
  const char alphabet[] = {'a', 'b', '\x7f', '\x80', '\xff', '\0'};
  for (int round = 0; round < 100000; ++round) {
    std::string a, b;
    const std::size_t length_a = random() % 12, length_b = random() % 12;
    for (std::size_t k = 0; k < length_a; ++k) a += alphabet[random() % sizeof alphabet];
    b = a.substr(0, std::min<std::size_t>(random() % 12, a.size()));  // often a prefix of a
    while (b.size() < length_b) b += alphabet[random() % sizeof alphabet];
    ASSERT_EQ(less_text(a, b), std::string_view(a) < std::string_view(b)) << round;
    ASSERT_EQ(less_text(b, a), std::string_view(b) < std::string_view(a)) << round;
  }
}

// The sick-leave readers note whether their records arrive in canonical
// order as they read them; the pair across the cut is checked after. Here
// each half is in order and only that pair is not (the second half starts
// over at earlier dates for the same person, whose key therefore keeps the
// codes in key order): the table must still come out
// sorted, as with one reader, and a file in order keeps its order.
TEST(TwoPart, SickLeaveOrderIsCheckedAcrossTheCut) {
  auto records = [](int first_day) {
    std::string out;
    for (int k = 0; k < 60; ++k) {
      const int day = first_day + k / 3;
      const std::string date = "2012-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
      out += "P10," + date + "," + date + ",1.0\n";
    }
    return out;
  };
  const std::string header = "employee_id,start_date,end_date,extent\n";
  // Equal records and halves: the cut falls at the second half's first line.
  for (const std::string& text : {header + records(10) + records(1), header + records(1) + records(10)}) {
    SickLeaveReadResult one, two;
    {
      Threshold never(std::numeric_limits<std::size_t>::max());
      one = try_read_sick_leave_text(text);
    }
    {
      Threshold always(0);
      two = try_read_sick_leave_text(text);
    }
    ASSERT_TRUE(one.sick_leave && two.sick_leave);
    for (const SickLeave* table : {&*one.sick_leave, &*two.sick_leave}) {
      ASSERT_EQ(table->size(), 120U);
      for (std::size_t i = 1; i < table->size(); ++i) {
        EXPECT_LE(std::tie(table->person[i - 1], table->start_date[i - 1], table->source_row[i - 1]),
                  std::tie(table->person[i], table->start_date[i], table->source_row[i]))
            << "row " << i;
      }
    }
    EXPECT_EQ(one.sick_leave->source_row, two.sick_leave->source_row);
    EXPECT_EQ(one.sick_leave->start_date, two.sick_leave->start_date);
  }
  // The first text's second half (days 1-20) sorts before its first half (10-29).
  const SickLeaveReadResult reordered = try_read_sick_leave_text(header + records(10) + records(1));
  EXPECT_EQ(reordered.sick_leave->source_row.front(), 62U);  // row 62: the second half's first record
}
