// Batched Philox4x32-10 for the microsimulation: the words of the counters
// (id[i], year, replicate low, replicate high), i < n, under one key, written to
// four word arrays. Bit-for-bit the words of the scalar philox4x32<10>
// (philox.hpp); the kernels differ only in how many counters they run at once.
//
// Runtime dispatch, never -march=native: the AVX2 and AVX-512 kernels are
// compiled with __attribute__((target(...))) and chosen by
// __builtin_cpu_supports, so the same binary runs everywhere. The environment
// variable STAFFCAST_SIMD caps the level: "0" or "scalar" forces the portable
// path, "avx2" stops at AVX2, anything else (or unset) takes the best the CPU has.
#pragma once

#include <staffcast/projection/philox.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#define STAFFCAST_PHILOX_X86 1
#include <immintrin.h>
#else
#define STAFFCAST_PHILOX_X86 0
#endif

namespace staffcast {

/// The best level this CPU supports (x86-64 with GCC or Clang; scalar elsewhere).
inline simd_level simd_supported() noexcept {
#if STAFFCAST_PHILOX_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return simd_level::avx512;
  if (__builtin_cpu_supports("avx2")) return simd_level::avx2;
#endif
  return simd_level::scalar;
}

/// `level` capped at what the CPU supports (automatic = simd_auto()).
inline simd_level simd_resolve(simd_level level) noexcept;

/// The level used by default: simd_supported(), capped by the environment
/// variable STAFFCAST_SIMD ("0"/"scalar", "avx2"; read on every call).
inline simd_level simd_auto() noexcept {
  const simd_level best = simd_supported();
  const char* env = std::getenv("STAFFCAST_SIMD");
  if (env == nullptr || *env == '\0') return best;
  if (std::strcmp(env, "0") == 0 || std::strcmp(env, "scalar") == 0 || std::strcmp(env, "off") == 0) {
    return simd_level::scalar;
  }
  if (std::strcmp(env, "avx2") == 0) return best == simd_level::scalar ? best : simd_level::avx2;
  return best;
}

inline simd_level simd_resolve(simd_level level) noexcept {
  if (level == simd_level::automatic) return simd_auto();
  const simd_level best = simd_supported();
  return static_cast<int>(level) > static_cast<int>(best) ? best : level;
}

/// "scalar", "avx2", "avx512" or "automatic".
inline const char* simd_name(simd_level level) noexcept {
  switch (level) {
    case simd_level::scalar:
      return "scalar";
    case simd_level::avx2:
      return "avx2";
    case simd_level::avx512:
      return "avx512";
    default:
      return "automatic";
  }
}

namespace detail {

/// The ten round keys of `key` (the reference's bumpkey, mod 2^32).
struct PhiloxRoundKeys {
  std::uint32_t k0[10], k1[10];
  explicit PhiloxRoundKeys(philox4x32_key key) noexcept {
    for (int r = 0; r < 10; ++r) {
      k0[r] = key[0];
      k1[r] = key[1];
      key[0] += philox_w0;
      key[1] += philox_w1;
    }
  }
};

/// Portable path: counters i0 <= i < n, one at a time (philox4x32<10>).
inline void philox_block_scalar(const PhiloxRoundKeys& keys, std::uint32_t year, std::uint64_t replicate,
                                const std::uint32_t* ids, std::size_t i0, std::size_t n, std::uint32_t* w0,
                                std::uint32_t* w1, std::uint32_t* w2, std::uint32_t* w3) noexcept {
  const auto rep_lo = static_cast<std::uint32_t>(replicate), rep_hi = static_cast<std::uint32_t>(replicate >> 32);
  for (std::size_t i = i0; i < n; ++i) {
    std::uint32_t c0 = ids[i], c1 = year, c2 = rep_lo, c3 = rep_hi;
    for (int r = 0; r < 10; ++r) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(philox_m0) * c0;
      const std::uint64_t p1 = static_cast<std::uint64_t>(philox_m1) * c2;
      const auto n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1 ^ keys.k0[r];
      const auto n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3 ^ keys.k1[r];
      c1 = static_cast<std::uint32_t>(p1);
      c3 = static_cast<std::uint32_t>(p0);
      c0 = n0;
      c2 = n2;
    }
    w0[i] = c0;
    w1[i] = c1;
    w2[i] = c2;
    w3[i] = c3;
  }
}

#if STAFFCAST_PHILOX_X86

// GCC 12's AVX-512 intrinsics trip -Wmaybe-uninitialized (_mm512_undefined_*,
// GCC bug 105593), and vector arguments of the target("avx2") helpers -Wpsabi.
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// One counter per 64-bit lane, the word in its low half: _mm*_mul_epu32 forms
// the 32 × 32 → 64-bit products of the low halves, so the high halves may hold
// anything between rounds (they are dropped when the words are stored).

/// The low halves of a (counters 0..3) and b (4..7) as 8 words at w.
__attribute__((target("avx2"))) inline void philox_store_avx2(std::uint32_t* w, __m256i a, __m256i b) noexcept {
  const __m256i mixed = _mm256_blend_epi32(a, _mm256_slli_epi64(b, 32), 0xAA);  // a0 b0 a1 b1 ...
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(w),
                      _mm256_permutevar8x32_epi32(mixed, _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7)));
}

/// AVX2: 8 counters per step (two registers of 4), the rest scalar.
__attribute__((target("avx2"))) inline void philox_block_avx2(const PhiloxRoundKeys& keys, std::uint32_t year,
                                                              std::uint64_t replicate, const std::uint32_t* ids,
                                                              std::size_t n, std::uint32_t* w0, std::uint32_t* w1,
                                                              std::uint32_t* w2, std::uint32_t* w3) noexcept {
  const __m256i m0 = _mm256_set1_epi64x(philox_m0), m1 = _mm256_set1_epi64x(philox_m1);
  const __m256i c1_0 = _mm256_set1_epi64x(year);
  const __m256i c2_0 = _mm256_set1_epi64x(static_cast<std::uint32_t>(replicate));
  const __m256i c3_0 = _mm256_set1_epi64x(static_cast<std::uint32_t>(replicate >> 32));
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i a0 = _mm256_cvtepu32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(ids + i)));
    __m256i b0 = _mm256_cvtepu32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(ids + i + 4)));
    __m256i a1 = c1_0, a2 = c2_0, a3 = c3_0, b1 = c1_0, b2 = c2_0, b3 = c3_0;
    for (int r = 0; r < 10; ++r) {
      const __m256i k0 = _mm256_set1_epi64x(keys.k0[r]), k1 = _mm256_set1_epi64x(keys.k1[r]);
      const __m256i ap0 = _mm256_mul_epu32(a0, m0), ap1 = _mm256_mul_epu32(a2, m1);
      const __m256i bp0 = _mm256_mul_epu32(b0, m0), bp1 = _mm256_mul_epu32(b2, m1);
      a0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(ap1, 32), a1), k0);
      a2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(ap0, 32), a3), k1);
      b0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(bp1, 32), b1), k0);
      b2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(bp0, 32), b3), k1);
      a1 = ap1;
      a3 = ap0;
      b1 = bp1;
      b3 = bp0;
    }
    philox_store_avx2(w0 + i, a0, b0);
    philox_store_avx2(w1 + i, a1, b1);
    philox_store_avx2(w2 + i, a2, b2);
    philox_store_avx2(w3 + i, a3, b3);
  }
  philox_block_scalar(keys, year, replicate, ids, i, n, w0, w1, w2, w3);
}

/// The low halves of a (counters 0..7) and b (8..15) as 16 words at w.
__attribute__((target("avx512f"))) inline void philox_store_avx512(std::uint32_t* w, __m512i a, __m512i b) noexcept {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(w), _mm512_cvtepi64_epi32(a));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(w + 8), _mm512_cvtepi64_epi32(b));
}

/// AVX-512F: 16 counters per step (two registers of 8), the rest scalar.
__attribute__((target("avx512f"))) inline void philox_block_avx512(const PhiloxRoundKeys& keys, std::uint32_t year,
                                                                   std::uint64_t replicate, const std::uint32_t* ids,
                                                                   std::size_t n, std::uint32_t* w0, std::uint32_t* w1,
                                                                   std::uint32_t* w2, std::uint32_t* w3) noexcept {
  const __m512i m0 = _mm512_set1_epi64(philox_m0), m1 = _mm512_set1_epi64(philox_m1);
  const __m512i c1_0 = _mm512_set1_epi64(year);
  const __m512i c2_0 = _mm512_set1_epi64(static_cast<std::uint32_t>(replicate));
  const __m512i c3_0 = _mm512_set1_epi64(static_cast<std::uint32_t>(replicate >> 32));
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512i a0 = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(ids + i)));
    __m512i b0 = _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(ids + i + 8)));
    __m512i a1 = c1_0, a2 = c2_0, a3 = c3_0, b1 = c1_0, b2 = c2_0, b3 = c3_0;
    for (int r = 0; r < 10; ++r) {
      const __m512i k0 = _mm512_set1_epi64(keys.k0[r]), k1 = _mm512_set1_epi64(keys.k1[r]);
      const __m512i ap0 = _mm512_mul_epu32(a0, m0), ap1 = _mm512_mul_epu32(a2, m1);
      const __m512i bp0 = _mm512_mul_epu32(b0, m0), bp1 = _mm512_mul_epu32(b2, m1);
      // (x ^ y ^ k) in one instruction: ternary logic 0x96.
      a0 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(ap1, 32), a1, k0, 0x96);
      a2 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(ap0, 32), a3, k1, 0x96);
      b0 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(bp1, 32), b1, k0, 0x96);
      b2 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(bp0, 32), b3, k1, 0x96);
      a1 = ap1;
      a3 = ap0;
      b1 = bp1;
      b3 = bp0;
    }
    philox_store_avx512(w0 + i, a0, b0);
    philox_store_avx512(w1 + i, a1, b1);
    philox_store_avx512(w2 + i, a2, b2);
    philox_store_avx512(w3 + i, a3, b3);
  }
  philox_block_scalar(keys, year, replicate, ids, i, n, w0, w1, w2, w3);
}

#pragma GCC diagnostic pop
#endif

/// The words of counters (ids[i], year, replicate) for i < n with the kernel of
/// `level` (a resolved level: scalar, avx2 or avx512, supported by the CPU).
inline void philox_block(simd_level level, const PhiloxRoundKeys& keys, std::uint32_t year, std::uint64_t replicate,
                         const std::uint32_t* ids, std::size_t n, std::uint32_t* w0, std::uint32_t* w1,
                         std::uint32_t* w2, std::uint32_t* w3) noexcept {
#if STAFFCAST_PHILOX_X86
  if (level == simd_level::avx512) return philox_block_avx512(keys, year, replicate, ids, n, w0, w1, w2, w3);
  if (level == simd_level::avx2) return philox_block_avx2(keys, year, replicate, ids, n, w0, w1, w2, w3);
#else
  (void)level;
#endif
  philox_block_scalar(keys, year, replicate, ids, 0, n, w0, w1, w2, w3);
}

}  // namespace detail
}  // namespace staffcast
