// The indicators file: HME (yearly), introduction completed (yearly share),
// threats and violence (per tertial and department) and reported work
// injuries (monthly, no target), over the window.
#include "indicators.hpp"
#include "months.hpp"

#include <staffcast/io/table_format.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace staffcast::detail::gen {

std::size_t write_indicators(const Model& m, const std::vector<bool>& staffed, CsvFile& out) {
  Xoshiro256 rng(m.opt.seed, kStreamIndicators, 0);
  out.write("indicator,period,value,target,better,unit,unit_of_analysis\n");
  std::size_t rows = 0;
  const ymd first = to_ymd(m.window_start);
  const ymd last = to_ymd(m.extracted_on);
  auto row = [&](const std::string& indicator, int year, const char* suffix, int sub, std::int64_t value, int decimals,
                 const char* target, const char* better, const char* unit, const std::string& unit_of_analysis) {
    char* p = out.reserve(256 + indicator.size() + unit_of_analysis.size());
    p = put_text(p, indicator);
    *p++ = ',';
    p = put_padded(p, static_cast<u64>(year), 4);
    if (suffix != nullptr) {
      p = put_cstr(p, suffix);
      p = put_padded(p, static_cast<u64>(sub), suffix[1] == 'T' ? 1 : 2);
    }
    *p++ = ',';
    p = put_fixed(p, value, decimals);
    *p++ = ',';
    p = put_cstr(p, target);
    *p++ = ',';
    p = put_cstr(p, better);
    *p++ = ',';
    p = put_cstr(p, unit);
    *p++ = ',';
    p = put_text(p, unit_of_analysis);
    *p++ = '\n';
    out.commit_bytes(p);
    ++rows;
  };
  auto poisson = [&](u64 mean_milli) -> std::int64_t {
    const double lambda = static_cast<double>(mean_milli) / 1000.0;
    if (lambda < 500.0) return rng.poisson(lambda);
    const auto noise = static_cast<std::int64_t>(std::sqrt(lambda) * rng.normal());
    return std::max<std::int64_t>(0, static_cast<std::int64_t>(lambda) + noise);
  };
  const std::string none;
  const std::string hme_name = csv_field("Hållbart medarbetarengagemang (HME)");
  const std::string intro_name = csv_field("Andel genomförd introduktion");
  const std::string violence_name = csv_field("Hot och våld, anmälda händelser");
  const std::string injuries_name = csv_field("Anmälda arbetsskador");
  const day_t ws = m.window_start;
  const day_t eo = m.extracted_on;

  // Yearly employee survey (spring), index around 78 with a recent decline.
  std::int64_t hme = 780 + static_cast<std::int64_t>(rng.normal() * 10.0);
  for (int y = first.year; y <= last.year; ++y) {
    const day_t survey = to_day(y, 4, 30);
    hme += static_cast<std::int64_t>(rng.normal() * 8.0) + (y >= last.year - 2 ? -6 : 2);
    hme = std::clamp<std::int64_t>(hme, 600, 950);
    if (survey < ws || survey > eo) continue;
    row(hme_name, y, nullptr, 0, hme, 1, "80", "higher", "index", none);
  }
  // Introduction completed, complete years.
  for (int y = first.year; y <= last.year; ++y) {
    if (to_day(y, 1, 1) < ws || to_day(y, 12, 31) > eo) continue;
    const std::int64_t share = std::clamp<std::int64_t>(84 + static_cast<std::int64_t>(rng.normal() * 5.0), 40, 100);
    row(intro_name, y, nullptr, 0, share, 2, "0.90", "higher", "andel", none);
  }
  // Threats and violence per tertial and department.
  for (u32 d = 0; d < m.depts.size(); ++d) {
    if (!staffed[d]) continue;  // only departments that appear in the register
    const u64 size = std::max<u64>(1, m.dept_size(d));
    const std::string& name = m.depts[d].field;
    const std::int64_t target_value = std::max<std::int64_t>(1, static_cast<std::int64_t>((size * 5 + 175) / 350));
    char target[24];
    *put_uint(target, static_cast<u64>(target_value)) = '\0';
    u64 level_milli = size * 6000 / 350;
    for (int y = first.year; y <= last.year; ++y) {
      for (int t = 1; t <= 3; ++t) {
        const day_t begin = to_day(y, static_cast<unsigned>(4 * t - 3), 1);
        const day_t end = add_months(begin, 4) - 1;
        level_milli = level_milli * (1000 + static_cast<u64>(rng.below(60))) / 1015;
        if (begin < ws || end > eo) continue;
        row(violence_name, y, "-T", t, poisson(level_milli + 1), 0, target, "lower", "antal", name);
      }
    }
  }
  // Reported work injuries per month, whole organisation, no target.
  const u64 monthly_milli = std::max<u64>(200, static_cast<u64>(m.opt.persons) * 3000 / 1100);
  for (int y = first.year; y <= last.year; ++y) {
    for (unsigned mo = 1; mo <= 12; ++mo) {
      const day_t begin = to_day(y, mo, 1);
      const day_t end = end_of_month(begin);
      if (begin < ws || end > eo) continue;
      row(injuries_name, y, "-", static_cast<int>(mo), poisson(monthly_milli), 0, "", "lower", "antal", none);
    }
  }
  return rows;
}

}  // namespace staffcast::detail::gen
