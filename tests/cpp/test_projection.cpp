// The cohort model against a case worked by hand, and the microsimulation:
// determinism across threads and replicate splits, exact q = 0 / q = 1 cases,
// and convergence of its mean to the cohort model.
#include <staffcast/detail/microsim.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/staffcast.hpp>

#include "register_fixture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstring>
#include <thread>

namespace {

using namespace staffcast;

// Two groups A (0) and B (1); ages 65..67 retire with q = 0.5, 0.5, 1; rate
// bands "-49" and "50+" with q_other A = 0.1 / 0.2, B = 0.5 / 0; moves A → B
// 0.25; part-time → full-time 0.5; target A 3, B 1; pools A (30, 1.00), B (40, 0.80).
ProjectionInputs hand_inputs() {
  ProjectionInputs in;
  in.group = {0, 0, 0, 1};
  in.birth_year = {1960, 1960, 1990, 1990};
  in.fte = {100, 100, 50, 100};
  in.gender = {0, 1, 0, 1};
  in.dimensions = {"department"};
  in.group_labels = {{"A"}, {"B"}};
  in.output_by = {"department"};
  in.output_band_lower = {INT_MIN};
  in.output_band_labels = {"all"};
  in.base_year = 2024;
  in.years = 2;
  in.retirement_age = 65;
  in.upper_age = 67;
  in.q_ret = {0.5, 0.5, 1.0};
  in.rate_band_lower = {INT_MIN, 50};
  in.rate_band_labels = {"-49", "50+"};
  in.m_other = Eigen::MatrixXd(2, 2);
  in.m_other << -std::log(0.9), -std::log(0.8), -std::log(0.5), 0.0;
  in.move = Eigen::MatrixXd(2, 2);
  in.move << 0.75, 0.25, 0.0, 1.0;
  in.pool_offset = {0, 1, 2};
  in.pool_age = {30, 40};
  in.pool_fte = {100, 80};
  in.target0 = {3, 1};
  in.part_time_share = 0.5;
  return in;
}

void expect_row(const ProjectionResult& r, std::size_t y, std::size_t g, const std::vector<double>& expected) {
  for (std::size_t m = 0; m < expected.size(); ++m) {
    EXPECT_NEAR(r.at(y, g, m), expected[m], 1e-12)
        << "year " << y + 1 << " group " << g << " " << projection_measures()[m];
  }
}

TEST(Cohort, HandWorkedTwoGroupsTwoYears) {
  const ProjectionResult r = cohort_projection(hand_inputs());
  // Year 1 (2025). A: 2 persons born 1960 (x = 65, fte 1) and 1 born 1990 (x = 35, fte 0.5).
  //   1960 cell: retire 2·0.5 = 1, other 2·0.5·0.2 = 0.2, stay 0.8 → A 0.6, B 0.2.
  //   1990 cell: other 0.1, stay 0.9 → A 0.675, B 0.225; half of each becomes fte 1.
  //   retirements 1, other 0.3, moves_out 0.425; stock after 1.275 → recruits 3 − 1.275 = 1.725 (fte 1).
  //   end_fte = 0.6 + 0.3375 + 0.3375·0.5 + 1.725 = 2.83125.
  // B: 1 born 1990 (x = 35): other 0.5, stay 0.5; moves_in 0.425; stock 0.925 → recruits 0.075 (fte 0.8).
  //   end_fte = 0.2 + 0.1125 + 0.1125·0.5 + 0.5 + 0.075·0.8 = 0.92875.
  expect_row(r, 0, 0, {3, 1.0, 0.3, 0.425, 0, 1.725, 3, 2.5, 2.83125, 1.725});
  expect_row(r, 0, 1, {1, 0, 0.5, 0, 0.425, 0.075, 1, 1.0, 0.92875, 0.06});
  // Year 2 (2026). A cells: 1960/1.00 0.6 (x = 66), 1990/1.00 0.3375, 1990/0.50 0.3375, 1995/1.00 1.725.
  //   retire 0.6·0.5 = 0.3; other 0.06 + 0.03375 + 0.03375 + 0.1725 = 0.3; stayers 2.4, a quarter
  //   (0.6) moves to B; stock 1.8 → recruits 1.2. end_fte = 0.18 + 0.2278125 + 0.11390625 +
  //   0.056953125 + 1.164375 + 1.2 = 2.943046875.
  // B cells: 1960/1.00 0.2 (x = 66, q_other 0 at 50+), 1990/1.00 0.6125, 1990/0.50 0.1125, 1985/0.80 0.075.
  //   retire 0.1; other 0.30625 + 0.05625 + 0.0375 = 0.4; moves_in 0.6; stock 1.1 > 1 → no recruits.
  //   end_fte: B's stayers 0.1 + 0.30625 + 0.05625·0.75 + 0.0375·0.9 (half of the part-timers at 1.00)
  //   plus A's movers 0.06 + 0.0759375 + 0.0759375·0.75 + 0.388125 = 0.581015625; in all 1.063203125.
  expect_row(r, 1, 0, {3, 0.3, 0.3, 0.6, 0, 1.2, 3, 2.83125, 2.943046875, 1.2});
  expect_row(r, 1, 1, {1, 0.1, 0.4, 0, 0.6, 0, 1.1, 0.92875});
  EXPECT_NEAR(r.at(1, 1, m_end_fte), 1.063203125, 1e-12);
  EXPECT_EQ(r.at(1, 1, m_recruits_fte), 0.0);
}

TEST(Cohort, StockBalanceAndAgeBandsAddUp) {
  ProjectionInputs in = hand_inputs();
  in.years = 6;
  in.growth = 0.05;
  const ProjectionResult plain = cohort_projection(in);
  for (std::size_t y = 0; y < plain.years; ++y) {
    for (std::size_t g = 0; g < plain.output_groups; ++g) {
      const double balance = plain.at(y, g, m_start) - plain.at(y, g, m_retirements) - plain.at(y, g, m_other_exits) -
                             plain.at(y, g, m_moves_out) + plain.at(y, g, m_moves_in) + plain.at(y, g, m_recruits);
      EXPECT_NEAR(balance, plain.at(y, g, m_end), 1e-12);
      if (y + 1 < plain.years) {
        EXPECT_NEAR(plain.at(y, g, m_end), plain.at(y + 1, g, m_start), 1e-12);
      }
    }
  }
  // Growth 5 %: A's target 3·1.05^t is held exactly once recruits are needed.
  EXPECT_NEAR(plain.at(5, 0, m_end), 3 * std::pow(1.05, 6), 1e-12);
  in.output_by = {"age_band", "department"};
  in.age_band_position = 0;
  in.output_band_lower = {INT_MIN, 40, 60};
  in.output_band_labels = {"-39", "40-59", "60+"};
  const ProjectionResult banded = cohort_projection(in);
  for (std::size_t y = 0; y < plain.years; ++y) {
    for (std::size_t g = 0; g < 2; ++g) {
      for (std::size_t m = 0; m < projection_measure_count; ++m) {
        double sum = 0;
        for (std::size_t b = 0; b < 3; ++b) sum += banded.at(y, g * 3 + b, m);
        EXPECT_NEAR(sum, plain.at(y, g, m), 1e-12);
      }
    }
  }
  // The recruits of A (recruited at 30) count in "-39": 3·1.05 − 1.275 = 1.875; the 1960 cohort starts
  // year 1 in "60+".
  EXPECT_NEAR(banded.at(0, 0 * 3 + 0, m_recruits), 1.875, 1e-12);
  EXPECT_NEAR(banded.at(0, 0 * 3 + 2, m_start), 2, 1e-12);
}

// A population of a few hundred persons over three groups with every rule active.
ProjectionInputs rich_inputs(double target_scale) {
  ProjectionInputs in;
  in.dimensions = {"department"};
  in.group_labels = {{"A"}, {"B"}, {"C"}};
  in.output_by = {"department"};
  in.output_band_lower = {INT_MIN};
  in.output_band_labels = {"all"};
  for (std::uint32_t i = 0; i < 300; ++i) {
    in.group.push_back(i % 3);
    in.birth_year.push_back(1956 + static_cast<int>((i * 7) % 45));
    in.fte.push_back(static_cast<std::uint8_t>(i % 4 == 0 ? 50 : (i % 5 == 0 ? 0 : 100)));
    in.gender.push_back(static_cast<std::uint8_t>(i % 2));
  }
  in.base_year = 2024;
  in.years = 8;
  in.retirement_age = 65;
  in.upper_age = 69;
  in.q_ret = {0.3, 0.2, 0.25, 0.5, 1.0};
  const Bands bands = default_age_bands();
  in.rate_band_lower = bands.lower;
  in.rate_band_labels = bands.labels;
  in.m_other = Eigen::MatrixXd(3, 7);
  in.m_other << 0.2, 0.15, 0.1, 0.08, 0.05, 0.04, 0.03,  //
      0.1, 0.1, 0.06, 0.05, 0.04, 0.03, 0.02,            //
      0.3, 0.25, 0.2, 0.1, 0.05, 0.05, 0.05;
  in.move = Eigen::MatrixXd(3, 3);
  in.move << 0.9, 0.07, 0.03, 0.05, 0.95, 0.0, 0.1, 0.1, 0.8;
  in.pool_offset = {0, 3, 5, 6};
  in.pool_age = {25, 31, 44, 28, 50, 35};
  in.pool_fte = {100, 75, 100, 60, 100, 0};
  in.target0 = {100 * target_scale, 100 * target_scale, 100 * target_scale};
  in.part_time_share = 0.3;
  return in;
}

TEST(Microsim, IdenticalForAnyThreadCountAndReplicateSplit) {
  const ProjectionInputs in = rich_inputs(1.1);
  const RawSimulation one = simulate_raw(in, 12345, 0, 40, 1);
  const RawSimulation two = simulate_raw(in, 12345, 0, 40, 2);
  const RawSimulation three = simulate_raw(in, 12345, 0, 40, 3);
  ASSERT_EQ(one.values.size(), 40 * one.stride());
  EXPECT_EQ(std::memcmp(one.values.data(), two.values.data(), one.values.size() * sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(one.values.data(), three.values.data(), one.values.size() * sizeof(double)), 0);
  const RawSimulation head = simulate_raw(in, 12345, 0, 17, 2);
  const RawSimulation tail = simulate_raw(in, 12345, 17, 40, 3);
  std::vector<double> joined = head.values;
  joined.insert(joined.end(), tail.values.begin(), tail.values.end());
  ASSERT_EQ(joined.size(), one.values.size());
  EXPECT_EQ(std::memcmp(one.values.data(), joined.data(), joined.size() * sizeof(double)), 0);
  // Another seed gives other draws.
  const RawSimulation other = simulate_raw(in, 12346, 0, 40, 1);
  EXPECT_NE(std::memcmp(one.values.data(), other.values.data(), one.values.size() * sizeof(double)), 0);
  // The summaries are those of the same raw array.
  const Table a = summarise(in, one), b = summarise(in, RawSimulation{0, 40, one.years, one.output_groups, joined});
  for (std::size_t c = 0; c < a.values.size(); ++c) EXPECT_EQ(a.values[c].values, b.values[c].values);
}

TEST(Microsim, ExactWhenProbabilitiesAreZeroOrOne) {
  ProjectionInputs in = hand_inputs();
  // Everyone past upper (67) in year 1: all retire; the targets 3 and 1 are refilled from the pools.
  in.birth_year = {1940, 1941, 1950, 1930};
  in.part_time_share = 0;
  const RawSimulation raw = simulate_raw(in, 7, 0, 25, 2);
  for (std::size_t r = 0; r < raw.replicates; ++r) {
    EXPECT_EQ(raw.at(r, 0, 0, m_retirements), 3);
    EXPECT_EQ(raw.at(r, 0, 1, m_retirements), 1);
    EXPECT_EQ(raw.at(r, 0, 0, m_recruits), 3);
    EXPECT_EQ(raw.at(r, 0, 1, m_recruits), 1);
    EXPECT_EQ(raw.at(r, 0, 0, m_end_fte), 3.0);
    EXPECT_EQ(raw.at(r, 0, 1, m_recruits_fte), 0.8);
    EXPECT_EQ(raw.at(r, 0, 0, m_start_fte), 2.5);
  }
  // No exits at all (young persons, q_other 0), M = I, target = stock: nothing changes.
  in.birth_year = {1990, 1991, 1992, 1993};
  in.m_other.setZero();
  in.move.setIdentity();
  in.years = 5;
  const RawSimulation still = simulate_raw(in, 7, 0, 10, 1);
  for (std::size_t r = 0; r < still.replicates; ++r) {
    for (std::size_t y = 0; y < still.years; ++y) {
      EXPECT_EQ(still.at(r, y, 0, m_end), 3);
      EXPECT_EQ(still.at(r, y, 1, m_end), 1);
      EXPECT_EQ(still.at(r, y, 0, m_end_fte), 2.5);
      EXPECT_EQ(still.at(r, y, 0, m_recruits) + still.at(r, y, 0, m_other_exits), 0);
    }
  }
}

TEST(Microsim, MeanConvergesToTheCohortModel) {
  // Target 0: recruitment never binds, so the cohort model is the exact expectation.
  const ProjectionInputs in = rich_inputs(0.0);
  const std::size_t R = 2000;
  const RawSimulation raw = simulate_raw(in, 2026, 0, R, 2);
  const ProjectionResult expected = cohort_projection(in);
  std::size_t checked = 0;
  for (std::size_t y = 0; y < raw.years; ++y) {
    for (std::size_t g = 0; g < raw.output_groups; ++g) {
      for (std::size_t m = 0; m < projection_measure_count; ++m) {
        double sum = 0, sq = 0;
        for (std::size_t r = 0; r < R; ++r) sum += raw.at(r, y, g, m);
        const double mean = sum / R;
        for (std::size_t r = 0; r < R; ++r) sq += (raw.at(r, y, g, m) - mean) * (raw.at(r, y, g, m) - mean);
        const double sd = std::sqrt(sq / (R - 1));
        const double bound = sd > 0 ? 4 * sd / std::sqrt(static_cast<double>(R)) : 1e-9;
        EXPECT_LE(std::abs(mean - expected.at(y, g, m)), bound)
            << "year " << y + 1 << " group " << g << " " << projection_measures()[m] << ": mean " << mean
            << " expected " << expected.at(y, g, m) << " sd " << sd;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 8U * 3U * 10U);
  // The stocks really move: the cohort's end stock of A after 8 years is well below 100.
  EXPECT_LT(expected.at(7, 0, m_end), 80);
}

TEST(Microsim, CancelStopsAndThrows) {
  const ProjectionInputs in = rich_inputs(1.0);
  std::atomic<bool> cancel{true};
  std::atomic<std::uint64_t> progress{0};
  EXPECT_THROW(simulate_raw(in, 1, 0, 100, 2, &cancel, &progress), cancelled_error);
  EXPECT_EQ(progress.load(), 0U);
  cancel = false;
  simulate_raw(in, 1, 0, 10, 2, &cancel, &progress);
  EXPECT_EQ(progress.load(), 10U);
}

TEST(Microsim, NumpyLinearPercentile) {
  // numpy.percentile([1, 2, 3, 4, 10], [5, 50, 95]) = [1.2, 3.0, 8.8]
  const std::vector<double> v{1, 2, 3, 4, 10};
  EXPECT_DOUBLE_EQ(detail::numpy_linear_percentile(v, 0.05), 1.2);
  EXPECT_EQ(detail::numpy_linear_percentile(v, 0.5), 3.0);
  EXPECT_DOUBLE_EQ(detail::numpy_linear_percentile(v, 0.95), 8.8);
  EXPECT_EQ(detail::numpy_linear_percentile({4.0}, 0.95), 4.0);
}

TEST(Projection, EstimatedFromARegister) {
  // Two departments on 2024-12-31; one retirement at 66 and one own_request exit in the window.
  const Register reg = staffcast::testing::read(
      "A,1960-05-01,F,permanent,Nurse,Care,1.00,2015-01-01,,,,\n"
      "B,1990-01-01,M,permanent,Nurse,Care,0.50,2023-03-01,,,external,\n"
      "C,1985-01-01,F,permanent,Clerk,Office,1.00,2010-01-01,,,,\n"
      "D,1958-02-01,M,permanent,Clerk,Office,1.00,2005-01-01,2024-06-30,retirement,,\n"
      "E,1995-01-01,F,temporary,Clerk,Office,0.80,2022-01-01,2023-12-31,own_request,external,\n");
  const ProjectionInputs in = estimate_projection_inputs(reg, staffcast::testing::d("2024-12-31"),
                                                         staffcast::testing::by(reg, {"department"}), {});
  ASSERT_EQ(in.groups(), 2U);
  EXPECT_EQ(in.group_labels[0][0], "Care");
  EXPECT_EQ(in.group_labels[1][0], "Office");
  EXPECT_EQ(in.persons(), 3U);  // A, B, C (by employee id)
  EXPECT_EQ(in.group, (std::vector<std::uint32_t>{0, 0, 1}));
  EXPECT_EQ(in.birth_year, (std::vector<std::int32_t>{1960, 1990, 1985}));
  EXPECT_EQ(in.fte, (std::vector<std::uint8_t>{100, 50, 100}));
  EXPECT_EQ(in.target0, (std::vector<double>{2, 1}));
  EXPECT_EQ(in.base_year, 2024);
  // D: attained age 66 in 2024, one retirement over 0.5 person-years at 66 (2024-01-01..06-30 = 182 days).
  EXPECT_NEAR(in.q_ret[1], 1 - std::exp(-1 / (182 / 365.25)), 1e-12);
  EXPECT_EQ(in.move, Eigen::MatrixXd::Identity(2, 2));  // nobody moved
  // Recruitments in the window 2022-01-01..2024-12-31: B (age 33, 0.50) and E (27, 0.80): fewer than 20
  // per group, so both groups use the population pool, sorted by age.
  EXPECT_EQ(in.pool_offset, (std::vector<std::uint32_t>{0, 2, 4}));
  EXPECT_EQ(in.pool_age, (std::vector<std::int32_t>{27, 33, 27, 33}));
  EXPECT_EQ(in.pool_fte, (std::vector<std::uint8_t>{80, 50, 80, 50}));
  // Scenario: shift retirement by 2 years, double Office's other exits, target 6 split 4 / 2.
  Scenario sc;
  sc.name = "test";
  sc.retirement_age_shift = 2;
  sc.rate_multipliers.push_back({{{"department", {"Office"}}}, 2.0});
  sc.target_stock.total = 6;
  const ProjectionInputs shifted = apply_scenario(in, sc);
  EXPECT_EQ(shifted.retirement_age, 67);
  EXPECT_EQ(shifted.retirement_probability(68), in.retirement_probability(66));
  EXPECT_EQ(shifted.m_other.row(1), (2.0 * in.m_other.row(1)).eval());
  EXPECT_EQ(shifted.m_other.row(0), in.m_other.row(0));
  EXPECT_EQ(shifted.target0, (std::vector<double>{4, 2}));
  Scenario bad = sc;
  bad.rate_multipliers = {{{{"position", {"Nurse"}}}, 2.0}};
  EXPECT_THROW(apply_scenario(in, bad), argument_error);
}

}  // namespace

// The members of a split replicate meet at a barrier; when a member's thread
// cannot be started, simulate_raw abandons the barrier so the others return
// (false: the serial step did not run) instead of waiting forever.
TEST(Projection, YearsBetweenOneAndTwoHundred) {
  auto message = [](auto run) {
    try {
      run();
    } catch (const argument_error& e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  EXPECT_EQ(max_projection_years, 200);
  EXPECT_EQ(message([] { require_projection_years(1); }), "<no error>");
  EXPECT_EQ(message([] { require_projection_years(200); }), "<no error>");
  EXPECT_EQ(message([] { require_projection_years(0); }), "years must be between 1 and 200");
  EXPECT_EQ(message([] { require_projection_years(201, "--years"); }), "--years must be between 1 and 200");
  EXPECT_EQ(message([] { require_projection_years(1LL << 40); }), "years must be between 1 and 200");
  // The estimation and the inputs' validation apply the same bound.
  const Register reg = staffcast::testing::read("A,1960-05-01,F,permanent,Nurse,Care,1.00,2015-01-01,,,,\n");
  ProjectionOptions options;
  options.years = 0;
  EXPECT_EQ(message([&] { estimate_projection_inputs(reg, staffcast::testing::d("2024-12-31"), {}, options); }),
            "years must be between 1 and 200");
  options.years = 200;
  ProjectionInputs in = estimate_projection_inputs(reg, staffcast::testing::d("2024-12-31"), {}, options);
  in.years = 201;
  EXPECT_EQ(message([&] { validate_projection_inputs(in); }), "years must be between 1 and 200");
}

TEST(Microsim, AbandonedBarrierReleasesItsMembers) {
  detail::SimBarrier barrier(2);
  std::atomic<int> completions{0};
  bool first = true, second = true;
  std::thread waiter([&] { first = barrier.arrive_and_wait([&] { ++completions; }); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // usually waiting by now; either order works
  barrier.abandon();
  waiter.join();
  second = barrier.arrive_and_wait([&] { ++completions; });  // a late member does not wait either
  EXPECT_FALSE(first);
  EXPECT_FALSE(second);
  EXPECT_EQ(completions.load(), 0);

  detail::SimBarrier whole(2);  // not abandoned: the last to arrive runs the completion once
  std::thread other([&] { EXPECT_TRUE(whole.arrive_and_wait([&] { ++completions; })); });
  EXPECT_TRUE(whole.arrive_and_wait([&] { ++completions; }));
  other.join();
  EXPECT_EQ(completions.load(), 1);
}
