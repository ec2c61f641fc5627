// The competence-supply plan on a register, through the C++ API only: the same
// tables, with the same options, as the `staffcast` commands noted above each
// one print with `--format csv` (tests/cpp/plan_matches_cli.py compares them
// byte for byte).
//
//   staffcast_plan DATA_DIR [OUT_DIR]
//
// DATA_DIR holds employments.csv and sick_leave.csv (examples/data). Each
// table goes to OUT_DIR/<name>.csv, or to standard output under "## <name>".
#include <staffcast/calendar.hpp>
#include <staffcast/error.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/io/table_format.hpp>
#include <staffcast/plan/dates.hpp>
#include <staffcast/plan/periods.hpp>
#include <staffcast/plan/years.hpp>
#include <staffcast/register/register.hpp>
#include <staffcast/stats/flows.hpp>
#include <staffcast/stats/recruitment_need.hpp>
#include <staffcast/stats/retirement.hpp>
#include <staffcast/stats/sick_leave_rates.hpp>
#include <staffcast/stats/snapshot.hpp>
#include <staffcast/stats/turnover.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace {

using Filters = std::map<std::string, std::vector<std::string>>;

/// The query of the CLI's --by (with totals, as the CLI adds them to a grouping) and --form.
staffcast::Query query(const staffcast::Register& reg, const std::vector<std::string>& by,
                       const Filters& filters = {}) {
  staffcast::Query q;
  q.by = staffcast::GroupBy::parse(reg, by);
  q.filter = staffcast::Filter::parse(reg, filters);
  q.totals = !by.empty();
  return q;
}

staffcast::day_t day(const char* text) {
  const auto parsed = staffcast::parse_iso_date(text);
  if (!parsed) throw staffcast::argument_error(std::string("not a date: ") + text);
  return *parsed;
}

/// A statistic over consecutive periods (the CLI's --per): period_start and period_end first.
template <class Compute>
staffcast::Table per_period(staffcast::day_t from, staffcast::day_t to, const char* length, Compute compute) {
  std::vector<staffcast::TextColumn> columns;
  for (const staffcast::DayRange& period : staffcast::split_periods(from, to, length)) {
    std::vector<staffcast::TextColumn> part = staffcast::text_columns(compute(period.start, period.end));
    const std::size_t rows = part.empty() ? 0 : part.front().cells.size();
    part.insert(part.begin(),
                {{"period_start", std::vector<std::string>(rows, staffcast::format_iso_date(period.start))},
                 {"period_end", std::vector<std::string>(rows, staffcast::format_iso_date(period.end))}});
    if (columns.empty()) {
      columns = std::move(part);
      continue;
    }
    for (std::size_t c = 0; c < columns.size(); ++c) {
      columns[c].cells.insert(columns[c].cells.end(), part[c].cells.begin(), part[c].cells.end());
    }
  }
  // Back into a table of text keys, so that every table prints the same way.
  staffcast::Table out;
  for (auto& column : columns) {
    out.key_names.push_back(column.name);
    out.keys.push_back(std::move(column.cells));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: staffcast_plan DATA_DIR [OUT_DIR]\n";
    return 2;
  }
  const std::string data = argv[1];
  const std::string out_dir = argc == 3 ? argv[2] : "";
  auto emit = [&](const std::string& name, const staffcast::Table& table) {
    if (out_dir.empty()) {
      std::cout << "## " << name << "\n";
      staffcast::write_csv(std::cout, table);
    } else {
      std::ofstream file(out_dir + "/" + name + ".csv", std::ios::binary);
      staffcast::write_csv(file, table);
    }
  };
  try {
    // The sample was taken on 2024-09-30 (its fixed-term contracts run later: without the
    // day, the extraction date would be assumed to be the latest of those planned ends).
    staffcast::RegisterOptions options;
    options.extracted_on = day("2024-09-30");
    const staffcast::Register reg = staffcast::read_register_csv(data + "/employments.csv", options);
    const auto sick = staffcast::try_read_sick_leave_csv(data + "/sick_leave.csv", {}, &reg);
    if (!sick.sick_leave) throw staffcast::argument_error("sick_leave.csv is not valid");
    const staffcast::day_t as_of = staffcast::plan_day(reg, day("2024-09-30"));
    const staffcast::day_t from = day("2023-10-01"), to = day("2024-09-30");
    const Filters permanent{{"employment_form", {"permanent"}}};

    // staffcast snapshot REG --as-of 2024-09-30 --by employment_form
    emit("snapshot", staffcast::snapshot(reg, as_of, query(reg, {"employment_form"})));
    // staffcast flows REG --from 2023-10-01 --to 2024-09-30 --by department
    emit("flows", staffcast::flows(reg, from, to, query(reg, {"department"})));
    // staffcast flows REG --from 2021-01-01 --to 2024-09-30 --per year
    emit("flows_per_year", per_period(day("2021-01-01"), to, "year", [&](staffcast::day_t a, staffcast::day_t b) {
           return staffcast::flows(reg, a, b, query(reg, {}));
         }));
    // staffcast turnover REG --from 2023-10-01 --to 2024-09-30 --form permanent
    emit("turnover", staffcast::turnover(reg, from, to, query(reg, {}, permanent), {}));
    // staffcast sick-leave REG --sick-leave SICK --from 2023-10-01 --to 2024-09-30
    emit("sick_leave", staffcast::sick_leave_rates(reg, *sick.sick_leave, from, to, query(reg, {}), {}));
    // staffcast retirements REG --as-of 2024-09-30 --years 2025-2027 --age 65 --by department --form permanent
    emit("retirements", staffcast::retirement_outlook(reg, as_of, staffcast::outlook_years(as_of, "2025-2027"), 65,
                                                      query(reg, {"department"}, permanent)));

    // staffcast recruitment-need REG --as-of 2024-09-30 --years 3 --by department --form permanent
    // Retirement probabilities over 65..69 from the register's own retirements in the five years up
    // to the day of the plan, with the plan's extraction date; other departures over the last year.
    const staffcast::DayRange history = staffcast::retirement_estimate_window(reg, as_of);
    staffcast::Query estimate = query(reg, {}, permanent);
    estimate.extracted_on = staffcast::plan_extraction_date(reg, std::nullopt);
    staffcast::RecruitmentNeedOptions need;
    need.years = staffcast::outlook_years(as_of, 3);
    need.probabilities =
        staffcast::estimate_retirement_probabilities(reg, history.start, history.end, 65, 69, estimate);
    const staffcast::DayRange rates = staffcast::rates_window(reg, as_of);
    need.rates_from = rates.start;
    need.rates_to = rates.end;
    emit("recruitment_need", staffcast::recruitment_need(reg, as_of, need, query(reg, {"department"}, permanent)));
  } catch (const staffcast::validation_error& e) {
    for (const auto& issue : e.issues().items()) {
      std::cerr << issue.file << ":" << issue.row << ": " << issue.column << ": " << issue.message << "\n";
    }
    return 2;
  } catch (const staffcast::error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return 0;
}
