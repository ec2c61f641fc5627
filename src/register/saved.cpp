// Registers that were not read from text: a coded register (codes and
// dictionaries from another process, validated and finished like a read
// one) and a saved register restored as it was (every column checked).
#include "builder.hpp"
#include "saved_checks.hpp"

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
  const std::string lengths = detail::column_length_problem(saved);
  if (!lengths.empty()) corrupt(lengths);
  // The dictionaries and the first half of the spells on one thread, the second half on another.
  const std::size_t n = saved.spells.size();
  detail::SpellFindings found, later;
  std::string dictionaries;
  const detail::CodeLimits limits = detail::code_limits(saved);
  detail::run_both(
      n >= detail::parallel_finish_rows,
      [&] {
        dictionaries = detail::dictionary_problem(saved);
        detail::check_spells(saved, limits, 0, n / 2, found);
      },
      [&] { detail::check_spells(saved, limits, n / 2, n, later); });
  found.merge(later);
  return detail::SavedAccess::restore_checked(std::move(saved), found, dictionaries);
}

}  // namespace staffcast
