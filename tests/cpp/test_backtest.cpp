// The register cut at an origin and the backtest rows, against a small register
// worked by hand: year-end stocks, the naive and trend forecasts, the summary,
// the checks of the options, and that nothing after the origin is used.
#include <staffcast/staffcast.hpp>

#include "register_fixture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <string>
#include <vector>

namespace {

using namespace staffcast;
using staffcast::testing::d;

// Year-end headcounts (A, B): 2018 3 (3, 0), 2019 4 (3, 1), 2020 3 (2, 1), 2021 4 (1, 3),
// 2022 4 (1, 3), 2023 3 (1, 2), 2024 3 (1, 2).
const std::string rows =
    "P1,1970-01-01,F,permanent,Nurse,A,1.00,2000-01-01,,,,\n"
    "P2,1965-05-05,F,permanent,Nurse,A,1.00,2000-01-01,2020-06-30,own_request,,\n"
    "P3,1980-03-03,M,permanent,Nurse,B,1.00,2019-03-01,,,,\n"
    "P4,1990-07-07,F,temporary,Nurse,B,1.00,2021-02-01,2022-12-31,fixed_term_ended,,\n"
    "P5,1975-09-09,F,permanent,Nurse,A,1.00,2010-01-01,2021-05-31,internal_move,,\n"
    "P5,1975-09-09,F,permanent,Nurse,B,1.00,2021-06-01,,,internal,\n";

// The same history up to 2020-12-31, and a different one after it: P1 retires in
// 2021, P3 moves to a new department C, P2's successor starts, P5 leaves instead of moving.
const std::string garbage_rows =
    "P1,1970-01-01,F,permanent,Nurse,A,1.00,2000-01-01,2021-03-31,retirement,,\n"
    "P2,1965-05-05,F,permanent,Nurse,A,1.00,2000-01-01,2020-06-30,own_request,,\n"
    "P3,1980-03-03,M,permanent,Nurse,B,1.00,2019-03-01,2022-01-31,internal_move,,\n"
    "P3,1980-03-03,M,permanent,Chief,C,1.00,2022-02-01,,,internal,\n"
    "P5,1975-09-09,F,permanent,Nurse,A,1.00,2010-01-01,2023-05-31,own_request,,\n"
    "P9,1995-01-01,X,temporary,Aide,C,0.50,2021-01-01,2025-06-30,fixed_term_ended,,\n"
    "P8,1991-01-01,F,permanent,Aide,A,1.00,2021-01-01,,,external,\n"
    "P7,1992-01-01,F,permanent,Aide,A,1.00,2021-06-01,,,external,\n";

BacktestOptions options(int first, int last, int horizon, std::vector<BacktestModel> models) {
  BacktestOptions o;
  o.first_origin = first;
  o.last_origin = last;
  o.horizon = horizon;
  o.models = std::move(models);
  o.replicates = 50;
  o.seed = 7;
  return o;
}

std::size_t key_index(const Table& t, const std::string& name) {
  for (std::size_t k = 0; k < t.key_names.size(); ++k) {
    if (t.key_names[k] == name) return k;
  }
  ADD_FAILURE() << "no key " << name;
  return 0;
}

/// The value of `column` in the row whose keys are `keys` (model, origin, horizon[, group]).
double at(const Table& t, const std::vector<std::string>& keys, const std::string& column) {
  for (std::size_t r = 0; r < t.rows(); ++r) {
    bool match = true;
    for (std::size_t k = 0; k < keys.size(); ++k) match = match && t.keys[k][r] == keys[k];
    if (match) return t.column(column).values[r];
  }
  ADD_FAILURE() << "no row " << keys[0] << " " << keys[1] << " " << keys[2];
  return missing;
}

TEST(Cut, DropsLaterSpellsAndErasesLaterEnds) {
  const Register reg = staffcast::testing::read(rows);
  const Register cut = cut_register(reg, d("2020-12-31"));
  EXPECT_EQ(cut.extracted_on(), d("2020-12-31"));
  EXPECT_TRUE(cut.extracted_on_given());
  // Kept: P1, P2, P3, P5's first spell and the history row Z; P4 and P5's B spell start later.
  EXPECT_EQ(cut.size(), 5u);
  EXPECT_EQ(cut.persons(), 5u);  // with Z
  const SpellColumns& s = cut.spells();
  for (std::size_t i = 0; i < s.size(); ++i) {
    EXPECT_LE(s.start_date[i], d("2020-12-31"));
    if (s.end_date[i] != open_end_day) {
      EXPECT_LE(s.end_date[i], d("2020-12-31"));
    } else {
      EXPECT_EQ(s.end_reason[i], EndReason::none);
    }
  }
  EXPECT_EQ(cut.employed_persons(d("2020-12-31")), 3u);
  EXPECT_EQ(cut.employed_persons(d("2023-12-31")), 3u);  // nothing after the cut ends: P1, P3, P5 stay
  // The same positions and departments (codes), so a query of the full register applies.
  EXPECT_EQ(cut.departments().strings(), reg.departments().strings());
}

TEST(Cut, AMoveWhoseNextSpellStartsLaterIsUnpaired) {
  const Register reg = staffcast::testing::read(rows);
  const Register cut = cut_register(reg, d("2021-05-31"));
  bool unpaired = false;
  for (const Issue& issue : cut.issues().items()) unpaired = unpaired || issue.code == "unpaired_move";
  EXPECT_TRUE(unpaired);
  EXPECT_EQ(cut.employed_persons(d("2021-05-31")), 4u);  // P1, P3, P4, P5
  EXPECT_EQ(reg.employed_persons(d("2021-05-31")), 4u);
}

TEST(Cut, RejectsDaysOutsideTheRegister) {
  const Register reg = staffcast::testing::read(rows);
  EXPECT_THROW(cut_register(reg, d("2025-01-01")), argument_error);
  EXPECT_THROW(cut_register(reg, d("1999-12-31")), argument_error);
}

TEST(Backtest, NaiveAndTrendWorkedByHand) {
  const Register reg = staffcast::testing::read(rows);
  const Table t = backtest(reg, Query{}, options(2020, 2020, 3, {BacktestModel::naive, BacktestModel::trend}));
  ASSERT_EQ(t.rows(), 6u);
  EXPECT_EQ(t.key_names, (std::vector<std::string>{"model", "origin", "horizon"}));
  // Naive: the stock on 2020-12-31 (3). Observed: 4, 4, 3.
  for (int h = 1; h <= 3; ++h) EXPECT_EQ(at(t, {"naive", "2020", std::to_string(h)}, "projected"), 3.0);
  EXPECT_EQ(at(t, {"naive", "2020", "1"}, "observed"), 4.0);
  EXPECT_EQ(at(t, {"naive", "2020", "2"}, "observed"), 4.0);
  EXPECT_EQ(at(t, {"naive", "2020", "3"}, "observed"), 3.0);
  EXPECT_EQ(at(t, {"naive", "2020", "1"}, "error"), -1.0);
  EXPECT_TRUE(std::isnan(at(t, {"naive", "2020", "1"}, "p5")));
  // Trend through 3, 4, 3 (2018..2020): flat at 10/3.
  for (int h = 1; h <= 3; ++h) EXPECT_NEAR(at(t, {"trend", "2020", std::to_string(h)}, "projected"), 10.0 / 3, 1e-12);
  EXPECT_NEAR(at(t, {"trend", "2020", "3"}, "error"), 1.0 / 3, 1e-12);
}

TEST(Backtest, ByDepartmentTrendAndSummary) {
  const Register reg = staffcast::testing::read(rows);
  Query q = staffcast::testing::by(reg, {"department"});
  const Table t = backtest(reg, q, options(2020, 2020, 2, {BacktestModel::naive, BacktestModel::trend}));
  ASSERT_EQ(t.rows(), 8u);  // 2 models x 2 horizons x 2 departments
  EXPECT_EQ(key_index(t, "department"), 3u);
  EXPECT_EQ(at(t, {"naive", "2020", "1", "A"}, "projected"), 2.0);
  EXPECT_EQ(at(t, {"naive", "2020", "1", "B"}, "projected"), 1.0);
  EXPECT_EQ(at(t, {"naive", "2020", "1", "A"}, "observed"), 1.0);
  EXPECT_EQ(at(t, {"naive", "2020", "1", "B"}, "observed"), 3.0);
  // A: 3, 3, 2 → mean 8/3, slope −1/2; B: 0, 1, 1 → mean 2/3, slope 1/2.
  EXPECT_NEAR(at(t, {"trend", "2020", "1", "A"}, "projected"), 8.0 / 3 - 1.0, 1e-12);
  EXPECT_NEAR(at(t, {"trend", "2020", "2", "A"}, "projected"), 8.0 / 3 - 1.5, 1e-12);
  EXPECT_NEAR(at(t, {"trend", "2020", "1", "B"}, "projected"), 2.0 / 3 + 1.0, 1e-12);
  EXPECT_NEAR(at(t, {"trend", "2020", "2", "B"}, "projected"), 2.0 / 3 + 1.5, 1e-12);

  const Table s = backtest_summary(t);
  ASSERT_EQ(s.rows(), 4u);
  EXPECT_EQ(s.keys[0], (std::vector<std::string>{"naive", "naive", "trend", "trend"}));
  EXPECT_EQ(s.keys[1], (std::vector<std::string>{"1", "2", "1", "2"}));
  // Naive, h = 1: errors A +1, B −2 → mae 1.5, mape (1/1 + 2/3) / 2.
  EXPECT_EQ(s.column("cells").values[0], 2.0);
  EXPECT_NEAR(s.column("mae").values[0], 1.5, 1e-12);
  EXPECT_NEAR(s.column("mape").values[0], (1.0 + 2.0 / 3) / 2, 1e-12);
  EXPECT_TRUE(std::isnan(s.column("coverage").values[0]));
  // Trend, h = 1: A 5/3 vs 1, B 5/3 vs 3 → |2/3| and |4/3|.
  EXPECT_NEAR(s.column("mae").values[2], 1.0, 1e-12);
}

TEST(Backtest, HorizonsAfterTheExtractionDateHaveNoRows) {
  const Register reg = staffcast::testing::read(rows, "2023-12-31");
  const Table t = backtest(reg, Query{}, options(2021, 2022, 3, {BacktestModel::naive}));
  // 2021: h = 1, 2 (2022, 2023); 2022: h = 1 (2023).
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.keys[1], (std::vector<std::string>{"2021", "2021", "2022"}));
  EXPECT_EQ(t.keys[2], (std::vector<std::string>{"1", "2", "1"}));
}

TEST(Backtest, ModelsCohortAndMicrosimHaveTheirColumns) {
  const Register reg = staffcast::testing::read(rows);
  const Table t = backtest(reg, Query{}, options(2020, 2021, 2, {BacktestModel::cohort, BacktestModel::microsim}));
  ASSERT_EQ(t.rows(), 8u);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const bool sim = t.keys[0][r] == "microsim";
    EXPECT_EQ(std::isnan(t.column("p5").values[r]), !sim);
    if (sim) {
      EXPECT_LE(t.column("p5").values[r], t.column("projected").values[r]);
      EXPECT_LE(t.column("projected").values[r], t.column("p95").values[r]);
    }
    EXPECT_EQ(t.column("error").values[r], t.column("projected").values[r] - t.column("observed").values[r]);
  }
  // The microsimulation is the same for any thread count.
  BacktestOptions two = options(2020, 2021, 2, {BacktestModel::cohort, BacktestModel::microsim});
  two.threads = 2;
  const Table u = backtest(reg, Query{}, two);
  EXPECT_EQ(u.column("projected").values, t.column("projected").values);
  for (std::size_t r = 4; r < t.rows(); ++r) EXPECT_EQ(u.column("p95").values[r], t.column("p95").values[r]);
}

TEST(Backtest, NothingAfterTheOriginLeaksIn) {
  const Register full = staffcast::testing::read(rows);
  const Register garbage = staffcast::testing::read(garbage_rows);
  const BacktestOptions o = options(
      2020, 2020, 4, {BacktestModel::naive, BacktestModel::trend, BacktestModel::cohort, BacktestModel::microsim});
  const Table a = backtest(full, Query{}, o);
  const Table b = backtest(garbage, Query{}, o);
  ASSERT_EQ(a.rows(), b.rows());
  EXPECT_EQ(a.keys, b.keys);
  EXPECT_EQ(a.column("projected").values, b.column("projected").values);
  // p5/p95 are NaN for point models: compare them as text.
  for (const char* name : {"p5", "p95"}) {
    for (std::size_t r = 0; r < a.rows(); ++r) {
      EXPECT_EQ(format_value(a.column(name).values[r], ValueKind::number),
                format_value(b.column(name).values[r], ValueKind::number));
    }
  }
  EXPECT_NE(a.column("observed").values, b.column("observed").values);  // the later history does differ
}

TEST(Backtest, AnOriginWithoutStaffForecastsNobody) {
  const Register reg = staffcast::testing::read(rows);
  Query temporary;  // P4, the only temporary, starts in 2021
  temporary.filter = Filter::parse(reg, {{"employment_form", {"temporary"}}});
  const Table t = backtest(reg, temporary, options(2020, 2020, 1, {BacktestModel::cohort, BacktestModel::microsim}));
  ASSERT_EQ(t.rows(), 2u);
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(t.column("observed").values[r], 1.0);
    EXPECT_EQ(t.column("projected").values[r], 0.0);
  }
  EXPECT_EQ(t.column("p95").values[1], 0.0);
}

TEST(Backtest, CancelStopsAndThrows) {
  const Register reg = staffcast::testing::read(rows);
  std::atomic<bool> cancel{true};
  BacktestOptions o = options(2020, 2021, 2, {BacktestModel::naive, BacktestModel::microsim});
  o.cancel = &cancel;
  EXPECT_THROW(backtest(reg, Query{}, o), cancelled_error);
}

TEST(Backtest, ChecksItsOptions) {
  const Register reg = staffcast::testing::read(rows);
  auto message = [&](const BacktestOptions& o, const Query& q = Query{}) -> std::string {
    try {
      check_backtest(reg, q, o);
    } catch (const argument_error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(message(options(2020, 2020, 0, {BacktestModel::naive})).find("horizon must be between 1 and 200"),
            std::string::npos);
  EXPECT_NE(message(options(2024, 2024, 1, {BacktestModel::naive})).find("nothing to compare"), std::string::npos);
  EXPECT_NE(message(options(2025, 2025, 1, {BacktestModel::naive})).find("after the register's extraction date"),
            std::string::npos);
  EXPECT_NE(message(options(2021, 2019, 1, {BacktestModel::naive})).find("reversed"), std::string::npos);
  // History from 2005-12-31: the first origin is 2005, 2007 with the trend model.
  EXPECT_EQ(first_backtest_origin(reg, {BacktestModel::naive}), 2005);
  EXPECT_EQ(first_backtest_origin(reg, {BacktestModel::trend}), 2007);
  EXPECT_EQ(last_backtest_origin(reg), 2023);
  EXPECT_EQ(message(options(2005, 2023, 1, {BacktestModel::naive})), "");
  EXPECT_NE(message(options(2004, 2010, 1, {BacktestModel::naive})).find("before the register's history"),
            std::string::npos);
  EXPECT_NE(message(options(2006, 2010, 1, {BacktestModel::trend})).find("the trend model needs"), std::string::npos);
  BacktestOptions none = options(2020, 2020, 1, {BacktestModel::microsim});
  none.replicates = 0;
  EXPECT_NE(message(none).find("replicates"), std::string::npos);
  EXPECT_NE(message(options(2020, 2020, 1, {BacktestModel::naive}), staffcast::testing::by(reg, {"age_band"}))
                .find("cannot group by age_band"),
            std::string::npos);
  EXPECT_EQ(parse_backtest_origins(" 2019-2022 "), std::make_pair(2019, 2022));
  EXPECT_EQ(parse_backtest_origins("2020"), std::make_pair(2020, 2020));
  EXPECT_THROW(parse_backtest_origins("2022-2019"), argument_error);
  EXPECT_THROW(parse_backtest_origins("19-22"), argument_error);
  EXPECT_THROW(parse_backtest_origins("2019-"), argument_error);
  EXPECT_THROW(parse_backtest_model("arima"), argument_error);
  EXPECT_THROW(parse_backtest_models({"naive", "naive"}), argument_error);
  EXPECT_EQ(parse_backtest_models({"trend", "naive"}),
            (std::vector<BacktestModel>{BacktestModel::trend, BacktestModel::naive}));
}

}  // namespace
