// Personalomsättning: turnover over a period with exact daily average headcount.
#pragma once

#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace staffcast {

enum class TurnoverDefinition : std::uint8_t {
  municipal,    // (recruitments with source != internal + departures) / 2 / average headcount
  separation,   // departures / average headcount
  own_request,  // own_request departures / average headcount
  min           // min(recruitments with source != internal, departures) / average headcount
};

/// "municipal", "separation", "own_request" or "min"; throws argument_error otherwise.
TurnoverDefinition parse_turnover_definition(std::string_view text);

/// The organisation turnover is measured for: the administration (moving to
/// another administration is a departure) or the employer (it counts like a move).
enum class TurnoverScope : std::uint8_t { administration, employer };

/// "administration" or "employer"; throws argument_error otherwise.
TurnoverScope parse_turnover_scope(std::string_view text);

struct TurnoverOptions {
  TurnoverDefinition definition = TurnoverDefinition::municipal;
  std::vector<EndReason> exclude_reasons;  // removed from the departures
  bool employer_scope = false;             // other_administration counts like a move
  bool annualise = false;                  // scale a part-year period by 365.25 / its days
};

/// Mean over every day of [from, to] of the headcount on that day, per group.
/// Column: average_headcount.
Table average_headcount(const Register& reg, day_t from, day_t to, const Query& query);

/// Turnover over [from, to] (docs/metrics.md). Columns: average_headcount,
/// recruitments and departures (as counted by the definition), turnover.
Table turnover(const Register& reg, day_t from, day_t to, const Query& query, const TurnoverOptions& options = {});

}  // namespace staffcast
