// The pairing rule of a register's spells (see pairing.hpp): prefix maxima of
// the end dates over each person's spells sorted by start, so every end and
// start is paired with a binary search, and a person with many spells stays
// O(n log n).
#include "pairing.hpp"

#include <staffcast/register/groups.hpp>

#include <algorithm>
#include <limits>
#include <numeric>
#include <tuple>
#include <vector>

namespace staffcast::detail {

Pairing pair_spells(const SpellColumns& s, const SpellWarning& warning) {
  Pairing p = prepare_pairing(s);
  pair_persons(s, p, 0, s.size(), warning);
  return p;
}

namespace {

template <class T>
std::shared_ptr<T[]> uninitialised(std::size_t n) {
  return std::shared_ptr<T[]>(new T[n]);  // default-initialised: no fill
}

template <class T>
Column<T> column_of(std::shared_ptr<T[]>& buffer, std::size_t n) {
  const T* data = buffer.get();
  return Column<T>::view(data, n, std::shared_ptr<const void>(std::move(buffer), data));
}

}  // namespace

Pairing prepare_pairing(const SpellColumns& s) {
  const std::size_t n = s.size();
  Pairing p;
  p.size = n;
  p.start_kind = uninitialised<StartKind>(n);
  p.end_kind = uninitialised<EndKind>(n);
  p.start_partner = uninitialised<std::uint32_t>(n);
  p.end_partner = uninitialised<std::uint32_t>(n);
  p.chain_start = uninitialised<day_t>(n);
  return p;
}

void Pairing::move_into(SpellColumns& s) {
  s.start_kind = column_of(start_kind, size);
  s.end_kind = column_of(end_kind, size);
  s.start_partner = column_of(start_partner, size);
  s.end_partner = column_of(end_partner, size);
  s.chain_start = column_of(chain_start, size);
  size = 0;
}

void pair_persons(const SpellColumns& s, Pairing& p, std::size_t from, std::size_t n, const SpellWarning& warning) {
  std::vector<std::uint32_t> group;
  std::vector<day_t> prefix_end;  // max end over spells [b, k]
  std::vector<std::uint32_t> prefix_arg;
  std::vector<day_t> prefix_second;  // second largest end over [b, k], other spell
  std::vector<std::size_t> next_later;
  std::vector<std::size_t> move_ends;
  std::vector<std::size_t> free_from;
  for (std::size_t b = from; b < n;) {
    std::size_t e = b + 1;
    while (e < n && s.person[e] == s.person[b]) ++e;
    for (std::size_t k = b; k < e; ++k) {
      p.start_kind[k] = StartKind::recruitment;
      p.end_kind[k] = EndKind::open;
      p.start_partner[k] = no_code;
      p.end_partner[k] = no_code;
    }
    // Prefix maxima of end over spells sorted by start (they already are).
    // `disjoint`: every spell starts after all earlier ones ended (most
    // persons), so no two overlap and the overlap check has nothing to find.
    std::size_t count = e - b;
    prefix_end.resize(count);
    prefix_arg.resize(count);
    prefix_second.resize(count);
    bool disjoint = true;
    bool any_move = false;
    for (std::size_t k = b; k < e; ++k) {
      const std::size_t at = k - b;
      day_t best = s.end_date[k];
      auto arg = static_cast<std::uint32_t>(k);
      day_t second = std::numeric_limits<day_t>::min();
      if (at > 0) {
        disjoint = disjoint && s.start_date[k] > prefix_end[at - 1];
        if (prefix_end[at - 1] >= best) {
          second = std::max(best, prefix_second[at - 1]);
          best = prefix_end[at - 1];
          arg = prefix_arg[at - 1];
        } else {
          second = prefix_end[at - 1];
        }
      }
      prefix_end[at] = best;
      prefix_arg[at] = arg;
      prefix_second[at] = second;
      any_move = any_move || (s.end_date[k] != open_end_day && s.end_reason[k] == EndReason::internal_move);
    }
    // Last index in [b, e) whose start is <= day, or npos.
    auto last_starting_by = [&](day_t day) -> std::size_t {
      std::size_t lo = b, hi = e;
      while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (s.start_date[mid] <= day) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo == b ? std::string::npos : lo - 1;
    };
    if (any_move) {
      // The first spell starting later than each spell (spells are sorted by start):
      // one backward pass, so many spells on one start date stay linear.
      next_later.assign(e - b, e);
      for (std::size_t k = e - b; k-- > 1;) {
        const std::size_t i = b + k - 1;
        next_later[k - 1] = s.start_date[i + 1] > s.start_date[i] ? i + 1 : next_later[k];
      }
      // Moves, one to one: the move ends in order of end date, then the main-spell
      // order; each takes the earliest spell starting later than it, at most
      // move_gap_days after its end and lasting beyond it, that no earlier move end
      // took. A move end left without one is a departure. A spell over by a move
      // end is over by every later one, so each spell leaves the free list once.
      move_ends.clear();
      for (std::size_t i = b; i < e; ++i) {
        if (s.end_date[i] != open_end_day && s.end_reason[i] == EndReason::internal_move) move_ends.push_back(i);
      }
      std::sort(move_ends.begin(), move_ends.end(), [&](std::size_t x, std::size_t y) {
        if (s.end_date[x] != s.end_date[y]) return s.end_date[x] < s.end_date[y];
        return is_better_main_spell(s, x, y);
      });
      // free_from[k]: the first spell at or after b + k not yet taken (union-find, path halving).
      free_from.resize(e - b + 1);
      std::iota(free_from.begin(), free_from.end(), std::size_t{0});
      auto first_free = [&](std::size_t k) {
        while (free_from[k] != k) {
          free_from[k] = free_from[free_from[k]];
          k = free_from[k];
        }
        return k;
      };
      for (const std::size_t i : move_ends) {
        bool paired = false;
        for (std::size_t k = first_free(next_later[i - b] - b);
             b + k < e && s.start_date[b + k] - s.end_date[i] <= move_gap_days; k = first_free(k)) {
          const std::size_t j = b + k;
          free_from[k] = k + 1;  // taken, or over before this end and so before every later one
          if (s.end_date[j] > s.end_date[i]) {
            p.end_kind[i] = EndKind::move_out;
            p.end_partner[i] = static_cast<std::uint32_t>(j);
            p.start_kind[j] = StartKind::move_in;
            p.start_partner[j] = static_cast<std::uint32_t>(i);
            paired = true;
            break;
          }
        }
        if (paired) continue;
        p.end_kind[i] = EndKind::departure;
        warning(i, "end_reason", "unpaired_move",
                "internal_move with no following spell of the person (starting within 31 days after, lasting beyond "
                "it, not another move's destination); counted as a departure");
      }
    }
    // Other ends: continuations, else departures.
    for (std::size_t i = b; i < e; ++i) {
      if (s.end_date[i] == open_end_day || s.end_reason[i] == EndReason::internal_move) continue;
      const day_t next_day = s.end_date[i] + 1;
      const std::size_t last = last_starting_by(next_day);
      p.end_kind[i] = EndKind::departure;
      if (last != std::string::npos) {
        const std::size_t at = last - b;
        const bool best_is_self = prefix_arg[at] == i;
        const day_t reach = best_is_self ? prefix_second[at] : prefix_end[at];
        if (reach >= next_day) {
          p.end_kind[i] = EndKind::continuation;
          if (!best_is_self) p.end_partner[i] = prefix_arg[at];
        }
      }
    }
    // Starts: continuation when an earlier-starting spell covers the day before.
    for (std::size_t j = b; j < e; ++j) {
      if (p.start_kind[j] == StartKind::move_in) continue;
      const std::size_t last = last_starting_by(s.start_date[j] - 1);
      const bool covered = last != std::string::npos && prefix_end[last - b] >= s.start_date[j] - 1;
      if (covered) {
        p.start_kind[j] = StartKind::continuation;
        p.start_partner[j] = prefix_arg[last - b];
      } else if (s.recruitment_source[j] == RecruitmentSource::internal) {
        const bool near = last != std::string::npos && prefix_end[last - b] >= s.start_date[j] - 1 - move_gap_days;
        if (!near) {
          warning(j, "recruitment_source", "unpaired_move",
                  "internal recruitment with no earlier spell of the person ending within 31 days");
        }
      }
    }
    // Overlapping spells in the same department and position.
    if (disjoint) count = 0;  // nothing overlaps: no group to sort
    group.assign(count, 0);
    std::iota(group.begin(), group.end(), static_cast<std::uint32_t>(b));
    std::sort(group.begin(), group.end(), [&](std::uint32_t x, std::uint32_t y) {
      return std::tie(s.department[x], s.position[x], s.start_date[x], x) <
             std::tie(s.department[y], s.position[y], s.start_date[y], y);
    });
    day_t reach = 0;
    for (std::size_t k = 0; k < group.size(); ++k) {
      const std::uint32_t cur = group[k];
      const bool same_job =
          k > 0 && s.department[group[k - 1]] == s.department[cur] && s.position[group[k - 1]] == s.position[cur];
      if (same_job && s.start_date[cur] <= reach) {
        warning(cur, "start_date", "overlapping_spells",
                "overlaps another spell of the same person in the same department and position");
      }
      reach = same_job ? std::max(reach, s.end_date[cur]) : s.end_date[cur];
    }
    // Chained service: follow moves and continuations back to the first spell.
    for (std::size_t j = b; j < e; ++j) {
      const std::uint32_t partner = p.start_partner[j];
      p.chain_start[j] = (p.start_kind[j] != StartKind::recruitment && partner != no_code)
                             ? std::min(p.chain_start[partner], s.start_date[j])
                             : s.start_date[j];
    }
    b = e;
  }
}

}  // namespace staffcast::detail
