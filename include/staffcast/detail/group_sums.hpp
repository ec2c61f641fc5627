// Sums of several value columns per packed group key.
#pragma once

#include <staffcast/detail/parallel.hpp>
#include <staffcast/groups.hpp>
#include <staffcast/table.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace staffcast::detail {

class GroupSums {
 public:
  /// Key space (possible keys × columns) up to which the sums of every possible
  /// key are held directly, indexed by key (8 MB at most, zeroed per query).
  static constexpr double direct_limit = 1 << 20;
  /// Key space up to which rows are found through a dense slot array (4 bytes
  /// per possible key) instead of a hash map.
  static constexpr double dense_limit = 1 << 22;

  /// Rows found through a hash map (any key space).
  explicit GroupSums(std::size_t columns) : columns_(columns) {}
  /// Rows held directly when `keys` has a small key space, else found through
  /// a dense slot array when it has at most dense_limit combinations.
  GroupSums(std::size_t columns, const GroupKeys& keys) : columns_(columns) {
    const double groups = keys.groups();
    if (groups * static_cast<double>(columns) <= direct_limit) {
      direct_ = true;
      seen_.assign((static_cast<std::size_t>(groups) + 63) / 64, 0);
      sums_.assign(static_cast<std::size_t>(groups) * columns, 0.0);
    } else if (groups <= dense_limit) {
      slot_.assign(static_cast<std::size_t>(groups), none);
    }
  }

  /// The sums of `key`, created as zeros on first use.
  double* row(std::uint64_t key) {
    flush();
    const std::size_t offset = row_offset(key);  // first: a new row may move sums_
    return sums_.data() + offset;
  }

  /// Adds `value` to column `column` of the row of `key` (created as zeros on
  /// first use, as by row()), later: additions are queued and applied in the
  /// order they were made (so sums are bit-identical to adding at once), with
  /// their rows prefetched meanwhile. With rows spread over more memory than
  /// the caches hold, this lets the misses of many rows overlap instead of
  /// stalling the scan on each.
  void add_later(std::uint64_t key, std::size_t column, double value) {
    const std::size_t offset = row_offset(key) + column;
    __builtin_prefetch(sums_.data() + offset, 1);
    pending_[pending_size_++] = {offset, value};
    if (pending_size_ == pending_capacity) flush();
  }

  /// Gives `key` a row (of zeros when new) without flushing the queue.
  void touch(std::uint64_t key) { row_offset(key); }

  /// Applies the additions queued by add_later (every reader does this first).
  void flush() const noexcept {
    for (std::size_t p = 0; p < pending_size_; ++p) sums_[pending_[p].offset] += pending_[p].value;
    pending_size_ = 0;
  }

  /// Rows, in the order their keys first appeared (or sort_by_labels put them).
  [[nodiscard]] std::size_t size() const noexcept { return order_.size(); }
  [[nodiscard]] std::uint64_t key(std::size_t row) const { return order_[row]; }
  [[nodiscard]] const double* sums(std::size_t row) const {
    flush();
    return sums_.data() + (direct_ ? static_cast<std::size_t>(order_[row]) : row) * columns_;
  }

  /// Adds another GroupSums of the same columns (rows new to this one are
  /// appended in `other`'s order).
  void add(const GroupSums& other) {
    flush();
    for (std::size_t r = 0; r < other.size(); ++r) {
      double* to = row(other.order_[r]);
      const double* from = other.sums(r);
      for (std::size_t c = 0; c < columns_; ++c) to[c] += from[c];
    }
  }

  /// Adds the first `count` columns of `other` (which has at least that many,
  /// and no more than this one); rows new to this one are appended in order.
  void add_columns(const GroupSums& other, std::size_t count) {
    flush();
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
    flush();
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
    if (direct_) {  // the sums stay where they are; only the order of the rows changes
      std::vector<std::uint64_t> order(n);
      for (std::size_t r = 0; r < n; ++r) order[r] = order_[ranked[r].second];
      order_ = std::move(order);
      return;
    }
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
  /// Where the row of `key` starts in sums_ (the row is appended as zeros when new).
  std::size_t row_offset(std::uint64_t key) {
    if (direct_) {
      const auto k = static_cast<std::size_t>(key);
      std::uint64_t& word = seen_[k >> 6];
      const std::uint64_t bit = std::uint64_t{1} << (k & 63);
      if ((word & bit) == 0) {
        word |= bit;
        order_.push_back(key);
      }
      return k * columns_;
    }
    return row_index(key) * columns_;
  }

  /// The row of `key` in the slot or hash modes, appended as zeros when new.
  std::size_t row_index(std::uint64_t key) {
    if (!slot_.empty()) {
      std::uint32_t& slot = slot_[key];
      if (slot == none) {
        slot = static_cast<std::uint32_t>(order_.size());
        order_.push_back(key);
        sums_.resize(sums_.size() + columns_, 0.0);
      }
      return slot;
    }
    auto [it, inserted] = index_.emplace(key, order_.size());
    if (inserted) {
      order_.push_back(key);
      sums_.resize(sums_.size() + columns_, 0.0);
    }
    return it->second;
  }

  struct Pending {
    std::size_t offset;  // into sums_
    double value;
  };
  static constexpr std::size_t pending_capacity = 64;
  static constexpr std::uint32_t none = 0xFFFFFFFFU;
  std::size_t columns_;
  // Queued additions (add_later); mutable so that const readers can apply them first.
  mutable std::array<Pending, pending_capacity> pending_{};
  mutable std::size_t pending_size_ = 0;
  bool direct_ = false;              // sums_ holds every possible key's row, at key × columns
  std::vector<std::uint64_t> seen_;  // direct: a bit per key, set when the key has a row (small enough for L1)
  std::vector<std::uint32_t> slot_;  // dense: key -> row, or none
  std::unordered_map<std::uint64_t, std::size_t> index_;
  std::vector<std::uint64_t> order_;
  mutable std::vector<double> sums_;
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

/// Sums into one GroupSums by scan(from, to, sums) over spell ranges that start
/// and end at person boundaries. Large registers are cut into two chunks at a
/// person boundary, each summed into its own GroupSums (on two threads when
/// allowed) and merged in chunk order, so the rows come in the order of a
/// single scan. Only for integer-valued sums (counts, days), which are exact in
/// any order: the result never depends on the number of threads. Each chunk's
/// queued additions (add_later) are applied by the thread that made them.
template <class Scan>
GroupSums sum_in_chunks(const SpellColumns& s, std::size_t columns, const GroupKeys& keys, Scan&& scan) {
  const std::size_t n = s.size();
  auto scan_and_flush = [&](std::size_t from, std::size_t to, GroupSums& sums) {
    scan(from, to, sums);
    sums.flush();
  };
  GroupSums sums(columns, keys);
  std::size_t split = n;
  if (n >= parallel_spells) {
    split = n / 2;
    while (split < n && s.person[split] == s.person[split - 1]) ++split;
  }
  if (split == n) {
    scan_and_flush(0, n, sums);
    return sums;
  }
  GroupSums second(columns, keys);
  if (may_use_threads()) {
    std::exception_ptr failure;
    std::thread worker([&] {
      try {
        scan_and_flush(split, n, second);
      } catch (...) {
        failure = std::current_exception();
      }
    });
    try {
      scan_and_flush(0, split, sums);
    } catch (...) {
      worker.join();
      throw;
    }
    worker.join();
    if (failure) std::rethrow_exception(failure);
  } else {
    scan_and_flush(0, split, sums);
    scan_and_flush(split, n, second);
  }
  sums.add(second);
  return sums;
}

/// Sums over the persons with spells overlapping [from, to] that pass
/// `filter`: body(sums, spells, count) for each such person, where
/// spells[0..count) are those spells in register order. Each block of spells
/// is first reduced to the indices of the overlapping ones by a branch-free
/// pass, so the scan does not branch on every spell; most persons then hold
/// one such spell, and the per-person work is short and predictable. With a
/// `State` (per-chunk scratch), body also gets it: body(sums, spells, count, state).
template <class State = void, class Body>
GroupSums sum_over_persons_overlapping(const Register& reg, const Filter& filter, day_t from, day_t to,
                                       std::size_t columns, const GroupKeys& keys, Body&& body) {
  const SpellColumns& s = reg.spells();
  return sum_in_chunks(s, columns, keys, [&](std::size_t chunk_from, std::size_t chunk_to, GroupSums& sums) {
    constexpr std::size_t block = 4096;
    std::vector<std::uint32_t> overlapping(block + 1);
    struct NoState {};
    std::conditional_t<std::is_void_v<State>, NoState, State> state;
    const std::uint32_t* person = s.person.data();
    const day_t* start = s.start_date.data();
    const day_t* end = s.end_date.data();
    for (std::size_t b = chunk_from; b < chunk_to;) {
      std::size_t e = std::min(chunk_to, b + block);
      while (e < chunk_to && person[e] == person[e - 1]) ++e;  // a block ends at a person boundary
      if (overlapping.size() < e - b + 1) overlapping.resize(e - b + 1);
      std::uint32_t* out = overlapping.data();
      std::size_t m = 0;
      if (filter.empty()) {
        for (std::size_t i = b; i < e; ++i) {
          out[m] = static_cast<std::uint32_t>(i);
          m += static_cast<std::size_t>((start[i] <= to) & (from <= end[i]));
        }
      } else {
        for (std::size_t i = b; i < e; ++i) {
          out[m] = static_cast<std::uint32_t>(i);
          m += static_cast<std::size_t>((start[i] <= to) & (from <= end[i]) & filter.passes_flag(reg, i));
        }
      }
      for (std::size_t k = 0; k < m;) {
        std::size_t last = k + 1;
        while (last < m && person[out[last]] == person[out[k]]) ++last;
        if constexpr (std::is_void_v<State>) {
          body(sums, static_cast<const std::uint32_t*>(out + k), last - k);
        } else {
          body(sums, static_cast<const std::uint32_t*>(out + k), last - k, state);
        }
        k = last;
      }
      b = e;
    }
  });
}

/// Sums over the persons employed on `day`: body(sums, main, fte, spells,
/// count) for each person with at least one spell covering `day` that passes
/// `filter`, where spells[0..count) are those spells in register order, main
/// the main spell among them and fte their summed fte (hundredths), as
/// person_on_day gives them.
template <class Body>
GroupSums sum_over_persons_on_day(const Register& reg, const Filter& filter, day_t day, std::size_t columns,
                                  const GroupKeys& keys, Body&& body) {
  const SpellColumns& s = reg.spells();
  return sum_over_persons_overlapping(reg, filter, day, day, columns, keys,
                                      [&](GroupSums& sums, const std::uint32_t* spells, std::size_t count) {
                                        std::uint32_t main = spells[0];
                                        int fte = s.fte[main];
                                        for (std::size_t j = 1; j < count; ++j) {
                                          fte += s.fte[spells[j]];
                                          if (is_better_main_spell(s, spells[j], main)) main = spells[j];
                                        }
                                        body(sums, main, fte, spells, count);
                                      });
}

}  // namespace staffcast::detail
