// A register from a saved-register record batch given through the Arrow C data
// interface (io/saved_register.hpp): every check before a column is used; the
// register's columns and dictionaries then view the batch's buffers (no copy).
#include "saved_layout.hpp"

#include "../register/saved_checks.hpp"

#include <staffcast/detail/parallel.hpp>
#include <staffcast/io/saved_register.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

namespace {

using namespace detail::saved;

/// A batch taken over from its producer (the C data interface's move): the
/// register's columns view its buffers, and the last column to go releases it.
struct HeldBatch {
  ArrowArray array{};
  HeldBatch() = default;
  HeldBatch(const HeldBatch&) = delete;
  HeldBatch& operator=(const HeldBatch&) = delete;
  ~HeldBatch() {
    if (array.release != nullptr) array.release(&array);
  }
};

template <class T>
Column<T> column_view(const ColumnView& column, std::size_t n, const std::shared_ptr<const void>& batch) {
  static_assert(sizeof(T) == 1 || sizeof(T) == 4, "fixed-width columns are 1 or 4 bytes");
  // view_batch refused buffers not aligned for their width.
  return Column<T>::view(reinterpret_cast<const T*>(column.values), n, batch);
}

/// The dictionary as a view of the batch's offsets and bytes (checked by view_batch).
Dictionary dictionary_view(const ColumnView& column, std::size_t split, const std::shared_ptr<const void>& batch) {
  const auto m = static_cast<std::size_t>(column.dictionary_length);
  // A split past the end is kept within it; the check of the dictionaries then refuses the count of persons.
  return Dictionary::arrow_view(column.offsets, column.data, m, std::min(split, m), batch);
}

}  // namespace

std::uint64_t saved_register_checksum(const ArrowArray& batch, const ArrowSchema& schema) {
  return checksum_of(view_batch(batch, schema, "<batch>"));
}

Register register_from_arrow(ArrowArray* batch, ArrowSchema* schema, const SavedRegisterOptions& options) {
  detail::ArrowRelease release(batch, schema);
  const std::string& file = options.file;
  if (batch == nullptr || schema == nullptr) refuse(file, "no batch was given");
  if (batch->release == nullptr) refuse(file, "the batch was already released");
  auto held = std::make_shared<HeldBatch>();
  held->array = *batch;
  batch->release = nullptr;  // moved: released with the register's last column
  const std::shared_ptr<const void> owner = held;
  const BatchView view = view_batch(held->array, *schema, file);
  const std::string* stored = find(view.metadata, key_checksum);
  if (stored == nullptr) refuse(file, "it has no checksum");
  auto fact = [&](std::string_view key) -> const std::string& {
    const std::string* value = find(view.metadata, key);
    if (value == nullptr) refuse(file, "it has no " + std::string(key) + " in its metadata");
    return *value;
  };
  SavedRegister saved;
  saved.persons = static_cast<std::size_t>(parse_count(fact(key_persons), file, "persons"));
  const auto n = static_cast<std::size_t>(view.length);
  const auto& c = view.columns;
  // The columns are views of the batch's buffers: nothing is copied.
  SpellColumns& s = saved.spells;
  s.person = column_view<std::uint32_t>(c[0], n, owner);
  s.birth_date = column_view<day_t>(c[1], n, owner);
  s.gender = column_view<Gender>(c[2], n, owner);
  s.employment_form = column_view<EmploymentForm>(c[3], n, owner);
  s.position = column_view<std::uint32_t>(c[4], n, owner);
  s.department = column_view<std::uint32_t>(c[5], n, owner);
  s.fte = column_view<std::uint8_t>(c[6], n, owner);
  s.start_date = column_view<day_t>(c[7], n, owner);
  s.end_date = column_view<day_t>(c[8], n, owner);
  s.end_reason = column_view<EndReason>(c[9], n, owner);
  s.recruitment_source = column_view<RecruitmentSource>(c[10], n, owner);
  s.manager = column_view<std::uint32_t>(c[11], n, owner);
  s.source_row = column_view<std::uint32_t>(c[12], n, owner);
  s.start_kind = column_view<StartKind>(c[13], n, owner);
  s.end_kind = column_view<EndKind>(c[14], n, owner);
  s.start_partner = column_view<std::uint32_t>(c[15], n, owner);
  s.end_partner = column_view<std::uint32_t>(c[16], n, owner);
  s.chain_start = column_view<day_t>(c[17], n, owner);
  detail::CodeLimits limits;
  limits.ids = static_cast<std::size_t>(c[0].dictionary_length);
  limits.positions = static_cast<std::size_t>(c[4].dictionary_length);
  limits.departments = static_cast<std::size_t>(c[5].dictionary_length);
  for (std::size_t d = fixed_count; d < c.size(); ++d) {
    PassThroughColumn column;
    column.name = c[d].name;
    column.codes = column_view<std::uint32_t>(c[d], n, owner);
    saved.pass_through.push_back(std::move(column));
    limits.pass_through.push_back(static_cast<std::size_t>(c[d].dictionary_length));
  }
  const std::optional<day_t> extracted_on = parse_iso_date(fact(key_extracted_on));
  if (!extracted_on) refuse(file, "its extraction date is not a date");
  // A given day replaces the saved one before the checks: the earliest observed end depends on it.
  saved.extracted_on = options.extracted_on ? *options.extracted_on : *extracted_on;
  // One pass over the file on two threads: each block of spells is checked right after
  // it is hashed, while it is in cache; the second thread first makes the dictionaries'
  // views and checks them (it writes only the dictionaries, which the block checks do
  // not read). No value is used before the checksum matched and every check passed.
  detail::SpellFindings found[2];
  std::string dictionaries;
  const std::uint64_t sum = checksum_of(
      view,
      [&](int thread, std::size_t from, std::size_t to) {
        detail::check_spells(saved, limits, from, to, found[thread]);
      },
      [&] {
        saved.ids = dictionary_view(c[0], saved.persons, owner);
        saved.positions = dictionary_view(c[4], static_cast<std::size_t>(-1), owner);
        saved.departments = dictionary_view(c[5], static_cast<std::size_t>(-1), owner);
        for (std::size_t d = fixed_count; d < c.size(); ++d) {
          saved.pass_through[d - fixed_count].dictionary = dictionary_view(c[d], static_cast<std::size_t>(-1), owner);
        }
        dictionaries = detail::dictionary_problem(saved);
      });
  if (*stored != hex64(sum)) refuse(file, "its checksum does not match its contents (a damaged or changed file)");
  found[0].merge(found[1]);
  saved.rows_read = parse_count(fact(key_rows_read), file, "rows_read");
  const std::string& given = fact(key_given);
  if (given != "true" && given != "false") refuse(file, "its staffcast.extracted_on_given is not true or false");
  saved.extracted_on_given = given == "true";
  saved.issues = decode_issues(fact(key_issues), file);
  if (options.extracted_on) {
    // Only the extraction date's own facts depend on it: the day (set above), its warning
    // and the earliest observed end (taken by the block checks from the day).
    saved.extracted_on_given = true;
    saved.issues.remove("extraction_date_assumed");
  }
  try {
    return detail::SavedAccess::restore_checked(std::move(saved), found[0], dictionaries);
  } catch (const argument_error& e) {
    constexpr std::string_view prefix = "the saved register is not valid: ";
    std::string_view what = e.what();
    if (what.substr(0, prefix.size()) == prefix) what.remove_prefix(prefix.size());
    refuse(file, std::string(what));
  }
}

}  // namespace staffcast
