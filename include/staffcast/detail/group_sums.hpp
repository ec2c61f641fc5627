// Sums of several value columns per packed group key.
#pragma once

#include <staffcast/groups.hpp>
#include <staffcast/table.hpp>

#include <unordered_map>
#include <vector>

namespace staffcast::detail {

class GroupSums {
 public:
  explicit GroupSums(std::size_t columns) : columns_(columns) {}

  /// The sums of `key`, created as zeros on first use.
  double* row(std::uint64_t key) {
    auto [it, inserted] = index_.emplace(key, order_.size());
    if (inserted) {
      order_.push_back(key);
      sums_.resize(sums_.size() + columns_, 0.0);
    }
    return sums_.data() + it->second * columns_;
  }

  [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }
  [[nodiscard]] std::uint64_t key(std::size_t row) const { return order_[row]; }
  [[nodiscard]] const double* sums(std::size_t row) const { return sums_.data() + row * columns_; }

  /// A table with the group labels and empty value columns, one row per group.
  [[nodiscard]] Table labelled(const GroupKeys& keys) const {
    Table table;
    for (const Dimension& d : keys.by().dimensions) table.key_names.push_back(d.name);
    table.keys.assign(table.key_names.size(), {});
    for (std::size_t r = 0; r < order_.size(); ++r) {
      auto labels = keys.labels(order_[r]);
      for (std::size_t k = 0; k < labels.size(); ++k) table.keys[k].push_back(std::move(labels[k]));
    }
    return table;
  }

 private:
  std::size_t columns_;
  std::unordered_map<std::uint64_t, std::size_t> index_;
  std::vector<std::uint64_t> order_;
  std::vector<double> sums_;
};

/// Calls f(begin, end) for each person's block of spells [begin, end).
template <class F>
void for_each_person(const SpellColumns& s, F&& f) {
  const std::size_t n = s.size();
  for (std::size_t b = 0; b < n;) {
    std::size_t e = b + 1;
    while (e < n && s.person[e] == s.person[b]) ++e;
    f(b, e);
    b = e;
  }
}

}  // namespace staffcast::detail
