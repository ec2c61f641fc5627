// The structural scan of CSV text: 64 bytes at a time, the positions of every
// byte a record reader must look at (separators, line feeds, quotes, and the
// bytes that need a closer look: CR, NUL, non-ASCII), found with the widest
// vector instructions the CPU has. The kernel is chosen at run time, so the
// library is built for the baseline x86-64 (no -march flags) and still uses
// AVX2 or AVX-512 where they exist; the scalar kernel is the reference the
// tests hold the others to, and the one used on other processors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace staffcast::detail {

/// The scan kernels, narrowest first.
enum class ScanLevel : std::uint8_t { scalar, sse42, avx2, avx512 };

/// "scalar", "sse4.2", "avx2", "avx512".
[[nodiscard]] const char* scan_level_name(ScanLevel level) noexcept;
/// The level named by `name` (as scan_level_name() writes it), or nullopt.
[[nodiscard]] std::optional<ScanLevel> parse_scan_level(std::string_view name) noexcept;
/// True when this CPU (and this build) can run `level`.
[[nodiscard]] bool scan_level_supported(ScanLevel level) noexcept;
/// The level the readers use: the widest supported one, or the one named by
/// the environment variable STAFFCAST_SCAN when it is supported (tests and
/// benchmarks use it to run the narrower kernels on a wide CPU).
[[nodiscard]] ScanLevel default_scan_level() noexcept;

/// Bit i of each mask describes byte i of a block of 64 bytes.
struct BlockMasks {
  std::uint64_t separator = 0;
  std::uint64_t line_feed = 0;
  std::uint64_t quote = 0;
  std::uint64_t special = 0;  // CR, NUL or a byte >= 0x80
  [[nodiscard]] std::uint64_t structural() const noexcept { return separator | line_feed | quote | special; }
  friend bool operator==(const BlockMasks& a, const BlockMasks& b) noexcept {
    return a.separator == b.separator && a.line_feed == b.line_feed && a.quote == b.quote && a.special == b.special;
  }
};

/// The masks of the first min(n, 64) bytes of `block` (bits past n are 0).
[[nodiscard]] BlockMasks classify_block(ScanLevel level, const char* block, std::size_t n, char separator) noexcept;

/// Bit i set when byte i lies inside a quoted region: the prefix XOR of the
/// quote bits (the opening quote is inside, the closing one outside), with
/// `carry` (all ones or zero) carrying an open region into the next block.
/// A carry-less multiply by all ones where the CPU has PCLMULQDQ.
[[nodiscard]] std::uint64_t quoted_regions(ScanLevel level, std::uint64_t quotes, std::uint64_t& carry) noexcept;

/// Finds the structural bytes of a text and lists their offsets.
class StructuralIndex {
 public:
  explicit StructuralIndex(char separator, ScanLevel level = default_scan_level()) noexcept
      : separator_(separator), level_(level) {}

  /// Lists the offset (from `text`) of every separator, line feed, quote, CR,
  /// NUL and byte >= 0x80 of text[0, n), in order; n must be below 2^32.
  /// Returns the count; the offsets are at positions()[0, count).
  std::size_t scan(const char* text, std::size_t n);

  [[nodiscard]] const std::uint32_t* positions() const noexcept { return positions_.data(); }
  [[nodiscard]] ScanLevel level() const noexcept { return level_; }
  [[nodiscard]] char separator() const noexcept { return separator_; }

 private:
  char separator_;
  ScanLevel level_;
  std::vector<std::uint32_t> positions_;
};

}  // namespace staffcast::detail
