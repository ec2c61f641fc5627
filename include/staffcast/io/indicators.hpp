// Indicators followed up every year (docs/data.md, docs/metrics.md): values per period with
// targets and the direction in which "better" lies.
#pragma once

#include <staffcast/io/sick_leave.hpp>
#include <staffcast/register/issues.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

enum class Granularity : std::uint8_t { year, tertial, quarter, month };

/// A parsed period: `2024`, `2024-T1`..`T3`, `2024-Q1`..`Q4` or `2024-09`.
struct Period {
  Granularity granularity = Granularity::year;
  std::int32_t index = 0;  // consecutive periods of one granularity differ by 1

  friend bool operator==(const Period& a, const Period& b) {
    return a.granularity == b.granularity && a.index == b.index;
  }
};

std::optional<Period> parse_period(std::string_view text) noexcept;
std::string format_period(const Period& period);

struct Indicators {
  std::vector<std::string> indicator;
  std::vector<std::string> unit_of_analysis;  // empty when not given
  std::vector<Period> period;
  std::vector<double> value;
  std::vector<double> target;       // NaN when not given
  std::vector<std::int8_t> better;  // +1 higher is better, -1 lower is better
  std::vector<std::string> unit;
  std::vector<std::uint32_t> source_row;
  IssueList issues;  // warnings

  [[nodiscard]] std::size_t size() const noexcept { return indicator.size(); }
};

struct IndicatorsReadResult {
  std::optional<Indicators> indicators;
  IssueList issues;
};

IndicatorsReadResult try_read_indicators_csv(const std::string& path, const TableOptions& options = {},
                                             const std::string& label = {});
IndicatorsReadResult try_read_indicators_text(std::string_view text, const TableOptions& options = {},
                                              std::string label = "<memory>");

}  // namespace staffcast
