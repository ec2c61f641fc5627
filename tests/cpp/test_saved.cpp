// Saving and restoring a register: what comes back equals what went out, and a
// tampered file is refused (never undefined behaviour).
#include <staffcast/register/register.hpp>

#include "register_fixture.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using namespace staffcast;

namespace {

SavedRegister saved_from(const Register& reg) {
  SavedRegister saved;
  saved.spells = reg.spells();
  saved.ids = reg.ids();
  saved.persons = reg.persons();
  saved.positions = reg.positions();
  saved.departments = reg.departments();
  saved.pass_through = reg.pass_through();
  saved.extracted_on = reg.extracted_on();
  saved.rows_read = reg.rows_read();
  saved.issues = reg.issues();
  return saved;
}

Register sample() { return staffcast::testing::pairing_sample(); }

/// Columns are immutable: a tampered value is a changed copy.
template <class T, class V>
void set(Column<T>& column, std::size_t i, V value) {
  std::vector<T> values = column.to_vector();
  values[i] = static_cast<T>(value);
  column = std::move(values);
}

}  // namespace

TEST(Saved, RestoreGivesBackTheSameRegister) {
  const Register reg = sample();
  const Register back = restore_register(saved_from(reg));
  EXPECT_EQ(back.size(), reg.size());
  EXPECT_EQ(back.persons(), 2U);
  EXPECT_EQ(back.ids(), reg.ids());
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
  expect_refused([](SavedRegister& s) { set(s.spells.end_partner, 0, 99); });  // partner out of range
  expect_refused([](SavedRegister& s) { set(s.spells.end_partner, 0, 2); });   // partner of another person
  expect_refused([](SavedRegister& s) {                                        // keys not sorted
    std::vector<std::string> ids = s.ids.strings();
    std::swap(ids[0], ids[1]);
    s.ids = Dictionary(std::move(ids), s.persons);
  });
  expect_refused([](SavedRegister& s) { set(s.spells.position, 0, 7); });  // code out of range
  expect_refused([](SavedRegister& s) {                                    // lengths differ
    std::vector<std::uint32_t> person = s.spells.person.to_vector();
    person.pop_back();
    s.spells.person = std::move(person);
  });
  expect_refused([](SavedRegister& s) { set(s.spells.end_reason, 0, EndReason::none); });  // end without reason
  expect_refused([](SavedRegister& s) { set(s.spells.chain_start, 1, s.spells.start_date[1] + 1); });
  expect_refused([](SavedRegister& s) { s.persons = 5; });  // more persons than keys
  expect_refused([](SavedRegister& s) {                     // order
    const std::uint32_t first = s.spells.person[0];
    set(s.spells.person, 0, s.spells.person[2]);
    set(s.spells.person, 2, first);
  });
}

namespace {

/// A generated register of 300 persons (about a thousand spells, so the checks'
/// vectorized loop bodies run, not only their tails), read back.
const Register& generated() {
  static const Register reg = staffcast::testing::generated_register(300);
  return reg;
}

}  // namespace

// Each invariant broken at one spell in the middle (and at the last), one at a
// time; and values at the edge of each range still accepted.
TEST(Saved, EveryCheckRefusesOneBadSpellAnywhere) {
  const Register& reg = generated();
  const std::size_t n = reg.size();
  ASSERT_GT(n, 600U);
  const day_t first = to_day(1900, 1, 1);
  const day_t last = to_day(2199, 12, 31);
  // Spells that are their person's first (so a changed start keeps the canonical order):
  // one with a recorded end near the middle, and the last person's first; an open spell.
  const auto& person = reg.spells().person;
  auto first_of_person = [&](std::size_t i) { return i == 0 || person[i - 1] != person[i]; };
  std::size_t closed = n / 2, open = n / 2, tail = n - 1;
  while (!first_of_person(closed) || reg.spells().end_date[closed] == open_end_day) ++closed;
  while (reg.spells().end_date[open] != open_end_day) ++open;
  while (!first_of_person(tail)) --tail;
  using Tamper = std::function<void(SavedRegister&, std::size_t)>;
  const std::string dates = "a date is out of range", ages = "an age at start_date", codes = "a code is out of range",
                    enums = "an enumerated value is out of range", order = "not in canonical order",
                    partners = "a partner is out of range";
  const std::vector<std::tuple<std::string, std::string, Tamper>> tampers = {
      {"birth before 1900", dates, [&](SavedRegister& s, std::size_t i) { set(s.spells.birth_date, i, first - 1); }},
      {"birth after 2199", dates, [&](SavedRegister& s, std::size_t i) { set(s.spells.birth_date, i, last + 1); }},
      {"start before 1900", dates, [&](SavedRegister& s, std::size_t i) { set(s.spells.start_date, i, first - 1); }},
      {"start far below", dates, [&](SavedRegister& s, std::size_t i) { set(s.spells.start_date, i, -2000000000); }},
      {"start after 2199", dates, [&](SavedRegister& s, std::size_t i) { set(s.spells.start_date, i, last + 1); }},
      {"end before start", dates,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.end_date, i, s.spells.start_date[i] - 1); }},
      {"end after 2199", dates, [&](SavedRegister& s, std::size_t i) { set(s.spells.end_date, i, last + 1); }},
      {"chain after start", dates,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.chain_start, i, s.spells.start_date[i] + 1); }},
      {"chain before 1900", dates, [&](SavedRegister& s, std::size_t i) { set(s.spells.chain_start, i, first - 1); }},
      {"age 14 at start", ages,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.birth_date, i, s.spells.start_date[i] - 15 * 365); }},
      {"age 101 at start", ages,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.birth_date, i, s.spells.start_date[i] - 102 * 366); }},
      {"born after start", ages,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.birth_date, i, s.spells.start_date[i] + 1); }},
      {"person out of range", order,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.person, i, static_cast<std::uint32_t>(s.persons)); }},
      {"position out of range", codes,
       [&](SavedRegister& s, std::size_t i) {
         set(s.spells.position, i, static_cast<std::uint32_t>(s.positions.size()));
       }},
      {"position none", codes, [&](SavedRegister& s, std::size_t i) { set(s.spells.position, i, no_code); }},
      {"department out of range", codes,
       [&](SavedRegister& s, std::size_t i) {
         set(s.spells.department, i, static_cast<std::uint32_t>(s.departments.size()));
       }},
      {"manager out of range", codes,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.manager, i, static_cast<std::uint32_t>(s.ids.size())); }},
      {"gender out of range", enums,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.gender, i, static_cast<Gender>(gender_names.size())); }},
      {"form out of range", enums,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.employment_form, i, static_cast<EmploymentForm>(200)); }},
      {"reason out of range", enums,
       [&](SavedRegister& s, std::size_t i) {
         set(s.spells.end_reason, i, static_cast<EndReason>(end_reason_names.size()));
       }},
      {"source out of range", enums,
       [&](SavedRegister& s, std::size_t i) {
         set(s.spells.recruitment_source, i, static_cast<RecruitmentSource>(recruitment_source_names.size()));
       }},
      {"start kind out of range", enums,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.start_kind, i, static_cast<StartKind>(3)); }},
      {"end kind out of range", enums,
       [&](SavedRegister& s, std::size_t i) { set(s.spells.end_kind, i, static_cast<EndKind>(4)); }},
      {"fte over 100", enums, [&](SavedRegister& s, std::size_t i) { set(s.spells.fte, i, 101); }},
      {"no fte, not hourly", enums,
       [&](SavedRegister& s, std::size_t i) {
         set(s.spells.fte, i, 0);
         set(s.spells.employment_form, i, EmploymentForm::permanent);
       }},
      {"partner out of range", partners,
       [&](SavedRegister& s, std::size_t i) {
         set(s.spells.start_partner, i, static_cast<std::uint32_t>(s.spells.size()));
       }},
      {"partner of another person", partners,
       [&](SavedRegister& s, std::size_t i) {
         const std::uint32_t other =
             s.spells.person[i] == s.spells.person[0] ? static_cast<std::uint32_t>(s.spells.size() - 1) : 0U;
         set(s.spells.end_partner, i, other);
       }},
      {"person order", order,
       [&](SavedRegister& s, std::size_t i) {
         const std::uint32_t before = s.spells.person[i - 1];
         set(s.spells.person, i - 1, s.spells.person[i]);
         set(s.spells.person, i, before);
       }},
  };
  for (const auto& [name, message, tamper] : tampers) {
    for (std::size_t i : {closed, tail}) {
      if (name.rfind("end ", 0) == 0 && reg.spells().end_date[i] == open_end_day) continue;
      SCOPED_TRACE(name + " at spell " + std::to_string(i));
      SavedRegister saved = saved_from(reg);
      tamper(saved, i);
      try {
        (void)restore_register(std::move(saved));
        ADD_FAILURE() << "accepted";
      } catch (const argument_error& e) {
        EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
      }
    }
  }
  {  // An open spell given an end, and a closed one given the open marker: reason and end disagree.
    SavedRegister saved = saved_from(reg);
    set(saved.spells.end_date, open, saved.spells.start_date[open]);
    EXPECT_THROW(restore_register(std::move(saved)), argument_error);
    SavedRegister saved2 = saved_from(reg);
    set(saved2.spells.end_date, closed, open_end_day);
    EXPECT_THROW(restore_register(std::move(saved2)), argument_error);
  }
  {  // Within every range: accepted, and the values come back.
    SavedRegister saved = saved_from(reg);
    const std::size_t i = closed;
    set(saved.spells.end_date, i, last);                                          // the last day there is
    set(saved.spells.chain_start, i, saved.spells.start_date[i]);                 // chain on the start day
    set(saved.spells.birth_date, i, add_years(saved.spells.start_date[i], -15));  // 15 on the start day
    set(saved.spells.fte, i, 100);
    set(saved.spells.manager, i, no_code);  // no manager
    const std::size_t j = open;
    set(saved.spells.birth_date, j, add_years(saved.spells.start_date[j], -100) + 1);  // 99, a day before 100
    set(saved.spells.employment_form, j, EmploymentForm::hourly);
    set(saved.spells.fte, j, 0);  // hourly without fte
    const Register back = restore_register(std::move(saved));
    EXPECT_EQ(back.spells().end_date[i], last);
    EXPECT_EQ(back.spells().fte[j], 0U);
  }
}

// The person keys: non-empty valid UTF-8 in strictly ascending byte order, in
// each run (employees, then manager-only keys); short ASCII keys take a fast path.
TEST(Saved, PersonKeysAreCheckedForOrderAndEncoding) {
  const Register& reg = generated();
  auto restored_with = [&](const std::function<void(std::vector<std::string>&)>& change) {
    SavedRegister saved = saved_from(reg);
    std::vector<std::string> ids = saved.ids.strings();
    change(ids);
    saved.ids = Dictionary(std::move(ids), saved.persons);
    return restore_register(std::move(saved));
  };
  const std::size_t mid = reg.persons() / 2;
  auto refused = [&](const char* what, const std::function<void(std::vector<std::string>&)>& change) {
    SCOPED_TRACE(what);
    try {
      (void)restored_with(change);
      ADD_FAILURE() << "accepted";
    } catch (const argument_error& e) {
      EXPECT_NE(std::string(e.what()).find("person keys are not sorted"), std::string::npos) << e.what();
    }
  };
  refused("empty", [&](auto& ids) { ids[0].clear(); });
  refused("equal neighbours", [&](auto& ids) { ids[mid] = ids[mid - 1]; });
  refused("swapped in the first eight bytes", [&](auto& ids) { std::swap(ids[mid], ids[mid + 1]); });
  refused("a NUL byte", [&](auto& ids) { ids[mid].back() = '\0'; });
  refused("a lone continuation byte", [&](auto& ids) { ids[mid] += "\x80"; });
  refused("an overlong encoding", [&](auto& ids) { ids[mid] += "\xC0\x80"; });
  refused("longer key sorting after its successor", [&](auto& ids) { ids[mid] = ids[mid + 1] + "0"; });
  // Valid: a two-byte sequence at the end of a key keeps it after its neighbour (0xC3 > any ASCII byte).
  const Register back = restored_with([&](auto& ids) { ids[mid] = ids[mid] + "\xC3\xA5"; });
  EXPECT_EQ(back.ids()[mid], std::string(reg.ids()[mid]) + "\xC3\xA5");
}

// A pass-through column: codes within its dictionary, in the vectorized body and at the last spell.
TEST(Saved, PassThroughCodesAreWithinTheirDictionary) {
  const Register& reg = generated();
  auto with_region = [&](std::size_t bad_at) {
    SavedRegister saved = saved_from(reg);
    PassThroughColumn region;
    region.name = "region";
    region.dictionary = Dictionary({"north", "south"});
    std::vector<std::uint32_t> codes(reg.size(), 1U);
    if (bad_at < reg.size()) codes[bad_at] = 2U;
    region.codes = std::move(codes);
    saved.pass_through.push_back(std::move(region));
    return saved;
  };
  const Register back = restore_register(with_region(reg.size()));
  ASSERT_EQ(back.pass_through().size(), 1U);
  EXPECT_EQ(back.pass_through()[0].codes[0], 1U);
  for (std::size_t at : {reg.size() / 2, reg.size() - 1}) {
    SCOPED_TRACE("bad code at spell " + std::to_string(at));
    try {
      (void)restore_register(with_region(at));
      ADD_FAILURE() << "accepted";
    } catch (const argument_error& e) {
      EXPECT_NE(std::string(e.what()).find("region has a bad code"), std::string::npos) << e.what();
    }
  }
}
