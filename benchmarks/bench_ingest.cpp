// Google Benchmark: date parsing and CSV ingest with full validation
// (the register, then the sick-leave records checked against it).
#include "bench_common.hpp"

#include <staffcast/calendar.hpp>
#include <staffcast/date_format.hpp>
#include <staffcast/detail/arrow_c.hpp>
#include <staffcast/detail/field_parse.hpp>
#include <staffcast/detail/structural_scan.hpp>
#include <staffcast/io/saved_register.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

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

// The structural scan alone (every separator, line feed, quote and non-ASCII
// byte of the register's CSV listed), per kernel, in the reader's 256 KiB
// windows: bytes per second of CSV. Arg: 0 scalar, 1 SSE4.2, 2 AVX2, 3 AVX-512.
void BM_structural_scan(benchmark::State& state) {
  const auto level = static_cast<detail::ScanLevel>(state.range(0));
  state.SetLabel(detail::scan_level_name(level));
  if (!detail::scan_level_supported(level)) {
    state.SkipWithError("this CPU does not have the kernel's instructions");
    return;
  }
  const std::string text = bench::slurp(bench::generated_dir(100000) / "employments.csv");
  detail::StructuralIndex index(',', level);
  constexpr std::size_t window = std::size_t{1} << 18;
  std::size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (std::size_t at = 0; at < text.size(); at += window) {
      found += index.scan(text.data() + at, std::min(window, text.size() - at));
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["structurals_per_byte"] = static_cast<double>(found) / static_cast<double>(text.size());
}
BENCHMARK(BM_structural_scan)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

// A column of a million dates parsed as the readers parse them (the inline
// fast path where the layout has one, else the layout's general parser):
// bytes per second of date text. Arg: 0 %Y-%m-%d, 1 %Y%m%d, 2 %d/%m/%Y,
// 3 %m/%d/%y (century pivot 1930).
void BM_parse_dates(benchmark::State& state) {
  static const char* const patterns[] = {"%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%m/%d/%y"};
  const auto which = static_cast<std::size_t>(state.range(0));
  const DateFormat format = which == 3 ? DateFormat({patterns[3]}, 1930) : require_date_format(patterns[which]);
  state.SetLabel(patterns[which]);
  std::vector<std::string> texts;
  std::size_t bytes = 0;
  std::uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 1000000; ++i) {
    x ^= x << 13U;
    x ^= x >> 7U;
    x ^= x << 17U;
    const int year = 1931 + static_cast<int>(x % 90);
    const unsigned month = 1 + static_cast<unsigned>((x >> 8U) % 12);
    const unsigned day = 1 + static_cast<unsigned>((x >> 16U) % 28);
    char text[16];
    switch (which) {
      case 0:
        std::snprintf(text, sizeof text, "%04d-%02u-%02u", year, month, day);
        break;
      case 1:
        std::snprintf(text, sizeof text, "%04d%02u%02u", year, month, day);
        break;
      case 2:
        std::snprintf(text, sizeof text, "%02u/%02u/%04d", day, month, year);
        break;
      default:
        std::snprintf(text, sizeof text, "%u/%u/%02d", month, day, year % 100);
    }
    texts.emplace_back(text);
    bytes += texts.back().size();
  }
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (const std::string& text : texts) {
      day_t day = 0;
      if (!detail::parse_day_to(text, format, day)) {
        state.SkipWithError("a generated date did not parse");
        return;
      }
      sum += day;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * texts.size()));
}
BENCHMARK(BM_parse_dates)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

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

// A saved register opened again: the batch export_saved_register made (owned,
// as pyarrow's import of a mapped file hands it over) checked and built into a
// Register by register_from_arrow; the export is outside the timing. Items are
// spells; bytes the fixed-width columns' bytes.
void BM_load_saved_register(benchmark::State& state) {
  const Register& reg = bench::loaded(static_cast<std::size_t>(state.range(0))).reg;
  for (auto _ : state) {
    state.PauseTiming();
    ArrowArray batch{};
    ArrowSchema schema{};
    export_saved_register(reg, "bench", &batch, &schema);
    state.ResumeTiming();
    Register loaded = register_from_arrow(&batch, &schema);
    benchmark::DoNotOptimize(loaded);
    state.PauseTiming();
    { Register gone = std::move(loaded); }  // freeing is not loading
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * reg.size()));
}
BENCHMARK(BM_load_saved_register)->Apply(bench::sizes)->UseRealTime();

}  // namespace
