// The chunked (threaded) scans give exactly the tables of one scan: same
// rows in the same order, bit-identical values. Exercised on a generated
// register by lowering the size from which scans are split.
#include <staffcast/detail/group_sums.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/generate/generate.hpp>
#include <staffcast/staffcast.hpp>
#include <staffcast/stats/retirement.hpp>
#include <staffcast/stats/sick_leave_rates.hpp>
#include <staffcast/stats/turnover.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace staffcast;

namespace {

/// A generated register of 400 persons without sick leave, read back; `name`
/// is the test's own temporary directory (ctest runs tests side by side).
Register small_register(const char* name) {
  GenerateOptions options;
  options.persons = 400;
  options.indicators = false;
  options.sick_leave = false;
  const auto dir = std::filesystem::temp_directory_path() / name;
  generate(dir.string(), options);
  auto read = try_read_register_csv((dir / "employments.csv").string());
  std::filesystem::remove_all(dir);
  if (!read.register_) throw std::runtime_error("the generated register does not validate");
  return std::move(*read.register_);
}

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
  options.sick_leave = true;
  generate(dir.string(), options);
  auto read = try_read_register_csv((dir / "employments.csv").string());
  ASSERT_TRUE(read.register_);
  const Register& reg = *read.register_;
  auto sick_read = try_read_sick_leave_csv((dir / "sick_leave.csv").string(), {}, &reg);
  ASSERT_TRUE(sick_read.sick_leave);
  const SickLeave& sick = *sick_read.sick_leave;
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
      [&] { return sick_leave_rates(reg, sick, from, as_of, plain); },
      [&] {
        Query by_tenure = plain;
        by_tenure.by = GroupBy::parse(reg, {"tenure_band", "fte_band"});
        return sick_leave_rates(reg, sick, from, as_of, by_tenure);
      },
  };
  const std::size_t saved = detail::parallel_spells;
  const unsigned saved_threads = detail::scan_threads;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    detail::parallel_spells = static_cast<std::size_t>(-1);
    const Table one = tables[t]();
    EXPECT_GT(one.rows(), 10U) << t;
    detail::parallel_spells = 2;
    for (const unsigned threads : {1U, 2U, 3U}) {  // 3: more threads than this machine may have cores
      detail::scan_threads = threads;
      const Table chunked = tables[t]();
      EXPECT_TRUE(identical(one, chunked)) << "table " << t << ", " << threads << " threads";
    }
    detail::parallel_spells = saved;
    detail::scan_threads = saved_threads;
  }
  std::filesystem::remove_all(dir);
}

// Rows held directly are listed in label order either by walking the key
// space (many rows) or by sorting (few rows), and two direct halves merge
// by their bits: all three give the rows and sums of a hash map.
TEST(Parallel, GroupSumsDirectListingAndMergeAgree) {
  const Register reg = small_register("staffcast_test_group_sums_listing");
  // gender first: its codes are not in label order, so the walk must reorder them.
  const GroupBy by = GroupBy::parse(reg, {"gender", "department", "age_band"});
  const GroupKeys keys(reg, by);
  const auto space = static_cast<std::uint64_t>(keys.groups());
  for (const std::uint64_t additions : {std::uint64_t{3}, space * 4}) {
    detail::GroupSums first(2, keys), second(2, keys), hashed(2);
    std::uint64_t state = 99 + additions;
    auto next = [&] {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return state >> 11;
    };
    const auto& radix = keys.cardinalities();  // each dimension's codes + "missing"
    for (std::uint64_t n = 0; n < additions; ++n) {
      // Keys the kernels make: no "missing" code (gender, department, age band: none has a label).
      const std::uint64_t key =
          ((next() % (radix[0] - 1)) * radix[1] + next() % (radix[1] - 1)) * radix[2] + next() % (radix[2] - 1);
      const std::size_t column = next() % 2;
      const auto value = static_cast<double>(next() % 1000);  // whole numbers: any order is exact
      (n % 2 == 0 ? first : second).add_later(key, column, value);
      hashed.add_later(key, column, value);
    }
    first.add(second);
    first.sort_by_labels(keys);
    hashed.sort_by_labels(keys);
    ASSERT_EQ(first.size(), hashed.size());
    EXPECT_EQ(first.size() * 16 >= space, additions > 3);  // the walk for many rows, the sort for few
    for (std::size_t r = 0; r < first.size(); ++r) {
      ASSERT_EQ(first.key(r), hashed.key(r)) << "row " << r;
      EXPECT_EQ(first.sums(r)[0], hashed.sums(r)[0]);
      EXPECT_EQ(first.sums(r)[1], hashed.sums(r)[1]);
    }
    const Table a = first.labelled(keys);
    Table b = a;
    b.sort_rows();  // labelled rows are in label order already
    EXPECT_EQ(a.keys, b.keys);
  }
}

// GroupSums gives the same rows, in the same order, with bit-identical sums,
// whether it holds every key's row directly, finds rows through a hash map,
// and whether additions are queued (add_later) or made at once (row).
TEST(Parallel, GroupSumsModesAgree) {
  const Register reg = small_register("staffcast_test_group_sums");
  const GroupBy by = GroupBy::parse(reg, {"department", "age_band", "gender"});
  const GroupKeys keys(reg, by);
  constexpr std::size_t columns = 3;
  detail::GroupSums direct(columns, keys), hashed(columns), at_once(columns, keys);
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
  };
  const auto space = static_cast<std::uint64_t>(keys.groups());
  for (int n = 0; n < 20000; ++n) {
    const std::uint64_t key = next() % space;
    const std::size_t column = next() % columns;
    const double value = static_cast<double>(next() % 1000) / 7.0;  // not exact: order matters
    if (n % 97 == 0) {
      direct.touch(key);
      hashed.touch(key);
      at_once.row(key);
      continue;
    }
    direct.add_later(key, column, value);
    hashed.add_later(key, column, value);
    at_once.row(key)[column] += value;
  }
  for (detail::GroupSums* sums : {&direct, &hashed, &at_once}) sums->sort_by_labels(keys);
  ASSERT_EQ(direct.size(), hashed.size());
  ASSERT_EQ(direct.size(), at_once.size());
  EXPECT_GT(direct.size(), 100U);
  for (std::size_t r = 0; r < direct.size(); ++r) {
    ASSERT_EQ(direct.key(r), hashed.key(r));
    ASSERT_EQ(direct.key(r), at_once.key(r));
    for (std::size_t c = 0; c < columns; ++c) {
      EXPECT_EQ(std::memcmp(&direct.sums(r)[c], &hashed.sums(r)[c], sizeof(double)), 0);
      EXPECT_EQ(std::memcmp(&direct.sums(r)[c], &at_once.sums(r)[c], sizeof(double)), 0);
    }
  }
}

// detail::run_on_threads, the one helper that starts the library's threads:
// every k runs once, on distinct threads; the lowest failing k's exception is
// rethrown after all have ended; stop() is called when one fails.
TEST(Parallel, RunOnThreadsRunsEveryPartAndRethrowsTheLowestFailure) {
  std::vector<int> ran(4, 0);
  std::vector<std::thread::id> where(4);
  detail::run_on_threads(4U, [&](unsigned k) {
    ++ran[k];
    where[k] = std::this_thread::get_id();
  });
  EXPECT_EQ(ran, (std::vector<int>{1, 1, 1, 1}));
  EXPECT_EQ(where[0], std::this_thread::get_id());  // part 0 on the calling thread
  for (unsigned a = 0; a < 4; ++a) {
    for (unsigned b = a + 1; b < 4; ++b) EXPECT_NE(where[a], where[b]);
  }

  std::atomic<int> stops{0}, finished{0};
  try {
    detail::run_on_threads(
        3U,
        [&](unsigned k) {
          if (k >= 1) throw std::runtime_error("part " + std::to_string(k));
          ++finished;
        },
        [&] { ++stops; });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "part 1");  // not part 2's, whichever thread failed first
  }
  EXPECT_EQ(stops.load(), 2);
  EXPECT_EQ(finished.load(), 1);  // part 0 ran to its end before the rethrow

  // run_pair: both run, in order when not on two threads; the first's failure wins.
  std::vector<int> order;
  detail::run_pair(
      false, [&] { order.push_back(1); }, [&] { order.push_back(2); });
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_THROW(detail::run_pair(
                   true, [] { throw std::invalid_argument("first"); }, [] { throw std::runtime_error("second"); }),
               std::invalid_argument);
}
