// Results: plain tables of group labels and value columns.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace staffcast {

/// What a value column holds; decides how it is printed (docs/data.md).
enum class ValueKind : std::uint8_t {
  count,   // integer
  fte,     // two decimals
  age,     // one decimal
  rate,    // fraction, six decimals
  number,  // as is
  flag     // 0/1
};

struct ValueColumn {
  std::string name;
  ValueKind kind = ValueKind::number;
  std::vector<double> values;  // NaN = missing
};

/// A result table: one row per group, key columns first, then values.
struct Table {
  std::vector<std::string> key_names;
  std::vector<std::vector<std::string>> keys;  // keys[column][row]
  std::vector<ValueColumn> values;
  std::vector<std::string> suppressed;  // per row: ';'-separated names of blanked columns; empty vector = none
  std::string total_label = "Total";
  /// Optional, filled by the grouping kernels so that bindings can hand key
  /// columns over as codes without hashing every label again: per key column,
  /// its distinct labels and each row's index into them, so that
  /// keys[k][r] == key_labels[k][key_codes[k][r]]. Only trusted when
  /// has_key_codes() (the sizes agree); code that changes the rows of `keys`
  /// must keep these in step or clear them, as sort_rows and append_total do.
  std::vector<std::vector<std::uint32_t>> key_codes;
  std::vector<std::vector<std::string>> key_labels;

  [[nodiscard]] bool has_key_codes() const noexcept {
    if (key_codes.size() != keys.size() || key_labels.size() != keys.size()) return false;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (key_codes[k].size() != keys[k].size()) return false;
    }
    return true;
  }

  [[nodiscard]] std::size_t rows() const noexcept {
    if (!keys.empty()) return keys.front().size();
    return values.empty() ? 0 : values.front().values.size();
  }

  [[nodiscard]] const ValueColumn& column(const std::string& name) const {
    for (const auto& c : values) {
      if (c.name == name) return c;
    }
    throw std::out_of_range("no column " + name);
  }

  /// Sorts rows by each key column in turn, by code point (byte order of UTF-8).
  void sort_rows() {
    const std::size_t n = rows();
    auto before = [&](std::size_t a, std::size_t b) {
      for (const auto& column : keys) {
        if (column[a] != column[b]) return column[a] < column[b];
      }
      return false;
    };
    bool sorted = true;  // the kernels build their rows in order already
    for (std::size_t r = 1; r < n && sorted; ++r) sorted = !before(r, r - 1);
    if (sorted) return;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), before);
    if (has_key_codes()) {
      for (auto& column : key_codes) {
        std::vector<std::uint32_t> sorted;
        sorted.reserve(n);
        for (std::size_t i : order) sorted.push_back(column[i]);
        column = std::move(sorted);
      }
    } else {
      key_codes.clear();
      key_labels.clear();
    }
    for (auto& column : keys) {
      std::vector<std::string> sorted;
      sorted.reserve(n);
      for (std::size_t i : order) sorted.push_back(std::move(column[i]));
      column = std::move(sorted);
    }
    for (auto& column : values) {
      std::vector<double> sorted;
      sorted.reserve(n);
      for (std::size_t i : order) sorted.push_back(column.values[i]);
      column.values = std::move(sorted);
    }
  }

  /// Appends the rows of a one-row table as the Total row.
  void append_total(const Table& total) {
    const bool coded = has_key_codes();
    for (std::size_t k = 0; k < keys.size(); ++k) {
      keys[k].push_back(k == 0 ? total_label : std::string());
      if (!coded) continue;
      std::vector<std::string>& labels = key_labels[k];
      const auto at = std::find(labels.begin(), labels.end(), keys[k].back());
      key_codes[k].push_back(static_cast<std::uint32_t>(at - labels.begin()));
      if (at == labels.end()) labels.push_back(keys[k].back());
    }
    if (!coded) {
      key_codes.clear();
      key_labels.clear();
    }
    for (std::size_t c = 0; c < values.size(); ++c) {
      values[c].values.push_back(total.values[c].values.empty() ? std::numeric_limits<double>::quiet_NaN()
                                                                : total.values[c].values.front());
    }
  }
};

inline constexpr double missing = std::numeric_limits<double>::quiet_NaN();

}  // namespace staffcast
