// What every statistic takes besides its dates: grouping, filters, totals.
#pragma once

#include <staffcast/error.hpp>
#include <staffcast/register/groups.hpp>

#include <optional>

namespace staffcast {

struct Query {
  GroupBy by;
  Filter filter;
  bool totals = false;
  std::optional<day_t> extracted_on;  // overrides the register's extraction date

  /// The same query without grouping (for the Total row).
  [[nodiscard]] Query ungrouped() const {
    Query q = *this;
    q.by.dimensions.clear();
    q.totals = false;
    return q;
  }
};

/// A period or day outside the register's observed history.
class unavailable_error : public argument_error {
 public:
  using argument_error::argument_error;
};

namespace detail {

/// The extraction date in force (docs/data.md): the query's, else the register's
/// (given when reading, or assumed). A statistic's as-of date never stands in.
inline day_t extraction_day(const Register& reg, const Query& q) {
  return q.extracted_on ? *q.extracted_on : reg.extracted_on();
}

/// Throws unless [from, to] lies inside the observed history: on or after the
/// earliest recorded end (or the earliest start when nothing has ended), and on
/// or before the extraction date. One rule for every statistic on a day or a
/// period: a day after the extraction date is unavailable (projections look
/// forward instead).
inline void require_observed(const Register& reg, const Query& q, day_t from, day_t to) {
  if (to < from) {
    throw argument_error("the period is reversed: " + format_iso_date(from) + " is after " + format_iso_date(to));
  }
  const day_t extracted = extraction_day(reg, q);
  if (to > extracted) {
    throw unavailable_error("unavailable: " + format_iso_date(to) + " is after the extraction date " +
                            format_iso_date(extracted) +
                            "; the register does not show what happened then (a projection looks forward)");
  }
  const day_t observed_from = reg.earliest_observed_end().value_or(reg.earliest_start());
  if (from < observed_from) {
    throw unavailable_error("unavailable: " + format_iso_date(from) + " is before the register's observed history (" +
                            format_iso_date(observed_from) + ", its earliest recorded end)");
  }
}

}  // namespace detail
}  // namespace staffcast
