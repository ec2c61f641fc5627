// Synthetic HR register generator (see staffcast/generate/generate.hpp).
//
// Model. The organisation is a set of *slots* (seats). Each slot is simulated
// on its own, day by day over [extracted_on - years, extracted_on], from its
// own random stream, so the result does not depend on processing order:
//
//  * manager slots, per department: one Avdelningschef, about one Enhetschef
//    per 30 staff and one Biträdande enhetschef per 110 (promoted to
//    Enhetschef by an internal move now and then);
//  * staff slots of three kinds: permanent, temporary (fixed-term contracts of
//    3-12 months that are renewed, converted to permanent or ended) and hourly.
//
// A slot holds one occupant at a time. The occupants present at the window
// start are drawn from an age/tenure profile; later occupants are recruits (or
// re-hired former occupants) who start after a vacancy. Departures are
// competing risks with piecewise-constant yearly hazards by age (own request,
// retirement, other administration, dismissal, death, other) plus internal
// moves; hazards change at birthdays and are sampled with exponential waiting
// times, so dates are day-accurate. A few slots open during the window (about
// 0.8% growth a year).
//
// Determinism. All random numbers come from detail::gen::Xoshiro256 keyed by (seed,
// stream, slot). Rates are integers (micro-events per year); the only floating
// operations are exactly rounded IEEE products/quotients whose results are
// truncated to integers at once, so no fused multiply-add or math library can
// change the output: the same options give byte-identical files everywhere.
//
// Output. Two passes over the slots: the first counts persons (to fix the
// width of employee_id), the second re-simulates each slot, assigns ids in
// slot order, picks line managers and writes rows (and sick leave) through
// large buffers with hand-written number and date formatting.
//
// Files: codes (code tables and catalogue), rates (hazards and distributions),
// organisation (departments, slots, age tables), careers (one slot's
// simulation), sick_leave, indicators, output (buffered files and formatting)
// and this file, which runs the two passes and writes employments.csv. Dates
// and birthdays come from the library's calendar (staffcast/date.hpp).
#include <staffcast/error.hpp>
#include <staffcast/generate/generate.hpp>

#include "careers.hpp"
#include "codes.hpp"
#include "indicators.hpp"
#include "organisation.hpp"
#include "output.hpp"
#include "sick_leave.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace staffcast {
namespace detail::gen {
namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Managers registered while writing (manager slots come first).

struct ManagerSpell {
  day_t start;
  day_t end;
  u64 id;
};

class ManagerRegistry {
 public:
  explicit ManagerRegistry(std::size_t departments)
      : by_level_(4, std::vector<std::vector<ManagerSpell>>(departments)) {}

  void add(Level level, u32 dept, const ManagerSpell& spell) { by_level_[level][dept].push_back(spell); }

  // A manager for a spell of `level` in `dept` on the day `start` (the spell's
  // last observed day): one of the managers of the next level up employed that
  // day (falling back to higher levels), or 0.
  u64 pick(Xoshiro256& rng, Level level, u32 dept, day_t start, u64 self) {
    static constexpr Level kChain[4][3] = {{kUnitHead, kDeputy, kDeptHead},
                                           {kUnitHead, kDeptHead, kDeptHead},
                                           {kDeptHead, kDeptHead, kDeptHead},
                                           {kStaff, kStaff, kStaff}};
    if (level == kDeptHead) return 0;
    for (const Level up : kChain[level]) {
      candidates_.clear();
      for (const ManagerSpell& s : by_level_[up][dept]) {
        if (s.start <= start && start <= s.end && s.id != self) candidates_.push_back(s.id);
      }
      if (!candidates_.empty()) return candidates_[static_cast<std::size_t>(rng.below(candidates_.size()))];
    }
    return 0;
  }

 private:
  std::vector<std::vector<std::vector<ManagerSpell>>> by_level_;
  std::vector<u64> candidates_;
};

// ---------------------------------------------------------------------------

void validate(const GenerateOptions& o) {
  if (o.persons == 0) throw argument_error("generate: persons must be at least 1");
  if (o.persons > 100000000) throw argument_error("generate: persons must be at most 100000000");
  if (o.years < 1 || o.years > 60) throw argument_error("generate: years must be between 1 and 60");
  if (o.departments < 0) throw argument_error("generate: departments must be >= 0 (0 = automatic)");
  if (o.departments > 1000000) throw argument_error("generate: departments must be at most 1000000");
  const day_t earliest = to_day(1950 + o.years, 1, 1);
  const day_t latest = to_day(2190, 12, 31);
  if (o.extracted_on < earliest || o.extracted_on > latest) {
    throw argument_error("generate: extracted_on must lie between " + format_iso_date(earliest) + " and " +
                         format_iso_date(latest) + " for years = " + std::to_string(o.years));
  }
}

}  // namespace
}  // namespace detail::gen

GenerateSummary generate(const std::string& out_dir, const GenerateOptions& options) {
  using namespace detail::gen;
  validate(options);
  const fs::path dir(out_dir);
  {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) {
      throw io_error("cannot create directory " + out_dir + (ec ? ": " + ec.message() : ""));
    }
  }
  const Model model(options);
  SlotSimulator sim(model);
  const std::size_t slots = model.slot_count();

  // Pass 1: count persons to fix the width of employee_id.
  u64 persons_ever = 0;
  for (std::size_t s = 0; s < slots; ++s) {
    sim.run(s);
    persons_ever += sim.persons.size();
  }
  const int width = std::max(7, digits_of(persons_ever));

  GenerateSummary summary;
  CsvFile employments(dir, "employments.csv");
  std::unique_ptr<CsvFile> sick;
  if (options.sick_leave) sick = std::make_unique<CsvFile>(dir, "sick_leave.csv");
  std::unique_ptr<CsvFile> indicators;
  if (options.indicators) indicators = std::make_unique<CsvFile>(dir, "indicators.csv");

  employments.write(
      "employee_id,birth_date,gender,employment_form,position,department,fte,start_date,end_date,end_reason,"
      "recruitment_source,manager_id\n");
  if (sick) sick->write("employee_id,start_date,end_date,extent\n");
  std::size_t max_field = 0;
  for (const auto& f : model.position_fields) max_field = std::max(max_field, f.size());
  for (const auto& d : model.depts) max_field = std::max(max_field, d.field.size());
  const std::size_t max_row = 256 + 2 * max_field;

  ManagerRegistry managers(model.depts.size());
  std::vector<bool> staffed(model.depts.size(), false);
  std::optional<SickLeaveWriter> sick_writer;
  if (sick) sick_writer.emplace(model, *sick, width);
  std::vector<u32> order;
  std::vector<SpellRec> sorted;
  u64 next_id = 1;

  // Pass 2: re-simulate and write.
  for (std::size_t s = 0; s < slots; ++s) {
    sim.run(s);
    const u64 base = next_id;
    next_id += sim.persons.size();
    sorted.assign(sim.spells.begin(), sim.spells.end());
    // (person, start) is unique: a person's spells never start on the same day.
    std::sort(sorted.begin(), sorted.end(), [](const SpellRec& a, const SpellRec& b) {
      return a.person != b.person ? a.person < b.person : a.start < b.start;
    });
    Xoshiro256 manager_rng(options.seed, kStreamManager, s);
    for (const SpellRec& sp : sorted) {
      const u64 id = base + sp.person;
      const PersonRec& p = sim.persons[sp.person];
      // Exports hold the manager of the spell's last observed day (today's manager for ongoing spells).
      const day_t manager_day = std::min(sp.end, model.extracted_on);
      const u64 manager = managers.pick(manager_rng, static_cast<Level>(sp.level), sp.dept, manager_day, id);
      char* w = employments.reserve(max_row);
      w = put_id(w, id, width);
      *w++ = ',';
      w = put_date(w, p.birth);
      *w++ = ',';
      *w++ = kGenderCodes[p.gender];
      *w++ = ',';
      w = put_cstr(w, kFormNames[sp.form]);
      *w++ = ',';
      w = put_text(w, model.position_fields[sp.pos]);
      *w++ = ',';
      w = put_text(w, model.depts[sp.dept].field);
      *w++ = ',';
      if (sp.fte != 0) w = put_fixed(w, sp.fte, 2);
      *w++ = ',';
      w = put_date(w, sp.start);
      *w++ = ',';
      if (sp.end != kOpen) w = put_date(w, sp.end);
      *w++ = ',';
      w = put_cstr(w, kReasonNames[sp.reason]);
      *w++ = ',';
      w = put_cstr(w, kSourceNames[sp.source]);
      *w++ = ',';
      if (manager != 0) w = put_id(w, manager, width);
      *w++ = '\n';
      employments.commit_bytes(w);
      ++summary.spells;
      staffed[sp.dept] = true;
      if (sp.level != kStaff) managers.add(static_cast<Level>(sp.level), sp.dept, {sp.start, sp.end, id});
    }
    if (sick_writer) {
      Xoshiro256 sick_rng(options.seed, kStreamSick, s);
      std::size_t i = 0;
      while (i < sorted.size()) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j].person == sorted[i].person) ++j;
        sick_writer->person(sick_rng, base + sorted[i].person, sim.persons[sorted[i].person], sorted.data() + i, j - i);
        i = j;
      }
    }
  }
  summary.persons_ever = static_cast<std::size_t>(next_id - 1);
  if (indicators) summary.indicator_rows = write_indicators(model, staffed, *indicators);
  if (sick_writer) summary.sick_leave_records = sick_writer->records;

  employments.finish();
  if (sick) sick->finish();
  if (indicators) indicators->finish();
  employments.commit();
  if (sick) sick->commit();
  if (indicators) indicators->commit();
  return summary;
}

}  // namespace staffcast
