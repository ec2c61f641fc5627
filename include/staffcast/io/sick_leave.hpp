// Sick-leave records (docs/data.md): one row per record, read and validated.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/date_format.hpp>
#include <staffcast/register/issues.hpp>
#include <staffcast/register/register.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace staffcast {

/// Sick-leave records sorted by person, start and end. `person` indexes `ids`.
struct SickLeave {
  Dictionary ids;
  std::vector<std::uint32_t> person;
  std::vector<day_t> start_date;
  std::vector<day_t> end_date;       // inclusive
  std::vector<std::uint8_t> extent;  // hundredths of working time, 1..100
  std::vector<std::uint32_t> source_row;
  IssueList issues;  // warnings

  [[nodiscard]] std::size_t size() const noexcept { return person.size(); }
};

struct SickLeaveReadResult {
  std::optional<SickLeave> sick_leave;
  IssueList issues;
};

struct TableOptions {
  std::map<std::string, std::string> columns;  // file column name -> contract name
  char separator = ',';
  char decimal = '.';
  DateFormat date_format;
  std::size_t max_issues = 10000;
};

/// Reads and validates. With a register, also warns about records of unknown
/// persons or outside their employment (sick_leave_outside_employment).
SickLeaveReadResult try_read_sick_leave_csv(const std::string& path, const TableOptions& options = {},
                                            const Register* reg = nullptr, const std::string& label = {});
SickLeaveReadResult try_read_sick_leave_text(std::string_view text, const TableOptions& options = {},
                                             const Register* reg = nullptr, std::string label = "<memory>");

}  // namespace staffcast
