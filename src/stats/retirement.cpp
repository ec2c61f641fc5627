#include <staffcast/stats/retirement.hpp>

#include <staffcast/detail/flow_events.hpp>
#include <staffcast/detail/group_sums.hpp>
#include <staffcast/detail/person_day.hpp>
#include <staffcast/detail/totals.hpp>
#include <staffcast/stats/flows.hpp>
#include <staffcast/stats/snapshot.hpp>

#include <cmath>
#include <string>
#include <vector>

namespace staffcast {

namespace detail {

/// Outlook years: consecutive calendar years after the as-of year, at most 2199
/// (checked in 64 bits, so that no year can overflow or leave the calendar).
inline void check_outlook_years(const std::vector<int>& years, day_t as_of) {
  if (years.empty()) throw argument_error("at least one year is needed");
  for (std::size_t k = 1; k < years.size(); ++k) {
    if (static_cast<std::int64_t>(years[k]) != static_cast<std::int64_t>(years[k - 1]) + 1) {
      throw argument_error("years must be consecutive");
    }
  }
  if (years.front() <= to_ymd(as_of).year) throw argument_error("the years must come after the as-of year");
  if (years.back() > 2199) throw argument_error("years must lie before 2200");
}

}  // namespace detail

namespace detail {

/// Quantiles of a Poisson-binomial count (a sum of independent Bernoulli(p_i)),
/// by exact convolution on a window that drops mass below mean − 12 sd of the
/// partial sums and above mean + 12 sd of the whole sum (each below 1e-30 of
/// the total; a partial sum above the whole sum's bound stays above it), so a
/// large group costs its spread, not its size, per person.
inline std::pair<double, double> poisson_binomial_quantiles(const std::vector<double>& p, double lower, double upper) {
  double total_mean = 0, total_variance = 0;
  for (double pi : p) {
    if (pi <= 0.0) continue;
    total_mean += pi;
    total_variance += pi * (1.0 - pi);
  }
  const double ceiling = total_mean + 12.0 * std::sqrt(total_variance) + 16.0;
  std::vector<double> pmf{1.0};
  std::size_t offset = 0;  // pmf[k] = P(S = offset + k)
  double mean = 0, variance = 0;
  for (double pi : p) {
    if (pi <= 0.0) continue;
    if (static_cast<double>(offset + pmf.size()) <= ceiling) pmf.push_back(0.0);
    for (std::size_t k = pmf.size() - 1; k > 0; --k) pmf[k] = pmf[k] * (1.0 - pi) + pmf[k - 1] * pi;
    pmf[0] *= 1.0 - pi;
    mean += pi;
    variance += pi * (1.0 - pi);
    const double floor = mean - 12.0 * std::sqrt(variance) - 16.0;
    std::size_t drop = 0;
    while (drop + 1 < pmf.size() && static_cast<double>(offset + drop) < floor) ++drop;
    if (drop > 0) {
      pmf.erase(pmf.begin(), pmf.begin() + static_cast<std::ptrdiff_t>(drop));
      offset += drop;
    }
  }
  auto quantile = [&](double level) {
    double cumulative = 0;
    for (std::size_t k = 0; k < pmf.size(); ++k) {
      cumulative += pmf[k];
      if (cumulative >= level - 1e-12) return static_cast<double>(offset + k);
    }
    return static_cast<double>(offset + pmf.size() - 1);
  };
  return {quantile(lower), quantile(upper)};
}

}  // namespace detail

Table retirement_outlook(const Register& reg, day_t as_of, const std::vector<int>& years, int age, const Query& query) {
  detail::check_outlook_years(years, as_of);
  if (age < 1 || age > 120) throw argument_error("retirement age must be between 1 and 120");
  detail::require_observed(reg, query, as_of, as_of);
  const SpellColumns& s = reg.spells();
  GroupKeys keys(reg, query.by);
  keys.fix_day(as_of);
  const std::size_t n = years.size();
  // The age-th birthday falls in the birth year + age (29 February moves to 28 February, never
  // to another year), so it is before 1 January of the first year exactly when that year is earlier.
  // born_from[y]: the first birth day whose birthday falls in years[y]; born_from[n]: the first after.
  std::vector<day_t> born_from(n + 1);
  for (std::size_t y = 0; y <= n; ++y) born_from[y] = to_day(years.front() - age + static_cast<int>(y), 1, 1);
  // Columns: already past, then each year.
  auto per_person = [&](detail::GroupSums& sums, std::uint32_t main, int person_fte, const std::uint32_t*,
                        std::size_t) {
    const day_t birth = s.birth_date[main];
    const std::uint64_t key = keys.key(main, as_of, person_fte);
    if (birth < born_from.front()) {
      sums.add_later(key, 0, 1);
    } else if (birth < born_from.back()) {
      std::size_t column = 1;  // a day-number comparison per year, not a date conversion per person
      while (birth >= born_from[column]) ++column;
      sums.add_later(key, column, 1);
    } else {
      sums.touch(key);  // the group has a row even when nobody in it retires within the years
    }
  };
  detail::GroupSums sums = detail::sum_over_persons_on_day(reg, query.filter, as_of, n + 1, keys, per_person);
  Table table = sums.sorted_labelled(keys);
  const bool empty_total = keys.by().dimensions.empty() && sums.size() == 0;
  ValueColumn total{"total", ValueKind::count, {}};
  for (std::size_t c = 0; c <= n; ++c) {
    ValueColumn column{c == 0 ? std::string("already_past") : std::to_string(years[c - 1]), ValueKind::count, {}};
    for (std::size_t r = 0; r < sums.size(); ++r) column.values.push_back(sums.sums(r)[c]);
    if (empty_total) column.values.push_back(0);
    table.values.push_back(std::move(column));
  }
  for (std::size_t r = 0; r < sums.size(); ++r) {
    double sum = 0;
    for (std::size_t c = 0; c <= n; ++c) sum += sums.sums(r)[c];
    total.values.push_back(sum);
  }
  if (empty_total) total.values.push_back(0);
  table.values.push_back(std::move(total));
  table.sort_rows();
  detail::append_totals(table, query, [&](const Query& q) { return retirement_outlook(reg, as_of, years, age, q); });
  return table;
}

RetirementProbabilities estimate_retirement_probabilities(const Register& reg, day_t from, day_t to, int age, int upper,
                                                          const Query& query) {
  if (upper < age || age < 1 || upper > 120) throw argument_error("need 1 <= age <= upper <= 120");
  detail::require_observed(reg, query, from, to);
  const SpellColumns& s = reg.spells();
  const std::size_t ages = static_cast<std::size_t>(upper - age + 1);
  RetirementProbabilities out;
  out.from_age = age;
  out.retirements.assign(ages, 0.0);
  out.person_years.assign(ages, 0.0);
  std::vector<std::uint32_t> spells;
  std::vector<day_t> cuts;
  const int first_year = to_ymd(from).year;
  const int last_year = to_ymd(to).year;
  detail::for_each_person(s, [&](std::size_t b, std::size_t e) {
    spells.clear();
    for (std::size_t i = b; i < e; ++i) {
      if (s.start_date[i] <= to && s.end_date[i] >= from && query.filter.passes(reg, i)) {
        spells.push_back(static_cast<std::uint32_t>(i));
      }
    }
    if (spells.empty()) return;
    // Attained age changes on 1 January: cut there as well as at the spells' starts and ends.
    detail::group_change_days(s, spells, from, to, false, false, cuts);
    for (int year = first_year + 1; year <= last_year; ++year) cuts.push_back(to_day(year, 1, 1));
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const day_t day = cuts[k];
      int fte = 0;
      const std::uint32_t main = detail::main_spell_on(s, spells, day, fte);
      if (main == no_code) continue;
      const int attained = to_ymd(day).year - to_ymd(s.birth_date[main]).year;
      if (attained < age || attained > upper) continue;
      out.person_years[static_cast<std::size_t>(attained - age)] += (cuts[k + 1] - day) / 365.25;
    }
  });
  for_each_flow_event(reg, query.filter, from, to, detail::extraction_day(reg, query), [&](const FlowEvent& event) {
    if (event.kind != EventKind::departure || event.reason != EndReason::retirement) return;
    const int attained = to_ymd(event.day).year - to_ymd(s.birth_date[event.spell]).year;
    if (attained >= age && attained <= upper) out.retirements[static_cast<std::size_t>(attained - age)] += 1;
  });
  out.q.resize(ages);
  for (std::size_t k = 0; k < ages; ++k) {
    const double m = out.person_years[k] > 0 ? out.retirements[k] / out.person_years[k] : 0.0;
    out.q[k] = 1.0 - std::exp(-m);
  }
  out.q.back() = 1.0;
  return out;
}

Table probabilistic_retirement_outlook(const Register& reg, day_t as_of, const std::vector<int>& years,
                                       const RetirementProbabilities& q, const Query& query) {
  detail::check_outlook_years(years, as_of);
  detail::require_observed(reg, query, as_of, as_of);
  const SpellColumns& s = reg.spells();
  GroupKeys keys(reg, query.by);
  keys.fix_day(as_of);
  const std::size_t n = years.size();
  struct Person {
    std::uint64_t key;
    int birth_year;
    bool past;
  };
  std::vector<Person> persons;
  detail::PersonOnDay person;
  detail::for_each_person(s, [&](std::size_t b, std::size_t e) {
    detail::person_on_day(reg, query.filter, b, e, as_of, person);
    if (person.main == no_code) return;
    const day_t reaches = birthday(s.birth_date[person.main], q.from_age);
    persons.push_back({keys.key(person.main, as_of, person.fte), to_ymd(s.birth_date[person.main]).year,
                       reaches < to_day(years.front(), 1, 1)});
  });
  std::stable_sort(persons.begin(), persons.end(), [](const Person& a, const Person& b) { return a.key < b.key; });
  Table table;
  for (const Dimension& d : keys.by().dimensions) table.key_names.push_back(d.name);
  table.key_names.push_back("year");
  table.keys.assign(table.key_names.size(), {});
  ValueColumn already{"already_past", ValueKind::count, {}}, expected{"expected", ValueKind::number, {}},
      from_past{"from_already_past", ValueKind::number, {}}, share{"share_leaving", ValueKind::rate, {}},
      total{"total_expected", ValueKind::number, {}}, p5{"p5", ValueKind::count, {}}, p95{"p95", ValueKind::count, {}};
  std::vector<double> staying, probabilities;
  for (std::size_t g = 0; g < persons.size();) {
    std::size_t h = g;
    while (h < persons.size() && persons[h].key == persons[g].key) ++h;
    const auto labels = keys.labels(persons[g].key);
    staying.assign(h - g, 1.0);  // probability of not having retired before the year
    double past_count = 0;
    for (std::size_t i = g; i < h; ++i) past_count += persons[i].past ? 1 : 0;
    for (std::size_t y = 0; y < n; ++y) {
      double reaching = 0, past = 0, past_staying = 0;
      probabilities.clear();
      for (std::size_t i = g; i < h; ++i) {
        const int attained = years[y] - persons[i].birth_year;
        const double p = staying[i - g] * q.at(attained);
        probabilities.push_back(p);
        if (persons[i].past) {
          past += p;
          past_staying += staying[i - g];
        } else {
          reaching += p;
        }
        staying[i - g] -= p;
      }
      const auto [lo, hi] = detail::poisson_binomial_quantiles(probabilities, 0.05, 0.95);
      for (std::size_t k = 0; k < labels.size(); ++k) table.keys[k].push_back(labels[k]);
      table.keys.back().push_back(std::to_string(years[y]));
      already.values.push_back(past_count);
      expected.values.push_back(reaching);
      from_past.values.push_back(past);
      share.values.push_back(past_staying > 0 ? past / past_staying : missing);
      total.values.push_back(reaching + past);
      p5.values.push_back(lo);
      p95.values.push_back(hi);
    }
    g = h;
  }
  table.values = {std::move(already), std::move(expected), std::move(from_past), std::move(share),
                  std::move(total),   std::move(p5),       std::move(p95)};
  table.sort_rows();
  if (query.totals && !keys.by().dimensions.empty()) {
    const Table all = probabilistic_retirement_outlook(reg, as_of, years, q, query.ungrouped());
    for (std::size_t r = 0; r < all.rows(); ++r) {
      for (std::size_t k = 0; k + 1 < table.keys.size(); ++k) table.keys[k].push_back(k == 0 ? "Total" : "");
      table.keys.back().push_back(all.keys.back()[r]);
      for (std::size_t c = 0; c < table.values.size(); ++c) table.values[c].values.push_back(all.values[c].values[r]);
    }
  }
  return table;
}

}  // namespace staffcast
