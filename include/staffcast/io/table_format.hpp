// The text format of result tables, written once: the CLI (`--format csv`),
// Python (staffcast._table.format_csv) and C++ programs print the same bytes.
//
// Cells by kind: count as an integer (rounded half to even), fte with 2
// decimals, age with 1, rate with 6 (or in per cent with 1), flag as
// true/false, number as an integer when it is whole (below 1e15) else with up
// to 6 decimals (trailing zeros dropped); a missing value (NaN) is empty; text
// as is. Python's aligned table and HTML tables print the same cells
// (staffcast._table.text_rows). CSV: UTF-8, a header
// row, LF line ends, minimal RFC 4180 quoting (a field holding a comma, a
// double quote, CR or LF is quoted, its quotes doubled).
#pragma once

#include <staffcast/table.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

/// One cell of a value column as text ("" when `value` is NaN). With `percent`
/// a rate is 100·value with 1 decimal and a '%' (the aligned table for people).
std::string format_value(double value, ValueKind kind, bool percent = false);

/// The ValueKind named "count", "fte", "age", "rate", "flag" or "number";
/// nullopt for any other name (key and text columns).
std::optional<ValueKind> parse_value_kind(std::string_view name) noexcept;

/// A CSV field: quoted when it holds a comma, a double quote, CR or LF.
std::string csv_field(std::string_view text);

/// A column of cells already formatted (see format_value).
struct TextColumn {
  std::string name;
  std::vector<std::string> cells;
};

/// CSV text of columns of formatted cells (all of the same length).
std::string to_csv(const std::vector<TextColumn>& columns);

/// The columns of a table as text: key columns, value columns, then
/// `suppressed` when the table has it.
std::vector<TextColumn> text_columns(const Table& table);

/// CSV text of a table: text_columns(table) as CSV.
std::string to_csv(const Table& table);

/// Writes the CSV of a table to a stream, row by row: the same bytes as
/// to_csv(table) (e.g. `staffcast::write_csv(std::cout, table)`). Throws
/// io_error when the stream fails.
void write_csv(std::ostream& out, const Table& table);

}  // namespace staffcast
