// Google Benchmark: date parsing and CSV ingest with full validation
// (the register, then the sick-leave records checked against it).
#include "bench_common.hpp"

#include <staffcast/calendar.hpp>

#include <filesystem>

namespace {

using namespace staffcast;

void BM_parse_iso_date(benchmark::State& state) {
  const char* dates[] = {"2024-09-30", "1961-02-28", "2000-02-29", "2199-12-31"};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(staffcast::parse_iso_date(dates[i++ & 3U]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_parse_iso_date);

void BM_ingest_register(benchmark::State& state) {
  const auto dir = bench::generated_dir(static_cast<std::size_t>(state.range(0)));
  const std::string text = bench::slurp(dir / "employments.csv");
  std::size_t spells = 0;
  for (auto _ : state) {
    auto result = staffcast::try_read_register_text(text);
    if (!result.register_) {
      state.SkipWithError("the generated register does not validate");
      return;
    }
    spells = result.register_->size();
    benchmark::DoNotOptimize(result.register_);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * spells));
}
BENCHMARK(BM_ingest_register)->Apply(bench::sizes);

void BM_ingest_sick_leave(benchmark::State& state) {
  const auto persons = static_cast<std::size_t>(state.range(0));
  const auto dir = bench::generated_dir(persons);
  const std::string text = bench::slurp(dir / "sick_leave.csv");
  const Register& reg = bench::loaded(persons).reg;
  std::size_t records = 0;
  for (auto _ : state) {
    auto result = staffcast::try_read_sick_leave_text(text, {}, &reg);
    if (!result.sick_leave) {
      state.SkipWithError("the generated sick leave does not validate");
      return;
    }
    records = result.sick_leave->size();
    benchmark::DoNotOptimize(result.sick_leave);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
}
BENCHMARK(BM_ingest_sick_leave)->Apply(bench::sizes);

// The file paths, as Python reads. Inputs of 1 MiB or more are read in two
// parts, each parsed and validated on its own thread (detail::TwoPartRead);
// the text benchmarks above do the same. Set STAFFCAST_THREADS=1 to compare
// with one thread.
void BM_ingest_register_file(benchmark::State& state) {
  const auto dir = bench::generated_dir(static_cast<std::size_t>(state.range(0)));
  const auto path = (dir / "employments.csv").string();
  const auto bytes = std::filesystem::file_size(path);
  for (auto _ : state) {
    auto result = staffcast::try_read_register_csv(path);
    if (!result.register_) {
      state.SkipWithError("the generated register does not validate");
      return;
    }
    benchmark::DoNotOptimize(result.register_);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ingest_register_file)->Apply(bench::sizes)->UseRealTime();

void BM_ingest_sick_leave_file(benchmark::State& state) {
  const auto persons = static_cast<std::size_t>(state.range(0));
  const auto path = (bench::generated_dir(persons) / "sick_leave.csv").string();
  const auto bytes = std::filesystem::file_size(path);
  const Register& reg = bench::loaded(persons).reg;
  for (auto _ : state) {
    auto result = staffcast::try_read_sick_leave_csv(path, {}, &reg);
    if (!result.sick_leave) {
      state.SkipWithError("the generated sick leave does not validate");
      return;
    }
    benchmark::DoNotOptimize(result.sick_leave);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ingest_sick_leave_file)->Apply(bench::sizes)->UseRealTime();

}  // namespace
