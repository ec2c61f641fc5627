// A fast, deterministic generator of synthetic HR registers.
//
// `generate` writes an employments register (and optionally sick-leave records
// and indicators) that satisfies the input data contract of DESIGN.md §2 and
// looks like a Swedish public-sector organisation: ~75% women, mean age ~44
// with a wave of staff aged 58–66, ~85% permanent / 8% temporary / 7% hourly,
// departures by reason with realistic hazards, internal moves, renewals of
// fixed-term contracts, re-hires, line managers and sick leave.
//
// The same options give byte-identical files on every platform: all
// randomness comes from staffcast's own generator (splitmix64 seeding
// xoshiro256**) and the sampling helpers below use integer arithmetic and
// exactly rounded IEEE operations only (no std:: distributions, no libm).
#pragma once

#include <staffcast/calendar.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace staffcast {

struct GenerateOptions {
  std::size_t persons = 1100;  ///< target headcount (persons employed) on extracted_on
  int years = 10;              ///< years of simulated history before extracted_on (1..60)
  std::uint64_t seed = 1;
  day_t extracted_on = to_day(2024, 9, 30);
  int departments = 0;  ///< 0 = automatic: 3 when persons <= 2000, else about persons / 350
  bool sick_leave = true;
  bool indicators = true;
};

struct GenerateSummary {
  std::size_t spells = 0;              ///< rows in employments.csv
  std::size_t persons_ever = 0;        ///< distinct employee_id in employments.csv
  std::size_t sick_leave_records = 0;  ///< rows in sick_leave.csv (0 when disabled)
  std::size_t indicator_rows = 0;      ///< rows in indicators.csv (0 when disabled)
};

/// Writes OUT_DIR/employments.csv and, when enabled, OUT_DIR/sick_leave.csv
/// and OUT_DIR/indicators.csv (UTF-8 without BOM, LF line ends, header row,
/// minimal RFC 4180 quoting). Creates OUT_DIR if missing. Each file is written
/// to `<name>.tmp` in OUT_DIR and renamed only after all files are complete,
/// so an interrupted run never leaves a half-written file under a final name.
/// Files of a previous run that are not written this time (e.g. sick_leave.csv
/// with `sick_leave = false`) are left untouched.
///
/// Contents: employments.csv has one row per spell, ordered by employee_id
/// (`E` + at least 7 zero-padded digits) and start_date; spells that began
/// before the window (the staff employed at its start) keep their original
/// start dates, up to 35 years earlier. Only temporaries' current contracts
/// end after extracted_on (planned ends). sick_leave.csv covers the window
/// (extracted_on - years .. extracted_on) for monthly-paid spells, each record
/// inside one spell. indicators.csv holds four indicators: HME (yearly),
/// introduction completed (yearly share), threats and violence (per tertial
/// and department), reported work injuries (monthly, no target).
///
/// Throws staffcast::argument_error for bad options (persons == 0 or above
/// 100 million, years outside 1..60, departments < 0 or above 1 million,
/// extracted_on before 1 January of 1950 + years or after 2190-12-31) and
/// staffcast::io_error when a directory or file cannot be created or written.
GenerateSummary generate(const std::string& out_dir, const GenerateOptions& options = {});

namespace detail::gen {

// Generator internals live in their own namespace so that their names cannot
// clash with other staffcast::detail helpers.

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

/// Proleptic Gregorian day number (days since 1970-01-01) without Boost
/// (H. Hinnant's algorithms); used on the generator's hot paths.
constexpr day_t days_from_civil(int y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<day_t>(era * 146097 + static_cast<int>(doe) - 719468);
}

constexpr ymd civil_from_days(day_t z) noexcept {
  const std::int64_t zz = static_cast<std::int64_t>(z) + 719468;
  const std::int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
  const auto doe = static_cast<unsigned>(zz - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int y = static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d};
}

/// `text` as one CSV field, quoted only when it contains a comma, a
/// double quote, CR or LF (quotes doubled).
std::string csv_field(const std::string& text);

}  // namespace detail::gen
}  // namespace staffcast
