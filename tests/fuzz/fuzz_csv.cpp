// libFuzzer target: the streaming RFC 4180 reader (staffcast::detail::CsvReader)
// over arbitrary bytes.
//
// Input layout: byte 0 chooses the options, byte 1 is a parameter, the rest is
// the file.
//   byte 0 bits 0-1  separator: ',' ';' '\t' or byte 1 (any byte, as Python's
//                    `sep=` accepts any single character)
//   byte 0 bits 2-5  seed of the short-read pattern (reads of 1..16 bytes)
//   byte 0 bit 6     small max_field_bytes ((byte 1 & 63) + 1) to reach the
//                    field_too_long paths with small inputs
//
// Oracles, besides ASan/UBSan: every record has as many fields as the header,
// every field is valid UTF-8 without NUL and no longer than the limit, row and
// line numbers increase, issues carry only the reader's codes, and the result
// (records, row and line numbers, issues) is the same whether the bytes arrive
// all at once, in 1 KiB chunks or in short reads of 1..16 bytes, as from a pipe,
// through the threaded source, or read in two parts on two threads (TwoPartRead),
// with or without the fast path for plain records, parsed in place, and with
// every structural-scan kernel the CPU has.
#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/record_source.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

using staffcast::IssueList;
using staffcast::Severity;
using namespace staffcast::detail;

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "fuzz_csv invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

#define FUZZ_CHECK(cond, ...)                           \
  do {                                                  \
    if (!(cond)) fail(#cond, std::string(__VA_ARGS__)); \
  } while (0)

/// Hands out at most a few bytes per read, in a pattern fixed by `seed`.
class ShortReadSource final : public ByteSource {
 public:
  ShortReadSource(std::string_view bytes, unsigned seed) : bytes_(bytes), state_(seed * 2654435761U + 1U) {}
  std::size_t read(char* into, std::size_t capacity) override {
    state_ = state_ * 1103515245U + 12345U;
    const std::size_t step = 1 + ((state_ >> 16) % 16);
    const std::size_t n = std::min({capacity, step, bytes_.size() - offset_});
    if (n > 0) std::memcpy(into, bytes_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t offset_ = 0;
  unsigned state_;
};

/// Holds the bytes for its whole life and offers them as a view, as a mapped
/// file does: the reader parses them in place (ASan sees any read past the end).
class ViewSource final : public ByteSource {
 public:
  explicit ViewSource(std::string_view bytes) : bytes_(bytes) {}
  std::size_t read(char*, std::size_t) override { fail("read() on a view source"); }
  [[nodiscard]] std::string_view view() const override { return bytes_; }

 private:
  std::string_view bytes_;
};

struct Outcome {
  bool header_ok = false;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> row_numbers, line_numbers;
  std::vector<std::string> issues;  // "code row line column"
  std::int64_t records_read = 0;
};

std::string describe(const Outcome& o) {
  std::string text = "header_ok=" + std::to_string(o.header_ok) + " header=" + std::to_string(o.header.size()) +
                     " rows=" + std::to_string(o.rows.size());
  for (std::size_t i = 0; i < o.rows.size(); ++i) {
    text += "\n  row " + std::to_string(o.row_numbers[i]) + " line " + std::to_string(o.line_numbers[i]) + ":";
    for (const auto& f : o.rows[i]) text += " [" + f + "]";
  }
  for (const auto& issue : o.issues) text += "\n  issue " + issue;
  return text;
}

Outcome run(std::unique_ptr<ByteSource> source, const CsvOptions& options, std::size_t input_size) {
  Outcome out;
  IssueList issues;
  CsvReader reader(std::move(source), "fuzz.csv", issues, options);
  out.header_ok = reader.read_header(out.header);
  if (out.header_ok) {
    CsvRecord record;
    std::size_t calls = 0;
    while (reader.next(record)) {
      // Every record consumes at least one byte: more calls means a loop.
      FUZZ_CHECK(++calls <= input_size + 1, "reader does not terminate");
      FUZZ_CHECK(record.fields.size() == out.header.size());
      std::vector<std::string> fields;
      for (std::string_view field : record.fields) {
        FUZZ_CHECK(field.size() <= options.max_field_bytes);
        FUZZ_CHECK(is_valid_utf8(field));
        fields.emplace_back(field);
      }
      FUZZ_CHECK(record.row >= 2);
      FUZZ_CHECK(record.line >= record.row, "a record cannot start before its row number");
      if (!out.row_numbers.empty()) {
        FUZZ_CHECK(record.row > out.row_numbers.back());
        FUZZ_CHECK(record.line > out.line_numbers.back());
      }
      out.rows.push_back(std::move(fields));
      out.row_numbers.push_back(record.row);
      out.line_numbers.push_back(record.line);
    }
    // Reading past the end stays at the end.
    FUZZ_CHECK(!reader.next(record));
  } else {
    FUZZ_CHECK(issues.has_errors(), "an unreadable header must be reported");
  }
  out.records_read = reader.records_read();  // row_ - 1: -1 when there was no record at all
  FUZZ_CHECK(out.records_read >= static_cast<std::int64_t>(out.rows.size()) ||
             (!out.header_ok && out.records_read == -1));
  for (const std::string& name : out.header) FUZZ_CHECK(is_valid_utf8(name));
  FUZZ_CHECK(issues.size() <= issues.error_count() + issues.warning_count());
  for (const auto& issue : issues.items()) {
    FUZZ_CHECK(issue.severity == Severity::error);
    FUZZ_CHECK(issue.code == "malformed_csv" || issue.code == "encoding" || issue.code == "field_too_long", issue.code);
    FUZZ_CHECK(issue.row >= 1 && issue.line >= issue.row);
    FUZZ_CHECK(issue.value.empty());
    out.issues.push_back(issue.code + " " + std::to_string(issue.row) + " " + std::to_string(issue.line) + " " +
                         issue.column);
  }
  return out;
}

/// The same input through the threaded record source (the reader on a second thread).
Outcome run_threaded(std::string_view bytes, const CsvOptions& options) {
  Outcome out;
  IssueList issues;
  {
    ThreadedCsvRecordSource source(memory_source(bytes), "fuzz.csv", issues, options);
    out.header_ok = source.header(out.header);
    if (out.header_ok) {
      CsvRecord record;
      while (source.next(record)) {
        out.rows.emplace_back(record.fields.begin(), record.fields.end());
        out.row_numbers.push_back(record.row);
        out.line_numbers.push_back(record.line);
      }
      FUZZ_CHECK(!source.next(record));
    }
  }
  for (const auto& issue : issues.items()) {
    out.issues.push_back(issue.code + " " + std::to_string(issue.row) + " " + std::to_string(issue.line) + " " +
                         issue.column);
  }
  return out;
}

/// The same input read in two parts on two threads (TwoPartRead), the second
/// part's records and issues shifted and appended as the readers merge them.
Outcome run_two_part(std::string_view bytes, const CsvOptions& options) {
  Outcome out;
  IssueList issues;
  const CsvInput input = CsvInput::memory(bytes);
  CsvRecordSource first(input.open(), "fuzz.csv", issues, options);
  out.header_ok = first.header(out.header);
  IssueList merged;
  if (out.header_ok) {
    Outcome later;
    TwoPartRead parts(input, first, out.header, options, 10000);
    auto collect = [](RecordSource& source, Outcome& into) {
      CsvRecord record;
      while (source.next(record)) {
        into.rows.emplace_back(record.fields.begin(), record.fields.end());
        into.row_numbers.push_back(record.row);
        into.line_numbers.push_back(record.line);
      }
    };
    if (parts.run([&] { collect(first, out); }, [&] { collect(parts.second(), later); })) {
      for (std::size_t k = 0; k < later.rows.size(); ++k) {
        out.rows.push_back(later.rows[k]);
        out.row_numbers.push_back(later.row_numbers[k] + parts.row_offset());
        out.line_numbers.push_back(later.line_numbers[k] + parts.line_offset());
      }
      parts.merge_issues(merged);
    }
  }
  for (const IssueList* list : {&issues, &merged}) {
    for (const auto& issue : list->items()) {
      out.issues.push_back(issue.code + " " + std::to_string(issue.row) + " " + std::to_string(issue.line) + " " +
                           issue.column);
    }
  }
  return out;
}

void compare(const Outcome& a, const Outcome& b, const char* what) {
  const bool same = a.header_ok == b.header_ok && a.header == b.header && a.rows == b.rows &&
                    a.row_numbers == b.row_numbers && a.line_numbers == b.line_numbers && a.issues == b.issues;
  if (!same) fail(what, "\n--- whole input:\n" + describe(a) + "\n--- chunked:\n" + describe(b));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t mode = data[0];
  const std::uint8_t param = data[1];
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 2, size - 2);

  CsvOptions options;
  constexpr char separators[] = {',', ';', '\t'};
  options.separator = (mode & 3U) == 3U ? static_cast<char>(param) : separators[mode & 3U];
  const bool small_fields = (mode & 0x40U) != 0;
  if (small_fields) options.max_field_bytes = (param & 63U) + 1;

  // Reference: the whole input in one read.
  CsvOptions whole = options;
  whole.chunk_bytes = bytes.size() + 1024;
  const Outcome reference = run(memory_source(bytes), whole, bytes.size());

  // Smallest buffer (the reader rounds chunk_bytes up to 1 KiB): refills and growth.
  CsvOptions small = options;
  small.chunk_bytes = 1;
  const Outcome chunked = run(memory_source(bytes), small, bytes.size());

  // Short reads of 1..16 bytes, as a pipe or a Python file object may deliver.
  const Outcome trickled = run(std::make_unique<ShortReadSource>(bytes, (mode >> 2U) & 15U), small, bytes.size());

  // The threaded source hands out the same records, numbers and issues.
  compare(reference, run_threaded(bytes, whole), "the threaded source differs from the reader");
  // So does a read in two parts, wherever the middle of the input falls.
  compare(reference, run_two_part(bytes, whole), "the two-part read differs from the reader");

  // The fast path for plain records changes nothing: the general parser alone
  // gives the same, whole or in small chunks; so does parsing in place.
  CsvOptions general = whole;
  general.fast_path = false;
  compare(reference, run(memory_source(bytes), general, bytes.size()), "the fast path differs from the general parser");
  CsvOptions general_small = small;
  general_small.fast_path = false;
  compare(chunked, run(memory_source(bytes), general_small, bytes.size()),
          "the fast path differs from the general parser in small chunks");
  // libFuzzer's input is an exact-size allocation: ASan catches a read past its end.
  compare(reference, run(std::make_unique<ViewSource>(bytes), whole, bytes.size()),
          "parsing in place differs from reading");
  // Every structural-scan kernel this CPU runs (the scalar one always) finds
  // the same structurals: the same result, in place and in small chunks.
  for (const ScanLevel level : {ScanLevel::scalar, ScanLevel::sse42, ScanLevel::avx2, ScanLevel::avx512}) {
    if (!scan_level_supported(level)) continue;
    CsvOptions kernel = whole;
    kernel.scan_level = level;
    compare(reference, run(std::make_unique<ViewSource>(bytes), kernel, bytes.size()),
            "a structural-scan kernel differs from the default one");
    kernel.chunk_bytes = 1;
    compare(chunked, run(memory_source(bytes), kernel, bytes.size()),
            "a structural-scan kernel differs in small chunks");
  }

  if (!small_fields) {
    compare(reference, chunked, "result depends on the buffer size");
    compare(reference, trickled, "result depends on short reads");
  }
  return 0;
}
