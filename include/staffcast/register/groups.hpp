// Grouping and filtering: the dimensions of docs/metrics.md, bands, spell filters,
// and the choice of a person's main spell.
#pragma once

#include <staffcast/detail/attributes.hpp>
#include <staffcast/error.hpp>
#include <staffcast/register/register.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace staffcast {

/// Ordered bands over an integer (age in years, fte in hundredths, tenure in years).
struct Bands {
  std::vector<int> lower;           // ascending lower bounds; lower[0] is the smallest value
  std::vector<std::string> labels;  // one per band

  [[nodiscard]] std::uint32_t index(int value) const noexcept {
    std::uint32_t i = 0;
    while (i + 1 < lower.size() && value >= lower[i + 1]) ++i;
    return i;
  }
  [[nodiscard]] std::size_t size() const noexcept { return labels.size(); }

  /// Age bands from inner edges (the first value of every band but the first), e.g.
  /// {20, 30, 40, 50, 60, 65} gives "15-19", "20-29", ..., "60-64", "65+": the first
  /// band starts at the data contract's min_age_at_start ("≤N" when the first edge
  /// is at or below it, so the band holds nobody).
  static Bands from_edges(const std::vector<int>& edges) {
    if (edges.empty()) throw argument_error("band edges must not be empty");
    for (int edge : edges) {
      if (edge < -1000 || edge > 1000) throw argument_error("band edges must lie between -1000 and 1000");
    }
    for (std::size_t i = 1; i < edges.size(); ++i) {
      if (edges[i] <= edges[i - 1]) throw argument_error("band edges must be strictly increasing");
    }
    Bands bands;
    bands.lower.push_back(INT_MIN);
    const int youngest = edges.front() - 1;
    bands.labels.push_back(youngest >= min_age_at_start
                               ? std::to_string(min_age_at_start) + "-" + std::to_string(youngest)
                               : "\u2264" + std::to_string(youngest));
    for (std::size_t i = 0; i < edges.size(); ++i) {
      bands.lower.push_back(edges[i]);
      bands.labels.push_back(i + 1 < edges.size() ? std::to_string(edges[i]) + "-" + std::to_string(edges[i + 1] - 1)
                                                  : std::to_string(edges[i]) + "+");
    }
    return bands;
  }
};

inline Bands default_age_bands() { return Bands::from_edges({20, 30, 40, 50, 60, 65}); }
inline Bands statutory_age_bands() {
  return Bands{{INT_MIN, 30, 50},
               {"\u2264"
                "29",
                "30-49",
                "\u2265"
                "50"}};
}
inline Bands default_fte_bands() { return Bands{{INT_MIN, 50, 75, 100}, {"<0.50", "0.50-0.74", "0.75-0.99", "1.00"}}; }
inline Bands default_tenure_bands() { return Bands{{INT_MIN, 1, 3, 5, 10}, {"<1", "1-2", "3-4", "5-9", "10+"}}; }

enum class DimensionKind : std::uint8_t {
  gender,
  age_band,
  employment_form,
  position,
  department,
  fte_band,
  tenure_band,
  pass_through
};

struct Dimension {
  DimensionKind kind;
  std::size_t pass_through = 0;  // index into Register::pass_through() for pass_through
  std::string name;
};

/// Which dimensions to group by, and the bands to use.
struct GroupBy {
  std::vector<Dimension> dimensions;
  Bands age_bands = default_age_bands();
  Bands fte_bands = default_fte_bands();
  Bands tenure_bands = default_tenure_bands();

  /// Dimensions by name (the column names of docs/metrics.md); throws argument_error for unknown names.
  static GroupBy parse(const Register& reg, const std::vector<std::string>& names) {
    GroupBy by;
    for (const std::string& name : names) {
      for (const Dimension& d : by.dimensions) {
        if (d.name == name) throw argument_error("dimension '" + name + "' given twice");
      }
      static const std::map<std::string, DimensionKind> kinds{{"gender", DimensionKind::gender},
                                                              {"age_band", DimensionKind::age_band},
                                                              {"employment_form", DimensionKind::employment_form},
                                                              {"position", DimensionKind::position},
                                                              {"department", DimensionKind::department},
                                                              {"fte_band", DimensionKind::fte_band},
                                                              {"tenure_band", DimensionKind::tenure_band}};
      auto it = kinds.find(name);
      if (it != kinds.end()) {
        by.dimensions.push_back({it->second, 0, name});
        continue;
      }
      bool found = false;
      for (std::size_t k = 0; k < reg.pass_through().size(); ++k) {
        if (reg.pass_through()[k].name == name) {
          by.dimensions.push_back({DimensionKind::pass_through, k, name});
          found = true;
        }
      }
      if (!found) {
        throw argument_error("unknown dimension '" + name +
                             "'; use gender, age_band, employment_form, position, department, fte_band, "
                             "tenure_band or a declared pass-through column");
      }
    }
    return by;
  }

  [[nodiscard]] bool uses(DimensionKind kind) const noexcept {
    for (const Dimension& d : dimensions) {
      if (d.kind == kind) return true;
    }
    return false;
  }
};

/// Spell filters: each restricts a column to a set of values (empty = no restriction).
class Filter {
 public:
  Filter() = default;

  /// From {column: [values]}; throws argument_error for unknown columns or values.
  static Filter parse(const Register& reg, const std::map<std::string, std::vector<std::string>>& wanted) {
    Filter filter;
    for (const auto& [column, values] : wanted) {
      if (values.empty()) throw argument_error("filter '" + column + "' has no values");
      if (column == "gender") {
        filter.gender_ = codes_of(
            column, values,
            [](const std::string& v) -> std::optional<std::uint32_t> {
              auto g = parse_gender(v);
              return g ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*g)) : std::nullopt;
            },
            3);
      } else if (column == "employment_form") {
        filter.form_ = codes_of(
            column, values,
            [](const std::string& v) -> std::optional<std::uint32_t> {
              auto f = parse_employment_form(v);
              return f ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*f)) : std::nullopt;
            },
            3);
      } else if (column == "position") {
        filter.position_ = codes_of(
            column, values, [&](const std::string& v) { return reg.positions().find(v); }, reg.positions().size());
      } else if (column == "department") {
        filter.department_ = codes_of(
            column, values, [&](const std::string& v) { return reg.departments().find(v); }, reg.departments().size());
      } else {
        bool found = false;
        for (std::size_t k = 0; k < reg.pass_through().size(); ++k) {
          const auto& pt = reg.pass_through()[k];
          if (pt.name != column) continue;
          filter.pass_through_.emplace_back(
              k,
              codes_of(
                  column, values, [&](const std::string& v) { return pt.dictionary.find(v); }, pt.dictionary.size()));
          found = true;
        }
        if (!found) throw argument_error("unknown filter column '" + column + "'");
      }
    }
    filter.empty_ = filter.gender_.empty() && filter.form_.empty() && filter.position_.empty() &&
                    filter.department_.empty() && filter.pass_through_.empty();
    return filter;
  }

  [[nodiscard]] bool passes(const Register& reg, std::size_t spell) const noexcept {
    return empty_ || passes_flag(reg, spell);
  }

  /// Whether `spell` passes every restriction, combined without early returns
  /// (for the branch-free scans; passes() adds the shortcut for no filter).
  [[nodiscard]] bool passes_flag(const Register& reg, std::size_t spell) const noexcept {
    const SpellColumns& s = reg.spells();
    std::uint8_t ok = 1;
    if (!gender_.empty()) ok &= gender_[static_cast<std::size_t>(s.gender[spell])];
    if (!form_.empty()) ok &= form_[static_cast<std::size_t>(s.employment_form[spell])];
    if (!position_.empty()) ok &= position_[s.position[spell]];
    if (!department_.empty()) ok &= department_[s.department[spell]];
    for (const auto& [k, allowed] : pass_through_) ok &= allowed[reg.pass_through()[k].codes[spell]];
    return ok != 0;
  }

  [[nodiscard]] bool empty() const noexcept { return empty_; }

 private:
  template <class Lookup>
  static std::vector<std::uint8_t> codes_of(const std::string& column, const std::vector<std::string>& values,
                                            Lookup lookup, std::size_t size) {
    std::vector<std::uint8_t> allowed(size, 0);
    for (const std::string& v : values) {
      const auto code = lookup(v);
      if (!code) throw argument_error("no " + column + " '" + v + "' in the register");
      allowed[*code] = 1;
    }
    return allowed;
  }

  // Byte masks (not std::vector<bool>): passes() is in every kernel's inner loop.
  std::vector<std::uint8_t> gender_, form_, position_, department_;
  bool empty_ = true;
  std::vector<std::pair<std::size_t, std::vector<std::uint8_t>>> pass_through_;
};

namespace detail {

/// Code-point rank of the employment form names (hourly < permanent < temporary).
inline constexpr std::uint8_t form_rank(EmploymentForm f) noexcept {
  switch (f) {
    case EmploymentForm::hourly:
      return 0;
    case EmploymentForm::permanent:
      return 1;
    case EmploymentForm::temporary:
      return 2;
  }
  return 3;
}

}  // namespace detail

/// True when spell `a` is preferred to `b` as a person's main spell (docs/metrics.md):
/// largest fte, earliest start, latest end, then the smallest
/// (employment_form, department, position) by code point.
inline bool is_better_main_spell(const SpellColumns& s, std::size_t a, std::size_t b) noexcept {
  if (s.fte[a] != s.fte[b]) return s.fte[a] > s.fte[b];
  if (s.start_date[a] != s.start_date[b]) return s.start_date[a] < s.start_date[b];
  if (s.end_date[a] != s.end_date[b]) return s.end_date[a] > s.end_date[b];
  const auto fa = detail::form_rank(s.employment_form[a]);
  const auto fb = detail::form_rank(s.employment_form[b]);
  if (fa != fb) return fa < fb;
  if (s.department[a] != s.department[b]) return s.department[a] < s.department[b];
  if (s.position[a] != s.position[b]) return s.position[a] < s.position[b];
  return a < b;
}

namespace detail {

/// Completed years on one fixed day for any birth date, without converting
/// dates: latest_birth[a] is the latest birth date whose age on the day is at
/// least a (found with age_on itself, so the 29 February rule carries over),
/// and an age is a search in that descending list.
class AgeOnDay {
 public:
  static constexpr int max_age = 150;
  AgeOnDay() = default;
  explicit AgeOnDay(day_t day) : day_(day), valid_(true) {
    latest_birth_.resize(max_age + 1);
    const ymd d = to_ymd(day);
    for (int a = 0; a <= max_age; ++a) {
      if (d.year - a < min_calendar_year + 1) {  // too close to the calendar's start: no table
        valid_ = false;
        return;
      }
      day_t t = add_years(day, -a);
      while (age_on(t + 1, day) >= a) ++t;
      while (age_on(t, day) < a) --t;
      latest_birth_[static_cast<std::size_t>(a)] = t;
    }
    // Ages 0..max_age − 1 by birth day, one byte each (~55 kB): one load instead of a search.
    first_tabled_ = latest_birth_.back() + 1;
    by_birth_.resize(static_cast<std::size_t>(latest_birth_.front() - latest_birth_.back()));
    // One fill per age (a year of births), not a store per day: this table is built on every call.
    for_each_age_run([&](int a, std::size_t begin, std::size_t end) {
      std::fill(by_birth_.begin() + static_cast<std::ptrdiff_t>(begin),
                by_birth_.begin() + static_cast<std::ptrdiff_t>(end), static_cast<std::uint8_t>(a));
    });
  }
  /// f(age, begin, end) for each tabled age: the births of that age are
  /// tabled_ages()[begin, end) (ages fall as the birth day rises).
  template <class F>
  void for_each_age_run(F&& f) const {
    if (!valid_) return;
    for (int a = 0; a < max_age; ++a) {
      const auto a_index = static_cast<std::size_t>(a);
      f(a, static_cast<std::size_t>(latest_birth_[a_index + 1] + 1 - first_tabled_),
        static_cast<std::size_t>(latest_birth_[a_index] + 1 - first_tabled_));
    }
  }
  [[nodiscard]] bool valid() const noexcept { return valid_; }
  [[nodiscard]] day_t day() const noexcept { return day_; }
  /// The births whose age is tabled: [first_tabled(), first_tabled() + tabled_ages().size()).
  [[nodiscard]] day_t first_tabled() const noexcept { return first_tabled_; }
  [[nodiscard]] const std::vector<std::uint8_t>& tabled_ages() const noexcept { return by_birth_; }
  /// age_on(birth, day()).
  [[nodiscard]] STAFFCAST_INLINE int age(day_t birth) const {
    if (!valid_ || birth > latest_birth_.front() || birth <= latest_birth_.back()) return age_on(birth, day_);
    // The a with latest_birth[a + 1] < birth <= latest_birth[a].
    return by_birth_[static_cast<std::size_t>(birth - first_tabled_)];
  }

 private:
  day_t day_ = 0;
  bool valid_ = false;
  std::vector<day_t> latest_birth_;
  day_t first_tabled_ = 0;              // latest_birth_.back() + 1
  std::vector<std::uint8_t> by_birth_;  // age of births first_tabled_ .. latest_birth_.front()
};

}  // namespace detail

/// Computes group keys of spells and turns keys into labels.
class GroupKeys {
 public:
  GroupKeys(const Register& reg, const GroupBy& by) : reg_(reg), by_(by) {
    double groups = 1.0;
    for (const Dimension& d : by_.dimensions) {
      cardinality_.push_back(cardinality(d) + 1);  // + "missing"
      groups *= static_cast<double>(cardinality_.back());
    }
    if (groups > 9.0e18) throw argument_error("too many combinations of groups");
    groups_ = groups;
    std::uint64_t stride = 1;
    auto set = [&](std::uint64_t& slot, const Dimension& d) {
      if (slot != 0) throw argument_error("dimension '" + d.name + "' given twice");
      slot = stride;
    };
    for (std::size_t k = by_.dimensions.size(); k-- > 0;) {
      const Dimension& d = by_.dimensions[k];
      switch (d.kind) {
        case DimensionKind::gender:
          set(stride_.gender, d);
          break;
        case DimensionKind::age_band:
          set(stride_.age_band, d);
          break;
        case DimensionKind::employment_form:
          set(stride_.employment_form, d);
          break;
        case DimensionKind::position:
          set(stride_.position, d);
          break;
        case DimensionKind::department:
          set(stride_.department, d);
          break;
        case DimensionKind::fte_band:
          set(stride_.fte_band, d);
          break;
        case DimensionKind::tenure_band:
          set(stride_.tenure_band, d);
          break;
        case DimensionKind::pass_through:
          pass_through_strides_.emplace_back(d.pass_through, stride);
          break;
      }
      stride *= cardinality_[k];
    }
    for (int age = 0; age <= detail::AgeOnDay::max_age; ++age) age_band_of_.push_back(by_.age_bands.index(age));
  }

  /// Prepares for many keys on `day` (ages by table instead of date conversions).
  void fix_day(day_t day) {
    if (ages_.valid() && ages_.day() == day) return;
    ages_ = detail::AgeOnDay(day);
    // The band of each tabled birth day: one load per key instead of an age, then its band.
    band_by_birth_.clear();
    if (ages_.valid() && by_.age_bands.size() <= 0xFF) {
      band_by_birth_.resize(ages_.tabled_ages().size());
      ages_.for_each_age_run([&](int age, std::size_t begin, std::size_t end) {
        std::fill(band_by_birth_.begin() + static_cast<std::ptrdiff_t>(begin),
                  band_by_birth_.begin() + static_cast<std::ptrdiff_t>(end),
                  static_cast<std::uint8_t>(band_of_age(age)));
      });
    }
  }
  /// Prepares for many keys on days in [from, to] (events of a period): a
  /// person whose age band is the same on `from` and `to` has it on every day
  /// between (ages only grow), found from two tables instead of converting the
  /// day; others get the exact age of the day.
  void fix_period(day_t from, day_t to) {
    if (from > to) return;
    period_from_ = detail::AgeOnDay(from);
    period_to_ = detail::AgeOnDay(to);
    period_fixed_ = true;
  }

  /// What age_band_over_period returns for a person whose band changes in the period.
  static constexpr std::uint32_t band_changes = 0xFFFFFFFFU;

  /// After fix_period(from, to): the age band (as key() packs it) that a person
  /// born on `birth` has on every day of [from, to], or band_changes.
  [[nodiscard]] STAFFCAST_INLINE std::uint32_t age_band_over_period(day_t birth) const {
    const std::uint32_t first = band_of_age(period_from_.age(birth));
    return first == band_of_age(period_to_.age(birth)) ? first : band_changes;
  }

  /// age_on(birth, day), by table when `day` is the fixed day.
  [[nodiscard]] int age(day_t birth, day_t day) const {
    return day == ages_.day() && ages_.valid() ? ages_.age(birth) : age_on(birth, day);
  }

  /// The age band code (as key() packs it) of a person born on `birth`, on `day`.
  [[nodiscard]] STAFFCAST_INLINE std::uint32_t age_band_on(day_t birth, day_t day) const {
    if (day == ages_.day() && ages_.valid()) {
      const auto at = static_cast<std::size_t>(static_cast<std::int64_t>(birth) - ages_.first_tabled());
      if (at < band_by_birth_.size()) return band_by_birth_[at];  // births before the table wrap to huge
      return band_of_age(ages_.age(birth));
    }
    if (period_fixed_ && day >= period_from_.day() && day <= period_to_.day()) {
      const std::uint32_t band = age_band_over_period(birth);
      if (band != band_changes) return band;
    }
    return band_of_age(age_on(birth, day));
  }

  /// The age band code of `age` (as key() packs it).
  [[nodiscard]] STAFFCAST_INLINE std::uint32_t band_of_age(int age) const noexcept {
    return age >= 0 && age < static_cast<int>(age_band_of_.size()) ? age_band_of_[static_cast<std::size_t>(age)]
                                                                   : by_.age_bands.index(age);
  }

  /// The number of distinct packed keys (the product of the cardinalities).
  [[nodiscard]] double groups() const noexcept { return groups_; }
  /// Per dimension, the radix of its digit in a packed key (its codes + "missing").
  [[nodiscard]] const std::vector<std::uint64_t>& cardinalities() const noexcept { return cardinality_; }

  /// Per dimension, the rank of each code's label by code point (equal labels
  /// share a rank), so that packing ranks instead of codes gives keys whose
  /// numeric order is the order Table::sort_rows() puts the labels in.
  /// Dictionaries are sorted already (rank = code); only the small enum and
  /// band dimensions are sorted here.
  [[nodiscard]] std::vector<std::vector<std::uint32_t>> label_ranks() const {
    std::vector<std::vector<std::uint32_t>> ranks;
    for (std::size_t k = 0; k < by_.dimensions.size(); ++k) {
      const Dimension& d = by_.dimensions[k];
      const auto size = static_cast<std::uint32_t>(cardinality_[k]);
      std::vector<std::uint32_t> rank(size);
      const bool sorted_dictionary = d.kind == DimensionKind::position || d.kind == DimensionKind::department ||
                                     d.kind == DimensionKind::pass_through;
      if (sorted_dictionary) {
        for (std::uint32_t c = 0; c < size; ++c) rank[c] = c;  // the extra "missing" code is never produced
      } else {
        // Codes with a label: every code of a band or enum, and for fte_band also the missing one ("").
        const std::uint32_t labelled = d.kind == DimensionKind::fte_band ? size : size - 1;
        std::vector<std::pair<std::string, std::uint32_t>> named;
        for (std::uint32_t c = 0; c < labelled; ++c) named.emplace_back(label(d, c), c);
        std::sort(named.begin(), named.end());
        std::uint32_t r = 0;
        for (std::size_t i = 0; i < named.size(); ++i) {
          if (i > 0 && named[i].first != named[i - 1].first) r = static_cast<std::uint32_t>(i);
          rank[named[i].second] = r;
        }
        if (labelled < size) rank[size - 1] = size - 1;
      }
      ranks.push_back(std::move(rank));
    }
    return ranks;
  }

  /// Packed key of `spell` on `day`, with the person's summed fte (hundredths, 0 = none):
  /// Σ code_k · stride_k, the mixed-radix number of the codes in dimension order. Each kind
  /// occurs at most once, so the sum runs over the kinds with a test per kind that is the same
  /// on every call (predicted), not a jump per dimension.
  [[nodiscard]] STAFFCAST_INLINE std::uint64_t key(std::size_t spell, day_t day, int person_fte) const {
    const SpellColumns& s = reg_.spells();
    std::uint64_t key = 0;
    if (stride_.department != 0) key += s.department[spell] * stride_.department;
    if (stride_.gender != 0) key += static_cast<std::uint64_t>(s.gender[spell]) * stride_.gender;
    if (stride_.age_band != 0) key += age_band_on(s.birth_date[spell], day) * stride_.age_band;
    if (stride_.employment_form != 0) {
      key += static_cast<std::uint64_t>(s.employment_form[spell]) * stride_.employment_form;
    }
    if (stride_.position != 0) key += s.position[spell] * stride_.position;
    if (stride_.fte_band != 0) {
      const std::uint32_t code =
          person_fte > 0 ? by_.fte_bands.index(person_fte) : static_cast<std::uint32_t>(by_.fte_bands.size());
      key += code * stride_.fte_band;
    }
    if (stride_.tenure_band != 0) {
      key += by_.tenure_bands.index(age_on(s.chain_start[spell], day)) * stride_.tenure_band;
    }
    for (const auto& [column, stride] : pass_through_strides_) key += reg_.pass_through()[column].codes[spell] * stride;
    return key;
  }

  /// Asks for the columns key() reads for `spell` to be brought into cache
  /// (for scans that visit few, scattered spells, such as a period's events).
  STAFFCAST_INLINE void prefetch(std::size_t spell) const noexcept {
    const SpellColumns& s = reg_.spells();
    if (stride_.department != 0) __builtin_prefetch(s.department.data() + spell);
    if (stride_.gender != 0) __builtin_prefetch(s.gender.data() + spell);
    if (stride_.age_band != 0) __builtin_prefetch(s.birth_date.data() + spell);
    if (stride_.employment_form != 0) __builtin_prefetch(s.employment_form.data() + spell);
    if (stride_.position != 0) __builtin_prefetch(s.position.data() + spell);
    if (stride_.tenure_band != 0) __builtin_prefetch(s.chain_start.data() + spell);
  }

  /// Labels of a packed key, one per dimension ("" for a missing fte band).
  [[nodiscard]] std::vector<std::string> labels(std::uint64_t key) const {
    std::vector<std::string> out(by_.dimensions.size());
    for (std::size_t k = by_.dimensions.size(); k-- > 0;) {
      const auto code = static_cast<std::uint32_t>(key % cardinality_[k]);
      key /= cardinality_[k];
      out[k] = label(by_.dimensions[k], code);
    }
    return out;
  }

  /// The label of `code` in the k-th dimension ("" for a missing fte band).
  [[nodiscard]] std::string label_of_code(std::size_t k, std::uint32_t code) const {
    return label(by_.dimensions[k], code);
  }

  [[nodiscard]] const GroupBy& by() const noexcept { return by_; }

 private:
  [[nodiscard]] std::uint64_t cardinality(const Dimension& d) const {
    switch (d.kind) {
      case DimensionKind::gender:
      case DimensionKind::employment_form:
        return 3;
      case DimensionKind::age_band:
        return by_.age_bands.size();
      case DimensionKind::position:
        return reg_.positions().size();
      case DimensionKind::department:
        return reg_.departments().size();
      case DimensionKind::fte_band:
        return by_.fte_bands.size();
      case DimensionKind::tenure_band:
        return by_.tenure_bands.size();
      case DimensionKind::pass_through:
        return reg_.pass_through()[d.pass_through].dictionary.size();
    }
    return 1;
  }

  [[nodiscard]] std::string label(const Dimension& d, std::uint32_t code) const {
    switch (d.kind) {
      case DimensionKind::gender:
        return std::string(name_of(static_cast<Gender>(code)));
      case DimensionKind::employment_form:
        return std::string(name_of(static_cast<EmploymentForm>(code)));
      case DimensionKind::age_band:
        return by_.age_bands.labels[code];
      case DimensionKind::position:
        return std::string(reg_.positions()[code]);
      case DimensionKind::department:
        return std::string(reg_.departments()[code]);
      case DimensionKind::fte_band:
        return code < by_.fte_bands.size() ? by_.fte_bands.labels[code] : std::string();
      case DimensionKind::tenure_band:
        return by_.tenure_bands.labels[code];
      case DimensionKind::pass_through:
        return std::string(reg_.pass_through()[d.pass_through].dictionary[code]);
    }
    return {};
  }

  const Register& reg_;
  const GroupBy& by_;
  std::vector<std::uint64_t> cardinality_;
  double groups_ = 1.0;
  detail::AgeOnDay ages_;
  std::vector<std::uint8_t> band_by_birth_;   // fix_day: band per birth day from ages_.first_tabled()
  detail::AgeOnDay period_from_, period_to_;  // fix_period: ages on the period's first and last day
  bool period_fixed_ = false;
  std::vector<std::uint32_t> age_band_of_;  // band index per age 0..max_age
  struct Strides {                          // per kind, the weight of its code in a key; 0 = not grouped
    std::uint64_t gender = 0, age_band = 0, employment_form = 0, position = 0, department = 0, fte_band = 0,
                  tenure_band = 0;
  } stride_;
  std::vector<std::pair<std::size_t, std::uint64_t>> pass_through_strides_;  // (column, stride)
};

}  // namespace staffcast
