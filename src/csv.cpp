// Streaming RFC 4180 reader. Records are parsed in place in a growing buffer;
// quoted fields with doubled quotes are unescaped into a per-record scratch.
#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/record_source.hpp>
#include <staffcast/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define STAFFCAST_CSV_MMAP 1
#else
#define STAFFCAST_CSV_MMAP 0
#endif

namespace staffcast::detail {

namespace {

class FileSource final : public ByteSource {
 public:
  /// `map`: a regular file is mapped into memory (read without a copy) where
  /// the system allows; otherwise, and for pipes and devices, read with fread.
  explicit FileSource(const std::string& path, std::size_t offset = 0, bool map = false)
      : file_(std::fopen(path.c_str(), "rb")) {
    if (file_ == nullptr) {
      throw io_error("cannot open " + path + ": " + std::strerror(errno));
    }
    if (offset > 0 && fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0) {
      std::fclose(file_);
      throw io_error("cannot seek in " + path + ": " + std::strerror(errno));
    }
#if STAFFCAST_CSV_MMAP
    if (map) map_from(offset);
#else
    (void)map;
#endif
  }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  ~FileSource() override {
#if STAFFCAST_CSV_MMAP
    if (mapping_ != nullptr) munmap(mapping_, mapped_bytes_);
#endif
    std::fclose(file_);
  }

  std::size_t read(char* into, std::size_t capacity) override {
    const std::size_t n = std::fread(into, 1, capacity, file_);
    if (n == 0 && std::ferror(file_) != 0) throw io_error("read error");
    return n;
  }
  [[nodiscard]] std::string_view view() const override { return view_; }

 private:
#if STAFFCAST_CSV_MMAP
  void map_from(std::size_t offset) {
    struct stat info;  // filled by fstat
    if (fstat(fileno(file_), &info) != 0 || !S_ISREG(info.st_mode)) return;
    const auto size = static_cast<std::size_t>(info.st_size);
    if (size <= offset) return;  // nothing to map: read() finds the end
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t start = offset / page * page;  // mappings start on a page
    void* at = mmap(nullptr, size - start, PROT_READ, MAP_PRIVATE, fileno(file_), static_cast<off_t>(start));
    if (at == MAP_FAILED) return;  // fread it is
    madvise(at, size - start, MADV_SEQUENTIAL);
    mapping_ = at;
    mapped_bytes_ = size - start;
    view_ = std::string_view(static_cast<const char*>(at) + (offset - start), size - offset);
  }
  void* mapping_ = nullptr;
  std::size_t mapped_bytes_ = 0;
#endif
  std::FILE* file_;
  std::string_view view_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  std::size_t read(char* into, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, bytes_.size() - offset_);
    if (n > 0) std::memcpy(into, bytes_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t offset_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
  return std::make_unique<FileSource>(path, 0, true);
}

std::unique_ptr<ByteSource> memory_source(std::string_view bytes) { return std::make_unique<MemorySource>(bytes); }

namespace {

/// True when every byte is in 1..127 (ASCII without NUL).
bool is_plain_ascii(const char* text, std::size_t n) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text);
  std::size_t i = 0;
  std::uint64_t high = 0, zero = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s + i, 8);
    high |= word;
    zero |= (word - 0x0101010101010101ULL) & ~word;
  }
  bool ok = ((high | zero) & 0x8080808080808080ULL) == 0;
  for (; i < n; ++i) ok = ok && s[i] != 0 && s[i] < 0x80;
  return ok;
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s + i, 8);
      const bool ascii = (word & 0x8080808080808080ULL) == 0;
      // A zero byte has (x - 0x01..) & ~x & 0x80.. set.
      const bool has_zero = ((word - 0x0101010101010101ULL) & ~word & 0x8080808080808080ULL) != 0;
      if (!ascii || has_zero) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code = c & 0x1FU;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code = c & 0x0FU;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code = c & 0x07U;
    } else {
      return false;
    }
    if (i + length > n) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const unsigned char cc = s[i + k];
      if ((cc & 0xC0U) != 0x80U) return false;
      code = (code << 6U) | (cc & 0x3FU);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, std::string file_label, IssueList& issues, CsvOptions options)
    : source_(std::move(source)), label_(std::move(file_label)), issues_(issues), options_(options) {
  // Start small (a 100-byte text need not zero 4 MiB) and grow to chunk_bytes as the input proves large.
  buffer_.resize(std::max<std::size_t>(std::min<std::size_t>(options_.chunk_bytes, std::size_t{1} << 16), 1024));
  data_ = buffer_.data();
  const auto sep = static_cast<unsigned char>(options_.separator);
  fast_path_ = options_.fast_path && sep != 0 && sep < 0x80U && sep != '"' && sep != '\n' && sep != '\r';
}

void CsvReader::report(std::int64_t row, std::int64_t line, std::string column, std::string code, std::string message) {
  ++reported_;
  issues_.error(label_, row, line, std::move(column), std::move(code), std::move(message));
}

void CsvReader::continue_after(const std::vector<std::string>& header) {
  header_ = header;
  expected_fields_ = header.size();
  bom_checked_ = true;
}

bool CsvReader::fill() {
  if (eof_) return false;
  if (!view_checked_) {
    // A source that holds all its bytes (a mapped file) is parsed in place:
    // one "fill" with everything, no copy into the buffer.
    view_checked_ = true;
    const std::string_view all = source_->view();
    if (all.data() != nullptr) {
      data_ = all.data();
      end_ = all.size();
      eof_ = true;
      if (!bom_checked_) {
        bom_checked_ = true;
        if (end_ >= 3 && std::memcmp(data_, "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
      }
      return true;
    }
  }
  if (pos_ > 0) {
    base_ += pos_;
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buffer_.size() || (buffer_.size() < options_.chunk_bytes && end_ > buffer_.size() / 2)) {
    buffer_.resize(buffer_.size() * 2);
    data_ = buffer_.data();
  }
  auto read_more = [&] {
    const std::size_t n = source_->read(buffer_.data() + end_, buffer_.size() - end_);
    if (n == 0) eof_ = true;
    end_ += n;
  };
  read_more();
  if (!bom_checked_) {
    // The first fill starts at offset 0: gather three bytes (short reads happen)
    // so that a byte-order mark is recognised only at the very start.
    while (end_ < 3 && !eof_) read_more();
    bom_checked_ = true;
    if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  }
  return true;
}

namespace {

/// The first position in [from, end) holding `sep`, LF or CR, or `end`.
/// Eight bytes at a time: a byte equal to c makes (w ^ c..c) have a zero byte,
/// and the lowest flagged byte of the zero-byte test is always a real match.
inline std::size_t field_end(const char* buf, std::size_t from, std::size_t end, char sep) noexcept {
  std::size_t f = from;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && (defined(__GNUC__) || defined(__clang__))
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  const std::uint64_t s = ones * static_cast<unsigned char>(sep);
  constexpr std::uint64_t lf = ones * static_cast<unsigned char>('\n');
  constexpr std::uint64_t cr = ones * static_cast<unsigned char>('\r');
  auto zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  while (f + 8 <= end) {
    std::uint64_t w;
    std::memcpy(&w, buf + f, 8);
    const std::uint64_t hit = zero(w ^ s) | zero(w ^ lf) | zero(w ^ cr);
    if (hit != 0) return f + (static_cast<std::size_t>(__builtin_ctzll(hit)) >> 3U);
    f += 8;
  }
#endif
  while (f < end) {
    const char c = buf[f];
    if (c == sep || c == '\n' || c == '\r') break;
    ++f;
  }
  return f;
}

}  // namespace

// The fast path. A record that is one line ending in LF, with no quote, CR or
// NUL, exactly expected_fields_ - 1 separators, valid UTF-8 and no longer than
// max_field_bytes is cut at its separators here, in one pass over its bytes;
// it is then exactly what parse_record() and the checks in read_record()
// would hand out, with nothing to report. Anything else (blank lines, quotes,
// CR, wrong field counts, bad bytes, a record not yet wholly in the buffer)
// returns false without changing any state, and the general parser takes the
// record from the start, reporting as it always has.
bool CsvReader::plain_record(CsvRecord& record) {
  const char* const begin = data_ + pos_;
  const std::size_t available = end_ - pos_;
  // No field can be longer than this; a longer line goes the general way.
  const std::size_t limit = std::min(available, options_.max_field_bytes + 1);
  const char sep = options_.separator;
  const std::size_t last = expected_fields_ - 1;  // separators wanted
  if (expected_fields_ == 0) return false;
  if (record.fields.size() != expected_fields_) record.fields.resize(expected_fields_);
  std::string_view* out = record.fields.data();
  std::size_t seps = 0;
  const char* field = begin;
  bool high = false;  // a byte >= 0x80 was seen: the line needs the full UTF-8 check
  const char* line_end = nullptr;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i v_sep = _mm_set1_epi8(sep);
  const __m128i v_lf = _mm_set1_epi8('\n');
  const __m128i v_quote = _mm_set1_epi8('"');
  const __m128i v_cr = _mm_set1_epi8('\r');
  const __m128i v_zero = _mm_setzero_si128();
  for (; i + 16 <= limit; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin + i));
    auto sep_bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, v_sep)));
    const auto lf_bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, v_lf)));
    auto bad_bits = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, v_quote), _mm_cmpeq_epi8(v, v_cr)), _mm_cmpeq_epi8(v, v_zero))));
    auto high_bits = static_cast<unsigned>(_mm_movemask_epi8(v));
    if (lf_bits != 0) {  // only the bytes before the first LF belong to the record
      const unsigned before = (lf_bits & (0U - lf_bits)) - 1U;
      sep_bits &= before;
      bad_bits &= before;
      high_bits &= before;
    }
    if (bad_bits != 0) return false;
    high = high || high_bits != 0;
    while (sep_bits != 0) {
      if (seps == last) return false;  // too many fields
      const char* at = begin + i + static_cast<unsigned>(__builtin_ctz(sep_bits));
      out[seps++] = std::string_view(field, static_cast<std::size_t>(at - field));
      field = at + 1;
      sep_bits &= sep_bits - 1U;
    }
    if (lf_bits != 0) {
      line_end = begin + i + static_cast<unsigned>(__builtin_ctz(lf_bits));
      break;
    }
  }
#endif
  // Portable scalar scan (the whole record without SSE2, else the last bytes).
  for (; line_end == nullptr && i < limit; ++i) {
    const char c = begin[i];
    if (c == '\n') {
      line_end = begin + i;
    } else if (c == sep) {
      if (seps == last) return false;
      out[seps++] = std::string_view(field, static_cast<std::size_t>(begin + i - field));
      field = begin + i + 1;
    } else if (c == '"' || c == '\r' || c == '\0') {
      return false;
    } else if (static_cast<unsigned char>(c) >= 0x80U) {
      high = true;
    }
  }
  // No LF in reach (more input needed, the end of input, or an over-long
  // line), a blank line or too few fields: the general parser decides.
  if (line_end == nullptr || line_end == begin || seps != last) return false;
  const auto length = static_cast<std::size_t>(line_end - begin);
  if (length > options_.max_field_bytes) return false;
  if (high && !is_valid_utf8(std::string_view(begin, length))) return false;
  out[last] = std::string_view(field, static_cast<std::size_t>(line_end - field));
  pos_ += length + 1;
  record.row = ++row_;
  record.line = line_++;
  return true;
}

CsvReader::Parse CsvReader::parse_record() {
  spans_.clear();
  scratch_.clear();
  record_malformed_ = false;
  const char sep = options_.separator;
  const char* buf = data_;
  // A record longer than this cannot be valid: some field must exceed the limit.
  const std::size_t max_record = options_.max_field_bytes * (std::max<std::size_t>(expected_fields_, 1) + 1) + 4096;
  std::size_t p = pos_;
  std::int64_t quoted_lines = 0;  // line feeds inside quoted fields
  bool line_end = false;          // the record ends with LF or CRLF
  auto need_more = [&]() {
    if (end_ - pos_ > max_record) return Parse::too_long;
    return Parse::need_more;
  };
  for (;;) {
    std::size_t f = p;  // position after the field
    if (p < end_ && buf[p] == '"') {
      const std::size_t start = p + 1;
      std::size_t q = start;
      bool escaped = false;
      std::size_t close = 0;
      for (;;) {
        const void* hit = std::memchr(buf + q, '"', end_ - q);
        if (hit == nullptr) {
          if (!eof_) return need_more();
          record_malformed_ = true;
          malformed_message_ = "unterminated quoted field";
          close = end_;
          f = end_;
          break;
        }
        const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(hit) - buf);
        if (at + 1 == end_ && !eof_) return need_more();
        if (at + 1 < end_ && buf[at + 1] == '"') {
          escaped = true;
          q = at + 2;
          continue;
        }
        close = at;
        f = at + 1;
        break;
      }
      quoted_lines += std::count(buf + start, buf + close, '\n');
      if (escaped) {
        const std::size_t offset = scratch_.size();
        for (std::size_t i = start; i < close; ++i) {
          scratch_.push_back(buf[i]);
          if (buf[i] == '"') ++i;  // skip the second quote of a pair
        }
        spans_.push_back({offset, scratch_.size() - offset, true, true});
      } else {
        spans_.push_back({start, close - start, false, true});
      }
      if (f < end_ && buf[f] != sep && buf[f] != '\n' && buf[f] != '\r') {
        // Text after a closing quote: report, then skip to the field's end.
        record_malformed_ = true;
        malformed_message_ = "text after a closing quote";
        while (f < end_ && buf[f] != sep && buf[f] != '\n' && buf[f] != '\r') ++f;
        if (f == end_ && !eof_) return need_more();
      }
    } else {
      f = field_end(buf, p, end_, sep);
      if (f == end_ && !eof_) return need_more();
      spans_.push_back({p, f - p, false, false});
    }
    if (f >= end_) {  // end of input ends the record
      consumed_ = end_ - pos_;
      break;
    }
    if (buf[f] == sep) {
      p = f + 1;
      if (p == end_ && !eof_) return need_more();
      if (p == end_) {  // trailing separator at end of input: one more empty field
        spans_.push_back({p, 0, false, false});
        consumed_ = end_ - pos_;
        break;
      }
      continue;
    }
    if (buf[f] == '\r') {
      if (f + 1 == end_ && !eof_) return need_more();
      line_end = f + 1 < end_ && buf[f + 1] == '\n';
      consumed_ = line_end ? f + 2 - pos_ : f + 1 - pos_;
    } else {
      line_end = true;
      consumed_ = f + 1 - pos_;
    }
    break;
  }
  // Physical lines spanned: every LF (they are inside quoted fields or end the
  // record), plus a lone CR at the end of the record.
  record_lines_ = quoted_lines + (line_end ? 1 : 0);
  if (consumed_ > 0 && buf[pos_ + consumed_ - 1] == '\r') ++record_lines_;
  return Parse::complete;
}

void CsvReader::skip_record() {
  // Over-long record: discard bytes up to its end, quoting exactly as
  // parse_record() does: a quote opens a quoted field only at a field's start,
  // and text after a closing quote runs to the next separator.
  enum class State { field_start, unquoted, quoted, quote_in_quoted, after_quote } state = State::field_start;
  const char sep = options_.separator;
  for (;;) {
    while (pos_ < end_) {
      const char c = data_[pos_];
      ++pos_;
      if (state == State::quote_in_quoted) {
        if (c == '"') {
          state = State::quoted;  // a doubled quote stays inside
          continue;
        }
        state = State::after_quote;
      }
      if (state == State::quoted) {
        if (c == '"') {
          state = State::quote_in_quoted;
        } else if (c == '\n') {
          ++line_;
        }
        continue;
      }
      if (c == sep) {
        state = State::field_start;
      } else if (c == '\n') {
        ++line_;
        return;
      } else if (c == '\r') {
        ++line_;
        if (pos_ == end_) fill();
        if (pos_ < end_ && data_[pos_] == '\n') ++pos_;
        return;
      } else if (state == State::field_start) {
        state = c == '"' ? State::quoted : State::unquoted;
      }
    }
    base_ += end_;
    pos_ = end_ = 0;  // everything read so far is discarded
    if (!fill() || end_ == pos_) return;
  }
}

bool CsvReader::read_record(CsvRecord& record, bool header) {
  for (;;) {
    if (stop_at_ != no_stop) {
      const std::size_t at = base_ + pos_;
      if (at == stop_at_) {
        stopped_ = true;
        return false;
      }
      if (at > stop_at_) {  // a record ran across the stop: read on
        stop_at_ = no_stop;
        overran_ = true;
      }
    }
    if (pos_ == end_) {
      if (eof_) return false;
      fill();
      if (pos_ == end_ && eof_) return false;
      continue;
    }
    if (!header && fast_path_ && plain_record(record)) return true;
    const Parse result = parse_record();
    if (result == Parse::need_more) {
      fill();
      continue;
    }
    ++row_;
    const std::int64_t line = line_;
    if (result == Parse::too_long) {
      const std::size_t column = spans_.size();
      report(row_, line, column < header_.size() ? header_[column] : std::string(), "field_too_long",
             "field longer than " + std::to_string(options_.max_field_bytes) + " bytes");
      skip_record();
      if (header) return false;
      continue;
    }
    pos_ += consumed_;
    line_ += record_lines_;
    const char* buf = data_;
    record.fields.clear();
    for (const FieldSpan& span : spans_) {
      record.fields.emplace_back(span.in_scratch ? scratch_.data() + span.offset : buf + span.offset, span.length);
    }
    record.row = row_;
    record.line = line;
    if (record_malformed_) {
      report(row_, line, {}, "malformed_csv", malformed_message_);
      if (header) return false;
      continue;
    }
    if (!header && record.fields.size() == 1 && record.fields[0].empty() && !spans_[0].quoted) {
      continue;  // blank line
    }
    bool ok = true;
    // A record that is valid UTF-8 without NUL as a whole (the usual case) is
    // so in every field when fields are cut at ASCII bytes (an ASCII
    // separator; scratch fields only drop one quote of each pair). A plain
    // ASCII record is, whatever the separator. Nor can a field be longer than
    // its record.
    const char* raw = buf + pos_ - consumed_;
    const bool ascii_separator = static_cast<unsigned char>(options_.separator) < 0x80U;
    const bool valid =
        is_plain_ascii(raw, consumed_) || (ascii_separator && is_valid_utf8(std::string_view(raw, consumed_)));
    const bool short_record = consumed_ <= options_.max_field_bytes;
    for (std::size_t i = 0; i < record.fields.size() && ok && !(valid && short_record); ++i) {
      auto column = [&] { return i < header_.size() ? header_[i] : std::string(); };
      if (record.fields[i].size() > options_.max_field_bytes) {
        report(row_, line, column(), "field_too_long",
               "field longer than " + std::to_string(options_.max_field_bytes) + " bytes");
        ok = false;
      } else if (!valid && !is_valid_utf8(record.fields[i])) {
        report(row_, line, column(), "encoding", "invalid UTF-8 or a NUL byte");
        ok = false;
      }
    }
    if (!ok) {
      if (header) return false;
      continue;
    }
    if (!header && record.fields.size() != expected_fields_) {
      report(row_, line, {}, "malformed_csv",
             "expected " + std::to_string(expected_fields_) + " fields, found " + std::to_string(record.fields.size()));
      continue;
    }
    return true;
  }
}

bool CsvReader::read_header(std::vector<std::string>& header) {
  CsvRecord record;
  header.clear();
  if (!read_record(record, true)) {
    if (row_ == 0) report(1, 1, {}, "malformed_csv", "the file is empty: no header row");
    return false;
  }
  for (std::string_view field : record.fields) {
    // Header names are compared without surrounding spaces.
    while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
    header.emplace_back(field);
  }
  header_ = header;
  expected_fields_ = header.size();
  return true;
}

bool CsvReader::next(CsvRecord& record) { return read_record(record, false); }

// ---- ThreadedCsvRecordSource ----

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

// ---- Reading in two parts ----

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

void release_free_memory() noexcept {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
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
