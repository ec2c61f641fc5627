// Streaming RFC 4180 reader. Records are parsed in place in a growing buffer;
// quoted fields with doubled quotes are unescaped into a per-record scratch.
// Text is checked to be UTF-8 on the way (ASCII in words of eight bytes).
#include <staffcast/detail/csv.hpp>
#include <staffcast/detail/record_source.hpp>
#include <staffcast/error.hpp>

#include <algorithm>
#include <cstring>

namespace staffcast::detail {

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

std::size_t utf8_sequence_length(const unsigned char* at, const unsigned char* end) noexcept {
  const unsigned c = at[0];
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
    return 0;
  }
  if (static_cast<std::size_t>(end - at) < length) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const unsigned cc = at[k];
    if ((cc & 0xC0U) != 0x80U) return 0;
    code = (code << 6U) | (cc & 0x3FU);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
      (code >= 0xD800 && code <= 0xDFFF)) {
    return 0;
  }
  return length;
}

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
    const std::size_t length = utf8_sequence_length(s + i, s + n);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, std::string file_label, IssueList& issues, CsvOptions options)
    : source_(std::move(source)),
      label_(std::move(file_label)),
      issues_(issues),
      options_(options),
      index_(options.separator, options.scan_level) {
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
// The structural index covers a window of this many bytes at a time: its
// offsets (four bytes each, about one per field) stay in the L2 cache.
constexpr std::size_t index_window_bytes = std::size_t{1} << 18;

void CsvReader::check_intact() const {
  if (!source_->intact()) {
    throw io_error(label_ +
                   " changed while it was read: the file is shorter than when it was opened (is it still "
                   "being written?); read it again once it is complete");
  }
}

bool CsvReader::index_from_here() {
  if (pos_ >= end_) return false;
  check_intact();  // once per window: a truncated file stops within 256 KiB of the cut
  index_data_ = data_;
  index_base_ = base_;
  index_from_ = pos_;
  index_to_ = std::min(end_, pos_ + index_window_bytes);
  index_count_ = index_.scan(data_ + pos_, index_to_ - index_from_);
  index_next_ = 0;
  return true;
}

bool CsvReader::plain_record(CsvRecord& record) {
  if (expected_fields_ == 0) return false;
  if (index_data_ != data_ || index_base_ != base_ || pos_ < index_from_ || pos_ >= index_to_) {
    if (!index_from_here()) return false;
  }
  if (record.fields.size() != expected_fields_) record.fields.resize(expected_fields_);
  const char sep = options_.separator;
  const std::size_t last = expected_fields_ - 1;  // separators wanted
  for (int attempt = 0; attempt < 2; ++attempt) {
    // Locals, not members: the stores into `out` could alias members and
    // would make the compiler reload them on every field.
    const std::uint32_t* const at = index_.positions();
    const std::size_t count = index_count_;
    const char* const window = data_ + index_from_;
    const char* const data_end = data_ + end_;
    const auto here = static_cast<std::uint32_t>(pos_ - index_from_);
    std::size_t k = index_next_;
    while (k < count && at[k] < here) ++k;  // a record the general parser read
    std::string_view* const out = record.fields.data();
    std::size_t seps = 0;
    const char* field = data_ + pos_;
    const char* line_end = nullptr;
    for (; k < count; ++k) {
      const char* p = window + at[k];
      const char c = *p;
      if (c == sep) {
        if (seps == last) return false;  // too many fields
        out[seps++] = std::string_view(field, static_cast<std::size_t>(p - field));
        field = p + 1;
      } else if (c == '\n') {
        line_end = p;
        break;
      } else if (static_cast<unsigned char>(c) >= 0x80U) {
        // Each byte of a multi-byte character is in the index: check the
        // sequence once at its first byte and step over the rest.
        const std::size_t length = utf8_sequence_length(reinterpret_cast<const unsigned char*>(p),
                                                        reinterpret_cast<const unsigned char*>(data_end));
        if (length == 0) return false;  // not UTF-8: the general parser reports it
        k += length - 1;
      } else {
        return false;  // a quote, CR or NUL: the general parser decides
      }
    }
    if (line_end == nullptr) {
      // The window ends inside this record: scan a window that starts with it,
      // unless it already did or the data end here (more input, or the end).
      if (attempt == 0 && here != 0 && index_to_ < end_ && index_from_here()) continue;
      return false;
    }
    const char* const begin = data_ + pos_;
    // A blank line or too few fields: the general parser decides.
    if (line_end == begin || seps != last) return false;
    const auto length = static_cast<std::size_t>(line_end - begin);
    if (length > options_.max_field_bytes) return false;
    out[last] = std::string_view(field, static_cast<std::size_t>(line_end - field));
    index_next_ = k + 1;
    pos_ += length + 1;
    record.row = ++row_;
    record.line = line_++;
    return true;
  }
  return false;
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
      if (eof_) {
        check_intact();
        return false;
      }
      fill();
      if (pos_ == end_ && eof_) {
        check_intact();
        return false;
      }
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

}  // namespace staffcast::detail
