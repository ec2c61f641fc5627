// The microsimulation's read-only tables, shared by every replicate: the
// output band of each age, the exit and move probabilities as thresholds on
// the Philox words, recruitment, and the persons' order by group.
#pragma once

#include <staffcast/detail/move_rows.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/philox_simd.hpp>
#include <staffcast/detail/poisson.hpp>
#include <staffcast/detail/projection.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/projection/philox.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace staffcast::detail {

inline constexpr int sim_max_age = 200;  // ages are clamped to 0..sim_max_age for table lookups

/// Read-only tables shared by every replicate.
struct SimTables {
  std::size_t groups = 0, bands = 1, outputs = 0;
  int years = 0, base_year = 0, upper = 0, freeze = 0;
  double part_time = 0;
  std::vector<std::uint32_t> band;   // output band of x, x = 0..sim_max_age
  bool moves = false;                // M ≠ I
  std::vector<std::int64_t> target;  // [t − 1][g]: round_half_up(T_g(t))
  // The same probabilities as thresholds on the Philox words: u(w) < p ⟺ w < threshold(p).
  std::vector<std::uint64_t> retire_threshold;  // [x]
  std::vector<std::uint32_t> leave_class;       // [x]: the class of x (below)
  std::size_t leave_classes = 0;
  std::vector<std::uint64_t> leave_threshold;  // [g][class of x]: of q_r + (1 − q_r)·q_other(g, band(x))
  // Moves from g: the first h with u1 < Σ_{k ≤ h} M(g, k), else the last h with M(g, h) > 0. Only the
  // positive entries of row g can be that first h (a zero adds nothing to the running sum), so row g
  // is its positive entries move_to[move_offset[g] .. move_offset[g + 1]) with the thresholds of their
  // running sums (never decreasing: the entries are >= 0), searched on the words themselves. The words
  // [stay_low[g], stay_high[g]) are those that stay in g (Σ_{k<g} <= u1 < Σ_{k≤g}).
  std::vector<std::uint32_t> move_offset, move_to;
  std::vector<std::uint64_t> move_threshold;
  std::vector<std::uint32_t> last_positive;  // per g: the last h with M(g, h) > 0
  std::vector<std::uint64_t> stay_low, stay_high;
  // The persons 0..n−1 by group (stable, four quarters interleaved): the order a replicate's
  // population starts in, so that the per-group rows of the tables and counts are visited
  // together (the order of the population changes no result: every draw is keyed by the
  // person's number, and the counts are integers).
  std::vector<std::uint32_t> by_group;
  std::uint64_t part_time_threshold = 0;
  // Observed recruitment: group g's recruits of a year are recruit_low[g] plus the number of
  // thresholds recruit_threshold[recruit_offset[g] .. recruit_offset[g + 1]) at or below one word:
  // the Poisson(λ_g) distribution by inversion (thresholds of its cumulative probabilities).
  bool observed_recruitment = false;
  std::vector<std::uint32_t> recruit_offset;
  std::vector<std::int64_t> recruit_low;
  std::vector<std::uint64_t> recruit_threshold;

  explicit SimTables(const ProjectionInputs& in) : SimTables(in, scan_move_rows(in.move)) {}

  /// `move_rows` = scan_move_rows(in.move) (simulate_raw has it from the input checks). With
  /// threads, the order by group (a pass over every person) is made on a second thread meanwhile.
  SimTables(const ProjectionInputs& in, const MoveRows& move_rows, unsigned threads = 1) {
    run_pair(
        threads > 1 && in.persons() >= 100000, [&] { fill_rules(in, move_rows); },
        [&] { by_group = order_by_group(in); });
  }

 private:
  /// Everything but by_group.
  void fill_rules(const ProjectionInputs& in, const MoveRows& move_rows) {
    groups = in.groups();
    bands = in.output_bands();
    outputs = in.output_groups();
    years = in.years;
    base_year = in.base_year;
    upper = in.upper_age;
    freeze = in.freeze_years;
    part_time = in.part_time_share;
    const Eigen::MatrixXd q_other = other_exit_probabilities(in);
    const auto ages = static_cast<std::size_t>(sim_max_age + 1);
    std::vector<double> q_ret(ages);
    std::vector<std::size_t> rate_band(ages);
    band.resize(ages);
    retire_threshold.resize(ages);
    for (std::size_t x = 0; x < ages; ++x) {
      const int age = static_cast<int>(x);
      q_ret[x] = age > upper ? 1.0 : in.retirement_probability(age);
      band[x] = static_cast<std::uint32_t>(output_band(in, age));
      rate_band[x] = band_of(in.rate_band_lower, age);
      retire_threshold[x] = threshold(q_ret[x]);
    }
    // leave(g, x) = q_r(x) + (1 − q_r(x))·q_other(g, band(x)) (1 above upper): ages with the same q_r,
    // rate band and side of upper have the same value in every group, so the ages fall into a dozen
    // or so classes (runs of consecutive ages) and each group's row holds one threshold per class: a
    // few cache lines per group instead of 201 values (6 MB at 3,700 groups, far from the cache).
    leave_class.resize(ages);
    leave_classes = 0;
    std::vector<std::size_t> class_age;  // an age of each class
    for (std::size_t x = 0; x < ages; ++x) {
      const bool above = static_cast<int>(x) > upper;
      if (x == 0 || q_ret[x] != q_ret[x - 1] || rate_band[x] != rate_band[x - 1] ||
          above != (static_cast<int>(x) - 1 > upper)) {
        class_age.push_back(x);
        ++leave_classes;
      }
      leave_class[x] = static_cast<std::uint32_t>(leave_classes - 1);
    }
    leave_threshold.resize(groups * leave_classes);
    for (std::size_t g = 0; g < groups; ++g) {
      for (std::size_t c = 0; c < leave_classes; ++c) {
        const std::size_t x = class_age[c];
        const double q = q_other(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(rate_band[x]));
        leave_threshold[g * leave_classes + c] =
            threshold(static_cast<int>(x) > upper ? 1.0 : q_ret[x] + (1.0 - q_ret[x]) * q);
      }
    }
    moves = !move_rows.identity;
    move_offset = move_rows.offset;
    move_to = move_rows.to;
    move_threshold.resize(move_rows.cumulative.size());
    for (std::size_t k = 0; k < move_threshold.size(); ++k) move_threshold[k] = threshold(move_rows.cumulative[k]);
    last_positive = move_rows.last_positive;
    stay_low.resize(groups);
    stay_high.resize(groups);
    for (std::size_t g = 0; g < groups; ++g) {
      stay_low[g] = g == 0 ? 0 : threshold(move_rows.before_own[g]);
      stay_high[g] = threshold(move_rows.own[g]);
    }
    const Eigen::MatrixXd t = target_stocks(in);
    target.resize(static_cast<std::size_t>(years) * groups);
    for (int y = 0; y < years; ++y) {
      for (std::size_t g = 0; g < groups; ++g) {
        target[static_cast<std::size_t>(y) * groups + g] =
            static_cast<std::int64_t>(std::floor(t(y, static_cast<Eigen::Index>(g)) + 0.5));
      }
    }
    part_time_threshold = threshold(part_time);
    observed_recruitment = !in.recruits_per_year.empty();
    recruit_offset.assign(1, 0);
    for (std::size_t g = 0; g < groups && observed_recruitment; ++g) {
      recruit_low.push_back(poisson_thresholds(in.recruits_per_year[g], recruit_threshold));
      recruit_offset.push_back(static_cast<std::uint32_t>(recruit_threshold.size()));
    }
  }

 public:
  /// Appends the thresholds of the Poisson(λ) cumulative probabilities P(K <= k), k = low..high − 1
  /// (poisson.hpp), and returns low.
  static std::int64_t poisson_thresholds(double lambda, std::vector<std::uint64_t>& out) {
    std::vector<double> cumulative;
    const std::int64_t low = poisson_cumulative(lambda, cumulative);
    for (std::size_t k = 0; k + 1 < cumulative.size(); ++k) out.push_back(threshold(cumulative[k]));
    return low;
  }

  /// Group g's recruits of a year whose recruitment word is w (observed recruitment).
  [[nodiscard]] std::int64_t observed_recruits(std::size_t g, std::uint32_t w) const noexcept {
    const std::uint64_t* first = recruit_threshold.data() + recruit_offset[g];
    const std::uint64_t* last = recruit_threshold.data() + recruit_offset[g + 1];
    return recruit_low[g] + (std::upper_bound(first, last, std::uint64_t{w}) - first);
  }

 public:
  /// The persons by group (stable), four quarters of that order interleaved: four groups' rows are
  /// in use at a time, and consecutive persons rarely add to the same count (no chain of stores to
  /// one address).
  [[nodiscard]] static std::vector<std::uint32_t> order_by_group(const ProjectionInputs& in) {
    std::vector<std::uint32_t> start(in.groups() + 1, 0);
    for (std::uint32_t g : in.group) ++start[g + 1];
    for (std::size_t g = 0; g < in.groups(); ++g) start[g + 1] += start[g];
    std::vector<std::uint32_t> sorted(in.persons());
    for (std::size_t i = 0; i < in.persons(); ++i) sorted[start[in.group[i]]++] = static_cast<std::uint32_t>(i);
    const std::size_t n = sorted.size(), quarter = (n + 3) / 4;
    std::vector<std::uint32_t> order;
    order.reserve(n);
    for (std::size_t k = 0; k < quarter; ++k) {
      for (std::size_t q = 0; q < 4; ++q) {
        if (q * quarter + k < n) order.push_back(sorted[q * quarter + k]);
      }
    }
    return order;
  }

  /// The number of words w with philox_uniform(w) < p (philox_uniform increases with w).
  /// Starts at ⌈p·2^32 − 0.5⌉ and steps until the comparisons themselves agree.
  [[nodiscard]] static std::uint64_t threshold(double p) noexcept {
    constexpr std::uint64_t all = std::uint64_t{1} << 32;
    if (!(p > 0.0)) return 0;  // u > 0 always (and NaN compares false)
    if (p >= 1.0) return all;  // u < 1 always
    auto t = static_cast<std::uint64_t>(std::clamp(std::ceil(p * 4294967296.0 - 0.5), 0.0, 4294967296.0));
    while (t > 0 && !(philox_uniform(static_cast<std::uint32_t>(t - 1)) < p)) --t;
    while (t < all && philox_uniform(static_cast<std::uint32_t>(t)) < p) ++t;
    return t;
  }

  [[nodiscard]] static std::size_t age_index(int x) noexcept {
    return static_cast<std::size_t>(std::clamp(x, 0, sim_max_age));
  }
};

}  // namespace staffcast::detail
