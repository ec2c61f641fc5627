// Regression tests for findings of the libFuzzer targets in tests/fuzz/ (and of
// the sanitizer builds). Each test reproduces one minimised finding; the input
// bytes are given literally so that no corpus file is needed.
#include <staffcast/calendar.hpp>
#include <staffcast/detail/csv.hpp>
#include <staffcast/io/indicators.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/register.hpp>
#include <staffcast/stats/retirement.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace staffcast;

namespace {

/// A byte source that returns at most `step` bytes per read, as a pipe, a
/// socket or a Python file object may.
class ShortReadSource final : public detail::ByteSource {
 public:
  ShortReadSource(std::string_view bytes, std::size_t step) : bytes_(bytes), step_(step) {}
  std::size_t read(char* into, std::size_t capacity) override {
    const std::size_t n = std::min({capacity, step_, bytes_.size() - offset_});
    if (n > 0) std::memcpy(into, bytes_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t step_;
  std::size_t offset_ = 0;
};

struct Parsed {
  bool header_ok = false;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> issues;  // "code row line"
};

Parsed parse(std::unique_ptr<detail::ByteSource> source, detail::CsvOptions options = {}) {
  Parsed out;
  IssueList issues;
  detail::CsvReader reader(std::move(source), "fuzz.csv", issues, options);
  out.header_ok = reader.read_header(out.header);
  if (out.header_ok) {
    detail::CsvRecord record;
    while (reader.next(record)) out.rows.emplace_back(record.fields.begin(), record.fields.end());
  }
  for (const Issue& issue : issues.items()) {
    out.issues.push_back(issue.code + " " + std::to_string(issue.row) + " " + std::to_string(issue.line));
  }
  return out;
}

Parsed parse_whole(std::string_view text) { return parse(detail::memory_source(text)); }
Parsed parse_short_reads(std::string_view text, std::size_t step) {
  return parse(std::make_unique<ShortReadSource>(text, step));
}

}  // namespace

// fuzz_csv, "result depends on short reads". Minimised input (after the two
// option bytes): "\n\xEF\xBB\xBF". When the first read returns fewer than three
// bytes and they already hold a complete record (a header of at most one
// character), the byte-order-mark check runs at the start of the *next* chunk,
// so three bytes EF BB BF in the middle of the file are silently dropped.
TEST(FuzzRegressions, ByteOrderMarkIsOnlyStrippedAtTheStartOfTheFile) {
  const std::string text =
      "a\n\xEF\xBB\xBF"
      "b\n";
  const Parsed whole = parse_whole(text);
  ASSERT_TRUE(whole.header_ok);
  ASSERT_EQ(whole.rows.size(), 1U);
  EXPECT_EQ(whole.rows[0][0],
            "\xEF\xBB\xBF"
            "b");
  for (std::size_t step : {1, 2}) {
    const Parsed trickled = parse_short_reads(text, step);
    EXPECT_EQ(trickled.header, whole.header) << "step " << step;
    EXPECT_EQ(trickled.rows, whole.rows) << "step " << step;
    EXPECT_EQ(trickled.issues, whole.issues) << "step " << step;
  }
  // The original finding: an empty header line, then a BOM alone on line 2.
  const std::string minimal = "\n\xEF\xBB\xBF";
  EXPECT_EQ(parse_short_reads(minimal, 1).rows, parse_whole(minimal).rows);
}

// Found by fuzz_csv (the whole-record UTF-8 shortcut): with a non-ASCII
// separator byte, a record that is valid UTF-8 as a whole can still split
// into invalid fields ("\xC9\xBF" split at 0xBF leaves "\xC9"). Such fields
// must be reported as encoding issues, in the header as in data records.
TEST(FuzzRegressions, NonAsciiSeparatorCanSplitAValidRecordIntoInvalidFields) {
  for (const std::string& text : {std::string("\xC9\xBF"), std::string("a\xBF"
                                                                       "b\n\xC9\xBF"
                                                                       "c\n")}) {
    IssueList issues;
    detail::CsvOptions options;
    options.separator = '\xBF';
    detail::CsvReader reader(detail::memory_source(text), "t.csv", issues, options);
    std::vector<std::string> header;
    const bool ok = reader.read_header(header);
    detail::CsvRecord record;
    while (ok && reader.next(record)) ADD_FAILURE() << "an invalid record was handed out";
    ASSERT_EQ(issues.size(), 1U);
    EXPECT_EQ(issues.items()[0].code, "encoding");
    for (const std::string& name : header) EXPECT_TRUE(detail::is_valid_utf8(name));
  }
}

// A BOM at the very start is still stripped however the bytes arrive.
TEST(FuzzRegressions, LeadingByteOrderMarkIsStrippedWithShortReads) {
  const std::string text = "\xEF\xBB\xBFid,name\r\n1,x\r\n";
  for (std::size_t step : {1, 2, 3, 4, 1024}) {
    const Parsed p = parse_short_reads(text, step);
    EXPECT_EQ(p.header, (std::vector<std::string>{"id", "name"})) << "step " << step;
    EXPECT_EQ(p.rows, (std::vector<std::vector<std::string>>{{"1", "x"}})) << "step " << step;
  }
}

// fuzz_csv (differential run with a small max_field_bytes): a record longer
// than the reader's limit is discarded by CsvReader::skip_record() when it does
// not fit in the buffer, but parsed and then rejected field by field when it
// does. skip_record() treats every '"' as opening a quoted field, also one in
// the middle of an unquoted field (`x"y`) or after a closing quote (`"q"r"`),
// where parse_record() takes it literally / skips it. It then swallows every
// following row up to the next quote character (here: the rest of the file), so
// those rows are neither returned nor validated, and the issues depend on how
// the bytes were buffered. With the default 1 MiB limit this needs a record of
// roughly 16 MiB (12 columns), i.e. a hostile or corrupt file.
TEST(FuzzRegressions, OverLongRecordWithAStrayQuoteDoesNotSwallowTheFollowingRows) {
  for (const std::string prefix : {"x\"y", "\"q\"r\""}) {
    const std::string text = "a,b\n" + prefix + std::string(20000, 'z') + ",1\nok,2\n\"q\",3\nlast,4\n";
    detail::CsvOptions whole;
    whole.max_field_bytes = 8;
    whole.chunk_bytes = std::size_t{1} << 20;  // everything in one read
    detail::CsvOptions chunked = whole;
    chunked.chunk_bytes = 1;  // the reader's smallest buffer (1 KiB)
    const Parsed a = parse(detail::memory_source(text), whole);
    const Parsed b = parse(detail::memory_source(text), chunked);
    const std::vector<std::vector<std::string>> expected{{"ok", "2"}, {"q", "3"}, {"last", "4"}};
    EXPECT_EQ(a.rows, expected) << prefix;
    EXPECT_EQ(b.rows, expected) << prefix;
    // One hard error, on row 2 (field_too_long, or malformed_csv for the text
    // after a closing quote when the record is parsed whole).
    ASSERT_EQ(a.issues.size(), 1U) << prefix;
    ASSERT_EQ(b.issues.size(), 1U) << prefix;
    EXPECT_NE(a.issues[0].find(" 2 2"), std::string::npos) << a.issues[0];
    EXPECT_EQ(b.issues[0], "field_too_long 2 2") << prefix;
  }
}

namespace {

const std::string register_header =
    "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
    "recruitment_source,manager_id\n";

}  // namespace

// fuzz_register, "ids().find() does not find ...". Register::ids() holds the
// employees (sorted) followed by the ids that appear only as manager_id (also
// sorted), so the whole vector is not sorted when a manager-only id sorts
// before an employee id; Dictionary::find() binary-searches the whole vector
// and misses. Minimal input: one employee "B" whose manager "A" is not an
// employee: ids() = {"B", "A"}, and ids().find("B") is nullopt.
TEST(FuzzRegressions, IdsFindLocatesEveryIdWhenAManagerOnlyIdSortsFirst) {
  const RegisterReadResult result =
      try_read_register_text(register_header + "B,1980-01-01,F,permanent,U,V,1.00,2020-01-01,,,,A\n");
  ASSERT_TRUE(result.register_);
  const Register& reg = *result.register_;
  ASSERT_EQ(reg.persons(), 1U);
  ASSERT_EQ(reg.ids().strings(), (std::vector<std::string>{"B", "A"}));
  EXPECT_EQ(reg.ids().find("B"), std::optional<std::uint32_t>(0));
  EXPECT_EQ(reg.ids().find("A"), std::optional<std::uint32_t>(1));
  EXPECT_EQ(reg.ids().find("C"), std::nullopt);
}

// The consequence seen by users (fuzz_tables oracle): sick leave of that
// employee, well inside the employment, is reported as
// sick_leave_outside_employment "of a person who is not in the register".
TEST(FuzzRegressions, SickLeaveOfAnEmployeeWithANonEmployeeManagerIsInsideEmployment) {
  const RegisterReadResult result = try_read_register_text(register_header +
                                                           "B,1980-01-01,F,permanent,U,V,1.00,2020-01-01,,,,A\n"
                                                           "D,1981-01-01,M,permanent,U,V,1.00,2020-01-01,,,,C\n");
  ASSERT_TRUE(result.register_);
  const SickLeaveReadResult sick = try_read_sick_leave_text(
      "employee_id,start_date,end_date,extent\nB,2021-03-01,2021-03-05,1\nD,2022-01-10,2022-01-11,0.5\n", {},
      &*result.register_);
  ASSERT_TRUE(sick.sick_leave);
  EXPECT_EQ(sick.issues.warning_count(), 0U);
  for (const Issue& issue : sick.issues.items()) ADD_FAILURE() << issue.code << ": " << issue.message;
}

// Found by an exploratory fuzz run of the statistics with fuzzed parameters
// (then confirmed by hand under ASan): retirement_outlook() with a year past
// the calendar. to_day() narrows the year to unsigned short without checking
// it, so to_day(65536 + 2030, 1, 1) is 2030-01-01; a person reaching 65 in
// 2035 then lands in column 1 + (2035 - 67566): an out-of-bounds write (ASan:
// SEGV in retirement.hpp, `row[1 + ...] += 1`). Reachable from Python
// (`sc.retirement_outlook(reg, "2024-09-30", years=[67566])`) and the CLI
// (`--years 67566-67566`). Years 10000..65535 make Boost.Date_Time throw
// std::out_of_range (bad_year) instead of a staffcast::argument_error.
TEST(FuzzRegressions, RetirementOutlookRejectsYearsOutsideTheCalendar) {
  const RegisterReadResult result =
      try_read_register_text(register_header +
                             "E1,1970-06-15,F,permanent,U,V,1.00,2000-01-01,,,,\n"
                             "E2,1960-01-01,M,permanent,U,V,1.00,2000-01-01,2020-01-01,own_request,,\n");
  ASSERT_TRUE(result.register_);
  const Register& reg = *result.register_;
  const day_t as_of = *parse_iso_date("2024-09-30");
  Query query;
  query.extracted_on = as_of;
  ASSERT_NO_THROW(retirement_outlook(reg, as_of, {2025, 2026}, 65, query));
  const auto q = RetirementProbabilities::given(65, {0.3, 0.3, 0.3, 0.3, 1.0});
  for (const int year : {10000, 65536 + 2030, 2147483647}) {
    EXPECT_THROW(retirement_outlook(reg, as_of, {year}, 65, query), argument_error) << year;
    EXPECT_THROW(probabilistic_retirement_outlook(reg, as_of, {year}, q, query), argument_error) << year;
  }
  // Consecutive years must not overflow while being checked.
  EXPECT_THROW(retirement_outlook(reg, as_of, {2147483647, -2147483647 - 1}, 65, query), argument_error);
}

// fuzz_date (check_range): add_years() adds the years in `int`, so a large
// count overflows (UBSan: "signed integer overflow: 9999 + 2147475048 cannot be
// represented in type 'int'", calendar.hpp add_years) before to_day() can refuse
// the year. Minimised input: "9999-12-31" "1400-01-01" 0x01, then int32
// 2147475048. Days outside the calendar given to to_ymd()/format_iso_date()
// overflow `day + unix_epoch_jdn` or make Boost throw std::out_of_range
// (bad_year) instead of staffcast::argument_error. Fix: compute the year (and
// the Julian day) in 64 bits and throw argument_error outside 1400-9999, as
// to_day() now does.
TEST(FuzzRegressions, CalendarHelpersRefuseResultsOutsideTheCalendar) {
  const day_t last = to_day(9999, 12, 31);
  EXPECT_THROW(add_years(last, 2147475048), argument_error);
  EXPECT_THROW(add_years(to_day(2000, 1, 1), INT_MAX), argument_error);
  EXPECT_THROW(add_years(to_day(1400, 1, 1), INT_MIN), argument_error);
  EXPECT_THROW(add_years(last, 1), argument_error);
  EXPECT_EQ(add_years(to_day(2024, 2, 29), -1), to_day(2023, 2, 28));
  EXPECT_THROW(to_ymd(last + 1), argument_error);
  EXPECT_THROW(to_ymd(to_day(1400, 1, 1) - 1), argument_error);
  EXPECT_THROW(to_ymd(INT32_MAX), argument_error);
  EXPECT_THROW(format_iso_date(INT32_MIN), argument_error);
}

// fuzz_register, "values shown in issues are cut to 80 bytes": a bad end_date of
// "2021" and 37 tabs was cut to 80 bytes and then had its control bytes escaped
// (each tab four bytes, `\x09`), so the shown value grew to 150 bytes. Fix: the
// value is escaped first and then cut, between characters and never inside an
// escape.
TEST(FuzzRegressions, ShownValuesAreCutAfterEscaping) {
  const std::string tabs(100, '\t');
  const RegisterReadResult result = try_read_register_text(
      register_header + "E1,1970-06-15,F,permanent,U,V,1.00,2000-01-01,2021" + tabs + "-01-01,own_request,,\n");
  ASSERT_FALSE(result.register_);
  ASSERT_EQ(result.issues.items().size(), 1U);
  const Issue& issue = result.issues.items()[0];
  EXPECT_EQ(issue.code, "bad_date");
  // "2021" + 19 escapes of 4 bytes = 80 bytes, then "...".
  std::string expected = "2021";
  for (int i = 0; i < 19; ++i) expected += "\\x09";
  EXPECT_EQ(issue.value, expected + "...");
}
