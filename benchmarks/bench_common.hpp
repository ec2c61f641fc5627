// Shared fixtures of the Google Benchmark suite: generated registers cached on
// disk (one directory per size under the temp dir) and in memory (one loaded
// Register and SickLeave per size), and the plan's query (department x age
// band x gender, docs/metrics.md).
#pragma once

#include <staffcast/generate/generate.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/register/register.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

namespace staffcast::bench {

/// The dates of the plan: as-of the extraction date, a rolling 12-month window before it.
inline day_t as_of() { return to_day(2024, 9, 30); }
inline day_t period_from() { return to_day(2023, 10, 1); }
inline day_t period_to() { return to_day(2024, 9, 30); }

/// Directory holding employments.csv and sick_leave.csv for `persons` (generated once, seed 1).
inline std::filesystem::path generated_dir(std::size_t persons) {
  const auto dir = std::filesystem::temp_directory_path() / ("staffcast-bench-v2-" + std::to_string(persons));
  if (!std::filesystem::exists(dir / "employments.csv") || !std::filesystem::exists(dir / "sick_leave.csv")) {
    GenerateOptions options;
    options.persons = persons;
    options.years = 10;
    options.seed = 1;
    options.sick_leave = true;
    options.indicators = false;
    generate(dir.string(), options);
  }
  return dir;
}

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The register and sick leave of `persons`, read and validated once per process.
struct Loaded {
  Register reg;
  SickLeave sick;
};

inline const Loaded& loaded(std::size_t persons) {
  static std::map<std::size_t, std::unique_ptr<Loaded>> cache;
  auto& slot = cache[persons];
  if (!slot) {
    const auto dir = generated_dir(persons);
    auto reg = try_read_register_csv((dir / "employments.csv").string());
    if (!reg.register_) throw std::runtime_error("generated register does not validate");
    slot = std::make_unique<Loaded>();
    slot->reg = std::move(*reg.register_);
    auto sick = try_read_sick_leave_csv((dir / "sick_leave.csv").string(), {}, &slot->reg);
    if (!sick.sick_leave) throw std::runtime_error("generated sick leave does not validate");
    slot->sick = std::move(*sick.sick_leave);
  }
  return *slot;
}

/// department x age_band x gender, optionally only permanent spells.
inline Query plan_query(const Register& reg, bool permanent_only) {
  Query q;
  q.by = GroupBy::parse(reg, {"department", "age_band", "gender"});
  if (permanent_only) q.filter = Filter::parse(reg, {{"employment_form", {"permanent"}}});
  return q;
}

/// Counters every statistic benchmark reports: spells per second.
inline void set_spell_rate(benchmark::State& state, const Register& reg) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * reg.size()));
  state.counters["spells"] = static_cast<double>(reg.size());
}

/// Register sizes (persons employed on the extraction date) every table runs at:
/// BENCHMARK(BM_x)->Apply(bench::sizes).
inline void sizes(benchmark::internal::Benchmark* b) { b->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond); }

}  // namespace staffcast::bench
