// Reading a large input in two parts on two threads: the split at a line
// start near the middle, the second part's reader, and its issues merged
// back with rows and lines shifted.
#include "file_source.hpp"

#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/record_source.hpp>
#include <staffcast/error.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

namespace staffcast::detail {

CsvInput CsvInput::file(std::string path) {
  CsvInput input;
  std::error_code error;
  const auto bytes = std::filesystem::file_size(path, error);
  if (error) throw io_error("cannot open " + path + ": " + error.message());
  input.path_ = std::move(path);
  input.is_file_ = true;
  input.size_ = static_cast<std::size_t>(bytes);
  return input;
}

CsvInput CsvInput::memory(std::string_view text) {
  CsvInput input;
  input.text_ = text;
  input.size_ = text.size();
  return input;
}

std::unique_ptr<ByteSource> CsvInput::open(std::size_t offset) const {
  if (is_file_) return std::make_unique<FileSource>(path_, offset, true);
  return memory_source(text_.substr(std::min(offset, text_.size())));
}

std::size_t CsvInput::line_start_after(std::size_t from, std::size_t window, std::size_t* line_feeds) const {
  if (from >= size_) return std::string::npos;
  std::string bytes(std::min(window, size_ - from), '\0');
  // A small window: read, not mapped.
  const std::unique_ptr<ByteSource> source = is_file_ ? std::make_unique<FileSource>(path_, from, false) : open(from);
  std::size_t got = 0;
  while (got < bytes.size()) {
    const std::size_t n = source->read(bytes.data() + got, bytes.size() - got);
    if (n == 0) break;
    got += n;
  }
  if (line_feeds != nullptr) *line_feeds = static_cast<std::size_t>(std::count(bytes.data(), bytes.data() + got, '\n'));
  const void* hit = std::memchr(bytes.data(), '\n', got);
  if (hit == nullptr) return std::string::npos;
  return from + static_cast<std::size_t>(static_cast<const char*>(hit) - bytes.data()) + 1;
}

std::atomic<std::size_t>& two_part_threshold() noexcept {
  static std::atomic<std::size_t> threshold{std::size_t{1} << 20};
  return threshold;
}

bool read_in_two_parts(std::size_t input_bytes) noexcept {
  const char* threads = std::getenv("STAFFCAST_THREADS");
  const bool single = threads != nullptr && std::strcmp(threads, "1") == 0;
  return !single && input_bytes >= two_part_threshold().load() && std::thread::hardware_concurrency() > 1;
}

TwoPartRead::TwoPartRead(const CsvInput& input, CsvRecordSource& first, const std::vector<std::string>& header,
                         const CsvOptions& options, std::size_t max_issues)
    : first_(first), second_issues_(max_issues) {
  const std::size_t start = first.reader().offset();  // just after the header
  const std::size_t middle = std::max(start, input.size() / 2);
  constexpr std::size_t window = std::size_t{1} << 16;
  std::size_t line_feeds = 0;
  const std::size_t split = input.line_start_after(middle, window, &line_feeds);
  if (split == std::string::npos || split >= input.size() || split <= start) return;
  const std::size_t sampled = std::min(window, input.size() - middle);
  // A record has at least a separator per field after the first and a line end.
  const double per_byte =
      std::min(static_cast<double>(line_feeds) / static_cast<double>(std::max<std::size_t>(sampled, 1)),
               1.0 / static_cast<double>(std::max<std::size_t>(header.size(), 1)));
  records_per_part_ = static_cast<std::size_t>(per_byte * 1.05 * static_cast<double>(input.size() - start) / 2) + 16;
  second_ = std::make_unique<CsvRecordSource>(input.open(split), first.label(), second_issues_, options);
  second_->reader().continue_after(header);
  second_->cancel_on(&cancel_);
  first_.signal_overrun(&cancel_);  // a record across the split: the second part is of no use
  first_.reader().stop_at(split);
}

TwoPartRead::~TwoPartRead() {
  if (thread_.joinable()) finish_thread(true);
  first_.signal_overrun(nullptr);
  first_.reader().clear_stop();
}

void TwoPartRead::finish_thread(bool cancel) {
  if (cancel) cancel_.store(true);
  if (thread_.joinable()) thread_.join();
}

void TwoPartRead::merge_issues(IssueList& issues) const {
  const std::int64_t rows = row_offset();
  const std::int64_t lines = line_offset();
  for (const Issue& item : second_issues_.items()) {
    Issue shifted = item;
    shifted.row += rows;
    if (shifted.line > 0) shifted.line += lines;
    issues.add(std::move(shifted));
  }
  // Issues the second list dropped: the merged list is full by now (it kept
  // as many as its limit), so adding stand-ins only counts them.
  std::size_t kept_errors = 0;
  for (const Issue& item : second_issues_.items()) kept_errors += item.severity == Severity::error ? 1 : 0;
  const std::size_t kept_warnings = second_issues_.size() - kept_errors;
  for (std::size_t k = kept_errors; k < second_issues_.error_count(); ++k) issues.add(Issue{});
  for (std::size_t k = kept_warnings; k < second_issues_.warning_count(); ++k) {
    Issue warning;
    warning.severity = Severity::warning;
    issues.add(std::move(warning));
  }
}

}  // namespace staffcast::detail
