// The microsimulation's block/SIMD paths against a frozen copy of the original
// one-person-at-a-time scalar engine (below, unchanged but for its names), and
// the batched Philox kernels against the scalar philox4x32 on many inputs:
// every dispatch level (scalar, AVX2, AVX-512 where the CPU has them) must give
// the same words and the same raw arrays, bit for bit.
#include <staffcast/detail/microsim.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/staffcast.hpp>

#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>

namespace staffcast::detail::frozen {

// ---- frozen reference: the engine of commit 2d5e725 (scalar, person by person) ----
inline constexpr int ref_max_age = 200;  // ages are clamped to 0..ref_max_age for table lookups

/// Read-only tables shared by every replicate.
struct RefTables {
  std::size_t groups = 0, bands = 1, outputs = 0;
  int years = 0, base_year = 0, upper = 0, freeze = 0;
  double part_time = 0;
  std::vector<double> q_ret;                 // [x], x = 0..ref_max_age
  std::vector<double> leave;                 // [g][x]: q_r + (1 − q_r)·q_other(g, band(x))
  std::vector<std::uint32_t> band;           // output band of x
  std::vector<double> cumulative;            // [g][h]: Σ_{k ≤ h} M(g, k), summed in order
  std::vector<std::uint32_t> last_positive;  // per g: the last h with M(g, h) > 0
  bool moves = false;                        // M ≠ I
  std::vector<std::int64_t> target;          // [t − 1][g]: round_half_up(T_g(t))

  explicit RefTables(const ProjectionInputs& in) {
    groups = in.groups();
    bands = in.output_bands();
    outputs = in.output_groups();
    years = in.years;
    base_year = in.base_year;
    upper = in.upper_age;
    freeze = in.freeze_years;
    part_time = in.part_time_share;
    const Eigen::MatrixXd q_other = other_exit_probabilities(in);
    const auto ages = static_cast<std::size_t>(ref_max_age + 1);
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
    return static_cast<std::size_t>(std::clamp(x, 0, ref_max_age));
  }
};

/// The population of one replicate, as columns (reused between replicates).
struct RefPopulation {
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
struct RefWorker {
  RefPopulation now, next;
  std::vector<std::int64_t> counts;  // [output group][measure], fte measures in hundredths
  std::vector<std::int64_t> stock;   // per group after steps 1–3
};

/// One replicate: writes years × outputs × measures values to `out`.
inline void reference_replicate(const ProjectionInputs& in, const RefTables& tab, philox4x32_key key,
                                std::uint64_t replicate, RefWorker& w, double* out, const std::atomic<bool>* cancel) {
  constexpr std::size_t M = projection_measure_count;
  const std::size_t ages = static_cast<std::size_t>(ref_max_age + 1);
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
      const std::size_t xi = RefTables::age_index(x);
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
          std::int64_t* row = counts + (g * bands + band[RefTables::age_index(age + 1)]) * M;
          row[m_recruits] += 1;
          row[m_recruits_fte] += f;
          w.next.push(p, g, year - age, f);
        }
      }
    }
    // End of year: stock in the band of next year's age.
    for (std::size_t i = 0; i < w.next.size(); ++i) {
      const std::size_t xi = RefTables::age_index(year + 1 - w.next.birth_year[i]);
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

// ---- end of the frozen reference ----

inline RawSimulation reference_raw(const ProjectionInputs& in, std::uint64_t seed, std::uint64_t begin,
                                   std::uint64_t end) {
  const RefTables tables(in);
  RawSimulation raw;
  raw.replicate_begin = begin;
  raw.replicates = static_cast<std::size_t>(end - begin);
  raw.years = static_cast<std::size_t>(in.years);
  raw.output_groups = in.output_groups();
  raw.values.assign(raw.replicates * raw.stride(), 0.0);
  RefWorker worker;
  for (std::size_t r = 0; r < raw.replicates; ++r) {
    reference_replicate(in, tables, philox_key_of_seed(seed), begin + r, worker, raw.values.data() + r * raw.stride(),
                        nullptr);
  }
  return raw;
}

}  // namespace staffcast::detail::frozen

namespace {

using namespace staffcast;

std::vector<simd_level> supported_levels() {
  std::vector<simd_level> levels{simd_level::scalar};
  if (static_cast<int>(simd_supported()) >= static_cast<int>(simd_level::avx2)) levels.push_back(simd_level::avx2);
  if (simd_supported() == simd_level::avx512) levels.push_back(simd_level::avx512);
  return levels;
}

TEST(PhiloxBlock, EveryKernelGivesTheScalarWords) {
  std::mt19937_64 gen(99);
  for (simd_level level : supported_levels()) {
    for (int trial = 0; trial < 300; ++trial) {
      const std::uint64_t seed = gen(), replicate = trial % 3 == 0 ? gen() : gen() % 1000;
      const auto year = static_cast<std::uint32_t>(trial % 5 == 0 ? gen() : gen() % 200);
      const std::size_t n = static_cast<std::size_t>(trial % 70) + (trial % 7 == 0 ? 512 : 0);
      std::vector<std::uint32_t> ids(n), w0(n), w1(n), w2(n), w3(n);
      for (auto& id : ids) id = static_cast<std::uint32_t>(trial % 2 == 0 ? gen() : gen() % 100000);
      const philox4x32_key key = philox_key_of_seed(seed);
      detail::philox_block(level, detail::PhiloxRoundKeys(key), year, replicate, ids.data(), n, w0.data(), w1.data(),
                           w2.data(), w3.data());
      for (std::size_t i = 0; i < n; ++i) {
        const philox4x32_ctr x = philox4x32<10>(philox_counter(ids[i], year, replicate), key);
        ASSERT_EQ(w0[i], x[0]) << simd_name(level) << " trial " << trial << " i " << i;
        ASSERT_EQ(w1[i], x[1]) << simd_name(level) << " trial " << trial << " i " << i;
        ASSERT_EQ(w2[i], x[2]) << simd_name(level) << " trial " << trial << " i " << i;
        ASSERT_EQ(w3[i], x[3]) << simd_name(level) << " trial " << trial << " i " << i;
      }
    }
  }
}

// Random123's known-answer vectors (the three "philox4x32 10" lines of kat_vectors), as counters
// (person, year, replicate) under the key of a seed, through every kernel, 40 lanes at once so the
// vector body (not only the scalar tail) runs them.
TEST(PhiloxBlock, KnownAnswerVectorsThroughEveryKernel) {
  struct Kat {
    std::uint32_t person, year;
    std::uint64_t replicate, seed;
    std::uint32_t expected[4];
  };
  const Kat kat[] = {
      {0, 0, 0, 0, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {0xffffffff,
       0xffffffff,
       0xffffffffffffffffULL,
       0xffffffffffffffffULL,
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {0x243f6a88,
       0x85a308d3,
       0x0370734413198a2eULL,
       0x299f31d0a4093822ULL,
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (simd_level level : supported_levels()) {
    for (const Kat& k : kat) {
      constexpr std::size_t n = 40;
      std::vector<std::uint32_t> ids(n, k.person), w0(n), w1(n), w2(n), w3(n);
      detail::philox_block(level, detail::PhiloxRoundKeys(philox_key_of_seed(k.seed)), k.year, k.replicate, ids.data(),
                           n, w0.data(), w1.data(), w2.data(), w3.data());
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(w0[i], k.expected[0]) << simd_name(level) << " lane " << i;
        ASSERT_EQ(w1[i], k.expected[1]) << simd_name(level) << " lane " << i;
        ASSERT_EQ(w2[i], k.expected[2]) << simd_name(level) << " lane " << i;
        ASSERT_EQ(w3[i], k.expected[3]) << simd_name(level) << " lane " << i;
      }
    }
  }
}

TEST(PhiloxBlock, LevelsResolveAndTheEnvironmentForcesScalar) {
  const char* saved = std::getenv("STAFFCAST_SIMD");
  const std::string restore = saved == nullptr ? "" : saved;
  ::setenv("STAFFCAST_SIMD", "0", 1);
  EXPECT_EQ(simd_auto(), simd_level::scalar);
  EXPECT_EQ(simd_resolve(simd_level::automatic), simd_level::scalar);
  ::setenv("STAFFCAST_SIMD", "scalar", 1);
  EXPECT_EQ(simd_auto(), simd_level::scalar);
  ::setenv("STAFFCAST_SIMD", "avx2", 1);
  EXPECT_EQ(simd_auto(), simd_supported() == simd_level::scalar ? simd_level::scalar : simd_level::avx2);
  ::unsetenv("STAFFCAST_SIMD");
  EXPECT_EQ(simd_auto(), simd_supported());
  // An explicit level is capped at what the CPU has.
  EXPECT_EQ(simd_resolve(simd_level::scalar), simd_level::scalar);
  EXPECT_EQ(simd_resolve(simd_level::avx512), simd_supported());
  if (saved != nullptr) ::setenv("STAFFCAST_SIMD", restore.c_str(), 1);
}

TEST(PhiloxBlock, ThresholdsAreExactlyTheUniformComparisons) {
  std::mt19937_64 gen(5);
  std::vector<double> ps = {0.0, 1.0, 0.5, 1e-300, 1e-12, 1.0 - 1e-16, std::nextafter(1.0, 0.0), 0.3, 2.0, -1.0};
  for (std::uint32_t w : {0U, 1U, 2U, 0x7FFFFFFFU, 0x80000000U, 0xFFFFFFFEU, 0xFFFFFFFFU}) {
    ps.push_back(philox_uniform(w));
    ps.push_back(std::nextafter(philox_uniform(w), 0.0));
    ps.push_back(std::nextafter(philox_uniform(w), 1.0));
  }
  for (int k = 0; k < 200; ++k) ps.push_back(std::uniform_real_distribution<double>(0, 1)(gen));
  for (double p : ps) {
    const std::uint64_t t = detail::SimTables::threshold(p);
    ASSERT_LE(t, std::uint64_t{1} << 32);
    if (t > 0) {
      EXPECT_LT(philox_uniform(static_cast<std::uint32_t>(t - 1)), p) << p;
    }
    if (t < (std::uint64_t{1} << 32)) {
      EXPECT_FALSE(philox_uniform(static_cast<std::uint32_t>(t)) < p) << p;
    }
    for (int k = 0; k < 50; ++k) {
      const auto w = static_cast<std::uint32_t>(gen());
      EXPECT_EQ(w < t, philox_uniform(w) < p) << p << " " << w;
    }
  }
}

// Random inputs with every rule active in varying amounts: 1–6 groups, output
// age bands or not, moves (with zeros, rows summing to 1 ± 1e-10), recruitment
// with growth and a freeze, part-time, ages around the retirement window.
ProjectionInputs random_inputs(std::mt19937_64& gen, std::size_t persons) {
  std::uniform_real_distribution<double> unit(0, 1);
  ProjectionInputs in;
  const std::size_t groups = 1 + gen() % 6;
  in.dimensions = {"department"};
  for (std::size_t g = 0; g < groups; ++g) in.group_labels.push_back({std::string(1, static_cast<char>('A' + g))});
  const bool banded = gen() % 2 == 0;
  if (banded) {
    in.output_by = {"age_band", "department"};
    in.age_band_position = 0;
    in.output_band_lower = {INT_MIN, 30, 45, 60};
    in.output_band_labels = {"-29", "30-44", "45-59", "60+"};
  } else {
    in.output_by = {"department"};
    in.output_band_lower = {INT_MIN};
    in.output_band_labels = {"all"};
  }
  in.base_year = 2024;
  in.years = 1 + static_cast<int>(gen() % 12);
  in.retirement_age = 60 + static_cast<int>(gen() % 6);
  in.upper_age = in.retirement_age + static_cast<int>(gen() % 6);
  for (int x = in.retirement_age; x < in.upper_age; ++x) in.q_ret.push_back(gen() % 5 == 0 ? 0.0 : unit(gen));
  in.q_ret.push_back(1.0);
  for (std::size_t i = 0; i < persons; ++i) {
    in.group.push_back(static_cast<std::uint32_t>(gen() % groups));
    in.birth_year.push_back(2024 - 18 - static_cast<int>(gen() % 55));
    const int f = static_cast<int>(gen() % 4);
    in.fte.push_back(static_cast<std::uint8_t>(f == 0 ? 100 : (f == 1 ? 0 : 1 + gen() % 100)));
    in.gender.push_back(static_cast<std::uint8_t>(gen() % 2));
  }
  const Bands bands = default_age_bands();
  in.rate_band_lower = bands.lower;
  in.rate_band_labels = bands.labels;
  in.m_other = Eigen::MatrixXd(static_cast<Eigen::Index>(groups), static_cast<Eigen::Index>(bands.lower.size()));
  for (Eigen::Index k = 0; k < in.m_other.size(); ++k) in.m_other.data()[k] = gen() % 7 == 0 ? 0.0 : 0.4 * unit(gen);
  in.move = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(groups), static_cast<Eigen::Index>(groups));
  const bool identity = gen() % 4 == 0;
  for (Eigen::Index g = 0; g < in.move.rows(); ++g) {
    if (identity) {
      in.move(g, g) = 1.0;
      continue;
    }
    double sum = 0;
    for (Eigen::Index h = 0; h < in.move.cols(); ++h) {
      const double v = h == g ? 5.0 + 20 * unit(gen) : (gen() % 3 == 0 ? 0.0 : unit(gen));
      in.move(g, h) = v;
      sum += v;
    }
    for (Eigen::Index h = 0; h < in.move.cols(); ++h) in.move(g, h) /= sum;
    in.move(g, g) += (gen() % 3 == 0) ? -1e-10 : 0.0;  // rows a hair under 1: the last-positive fallback
  }
  in.pool_offset = {0};
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t size = gen() % 4;  // 0 = this group never recruits
    for (std::size_t k = 0; k < size; ++k) {
      in.pool_age.push_back(20 + static_cast<int>(gen() % 40));
      in.pool_fte.push_back(static_cast<std::uint8_t>(gen() % 2 == 0 ? 100 : gen() % 101));
    }
    in.pool_offset.push_back(static_cast<std::uint32_t>(in.pool_age.size()));
  }
  // Pools sorted by (age, fte) within each group.
  for (std::size_t g = 0; g < groups; ++g) {
    std::vector<std::pair<std::int32_t, std::uint8_t>> pool;
    for (std::uint32_t k = in.pool_offset[g]; k < in.pool_offset[g + 1]; ++k)
      pool.emplace_back(in.pool_age[k], in.pool_fte[k]);
    std::sort(pool.begin(), pool.end());
    for (std::size_t k = 0; k < pool.size(); ++k) {
      in.pool_age[in.pool_offset[g] + k] = pool[k].first;
      in.pool_fte[in.pool_offset[g] + k] = pool[k].second;
    }
  }
  for (std::size_t g = 0; g < groups; ++g) {
    in.target0.push_back(static_cast<double>(persons) / static_cast<double>(groups) * (0.5 + unit(gen)));
  }
  in.growth = gen() % 2 == 0 ? 0.0 : 0.05 * unit(gen) - 0.02;
  in.freeze_years = static_cast<int>(gen() % 3);
  in.part_time_share = gen() % 4 == 0 ? 0.0 : unit(gen);
  return in;
}

bool same_bytes(const RawSimulation& a, const RawSimulation& b) {
  return a.values.size() == b.values.size() &&
         std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(double)) == 0;
}

TEST(MicrosimSimd, EveryLevelGivesTheBytesOfTheFrozenScalarEngine) {
  std::mt19937_64 gen(20261201);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t persons = trial < 5 ? static_cast<std::size_t>(trial) : 1 + gen() % (trial % 4 == 0 ? 3000 : 700);
    const ProjectionInputs in = random_inputs(gen, persons);
    const std::uint64_t seed = gen(), first = trial % 5 == 0 ? gen() >> 1 : gen() % 100;
    const std::uint64_t replicates = 1 + gen() % 4;
    const RawSimulation expected = detail::frozen::reference_raw(in, seed, first, first + replicates);
    for (simd_level level : supported_levels()) {
      const RawSimulation raw = simulate_raw(in, seed, first, first + replicates, 1, nullptr, nullptr, level);
      ASSERT_TRUE(same_bytes(raw, expected)) << "trial " << trial << " level " << simd_name(level);
    }
    const RawSimulation two = simulate_raw(in, seed, first, first + replicates, 2);
    ASSERT_TRUE(same_bytes(two, expected)) << "trial " << trial << " two threads, automatic";
  }
}

TEST(MicrosimSimd, ForcedScalarByTheEnvironmentGivesTheSameBytes) {
  std::mt19937_64 gen(7);
  const ProjectionInputs in = random_inputs(gen, 2000);
  const RawSimulation best = simulate_raw(in, 3, 0, 3, 1);
  const char* saved = std::getenv("STAFFCAST_SIMD");
  const std::string restore = saved == nullptr ? "" : saved;
  ::setenv("STAFFCAST_SIMD", "0", 1);
  const RawSimulation scalar = simulate_raw(in, 3, 0, 3, 1);
  if (saved != nullptr) {
    ::setenv("STAFFCAST_SIMD", restore.c_str(), 1);
  } else {
    ::unsetenv("STAFFCAST_SIMD");
  }
  EXPECT_TRUE(same_bytes(best, scalar));
  EXPECT_TRUE(same_bytes(best, detail::frozen::reference_raw(in, 3, 0, 3)));
}

}  // namespace

namespace {

// Forces every replicate with fewer left than threads to be split across the threads, however few
// its persons (restored on scope exit).
struct SplitEveryReplicate {
  std::size_t saved = detail::sim_split_min_persons().exchange(0);
  ~SplitEveryReplicate() { detail::sim_split_min_persons() = saved; }
};

TEST(MicrosimSplit, OneTwoThreeThreadsAndOneToThreeReplicatesGiveTheFrozenBytes) {
  const SplitEveryReplicate split;
  std::mt19937_64 gen(20261202);
  for (int trial = 0; trial < 30; ++trial) {
    // Down to fewer persons than threads (parts of zero persons), and many recruits (targets above
    // the stock), so that the recruits' parts cut through groups.
    const std::size_t persons = trial < 4 ? static_cast<std::size_t>(trial) : 1 + gen() % (trial % 3 == 0 ? 4000 : 900);
    const ProjectionInputs in = random_inputs(gen, persons);
    const std::uint64_t seed = gen(), first = gen() % 50;
    for (std::uint64_t replicates = 1; replicates <= 3; ++replicates) {
      const RawSimulation expected = detail::frozen::reference_raw(in, seed, first, first + replicates);
      for (unsigned threads = 1; threads <= 3; ++threads) {
        const RawSimulation raw = simulate_raw(in, seed, first, first + replicates, threads);
        ASSERT_TRUE(same_bytes(raw, expected))
            << "trial " << trial << " replicates " << replicates << " threads " << threads;
      }
    }
  }
}

TEST(MicrosimSplit, SplitReplicatesCancelAndReportProgress) {
  const SplitEveryReplicate split;
  std::mt19937_64 gen(3);
  const ProjectionInputs in = random_inputs(gen, 2000);
  std::atomic<bool> cancel{true};
  std::atomic<std::uint64_t> progress{0};
  EXPECT_THROW(simulate_raw(in, 1, 0, 3, 2, &cancel, &progress), cancelled_error);
  EXPECT_EQ(progress.load(), 0U);
  cancel = false;
  simulate_raw(in, 1, 0, 3, 2, &cancel, &progress);  // one whole replicate per thread, then one split
  EXPECT_EQ(progress.load(), 3U);
}

// The move rows of one pass in storage order (both halves on two threads for a big matrix) against
// the row-by-row definitions, on sparse matrices with rows summing to about 1.
TEST(MoveRows, OnePassAgreesWithTheRowByRowDefinitions) {
  std::mt19937_64 gen(11);
  std::uniform_real_distribution<double> unit(0, 1);
  for (const std::size_t groups : {1, 2, 7, 9, 64, 1030}) {
    for (int variant = 0; variant < 3; ++variant) {
      Eigen::MatrixXd move =
          Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(groups), static_cast<Eigen::Index>(groups));
      for (std::size_t g = 0; g < groups; ++g) {
        const auto gi = static_cast<Eigen::Index>(g);
        if (variant == 0) {
          move(gi, gi) = 1.0;
          continue;
        }
        double sum = 0;
        for (int k = 0; k < 4; ++k) {
          const auto h = static_cast<Eigen::Index>(gen() % groups);
          move(gi, h) += unit(gen);
        }
        for (Eigen::Index h = 0; h < move.cols(); ++h) sum += move(gi, h);
        for (Eigen::Index h = 0; h < move.cols(); ++h) move(gi, h) /= sum;
        if (variant == 2 && g % 5 == 0) move(gi, gi) = 0.0;  // rows that never stay
      }
      for (unsigned threads : {1U, 2U}) {
        const detail::MoveRows rows = detail::scan_move_rows(move, threads);
        ASSERT_TRUE(rows.square);
        EXPECT_EQ(rows.identity, move == Eigen::MatrixXd::Identity(move.rows(), move.cols())) << groups;
        ASSERT_EQ(rows.offset.size(), groups + 1);
        for (std::size_t g = 0; g < groups; ++g) {
          double sum = 0;
          std::uint32_t last = 0;
          std::vector<std::uint32_t> to;
          std::vector<double> cumulative;
          for (std::size_t h = 0; h < groups; ++h) {
            const double v = move(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(h));
            sum += v;
            if (h + 1 == g) {
              EXPECT_EQ(rows.before_own[g], sum);
            }
            if (h == g) {
              EXPECT_EQ(rows.own[g], sum);
            }
            if (v > 0) {
              last = static_cast<std::uint32_t>(h);
              to.push_back(static_cast<std::uint32_t>(h));
              cumulative.push_back(sum);
            }
          }
          ASSERT_EQ(rows.sum[g], sum) << groups << " row " << g;
          ASSERT_EQ(rows.last_positive[g], last);
          ASSERT_TRUE(rows.entries_ok[g]);
          ASSERT_EQ(std::vector<std::uint32_t>(rows.to.begin() + rows.offset[g], rows.to.begin() + rows.offset[g + 1]),
                    to);
          ASSERT_EQ(std::vector<double>(rows.cumulative.begin() + rows.offset[g],
                                        rows.cumulative.begin() + rows.offset[g + 1]),
                    cumulative);
        }
      }
    }
  }
}

// The checks name the first bad row in row order, a bad entry before a bad sum, whatever the threads.
TEST(MoveRows, ChecksReportTheFirstBadRow) {
  std::mt19937_64 gen(5);
  for (const std::size_t groups : {3, 1030}) {
    ProjectionInputs in = random_inputs(gen, 10);
    in.group.assign(in.group.size(), 0);
    in.group_labels.clear();
    for (std::size_t g = 0; g < groups; ++g) in.group_labels.push_back({"G" + std::to_string(g)});
    in.m_other = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(groups), in.m_other.cols(), 0.1);
    in.pool_offset.assign(groups + 1, 0);
    in.pool_age.clear();
    in.pool_fte.clear();
    in.target0.assign(groups, 1.0);
    in.move = Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(groups), static_cast<Eigen::Index>(groups));
    EXPECT_NO_THROW(simulate_raw(in, 1, 0, 1, 2));
    const auto last = static_cast<Eigen::Index>(groups - 1);
    auto message = [&](unsigned threads) {
      try {
        simulate_raw(in, 1, 0, 1, threads);
      } catch (const argument_error& e) {
        return std::string(e.what());
      }
      return std::string("no error");
    };
    in.move(last, 0) = -0.25;  // the last row: a bad entry
    in.move(last, last) = 1.25;
    EXPECT_EQ(message(1), "move probabilities must be finite and >= 0");
    EXPECT_EQ(message(2), message(1));
    in.move(1, 0) = 0.5;  // an earlier row sums to 1.5: reported first
    const std::string sum = "row 1 of the move matrix sums to 1.500000, not 1 (moves are conditional on staying)";
    EXPECT_EQ(message(1), sum);
    EXPECT_EQ(message(2), sum);
    in.move(1, 1) = std::nan("");  // in the same row, the bad entry wins
    EXPECT_EQ(message(2), "move probabilities must be finite and >= 0");
    try {
      validate_projection_inputs(in);
      ADD_FAILURE() << "no error";
    } catch (const argument_error& e) {
      EXPECT_EQ(std::string(e.what()), "move probabilities must be finite and >= 0");
    }
  }
}

}  // namespace
