// The generator's output: buffered CSV files written under a temporary name
// and renamed when complete, and hand-written number and date formatting.
// Private to staffcast::generate.
#pragma once

#include "codes.hpp"

#include <staffcast/calendar.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

namespace staffcast::detail::gen {

/// One output file: written through a large buffer to `<name>.tmp` in the
/// directory, renamed to `<name>` by commit() (removed if never committed).
class CsvFile {
 public:
  CsvFile(const std::filesystem::path& dir, const char* name);
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile();

  // Room for at least `n` more bytes; returns the write position.
  char* reserve(std::size_t n) {
    if (used_ + n > buffer_.size()) {
      flush();
      if (n > buffer_.size()) buffer_.resize(n);
    }
    return buffer_.data() + used_;
  }
  void commit_bytes(char* end) { used_ = static_cast<std::size_t>(end - buffer_.data()); }

  void write(std::string_view text) {
    char* p = reserve(text.size());
    std::memcpy(p, text.data(), text.size());
    used_ += text.size();
  }

  // Flushes and closes the temporary file.
  void finish();
  // Renames the temporary file to its final name.
  void commit();

 private:
  static constexpr std::size_t kBufferSize = std::size_t{1} << 22;

  void flush();
  [[noreturn]] void fail(const char* what);

  std::filesystem::path final_;
  std::filesystem::path temp_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
  bool committed_ = false;
};

inline char* put_text(char* p, std::string_view text) {
  std::memcpy(p, text.data(), text.size());
  return p + text.size();
}
inline char* put_cstr(char* p, const char* text) { return put_text(p, std::string_view(text)); }

inline char* put_uint(char* p, u64 value) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) *p++ = tmp[--n];
  return p;
}

inline char* put_padded(char* p, u64 value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return p + width;
}

inline char* put_date(char* p, day_t day) {
  const ymd d = to_ymd(day);
  p = put_padded(p, static_cast<u64>(d.year), 4);
  *p++ = '-';
  p = put_padded(p, d.month, 2);
  *p++ = '-';
  return put_padded(p, d.day, 2);
}

inline char* put_id(char* p, u64 id, int width) {
  *p++ = 'E';
  return put_padded(p, id, width);
}

// Fixed-point value with `decimals` digits after the point (value already scaled).
inline char* put_fixed(char* p, std::int64_t scaled, int decimals) {
  if (scaled < 0) {
    *p++ = '-';
    scaled = -scaled;
  }
  std::int64_t unit = 1;
  for (int i = 0; i < decimals; ++i) unit *= 10;
  p = put_uint(p, static_cast<u64>(scaled / unit));
  if (decimals > 0) {
    *p++ = '.';
    p = put_padded(p, static_cast<u64>(scaled % unit), decimals);
  }
  return p;
}

inline int digits_of(u64 value) {
  int n = 1;
  while (value >= 10) {
    value /= 10;
    ++n;
  }
  return n;
}

}  // namespace staffcast::detail::gen
