#include <staffcast/stats/equality.hpp>

#include <staffcast/detail/person_day.hpp>
#include <staffcast/detail/sick_leave_rates.hpp>
#include <staffcast/stats/sick_leave_rates.hpp>

namespace staffcast {

Table equality(const Register& reg, const SickLeave* sick, day_t as_of, const EqualityOptions& options,
               const Query& query) {
  detail::require_observed(reg, query, as_of, as_of);
  const SpellColumns& s = reg.spells();
  std::vector<bool> managerial(reg.positions().size(), false);
  for (const std::string& name : options.manager_positions) {
    const auto code = reg.positions().find(name);
    if (!code) throw argument_error("no position '" + name + "' in the register");
    managerial[*code] = true;
  }
  std::vector<std::uint32_t> main_of(reg.persons(), no_code);
  std::vector<int> fte_of(reg.persons(), 0);
  detail::PersonOnDay person;
  detail::for_each_person(s, [&](std::size_t b, std::size_t e) {
    detail::person_on_day(reg, query.filter, b, e, as_of, person);
    if (person.main == no_code) return;
    main_of[s.person[person.main]] = person.main;
    fte_of[s.person[person.main]] = person.fte;
  });
  std::vector<bool> manager(reg.persons(), false);
  for (std::size_t p = 0; p < reg.persons(); ++p) {
    const std::uint32_t spell = main_of[p];
    if (spell == no_code) continue;
    if (managerial[s.position[spell]]) manager[p] = true;
    const std::uint32_t boss = s.manager[spell];
    if (boss != no_code && boss < reg.persons() && main_of[boss] != no_code) manager[boss] = true;
  }
  // counts[measure][gender] = {numerator, denominator}
  enum { permanent, full_time, long_sick, managers, measures };
  double num[measures][3] = {}, den[measures][3] = {};
  double staff[3] = {}, manager_count[3] = {};
  for (std::size_t p = 0; p < reg.persons(); ++p) {
    const std::uint32_t spell = main_of[p];
    if (spell == no_code) continue;
    const auto g = static_cast<std::size_t>(s.gender[spell]);
    staff[g] += 1;
    num[permanent][g] += s.employment_form[spell] == EmploymentForm::permanent ? 1 : 0;
    den[permanent][g] += 1;
    if (fte_of[p] > 0) {
      num[full_time][g] += fte_of[p] >= 100 ? 1 : 0;
      den[full_time][g] += 1;
    }
    num[managers][g] += manager[p] ? 1 : 0;
    den[managers][g] += 1;
    manager_count[g] += manager[p] ? 1 : 0;
  }
  if (sick != nullptr) {
    // Persons with fte employed in the year up to as_of, and whether a long absence overlaps it.
    const day_t from = add_years(as_of, -1) + 1;
    std::vector<std::int8_t> gender_of(reg.persons(), -1);
    detail::for_each_person(s, [&](std::size_t b, std::size_t e) {
      std::uint32_t best = no_code;
      for (std::size_t i = b; i < e; ++i) {
        if (s.fte[i] == 0 || s.start_date[i] > as_of || s.end_date[i] < from || !query.filter.passes(reg, i)) continue;
        if (best == no_code || is_better_main_spell(s, i, best)) best = static_cast<std::uint32_t>(i);
      }
      if (best != no_code) gender_of[s.person[b]] = static_cast<std::int8_t>(s.gender[best]);
    });
    std::vector<bool> long_absence(reg.persons(), false);
    std::vector<detail::SickPiece> pieces;
    SickLeave one;
    for (std::size_t r = 0; r < sick->size();) {
      std::size_t k = r;
      while (k < sick->size() && sick->person[k] == sick->person[r]) ++k;
      const auto code = reg.ids().find(sick->ids[sick->person[r]]);
      if (code && *code < reg.persons() && gender_of[*code] >= 0) {
        one.start_date.assign(sick->start_date.begin() + static_cast<std::ptrdiff_t>(r),
                              sick->start_date.begin() + static_cast<std::ptrdiff_t>(k));
        one.end_date.assign(sick->end_date.begin() + static_cast<std::ptrdiff_t>(r),
                            sick->end_date.begin() + static_cast<std::ptrdiff_t>(k));
        one.extent.assign(sick->extent.begin() + static_cast<std::ptrdiff_t>(r),
                          sick->extent.begin() + static_cast<std::ptrdiff_t>(k));
        detail::person_absences(one, 0, k - r, options.long_term_days, pieces);
        for (const auto& piece : pieces) {
          if (piece.long_absence && piece.first <= as_of && piece.last >= from) long_absence[*code] = true;
        }
      }
      r = k;
    }
    for (std::size_t p = 0; p < reg.persons(); ++p) {
      if (gender_of[p] < 0) continue;
      const auto g = static_cast<std::size_t>(gender_of[p]);
      den[long_sick][g] += 1;
      num[long_sick][g] += long_absence[p] ? 1 : 0;
    }
  }
  Table table;
  table.key_names = {"measure"};
  table.keys.assign(1, {});
  ValueColumn women{"women", ValueKind::rate, {}}, men{"men", ValueKind::rate, {}},
      difference{"difference", ValueKind::rate, {}}, women_n{"women_n", ValueKind::count, {}},
      men_n{"men_n", ValueKind::count, {}};
  const auto F = static_cast<std::size_t>(Gender::F);
  const auto M = static_cast<std::size_t>(Gender::M);
  auto add = [&](const char* name, double wn, double wd, double mn, double md) {
    const double w = wd > 0 ? wn / wd : missing;
    const double m = md > 0 ? mn / md : missing;
    table.keys[0].push_back(name);
    women.values.push_back(w);
    men.values.push_back(m);
    difference.values.push_back(w - m);
    women_n.values.push_back(wd);
    men_n.values.push_back(md);
  };
  add("share_permanent", num[permanent][F], den[permanent][F], num[permanent][M], den[permanent][M]);
  add("full_time_share", num[full_time][F], den[full_time][F], num[full_time][M], den[full_time][M]);
  if (sick != nullptr) {
    add("long_term_sick", num[long_sick][F], den[long_sick][F], num[long_sick][M], den[long_sick][M]);
  }
  add("share_managers", num[managers][F], den[managers][F], num[managers][M], den[managers][M]);
  const double all_managers = manager_count[0] + manager_count[1] + manager_count[2];
  const double all_staff = staff[0] + staff[1] + staff[2];
  add("share_of_managers", manager_count[F], all_managers, manager_count[M], all_managers);
  add("share_of_staff", staff[F], all_staff, staff[M], all_staff);
  table.values = {std::move(women), std::move(men), std::move(difference), std::move(women_n), std::move(men_n)};
  return table;
}

}  // namespace staffcast
