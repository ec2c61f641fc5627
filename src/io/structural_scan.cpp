// The structural scan's kernels and their dispatch. Each vector kernel is
// compiled for its own instruction set with a target attribute (the rest of
// the library stays baseline x86-64) and is only called after the CPU said it
// has that set. The kernels differ only in how they compare 64 bytes; the
// scalar one is the reference.
#include <staffcast/detail/structural_scan.hpp>

#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#define STAFFCAST_SCAN_X86 1
#include <immintrin.h>
#else
#define STAFFCAST_SCAN_X86 0
#endif

namespace staffcast::detail {

namespace {

constexpr std::size_t block_bytes = 64;

/// The high bit of each byte of `word` that equals the byte repeated in
/// `pattern` (exact: no false positives from borrows).
inline std::uint64_t equal_bytes(std::uint64_t word, std::uint64_t pattern) noexcept {
  constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
  const std::uint64_t x = word ^ pattern;
  return ~(((x & low7) + low7) | x) & ~low7;
}

/// The eight high bits of `high` (one per byte) as the low eight bits.
inline std::uint64_t gather_high_bits(std::uint64_t high) noexcept {
  return ((high >> 7U) * 0x0102040810204080ULL) >> 56U;
}

/// Eight bytes at a time in general-purpose registers (SWAR).
BlockMasks classify_scalar(const char* block, char separator) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  const std::uint64_t sep = ones * static_cast<unsigned char>(separator);
  BlockMasks m;
  for (unsigned k = 0; k < 8; ++k) {
    std::uint64_t w;
    std::memcpy(&w, block + 8 * k, 8);
    if constexpr (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) w = __builtin_bswap64(w);
    const unsigned shift = 8 * k;
    m.separator |= gather_high_bits(equal_bytes(w, sep)) << shift;
    m.line_feed |= gather_high_bits(equal_bytes(w, ones * '\n')) << shift;
    m.quote |= gather_high_bits(equal_bytes(w, ones * '"')) << shift;
    m.special |= gather_high_bits(equal_bytes(w, ones * '\r') | equal_bytes(w, 0) | (w & ~0x7F7F7F7F7F7F7F7FULL))
                 << shift;
  }
  return m;
}

/// Appends base + the position of every set bit of `bits` at out[count...].
/// Writes eight at a time whatever the count (the buffer has the slack), so
/// that the usual block with a few structurals takes no unpredictable branch.
inline void flatten(std::uint32_t* out, std::size_t& count, std::uint32_t base, std::uint64_t bits) noexcept {
  const auto n = static_cast<std::size_t>(__builtin_popcountll(bits));
  std::uint32_t* p = out + count;
  // bits | 1 << 63 has the same lowest set bit when bits != 0, and is never 0.
  auto next = [&]() noexcept {
    const auto at = static_cast<std::uint32_t>(__builtin_ctzll(bits | (std::uint64_t{1} << 63)));
    bits &= bits - 1;
    return base + at;
  };
  for (int i = 0; i < 8; ++i) p[i] = next();
  if (n > 8) {
    for (int i = 8; i < 16; ++i) p[i] = next();
    for (std::size_t i = 16; i < n; ++i) p[i] = next();
  }
  count += n;
}

#if STAFFCAST_SCAN_X86

// Lambdas do not inherit a target attribute: these helpers carry their own.
__attribute__((target("sse4.2"))) inline std::uint64_t movemask_sse(__m128i x) noexcept {
  return static_cast<std::uint16_t>(_mm_movemask_epi8(x));
}

__attribute__((target("avx2"))) inline std::uint64_t movemask_avx2(__m256i lo, __m256i hi) noexcept {
  return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(lo))) |
         (static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm256_movemask_epi8(hi))) << 32U);
}

__attribute__((target("sse4.2"))) inline BlockMasks classify_sse42(const char* block, char separator) noexcept {
  const __m128i sep = _mm_set1_epi8(separator);
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i zero = _mm_setzero_si128();
  BlockMasks m;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k));
    const auto shift = static_cast<unsigned>(16 * k);
    m.separator |= movemask_sse(_mm_cmpeq_epi8(v, sep)) << shift;
    m.line_feed |= movemask_sse(_mm_cmpeq_epi8(v, lf)) << shift;
    m.quote |= movemask_sse(_mm_cmpeq_epi8(v, quote)) << shift;
    m.special |= movemask_sse(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, zero)), v)) << shift;
  }
  return m;
}

__attribute__((target("avx2"))) inline BlockMasks classify_avx2(const char* block, char separator) noexcept {
  const __m256i sep = _mm256_set1_epi8(separator);
  const __m256i lf = _mm256_set1_epi8('\n');
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i cr = _mm256_set1_epi8('\r');
  const __m256i zero = _mm256_setzero_si256();
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32));
  BlockMasks m;
  m.separator = movemask_avx2(_mm256_cmpeq_epi8(lo, sep), _mm256_cmpeq_epi8(hi, sep));
  m.line_feed = movemask_avx2(_mm256_cmpeq_epi8(lo, lf), _mm256_cmpeq_epi8(hi, lf));
  m.quote = movemask_avx2(_mm256_cmpeq_epi8(lo, quote), _mm256_cmpeq_epi8(hi, quote));
  m.special =
      movemask_avx2(_mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(lo, cr), _mm256_cmpeq_epi8(lo, zero)), lo),
                    _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(hi, cr), _mm256_cmpeq_epi8(hi, zero)), hi));
  return m;
}

__attribute__((target("avx512f,avx512bw"))) inline BlockMasks classify_avx512(const char* block,
                                                                              char separator) noexcept {
  const __m512i v = _mm512_loadu_si512(block);
  BlockMasks m;
  m.separator = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(separator));
  m.line_feed = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
  m.quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
  m.special = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')) | _mm512_testn_epi8_mask(v, v) | _mm512_movepi8_mask(v);
  return m;
}

__attribute__((target("pclmul"))) std::uint64_t prefix_xor_clmul(std::uint64_t bits) noexcept {
  const __m128i all_ones = _mm_set1_epi8(static_cast<char>(0xFF));
  const __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<long long>(bits)), all_ones, 0);
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(product));
}

#endif

std::uint64_t prefix_xor_shifts(std::uint64_t bits) noexcept {
  for (unsigned shift = 1; shift < 64; shift *= 2) bits ^= bits << shift;
  return bits;
}

/// The scan of one kernel: whole blocks in place, the last partial block
/// copied into a padded one. Each kernel gets its own copy of the loop,
/// compiled for its instruction set, so that the classifier inlines.
#define STAFFCAST_SCAN_LOOP(CLASSIFY)                                                                  \
  std::size_t count = 0;                                                                               \
  std::size_t i = 0;                                                                                   \
  for (; i + block_bytes <= n; i += block_bytes) {                                                     \
    flatten(out, count, static_cast<std::uint32_t>(i), CLASSIFY(text + i, separator).structural());    \
  }                                                                                                    \
  if (i < n) {                                                                                         \
    char last[block_bytes];                                                                            \
    std::memset(last, ' ', block_bytes);                                                               \
    std::memcpy(last, text + i, n - i);                                                                \
    const std::uint64_t keep = (std::uint64_t{1} << (n - i)) - 1;                                      \
    flatten(out, count, static_cast<std::uint32_t>(i), CLASSIFY(last, separator).structural() & keep); \
  }                                                                                                    \
  return count

std::size_t scan_scalar(const char* text, std::size_t n, char separator, std::uint32_t* out) noexcept {
  STAFFCAST_SCAN_LOOP(classify_scalar);
}

#if STAFFCAST_SCAN_X86
__attribute__((target("sse4.2,popcnt"))) std::size_t scan_sse42(const char* text, std::size_t n, char separator,
                                                                std::uint32_t* out) noexcept {
  STAFFCAST_SCAN_LOOP(classify_sse42);
}
__attribute__((target("avx2,popcnt,bmi"))) std::size_t scan_avx2(const char* text, std::size_t n, char separator,
                                                                 std::uint32_t* out) noexcept {
  STAFFCAST_SCAN_LOOP(classify_avx2);
}
__attribute__((target("avx512f,avx512bw,avx2,popcnt,bmi"))) std::size_t scan_avx512(const char* text, std::size_t n,
                                                                                    char separator,
                                                                                    std::uint32_t* out) noexcept {
  STAFFCAST_SCAN_LOOP(classify_avx512);
}
#endif

#undef STAFFCAST_SCAN_LOOP

bool cpu_has(ScanLevel level) noexcept {
#if STAFFCAST_SCAN_X86
  __builtin_cpu_init();
  switch (level) {
    case ScanLevel::scalar:
      return true;
    case ScanLevel::sse42:
      return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("popcnt");
    case ScanLevel::avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
    case ScanLevel::avx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
  }
  return false;
#else
  return level == ScanLevel::scalar;
#endif
}

bool cpu_has_clmul() noexcept {
#if STAFFCAST_SCAN_X86
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul");
#else
  return false;
#endif
}

}  // namespace

const char* scan_level_name(ScanLevel level) noexcept {
  switch (level) {
    case ScanLevel::scalar:
      return "scalar";
    case ScanLevel::sse42:
      return "sse4.2";
    case ScanLevel::avx2:
      return "avx2";
    case ScanLevel::avx512:
      return "avx512";
  }
  return "scalar";
}

std::optional<ScanLevel> parse_scan_level(std::string_view name) noexcept {
  for (ScanLevel level : {ScanLevel::scalar, ScanLevel::sse42, ScanLevel::avx2, ScanLevel::avx512}) {
    if (name == scan_level_name(level)) return level;
  }
  return std::nullopt;
}

bool scan_level_supported(ScanLevel level) noexcept {
  static const bool supported[4] = {cpu_has(ScanLevel::scalar), cpu_has(ScanLevel::sse42), cpu_has(ScanLevel::avx2),
                                    cpu_has(ScanLevel::avx512)};
  return supported[static_cast<int>(level)];
}

ScanLevel default_scan_level() noexcept {
  static const ScanLevel level = [] {
    if (const char* named = std::getenv("STAFFCAST_SCAN")) {
      if (auto chosen = parse_scan_level(named); chosen && scan_level_supported(*chosen)) return *chosen;
    }
    for (ScanLevel l : {ScanLevel::avx512, ScanLevel::avx2, ScanLevel::sse42}) {
      if (scan_level_supported(l)) return l;
    }
    return ScanLevel::scalar;
  }();
  return level;
}

BlockMasks classify_block(ScanLevel level, const char* block, std::size_t n, char separator) noexcept {
  char padded[block_bytes];
  std::memset(padded, ' ', block_bytes);
  const std::size_t used = n < block_bytes ? n : block_bytes;
  std::memcpy(padded, block, used);
  BlockMasks m;
  if (!scan_level_supported(level)) level = ScanLevel::scalar;
  switch (level) {
#if STAFFCAST_SCAN_X86
    case ScanLevel::sse42:
      m = classify_sse42(padded, separator);
      break;
    case ScanLevel::avx2:
      m = classify_avx2(padded, separator);
      break;
    case ScanLevel::avx512:
      m = classify_avx512(padded, separator);
      break;
#endif
    default:
      m = classify_scalar(padded, separator);
  }
  const std::uint64_t keep = used == block_bytes ? ~std::uint64_t{0} : (std::uint64_t{1} << used) - 1;
  m.separator &= keep;
  m.line_feed &= keep;
  m.quote &= keep;
  m.special &= keep;
  return m;
}

std::uint64_t quoted_regions(ScanLevel level, std::uint64_t quotes, std::uint64_t& carry) noexcept {
  std::uint64_t inside = 0;
#if STAFFCAST_SCAN_X86
  static const bool clmul = cpu_has_clmul();
  inside = level != ScanLevel::scalar && clmul ? prefix_xor_clmul(quotes) : prefix_xor_shifts(quotes);
#else
  (void)level;
  inside = prefix_xor_shifts(quotes);
#endif
  inside ^= carry;
  carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(inside) >> 63);  // all ones when the region stays open
  return inside;
}

std::size_t StructuralIndex::scan(const char* text, std::size_t n) {
  // Room for every byte plus a whole block of flatten()'s unconditional writes.
  if (positions_.size() < n + 2 * block_bytes) positions_.resize(n + 2 * block_bytes);
  std::uint32_t* out = positions_.data();
  const char separator = separator_;
  switch (scan_level_supported(level_) ? level_ : ScanLevel::scalar) {
#if STAFFCAST_SCAN_X86
    case ScanLevel::sse42:
      return scan_sse42(text, n, separator, out);
    case ScanLevel::avx2:
      return scan_avx2(text, n, separator, out);
    case ScanLevel::avx512:
      return scan_avx512(text, n, separator, out);
#endif
    default:
      return scan_scalar(text, n, separator, out);
  }
}

}  // namespace staffcast::detail
