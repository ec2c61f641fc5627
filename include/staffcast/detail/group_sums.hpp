// Sums of several value columns per packed group key.
#pragma once

#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/person_day.hpp>
#include <staffcast/register/groups.hpp>
#include <staffcast/table.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace staffcast::detail {

/// Zeroed buffers for the direct mode of GroupSums, kept between queries: a
/// fresh multi-megabyte allocation is new pages from the kernel, which fault
/// in and are zeroed one by one (a few ms per query at 1.3 M persons), where
/// clearing a kept buffer is a memset. Keeps at most `kept_bytes` in all.
class DirectBuffers {
 public:
  static constexpr std::size_t kept_bytes = std::size_t{24} << 20;

  static std::vector<double> acquire(std::size_t size) {
    std::vector<double> buffer;
    {
      const std::lock_guard<std::mutex> lock(mutex());
      auto& kept = free_list();
      for (std::size_t i = kept.size(); i-- > 0;) {  // the most recently kept that is large enough
        if (kept[i].capacity() >= size) {
          buffer = std::move(kept[i]);
          kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        }
      }
    }
    buffer.assign(size, 0.0);
    return buffer;
  }

  static void release(std::vector<double>&& buffer) noexcept {
    if (buffer.capacity() == 0) return;
    try {
      const std::lock_guard<std::mutex> lock(mutex());
      auto& kept = free_list();
      std::size_t bytes = buffer.capacity() * sizeof(double);
      for (const auto& b : kept) bytes += b.capacity() * sizeof(double);
      if (bytes <= kept_bytes) kept.push_back(std::move(buffer));
    } catch (...) {  // keeping is only an optimisation
    }
  }

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static std::vector<std::vector<double>>& free_list() {
    static std::vector<std::vector<double>> kept;
    return kept;
  }
};

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
      sums_ = DirectBuffers::acquire(static_cast<std::size_t>(groups) * columns);
    } else if (groups <= dense_limit) {
      slot_.assign(static_cast<std::size_t>(groups), none);
    }
  }
  GroupSums(const GroupSums&) = default;
  GroupSums(GroupSums&&) noexcept = default;
  GroupSums& operator=(const GroupSums&) = default;
  GroupSums& operator=(GroupSums&&) noexcept = default;
  ~GroupSums() {
    if (direct_) DirectBuffers::release(std::move(sums_));
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
  STAFFCAST_INLINE void add_later(std::uint64_t key, std::size_t column, double value) {
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

  /// Rows: in the order sort_by_labels put them; before that, in the order
  /// their keys first appeared, or in key order when rows are held directly.
  [[nodiscard]] std::size_t size() const {
    rows_from_seen();
    return order_.size();
  }
  [[nodiscard]] std::uint64_t key(std::size_t row) const {
    rows_from_seen();
    return order_[row];
  }
  [[nodiscard]] const double* sums(std::size_t row) const {
    flush();
    rows_from_seen();
    return sums_.data() + (direct_ ? static_cast<std::size_t>(order_[row]) : row) * columns_;
  }

  /// Adds another GroupSums of the same columns (rows new to this one are
  /// appended in `other`'s order).
  void add(const GroupSums& other) { add_columns(other, columns_); }

  /// Adds the first `count` columns of `other` (which has at least that many,
  /// and no more than this one); rows new to this one are appended in order.
  void add_columns(const GroupSums& other, std::size_t count) {
    flush();
    other.flush();
    if (direct_ && other.direct_ && seen_.size() == other.seen_.size()) {
      // Both hold rows by key: merge the "has a row" bits word by word.
      for (std::size_t w = 0; w < seen_.size(); ++w) {
        std::uint64_t bits = other.seen_[w];
        if (bits == 0) continue;
        seen_[w] |= bits;
        order_stale_ = true;
        for (; bits != 0; bits &= bits - 1) {
          const std::size_t k = w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
          double* to = sums_.data() + k * columns_;
          const double* from = other.sums_.data() + k * other.columns_;
          for (std::size_t c = 0; c < count; ++c) to[c] += from[c];
        }
      }
      return;
    }
    for (std::size_t r = 0; r < other.size(); ++r) {
      double* to = row(other.key(r));
      const double* from = other.sums(r);
      for (std::size_t c = 0; c < count; ++c) to[c] += from[c];
    }
  }

  /// Reorders the rows into the order Table::sort_rows() gives their labels
  /// (by each dimension's label in turn, by code point; ties keep their order),
  /// comparing integers instead of strings.
  void sort_by_labels(const GroupKeys& keys) {
    flush();
    rows_from_seen();
    const std::size_t n = order_.size();
    if (n < 2 || keys.by().dimensions.empty()) return;
    const auto ranks = keys.label_ranks();
    const auto& radix = keys.cardinalities();
    if (direct_ && enumerate_in_label_order(ranks, radix)) return;
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
    rows_from_seen();
    Table table;
    for (const Dimension& d : keys.by().dimensions) table.key_names.push_back(d.name);
    const std::size_t dims = table.key_names.size();
    table.keys.assign(dims, {});
    for (auto& column : table.keys) column.resize(order_.size());
    const auto& radix = keys.cardinalities();
    // Each code's label is made once per dimension (rows share few labels), and
    // numbered in order of first use: the table's key codes (Table::key_codes).
    constexpr std::uint32_t unmade = 0xFFFFFFFFU;
    std::vector<std::vector<std::uint32_t>> index_of(dims);
    table.key_labels.assign(dims, {});
    table.key_codes.assign(dims, {});
    for (std::size_t k = 0; k < dims; ++k) {
      index_of[k].assign(static_cast<std::size_t>(radix[k]), unmade);
      table.key_codes[k].resize(order_.size());
    }
    for (std::size_t r = 0; r < order_.size(); ++r) {
      std::uint64_t key = order_[r];
      for (std::size_t k = dims; k-- > 0;) {
        const auto code = static_cast<std::size_t>(key % radix[k]);
        key /= radix[k];
        std::uint32_t& index = index_of[k][code];
        if (index == unmade) {
          index = static_cast<std::uint32_t>(table.key_labels[k].size());
          table.key_labels[k].push_back(keys.label_of_code(k, static_cast<std::uint32_t>(code)));
        }
        table.key_codes[k][r] = index;
        table.keys[k][r] = table.key_labels[k][index];
      }
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
  STAFFCAST_INLINE std::size_t row_offset(std::uint64_t key) {
    if (direct_) {  // only a bit: the rows are listed from the bits when asked for
      const auto k = static_cast<std::size_t>(key);
      seen_[k >> 6] |= std::uint64_t{1} << (k & 63);
      order_stale_ = true;
      return k * columns_;
    }
    return row_index(key) * columns_;
  }

  /// Direct mode: lists the rows (in key order) from the "has a row" bits when
  /// rows were added since they were last listed.
  void rows_from_seen() const {
    if (!order_stale_) return;
    order_.clear();
    for (std::size_t w = 0; w < seen_.size(); ++w) {
      for (std::uint64_t bits = seen_[w]; bits != 0; bits &= bits - 1) {
        order_.push_back(w * 64 + static_cast<std::uint64_t>(__builtin_ctzll(bits)));
      }
    }
    order_stale_ = false;
  }

  /// Direct mode: lists the rows in label order by walking the key space in
  /// the rank order of each dimension's codes (an odometer over the digits),
  /// instead of sorting. Declines (false) when two codes of a dimension share
  /// a label (the sort keeps such rows in their order) or when rows are so few
  /// that sorting them is cheaper than walking every possible key.
  bool enumerate_in_label_order(const std::vector<std::vector<std::uint32_t>>& ranks,
                                const std::vector<std::uint64_t>& radix) {
    const std::size_t dims = radix.size();
    const auto space = static_cast<double>(seen_.size()) * 64.0;
    const auto n = static_cast<double>(order_.size());
    if (n * 16.0 < space) return false;
    // by_rank[k][p]: the key offset (code × stride) of the code ranked p in dimension k.
    std::vector<std::vector<std::uint64_t>> by_rank(dims);
    std::uint64_t stride = 1;
    for (std::size_t k = dims; k-- > 0;) {
      const auto size = static_cast<std::size_t>(radix[k]);
      if (ranks[k].size() != size) return false;
      std::vector<std::uint64_t> offsets(size, ~std::uint64_t{0});
      for (std::size_t code = 0; code < size; ++code) {
        const std::uint32_t rank = ranks[k][code];
        if (rank >= size || offsets[rank] != ~std::uint64_t{0}) return false;  // a shared label
        offsets[rank] = code * stride;
      }
      by_rank[k] = std::move(offsets);
      stride *= radix[k];
    }
    std::vector<std::uint64_t> order;
    order.reserve(order_.size());
    const std::vector<std::uint64_t>& innermost = by_rank[dims - 1];
    std::vector<std::size_t> digit(dims, 0);  // the rank position of each outer dimension
    for (;;) {
      std::uint64_t base = 0;
      for (std::size_t k = 0; k + 1 < dims; ++k) base += by_rank[k][digit[k]];
      for (const std::uint64_t offset : innermost) {
        const std::uint64_t k = base + offset;
        if ((seen_[k >> 6] >> (k & 63)) & 1U) order.push_back(k);
      }
      std::size_t k = dims - 1;
      while (k > 0 && ++digit[k - 1] == by_rank[k - 1].size()) digit[--k] = 0;
      if (k == 0) break;
    }
    order_ = std::move(order);
    return true;
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
  bool direct_ = false;               // sums_ holds every possible key's row, at key × columns
  std::vector<std::uint64_t> seen_;   // direct: a bit per key, set when the key has a row (small enough for L1)
  mutable bool order_stale_ = false;  // direct: rows were added since order_ was listed from seen_
  std::vector<std::uint32_t> slot_;   // dense: key -> row, or none
  std::unordered_map<std::uint64_t, std::size_t> index_;
  mutable std::vector<std::uint64_t> order_;
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

/// Registers with at least this many spells are scanned in chunks (a
/// variable so that tests can make small registers take the chunked path).
inline std::size_t parallel_spells = 200000;

/// The threads a chunked scan uses: the machine's cores, at most 4 (a
/// variable so that tests can try more threads than the machine has cores).
inline unsigned scan_threads = std::max(1U, std::min(4U, std::thread::hardware_concurrency()));

/// Sums into one GroupSums by scan(from, to, sums) over spell ranges that start
/// and end at person boundaries. Large registers are cut into 64 chunks at
/// person boundaries; each thread (scan_threads of them) takes the next chunk
/// not yet taken and sums it into its own GroupSums, and these are added
/// together at the end. Taking chunks as
/// they come balances the threads where work is uneven along the register
/// (recent hires, whose spells hold most of a year's events, sit together).
/// Only for integer-valued sums (counts, days), which are exact in any order:
/// the result never depends on the number of threads or on which thread
/// summed which chunk. Each thread's queued additions (add_later) are applied
/// by that thread.
template <class Scan>
GroupSums sum_in_chunks(const SpellColumns& s, std::size_t columns, const GroupKeys& keys, Scan&& scan) {
  const std::size_t n = s.size();
  GroupSums sums(columns, keys);
  if (n < parallel_spells || n < 2) {
    scan(0, n, sums);
    sums.flush();
    return sums;
  }
  constexpr std::size_t chunk_count = 64;
  std::vector<std::size_t> cuts{0};
  for (std::size_t c = 1; c < chunk_count; ++c) {
    std::size_t cut = std::max(cuts.back(), n * c / chunk_count);
    while (cut > 0 && cut < n && s.person[cut] == s.person[cut - 1]) ++cut;
    if (cut > cuts.back() && cut < n) cuts.push_back(cut);
  }
  cuts.push_back(n);
  const std::size_t chunks = cuts.size() - 1;
  std::atomic<std::size_t> next_chunk{0};
  auto take_chunks = [&](GroupSums& into) {
    for (std::size_t c = next_chunk.fetch_add(1); c < chunks; c = next_chunk.fetch_add(1)) {
      scan(cuts[c], cuts[c + 1], into);
    }
    into.flush();
  };
  unsigned threads = 1;
  if (may_use_threads()) {
    threads = std::max(1U, std::min(scan_threads, static_cast<unsigned>(chunks)));
  }
  if (threads == 1) {
    take_chunks(sums);
    return sums;
  }
  std::vector<GroupSums> others;  // one per worker, each from the kept buffers (not copies)
  others.reserve(threads - 1);
  for (unsigned t = 0; t + 1 < threads; ++t) others.emplace_back(columns, keys);
  run_on_threads(
      threads, [&](unsigned k) { take_chunks(k == 0 ? sums : others[k - 1]); },
      [&] { next_chunk = chunks; });  // a failure stops the others at their next chunk
  for (const GroupSums& other : others) sums.add(other);
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
      // Local copies: the stores to `out` could alias day_t objects, which would reload them per spell.
      const day_t first_day = from, last_day = to;
      for (std::size_t i = b; i < e; ++i) {
        out[m] = static_cast<std::uint32_t>(i);
        m += static_cast<std::size_t>((start[i] <= last_day) & (first_day <= end[i]));
      }
      if (!filter.empty()) {  // on the overlapping spells only (a fraction of the block)
        std::size_t kept = 0;
        for (std::size_t k = 0; k < m; ++k) {
          const std::uint32_t i = out[k];
          out[kept] = i;
          kept += static_cast<std::size_t>(filter.passes_flag(reg, i));
        }
        m = kept;
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
