// The inputs of the projection engine (docs/models.md): the
// population on the as-of date as columns, and the yearly parameters estimated
// from the register (retirement by attained age, other separations per group ×
// age band, moves among groups, the recruit profile, the target stock), plus
// scenarios applied on top. The cohort model (cohort.hpp) and the
// microsimulation (microsim.hpp) both run on a ProjectionInputs.
#pragma once

#include <staffcast/projection/scenario.hpp>
#include <staffcast/register/query.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace staffcast {

/// Where each year's recruits come from.
///   hold_target  recruits fill the gap to the target stock at year end (the default)
///   observed     each group recruits as many per year as it did in the rate window, on
///                average: the cohort model adds that mean, the microsimulation draws the
///                year's number from a Poisson distribution with that mean (the backtests)
enum class RecruitmentProcess : std::uint8_t { hold_target, observed };

/// How the inputs are estimated.
struct ProjectionOptions {
  int years = 10;             // projection years t = 1..years (calendar years year(D) + t)
  int rate_years = 3;         // the rate window: whole years up to D
  int retirement_age = 65;    // R
  int upper_age = 69;         // upper (q_upper = 1)
  double growth = 0.0;        // of the target stock per year
  std::size_t min_pool = 20;  // a group with fewer recruitments uses the population's pool
  RecruitmentProcess recruitment = RecruitmentProcess::hold_target;
};

/// The measures of every projection output, in this order (docs/models.md).
const std::vector<std::string>& projection_measures();
enum ProjectionMeasure : std::size_t {
  m_start,
  m_retirements,
  m_other_exits,
  m_moves_out,
  m_moves_in,
  m_recruits,
  m_end,
  m_start_fte,
  m_end_fte,
  m_recruits_fte,
  projection_measure_count
};

/// Everything a projection needs, as plain columns. Groups are numbered
/// 0..G−1 in the order of their label tuples (by code point); persons
/// 0..N−1 by sorted employee_id.
struct ProjectionInputs {
  // Persons employed on D (main spell, after filters).
  std::vector<std::uint32_t> group;      // group code
  std::vector<std::int32_t> birth_year;  // attained age in year Y = Y − birth_year
  std::vector<std::uint8_t> fte;         // summed fte on D in hundredths, capped at 100 (0 = hourly)
  std::vector<std::uint8_t> gender;      // Gender code of the main spell

  // Groups: the static dimensions (by without age_band) and each group's labels.
  std::vector<std::string> dimensions;
  std::vector<std::vector<std::string>> group_labels;  // [group][dimension]
  // The output grouping: `by` as given; age_band (if present) at `age_band_position`.
  std::vector<std::string> output_by;
  int age_band_position = -1;          // index into output_by, or −1
  std::vector<int> output_band_lower;  // output age bands (lower bounds; the first is INT_MIN)
  std::vector<std::string> output_band_labels;

  // Time.
  int base_year = 0;  // year(D); projection year t is base_year + t
  int years = 10;     // n

  // Retirement: q_ret[x − retirement_age] for x = retirement_age..upper_age (q at upper = 1).
  int retirement_age = 65;
  int upper_age = 69;
  std::vector<double> q_ret;

  // Other separations: m_other(g, b) per group × rate band (the default age bands).
  std::vector<int> rate_band_lower;
  std::vector<std::string> rate_band_labels;
  Eigen::MatrixXd m_other;

  // Moves: row-stochastic G × G matrix, conditional on staying.
  Eigen::MatrixXd move;

  // Recruit pools: entries pool_offset[g] .. pool_offset[g+1] of pool_age / pool_fte,
  // sorted by (age, fte); age = year of start − birth year.
  std::vector<std::uint32_t> pool_offset;
  std::vector<std::int32_t> pool_age;
  std::vector<std::uint8_t> pool_fte;

  // Observed recruitment (RecruitmentProcess::observed): the mean recruits per year of each
  // group, λ_g = recruitments in the rate window × 365.25 / the window's days. Empty: recruits
  // hold the target stock.
  std::vector<double> recruits_per_year;

  // Target stock T_g(0), growth, hiring freeze, part-time → full-time share s.
  std::vector<double> target0;
  double growth = 0.0;
  int freeze_years = 0;
  double part_time_share = 0.0;

  // What the estimate was made from (for display).
  day_t as_of = 0;
  day_t rate_from = 0;

  [[nodiscard]] std::size_t persons() const noexcept { return group.size(); }
  [[nodiscard]] std::size_t groups() const noexcept { return group_labels.size(); }
  [[nodiscard]] std::size_t output_bands() const noexcept {
    return age_band_position < 0 ? 1 : output_band_labels.size();
  }
  /// Output groups: group × output age band (g · bands + band).
  [[nodiscard]] std::size_t output_groups() const noexcept { return groups() * output_bands(); }

  /// The labels of output group o, in output_by order.
  [[nodiscard]] std::vector<std::string> output_labels(std::size_t o) const {
    const std::size_t bands = output_bands();
    const std::size_t g = o / bands, band = o % bands;
    std::vector<std::string> out;
    std::size_t k = 0;
    for (std::size_t i = 0; i < output_by.size(); ++i) {
      if (static_cast<int>(i) == age_band_position) {
        out.push_back(output_band_labels[band]);
      } else {
        out.push_back(group_labels[g][k++]);
      }
    }
    return out;
  }

  /// q_ret at attained age x (0 below R, 1 from upper on).
  [[nodiscard]] double retirement_probability(int x) const noexcept {
    if (x < retirement_age) return 0.0;
    if (x >= upper_age) return 1.0;
    return q_ret[static_cast<std::size_t>(x - retirement_age)];
  }
};

/// q_other(g, b) = 1 − exp(−m_other(g, b)).
Eigen::MatrixXd other_exit_probabilities(const ProjectionInputs& in);

/// T_g(t) for t = 1..n as an n × G matrix (row t − 1): T(t) = T(t − 1) · (1 + growth),
/// multiplied year by year from T(0) (so every implementation gets the same doubles).
Eigen::MatrixXd target_stocks(const ProjectionInputs& in);

/// A projection runs over the years t = 1..n, 1 <= n <= max_projection_years.
inline constexpr int max_projection_years = 200;

/// Throws argument_error "<name> must be between 1 and 200" unless 1 <= years <= max_projection_years;
/// `name` is what the caller calls the count ("years"; the CLI's "--years").
void require_projection_years(long long years, std::string_view name = "years");

/// Throws argument_error unless the inputs are consistent (sizes, ranges, a row-stochastic M).
void validate_projection_inputs(const ProjectionInputs& in);

/// Estimates the projection inputs from the register (docs/models.md).
/// `query.by` gives the groups: static dimensions (department, position,
/// employment_form, gender, pass-through columns) and optionally `age_band` as
/// an output grouping; `query.filter` restricts the population and every rate.
/// The rate window [D − rate_years years + 1 day, D] and the move window
/// [D − 1 year, D] are clipped to the register's observed history.
ProjectionInputs estimate_projection_inputs(const Register& reg, day_t as_of, const Query& query,
                                            const ProjectionOptions& options = {});

/// Applies a scenario (docs/models.md) to a copy of the inputs. Every
/// field is checked (argument_error naming the key).
ProjectionInputs apply_scenario(ProjectionInputs in, const Scenario& scenario);

}  // namespace staffcast
