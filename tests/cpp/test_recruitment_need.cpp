// Recruitment need: the Total rows are the ungrouped call, and the
// other-departure rate is a yearly rate whatever the length of its window.
#include "register_fixture.hpp"

#include <staffcast/stats/recruitment_need.hpp>

#include <string>

using namespace staffcast;
using namespace staffcast::testing;

namespace {

// Department A: 10 who stay, 3 who left on 2023-06-30. Department B: 10 who
// stay, 4 of them born in 1959 (66 in 2025).
Register need_register() {
  std::string rows;
  for (int i = 0; i < 10; ++i) {
    rows += "A" + std::to_string(i) + ",1980-05-05,F,permanent,P,A,1.00,2015-01-01,,,external,\n";
    rows += "B" + std::to_string(i) + (i < 4 ? ",1959-03-01" : ",1985-05-05") +
            ",M,permanent,P,B,1.00,2015-01-01,,,external,\n";
  }
  for (int i = 0; i < 3; ++i) {
    rows += "L" + std::to_string(i) + ",1980-05-05,F,permanent,P,A,1.00,2015-01-01,2023-06-30,own_request,external,\n";
  }
  return read(rows, "2024-12-31");
}

RecruitmentNeedOptions three_year_window() {
  RecruitmentNeedOptions options;
  options.years = {2025, 2026, 2027};
  options.probabilities = RetirementProbabilities::given(65, {0.5, 0.5, 0.5, 0.5, 1.0});
  options.rates_from = d("2022-01-01");
  options.rates_to = d("2024-12-31");
  return options;
}

}  // namespace

TEST(RecruitmentNeed, ARateWindowOfThreeYearsGivesAYearlyRate) {
  const Register reg = need_register();
  const Table t = recruitment_need(reg, d("2024-12-31"), three_year_window(), by(reg, {"department"}));
  // Over 2022-01-01..2024-12-31 (1096 days) A has 10 persons every day and 3
  // more for the 546 days up to 2023-06-30: 3 departures over
  // (10 + 3 * 546 / 1096) * 1096 / 365.25 person-years.
  const double person_years = (10.0 + 3.0 * 546.0 / 1096.0) * 1096.0 / 365.25;
  const double yearly = 3.0 / person_years;  // about 0.087, not the window's 0.26
  ASSERT_EQ(t.keys[0][0], "A");
  ASSERT_EQ(t.keys[1][0], "2025");
  EXPECT_NEAR(t.column("other_departures").values[0], 10.0 * yearly, 1e-12);
  EXPECT_NEAR(t.column("recruitment_need").values[0], 10.0 * yearly, 1e-12);  // no one in A retires
  EXPECT_NEAR(t.column("other_departures").values[3], 0.0, 1e-12);            // B, 2025: nobody left B
  EXPECT_NEAR(t.column("retirements").values[3], 4 * 0.5, 1e-12);             // four at 66, q = 0.5
}

TEST(RecruitmentNeed, TotalRowsAreTheUngroupedCall) {
  const Register reg = need_register();
  const RecruitmentNeedOptions options = three_year_window();
  const Table grouped = recruitment_need(reg, d("2024-12-31"), options, by(reg, {"department"}, true));
  const Table whole = recruitment_need(reg, d("2024-12-31"), options, Query{});
  ASSERT_EQ(grouped.rows(), 9U);
  ASSERT_EQ(whole.rows(), 3U);
  for (std::size_t y = 0; y < 3; ++y) {
    const std::size_t r = 6 + y;
    EXPECT_EQ(grouped.keys[0][r], "Total");
    EXPECT_EQ(grouped.keys[1][r], whole.keys[0][y]);
    for (std::size_t c = 0; c < whole.values.size(); ++c) {
      EXPECT_EQ(grouped.values[c].values[r], whole.values[c].values[y]) << whole.values[c].name << " " << y;
    }
  }
  // The whole population's own rate: 3 departures over the person-years of all 23.
  const double person_years = (20.0 + 3.0 * 546.0 / 1096.0) * 1096.0 / 365.25;
  EXPECT_NEAR(whole.column("other_departures").values[0], 20.0 * 3.0 / person_years, 1e-12);
  // Which is not the sum of the groups' rows (A's rate times A's stock).
  const double sum = grouped.column("other_departures").values[0] + grouped.column("other_departures").values[3];
  EXPECT_GT(std::abs(sum - whole.column("other_departures").values[0]), 0.01);
}
