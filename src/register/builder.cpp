// The register builder's steps and the entry points that read a register:
// the run (header, records, finish), reading in two parts on two threads,
// and finishing the register (sorted dictionaries, canonical order, exact
// duplicates, chained service), with the pairing of moves and continuations
// (pairing.cpp) and the manager checks (managers.cpp).
#include "builder.hpp"
#include "pairing.hpp"

#include <staffcast/detail/parallel.hpp>
#include <staffcast/register/extraction.hpp>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <numeric>
#include <tuple>

namespace staffcast {

std::size_t Register::nbytes() const noexcept {
  const SpellColumns& s = spells_;
  auto bytes = [](const auto& column) { return column.nbytes(); };
  std::size_t n = bytes(s.person) + bytes(s.birth_date) + bytes(s.gender) + bytes(s.employment_form) +
                  bytes(s.position) + bytes(s.department) + bytes(s.fte) + bytes(s.start_date) + bytes(s.end_date) +
                  bytes(s.end_reason) + bytes(s.recruitment_source) + bytes(s.manager) + bytes(s.source_row) +
                  bytes(s.start_kind) + bytes(s.end_kind) + bytes(s.start_partner) + bytes(s.end_partner) +
                  bytes(s.chain_start);
  n += ids_.nbytes() + positions_.nbytes() + departments_.nbytes();
  for (const auto& column : pass_through_) n += column.dictionary.nbytes() + bytes(column.codes);
  return n;
}

std::size_t Register::employed_persons(day_t day) const noexcept {
  // Spells are sorted by person: count a person at the first spell covering the day.
  const SpellColumns& s = spells_;
  std::size_t count = 0;
  std::uint32_t last = no_code;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.person[i] == last) continue;
    if (s.start_date[i] <= day && day <= s.end_date[i]) {
      ++count;
      last = s.person[i];
    }
  }
  return count;
}

namespace {

/// Sorted dictionary from interned values (views of the interner's bytes, which it
/// hands over), and the remap from interned code to sorted code.
Dictionary sorted_dictionary(detail::Interner& interner, std::vector<std::uint32_t>& remap) {
  const auto& values = interner.values();
  std::vector<std::uint32_t> order(values.size());
  std::iota(order.begin(), order.end(), 0U);
  auto before = [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; };
  if (!std::is_sorted(order.begin(), order.end(), before)) std::sort(order.begin(), order.end(), before);
  remap.assign(values.size(), 0);
  std::vector<std::string_view> sorted;
  sorted.reserve(values.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    remap[order[i]] = static_cast<std::uint32_t>(i);
    sorted.push_back(values[order[i]]);
  }
  const std::size_t size = sorted.size();
  return Dictionary(std::move(sorted), size, interner.share_bytes());
}

template <class T>
std::vector<T> permuted(const std::vector<T>& column, const std::vector<std::uint32_t>& order) {
  std::vector<T> out;
  out.reserve(order.size());
  for (std::uint32_t i : order) out.push_back(column[i]);
  return out;
}

/// permuted(column, order), or, when every row stays in place (a file in
/// canonical order without duplicates; `order` is then empty), `column` itself
/// if its spare capacity is small (the two-part read reserves close to the
/// size; a vector grown by doubling is copied to its size instead).
template <class T>
std::vector<T> kept_rows(std::vector<T>& column, const std::vector<std::uint32_t>& order, bool in_place) {
  if (!in_place) return permuted(column, order);
  if (column.capacity() - column.size() <= column.size() / 16) return std::move(column);
  return std::vector<T>(column.begin(), column.end());
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

// At most 80 bytes of the value as it is shown (control bytes already escaped, so
// the escapes count), cut between characters and never inside an escape.
std::string shown(std::string_view value) {
  constexpr std::size_t limit = 80;
  std::string text = printable(value);
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) --cut;  // keep UTF-8 whole
  for (std::size_t back = 1; back <= 5 && back <= cut; ++back) {                      // "\x1b" is 4 bytes, "\u009b" 6
    const std::size_t at = cut - back;
    if (text[at] == '\\' && at + 1 < text.size() && (text[at + 1] == 'x' || text[at + 1] == 'u')) {
      const std::size_t length = text[at + 1] == 'x' ? 4 : 6;
      if (at + length > cut) cut = at;
      break;
    }
  }
  text.resize(cut);
  return text + "...";
}

}  // namespace

RegisterReadResult RegisterBuilder::run(const detail::CsvInput* input, detail::CsvRecordSource* csv) {
  RegisterReadResult result;
  if (map_header()) {
    if (input != nullptr && csv != nullptr) {
      read_rows_in_parts(*input, *csv);
    } else {
      read_rows();
    }
    report_swapped_columns();
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
  if (result.register_) {
    detail::note_assumed_extraction(*result.register_, issues_, source_.label());
    result.register_->issues_ = issues_;
  }
  result.issues = std::move(issues_);
  return result;
}

void RegisterBuilder::error(std::int64_t row, std::int64_t line, std::size_t field, std::string code,
                            std::string message, std::string_view value) {
  issues_.error(source_.label(), row, line, column_label(field), std::move(code), std::move(message),
                sensitive(field) ? std::string() : shown(value));
}

void RegisterBuilder::field_warning(std::int64_t row, std::int64_t line, std::size_t field, std::string code,
                                    std::string message, std::string_view value) {
  issues_.warning(source_.label(), row, line, column_label(field), std::move(code), std::move(message),
                  sensitive(field) ? std::string() : shown(value));
}

void RegisterBuilder::read_rows_in_parts(const detail::CsvInput& input, detail::CsvRecordSource& csv) {
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

void RegisterBuilder::reserve(std::size_t spells) {
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

void RegisterBuilder::adopt_mapping(const RegisterBuilder& first) {
  header_ = first.header_;
  index_ = first.index_;
  file_names_ = first.file_names_;
  code_maps_ = first.code_maps_;
  dimension_index_ = first.dimension_index_;
  open_end_ = first.open_end_;
  defaults_ = first.defaults_;
  missing_ = first.missing_;
  swap_watch_ = first.swap_watch_;
  raw_.pass_through.resize(first.raw_.pass_through.size());
  dimension_interners_.resize(first.dimension_interners_.size());
}

void RegisterBuilder::absorb(RegisterBuilder& later, std::int64_t row_offset, std::int64_t line_offset) {
  rows_read_ += later.rows_read_;
  for (std::size_t f = 0; f < field_count; ++f) {
    swap_watch_[f] = swap_watch_[f] && later.swap_watch_[f];
    swap_bad_[f] += later.swap_bad_[f];
  }
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

void RegisterBuilder::finish(Register& reg) {
  reg.rows_read_ = rows_read_;
  // Dictionaries: employees first (sorted), then manager ids that are not employees (sorted).
  const auto& id_values = ids_.values();
  const std::size_t persons = id_values.size();
  // Interned in ascending order (a file sorted by person): codes are already
  // the sorted order, and neither an order nor a remap is built.
  const bool identity = ids_.ordered();
  std::vector<std::uint32_t> order;
  if (!identity) {
    order.resize(persons);
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return id_values[a] < id_values[b]; });
  }
  const auto& manager_values = managers_.values();
  std::vector<std::uint32_t> manager_remap(manager_values.size(), no_code);
  // Each manager id looked up among the employees' (on both cores: tens of
  // thousands of searches among millions of keys).
  auto look_up = [&](std::size_t from, std::size_t to) {
    for (std::size_t m = from; m < to; ++m) {
      const std::uint32_t code = ids_.find(manager_values[m]);
      if (code != detail::Interner::npos) manager_remap[m] = code;  // an interned code for now, remapped below
    }
  };
  const std::size_t managers = manager_values.size();
  detail::run_both(
      managers >= detail::parallel_finish_rows.load() / 8, [&] { look_up(0, managers / 2); },
      [&] { look_up(managers / 2, managers); });
  std::vector<std::uint32_t> others;  // manager codes that are no employee's id
  for (std::uint32_t m = 0; m < managers; ++m) {
    if (manager_remap[m] == no_code) others.push_back(m);
  }
  std::sort(others.begin(), others.end(),
            [&](std::uint32_t a, std::uint32_t b) { return manager_values[a] < manager_values[b]; });
  std::vector<std::uint32_t> id_remap;
  if (!identity) {
    id_remap.resize(persons);
    for (std::size_t i = 0; i < persons; ++i) id_remap[order[i]] = static_cast<std::uint32_t>(i);
    for (std::uint32_t m = 0; m < managers; ++m) {
      if (manager_remap[m] != no_code) manager_remap[m] = id_remap[manager_remap[m]];
    }
  }
  for (std::size_t k = 0; k < others.size(); ++k) manager_remap[others[k]] = static_cast<std::uint32_t>(persons + k);
  reg.persons_ = persons;
  // The key views (millions) are put in order on the second core while this one
  // recodes, sorts and pairs the spells.
  const std::size_t n = raw_.person.size();
  detail::run_both(
      n >= detail::parallel_finish_rows.load(), [&] { finish_spells(reg, id_remap, identity, manager_remap); },
      [&] {
        std::vector<std::string_view> sorted_ids;
        sorted_ids.reserve(persons + others.size());
        if (identity) {
          sorted_ids.insert(sorted_ids.end(), id_values.begin(), id_values.end());
        } else {
          for (std::uint32_t code : order) sorted_ids.push_back(id_values[code]);
        }
        for (std::uint32_t m : others) sorted_ids.push_back(manager_values[m]);
        auto bytes = std::make_shared<std::pair<std::shared_ptr<const void>, std::shared_ptr<const void>>>(
            ids_.share_bytes(), managers_.share_bytes());
        reg.ids_ = Dictionary(std::move(sorted_ids), persons, std::move(bytes));
      });
  SpellColumns& s = reg.spells_;
  // Moves and continuations in two parts of the persons, the second after the
  // manager chains on the second core (the cut puts about as much work on
  // each); the warnings in the order of one pass, the managers' after.
  // The spells, not the raw rows: duplicate rows are gone by now.
  detail::Pairing pairing = detail::prepare_pairing(s);
  const std::size_t spells = s.size();
  const bool parallel = spells >= detail::parallel_finish_rows.load();
  std::size_t cut = parallel ? spells * 4 / 5 : spells;
  while (cut > 0 && cut < spells && s.person[cut] == s.person[cut - 1]) ++cut;  // at a person's first spell
  IssueList later_pairing(options_.max_issues), manager_issues(options_.max_issues);
  auto pair = [&](std::size_t from, std::size_t to, IssueList& into) {
    detail::pair_persons(s, pairing, from, to,
                         [&](std::size_t i, std::string column, std::string code, std::string message) {
                           warning(into, i, std::move(column), std::move(code), std::move(message));
                         });
  };
  detail::run_both(
      parallel, [&] { pair(0, cut, issues_); },
      [&] {
        check_managers(reg, manager_issues);
        pair(cut, spells, later_pairing);
      });
  issues_.append(later_pairing);
  pairing.move_into(s);
  issues_.append(manager_issues);
}

void RegisterBuilder::finish_spells(Register& reg, const std::vector<std::uint32_t>& id_remap, bool identity,
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
  // Canonical order: file order never decides anything. Rows that agree on
  // everything but their row number are exact duplicates.
  // Field by field, not key(a) < key(b): rows of different persons or start
  // days (nearly all pairs) are told apart by the first loads.
  auto compare = [&](std::uint32_t a, std::uint32_t b) {
    const RawColumns& r = raw_;
    auto by = [a, b](const auto& column) { return column[a] == column[b] ? 0 : column[a] < column[b] ? -1 : 1; };
    int c = by(r.person);
    if (c == 0) c = by(r.start);
    if (c == 0) c = by(r.end);
    if (c == 0) c = by(r.form);
    if (c == 0) c = by(r.department);
    if (c == 0) c = by(r.position);
    if (c == 0) c = by(r.fte);
    if (c == 0) c = by(r.reason);
    if (c == 0) c = by(r.source);
    if (c == 0) c = by(r.manager);
    if (c == 0) c = by(r.birth);
    if (c == 0) c = by(r.gender);
    if (c != 0) return c;
    for (const auto& column : raw_.pass_through) {
      if (column[a] != column[b]) return column[a] < column[b] ? -1 : 1;
    }
    return 0;
  };
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    const int c = compare(a, b);
    return c != 0 ? c < 0 : raw_.source_row[a] < raw_.source_row[b];
  };
  // One pass in two halves, one per core: each row recoded, then compared with
  // the row before (file order is usually canonical order already; rows are in
  // ascending row numbers, so an equal row is a duplicate in order), and the
  // dates the register keeps track of. The pair across the cut is compared after.
  struct Part {
    bool in_order = true;
    std::vector<std::uint32_t> duplicates;  // rows equal to the row before
    day_t earliest_start = std::numeric_limits<day_t>::max(), latest_start = std::numeric_limits<day_t>::min();
    day_t latest_date = std::numeric_limits<day_t>::min(), earliest_closed_end = std::numeric_limits<day_t>::max();
  };
  auto pass = [&](std::size_t from, std::size_t to, Part& part) {
    for (std::size_t i = from; i < to; ++i) {
      if (!identity) raw_.person[i] = id_remap[raw_.person[i]];
      raw_.position[i] = position_remap[raw_.position[i]];
      raw_.department[i] = department_remap[raw_.department[i]];
      if (raw_.manager[i] != no_code) raw_.manager[i] = manager_remap[raw_.manager[i]];
      for (std::size_t d = 0; d < dimension_remaps.size(); ++d) {
        raw_.pass_through[d][i] = dimension_remaps[d][raw_.pass_through[d][i]];
      }
      const day_t start = raw_.start[i], end = raw_.end[i];
      part.earliest_start = std::min(part.earliest_start, start);
      part.latest_start = std::max(part.latest_start, start);
      part.latest_date = std::max(part.latest_date, end == open_end_day ? start : end);
      if (end != open_end_day) part.earliest_closed_end = std::min(part.earliest_closed_end, end);
      if (i == from || !part.in_order) continue;
      const int c = compare(static_cast<std::uint32_t>(i - 1), static_cast<std::uint32_t>(i));
      if (c > 0) part.in_order = false;
      if (c == 0) part.duplicates.push_back(static_cast<std::uint32_t>(i));
    }
  };
  const std::size_t half = n / 2;
  Part first, second;
  detail::run_both(
      n >= detail::parallel_finish_rows.load(), [&] { pass(0, half, first); }, [&] { pass(half, n, second); });
  bool in_order = first.in_order && second.in_order;
  if (in_order && half > 0 && half < n) {
    const int c = compare(static_cast<std::uint32_t>(half - 1), static_cast<std::uint32_t>(half));
    if (c > 0) in_order = false;
    if (c == 0) first.duplicates.push_back(static_cast<std::uint32_t>(half));
  }
  std::vector<std::uint32_t> kept;  // the rows kept, in canonical order (unless in order without duplicates)
  if (in_order) {
    // Exact duplicates: keep the first in file order.
    std::vector<std::uint32_t>& duplicates = first.duplicates;
    duplicates.insert(duplicates.end(), second.duplicates.begin(), second.duplicates.end());
    if (!duplicates.empty()) {
      kept.reserve(n - duplicates.size());
      std::size_t next = 0;
      std::uint32_t run_first = 0;
      for (std::uint32_t i = 0; i < n; ++i) {
        if (next < duplicates.size() && duplicates[next] == i) {
          if (next == 0 || duplicates[next - 1] != i - 1) run_first = i - 1;
          ++next;
          issues_.warning(source_.label(), raw_.source_row[i], raw_.source_line[i], {}, "duplicate_row",
                          "exact duplicate of row " + std::to_string(raw_.source_row[run_first]) + "; counted once");
          continue;
        }
        kept.push_back(i);
      }
    }
  } else {
    std::vector<std::uint32_t> rows(n);
    std::iota(rows.begin(), rows.end(), 0U);
    std::sort(rows.begin(), rows.end(), before);
    // Exact duplicates are adjacent now: keep the first in file order.
    kept.reserve(n);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (!kept.empty() && key(kept.back()) == key(rows[k]) && same_dimensions(kept.back(), rows[k])) {
        issues_.warning(source_.label(), raw_.source_row[rows[k]], raw_.source_line[rows[k]], {}, "duplicate_row",
                        "exact duplicate of row " + std::to_string(raw_.source_row[kept.back()]) + "; counted once");
        continue;
      }
      kept.push_back(rows[k]);
    }
  }
  if (n > 0) {
    reg.earliest_start_ = std::min(first.earliest_start, second.earliest_start);
    reg.latest_start_ = std::max(first.latest_start, second.latest_start);
    reg.latest_date_ = std::max(first.latest_date, second.latest_date);
    const day_t closed = std::min(first.earliest_closed_end, second.earliest_closed_end);
    if (closed != std::numeric_limits<day_t>::max()) reg.earliest_closed_end_ = closed;
  }
  reg.earliest_closed_end_known_ = true;

  SpellColumns& s = reg.spells_;
  const bool in_place = in_order && kept.empty();
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
  spell_rows_ = s.source_row.to_vector();
  spell_lines_ = kept_rows(raw_.source_line, kept, in_place);
  for (std::size_t d = 0; d < raw_.pass_through.size(); ++d) {
    reg.pass_through_[d].codes = kept_rows(raw_.pass_through[d], kept, in_place);
  }
  raw_ = RawColumns();
  reg.set_extraction_date(options_.extracted_on, options_.today ? *options_.today : today_utc());
}

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

Register read_register_csv(const std::string& path, const RegisterOptions& options) {
  RegisterReadResult result = try_read_register_csv(path, options);
  if (!result.register_) throw validation_error(std::move(result.issues));
  return std::move(*result.register_);
}

}  // namespace staffcast
