// Sums of several value columns per packed group key.
#pragma once

#include <staffcast/groups.hpp>
#include <staffcast/table.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace staffcast::detail {

class GroupSums {
 public:
  /// Key space up to which rows are found through a dense slot array (4 bytes
  /// per possible key) instead of a hash map.
  static constexpr double dense_limit = 1 << 22;

  /// Rows found through a hash map (any key space).
  explicit GroupSums(std::size_t columns) : columns_(columns) {}
  /// Rows found through a dense array when `keys` has at most dense_limit combinations.
  GroupSums(std::size_t columns, const GroupKeys& keys) : columns_(columns) {
    if (keys.groups() <= dense_limit) slot_.assign(static_cast<std::size_t>(keys.groups()), none);
  }

  /// The sums of `key`, created as zeros on first use.
  double* row(std::uint64_t key) {
    if (!slot_.empty()) {
      std::uint32_t& slot = slot_[key];
      if (slot == none) {
        slot = static_cast<std::uint32_t>(order_.size());
        order_.push_back(key);
        sums_.resize(sums_.size() + columns_, 0.0);
      }
      return sums_.data() + static_cast<std::size_t>(slot) * columns_;
    }
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

  /// Adds another GroupSums of the same columns (rows new to this one are
  /// appended in `other`'s order).
  void add(const GroupSums& other) {
    for (std::size_t r = 0; r < other.size(); ++r) {
      double* to = row(other.order_[r]);
      const double* from = other.sums(r);
      for (std::size_t c = 0; c < columns_; ++c) to[c] += from[c];
    }
  }

  /// Adds the first `count` columns of `other` (which has at least that many,
  /// and no more than this one); rows new to this one are appended in order.
  void add_columns(const GroupSums& other, std::size_t count) {
    for (std::size_t r = 0; r < other.size(); ++r) {
      double* to = row(other.order_[r]);
      const double* from = other.sums(r);
      for (std::size_t c = 0; c < count; ++c) to[c] += from[c];
    }
  }

  /// Reorders the rows into the order Table::sort_rows() gives their labels
  /// (by each dimension's label in turn, by code point; ties keep their order),
  /// comparing integers instead of strings.
  void sort_by_labels(const GroupKeys& keys) {
    const std::size_t n = order_.size();
    if (n < 2 || keys.by().dimensions.empty()) return;
    const auto ranks = keys.label_ranks();
    const auto& radix = keys.cardinalities();
    std::vector<std::pair<std::uint64_t, std::uint32_t>> ranked(n);
    for (std::size_t r = 0; r < n; ++r) {
      std::uint64_t key = order_[r];
      std::uint64_t ranked_key = 0;
      std::uint64_t stride = 1;
      for (std::size_t k = radix.size(); k-- > 0;) {
        ranked_key += ranks[k][key % radix[k]] * stride;
        key /= radix[k];
        stride *= radix[k];
      }
      ranked[r] = {ranked_key, static_cast<std::uint32_t>(r)};
    }
    std::sort(ranked.begin(), ranked.end());
    bool identity = true;
    for (std::size_t r = 0; r < n && identity; ++r) identity = ranked[r].second == r;
    if (identity) return;
    std::vector<std::uint64_t> order(n);
    std::vector<double> sums(n * columns_);
    for (std::size_t r = 0; r < n; ++r) {
      const std::size_t from = ranked[r].second;
      order[r] = order_[from];
      std::copy_n(sums_.data() + from * columns_, columns_, sums.data() + r * columns_);
    }
    order_ = std::move(order);
    sums_ = std::move(sums);
    for (std::size_t r = 0; r < n; ++r) {
      if (!slot_.empty()) {
        slot_[order_[r]] = static_cast<std::uint32_t>(r);
      } else {
        index_[order_[r]] = r;
      }
    }
  }

  /// A table with the group labels and empty value columns, one row per group.
  [[nodiscard]] Table labelled(const GroupKeys& keys) const {
    Table table;
    for (const Dimension& d : keys.by().dimensions) table.key_names.push_back(d.name);
    table.keys.assign(table.key_names.size(), {});
    for (auto& column : table.keys) column.reserve(order_.size());
    for (std::size_t r = 0; r < order_.size(); ++r) {
      auto labels = keys.labels(order_[r]);
      for (std::size_t k = 0; k < labels.size(); ++k) table.keys[k].push_back(std::move(labels[k]));
    }
    return table;
  }

  /// sort_by_labels(), then labelled().
  [[nodiscard]] Table sorted_labelled(const GroupKeys& keys) {
    sort_by_labels(keys);
    return labelled(keys);
  }

 private:
  static constexpr std::uint32_t none = 0xFFFFFFFFU;
  std::size_t columns_;
  std::vector<std::uint32_t> slot_;  // dense: key -> row, or none
  std::unordered_map<std::uint64_t, std::size_t> index_;
  std::vector<std::uint64_t> order_;
  std::vector<double> sums_;
};

/// Calls f(begin, end) for each person's block of spells [begin, end).
template <class F>
void for_each_person(const SpellColumns& s, F&& f) {
  const std::size_t n = s.size();
  const std::uint32_t* person = s.person.data();
  for (std::size_t b = 0; b < n;) {
    std::size_t e = b + 1;
    while (e < n && person[e] == person[b]) ++e;
    f(b, e);
    b = e;
  }
}

/// Registers with at least this many spells are scanned in two chunks (a
/// variable so that tests can make small registers take the two-chunk path).
inline std::size_t parallel_spells = 200000;

/// Whether a second thread may be used (more than one core, STAFFCAST_THREADS not 1).
inline bool may_use_threads() {
  static const bool allowed = [] {
    const char* threads = std::getenv("STAFFCAST_THREADS");
    if (threads != nullptr && std::strcmp(threads, "1") == 0) return false;
    return std::thread::hardware_concurrency() > 1;
  }();
  return allowed;
}

/// Sums over every person block: body(b, e, sums, state) for each block, where
/// `State` is per-chunk scratch. Large registers are cut into two chunks at a
/// person boundary, each summed into its own GroupSums (on two threads when
/// allowed) and merged in chunk order, so the rows come in the order of a
/// single scan. Only for integer-valued sums (counts, days), which are exact in
/// any order: the result never depends on the number of threads.
template <class State, class Body>
GroupSums sum_over_persons(const SpellColumns& s, std::size_t columns, const GroupKeys& keys, Body&& body) {
  const std::size_t n = s.size();
  auto scan = [&](std::size_t from, std::size_t to, GroupSums& sums) {
    State state;
    const std::uint32_t* person = s.person.data();
    for (std::size_t b = from; b < to;) {
      std::size_t e = b + 1;
      while (e < to && person[e] == person[b]) ++e;
      body(b, e, sums, state);
      b = e;
    }
  };
  GroupSums sums(columns, keys);
  std::size_t split = n;
  if (n >= parallel_spells) {
    split = n / 2;
    while (split < n && s.person[split] == s.person[split - 1]) ++split;
  }
  if (split == n) {
    scan(0, n, sums);
    return sums;
  }
  GroupSums second(columns, keys);
  if (may_use_threads()) {
    std::exception_ptr failure;
    std::thread worker([&] {
      try {
        scan(split, n, second);
      } catch (...) {
        failure = std::current_exception();
      }
    });
    try {
      scan(0, split, sums);
    } catch (...) {
      worker.join();
      throw;
    }
    worker.join();
    if (failure) std::rethrow_exception(failure);
  } else {
    scan(0, split, sums);
    scan(split, n, second);
  }
  sums.add(second);
  return sums;
}

}  // namespace staffcast::detail
