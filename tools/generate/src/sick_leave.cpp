// Sick leave for the persons of one slot.
#include "sick_leave.hpp"
#include "rates.hpp"

#include <algorithm>
#include <iterator>

namespace staffcast::detail::gen {

namespace {

constexpr u32 kShortRate = 1500000;  // per person-year, micro
constexpr u32 kMediumRate = 250000;
constexpr u32 kLongRate = 110000;
constexpr u8 kShortDays[] = {1, 2, 3, 4, 5, 6, 7};
constexpr u32 kShortWeights[] = {34, 22, 16, 10, 8, 4, 6};
constexpr u32 kFrailtyPermille[] = {300, 700, 1100, 2000};
constexpr u32 kFrailtyWeights[] = {25, 30, 25, 20};

}  // namespace

void SickLeaveWriter::person(Xoshiro256& rng, u64 id, const PersonRec& p, const SpellRec* spells, std::size_t n) {
  const u32 frailty = kFrailtyPermille[pick_weighted(rng, kFrailtyWeights, std::size(kFrailtyWeights))];
  const u32 sex = p.gender == kFemale ? 1120 : p.gender == kMale ? 680 : 1000;
  std::size_t i = 0;
  while (i < n) {
    if (spells[i].fte == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;  // block of adjoining non-hourly spells [i, j]
    while (j + 1 < n && spells[j + 1].fte != 0 && spells[j].end != kOpen && spells[j + 1].start == spells[j].end + 1)
      ++j;
    const day_t a = std::max(spells[i].start, m_.window_start);
    const day_t b = std::min(spells[j].end, m_.extracted_on);
    if (a <= b) block(rng, id, p, spells + i, j - i + 1, a, b, frailty, sex);
    i = j + 1;
  }
}

void SickLeaveWriter::block(Xoshiro256& rng, u64 id, const PersonRec& p, const SpellRec* spells, std::size_t n, day_t a,
                            day_t b, u32 frailty, u32 sex) {
  const int age = age_on(p.birth, a);
  const u32 age_long = age < 30 ? 600 : age < 50 ? 1000 : 1450;
  const u64 scale = static_cast<u64>(frailty) * sex;  // per million
  const u64 rates[3] = {kShortRate * scale / 1000000, kMediumRate * scale / 1000000,
                        (kLongRate * scale / 1000000) * age_long / 1000};
  const u64 total = rates[0] + rates[1] + rates[2];
  if (total == 0) return;
  const double mean_gap = 365.25e6 / static_cast<double>(total);
  day_t pos = a;
  for (;;) {
    const double dt = rng.exponential() * mean_gap;
    if (dt >= static_cast<double>(b - pos + 1)) return;
    const day_t s = pos + static_cast<day_t>(dt);
    const u64 r = rng.below(total);
    day_t e = s;
    if (r < rates[0]) {  // short: 1-7 days
      const day_t days = kShortDays[pick_weighted(rng, kShortWeights, std::size(kShortWeights))];
      e = std::min<day_t>(s + days - 1, b);
      emit(id, spells, n, s, e, rng.chance_ppm(930000) ? 100 : 50);
    } else if (r < rates[0] + rates[1]) {  // medium: 8-59 days
      const auto extra = static_cast<day_t>(rng.exponential() * 22.0);
      const day_t days = 8 + std::min<day_t>(extra, 51);
      e = std::min<day_t>(s + days - 1, b);
      const u32 ext = rng.chance_ppm(850000) ? 100 : rng.chance_ppm(650000) ? 50 : 25;
      if (days > 14 && e >= s + 14 && rng.chance_ppm(200000)) {  // a new certificate from day 15
        emit(id, spells, n, s, s + 13, ext);
        emit(id, spells, n, s + 14, e, ext);
      } else {
        emit(id, spells, n, s, e, ext);
      }
    } else {  // long: 60-365 days, often graded later
      const auto extra = static_cast<day_t>(rng.exponential() * 130.0);
      const day_t days = 60 + std::min<day_t>(extra, 305);
      e = std::min<day_t>(s + days - 1, b);
      if (rng.chance_ppm(450000)) {
        const day_t first = s + static_cast<day_t>(rng.between(29, 89));
        const u32 later = rng.chance_ppm(600000) ? 50 : rng.chance_ppm(600000) ? 25 : 75;
        if (first < e) {
          emit(id, spells, n, s, first, 100);
          emit(id, spells, n, first + 1, e, later);
        } else {
          emit(id, spells, n, s, e, 100);
        }
      } else {
        const u64 q = rng.below(100);
        emit(id, spells, n, s, e, q < 70 ? 100 : q < 90 ? 50 : 25);
      }
    }
    pos = e + 2;  // at least one day at work before the next absence
    if (pos > b) return;
  }
}

void SickLeaveWriter::emit(u64 id, const SpellRec* spells, std::size_t n, day_t s, day_t e, u32 extent) {
  for (std::size_t k = 0; k < n; ++k) {
    const day_t lo = std::max(s, spells[k].start);
    const day_t hi = std::min(e, spells[k].end);
    if (lo > hi) continue;
    char* p = out_.reserve(64);
    p = put_id(p, id, width_);
    *p++ = ',';
    p = put_date(p, lo);
    *p++ = ',';
    p = put_date(p, hi);
    *p++ = ',';
    if (extent == 100) {
      p = put_cstr(p, "1.0");
    } else {
      *p++ = '0';
      *p++ = '.';
      *p++ = static_cast<char>('0' + extent / 10);
      if (extent % 10 != 0) *p++ = static_cast<char>('0' + extent % 10);
    }
    *p++ = '\n';
    out_.commit_bytes(p);
    ++records;
  }
}

}  // namespace staffcast::detail::gen
