// Reading the records of an employments register: the header mapped to the
// contract's columns (renamed columns, recoded values, pass-through
// dimensions), then each record's fields checked against the data contract
// (docs/data.md) and stored as codes. The per-record path is hot: its helpers
// stay in this file so that they inline into read_rows.
#include "builder.hpp"

#include <staffcast/detail/field_parse.hpp>

#include <algorithm>

namespace staffcast {

bool RegisterBuilder::map_header() {
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
  defaults_.fill(std::string());
  for (const auto& [column, value] : options_.defaults) {
    std::size_t f = field_count;
    for (std::size_t k = 0; k < field_count; ++k) {
      if (field_names[k] == column) f = k;
    }
    if (f == field_count || f == f_employee_id || f == f_birth_date || f == f_start_date || f == f_end_date ||
        f == f_end_reason || f == f_manager_id) {
      throw argument_error("defaults: '" + column +
                           "' cannot have a default; give one for gender, employment_form, position, department, "
                           "fte or recruitment_source");
    }
    if (index_[f] != no_index) {
      issues_.warning(
          source_.label(), 1, 1, file_names_[f], "default_not_used",
          "the file has this column (for " + column + "): its values are used, not the default '" + value + "'");
      continue;
    }
    std::string text = value;
    if (f == f_fte) std::replace(text.begin(), text.end(), '.', options_.decimal);
    defaults_[f] = text;
  }
  missing_.fill(false);
  for (std::size_t f = 0; f < field_count; ++f) {
    if (column_required[f] && index_[f] == no_index && options_.defaults.count(std::string(field_names[f])) == 0) {
      missing_[f] = true;
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
  open_end_ = parse_date(options_.open_end, options_.date_format);
  if (!open_end_) open_end_ = parse_iso_date(options_.open_end);
  if (!open_end_) throw argument_error("open_end must be a date (ISO YYYY-MM-DD or the file's date format)");
  // Month-first dates read day-first (or the reverse) are watched for; ISO never is.
  const bool watch = !options_.date_format.is_iso() && options_.date_format.swappable();
  swap_watch_.fill(false);
  for (std::size_t f : {f_birth_date, f_start_date, f_end_date}) swap_watch_[f] = watch && index_[f] != no_index;
  // Every problem that can still be found is reported: the records are read
  // even when a column is missing (its own checks left out).
  return true;
}

void RegisterBuilder::load_fields(const detail::CsvRecord& record) {
  const std::string_view* fields = record.fields.data();
  const bool trim = options_.trim;
  for (std::size_t f = 0; f < field_count; ++f) {
    const std::size_t at = index_[f];
    if (at == no_index) {
      current_[f] = defaults_[f];
      continue;
    }
    std::string_view value = fields[at];
    // Most fields have nothing to trim: two byte tests, no call.
    if (trim && !value.empty() && (detail::is_blank(value.front()) || detail::is_blank(value.back()))) {
      value = detail::trim(value);
    }
    current_[f] = code_maps_[f].empty() ? value : recode(f, value);
  }
}

STAFFCAST_NOINLINE std::string_view RegisterBuilder::recode(std::size_t f, std::string_view value) const {
  auto it = code_maps_[f].find(std::string(value));
  return it != code_maps_[f].end() ? std::string_view(it->second) : value;
}

STAFFCAST_INLINE std::optional<day_t> RegisterBuilder::date_field(const detail::CsvRecord& record, std::size_t f,
                                                                  bool& ok) {
  day_t day = 0;
  if (detail::parse_day_to(field(record, f), options_.date_format, day) &&
      ((day >= min_valid_day && day <= max_valid_day) || day == *open_end_)) {
    if (swap_watch_[f]) watch_swapped(f, field(record, f), day);
    return day;
  }
  return bad_date_field(record, f, ok);
}

STAFFCAST_NOINLINE void RegisterBuilder::watch_swapped(std::size_t f, std::string_view text, day_t day) {
  if (day != *open_end_ && !options_.date_format.fits_swapped(text)) swap_watch_[f] = false;
}

void RegisterBuilder::report_swapped_columns() {
  for (std::size_t f : {f_birth_date, f_start_date, f_end_date}) {
    if (!swap_watch_[f] || swap_bad_[f] < 2) continue;  // one bad date keeps its own message
    const std::string column = column_label(f);
    issues_.erase_if(
        [&](const Issue& issue) { return issue.code == "bad_date" && issue.column == column && issue.row > 1; });
    const std::vector<std::string> swapped = options_.date_format.swapped_patterns();
    std::string named, toml;
    for (std::size_t i = 0; i < swapped.size(); ++i) {
      named += (i ? " or " : "") + swapped[i];
      toml += (i ? ", \"" : "\"") + swapped[i] + "\"";
    }
    if (swapped.size() > 1) toml = "[" + toml + "]";
    issues_.error(source_.label(), 1, 1, column, "bad_date",
                  "every date of the column fits " + named + " (day and month swapped), not " + date_layout() + ": " +
                      std::to_string(swap_bad_[f]) + " of them are no date in " + date_layout() +
                      " and the others would be read wrongly; give date_format = " + toml);
  }
}

STAFFCAST_COLD std::optional<day_t> RegisterBuilder::bad_date_field(const detail::CsvRecord& record, std::size_t f,
                                                                    bool& ok) {
  const std::string_view text = field(record, f);
  const std::optional<day_t> day = detail::parse_day(text, options_.date_format);
  if (!day) {
    const std::string swapped = options_.date_format.swapped_fit(text);
    if (swapped.empty()) {
      swap_watch_[f] = false;
      // The reason names the month (and February's year): left out for a birth date, which is never shown.
      const std::optional<std::string> impossible = impossible_date(text, options_.date_format);
      std::string message = "not a valid date " + date_layout();
      if (impossible) message = sensitive(f) ? "not a real calendar date" : "not a real calendar date: " + *impossible;
      error(record.row, record.line, f, "bad_date", std::move(message), text);
    } else {
      ++swap_bad_[f];
      error(record.row, record.line, f, "bad_date",
            "not a valid date " + date_layout() + "; fits " + swapped + " (day and month swapped)", text);
    }
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
std::optional<Enum> RegisterBuilder::code_field(const detail::CsvRecord& record, std::size_t f, Parse parse, bool& ok,
                                                const char* allowed) {
  const std::string_view text = field(record, f);
  if (text.empty()) {
    if (!missing_[f]) error(record.row, record.line, f, "missing_value", "value required");
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

std::string RegisterBuilder::unknown_code_message(std::size_t f, const char* allowed) const {
  if (code_maps_[f].empty()) return std::string("unknown code; expected one of ") + allowed;
  std::vector<std::string> known;
  for (const auto& [from, to] : code_maps_[f]) known.push_back(from);
  std::sort(known.begin(), known.end());
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  return "code not in the mapping; the mapping knows " + list + " (or use " + allowed + ")";
}

void RegisterBuilder::read_rows() {
  detail::CsvRecord record;
  while (source_.next(record)) {
    ++rows_read_;
    load_fields(record);
    // The manager's slot is usually a cache miss: start it now, validation hides it.
    managers_.prefetch(field(record, f_manager_id));
    bool ok = true;
    const std::string_view id = field(record, f_employee_id);
    if (id.empty() && !missing_[f_employee_id]) {
      error(record.row, record.line, f_employee_id, "missing_value", "value required");
      ok = false;
    }
    std::optional<day_t> birth;
    if (field(record, f_birth_date).empty()) {
      if (!missing_[f_birth_date]) error(record.row, record.line, f_birth_date, "missing_value", "value required");
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
    if (position.empty() && !missing_[f_position]) {
      error(record.row, record.line, f_position, "missing_value", "value required");
      ok = false;
    }
    const std::string_view department = field(record, f_department);
    if (department.empty() && !missing_[f_department]) {
      error(record.row, record.line, f_department, "missing_value", "value required");
      ok = false;
    }
    std::uint8_t fte = 0;
    const std::string_view fte_text = field(record, f_fte);
    if (fte_text.empty()) {
      if (form && *form != EmploymentForm::hourly && !missing_[f_fte]) {
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
      if (!missing_[f_start_date]) error(record.row, record.line, f_start_date, "missing_value", "value required");
      ok = false;
    } else {
      start = date_field(record, f_start_date, ok);
      if (start && *start == *open_end_) {
        error(record.row, record.line, f_start_date, "bad_date", "date outside 1900-2199", field(record, f_start_date));
        ok = false;
        start.reset();
      }
    }
    day_t end = open_end_day;
    bool has_end = false;
    bool open_spell = field(record, f_end_date).empty();
    if (!open_spell) {
      const auto parsed = date_field(record, f_end_date, ok);
      open_spell = parsed && *parsed == *open_end_;
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
    if (!reason_text.empty() && open_spell) {
      // An end reason describes an end: on an open spell it is ignored, whatever its code.
      field_warning(record.row, record.line, f_end_reason, "reason_on_open_spell",
                    "end_reason on a spell without an end_date; ignored", reason_text);
    } else if (!reason_text.empty()) {
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
              "age at start_date is " + std::string(age < min_age_at_start ? "under " : "over ") +
                  std::to_string(age < min_age_at_start ? min_age_at_start : max_age_at_start));
        ok = false;
      }
    }
    dimension_values.clear();
    for (std::size_t d = 0; d < dimension_index_.size(); ++d) {
      const std::size_t at = dimension_index_[d];
      dimension_values.push_back(at == no_index ? std::string_view() : detail::trim(record.fields[at]));
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

}  // namespace staffcast
