// Reading and validating the employments register (DESIGN §2), then pairing
// moves and continuations once on the whole register (DESIGN §3).
#include <staffcast/detail/field_parse.hpp>
#include <staffcast/detail/interner.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/record_source.hpp>
#include <staffcast/detail/source_readers.hpp>
#include <staffcast/register/register.hpp>

#include <array>
#include <filesystem>
#include <limits>
#include <numeric>
#include <tuple>
#include <unordered_map>

namespace staffcast {

std::size_t Register::nbytes() const noexcept {
  const SpellColumns& s = spells_;
  auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  std::size_t n = bytes(s.person) + bytes(s.birth_date) + bytes(s.gender) + bytes(s.employment_form) +
                  bytes(s.position) + bytes(s.department) + bytes(s.fte) + bytes(s.start_date) + bytes(s.end_date) +
                  bytes(s.end_reason) + bytes(s.recruitment_source) + bytes(s.manager) + bytes(s.source_row) +
                  bytes(s.start_kind) + bytes(s.end_kind) + bytes(s.start_partner) + bytes(s.end_partner) +
                  bytes(s.chain_start);
  n += ids_.nbytes() + positions_.nbytes() + departments_.nbytes();
  for (const auto& column : pass_through_) n += column.dictionary.nbytes() + bytes(column.codes);
  return n;
}

namespace {

enum Field : std::size_t {
  f_employee_id,
  f_birth_date,
  f_gender,
  f_employment_form,
  f_position,
  f_department,
  f_fte,
  f_start_date,
  f_end_date,
  f_end_reason,
  f_recruitment_source,
  f_manager_id,
  field_count
};

constexpr std::array<std::string_view, field_count> field_names{
    "employee_id", "birth_date", "gender",   "employment_form", "position",           "department",
    "fte",         "start_date", "end_date", "end_reason",      "recruitment_source", "manager_id"};
constexpr std::array<bool, field_count> column_required{true, true, true,  true,  true,  true,
                                                        true, true, false, false, false, false};

constexpr int min_valid_year = 1900;
constexpr int max_valid_year = 2199;
// The same range as day numbers: a range check without converting the day back to a date.
constexpr day_t min_valid_day = detail::civil_to_day(min_valid_year, 1, 1);
constexpr day_t max_valid_day = detail::civil_to_day(max_valid_year, 12, 31);
constexpr int min_age_at_start = 15;
constexpr int max_age_at_start = 100;
constexpr day_t move_gap_days = 31;

/// Columns collected while reading, with codes in order of first appearance.
struct RawColumns {
  std::vector<std::uint32_t> person, position, department, manager, source_row, source_line;
  std::vector<day_t> birth, start, end;
  std::vector<Gender> gender;
  std::vector<EmploymentForm> form;
  std::vector<std::uint8_t> fte;
  std::vector<EndReason> reason;
  std::vector<RecruitmentSource> source;
  std::vector<std::vector<std::uint32_t>> pass_through;
};

/// Sorted dictionary from interned values, and the remap from interned code to sorted code.
Dictionary sorted_dictionary(const detail::Interner& interner, std::vector<std::uint32_t>& remap) {
  const auto& values = interner.values();
  std::vector<std::uint32_t> order(values.size());
  std::iota(order.begin(), order.end(), 0U);
  auto before = [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; };
  if (!std::is_sorted(order.begin(), order.end(), before)) std::sort(order.begin(), order.end(), before);
  remap.assign(values.size(), 0);
  std::vector<std::string> sorted;
  sorted.reserve(values.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    remap[order[i]] = static_cast<std::uint32_t>(i);
    sorted.emplace_back(values[order[i]]);
  }
  return Dictionary(std::move(sorted));
}

template <class T>
std::vector<T> permuted(const std::vector<T>& column, const std::vector<std::uint32_t>& order) {
  std::vector<T> out;
  out.reserve(order.size());
  for (std::uint32_t i : order) out.push_back(column[i]);
  return out;
}

/// permuted(column, order), or `column` itself when `order` keeps every row in
/// place (a file in canonical order without duplicates) and its spare capacity
/// is small (the two-part read reserves close to the size; a vector grown by
/// doubling is copied to its size instead).
template <class T>
std::vector<T> kept_rows(std::vector<T>& column, const std::vector<std::uint32_t>& order, bool in_place) {
  if (in_place && column.capacity() - column.size() <= column.size() / 16) return std::move(column);
  return permuted(column, order);
}

detail::CsvOptions csv_options(const RegisterOptions& options) {
  detail::CsvOptions csv;
  csv.separator = options.separator;
  return csv;
}

template <class T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

std::string shown(std::string_view value) {
  constexpr std::size_t limit = 80;
  if (value.size() <= limit) return std::string(value);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0U) == 0x80U) --cut;  // keep UTF-8 whole
  return std::string(value.substr(0, cut)) + "...";
}

}  // namespace

/// Builds a Register from a record source. Friend of Register.
class RegisterBuilder {
 public:
  RegisterBuilder(detail::RecordSource& source, const RegisterOptions& options, IssueList& issues)
      : source_(source), options_(options), issues_(issues) {}

  /// With `input` (the input `csv` reads), the records are read in two parts
  /// when the input is large enough (detail::TwoPartRead).
  RegisterReadResult run(const detail::CsvInput* input = nullptr, detail::CsvRecordSource* csv = nullptr) {
    RegisterReadResult result;
    if (map_header()) {
      if (input != nullptr && csv != nullptr) {
        read_rows_in_parts(*input, *csv);
      } else {
        read_rows();
      }
      // A header without records is a file cut off or exported empty, never a valid register.
      if (rows_read_ == 0 && !issues_.has_errors()) {
        issues_.error(source_.label(), 2, 2, {}, "malformed_csv", "the file has a header row but no records");
      }
      if (!issues_.has_errors()) {
        Register reg;
        finish(reg);
        result.register_ = std::move(reg);
      }
    }
    // Errors may also come from the reader beneath the source.
    if (issues_.has_errors()) result.register_.reset();
    if (result.register_) result.register_->issues_ = issues_;
    result.issues = std::move(issues_);
    return result;
  }

 private:
  void error(std::int64_t row, std::int64_t line, std::size_t field, std::string code, std::string message,
             std::string_view value = {}) {
    issues_.error(source_.label(), row, line, column_label(field), std::move(code), std::move(message),
                  sensitive(field) ? std::string() : shown(value));
  }
  /// A warning about spell `i` of the register being built.
  void warning(std::size_t i, std::string column, std::string code, std::string message) {
    warning(issues_, i, std::move(column), std::move(code), std::move(message));
  }
  void warning(IssueList& to, std::size_t i, std::string column, std::string code, std::string message) const {
    to.warning(source_.label(), spell_rows_[i], spell_lines_[i], std::move(column), std::move(code),
               std::move(message));
  }
  const char* date_layout() const {
    switch (options_.date_format) {
      case DateFormat::yyyymmdd:
        return "YYYYMMDD";
      case DateFormat::dmy_slash:
        return "DD/MM/YYYY";
      case DateFormat::iso:
        break;
    }
    return "YYYY-MM-DD";
  }
  static bool sensitive(std::size_t field) {
    return field == f_employee_id || field == f_manager_id || field == f_birth_date;
  }
  std::string column_label(std::size_t field) const {
    if (field < field_count) return file_names_[field].empty() ? std::string(field_names[field]) : file_names_[field];
    return {};
  }

  /// Reads the records in two parts on two threads, merging the second into this one.
  void read_rows_in_parts(const detail::CsvInput& input, detail::CsvRecordSource& csv) {
    std::optional<RegisterBuilder> later;  // outlives `parts`, whose thread uses it
    detail::TwoPartRead parts(input, csv, header_, csv_options(options_), options_.max_issues);
    if (parts.split()) {
      later.emplace(parts.second(), options_, parts.second_issues());
      later->adopt_mapping(*this);
      reserve(2 * parts.records_per_part());  // room for the merged spells too
      later->reserve(parts.records_per_part());
    }
    const bool merge = parts.run([&] { read_rows(); }, [&] { later->read_rows(); });
    if (merge) {
      absorb(*later, parts.row_offset(), parts.line_offset());
      parts.merge_issues(issues_);
    }
  }

  void reserve(std::size_t spells) {
    ids_.reserve_values(spells);
    RawColumns& r = raw_;
    for (auto* column : {&r.person, &r.position, &r.department, &r.manager, &r.source_row, &r.source_line}) {
      column->reserve(spells);
    }
    for (auto* column : {&r.birth, &r.start, &r.end}) column->reserve(spells);
    r.gender.reserve(spells);
    r.form.reserve(spells);
    r.fte.reserve(spells);
    r.reason.reserve(spells);
    r.source.reserve(spells);
    for (auto& column : r.pass_through) column.reserve(spells);
  }

  /// The column mapping of `first`, which has read the header.
  void adopt_mapping(const RegisterBuilder& first) {
    header_ = first.header_;
    index_ = first.index_;
    file_names_ = first.file_names_;
    code_maps_ = first.code_maps_;
    dimension_index_ = first.dimension_index_;
    open_end_ = first.open_end_;
    raw_.pass_through.resize(first.raw_.pass_through.size());
    dimension_interners_.resize(first.dimension_interners_.size());
  }

  /// Appends the spells `later` read from the records after this one's, its
  /// rows and lines shifted, its codes renumbered as if one reader had interned them.
  void absorb(RegisterBuilder& later, std::int64_t row_offset, std::int64_t line_offset) {
    rows_read_ += later.rows_read_;
    RawColumns& to = raw_;
    RawColumns& from = later.raw_;
    const std::size_t n = from.person.size();
    auto recode = [&](std::vector<std::uint32_t>& into, const std::vector<std::uint32_t>& values,
                      const std::vector<std::uint32_t>& codes) {
      into.reserve(into.size() + values.size());
      for (std::uint32_t v : values) into.push_back(v == no_code ? no_code : codes[v]);
    };
    // Codes here, the columns that only move on the second core.
    detail::run_both(
        n >= detail::parallel_finish_rows.load(),
        [&] {
          recode(to.person, from.person, ids_.absorb(later.ids_));
          recode(to.manager, from.manager, managers_.absorb(later.managers_));
          recode(to.position, from.position, positions_.absorb(later.positions_));
          recode(to.department, from.department, departments_.absorb(later.departments_));
          for (std::size_t d = 0; d < from.pass_through.size(); ++d) {
            recode(to.pass_through[d], from.pass_through[d],
                   dimension_interners_[d].absorb(later.dimension_interners_[d]));
          }
        },
        [&] {
          to.source_row.reserve(to.source_row.size() + n);
          for (std::uint32_t row : from.source_row) {
            to.source_row.push_back(static_cast<std::uint32_t>(row + row_offset));
          }
          to.source_line.reserve(to.source_line.size() + n);
          for (std::uint32_t line : from.source_line) {
            to.source_line.push_back(static_cast<std::uint32_t>(line + line_offset));
          }
          append(to.birth, from.birth);
          append(to.start, from.start);
          append(to.end, from.end);
          append(to.gender, from.gender);
          append(to.form, from.form);
          append(to.fte, from.fte);
          append(to.reason, from.reason);
          append(to.source, from.source);
        });
    from = RawColumns();
  }

  bool map_header() {
    std::vector<std::string>& header = header_;
    if (!source_.header(header)) return false;
    index_.fill(no_index);
    file_names_.fill(std::string());
    for (std::size_t i = 0; i < header.size(); ++i) {
      std::string name = header[i];
      auto renamed = options_.columns.find(name);
      const std::string contract = renamed == options_.columns.end() ? name : renamed->second;
      for (std::size_t f = 0; f < field_count; ++f) {
        if (contract == field_names[f] && index_[f] == no_index) {
          index_[f] = i;
          file_names_[f] = name;
        }
      }
    }
    std::string has;  // what the file does have, for the messages
    for (std::size_t i = 0; i < header.size() && i < 40; ++i) has += (i ? ", " : "") + header[i];
    if (header.size() > 40) has += ", ...";
    for (const auto& [name, contract] : options_.columns) {
      if (std::find(header.begin(), header.end(), name) == header.end()) {
        issues_.error(source_.label(), 1, 1, name, "missing_column",
                      "the mapping names column '" + name + "' (for " + contract +
                          "), which the file does not have; the file has: " + has);
      }
    }
    for (std::size_t f = 0; f < field_count; ++f) {
      if (column_required[f] && index_[f] == no_index) {
        issues_.error(source_.label(), 1, 1, std::string(field_names[f]), "missing_column",
                      "required column '" + std::string(field_names[f]) + "' is missing; the file has: " + has);
      }
    }
    for (const std::string& name : options_.dimensions) {
      std::size_t found = no_index;
      for (std::size_t i = 0; i < header.size(); ++i) {
        auto renamed = options_.columns.find(header[i]);
        const std::string contract = renamed == options_.columns.end() ? header[i] : renamed->second;
        if (contract == name) found = i;
      }
      if (found == no_index) {
        issues_.error(source_.label(), 1, 1, name, "missing_column",
                      "declared dimension column '" + name + "' is missing");
      }
      bool clashes = false;
      for (std::string_view contract : field_names) clashes = clashes || contract == name;
      if (clashes) {
        issues_.error(source_.label(), 1, 1, name, "missing_column",
                      "'" + name + "' is a contract column and cannot be a pass-through dimension");
      }
      dimension_index_.push_back(found);
    }
    for (const auto& [column, mapping] : options_.codes) {
      std::size_t f = field_count;
      for (std::size_t k = 0; k < field_count; ++k) {
        if (field_names[k] == column) f = k;
      }
      if (f == field_count) throw argument_error("codes given for unknown column '" + column + "'");
      for (const auto& [from, to] : mapping) code_maps_[f].emplace(from, to);
    }
    raw_.pass_through.resize(options_.dimensions.size());
    dimension_interners_.resize(options_.dimensions.size());
    if (issues_.has_errors()) return false;
    open_end_ = parse_date(options_.open_end, options_.date_format);
    if (!open_end_) open_end_ = parse_iso_date(options_.open_end);
    if (!open_end_) throw argument_error("open_end must be a date (ISO YYYY-MM-DD or the file's date format)");
    return true;
  }

  /// The trimmed (and recoded) value of field `f` of the record being read.
  std::string_view field(const detail::CsvRecord&, std::size_t f) const { return current_[f]; }

  void load_fields(const detail::CsvRecord& record) {
    for (std::size_t f = 0; f < field_count; ++f) current_[f] = compute_field(record, f);
  }

  std::string_view compute_field(const detail::CsvRecord& record, std::size_t f) const {
    if (index_[f] == no_index) return {};
    std::string_view value = detail::trim(record.fields[index_[f]]);
    if (!code_maps_[f].empty()) {
      auto it = code_maps_[f].find(std::string(value));
      if (it != code_maps_[f].end()) value = it->second;
    }
    return value;
  }

  /// The date in field `f`, or nullopt with the issue reported (the
  /// open-end marker passes). Inlined, with the usual case free of an
  /// optional in memory (built in two parts and reloaded whole, it stalls
  /// store forwarding once per date).
  STAFFCAST_INLINE std::optional<day_t> date_field(const detail::CsvRecord& record, std::size_t f, bool& ok) {
    day_t day = 0;
    if (detail::parse_day_to(field(record, f), options_.date_format, day) &&
        ((day >= min_valid_day && day <= max_valid_day) || day == *open_end_)) {
      return day;
    }
    return bad_date_field(record, f, ok);
  }

  /// date_field() for a text that is no date of 1900-2199: the issue.
  STAFFCAST_COLD std::optional<day_t> bad_date_field(const detail::CsvRecord& record, std::size_t f, bool& ok) {
    const std::string_view text = field(record, f);
    const std::optional<day_t> day = detail::parse_day(text, options_.date_format);
    if (!day) {
      error(record.row, record.line, f, "bad_date", std::string("not a valid date ") + date_layout(), text);
      ok = false;
      return std::nullopt;
    }
    if (*day == *open_end_) return day;
    if (*day < min_valid_day || *day > max_valid_day) {
      error(record.row, record.line, f, "bad_date", "date outside 1900-2199", text);
      ok = false;
      return std::nullopt;
    }
    return day;
  }

  template <class Enum, class Parse>
  std::optional<Enum> code_field(const detail::CsvRecord& record, std::size_t f, Parse parse, bool& ok,
                                 const char* allowed) {
    const std::string_view text = field(record, f);
    if (text.empty()) {
      error(record.row, record.line, f, "missing_value", "value required");
      ok = false;
      return std::nullopt;
    }
    const std::optional<Enum> value = parse(text);
    if (!value) {
      error(record.row, record.line, f, "unknown_code", unknown_code_message(f, allowed), text);
      ok = false;
    }
    return value;
  }

  /// "unknown code; ..." naming the codes the mapping knows, or the contract's codes.
  std::string unknown_code_message(std::size_t f, const char* allowed) const {
    if (code_maps_[f].empty()) return std::string("unknown code; expected one of ") + allowed;
    std::vector<std::string> known;
    for (const auto& [from, to] : code_maps_[f]) known.push_back(from);
    std::sort(known.begin(), known.end());
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    return "code not in the mapping; the mapping knows " + list + " (or use " + allowed + ")";
  }

  void read_rows() {
    detail::CsvRecord record;
    while (source_.next(record)) {
      ++rows_read_;
      load_fields(record);
      // The manager's slot is usually a cache miss: start it now, validation hides it.
      managers_.prefetch(field(record, f_manager_id));
      bool ok = true;
      const std::string_view id = field(record, f_employee_id);
      if (id.empty()) {
        error(record.row, record.line, f_employee_id, "missing_value", "value required");
        ok = false;
      }
      std::optional<day_t> birth;
      if (field(record, f_birth_date).empty()) {
        error(record.row, record.line, f_birth_date, "missing_value", "value required");
        ok = false;
      } else {
        birth = date_field(record, f_birth_date, ok);
        if (birth && *birth == *open_end_) {
          error(record.row, record.line, f_birth_date, "bad_date", "date outside 1900-2199");
          ok = false;
          birth.reset();
        }
      }
      const auto gender = code_field<Gender>(record, f_gender, parse_gender, ok, "F, M, X");
      const auto form = code_field<EmploymentForm>(record, f_employment_form, parse_employment_form, ok,
                                                   "permanent, temporary, hourly");
      const std::string_view position = field(record, f_position);
      if (position.empty()) {
        error(record.row, record.line, f_position, "missing_value", "value required");
        ok = false;
      }
      const std::string_view department = field(record, f_department);
      if (department.empty()) {
        error(record.row, record.line, f_department, "missing_value", "value required");
        ok = false;
      }
      std::uint8_t fte = 0;
      const std::string_view fte_text = field(record, f_fte);
      if (fte_text.empty()) {
        if (form && *form != EmploymentForm::hourly) {
          error(record.row, record.line, f_fte, "missing_value", "fte required unless hourly");
          ok = false;
        }
      } else {
        std::int64_t hundredths = 0;
        switch (detail::parse_hundredths(fte_text, options_.decimal, hundredths)) {
          case detail::DecimalStatus::ok:
            if (hundredths <= 0 || hundredths > 100) {
              error(record.row, record.line, f_fte, "fte_out_of_range", "fte must be in (0, 1]", fte_text);
              ok = false;
            } else {
              fte = static_cast<std::uint8_t>(hundredths);
            }
            break;
          case detail::DecimalStatus::too_precise:
            error(record.row, record.line, f_fte, "bad_number", "fte has more than two decimals", fte_text);
            ok = false;
            break;
          case detail::DecimalStatus::too_large:
            error(record.row, record.line, f_fte, "fte_out_of_range", "fte must be in (0, 1]", fte_text);
            ok = false;
            break;
          case detail::DecimalStatus::not_a_number:
            error(record.row, record.line, f_fte, "bad_number", "not a decimal number", fte_text);
            ok = false;
            break;
        }
      }
      std::optional<day_t> start;
      if (field(record, f_start_date).empty()) {
        error(record.row, record.line, f_start_date, "missing_value", "value required");
        ok = false;
      } else {
        start = date_field(record, f_start_date, ok);
        if (start && *start == *open_end_) {
          error(record.row, record.line, f_start_date, "bad_date", "date outside 1900-2199",
                field(record, f_start_date));
          ok = false;
          start.reset();
        }
      }
      day_t end = open_end_day;
      bool has_end = false;
      if (!field(record, f_end_date).empty()) {
        const auto parsed = date_field(record, f_end_date, ok);
        if (parsed && *parsed != *open_end_) {
          end = *parsed;
          has_end = true;
          if (start && end < *start) {
            error(record.row, record.line, f_end_date, "end_before_start", "end_date is before start_date",
                  field(record, f_end_date));
            ok = false;
          }
        }
      }
      EndReason reason = EndReason::none;
      const std::string_view reason_text = field(record, f_end_reason);
      if (!reason_text.empty()) {
        const auto parsed = parse_end_reason(reason_text);
        if (!parsed) {
          error(record.row, record.line, f_end_reason, "unknown_code",
                unknown_code_message(f_end_reason,
                                     "own_request, retirement, fixed_term_ended, internal_move, "
                                     "other_administration, dismissal, death, other"),
                reason_text);
          ok = false;
        } else if (has_end) {
          reason = *parsed;
        }
      } else if (has_end) {
        error(record.row, record.line, f_end_reason, "missing_value", "end_reason required when end_date is set");
        ok = false;
      }
      RecruitmentSource source = RecruitmentSource::unknown;
      const std::string_view source_text = field(record, f_recruitment_source);
      if (!source_text.empty()) {
        const auto parsed = parse_recruitment_source(source_text);
        if (!parsed) {
          error(record.row, record.line, f_recruitment_source, "unknown_code",
                unknown_code_message(f_recruitment_source, "internal, other_administration, external, rehire"),
                source_text);
          ok = false;
        } else {
          source = *parsed;
        }
      }
      if (birth && start) {
        const int age = age_on(*birth, *start);
        if (age < min_age_at_start || age > max_age_at_start) {
          error(record.row, record.line, f_birth_date, "implausible_age",
                "age at start_date is " + std::string(age < min_age_at_start ? "under 15" : "over 100"));
          ok = false;
        }
      }
      dimension_values.clear();
      for (std::size_t d = 0; d < dimension_index_.size(); ++d) {
        dimension_values.push_back(detail::trim(record.fields[dimension_index_[d]]));
      }
      if (!ok || issues_.has_errors()) continue;  // once invalid, stop storing; keep validating

      // Registers usually list a person's spells together: skip the lookup then.
      if (id != last_id_ || last_person_ == no_code) {
        last_person_ = ids_.intern(id);
        last_id_ = ids_.values()[last_person_];
      }
      const std::uint32_t person = last_person_;
      raw_.person.push_back(person);
      raw_.birth.push_back(*birth);
      raw_.gender.push_back(*gender);
      raw_.form.push_back(*form);
      raw_.position.push_back(positions_.intern(position));
      raw_.department.push_back(departments_.intern(department));
      raw_.fte.push_back(fte);
      raw_.start.push_back(*start);
      raw_.end.push_back(end);
      raw_.reason.push_back(reason);
      raw_.source.push_back(source);
      const std::string_view manager = field(record, f_manager_id);
      // Managers have their own interner: looking them up among millions of
      // person keys would miss the cache on every spell, and ids_ stays in
      // file order (no hash table at all for a register sorted by person).
      raw_.manager.push_back(manager.empty() ? no_code : managers_.intern(manager));
      raw_.source_row.push_back(static_cast<std::uint32_t>(record.row));
      raw_.source_line.push_back(static_cast<std::uint32_t>(record.line));
      for (std::size_t d = 0; d < dimension_values.size(); ++d) {
        raw_.pass_through[d].push_back(dimension_interners_[d].intern(dimension_values[d]));
      }
    }
  }

  void finish(Register& reg) {
    reg.rows_read_ = rows_read_;
    // Dictionaries: employees first (sorted), then manager ids that are not employees (sorted).
    const auto& id_values = ids_.values();
    const std::size_t persons = id_values.size();
    std::vector<std::uint32_t> order(persons);
    std::iota(order.begin(), order.end(), 0U);
    auto id_before = [&](std::uint32_t a, std::uint32_t b) { return id_values[a] < id_values[b]; };
    if (!ids_.ordered() && !std::is_sorted(order.begin(), order.end(), id_before)) {
      std::sort(order.begin(), order.end(), id_before);
    }
    const auto& manager_values = managers_.values();
    std::vector<std::uint32_t> manager_remap(manager_values.size(), no_code);
    std::vector<std::uint32_t> others;  // manager codes that are no employee's id
    for (std::uint32_t m = 0; m < manager_values.size(); ++m) {
      const std::uint32_t code = ids_.find(manager_values[m]);
      if (code == detail::Interner::npos) {
        others.push_back(m);
      } else {
        manager_remap[m] = code;  // an interned code for now, remapped below
      }
    }
    std::sort(others.begin(), others.end(),
              [&](std::uint32_t a, std::uint32_t b) { return manager_values[a] < manager_values[b]; });
    std::vector<std::uint32_t> id_remap(persons);
    bool identity = true;
    for (std::size_t i = 0; i < persons; ++i) {
      id_remap[order[i]] = static_cast<std::uint32_t>(i);
      identity = identity && order[i] == i;
    }
    for (std::uint32_t m = 0; m < manager_values.size(); ++m) {
      if (manager_remap[m] != no_code) manager_remap[m] = id_remap[manager_remap[m]];
    }
    for (std::size_t k = 0; k < others.size(); ++k) manager_remap[others[k]] = static_cast<std::uint32_t>(persons + k);
    reg.persons_ = persons;
    // The key strings (millions) are copied on the second core while this one
    // recodes, sorts and pairs the spells.
    const std::size_t n = raw_.person.size();
    detail::run_both(
        n >= detail::parallel_finish_rows.load(), [&] { finish_spells(reg, id_remap, identity, manager_remap); },
        [&] {
          std::vector<std::string> sorted_ids;
          sorted_ids.reserve(persons + others.size());
          for (std::uint32_t code : order) sorted_ids.emplace_back(id_values[code]);
          for (std::uint32_t m : others) sorted_ids.emplace_back(manager_values[m]);
          reg.ids_ = Dictionary(std::move(sorted_ids), persons);
        });
    SpellColumns& s = reg.spells_;
    // Moves and continuations here, manager chains on the second core, their
    // warnings after the pairing's as when run in turn.
    IssueList manager_issues(options_.max_issues);
    detail::run_both(
        n >= detail::parallel_finish_rows.load(),
        [&] {
          pair_spells(reg);
          // Chained service: follow moves and continuations back to the first spell.
          s.chain_start.resize(s.size());
          for (std::size_t i = 0; i < s.size(); ++i) {
            const std::uint32_t from = s.start_partner[i];
            s.chain_start[i] = (s.start_kind[i] != StartKind::recruitment && from != no_code)
                                   ? std::min(s.chain_start[from], s.start_date[i])
                                   : s.start_date[i];
          }
        },
        [&] { check_managers(reg, manager_issues); });
    issues_.append(manager_issues);
  }

  /// The spells of the register: codes remapped to the sorted dictionaries,
  /// canonical order, exact duplicates collapsed, the date extents.
  void finish_spells(Register& reg, const std::vector<std::uint32_t>& id_remap, bool identity,
                     const std::vector<std::uint32_t>& manager_remap) {
    std::vector<std::uint32_t> position_remap, department_remap;
    reg.positions_ = sorted_dictionary(positions_, position_remap);
    reg.departments_ = sorted_dictionary(departments_, department_remap);
    std::vector<std::vector<std::uint32_t>> dimension_remaps(dimension_interners_.size());
    for (std::size_t d = 0; d < dimension_interners_.size(); ++d) {
      PassThroughColumn column;
      column.name = options_.dimensions[d];
      column.dictionary = sorted_dictionary(dimension_interners_[d], dimension_remaps[d]);
      reg.pass_through_.push_back(std::move(column));
    }
    const std::size_t n = raw_.person.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (!identity) raw_.person[i] = id_remap[raw_.person[i]];
      raw_.position[i] = position_remap[raw_.position[i]];
      raw_.department[i] = department_remap[raw_.department[i]];
      if (raw_.manager[i] != no_code) raw_.manager[i] = manager_remap[raw_.manager[i]];
      for (std::size_t d = 0; d < dimension_remaps.size(); ++d) {
        raw_.pass_through[d][i] = dimension_remaps[d][raw_.pass_through[d][i]];
      }
    }

    // Canonical order: file order never decides anything.
    auto key = [&](std::uint32_t i) {
      return std::make_tuple(raw_.person[i], raw_.start[i], raw_.end[i], raw_.form[i], raw_.department[i],
                             raw_.position[i], raw_.fte[i], raw_.reason[i], raw_.source[i], raw_.manager[i],
                             raw_.birth[i], raw_.gender[i]);
    };
    auto same_dimensions = [&](std::uint32_t a, std::uint32_t b) {
      for (const auto& column : raw_.pass_through) {
        if (column[a] != column[b]) return false;
      }
      return true;
    };
    std::vector<std::uint32_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0U);
    auto before = [&](std::uint32_t a, std::uint32_t b) {
      if (raw_.person[a] != raw_.person[b]) return raw_.person[a] < raw_.person[b];
      const auto ka = key(a);
      const auto kb = key(b);
      if (ka != kb) return ka < kb;
      for (const auto& column : raw_.pass_through) {
        if (column[a] != column[b]) return column[a] < column[b];
      }
      return raw_.source_row[a] < raw_.source_row[b];
    };
    // In two halves (the second from the first's last row, so the pair across the cut counts).
    const auto middle = rows.begin() + static_cast<std::ptrdiff_t>(n / 2);
    bool first_in_order = true, second_in_order = true;
    detail::run_both(
        n >= detail::parallel_finish_rows.load(),
        [&] { first_in_order = std::is_sorted(rows.begin(), middle, before); },
        [&] { second_in_order = std::is_sorted(n > 1 ? middle - 1 : middle, rows.end(), before); });
    const bool in_order = first_in_order && second_in_order;
    if (!in_order) std::sort(rows.begin(), rows.end(), before);
    // Exact duplicates are adjacent now: keep the first in file order.
    std::vector<std::uint32_t> kept;
    kept.reserve(n);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (!kept.empty() && key(kept.back()) == key(rows[k]) && same_dimensions(kept.back(), rows[k])) {
        issues_.warning(source_.label(), raw_.source_row[rows[k]], raw_.source_line[rows[k]], {}, "duplicate_row",
                        "exact duplicate of row " + std::to_string(raw_.source_row[kept.back()]) + "; counted once");
        continue;
      }
      kept.push_back(rows[k]);
    }

    SpellColumns& s = reg.spells_;
    const bool in_place = in_order && kept.size() == n;
    s.person = kept_rows(raw_.person, kept, in_place);
    s.birth_date = kept_rows(raw_.birth, kept, in_place);
    s.gender = kept_rows(raw_.gender, kept, in_place);
    s.employment_form = kept_rows(raw_.form, kept, in_place);
    s.position = kept_rows(raw_.position, kept, in_place);
    s.department = kept_rows(raw_.department, kept, in_place);
    s.fte = kept_rows(raw_.fte, kept, in_place);
    s.start_date = kept_rows(raw_.start, kept, in_place);
    s.end_date = kept_rows(raw_.end, kept, in_place);
    s.end_reason = kept_rows(raw_.reason, kept, in_place);
    s.recruitment_source = kept_rows(raw_.source, kept, in_place);
    s.manager = kept_rows(raw_.manager, kept, in_place);
    s.source_row = kept_rows(raw_.source_row, kept, in_place);
    spell_rows_ = s.source_row;
    spell_lines_ = kept_rows(raw_.source_line, kept, in_place);
    for (std::size_t d = 0; d < raw_.pass_through.size(); ++d) {
      reg.pass_through_[d].codes = kept_rows(raw_.pass_through[d], kept, in_place);
    }
    raw_ = RawColumns();

    reg.extracted_on_ = options_.extracted_on.value_or(0);
    reg.earliest_start_ = s.size() ? s.start_date[0] : 0;
    reg.latest_start_ = s.size() ? s.start_date[0] : 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      reg.earliest_start_ = std::min(reg.earliest_start_, s.start_date[i]);
      reg.latest_start_ = std::max(reg.latest_start_, s.start_date[i]);
    }
    if (!options_.extracted_on) reg.extracted_on_ = reg.latest_start_;
    reg.extracted_on_given_ = options_.extracted_on.has_value();
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s.end_date[i] != open_end_day && s.end_date[i] <= reg.extracted_on_) {
        if (!reg.earliest_observed_end_ || s.end_date[i] < *reg.earliest_observed_end_) {
          reg.earliest_observed_end_ = s.end_date[i];
        }
      }
    }
  }

  // Moves and continuations, overlapping spells and unpaired moves, per person.
  void pair_spells(Register& reg) {
    SpellColumns& s = reg.spells_;
    const std::size_t n = s.size();
    s.start_kind.assign(n, StartKind::recruitment);
    s.end_kind.assign(n, EndKind::open);
    s.start_partner.assign(n, no_code);
    s.end_partner.assign(n, no_code);
    std::vector<std::uint32_t> group;
    std::vector<day_t> prefix_end;  // max end over spells [b, k]
    std::vector<std::uint32_t> prefix_arg;
    std::vector<day_t> prefix_second;  // second largest end over [b, k], other spell
    std::vector<std::size_t> next_later;
    for (std::size_t b = 0; b < n;) {
      std::size_t e = b + 1;
      while (e < n && s.person[e] == s.person[b]) ++e;
      // Prefix maxima of end over spells sorted by start (they already are).
      prefix_end.assign(e - b, 0);
      prefix_arg.assign(e - b, 0);
      prefix_second.assign(e - b, std::numeric_limits<day_t>::min());
      for (std::size_t k = b; k < e; ++k) {
        const std::size_t at = k - b;
        day_t best = s.end_date[k];
        auto arg = static_cast<std::uint32_t>(k);
        day_t second = std::numeric_limits<day_t>::min();
        if (at > 0) {
          if (prefix_end[at - 1] >= best) {
            second = std::max(best, prefix_second[at - 1]);
            best = prefix_end[at - 1];
            arg = prefix_arg[at - 1];
          } else {
            second = prefix_end[at - 1];
          }
        }
        prefix_end[at] = best;
        prefix_arg[at] = arg;
        prefix_second[at] = second;
      }
      // Last index in [b, e) whose start is <= day, or npos.
      auto last_starting_by = [&](day_t day) -> std::size_t {
        std::size_t lo = b, hi = e;
        while (lo < hi) {
          const std::size_t mid = (lo + hi) / 2;
          if (s.start_date[mid] <= day) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        return lo == b ? std::string::npos : lo - 1;
      };
      // The first spell starting later than each spell (spells are sorted by start):
      // one backward pass, so many spells on one start date stay linear.
      next_later.assign(e - b, e);
      for (std::size_t k = e - b; k-- > 1;) {
        const std::size_t i = b + k - 1;
        next_later[k - 1] = s.start_date[i + 1] > s.start_date[i] ? i + 1 : next_later[k];
      }
      // Ends: moves first, then continuations, else departures.
      for (std::size_t i = b; i < e; ++i) {
        if (s.end_date[i] == open_end_day) continue;
        if (s.end_reason[i] == EndReason::internal_move) {
          const std::size_t j = next_later[i - b];
          if (j < e && s.start_date[j] - s.end_date[i] <= move_gap_days) {
            s.end_kind[i] = EndKind::move_out;
            s.end_partner[i] = static_cast<std::uint32_t>(j);
            s.start_kind[j] = StartKind::move_in;
            s.start_partner[j] = static_cast<std::uint32_t>(i);
            continue;
          }
          warning(i, "end_reason", "unpaired_move",
                  "internal_move with no following spell of the person within 31 days");
        }
        const day_t next_day = s.end_date[i] + 1;
        const std::size_t last = last_starting_by(next_day);
        s.end_kind[i] = EndKind::departure;
        if (last != std::string::npos) {
          const std::size_t at = last - b;
          const bool best_is_self = prefix_arg[at] == i;
          const day_t reach = best_is_self ? prefix_second[at] : prefix_end[at];
          if (reach >= next_day) {
            s.end_kind[i] = EndKind::continuation;
            if (!best_is_self) s.end_partner[i] = prefix_arg[at];
          }
        }
      }
      // Starts: continuation when an earlier-starting spell covers the day before.
      for (std::size_t j = b; j < e; ++j) {
        if (s.start_kind[j] == StartKind::move_in) continue;
        const std::size_t last = last_starting_by(s.start_date[j] - 1);
        const bool covered = last != std::string::npos && prefix_end[last - b] >= s.start_date[j] - 1;
        if (covered) {
          s.start_kind[j] = StartKind::continuation;
          s.start_partner[j] = prefix_arg[last - b];
        } else if (s.recruitment_source[j] == RecruitmentSource::internal) {
          const bool near = last != std::string::npos && prefix_end[last - b] >= s.start_date[j] - 1 - move_gap_days;
          if (!near) {
            warning(j, "recruitment_source", "unpaired_move",
                    "internal recruitment with no earlier spell of the person ending within 31 days");
          }
        }
      }
      // Overlapping spells in the same department and position.
      group.assign(e - b, 0);
      std::iota(group.begin(), group.end(), static_cast<std::uint32_t>(b));
      std::sort(group.begin(), group.end(), [&](std::uint32_t x, std::uint32_t y) {
        return std::tie(s.department[x], s.position[x], s.start_date[x], x) <
               std::tie(s.department[y], s.position[y], s.start_date[y], y);
      });
      day_t reach = 0;
      for (std::size_t k = 0; k < group.size(); ++k) {
        const std::uint32_t cur = group[k];
        const bool same_job =
            k > 0 && s.department[group[k - 1]] == s.department[cur] && s.position[group[k - 1]] == s.position[cur];
        if (same_job && s.start_date[cur] <= reach) {
          warning(cur, "start_date", "overlapping_spells",
                  "overlaps another spell of the same person in the same department and position");
        }
        reach = same_job ? std::max(reach, s.end_date[cur]) : s.end_date[cur];
      }
      b = e;
    }
  }

  /// Unknown managers and manager cycles, reported to `out`.
  void check_managers(const Register& reg, IssueList& out) const {
    const SpellColumns& s = reg.spells_;
    const std::size_t persons = reg.persons_;
    // Edges person -> manager (employees only), each with the first spell that states it.
    struct Edge {
      std::uint32_t person, manager, spell;
    };
    std::vector<Edge> edges;
    edges.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::uint32_t manager = s.manager[i];
      if (manager == no_code) continue;
      if (manager >= persons) {
        warning(out, i, column_label(f_manager_id), "unknown_manager",
                "manager_id is not the employee_id of anyone in the register");
        continue;
      }
      edges.push_back({s.person[i], manager, static_cast<std::uint32_t>(i)});
    }
    // Spells are in person order, so the edges already are: sorting each
    // person's few edges by (manager, spell) sorts them all.
    for (std::size_t b = 0; b < edges.size();) {
      std::size_t e = b + 1;
      while (e < edges.size() && edges[e].person == edges[b].person) ++e;
      if (e - b > 1) {
        std::sort(
            edges.begin() + static_cast<std::ptrdiff_t>(b), edges.begin() + static_cast<std::ptrdiff_t>(e),
            [](const Edge& x, const Edge& y) { return std::tie(x.manager, x.spell) < std::tie(y.manager, y.spell); });
      }
      b = e;
    }
    edges.erase(
        std::unique(edges.begin(), edges.end(),
                    [](const Edge& a, const Edge& b) { return a.person == b.person && a.manager == b.manager; }),
        edges.end());
    std::vector<std::size_t> first(persons + 1, 0);
    for (const auto& edge : edges) ++first[edge.person + 1];
    for (std::size_t p = 0; p < persons; ++p) first[p + 1] += first[p];
    // Iterative depth-first search; a grey target closes a cycle.
    enum : std::uint8_t { white, grey, black };
    std::vector<std::uint8_t> colour(persons, white);
    std::vector<std::pair<std::uint32_t, std::size_t>> stack;
    for (std::uint32_t root = 0; root < persons; ++root) {
      if (colour[root] != white || first[root] == first[root + 1]) continue;
      stack.emplace_back(root, first[root]);
      colour[root] = grey;
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next == first[node + 1]) {
          colour[node] = black;
          stack.pop_back();
          continue;
        }
        const Edge& edge = edges[next];
        const std::uint32_t target = edge.manager;
        const std::uint32_t from = node;
        ++next;
        if (colour[target] == grey) {
          warning(out, edge.spell, column_label(f_manager_id), "manager_cycle",
                  target == from ? "a person is their own manager" : "the chain of managers returns to a person");
        } else if (colour[target] == white) {
          colour[target] = grey;
          stack.emplace_back(target, first[target]);
        }
      }
    }
  }

  static constexpr std::size_t no_index = static_cast<std::size_t>(-1);
  friend RegisterReadResult read_register_coded(const CodedRegister& coded, std::size_t max_issues);
  detail::RecordSource& source_;
  const RegisterOptions& options_;
  IssueList& issues_;
  std::array<std::size_t, field_count> index_{};
  std::array<std::string, field_count> file_names_{};
  std::array<std::unordered_map<std::string, std::string>, field_count> code_maps_{};
  std::vector<std::string> header_;
  std::array<std::string_view, field_count> current_{};
  std::vector<std::size_t> dimension_index_;
  std::optional<day_t> open_end_;
  detail::Interner ids_, managers_, positions_, departments_;  // ids_: employees only
  std::vector<detail::Interner> dimension_interners_;
  std::string_view last_id_;
  std::uint32_t last_person_ = no_code;
  RawColumns raw_;
  std::vector<std::uint32_t> spell_rows_, spell_lines_;  // of the kept spells, for warnings
  std::vector<std::string_view> dimension_values;
  std::int64_t rows_read_ = 0;
};

RegisterReadResult try_read_register(detail::RecordSource& source, const RegisterOptions& options) {
  IssueList issues(options.max_issues);
  return RegisterBuilder(source, options, issues).run();
}

RegisterReadResult try_read_register_csv(const std::string& path, const RegisterOptions& options,
                                         const std::string& label) {
  IssueList issues(options.max_issues);
  std::error_code size_error;
  const auto bytes = std::filesystem::file_size(path, size_error);
  RegisterReadResult result;
  if (!size_error && detail::read_in_two_parts(bytes)) {
    const detail::CsvInput input = detail::CsvInput::file(path);
    detail::CsvRecordSource source(input.open(), label.empty() ? path : label, issues, csv_options(options));
    result = RegisterBuilder(source, options, issues).run(&input, &source);
  } else {
    const auto source = detail::csv_record_source(detail::open_file_source(path), label.empty() ? path : label, issues,
                                                  csv_options(options), size_error ? 0 : bytes);
    result = RegisterBuilder(*source, options, issues).run();
  }
  detail::release_free_memory();
  return result;
}

RegisterReadResult try_read_register_text(std::string_view text, const RegisterOptions& options, std::string label) {
  IssueList issues(options.max_issues);
  detail::CsvRecordSource source(detail::memory_source(text), std::move(label), issues, csv_options(options));
  if (detail::read_in_two_parts(text.size())) {
    const detail::CsvInput input = detail::CsvInput::memory(text);
    return RegisterBuilder(source, options, issues).run(&input, &source);
  }
  return RegisterBuilder(source, options, issues).run();
}

namespace {

/// The record source of a coded register: no records, only a label.
class LabelOnlySource final : public detail::RecordSource {
 public:
  explicit LabelOnlySource(std::string label) : label_(std::move(label)) {}
  bool header(std::vector<std::string>& names) override {
    names.clear();
    return false;
  }
  bool next(detail::CsvRecord&) override { return false; }
  [[nodiscard]] const std::string& label() const override { return label_; }

 private:
  std::string label_;
};

void corrupt(const std::string& what) { throw argument_error("the saved register is not valid: " + what); }

}  // namespace

RegisterReadResult read_register_coded(const CodedRegister& c, std::size_t max_issues) {
  const std::size_t n = c.employee_id.codes.size();
  auto same_length = [&](std::size_t size, const char* name) {
    if (size != n)
      corrupt(std::string("column ") + name + " has " + std::to_string(size) + " rows, not " + std::to_string(n));
  };
  same_length(c.birth_date.size(), "birth_date");
  same_length(c.start_date.size(), "start_date");
  same_length(c.end_date.size(), "end_date");
  same_length(c.gender.size(), "gender");
  same_length(c.employment_form.size(), "employment_form");
  same_length(c.fte.size(), "fte");
  same_length(c.end_reason.size(), "end_reason");
  same_length(c.recruitment_source.size(), "recruitment_source");
  same_length(c.source_row.size(), "source_row");
  same_length(c.position.codes.size(), "position");
  same_length(c.department.codes.size(), "department");
  same_length(c.manager_id.codes.size(), "manager_id");
  for (const auto& [name, column] : c.pass_through) same_length(column.codes.size(), name.c_str());
  auto check_strings = [&](const CodedRegister::Strings& s, const char* name, bool nullable) {
    for (const std::string& v : s.values) {
      if (v.empty() || !detail::is_valid_utf8(v)) corrupt(std::string(name) + " has an empty or invalid value");
    }
    for (std::uint32_t code : s.codes) {
      if (code == no_code ? !nullable : code >= s.values.size()) corrupt(std::string(name) + " has a bad code");
    }
  };
  check_strings(c.employee_id, "employee_id", false);
  check_strings(c.position, "position", false);
  check_strings(c.department, "department", false);
  check_strings(c.manager_id, "manager_id", true);
  for (const auto& [name, column] : c.pass_through) {
    for (std::uint32_t code : column.codes) {
      if (code >= column.values.size()) corrupt(name + " has a bad code");
    }
  }
  const day_t first = to_day(1900, 1, 1);
  const day_t last = to_day(2199, 12, 31);
  for (std::size_t i = 0; i < n; ++i) {
    const bool open = c.end_date[i] == open_end_day;
    if (c.birth_date[i] < first || c.birth_date[i] > last || c.start_date[i] < first || c.start_date[i] > last ||
        (!open && (c.end_date[i] < c.start_date[i] || c.end_date[i] > last))) {
      corrupt("row " + std::to_string(i) + " has a date out of range or an end before its start");
    }
    if (c.gender[i] >= gender_names.size() || c.employment_form[i] >= employment_form_names.size() ||
        c.end_reason[i] >= end_reason_names.size() || c.recruitment_source[i] >= recruitment_source_names.size() ||
        c.fte[i] > 100) {
      corrupt("row " + std::to_string(i) + " has a code out of range");
    }
    if ((c.end_reason[i] == 0) != open) corrupt("row " + std::to_string(i) + " has an end without a reason");
    if (c.fte[i] == 0 && c.employment_form[i] != static_cast<std::uint8_t>(EmploymentForm::hourly)) {
      corrupt("row " + std::to_string(i) + " has no fte but is not hourly");
    }
  }
  RegisterOptions options;
  options.extracted_on = c.extracted_on;
  options.max_issues = max_issues;
  for (const auto& [name, column] : c.pass_through) options.dimensions.push_back(name);
  IssueList issues(max_issues);
  LabelOnlySource source(c.label);
  RegisterBuilder builder(source, options, issues);
  // Intern the values in order so that codes map one to one, then finish as after reading.
  std::vector<std::uint32_t> employee_code, manager_code, position_code, department_code;
  // Keys no spell uses are no employee's: they join the dictionary after the employees, as manager ids do.
  std::vector<bool> used(c.employee_id.values.size(), false);
  for (std::uint32_t code : c.employee_id.codes) used[code] = true;
  for (std::size_t k = 0; k < c.employee_id.values.size(); ++k) {
    employee_code.push_back(used[k] ? builder.ids_.intern(c.employee_id.values[k])
                                    : builder.managers_.intern(c.employee_id.values[k]));
  }
  for (const auto& v : c.manager_id.values) manager_code.push_back(builder.managers_.intern(v));
  for (const auto& v : c.position.values) position_code.push_back(builder.positions_.intern(v));
  for (const auto& v : c.department.values) department_code.push_back(builder.departments_.intern(v));
  builder.dimension_interners_.resize(c.pass_through.size());
  builder.raw_.pass_through.resize(c.pass_through.size());
  std::vector<std::vector<std::uint32_t>> dimension_code(c.pass_through.size());
  for (std::size_t d = 0; d < c.pass_through.size(); ++d) {
    for (const auto& v : c.pass_through[d].second.values) {
      dimension_code[d].push_back(builder.dimension_interners_[d].intern(v));
    }
  }
  RawColumns& raw = builder.raw_;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t person = employee_code[c.employee_id.codes[i]];
    raw.person.push_back(person);
    raw.birth.push_back(c.birth_date[i]);
    raw.gender.push_back(static_cast<Gender>(c.gender[i]));
    raw.form.push_back(static_cast<EmploymentForm>(c.employment_form[i]));
    raw.position.push_back(position_code[c.position.codes[i]]);
    raw.department.push_back(department_code[c.department.codes[i]]);
    raw.fte.push_back(c.fte[i]);
    raw.start.push_back(c.start_date[i]);
    raw.end.push_back(c.end_date[i]);
    raw.reason.push_back(static_cast<EndReason>(c.end_reason[i]));
    raw.source.push_back(static_cast<RecruitmentSource>(c.recruitment_source[i]));
    raw.manager.push_back(c.manager_id.codes[i] == no_code ? no_code : manager_code[c.manager_id.codes[i]]);
    raw.source_row.push_back(c.source_row[i]);
    raw.source_line.push_back(0);
    for (std::size_t d = 0; d < c.pass_through.size(); ++d) {
      raw.pass_through[d].push_back(dimension_code[d][c.pass_through[d].second.codes[i]]);
    }
  }
  builder.rows_read_ = static_cast<std::int64_t>(n);
  RegisterReadResult result;
  Register reg;
  builder.finish(reg);
  reg.issues_ = issues;
  result.register_ = std::move(reg);
  result.issues = std::move(issues);
  return result;
}

Register restore_register(SavedRegister&& saved) {
  SpellColumns& s = saved.spells;
  const std::size_t n = s.person.size();
  auto check = [](bool ok, const std::string& what) {
    if (!ok) corrupt(what);
  };
  const std::size_t sizes[] = {s.birth_date.size(),         s.gender.size(),     s.employment_form.size(),
                               s.position.size(),           s.department.size(), s.fte.size(),
                               s.start_date.size(),         s.end_date.size(),   s.end_reason.size(),
                               s.recruitment_source.size(), s.manager.size(),    s.source_row.size(),
                               s.start_kind.size(),         s.end_kind.size(),   s.start_partner.size(),
                               s.end_partner.size(),        s.chain_start.size()};
  for (std::size_t size : sizes) check(size == n, "the columns differ in length");
  auto strictly_sorted = [](const std::vector<std::string>& v, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      if (v[i].empty() || !detail::is_valid_utf8(v[i]) || (i > from && !(v[i - 1] < v[i]))) return false;
    }
    return true;
  };
  check(saved.persons <= saved.ids.size(), "persons exceeds the ids");
  check(strictly_sorted(saved.ids, 0, saved.persons) && strictly_sorted(saved.ids, saved.persons, saved.ids.size()),
        "person keys are not sorted");
  check(strictly_sorted(saved.positions, 0, saved.positions.size()), "positions are not sorted");
  check(strictly_sorted(saved.departments, 0, saved.departments.size()), "departments are not sorted");
  for (const auto& column : saved.pass_through) {
    check(column.codes.size() == n, column.name + " differs in length");
    check(strictly_sorted(column.dictionary.values(), 0, column.dictionary.size()), column.name + " is not sorted");
    for (std::uint32_t code : column.codes) check(code < column.dictionary.size(), column.name + " has a bad code");
  }
  const day_t first = to_day(1900, 1, 1);
  const day_t last = to_day(2199, 12, 31);
  for (std::size_t i = 0; i < n; ++i) {
    const bool open = s.end_date[i] == open_end_day;
    check(s.person[i] < saved.persons && (i == 0 || s.person[i - 1] < s.person[i] ||
                                          (s.person[i - 1] == s.person[i] && s.start_date[i - 1] <= s.start_date[i])),
          "spells are not in canonical order");
    check(s.position[i] < saved.positions.size() && s.department[i] < saved.departments.size() &&
              (s.manager[i] == no_code || s.manager[i] < saved.ids.size()),
          "a code is out of range");
    check(static_cast<std::size_t>(s.gender[i]) < gender_names.size() &&
              static_cast<std::size_t>(s.employment_form[i]) < employment_form_names.size() &&
              static_cast<std::size_t>(s.end_reason[i]) < end_reason_names.size() &&
              static_cast<std::size_t>(s.recruitment_source[i]) < recruitment_source_names.size() && s.fte[i] <= 100 &&
              (s.fte[i] > 0 || s.employment_form[i] == EmploymentForm::hourly) &&
              static_cast<int>(s.start_kind[i]) <= 2 && static_cast<int>(s.end_kind[i]) <= 3,
          "an enumerated value is out of range");
    check(s.birth_date[i] >= first && s.birth_date[i] <= last && s.start_date[i] >= first && s.start_date[i] <= last &&
              (open || (s.end_date[i] >= s.start_date[i] && s.end_date[i] <= last)) &&
              (s.end_reason[i] == EndReason::none) == open && s.chain_start[i] >= first &&
              s.chain_start[i] <= s.start_date[i],
          "a date is out of range");
    for (std::uint32_t partner : {s.start_partner[i], s.end_partner[i]}) {
      check(partner == no_code || (partner < n && s.person[partner] == s.person[i]), "a partner is out of range");
    }
  }
  Register reg;
  reg.persons_ = saved.persons;
  reg.ids_ = Dictionary(std::move(saved.ids), saved.persons);
  reg.positions_ = Dictionary(std::move(saved.positions));
  reg.departments_ = Dictionary(std::move(saved.departments));
  reg.pass_through_ = std::move(saved.pass_through);
  reg.extracted_on_ = saved.extracted_on;
  reg.extracted_on_given_ = saved.extracted_on_given;
  reg.rows_read_ = saved.rows_read;
  reg.issues_ = std::move(saved.issues);
  reg.earliest_start_ = n ? s.start_date[0] : 0;
  reg.latest_start_ = n ? s.start_date[0] : 0;
  for (std::size_t i = 0; i < n; ++i) {
    reg.earliest_start_ = std::min(reg.earliest_start_, s.start_date[i]);
    reg.latest_start_ = std::max(reg.latest_start_, s.start_date[i]);
    if (s.end_date[i] != open_end_day && s.end_date[i] <= reg.extracted_on_ &&
        (!reg.earliest_observed_end_ || s.end_date[i] < *reg.earliest_observed_end_)) {
      reg.earliest_observed_end_ = s.end_date[i];
    }
  }
  reg.spells_ = std::move(s);
  return reg;
}

Register read_register_csv(const std::string& path, const RegisterOptions& options) {
  RegisterReadResult result = try_read_register_csv(path, options);
  if (!result.register_) throw validation_error(std::move(result.issues));
  return std::move(*result.register_);
}

}  // namespace staffcast
