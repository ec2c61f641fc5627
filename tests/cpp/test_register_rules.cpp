// The register's rules of #22/#25: the assumed extraction date, one rule for days
// after it, end reasons on open spells, opaque manager keys and one-to-one move
// pairing. Expected numbers are counted by hand from the rows written here.
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/extraction.hpp>
#include <staffcast/register/register.hpp>
#include <staffcast/stats/flows.hpp>
#include <staffcast/stats/retirement.hpp>
#include <staffcast/stats/snapshot.hpp>
#include <staffcast/stats/span.hpp>
#include <staffcast/stats/turnover.hpp>

#include "register_fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace staffcast;
using staffcast::testing::d;
using staffcast::testing::register_header;

namespace {

RegisterReadResult read_with(const std::string& body, RegisterOptions options) {
  return try_read_register_text(register_header + body, options, "reg.csv");
}

RegisterOptions today(const char* day) {
  RegisterOptions options;
  options.today = d(day);
  return options;
}

std::vector<std::string> codes(const IssueList& issues) {
  std::vector<std::string> out;
  for (const auto& issue : issues.items()) out.push_back(issue.code);
  return out;
}

double cell(const Table& table, const std::string& column, std::size_t row = 0) {
  return table.column(column).values.at(row);
}

// Three persons; the dates run from 2010 to 2019-06-30 (Q's recorded end).
const std::string historical =
    "P,1970-01-01,F,permanent,A,D,1.00,2010-01-01,2015-12-31,own_request,,\n"
    "Q,1972-01-01,M,temporary,A,D,1.00,2016-01-01,2019-06-30,fixed_term_ended,,\n"
    "R,1975-01-01,F,permanent,A,D,1.00,2018-03-01,,,external,\n";

}  // namespace

TEST(ExtractionDate, TheEarlierOfTodayAndTheLatestDate) {
  EXPECT_EQ(assumed_extraction_date(d("2019-06-30"), d("2026-12-05")), d("2019-06-30"));
  EXPECT_EQ(assumed_extraction_date(d("2025-09-20"), d("2024-09-30")), d("2024-09-30"));
  EXPECT_EQ(assumed_extraction_date(d("2024-09-30"), d("2024-09-30")), d("2024-09-30"));
  // The clock: some day after this code was written, before 2200.
  EXPECT_GT(today_utc(), d("2026-01-01"));
  EXPECT_LT(today_utc(), d("2199-12-31"));
}

// All dates years ago: the latest date (Q's end) is the extraction date, so
// every recorded end is an observed departure.
TEST(ExtractionDate, AHistoricalRegisterKeepsEveryRecordedEnd) {
  const auto result = read_with(historical, today("2026-12-05"));
  ASSERT_TRUE(result.register_);
  const Register& reg = *result.register_;
  EXPECT_TRUE(reg.extracted_on_assumed());
  EXPECT_FALSE(reg.extracted_on_given());
  EXPECT_EQ(reg.extracted_on(), d("2019-06-30"));
  EXPECT_EQ(reg.latest_date(), d("2019-06-30"));
  ASSERT_FALSE(result.issues.empty());
  const Issue& first = result.issues.items()[0];
  EXPECT_EQ(first.code, "extraction_date_assumed");
  EXPECT_EQ(first.severity, Severity::warning);
  EXPECT_EQ(first.value, "2019-06-30");
  EXPECT_NE(first.message.find("assumed 2019-06-30"), std::string::npos) << first.message;
  EXPECT_NE(first.message.find("the latest date in the inputs"), std::string::npos) << first.message;
  // Q's end is after the latest start (2018-03-01): the notice counts it.
  EXPECT_NE(first.message.find("1 recorded end(s) after the latest start date 2018-03-01"), std::string::npos)
      << first.message;
  EXPECT_EQ(reg.issues().items()[0].code, "extraction_date_assumed");
  // 2016-2019: Q's end is a departure (the old default, the latest start, would have censored it).
  const Table f = flows(reg, d("2016-01-01"), d("2019-06-30"), Query{});
  EXPECT_EQ(cell(f, "departures"), 1);
  EXPECT_EQ(cell(f, "recruitments"), 2);  // Q in 2016, R in 2018
  // After the extraction date: unavailable, not zeros.
  EXPECT_THROW(flows(reg, d("2019-01-01"), d("2019-12-31"), Query{}), unavailable_error);
}

// A live export: planned ends after today stay planned.
TEST(ExtractionDate, ALiveRegisterKeepsPlannedEndsPlanned) {
  const std::string live = historical + "S,1980-01-01,F,temporary,A,D,1.00,2024-01-01,2025-06-30,fixed_term_ended,,\n";
  const auto result = read_with(live, today("2024-09-30"));
  ASSERT_TRUE(result.register_);
  const Register& reg = *result.register_;
  EXPECT_EQ(reg.extracted_on(), d("2024-09-30"));  // today, before S's planned end
  EXPECT_EQ(reg.latest_date(), d("2025-06-30"));
  const Issue& first = result.issues.items()[0];
  EXPECT_EQ(first.code, "extraction_date_assumed");
  EXPECT_NE(first.message.find("assumed 2024-09-30, today"), std::string::npos) << first.message;
  // S is employed on the extraction date, and the planned end is no departure.
  EXPECT_EQ(cell(snapshot(reg, d("2024-09-30"), Query{}), "headcount"), 2);  // R and S
  EXPECT_EQ(cell(flows(reg, d("2024-01-01"), d("2024-09-30"), Query{}), "departures"), 0);
  EXPECT_THROW(snapshot(reg, d("2025-01-01"), Query{}), unavailable_error);
}

TEST(ExtractionDate, AGivenDateIsNotAssumed) {
  RegisterOptions options = today("2026-12-05");
  options.extracted_on = d("2017-12-31");
  const auto result = read_with(historical, options);
  ASSERT_TRUE(result.register_);
  EXPECT_FALSE(result.register_->extracted_on_assumed());
  EXPECT_EQ(result.register_->extracted_on(), d("2017-12-31"));
  EXPECT_TRUE(result.issues.empty());
  EXPECT_TRUE(extraction_assumed_message(*result.register_).empty());
  // Q's end (2019) is after it: planned, so 2016-2017 has no departure.
  EXPECT_EQ(cell(flows(*result.register_, d("2016-01-01"), d("2017-12-31"), Query{}), "departures"), 0);
}

// The sick leave's dates count too when both are read.
TEST(ExtractionDate, TheSickLeaveDatesCountWhenReadWithTheRegister) {
  const auto result = read_with(historical, today("2026-12-05"));
  ASSERT_TRUE(result.register_);
  const auto sick = try_read_sick_leave_text("employee_id,start_date,end_date,extent\nR,2020-02-01,2020-02-20,1.0\n",
                                             {}, &*result.register_);
  ASSERT_TRUE(sick.sick_leave);
  const Register moved = with_sick_leave_dates(*result.register_, *sick.sick_leave);
  EXPECT_EQ(moved.extracted_on(), d("2020-02-20"));
  EXPECT_TRUE(moved.extracted_on_assumed());
  ASSERT_EQ(moved.issues().size(), result.issues.size());  // the warning replaced, not added
  EXPECT_EQ(moved.issues().items()[0].value, "2020-02-20");
  // Never after today; a given date stays.
  const auto early = read_with(historical, today("2020-01-31"));
  EXPECT_EQ(with_sick_leave_dates(*early.register_, *sick.sick_leave).extracted_on(), d("2020-01-31"));
  RegisterOptions given = today("2026-12-05");
  given.extracted_on = d("2019-06-30");
  const auto fixed = read_with(historical, given);
  EXPECT_EQ(with_sick_leave_dates(*fixed.register_, *sick.sick_leave).extracted_on(), d("2019-06-30"));
}

// One rule for every statistic: a day after the extraction date is unavailable.
TEST(ExtractionDate, EveryStatisticRefusesDaysAfterIt) {
  RegisterOptions options;
  options.extracted_on = d("2019-06-30");
  const auto result = read_with(historical, options);
  ASSERT_TRUE(result.register_);
  const Register& reg = *result.register_;
  const day_t after = d("2019-07-01");
  EXPECT_NO_THROW(snapshot(reg, d("2019-06-30"), Query{}));
  EXPECT_THROW(snapshot(reg, after, Query{}), unavailable_error);
  EXPECT_THROW(full_time(reg, after, Query{}), unavailable_error);
  EXPECT_THROW(flows(reg, d("2019-01-01"), after, Query{}), unavailable_error);
  EXPECT_THROW(turnover(reg, d("2019-01-01"), after, Query{}), unavailable_error);
  EXPECT_THROW(retirement_outlook(reg, after, {2020}, 65, Query{}), unavailable_error);
  EXPECT_THROW(span_of_control(reg, after, SpanOptions{}, Query{}), unavailable_error);
  try {
    snapshot(reg, after, Query{});
  } catch (const unavailable_error& e) {
    EXPECT_NE(std::string(e.what()).find("after the extraction date 2019-06-30"), std::string::npos) << e.what();
  }
}

TEST(OpenSpells, AnEndReasonIsAWarningAndIgnored) {
  RegisterOptions options;
  options.extracted_on = d("2024-12-31");
  const auto result = read_with(
      "A,1970-01-01,F,permanent,P,D,1.00,2020-01-01,,own_request,,\n"             // known code
      "B,1970-01-01,F,permanent,P,D,1.00,2020-01-01,,N/A-StillEmployed,,\n"       // no code at all
      "C,1970-01-01,F,permanent,P,D,1.00,2020-01-01,9999-12-31,retirement,,\n"    // the open-end marker
      "E,1970-01-01,F,permanent,P,D,1.00,2020-01-01,,,internal,\n"                // a source describes the start
      "F,1970-01-01,F,permanent,P,D,1.00,2019-01-01,2019-12-31,own_request,,\n",  // a real end
      options);
  ASSERT_TRUE(result.register_) << result.issues.items()[0].message;
  EXPECT_EQ(codes(result.issues), (std::vector<std::string>{"reason_on_open_spell", "reason_on_open_spell",
                                                            "reason_on_open_spell", "unpaired_move"}));
  EXPECT_EQ(result.issues.items()[1].value, "N/A-StillEmployed");
  EXPECT_EQ(result.issues.items()[1].row, 3);
  EXPECT_EQ(result.issues.items()[1].column, "end_reason");
  const SpellColumns& s = result.register_->spells();
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(s.end_reason[i], EndReason::none);
    EXPECT_EQ(s.end_kind[i], EndKind::open);
  }
  EXPECT_EQ(s.recruitment_source[3], RecruitmentSource::internal);
  // An unknown reason on an ended spell is still an error.
  EXPECT_FALSE(
      read_with("A,1970-01-01,F,permanent,P,D,1.00,2020-01-01,2020-06-30,N/A-StillEmployed,,\n", options).register_);
}

// Manager ids in another numbering: opaque keys. M1 manages three, M2 one; E3's
// manager is employee E1.
TEST(OpaqueManagers, ReportedOncePerKeyAndCountedInSpanOfControl) {
  RegisterOptions options;
  options.extracted_on = d("2024-12-31");
  const auto result = read_with(
      "E1,1970-01-01,F,permanent,Chef,D1,1.00,2020-01-01,,,,M1\n"
      "E2,1970-01-01,F,permanent,A,D1,1.00,2020-01-01,,,,M1\n"
      "E3,1970-01-01,F,permanent,A,D2,1.00,2020-01-01,,,,E1\n"
      "E4,1970-01-01,F,permanent,A,D2,1.00,2020-01-01,,,,M2\n"
      "E5,1970-01-01,F,permanent,A,D2,1.00,2020-01-01,2021-12-31,own_request,,M1\n"
      "E5,1970-01-01,F,permanent,A,D2,1.00,2022-03-01,,,,M1\n",
      options);
  ASSERT_TRUE(result.register_);
  EXPECT_EQ(codes(result.issues), (std::vector<std::string>{"unknown_manager", "unknown_manager"}));
  EXPECT_EQ(result.issues.items()[0].row, 2);  // M1's first row
  EXPECT_EQ(result.issues.items()[1].row, 5);  // M2's
  SpanOptions span;
  span.limit = 2;
  Query q;
  q.totals = true;
  const SpanResult r = span_of_control(*result.register_, d("2024-06-30"), span, q);
  EXPECT_TRUE(r.issues.empty());
  // Rows: "(manager not in register)" (M1: 3 reports E1, E2, E5; M2: 1), D1 (E1: 1), Total.
  const Table& t = r.by_department;
  ASSERT_EQ(t.keys[0], (std::vector<std::string>{"(manager not in register)", "D1", "Total"}));
  EXPECT_EQ(cell(t, "managers", 0), 2);
  EXPECT_EQ(cell(t, "reports", 0), 4);
  EXPECT_EQ(cell(t, "max", 0), 3);
  EXPECT_EQ(cell(t, "managers", 1), 1);
  EXPECT_EQ(cell(t, "reports", 1), 1);
  EXPECT_EQ(cell(t, "managers", 2), 3);
  EXPECT_EQ(cell(t, "reports", 2), 5);
  EXPECT_EQ(cell(t, "above_limit", 2), 1);
  ASSERT_EQ(r.above_limit.keys[0], (std::vector<std::string>{"M1"}));
  EXPECT_EQ(r.above_limit.keys[1][0], "(manager not in register)");
  // A manager who is an employee not employed on the day: reported once, not per report.
  const auto gone = read_with(
      "B,1970-01-01,F,permanent,Chef,D1,1.00,2015-01-01,2019-12-31,own_request,,\n"
      "E1,1970-01-01,F,permanent,A,D1,1.00,2020-01-01,,,,B\n"
      "E2,1970-01-01,F,permanent,A,D1,1.00,2020-01-01,,,,B\n",
      options);
  ASSERT_TRUE(gone.register_);
  const SpanResult g = span_of_control(*gone.register_, d("2024-06-30"), span, Query{});
  EXPECT_EQ(codes(g.issues), (std::vector<std::string>{"unknown_manager"}));
}

// Two move-outs and one move-in pair once; the other move-out is a departure.
TEST(MovePairing, OneToOne) {
  RegisterOptions options;
  options.extracted_on = d("2024-12-31");
  const auto result = read_with(
      // A holds two spells that both end by internal_move on 2020-01-31; one spell follows.
      "A,1970-01-01,F,permanent,P1,D1,1.00,2015-01-01,2020-01-31,internal_move,,\n"
      "A,1970-01-01,F,permanent,P2,D2,1.00,2016-01-01,2020-01-31,internal_move,,\n"
      "A,1970-01-01,F,permanent,P3,D3,1.00,2020-02-03,,,internal,\n"
      // B: one move-out, two spells follow on one day: the first in canonical order (D2) is the
      // move in, the other a recruitment.
      "B,1970-01-01,F,permanent,P1,D1,1.00,2015-01-01,2020-01-31,internal_move,,\n"
      "B,1970-01-01,F,permanent,P3,D3,1.00,2020-02-10,,,external,\n"
      "B,1970-01-01,F,permanent,P2,D2,1.00,2020-02-10,,,internal,\n"
      "Z,1950-01-01,M,permanent,Old,Old,1.00,2000-01-01,2005-12-31,own_request,,\n",
      options);
  ASSERT_TRUE(result.register_);
  const Register& reg = *result.register_;
  const SpellColumns& s = reg.spells();
  // A's spells: 0 (D1, from 2015), 1 (D2, from 2016), 2 (D3). Same end date: the main-spell
  // order (earlier start) takes spell 2; spell 1 ends the same day, so it is no destination.
  EXPECT_EQ(s.end_kind[0], EndKind::move_out);
  EXPECT_EQ(s.end_partner[0], 2U);
  EXPECT_EQ(s.start_kind[2], StartKind::move_in);
  EXPECT_EQ(s.start_partner[2], 0U);
  EXPECT_EQ(s.end_kind[1], EndKind::departure);         // covered by spell 2 the day after, yet a departure
  EXPECT_EQ(s.start_kind[1], StartKind::continuation);  // spell 0 covered the day before
  // B's spells: 3 (D1), 4 (D2), 5 (D3).
  EXPECT_EQ(s.end_kind[3], EndKind::move_out);
  EXPECT_EQ(s.end_partner[3], 4U);
  EXPECT_EQ(s.start_kind[5], StartKind::recruitment);
  EXPECT_EQ(codes(result.issues), (std::vector<std::string>{"unpaired_move"}));
  EXPECT_EQ(result.issues.items()[0].row, 3);  // A's second spell
  // Flows in 2020 by department, counted by hand from the rows above.
  const Query q = staffcast::testing::by(reg, {"department"}, true);
  const Table f = flows(reg, d("2020-01-01"), d("2020-12-31"), q);
  auto flow = [&](const std::string& department, const std::string& column) {
    for (std::size_t r = 0; r < f.keys[0].size(); ++r) {
      if (f.keys[0][r] == department) return cell(f, column, r);
    }
    return 0.0;
  };
  EXPECT_EQ(flow("D1", "moves_out"), 2);
  EXPECT_EQ(flow("D2", "departures"), 1);
  EXPECT_EQ(flow("D2", "moves_in"), 1);
  EXPECT_EQ(flow("D3", "moves_in"), 1);
  EXPECT_EQ(flow("D3", "recruitments"), 1);
  EXPECT_EQ(flow("Total", "moves_out"), 2);
  EXPECT_EQ(flow("Total", "moves_in"), 2);  // one to one: the moves balance
  // Stocks balance per department (every spell has fte 1.00, so fte counts spells):
  // fte(2020-12-31) - fte(2019-12-31) = recruitments + moves in - departures - moves out.
  const Table before = snapshot(reg, d("2019-12-31"), q);
  const Table after = snapshot(reg, d("2020-12-31"), q);
  auto fte = [&](const Table& t, const std::string& department) {
    for (std::size_t r = 0; r < t.keys[0].size(); ++r) {
      if (t.keys[0][r] == department) return cell(t, "fte", r);
    }
    return 0.0;
  };
  for (const std::string department : {"D1", "D2", "D3"}) {
    EXPECT_EQ(fte(after, department) - fte(before, department),
              flow(department, "recruitments") + flow(department, "moves_in") - flow(department, "departures") -
                  flow(department, "moves_out"))
        << department;
  }
  EXPECT_EQ(fte(before, "D1"), 2);
  EXPECT_EQ(fte(after, "D3"), 2);
}

// A person with many move ends on one day and many spells after stays fast and one to one.
TEST(MovePairing, ManyMoveEndsTakeDistinctSpells) {
  RegisterOptions options;
  options.extracted_on = d("2024-12-31");
  std::string body;
  for (int k = 0; k < 300; ++k)
    body += "A,1970-01-01,F,permanent,P" + std::to_string(k) + ",D1,0.10,2015-01-01,2020-01-31,internal_move,,\n";
  for (int k = 0; k < 200; ++k) body += "A,1970-01-01,F,permanent,Q" + std::to_string(k) + ",D2,0.10,2020-02-01,,,,\n";
  const auto result = read_with(body, options);
  ASSERT_TRUE(result.register_);
  const SpellColumns& s = result.register_->spells();
  std::size_t out = 0, in = 0, departures = 0;
  std::vector<int> taken(s.size(), 0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    out += s.end_kind[i] == EndKind::move_out ? 1 : 0;
    departures += s.end_kind[i] == EndKind::departure ? 1 : 0;
    in += s.start_kind[i] == StartKind::move_in ? 1 : 0;
    if (s.end_kind[i] == EndKind::move_out) ++taken.at(s.end_partner[i]);
  }
  EXPECT_EQ(out, 200U);
  EXPECT_EQ(in, 200U);
  EXPECT_EQ(departures, 100U);
  for (int t : taken) EXPECT_LE(t, 1);
}
