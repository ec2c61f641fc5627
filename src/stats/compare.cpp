#include <staffcast/stats/compare.hpp>

#include <staffcast/calendar.hpp>
#include <staffcast/table.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace staffcast {

day_t one_year_earlier(day_t day) { return add_years(day, -1); }

Table with_previous(const Table& now, const Table& before) {
  if (now.key_names != before.key_names) throw std::invalid_argument("tables differ in their key columns");
  const std::size_t keys = now.key_names.size();
  auto key_of = [&](const Table& t, std::size_t row) {
    std::vector<std::string> key;
    for (std::size_t k = 0; k < keys; ++k) key.push_back(t.keys[k][row]);
    return key;
  };
  std::map<std::vector<std::string>, std::pair<long, long>> rows;  // key -> (row in now, row in before)
  std::vector<std::vector<std::string>> order;
  for (std::size_t r = 0; r < now.rows(); ++r) {
    auto key = key_of(now, r);
    if (rows.emplace(key, std::make_pair(static_cast<long>(r), -1L)).second) order.push_back(key);
  }
  for (std::size_t r = 0; r < before.rows(); ++r) {
    auto key = key_of(before, r);
    auto [it, inserted] = rows.emplace(key, std::make_pair(-1L, static_cast<long>(r)));
    if (inserted) {
      order.push_back(key);
    } else {
      it->second.second = static_cast<long>(r);
    }
  }
  // Sorted by key with the Total row (first key "Total") last.
  std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    const bool ta = keys > 0 && a[0] == now.total_label;
    const bool tb = keys > 0 && b[0] == now.total_label;
    if (ta != tb) return tb;
    return a < b;
  });
  Table out;
  out.key_names = now.key_names;
  out.total_label = now.total_label;
  out.keys.assign(keys, {});
  for (const auto& key : order) {
    for (std::size_t k = 0; k < keys; ++k) out.keys[k].push_back(key[k]);
  }
  auto value = [](const Table& t, std::size_t column, long row) {
    return row < 0 ? missing : t.values[column].values[static_cast<std::size_t>(row)];
  };
  for (std::size_t c = 0; c < now.values.size(); ++c) {
    const ValueColumn& column = now.values[c];
    std::size_t in_before = before.values.size();
    for (std::size_t b = 0; b < before.values.size(); ++b) {
      if (before.values[b].name == column.name) in_before = b;
    }
    ValueColumn current{column.name, column.kind, {}};
    ValueColumn prev{column.name + "_prev", column.kind, {}};
    ValueColumn diff{column.name + "_diff", column.kind == ValueKind::count ? ValueKind::number : column.kind, {}};
    ValueColumn pct{column.name + "_pct", ValueKind::rate, {}};
    for (const auto& key : order) {
      const auto& [r_now, r_before] = rows.at(key);
      double a = value(now, c, r_now);
      double b = in_before < before.values.size() ? value(before, in_before, r_before) : missing;
      // A group absent in one table had none of a count.
      if (column.kind == ValueKind::count || column.kind == ValueKind::fte) {
        if (r_now < 0) a = 0;
        if (r_before < 0) b = 0;
      }
      current.values.push_back(a);
      prev.values.push_back(b);
      diff.values.push_back(a - b);
      pct.values.push_back(b != 0 && !std::isnan(b) ? (a - b) / b : missing);
    }
    out.values.push_back(std::move(current));
    if (column.kind == ValueKind::flag) continue;
    out.values.push_back(std::move(prev));
    out.values.push_back(std::move(diff));
    out.values.push_back(std::move(pct));
  }
  if (!now.suppressed.empty() || !before.suppressed.empty()) {
    // Suppressed cells stay blank, and so do their differences.
    auto names = [](const std::string& list) {
      std::vector<std::string> out;
      std::size_t start = 0;
      while (start < list.size()) {
        const std::size_t end = std::min(list.find(';', start), list.size());
        if (end > start) out.push_back(list.substr(start, end - start));
        start = end + 1;
      }
      return out;
    };
    auto blank = [&](std::size_t row, const std::string& name) {
      for (auto& column : out.values) {
        if (column.name == name) column.values[row] = missing;
      }
    };
    out.suppressed.assign(order.size(), std::string());
    for (std::size_t r = 0; r < order.size(); ++r) {
      const auto& [r_now, r_before] = rows.at(order[r]);
      std::vector<std::string> hidden;
      if (r_now >= 0 && !now.suppressed.empty()) {
        for (const auto& name : names(now.suppressed[static_cast<std::size_t>(r_now)])) {
          for (const char* suffix : {"", "_diff", "_pct"}) hidden.push_back(name + suffix);
        }
      }
      if (r_before >= 0 && !before.suppressed.empty()) {
        for (const auto& name : names(before.suppressed[static_cast<std::size_t>(r_before)])) {
          for (const char* suffix : {"_prev", "_diff", "_pct"}) hidden.push_back(name + suffix);
        }
      }
      std::vector<std::string> unique;
      for (const auto& name : hidden) {
        if (std::find(unique.begin(), unique.end(), name) == unique.end()) unique.push_back(name);
      }
      std::string list;
      for (const auto& name : unique) {
        blank(r, name);
        list += (list.empty() ? "" : ";") + name;
      }
      out.suppressed[r] = list;
    }
  }
  return out;
}

}  // namespace staffcast
