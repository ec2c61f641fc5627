// Sick-leave kernels: register persons of the sick-leave table, absence
// pieces, and the raw (unsuppressed) rates table.
#pragma once

#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/period_keys.hpp>
#include <staffcast/detail/totals.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/stats/sick_leave_rates.hpp>

#include <algorithm>
#include <limits>
#include <vector>

namespace staffcast {

namespace detail {

/// register_persons_of (below) for the sick-leave keys [k_begin, k_end), into out.
inline void register_persons_of_range(const Register& reg, const SickLeave& sick, std::size_t k_begin,
                                      std::size_t k_end, std::uint32_t* out) {
  const Dictionary& ids = reg.ids();
  const Dictionary::const_iterator employees = ids.begin() + static_cast<std::ptrdiff_t>(reg.persons());
  if (k_begin >= k_end) return;
  auto p = static_cast<std::size_t>(std::lower_bound(ids.begin(), employees, sick.ids[k_begin]) - ids.begin());
  for (std::size_t k = k_begin; k < k_end; ++k) {
    const std::string_view id = sick.ids[k];
    out[k] = no_code;
    while (p < reg.persons()) {
      const int order = ids[p].compare(id);  // one comparison per step, not < then ==
      if (order < 0) {
        ++p;
        continue;
      }
      if (order == 0) out[k] = static_cast<std::uint32_t>(p);
      break;
    }
  }
}

/// For each person key of the sick-leave table, the register's person code (or
/// no_code): a linear merge, as both hold their keys sorted by code point (the
/// register's employees form the first sorted run of its ids); in two halves
/// on two threads for large tables.
inline std::vector<std::uint32_t> register_persons_of(const Register& reg, const SickLeave& sick) {
  std::vector<std::uint32_t> out(sick.ids.size(), no_code);
  const std::size_t n = sick.ids.size();
  detail::run_both(
      n >= 100000, [&] { register_persons_of_range(reg, sick, 0, n / 2, out.data()); },
      [&] { register_persons_of_range(reg, sick, n / 2, n, out.data()); });
  return out;
}

struct SickPiece {      // a stretch of one absence with constant extent
  day_t first, last;    // inclusive
  day_t absence_first;  // day 1 of the absence
  bool long_absence;    // the absence lasts >= from_day days in all
  int extent;           // hundredths, capped at 100
};

/// Absences of one person from their records (sorted by start): records that
/// overlap or adjoin form one absence; overlapping extents add up to at most 1.
/// Only the pieces that meet [keep_from, keep_to] are kept (the absences around
/// them are still walked whole, so day numbers and lengths stay those of the absence).
inline void person_absences(const SickLeave& sick, std::size_t b, std::size_t e, int from_day,
                            std::vector<SickPiece>& out, day_t keep_from = std::numeric_limits<day_t>::min(),
                            day_t keep_to = std::numeric_limits<day_t>::max()) {
  out.clear();
  std::vector<std::pair<day_t, int>> changes;  // (day, extent change)
  for (std::size_t r = b; r < e;) {
    if (sick.start_date[r] > keep_to) break;  // this absence and all later ones start after the kept days
    day_t last = sick.end_date[r];
    std::size_t k = r + 1;
    while (k < e && sick.start_date[k] <= last + 1) {
      last = std::max(last, sick.end_date[k]);
      ++k;
    }
    const day_t first = sick.start_date[r];
    const bool long_absence = last - first + 1 >= from_day;
    if (last < keep_from) {  // the whole absence ends before the kept days
      r = k;
      continue;
    }
    if (k == r + 1) {  // one record (the usual case): one piece, no sweep
      out.push_back({first, last, first, long_absence, std::min<int>(sick.extent[r], 100)});
      r = k;
      continue;
    }
    changes.clear();
    for (std::size_t j = r; j < k; ++j) {
      changes.emplace_back(sick.start_date[j], sick.extent[j]);
      changes.emplace_back(sick.end_date[j] + 1, -static_cast<int>(sick.extent[j]));
    }
    std::sort(changes.begin(), changes.end());
    int level = 0;
    for (std::size_t c = 0; c < changes.size();) {
      const day_t day = changes[c].first;
      while (c < changes.size() && changes[c].first == day) level += changes[c++].second;
      if (c < changes.size() && level > 0 && changes[c].first - 1 >= keep_from && day <= keep_to) {
        out.push_back({day, changes[c].first - 1, first, long_absence, std::min(level, 100)});
      }
    }
    r = k;
  }
}

}  // namespace detail

namespace detail {

/// The rates before disclosure control, with a last column `sick_persons`.
inline Table raw_sick_leave_rates(const Register& reg, const SickLeave& sick, day_t from, day_t to, const Query& query,
                                  const SickLeaveRateOptions& options) {
  detail::require_observed(reg, query, from, to);
  const SpellColumns& s = reg.spells();
  const GroupKeys keys(reg, query.by);
  enum { persons, fte_days, sick_days, short_days, late_days, long_days, sick_persons, columns };

  // Sick records per register person: as both dictionaries are sorted by code
  // point and the records by person, each person's records are one run
  // [sick_begin[p], sick_end[p]) of the table, used in place. The runs come
  // from a count of records per sick-leave key (no branch per record).
  std::vector<std::uint32_t> sick_begin(reg.persons(), 0), sick_end(reg.persons(), 0);
  const std::vector<std::uint32_t> person_of = detail::register_persons_of(reg, sick);
  const bool runs = std::is_sorted(sick.person.begin(), sick.person.end());
  if (runs) {
    std::vector<std::uint32_t> first(sick.ids.size() + 1, 0);
    for (std::uint32_t key : sick.person) ++first[key + 1];
    for (std::size_t k = 0; k < sick.ids.size(); ++k) first[k + 1] += first[k];
    for (std::size_t k = 0; k < sick.ids.size(); ++k) {
      const std::uint32_t p = person_of[k];
      if (p == no_code) continue;
      sick_begin[p] = first[k];
      sick_end[p] = first[k + 1];
    }
  }
  // Otherwise (never for a table read or loaded by staffcast) a sorted copy per person.
  std::vector<std::uint32_t> rows_begin, sick_rows;
  if (!runs) {
    rows_begin.assign(reg.persons() + 1, 0);
    for (std::size_t r = 0; r < sick.size(); ++r) {
      const std::uint32_t p = person_of[sick.person[r]];
      if (p != no_code) ++rows_begin[p + 1];
    }
    for (std::size_t p = 0; p < reg.persons(); ++p) rows_begin[p + 1] += rows_begin[p];
    sick_rows.resize(rows_begin.back());
    std::vector<std::uint32_t> fill(rows_begin.begin(), rows_begin.end() - 1);
    for (std::size_t r = 0; r < sick.size(); ++r) {
      const std::uint32_t p = person_of[sick.person[r]];
      if (p != no_code) sick_rows[fill[p]++] = static_cast<std::uint32_t>(r);
    }
  }
  // Amounts are exact integers (fte and extent in hundredths): fte-days × 100 and sick days × 10,000,
  // so the sums do not depend on their order and the scan may run in chunks on several threads.
  constexpr double fte_unit = 100.0, sick_unit = 10000.0;
  struct Segment {
    day_t first, last;
    int weight;  // fte in hundredths, at most 100
    std::uint64_t key;
  };
  struct Scratch {
    std::vector<std::uint32_t> spells, stretch_spells;
    std::vector<day_t> cuts;
    std::vector<Segment> segments;
    std::vector<detail::SickPiece> pieces;
    std::vector<std::uint64_t> touched, sick_touched;
    SickLeave person_sick;
  };
  const detail::PeriodKeys period(reg, query, keys, from, to);
  auto per_person = [&](detail::GroupSums& sums, const std::uint32_t* overlapping, std::size_t count, Scratch& sc) {
    sc.spells.clear();
    for (std::size_t k = 0; k < count; ++k) {
      if (s.fte[overlapping[k]] > 0) sc.spells.push_back(overlapping[k]);
    }
    if (sc.spells.empty()) return;
    sc.segments.clear();
    sc.touched.clear();
    period.for_each_stretch(sc.spells.data(), sc.spells.size(), sc.stretch_spells, sc.cuts,
                            [&](day_t first, day_t last, int fte, std::uint64_t key) {
                              const int weight = std::min(fte, 100);
                              sc.segments.push_back({first, last, weight, key});
                              sums.add_later(key, fte_days,
                                             static_cast<double>(weight) * static_cast<double>(last - first + 1));
                              if (std::find(sc.touched.begin(), sc.touched.end(), key) == sc.touched.end()) {
                                sc.touched.push_back(key);
                                sums.add_later(key, persons, 1);
                              }
                            });
    // Sick time: absence pieces intersected with the employed segments.
    const std::uint32_t p = s.person[overlapping[0]];
    if (runs) {
      if (sick_begin[p] == sick_end[p]) return;
      detail::person_absences(sick, sick_begin[p], sick_end[p], options.from_day, sc.pieces, from, to);
    } else {
      if (rows_begin[p] == rows_begin[p + 1]) return;
      SickLeave& person_sick = sc.person_sick;
      person_sick.start_date.clear();
      person_sick.end_date.clear();
      person_sick.extent.clear();
      for (std::uint32_t k = rows_begin[p]; k < rows_begin[p + 1]; ++k) {
        const std::uint32_t r = sick_rows[k];
        person_sick.start_date.push_back(sick.start_date[r]);
        person_sick.end_date.push_back(sick.end_date[r]);
        person_sick.extent.push_back(sick.extent[r]);
      }
      detail::person_absences(person_sick, 0, person_sick.start_date.size(), options.from_day, sc.pieces, from, to);
    }
    sc.sick_touched.clear();
    for (const detail::SickPiece& piece : sc.pieces) {
      for (const Segment& seg : sc.segments) {
        const day_t first = std::max(piece.first, seg.first);
        const day_t last = std::min(piece.last, seg.last);
        if (first > last) continue;
        const double amount = static_cast<double>(piece.extent * seg.weight);
        // Day numbers within the absence (day 1 = its first day).
        const day_t d0 = first - piece.absence_first + 1;
        const day_t d1 = last - piece.absence_first + 1;
        sums.add_later(seg.key, sick_days, amount * (d1 - d0 + 1));
        const day_t short_last = std::min<day_t>(d1, options.short_term_days);
        if (short_last >= d0) sums.add_later(seg.key, short_days, amount * (short_last - d0 + 1));
        const day_t late_first = std::max<day_t>(d0, options.from_day);
        if (d1 >= late_first) sums.add_later(seg.key, late_days, amount * (d1 - late_first + 1));
        if (piece.long_absence) sums.add_later(seg.key, long_days, amount * (d1 - d0 + 1));
        if (std::find(sc.sick_touched.begin(), sc.sick_touched.end(), seg.key) == sc.sick_touched.end()) {
          sc.sick_touched.push_back(seg.key);
          sums.add_later(seg.key, sick_persons, 1);
        }
      }
    }
  };
  detail::GroupSums sums =
      detail::sum_over_persons_overlapping<Scratch>(reg, query.filter, from, to, columns, keys, per_person);

  Table table = sums.sorted_labelled(keys);
  ValueColumn person_count{"persons", ValueKind::count, {}}, days{"fte_days", ValueKind::fte, {}},
      rate{"sick_rate", ValueKind::rate, {}}, short_rate{"short_term_rate", ValueKind::rate, {}},
      late_rate{"from_day_60_rate", ValueKind::rate, {}}, long_share{"long_term_share", ValueKind::rate, {}};
  std::vector<double> sick_person_count;
  for (std::size_t r = 0; r < sums.size(); ++r) {
    const double* row = sums.sums(r);
    person_count.values.push_back(row[persons]);
    const double employed_days = row[fte_days] / fte_unit;
    days.values.push_back(employed_days);
    const bool any_time = row[fte_days] > 0;
    rate.values.push_back(any_time ? row[sick_days] / sick_unit / employed_days : missing);
    short_rate.values.push_back(any_time ? row[short_days] / sick_unit / employed_days : missing);
    late_rate.values.push_back(any_time ? row[late_days] / sick_unit / employed_days : missing);
    long_share.values.push_back(row[sick_days] > 0 ? row[long_days] / row[sick_days] : missing);
    sick_person_count.push_back(row[sick_persons]);
  }
  if (keys.by().dimensions.empty() && sums.size() == 0) {
    person_count.values = {0};
    days.values = {0};
    rate.values = short_rate.values = late_rate.values = long_share.values = {missing};
    sick_person_count = {0};
  }
  table.values = {std::move(person_count), std::move(days),      std::move(rate),
                  std::move(short_rate),   std::move(late_rate), std::move(long_share)};
  table.values.push_back({"sick_persons", ValueKind::count, sick_person_count});
  table.sort_rows();
  detail::append_totals(table, query,
                        [&](const Query& q) { return raw_sick_leave_rates(reg, sick, from, to, q, options); });
  return table;
}

}  // namespace detail

}  // namespace staffcast
