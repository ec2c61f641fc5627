// The generator's rates and distributions: yearly hazards by age (integers,
// micro-events per year), contract lengths, slot mix, part-time levels, age
// tables and weighted draws. Private to staffcast::generate.
#pragma once

#include "codes.hpp"

#include <staffcast/generate/detail/random.hpp>

#include <array>
#include <cstddef>

namespace staffcast::detail::gen {

inline constexpr int kMaxAge = 70;

inline constexpr u32 own_request_hazard(int age) {
  return age < 20   ? 180000
         : age < 25 ? 140000
         : age < 30 ? 110000
         : age < 35 ? 75000
         : age < 40 ? 55000
         : age < 45 ? 42000
         : age < 50 ? 33000
         : age < 55 ? 26000
         : age < 60 ? 22000
         : age < 65 ? 18000
                    : 15000;
}
inline constexpr u32 death_hazard(int age) {
  return age < 30 ? 300 : age < 40 ? 500 : age < 50 ? 1000 : age < 60 ? 2500 : 5000;
}
inline constexpr u32 retirement_hazard(int age) {
  switch (age) {
    case 61:
      return 25000;
    case 62:
      return 40000;
    case 63:
      return 60000;
    case 64:
      return 100000;
    case 65:
      return 800000;
    case 66:
      return 900000;
    case 67:
      return 600000;
    case 68:
      return 800000;
    case 69:
      return 2000000;
    default:
      return age >= 55 && age < 61 ? 2000 : age > 69 ? 2000000 : 0;
  }
}
inline constexpr u32 kOtherAdministrationHazard = 10000;
inline constexpr u32 kDismissalHazard = 1500;
inline constexpr u32 kOtherHazard = 3000;
inline constexpr u32 kStaffMoveHazard = 30000;
inline constexpr u32 kDeputyPromotionHazard = 70000;

// Fixed-term contracts: months and weights.
inline constexpr int kContractMonths[] = {3, 4, 5, 6, 9, 12};
inline constexpr u32 kContractWeights[] = {15, 8, 5, 30, 10, 32};
inline constexpr u32 kRenewPpm = 500000;
inline constexpr u32 kConvertPpm = 80000;
inline constexpr u32 kRehirePpm = 40000;

// Slot kinds among staff slots and expected occupancy (calibrated so that
// the headcount on extracted_on is close to `persons`).
inline constexpr u64 kTemporarySlotsPpm = 220000;
inline constexpr u64 kHourlySlotsPpm = 76000;
inline constexpr u64 kOccupancyPpm = 984000;
inline constexpr u64 kGrowthPpmPerYear = 8000;

// fte in hundredths.
inline constexpr u8 kPartTimeFte[] = {50, 60, 75, 80, 85, 90, 95};
inline constexpr u32 kPartTimeWeights[] = {10, 8, 28, 22, 8, 18, 6};

inline u32 pick_weighted(Xoshiro256& rng, const u32* weights, std::size_t n) {
  u64 total = 0;
  for (std::size_t i = 0; i < n; ++i) total += weights[i];
  u64 r = rng.below(total);
  for (std::size_t i = 0; i < n; ++i) {
    if (r < weights[i]) return static_cast<u32>(i);
    r -= weights[i];
  }
  return static_cast<u32>(n - 1);
}

// Age tables (index = age in completed years).
struct AgeTable {
  std::array<u32, kMaxAge + 1> weight{};
  u64 total = 0;
  void finish() {
    total = 0;
    for (const u32 w : weight) total += w;
  }
  int draw(Xoshiro256& rng) const {
    u64 r = rng.below(total);
    for (int a = 0; a <= kMaxAge; ++a) {
      const u32 w = weight[static_cast<std::size_t>(a)];
      if (r < w) return a;
      r -= w;
    }
    return kMaxAge;
  }
};

}  // namespace staffcast::detail::gen
