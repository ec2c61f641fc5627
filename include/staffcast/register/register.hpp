// The validated, columnar HR register: one row per employment spell, dates as
// day numbers, categories as integer codes into sorted dictionaries.
#pragma once

#include <staffcast/calendar.hpp>
#include <staffcast/date_format.hpp>
#include <staffcast/register/codes.hpp>
#include <staffcast/register/column.hpp>
#include <staffcast/register/issues.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

/// The data contract's ages at start_date, in completed years: a spell of someone
/// younger than min_age_at_start or older than max_age_at_start on its first day is
/// an error (implausible_age). The youngest age band starts at min_age_at_start.
inline constexpr int min_age_at_start = 15;
inline constexpr int max_age_at_start = 100;

/// Distinct strings; a code is the index. The values are sorted by code point,
/// or (for person keys) form two sorted runs split at `split`. Like a Column, a
/// dictionary is immutable and either owns its strings or views bytes another
/// owner keeps alive: views of strings kept elsewhere, or Arrow's layout of
/// offsets and bytes (a mapped saved register). Copies share the strings.
class Dictionary {
 public:
  /// Random access over the values (each a string_view).
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    const_iterator() = default;
    const_iterator(const Dictionary* d, std::size_t i) : d_(d), i_(static_cast<difference_type>(i)) {}
    reference operator*() const { return (*d_)[static_cast<std::size_t>(i_)]; }
    reference operator[](difference_type k) const { return (*d_)[static_cast<std::size_t>(i_ + k)]; }
    const_iterator& operator++() { return ++i_, *this; }
    const_iterator operator++(int) { return const_iterator(d_, static_cast<std::size_t>(i_++)); }
    const_iterator& operator--() { return --i_, *this; }
    const_iterator operator--(int) { return const_iterator(d_, static_cast<std::size_t>(i_--)); }
    const_iterator& operator+=(difference_type k) { return i_ += k, *this; }
    const_iterator& operator-=(difference_type k) { return i_ -= k, *this; }
    friend const_iterator operator+(const_iterator a, difference_type k) { return a += k; }
    friend const_iterator operator+(difference_type k, const_iterator a) { return a += k; }
    friend const_iterator operator-(const_iterator a, difference_type k) { return a -= k; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) { return a.i_ - b.i_; }
    friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.i_ == b.i_; }
    friend bool operator!=(const const_iterator& a, const const_iterator& b) { return a.i_ != b.i_; }
    friend bool operator<(const const_iterator& a, const const_iterator& b) { return a.i_ < b.i_; }
    friend bool operator>(const const_iterator& a, const const_iterator& b) { return a.i_ > b.i_; }
    friend bool operator<=(const const_iterator& a, const const_iterator& b) { return a.i_ <= b.i_; }
    friend bool operator>=(const const_iterator& a, const const_iterator& b) { return a.i_ >= b.i_; }

   private:
    const Dictionary* d_ = nullptr;
    difference_type i_ = 0;
  };
  using iterator = const_iterator;
  using value_type = std::string_view;

  Dictionary() = default;
  explicit Dictionary(std::vector<std::string> sorted_values) : Dictionary(std::move(sorted_values), npos) {}
  Dictionary(std::vector<std::string> values, std::size_t split) {
    auto owned = std::make_shared<std::vector<std::string>>(std::move(values));
    views_.reserve(owned->size());
    for (const std::string& v : *owned) views_.emplace_back(v);  // a vector's strings never move
    size_ = views_.size();
    split_ = split == npos ? size_ : split;
    storage_ = std::move(owned);
  }
  Dictionary(std::initializer_list<std::string> sorted_values) : Dictionary(std::vector<std::string>(sorted_values)) {}
  /// Values that `keep_alive` owns (the views must stay valid while it lives).
  Dictionary(std::vector<std::string_view> views, std::size_t split, std::shared_ptr<const void> keep_alive)
      : storage_(std::move(keep_alive)), views_(std::move(views)), size_(views_.size()), split_(split) {}
  /// Arrow's layout: value i is bytes[offsets[i], offsets[i + 1]); `size` + 1 offsets,
  /// non-decreasing and non-negative, all of which `keep_alive` keeps alive.
  static Dictionary arrow_view(const std::int32_t* offsets, const char* bytes, std::size_t size, std::size_t split,
                               std::shared_ptr<const void> keep_alive) {
    Dictionary d;
    d.storage_ = std::move(keep_alive);
    if (size > 0) {
      d.offsets_ = offsets;
      d.bytes_ = bytes;
    }
    d.size_ = size;
    d.split_ = split;
    return d;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::string_view operator[](std::size_t code) const noexcept {
    if (offsets_ != nullptr) {
      return {bytes_ + offsets_[code], static_cast<std::size_t>(offsets_[code + 1] - offsets_[code])};
    }
    return views_[code];
  }
  [[nodiscard]] const_iterator begin() const noexcept { return {this, 0}; }
  [[nodiscard]] const_iterator end() const noexcept { return {this, size_}; }
  /// Where the second sorted run starts (size() when there is one run).
  [[nodiscard]] std::size_t split() const noexcept { return split_; }
  /// The values' bytes in code order when they lie one after another (Arrow's layout),
  /// else empty.
  [[nodiscard]] std::string_view contiguous_bytes() const noexcept {
    if (offsets_ == nullptr) return {};
    return {bytes_ + offsets_[0], static_cast<std::size_t>(offsets_[size_] - offsets_[0])};
  }
  /// The values as strings (a copy).
  [[nodiscard]] std::vector<std::string> strings() const {
    std::vector<std::string> out;
    out.reserve(size_);
    for (std::size_t i = 0; i < size_; ++i) out.emplace_back((*this)[i]);
    return out;
  }
  /// Code of `value`, or nullopt when absent.
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view value) const {
    auto in_run = [&](std::size_t from, std::size_t to) -> std::optional<std::uint32_t> {
      const const_iterator last = begin() + static_cast<std::ptrdiff_t>(to);
      const const_iterator it = std::lower_bound(begin() + static_cast<std::ptrdiff_t>(from), last, value);
      if (it == last || *it != value) return std::nullopt;
      return static_cast<std::uint32_t>(it - begin());
    };
    if (auto code = in_run(0, split_)) return code;
    return in_run(split_, size_);
  }
  /// Bytes of the texts and of their views or offsets (whoever holds them).
  [[nodiscard]] std::size_t nbytes() const noexcept {
    if (offsets_ != nullptr) return (size_ + 1) * sizeof(std::int32_t) + contiguous_bytes().size();
    std::size_t n = views_.capacity() * sizeof(std::string_view);
    for (std::string_view v : views_) n += v.size();
    return n;
  }

  friend bool operator==(const Dictionary& a, const Dictionary& b) {
    return a.split_ == b.split_ && a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator!=(const Dictionary& a, const Dictionary& b) { return !(a == b); }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::shared_ptr<const void> storage_;  // owns the bytes the views or offsets point to
  std::vector<std::string_view> views_;  // unless offsets_ is set
  const std::int32_t* offsets_ = nullptr;
  const char* bytes_ = nullptr;
  std::size_t size_ = 0;
  std::size_t split_ = 0;
};

/// A declared pass-through column (e.g. "region"), coded like position.
struct PassThroughColumn {
  std::string name;
  Dictionary dictionary;
  Column<std::uint32_t> codes;
};

/// How a spell's start and end count in flows (paired once on the whole register).
enum class StartKind : std::uint8_t { recruitment, move_in, continuation };
enum class EndKind : std::uint8_t { open, departure, move_out, continuation };

inline constexpr std::uint32_t no_code = 0xFFFFFFFFU;

/// Options for reading and validating a register.
struct RegisterOptions {
  std::vector<std::string> dimensions;                              // pass-through columns to keep
  std::map<std::string, std::string> columns;                       // file column name -> contract name
  std::map<std::string, std::map<std::string, std::string>> codes;  // contract column -> {file code -> contract code}
  std::string open_end = "9999-12-31";                              // end_date meaning "ongoing" (ISO or date_format)
  DateFormat date_format;                                           // layouts of the dates in the file (default ISO)
  std::map<std::string, std::string> defaults;  // contract column -> the value of every row when the file lacks it
  bool trim = true;                             // remove spaces and tabs around every field
  std::optional<day_t> extracted_on;            // default: assumed (register/extraction.hpp)
  std::optional<day_t> today;                   // "today" of that assumption (default: the clock, UTC)
  char separator = ',';
  char decimal = '.';
  std::size_t max_issues = 10000;
};

/// The columns of the register, one entry per spell, sorted by person, start,
/// end and the remaining fields, so that file order never matters.
struct SpellColumns {
  Column<std::uint32_t> person;  // index into Register::ids(), < persons()
  Column<day_t> birth_date;
  Column<Gender> gender;
  Column<EmploymentForm> employment_form;
  Column<std::uint32_t> position;
  Column<std::uint32_t> department;
  Column<std::uint8_t> fte;  // hundredths, 1..100; 0 = none (hourly)
  Column<day_t> start_date;
  Column<day_t> end_date;  // open_end_day when ongoing
  Column<EndReason> end_reason;
  Column<RecruitmentSource> recruitment_source;
  Column<std::uint32_t> manager;  // index into Register::ids() or no_code
  Column<std::uint32_t> source_row;
  Column<StartKind> start_kind;
  Column<EndKind> end_kind;
  Column<std::uint32_t> start_partner;  // the spell this one continues or moved from, or no_code
  Column<std::uint32_t> end_partner;    // the spell that continues this one, or no_code
  Column<day_t> chain_start;            // first day of chained service (moves and continuations joined)

  [[nodiscard]] std::size_t size() const noexcept { return person.size(); }
};

namespace detail {
struct SavedAccess;  // builds a checked saved register (src/register/saved_checks.hpp)
}  // namespace detail

class Register {
 public:
  Register() = default;

  [[nodiscard]] std::size_t size() const noexcept { return spells_.size(); }
  [[nodiscard]] std::size_t persons() const noexcept { return persons_; }
  [[nodiscard]] const SpellColumns& spells() const noexcept { return spells_; }
  /// Person keys: the first persons() are employees (sorted by code point), then
  /// manager ids that are not employees (also sorted).
  [[nodiscard]] const Dictionary& ids() const noexcept { return ids_; }
  [[nodiscard]] const Dictionary& positions() const noexcept { return positions_; }
  [[nodiscard]] const Dictionary& departments() const noexcept { return departments_; }
  [[nodiscard]] const std::vector<PassThroughColumn>& pass_through() const noexcept { return pass_through_; }
  /// The extraction date: given when reading, else assumed (assumed_extraction_date in
  /// register/extraction.hpp: the earlier of today and the latest date in the inputs).
  [[nodiscard]] day_t extracted_on() const noexcept { return extracted_on_; }
  /// Whether the extraction date was given when reading (else it was assumed).
  [[nodiscard]] bool extracted_on_given() const noexcept { return extracted_on_given_; }
  /// Whether the extraction date was assumed (not given); the issues then start with
  /// an extraction_date_assumed warning naming the day.
  [[nodiscard]] bool extracted_on_assumed() const noexcept { return !extracted_on_given_; }
  /// The "today" an assumed extraction date was taken with (the extraction date when given).
  [[nodiscard]] day_t assumed_today() const noexcept { return today_; }
  /// The latest date of the register: its latest start_date or recorded end_date
  /// (the open-end marker is no date).
  [[nodiscard]] day_t latest_date() const noexcept { return latest_date_; }
  [[nodiscard]] day_t earliest_start() const noexcept { return earliest_start_; }
  [[nodiscard]] day_t latest_start() const noexcept { return latest_start_; }
  /// Earliest end on or before extracted_on, or nullopt when none is recorded.
  [[nodiscard]] std::optional<day_t> earliest_observed_end() const noexcept { return earliest_observed_end_; }
  /// Warnings found while reading (hard errors throw validation_error instead).
  [[nodiscard]] const IssueList& issues() const noexcept { return issues_; }
  [[nodiscard]] std::int64_t rows_read() const noexcept { return rows_read_; }
  /// Bytes held by the columns and dictionaries.
  [[nodiscard]] std::size_t nbytes() const noexcept;
  /// Distinct persons with a spell covering `day` (start_date <= day <= end_date),
  /// whatever their fte, filters or the observed history: the register's own
  /// count, not a statistic (snapshot counts a filtered query on main spells).
  [[nodiscard]] std::size_t employed_persons(day_t day) const noexcept;

 private:
  friend class RegisterBuilder;
  friend struct RegisterReadResult read_register_coded(const struct CodedRegister& coded, std::size_t max_issues);
  friend Register restore_register(struct SavedRegister&& saved);
  friend struct detail::SavedAccess;
  friend Register with_sick_leave_dates(Register reg, const struct SickLeave& sick);
  /// Sets the extraction date: `given`, else assumed over the register's own dates
  /// and `other_latest` (another input's latest date) with `today`; and the
  /// earliest observed end, which depends on it (src/register/extraction.cpp).
  void set_extraction_date(std::optional<day_t> given, day_t today, std::optional<day_t> other_latest = {});
  SpellColumns spells_;
  std::size_t persons_ = 0;
  Dictionary ids_;
  Dictionary positions_;
  Dictionary departments_;
  std::vector<PassThroughColumn> pass_through_;
  day_t extracted_on_ = 0;
  bool extracted_on_given_ = false;
  day_t today_ = 0;
  day_t earliest_start_ = 0;
  day_t latest_start_ = 0;
  day_t latest_date_ = 0;
  std::optional<day_t> earliest_observed_end_;
  // The earliest closed end of any spell, once known (the builder finds it in
  // a pass it makes anyway; set_extraction_date() otherwise looks once).
  std::optional<day_t> earliest_closed_end_;
  bool earliest_closed_end_known_ = false;
  IssueList issues_;
  std::int64_t rows_read_ = 0;
};

/// Result of reading: the register when there were no hard errors, and every issue.
struct RegisterReadResult {
  std::optional<Register> register_;
  IssueList issues;
};

/// A register already encoded (e.g. a register cut at a day, register/cut.hpp): each
/// string column as codes into its own list of values (no_code = empty), dates
/// as day numbers (end: open_end_day when ongoing), enum columns as their codes.
/// Nothing is trusted: every code, date and length is checked on reading.
struct CodedRegister {
  struct Strings {
    std::vector<std::uint32_t> codes;
    std::vector<std::string> values;
  };
  Strings employee_id, position, department, manager_id;
  std::vector<std::pair<std::string, Strings>> pass_through;
  std::vector<day_t> birth_date, start_date, end_date;
  std::vector<std::uint8_t> gender, employment_form, fte, end_reason, recruitment_source;
  std::vector<std::uint32_t> source_row;
  std::optional<day_t> extracted_on;
  std::optional<day_t> today;  // of an assumed extraction date (default: the clock)
  std::string label = "<saved register>";
};

/// Builds a register from coded columns (pairing, warnings and order are
/// recomputed); throws argument_error when the columns are inconsistent.
RegisterReadResult read_register_coded(const CodedRegister& coded, std::size_t max_issues = 10000);

/// Everything a validated register holds, as saved: the columns in canonical
/// order (with the pairing), sorted dictionaries and the warnings.
struct SavedRegister {
  SpellColumns spells;
  Dictionary ids;  // employees sorted, then other manager ids sorted (split at persons)
  std::size_t persons = 0;
  Dictionary positions, departments;
  std::vector<PassThroughColumn> pass_through;
  day_t extracted_on = 0;
  bool extracted_on_given = false;
  std::int64_t rows_read = 0;
  IssueList issues;
};

/// Restores a saved register without re-deriving anything; every invariant the
/// statistics rely on (order, codes, partners, dates, ages 15-100) is checked
/// first, and an inconsistent file is an argument_error, never undefined
/// behaviour. register_from_arrow (io/saved_register.hpp) ends here.
Register restore_register(SavedRegister&& saved);

/// Reads and validates; never throws for bad content (see `issues`), only for
/// an unreadable file (io_error). `label` names the file in issues (default: `path`).
RegisterReadResult try_read_register_csv(const std::string& path, const RegisterOptions& options = {},
                                         const std::string& label = {});

/// As try_read_register_csv, but throws validation_error on hard errors.
Register read_register_csv(const std::string& path, const RegisterOptions& options = {});
/// Reads CSV text held in memory (tests, fuzzing).
RegisterReadResult try_read_register_text(std::string_view text, const RegisterOptions& options = {},
                                          std::string label = "<memory>");

}  // namespace staffcast
