// Projection engine: person-years per second of the microsimulation (1 and 2
// threads; divide the 2-thread rate by 2 for per core; the default SIMD level
// and the forced scalar path) and of the cohort model, on the generated
// registers of 20,000 and 100,000 persons, by department x age_band x gender.
#include "bench_common.hpp"

#include <staffcast/detail/microsim.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/staffcast.hpp>

namespace {

using namespace staffcast;

ProjectionInputs make_inputs(std::size_t persons, bool department_only) {
  const Register& reg = bench::loaded(persons).reg;
  ProjectionOptions options;
  options.years = 10;
  Query query = bench::plan_query(reg, false);
  if (department_only) query.by = GroupBy::parse(reg, {"department"});
  return estimate_projection_inputs(reg, bench::as_of(), query, options);
}

// The plan's department x age_band x gender, or department alone (as benchmarks/compare_microsim.py).
const ProjectionInputs& projection_inputs(std::size_t persons = 20000, bool department_only = false) {
  static std::map<std::pair<std::size_t, bool>, ProjectionInputs> cache;
  auto it = cache.find({persons, department_only});
  if (it == cache.end())
    it = cache.emplace(std::make_pair(persons, department_only), make_inputs(persons, department_only)).first;
  return it->second;
}

// The person-years simulated: the stock at the start of each year, summed.
double person_years(const RawSimulation& raw) {
  double sum = 0;
  for (std::size_t r = 0; r < raw.replicates; ++r) {
    for (std::size_t y = 0; y < raw.years; ++y) {
      for (std::size_t g = 0; g < raw.output_groups; ++g) sum += raw.at(r, y, g, m_start);
    }
  }
  return sum;
}

// Arguments: persons, threads, the SIMD level (-1 = automatic, 0 = scalar) and the grouping (0 = the
// plan's department x age_band x gender, 1 = department).
void BM_simulate_raw(benchmark::State& state) {
  const ProjectionInputs& in = projection_inputs(static_cast<std::size_t>(state.range(0)), state.range(3) == 1);
  const auto threads = static_cast<unsigned>(state.range(1));
  const auto simd = static_cast<simd_level>(state.range(2));
  const std::uint64_t replicates = 4;
  double done = 0;
  std::uint64_t first = 0;
  for (auto _ : state) {
    const RawSimulation raw = simulate_raw(in, 1, first, first + replicates, threads, nullptr, nullptr, simd);
    done += person_years(raw);
    first += replicates;
    benchmark::DoNotOptimize(raw.values.data());
  }
  state.counters["person_years_per_s"] = benchmark::Counter(done, benchmark::Counter::kIsRate);
  state.counters["person_years_per_s_per_core"] =
      benchmark::Counter(done / static_cast<double>(threads), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_simulate_raw)
    ->ArgNames({"persons", "threads", "simd", "department"})
    ->Args({20000, 1, -1, 0})
    ->Args({20000, 2, -1, 0})
    ->Args({100000, 1, -1, 0})
    ->Args({100000, 2, -1, 0})
    ->Args({20000, 1, 0, 0})
    ->Args({100000, 1, 0, 0})
    ->Args({20000, 1, -1, 1})
    ->Args({100000, 1, -1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The batched Philox alone: words of 4,096 counters per call, per kernel (0 scalar, 1 AVX2, 2 AVX-512;
// skipped where the CPU lacks it).
void BM_philox_block(benchmark::State& state) {
  const auto level = static_cast<simd_level>(state.range(0));
  if (simd_resolve(level) != level) {
    state.SkipWithError("not supported by this CPU");
    return;
  }
  constexpr std::size_t n = 4096;
  std::vector<std::uint32_t> ids(n), w0(n), w1(n), w2(n), w3(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = static_cast<std::uint32_t>(3 * i);
  const detail::PhiloxRoundKeys keys(philox_key_of_seed(1));
  std::uint32_t year = 0;
  for (auto _ : state) {
    detail::philox_block(level, keys, ++year, 7, ids.data(), n, w0.data(), w1.data(), w2.data(), w3.data());
    benchmark::DoNotOptimize(w0.data());
    benchmark::ClobberMemory();
  }
  state.counters["counters_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_philox_block)->ArgName("simd")->Arg(0)->Arg(1)->Arg(2);

void BM_cohort(benchmark::State& state) {
  const ProjectionInputs& in = projection_inputs();
  double done = 0;
  for (auto _ : state) {
    const ProjectionResult r = cohort_projection(in);
    for (std::size_t y = 0; y < r.years; ++y) {
      for (std::size_t g = 0; g < r.output_groups; ++g) done += r.at(y, g, m_start);
    }
    benchmark::DoNotOptimize(r.values.data());
  }
  state.counters["person_years_per_s"] = benchmark::Counter(done, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_cohort)->Unit(benchmark::kMillisecond);

}  // namespace
