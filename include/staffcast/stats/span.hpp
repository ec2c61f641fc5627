// Span of control (docs/metrics.md): direct reports per manager on a day.
#pragma once

#include <staffcast/register/issues.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

struct SpanOptions {
  int limit = 0;                               // managers with more direct reports are listed
  std::vector<std::string> manager_positions;  // positions that make someone a manager even without reports
};

struct SpanResult {
  Table by_department;  // department, managers, reports, min, median, p90, max, above_limit (+ Total)
  Table above_limit;    // manager_id, department, position, reports: the managers over the limit
  IssueList issues;     // warnings: manager_id naming nobody employed on the day; manager cycles on the day
};

/// The department of a manager key that is no employee's (an opaque key).
inline constexpr std::string_view opaque_manager_label = "(manager not in register)";

/// Direct reports on `as_of`: each employed person reports to the manager_id of
/// their main spell. Managers are the employed persons named so by someone
/// employed that day, plus employed persons in a managerial position (who may
/// have no reports). A manager is counted in the department of their own main
/// spell. Filters apply to the persons counted as reports and as managers.
/// A manager_id that is no employee's id is an opaque key: its direct reports
/// count, in the department opaque_manager_label. A manager who is an employee
/// not counted on the day is reported once (unknown_manager), not per report.
SpanResult span_of_control(const Register& reg, day_t as_of, const SpanOptions& options, const Query& query);

}  // namespace staffcast
