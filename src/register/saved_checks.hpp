// The invariants of a saved register, checked in pieces: the spells block by
// block (so that a loader can check a block while it is in cache from being
// hashed), the dictionaries apart, then one verdict. restore_register and
// register_from_arrow both end here; private to src/.
#pragma once

#include <staffcast/register/register.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace staffcast::detail {

/// What the checks of some spells found: a flag per invariant (non-zero when it
/// is broken at one of them) and the register's date facts over them.
struct SpellFindings {
  std::uint32_t order = 0;                  // a person out of range, or spells out of canonical order
  std::uint32_t codes = 0;                  // position, department or manager beyond its dictionary
  std::uint32_t enums = 0;                  // an enumeration or fte out of range
  std::uint32_t dates = 0;                  // a date out of range, an end before its start, a reason without an end
  std::uint32_t edge_ages = 0;              // an age near 15 or 100 at start_date, to be checked exactly
  std::uint32_t partners = 0;               // a partner out of range or another person's
  std::vector<std::uint32_t> pass_through;  // per dimension: a code beyond its dictionary
  day_t earliest_start = 0, latest_start = 0, latest_date = 0;
  day_t earliest_observed_end = open_end_day;
  bool any = false;  // whether any spell was checked (the dates above are set)

  /// Adds what `other` found (the order of merging never matters).
  void merge(const SpellFindings& other);
  /// Adds the date facts of some spells (the first ones set them).
  void add_dates(day_t earliest, day_t latest, day_t last_day, day_t observed_end);
};

/// Whether every column of `saved` has as many values as `person` (pass-through
/// columns included); empty when they do, else the problem.
std::string column_length_problem(const SavedRegister& saved);

/// The sizes of the dictionaries the codes index (a loader knows them before it
/// has the dictionaries themselves).
struct CodeLimits {
  std::size_t ids = 0, positions = 0, departments = 0;
  std::vector<std::size_t> pass_through;
};
CodeLimits code_limits(const SavedRegister& saved);

/// Checks spells [from, to) of `saved` (whose columns have equal lengths), adding
/// to `found`; codes against `limits`. Reads only the spells' columns (not the
/// dictionaries) and nothing outside them whatever their values.
void check_spells(const SavedRegister& saved, const CodeLimits& limits, std::size_t from, std::size_t to,
                  SpellFindings& found);

/// The dictionaries' invariants (non-empty UTF-8 keys in strictly ascending byte
/// order per sorted run, the runs the register says); empty when they hold.
std::string dictionary_problem(const SavedRegister& saved);

/// Builds registers from saved ones whose checks are done (a friend of Register).
struct SavedAccess {
  /// The register from `saved`, once every spell was checked into `found` and the
  /// dictionaries gave `dictionaries`: throws argument_error naming the first
  /// invariant broken (a fixed order), else builds the register without copying.
  static Register restore_checked(SavedRegister&& saved, const SpellFindings& found, const std::string& dictionaries);
};

}  // namespace staffcast::detail
