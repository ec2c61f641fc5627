// Reading and validating the optional indicators table (indicator, period,
// value, target, better, unit, unit_of_analysis), and the period codes
// (2024, 2024-T1, 2024-Q3, 2024-05).
#include "table_reader.hpp"

#include <staffcast/io/indicators.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace staffcast {

namespace {

using detail::tables::ColumnMap;
using detail::tables::csv_options;
using detail::tables::RowReporter;

enum IndicatorField : std::size_t { i_indicator, i_period, i_value, i_target, i_better, i_unit, i_unit_of_analysis };

IndicatorsReadResult read_indicators(detail::RecordSource& source, const TableOptions& options, IssueList& issues) {
  IndicatorsReadResult result;
  ColumnMap columns({"indicator", "period", "value", "target", "better", "unit", "unit_of_analysis"},
                    {true, true, true, false, true, false, false});
  if (!columns.map(source, options, issues)) {
    result.issues = std::move(issues);
    return result;
  }
  Indicators table;
  std::map<std::tuple<std::string, std::string, Granularity, std::int32_t>, std::uint32_t> seen;
  detail::CsvRecord record;
  while (source.next(record)) {
    RowReporter report{issues, source.label(), columns, record};
    const std::string_view name = columns.get(record, i_indicator);
    if (name.empty()) report.error(i_indicator, "missing_value", "value required");
    const std::string_view period_text = columns.get(record, i_period);
    std::optional<Period> period;
    if (period_text.empty()) {
      report.error(i_period, "missing_value", "value required");
    } else {
      period = parse_period(period_text);
      if (!period) {
        report.error(i_period, "bad_date", "period must be YYYY, YYYY-T1..T3, YYYY-Q1..Q4 or YYYY-MM", period_text);
      }
    }
    double value = 0.0;
    const std::string_view value_text = columns.get(record, i_value);
    if (value_text.empty()) {
      report.error(i_value, "missing_value", "value required");
    } else if (const auto parsed = detail::parse_decimal(value_text, options.decimal)) {
      value = *parsed;
    } else {
      report.error(i_value, "bad_number", "not a decimal number", value_text);
    }
    double target = std::numeric_limits<double>::quiet_NaN();
    const std::string_view target_text = columns.get(record, i_target);
    if (!target_text.empty()) {
      if (const auto parsed = detail::parse_decimal(target_text, options.decimal)) {
        target = *parsed;
      } else {
        report.error(i_target, "bad_number", "not a decimal number", target_text);
      }
    }
    std::int8_t better = 0;
    const std::string_view better_text = columns.get(record, i_better);
    if (better_text == "higher") {
      better = 1;
    } else if (better_text == "lower") {
      better = -1;
    } else if (better_text.empty()) {
      report.error(i_better, "missing_value", "value required");
    } else {
      report.error(i_better, "unknown_code", "unknown code; expected one of higher, lower", better_text);
    }
    if (!report.ok || issues.has_errors()) continue;
    const std::string unit_of_analysis(columns.get(record, i_unit_of_analysis));
    const auto key = std::make_tuple(std::string(name), unit_of_analysis, period->granularity, period->index);
    auto [it, inserted] = seen.emplace(key, static_cast<std::uint32_t>(record.row));
    if (!inserted) {
      issues.warning(
          source.label(), record.row, record.line, columns.label(i_period), "duplicate_row",
          "same indicator, unit of analysis and period as row " + std::to_string(it->second) + "; the first is used");
      continue;
    }
    table.indicator.emplace_back(name);
    table.unit_of_analysis.push_back(unit_of_analysis);
    table.period.push_back(*period);
    table.value.push_back(value);
    table.target.push_back(target);
    table.better.push_back(better);
    table.unit.emplace_back(columns.get(record, i_unit));
    table.source_row.push_back(static_cast<std::uint32_t>(record.row));
  }
  if (!issues.has_errors()) {
    table.issues = issues;
    result.indicators = std::move(table);
  }
  result.issues = std::move(issues);
  return result;
}

}  // namespace

std::optional<Period> parse_period(std::string_view text) noexcept {
  auto number = [&](std::size_t from, std::size_t count, int& out) {
    out = 0;
    if (from + count > text.size()) return false;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year = 0;
  if (!number(0, 4, year) || year < detail::tables::min_valid_year || year > detail::tables::max_valid_year)
    return std::nullopt;
  if (text.size() == 4) return Period{Granularity::year, year};
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int part = 0;
  if (text[5] == 'T' || text[5] == 'Q') {
    const int parts = text[5] == 'T' ? 3 : 4;
    if (!number(6, 1, part) || part < 1 || part > parts) return std::nullopt;
    return Period{text[5] == 'T' ? Granularity::tertial : Granularity::quarter, year * parts + part - 1};
  }
  if (!number(5, 2, part) || part < 1 || part > 12) return std::nullopt;
  return Period{Granularity::month, year * 12 + part - 1};
}

std::string format_period(const Period& period) {
  auto pad = [](int value, int width) {
    std::string text = std::to_string(value);
    return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(text.size()))), '0') + text;
  };
  switch (period.granularity) {
    case Granularity::year:
      return pad(period.index, 4);
    case Granularity::tertial:
      return pad(period.index / 3, 4) + "-T" + std::to_string(period.index % 3 + 1);
    case Granularity::quarter:
      return pad(period.index / 4, 4) + "-Q" + std::to_string(period.index % 4 + 1);
    case Granularity::month:
      return pad(period.index / 12, 4) + "-" + pad(period.index % 12 + 1, 2);
  }
  return {};
}

IndicatorsReadResult try_read_indicators(detail::RecordSource& source, const TableOptions& options) {
  IssueList issues(options.max_issues);
  return read_indicators(source, options, issues);
}

IndicatorsReadResult try_read_indicators_csv(const std::string& path, const TableOptions& options,
                                             const std::string& label) {
  IssueList issues(options.max_issues);
  detail::CsvRecordSource source(detail::open_file_source(path), label.empty() ? path : label, issues,
                                 csv_options(options));
  return read_indicators(source, options, issues);
}

IndicatorsReadResult try_read_indicators_text(std::string_view text, const TableOptions& options, std::string label) {
  IssueList issues(options.max_issues);
  detail::CsvRecordSource source(detail::memory_source(text), std::move(label), issues, csv_options(options));
  return read_indicators(source, options, issues);
}

}  // namespace staffcast
