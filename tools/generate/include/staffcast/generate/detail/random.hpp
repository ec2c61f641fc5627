// The random numbers of the synthetic generator: splitmix64 and xoshiro256**
// with exact, platform-independent sampling helpers. Internal to the
// generator (staffcast::generate); tests and benchmarks use it for
// reproducible inputs.
#pragma once

#include <cstdint>

namespace staffcast::detail::gen {

/// splitmix64 step; also used to derive independent stream keys.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// xoshiro256** 1.0 (Blackman & Vigna), seeded by splitmix64 from a key made
/// of (seed, stream, index), so every slot of the simulation has its own
/// reproducible stream whatever order slots are processed in.
class Xoshiro256 {
 public:
  Xoshiro256(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) noexcept {
    std::uint64_t key = seed;
    std::uint64_t k1 = splitmix64(key);
    key = k1 ^ (stream * 0xd1b54a32d192ed03ULL);
    std::uint64_t k2 = splitmix64(key);
    key = k2 ^ (index * 0x8cb92ba72f3d8dd7ULL);
    for (auto& word : s_) word = splitmix64(key);
  }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform integer in [0, n) (Lemire's nearly divisionless method); n > 0.
  std::uint64_t below(std::uint64_t n) noexcept {
    std::uint64_t high = 0;
    std::uint64_t low = mul128(next(), n, high);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) low = mul128(next(), n, high);
    }
    return high;
  }

  /// Uniform integer in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  /// True with probability ppm / 1,000,000.
  bool chance_ppm(std::uint32_t ppm) noexcept { return below(1000000) < ppm; }

  /// Uniform double in [0, 1) with 53 random bits (exact).
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1p-53; }

  /// Standard exponential variate by von Neumann's comparison method: only
  /// integer comparisons and one exact addition, so the result is the same on
  /// every platform (no log, no rounding that depends on the math library).
  double exponential() noexcept {
    std::uint64_t whole = 0;
    for (;;) {
      const std::uint64_t first = next() >> 11;
      std::uint64_t previous = first;
      bool accept = true;  // accept when the descending run after `first` has even length
      for (;;) {
        const std::uint64_t u = next() >> 11;
        if (u >= previous) break;
        previous = u;
        accept = !accept;
      }
      if (accept) return static_cast<double>(whole) + static_cast<double>(first) * 0x1p-53;
      ++whole;
    }
  }

  /// Approximately standard normal (Irwin–Hall sum of 12 uniforms minus 6,
  /// range ±6), computed exactly in integers.
  double normal() noexcept {
    std::uint64_t sum = 0;
    for (int i = 0; i < 12; ++i) sum += next() >> 11;
    const auto centred = static_cast<std::int64_t>(sum) - (static_cast<std::int64_t>(6) << 53);
    return static_cast<double>(centred) * 0x1p-53;
  }

  /// Poisson variate with mean `lambda` (>= 0): the number of unit-rate
  /// exponential arrivals in [0, lambda). Sums only (exactly rounded, no
  /// fused operations possible), so it is platform independent.
  std::uint32_t poisson(double lambda) noexcept {
    std::uint32_t count = 0;
    double t = exponential();
    while (t < lambda) {
      ++count;
      t += exponential();
    }
    return count;
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  /// Full 64 x 64 -> 128-bit product: returns the low half, stores the high half.
  static std::uint64_t mul128(std::uint64_t a, std::uint64_t b, std::uint64_t& high) noexcept {
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    const u128 product = static_cast<u128>(a) * b;
    high = static_cast<std::uint64_t>(product >> 64);
    return static_cast<std::uint64_t>(product);
#else
    const std::uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
    const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffULL) + lo_hi;
    high = hi_hi + (hi_lo >> 32) + (cross >> 32);
    return (cross << 32) | (lo_lo & 0xffffffffULL);
#endif
  }
  std::uint64_t s_[4];
};

}  // namespace staffcast::detail::gen
