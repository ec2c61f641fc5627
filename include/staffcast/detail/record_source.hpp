// A table of text fields, read record by record: a CSV file or in-memory columns.
#pragma once

#include <staffcast/detail/csv.hpp>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace staffcast::detail {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  /// Column names; false when there is no usable header (an issue was recorded).
  virtual bool header(std::vector<std::string>& names) = 0;
  virtual bool next(CsvRecord& record) = 0;
  [[nodiscard]] virtual const std::string& label() const = 0;
};

class CsvRecordSource final : public RecordSource {
 public:
  CsvRecordSource(std::unique_ptr<ByteSource> bytes, std::string label, IssueList& issues, CsvOptions options = {})
      : reader_(std::move(bytes), std::move(label), issues, options) {}
  bool header(std::vector<std::string>& names) override { return reader_.read_header(names); }
  bool next(CsvRecord& record) override { return reader_.next(record); }
  [[nodiscard]] const std::string& label() const override { return reader_.file_label(); }

 private:
  CsvReader reader_;
};

/// A CSV file parsed on a second thread: the reader runs ahead and hands over
/// batches of records (their fields copied into the batch), while the caller
/// validates. Everything the caller sees is the same as from CsvRecordSource:
/// the same records with the same row and line numbers, and the reader's own
/// issues (malformed records, encoding, over-long fields) are added to
/// `issues` at the same point of the sequence, just before the next record
/// handed out (or at the end), so issue order and limits do not change.
class ThreadedCsvRecordSource final : public RecordSource {
 public:
  ThreadedCsvRecordSource(std::unique_ptr<ByteSource> bytes, std::string label, IssueList& issues,
                          CsvOptions options = {});
  ThreadedCsvRecordSource(const ThreadedCsvRecordSource&) = delete;
  ThreadedCsvRecordSource& operator=(const ThreadedCsvRecordSource&) = delete;
  ~ThreadedCsvRecordSource() override;

  bool header(std::vector<std::string>& names) override;
  bool next(CsvRecord& record) override;
  [[nodiscard]] const std::string& label() const override { return reader_.file_label(); }

 private:
  struct Batch {
    std::string bytes;                      // the fields' text, back to back
    std::vector<std::size_t> field_end;     // end of each field in bytes
    std::vector<std::size_t> record_end;    // end of each record in field_end
    std::vector<std::int64_t> row, line;    // per record
    std::vector<std::size_t> issue_before;  // per issue: the records handed out before it
    std::vector<Issue> issues;              // the reader's issues, in order
    bool last = false;                      // nothing follows
    [[nodiscard]] std::size_t size() const noexcept { return row.size(); }
  };
  void produce();
  void flush_issues(std::size_t records_before);

  IssueList& issues_;
  IssueList reader_issues_;  // the reader reports here; moved into batches
  CsvReader reader_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<Batch> queue_;
  bool stop_ = false;
  std::exception_ptr failure_;
  Batch current_;
  std::size_t next_record_ = 0, next_issue_ = 0;
  bool started_ = false, done_ = false;
};

/// A CsvRecordSource, or for inputs of at least `threaded_from` bytes (when
/// known) a ThreadedCsvRecordSource on machines with more than one core.
std::unique_ptr<RecordSource> csv_record_source(std::unique_ptr<ByteSource> bytes, std::string label, IssueList& issues,
                                                CsvOptions options, std::size_t input_bytes,
                                                std::size_t threaded_from = std::size_t{1} << 20);

/// Returns the heap's free memory to the system where the C library keeps it
/// (glibc: malloc_trim), so that the temporaries of a large read do not stay
/// in the process's resident memory.
void release_free_memory() noexcept;

/// Columns of optional strings (nullopt = missing), e.g. from an Arrow table.
/// Rows are numbered as a spreadsheet would show them: the first data row is 2.
class ColumnRecordSource final : public RecordSource {
 public:
  using Column = std::vector<std::optional<std::string_view>>;
  ColumnRecordSource(std::vector<std::string> names, std::vector<Column> columns, std::string label)
      : names_(std::move(names)), columns_(std::move(columns)), label_(std::move(label)) {}

  bool header(std::vector<std::string>& names) override {
    names = names_;
    return true;
  }
  bool next(CsvRecord& record) override {
    const std::size_t rows = columns_.empty() ? 0 : columns_.front().size();
    if (next_ >= rows) return false;
    record.fields.clear();
    for (const Column& column : columns_) {
      record.fields.push_back(next_ < column.size() && column[next_] ? *column[next_] : std::string_view());
    }
    record.row = static_cast<std::int64_t>(next_) + 2;
    record.line = 0;
    ++next_;
    return true;
  }
  [[nodiscard]] const std::string& label() const override { return label_; }

 private:
  std::vector<std::string> names_;
  std::vector<Column> columns_;
  std::string label_;
  std::size_t next_ = 0;
};

}  // namespace staffcast::detail
