// Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy
// as 1, 2, 3", SC 2011), the counter-based generator of the Random123 library,
// and staffcast's fixed mapping of its output words to uniforms
// (docs/models.md). No dependencies; every function is constexpr.
#pragma once

#include <array>
#include <cstdint>

namespace staffcast {

/// The instruction set of the batched Philox kernels. `automatic` means
/// simd_auto(): the best the CPU supports, capped by STAFFCAST_SIMD.
enum class simd_level : int { automatic = -1, scalar = 0, avx2 = 1, avx512 = 2 };

using philox4x32_ctr = std::array<std::uint32_t, 4>;
using philox4x32_key = std::array<std::uint32_t, 2>;

namespace detail {

inline constexpr std::uint32_t philox_m0 = 0xD2511F53U;
inline constexpr std::uint32_t philox_m1 = 0xCD9E8D57U;
inline constexpr std::uint32_t philox_w0 = 0x9E3779B9U;  // golden ratio
inline constexpr std::uint32_t philox_w1 = 0xBB67AE85U;  // sqrt(3) - 1

constexpr philox4x32_ctr philox_round(const philox4x32_ctr& c, const philox4x32_key& k) noexcept {
  const std::uint64_t p0 = static_cast<std::uint64_t>(philox_m0) * c[0];
  const std::uint64_t p1 = static_cast<std::uint64_t>(philox_m1) * c[2];
  const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
  const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
  return {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
}

}  // namespace detail

/// Philox4x32 with `rounds` rounds (10 is the standard, Random123's default).
template <int rounds = 10>
constexpr philox4x32_ctr philox4x32(philox4x32_ctr ctr, philox4x32_key key) noexcept {
  static_assert(rounds >= 0 && rounds <= 16, "Philox4x32 is defined for 0..16 rounds");
  for (int r = 0; r < rounds; ++r) {
    if (r > 0) {
      key[0] += detail::philox_w0;
      key[1] += detail::philox_w1;
    }
    ctr = detail::philox_round(ctr, key);
  }
  return ctr;
}

/// The uniform of one output word: (x + 0.5) · 2^−32, exact in binary64 and
/// strictly inside (0, 1).
constexpr double philox_uniform(std::uint32_t x) noexcept {
  return (static_cast<double>(x) + 0.5) * (1.0 / 4294967296.0);
}

/// The four uniforms of staffcast's keying (docs/models.md): key =
/// (seed low, seed high), counter = (person, year t, replicate low, replicate high).

constexpr philox4x32_key philox_key_of_seed(std::uint64_t seed) noexcept {
  return {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
}

constexpr philox4x32_ctr philox_counter(std::uint32_t person, std::uint32_t year, std::uint64_t replicate) noexcept {
  return {person, year, static_cast<std::uint32_t>(replicate), static_cast<std::uint32_t>(replicate >> 32)};
}

constexpr std::array<double, 4> person_year_uniforms(const philox4x32_key& key, std::uint32_t person,
                                                     std::uint32_t year, std::uint64_t replicate) noexcept {
  const philox4x32_ctr x = philox4x32<10>(philox_counter(person, year, replicate), key);
  return {philox_uniform(x[0]), philox_uniform(x[1]), philox_uniform(x[2]), philox_uniform(x[3])};
}

}  // namespace staffcast
