// Reading and validating the optional sick_leave table: one record per
// absence (employee_id, start_date, end_date, extent), read in two parts on
// two threads when the input is large, checked against the register's
// spells when one is given.
#include "table_reader.hpp"

#include <staffcast/detail/huge_pages.hpp>
#include <staffcast/detail/interner.hpp>
#include <staffcast/detail/parallel.hpp>
#include <staffcast/detail/record_source.hpp>
#include <staffcast/detail/sick_leave_rates.hpp>
#include <staffcast/detail/source_readers.hpp>
#include <staffcast/io/indicators.hpp>
#include <staffcast/io/sick_leave.hpp>
#include <staffcast/stats/sick_leave_rates.hpp>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <numeric>
#include <tuple>

namespace staffcast {

namespace {

using detail::tables::ColumnMap;
using detail::tables::csv_options;
using detail::tables::RowReporter;

enum SickField : std::size_t { s_employee_id, s_start_date, s_end_date, s_extent };

/// The records read by one reader (the whole input, or one part of it).
struct SickRecords {
  detail::Interner ids;
  std::vector<std::uint32_t> person, rows;
  std::vector<day_t> starts, ends;
  std::vector<std::uint8_t> extents;
  /// Lines, which are needed only for warnings, as line - row: it changes
  /// only after a record that spans lines, so it is kept as steps (from
  /// record `first` on, line = row + `shift`), not as a column of 4 bytes a
  /// record. The first record always has a step.
  struct LineStep {
    std::size_t first;
    std::int64_t shift;
  };
  std::vector<LineStep> line_steps;
  /// Every record after the one before by (person code, start, end, extent)
  /// as read: in canonical order if the codes are in key order (ids.ordered()).
  bool in_order = true;

  void add_line(std::int64_t row, std::int64_t line) {
    const std::int64_t shift = line - row;
    if (line_steps.empty() || line_steps.back().shift != shift) line_steps.push_back({rows.size(), shift});
  }
  /// The line of record `i`, whose row is `row` (what a column of static_cast<uint32_t>(line) would hold).
  [[nodiscard]] std::uint32_t line(std::size_t i, std::uint32_t row) const {
    const auto step = std::upper_bound(line_steps.begin(), line_steps.end(), i,
                                       [](std::size_t k, const LineStep& s) { return k < s.first; });
    return static_cast<std::uint32_t>(static_cast<std::int64_t>(row) + std::prev(step)->shift);
  }

  void reserve(std::size_t records) {
    ids.reserve_values(records);
    for (auto* column : {&person, &rows}) detail::reserve_on_huge_pages(*column, records);
    detail::reserve_on_huge_pages(starts, records);
    detail::reserve_on_huge_pages(ends, records);
    detail::reserve_on_huge_pages(extents, records);
  }

  /// Appends `later`'s records, rows and lines shifted, ids interned here in
  /// its order; the dates and extents are copied on a second thread when `parallel`.
  void absorb(SickRecords& later, std::int64_t row_offset, std::int64_t line_offset, bool parallel) {
    const std::size_t first = person.size();
    detail::run_both(
        parallel,
        [&] {
          const std::vector<std::uint32_t> code = ids.absorb(later.ids);
          person.reserve(person.size() + later.person.size());
          for (std::uint32_t p : later.person) person.push_back(code[p]);
          // Steps first: they index the rows before `later`'s are added.
          for (const LineStep& step : later.line_steps) {
            line_steps.push_back({rows.size() + step.first, step.shift + line_offset - row_offset});
          }
          rows.reserve(rows.size() + later.rows.size());
          for (std::uint32_t r : later.rows) rows.push_back(static_cast<std::uint32_t>(r + row_offset));
        },
        [&] {
          starts.insert(starts.end(), later.starts.begin(), later.starts.end());
          ends.insert(ends.end(), later.ends.begin(), later.ends.end());
          extents.insert(extents.end(), later.extents.begin(), later.extents.end());
        });
    // Each part in order as read, and the pair across the cut.
    auto key = [&](std::size_t i) { return std::tie(person[i], starts[i], ends[i], extents[i]); };
    in_order = in_order && later.in_order && (first == 0 || first == person.size() || !(key(first) < key(first - 1)));
    later = SickRecords();
  }
};

void read_sick_records(detail::RecordSource& source, const TableOptions& options, const ColumnMap& columns,
                       IssueList& issues, SickRecords& out) {
  detail::CsvRecord record;
  while (source.next(record)) {
    RowReporter report{issues, source.label(), columns, record};
    const std::string_view id = columns.get(record, s_employee_id);
    if (id.empty()) report.error(s_employee_id, "missing_value", "value required");
    day_t start = 0, end = 0;
    const bool has_start = report.date_to(s_start_date, columns.get(record, s_start_date), options.date_format, start);
    const bool has_end = report.date_to(s_end_date, columns.get(record, s_end_date), options.date_format, end);
    if (has_start && has_end && end < start) {
      report.error(s_end_date, "end_before_start", "end_date is before start_date", columns.get(record, s_end_date));
    }
    std::uint8_t extent = 0;
    const std::string_view extent_text = columns.get(record, s_extent);
    std::int64_t hundredths = 0;
    if (extent_text.empty()) {
      report.error(s_extent, "missing_value", "value required");
    } else {
      const auto status = detail::parse_hundredths(extent_text, options.decimal, hundredths);
      if (status == detail::DecimalStatus::not_a_number || status == detail::DecimalStatus::too_precise) {
        report.error(s_extent, "bad_number", "extent must be a decimal with at most two decimals", extent_text);
      } else if (status == detail::DecimalStatus::too_large || hundredths <= 0 || hundredths > 100) {
        report.error(s_extent, "bad_number", "extent must be in (0, 1]", extent_text);
      } else {
        extent = static_cast<std::uint8_t>(hundredths);
      }
    }
    if (!report.ok || issues.has_errors()) continue;
    const std::uint32_t code = out.ids.intern(id);
    if (out.in_order && !out.person.empty()) {
      const std::size_t last = out.person.size() - 1;
      out.in_order = !(std::tie(code, start, end, extent) <
                       std::tie(out.person[last], out.starts[last], out.ends[last], out.extents[last]));
    }
    out.person.push_back(code);
    out.starts.push_back(start);
    out.ends.push_back(end);
    out.extents.push_back(extent);
    out.add_line(record.row, record.line);  // before the row: the step indexes this record
    out.rows.push_back(static_cast<std::uint32_t>(record.row));
  }
}

/// With `input` (what `csv`, the same object as `source`, reads), the records
/// are read in two parts on two threads when the input is large enough.
SickLeaveReadResult read_sick_leave(detail::RecordSource& source, const TableOptions& options, const Register* reg,
                                    IssueList& issues, const detail::CsvInput* input = nullptr,
                                    detail::CsvRecordSource* csv = nullptr) {
  SickLeaveReadResult result;
  ColumnMap columns({"employee_id", "start_date", "end_date", "extent"}, {true, true, true, true});
  std::vector<std::string> header;
  if (!columns.map(source, options, issues, &header)) {
    result.issues = std::move(issues);
    return result;
  }
  SickRecords records;
  if (input != nullptr && csv != nullptr) {
    SickRecords later;  // outlives `parts`, whose thread fills it
    detail::TwoPartRead parts(*input, *csv, header, csv_options(options), options.max_issues);
    records.reserve(2 * parts.records_per_part());  // room for the merged records too
    later.reserve(parts.records_per_part());
    const bool merge =
        parts.run([&] { read_sick_records(source, options, columns, issues, records); },
                  [&] { read_sick_records(parts.second(), options, columns, parts.second_issues(), later); });
    if (merge) {
      records.absorb(later, parts.row_offset(), parts.line_offset(),
                     later.person.size() >= detail::parallel_finish_rows.load());
      parts.merge_issues(issues);
    }
  } else {
    read_sick_records(source, options, columns, issues, records);
  }
  detail::Interner& ids = records.ids;
  std::vector<std::uint32_t>& person = records.person;
  std::vector<std::uint32_t>& rows = records.rows;
  std::vector<day_t>& starts = records.starts;
  std::vector<day_t>& ends = records.ends;
  std::vector<std::uint8_t>& extents = records.extents;
  if (issues.has_errors()) {
    result.issues = std::move(issues);
    return result;
  }
  SickLeave table;
  const bool parallel = person.size() >= detail::parallel_finish_rows.load();
  std::vector<std::uint32_t> id_order(ids.size());
  std::iota(id_order.begin(), id_order.end(), 0U);
  auto id_before = [&](std::uint32_t a, std::uint32_t b) { return ids.values()[a] < ids.values()[b]; };
  if (!ids.ordered() && !std::is_sorted(id_order.begin(), id_order.end(), id_before)) {
    std::sort(id_order.begin(), id_order.end(), id_before);
  }
  auto before = [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(person[a], starts[a], ends[a], extents[a], rows[a]) <
           std::tie(person[b], starts[b], ends[b], extents[b], rows[b]);
  };
  const std::size_t count = person.size();
  // std::is_sorted over records [from, to) by `before`, with no index vector
  // (the permutation is built only when the records need sorting).
  auto sorted_range = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from + 1; i < to; ++i) {
      if (before(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i - 1))) return false;
    }
    return true;
  };
  std::vector<std::uint32_t> order;  // record of each table row; empty when in order (row k = record k)
  bool in_order = false, later_in_order = false;
  // The order check runs in halves, the second beside the key strings, when
  // the persons need no recoding (ids interned in sorted order) first.
  bool identity_known = ids.ordered();
  // Codes in key order and every record after the one before as read: the
  // order is known without another pass over the columns.
  const bool known_in_order = identity_known && records.in_order;
  const std::size_t order_split = parallel && identity_known ? count / 2 : count;
  // The key views (millions) are sorted on the second core while this one
  // recodes the records and checks their order.
  detail::run_both(
      parallel,
      [&] {
        std::vector<std::uint32_t> remap(id_order.size());
        bool identity = true;  // ids were interned in sorted order (a file sorted by person)
        for (std::size_t i = 0; i < id_order.size(); ++i) {
          remap[id_order[i]] = static_cast<std::uint32_t>(i);
          identity = identity && id_order[i] == i;
        }
        if (!identity) {
          for (auto& p : person) p = remap[p];
        }
        in_order = known_in_order || sorted_range(0, order_split);  // exports are usually in order already
      },
      [&] {
        // Views in sorted order of the interner's own bytes (no string is copied).
        std::vector<std::string_view> sorted;
        sorted.reserve(id_order.size());
        for (std::uint32_t code : id_order) sorted.push_back(ids.values()[code]);
        const std::size_t size = sorted.size();
        table.ids = Dictionary(std::move(sorted), size, ids.share_bytes());
        if (!identity_known) return;  // the persons are recoded on the other thread first
        // The second half, from the last record of the first (the pair across the cut counts too).
        later_in_order = known_in_order || sorted_range(order_split > 0 ? order_split - 1 : 0, count);
      });
  if (!identity_known) {
    later_in_order = sorted_range(order_split > 0 ? order_split - 1 : 0, count);
  }
  in_order = in_order && later_in_order;
  if (in_order) {
    table.person = std::move(person);
    table.start_date = std::move(starts);
    table.end_date = std::move(ends);
    table.extent = std::move(extents);
    table.source_row = std::move(rows);
  } else {
    order.resize(count);
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), before);
    table.person.reserve(order.size());
    table.start_date.reserve(order.size());
    table.end_date.reserve(order.size());
    table.extent.reserve(order.size());
    table.source_row.reserve(order.size());
    for (std::uint32_t i : order) {
      table.person.push_back(person[i]);
      table.start_date.push_back(starts[i]);
      table.end_date.push_back(ends[i]);
      table.extent.push_back(extents[i]);
      table.source_row.push_back(rows[i]);
    }
  }
  if (reg != nullptr) {
    // Union of each person's spells must cover every sick day.
    const SpellColumns& s = reg->spells();
    // Both key lists are sorted (the register's employees are its first
    // persons() ids): one merge walk finds every employee.
    const std::vector<std::uint32_t> employee_of = detail::register_persons_of(*reg, table);
    // The source row of record k (rows was moved into the table when in order).
    const std::vector<std::uint32_t>& source_rows = in_order ? table.source_row : rows;
    // Records [k_begin, k_end), warnings to `out`; both halves walk the spells in person order.
    auto check = [&](std::size_t k_begin, std::size_t k_end, IssueList& out) {
      std::vector<std::pair<day_t, day_t>> cover;
      std::size_t spell = 0;
      if (k_begin < k_end && employee_of[table.person[k_begin]] != no_code) {  // where this half's walk starts
        spell = static_cast<std::size_t>(
            std::lower_bound(s.person.begin(), s.person.end(), employee_of[table.person[k_begin]]) - s.person.begin());
      }
      std::uint32_t current = no_code;
      for (std::size_t k = k_begin; k < k_end; ++k) {
        const std::uint32_t code = employee_of[table.person[k]];
        const bool employee = code != no_code;
        if (employee && code != current) {
          current = code;
          cover.clear();
          while (spell < s.size() && s.person[spell] < current) ++spell;
          for (std::size_t j = spell; j < s.size() && s.person[j] == current; ++j) {
            if (!cover.empty() && s.start_date[j] <= cover.back().second + 1) {
              cover.back().second = std::max(cover.back().second, s.end_date[j]);
            } else {
              cover.emplace_back(s.start_date[j], s.end_date[j]);
            }
          }
        }
        // The cover is sorted, disjoint and never adjacent: only the last interval
        // starting on or before the record's first day can hold the record.
        bool inside = false;
        if (employee) {
          const day_t first = table.start_date[k];
          const auto after =
              std::upper_bound(cover.begin(), cover.end(), first,
                               [](day_t day, const std::pair<day_t, day_t>& c) { return day < c.first; });
          inside = after != cover.begin() && table.end_date[k] <= std::prev(after)->second;
        }
        if (!inside) {
          const auto raw = static_cast<std::uint32_t>(in_order ? k : order[k]);
          out.warning(source.label(), source_rows[raw], records.line(raw, source_rows[raw]), "employee_id",
                      "sick_leave_outside_employment",
                      employee ? "sick leave on days the person is not employed"
                               : "sick leave of a person who is not in the register");
        }
      }
    };
    // The second half's warnings follow the first's, as from one walk.
    const std::size_t half = parallel ? table.size() / 2 : table.size();
    IssueList later(options.max_issues);
    detail::run_both(
        parallel, [&] { check(0, half, issues); }, [&] { check(half, table.size(), later); });
    issues.append(later);
  }
  table.issues = issues;
  result.sick_leave = std::move(table);
  result.issues = std::move(issues);
  return result;
}

}  // namespace

SickLeaveReadResult try_read_sick_leave(detail::RecordSource& source, const TableOptions& options,
                                        const Register* reg) {
  IssueList issues(options.max_issues);
  return read_sick_leave(source, options, reg, issues);
}

SickLeaveReadResult try_read_sick_leave_csv(const std::string& path, const TableOptions& options, const Register* reg,
                                            const std::string& label) {
  IssueList issues(options.max_issues);
  std::error_code size_error;
  const auto bytes = std::filesystem::file_size(path, size_error);
  SickLeaveReadResult result;
  if (!size_error && detail::read_in_two_parts(bytes)) {
    const detail::CsvInput input = detail::CsvInput::file(path);
    detail::CsvRecordSource source(input.open(), label.empty() ? path : label, issues, csv_options(options));
    result = read_sick_leave(source, options, reg, issues, &input, &source);
  } else {
    const auto source = detail::csv_record_source(detail::open_file_source(path), label.empty() ? path : label, issues,
                                                  csv_options(options), size_error ? 0 : bytes);
    result = read_sick_leave(*source, options, reg, issues);
  }
  detail::release_free_memory();
  return result;
}

SickLeaveReadResult try_read_sick_leave_text(std::string_view text, const TableOptions& options, const Register* reg,
                                             std::string label) {
  IssueList issues(options.max_issues);
  detail::CsvRecordSource source(detail::memory_source(text), std::move(label), issues, csv_options(options));
  if (detail::read_in_two_parts(text.size())) {
    const detail::CsvInput input = detail::CsvInput::memory(text);
    return read_sick_leave(source, options, reg, issues, &input, &source);
  }
  return read_sick_leave(source, options, reg, issues);
}

}  // namespace staffcast
