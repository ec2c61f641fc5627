// A streaming RFC 4180 reader: records as string views, with every problem
// reported as a validation issue rather than an exception or a crash.
#pragma once

#include <staffcast/detail/structural_scan.hpp>
#include <staffcast/register/issues.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast::detail {

struct CsvOptions {
  char separator = ',';
  std::size_t max_field_bytes = std::size_t{1} << 20;  // 1 MiB; longer is field_too_long
  std::size_t chunk_bytes = std::size_t{1} << 22;      // read size
  bool fast_path = true;  // false: every record goes through the general parser (tests compare the two)
  ScanLevel scan_level = default_scan_level();  // the structural scan's kernel (tests run each)
};

/// Where the reader takes its bytes from.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Fills up to `capacity` bytes; returns the count, 0 at end of input.
  virtual std::size_t read(char* into, std::size_t capacity) = 0;
  /// All the bytes at once when the source holds them in memory for its
  /// whole life (a mapped file): the reader then parses them in place and
  /// never calls read(). A null data() (the default): use read().
  [[nodiscard]] virtual std::string_view view() const { return {}; }
  /// False when the bytes of view() are no longer the file's: a mapped file
  /// got shorter while it was read (the pages past its new end read as zeros).
  [[nodiscard]] virtual bool intact() const noexcept { return true; }
};

std::unique_ptr<ByteSource> open_file_source(const std::string& path);  // throws io_error
std::unique_ptr<ByteSource> memory_source(std::string_view bytes);      // bytes must outlive it

/// One record; views stay valid until the next call to next().
struct CsvRecord {
  std::vector<std::string_view> fields;
  std::int64_t row = 0;   // header = 1
  std::int64_t line = 0;  // physical line where the record starts
};

/// True when `text` is valid UTF-8 without NUL bytes.
bool is_valid_utf8(std::string_view text) noexcept;
/// The length of the valid UTF-8 sequence (2-4 bytes) whose first byte (>= 0x80)
/// is at `at`, within [at, end); 0 when it is not one.
std::size_t utf8_sequence_length(const unsigned char* at, const unsigned char* end) noexcept;

class CsvReader {
 public:
  CsvReader(std::unique_ptr<ByteSource> source, std::string file_label, IssueList& issues, CsvOptions options = {});

  /// Reads the header into `header` (names, BOM stripped). False when the input
  /// is empty or the header itself is unreadable (an issue is recorded).
  bool read_header(std::vector<std::string>& header);

  /// Next well-formed data record with as many fields as the header. Malformed
  /// records are reported (malformed_csv, encoding, field_too_long) and skipped;
  /// blank lines are skipped but still numbered. False at end of input.
  bool next(CsvRecord& record);

  [[nodiscard]] std::int64_t records_read() const noexcept { return row_ - 1; }

  // ---- Reading a file in parts (see TwoPartRead in record_source.hpp) ----

  /// Makes this reader continue a file from a record boundary: no header is
  /// read and no byte-order mark looked for; rows and lines count from the
  /// start of this reader's input (the first record is row 1, on line 1).
  void continue_after(const std::vector<std::string>& header);
  /// Byte offset (from the start of this reader's input) of the next unread byte.
  [[nodiscard]] std::size_t offset() const noexcept { return base_ + pos_; }
  /// next() returns false when the next record would start exactly at byte
  /// `offset`; a record that runs across it cancels the stop (reading goes on).
  void stop_at(std::size_t offset) noexcept {
    stop_at_ = offset;
    stopped_ = false;
  }
  void clear_stop() noexcept { stop_at_ = no_stop; }
  /// True when next() returned false at the stop offset.
  [[nodiscard]] bool stopped() const noexcept { return stopped_; }
  /// True when a record ran across the stop offset.
  [[nodiscard]] bool overran() const noexcept { return overran_; }
  /// Records numbered so far (the header counts) and the physical line at offset().
  [[nodiscard]] std::int64_t row() const noexcept { return row_; }
  [[nodiscard]] std::int64_t line() const noexcept { return line_; }
  /// How many issues the reader itself has reported.
  [[nodiscard]] std::size_t issues_reported() const noexcept { return reported_; }
  [[nodiscard]] const std::string& file_label() const noexcept { return label_; }

 private:
  enum class Parse { complete, need_more, too_long };
  struct FieldSpan {
    std::size_t offset;
    std::size_t length;
    bool in_scratch;
    bool quoted;
  };

  bool fill();                           // moves the unread tail to the front and reads more
  void check_intact() const;             // throws io_error when the source's file shrank while read
  bool plain_record(CsvRecord& record);  // the fast path for a plain record (see csv.cpp)
  bool index_from_here();                // scans the structurals of the next window from pos_
  Parse parse_record();                  // parses from pos_ into spans_
  void skip_record();                    // discards the rest of an over-long record
  bool read_record(CsvRecord& record, bool header);
  void report(std::int64_t row, std::int64_t line, std::string column, std::string code, std::string message);

  std::unique_ptr<ByteSource> source_;
  std::string label_;
  IssueList& issues_;
  CsvOptions options_;
  std::vector<char> buffer_;
  const char* data_ = nullptr;  // the bytes parsed: buffer_.data(), or the source's view()
  bool view_checked_ = false;
  static constexpr std::size_t no_stop = static_cast<std::size_t>(-1);
  std::size_t base_ = 0;  // input offset of buffer_[0]
  std::size_t stop_at_ = no_stop;
  bool stopped_ = false;
  bool overran_ = false;
  std::size_t reported_ = 0;
  std::size_t pos_ = 0;  // start of unread data
  std::size_t end_ = 0;  // end of valid data
  bool eof_ = false;
  bool bom_checked_ = false;
  std::int64_t row_ = 0;      // last record number handed out
  std::int64_t line_ = 1;     // physical line at pos_
  std::size_t consumed_ = 0;  // bytes of the record being parsed
  std::int64_t record_lines_ = 0;
  bool record_malformed_ = false;
  std::string malformed_message_;
  std::vector<FieldSpan> spans_;
  std::string scratch_;
  std::vector<std::string> header_;
  std::size_t expected_fields_ = 0;
  bool fast_path_ = true;  // plain_record() may be tried (an ASCII separator other than quote, CR, LF, NUL)
  // The structural index of the window [index_from_, index_to_) of data_ (as
  // it was with base_ == index_base_), its entries from index_next_ unread.
  StructuralIndex index_;
  const char* index_data_ = nullptr;
  std::size_t index_base_ = 0, index_from_ = 0, index_to_ = 0, index_next_ = 0, index_count_ = 0;
};

}  // namespace staffcast::detail
