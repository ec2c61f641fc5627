// Optimised workforce plans: building and solving the linear program of a
// plan with 30 categories over 10 periods (docs/plans.md), with recruitment
// caps, redundancy, short time, overstaffing with a total cap, shortfall, and
// two moves out of each category (one capped, one with a share of the target's
// stock). The plan is generated here with fixed numbers. And a plan filled in
// from a generated register (stocks, wastage, retirements, demand) over 10
// years, grouped by department and position, from reading the register to the
// solved plan.
#include "bench_common.hpp"

#include <staffcast/io/plan_file.hpp>
#include <staffcast/plan/optimise.hpp>
#include <staffcast/plan/plan_from_register.hpp>

#include <benchmark/benchmark.h>

#include <string>

namespace {

using namespace staffcast;

WorkforcePlan plan_30x10() {
  WorkforcePlan plan;
  plan.periods = 10;
  plan.overstaffing_max_total = 200;
  const int categories = 30;
  for (int c = 0; c < categories; ++c) {
    PlanCategory cat;
    cat.name = "category " + std::to_string(c + 1);
    cat.initial = 500.0 + 37.0 * c;
    for (int t = 0; t < plan.periods; ++t) cat.demand.push_back(cat.initial * (1.0 + 0.01 * ((c % 7) - 3) * (t + 1)));
    cat.wastage_new = 0.15 + 0.005 * (c % 5);
    cat.wastage = {0.05 + 0.002 * (c % 11)};
    cat.recruit_max = {60.0 + 5.0 * (c % 13)};
    cat.recruit_cost = 1000.0 + 50.0 * c;
    cat.redundancy_cost = 5000.0;
    cat.overstaffing_cost = 2000.0 + 10.0 * c;
    cat.short_time_max = 20.0;
    cat.short_time_cost = 800.0;
    cat.short_time_output = 0.5;
    cat.shortfall_cost = 20000.0;
    plan.categories.push_back(cat);
  }
  for (int c = 0; c < categories; ++c) {
    PlanMove up;
    up.from = plan.categories[static_cast<std::size_t>(c)].name;
    up.to = plan.categories[static_cast<std::size_t>((c + 1) % categories)].name;
    up.max = {25.0};
    up.cost = 600.0;
    plan.moves.push_back(up);
    PlanMove across;
    across.from = up.from;
    across.to = plan.categories[static_cast<std::size_t>((c + 7) % categories)].name;
    across.max_share_of_target = 0.05;
    across.cost = 900.0;
    across.arrive = 0.9;
    plan.moves.push_back(across);
  }
  return plan;
}

void BM_OptimisePlan30x10(benchmark::State& state) {
  const WorkforcePlan plan = plan_30x10();
  for (auto _ : state) {
    PlanResult result = optimise_plan(plan);
    benchmark::DoNotOptimize(result);
  }
  state.counters["rows"] = static_cast<double>(optimise_plan(plan).table.rows());
}
BENCHMARK(BM_OptimisePlan30x10)->Unit(benchmark::kMillisecond);

// The register is read once (bench_common.hpp); each iteration fills the plan in
// from it (snapshot, separation rates, probabilistic retirement outlook per
// group and year) and solves it.
void BM_OptimisePlanFromRegister(benchmark::State& state) {
  const Register& reg = bench::loaded(static_cast<std::size_t>(state.range(0))).reg;
  const WorkforcePlan plan =
      parse_plan_toml("objective = \"cost\"\nperiods = 10\n[register]\nby = \"position\"\n", "bench.toml");
  std::size_t categories = 0;
  for (auto _ : state) {
    const WorkforcePlan filled = plan_from_register(plan, reg, bench::as_of());
    PlanResult result = optimise_plan(filled);
    categories = filled.categories.size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["categories"] = static_cast<double>(categories);
  state.counters["periods"] = 10;
}
BENCHMARK(BM_OptimisePlanFromRegister)->Arg(100000)->Arg(1300000)->Unit(benchmark::kMillisecond);

}  // namespace
