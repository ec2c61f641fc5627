// Google Benchmark: the plan's tables (docs/metrics.md) by department x age band x
// gender on a generated register (10 years of history, seed 1), with the same
// dates and filters as benchmarks/compare.py.
#include "bench_common.hpp"

#include <staffcast/stats/flows.hpp>
#include <staffcast/stats/retirement.hpp>
#include <staffcast/stats/sick_leave_rates.hpp>
#include <staffcast/stats/snapshot.hpp>
#include <staffcast/stats/turnover.hpp>

namespace {

using namespace staffcast;

void BM_snapshot(benchmark::State& state) {
  const Register& reg = bench::loaded(static_cast<std::size_t>(state.range(0))).reg;
  const Query q = bench::plan_query(reg, false);
  for (auto _ : state) benchmark::DoNotOptimize(snapshot(reg, bench::as_of(), q));
  bench::set_spell_rate(state, reg);
}
BENCHMARK(BM_snapshot)->Apply(bench::sizes);

// The same without grouping: the cost of finding each person's main spell alone.
void BM_snapshot_ungrouped(benchmark::State& state) {
  const Register& reg = bench::loaded(static_cast<std::size_t>(state.range(0))).reg;
  const Query q;
  for (auto _ : state) benchmark::DoNotOptimize(snapshot(reg, bench::as_of(), q));
  bench::set_spell_rate(state, reg);
}
BENCHMARK(BM_snapshot_ungrouped)->Apply(bench::sizes);

void BM_full_time(benchmark::State& state) {
  const Register& reg = bench::loaded(static_cast<std::size_t>(state.range(0))).reg;
  const Query q = bench::plan_query(reg, false);
  for (auto _ : state) benchmark::DoNotOptimize(full_time(reg, bench::as_of(), q));
  bench::set_spell_rate(state, reg);
}
BENCHMARK(BM_full_time)->Apply(bench::sizes);

// Permanent staff, as the plan reports recruitments and departures.
void BM_flows(benchmark::State& state) {
  const Register& reg = bench::loaded(static_cast<std::size_t>(state.range(0))).reg;
  const Query q = bench::plan_query(reg, true);
  for (auto _ : state) benchmark::DoNotOptimize(flows(reg, bench::period_from(), bench::period_to(), q));
  bench::set_spell_rate(state, reg);
}
BENCHMARK(BM_flows)->Apply(bench::sizes);

// Exact daily average headcount, split at birthdays (age_band is grouped on).
void BM_average_headcount(benchmark::State& state) {
  const Register& reg = bench::loaded(static_cast<std::size_t>(state.range(0))).reg;
  const Query q = bench::plan_query(reg, true);
  for (auto _ : state) {
    benchmark::DoNotOptimize(average_headcount(reg, bench::period_from(), bench::period_to(), q));
  }
  bench::set_spell_rate(state, reg);
}
BENCHMARK(BM_average_headcount)->Apply(bench::sizes);

void BM_turnover(benchmark::State& state) {
  const Register& reg = bench::loaded(static_cast<std::size_t>(state.range(0))).reg;
  const Query q = bench::plan_query(reg, true);
  for (auto _ : state) benchmark::DoNotOptimize(turnover(reg, bench::period_from(), bench::period_to(), q));
  bench::set_spell_rate(state, reg);
}
BENCHMARK(BM_turnover)->Apply(bench::sizes);

void BM_sick_leave_rates(benchmark::State& state) {
  const auto& data = bench::loaded(static_cast<std::size_t>(state.range(0)));
  const Query q = bench::plan_query(data.reg, false);
  SickLeaveRateOptions options;
  options.disclosure_control = false;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        sick_leave_rates(data.reg, data.sick, bench::period_from(), bench::period_to(), q, options));
  }
  bench::set_spell_rate(state, data.reg);
  state.counters["sick_records"] = static_cast<double>(data.sick.size());
}
BENCHMARK(BM_sick_leave_rates)->Apply(bench::sizes);

void BM_retirement_outlook(benchmark::State& state) {
  const Register& reg = bench::loaded(static_cast<std::size_t>(state.range(0))).reg;
  const Query q = bench::plan_query(reg, true);
  const std::vector<int> years{2025, 2026, 2027};
  for (auto _ : state) benchmark::DoNotOptimize(retirement_outlook(reg, bench::as_of(), years, 65, q));
  bench::set_spell_rate(state, reg);
}
BENCHMARK(BM_retirement_outlook)->Apply(bench::sizes);

}  // namespace

BENCHMARK_MAIN();
