// Reading CSV records on a second thread: a producer parses batches of
// records ahead while the caller consumes them (the record source large
// inputs get), and the choice between it and the plain source.
#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/record_source.hpp>

#include <cstdlib>
#include <cstring>
#include <thread>

namespace staffcast::detail {

namespace {
constexpr std::size_t batch_records = 8192;
constexpr std::size_t batch_issues = 256;  // bounds the memory a file full of bad records can take
constexpr std::size_t queued_batches = 4;
constexpr std::size_t unlimited_issues = std::size_t{1} << 62;
}  // namespace

ThreadedCsvRecordSource::ThreadedCsvRecordSource(std::unique_ptr<ByteSource> bytes, std::string label,
                                                 IssueList& issues, CsvOptions options)
    : issues_(issues),
      reader_issues_(unlimited_issues),
      reader_(std::move(bytes), std::move(label), reader_issues_, options) {}

ThreadedCsvRecordSource::~ThreadedCsvRecordSource() {
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    space_.notify_all();
    thread_.join();
  }
}

void ThreadedCsvRecordSource::flush_issues(std::size_t records_before) {
  while (next_issue_ < current_.issues.size() && current_.issue_before[next_issue_] <= records_before) {
    issues_.add(std::move(current_.issues[next_issue_++]));
  }
}

bool ThreadedCsvRecordSource::header(std::vector<std::string>& names) {
  const bool ok = reader_.read_header(names);
  for (const Issue& issue : reader_issues_.items()) issues_.add(issue);
  reader_issues_ = IssueList(unlimited_issues);
  if (ok && !started_) {
    started_ = true;
    thread_ = std::thread([this] { produce(); });
  }
  return ok;
}

void ThreadedCsvRecordSource::produce() {
  try {
    CsvRecord record;
    for (;;) {
      Batch batch;
      bool more = true;
      while (batch.size() < batch_records && batch.issues.size() < batch_issues) {
        more = reader_.next(record);
        // Issues the reader found before this record (or before the end).
        for (const Issue& issue : reader_issues_.items()) {
          batch.issue_before.push_back(batch.size());
          batch.issues.push_back(issue);
        }
        if (!reader_issues_.empty()) reader_issues_ = IssueList(unlimited_issues);
        if (!more) break;
        for (std::string_view field : record.fields) {
          batch.bytes.append(field.data(), field.size());
          batch.field_end.push_back(batch.bytes.size());
        }
        batch.record_end.push_back(batch.field_end.size());
        batch.row.push_back(record.row);
        batch.line.push_back(record.line);
      }
      batch.last = !more;
      std::unique_lock<std::mutex> lock(mutex_);
      space_.wait(lock, [&] { return stop_ || queue_.size() < queued_batches; });
      if (stop_) return;
      queue_.push_back(std::move(batch));
      lock.unlock();
      ready_.notify_one();
      if (!more) return;
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    failure_ = std::current_exception();
    Batch end;
    end.last = true;
    queue_.push_back(std::move(end));
    ready_.notify_one();
  }
}

bool ThreadedCsvRecordSource::next(CsvRecord& record) {
  if (!started_) return false;
  for (;;) {
    if (next_record_ < current_.size()) {
      flush_issues(next_record_);
      const std::size_t r = next_record_++;
      const std::size_t first_field = r == 0 ? 0 : current_.record_end[r - 1];
      record.fields.clear();
      for (std::size_t f = first_field; f < current_.record_end[r]; ++f) {
        const std::size_t from = f == 0 ? 0 : current_.field_end[f - 1];
        record.fields.emplace_back(current_.bytes.data() + from, current_.field_end[f] - from);
      }
      record.row = current_.row[r];
      record.line = current_.line[r];
      return true;
    }
    flush_issues(current_.size());
    if (done_ || current_.last) {
      done_ = true;
      return false;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !queue_.empty(); });
    current_ = std::move(queue_.front());
    queue_.pop_front();
    const std::exception_ptr failure = current_.last ? failure_ : nullptr;
    lock.unlock();
    space_.notify_one();
    next_record_ = next_issue_ = 0;
    if (failure) std::rethrow_exception(failure);
  }
}

std::unique_ptr<RecordSource> csv_record_source(std::unique_ptr<ByteSource> bytes, std::string label, IssueList& issues,
                                                CsvOptions options, std::size_t input_bytes,
                                                std::size_t threaded_from) {
  // STAFFCAST_THREADS=1 keeps reading on one thread (profiling, comparisons).
  const char* threads = std::getenv("STAFFCAST_THREADS");
  const bool single = threads != nullptr && std::strcmp(threads, "1") == 0;
  if (!single && input_bytes >= threaded_from && std::thread::hardware_concurrency() > 1) {
    return std::make_unique<ThreadedCsvRecordSource>(std::move(bytes), std::move(label), issues, options);
  }
  return std::make_unique<CsvRecordSource>(std::move(bytes), std::move(label), issues, options);
}

}  // namespace staffcast::detail
