// The simulation of one slot (seat): its occupants' careers from the window
// start (or the slot's opening) to extracted_on, as spells. Private to
// staffcast::generate.
#pragma once

#include "codes.hpp"
#include "organisation.hpp"

#include <staffcast/generate/detail/random.hpp>

#include <array>
#include <cstddef>
#include <vector>

namespace staffcast::detail::gen {

struct PersonRec {
  day_t birth;
  u8 gender;
};

struct SpellRec {
  u32 person;
  day_t start;
  day_t end;  // kOpen = ongoing
  u32 dept;
  u16 pos;
  u8 form;
  u8 reason;
  u8 source;
  u8 fte;  // hundredths; 0 = hourly (empty)
  u8 level;
};

struct Career {
  u32 person = 0;
  Form form = kPermanent;
  Level level = kStaff;
  u32 dept = 0;
  u16 pos = 0;
  u8 fte = 100;
  u8 source = kUnknownSource;
  day_t start = 0;
  day_t contract_end = 0;  // temporaries: last day of the current contract
};

struct Event {
  day_t day;
  u8 reason;
};

class SlotSimulator {
 public:
  explicit SlotSimulator(const Model& model) : m_(model) {}

  std::vector<PersonRec> persons;
  std::vector<SpellRec> spells;
  SlotInfo info{};

  void run(std::size_t slot);

 private:
  const Model& m_;

  // ---- persons
  u32 new_person(Xoshiro256& rng, day_t on, int age, u16 pos);
  u8 draw_fte(Xoshiro256& rng, Level level, Form form, u8 gender);
  u8 draw_source(Xoshiro256& rng, bool initial, Level level);
  day_t forced_exit(const PersonRec& p, Form form) const;
  day_t contract_end_for(Xoshiro256& rng, const PersonRec& p, day_t start);
  day_t vacancy(Xoshiro256& rng);

  // ---- occupants
  Career initial_occupant(Xoshiro256& rng);
  Career recruit(Xoshiro256& rng, day_t on);

  // ---- events
  void hazards(const Career& c, int age, std::array<u32, kReasonCount>& h) const;
  // First event in [from, horizon) or {kOpen, 0}.
  Event draw_event(Xoshiro256& rng, const Career& c, day_t from, day_t horizon) const;
  void push_spell(const Career& c, day_t end, u8 reason);
  void apply_move(Xoshiro256& rng, Career& c) const;
  // Simulates a career from its current spell; returns the last day employed
  // when the person leaves the slot on or before extracted_on, else kOpen.
  day_t run_career(Xoshiro256& rng, Career c);
};

}  // namespace staffcast::detail::gen
