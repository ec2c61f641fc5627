// Registers that were not read from text: a coded register (codes and
// dictionaries from another process, validated and finished like a read
// one) and a saved register restored as it was (every column checked).
#include "builder.hpp"

#include <staffcast/detail/field_parse.hpp>
#include <staffcast/detail/parallel.hpp>

#include <algorithm>
#include <string>

namespace staffcast {

namespace {

/// The record source of a coded register: no records, only a label.
class LabelOnlySource final : public detail::RecordSource {
 public:
  explicit LabelOnlySource(std::string label) : label_(std::move(label)) {}
  bool header(std::vector<std::string>& names) override {
    names.clear();
    return false;
  }
  bool next(detail::CsvRecord&) override { return false; }
  [[nodiscard]] const std::string& label() const override { return label_; }

 private:
  std::string label_;
};

void corrupt(const std::string& what) { throw argument_error("the saved register is not valid: " + what); }

}  // namespace

RegisterReadResult read_register_coded(const CodedRegister& c, std::size_t max_issues) {
  const std::size_t n = c.employee_id.codes.size();
  auto same_length = [&](std::size_t size, const char* name) {
    if (size != n)
      corrupt(std::string("column ") + name + " has " + std::to_string(size) + " rows, not " + std::to_string(n));
  };
  same_length(c.birth_date.size(), "birth_date");
  same_length(c.start_date.size(), "start_date");
  same_length(c.end_date.size(), "end_date");
  same_length(c.gender.size(), "gender");
  same_length(c.employment_form.size(), "employment_form");
  same_length(c.fte.size(), "fte");
  same_length(c.end_reason.size(), "end_reason");
  same_length(c.recruitment_source.size(), "recruitment_source");
  same_length(c.source_row.size(), "source_row");
  same_length(c.position.codes.size(), "position");
  same_length(c.department.codes.size(), "department");
  same_length(c.manager_id.codes.size(), "manager_id");
  for (const auto& [name, column] : c.pass_through) same_length(column.codes.size(), name.c_str());
  auto check_strings = [&](const CodedRegister::Strings& s, const char* name, bool nullable) {
    for (const std::string& v : s.values) {
      if (v.empty() || !detail::is_valid_utf8(v)) corrupt(std::string(name) + " has an empty or invalid value");
    }
    for (std::uint32_t code : s.codes) {
      if (code == no_code ? !nullable : code >= s.values.size()) corrupt(std::string(name) + " has a bad code");
    }
  };
  check_strings(c.employee_id, "employee_id", false);
  check_strings(c.position, "position", false);
  check_strings(c.department, "department", false);
  check_strings(c.manager_id, "manager_id", true);
  for (const auto& [name, column] : c.pass_through) {
    for (std::uint32_t code : column.codes) {
      if (code >= column.values.size()) corrupt(name + " has a bad code");
    }
  }
  const day_t first = to_day(1900, 1, 1);
  const day_t last = to_day(2199, 12, 31);
  for (std::size_t i = 0; i < n; ++i) {
    const bool open = c.end_date[i] == open_end_day;
    if (c.birth_date[i] < first || c.birth_date[i] > last || c.start_date[i] < first || c.start_date[i] > last ||
        (!open && (c.end_date[i] < c.start_date[i] || c.end_date[i] > last))) {
      corrupt("row " + std::to_string(i) + " has a date out of range or an end before its start");
    }
    if (c.gender[i] >= gender_names.size() || c.employment_form[i] >= employment_form_names.size() ||
        c.end_reason[i] >= end_reason_names.size() || c.recruitment_source[i] >= recruitment_source_names.size() ||
        c.fte[i] > 100) {
      corrupt("row " + std::to_string(i) + " has a code out of range");
    }
    if ((c.end_reason[i] == 0) != open) corrupt("row " + std::to_string(i) + " has an end without a reason");
    if (c.fte[i] == 0 && c.employment_form[i] != static_cast<std::uint8_t>(EmploymentForm::hourly)) {
      corrupt("row " + std::to_string(i) + " has no fte but is not hourly");
    }
  }
  RegisterOptions options;
  options.extracted_on = c.extracted_on;
  options.today = c.today;
  options.max_issues = max_issues;
  for (const auto& [name, column] : c.pass_through) options.dimensions.push_back(name);
  IssueList issues(max_issues);
  LabelOnlySource source(c.label);
  RegisterBuilder builder(source, options, issues);
  // Intern the values in order so that codes map one to one, then finish as after reading.
  std::vector<std::uint32_t> employee_code, manager_code, position_code, department_code;
  // Keys no spell uses are no employee's: they join the dictionary after the employees, as manager ids do.
  std::vector<bool> used(c.employee_id.values.size(), false);
  for (std::uint32_t code : c.employee_id.codes) used[code] = true;
  for (std::size_t k = 0; k < c.employee_id.values.size(); ++k) {
    employee_code.push_back(used[k] ? builder.ids_.intern(c.employee_id.values[k])
                                    : builder.managers_.intern(c.employee_id.values[k]));
  }
  for (const auto& v : c.manager_id.values) manager_code.push_back(builder.managers_.intern(v));
  for (const auto& v : c.position.values) position_code.push_back(builder.positions_.intern(v));
  for (const auto& v : c.department.values) department_code.push_back(builder.departments_.intern(v));
  builder.dimension_interners_.resize(c.pass_through.size());
  builder.raw_.pass_through.resize(c.pass_through.size());
  std::vector<std::vector<std::uint32_t>> dimension_code(c.pass_through.size());
  for (std::size_t d = 0; d < c.pass_through.size(); ++d) {
    for (const auto& v : c.pass_through[d].second.values) {
      dimension_code[d].push_back(builder.dimension_interners_[d].intern(v));
    }
  }
  RegisterBuilder::RawColumns& raw = builder.raw_;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t person = employee_code[c.employee_id.codes[i]];
    raw.person.push_back(person);
    raw.birth.push_back(c.birth_date[i]);
    raw.gender.push_back(static_cast<Gender>(c.gender[i]));
    raw.form.push_back(static_cast<EmploymentForm>(c.employment_form[i]));
    raw.position.push_back(position_code[c.position.codes[i]]);
    raw.department.push_back(department_code[c.department.codes[i]]);
    raw.fte.push_back(c.fte[i]);
    raw.start.push_back(c.start_date[i]);
    raw.end.push_back(c.end_date[i]);
    raw.reason.push_back(static_cast<EndReason>(c.end_reason[i]));
    raw.source.push_back(static_cast<RecruitmentSource>(c.recruitment_source[i]));
    raw.manager.push_back(c.manager_id.codes[i] == no_code ? no_code : manager_code[c.manager_id.codes[i]]);
    raw.source_row.push_back(c.source_row[i]);
    raw.source_line.push_back(0);
    for (std::size_t d = 0; d < c.pass_through.size(); ++d) {
      raw.pass_through[d].push_back(dimension_code[d][c.pass_through[d].second.codes[i]]);
    }
  }
  builder.rows_read_ = static_cast<std::int64_t>(n);
  RegisterReadResult result;
  Register reg;
  builder.finish(reg);
  detail::note_assumed_extraction(reg, issues, c.label);
  reg.issues_ = issues;
  result.register_ = std::move(reg);
  result.issues = std::move(issues);
  return result;
}

Register restore_register(SavedRegister&& saved) {
  SpellColumns& s = saved.spells;
  const std::size_t n = s.person.size();
  auto check = [](bool ok, const auto& what) {  // a literal message is made a string only on failure
    if (!ok) corrupt(what);
  };
  const std::size_t sizes[] = {s.birth_date.size(),         s.gender.size(),     s.employment_form.size(),
                               s.position.size(),           s.department.size(), s.fte.size(),
                               s.start_date.size(),         s.end_date.size(),   s.end_reason.size(),
                               s.recruitment_source.size(), s.manager.size(),    s.source_row.size(),
                               s.start_kind.size(),         s.end_kind.size(),   s.start_partner.size(),
                               s.end_partner.size(),        s.chain_start.size()};
  for (std::size_t size : sizes) check(size == n, "the columns differ in length");
  // Each invariant is one pass over its columns without an early exit; the first that fails
  // names the problem. The keys, order and codes are checked on one thread, the dates and
  // partners on another (large registers, threads allowed).
  const day_t first = to_day(1900, 1, 1);
  const day_t last = to_day(2199, 12, 31);
  const std::uint32_t* person = s.person.data();
  const day_t* birth = s.birth_date.data();
  const day_t* start = s.start_date.data();
  const day_t* end = s.end_date.data();
  const day_t* chain = s.chain_start.data();
  auto keys_order_and_codes = [&] {
    // Keys are mostly short ASCII: those need no UTF-8 decoding (a byte >= 0x80 or a NUL
    // takes the full check), and less_text decides most neighbours on eight bytes.
    auto valid_key = [](const std::string& key) {
      unsigned bits = 0, nul = 0;
      for (const char c : key) {
        bits |= static_cast<unsigned char>(c);
        nul |= static_cast<unsigned>(c == '\0');
      }
      return !key.empty() && ((bits < 0x80U && nul == 0) || detail::is_valid_utf8(key));
    };
    auto strictly_sorted = [&](const std::vector<std::string>& v, std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        if (!valid_key(v[i]) || (i > from && !detail::less_text(v[i - 1], v[i]))) return false;
      }
      return true;
    };
    check(saved.persons <= saved.ids.size(), "persons exceeds the ids");
    check(strictly_sorted(saved.ids, 0, saved.persons) && strictly_sorted(saved.ids, saved.persons, saved.ids.size()),
          "person keys are not sorted");
    check(strictly_sorted(saved.positions, 0, saved.positions.size()), "positions are not sorted");
    check(strictly_sorted(saved.departments, 0, saved.departments.size()), "departments are not sorted");
    // Codes below their dictionary's size (no_code allowed where a value may be missing).
    auto below = [n](const std::vector<std::uint32_t>& codes, std::size_t size, bool none_allowed) {
      const auto limit = static_cast<std::uint32_t>(std::min<std::size_t>(size, no_code));
      const std::uint32_t* c = codes.data();
      std::uint32_t out = 0;
      if (none_allowed) {
        for (std::size_t i = 0; i < n; ++i) {
          out |= static_cast<std::uint32_t>(c[i] >= limit) & static_cast<std::uint32_t>(c[i] != no_code);
        }
      } else {
        for (std::size_t i = 0; i < n; ++i) out |= static_cast<std::uint32_t>(c[i] >= limit);
      }
      return out == 0;
    };
    for (const auto& column : saved.pass_through) {
      check(column.codes.size() == n, column.name + " differs in length");
      check(strictly_sorted(column.dictionary.values(), 0, column.dictionary.size()), column.name + " is not sorted");
      check(below(column.codes, column.dictionary.size(), false), column.name + " has a bad code");
    }
    // Branch-free passes of one width each (bad |= ...), which the compiler vectorizes.
    const auto persons = static_cast<std::uint32_t>(std::min<std::size_t>(saved.persons, no_code));
    std::uint32_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) bad |= static_cast<std::uint32_t>(person[i] >= persons);
    for (std::size_t i = 1; i < n; ++i) {
      bad |= static_cast<std::uint32_t>(person[i - 1] > person[i]) |
             (static_cast<std::uint32_t>(person[i - 1] == person[i]) &
              static_cast<std::uint32_t>(start[i - 1] > start[i]));
    }
    check(bad == 0 && saved.persons < no_code, "spells are not in canonical order");
    check(below(s.position, saved.positions.size(), false) && below(s.department, saved.departments.size(), false) &&
              below(s.manager, saved.ids.size(), true),
          "a code is out of range");
    auto enum_below = [n](const auto& values, std::size_t size) {
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(values.data());  // 1-byte enumerations
      const auto limit = static_cast<std::uint8_t>(size);
      std::uint8_t out = 0;
      for (std::size_t i = 0; i < n; ++i) out |= static_cast<std::uint8_t>(bytes[i] >= limit);
      return out == 0;
    };
    const bool ok = enum_below(s.gender, gender_names.size()) &&
                    enum_below(s.employment_form, employment_form_names.size()) &&
                    enum_below(s.end_reason, end_reason_names.size()) &&
                    enum_below(s.recruitment_source, recruitment_source_names.size()) && enum_below(s.start_kind, 3) &&
                    enum_below(s.end_kind, 4);
    const std::uint8_t* fte = s.fte.data();
    const auto* form = reinterpret_cast<const std::uint8_t*>(s.employment_form.data());
    const auto hourly = static_cast<std::uint8_t>(EmploymentForm::hourly);
    std::uint8_t bad_fte = 0;
    for (std::size_t i = 0; i < n; ++i) {
      bad_fte |= static_cast<std::uint8_t>(fte[i] > 100) |
                 (static_cast<std::uint8_t>(fte[i] == 0) & static_cast<std::uint8_t>(form[i] != hourly));
    }
    check(ok && bad_fte == 0, "an enumerated value is out of range");
  };
  // The register's date facts, taken on the dates thread beside the date checks.
  day_t earliest = n ? start[0] : 0, latest = earliest, latest_date = earliest;
  day_t observed_end = open_end_day;
  auto dates_and_partners = [&] {
    // Unsigned differences: x in [lo, hi] is (x - lo) <= (hi - lo), wrapping below lo.
    auto u = [](day_t day) { return static_cast<std::uint32_t>(day); };
    const std::uint32_t width = u(last) - u(first);
    std::uint32_t bad = 0, edge_ages = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t b = u(birth[i]), st = u(start[i]), e = u(end[i]), ch = u(chain[i]);
      const std::uint32_t open = static_cast<std::uint32_t>(e == u(open_end_day));
      bad |= static_cast<std::uint32_t>(b - u(first) > width) | static_cast<std::uint32_t>(st - u(first) > width) |
             (static_cast<std::uint32_t>(e - st > u(last) - st) & (open ^ 1U)) |
             static_cast<std::uint32_t>(ch - u(first) > st - u(first));
      // The data contract's ages (15-100 at start_date): whole days decide all but the edges
      // (a start before birth wraps to a large span, an edge, and is then checked exactly).
      edge_ages |= static_cast<std::uint32_t>(st - b - 15U * 366U >= 101U * 365U - 15U * 366U);
    }
    const day_t extracted_on = saved.extracted_on;
    for (std::size_t i = 0; i < n; ++i) {
      const bool open = end[i] == open_end_day;
      earliest = std::min(earliest, start[i]);
      latest = std::max(latest, start[i]);
      latest_date = std::max(latest_date, open ? start[i] : end[i]);
      observed_end = std::min(observed_end, !open && end[i] <= extracted_on ? end[i] : open_end_day);
    }
    const auto* reason = reinterpret_cast<const std::uint8_t*>(s.end_reason.data());
    const auto none = static_cast<std::uint8_t>(EndReason::none);
    for (std::size_t i = 0; i < n; ++i) {
      bad |= static_cast<std::uint32_t>((reason[i] == none) != (end[i] == open_end_day));
    }
    check(bad == 0, "a date is out of range");
    if (edge_ages) {
      for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t span = std::int64_t{start[i]} - birth[i];
        if (span >= 15 * 366 && span < 101 * 365) continue;
        const int age = age_on(birth[i], start[i]);
        check(age >= min_age_at_start && age <= max_age_at_start, "an age at start_date is outside 15-100");
      }
    }
    // Both partners in one pass (the person loaded once); an index past the end looks at
    // spell 0 and is refused by its own test.
    const std::uint32_t* from = s.start_partner.data();
    const std::uint32_t* to = s.end_partner.data();
    std::uint32_t bad_partner = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t me = person[i];
      const std::uint32_t a = from[i], b = to[i];
      const std::size_t qa = a < n ? a : 0, qb = b < n ? b : 0;
      bad_partner |= static_cast<std::uint32_t>(a != no_code) &
                     (static_cast<std::uint32_t>(a >= n) | static_cast<std::uint32_t>(person[qa] != me));
      bad_partner |= static_cast<std::uint32_t>(b != no_code) &
                     (static_cast<std::uint32_t>(b >= n) | static_cast<std::uint32_t>(person[qb] != me));
    }
    check(bad_partner == 0, "a partner is out of range");
  };
  detail::run_both(n >= detail::parallel_finish_rows, keys_order_and_codes, dates_and_partners);
  Register reg;
  reg.persons_ = saved.persons;
  reg.ids_ = Dictionary(std::move(saved.ids), saved.persons);
  reg.positions_ = Dictionary(std::move(saved.positions));
  reg.departments_ = Dictionary(std::move(saved.departments));
  reg.pass_through_ = std::move(saved.pass_through);
  reg.extracted_on_ = saved.extracted_on;
  reg.extracted_on_given_ = saved.extracted_on_given;
  reg.today_ = saved.extracted_on;  // an assumed day stays as saved, also with sick leave read later
  reg.rows_read_ = saved.rows_read;
  reg.issues_ = std::move(saved.issues);
  reg.earliest_start_ = earliest;
  reg.latest_start_ = latest;
  reg.latest_date_ = latest_date;
  if (observed_end != open_end_day) reg.earliest_observed_end_ = observed_end;
  reg.spells_ = std::move(s);
  return reg;
}

}  // namespace staffcast
