// The microsimulation (DESIGN §4, docs/projection.md §2–4): every person of the
// population and every recruit goes through the cohort model's yearly rules
// with draws from Philox4x32-10 keyed by (seed, replicate, person, year).
// Replicates are independent: the raw result of a replicate depends only on
// (inputs, seed, replicate), whatever the thread count or split of replicates.
#pragma once

#include <staffcast/cohort.hpp>
#include <staffcast/philox.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace staffcast {

/// Thrown by simulate_raw when its cancel flag was set.
class cancelled_error : public error {
 public:
  cancelled_error() : error("the simulation was cancelled") {}
};

/// The raw microsimulation result: values [replicate][year][output group][measure]
/// for replicates replicate_begin .. replicate_begin + replicates − 1.
struct RawSimulation {
  std::uint64_t replicate_begin = 0;
  std::size_t replicates = 0;
  std::size_t years = 0;
  std::size_t output_groups = 0;
  std::vector<double> values;

  [[nodiscard]] std::size_t stride() const noexcept { return years * output_groups * projection_measure_count; }
  [[nodiscard]] double at(std::size_t r, std::size_t year, std::size_t group, std::size_t measure) const {
    return values[r * stride() + (year * output_groups + group) * projection_measure_count + measure];
  }
};

namespace detail {

inline constexpr int sim_max_age = 200;  // ages are clamped to 0..sim_max_age for table lookups

/// Read-only tables shared by every replicate.
struct SimTables {
  std::size_t groups = 0, bands = 1, outputs = 0;
  int years = 0, base_year = 0, upper = 0, freeze = 0;
  double part_time = 0;
  std::vector<double> q_ret;                 // [x], x = 0..sim_max_age
  std::vector<double> leave;                 // [g][x]: q_r + (1 − q_r)·q_other(g, band(x))
  std::vector<std::uint32_t> band;           // output band of x
  std::vector<double> cumulative;            // [g][h]: Σ_{k ≤ h} M(g, k), summed in order
  std::vector<std::uint32_t> last_positive;  // per g: the last h with M(g, h) > 0
  bool moves = false;                        // M ≠ I
  std::vector<std::int64_t> target;          // [t − 1][g]: round_half_up(T_g(t))

  explicit SimTables(const ProjectionInputs& in) {
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
    q_ret.resize(ages);
    band.resize(ages);
    leave.resize(groups * ages);
    for (std::size_t x = 0; x < ages; ++x) {
      const int age = static_cast<int>(x);
      q_ret[x] = age > upper ? 1.0 : in.retirement_probability(age);
      band[x] = static_cast<std::uint32_t>(output_band(in, age));
      const auto b = static_cast<Eigen::Index>(band_of(in.rate_band_lower, age));
      for (std::size_t g = 0; g < groups; ++g) {
        leave[g * ages + x] =
            age > upper ? 1.0 : q_ret[x] + (1.0 - q_ret[x]) * q_other(static_cast<Eigen::Index>(g), b);
      }
    }
    cumulative.resize(groups * groups);
    last_positive.assign(groups, 0);
    for (std::size_t g = 0; g < groups; ++g) {
      double sum = 0;
      for (std::size_t h = 0; h < groups; ++h) {
        const double m = in.move(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(h));
        sum += m;
        cumulative[g * groups + h] = sum;
        if (m > 0) last_positive[g] = static_cast<std::uint32_t>(h);
        if ((h == g) != (m == 1.0) || (h != g && m != 0.0)) moves = true;
      }
    }
    const Eigen::MatrixXd t = target_stocks(in);
    target.resize(static_cast<std::size_t>(years) * groups);
    for (int y = 0; y < years; ++y) {
      for (std::size_t g = 0; g < groups; ++g) {
        target[static_cast<std::size_t>(y) * groups + g] =
            static_cast<std::int64_t>(std::floor(t(y, static_cast<Eigen::Index>(g)) + 0.5));
      }
    }
  }

  [[nodiscard]] static std::size_t age_index(int x) noexcept {
    return static_cast<std::size_t>(std::clamp(x, 0, sim_max_age));
  }
};

/// The population of one replicate, as columns (reused between replicates).
struct SimPopulation {
  std::vector<std::uint32_t> id, group;
  std::vector<std::int32_t> birth_year;
  std::vector<std::uint8_t> fte;

  void clear() {
    id.clear();
    group.clear();
    birth_year.clear();
    fte.clear();
  }
  void push(std::uint32_t i, std::uint32_t g, std::int32_t b, std::uint8_t f) {
    id.push_back(i);
    group.push_back(g);
    birth_year.push_back(b);
    fte.push_back(f);
  }
  [[nodiscard]] std::size_t size() const noexcept { return id.size(); }
};

/// Scratch space of one worker.
struct SimWorker {
  SimPopulation now, next;
  std::vector<std::int64_t> counts;  // [output group][measure], fte measures in hundredths
  std::vector<std::int64_t> stock;   // per group after steps 1–3
};

/// One replicate: writes years × outputs × measures values to `out`.
inline void simulate_replicate(const ProjectionInputs& in, const SimTables& tab, philox4x32_key key,
                               std::uint64_t replicate, SimWorker& w, double* out, const std::atomic<bool>* cancel) {
  constexpr std::size_t M = projection_measure_count;
  const std::size_t ages = static_cast<std::size_t>(sim_max_age + 1);
  const std::size_t groups = tab.groups, bands = tab.bands;
  w.now.clear();
  for (std::size_t i = 0; i < in.persons(); ++i) {
    w.now.push(static_cast<std::uint32_t>(i), in.group[i], in.birth_year[i], in.fte[i]);
  }
  auto next_id = static_cast<std::uint32_t>(in.persons());
  w.counts.assign(tab.outputs * M, 0);
  w.stock.assign(groups, 0);
  const double* cumulative = tab.cumulative.data();
  const std::uint32_t* band = tab.band.data();
  for (int t = 1; t <= tab.years; ++t) {
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw cancelled_error();
    const int year = tab.base_year + t;
    const auto tt = static_cast<std::uint32_t>(t);
    std::fill(w.counts.begin(), w.counts.end(), 0);
    std::fill(w.stock.begin(), w.stock.end(), 0);
    w.next.clear();
    std::int64_t* counts = w.counts.data();
    const std::size_t n = w.now.size();
    const std::uint32_t* ids = w.now.id.data();
    const std::uint32_t* grp = w.now.group.data();
    const std::int32_t* birth = w.now.birth_year.data();
    const std::uint8_t* fte = w.now.fte.data();
    for (std::size_t i = 0; i < n; ++i) {
      const int x = year - birth[i];
      const std::size_t xi = SimTables::age_index(x);
      const std::uint32_t g = grp[i];
      std::int64_t* row = counts + (g * bands + band[xi]) * M;
      row[m_start] += 1;
      row[m_start_fte] += fte[i];
      const philox4x32_ctr r = philox4x32<10>(philox_counter(ids[i], tt, replicate), key);
      const double u0 = philox_uniform(r[0]);
      // 1. Exit.
      if (x > tab.upper || u0 < tab.q_ret[xi]) {
        row[m_retirements] += 1;
        continue;
      }
      if (u0 < tab.leave[g * ages + xi]) {
        row[m_other_exits] += 1;
        continue;
      }
      // 2. Move.
      std::uint32_t h = g;
      if (tab.moves) {
        const double u1 = philox_uniform(r[1]);
        const double* c = cumulative + g * groups;
        h = tab.last_positive[g];
        for (std::uint32_t k = 0; k < groups; ++k) {
          if (u1 < c[k]) {
            h = k;
            break;
          }
        }
        if (h != g) {
          row[m_moves_out] += 1;
          counts[(h * bands + band[xi]) * M + m_moves_in] += 1;
        }
      }
      // 3. Part-time to full-time.
      std::uint8_t f = fte[i];
      if (f >= 1 && f <= 99 && philox_uniform(r[2]) < tab.part_time) f = 100;
      w.stock[h] += 1;
      w.next.push(ids[i], h, birth[i], f);
    }
    // 5. Recruits at year end, per group in code order, one by one.
    if (t > tab.freeze) {
      for (std::uint32_t g = 0; g < groups; ++g) {
        const std::uint32_t begin = in.pool_offset[g], size = in.pool_offset[g + 1] - begin;
        if (size == 0) continue;
        const std::int64_t wanted = tab.target[static_cast<std::size_t>(t - 1) * groups + g] - w.stock[g];
        for (std::int64_t k = 0; k < wanted; ++k) {
          if (next_id == 0xFFFFFFFFU) throw argument_error("too many recruits for 32-bit person numbers");
          const std::uint32_t p = next_id++;
          const philox4x32_ctr r = philox4x32<10>(philox_counter(p, tt, replicate), key);
          auto entry = static_cast<std::uint32_t>(std::floor(philox_uniform(r[3]) * size));
          if (entry >= size) entry = size - 1;
          const std::int32_t age = in.pool_age[begin + entry];
          const std::uint8_t f = in.pool_fte[begin + entry];
          std::int64_t* row = counts + (g * bands + band[SimTables::age_index(age + 1)]) * M;
          row[m_recruits] += 1;
          row[m_recruits_fte] += f;
          w.next.push(p, g, year - age, f);
        }
      }
    }
    // End of year: stock in the band of next year's age.
    for (std::size_t i = 0; i < w.next.size(); ++i) {
      const std::size_t xi = SimTables::age_index(year + 1 - w.next.birth_year[i]);
      std::int64_t* row = counts + (w.next.group[i] * bands + band[xi]) * M;
      row[m_end] += 1;
      row[m_end_fte] += w.next.fte[i];
    }
    double* o = out + static_cast<std::size_t>(t - 1) * tab.outputs * M;
    for (std::size_t k = 0; k < tab.outputs * M; ++k) {
      const std::size_t m = k % M;
      const bool is_fte = m == m_start_fte || m == m_end_fte || m == m_recruits_fte;
      o[k] = is_fte ? static_cast<double>(counts[k]) / 100.0 : static_cast<double>(counts[k]);
    }
    std::swap(w.now, w.next);
  }
}

}  // namespace detail

/// Runs replicates [replicate_begin, replicate_end) on `threads` std::threads
/// (0 = hardware concurrency). Each finished replicate adds 1 to `*progress`
/// (if given); setting `*cancel` stops every worker within a year of one
/// replicate and throws cancelled_error.
inline RawSimulation simulate_raw(const ProjectionInputs& in, std::uint64_t seed, std::uint64_t replicate_begin,
                                  std::uint64_t replicate_end, unsigned threads = 1,
                                  const std::atomic<bool>* cancel = nullptr,
                                  std::atomic<std::uint64_t>* progress = nullptr) {
  validate_projection_inputs(in);
  if (replicate_end < replicate_begin) throw argument_error("replicate_end must not be before replicate_begin");
  if (replicate_end - replicate_begin > (std::uint64_t{1} << 32)) throw argument_error("too many replicates");
  if (in.persons() >= 0xFFFFFFFFULL) throw argument_error("too many persons for 32-bit person numbers");
  const detail::SimTables tables(in);
  RawSimulation raw;
  raw.replicate_begin = replicate_begin;
  raw.replicates = static_cast<std::size_t>(replicate_end - replicate_begin);
  raw.years = static_cast<std::size_t>(in.years);
  raw.output_groups = in.output_groups();
  raw.values.assign(raw.replicates * raw.stride(), 0.0);
  if (threads == 0) threads = std::max(1U, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(raw.replicates, 1)));
  const philox4x32_key key = philox_key_of_seed(seed);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&]() {
    detail::SimWorker worker;
    try {
      for (;;) {
        if (stop.load(std::memory_order_relaxed)) return;
        const std::size_t r = next.fetch_add(1);
        if (r >= raw.replicates) return;
        detail::simulate_replicate(in, tables, key, replicate_begin + r, worker, raw.values.data() + r * raw.stride(),
                                   cancel);
        if (progress != nullptr) progress->fetch_add(1);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
  };
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned k = 0; k < threads; ++k) pool.emplace_back(work);
    for (auto& thread : pool) thread.join();
  }
  if (failure) std::rethrow_exception(failure);
  return raw;
}

namespace detail {

/// numpy's default ("linear") percentile of sorted values, with numpy's _lerp:
/// virtual index (n − 1)·q, a + (b − a)·γ, or b − (b − a)·(1 − γ) when γ ≥ 0.5.
inline double numpy_linear_percentile(const std::vector<double>& sorted, double q) {
  const std::size_t n = sorted.size();
  const double index = static_cast<double>(n - 1) * q;
  if (index >= static_cast<double>(n - 1)) return sorted[n - 1];
  const double below = std::floor(index);
  const auto i = static_cast<std::size_t>(below);
  const double gamma = index - below;
  const double a = sorted[i], b = sorted[i + 1];
  const double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

}  // namespace detail

/// Summary per (year, output group, measure) over the replicates of `raw`, in
/// replicate order: mean = the sequential sum / R; p5, p50, p95 = numpy's
/// linear percentiles. Key columns: year (calendar), <output_by>, measure;
/// values mean, p5, p50, p95. With `totals` (and a grouping) a Total row per
/// year and measure summarises each replicate's sum over the groups. Rows of an
/// age band holding nobody in any replicate are left out.
inline Table summarise(const ProjectionInputs& in, const RawSimulation& raw, bool totals = false) {
  if (raw.replicates == 0) throw argument_error("no replicates to summarise");
  if (raw.years != static_cast<std::size_t>(in.years) || raw.output_groups != in.output_groups()) {
    throw argument_error("the raw array does not match the inputs' years and groups");
  }
  Table table;
  table.key_names.push_back("year");
  for (const std::string& name : in.output_by) table.key_names.push_back(name);
  table.key_names.push_back("measure");
  table.keys.assign(table.key_names.size(), {});
  ValueColumn mean{"mean", ValueKind::number, {}}, p5{"p5", ValueKind::number, {}}, p50{"p50", ValueKind::number, {}},
      p95{"p95", ValueKind::number, {}};
  const auto& names = projection_measures();
  std::vector<double> values(raw.replicates);
  auto add = [&](const std::string& year, const std::vector<std::string>& labels, std::size_t m) {
    double sum = 0;
    for (double v : values) sum += v;
    table.keys[0].push_back(year);
    for (std::size_t k = 0; k < labels.size(); ++k) table.keys[1 + k].push_back(labels[k]);
    table.keys.back().push_back(names[m]);
    mean.values.push_back(sum / static_cast<double>(raw.replicates));
    std::sort(values.begin(), values.end());
    p5.values.push_back(detail::numpy_linear_percentile(values, 5.0 / 100.0));
    p50.values.push_back(detail::numpy_linear_percentile(values, 50.0 / 100.0));
    p95.values.push_back(detail::numpy_linear_percentile(values, 95.0 / 100.0));
  };
  // Rows: year, then the output groups in label order, then the measures in their order.
  std::vector<std::vector<std::string>> labels(raw.output_groups);
  std::vector<std::size_t> order(raw.output_groups);
  for (std::size_t o = 0; o < raw.output_groups; ++o) {
    labels[o] = in.output_labels(o);
    order[o] = o;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return labels[a] < labels[b]; });
  for (std::size_t y = 0; y < raw.years; ++y) {
    const std::string year = std::to_string(in.base_year + static_cast<int>(y) + 1);
    for (std::size_t o : order) {
      if (in.age_band_position >= 0) {
        bool any = false;
        for (std::size_t r = 0; r < raw.replicates && !any; ++r) {
          for (std::size_t m = 0; m < projection_measure_count; ++m) any = any || raw.at(r, y, o, m) != 0.0;
        }
        if (!any) continue;
      }
      for (std::size_t m = 0; m < projection_measure_count; ++m) {
        for (std::size_t r = 0; r < raw.replicates; ++r) values[r] = raw.at(r, y, o, m);
        add(year, labels[o], m);
      }
    }
  }
  if (totals && !in.output_by.empty()) {
    std::vector<std::string> total_labels(in.output_by.size());
    total_labels[0] = "Total";
    for (std::size_t y = 0; y < raw.years; ++y) {
      const std::string year = std::to_string(in.base_year + static_cast<int>(y) + 1);
      for (std::size_t m = 0; m < projection_measure_count; ++m) {
        for (std::size_t r = 0; r < raw.replicates; ++r) {
          double sum = 0;
          for (std::size_t o = 0; o < raw.output_groups; ++o) sum += raw.at(r, y, o, m);
          values[r] = sum;
        }
        add(year, total_labels, m);
      }
    }
  }
  table.values = {std::move(mean), std::move(p5), std::move(p50), std::move(p95)};
  return table;
}

}  // namespace staffcast
