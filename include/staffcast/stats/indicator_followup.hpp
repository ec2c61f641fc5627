// Indicators followed up every year: latest value against target and trend (docs/metrics.md).
#pragma once

#include <staffcast/io/indicators.hpp>
#include <staffcast/table.hpp>

namespace staffcast {

/// One row per (indicator, unit of analysis, granularity) with its latest
/// period: value, target, previous (the immediately preceding period's value),
/// change, target_missed (latest strictly on the wrong side of the target) and
/// trend_wrong (the last two changes both strictly in the wrong direction).
/// Keys: indicator, unit_of_analysis, period. With `previous_year`, also the
/// value of the same period a year earlier: value_prev, value_diff, value_pct.
Table indicator_followup(const Indicators& ind, bool previous_year = false);

}  // namespace staffcast
