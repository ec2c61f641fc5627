#include <staffcast/projection/cohort.hpp>

#include <staffcast/detail/projection.hpp>
#include <staffcast/projection/projection.hpp>

#include <algorithm>
#include <climits>
#include <vector>

namespace staffcast {

ProjectionResult cohort_projection(const ProjectionInputs& in) {
  validate_projection_inputs(in);
  const std::size_t g_count = in.groups(), bands = in.output_bands(), o_count = in.output_groups();
  const Eigen::MatrixXd q_other = other_exit_probabilities(in);
  const Eigen::MatrixXd target = target_stocks(in);
  // Cells (group, birth_year, fte) as a dense array over the birth years that can occur.
  int birth_lo = INT_MAX, birth_hi = INT_MIN;
  for (std::int32_t b : in.birth_year) {
    birth_lo = std::min(birth_lo, static_cast<int>(b));
    birth_hi = std::max(birth_hi, static_cast<int>(b));
  }
  for (std::int32_t age : in.pool_age) {
    birth_lo = std::min(birth_lo, in.base_year + 1 - age);
    birth_hi = std::max(birth_hi, in.base_year + in.years - age);
  }
  if (birth_lo > birth_hi) birth_lo = birth_hi = in.base_year;
  const auto births = static_cast<std::size_t>(birth_hi - birth_lo + 1);
  constexpr std::size_t ftes = 101;
  if (static_cast<double>(g_count) * static_cast<double>(births) * ftes > 2e8) {
    throw argument_error("the cohort model's cells (groups x birth years x fte) are too many");
  }
  auto cell = [&](std::size_t g, int birth, std::size_t fte) {
    return (g * births + static_cast<std::size_t>(birth - birth_lo)) * ftes + fte;
  };
  std::vector<double> cells(g_count * births * ftes, 0.0), next(cells.size(), 0.0);
  for (std::size_t i = 0; i < in.persons(); ++i) cells[cell(in.group[i], in.birth_year[i], in.fte[i])] += 1.0;

  ProjectionResult out;
  out.years = static_cast<std::size_t>(in.years);
  out.output_groups = o_count;
  out.values.assign(out.years * o_count * projection_measure_count, 0.0);
  std::vector<double> stock(g_count);
  const double s = in.part_time_share;
  for (int t = 1; t <= in.years; ++t) {
    const auto y = static_cast<std::size_t>(t - 1);
    const int year = in.base_year + t;
    std::fill(next.begin(), next.end(), 0.0);
    std::fill(stock.begin(), stock.end(), 0.0);
    for (std::size_t k = 0; k < cells.size(); ++k) {
      const double c = cells[k];
      if (c <= 0.0) continue;
      const std::size_t fte = k % ftes, g = k / ftes / births;
      const int birth = birth_lo + static_cast<int>((k / ftes) % births);
      const int x = year - birth;
      const std::size_t o = g * bands + detail::output_band(in, x);
      out.at(y, o, m_start) += c;
      out.at(y, o, m_start_fte) += c * static_cast<double>(fte) / 100.0;
      const double qr = x > in.upper_age ? 1.0 : in.retirement_probability(x);
      const double leave =
          x > in.upper_age
              ? 1.0
              : qr + (1.0 - qr) * q_other(static_cast<Eigen::Index>(g),
                                          static_cast<Eigen::Index>(detail::band_of(in.rate_band_lower, x)));
      out.at(y, o, m_retirements) += c * qr;
      out.at(y, o, m_other_exits) += c * (leave - qr);
      const double stay = c * (1.0 - leave);
      if (stay <= 0.0) continue;
      for (std::size_t h = 0; h < g_count; ++h) {
        const double flow = stay * in.move(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(h));
        if (flow <= 0.0) continue;
        if (h != g) {
          out.at(y, o, m_moves_out) += flow;
          out.at(y, h * bands + (o % bands), m_moves_in) += flow;
        }
        stock[h] += flow;
        if (fte >= 1 && fte <= 99 && s > 0.0) {
          next[cell(h, birth, 100)] += flow * s;
          next[cell(h, birth, fte)] += flow * (1.0 - s);
        } else {
          next[cell(h, birth, fte)] += flow;
        }
      }
    }
    if (t > in.freeze_years) {
      for (std::size_t g = 0; g < g_count; ++g) {
        const std::uint32_t begin = in.pool_offset[g], end = in.pool_offset[g + 1];
        if (begin == end) continue;
        const double r =
            in.recruits_per_year.empty()
                ? std::max(0.0, target(static_cast<Eigen::Index>(y), static_cast<Eigen::Index>(g)) - stock[g])
                : in.recruits_per_year[g];
        if (r <= 0.0) continue;
        const double each = r / static_cast<double>(end - begin);
        for (std::uint32_t k = begin; k < end; ++k) {
          const std::size_t o = g * bands + detail::output_band(in, in.pool_age[k] + 1);
          out.at(y, o, m_recruits) += each;
          out.at(y, o, m_recruits_fte) += each * in.pool_fte[k] / 100.0;
          next[cell(g, year - in.pool_age[k], in.pool_fte[k])] += each;
        }
      }
    }
    for (std::size_t k = 0; k < next.size(); ++k) {
      const double c = next[k];
      if (c <= 0.0) continue;
      const std::size_t fte = k % ftes, g = k / ftes / births;
      const int birth = birth_lo + static_cast<int>((k / ftes) % births);
      const std::size_t o = g * bands + detail::output_band(in, year + 1 - birth);
      out.at(y, o, m_end) += c;
      out.at(y, o, m_end_fte) += c * static_cast<double>(fte) / 100.0;
    }
    std::swap(cells, next);
  }
  return out;
}

Table projection_table(const ProjectionInputs& in, const ProjectionResult& result, bool totals) {
  Table table;
  table.key_names = in.output_by;
  table.key_names.push_back("year");
  table.keys.assign(table.key_names.size(), {});
  const auto& names = projection_measures();
  for (std::size_t m = 0; m < projection_measure_count; ++m) {
    table.values.push_back({names[m], m >= m_start_fte ? ValueKind::fte : ValueKind::number, {}});
  }
  std::vector<std::vector<std::string>> labels;
  for (std::size_t o = 0; o < result.output_groups; ++o) labels.push_back(in.output_labels(o));
  for (std::size_t y = 0; y < result.years; ++y) {
    for (std::size_t o = 0; o < result.output_groups; ++o) {
      bool any = false;
      for (std::size_t m = 0; m < projection_measure_count; ++m) any = any || result.at(y, o, m) != 0.0;
      if (!any && in.age_band_position >= 0) continue;  // an empty age band of a group
      for (std::size_t k = 0; k < labels[o].size(); ++k) table.keys[k].push_back(labels[o][k]);
      table.keys.back().push_back(std::to_string(in.base_year + static_cast<int>(y) + 1));
      for (std::size_t m = 0; m < projection_measure_count; ++m) table.values[m].values.push_back(result.at(y, o, m));
    }
  }
  table.sort_rows();
  if (totals && !in.output_by.empty()) {
    for (std::size_t y = 0; y < result.years; ++y) {
      for (std::size_t k = 0; k + 1 < table.keys.size(); ++k) table.keys[k].push_back(k == 0 ? "Total" : "");
      table.keys.back().push_back(std::to_string(in.base_year + static_cast<int>(y) + 1));
      for (std::size_t m = 0; m < projection_measure_count; ++m) {
        double sum = 0;
        for (std::size_t o = 0; o < result.output_groups; ++o) sum += result.at(y, o, m);
        table.values[m].values.push_back(sum);
      }
    }
  }
  return table;
}

}  // namespace staffcast
