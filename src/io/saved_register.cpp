// A register from a saved-register record batch given through the Arrow C data
// interface (io/saved_register.hpp): every check before a column is used, then
// one copy per column.
#include "saved_layout.hpp"

#include <staffcast/detail/huge_pages.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/io/saved_register.hpp>

#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace staffcast {

namespace {

using namespace detail::saved;

/// One copy of a column into its final buffer, on huge pages when large: 4-byte
/// columns straight from the buffer (no zeroing first), 1-byte enumerations by
/// memcpy into their enum type.
template <class T>
std::vector<T> copy_column(const ColumnView& column, std::size_t n) {
  static_assert(sizeof(T) == 1 || sizeof(T) == 4, "fixed-width columns are 1 or 4 bytes");
  std::vector<T> out = detail::huge_page_vector<T>(n);
  if constexpr (std::is_integral_v<T>) {
    const auto* values = reinterpret_cast<const T*>(column.values);
    out.assign(values, values + n);
  } else {
    out.resize(n);
    if (n > 0) std::memcpy(out.data(), column.values, n * sizeof(T));
  }
  return out;
}

std::vector<std::string> dictionary_values(const ColumnView& column) {
  auto out = detail::huge_page_vector<std::string>(static_cast<std::size_t>(column.dictionary_length));
  for (std::int64_t i = 0; i < column.dictionary_length; ++i) {
    out.emplace_back(column.data + column.offsets[i],
                     static_cast<std::size_t>(column.offsets[i + 1] - column.offsets[i]));
  }
  return out;
}

}  // namespace

std::uint64_t saved_register_checksum(const ArrowArray& batch, const ArrowSchema& schema) {
  return checksum_of(view_batch(batch, schema, "<batch>"));
}

Register register_from_arrow(ArrowArray* batch, ArrowSchema* schema, const SavedRegisterOptions& options) {
  detail::ArrowRelease release(batch, schema);
  const std::string& file = options.file;
  if (batch == nullptr || schema == nullptr) refuse(file, "no batch was given");
  const BatchView view = view_batch(*batch, *schema, file);
  const std::string* stored = find(view.metadata, key_checksum);
  if (stored == nullptr) refuse(file, "it has no checksum");
  SavedRegister saved;
  const auto n = static_cast<std::size_t>(view.length);
  const auto& c = view.columns;
  SpellColumns& s = saved.spells;
  // The checksum and the person keys on one thread, the columns copied on another: no
  // value is looked at before the checksum matched (restore_register checks them after).
  bool checksum_matches = false;
  auto copy_columns = [&] {
    s.person = copy_column<std::uint32_t>(c[0], n);
    s.birth_date = copy_column<day_t>(c[1], n);
    s.gender = copy_column<Gender>(c[2], n);
    s.employment_form = copy_column<EmploymentForm>(c[3], n);
    s.position = copy_column<std::uint32_t>(c[4], n);
    s.department = copy_column<std::uint32_t>(c[5], n);
    s.fte = copy_column<std::uint8_t>(c[6], n);
    s.start_date = copy_column<day_t>(c[7], n);
    s.end_date = copy_column<day_t>(c[8], n);
    s.end_reason = copy_column<EndReason>(c[9], n);
    s.recruitment_source = copy_column<RecruitmentSource>(c[10], n);
    s.manager = copy_column<std::uint32_t>(c[11], n);
    s.source_row = copy_column<std::uint32_t>(c[12], n);
    s.start_kind = copy_column<StartKind>(c[13], n);
    s.end_kind = copy_column<EndKind>(c[14], n);
    s.start_partner = copy_column<std::uint32_t>(c[15], n);
    s.end_partner = copy_column<std::uint32_t>(c[16], n);
    s.chain_start = copy_column<day_t>(c[17], n);
    saved.positions = dictionary_values(c[4]);
    saved.departments = dictionary_values(c[5]);
    for (std::size_t d = fixed_count; d < c.size(); ++d) {
      PassThroughColumn column;
      column.name = c[d].name;
      column.codes = copy_column<std::uint32_t>(c[d], n);
      column.dictionary = Dictionary(dictionary_values(c[d]));
      saved.pass_through.push_back(std::move(column));
    }
  };
  auto checksum_and_keys = [&] {
    checksum_matches = *stored == hex64(checksum_of(view));
    if (checksum_matches) saved.ids = dictionary_values(c[0]);
  };
  detail::run_both(n >= detail::parallel_finish_rows, copy_columns, checksum_and_keys);
  if (!checksum_matches) refuse(file, "its checksum does not match its contents (a damaged or changed file)");
  auto fact = [&](std::string_view key) -> const std::string& {
    const std::string* value = find(view.metadata, key);
    if (value == nullptr) refuse(file, "it has no " + std::string(key) + " in its metadata");
    return *value;
  };
  saved.persons = static_cast<std::size_t>(parse_count(fact(key_persons), file, "persons"));
  saved.rows_read = parse_count(fact(key_rows_read), file, "rows_read");
  const std::optional<day_t> extracted_on = parse_iso_date(fact(key_extracted_on));
  if (!extracted_on) refuse(file, "its extraction date is not a date");
  const std::string& given = fact(key_given);
  if (given != "true" && given != "false") refuse(file, "its staffcast.extracted_on_given is not true or false");
  saved.extracted_on = *extracted_on;
  saved.extracted_on_given = given == "true";
  saved.issues = decode_issues(fact(key_issues), file);
  if (options.extracted_on) {
    // Only the extraction date's own facts depend on it: the day, its warning and the
    // earliest observed end (restore_register derives it from the day).
    saved.extracted_on = *options.extracted_on;
    saved.extracted_on_given = true;
    saved.issues.remove("extraction_date_assumed");
  }
  try {
    return restore_register(std::move(saved));
  } catch (const argument_error& e) {
    constexpr std::string_view prefix = "the saved register is not valid: ";
    std::string_view what = e.what();
    if (what.substr(0, prefix.size()) == prefix) what.remove_prefix(prefix.size());
    refuse(file, std::string(what));
  }
}

}  // namespace staffcast
