// One pass over the projection's move matrix (G × G, column-major) that gives
// what both the input checks and the microsimulation need of its rows: whether
// every entry is finite and >= 0, the row sums (in column order, as a row-by-row
// loop sums them), the last column with a positive entry, the positive entries
// with their running sums, and whether the matrix is the identity.
//
// The matrix is walked column by column (its storage order; row by row, every
// entry would be a cache line of its own: G² misses at G in the thousands),
// each row summing its entries in column order. With threads, the two halves
// of the rows are scanned in parallel; the result is the same for any thread
// count.
#pragma once

#include <staffcast/detail/parallel.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace staffcast::detail {

struct MoveRows {
  bool square = false;  // rows == cols; nothing else is filled otherwise
  bool identity = true;
  std::vector<std::uint8_t> entries_ok;      // per row: every entry finite and >= 0
  std::vector<double> sum;                   // per row: Σ_h M(g, h), h = 0, 1, … in order
  std::vector<std::uint32_t> last_positive;  // per row: the last h with M(g, h) > 0 (0 if none)
  std::vector<double> before_own, own;       // per row g: Σ_{k < g} M(g, k) and Σ_{k ≤ g} M(g, k)
  // Row g's positive entries: positions offset[g] .. offset[g + 1] of `to` (the column h, increasing)
  // and `cumulative` (Σ_{k ≤ h} M(g, k)). Every other column adds zero to the running sum, so the first
  // h with u < Σ_{k ≤ h} M(g, k) is always one of these (for u > 0).
  std::vector<std::uint32_t> offset;
  std::vector<std::uint32_t> to;
  std::vector<double> cumulative;
};

/// A positive entry found while walking the columns: row g, column h, Σ_{k ≤ h} M(g, k).
struct MoveEntry {
  std::uint32_t g, h;
  double cumulative;
};

/// Rows [row_begin, row_end) into `out` (whose per-row vectors are sized), column by column: each
/// column's slice is contiguous, and every row's sum still adds its entries in column order. The
/// positive entries are appended to `entries` in column order; `identity` is cleared unless the
/// rows are those of the identity.
inline void scan_move_rows_range(const Eigen::MatrixXd& move, std::size_t row_begin, std::size_t row_end, MoveRows& out,
                                 std::vector<MoveEntry>& entries, bool& identity) {
  const auto groups = static_cast<std::size_t>(move.rows());
  double* sum = out.sum.data();
  std::uint8_t* ok = out.entries_ok.data();
  std::uint32_t* last = out.last_positive.data();
  bool same = true;
  for (std::size_t h = 0; h < groups; ++h) {
    const double* column = move.data() + h * groups;
    std::size_t nonzero = 0;
    for (std::size_t g = row_begin; g < row_end; ++g) {
      const double v = column[g];
      ok[g] &= static_cast<std::uint8_t>((v >= 0.0) & std::isfinite(v));
      sum[g] += v;
      nonzero += static_cast<std::size_t>(v != 0.0);
      if (v > 0) {  // rare: a row has a handful of destinations
        last[g] = static_cast<std::uint32_t>(h);
        entries.push_back({static_cast<std::uint32_t>(g), static_cast<std::uint32_t>(h), sum[g]});
      }
    }
    const bool diagonal = h >= row_begin && h < row_end;
    if (h + 1 >= row_begin && h + 1 < row_end) out.before_own[h + 1] = sum[h + 1];
    if (diagonal) out.own[h] = sum[h];
    // The identity: the only nonzero of the column is its diagonal, exactly 1.
    same = same && nonzero == (diagonal ? 1U : 0U) && (!diagonal || column[h] == 1.0);
  }
  identity = identity && same;
}

/// The rows of `move`, on up to `threads` threads (a second thread only for a large matrix).
inline MoveRows scan_move_rows(const Eigen::MatrixXd& move, unsigned threads = 1) {
  MoveRows out;
  out.square = move.rows() == move.cols();
  if (!out.square) return out;
  const auto groups = static_cast<std::size_t>(move.rows());
  out.entries_ok.assign(groups, 1);
  out.sum.assign(groups, 0.0);
  out.last_positive.assign(groups, 0);
  out.before_own.assign(groups, 0.0);
  out.own.assign(groups, 0.0);
  // Two halves of the rows when the matrix is big enough to pay for a thread.
  const bool split = threads > 1 && groups * groups >= (std::size_t{1} << 20);
  const std::size_t cut = split ? groups / 2 : groups;
  std::vector<MoveEntry> entries, second_entries;
  bool second_identity = true;
  run_pair(
      split, [&] { scan_move_rows_range(move, 0, cut, out, entries, out.identity); },
      [&] {
        if (split) scan_move_rows_range(move, cut, groups, out, second_entries, second_identity);
      });
  out.identity = out.identity && second_identity;
  // The entries by row, each row's in column order (a stable counting sort of both halves).
  out.offset.assign(groups + 1, 0);
  for (const auto* part : {&entries, &second_entries}) {
    for (const MoveEntry& e : *part) ++out.offset[e.g + 1];
  }
  for (std::size_t g = 0; g < groups; ++g) out.offset[g + 1] += out.offset[g];
  out.to.resize(out.offset[groups]);
  out.cumulative.resize(out.offset[groups]);
  std::vector<std::uint32_t> next(out.offset.begin(), out.offset.end() - 1);
  for (const auto* part : {&entries, &second_entries}) {
    for (const MoveEntry& e : *part) {
      const std::uint32_t k = next[e.g]++;
      out.to[k] = e.h;
      out.cumulative[k] = e.cumulative;
    }
  }
  return out;
}

}  // namespace staffcast::detail
