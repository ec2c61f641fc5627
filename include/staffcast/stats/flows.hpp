// Who came and went in a period: departures, recruitments and internal moves.
#pragma once

#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

namespace staffcast {

/// Departures, recruitments, moves out and moves in dated in [from, to].
Table flows(const Register& reg, day_t from, day_t to, const Query& query);

/// Departures dated in [from, to] by end reason: one column per reason, then
/// `departures` (all of them).
Table departures_by_reason(const Register& reg, day_t from, day_t to, const Query& query);

/// Recruitments dated in [from, to] by recruitment path: internal,
/// other_administration, external (including unknown), rehire, then `recruitments`.
Table recruitments_by_source(const Register& reg, day_t from, day_t to, const Query& query);

}  // namespace staffcast
