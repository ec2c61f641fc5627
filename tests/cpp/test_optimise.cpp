// Optimised workforce plans (docs/plans.md): the published optima of Williams'
// manpower-planning problem, small plans solved by hand, an infeasible plan,
// and the errors of bad plan files.
#include <staffcast/error.hpp>
#include <staffcast/io/plan_file.hpp>
#include <staffcast/io/table_format.hpp>
#include <staffcast/plan/optimise.hpp>
#include <staffcast/plan/plan_from_register.hpp>

#include <gtest/gtest.h>

#include "register_fixture.hpp"

#include <algorithm>
#include <cmath>
#include <string>

using namespace staffcast;

namespace {

const std::string williams_file = std::string(STAFFCAST_SOURCE_DIR) + "/examples/plans/williams_manpower.toml";

/// The value of `column` in the row of `period` and `category` ("Total" and "" for the Total row).
double cell(const PlanResult& r, const std::string& period, const std::string& category, const std::string& column) {
  const Table& t = r.table;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (t.keys[0][i] == period && t.keys[1][i] == category) return t.column(column).values[i];
  }
  ADD_FAILURE() << "no row " << period << "/" << category;
  return NAN;
}

bool has_binding(const PlanResult& r, const std::string& text) {
  return std::any_of(r.binding.begin(), r.binding.end(), [&](const PlanBinding& b) { return b.text == text; });
}

/// One category, one period: 100 staff, 10 % leave, 20 % of recruits leave, 120 needed.
const char* nurses = R"(periods = 1
[[category]]
name = "nurses"
initial = 100
demand = [120]
wastage = 0.1
wastage_new = 0.2
recruit_cost = 1000
)";

std::string error_of(const std::string& text) {
  try {
    parse_plan_toml(text, "plan.toml");
  } catch (const argument_error& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

// Williams, Model Building in Mathematical Programming: minimum redundancy 841.8.
TEST(Optimise, WilliamsMinimumRedundancy) {
  const WorkforcePlan plan = read_plan_file(williams_file);
  const PlanResult r = optimise_plan(plan, PlanObjective::redundancy);
  EXPECT_NEAR(r.objective_value, 841.8, 0.05);
  EXPECT_NEAR(cell(r, "Total", "", "redundancies"), 841.8, 0.05);
  EXPECT_EQ(r.table.rows(), 10u);  // 3 periods × 3 categories + Total
}

// Williams: minimum cost £498,677.
TEST(Optimise, WilliamsMinimumCost) {
  const PlanResult r = optimise_plan(read_plan_file(williams_file));
  EXPECT_EQ(r.objective, PlanObjective::cost);
  EXPECT_NEAR(r.objective_value, 498677.0, 1.0);
  EXPECT_NEAR(r.total_cost, 498677.0, 1.0);
  EXPECT_NEAR(cell(r, "Total", "", "cost"), 498677.0, 1.0);
  // Every period meets demand: stock − ½ short time − overstaffing = demand.
  for (const char* period : {"1", "2", "3"}) {
    for (const char* c : {"unskilled", "semiskilled", "skilled"}) {
      EXPECT_NEAR(
          cell(r, period, c, "stock") - 0.5 * cell(r, period, c, "short_time") - cell(r, period, c, "overstaffing"),
          cell(r, period, c, "demand"), 1e-6);
    }
  }
}

// By hand: 90 stay, 0.8 r = 30, r = 37.5, cost 37,500; a person more costs 1000 / 0.8.
TEST(Optimise, OneCategoryOnePeriodByHand) {
  const PlanResult r = optimise_plan(parse_plan_toml(nurses));
  EXPECT_NEAR(cell(r, "1", "nurses", "recruits"), 37.5, 1e-9);
  EXPECT_NEAR(cell(r, "1", "nurses", "stock"), 120.0, 1e-9);
  EXPECT_NEAR(r.objective_value, 37500.0, 1e-6);
  EXPECT_EQ(cell(r, "1", "nurses", "cost"), 37500.0);
  ASSERT_EQ(r.binding.size(), 1u);
  EXPECT_NEAR(r.binding[0].shadow_price, 1250.0, 1e-6);
  EXPECT_EQ(r.binding[0].text, "one more person needed for nurses in period 1 costs 1,250");
  EXPECT_NE(explain_plan(r).find("minimum cost: 37,500"), std::string::npos);
  EXPECT_EQ(to_csv(r.table),
            "period,category,stock,demand,recruits,moves_in,moves_out,redundancies,short_time,overstaffing,"
            "shortfall,cost\n"
            "1,nurses,120.0,120.0,37.5,0.0,0.0,0.0,0.0,0.0,0.0,37500\n"
            "Total,,,,37.5,0.0,0.0,0.0,0.0,0.0,0.0,37500\n");
}

// By hand: at most 25 recruits give 90 + 20 = 110, so 10 short at 5000 each:
// 25,000 + 50,000; a recruit more saves 0.8 · 5000 − 1000 = 3000.
TEST(Optimise, RecruitCapAndShortfallByHand) {
  const PlanResult r =
      optimise_plan(parse_plan_toml(std::string(nurses) + "recruit_max = 25\nshortfall_cost = 5000\n"));
  EXPECT_NEAR(cell(r, "1", "nurses", "recruits"), 25.0, 1e-9);
  EXPECT_NEAR(cell(r, "1", "nurses", "shortfall"), 10.0, 1e-9);
  EXPECT_NEAR(r.objective_value, 75000.0, 1e-6);
  EXPECT_TRUE(has_binding(r, "one more recruit allowed for nurses in period 1 saves 3,000"));
  EXPECT_TRUE(has_binding(r, "one more person needed for nurses in period 1 costs 5,000"));
  // The shortfall objective: the same 10 short.
  const PlanResult s =
      optimise_plan(parse_plan_toml(std::string(nurses) + "recruit_max = 25\n"), PlanObjective::shortfall);
  EXPECT_NEAR(s.objective_value, 10.0, 1e-9);
}

// By hand: 100 − 10 % = 90 against 50 needed; 30 overstaffed at 100 (the cap),
// the other 10 made redundant at 200: 5,000. One more overstaffed saves 200 − 100.
TEST(Optimise, OverstaffingCapAndRedundancyByHand) {
  const PlanResult r = optimise_plan(parse_plan_toml(R"(periods = 1
overstaffing_max_total = 30
[[category]]
name = "clerks"
initial = 100
demand = [50]
wastage = 0.1
redundancy_cost = 200
overstaffing_cost = 100
)"));
  EXPECT_NEAR(cell(r, "1", "clerks", "overstaffing"), 30.0, 1e-9);
  EXPECT_NEAR(cell(r, "1", "clerks", "redundancies"), 10.0, 1e-9);
  EXPECT_NEAR(r.objective_value, 5000.0, 1e-6);
  EXPECT_TRUE(has_binding(r, "one more person of overstaffing allowed in period 1 saves 100"));
}

// By hand: 100 assistants, 80 needed, no redundancy: 20 trained into nurses,
// 90 % arrive (one minus the nurses' wastage) = 18 = the nurses needed; cost 20 · 10.
TEST(Optimise, MoveArrivesAtOneMinusTargetWastageByHand) {
  const PlanResult r = optimise_plan(parse_plan_toml(R"(periods = 1
[[category]]
name = "assistants"
initial = 100
demand = [80]
[[category]]
name = "nurses"
initial = 0
demand = [18]
wastage = 0.1
[[move]]
from = "assistants"
to = "nurses"
cost = 10
)"));
  EXPECT_NEAR(cell(r, "1", "assistants", "moves_out"), 20.0, 1e-9);
  EXPECT_NEAR(cell(r, "1", "nurses", "moves_in"), 20.0, 1e-9);
  EXPECT_NEAR(cell(r, "1", "nurses", "stock"), 18.0, 1e-9);
  EXPECT_EQ(cell(r, "1", "nurses", "cost"), 200.0);
  EXPECT_EQ(cell(r, "1", "assistants", "cost"), 0.0);
}

// 25 recruits at most and no shortfall allowed: demand 120 cannot be met.
TEST(Optimise, InfeasiblePlanNamesTheConflict) {
  const WorkforcePlan plan = parse_plan_toml(std::string(nurses) + "recruit_max = 25\n");
  try {
    optimise_plan(plan);
    FAIL() << "no error";
  } catch (const infeasible_plan_error& e) {
    const auto& c = e.conflicts();
    ASSERT_EQ(c.size(), 2u) << e.what();
    EXPECT_EQ(c[0], "demand of nurses in period 1 (120.0): 10.0 short (no shortfall_cost: the demand must be met)");
    EXPECT_EQ(c[1], "recruit_max of nurses in period 1 (25.0)");
    EXPECT_NE(std::string(e.what()).find("the plan is infeasible"), std::string::npos);
  }
}

TEST(Optimise, TooManyWithoutRedundancyIsInfeasible) {
  try {
    optimise_plan(parse_plan_toml("periods = 1\n[[category]]\nname = \"a\"\ninitial = 10\ndemand = [5]\n"));
    FAIL() << "no error";
  } catch (const infeasible_plan_error& e) {
    ASSERT_EQ(e.conflicts().size(), 1u);
    EXPECT_EQ(e.conflicts()[0],
              "demand of a in period 1 (5.0): 5.0 too many (no redundancy_cost: no redundancies) "
              "(no overstaffing_cost: no overstaffing)");
  }
}

TEST(PlanFile, ErrorsNameTheKeyAndLine) {
  EXPECT_EQ(error_of(std::string(nurses) + "colour = 1\n"),
            "plan plan.toml, line 9, column 1: key 'category[1].colour': unknown key (known: name, initial, demand, "
            "wastage_new, wastage, recruit_max, recruit_cost, redundancy_cost, overstaffing_cost, short_time_max, "
            "short_time_cost, short_time_output, shortfall_cost)");
  EXPECT_NE(error_of("periods = 1\n[[category]]\nname = \"a\"\ndemand = [1]\nwastage = -0.1\n")
                .find("line 5, column 11: key 'category[1].wastage': must be a number in [0, 1], got -0.1"),
            std::string::npos);
  EXPECT_NE(error_of("periods = 1\n[[category]]\nname = \"a\"\ndemand = [1]\nrecruit_cost = -5\n")
                .find("key 'category[1].recruit_cost': must be a number >= 0"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(nurses) + "[[move]]\nfrom = \"nurses\"\nto = \"doctors\"\narrive = 0.5\n")
                .find("line 11, column 6: key 'move[1].to': unknown category 'doctors' (categories: nurses)"),
            std::string::npos);
  EXPECT_NE(error_of("periods = 2\n[[category]]\nname = \"a\"\ndemand = [1, 2, 3]\n")
                .find("line 4, column 10: key 'category[1].demand': must have 2 values (one per period, periods = 2), "
                      "got 3"),
            std::string::npos);
  EXPECT_NE(error_of(std::string(nurses) + "[[move]]\nfrom = \"nurses\"\nto = \"nurses\"\narrive = 1.5\n")
                .find("key 'move[1].arrive': must be a number in [0, 1], got 1.5"),
            std::string::npos);
  EXPECT_NE(error_of("periods = 1\nplan = 3\n").find("key 'plan': unknown key"), std::string::npos);
  EXPECT_NE(error_of("objective = \"cheap\"\nperiods = 1\n").find("must be one of cost, redundancy, shortfall"),
            std::string::npos);
  EXPECT_NE(error_of("periods = 1\n[[category]]\ndemand = [1]\n").find("key 'category[1].name': is required"),
            std::string::npos);
  EXPECT_NE(error_of("periods = [1\n").find("invalid TOML"), std::string::npos);
}

TEST(PlanFile, ValidatePlanChecksTheStructToo) {
  WorkforcePlan plan;
  plan.periods = 2;
  plan.categories.push_back({});
  plan.categories[0].name = "a";
  plan.categories[0].demand = {1.0};
  try {
    optimise_plan(plan);
    FAIL() << "no error";
  } catch (const argument_error& e) {
    EXPECT_EQ(std::string(e.what()), "plan: category[1].demand: must have 2 values (one per period), got 1");
  }
  EXPECT_THROW(parse_plan_objective("cheapest"), argument_error);
  EXPECT_EQ(parse_plan_objective("shortfall"), PlanObjective::shortfall);
}

TEST(OptimiseFromRegister, OneCategoryByHand) {
  // On 2024-12-31 P1 and P3 are employed. Over 2024 (366 days): one year of service or more, P1
  // all year and P2 to 30 June (182 days), P2 leaves; first year, P3 all year and P4 184 days, P4 leaves.
  const Register reg = staffcast::testing::read(
      "P1,1980-05-01,F,permanent,Nurse,Ward,1.00,2010-01-01,,,,\n"
      "P2,1980-05-01,M,permanent,Nurse,Ward,1.00,2010-01-01,2024-06-30,own_request,,\n"
      "P3,1990-05-01,F,permanent,Nurse,Ward,1.00,2024-01-01,,,,\n"
      "P4,1990-05-01,F,permanent,Nurse,Ward,1.00,2024-03-01,2024-08-31,own_request,,\n");
  const WorkforcePlan file = parse_plan_toml(
      "periods = 1\n[register]\nby = \"position\"\n[[category]]\nname = \"Nurse\"\nrecruit_cost = 1000\n");
  EXPECT_THROW(optimise_plan(file), argument_error);  // a [register] plan needs a register
  const WorkforcePlan plan = plan_from_register(file, reg, staffcast::testing::d("2024-12-31"));
  ASSERT_EQ(plan.categories.size(), 1u);
  const PlanCategory& nurse = plan.categories[0];
  EXPECT_EQ(nurse.initial, 2.0);
  EXPECT_EQ(nurse.demand, std::vector<double>{2.0});
  // Rates per person-year as the share of a year's stock that leaves, the hazard constant over the
  // year: first year 1 / (550 / 365.25) = 0.664091 per person-year, e^−0.664091 = 0.514741, so a share
  // of 0.485259; later years 1 / (548 / 365.25) = 0.666515, e^−0.666515 = 0.513495, 0.486505.
  EXPECT_NEAR(nurse.wastage_new, 1 - std::exp(-365.25 / (366 + 184)), 1e-12);
  EXPECT_NEAR(nurse.wastage_new, 0.485259, 1e-6);
  ASSERT_EQ(nurse.wastage.size(), 1u);
  EXPECT_NEAR(nurse.wastage[0], 1 - std::exp(-365.25 / (366 + 182)), 1e-12);  // nobody near 65: no retirements
  EXPECT_NEAR(nurse.wastage[0], 0.486505, 1e-6);
  EXPECT_EQ(plan.period_labels, std::vector<std::string>{"2025"});
  const PlanResult result = optimise_plan(plan);
  EXPECT_NEAR(cell(result, "2025", "Nurse", "recruits"), 2 * nurse.wastage[0] / (1 - nurse.wastage_new), 1e-9);

  const WorkforcePlan unknown =
      parse_plan_toml("periods = 1\n[register]\nby = \"position\"\n[[category]]\nname = \"Pilot\"\n");
  try {
    plan_from_register(unknown, reg, staffcast::testing::d("2024-12-31"));
    ADD_FAILURE() << "no error for a category not in the register";
  } catch (const argument_error& e) {
    EXPECT_NE(std::string(e.what()).find("'Pilot' is not a group of the register by position"), std::string::npos)
        << e.what();
  }
}

TEST(OptimiseFromRegister, RetirementsFirstThenTheOthersDepartures) {
  // As above with P5, 68 on 2024-12-31 (born 1956-05-01) and in service all of 2024: 69 in 2025, when
  // everyone has retired, so the outlook expects 1 retirement of the 3 employed: r = 1/3. The others
  // (one year of service or more) left at 1 / ((366 + 182 + 366) / 365.25) = 0.399617 per person-year:
  // a share of 1 − e^−0.399617 = 0.329423 of those who do not retire. wastage = 1/3 + 2/3 · 0.329423 =
  // 0.552949.
  const Register reg = staffcast::testing::read(
      "P1,1980-05-01,F,permanent,Nurse,Ward,1.00,2010-01-01,,,,\n"
      "P2,1980-05-01,M,permanent,Nurse,Ward,1.00,2010-01-01,2024-06-30,own_request,,\n"
      "P3,1990-05-01,F,permanent,Nurse,Ward,1.00,2024-01-01,,,,\n"
      "P4,1990-05-01,F,permanent,Nurse,Ward,1.00,2024-03-01,2024-08-31,own_request,,\n"
      "P5,1956-05-01,F,permanent,Nurse,Ward,1.00,2000-01-01,,,,\n");
  const WorkforcePlan plan = plan_from_register(
      parse_plan_toml("periods = 1\n[register]\nby = \"position\"\n[[category]]\nname = \"Nurse\"\n"), reg,
      staffcast::testing::d("2024-12-31"));
  const PlanCategory& nurse = plan.categories.at(0);
  EXPECT_EQ(nurse.initial, 3.0);
  EXPECT_NEAR(nurse.wastage_new, 0.485259, 1e-6);  // P5 is not in the first year
  ASSERT_EQ(nurse.wastage.size(), 1u);
  EXPECT_NEAR(nurse.wastage[0], 1.0 / 3 + 2.0 / 3 * (1 - std::exp(-365.25 / 914)), 1e-12);
  EXPECT_NEAR(nurse.wastage[0], 0.552949, 1e-6);
}

TEST(OptimiseFromRegister, AnAsOfAfterTheExtractionDateIsUnavailable) {
  const Register reg = staffcast::testing::read("P1,1980-05-01,F,permanent,Nurse,Ward,1.00,2010-01-01,,,,\n");
  const WorkforcePlan file = parse_plan_toml("periods = 1\n[register]\nby = \"position\"\n");
  EXPECT_NO_THROW(plan_from_register(file, reg, staffcast::testing::d("2024-12-31")));  // the extraction day
  try {
    plan_from_register(file, reg, staffcast::testing::d("2025-01-01"));
    ADD_FAILURE() << "no error for an as-of after the extraction date";
  } catch (const unavailable_error& e) {
    EXPECT_NE(std::string(e.what()).find("2025-01-01 is after the extraction date 2024-12-31"), std::string::npos)
        << e.what();
  }
  // An extraction date given for the plan counts instead of the register's.
  EXPECT_THROW(plan_from_register(file, reg, staffcast::testing::d("2024-12-31"), staffcast::testing::d("2024-06-30")),
               unavailable_error);
}

TEST(Optimise, CapacityByHand) {
  // 120 needed, 90 stay; capacity costs 500 a person, a recruit 1000 / 0.8 = 1250 a person who stays.
  const PlanResult r = optimise_plan(
      parse_plan_toml("periods = 1\n[[category]]\nname = \"nurses\"\ninitial = 100\ndemand = [120]\nwastage = 0.1\n"
                      "wastage_new = 0.2\nrecruit_cost = 1000\n[[capacity]]\nname = \"later retirement\"\n"
                      "category = \"nurses\"\nmax = 10\ncost = 500\n"));
  EXPECT_NEAR(cell(r, "1", "nurses", "capacity"), 10.0, 1e-9);
  EXPECT_NEAR(cell(r, "1", "nurses", "recruits"), 25.0, 1e-9);
  EXPECT_NEAR(r.total_cost, 30000.0, 1e-6);
}
