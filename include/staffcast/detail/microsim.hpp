// The microsimulation engine: population columns, workers, barriers and the
// per-replicate kernels (the shared tables: microsim_tables.hpp).
#pragma once

#include <staffcast/detail/microsim_tables.hpp>
#include <staffcast/detail/move_rows.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/philox_simd.hpp>
#include <staffcast/detail/poisson.hpp>
#include <staffcast/detail/projection.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/projection/philox.hpp>
#include <staffcast/projection/replicate_summary.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace staffcast {

namespace detail {

/// A column of trivially copyable values whose growth neither zero-fills nor
/// shrinks: the population columns are rewritten every year.
template <class T>
class SimColumn {
 public:
  [[nodiscard]] T* data() noexcept { return data_.get(); }
  [[nodiscard]] const T* data() const noexcept { return data_.get(); }
  /// Room for n values, keeping the first `keep`.
  void reserve(std::size_t n, std::size_t keep) {
    if (n <= capacity_) return;
    const std::size_t capacity = std::max(n, capacity_ + capacity_ / 2);
    std::unique_ptr<T[]> grown(new T[capacity]);
    if (keep > 0) std::memcpy(grown.get(), data_.get(), keep * sizeof(T));
    data_ = std::move(grown);
    capacity_ = capacity;
  }

 private:
  std::unique_ptr<T[]> data_;
  std::size_t capacity_ = 0;
};

/// The population of one replicate, as columns (reused between replicates and years).
struct SimPopulation {
  SimColumn<std::uint32_t> id, group;
  SimColumn<std::int32_t> birth_year;
  SimColumn<std::uint8_t> fte;
  std::size_t n = 0;

  void reserve(std::size_t capacity) {
    id.reserve(capacity, n);
    group.reserve(capacity, n);
    birth_year.reserve(capacity, n);
    fte.reserve(capacity, n);
  }
  [[nodiscard]] std::size_t size() const noexcept { return n; }
};

/// The year word of the recruitment draws of observed recruitment: year t | 2^31, apart from every
/// person's words (their year word is t <= 200).
inline constexpr std::uint32_t recruitment_year_bit = 0x80000000U;

/// Persons per batch of Philox words (a multiple of the 16 counters of the widest kernel).
inline constexpr std::size_t sim_block = 512;

/// Scratch space of one worker.
struct SimWorker {
  SimPopulation now, next;
  std::vector<std::int64_t> counts;  // [output group][measure], fte measures in hundredths: this worker's persons
  std::uint32_t w0[sim_block], w1[sim_block], w2[sim_block], w3[sim_block], ids[sim_block];
};

/// A barrier for the members of one replicate: the last to arrive runs the completion (the serial
/// step between two parallel ones) while the others wait, then all go on.
class SimBarrier {
 public:
  explicit SimBarrier(std::size_t members) : members_(members) {}

  /// False once abandon() was called: the completion may then not have run.
  template <class Completion>
  bool arrive_and_wait(const Completion& completion) {
    if (members_ == 1) {
      completion();
      return true;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (abandoned_) return false;
    const std::size_t generation = generation_;
    if (++arrived_ == members_) {
      completion();
      arrived_ = 0;
      ++generation_;
      lock.unlock();
      all_arrived_.notify_all();
      return true;
    }
    all_arrived_.wait(lock, [&] { return generation_ != generation || abandoned_; });
    return generation_ != generation;
  }

  /// Releases every member waiting now or later: some member will never arrive
  /// (its thread could not be started).
  void abandon() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      abandoned_ = true;
    }
    all_arrived_.notify_all();
  }

 private:
  std::size_t members_, arrived_ = 0, generation_ = 0;
  bool abandoned_ = false;
  std::mutex mutex_;
  std::condition_variable all_arrived_;
};

/// What the members of one replicate share. Each member runs the rules on its own part of the
/// population (and of each year's recruits) into its own counts; the serial steps between add the
/// members' counts up (integers: exact in any order) and plan the recruits, which are numbered per
/// group in code order whatever the split, so the replicate's bytes do not depend on it.
struct SimReplicate {
  SimReplicate(std::size_t members, std::uint64_t replicate_, double* out_)
      : replicate(replicate_), out(out_), workers(members, nullptr), failures(members), barrier(members) {}

  std::uint64_t replicate;
  double* out;                               // years × outputs × measures
  std::vector<SimWorker*> workers;           // member k's worker
  std::vector<std::exception_ptr> failures;  // member k's, if its part threw
  SimBarrier barrier;
  std::vector<std::int64_t> counts;          // the whole replicate's, this year
  std::vector<std::uint64_t> recruit_begin;  // [g]: index of g's first recruit among this year's (G + 1 entries)
  std::uint32_t first_recruit_id = 0;        // the person number of this year's first recruit
  std::uint32_t next_id = 0;
  bool abort = false;  // set by a serial step: every member stops after the barrier
  std::exception_ptr failure;
};

/// Rules 1–3 of year t for the persons of `w.now`, into `w.next` and the counts of `w.counts`
/// (zeroed first).
///
/// The rules of docs/models.md on the words themselves: u = (w + 0.5)·2^−32
/// is increasing in w, so u < p ⟺ w < #{w : u(w) < p}, the thresholds of SimTables.
/// A person's end-of-year cell (next year's age band) is counted as the person
/// is kept; the counts are integers, so their order does not matter.
inline void simulate_persons(const SimTables& tab, const PhiloxRoundKeys& keys, int t, std::uint64_t replicate,
                             SimWorker& w, simd_level simd) {
  constexpr std::size_t M = projection_measure_count;
  const std::size_t bands = tab.bands;
  const std::uint32_t* band = tab.band.data();
  const std::uint64_t* ret_thr = tab.retire_threshold.data();
  const std::uint64_t* leave_thr = tab.leave_threshold.data();
  const std::uint32_t* leave_class = tab.leave_class.data();
  const std::size_t leave_classes = tab.leave_classes;
  const std::uint32_t* move_offset = tab.move_offset.data();
  const std::uint32_t* move_to = tab.move_to.data();
  const std::uint64_t* move_thr = tab.move_threshold.data();
  const std::uint64_t* stay_lo = tab.stay_low.data();
  const std::uint64_t* stay_hi = tab.stay_high.data();
  const std::uint32_t* last_positive = tab.last_positive.data();
  const std::uint64_t part_thr = tab.part_time_threshold;
  const int upper = tab.upper;
  const bool moves = tab.moves;
  const int year = tab.base_year + t;
  const auto tt = static_cast<std::uint32_t>(t);
  std::fill(w.counts.begin(), w.counts.end(), 0);
  std::int64_t* counts = w.counts.data();
  const std::size_t n = w.now.size();
  w.next.n = 0;
  w.next.reserve(n);
  const std::uint32_t* ids = w.now.id.data();
  const std::uint32_t* grp = w.now.group.data();
  const std::int32_t* birth = w.now.birth_year.data();
  const std::uint8_t* fte = w.now.fte.data();
  std::uint32_t* next_ids = w.next.id.data();
  std::uint32_t* next_grp = w.next.group.data();
  std::int32_t* next_birth = w.next.birth_year.data();
  std::uint8_t* next_fte = w.next.fte.data();
  std::size_t kept = 0;
  for (std::size_t b = 0; b < n; b += sim_block) {
    const std::size_t m = std::min(sim_block, n - b);
    philox_block(simd, keys, tt, replicate, ids + b, m, w.w0, w.w1, w.w2, w.w3);
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t i = b + j;
      const int x = year - birth[i];
      const std::size_t xi = SimTables::age_index(x);
      const std::uint32_t g = grp[i];
      const std::uint32_t f = fte[i];
      // 1. Exit. No branch on the draws (they are random, so a branch would mispredict): a
      // leaver's counts get +0 and its row in `next` is overwritten by the next person kept.
      const std::uint64_t u0 = w.w0[j];
      const auto retire = static_cast<std::uint32_t>(x > upper) | static_cast<std::uint32_t>(u0 < ret_thr[xi]);
      const std::uint32_t other =
          (retire ^ 1U) & static_cast<std::uint32_t>(u0 < leave_thr[g * leave_classes + leave_class[xi]]);
      const std::uint32_t stay = (retire | other) ^ 1U;
      const std::size_t bx = band[xi];
      std::int64_t* row = counts + (g * bands + bx) * M;
      row[m_retirements] += retire;
      row[m_other_exits] += other;
      // 2. Move: the first h with u1 < Σ_{k ≤ h} M(g, k), else the last h with M(g, h) > 0 (a branch
      // taken rarely: most words fall in g's own interval).
      std::uint32_t h = g;
      if (moves) {
        const std::uint64_t u1 = w.w1[j];
        if ((u1 < stay_lo[g] || u1 >= stay_hi[g]) && stay != 0) {
          // The first positive entry whose running sum's threshold exceeds u1.
          const std::uint64_t* first = move_thr + move_offset[g];
          const std::uint64_t* last = move_thr + move_offset[g + 1];
          const std::uint64_t* k = std::upper_bound(first, last, u1);
          h = k != last ? move_to[k - move_thr] : last_positive[g];
          if (h != g) {
            row[m_moves_out] += 1;
            counts[(h * bands + bx) * M + m_moves_in] += 1;
          }
        }
      }
      // 3. Part-time to full-time.
      const std::uint32_t to_full =
          static_cast<std::uint32_t>(f - 1U < 99U) & static_cast<std::uint32_t>(w.w2[j] < part_thr);
      const std::uint32_t nf = f + to_full * (100U - f);
      // Kept: next year's stock, in the band of next year's age.
      std::int64_t* end = counts + (h * bands + band[SimTables::age_index(x + 1)]) * M;
      end[m_end] += stay;
      end[m_end_fte] += stay * nf;
      next_ids[kept] = ids[i];
      next_grp[kept] = h;
      next_birth[kept] = birth[i];
      next_fte[kept] = static_cast<std::uint8_t>(nf);
      kept += stay;
    }
  }
  w.next.n = kept;
}

/// The recruits [mine_begin, mine_end) of year t's (numbered first_id + index, by group:
/// group g's are [begin[g], begin[g + 1])), appended to `w.next`, their counts into `w.counts`
/// (zeroed first).
inline void simulate_recruits(const ProjectionInputs& in, const SimTables& tab, const PhiloxRoundKeys& keys, int t,
                              std::uint64_t replicate, const std::uint64_t* begin, std::uint32_t first_id,
                              std::uint64_t mine_begin, std::uint64_t mine_end, SimWorker& w, simd_level simd) {
  constexpr std::size_t M = projection_measure_count;
  const std::size_t groups = tab.groups, bands = tab.bands;
  const std::uint32_t* band = tab.band.data();
  const std::int32_t* pool_age = in.pool_age.data();
  const std::uint8_t* pool_fte = in.pool_fte.data();
  const int year = tab.base_year + t;
  const auto tt = static_cast<std::uint32_t>(t);
  std::fill(w.counts.begin(), w.counts.end(), 0);
  std::int64_t* counts = w.counts.data();
  if (mine_begin == mine_end) return;
  w.next.reserve(w.next.n + static_cast<std::size_t>(mine_end - mine_begin));
  std::uint32_t* rid = w.next.id.data() + w.next.n;
  std::uint32_t* rgrp = w.next.group.data() + w.next.n;
  std::int32_t* rbirth = w.next.birth_year.data() + w.next.n;
  std::uint8_t* rfte = w.next.fte.data() + w.next.n;
  std::size_t made = 0;
  auto g = static_cast<std::uint32_t>(std::upper_bound(begin, begin + groups + 1, mine_begin) - begin - 1);
  for (std::uint64_t r = mine_begin; r < mine_end; ++g) {
    const std::uint64_t group_end = std::min(begin[g + 1], mine_end);
    if (r >= group_end) continue;
    const std::uint32_t pool_begin = in.pool_offset[g], size = in.pool_offset[g + 1] - pool_begin;
    for (; r < group_end;) {
      const std::size_t m = static_cast<std::size_t>(std::min<std::uint64_t>(sim_block, group_end - r));
      for (std::size_t j = 0; j < m; ++j) w.ids[j] = first_id + static_cast<std::uint32_t>(r + j);
      philox_block(simd, keys, tt, replicate, w.ids, m, w.w0, w.w1, w.w2, w.w3);
      // The pool entries first (prefetched: a large pool is far from the cache), then the recruits.
      std::uint32_t* entries = w.w0;
      for (std::size_t j = 0; j < m; ++j) {
        auto entry = static_cast<std::uint32_t>(std::floor(philox_uniform(w.w3[j]) * size));
        if (entry >= size) entry = size - 1;
        entries[j] = entry;
#if defined(__GNUC__) || defined(__clang__)
        __builtin_prefetch(pool_age + pool_begin + entry);
        __builtin_prefetch(pool_fte + pool_begin + entry);
#endif
      }
      for (std::size_t j = 0; j < m; ++j) {
        const std::uint32_t entry = entries[j];
        const std::int32_t age = pool_age[pool_begin + entry];
        const std::uint8_t f = pool_fte[pool_begin + entry];
        std::int64_t* row = counts + (g * bands + band[SimTables::age_index(age + 1)]) * M;
        row[m_recruits] += 1;
        row[m_recruits_fte] += f;
        row[m_end] += 1;  // next year's age is age + 1
        row[m_end_fte] += f;
        rid[made + j] = w.ids[j];
        rgrp[made + j] = g;
        rbirth[made + j] = year - age;
        rfte[made + j] = f;
      }
      made += m;
      r += m;
    }
  }
  w.next.n += made;
}

/// Member `member` of `run.workers.size()` members of one replicate (each member on its own thread;
/// one member runs the whole replicate alone). `simd` is a resolved level (scalar, avx2 or avx512
/// supported by the CPU); every level gives the same words, so the same bytes. `stop` (if given)
/// aborts the replicate before its first year.
inline void simulate_replicate_member(const ProjectionInputs& in, const SimTables& tab, const PhiloxRoundKeys& keys,
                                      SimReplicate& run, std::size_t member, SimWorker& w,
                                      const std::atomic<bool>* cancel, const std::atomic<bool>* stop, simd_level simd) {
  constexpr std::size_t M = projection_measure_count;
  const std::size_t groups = tab.groups, bands = tab.bands, members = run.workers.size();
  const std::uint64_t replicate = run.replicate;
  run.workers[member] = &w;
  // Runs a member's part; a failure is kept for the serial step that follows.
  auto part = [&](const auto& body) {
    try {
      body();
    } catch (...) {
      run.failures[member] = std::current_exception();
    }
  };
  // The serial step after a part: stops every member on a failure, a cancel or `stop`.
  auto serial = [&](const auto& body) {
    const bool completed = run.barrier.arrive_and_wait([&] {
      try {
        for (const std::exception_ptr& failure : run.failures) {
          if (failure) std::rethrow_exception(failure);
        }
        body();
      } catch (...) {
        run.failure = std::current_exception();
        run.abort = true;
      }
    });
    return completed && !run.abort;
  };
  auto add_members = [&](std::initializer_list<std::size_t> measures) {
    std::int64_t* counts = run.counts.data();
    for (SimWorker* worker : run.workers) {
      const std::int64_t* mine = worker->counts.data();
      for (std::size_t o = 0; o < tab.outputs; ++o) {
        for (std::size_t m : measures) counts[o * M + m] += mine[o * M + m];
      }
    }
  };
  auto check_cancel = [&] {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw cancelled_error();
  };
  // The population: member k starts with part k of the persons by group.
  part([&] {
    const std::size_t n = in.persons(), begin = n * member / members, end = n * (member + 1) / members;
    w.now.n = 0;
    w.next.n = 0;
    // Room for the population to double before a column grows: address space only (new T[] of a
    // trivial T writes nothing), whereas each growth copies the column into pages never touched.
    w.now.reserve(2 * (end - begin));
    w.next.reserve(2 * (end - begin));
    w.now.n = end - begin;
    for (std::size_t k = begin; k < end; ++k) {
      const std::uint32_t i = tab.by_group[k];
      w.now.id.data()[k - begin] = i;
      w.now.group.data()[k - begin] = in.group[i];
      w.now.birth_year.data()[k - begin] = in.birth_year[i];
      w.now.fte.data()[k - begin] = in.fte[i];
    }
    w.counts.assign(tab.outputs * M, 0);
    for (std::size_t k = 0; k < w.now.size(); ++k) {
      const std::size_t xi = SimTables::age_index(tab.base_year + 1 - w.now.birth_year.data()[k]);
      std::int64_t* row = w.counts.data() + (w.now.group.data()[k] * bands + tab.band[xi]) * M;
      row[m_start] += 1;
      row[m_start_fte] += w.now.fte.data()[k];
    }
  });
  if (!serial([&] {
        if (stop != nullptr && stop->load()) throw cancelled_error();
        check_cancel();
        run.counts.assign(tab.outputs * M, 0);
        add_members({m_start, m_start_fte});
        run.next_id = static_cast<std::uint32_t>(in.persons());
        run.recruit_begin.assign(groups + 1, 0);
      })) {
    return;
  }
  for (int t = 1; t <= tab.years; ++t) {
    // 1–3 for this member's persons.
    part([&] { simulate_persons(tab, keys, t, replicate, w, simd); });
    // This year's start is last year's end (same group, same age band: x = (year − 1) + 1 − birth);
    // year 1's was counted from the initial population. Then the members' counts, the stock per
    // group after steps 1–3 (the kept, at their end-of-year cells) and the recruits wanted.
    if (!serial([&] {
          std::int64_t* counts = run.counts.data();
          for (std::size_t o = 0; o < tab.outputs; ++o) {
            std::int64_t* row = counts + o * M;
            const std::int64_t start = t == 1 ? row[m_start] : row[m_end];
            const std::int64_t start_fte = t == 1 ? row[m_start_fte] : row[m_end_fte];
            std::fill(row, row + M, 0);
            row[m_start] = start;
            row[m_start_fte] = start_fte;
          }
          add_members({m_retirements, m_other_exits, m_moves_out, m_moves_in, m_end, m_end_fte});
          // 5. Recruits at year end, per group in code order, numbered one by one.
          run.first_recruit_id = run.next_id;
          std::uint64_t* begin = run.recruit_begin.data();
          for (std::uint32_t g = 0; g < groups; ++g) {
            begin[g + 1] = begin[g];
            if (t <= tab.freeze || in.pool_offset[g + 1] == in.pool_offset[g]) continue;
            std::int64_t wanted = 0;
            if (tab.observed_recruitment) {
              // The year's number from its own word: counter (group, year | 2^31, replicate).
              const std::uint32_t id = g;
              std::uint32_t w0 = 0, w1 = 0, w2 = 0, w3 = 0;
              philox_block_scalar(keys, static_cast<std::uint32_t>(t) | recruitment_year_bit, replicate, &id, 0, 1, &w0,
                                  &w1, &w2, &w3);
              wanted = tab.observed_recruits(g, w0);
            } else {
              std::int64_t stock = 0;
              for (std::size_t b = 0; b < bands; ++b) stock += counts[(g * bands + b) * M + m_end];
              wanted = tab.target[static_cast<std::size_t>(t - 1) * groups + g] - stock;
            }
            if (wanted <= 0) continue;
            if (static_cast<std::uint64_t>(run.next_id) + static_cast<std::uint64_t>(wanted) > 0xFFFFFFFFULL) {
              throw argument_error("too many recruits for 32-bit person numbers");
            }
            run.next_id += static_cast<std::uint32_t>(wanted);
            begin[g + 1] += static_cast<std::uint64_t>(wanted);
          }
        })) {
      return;
    }
    // This member's share of the recruits: [all · k / members, all · (k + 1) / members) of this
    // year's, in creation order.
    part([&] {
      const std::uint64_t all = run.recruit_begin[groups];
      simulate_recruits(in, tab, keys, t, replicate, run.recruit_begin.data(), run.first_recruit_id,
                        all * member / members, all * (member + 1) / members, w, simd);
    });
    // The year's values, then a cancel stops every member before the next year.
    if (!serial([&] {
          add_members({m_recruits, m_recruits_fte, m_end, m_end_fte});
          const std::int64_t* counts = run.counts.data();
          double* o = run.out + static_cast<std::size_t>(t - 1) * tab.outputs * M;
          for (std::size_t k = 0; k < tab.outputs * M; ++k) {
            const std::size_t m = k % M;
            const bool is_fte = m == m_start_fte || m == m_end_fte || m == m_recruits_fte;
            o[k] = is_fte ? static_cast<double>(counts[k]) / 100.0 : static_cast<double>(counts[k]);
          }
          if (t < tab.years) check_cancel();
        })) {
      return;
    }
    std::swap(w.now, w.next);
  }
}

/// One replicate on the calling thread: writes years × outputs × measures values to `out`.
inline void simulate_replicate(const ProjectionInputs& in, const SimTables& tab, philox4x32_key key,
                               std::uint64_t replicate, SimWorker& w, double* out, const std::atomic<bool>* cancel,
                               simd_level simd = simd_level::scalar) {
  SimReplicate run(1, replicate, out);
  simulate_replicate_member(in, tab, PhiloxRoundKeys(key), run, 0, w, cancel, nullptr, simd);
  if (run.failure) std::rethrow_exception(run.failure);
}

/// Replicates below this many persons always run whole, one per thread (splitting costs more than it
/// gives there); the tests set it to 0 to split every replicate they can.
inline std::atomic<std::size_t>& sim_split_min_persons() {
  static std::atomic<std::size_t> persons{20000};
  return persons;
}

}  // namespace detail

namespace detail {
using staffcast::numpy_linear_percentile;  // replicate_summary.hpp
}  // namespace detail

}  // namespace staffcast
