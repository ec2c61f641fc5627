// Exceptions thrown by staffcast. All derive from staffcast::error.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace staffcast {

/// Base of every exception staffcast throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A bad argument to an API call (unknown dimension, inverted period, ...).
class argument_error : public error {
 public:
  using error::error;
};

/// A file could not be opened, read or written.
class io_error : public error {
 public:
  using error::error;
};

/// `text` as it may appear in a message: control characters (bytes 0x00-0x1F and
/// 0x7F, and the C1 code points U+0080-U+009F) and bytes that are not UTF-8 are
/// written as escapes (`\x1b`, `\u009b`), everything else is kept. The result
/// has no escape sequence a terminal would act on, and escaping it again changes
/// nothing. Every message that quotes input passes it through here.
inline std::string printable(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  auto escape = [](std::string& out, const char* prefix, unsigned value, int digits) {
    out += prefix;
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += hex[(value >> shift) & 0xF];
  };
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) {
      escape(out, "\\x", byte, 2);
      ++i;
      continue;
    }
    if (byte < 0x80) {
      out += static_cast<char>(byte);
      ++i;
      continue;
    }
    // A UTF-8 sequence: its length, the smallest code point it may encode, then its continuation bytes.
    std::size_t length = 0;
    unsigned code = 0;
    unsigned smallest = 0;
    if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2, code = byte & 0x1FU, smallest = 0x80;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3, code = byte & 0x0FU, smallest = 0x800;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4, code = byte & 0x07U, smallest = 0x10000;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0U) == 0x80U;
      code = (code << 6) | (next & 0x3FU);
    }
    valid = valid && code >= smallest && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF);
    if (!valid) {
      escape(out, "\\x", byte, 2);
      ++i;
    } else if (code <= 0x9F) {
      escape(out, "\\u", code, 4);
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace staffcast
