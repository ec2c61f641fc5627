// Who works here on a day: headcount, fte and mean age by any dimensions.
#pragma once

#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

namespace staffcast {

/// Headcount (persons, by their main spell), fte (every spell in its own group)
/// and mean age in completed years on `as_of`. Columns: headcount, fte, mean_age.
Table snapshot(const Register& reg, day_t as_of, const Query& query);

/// Persons employed on `as_of` whose summed fte is at least 1.00, among persons
/// with any fte (hourly-only persons are left out), by their main spell.
/// Columns: persons, full_time, part_time, full_time_share.
Table full_time(const Register& reg, day_t as_of, const Query& query);

}  // namespace staffcast
