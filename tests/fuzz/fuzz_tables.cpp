// libFuzzer target: the optional input tables, sick_leave (with and without a
// register) and indicators (staffcast::try_read_sick_leave_text,
// staffcast::try_read_indicators_text), from arbitrary bytes.
//
// Input layout: byte 0 chooses the options, the rest is the file.
//   bit 0  0 = sick_leave, 1 = indicators
//   bit 1  prepend a valid header
//   bit 2  sick_leave: check against a small register
//   bit 3  `;` separator and decimal comma
//   bit 4  max_issues = 3
//
// Oracles, besides ASan/UBSan: no exception escapes; a table results exactly
// when there is no hard error; the contract holds for every record (dates in
// 1900-2199, start <= end, extent in (0, 1], periods round-trip, values
// finite, better = +-1, one record per indicator, unit and period); issues
// never show person keys; and sick_leave_outside_employment is reported for
// exactly the records that an independent interval computation finds outside
// the person's employment.
#include <staffcast/detail/csv.hpp>
#include <staffcast/io/indicators.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/register.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace {

using namespace staffcast;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_tables invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, ...)                           \
  do {                                                  \
    if (!(cond)) fail(#cond, std::string(__VA_ARGS__)); \
  } while (0)

/// A small register: E1 with two adjoining spells and a gap, E2 ongoing, E3
/// hourly and ended; A0, A1 and M9 appear only as managers (A0 and A1 sort
/// before the employees, M9 after them: managers outside the register are
/// common in real exports).
const Register& small_register() {
  static const Register reg = [] {
    const char* text =
        "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
        "recruitment_source,manager_id\n"
        "E1,1970-02-28,F,temporary,Utredare,Vuxen,0.50,2020-01-01,2020-06-30,fixed_term_ended,external,M9\n"
        "E1,1970-02-28,F,permanent,Utredare,Vuxen,1.00,2020-07-01,2021-12-31,own_request,,M9\n"
        "E1,1970-02-28,F,permanent,Utredare,Barn,1.00,2022-03-01,,,rehire,A0\n"
        "E2,1959-09-30,M,permanent,Chef,Vuxen,1.00,2015-05-01,9999-12-31,,,A1\n"
        "E3,2000-02-29,X,hourly,Vårdbiträde,Barn,,2023-06-01,2024-08-31,fixed_term_ended,,E2\n";
    RegisterReadResult result = try_read_register_text(text, {}, "register.csv");
    if (!result.register_) fail("the fixed register does not validate");
    return std::move(*result.register_);
  }();
  return reg;
}

bool in_years(day_t day) {
  const int year = to_ymd(day).year;
  return year >= 1900 && year <= 2199;
}

void check_issues(const IssueList& issues, const TableOptions& options, const std::set<std::string>& warnings,
                  const char* sensitive) {
  static const std::set<std::string> hard_errors{"missing_column", "missing_value",    "bad_date",
                                                 "bad_number",     "end_before_start", "unknown_code",
                                                 "encoding",       "malformed_csv",    "field_too_long"};
  FUZZ_CHECK(issues.size() <= options.max_issues);
  FUZZ_CHECK(issues.size() + issues.dropped() == issues.error_count() + issues.warning_count());
  for (const Issue& issue : issues.items()) {
    if (issue.severity == Severity::error) {
      FUZZ_CHECK(hard_errors.count(issue.code) == 1, issue.code);
    } else {
      FUZZ_CHECK(warnings.count(issue.code) == 1, issue.code);
    }
    FUZZ_CHECK(issue.row >= 1 && issue.line >= 1);
    FUZZ_CHECK(detail::is_valid_utf8(issue.value) && detail::is_valid_utf8(issue.message));
    if (sensitive != nullptr && issue.column == sensitive) {
      FUZZ_CHECK(issue.value.empty(), "a person key is shown in an issue");
    }
  }
}

/// Independent check: is [from, to] inside the union of the person's spells?
/// (Linear look-up of the person: no reliance on Dictionary::find.)
bool employed_throughout(const Register& reg, std::string_view id, day_t from, day_t to) {
  const auto& ids = reg.ids().strings();
  const auto code = static_cast<std::uint32_t>(std::find(ids.begin(), ids.begin() + reg.persons(), id) - ids.begin());
  if (code >= reg.persons()) return false;
  std::vector<std::pair<day_t, day_t>> spells;
  const SpellColumns& s = reg.spells();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.person[i] == code) spells.emplace_back(s.start_date[i], s.end_date[i]);
  }
  std::sort(spells.begin(), spells.end());
  day_t covered_to = from - 1;  // every day in [from, covered_to] is covered
  for (const auto& [start, end] : spells) {
    if (start > covered_to + 1) continue;
    covered_to = std::max(covered_to, end);
  }
  // Spells are sorted by start, so one pass suffices once coverage reaches `from`.
  return covered_to >= to;
}

std::uint64_t check_sick_leave(const SickLeave& table, const Register* reg, const IssueList& issues) {
  const std::size_t n = table.size();
  FUZZ_CHECK(table.start_date.size() == n && table.end_date.size() == n && table.extent.size() == n &&
             table.source_row.size() == n);
  const auto& ids = table.ids.strings();
  for (std::size_t i = 1; i < ids.size(); ++i) FUZZ_CHECK(ids[i - 1] < ids[i], "ids not sorted");
  std::vector<bool> used(ids.size(), false);
  std::uint64_t sum = 0;
  std::size_t outside = 0;
  for (std::size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(table.person[i] < ids.size());
    used[table.person[i]] = true;
    FUZZ_CHECK(!ids[table.person[i]].empty());
    FUZZ_CHECK(table.start_date[i] <= table.end_date[i]);
    FUZZ_CHECK(in_years(table.start_date[i]) && in_years(table.end_date[i]));
    FUZZ_CHECK(table.extent[i] >= 1 && table.extent[i] <= 100);
    FUZZ_CHECK(table.source_row[i] >= 2);
    if (i > 0) {
      FUZZ_CHECK(std::tie(table.person[i - 1], table.start_date[i - 1], table.end_date[i - 1]) <=
                     std::tie(table.person[i], table.start_date[i], table.end_date[i]),
                 "records not sorted");
    }
    if (reg != nullptr && !employed_throughout(*reg, ids[table.person[i]], table.start_date[i], table.end_date[i])) {
      ++outside;
    }
    sum += format_iso_date(table.start_date[i]).size() + format_iso_date(table.end_date[i]).size() + table.extent[i];
  }
  for (bool u : used) FUZZ_CHECK(u, "an id without a record");
  FUZZ_CHECK(issues.warning_count() == outside,
             "sick_leave_outside_employment warnings: " + std::to_string(issues.warning_count()) + ", expected " +
                 std::to_string(outside));
  return sum;
}

std::uint64_t check_indicators(const Indicators& table) {
  const std::size_t n = table.size();
  FUZZ_CHECK(table.unit_of_analysis.size() == n && table.period.size() == n && table.value.size() == n &&
             table.target.size() == n && table.better.size() == n && table.unit.size() == n &&
             table.source_row.size() == n);
  std::set<std::tuple<std::string, std::string, Granularity, std::int32_t>> keys;
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(!table.indicator[i].empty());
    FUZZ_CHECK(table.better[i] == 1 || table.better[i] == -1);
    FUZZ_CHECK(std::isfinite(table.value[i]));
    FUZZ_CHECK(std::isfinite(table.target[i]) || std::isnan(table.target[i]));
    const std::string period = format_period(table.period[i]);
    const auto again = parse_period(period);
    FUZZ_CHECK(again && *again == table.period[i], "period does not round-trip: " + period);
    FUZZ_CHECK(
        keys.emplace(table.indicator[i], table.unit_of_analysis[i], table.period[i].granularity, table.period[i].index)
            .second,
        "duplicate indicator, unit and period kept");
    FUZZ_CHECK(table.source_row[i] >= 2);
    sum += period.size() + table.unit[i].size() + table.indicator[i].size();
  }
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const bool indicators = (mode & 1U) != 0;
  TableOptions options;
  if ((mode & 8U) != 0) {
    options.separator = ';';
    options.decimal = ',';
  }
  if ((mode & 16U) != 0) options.max_issues = 3;
  const char sep = options.separator;

  std::string text;
  if ((mode & 2U) != 0) {
    text = indicators ? std::string("indicator") + sep + "period" + sep + "value" + sep + "target" + sep + "better" +
                            sep + "unit" + sep + "unit_of_analysis\n"
                      : std::string("employee_id") + sep + "start_date" + sep + "end_date" + sep + "extent\n";
  }
  text.append(body);

  volatile std::uint64_t sink = 0;
  if (indicators) {
    IndicatorsReadResult result;
    try {
      result = try_read_indicators_text(text, options, "fuzz.csv");
    } catch (const std::exception& e) {
      fail("exception escaped try_read_indicators_text:", e.what());
    }
    check_issues(result.issues, options, {"duplicate_row"}, nullptr);
    FUZZ_CHECK(result.indicators.has_value() == !result.issues.has_errors());
    if (result.indicators) sink = check_indicators(*result.indicators);
  } else {
    const Register* reg = (mode & 4U) != 0 ? &small_register() : nullptr;
    SickLeaveReadResult result;
    try {
      result = try_read_sick_leave_text(text, options, reg, "fuzz.csv");
    } catch (const std::exception& e) {
      fail("exception escaped try_read_sick_leave_text:", e.what());
    }
    check_issues(result.issues, options, {"sick_leave_outside_employment"}, "employee_id");
    FUZZ_CHECK(result.sick_leave.has_value() == !result.issues.has_errors());
    if (result.sick_leave) sink = check_sick_leave(*result.sick_leave, reg, result.issues);
  }
  (void)sink;
  return 0;
}
