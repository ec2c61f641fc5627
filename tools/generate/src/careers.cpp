// The careers in one slot: the occupant at the window start or a recruit,
// then competing departure risks with hazards that change at birthdays
// (sampled with exponential waiting times, so dates are day-accurate),
// renewals and conversions of fixed-term contracts, internal moves, re-hires
// and the vacancies between occupants.
#include "careers.hpp"
#include "months.hpp"

#include <algorithm>
#include <iterator>

namespace staffcast::detail::gen {

void SlotSimulator::run(std::size_t slot) {
  persons.clear();
  spells.clear();
  info = m_.slot_info(slot);
  Xoshiro256 rng(m_.opt.seed, kStreamSlot, slot);
  Career c;
  if (info.initial) {
    c = initial_occupant(rng);
  } else {
    const day_t open =
        m_.window_start + 1 + static_cast<day_t>(rng.below(static_cast<u64>(m_.extracted_on - m_.window_start)));
    c = recruit(rng, open);
  }
  for (;;) {
    const day_t exit = run_career(rng, c);
    if (exit == kOpen) break;
    const day_t next = exit + 1 + vacancy(rng);
    if (next > m_.extracted_on) break;
    c = recruit(rng, next);
  }
}

u32 SlotSimulator::new_person(Xoshiro256& rng, day_t on, int age, u16 pos) {
  const day_t upper = add_years(on, -age);
  const day_t lower = add_years(on, -(age + 1));  // exclusive
  day_t birth = upper - static_cast<day_t>(rng.below(static_cast<u64>(upper - lower)));
  if (birth < m_.min_birth) birth = m_.min_birth + static_cast<day_t>(rng.below(365));
  const u64 r = rng.below(1000);
  const u64 women = 10 + (static_cast<u64>(kPositions[pos].female) * 990) / 1000;
  const u8 gender = r < 10 ? kOtherGender : r < women ? kFemale : kMale;
  persons.push_back({birth, gender});
  return static_cast<u32>(persons.size() - 1);
}

u8 SlotSimulator::draw_fte(Xoshiro256& rng, Level level, Form form, u8 gender) {
  if (form == kHourly) return 0;
  u32 full_ppm = gender == kFemale ? 655000 : gender == kMale ? 820000 : 720000;
  if (level != kStaff) full_ppm = 950000;
  if (form == kTemporary) full_ppm -= 60000;
  if (rng.chance_ppm(full_ppm)) return 100;
  return kPartTimeFte[pick_weighted(rng, kPartTimeWeights, std::size(kPartTimeWeights))];
}

u8 SlotSimulator::draw_source(Xoshiro256& rng, bool initial, Level level) {
  const u64 r = rng.below(1000);
  if (initial) return r < 550 ? kExternal : r < 670 ? kOtherAdminSource : kUnknownSource;
  if (level != kStaff) return r < 520 ? kExternal : r < 880 ? kOtherAdminSource : kUnknownSource;
  return r < 740 ? kExternal : r < 900 ? kOtherAdminSource : kUnknownSource;
}

day_t SlotSimulator::forced_exit(const PersonRec& p, Form form) const {
  // LAS: the right to stay ends with the month of the 69th birthday;
  // hourly staff may work until the day before their 70th birthday.
  if (form == kHourly) return birthday(p.birth, 70) - 1;
  return end_of_month(birthday(p.birth, 69));
}

day_t SlotSimulator::contract_end_for(Xoshiro256& rng, const PersonRec& p, day_t start) {
  const int months = kContractMonths[pick_weighted(rng, kContractWeights, std::size(kContractWeights))];
  day_t end = add_months(start, months) - 1;
  return std::min(end, forced_exit(p, kTemporary));
}

day_t SlotSimulator::vacancy(Xoshiro256& rng) {
  if (info.level != kStaff) return static_cast<day_t>(rng.between(20, 120));
  if (rng.chance_ppm(150000)) return 0;
  return static_cast<day_t>(rng.between(1, 100));
}

Career SlotSimulator::initial_occupant(Xoshiro256& rng) {
  const day_t ws = m_.window_start;
  Career c;
  c.level = info.level;
  c.dept = info.dept;
  Form form = info.kind;
  if (info.level != kStaff) {
    c.pos = info.level == kDeptHead ? pAvdelningschef : info.level == kUnitHead ? pEnhetschef : pBitradande;
  } else {
    c.pos = m_.draw_position(rng, c.dept);
  }
  // Temporary slots are often held by a temporary who has been made permanent.
  if (form == kTemporary && rng.chance_ppm(600000)) form = kPermanent;
  c.form = form;
  const AgeTable& table = info.level != kStaff                            ? m_.manager_age
                          : form == kHourly                               ? m_.hourly_age
                          : form == kPermanent && info.kind == kPermanent ? m_.initial_age
                                                                          : m_.recruit_age;
  const int age = std::min(table.draw(rng), form == kHourly ? 69 : 68);
  c.person = new_person(rng, ws, age, c.pos);
  const PersonRec& p = persons[c.person];
  c.fte = draw_fte(rng, c.level, form, p.gender);
  c.source = draw_source(rng, true, c.level);
  // Tenure before the window start, in days.
  const day_t earliest = birthday(p.birth, info.level != kStaff ? 28 : 18);
  const day_t cap = std::max<day_t>(0, std::min<day_t>(ws - earliest, 35 * 365));
  if (form == kTemporary) {
    const int months = kContractMonths[pick_weighted(rng, kContractWeights, std::size(kContractWeights))];
    const day_t offset = static_cast<day_t>(rng.below(static_cast<u64>(months) * 28));
    c.start = ws - std::min(offset, cap);
    c.contract_end = std::max(std::min(add_months(c.start, months) - 1, forced_exit(p, kTemporary)), ws);
    return c;
  }
  u64 mean_days = form == kHourly ? 900 : info.level != kStaff ? 2200 : info.kind == kTemporary ? 1500 : 3300;
  day_t tenure = 0;
  for (int attempt = 0;; ++attempt) {
    const double x = rng.exponential();
    const auto t = static_cast<u64>(x * static_cast<double>(mean_days));
    if (t <= static_cast<u64>(cap)) {
      tenure = static_cast<day_t>(t);
      break;
    }
    if (attempt == 8) {
      tenure = static_cast<day_t>(rng.below(static_cast<u64>(cap) + 1));
      break;
    }
  }
  c.start = ws - tenure;
  return c;
}

Career SlotSimulator::recruit(Xoshiro256& rng, day_t on) {
  Career c;
  c.level = info.level;
  c.dept = info.dept;
  c.form = info.kind;
  c.start = on;
  if (info.level != kStaff) {
    c.pos = info.level == kDeptHead ? pAvdelningschef : info.level == kUnitHead ? pEnhetschef : pBitradande;
  } else {
    c.pos = m_.draw_position(rng, c.dept);
  }
  bool rehired = false;
  if (info.level == kStaff && rng.chance_ppm(kRehirePpm)) {
    // The most recent eligible former occupant of this slot.
    for (std::size_t k = spells.size(); k-- > 0;) {
      const SpellRec& s = spells[k];
      bool later = false;  // a later spell of the same person exists
      for (std::size_t q = k + 1; q < spells.size(); ++q) later = later || spells[q].person == s.person;
      if (later) continue;
      if (s.reason != kOwnRequest && s.reason != kFixedTermEnded && s.reason != kOtherAdministration) continue;
      if (s.end == kOpen || s.end > on - 61) continue;
      const int age = age_on(persons[s.person].birth, on);
      if (age < 20 || age > 62) continue;
      c.person = s.person;
      rehired = true;
      break;
    }
  }
  if (rehired) {
    c.source = kRehire;
  } else {
    const AgeTable& table = info.level != kStaff ? m_.manager_recruit_age
                            : c.form == kHourly  ? m_.hourly_age
                                                 : m_.recruit_age;
    c.person = new_person(rng, on, table.draw(rng), c.pos);
    c.source = draw_source(rng, false, c.level);
  }
  c.fte = draw_fte(rng, c.level, c.form, persons[c.person].gender);
  if (c.form == kTemporary) c.contract_end = contract_end_for(rng, persons[c.person], on);
  return c;
}

void SlotSimulator::hazards(const Career& c, int age, std::array<u32, kReasonCount>& h) const {
  h.fill(0);
  const u32 turnover = kPositions[c.pos].turnover;
  const u32 own = static_cast<u32>((static_cast<u64>(own_request_hazard(age)) * turnover) / 1000);
  h[kDeath] = death_hazard(age);
  switch (c.form) {
    case kPermanent:
      h[kOwnRequest] = own;
      h[kRetirement] = retirement_hazard(age);
      h[kOtherAdministration] = kOtherAdministrationHazard;
      h[kDismissal] = kDismissalHazard;
      h[kOtherReason] = kOtherHazard;
      h[kInternalMove] = c.level == kStaff ? kStaffMoveHazard : c.level == kDeputy ? kDeputyPromotionHazard : 0;
      break;
    case kTemporary:
      h[kOwnRequest] = own * 3 / 2;
      h[kRetirement] = retirement_hazard(age);
      h[kOtherAdministration] = 8000;
      h[kDismissal] = 500;
      h[kOtherReason] = 5000;
      break;
    case kHourly:
      h[kFixedTermEnded] = 150000;
      h[kOwnRequest] = 120000;
      h[kRetirement] = age >= 65 ? 150000 : retirement_hazard(age) / 4;
      h[kOtherAdministration] = 8000;
      h[kOtherReason] = 8000;
      break;
  }
}

Event SlotSimulator::draw_event(Xoshiro256& rng, const Career& c, day_t from, day_t horizon) const {
  if (from >= horizon) return {kOpen, kNoReason};
  const PersonRec& p = persons[c.person];
  int age = age_on(p.birth, from);
  day_t t = from;
  std::array<u32, kReasonCount> h{};
  while (t < horizon) {
    const day_t segment_end = std::min(birthday(p.birth, age + 1), horizon);
    hazards(c, std::min(age, kMaxAge), h);
    u64 total = 0;
    for (const u32 v : h) total += v;
    if (total > 0) {
      const double x = rng.exponential();
      const double dt = x * (365.25e6 / static_cast<double>(total));
      if (dt < static_cast<double>(segment_end - t)) {
        const day_t day = t + static_cast<day_t>(dt);
        u64 r = rng.below(total);
        u8 reason = kOtherReason;
        for (u8 k = 1; k < kReasonCount; ++k) {
          if (r < h[k]) {
            reason = k;
            break;
          }
          r -= h[k];
        }
        return {day, reason};
      }
    }
    t = segment_end;
    ++age;
  }
  return {kOpen, kNoReason};
}

void SlotSimulator::push_spell(const Career& c, day_t end, u8 reason) {
  spells.push_back({c.person, c.start, end, c.dept, c.pos, c.form, reason, c.source, c.fte, c.level});
}

void SlotSimulator::apply_move(Xoshiro256& rng, Career& c) const {
  if (c.level == kDeputy) {
    c.level = kUnitHead;
    c.pos = pEnhetschef;
    return;
  }
  if (rng.chance_ppm(400000)) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      const u16 pos = m_.draw_position(rng, c.dept);
      if (pos != c.pos) {
        c.pos = pos;
        return;
      }
    }
  }
  if (m_.depts.size() > 1) {
    u32 dept = c.dept;
    for (int attempt = 0; attempt < 16 && dept == c.dept; ++attempt) dept = m_.draw_department(rng);
    if (dept == c.dept) dept = (c.dept + 1) % static_cast<u32>(m_.depts.size());
    const bool keep = m_.profile_has(dept, c.pos) && rng.chance_ppm(700000);
    c.dept = dept;
    if (!keep) c.pos = m_.draw_position(rng, dept);
  } else {
    c.pos = m_.draw_position(rng, c.dept);
  }
}

day_t SlotSimulator::run_career(Xoshiro256& rng, Career c) {
  const day_t eo = m_.extracted_on;
  day_t from = std::max(c.start, m_.window_start);
  for (;;) {
    const PersonRec& p = persons[c.person];
    if (c.form == kTemporary) {
      const Event ev = draw_event(rng, c, from, std::min(c.contract_end, eo) + 1);
      if (ev.day != kOpen) {
        push_spell(c, ev.day, ev.reason);
        return ev.day;
      }
      push_spell(c, c.contract_end, kFixedTermEnded);  // a planned end when after eo
      if (c.contract_end >= eo) return kOpen;
      const day_t next = c.contract_end + 1;
      const int age = age_on(p.birth, next);
      const u64 r = rng.below(1000000);
      if (r < kRenewPpm && age <= 67 && next <= forced_exit(p, kTemporary)) {
        c.start = next;
        c.contract_end = contract_end_for(rng, p, next);
        from = next;
        continue;
      }
      if (r >= kRenewPpm && r < kRenewPpm + kConvertPpm && age <= 60) {
        c.form = kPermanent;
        c.start = next;
        c.source = kInternal;
        if (c.fte < 100 && rng.chance_ppm(200000)) c.fte = 100;
        from = next;
        continue;
      }
      return c.contract_end;
    }
    const day_t forced = forced_exit(p, c.form);
    const Event ev = draw_event(rng, c, from, std::min(forced, eo) + 1);
    if (ev.day == kOpen) {
      if (forced <= eo) {
        push_spell(c, forced, kRetirement);
        return forced;
      }
      push_spell(c, kOpen, kNoReason);
      return kOpen;
    }
    if (ev.reason == kInternalMove) {
      day_t gap = rng.chance_ppm(450000) ? 1 : static_cast<day_t>(rng.between(2, 20));
      if (ev.day + gap > eo) gap = eo - ev.day;
      if (gap < 1) {  // would start after extracted_on: nothing observable yet
        push_spell(c, kOpen, kNoReason);
        return kOpen;
      }
      if (ev.day + gap > forced) {
        push_spell(c, ev.day, kRetirement);
        return ev.day;
      }
      push_spell(c, ev.day, kInternalMove);
      apply_move(rng, c);
      c.start = ev.day + gap;
      c.source = kInternal;
      from = c.start;
      continue;
    }
    push_spell(c, ev.day, ev.reason);
    return ev.day;
  }
}

}  // namespace staffcast::detail::gen
