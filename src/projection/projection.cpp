#include <staffcast/projection/projection.hpp>

#include <staffcast/detail/flow_events.hpp>
#include <staffcast/detail/group_sums.hpp>
#include <staffcast/detail/move_rows.hpp>
#include <staffcast/detail/person_day.hpp>
#include <staffcast/detail/projection.hpp>
#include <staffcast/models/rates.hpp>
#include <staffcast/models/transition.hpp>
#include <staffcast/projection/scenario.hpp>
#include <staffcast/projection/scenario_rules.hpp>
#include <staffcast/stats/retirement.hpp>

#include <Eigen/Dense>
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace staffcast {

const std::vector<std::string>& projection_measures() {
  static const std::vector<std::string> names{"start",    "retirements", "other_exits", "moves_out", "moves_in",
                                              "recruits", "end",         "start_fte",   "end_fte",   "recruits_fte"};
  return names;
}

Eigen::MatrixXd other_exit_probabilities(const ProjectionInputs& in) {
  Eigen::MatrixXd q(in.m_other.rows(), in.m_other.cols());
  for (Eigen::Index g = 0; g < q.rows(); ++g) {
    for (Eigen::Index b = 0; b < q.cols(); ++b) q(g, b) = 1.0 - std::exp(-in.m_other(g, b));
  }
  return q;
}

Eigen::MatrixXd target_stocks(const ProjectionInputs& in) {
  const auto g_count = static_cast<Eigen::Index>(in.groups());
  Eigen::MatrixXd t(in.years, g_count);
  for (Eigen::Index g = 0; g < g_count; ++g) {
    double value = in.target0[static_cast<std::size_t>(g)];
    for (int y = 0; y < in.years; ++y) {
      value = value * (1.0 + in.growth);
      t(y, g) = value;
    }
  }
  return t;
}

void validate_projection_inputs(const ProjectionInputs& in, const detail::MoveRows& move_rows) {
  const std::size_t n = in.persons(), g_count = in.groups();
  if (in.birth_year.size() != n || in.fte.size() != n || in.gender.size() != n) {
    throw argument_error("group, birth_year, fte and gender must have one entry per person");
  }
  if (g_count == 0) throw argument_error("a projection needs at least one group");
  // Reductions first (they vectorise; the inputs are checked on every simulate call), the
  // offending person only when one fails.
  bool persons_ok = true;
  for (std::size_t i = 0; i < n; ++i) {
    persons_ok &=
        (in.group[i] < g_count) & (in.fte[i] <= 100) & (in.birth_year[i] >= -100000) & (in.birth_year[i] <= 100000);
  }
  for (std::size_t i = 0; i < n && !persons_ok; ++i) {
    if (in.group[i] >= g_count) throw argument_error("person " + std::to_string(i) + " has an unknown group code");
    if (in.fte[i] > 100) throw argument_error("fte is in hundredths, at most 100");
    if (in.birth_year[i] < -100000 || in.birth_year[i] > 100000) throw argument_error("birth_year out of range");
  }
  for (const auto& labels : in.group_labels) {
    if (labels.size() != in.dimensions.size()) throw argument_error("every group needs one label per dimension");
  }
  require_projection_years(in.years);
  if (in.retirement_age < 1 || in.upper_age < in.retirement_age || in.upper_age > 130) {
    throw argument_error("need 1 <= retirement_age <= upper_age <= 130");
  }
  if (in.q_ret.size() != static_cast<std::size_t>(in.upper_age - in.retirement_age + 1)) {
    throw argument_error("q_ret needs one probability per age retirement_age..upper_age");
  }
  for (double q : in.q_ret) {
    if (!(q >= 0.0 && q <= 1.0)) throw argument_error("retirement probabilities must lie in [0, 1]");
  }
  if (in.rate_band_lower.empty() || in.rate_band_lower.size() != in.rate_band_labels.size()) {
    throw argument_error("rate bands need lower bounds and labels");
  }
  if (in.m_other.rows() != static_cast<Eigen::Index>(g_count) ||
      in.m_other.cols() != static_cast<Eigen::Index>(in.rate_band_lower.size())) {
    throw argument_error("m_other must be groups x rate bands");
  }
  for (Eigen::Index i = 0; i < in.m_other.size(); ++i) {
    const double v = in.m_other.data()[i];
    if (!(v >= 0.0) || !std::isfinite(v)) throw argument_error("other-separation rates must be finite and >= 0");
  }
  if (in.move.rows() != static_cast<Eigen::Index>(g_count) || in.move.cols() != in.move.rows()) {
    throw argument_error("the move matrix must be groups x groups");
  }
  if (!move_rows.square || move_rows.sum.size() != g_count) throw argument_error("move rows of another matrix");
  // The first row, in order, with a bad entry or a sum off 1 (its entries checked first).
  for (std::size_t g = 0; g < g_count; ++g) {
    if (!move_rows.entries_ok[g]) throw argument_error("move probabilities must be finite and >= 0");
    const double sum = move_rows.sum[g];
    if (std::abs(sum - 1.0) > 1e-9) {
      throw argument_error("row " + std::to_string(g) + " of the move matrix sums to " + std::to_string(sum) +
                           ", not 1 (moves are conditional on staying)");
    }
  }
  if (in.pool_offset.size() != g_count + 1 || in.pool_offset.front() != 0 ||
      in.pool_offset.back() != in.pool_age.size() || in.pool_fte.size() != in.pool_age.size()) {
    throw argument_error("recruit pools: pool_offset must have groups + 1 entries from 0 to the pool size");
  }
  for (std::size_t g = 0; g < g_count; ++g) {
    if (in.pool_offset[g + 1] < in.pool_offset[g]) throw argument_error("pool_offset must not decrease");
  }
  if (!in.pool_fte.empty() && *std::max_element(in.pool_fte.begin(), in.pool_fte.end()) > 100) {
    throw argument_error("recruit fte is in hundredths, at most 100");
  }
  if (!in.recruits_per_year.empty()) {
    if (in.recruits_per_year.size() != g_count) {
      throw argument_error("recruits_per_year needs one value per group (or none: recruits hold the target)");
    }
    for (double r : in.recruits_per_year) {
      if (!(r >= 0.0) || !(r <= 1e7)) throw argument_error("recruits per year must lie in [0, 10000000]");
    }
  }
  if (in.target0.size() != g_count) throw argument_error("target0 needs one value per group");
  for (double t : in.target0) {
    if (!(t >= 0.0) || !std::isfinite(t)) throw argument_error("target stocks must be finite and >= 0");
  }
  if (!(in.growth >= -0.5 && in.growth <= 0.5)) throw argument_error("growth must lie in [-0.5, 0.5]");
  if (in.freeze_years < 0) throw argument_error("freeze years must be >= 0");
  if (!(in.part_time_share >= 0.0 && in.part_time_share <= 1.0)) {
    throw argument_error("the part-time to full-time share must lie in [0, 1]");
  }
  if (in.output_band_lower.empty() || in.output_band_lower.size() != in.output_band_labels.size()) {
    throw argument_error("output age bands need lower bounds and labels");
  }
  const std::size_t expected_by = in.dimensions.size() + (in.age_band_position >= 0 ? 1 : 0);
  if (in.output_by.size() != expected_by) throw argument_error("output_by must be the dimensions plus age_band");
}

void require_projection_years(long long years, std::string_view name) {
  if (years < 1 || years > max_projection_years) {
    throw argument_error(std::string(name) + " must be between 1 and " + std::to_string(max_projection_years));
  }
}

void validate_projection_inputs(const ProjectionInputs& in) {
  validate_projection_inputs(in, detail::scan_move_rows(in.move));
}

ProjectionInputs estimate_projection_inputs(const Register& reg, day_t as_of, const Query& query,
                                            const ProjectionOptions& options) {
  require_projection_years(options.years);
  if (options.rate_years < 1 || options.rate_years > 50) throw argument_error("rate_years must be between 1 and 50");
  if (options.retirement_age < 1 || options.upper_age < options.retirement_age || options.upper_age > 120) {
    throw argument_error("need 1 <= retirement age <= upper age <= 120");
  }
  if (!(options.growth >= -0.5 && options.growth <= 0.5)) throw argument_error("growth must lie in [-0.5, 0.5]");
  detail::require_observed(reg, query, as_of, as_of);
  const SpellColumns& s = reg.spells();

  ProjectionInputs in;
  in.as_of = as_of;
  in.base_year = to_ymd(as_of).year;
  in.years = options.years;
  in.retirement_age = options.retirement_age;
  in.upper_age = options.upper_age;
  in.growth = options.growth;

  // The static grouping, and age_band as an output dimension.
  Query group_query = query;
  group_query.totals = false;
  group_query.by.dimensions.clear();
  bool movable = false;
  for (std::size_t k = 0; k < query.by.dimensions.size(); ++k) {
    const Dimension& d = query.by.dimensions[k];
    in.output_by.push_back(d.name);
    switch (d.kind) {
      case DimensionKind::age_band:
        in.age_band_position = static_cast<int>(k);
        continue;
      case DimensionKind::fte_band:
      case DimensionKind::tenure_band:
        throw argument_error("a projection cannot group by " + d.name +
                             "; use department, position, employment_form, gender, age_band or a pass-through column");
      case DimensionKind::department:
      case DimensionKind::position:
      case DimensionKind::employment_form:
        movable = true;
        break;
      default:
        break;
    }
    group_query.by.dimensions.push_back(d);
    in.dimensions.push_back(d.name);
  }
  in.output_band_lower = query.by.age_bands.lower;
  in.output_band_labels = query.by.age_bands.labels;
  const Bands rate_bands = default_age_bands();
  in.rate_band_lower = rate_bands.lower;
  in.rate_band_labels = rate_bands.labels;
  const GroupKeys keys(reg, group_query.by);

  // The population on D, and its groups in label order.
  struct Person {
    std::uint64_t key;
    std::int32_t birth_year;
    std::uint8_t fte, gender;
  };
  std::vector<Person> people;
  detail::PersonOnDay person;
  detail::for_each_person(s, [&](std::size_t b, std::size_t e) {
    detail::person_on_day(reg, query.filter, b, e, as_of, person);
    if (person.main == no_code) return;
    people.push_back({keys.key(person.main, as_of, person.fte), to_ymd(s.birth_date[person.main]).year,
                      static_cast<std::uint8_t>(std::min(person.fte, 100)),
                      static_cast<std::uint8_t>(s.gender[person.main])});
  });
  if (people.empty()) throw argument_error("nobody is employed on " + format_iso_date(as_of) + " (after filters)");
  std::map<std::uint64_t, std::vector<std::string>> labels_of;
  for (const Person& p : people) {
    if (!labels_of.count(p.key)) labels_of.emplace(p.key, keys.labels(p.key));
  }
  std::vector<std::pair<std::vector<std::string>, std::uint64_t>> sorted;
  for (const auto& [key, labels] : labels_of) sorted.emplace_back(labels, key);
  std::sort(sorted.begin(), sorted.end());
  std::map<std::uint64_t, std::uint32_t> code_of;
  std::map<std::vector<std::string>, std::uint32_t> code_of_labels;
  for (const auto& [labels, key] : sorted) {
    const auto code = static_cast<std::uint32_t>(in.group_labels.size());
    code_of[key] = code;
    code_of_labels[labels] = code;
    in.group_labels.push_back(labels);
  }
  const std::size_t g_count = in.group_labels.size();
  in.target0.assign(g_count, 0.0);
  for (const Person& p : people) {
    const std::uint32_t g = code_of[p.key];
    in.group.push_back(g);
    in.birth_year.push_back(p.birth_year);
    in.fte.push_back(p.fte);
    in.gender.push_back(p.gender);
    in.target0[g] += 1;
  }

  // The windows, clipped to the observed history.
  const day_t observed_from = reg.earliest_observed_end().value_or(reg.earliest_start());
  const day_t rate_from = std::max(observed_from, add_years(as_of, -options.rate_years) + 1);
  const day_t move_from = std::max(observed_from, add_years(as_of, -1));
  in.rate_from = rate_from;

  // Retirement over the whole filtered population.
  Query plain = group_query;
  plain.by.dimensions.clear();
  in.q_ret =
      estimate_retirement_probabilities(reg, rate_from, as_of, options.retirement_age, options.upper_age, plain).q;

  // Other separations per group × default age band, with fallbacks.
  ExitRateOptions rate_options;
  for (std::size_t r = 1; r < end_reason_names.size(); ++r) {
    if (static_cast<EndReason>(r) != EndReason::retirement) rate_options.reasons.push_back(static_cast<EndReason>(r));
  }
  Query banded = group_query;
  banded.by.age_bands = rate_bands;
  banded.by.dimensions.push_back({DimensionKind::age_band, 0, "age_band"});
  const Table cell_rates = exit_rates(reg, rate_from, as_of, banded, rate_options);
  const Table group_rates = exit_rates(reg, rate_from, as_of, group_query, rate_options);
  const Table all_rates = exit_rates(reg, rate_from, as_of, plain, rate_options);
  auto rate_of = [](const Table& t, std::size_t row) { return t.column("rate").values[row]; };
  double population_rate = all_rates.rows() > 0 ? rate_of(all_rates, 0) : missing;
  if (!std::isfinite(population_rate)) population_rate = 0.0;
  std::vector<double> group_rate(g_count, population_rate);
  for (std::size_t r = 0; r < group_rates.rows(); ++r) {
    std::vector<std::string> labels;
    for (const auto& column : group_rates.keys) labels.push_back(column[r]);
    auto it = code_of_labels.find(labels);
    if (it != code_of_labels.end() && std::isfinite(rate_of(group_rates, r)))
      group_rate[it->second] = rate_of(group_rates, r);
  }
  const auto b_count = static_cast<Eigen::Index>(rate_bands.size());
  in.m_other = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(g_count), b_count, missing);
  for (std::size_t r = 0; r < cell_rates.rows(); ++r) {
    std::vector<std::string> labels;
    for (std::size_t k = 0; k + 1 < cell_rates.keys.size(); ++k) labels.push_back(cell_rates.keys[k][r]);
    auto it = code_of_labels.find(labels);
    if (it == code_of_labels.end()) continue;
    const std::string& band = cell_rates.keys.back()[r];
    const auto b = std::find(rate_bands.labels.begin(), rate_bands.labels.end(), band) - rate_bands.labels.begin();
    if (b < b_count && std::isfinite(rate_of(cell_rates, r))) in.m_other(it->second, b) = rate_of(cell_rates, r);
  }
  for (std::size_t g = 0; g < g_count; ++g) {
    for (Eigen::Index b = 0; b < b_count; ++b) {
      if (!std::isfinite(in.m_other(static_cast<Eigen::Index>(g), b))) {
        in.m_other(static_cast<Eigen::Index>(g), b) = group_rate[g];
      }
    }
  }

  // Moves among groups, conditional on staying; only department, position and
  // employment_form move (a change of any other dimension counts as staying).
  in.move = Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(g_count), static_cast<Eigen::Index>(g_count));
  if (movable && move_from < as_of) {
    const TransitionEstimate est = estimate_transitions(reg, move_from, as_of, group_query);
    std::map<std::string, std::uint32_t> code_of_state;
    for (std::size_t g = 0; g < g_count; ++g)
      code_of_state[detail::joined_label(in.group_labels[g])] = static_cast<std::uint32_t>(g);
    std::vector<bool> can_move(in.dimensions.size(), false);
    for (std::size_t k = 0; k < in.dimensions.size(); ++k) {
      const DimensionKind kind = group_query.by.dimensions[k].kind;
      can_move[k] = kind == DimensionKind::department || kind == DimensionKind::position ||
                    kind == DimensionKind::employment_form;
    }
    Eigen::MatrixXd counts =
        Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(g_count), static_cast<Eigen::Index>(g_count));
    for (std::size_t i = 0; i < est.states.size(); ++i) {
      auto gi = code_of_state.find(est.states[i]);
      if (gi == code_of_state.end()) continue;
      for (std::size_t j = 0; j < est.states.size(); ++j) {
        const double c = est.counts(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        if (c <= 0) continue;
        auto gj = code_of_state.find(est.states[j]);
        std::uint32_t to = gi->second;
        if (gj != code_of_state.end()) {
          bool allowed = true;
          for (std::size_t k = 0; k < in.dimensions.size(); ++k) {
            if (!can_move[k] && in.group_labels[gi->second][k] != in.group_labels[gj->second][k]) allowed = false;
          }
          if (allowed) to = gj->second;
        }
        counts(gi->second, to) += c;
      }
    }
    for (Eigen::Index g = 0; g < counts.rows(); ++g) {
      double stayers = 0;
      for (Eigen::Index h = 0; h < counts.cols(); ++h) stayers += counts(g, h);
      if (stayers > 0) {
        for (Eigen::Index h = 0; h < counts.cols(); ++h) in.move(g, h) = counts(g, h) / stayers;
      }
    }
  }

  // Recruit pools: (attained age, fte) of every recruitment in the rate window.
  std::vector<std::vector<std::pair<std::int32_t, std::uint8_t>>> pools(g_count);
  std::vector<std::pair<std::int32_t, std::uint8_t>> population_pool;
  for_each_flow_event(reg, query.filter, rate_from, as_of, detail::extraction_day(reg, query),
                      [&](const FlowEvent& event) {
                        if (event.kind != EventKind::recruitment) return;
                        const std::pair<std::int32_t, std::uint8_t> entry{
                            to_ymd(event.day).year - to_ymd(s.birth_date[event.spell]).year, s.fte[event.spell]};
                        population_pool.push_back(entry);
                        auto it = code_of.find(keys.key(event.spell, event.day, 0));
                        if (it != code_of.end()) pools[it->second].push_back(entry);
                      });
  std::sort(population_pool.begin(), population_pool.end());
  if (options.recruitment == RecruitmentProcess::observed) {
    // The mean recruits per year over the rate window (its days over 365.25 days a year).
    const double window_years = static_cast<double>(std::max<day_t>(1, as_of - rate_from + 1)) / 365.25;
    for (std::size_t g = 0; g < g_count; ++g) {
      in.recruits_per_year.push_back(static_cast<double>(pools[g].size()) / window_years);
    }
  }
  in.pool_offset.push_back(0);
  for (std::size_t g = 0; g < g_count; ++g) {
    auto& pool = pools[g].size() < options.min_pool ? population_pool : pools[g];
    std::sort(pool.begin(), pool.end());
    for (const auto& [age, fte] : pool) {
      in.pool_age.push_back(age);
      in.pool_fte.push_back(fte);
    }
    in.pool_offset.push_back(static_cast<std::uint32_t>(in.pool_age.size()));
  }
  validate_projection_inputs(in);
  return in;
}

/// Applies a scenario (docs/models.md, scenarios) to a copy of the inputs. Every
/// field is checked first by validate_scenario (argument_error naming the key).
ProjectionInputs apply_scenario(ProjectionInputs in, const Scenario& scenario) {
  validate_scenario(scenario);  // the rules of scenario_rules.hpp
  // q'[x] = q[x − k]: the whole R..upper distribution moves by k years.
  in.retirement_age += scenario.retirement_age_shift;
  in.upper_age += scenario.retirement_age_shift;

  for (const RateMultiplier& m : scenario.rate_multipliers) {
    std::vector<bool> g_ok(in.groups(), true), b_ok(in.rate_band_labels.size(), true);
    for (const auto& [column, values] : m.where) {
      if (column == "age_band") {
        for (const std::string& v : values) {
          if (std::find(in.rate_band_labels.begin(), in.rate_band_labels.end(), v) == in.rate_band_labels.end()) {
            throw argument_error("scenario: 'rate_multiplier' where.age_band = '" + v + "' is not an age band (" +
                                 detail::joined_label(in.rate_band_labels) + ")");
          }
        }
        for (std::size_t b = 0; b < b_ok.size(); ++b) {
          b_ok[b] = b_ok[b] && std::find(values.begin(), values.end(), in.rate_band_labels[b]) != values.end();
        }
        continue;
      }
      const auto k = std::find(in.dimensions.begin(), in.dimensions.end(), column) - in.dimensions.begin();
      if (k == static_cast<std::ptrdiff_t>(in.dimensions.size())) {
        throw argument_error(
            "scenario: 'rate_multiplier' where." + column + " is not a dimension of this projection (by: " +
            (in.dimensions.empty() ? std::string("none") : detail::joined_label(in.dimensions)) + ", or age_band)");
      }
      for (const std::string& v : values) {
        bool found = false;
        for (const auto& labels : in.group_labels) found = found || labels[static_cast<std::size_t>(k)] == v;
        if (!found) {
          throw argument_error("scenario: 'rate_multiplier' where." + column + " = '" + v +
                               "' matches no group of this projection");
        }
      }
      for (std::size_t g = 0; g < g_ok.size(); ++g) {
        g_ok[g] = g_ok[g] && std::find(values.begin(), values.end(), in.group_labels[g][static_cast<std::size_t>(k)]) !=
                                 values.end();
      }
    }
    for (std::size_t g = 0; g < g_ok.size(); ++g) {
      for (std::size_t b = 0; b < b_ok.size(); ++b) {
        if (g_ok[g] && b_ok[b]) {
          in.m_other(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(b)) *= m.factor;
        }
      }
    }
  }
  in.growth = scenario.growth_per_year;
  in.freeze_years = scenario.hiring_freeze_years;
  in.part_time_share = scenario.part_time_to_full_time;

  // Target stock: a total split by today's shares, then per-group values.
  if (scenario.target_stock.total) {
    const double total = *scenario.target_stock.total;
    std::vector<double> today(in.groups(), 0.0);
    double sum = 0;
    for (std::uint32_t g : in.group) today[g] += 1;
    for (double v : today) sum += v;
    for (std::size_t g = 0; g < in.groups(); ++g) in.target0[g] = sum > 0 ? total * (today[g] / sum) : 0.0;
  }
  for (const auto& [label, value] : scenario.target_stock.per_group) {
    bool found = false;
    for (std::size_t g = 0; g < in.groups(); ++g) {
      if (detail::joined_label(in.group_labels[g]) == label) {
        in.target0[g] = value;
        found = true;
      }
    }
    if (!found)
      throw argument_error("scenario: 'target_stock' names '" + label + "', which is not a group of this projection");
  }
  validate_projection_inputs(in);
  return in;
}

}  // namespace staffcast
