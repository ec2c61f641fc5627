// Period splitting (see plan/periods.hpp).
#include <staffcast/error.hpp>
#include <staffcast/plan/periods.hpp>

#include <algorithm>

namespace staffcast {

std::optional<PeriodLength> parse_period_length(std::string_view text) noexcept {
  if (text == "year") return PeriodLength::year;
  if (text == "tertial") return PeriodLength::tertial;
  if (text == "month") return PeriodLength::month;
  if (text == "rolling12") return PeriodLength::rolling12;
  return std::nullopt;
}

day_t month_end(int year, unsigned month) { return to_day(year, month, days_in_month(year, month)); }

std::vector<DayRange> split_periods(day_t start, day_t end, PeriodLength length) {
  if (end < start) throw argument_error("the period is reversed");
  const ymd first = to_ymd(start);
  std::vector<DayRange> out;
  if (length == PeriodLength::rolling12) {
    int year = first.year;
    unsigned month = first.month;
    for (;;) {
      const day_t stop = month_end(year, month);
      if (stop > end) break;
      out.push_back({add_years(stop, -1) + 1, stop});
      if (month == 12) {
        ++year;
        month = 1;
      } else {
        ++month;
      }
    }
    return out;
  }
  const unsigned months = length == PeriodLength::year ? 12U : length == PeriodLength::tertial ? 4U : 1U;
  int year = first.year;
  unsigned month = 1 + ((first.month - 1) / months) * months;
  for (;;) {
    const day_t begin = std::max(to_day(year, month, 1), start);
    if (begin > end) break;
    out.push_back({begin, std::min(month_end(year, month + months - 1), end)});
    month += months;
    if (month > 12) {
      ++year;
      month -= 12;
    }
  }
  return out;
}

std::vector<DayRange> split_periods(day_t start, day_t end, std::string_view length) {
  const auto parsed = parse_period_length(length);
  if (!parsed) throw argument_error("freq must be year, tertial, month or rolling12");
  return split_periods(start, end, *parsed);
}

}  // namespace staffcast
