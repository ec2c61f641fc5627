// Saving and restoring a register: what comes back equals what went out, and a
// tampered file is refused (never undefined behaviour).
#include <staffcast/register/register.hpp>

#include "register_fixture.hpp"

#include <gtest/gtest.h>

using namespace staffcast;

namespace {

SavedRegister saved_from(const Register& reg) {
  SavedRegister saved;
  saved.spells = reg.spells();
  saved.ids = reg.ids().values();
  saved.persons = reg.persons();
  saved.positions = reg.positions().values();
  saved.departments = reg.departments().values();
  saved.pass_through = reg.pass_through();
  saved.extracted_on = reg.extracted_on();
  saved.rows_read = reg.rows_read();
  saved.issues = reg.issues();
  return saved;
}

Register sample() { return staffcast::testing::pairing_sample(); }

}  // namespace

TEST(Saved, RestoreGivesBackTheSameRegister) {
  const Register reg = sample();
  const Register back = restore_register(saved_from(reg));
  EXPECT_EQ(back.size(), reg.size());
  EXPECT_EQ(back.persons(), 2U);
  EXPECT_EQ(back.ids().values(), reg.ids().values());
  EXPECT_EQ(back.ids().find("A"), reg.ids().find("A"));  // the manager-only run
  EXPECT_EQ(back.spells().start_kind, reg.spells().start_kind);
  EXPECT_EQ(back.spells().chain_start, reg.spells().chain_start);
  EXPECT_EQ(back.earliest_observed_end(), reg.earliest_observed_end());
  EXPECT_EQ(back.latest_start(), reg.latest_start());
}

TEST(Saved, TamperedColumnsAreRefused) {
  const Register reg = sample();
  auto expect_refused = [&](auto tamper) {
    SavedRegister saved = saved_from(reg);
    tamper(saved);
    EXPECT_THROW(restore_register(std::move(saved)), argument_error);
  };
  expect_refused([](SavedRegister& s) { s.spells.end_partner[0] = 99; });              // partner out of range
  expect_refused([](SavedRegister& s) { s.spells.end_partner[0] = 2; });               // partner of another person
  expect_refused([](SavedRegister& s) { std::swap(s.ids[0], s.ids[1]); });             // keys not sorted
  expect_refused([](SavedRegister& s) { s.spells.position[0] = 7; });                  // code out of range
  expect_refused([](SavedRegister& s) { s.spells.person.pop_back(); });                // lengths differ
  expect_refused([](SavedRegister& s) { s.spells.end_reason[0] = EndReason::none; });  // end without reason
  expect_refused([](SavedRegister& s) { s.spells.chain_start[1] = s.spells.start_date[1] + 1; });
  expect_refused([](SavedRegister& s) { s.persons = 5; });  // more persons than keys
  expect_refused([](SavedRegister& s) { std::swap(s.spells.person[0], s.spells.person[2]); });  // order
}
