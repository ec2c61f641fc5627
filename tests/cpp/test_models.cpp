// Cohort engine I in C++: Garwood intervals, exit rates, Kaplan–Meier and the
// transition model, on cases whose answers are worked out by hand below.
#include <staffcast/detail/distributions.hpp>
#include <staffcast/models/kaplan_meier.hpp>
#include <staffcast/models/rates.hpp>
#include <staffcast/models/transition.hpp>

#include <gtest/gtest.h>

#include "register_fixture.hpp"

#include <cmath>

using namespace staffcast;

using namespace staffcast::testing;

namespace {

// 2024 is a leap year (366 days). Extraction 2024-12-31.
// P1: D1 from 2020-01-01, left at own request 2024-06-30 (182 days of 2024).
// P2: D1 from 2024-01-01, ongoing (366 days).
// P3: D2 from 2015-03-01, internal move 2024-03-31 -> D1 from 2024-04-01, ongoing (91 days in D2, 275 in D1).
// P4: temporary D2 2024-01-01 .. 2024-06-30, fixed term ended (182 days).
const std::string small =
    "P1,1980-01-01,F,permanent,S,D1,1.00,2020-01-01,2024-06-30,own_request,,\n"
    "P2,1990-07-01,M,permanent,S,D1,1.00,2024-01-01,,,external,\n"
    "P3,1970-05-05,F,permanent,S,D2,1.00,2015-03-01,2024-03-31,internal_move,,\n"
    "P3,1970-05-05,F,permanent,S,D1,1.00,2024-04-01,,,internal,\n"
    "P4,2000-02-02,M,temporary,S,D2,1.00,2024-01-01,2024-06-30,fixed_term_ended,external,\n";

constexpr double tol = 1e-12;

}  // namespace

TEST(Garwood, KnownValues) {
  // k = 0, T = 1: lower 0, upper = χ²(0.975; 2)/2 = −ln(0.025).
  const RateInterval zero = poisson_rate_interval(0, 1.0);
  EXPECT_EQ(zero.lower, 0.0);
  EXPECT_NEAR(zero.upper, -std::log(0.025), tol);
  EXPECT_NEAR(zero.upper, 3.688879, 1e-6);
  // k = 1: lower = χ²(0.025; 2)/2 = −ln(0.975); upper = χ²(0.975; 4)/2 = 5.571643.
  const RateInterval one = poisson_rate_interval(1, 1.0);
  EXPECT_NEAR(one.lower, -std::log(0.975), tol);
  EXPECT_NEAR(one.upper, 5.571643, 1e-6);
  // k = 10, T = 1: [4.795389, 18.390356]; over T = 2 half of it.
  const RateInterval ten = poisson_rate_interval(10, 1.0);
  EXPECT_NEAR(ten.lower, 4.795389, 1e-6);
  EXPECT_NEAR(ten.upper, 18.390356, 1e-6);
  const RateInterval ten2 = poisson_rate_interval(10, 2.0);
  EXPECT_NEAR(ten2.lower, ten.lower / 2, tol);
  EXPECT_NEAR(ten2.upper, ten.upper / 2, tol);
  // 90%: k = 0 upper = −ln(0.05).
  EXPECT_NEAR(poisson_rate_interval(0, 1.0, 0.90).upper, -std::log(0.05), tol);
  // No exposure: no interval.
  EXPECT_TRUE(std::isnan(poisson_rate_interval(3, 0.0).lower));
  EXPECT_THROW(poisson_rate_interval(-1, 1.0), argument_error);
  EXPECT_THROW(poisson_rate_interval(1, 1.0, 1.0), argument_error);
  EXPECT_NEAR(detail::normal_quantile(0.975), 1.959963984540054, 1e-14);
}

TEST(ExitRates, EventsOverPersonYears) {
  const Register reg = read(small);
  const day_t a = d("2024-01-01"), b = d("2024-12-31");
  const Table all = exit_rates(reg, a, b, Query{});
  ASSERT_EQ(all.rows(), 1U);
  // Departures: P1 and P4 (P3's move is not one). Person-days 182 + 366 + 366 + 182 = 1096.
  EXPECT_EQ(all.column("events").values[0], 2);
  EXPECT_NEAR(all.column("person_years").values[0], 1096 / 365.25, tol);
  EXPECT_NEAR(all.column("rate").values[0], 2 / (1096 / 365.25), tol);
  const RateInterval ci = poisson_rate_interval(2, 1096 / 365.25);
  EXPECT_DOUBLE_EQ(all.column("lower").values[0], ci.lower);
  EXPECT_DOUBLE_EQ(all.column("upper").values[0], ci.upper);

  // By department: D1 = P1 182 + P2 366 + P3 275 = 823 days, 1 event; D2 = P3 91 + P4 182 = 273 days, 1 event.
  const Table dep = exit_rates(reg, a, b, by(reg, {"department"}, true));
  EXPECT_EQ(dep.keys[0], (std::vector<std::string>{"D1", "D2", "Total"}));
  EXPECT_EQ(dep.column("events").values, (std::vector<double>{1, 1, 2}));
  EXPECT_NEAR(dep.column("person_years").values[0], 823 / 365.25, tol);
  EXPECT_NEAR(dep.column("person_years").values[1], 273 / 365.25, tol);
  EXPECT_NEAR(dep.column("person_years").values[2], 1096 / 365.25, tol);

  // Moves out: P3 out of D2.
  ExitRateOptions moves;
  moves.events = RateEvents::moves;
  const Table m = exit_rates(reg, a, b, by(reg, {"department"}), moves);
  EXPECT_EQ(m.column("events").values, (std::vector<double>{0, 1}));

  // By reason: reasons that occur (fixed_term_ended, own_request) for every department, then Total rows.
  ExitRateOptions reasons;
  reasons.by_reason = true;
  const Table r = exit_rates(reg, a, b, by(reg, {"department"}, true), reasons);
  EXPECT_EQ(r.key_names, (std::vector<std::string>{"department", "end_reason"}));
  EXPECT_EQ(r.keys[0], (std::vector<std::string>{"D1", "D1", "D2", "D2", "Total", "Total"}));
  EXPECT_EQ(r.keys[1], (std::vector<std::string>{"fixed_term_ended", "own_request", "fixed_term_ended", "own_request",
                                                 "fixed_term_ended", "own_request"}));
  EXPECT_EQ(r.column("events").values, (std::vector<double>{0, 1, 1, 0, 1, 1}));
  EXPECT_NEAR(r.column("person_years").values[3], 273 / 365.25, tol);
  EXPECT_EQ(r.column("lower").values[0], 0.0);

  // Filter: permanent staff only (P4 out): 1 event over 182 + 366 + 366 days.
  Query permanent;
  permanent.filter = Filter::parse(reg, {{"employment_form", {"permanent"}}});
  const Table p = exit_rates(reg, a, b, permanent);
  EXPECT_EQ(p.column("events").values[0], 1);
  EXPECT_NEAR(p.column("person_years").values[0], 914 / 365.25, tol);
  // After the extraction date: unavailable.
  EXPECT_THROW(exit_rates(reg, a, d("2025-06-30"), Query{}), unavailable_error);
}

TEST(ExitRates, AgeBandExposureSplitsAtBirthdays) {
  // Born 1980-07-01: 43 until 2024-06-30, 44 from 2024-07-01. Bands -43 / 44+; leaves 2024-09-30 aged 44.
  const Register reg = read("A,1980-07-01,F,permanent,S,D1,1.00,2020-01-01,2024-09-30,retirement,,\n");
  Query q = by(reg, {"age_band"});
  q.by.age_bands = Bands::from_edges({44});
  const Table t = exit_rates(reg, d("2024-01-01"), d("2024-12-31"), q);
  EXPECT_EQ(t.keys[0], (std::vector<std::string>{"15-43", "44+"}));
  EXPECT_EQ(t.column("events").values, (std::vector<double>{0, 1}));
  EXPECT_NEAR(t.column("person_years").values[0], 182 / 365.25, tol);  // Jan 1 .. Jun 30
  EXPECT_NEAR(t.column("person_years").values[1], 92 / 365.25, tol);   // Jul 1 .. Sep 30
}

TEST(KaplanMeier, HandComputed) {
  // durations 1 2 2 3 4 5 5 6, events 1 1 0 1 0 1 1 0.
  // t=1: n=8, d=1, S=7/8.  t=2: n=7 (the one censored at 2 is at risk), S=3/4.
  // t=3: n=5, S=3/5.  t=5: n=3, d=2, S=1/5.  Greenwood at 3: 1/56 + 1/42 + 1/20 = 11/120.
  SurvivalData data;
  data.duration = {1, 2, 2, 3, 4, 5, 5, 6};
  data.event = {1, 1, 0, 1, 0, 1, 1, 0};
  const auto curves = kaplan_meier(data);
  ASSERT_EQ(curves.size(), 1U);
  const SurvivalCurve& c = curves[0];
  EXPECT_EQ(c.time, (std::vector<double>{1, 2, 3, 5}));
  EXPECT_EQ(c.at_risk, (std::vector<double>{8, 7, 5, 3}));
  EXPECT_EQ(c.events, (std::vector<double>{1, 1, 1, 2}));
  EXPECT_NEAR(c.survival[0], 7.0 / 8, tol);
  EXPECT_NEAR(c.survival[1], 3.0 / 4, tol);
  EXPECT_NEAR(c.survival[2], 3.0 / 5, tol);
  EXPECT_NEAR(c.survival[3], 1.0 / 5, tol);
  const double z = 1.959963984540054, sigma = std::sqrt(11.0 / 120);
  EXPECT_NEAR(c.lower[2], 0.6 * std::exp(-z * sigma), 1e-12);
  EXPECT_NEAR(c.upper[2], std::min(1.0, 0.6 * std::exp(z * sigma)), 1e-12);
  EXPECT_EQ(c.median, 5.0);  // first time S <= 0.5
  EXPECT_EQ(c.observations, 8U);
  EXPECT_EQ(c.total_events, 5.0);

  KaplanMeierOptions loglog;
  loglog.ci = ConfidenceType::log_log;
  const SurvivalCurve ll = kaplan_meier(data, loglog)[0];
  const double theta = std::log(-std::log(0.6)), w = z * sigma / -std::log(0.6);
  EXPECT_NEAR(ll.lower[2], std::exp(-std::exp(theta + w)), 1e-12);
  EXPECT_NEAR(ll.upper[2], std::exp(-std::exp(theta - w)), 1e-12);
  KaplanMeierOptions plain;
  plain.ci = ConfidenceType::plain;
  const SurvivalCurve pl = kaplan_meier(data, plain)[0];
  EXPECT_NEAR(pl.lower[2], 0.6 - z * sigma * 0.6, 1e-12);
  EXPECT_NEAR(pl.upper[2], 0.6 + z * sigma * 0.6, 1e-12);
}

TEST(KaplanMeier, LateEntryTiesAndZeroSurvival) {
  // (entry, exit, event): (0,2,1) (0,3,0) (1.5,4,1) (2.5,4,1) (0,5,0) (3,6,1) (2,5,0).
  // t=2: at risk entry < 2 <= exit: the 1st, 2nd, 3rd, 5th (the last enters at 2 exactly: not yet) -> n=4, S=3/4.
  // t=4: 3rd, 4th, 5th, 6th, 7th -> n=5, d=2, S = 3/4 * 3/5 = 9/20.
  // t=6: only the 6th -> n=1, d=1, S=0: interval NaN.
  SurvivalData data;
  data.entry = {0, 0, 1.5, 2.5, 0, 3, 2};
  data.duration = {2, 3, 4, 4, 5, 6, 5};
  data.event = {1, 0, 1, 1, 0, 1, 0};
  const SurvivalCurve c = kaplan_meier(data)[0];
  EXPECT_EQ(c.time, (std::vector<double>{2, 4, 6}));
  EXPECT_EQ(c.at_risk, (std::vector<double>{4, 5, 1}));
  EXPECT_NEAR(c.survival[1], 9.0 / 20, tol);
  EXPECT_EQ(c.survival[2], 0.0);
  EXPECT_TRUE(std::isnan(c.lower[2]) && std::isnan(c.upper[2]));
  EXPECT_EQ(c.median, 4.0);
  // Invalid data.
  data.entry[0] = 2;  // entry must be before exit
  EXPECT_THROW(kaplan_meier(data), argument_error);
}

TEST(KaplanMeier, MedianAsSurvfit) {
  // S sits at exactly 0.5 from t=2 to the next drop at 5: median (2 + 5) / 2.
  SurvivalData mid;
  mid.duration = {1, 2, 3, 5};
  mid.event = {1, 1, 0, 1};
  EXPECT_EQ(kaplan_meier(mid)[0].median, 3.5);
  // The flat at 0.5 reaches the end of the data (last censored at 7): (2 + 7) / 2.
  SurvivalData end;
  end.duration = {1, 2, 3, 7};
  end.event = {1, 1, 0, 0};
  EXPECT_EQ(kaplan_meier(end)[0].median, 4.5);
  // Never below 0.5: NaN.
  SurvivalData high;
  high.duration = {1, 2, 3};
  high.event = {1, 0, 0};
  EXPECT_TRUE(std::isnan(kaplan_meier(high)[0].median));
}

TEST(KaplanMeier, Groups) {
  SurvivalData data;
  data.duration = {1, 2, 3, 1, 4};
  data.event = {1, 1, 0, 0, 1};
  data.group = {0, 0, 0, 1, 1};
  data.groups = 2;
  const auto curves = kaplan_meier(data);
  ASSERT_EQ(curves.size(), 2U);
  EXPECT_EQ(curves[0].time, (std::vector<double>{1, 2}));
  EXPECT_EQ(curves[1].time, (std::vector<double>{4}));
  EXPECT_EQ(curves[1].survival, (std::vector<double>{0}));
  const Table t = survival_table(curves, {"group"}, {{"a"}, {"b"}});
  EXPECT_EQ(t.keys[0], (std::vector<std::string>{"a", "a", "b"}));
}

TEST(Tenure, ObservationsFromTheRegister) {
  const Register reg = read(small);
  const day_t a = d("2024-01-01"), b = d("2024-12-31");
  const TenureObservations obs = tenure_observations(reg, a, b, by(reg, {"department"}));
  // Groups by the main spell on the entry day: D1 = P1, P2; D2 = P3 (in D2 on 2024-01-01), P4.
  ASSERT_EQ(obs.labels, (std::vector<std::vector<std::string>>{{"D1"}, {"D2"}}));
  ASSERT_EQ(obs.data.duration.size(), 4U);  // sorted by person
  const double m = 30.4375;
  const day_t end = b + 1;
  // P1: chain 2020-01-01, enters 2024-01-01 (48 months), leaves 2024-06-30 (exit 2024-07-01): event.
  EXPECT_NEAR(obs.data.entry[0], (a - d("2020-01-01")) / m, tol);
  EXPECT_NEAR(obs.data.entry[0], 48.0, tol);
  EXPECT_NEAR(obs.data.duration[0], (d("2024-07-01") - d("2020-01-01")) / m, tol);
  EXPECT_EQ(obs.data.event[0], 1);
  EXPECT_EQ(obs.data.group[0], 0U);
  // P2: from the window start, censored at the end of the window.
  EXPECT_EQ(obs.data.entry[1], 0.0);
  EXPECT_NEAR(obs.data.duration[1], 366 / m, tol);
  EXPECT_EQ(obs.data.event[1], 0);
  // P3: the move keeps the chain (2015-03-01); censored; group D2.
  EXPECT_NEAR(obs.data.entry[2], (a - d("2015-03-01")) / m, tol);
  EXPECT_NEAR(obs.data.duration[2], (end - d("2015-03-01")) / m, tol);
  EXPECT_EQ(obs.data.event[2], 0);
  EXPECT_EQ(obs.data.group[2], 1U);
  // P4: 182 days, event.
  EXPECT_NEAR(obs.data.duration[3], 182 / m, tol);
  EXPECT_EQ(obs.data.event[3], 1);

  // The pooled curve: at P4's exit (5.98 months) P2 and P4 are at risk (P1 and P3 entered later): S = 1/2;
  // at P1's exit only P1 is at risk: S = 0.
  const TenureCurves curves = tenure_curves(reg, a, b, Query{});
  EXPECT_EQ(curves.curves.keys[0], (std::vector<std::string>{"all", "all"}));
  EXPECT_EQ(curves.curves.column("at_risk").values, (std::vector<double>{2, 1}));
  EXPECT_EQ(curves.curves.column("survival").values, (std::vector<double>{0.5, 0}));
  // S sits at exactly 0.5 until the drop to 0: the median is the midpoint of the two exits.
  EXPECT_EQ(curves.medians.column("median").values[0], (182 / m + (d("2024-07-01") - d("2020-01-01")) / m) / 2);

  // Planned ends after the extraction date are censored at the window end.
  const Register planned = read("Q,1980-01-01,F,temporary,S,D1,1.00,2024-01-01,2025-06-30,fixed_term_ended,,\n");
  const TenureObservations q = tenure_observations(planned, a, b, Query{});
  EXPECT_EQ(q.data.event, (std::vector<std::uint8_t>{0}));
  EXPECT_NEAR(q.data.duration[0], 366 / m, tol);
}

TEST(Transition, TwoStateChainByHand) {
  // P = [[0.6, 0.2], [0.1, 0.7]]: I − P = [[0.4, −0.2], [−0.1, 0.3]], det 0.1, N = [[3, 2], [1, 4]].
  Eigen::MatrixXd p(2, 2);
  p << 0.6, 0.2, 0.1, 0.7;
  const TransitionModel model({"A", "B"}, p);
  const Eigen::MatrixXd& n = model.fundamental_matrix();
  EXPECT_NEAR(n(0, 0), 3, 1e-12);
  EXPECT_NEAR(n(0, 1), 2, 1e-12);
  EXPECT_NEAR(n(1, 0), 1, 1e-12);
  EXPECT_NEAR(n(1, 1), 4, 1e-12);
  EXPECT_NEAR(model.expected_tenure("A"), 5, 1e-12);
  EXPECT_NEAR(model.expected_tenure("B"), 5, 1e-12);
  // Ever reaching B from A: 0.2 / (0.2 + 0.2 exit) = 1/2 = N_AB / N_BB; A from B: 0.1 / (0.1 + 0.2) = 1/3.
  EXPECT_NEAR(model.reach_probability("A", "B"), 0.5, 1e-12);
  EXPECT_NEAR(model.reach_probability("B", "A"), 1.0 / 3, 1e-12);
  EXPECT_EQ(model.reach_probability("A", "A"), 1.0);
  // Steady state for r = (10, 5): r·N = (35, 40).
  const Eigen::VectorXd star = model.steady_state(Eigen::Vector2d(10, 5));
  EXPECT_NEAR(star(0), 35, 1e-10);
  EXPECT_NEAR(star(1), 40, 1e-10);
  // One year from (100, 50): n·P = (65, 55); exits (20, 10); moves out (20, 5); moves in (5, 20).
  const TransitionProjection one = model.project(Eigen::Vector2d(100, 50), 1);
  EXPECT_EQ(one.year, (std::vector<int>{1, 1}));
  EXPECT_NEAR(one.end[0], 65, 1e-12);
  EXPECT_NEAR(one.end[1], 55, 1e-12);
  EXPECT_NEAR(one.exits[0], 20, 1e-12);
  EXPECT_NEAR(one.exits[1], 10, 1e-12);
  EXPECT_NEAR(one.moves_out[0], 20, 1e-12);
  EXPECT_NEAR(one.moves_out[1], 5, 1e-12);
  EXPECT_NEAR(one.moves_in[0], 5, 1e-12);
  EXPECT_NEAR(one.moves_in[1], 20, 1e-12);
  // Holding the start stocks: r = max(0, (100, 50) − (65, 55)) = (35, 0).
  const TransitionProjection hold = model.project(Eigen::Vector2d(100, 50), 2, Recruitment::hold());
  EXPECT_NEAR(hold.recruits[0], 35, 1e-12);
  EXPECT_EQ(hold.recruits[1], 0);
  EXPECT_NEAR(hold.end[0], 100, 1e-12);
  EXPECT_NEAR(hold.end[1], 55, 1e-12);
  EXPECT_NEAR(hold.start[3], 55, 1e-12);  // year 2 starts where year 1 ended
  // The steady state is a fixed point of the projection.
  const TransitionProjection fixed = model.project(star, 3, Recruitment::fixed(Eigen::Vector2d(10, 5)));
  for (std::size_t r = 0; r < fixed.rows(); ++r) EXPECT_NEAR(fixed.end[r], fixed.start[r], 1e-9);
}

TEST(Transition, ThreeGradeHierarchy) {
  // Grades with promotion: J -> S 0.1, S -> T 0.05; stay 0.7, 0.8, 0.9.
  // N is upper triangular: N_JJ = 1/0.3, N_JS = 0.1/(0.3·0.2), N_JT = 0.1·0.05/(0.3·0.2·0.1) = 5/6.
  Eigen::MatrixXd p(3, 3);
  p << 0.7, 0.1, 0, 0, 0.8, 0.05, 0, 0, 0.9;
  const TransitionModel model({"J", "S", "T"}, p);
  EXPECT_NEAR(model.fundamental_matrix()(0, 2), 5.0 / 6, 1e-12);
  EXPECT_NEAR(model.expected_tenure("J"), 1 / 0.3 + 0.1 / 0.06 + 5.0 / 6, 1e-12);
  // Reaching the top grade from the bottom: (0.1/0.3)·(0.05/0.2) = 1/12.
  EXPECT_NEAR(model.reach_probability("J", "T"), 1.0 / 12, 1e-12);
}

TEST(Transition, IdentityAndErrors) {
  const TransitionModel identity({"A", "B"}, Eigen::MatrixXd::Identity(2, 2));
  const TransitionProjection same = identity.project(Eigen::Vector2d(7, 3), 5);
  for (std::size_t r = 0; r < same.rows(); ++r) {
    EXPECT_EQ(same.end[r], same.start[r]);
    EXPECT_EQ(same.exits[r], 0.0);
  }
  EXPECT_FALSE(identity.transient());
  EXPECT_THROW((void)identity.fundamental_matrix(), argument_error);
  EXPECT_THROW((void)identity.expected_tenure("A"), argument_error);
  Eigen::MatrixXd over(2, 2);
  over << 0.9, 0.2, 0, 1;
  EXPECT_THROW(TransitionModel({"A", "B"}, over), argument_error);
  Eigen::MatrixXd negative(2, 2);
  negative << 0.5, -0.1, 0, 0.5;
  EXPECT_THROW(TransitionModel({"A", "B"}, negative), argument_error);
  EXPECT_THROW(TransitionModel({"A", "B", "C"}, Eigen::MatrixXd::Zero(2, 2)), argument_error);
  EXPECT_THROW(TransitionModel({"A", "B"}, Eigen::MatrixXd::Zero(2, 3)), argument_error);
  // A closed class {B, C} (B <-> C, rows summing to 1) makes I − P singular although A exits.
  Eigen::MatrixXd closed(3, 3);
  closed << 0.5, 0.2, 0, 0, 0, 1, 0, 1, 0;
  const TransitionModel m({"A", "B", "C"}, closed);
  EXPECT_THROW((void)m.reach_probability("A", "B"), argument_error);
  // A row within 1e-9 above 1 is accepted.
  Eigen::MatrixXd near(1, 1);
  near << 1 + 1e-10;
  EXPECT_NO_THROW(TransitionModel({"A"}, near));
  EXPECT_THROW(identity.project(Eigen::Vector2d(1, -1), 1), argument_error);
  EXPECT_THROW((void)identity.index("C"), argument_error);
}

TEST(Transition, EstimatedFromTheRegister) {
  // On 2024-01-01: P1, P2 in D1; P3, P4 in D2. On 2024-12-31: P2, P3 in D1; P1 and P4 gone.
  const Register reg = read(small);
  const TransitionEstimate e = estimate_transitions(reg, d("2024-01-01"), d("2024-12-31"), by(reg, {"department"}));
  EXPECT_EQ(e.states, (std::vector<std::string>{"D1", "D2"}));
  EXPECT_EQ(e.persons(0), 2);
  EXPECT_EQ(e.persons(1), 2);
  EXPECT_EQ(e.p(0, 0), 0.5);  // P2 stayed, P1 left
  EXPECT_EQ(e.p(1, 0), 0.5);  // P3 moved to D1
  EXPECT_EQ(e.p(1, 1), 0.0);  // P4 left
  EXPECT_EQ(e.exits(0), 1);
  EXPECT_EQ(e.exits(1), 1);
  EXPECT_NEAR(e.model().expected_tenure("D2"), 1 + 0.5 * 2, 1e-12);  // N = [[2, 0], [1, 1]]
  EXPECT_THROW(estimate_transitions(reg, d("2024-01-01"), d("2024-12-31"), Query{}), argument_error);
}
