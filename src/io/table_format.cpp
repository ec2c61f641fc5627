// The text format of result tables (see io/table_format.hpp).
#include <staffcast/error.hpp>
#include <staffcast/io/table_format.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace staffcast {

namespace {

std::string printf_fixed(double value, int decimals) {
  std::array<char, 512> buffer{};
  const int n = std::snprintf(buffer.data(), buffer.size(), "%.*f", decimals, value);
  if (n < 0) return {};
  if (static_cast<std::size_t>(n) < buffer.size()) return std::string(buffer.data(), static_cast<std::size_t>(n));
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), "%.*f", decimals, value);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

/// A whole number without a sign on zero.
std::string integer_text(double whole) { return printf_fixed(whole == 0.0 ? 0.0 : whole, 0); }

}  // namespace

std::optional<ValueKind> parse_value_kind(std::string_view name) noexcept {
  if (name == "count") return ValueKind::count;
  if (name == "fte") return ValueKind::fte;
  if (name == "age") return ValueKind::age;
  if (name == "rate") return ValueKind::rate;
  if (name == "flag") return ValueKind::flag;
  if (name == "number") return ValueKind::number;
  return std::nullopt;
}

std::string format_value(double value, ValueKind kind, bool percent) {
  if (std::isnan(value)) return {};
  switch (kind) {
    case ValueKind::count:
      return integer_text(std::nearbyint(value));  // half to even, as Python's round
    case ValueKind::fte:
      return printf_fixed(value, 2);
    case ValueKind::age:
      return printf_fixed(value, 1);
    case ValueKind::rate:
      return percent ? printf_fixed(100.0 * value, 1) + "%" : printf_fixed(value, 6);
    case ValueKind::flag:
      return value != 0.0 ? "true" : "false";
    case ValueKind::number:
      break;
  }
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) return integer_text(value);
  std::string text = printf_fixed(value, 6);
  if (text.find('.') != std::string::npos) {
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
  }
  return text;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string to_csv(const std::vector<TextColumn>& columns) {
  const std::size_t rows = columns.empty() ? 0 : columns.front().cells.size();
  for (const auto& column : columns) {
    if (column.cells.size() != rows) throw argument_error("the columns of a table differ in length");
  }
  std::string out;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) out += ',';
    out += csv_field(columns[c].name);
  }
  out += '\n';
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) out += ',';
      out += csv_field(columns[c].cells[r]);
    }
    out += '\n';
  }
  return out;
}

std::vector<TextColumn> text_columns(const Table& table) {
  std::vector<TextColumn> out;
  for (std::size_t k = 0; k < table.key_names.size(); ++k) out.push_back({table.key_names[k], table.keys[k]});
  for (const ValueColumn& column : table.values) {
    TextColumn text{column.name, {}};
    text.cells.reserve(column.values.size());
    for (double v : column.values) text.cells.push_back(format_value(v, column.kind));
    out.push_back(std::move(text));
  }
  if (!table.suppressed.empty()) out.push_back({"suppressed", table.suppressed});
  return out;
}

std::string to_csv(const Table& table) { return to_csv(text_columns(table)); }

void write_csv(std::ostream& out, const Table& table) {
  const std::vector<TextColumn> columns = text_columns(table);
  const std::size_t rows = columns.empty() ? 0 : columns.front().cells.size();
  for (const auto& column : columns) {
    if (column.cells.size() != rows) throw argument_error("the columns of a table differ in length");
  }
  std::string line;
  for (std::size_t r = 0; r <= rows; ++r) {  // r == 0: the header
    line.clear();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) line += ',';
      line += csv_field(r == 0 ? columns[c].name : columns[c].cells[r - 1]);
    }
    line += '\n';
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    if (!out) throw io_error("writing a table as CSV: the stream failed");
  }
}

}  // namespace staffcast
