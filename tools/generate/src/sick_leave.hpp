// Sick leave for the persons of one slot: absences of three lengths at
// rates by sex, age and a personal frailty, split at spell boundaries so that
// each record lies inside one monthly-paid spell. Private to staffcast::generate.
#pragma once

#include "careers.hpp"
#include "codes.hpp"
#include "organisation.hpp"
#include "output.hpp"

#include <staffcast/generate/detail/random.hpp>

#include <cstddef>

namespace staffcast::detail::gen {

class SickLeaveWriter {
 public:
  SickLeaveWriter(const Model& model, CsvFile& out, int id_width) : m_(model), out_(out), width_(id_width) {}

  std::size_t records = 0;

  // `spells` are the person's spells sorted by start.
  void person(Xoshiro256& rng, u64 id, const PersonRec& p, const SpellRec* spells, std::size_t n);

 private:
  void block(Xoshiro256& rng, u64 id, const PersonRec& p, const SpellRec* spells, std::size_t n, day_t a, day_t b,
             u32 frailty, u32 sex);

  // One absence segment, split at spell boundaries so that each record lies
  // inside one employment spell.
  void emit(u64 id, const SpellRec* spells, std::size_t n, day_t s, day_t e, u32 extent);

  const Model& m_;
  CsvFile& out_;
  int width_;
};

}  // namespace staffcast::detail::gen
