// The organisation the generator simulates: its departments, the layout of
// its slots (seats) and the age tables people are drawn from. Private to
// staffcast::generate.
#pragma once

#include "codes.hpp"
#include "rates.hpp"

#include <staffcast/generate/detail/random.hpp>
#include <staffcast/generate/generate.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

namespace staffcast::detail::gen {

struct SlotInfo {
  Level level;
  Form kind;
  u32 dept;
  bool initial;
};

class Model {
 public:
  explicit Model(const GenerateOptions& options);

  GenerateOptions opt;
  day_t extracted_on = 0;
  day_t window_start = 0;
  day_t min_birth = 0;

  std::array<std::string, kPositionCount> position_fields;
  std::vector<Profile> profiles;
  std::vector<Department> depts;
  std::vector<u64> dept_cumulative;  // for drawing a department by size
  u64 dept_total = 0;

  // Slot layout: [dept heads][unit heads][deputies][staff].
  std::vector<u32> manager_slot_dept;
  std::array<std::size_t, 4> level_begin{};  // first slot index of each Level (kStaff = first staff slot)
  std::size_t manager_slots = 0;
  std::size_t staff_slots = 0;
  std::size_t staff_initial = 0;
  u64 dept_step = 1;
  u64 kind_step = 1;

  AgeTable initial_age, recruit_age, hourly_age, manager_age, manager_recruit_age;

  std::size_t slot_count() const { return manager_slots + staff_slots; }

  SlotInfo slot_info(std::size_t slot) const {
    if (slot < manager_slots) {
      Level level = kDeputy;
      if (slot < level_begin[kUnitHead]) {
        level = kDeptHead;
      } else if (slot < level_begin[kDeputy]) {
        level = kUnitHead;
      }
      return {level, kPermanent, manager_slot_dept[slot], true};
    }
    const u64 i = slot - manager_slots;
    const u64 n = staff_slots;
    // Stratified (low-discrepancy) assignment of departments and kinds.
    const u64 j = (i * dept_step) % n;
    const u64 target = ((2 * j + 1) * dept_total) / (2 * n);
    const auto it = std::upper_bound(dept_cumulative.begin(), dept_cumulative.end(), target);
    const auto dept = static_cast<u32>(
        std::min<std::ptrdiff_t>(it - dept_cumulative.begin(), static_cast<std::ptrdiff_t>(depts.size()) - 1));
    const u64 k = (i * kind_step) % n;
    const u64 frac = (k * 1000000 + 500000) / n;
    const Form kind = frac < kTemporarySlotsPpm                     ? kTemporary
                      : frac < kTemporarySlotsPpm + kHourlySlotsPpm ? kHourly
                                                                    : kPermanent;
    return {kStaff, kind, dept, i < staff_initial};
  }

  u16 draw_position(Xoshiro256& rng, u32 dept) const {
    const Profile& pr = profiles[depts[dept].profile];
    const u64 r = rng.below(pr.total);
    const auto it = std::upper_bound(pr.cumulative.begin(), pr.cumulative.end(), r);
    return pr.pos[static_cast<std::size_t>(it - pr.cumulative.begin())];
  }
  bool profile_has(u32 dept, u16 pos) const {
    const Profile& pr = profiles[depts[dept].profile];
    return std::find(pr.pos.begin(), pr.pos.end(), pos) != pr.pos.end();
  }
  u32 draw_department(Xoshiro256& rng) const {
    const u64 r = rng.below(dept_total);
    const auto it = std::upper_bound(dept_cumulative.begin(), dept_cumulative.end(), r);
    return static_cast<u32>(it - dept_cumulative.begin());
  }
  // Expected headcount of a department.
  u64 dept_size(u32 dept) const { return (static_cast<u64>(opt.persons) * depts[dept].weight) / dept_total; }

 private:
  static u64 coprime_step(u64 n, u64 numerator_ppm);
  void build_catalogue();
  void build_tables();
  void build_slots();
};

}  // namespace staffcast::detail::gen
