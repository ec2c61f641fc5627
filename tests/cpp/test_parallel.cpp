// The two-chunk (two-thread) scans give exactly the tables of one scan: same
// rows in the same order, bit-identical values. Exercised on a generated
// register by lowering the size from which scans are split.
#include <staffcast/generate.hpp>
#include <staffcast/retirement.hpp>
#include <staffcast/sick_leave_rates.hpp>
#include <staffcast/turnover.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>

using namespace staffcast;

namespace {

bool identical(const Table& a, const Table& b) {
  if (a.key_names != b.key_names || a.keys != b.keys || a.values.size() != b.values.size()) return false;
  for (std::size_t c = 0; c < a.values.size(); ++c) {
    const auto& x = a.values[c].values;
    const auto& y = b.values[c].values;
    if (x.size() != y.size()) return false;
    for (std::size_t r = 0; r < x.size(); ++r) {
      if (std::isnan(x[r]) != std::isnan(y[r])) return false;
      if (!std::isnan(x[r]) && std::memcmp(&x[r], &y[r], sizeof(double)) != 0) return false;
    }
  }
  return true;
}

}  // namespace

TEST(Parallel, TwoChunkScansEqualOneScan) {
  const auto dir = std::filesystem::temp_directory_path() / "staffcast_test_parallel";
  GenerateOptions options;
  options.persons = 3000;
  options.indicators = false;
  options.sick_leave = false;
  generate(dir.string(), options);
  auto read = try_read_register_csv((dir / "employments.csv").string());
  ASSERT_TRUE(read.register_);
  const Register& reg = *read.register_;
  Query plain;
  plain.by = GroupBy::parse(reg, {"department", "age_band", "gender"});
  Query permanent = plain;
  permanent.filter = Filter::parse(reg, {{"employment_form", {"permanent"}}});
  permanent.totals = true;
  const day_t as_of = to_day(2024, 9, 30), from = to_day(2023, 10, 1);
  const std::vector<std::function<Table()>> tables{
      [&] { return snapshot(reg, as_of, plain); },
      [&] { return full_time(reg, as_of, plain); },
      [&] {
        return retirement_outlook(reg, as_of, {2025, 2026, 2027}, 65, permanent);
      },
      [&] { return average_headcount(reg, from, as_of, permanent); },
      [&] { return turnover(reg, from, as_of, permanent); },
      [&] { return flows(reg, from, as_of, permanent); },
  };
  const std::size_t saved = detail::parallel_spells;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    detail::parallel_spells = static_cast<std::size_t>(-1);
    const Table one = tables[t]();
    detail::parallel_spells = 2;
    const Table two = tables[t]();
    detail::parallel_spells = saved;
    EXPECT_GT(one.rows(), 20U) << t;
    EXPECT_TRUE(identical(one, two)) << "table " << t;
  }
  std::filesystem::remove_all(dir);
}
