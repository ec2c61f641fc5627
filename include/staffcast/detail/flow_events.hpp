// The flow events (departures, recruitments, moves) of a filtered population
// and the scans that find them; shared by flows, turnover, rates, retirement
// and the projection inputs.
#pragma once

#include <staffcast/detail/group_sums.hpp>
#include <staffcast/register/query.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>

namespace staffcast {

enum class EventKind : std::uint8_t { departure, recruitment, move_out, move_in };

/// One counted event of a filtered population.
struct FlowEvent {
  EventKind kind;
  std::uint32_t spell;
  day_t day;
  EndReason reason;          // departures
  RecruitmentSource source;  // recruitments (unknown counts as external)
};

namespace detail {

/// True when another spell of block [b, e), passing the filter, covers `day`
/// and (for starts) began before `started_before`.
inline bool covered_by_other(const Register& reg, const Filter& filter, std::size_t b, std::size_t e, std::size_t self,
                             day_t day, std::optional<day_t> started_before) {
  const SpellColumns& s = reg.spells();
  for (std::size_t j = b; j < e; ++j) {
    if (j == self || s.start_date[j] > day || day > s.end_date[j]) continue;
    if (started_before && s.start_date[j] >= *started_before) continue;
    if (filter.passes(reg, j)) return true;
  }
  return false;
}

}  // namespace detail

namespace detail {

/// The person block [b, e) holding spell i.
inline std::pair<std::size_t, std::size_t> person_block_of(const SpellColumns& s, std::size_t i) {
  std::size_t b = i, e = i + 1;
  while (b > 0 && s.person[b - 1] == s.person[i]) --b;
  while (e < s.size() && s.person[e] == s.person[i]) ++e;
  return {b, e};
}

/// The events of spell i (which passes the filter) dated in [from, to]: its
/// start, then its end.
template <class F>
void flow_events_of_spell(const Register& reg, const Filter& filter, day_t from, day_t to, day_t extracted,
                          std::size_t i, F&& f) {
  const SpellColumns& s = reg.spells();
  const auto spell = static_cast<std::uint32_t>(i);
  const day_t start = s.start_date[i];
  if (start >= from && start <= to && start <= extracted) {
    switch (s.start_kind[i]) {
      case StartKind::recruitment:
        f(FlowEvent{EventKind::recruitment, spell, start, EndReason::none, s.recruitment_source[i]});
        break;
      case StartKind::move_in:
        f(FlowEvent{EventKind::move_in, spell, start, EndReason::none, s.recruitment_source[i]});
        break;
      case StartKind::continuation:
        if (!filter.empty()) {
          const auto [b, e] = person_block_of(s, i);
          if (!detail::covered_by_other(reg, filter, b, e, i, start - 1, start)) {
            f(FlowEvent{EventKind::recruitment, spell, start, EndReason::none, RecruitmentSource::internal});
          }
        }
        break;
    }
  }
  const day_t end = s.end_date[i];
  if (end == open_end_day || end < from || end > to || end > extracted) return;
  switch (s.end_kind[i]) {
    case EndKind::departure:
      f(FlowEvent{EventKind::departure, spell, end, s.end_reason[i], RecruitmentSource::unknown});
      break;
    case EndKind::move_out:
      f(FlowEvent{EventKind::move_out, spell, end, s.end_reason[i], RecruitmentSource::unknown});
      break;
    case EndKind::continuation:
      if (!filter.empty()) {
        const auto [b, e] = person_block_of(s, i);
        if (!detail::covered_by_other(reg, filter, b, e, i, end + 1, std::nullopt)) {
          f(FlowEvent{EventKind::departure, spell, end, s.end_reason[i], RecruitmentSource::unknown});
        }
      }
      break;
    case EndKind::open:
      break;
  }
}

struct NoPrefetch {
  void operator()(std::size_t) const noexcept {}
};

/// Calls f(i) for every spell in [from_spell, to_spell) that passes the filter
/// and starts or ends in [from, min(to, extracted)] (the spells that may have
/// events), found block by block with a branch-free pass: a year's events
/// touch a small share of the spells. Those spells are scattered, so their
/// other columns are not in cache: the event columns, and whatever
/// prefetch(i) asks for (the group key's), are prefetched a few spells ahead.
template <class F, class Prefetch = NoPrefetch>
void for_each_spell_with_events(const Register& reg, const Filter& filter, day_t from, day_t to, day_t extracted,
                                std::size_t from_spell, std::size_t to_spell, F&& f, Prefetch&& prefetch = {}) {
  const SpellColumns& s = reg.spells();
  const day_t last = std::min(to, extracted);
  const day_t* start = s.start_date.data();
  const day_t* end = s.end_date.data();
  constexpr std::size_t block = 4096;
  std::array<std::uint32_t, block> found;
  for (std::size_t b = from_spell; b < to_spell; b += block) {
    const std::size_t e = std::min(to_spell, b + block);
    std::size_t m = 0;
    for (std::size_t i = b; i < e; ++i) {
      found[m] = static_cast<std::uint32_t>(i);
      const bool starts = (from <= start[i]) & (start[i] <= last);
      const bool ends = (from <= end[i]) & (end[i] <= last) & (end[i] != open_end_day);
      m += static_cast<std::size_t>(starts | ends);
    }
    constexpr std::size_t ahead = 16;
    for (std::size_t k = 0; k < m; ++k) {
      if (k + ahead < m) {
        const std::uint32_t j = found[k + ahead];
        __builtin_prefetch(s.start_kind.data() + j);
        __builtin_prefetch(s.end_kind.data() + j);
        __builtin_prefetch(s.end_reason.data() + j);
        __builtin_prefetch(s.recruitment_source.data() + j);
        if (!filter.empty()) __builtin_prefetch(s.employment_form.data() + j);
        prefetch(static_cast<std::size_t>(j));
      }
      if (filter.passes(reg, found[k])) f(static_cast<std::size_t>(found[k]));
    }
  }
}

/// for_each_flow_event (below) for the spells [from_spell, to_spell) alone.
template <class F, class Prefetch = NoPrefetch>
void for_each_flow_event_in(const Register& reg, const Filter& filter, day_t from, day_t to, day_t extracted,
                            std::size_t from_spell, std::size_t to_spell, F&& f, Prefetch&& prefetch = {}) {
  for_each_spell_with_events(
      reg, filter, from, to, extracted, from_spell, to_spell,
      [&](std::size_t i) { flow_events_of_spell(reg, filter, from, to, extracted, i, f); }, prefetch);
}

}  // namespace detail

namespace detail {

/// Sums over the flow events (as for_each_flow_event gives them):
/// body(sums, event) for each, in chunks on several threads for large
/// registers (see sum_in_chunks; for counts only).
template <class Body>
GroupSums sum_over_flow_events(const Register& reg, const Filter& filter, day_t from, day_t to, day_t extracted,
                               std::size_t columns, const GroupKeys& keys, Body&& body) {
  return sum_in_chunks(reg.spells(), columns, keys, [&](std::size_t from_spell, std::size_t to_spell, GroupSums& sums) {
    for_each_flow_event_in(
        reg, filter, from, to, extracted, from_spell, to_spell, [&](const FlowEvent& event) { body(sums, event); },
        [&](std::size_t spell) { keys.prefetch(spell); });
  });
}

}  // namespace detail

namespace detail {

/// Summed fte of the filtered spells of `spell`'s person covering `day` (for fte_band).
inline int person_fte_on(const Register& reg, const Filter& filter, std::size_t spell, day_t day) {
  const SpellColumns& s = reg.spells();
  std::size_t b = spell;
  while (b > 0 && s.person[b - 1] == s.person[spell]) --b;
  int fte = 0;
  for (std::size_t j = b; j < s.size() && s.person[j] == s.person[spell]; ++j) {
    if (s.start_date[j] <= day && day <= s.end_date[j] && filter.passes(reg, j)) fte += s.fte[j];
  }
  return fte;
}

/// The group key of an event: its own spell's attributes on the event day.
inline std::uint64_t event_key(const Register& reg, const GroupKeys& keys, const Filter& filter,
                               const FlowEvent& event) {
  const int fte = keys.by().uses(DimensionKind::fte_band) ? person_fte_on(reg, filter, event.spell, event.day) : 0;
  return keys.key(event.spell, event.day, fte);
}

}  // namespace detail

/// Calls f(FlowEvent) for every departure, recruitment and move of the filtered
/// population dated in [from, to] (docs/metrics.md, "Moves and continuations"):
/// continuations count only when their partner lies outside the filter (then a
/// start counts as a recruitment with source internal); ends after the
/// extraction date are planned, never departures. Events come spell by spell
/// in register order, each spell's start before its end.
template <class F>
void for_each_flow_event(const Register& reg, const Filter& filter, day_t from, day_t to, day_t extracted, F&& f) {
  detail::for_each_flow_event_in(reg, filter, from, to, extracted, 0, reg.size(), f);
}

}  // namespace staffcast
