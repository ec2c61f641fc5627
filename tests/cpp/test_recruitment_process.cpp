// Observed recruitment (projection.hpp RecruitmentProcess::observed): the mean
// recruits per year estimated from the rate window, the cohort model's expected
// stocks worked by hand, the microsimulation's Poisson draws against the
// Poisson distribution computed here, and the same bytes for any thread count.
#include <staffcast/detail/microsim.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/staffcast.hpp>

#include "register_fixture.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstring>
#include <vector>

namespace {

using namespace staffcast;

// One group of n persons aged 30 (no retirement), other exits q = 0.1 a year, no moves, a pool
// of one recruit (age 25, full time), λ recruits a year.
ProjectionInputs one_group(std::size_t n, double lambda, int years) {
  ProjectionInputs in;
  for (std::size_t i = 0; i < n; ++i) {
    in.group.push_back(0);
    in.birth_year.push_back(1994);
    in.fte.push_back(100);
    in.gender.push_back(0);
  }
  in.dimensions = {"department"};
  in.group_labels = {{"A"}};
  in.output_by = {"department"};
  in.output_band_lower = {INT_MIN};
  in.output_band_labels = {"all"};
  in.base_year = 2024;
  in.years = years;
  in.retirement_age = 65;
  in.upper_age = 67;
  in.q_ret = {0.5, 0.5, 1.0};
  in.rate_band_lower = {INT_MIN};
  in.rate_band_labels = {"all"};
  in.m_other = Eigen::MatrixXd::Constant(1, 1, -std::log(0.9));
  in.move = Eigen::MatrixXd::Identity(1, 1);
  in.pool_offset = {0, 1};
  in.pool_age = {25};
  in.pool_fte = {100};
  in.target0 = {static_cast<double>(n)};
  in.recruits_per_year = {lambda};
  return in;
}

TEST(ObservedRecruitment, CohortAddsTheMeanRecruitsWorkedByHand) {
  // n = 100, q = 0.1, λ = 5: end(t) = 0.9 · end(t − 1) + 5 → 95, 90.5, 86.45 (the target of 100 is ignored).
  const ProjectionResult r = cohort_projection(one_group(100, 5.0, 3));
  const double end[] = {95.0, 90.5, 86.45};
  const double exits[] = {10.0, 9.5, 9.05};
  for (std::size_t y = 0; y < 3; ++y) {
    EXPECT_NEAR(r.at(y, 0, m_end), end[y], 1e-9) << "year " << y + 1;
    EXPECT_NEAR(r.at(y, 0, m_other_exits), exits[y], 1e-9) << "year " << y + 1;
    EXPECT_NEAR(r.at(y, 0, m_recruits), 5.0, 1e-12);
  }
  // A hiring freeze still stops recruitment.
  ProjectionInputs frozen = one_group(100, 5.0, 2);
  frozen.freeze_years = 1;
  const ProjectionResult f = cohort_projection(frozen);
  EXPECT_NEAR(f.at(0, 0, m_end), 90.0, 1e-9);
  EXPECT_NEAR(f.at(1, 0, m_end), 86.0, 1e-9);
}

TEST(ObservedRecruitment, ThresholdsAreThePoissonDistribution) {
  for (double lambda : {0.3, 2.5, 40.0, 1500.0}) {
    std::vector<std::uint64_t> thresholds;
    const std::int64_t low = detail::SimTables::poisson_thresholds(lambda, thresholds);
    // P(K <= k) from the definition, term by term in log space: e^(k ln λ − λ − ln k!), ln k! summed.
    double cdf = 0, log_factorial = 0;
    for (std::int64_t k = 0; k < low; ++k) {
      if (k > 0) log_factorial += std::log(static_cast<double>(k));
      cdf += std::exp(static_cast<double>(k) * std::log(lambda) - lambda - log_factorial);
    }
    EXPECT_LT(cdf, 1e-15) << "mass below the support, λ = " << lambda;
    for (std::size_t j = 0; j < thresholds.size(); ++j) {
      const auto k = low + static_cast<std::int64_t>(j);
      if (k > 0) log_factorial += std::log(static_cast<double>(k));
      cdf += std::exp(static_cast<double>(k) * std::log(lambda) - lambda - log_factorial);
      // A threshold counts the words whose uniform lies below P(K <= k): within two words of 2^32 · P.
      EXPECT_NEAR(static_cast<double>(thresholds[j]), cdf * 4294967296.0, 2.0) << "λ = " << lambda << ", k = " << k;
    }
    // The mass above the support (up to the rounding of this sum): below one word, 2^−32.
    EXPECT_LT(std::abs(1.0 - cdf), 1e-10) << "λ = " << lambda;
    EXPECT_LE(static_cast<double>(low), lambda);
  }
  std::vector<std::uint64_t> none;
  EXPECT_EQ(detail::SimTables::poisson_thresholds(0.0, none), 0);
  EXPECT_TRUE(none.empty());  // λ = 0: always 0 recruits
}

TEST(ObservedRecruitment, MicrosimDrawsPoissonRecruitsAroundTheCohortMean) {
  // No exits (q = 0): the recruits of year 1 are Poisson(2.5) draws, P(0) = e^−2.5.
  ProjectionInputs in = one_group(20, 2.5, 3);
  in.m_other.setZero();
  const std::size_t R = 20000;
  const RawSimulation raw = simulate_raw(in, 11, 0, R, 2);
  double sum = 0, sq = 0, zeros = 0;
  for (std::size_t r = 0; r < R; ++r) {
    const double k = raw.at(r, 0, 0, m_recruits);
    sum += k;
    sq += k * k;
    zeros += k == 0 ? 1 : 0;
    EXPECT_EQ(raw.at(r, 2, 0, m_end),
              20 + raw.at(r, 0, 0, m_recruits) + raw.at(r, 1, 0, m_recruits) + raw.at(r, 2, 0, m_recruits));
  }
  const double mean = sum / R, variance = (sq - R * mean * mean) / (R - 1);
  EXPECT_NEAR(mean, 2.5, 4 * std::sqrt(2.5 / R));
  EXPECT_NEAR(variance, 2.5, 0.1);  // sd of a sample variance of Poisson(2.5): about 0.027 at R = 20,000
  const double p0 = std::exp(-2.5);
  EXPECT_NEAR(zeros / R, p0, 4 * std::sqrt(p0 * (1 - p0) / R));

  // With exits (q = 0.1, n = 100, λ = 5): the mean end stock is the cohort model's 95, 90.5, 86.45;
  // year 1's variance is that of Binomial(100, 0.9) plus Poisson(5): 9 + 5 = 14.
  const ProjectionInputs both = one_group(100, 5.0, 3);
  const RawSimulation mixed = simulate_raw(both, 12, 0, R, 2);
  const ProjectionResult expected = cohort_projection(both);
  for (std::size_t y = 0; y < 3; ++y) {
    double s = 0, s2 = 0;
    for (std::size_t r = 0; r < R; ++r) {
      s += mixed.at(r, y, 0, m_end);
      s2 += mixed.at(r, y, 0, m_end) * mixed.at(r, y, 0, m_end);
    }
    const double m = s / R, v = (s2 - R * m * m) / (R - 1);
    EXPECT_NEAR(m, expected.at(y, 0, m_end), 4 * std::sqrt(v / R)) << "year " << y + 1;
    if (y == 0) {
      EXPECT_NEAR(v, 14.0, 0.6);  // sd of the sample variance: about 0.14
    }
  }
}

// Forces every replicate with fewer left than threads to be split across the threads.
struct SplitEveryReplicate {
  std::size_t saved = detail::sim_split_min_persons().exchange(0);
  ~SplitEveryReplicate() { detail::sim_split_min_persons() = saved; }
};

TEST(ObservedRecruitment, SameBytesForAnyThreadCountAndReplicateSplit) {
  const SplitEveryReplicate split;
  ProjectionInputs in = one_group(300, 40.0, 4);
  // A second group with its own rate, moves between the two.
  in.group_labels.push_back({"B"});
  for (std::size_t i = 0; i < 100; ++i) {
    in.group.push_back(1);
    in.birth_year.push_back(1970);
    in.fte.push_back(80);
    in.gender.push_back(1);
  }
  in.m_other = Eigen::MatrixXd::Constant(2, 1, 0.15);
  in.move = Eigen::MatrixXd(2, 2);
  in.move << 0.9, 0.1, 0.05, 0.95;
  in.pool_offset = {0, 1, 2};
  in.pool_age = {25, 40};
  in.pool_fte = {100, 75};
  in.target0 = {300, 100};
  in.recruits_per_year = {40.0, 7.5};
  const RawSimulation one = simulate_raw(in, 99, 0, 5, 1);
  for (unsigned threads : {2U, 3U}) {
    for (std::uint64_t replicates : {1U, 2U, 5U}) {
      const RawSimulation raw = simulate_raw(in, 99, 0, replicates, threads);
      EXPECT_EQ(std::memcmp(raw.values.data(), one.values.data(), raw.values.size() * sizeof(double)), 0)
          << threads << " threads, " << replicates << " replicates";
    }
  }
  const RawSimulation tail = simulate_raw(in, 99, 3, 5, 2);
  EXPECT_EQ(std::memcmp(tail.values.data(), one.values.data() + 3 * one.stride(), tail.values.size() * sizeof(double)),
            0);
  // The recruits really vary between replicates.
  bool varies = false;
  for (std::size_t r = 1; r < 5; ++r) varies = varies || one.at(r, 0, 0, m_recruits) != one.at(0, 0, 0, m_recruits);
  EXPECT_TRUE(varies);
}

TEST(ObservedRecruitment, EstimatedFromTheRateWindow) {
  // Rate window 2022-01-01..2024-12-31 (1,096 days): Care recruits R1, R2, R3 in it; Office recruits O2
  // in it and O1 before it. λ = recruits · 365.25 / 1,096.
  const Register reg = staffcast::testing::read(
      "A,1970-01-01,F,permanent,Nurse,Care,1.00,2010-01-01,,,,\n"
      "R1,1990-01-01,F,permanent,Nurse,Care,1.00,2022-03-01,,,external,\n"
      "R2,1991-01-01,M,permanent,Nurse,Care,1.00,2023-05-01,2024-05-31,own_request,external,\n"
      "R3,1992-01-01,F,permanent,Nurse,Care,1.00,2024-02-01,,,external,\n"
      "O1,1980-01-01,F,permanent,Clerk,Office,1.00,2021-06-01,,,external,\n"
      "O2,1985-01-01,M,permanent,Clerk,Office,1.00,2024-10-01,,,external,\n");
  ProjectionOptions options;
  options.recruitment = RecruitmentProcess::observed;
  const ProjectionInputs in = estimate_projection_inputs(reg, staffcast::testing::d("2024-12-31"),
                                                         staffcast::testing::by(reg, {"department"}), options);
  ASSERT_EQ(in.groups(), 2U);
  ASSERT_EQ(in.recruits_per_year.size(), 2U);
  EXPECT_DOUBLE_EQ(in.recruits_per_year[0], 3 * 365.25 / 1096);  // Care
  EXPECT_DOUBLE_EQ(in.recruits_per_year[1], 1 * 365.25 / 1096);  // Office
  // The default holds the target: no recruitment rates.
  EXPECT_TRUE(
      estimate_projection_inputs(reg, staffcast::testing::d("2024-12-31"), staffcast::testing::by(reg, {"department"}))
          .recruits_per_year.empty());
  ProjectionInputs bad = in;
  bad.recruits_per_year = {1.0};
  EXPECT_THROW(validate_projection_inputs(bad), argument_error);
  bad.recruits_per_year = {1.0, -0.5};
  EXPECT_THROW(validate_projection_inputs(bad), argument_error);
}

}  // namespace
