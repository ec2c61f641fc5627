// The organisation the generator simulates: departments drawn from the
// catalogue, the slot layout (managers, then staff of three kinds) and the age
// tables of initial staff and recruits.
#include "organisation.hpp"
#include "output.hpp"

#include <staffcast/io/table_format.hpp>

#include <algorithm>
#include <iterator>
#include <string>

namespace staffcast::detail::gen {

Model::Model(const GenerateOptions& options) : opt(options) {
  extracted_on = options.extracted_on;
  window_start = add_years(extracted_on, -options.years);
  min_birth = to_day(1900, 1, 1);
  build_catalogue();
  build_tables();
  build_slots();
}

u64 Model::coprime_step(u64 n, u64 numerator_ppm) {
  if (n <= 2) return 1;
  u64 step = std::max<u64>(1, (n * numerator_ppm) / 1000000);
  auto gcd = [](u64 a, u64 b) {
    while (b != 0) {
      const u64 t = a % b;
      a = b;
      b = t;
    }
    return a;
  };
  while (gcd(step, n) != 1) ++step;
  return step;
}

void Model::build_catalogue() {
  for (std::size_t i = 0; i < kPositionCount; ++i) position_fields[i] = csv_field(kPositions[i].name);
  for (const auto& def : profile_defs()) {
    Profile pr;
    for (const auto& wp : def) {
      pr.total += wp.weight;
      pr.pos.push_back(wp.pos);
      pr.cumulative.push_back(pr.total);
    }
    profiles.push_back(std::move(pr));
  }
  std::size_t n = opt.departments > 0   ? static_cast<std::size_t>(opt.departments)
                  : opt.persons <= 2000 ? 3
                                        : std::max<std::size_t>(3, (opt.persons + 175) / 350);
  Xoshiro256 rng(opt.seed, kStreamCatalog, 0);
  const char* social[] = {"Barn och unga", "Vuxen", "Försörjningsstöd"};
  const u32 social_weight[] = {420, 330, 250};
  const int width = std::max(4, digits_of(n));
  depts.resize(n);
  for (std::size_t d = 0; d < n; ++d) {
    Department& dep = depts[d];
    if (d < 3) {
      dep.field = csv_field(social[d]);
      dep.weight = n <= 3 ? social_weight[d] : social_weight[d] + 100;
      dep.profile = static_cast<u32>(d);
    } else {
      char name[64] = "Avdelning ";
      char* end = put_padded(name + 10, d + 1, width);
      dep.field = csv_field(std::string(name, end));
      dep.weight = 100 + static_cast<u32>(rng.below(601));
      dep.profile = 3 + pick_weighted(rng, kGenericProfileWeights, std::size(kGenericProfileWeights));
    }
    dept_total += dep.weight;
    dept_cumulative.push_back(dept_total);
  }
}

void Model::build_tables() {
  // Permanent staff at the window start: the stationary age profile of the
  // model (measured on a 40-year run), times a cohort wave for those who
  // are 58-66 on extracted_on (the large cohorts born around 1960 when
  // extracted_on is in the 2020s).
  static constexpr u32 kStationary[] = {8,   20,  53,  99,  142, 168, 205, 249, 326, 389, 456, 509, 555,
                                        601, 648, 700, 745, 774, 798, 817, 847, 880, 927, 934, 901, 864,
                                        862, 872, 895, 914, 932, 932, 903, 918, 904, 933, 923, 911, 879,
                                        870, 846, 825, 761, 740, 687, 649, 523, 359, 184, 77,  44};  // ages 18..68
  for (int a = 18; a <= 68; ++a) {
    u32 w = kStationary[a - 18];
    const int age_at_extraction = a + opt.years;
    if (age_at_extraction >= 58 && age_at_extraction <= 66) w = w * 140 / 100;
    initial_age.weight[static_cast<std::size_t>(a)] = w;
  }
  initial_age.finish();
  // Recruits (permanent and temporary), mean about 36.
  for (int a = 18; a <= 64; ++a) {
    const u32 w = a < 20   ? 4
                  : a < 25 ? 18
                  : a < 30 ? 32
                  : a < 35 ? 28
                  : a < 40 ? 22
                  : a < 45 ? 16
                  : a < 50 ? 12
                  : a < 55 ? 8
                  : a < 60 ? 4
                           : 1;
    recruit_age.weight[static_cast<std::size_t>(a)] = w;
  }
  recruit_age.finish();
  // Hourly: students, some mid-career, retirees.
  for (int a = 18; a <= 68; ++a) {
    const u32 w = a < 25 ? 10 : a < 30 ? 5 : a < 65 ? 2 : 4;
    hourly_age.weight[static_cast<std::size_t>(a)] = w;
  }
  hourly_age.finish();
  for (int a = 32; a <= 66; ++a) {
    const u32 w = a < 38 ? 4 : a < 50 ? 9 : a < 60 ? 8 : a < 64 ? 4 : 1;
    manager_age.weight[static_cast<std::size_t>(a)] = w;
  }
  manager_age.finish();
  for (int a = 30; a <= 60; ++a) {
    const u32 w = a < 35 ? 4 : a < 45 ? 9 : a < 52 ? 7 : 3;
    manager_recruit_age.weight[static_cast<std::size_t>(a)] = w;
  }
  manager_recruit_age.finish();
}

void Model::build_slots() {
  const u64 persons = opt.persons;
  // Manager slots per department.
  std::vector<u32> heads, units, deputies;
  for (u32 d = 0; d < depts.size(); ++d) {
    const u64 size = dept_size(d);
    if (size >= 40) heads.push_back(d);
    const u64 n_units = size >= 8 ? std::max<u64>(1, (size + 15) / 30) : 0;
    for (u64 k = 0; k < n_units; ++k) units.push_back(d);
    const u64 n_deputies = (size + 55) / 110;
    for (u64 k = 0; k < n_deputies; ++k) deputies.push_back(d);
  }
  level_begin[kDeptHead] = 0;
  level_begin[kUnitHead] = heads.size();
  level_begin[kDeputy] = heads.size() + units.size();
  manager_slot_dept = heads;
  manager_slot_dept.insert(manager_slot_dept.end(), units.begin(), units.end());
  manager_slot_dept.insert(manager_slot_dept.end(), deputies.begin(), deputies.end());
  manager_slots = manager_slot_dept.size();
  level_begin[kStaff] = manager_slots;

  const u64 total_slots = (persons * 1000000 + kOccupancyPpm / 2) / kOccupancyPpm;
  staff_slots =
      static_cast<std::size_t>(std::max<u64>(1, total_slots > manager_slots ? total_slots - manager_slots : 1));
  // Initial staff slots: staff_slots / (1 + g)^years, in integers (ppm).
  u64 initial = staff_slots;
  for (int y = 0; y < opt.years; ++y)
    initial = (initial * 1000000 + (1000000 + kGrowthPpmPerYear) / 2) / (1000000 + kGrowthPpmPerYear);
  staff_initial = static_cast<std::size_t>(std::max<u64>(1, initial));
  dept_step = coprime_step(staff_slots, 618034);
  kind_step = coprime_step(staff_slots, 754878);
}

}  // namespace staffcast::detail::gen
