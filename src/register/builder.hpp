// The builder of a Register: maps the header to the contract's columns,
// reads and validates each record's fields (docs/data.md), then finishes the
// register once on the whole (sorted dictionaries, canonical order, exact
// duplicates, the pairing of moves and continuations, manager checks).
// Private to src/register/: builder.cpp (the steps and the entry points),
// fields.cpp (header and fields), managers.cpp, saved.cpp.
#pragma once

#include <staffcast/detail/attributes.hpp>
#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/interner.hpp>
#include <staffcast/detail/record_source.hpp>
#include <staffcast/register/register.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace staffcast {

namespace detail {

/// Puts the extraction_date_assumed warning of `reg` first in `issues` (replacing
/// an earlier one), naming `file`; nothing when the extraction date was given.
void note_assumed_extraction(const Register& reg, IssueList& issues, const std::string& file);

}  // namespace detail

/// Builds a Register from a record source. Friend of Register.
class RegisterBuilder {
 public:
  RegisterBuilder(detail::RecordSource& source, const RegisterOptions& options, IssueList& issues)
      : source_(source), options_(options), issues_(issues) {}

  /// With `input` (the input `csv` reads), the records are read in two parts
  /// when the input is large enough (detail::TwoPartRead).
  RegisterReadResult run(const detail::CsvInput* input = nullptr, detail::CsvRecordSource* csv = nullptr);

 private:
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

  static constexpr std::array<std::string_view, field_count> field_names{
      "employee_id", "birth_date", "gender",   "employment_form", "position",           "department",
      "fte",         "start_date", "end_date", "end_reason",      "recruitment_source", "manager_id"};
  static constexpr std::array<bool, field_count> column_required{true, true, true,  true,  true,  true,
                                                                 true, true, false, false, false, false};

  static constexpr int min_valid_year = 1900;
  static constexpr int max_valid_year = 2199;
  // The same range as day numbers: a range check without converting the day back to a date.
  static constexpr day_t min_valid_day = detail::civil_to_day(min_valid_year, 1, 1);
  static constexpr day_t max_valid_day = detail::civil_to_day(max_valid_year, 12, 31);

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

  /// An error about a field of the record at (row, line); the value is shown
  /// unless the field is sensitive (ids, birth dates).
  void error(std::int64_t row, std::int64_t line, std::size_t field, std::string code, std::string message,
             std::string_view value = {});
  /// A warning about a field of the record at (row, line), with its value as error() shows it.
  void field_warning(std::int64_t row, std::int64_t line, std::size_t field, std::string code, std::string message,
                     std::string_view value);
  /// A warning about spell `i` of the register being built.
  void warning(std::size_t i, std::string column, std::string code, std::string message) {
    warning(issues_, i, std::move(column), std::move(code), std::move(message));
  }
  void warning(IssueList& to, std::size_t i, std::string column, std::string code, std::string message) const {
    to.warning(source_.label(), spell_rows_[i], spell_lines_[i], std::move(column), std::move(code),
               std::move(message));
  }
  std::string date_layout() const {
    return options_.date_format.is_iso() ? std::string("YYYY-MM-DD") : options_.date_format.describe();
  }
  static bool sensitive(std::size_t field) {
    return field == f_employee_id || field == f_manager_id || field == f_birth_date;
  }
  std::string column_label(std::size_t field) const {
    if (field < field_count) return file_names_[field].empty() ? std::string(field_names[field]) : file_names_[field];
    return {};
  }

  /// Reads the records in two parts on two threads, merging the second into this one.
  void read_rows_in_parts(const detail::CsvInput& input, detail::CsvRecordSource& csv);

  /// Room for `spells` spells in the columns and the id interner.
  void reserve(std::size_t spells);

  /// The column mapping of `first`, which has read the header.
  void adopt_mapping(const RegisterBuilder& first);

  /// Appends the spells `later` read from the records after this one's, its
  /// rows and lines shifted, its codes renumbered as if one reader had interned them.
  void absorb(RegisterBuilder& later, std::int64_t row_offset, std::int64_t line_offset);

  /// Reads the header and maps it to the contract's columns (renamed
  /// columns, code mappings, pass-through dimensions); false, with the
  /// issues reported, when a column is missing or there is no header.
  bool map_header();

  /// The trimmed (and recoded) value of field `f` of the record being read.
  std::string_view field(const detail::CsvRecord&, std::size_t f) const { return current_[f]; }

  /// Loads the fields of `record` for field(): trimmed, recoded by the
  /// mapping, the default (or empty) when the column is absent.
  void load_fields(const detail::CsvRecord& record);

  /// `value` of field `f` as the mapping recodes it (unchanged when it names no code).
  std::string_view recode(std::size_t f, std::string_view value) const;

  /// The date in field `f`, or nullopt with the issue reported (the
  /// open-end marker passes). Inlined, with the usual case free of an
  /// optional in memory (built in two parts and reloaded whole, it stalls
  /// store forwarding once per date).
  STAFFCAST_INLINE std::optional<day_t> date_field(const detail::CsvRecord& record, std::size_t f, bool& ok);

  /// date_field() for a text that is no date of 1900-2199: the issue.
  STAFFCAST_COLD std::optional<day_t> bad_date_field(const detail::CsvRecord& record, std::size_t f, bool& ok);

  /// Date column `f` still fits the layouts with day and month swapped when `text` does.
  STAFFCAST_NOINLINE void watch_swapped(std::size_t f, std::string_view text, day_t day);

  /// A date column whose every value fits only the swapped layouts: its
  /// bad_date issues replaced by one that says so.
  void report_swapped_columns();

  /// The code in field `f` parsed by `parse`, or nullopt with the issue reported.
  template <class Enum, class Parse>
  std::optional<Enum> code_field(const detail::CsvRecord& record, std::size_t f, Parse parse, bool& ok,
                                 const char* allowed);

  /// "unknown code; ..." naming the codes the mapping knows, or the contract's codes.
  std::string unknown_code_message(std::size_t f, const char* allowed) const;

  /// Reads, checks and stores every record of the source (the hot loop).
  void read_rows();

  /// The register from the spells read: dictionaries, spells, pairing, chained
  /// service and manager checks.
  void finish(Register& reg);

  /// The spells of the register: codes remapped to the sorted dictionaries,
  /// canonical order, exact duplicates collapsed, the date extents.
  void finish_spells(Register& reg, const std::vector<std::uint32_t>& id_remap, bool identity,
                     const std::vector<std::uint32_t>& manager_remap);

  /// Unknown managers and manager cycles, reported to `out`.
  void check_managers(const Register& reg, IssueList& out) const;

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
  std::array<std::string, field_count> defaults_{};            // the value of a column the file lacks
  std::array<bool, field_count> missing_{};                    // a required column absent (its values are not checked)
  std::array<bool, field_count> swap_watch_{};                 // every date so far fits the swapped layouts
  std::array<std::size_t, field_count> swap_bad_{};            // dates that fit only the swapped layouts
  detail::Interner ids_, managers_, positions_, departments_;  // ids_: employees only
  std::vector<detail::Interner> dimension_interners_;
  std::string_view last_id_;
  std::uint32_t last_person_ = no_code;
  RawColumns raw_;
  std::vector<std::uint32_t> spell_rows_, spell_lines_;  // of the kept spells, for warnings
  std::vector<std::string_view> dimension_values;
  std::int64_t rows_read_ = 0;
};

}  // namespace staffcast
