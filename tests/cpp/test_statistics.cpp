// Statistics in C++ on tiny registers with answers worked out by hand.
#include <staffcast/detail/group_sums.hpp>
#include <staffcast/detail/sick_leave_rates.hpp>
#include <staffcast/staffcast.hpp>
#include <staffcast/stats/indicator_followup.hpp>
#include <staffcast/stats/retirement.hpp>
#include <staffcast/stats/sick_leave_rates.hpp>
#include <staffcast/stats/turnover.hpp>

#include <gtest/gtest.h>

#include "register_fixture.hpp"

#include <cmath>
#include <random>

using namespace staffcast;

using namespace staffcast::testing;

TEST(Bands, LabelsFromEdges) {
  const Bands bands = default_age_bands();
  EXPECT_EQ(bands.labels, (std::vector<std::string>{"15-19", "20-29", "30-39", "40-49", "50-59", "60-64", "65+"}));
  EXPECT_EQ(bands.index(19), 0U);
  EXPECT_EQ(bands.index(20), 1U);
  EXPECT_EQ(bands.index(64), 5U);
  EXPECT_EQ(bands.index(65), 6U);
  EXPECT_EQ(default_fte_bands().index(99), 2U);
  EXPECT_EQ(default_fte_bands().index(100), 3U);
  EXPECT_EQ(default_tenure_bands().index(2), 1U);
  EXPECT_THROW(Bands::from_edges({30, 20}), argument_error);
}

// Keys of a period's events take the age band from the tables of the period's
// first and last day when both agree: the same band as age_on on the day,
// for births around every birthday and 29 February, on every day of a period.
TEST(Bands, AgeBandOverAPeriodIsTheBandOnTheDay) {
  const Register reg = read("P,1980-06-15,F,permanent,Utredare,Vuxen,1.00,2020-01-01,,,,\n");
  const GroupBy by = GroupBy::parse(reg, {"age_band"});
  GroupKeys keys(reg, by);
  const day_t from = d("2023-10-01"), to = d("2024-09-30");
  keys.fix_period(from, to);
  int checked = 0;
  for (day_t birth = d("1958-09-01"); birth <= d("1960-11-30"); birth += 3) {  // around the 65 edge
    for (day_t day = from; day <= to; day += 5) {
      ASSERT_EQ(keys.age_band_on(birth, day), keys.band_of_age(age_on(birth, day)))
          << format_iso_date(birth) << " on " << format_iso_date(day);
      ++checked;
    }
  }
  for (const char* birth : {"1964-02-29", "1996-02-29", "2004-02-29", "2003-10-01", "2004-09-30"}) {
    for (day_t day = from; day <= to; ++day) {
      ASSERT_EQ(keys.age_band_on(d(birth), day), keys.band_of_age(age_on(d(birth), day))) << birth;
    }
  }
  // Outside the period, the exact age.
  EXPECT_EQ(keys.age_band_on(d("1959-10-15"), d("2025-01-01")), keys.band_of_age(65));
  EXPECT_GT(checked, 10000);
}

TEST(Bands, AgeBandOnTheFixedDayIsTheBandOfTheExactAge) {
  // fix_day tables a band per birth day; every birth, tabled or not (before
  // the table, after the day), must get the band of its exact age, and for
  // bands given by hand (including edges that are not multiples of ten).
  const Register reg = read("P,1980-06-15,F,permanent,Utredare,Vuxen,1.00,2020-01-01,,,,\n");
  for (const std::vector<int>& edges : {std::vector<int>{20, 30, 40, 50, 60, 65}, std::vector<int>{1, 18, 67, 100}}) {
    GroupBy by = GroupBy::parse(reg, {"age_band"});
    by.age_bands = Bands::from_edges(edges);
    GroupKeys keys(reg, by);
    for (const char* day_text : {"2024-09-30", "2024-02-29", "2023-03-01"}) {
      const day_t day = d(day_text);
      keys.fix_day(day);
      int checked = 0;
      for (day_t birth = d("1850-01-01"); birth <= d("2030-12-31"); birth += 7) {
        const int age = age_on(birth, day);
        ASSERT_EQ(keys.age_band_on(birth, day), by.age_bands.index(age))
            << format_iso_date(birth) << " on " << day_text;
        ++checked;
      }
      for (const char* birth : {"1964-02-29", "1960-02-29", "1959-09-30", "1959-10-01", "2024-09-30", "2024-10-01"}) {
        ASSERT_EQ(keys.age_band_on(d(birth), day), by.age_bands.index(age_on(d(birth), day))) << birth;
      }
      EXPECT_GT(checked, 9000);
    }
  }
}

TEST(Table, KernelKeyCodesNameTheSameLabelsAsTheKeys) {
  const Register reg = read(
      "P,1980-06-15,F,temporary,Utredare,Vuxen,0.50,2020-02-01,,,,\n"
      "P,1980-06-15,F,permanent,Handläggare,Barn,0.50,2020-01-01,,,,\n"
      "Q,1990-01-01,M,temporary,Utredare,Vuxen,0.50,2021-01-01,2025-06-30,fixed_term_ended,,\n"
      "R,1959-03-01,F,permanent,Chef,Vuxen,1.00,2001-01-01,,,,\n"
      "S,2001-12-24,X,hourly,Utredare,Barn,0.50,2021-01-01,2025-12-31,other,,\n");
  auto check = [](const Table& t, std::size_t rows) {
    ASSERT_EQ(t.rows(), rows);
    ASSERT_TRUE(t.has_key_codes());
    for (std::size_t k = 0; k < t.keys.size(); ++k) {
      for (std::size_t r = 0; r < t.rows(); ++r) {
        ASSERT_LT(t.key_codes[k][r], t.key_labels[k].size());
        EXPECT_EQ(t.key_labels[k][t.key_codes[k][r]], t.keys[k][r]) << "column " << k << " row " << r;
      }
    }
  };
  // Groups by department x gender x age band: Barn/F/40-49, Barn/X/20-29, Vuxen/F/40-49, Vuxen/F/65+, Vuxen/M/30-39.
  Table t = snapshot(reg, d("2024-06-15"), by(reg, {"department", "gender", "age_band"}, true));
  check(t, 6);
  EXPECT_EQ(t.keys[0], (std::vector<std::string>{"Barn", "Barn", "Vuxen", "Vuxen", "Vuxen", "Total"}));
  EXPECT_EQ(t.keys[2], (std::vector<std::string>{"40-49", "20-29", "40-49", "65+", "30-39", ""}));
  // Rows put in another order and sorted again: the codes move with their rows.
  std::reverse(t.keys[0].begin(), t.keys[0].end() - 1);
  for (std::size_t k = 1; k < 3; ++k) std::reverse(t.keys[k].begin(), t.keys[k].end() - 1);
  for (auto& column : t.key_codes) std::reverse(column.begin(), column.end() - 1);
  for (auto& column : t.values) std::reverse(column.values.begin(), column.values.end() - 1);
  t.keys[0].pop_back();
  t.keys[1].pop_back();
  t.keys[2].pop_back();
  for (auto& column : t.key_codes) column.pop_back();
  for (auto& column : t.values) column.values.pop_back();
  t.sort_rows();
  check(t, 5);
  EXPECT_EQ(t.keys[1], (std::vector<std::string>{"F", "X", "F", "F", "M"}));
  // A row added without codes: the codes no longer count.
  for (auto& column : t.keys) column.push_back("extra");
  EXPECT_FALSE(t.has_key_codes());
}

TEST(Snapshot, MainSpellTieBreaksAndFteInOwnGroup) {
  // One person with two equal-fte spells: the earlier start wins; then the later end; then the form by code point.
  const Register reg = read(
      "P,1980-06-15,F,temporary,Utredare,Vuxen,0.50,2020-02-01,,,,\n"
      "P,1980-06-15,F,permanent,Handläggare,Barn,0.50,2020-01-01,,,,\n"
      "Q,1990-01-01,M,temporary,Utredare,Vuxen,0.50,2021-01-01,2025-06-30,fixed_term_ended,,\n"
      "Q,1990-01-01,M,hourly,Utredare,Barn,0.50,2021-01-01,2025-12-31,other,,\n");
  const Table t = snapshot(reg, d("2024-06-15"), by(reg, {"department"}, true));
  ASSERT_EQ(t.rows(), 3U);
  EXPECT_EQ(t.keys[0], (std::vector<std::string>{"Barn", "Vuxen", "Total"}));
  // P: main = permanent (earlier start) in Barn. Q: main = hourly (later end) in Barn.
  EXPECT_EQ(t.column("headcount").values, (std::vector<double>{2, 0, 2}));
  EXPECT_EQ(t.column("fte").values, (std::vector<double>{1.0, 1.0, 2.0}));
  // Ages on 2024-06-15: P turns 44 that day, Q is 34.
  EXPECT_DOUBLE_EQ(t.column("mean_age").values[0], 39.0);
  EXPECT_TRUE(std::isnan(t.column("mean_age").values[1]));
  // fte_band is the person's summed fte: both persons hold 1.00.
  const Table bands = snapshot(reg, d("2024-06-15"), by(reg, {"fte_band"}));
  EXPECT_EQ(bands.keys[0], (std::vector<std::string>{"1.00"}));
}

TEST(Flows, MovesContinuationsAndFilters) {
  const Register reg = read(
      "A,1980-01-01,F,permanent,S,D1,1.00,2015-01-01,2024-03-31,internal_move,,\n"
      "A,1980-01-01,F,permanent,S,D2,1.00,2024-05-01,,,internal,\n"
      "B,1980-01-01,F,temporary,S,D1,1.00,2024-01-01,2024-06-30,fixed_term_ended,external,\n"
      "B,1980-01-01,F,permanent,S,D1,1.00,2024-07-01,,,internal,\n"
      "C,1980-01-01,F,permanent,S,D1,1.00,2010-01-01,2024-08-31,retirement,,\n"
      "C,1980-01-01,F,permanent,S,D1,1.00,2024-11-01,2025-02-28,other,rehire,\n");  // planned end after extraction
  EXPECT_THROW(flows(reg, d("2005-12-30"), d("2024-12-31"), Query{}), unavailable_error);
  const Table all = flows(reg, d("2024-01-01"), d("2024-12-31"), Query{});
  // Departures: C's retirement. Recruitments: B's first spell, C's rehire. Moves: A.
  EXPECT_EQ(all.column("departures").values, std::vector<double>{1});
  EXPECT_EQ(all.column("recruitments").values, std::vector<double>{2});
  EXPECT_EQ(all.column("moves_out").values, std::vector<double>{1});
  EXPECT_EQ(all.column("moves_in").values, std::vector<double>{1});
  Query permanent;
  permanent.filter = Filter::parse(reg, {{"employment_form", {"permanent"}}});
  const Table perm = recruitments_by_source(reg, d("2024-01-01"), d("2024-12-31"), permanent);
  EXPECT_EQ(perm.column("internal").values, std::vector<double>{1});  // B's conversion
  EXPECT_EQ(perm.column("rehire").values, std::vector<double>{1});
  Query d1 = by(reg, {"department"});
  d1.filter = Filter::parse(reg, {{"department", {"D1"}}});
  const Table moves = flows(reg, d("2024-01-01"), d("2024-12-31"), d1);
  EXPECT_EQ(moves.column("moves_out").values, std::vector<double>{1});  // the other half is in D2
  EXPECT_EQ(moves.column("moves_in").values, std::vector<double>{0});
  EXPECT_THROW(flows(reg, d("2024-01-01"), d("2025-01-31"), Query{}), unavailable_error);
  EXPECT_THROW(Filter::parse(reg, {{"department", {"D9"}}}), argument_error);
}

TEST(Turnover, DefinitionsOnAWorkedExample) {
  // Ten persons all of 2023 (365 days); one leaves at own request on 2023-06-30 and is replaced on 2023-07-01
  // by an external recruit; one retires on 2023-12-31; one internal recruit starts 2023-10-01.
  std::string body;
  for (int i = 0; i < 8; ++i) body += "P" + std::to_string(i) + ",1970-01-01,F,permanent,S,D,1.00,2010-01-01,,,,\n";
  body += "L,1970-01-01,F,permanent,S,D,1.00,2010-01-01,2023-06-30,own_request,,\n";
  body += "N,1990-01-01,F,permanent,S,D,1.00,2023-07-01,,,external,\n";
  body += "R,1958-01-01,F,permanent,S,D,1.00,2010-01-01,2023-12-31,retirement,,\n";
  body += "I,1990-01-01,F,permanent,S,D,1.00,2023-10-01,,,internal,\n";
  const Register reg = read(body);
  // Person-days: 8*365 + 181 (L) + 184 (N) + 365 (R) + 92 (I) = 3742.
  const double average = 3742.0 / 365.0;
  auto rate = [&](TurnoverOptions options) {
    return turnover(reg, d("2023-01-01"), d("2023-12-31"), Query{}, options);
  };
  const Table municipal = rate({});
  EXPECT_DOUBLE_EQ(municipal.column("average_headcount").values[0], average);
  EXPECT_EQ(municipal.column("recruitments").values[0], 1);  // N; I is internal
  EXPECT_EQ(municipal.column("departures").values[0], 2);
  EXPECT_DOUBLE_EQ(municipal.column("turnover").values[0], (1 + 2) / 2.0 / average);
  TurnoverOptions options;
  options.definition = TurnoverDefinition::separation;
  options.exclude_reasons = {EndReason::retirement};
  EXPECT_DOUBLE_EQ(rate(options).column("turnover").values[0], 1 / average);
  options = {};
  options.definition = TurnoverDefinition::min;
  EXPECT_DOUBLE_EQ(rate(options).column("turnover").values[0], 1 / average);
}

TEST(SickLeave, AbsencesJoinAndCap) {
  SickLeave sick;
  sick.start_date = {d("2024-01-01"), d("2024-01-03"), d("2024-01-06")};
  sick.end_date = {d("2024-01-04"), d("2024-01-05"), d("2024-01-06")};
  sick.extent = {75, 50, 100};
  std::vector<detail::SickPiece> pieces;
  detail::person_absences(sick, 0, 3, 60, pieces);
  // One absence 01-01..01-06: 0.75 (1-2), capped 1.00 (3-4), 0.50 (5), 1.00 (6).
  ASSERT_EQ(pieces.size(), 4U);
  EXPECT_EQ(pieces[0].extent, 75);
  EXPECT_EQ(pieces[1].extent, 100);
  EXPECT_EQ(pieces[2].extent, 50);
  EXPECT_EQ(pieces[3].extent, 100);
  for (const auto& piece : pieces) {
    EXPECT_EQ(piece.absence_first, d("2024-01-01"));
    EXPECT_FALSE(piece.long_absence);
  }
}

// The kept window only drops pieces: the pieces kept are exactly those of the
// whole walk that meet the window, with the same absence day 1 and length.
TEST(SickLeave, AbsencesKeptWindowIsTheWholeWalkClipped) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    SickLeave sick;
    day_t start = d("2024-01-01");
    const int records = 1 + static_cast<int>(rng() % 8);
    for (int r = 0; r < records; ++r) {
      start += static_cast<day_t>(rng() % 20);  // sorted by start; often overlapping or adjoining
      sick.start_date.push_back(start);
      sick.end_date.push_back(start + static_cast<day_t>(rng() % 40));
      sick.extent.push_back(static_cast<std::uint8_t>(25 * (1 + rng() % 4)));
    }
    std::vector<detail::SickPiece> whole, kept;
    detail::person_absences(sick, 0, sick.start_date.size(), 60, whole);
    const day_t keep_from = d("2024-01-01") + static_cast<day_t>(rng() % 120);
    const day_t keep_to = keep_from + static_cast<day_t>(rng() % 60);
    detail::person_absences(sick, 0, sick.start_date.size(), 60, kept, keep_from, keep_to);
    std::vector<detail::SickPiece> expected;
    for (const auto& piece : whole) {
      if (piece.last >= keep_from && piece.first <= keep_to) expected.push_back(piece);
    }
    ASSERT_EQ(kept.size(), expected.size()) << "trial " << trial;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      EXPECT_EQ(kept[i].first, expected[i].first);
      EXPECT_EQ(kept[i].last, expected[i].last);
      EXPECT_EQ(kept[i].absence_first, expected[i].absence_first);
      EXPECT_EQ(kept[i].long_absence, expected[i].long_absence);
      EXPECT_EQ(kept[i].extent, expected[i].extent);
    }
  }
}

TEST(Retirement, OutlookYearsAndAlreadyPast) {
  const Register reg = read(
      "A,1959-12-31,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 65 on 2024-12-31: already past
      "B,1960-01-01,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 65 on 2025-01-01
      "C,1962-02-28,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 65 in 2027
      "E,1963-02-28,F,permanent,S,D,1.00,2000-01-01,,,,\n");  // 65 in 2028: outside
  const Table t = retirement_outlook(reg, d("2024-09-30"), {2025, 2026, 2027}, 65, Query{});
  EXPECT_EQ(t.column("already_past").values, std::vector<double>{1});
  EXPECT_EQ(t.column("2025").values, std::vector<double>{1});
  EXPECT_EQ(t.column("2026").values, std::vector<double>{0});
  EXPECT_EQ(t.column("2027").values, std::vector<double>{1});
  EXPECT_EQ(t.column("total").values, std::vector<double>{3});
  EXPECT_THROW(retirement_outlook(reg, d("2024-09-30"), {2024}, 65, Query{}), argument_error);
}

TEST(Retirement, OutlookYearEdgesAndLeapDays) {
  // The 65th birthday's year, by hand: the year of birth + 65 (29 February counts in its own year).
  const Register reg = read(
      "A,1959-01-01,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 2024: already past
      "B,1960-02-29,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 2025 (28 February 2025)
      "C,1960-12-31,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 2025
      "D,1961-01-01,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 2026
      "E,1961-12-31,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 2026
      "F,1962-01-01,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 2027
      "G,1962-12-31,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 2027
      "H,1963-01-01,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // 2028: outside
      "I,1900-06-01,F,permanent,S,D,1.00,2000-01-01,,,,\n"    // long past
      "J,2005-06-01,F,permanent,S,D,1.00,2024-01-01,,,,\n");  // far outside
  const Table t = retirement_outlook(reg, d("2024-09-30"), {2025, 2026, 2027}, 65, Query{});
  EXPECT_EQ(t.column("already_past").values, std::vector<double>{2});
  EXPECT_EQ(t.column("2025").values, std::vector<double>{2});
  EXPECT_EQ(t.column("2026").values, std::vector<double>{2});
  EXPECT_EQ(t.column("2027").values, std::vector<double>{2});
  EXPECT_EQ(t.column("total").values, std::vector<double>{8});
  // One year only, at another age: 67 in 2025 = born in 1958.
  const Table one = retirement_outlook(reg, d("2024-09-30"), {2025}, 67, Query{});
  EXPECT_EQ(one.column("already_past").values, std::vector<double>{1});  // I only: A (1959) is 67 in 2026
  EXPECT_EQ(one.column("2025").values, std::vector<double>{0});
}

TEST(Indicators, FollowUpFlags) {
  const auto ind = try_read_indicators_text(
      "indicator,period,value,target,better\n"
      "Sjuk,2022,5,6,lower\nSjuk,2023,6,6,lower\nSjuk,2024,7,6,lower\n");
  ASSERT_TRUE(ind.indicators);
  const Table t = indicator_followup(*ind.indicators);
  EXPECT_EQ(t.keys[2], std::vector<std::string>{"2024"});
  EXPECT_EQ(t.column("previous").values, std::vector<double>{6});
  EXPECT_EQ(t.column("target_missed").values, std::vector<double>{1});
  EXPECT_EQ(t.column("trend_wrong").values, std::vector<double>{1});
}
