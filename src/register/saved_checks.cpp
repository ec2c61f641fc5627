// The invariants of a saved register (saved_checks.hpp): branch-free passes of
// one width each (bad |= ...) that the compiler vectorizes, over blocks of spells
// small enough to stay in cache.
#include "saved_checks.hpp"

#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/field_parse.hpp>
#include <staffcast/detail/interner.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

namespace staffcast::detail {

namespace {

[[noreturn]] void corrupt(const std::string& what) { throw argument_error("the saved register is not valid: " + what); }

/// Spells per pass: every column of a block (about 50 bytes a spell) fits in a core's cache.
constexpr std::size_t block_rows = 16384;

/// 1 in a byte's high bit where a byte of `w` is NUL or not ASCII.
inline std::uint64_t nul_or_high(std::uint64_t w) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  return (w | ((w - ones) & ~w)) & highs;
}

/// A non-empty key of valid UTF-8 without NUL. Keys are mostly short ASCII: eight
/// bytes at a time (the last word overlapping) decide those; a NUL or a byte >= 0x80
/// takes the full check.
bool valid_key(std::string_view key) {
  const char* p = key.data();
  const std::size_t n = key.size();
  if (n == 0) return false;
  std::uint64_t bad = 0;
  if (n >= 8) {
    std::uint64_t w;
    for (std::size_t at = 0; at + 8 <= n; at += 8) {
      std::memcpy(&w, p + at, 8);
      bad |= nul_or_high(w);
    }
    std::memcpy(&w, p + n - 8, 8);
    bad |= nul_or_high(w);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<unsigned char>(p[i]);
      bad |= static_cast<std::uint64_t>(c == 0 || c >= 0x80);
    }
  }
  return bad == 0 || is_valid_utf8(key);
}

/// Whether `bytes` hold neither a NUL nor a byte >= 0x80 (one pass the compiler vectorizes).
bool plain_ascii(std::string_view bytes) {
  unsigned char high = 0, nul = 0;
  for (const char c : bytes) {
    high |= static_cast<unsigned char>(c);
    nul |= static_cast<unsigned char>(c == '\0');
  }
  return high < 0x80 && nul == 0;
}

/// Valid keys in strictly ascending byte order over [from, to); less_text decides
/// most neighbours on eight bytes. Texts laid out one after another (a saved
/// register's) are checked for plain ASCII in one pass first, and then need no
/// check per key but their length.
bool strictly_sorted(const Dictionary& v, std::size_t from, std::size_t to) {
  const std::string_view bytes = v.contiguous_bytes();
  if (!bytes.empty() && plain_ascii(bytes)) {
    for (std::size_t i = from; i < to; ++i) {
      if (v[i].empty() || (i > from && !less_text(v[i - 1], v[i]))) return false;
    }
    return true;
  }
  for (std::size_t i = from; i < to; ++i) {
    if (!valid_key(v[i]) || (i > from && !less_text(v[i - 1], v[i]))) return false;
  }
  return true;
}

/// 1 when a code in [from, to) is at or beyond `size` (no_code allowed where a value may be missing).
std::uint32_t beyond(const std::uint32_t* c, std::size_t from, std::size_t to, std::size_t size, bool none_allowed) {
  const auto limit = static_cast<std::uint32_t>(std::min<std::size_t>(size, no_code));
  std::uint32_t out = 0;
  if (none_allowed) {
    for (std::size_t i = from; i < to; ++i) {
      out |= static_cast<std::uint32_t>(c[i] >= limit) & static_cast<std::uint32_t>(c[i] != no_code);
    }
  } else {
    for (std::size_t i = from; i < to; ++i) out |= static_cast<std::uint32_t>(c[i] >= limit);
  }
  return out;
}

/// 1 when a 1-byte enumeration in [from, to) is at or beyond `size`.
template <class Enum>
std::uint32_t enum_beyond(const Column<Enum>& values, std::size_t from, std::size_t to, std::size_t size) {
  static_assert(sizeof(Enum) == 1, "1-byte enumerations");
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(values.data());
  const auto limit = static_cast<std::uint8_t>(size);
  std::uint8_t out = 0;
  for (std::size_t i = from; i < to; ++i) out |= static_cast<std::uint8_t>(bytes[i] >= limit);
  return out;
}

void check_block(const SavedRegister& saved, const CodeLimits& limits, std::size_t from, std::size_t to,
                 SpellFindings& f) {
  const SpellColumns& s = saved.spells;
  const std::size_t n = s.size();
  const std::uint32_t* person = s.person.data();
  const day_t* birth = s.birth_date.data();
  const day_t* start = s.start_date.data();
  const day_t* end = s.end_date.data();
  const day_t* chain = s.chain_start.data();
  // Order: persons within range, by person then start (the pair across the block's start too).
  const auto persons = static_cast<std::uint32_t>(std::min<std::size_t>(saved.persons, no_code));
  std::uint32_t bad = static_cast<std::uint32_t>(saved.persons >= no_code);
  for (std::size_t i = from; i < to; ++i) bad |= static_cast<std::uint32_t>(person[i] >= persons);
  for (std::size_t i = std::max<std::size_t>(from, 1); i < to; ++i) {
    bad |=
        static_cast<std::uint32_t>(person[i - 1] > person[i]) |
        (static_cast<std::uint32_t>(person[i - 1] == person[i]) & static_cast<std::uint32_t>(start[i - 1] > start[i]));
  }
  f.order |= bad;
  f.codes |= beyond(s.position.data(), from, to, limits.positions, false) |
             beyond(s.department.data(), from, to, limits.departments, false) |
             beyond(s.manager.data(), from, to, limits.ids, true);
  for (std::size_t d = 0; d < saved.pass_through.size(); ++d) {
    const std::size_t limit = d < limits.pass_through.size() ? limits.pass_through[d] : 0;
    f.pass_through[d] |= beyond(saved.pass_through[d].codes.data(), from, to, limit, false);
  }
  std::uint32_t enums = enum_beyond(s.gender, from, to, gender_names.size()) |
                        enum_beyond(s.employment_form, from, to, employment_form_names.size()) |
                        enum_beyond(s.end_reason, from, to, end_reason_names.size()) |
                        enum_beyond(s.recruitment_source, from, to, recruitment_source_names.size()) |
                        enum_beyond(s.start_kind, from, to, 3) | enum_beyond(s.end_kind, from, to, 4);
  const std::uint8_t* fte = s.fte.data();
  const auto* form = reinterpret_cast<const std::uint8_t*>(s.employment_form.data());
  const auto hourly = static_cast<std::uint8_t>(EmploymentForm::hourly);
  std::uint8_t bad_fte = 0;
  for (std::size_t i = from; i < to; ++i) {
    bad_fte |= static_cast<std::uint8_t>(fte[i] > 100) |
               (static_cast<std::uint8_t>(fte[i] == 0) & static_cast<std::uint8_t>(form[i] != hourly));
  }
  f.enums |= enums | bad_fte;
  // Dates. Unsigned differences: x in [lo, hi] is (x - lo) <= (hi - lo), wrapping below lo.
  auto u = [](day_t day) { return static_cast<std::uint32_t>(day); };
  const std::uint32_t first = u(to_day(1900, 1, 1));
  const std::uint32_t last = u(to_day(2199, 12, 31));
  const std::uint32_t width = last - first;
  std::uint32_t bad_date = 0, edge_ages = 0;
  for (std::size_t i = from; i < to; ++i) {
    const std::uint32_t b = u(birth[i]), st = u(start[i]), e = u(end[i]), ch = u(chain[i]);
    const std::uint32_t open = static_cast<std::uint32_t>(e == u(open_end_day));
    bad_date |= static_cast<std::uint32_t>(b - first > width) | static_cast<std::uint32_t>(st - first > width) |
                (static_cast<std::uint32_t>(e - st > last - st) & (open ^ 1U)) |
                static_cast<std::uint32_t>(ch - first > st - first);
    // The data contract's ages (15-100 at start_date): whole days decide all but the edges
    // (a start before birth wraps to a large span, an edge, and is then checked exactly).
    edge_ages |= static_cast<std::uint32_t>(st - b - 15U * 366U >= 101U * 365U - 15U * 366U);
  }
  const auto* reason = reinterpret_cast<const std::uint8_t*>(s.end_reason.data());
  const auto none = static_cast<std::uint8_t>(EndReason::none);
  for (std::size_t i = from; i < to; ++i) {
    bad_date |= static_cast<std::uint32_t>((reason[i] == none) != (end[i] == open_end_day));
  }
  f.dates |= bad_date;
  f.edge_ages |= edge_ages;
  // The date facts: four reductions written for the vectorizer (selects, no branches).
  const day_t extracted_on = saved.extracted_on;
  day_t earliest = start[from], latest = start[from], latest_date = start[from], observed_end = open_end_day;
  for (std::size_t i = from; i < to; ++i) {
    const day_t st = start[i], e = end[i];
    const bool open = e == open_end_day;
    const day_t last_day = open ? st : e;
    const day_t observed = (!open && e <= extracted_on) ? e : open_end_day;
    earliest = st < earliest ? st : earliest;
    latest = st > latest ? st : latest;
    latest_date = last_day > latest_date ? last_day : latest_date;
    observed_end = observed < observed_end ? observed : observed_end;
  }
  f.add_dates(earliest, latest, latest_date, observed_end);
  // Both partners in one pass (the person loaded once); an index past the end looks at
  // spell 0 and is refused by its own test.
  const std::uint32_t* partner_from = s.start_partner.data();
  const std::uint32_t* partner_to = s.end_partner.data();
  std::uint32_t bad_partner = 0;
  for (std::size_t i = from; i < to; ++i) {
    const std::uint32_t me = person[i];
    const std::uint32_t a = partner_from[i], b = partner_to[i];
    const std::size_t qa = a < n ? a : 0, qb = b < n ? b : 0;
    bad_partner |= static_cast<std::uint32_t>(a != no_code) &
                   (static_cast<std::uint32_t>(a >= n) | static_cast<std::uint32_t>(person[qa] != me));
    bad_partner |= static_cast<std::uint32_t>(b != no_code) &
                   (static_cast<std::uint32_t>(b >= n) | static_cast<std::uint32_t>(person[qb] != me));
  }
  f.partners |= bad_partner;
}

}  // namespace

void SpellFindings::merge(const SpellFindings& other) {
  order |= other.order;
  codes |= other.codes;
  enums |= other.enums;
  dates |= other.dates;
  edge_ages |= other.edge_ages;
  partners |= other.partners;
  if (pass_through.size() < other.pass_through.size()) pass_through.resize(other.pass_through.size(), 0);
  for (std::size_t d = 0; d < other.pass_through.size(); ++d) pass_through[d] |= other.pass_through[d];
  if (other.any) {
    add_dates(other.earliest_start, other.latest_start, other.latest_date, other.earliest_observed_end);
  }
}

void SpellFindings::add_dates(day_t earliest, day_t latest, day_t last_day, day_t observed_end) {
  if (!any) {
    earliest_start = earliest;
    latest_start = latest;
    latest_date = last_day;
    any = true;
  }
  earliest_start = std::min(earliest_start, earliest);
  latest_start = std::max(latest_start, latest);
  latest_date = std::max(latest_date, last_day);
  earliest_observed_end = std::min(earliest_observed_end, observed_end);
}

std::string column_length_problem(const SavedRegister& saved) {
  const SpellColumns& s = saved.spells;
  const std::size_t n = s.person.size();
  const std::size_t sizes[] = {s.birth_date.size(),         s.gender.size(),     s.employment_form.size(),
                               s.position.size(),           s.department.size(), s.fte.size(),
                               s.start_date.size(),         s.end_date.size(),   s.end_reason.size(),
                               s.recruitment_source.size(), s.manager.size(),    s.source_row.size(),
                               s.start_kind.size(),         s.end_kind.size(),   s.start_partner.size(),
                               s.end_partner.size(),        s.chain_start.size()};
  for (std::size_t size : sizes) {
    if (size != n) return "the columns differ in length";
  }
  for (const auto& column : saved.pass_through) {
    if (column.codes.size() != n) return column.name + " differs in length";
  }
  return {};
}

CodeLimits code_limits(const SavedRegister& saved) {
  CodeLimits limits;
  limits.ids = saved.ids.size();
  limits.positions = saved.positions.size();
  limits.departments = saved.departments.size();
  for (const auto& column : saved.pass_through) limits.pass_through.push_back(column.dictionary.size());
  return limits;
}

void check_spells(const SavedRegister& saved, const CodeLimits& limits, std::size_t from, std::size_t to,
                  SpellFindings& found) {
  found.pass_through.resize(saved.pass_through.size(), 0);
  for (std::size_t at = from; at < to; at += block_rows) {
    check_block(saved, limits, at, std::min(to, at + block_rows), found);
  }
}

std::string dictionary_problem(const SavedRegister& saved) {
  if (saved.persons > saved.ids.size()) return "persons exceeds the ids";
  // Lookups search the sorted runs the dictionaries say they have.
  bool one_run =
      saved.positions.split() == saved.positions.size() && saved.departments.split() == saved.departments.size();
  for (const auto& column : saved.pass_through)
    one_run = one_run && column.dictionary.split() == column.dictionary.size();
  if (saved.ids.split() != saved.persons || !one_run) return "a dictionary's sorted runs are not the ones saved";
  if (!strictly_sorted(saved.ids, 0, saved.persons) || !strictly_sorted(saved.ids, saved.persons, saved.ids.size())) {
    return "person keys are not sorted";
  }
  if (!strictly_sorted(saved.positions, 0, saved.positions.size())) return "positions are not sorted";
  if (!strictly_sorted(saved.departments, 0, saved.departments.size())) return "departments are not sorted";
  for (const auto& column : saved.pass_through) {
    if (!strictly_sorted(column.dictionary, 0, column.dictionary.size())) return column.name + " is not sorted";
  }
  return {};
}

Register SavedAccess::restore_checked(SavedRegister&& saved, const SpellFindings& found,
                                      const std::string& dictionaries) {
  if (!dictionaries.empty()) corrupt(dictionaries);
  for (std::size_t d = 0; d < saved.pass_through.size(); ++d) {
    if (d < found.pass_through.size() && found.pass_through[d] != 0) {
      corrupt(saved.pass_through[d].name + " has a bad code");
    }
  }
  if (found.order != 0) corrupt("spells are not in canonical order");
  if (found.codes != 0) corrupt("a code is out of range");
  if (found.enums != 0) corrupt("an enumerated value is out of range");
  if (found.dates != 0) corrupt("a date is out of range");
  SpellColumns& s = saved.spells;
  const std::size_t n = s.size();
  if (found.edge_ages != 0) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t span = std::int64_t{s.start_date[i]} - s.birth_date[i];
      if (span >= 15 * 366 && span < 101 * 365) continue;
      const int age = age_on(s.birth_date[i], s.start_date[i]);
      if (age < min_age_at_start || age > max_age_at_start) corrupt("an age at start_date is outside 15-100");
    }
  }
  if (found.partners != 0) corrupt("a partner is out of range");
  Register reg;
  reg.persons_ = saved.persons;
  reg.ids_ = std::move(saved.ids);
  reg.positions_ = std::move(saved.positions);
  reg.departments_ = std::move(saved.departments);
  reg.pass_through_ = std::move(saved.pass_through);
  reg.extracted_on_ = saved.extracted_on;
  reg.extracted_on_given_ = saved.extracted_on_given;
  reg.today_ = saved.extracted_on;  // an assumed day stays as saved, also with sick leave read later
  reg.rows_read_ = saved.rows_read;
  reg.issues_ = std::move(saved.issues);
  reg.earliest_start_ = found.any ? found.earliest_start : 0;
  reg.latest_start_ = found.any ? found.latest_start : 0;
  reg.latest_date_ = found.any ? found.latest_date : 0;
  if (found.earliest_observed_end != open_end_day) reg.earliest_observed_end_ = found.earliest_observed_end;
  reg.spells_ = std::move(s);
  return reg;
}

}  // namespace staffcast::detail
