// Google Benchmark: the primitives the table profiles spend their time in,
// each beside the cheaper alternative a fix would use (benchmarks/README.md,
// "Profile"). Nothing here is staffcast API; the alternatives are written out
// so that the gain of each suggested change can be measured before making it.
#include "bench_common.hpp"

#include <staffcast/calendar.hpp>
#include <staffcast/detail/group_sums.hpp>
#include <staffcast/generate/detail/random.hpp>
#include <staffcast/generate/generate.hpp>
#include <staffcast/register/groups.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <numeric>
#include <vector>

namespace {

using namespace staffcast;
using greg_calendar = boost::gregorian::gregorian_calendar;

std::vector<day_t> some_days(std::size_t n) {
  std::vector<day_t> days(n);
  detail::gen::Xoshiro256 rng(1, 2, 3);
  for (auto& d : days) d = static_cast<day_t>(rng.between(to_day(1940, 1, 1), to_day(2030, 12, 31)));
  return days;
}

// Boost.Date_Time's from_day_number, which to_ymd used before (every age_on calls to_ymd twice).
void BM_to_ymd_boost(benchmark::State& state) {
  const auto days = some_days(1 << 16);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        greg_calendar::from_day_number(static_cast<greg_calendar::date_int_type>(days[i++ & 0xFFFF] + 2440588)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_to_ymd_boost);

// The same conversion with H. Hinnant's integer algorithm (civil_from_days).
constexpr ymd hinnant_civil_from_days(day_t z) noexcept {
  const std::int64_t zz = static_cast<std::int64_t>(z) + 719468;
  const std::int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
  const auto doe = static_cast<unsigned>(zz - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int y = static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d};
}

void BM_to_ymd_civil(benchmark::State& state) {
  const auto days = some_days(1 << 16);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(hinnant_civil_from_days(days[i++ & 0xFFFF]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_to_ymd_civil);

void BM_age_on(benchmark::State& state) {
  const auto births = some_days(1 << 16);
  const day_t on = bench::as_of();
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(age_on(births[i++ & 0xFFFF], on));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_age_on);

// Age with the as-of date's (year, month*100+day) computed once and the birth's precomputed per spell,
// as a register column or a per-query cache could hold it.
void BM_age_on_precomputed(benchmark::State& state) {
  const auto days = some_days(1 << 16);
  std::vector<int> birth_year(days.size()), birth_md(days.size());
  for (std::size_t k = 0; k < days.size(); ++k) {
    const auto d = hinnant_civil_from_days(days[k]);
    birth_year[k] = d.year;
    birth_md[k] = static_cast<int>(d.month * 100 + d.day);
  }
  const auto on = hinnant_civil_from_days(bench::as_of());
  const int on_md = static_cast<int>(on.month * 100 + on.day);
  const bool leap = (on.year % 4 == 0 && on.year % 100 != 0) || on.year % 400 == 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t k = i++ & 0xFFFF;
    const int md = (!leap && birth_md[k] == 229) ? 228 : birth_md[k];
    benchmark::DoNotOptimize(on.year - birth_year[k] - (on_md < md ? 1 : 0));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_age_on_precomputed);

// What the kernels now do on a fixed day (snapshot, full time, retirement outlook):
// the per-day table of latest birth dates, no date conversion per spell.
void BM_age_on_day_table(benchmark::State& state) {
  const auto days = some_days(1 << 16);
  const detail::AgeOnDay ages(bench::as_of());
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(ages.age(days[i++ & 0xFFFF]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_age_on_day_table);

// to_ymd as it is now (Neri-Schneider, with the range check).
void BM_to_ymd_staffcast(benchmark::State& state) {
  const auto days = some_days(1 << 16);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(to_ymd(days[i++ & 0xFFFF]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_to_ymd_staffcast);

// GroupSums::row is an unordered_map lookup per call; the plan's key space
// (departments x 8 age bands x 4 genders) is small enough for a dense array.
void BM_group_sums_row_hash(benchmark::State& state) {
  const std::size_t groups = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint64_t> keys(1 << 16);
  detail::gen::Xoshiro256 rng(4, 5, 6);
  for (auto& k : keys) k = rng.below(groups);
  detail::GroupSums sums(3);
  std::size_t i = 0;
  for (auto _ : state) sums.row(keys[i++ & 0xFFFF])[0] += 1;
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_group_sums_row_hash)->Arg(20000);

void BM_group_sums_row_dense(benchmark::State& state) {
  const std::size_t groups = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint64_t> keys(1 << 16);
  detail::gen::Xoshiro256 rng(4, 5, 6);
  for (auto& k : keys) k = rng.below(groups);
  std::vector<double> sums(groups * 3, 0.0);
  std::size_t i = 0;
  for (auto _ : state) sums[keys[i++ & 0xFFFF] * 3] += 1;
  benchmark::DoNotOptimize(sums.data());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_group_sums_row_dense)->Arg(20000);

// sick_leave_rates maps every sick-leave person key to a register person by
// binary search over strings on each call (read_sick_leave does it per record).
void BM_sick_ids_binary_search(benchmark::State& state) {
  const auto& data = bench::loaded(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::size_t found = 0;
    for (std::size_t k = 0; k < data.sick.ids.size(); ++k) found += data.reg.ids().find(data.sick.ids[k]) ? 1 : 0;
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * data.sick.ids.size()));
}
BENCHMARK(BM_sick_ids_binary_search)->Apply(bench::sizes);

// Both dictionaries are sorted by code point: one merge pass maps them.
void BM_sick_ids_merge(benchmark::State& state) {
  const auto& data = bench::loaded(static_cast<std::size_t>(state.range(0)));
  const Dictionary& reg_ids = data.reg.ids();
  const std::size_t persons = data.reg.persons();
  std::vector<std::uint32_t> person_of(data.sick.ids.size());
  for (auto _ : state) {
    std::size_t r = 0;
    for (std::size_t k = 0; k < data.sick.ids.size(); ++k) {
      const std::string_view id = data.sick.ids[k];
      while (r < persons && reg_ids[r] < id) ++r;
      person_of[k] = (r < persons && reg_ids[r] == id) ? static_cast<std::uint32_t>(r) : no_code;
    }
    benchmark::DoNotOptimize(person_of.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * data.sick.ids.size()));
}
BENCHMARK(BM_sick_ids_merge)->Apply(bench::sizes);

}  // namespace
