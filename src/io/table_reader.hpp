// What the readers of the optional tables (sick leave, indicators) share:
// the mapping of a header to the contract's columns, the reporting of a
// record's problems and the date check of 1900-2199. Private to src/io/.
#pragma once

#include <staffcast/detail/attributes.hpp>
#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/field_parse.hpp>
#include <staffcast/detail/record_source.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/issues.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast::detail::tables {

inline constexpr int min_valid_year = 1900;
inline constexpr int max_valid_year = 2199;
// The same range as day numbers: a range check without converting the day back to a date.
inline constexpr day_t min_valid_day = civil_to_day(min_valid_year, 1, 1);
inline constexpr day_t max_valid_day = civil_to_day(max_valid_year, 12, 31);

/// Finds the contract columns of a table in a header, reporting missing ones.
class ColumnMap {
 public:
  ColumnMap(std::vector<std::string_view> names, std::vector<bool> required)
      : names_(std::move(names)), required_(std::move(required)), index_(names_.size(), npos), labels_(names_.size()) {}

  bool map(RecordSource& source, const TableOptions& options, IssueList& issues,
           std::vector<std::string>* names = nullptr) {
    std::vector<std::string> header;
    if (!source.header(header)) return false;
    if (names != nullptr) *names = header;
    for (std::size_t i = 0; i < header.size(); ++i) {
      auto renamed = options.columns.find(header[i]);
      const std::string& contract = renamed == options.columns.end() ? header[i] : renamed->second;
      for (std::size_t f = 0; f < names_.size(); ++f) {
        if (contract == names_[f] && index_[f] == npos) {
          index_[f] = i;
          labels_[f] = header[i];
        }
      }
    }
    bool ok = true;
    for (std::size_t f = 0; f < names_.size(); ++f) {
      if (labels_[f].empty()) labels_[f] = std::string(names_[f]);
      if (required_[f] && index_[f] == npos) {
        issues.error(source.label(), 1, 1, std::string(names_[f]), "missing_column",
                     "required column '" + std::string(names_[f]) + "' is missing");
        ok = false;
      }
    }
    return ok;
  }

  [[nodiscard]] std::string_view get(const CsvRecord& record, std::size_t f) const {
    return index_[f] == npos ? std::string_view() : trim(record.fields[index_[f]]);
  }
  [[nodiscard]] const std::string& label(std::size_t f) const { return labels_[f]; }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::vector<std::string_view> names_;
  std::vector<bool> required_;
  std::vector<std::size_t> index_;
  std::vector<std::string> labels_;
};

/// Reports problems with a record, hiding person keys.
struct RowReporter {
  IssueList& issues;
  const std::string& file;
  const ColumnMap& columns;
  const CsvRecord& record;
  bool ok = true;

  void error(std::size_t f, const char* code, std::string message, std::string_view value = {}) {
    issues.error(file, record.row, record.line, columns.label(f), code, std::move(message), std::string(value));
    ok = false;
  }

  /// True with `out` set when `text` is a date of 1900-2199; otherwise the
  /// issue is reported. A flag and `out`, not an optional: the hot loop keeps them in registers.
  /// Inlined by force: out of line, the call and its spills cost more than the date.
  STAFFCAST_INLINE bool date_to(std::size_t f, std::string_view text, const DateFormat& format, day_t& out) {
    if (parse_day_to(text, format, out) && out >= min_valid_day && out <= max_valid_day) return true;
    bad_date(f, text, format);
    return false;
  }

  /// The issue for a text date_to() does not accept (out of line, so that date_to() inlines).
  STAFFCAST_COLD void bad_date(std::size_t f, std::string_view text, const DateFormat& format) {
    if (text.empty()) {
      error(f, "missing_value", "value required");
    } else if (!parse_day(text, format)) {
      const std::optional<std::string> impossible = impossible_date(text, format);
      error(f, "bad_date", impossible ? "not a real calendar date: " + *impossible : std::string("not a valid date"),
            text);
    } else {
      error(f, "bad_date", "date outside 1900-2199", text);
    }
  }
};

inline CsvOptions csv_options(const TableOptions& options) {
  CsvOptions csv;
  csv.separator = options.separator;
  return csv;
}

}  // namespace staffcast::detail::tables
