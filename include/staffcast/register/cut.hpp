// A register cut at a day, as if it had been extracted then (docs/models.md,
// "Backtests"): what the register showed on that day and nothing later.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/register/register.hpp>

namespace staffcast {

/// The register as if extracted on `cut`:
///   - spells starting after `cut` are dropped;
///   - end dates after `cut` are erased (the spell is ongoing) with their end
///     reasons, so departures and moves after `cut` are unknown;
///   - the extraction date is `cut` (given, not assumed);
///   - moves and continuations are paired again on what is left (a move
///     ending on or before `cut` whose next spell starts later is unpaired).
/// Everything else of a kept spell is as read. Position, department and
/// pass-through dictionaries keep every value of `reg` (the same codes), so a
/// Query made for `reg` applies to the cut register; person keys are those of
/// the kept spells and their managers. argument_error when `cut` is after the
/// register's extraction date or before its earliest start.
Register cut_register(const Register& reg, day_t cut);

}  // namespace staffcast
