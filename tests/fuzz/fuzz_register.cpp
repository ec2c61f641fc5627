// libFuzzer target: reading and validating the employments register
// (staffcast::try_read_register_text) from arbitrary bytes.
//
// Input layout: byte 0 chooses the options, the rest is the file.
//   bit 0  prepend a valid header, so that arbitrary rows get deep validation
//   bit 1  `;` separator and decimal comma (a Swedish export)
//   bit 2  declare the pass-through dimension "region"
//   bit 3  extracted_on = 2024-09-30 (else assumed: the earlier of "today" and
//          the latest date in the file)
//   bit 6  "today" = 2010-06-15 (else 2026-01-01), so that both sides of the
//          assumed-extraction rule are reached, and no run depends on the clock
//   bit 4  column renames and code mappings ("Anst.nr" -> employee_id,
//          "Kön" -> gender, K -> F, Tillsvidare -> permanent, ...)
//   bit 5  max_issues = 3 (issue-list truncation)
//
// Oracles, besides ASan/UBSan: no exception escapes; a register results exactly
// when there is no hard error; every column of the register is touched and
// checked against the contract (docs/data.md: person < persons(), dictionaries
// sorted, start_date <= end_date, dates in 1900-2199, age 15-100 at start,
// fte in (0, 1] unless hourly, end_reason set exactly when the spell ends,
// partners of the same person, ...); issues never show person keys or birth
// dates; and reading the same records in reverse order gives the same register
// ("file order never decides anything").
#include <staffcast/detail/csv.hpp>
#include <staffcast/register/extraction.hpp>
#include <staffcast/register/register.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace staffcast;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_register invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, ...)                           \
  do {                                                  \
    if (!(cond)) fail(#cond, std::string(__VA_ARGS__)); \
  } while (0)

const std::set<std::string> hard_errors{"missing_column",   "missing_value",    "bad_date",      "bad_number",
                                        "fte_out_of_range", "end_before_start", "unknown_code",  "implausible_age",
                                        "encoding",         "malformed_csv",    "field_too_long"};
const std::set<std::string> warnings{"duplicate_row",    "overlapping_spells",     "unpaired_move",
                                     "unknown_manager",  "manager_cycle",          "reason_on_open_spell",
                                     "default_not_used", "extraction_date_assumed"};

bool in_years(day_t day, int from, int to) {
  const int year = to_ymd(day).year;
  return year >= from && year <= to;
}

template <class T>
void check_sorted_unique(const std::vector<T>& values, std::size_t from, std::size_t to, const char* what) {
  for (std::size_t i = from + 1; i < to; ++i) FUZZ_CHECK(values[i - 1] < values[i], what);
}

void check_issues(const IssueList& issues, const RegisterOptions& options, const std::vector<std::string>& sensitive) {
  FUZZ_CHECK(issues.size() <= options.max_issues);
  FUZZ_CHECK(issues.size() + issues.dropped() == issues.error_count() + issues.warning_count());
  for (const Issue& issue : issues.items()) {
    if (issue.severity == Severity::error) {
      FUZZ_CHECK(hard_errors.count(issue.code) == 1, issue.code);
    } else {
      FUZZ_CHECK(warnings.count(issue.code) == 1, issue.code);
    }
    if (issue.code == "extraction_date_assumed") {
      // About the whole file: no row, and the day it names is the register's.
      FUZZ_CHECK(issue.row == 0 && issue.line == 0 && !options.extracted_on, issue.code);
    } else {
      FUZZ_CHECK(issue.row >= 1 && issue.line >= 1);
    }
    FUZZ_CHECK(issue.file == "fuzz.csv");
    FUZZ_CHECK(issue.value.size() <= 83, "values shown in issues are cut to 80 bytes");
    FUZZ_CHECK(detail::is_valid_utf8(issue.value), "issue value is not valid UTF-8");
    FUZZ_CHECK(detail::is_valid_utf8(issue.message) && detail::is_valid_utf8(issue.column));
    if (std::find(sensitive.begin(), sensitive.end(), issue.column) != sensitive.end()) {
      FUZZ_CHECK(issue.value.empty(), "person key or birth date shown in an issue: " + issue.column);
    }
  }
}

/// Touches every column and checks the invariants of a validated register.
std::uint64_t check_register(const Register& reg, const RegisterOptions& options) {
  const SpellColumns& s = reg.spells();
  const std::size_t n = reg.size();
  FUZZ_CHECK(s.size() == n);
  for (std::size_t size : {s.birth_date.size(), s.gender.size(), s.employment_form.size(), s.position.size(),
                           s.department.size(), s.fte.size(), s.start_date.size(), s.end_date.size(),
                           s.end_reason.size(), s.recruitment_source.size(), s.manager.size(), s.source_row.size(),
                           s.start_kind.size(), s.end_kind.size(), s.start_partner.size(), s.end_partner.size()}) {
    FUZZ_CHECK(size == n, "columns of different lengths");
  }
  FUZZ_CHECK(reg.persons() <= reg.ids().size());
  FUZZ_CHECK(reg.rows_read() >= static_cast<std::int64_t>(n));
  const auto& ids = reg.ids().strings();
  check_sorted_unique(ids, 0, reg.persons(), "employee ids not sorted");
  check_sorted_unique(ids, reg.persons(), ids.size(), "manager-only ids not sorted");
  check_sorted_unique(reg.positions().strings(), 0, reg.positions().size(), "positions not sorted");
  check_sorted_unique(reg.departments().strings(), 0, reg.departments().size(), "departments not sorted");
  for (const auto& id : ids) FUZZ_CHECK(!id.empty());
  for (std::size_t k = 0; k < ids.size(); ++k) {
    FUZZ_CHECK(reg.ids().find(ids[k]) == k, "ids().find() does not find " + ids[k]);
  }

  std::uint64_t sum = 0;
  std::set<std::uint32_t> rows;
  std::vector<bool> has_spell(reg.persons(), false);
  for (std::size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(s.person[i] < reg.persons(), "person >= persons()");
    has_spell[s.person[i]] = true;
    if (i > 0) {
      FUZZ_CHECK(s.person[i - 1] <= s.person[i], "spells not sorted by person");
      if (s.person[i - 1] == s.person[i]) FUZZ_CHECK(s.start_date[i - 1] <= s.start_date[i], "not sorted by start");
    }
    FUZZ_CHECK(s.start_date[i] <= s.end_date[i], "start_date after end_date");
    FUZZ_CHECK(in_years(s.birth_date[i], 1900, 2199) && in_years(s.start_date[i], 1900, 2199));
    FUZZ_CHECK(s.end_date[i] == open_end_day || in_years(s.end_date[i], 1900, 2199));
    const int age = age_on(s.birth_date[i], s.start_date[i]);
    FUZZ_CHECK(age >= 15 && age <= 100, "implausible age accepted");
    FUZZ_CHECK(static_cast<std::size_t>(s.gender[i]) < gender_names.size());
    FUZZ_CHECK(static_cast<std::size_t>(s.employment_form[i]) < employment_form_names.size());
    FUZZ_CHECK(static_cast<std::size_t>(s.end_reason[i]) < end_reason_names.size());
    FUZZ_CHECK(static_cast<std::size_t>(s.recruitment_source[i]) < recruitment_source_names.size());
    FUZZ_CHECK(s.position[i] < reg.positions().size() && s.department[i] < reg.departments().size());
    FUZZ_CHECK(!reg.positions()[s.position[i]].empty() && !reg.departments()[s.department[i]].empty());
    FUZZ_CHECK(s.fte[i] <= 100);
    FUZZ_CHECK(s.fte[i] > 0 || s.employment_form[i] == EmploymentForm::hourly, "fte missing");
    FUZZ_CHECK((s.end_reason[i] == EndReason::none) == (s.end_date[i] == open_end_day),
               "end_reason must be set exactly when the spell ends");
    FUZZ_CHECK((s.end_kind[i] == EndKind::open) == (s.end_date[i] == open_end_day));
    FUZZ_CHECK(s.manager[i] == no_code || s.manager[i] < reg.ids().size());
    FUZZ_CHECK(s.source_row[i] >= 2 && rows.insert(s.source_row[i]).second, "source rows not unique");
    if (s.start_partner[i] != no_code) {
      FUZZ_CHECK(s.start_partner[i] < n && s.person[s.start_partner[i]] == s.person[i]);
      FUZZ_CHECK(s.start_partner[i] != i);
      FUZZ_CHECK(s.start_kind[i] != StartKind::recruitment);
    }
    if (s.end_partner[i] != no_code) {
      FUZZ_CHECK(s.end_partner[i] < n && s.person[s.end_partner[i]] == s.person[i]);
      FUZZ_CHECK(s.end_partner[i] != i);
    }
    if (s.start_kind[i] == StartKind::move_in) {
      FUZZ_CHECK(s.start_partner[i] != no_code);
      FUZZ_CHECK(s.end_reason[s.start_partner[i]] == EndReason::internal_move);
    }
    if (s.end_kind[i] == EndKind::move_out) {
      FUZZ_CHECK(s.end_partner[i] != no_code && s.end_reason[i] == EndReason::internal_move);
      FUZZ_CHECK(s.start_kind[s.end_partner[i]] == StartKind::move_in);
      FUZZ_CHECK(s.start_date[s.end_partner[i]] > s.start_date[i]);
    }
    // Touch everything, through the public helpers.
    sum += format_iso_date(s.birth_date[i]).size() + format_iso_date(s.start_date[i]).size() +
           format_iso_date(s.end_date[i]).size();
    sum += name_of(s.gender[i]).size() + name_of(s.employment_form[i]).size() + name_of(s.end_reason[i]).size() +
           name_of(s.recruitment_source[i]).size();
    sum += reg.ids()[s.person[i]].size() + s.fte[i] + static_cast<std::uint64_t>(s.start_kind[i]) +
           static_cast<std::uint64_t>(s.end_kind[i]);
    if (s.manager[i] != no_code) sum += reg.ids()[s.manager[i]].size();
  }
  for (std::size_t p = 0; p < reg.persons(); ++p) FUZZ_CHECK(has_spell[p], "employee without a spell");

  FUZZ_CHECK(reg.pass_through().size() == options.dimensions.size());
  for (const auto& column : reg.pass_through()) {
    FUZZ_CHECK(column.codes.size() == n);
    check_sorted_unique(column.dictionary.strings(), 0, column.dictionary.size(), "dimension not sorted");
    for (std::uint32_t code : column.codes) FUZZ_CHECK(code < column.dictionary.size());
  }
  if (n > 0) {
    FUZZ_CHECK(reg.earliest_start() == *std::min_element(s.start_date.begin(), s.start_date.end()));
    FUZZ_CHECK(reg.latest_start() == *std::max_element(s.start_date.begin(), s.start_date.end()));
  }
  // The extraction-date rule: given, or the earlier of "today" and the latest date.
  day_t latest = 0;
  for (std::size_t i = 0; i < n; ++i) {
    latest = std::max(latest, s.start_date[i]);
    if (s.end_date[i] != open_end_day) latest = std::max(latest, s.end_date[i]);
  }
  if (n > 0) FUZZ_CHECK(reg.latest_date() == latest, "latest_date is not the latest date of the spells");
  FUZZ_CHECK(reg.extracted_on_given() == options.extracted_on.has_value());
  const day_t expected =
      options.extracted_on ? *options.extracted_on : assumed_extraction_date(reg.latest_date(), *options.today);
  FUZZ_CHECK(reg.extracted_on() == expected, "extraction date " + format_iso_date(reg.extracted_on()));
  const bool warned = !reg.issues().items().empty() && reg.issues().items().front().code == "extraction_date_assumed";
  FUZZ_CHECK(warned == !options.extracted_on, "extraction_date_assumed must come first exactly when assumed");
  if (reg.earliest_observed_end()) {
    FUZZ_CHECK(*reg.earliest_observed_end() <= reg.extracted_on());
    FUZZ_CHECK(std::find(s.end_date.begin(), s.end_date.end(), *reg.earliest_observed_end()) != s.end_date.end());
  }
  for (const Issue& issue : reg.issues().items()) FUZZ_CHECK(issue.severity == Severity::warning);
  return sum + reg.nbytes();
}

/// The records of `text` written back in reverse order, every field quoted.
std::string reversed_records(std::string_view text, char separator) {
  IssueList issues;
  detail::CsvOptions options;
  options.separator = separator;
  detail::CsvReader reader(detail::memory_source(text), "fuzz.csv", issues, options);
  std::vector<std::string> header;
  if (!reader.read_header(header)) fail("a file that gave a register has no header");
  auto line = [&](const auto& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += separator;
      out += '"';
      for (char c : fields[i]) {
        out += c;
        if (c == '"') out += '"';
      }
      out += '"';
    }
    return out + "\n";
  };
  std::vector<std::string> records;
  detail::CsvRecord record;
  while (reader.next(record)) records.push_back(line(record.fields));
  std::string out = line(header);
  for (auto it = records.rbegin(); it != records.rend(); ++it) out += *it;
  return out;
}

void compare_registers(const Register& a, const Register& b) {
  const SpellColumns& x = a.spells();
  const SpellColumns& y = b.spells();
  const bool same =
      a.size() == b.size() && a.persons() == b.persons() && a.ids().strings() == b.ids().strings() &&
      a.positions().strings() == b.positions().strings() && a.departments().strings() == b.departments().strings() &&
      x.person == y.person && x.birth_date == y.birth_date && x.gender == y.gender &&
      x.employment_form == y.employment_form && x.position == y.position && x.department == y.department &&
      x.fte == y.fte && x.start_date == y.start_date && x.end_date == y.end_date && x.end_reason == y.end_reason &&
      x.recruitment_source == y.recruitment_source && x.manager == y.manager && x.start_kind == y.start_kind &&
      x.end_kind == y.end_kind && x.start_partner == y.start_partner && x.end_partner == y.end_partner &&
      a.extracted_on() == b.extracted_on() && a.earliest_start() == b.earliest_start() &&
      a.latest_start() == b.latest_start() && a.earliest_observed_end() == b.earliest_observed_end() &&
      a.issues().warning_count() == b.issues().warning_count();
  FUZZ_CHECK(same, "the register depends on the order of the rows");
  FUZZ_CHECK(a.pass_through().size() == b.pass_through().size());
  for (std::size_t d = 0; d < a.pass_through().size(); ++d) {
    FUZZ_CHECK(a.pass_through()[d].codes == b.pass_through()[d].codes);
    FUZZ_CHECK(a.pass_through()[d].dictionary.strings() == b.pass_through()[d].dictionary.strings());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

  RegisterOptions options;
  const bool swedish = (mode & 2U) != 0;
  const bool renamed = (mode & 16U) != 0;
  if (swedish) {
    options.separator = ';';
    options.decimal = ',';
  }
  if ((mode & 4U) != 0) options.dimensions = {"region"};
  if ((mode & 8U) != 0) options.extracted_on = to_day(2024, 9, 30);
  options.today = (mode & 64U) != 0 ? to_day(2010, 6, 15) : to_day(2026, 1, 1);
  if (renamed) {
    options.columns = {{"Anst.nr", "employee_id"}, {"Kön", "gender"}, {"Chef", "manager_id"}};
    options.codes = {{"gender", {{"K", "F"}, {"Kvinna", "F"}, {"Man", "M"}}},
                     {"employment_form", {{"Tillsvidare", "permanent"}, {"Visstid", "temporary"}}},
                     {"end_reason", {{"Egen begäran", "own_request"}, {"Pension", "retirement"}}}};
  }
  if ((mode & 32U) != 0) options.max_issues = 3;
  const std::vector<std::string> sensitive = renamed
                                                 ? std::vector<std::string>{"Anst.nr", "Chef", "birth_date"}
                                                 : std::vector<std::string>{"employee_id", "manager_id", "birth_date"};

  std::string text;
  if ((mode & 1U) != 0) {
    const char sep = options.separator;
    const std::vector<std::string> names{renamed ? "Anst.nr" : "employee_id",
                                         "birth_date",
                                         renamed ? "Kön" : "gender",
                                         "employment_form",
                                         "position",
                                         "department",
                                         "fte",
                                         "start_date",
                                         "end_date",
                                         "end_reason",
                                         "recruitment_source",
                                         renamed ? "Chef" : "manager_id"};
    for (const auto& name : names) text += name + sep;
    text.pop_back();
    if (!options.dimensions.empty()) text += sep + std::string("region");
    text += '\n';
  }
  text.append(body);

  RegisterReadResult result;
  try {
    result = try_read_register_text(text, options, "fuzz.csv");
  } catch (const std::exception& e) {
    fail("exception escaped try_read_register_text:", e.what());
  }
  check_issues(result.issues, options, sensitive);
  FUZZ_CHECK(result.register_.has_value() == !result.issues.has_errors(),
             "a register results exactly when there are no hard errors");
  if (!result.register_) return 0;

  const Register& reg = *result.register_;
  volatile std::uint64_t sink = check_register(reg, options);
  (void)sink;
  FUZZ_CHECK(reg.issues().warning_count() == result.issues.warning_count());

  // File order never decides anything: the same records reversed give the same register.
  if (reg.rows_read() <= 64) {
    const std::string reversed = reversed_records(text, options.separator);
    RegisterReadResult again;
    try {
      again = try_read_register_text(reversed, options, "fuzz.csv");
    } catch (const std::exception& e) {
      fail("exception escaped try_read_register_text (reversed):", e.what());
    }
    FUZZ_CHECK(again.register_.has_value(), "reversed rows gave errors");
    compare_registers(reg, *again.register_);
  }
  return 0;
}
