// A table of text fields, read record by record: a CSV file or in-memory columns.
#pragma once

#include <staffcast/detail/csv.hpp>

#include <atomic>
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
  bool next(CsvRecord& record) override {
    if (cancel_ != nullptr && cancel_->load(std::memory_order_relaxed)) return false;
    const bool more = reader_.next(record);
    if (overrun_ != nullptr && reader_.overran()) overrun_->store(true, std::memory_order_relaxed);
    return more;
  }
  [[nodiscard]] const std::string& label() const override { return reader_.file_label(); }
  [[nodiscard]] CsvReader& reader() noexcept { return reader_; }
  /// next() returns false once `*cancel` is set.
  void cancel_on(const std::atomic<bool>* cancel) noexcept { cancel_ = cancel; }
  /// Sets `*flag` when a record runs across the reader's stop offset.
  void signal_overrun(std::atomic<bool>* flag) noexcept { overrun_ = flag; }

 private:
  CsvReader reader_;
  const std::atomic<bool>* cancel_ = nullptr;
  std::atomic<bool>* overrun_ = nullptr;
};

/// A CSV input that can be opened again at any byte offset: a file, or text in memory.
class CsvInput {
 public:
  static CsvInput file(std::string path);  // throws io_error when it cannot be sized
  static CsvInput memory(std::string_view text);
  [[nodiscard]] std::unique_ptr<ByteSource> open(std::size_t offset = 0) const;
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// The offset just after the first line feed in [from, from + window), or
  /// npos when there is none.
  [[nodiscard]] std::size_t line_start_after(std::size_t from, std::size_t window = std::size_t{1} << 16,
                                             std::size_t* line_feeds = nullptr) const;

 private:
  std::string path_;
  std::string_view text_;
  bool is_file_ = false;
  std::size_t size_ = 0;
};

/// True when a read of `input_bytes` should be split over two threads: more
/// than one core, STAFFCAST_THREADS is not 1, and the input has at least
/// two_part_threshold() bytes.
bool read_in_two_parts(std::size_t input_bytes) noexcept;
/// The input size from which reads are split (1 MiB; tests lower it).
std::atomic<std::size_t>& two_part_threshold() noexcept;

/// Reads the records of a CSV input in two parts on two threads, so that
/// parsing and validation both run on both cores, with results identical to
/// one reader going through the whole input.
///
/// `first` has read the header. The second part starts at the first line
/// start after the middle of the input; it has its own reader, issue list and
/// (in the caller) its own accumulators, with rows and lines counted from the
/// part's start. The first reader stops at that offset. The second part is
/// used only when the first reader ends exactly there (the offset really is a
/// record boundary: no quoted field or record runs across it) and the second
/// reader reported no issue of its own (malformed records and over-long
/// fields are left to the one reader); otherwise the first reader simply goes
/// on to the end and the second part is discarded. Validation issues of the
/// second part are added after the first part's, rows and lines shifted.
class TwoPartRead {
 public:
  TwoPartRead(const CsvInput& input, CsvRecordSource& first, const std::vector<std::string>& header,
              const CsvOptions& options, std::size_t max_issues);
  TwoPartRead(const TwoPartRead&) = delete;
  TwoPartRead& operator=(const TwoPartRead&) = delete;
  ~TwoPartRead();

  /// False when no split point was found (one part: run() just calls `earlier`).
  [[nodiscard]] bool split() const noexcept { return second_ != nullptr; }
  /// The second part's records and issues, for the accumulator `later` uses.
  [[nodiscard]] CsvRecordSource& second() noexcept { return *second_; }
  [[nodiscard]] IssueList& second_issues() noexcept { return second_issues_; }

  /// Runs `later` (reading second()) on a thread and `earlier` (reading
  /// `first`) here. True when the second part's results are to be merged
  /// after the first's; false when `earlier` has read the whole input.
  template <class Earlier, class Later>
  bool run(Earlier earlier, Later later) {
    if (!split()) {
      earlier();
      return false;
    }
    thread_ = std::thread([this, later]() mutable {
      try {
        later();
      } catch (...) {
        failure_ = std::current_exception();
      }
    });
    earlier();
    if (!first_.reader().stopped()) {  // the first reader went past the split: it has read everything
      finish_thread(true);
      return false;
    }
    finish_thread(false);
    if (!failure_ && second_->reader().issues_reported() == 0) return true;
    first_.reader().clear_stop();  // fall back to one reader
    earlier();
    return false;
  }

  /// About how many records each part holds (from the line density around
  /// the split; 0 without a split), to reserve columns up front: growing
  /// large vectors while two threads run costs page remapping on both.
  [[nodiscard]] std::size_t records_per_part() const noexcept { return records_per_part_; }

  /// What to add to the second part's rows and lines (valid after run() returned true).
  [[nodiscard]] std::int64_t row_offset() const noexcept { return first_.reader().row(); }
  [[nodiscard]] std::int64_t line_offset() const noexcept { return first_.reader().line() - 1; }
  /// Adds the second part's issues to `issues` in order, rows and lines shifted.
  void merge_issues(IssueList& issues) const;

 private:
  void finish_thread(bool cancel);

  CsvRecordSource& first_;
  std::unique_ptr<CsvRecordSource> second_;
  IssueList second_issues_;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
  std::exception_ptr failure_;
  std::size_t records_per_part_ = 0;
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
