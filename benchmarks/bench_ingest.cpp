// Google Benchmark: date parsing and register ingest with full validation.
#include <benchmark/benchmark.h>

#include <staffcast/generate.hpp>
#include <staffcast/register.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

void BM_parse_iso_date(benchmark::State& state) {
  const char* dates[] = {"2024-09-30", "1961-02-28", "2000-02-29", "2199-12-31"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(staffcast::parse_iso_date(dates[i++ & 3U]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_parse_iso_date);

std::string generated_register(std::size_t persons) {
  const auto dir = std::filesystem::temp_directory_path() / ("staffcast-bench-" + std::to_string(persons));
  staffcast::GenerateOptions options;
  options.persons = persons;
  options.sick_leave = false;
  options.indicators = false;
  if (!std::filesystem::exists(dir / "employments.csv")) staffcast::generate(dir.string(), options);
  std::ifstream in(dir / "employments.csv", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void BM_ingest_register(benchmark::State& state) {
  const std::string text = generated_register(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto result = staffcast::try_read_register_text(text);
    benchmark::DoNotOptimize(result.register_);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ingest_register)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
