// The pairing rule of a register's spells: which ends are moves,
// continuations or departures and which starts are moves, continuations or
// recruitments (docs/metrics.md counts flows by these kinds). Private to
// src/register/.
#pragma once

#include <staffcast/register/register.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace staffcast::detail {

/// Days an internal move may leave between the end of one spell and the start
/// of the next: an end with reason internal_move pairs with a spell starting
/// at most this many days later.
inline constexpr day_t move_gap_days = 31;

/// A warning about spell `spell`: (spell, column, code, message).
using SpellWarning = std::function<void(std::size_t spell, std::string column, std::string code, std::string message)>;

/// How each spell's start and end count (SpellColumns' start_kind, end_kind,
/// start_partner, end_partner and chain_start), built beside the spells and
/// then moved in. The buffers start uninitialised: pair_persons() writes every
/// spell of its range, so the threads that pair the persons also touch the
/// fresh pages, and no one fills millions of defaults first.
struct Pairing {
  std::size_t size = 0;
  std::shared_ptr<StartKind[]> start_kind;
  std::shared_ptr<EndKind[]> end_kind;
  std::shared_ptr<std::uint32_t[]> start_partner;
  std::shared_ptr<std::uint32_t[]> end_partner;
  std::shared_ptr<day_t[]> chain_start;
  /// Hands the five columns to `s` (this is left empty).
  void move_into(SpellColumns& s);
};

/// The start_kind, end_kind, start_partner and end_partner of every spell;
/// `spells` are in canonical order (by person, then start date). Per person:
///
/// - Ends with reason internal_move pair one to one: taken in order of end
///   date, then the main-spell order (is_better_main_spell), each is a move out
///   whose move in is the earliest spell of the person that starts later than
///   it, at most move_gap_days after its end (overlap allowed), lasts beyond
///   its end (a concurrent spell ending the same day is no destination), and
///   that no earlier move end took; each is the other's partner. A move end left
///   without one is reported (unpaired_move) and is a departure.
/// - Any other closed end is a continuation when another spell of the person,
///   starting on or before the day after the end, still covers that day (its
///   partner: the one reaching furthest); otherwise a departure. Open ends
///   stay open.
/// - A start that is no move in is a continuation when an earlier-starting
///   spell covers the day before (its partner: the one reaching furthest);
///   otherwise a recruitment. A recruitment with source internal and no
///   spell of the person ending within move_gap_days before is reported
///   (unpaired_move).
/// - Spells that overlap another spell in the same department and position
///   are reported (overlapping_spells).
Pairing pair_spells(const SpellColumns& s, const SpellWarning& warning);

/// Also the chain start of every spell: the first day of service chained
/// through moves and continuations (a partner always comes earlier in
/// canonical order, so one pass over a person's spells suffices).
///
/// pair_spells() in two steps, so that the persons can be paired in parts on
/// different threads: prepare_pairing() allocates the columns of every
/// spell; pair_persons() pairs the spells [from, to), which must begin and
/// end at a person's first spell (or at s.size()), reporting in spell order.
Pairing prepare_pairing(const SpellColumns& s);
void pair_persons(const SpellColumns& s, Pairing& p, std::size_t from, std::size_t to, const SpellWarning& warning);

}  // namespace staffcast::detail
