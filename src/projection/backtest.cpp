#include <staffcast/projection/backtest.hpp>

#include <staffcast/plan/dates.hpp>
#include <staffcast/projection/cohort.hpp>
#include <staffcast/projection/microsim.hpp>
#include <staffcast/projection/projection.hpp>
#include <staffcast/projection/replicate_summary.hpp>
#include <staffcast/register/cut.hpp>
#include <staffcast/stats/snapshot.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace staffcast {

namespace {

using Labels = std::vector<std::string>;
using Cells = std::map<Labels, double>;

constexpr int min_origin_year = 1902;  // Y-2 and Y+200 stay inside the calendar's years
constexpr int max_origin_year = 2198;
constexpr std::size_t max_replicates = 10000000;

day_t year_end(int year) { return to_day(year, 12, 31); }

/// Headcount per group on `day` (the snapshot's rule), keyed by the group labels.
Cells headcounts(const Register& reg, day_t day, const Query& query) {
  const Table t = snapshot(reg, day, query);
  const ValueColumn& headcount = t.column("headcount");
  Cells out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    Labels labels;
    for (const auto& column : t.keys) labels.push_back(column[r]);
    out[labels] += headcount.values[r];
  }
  return out;
}

double value_or_zero(const Cells& cells, const Labels& labels) {
  auto it = cells.find(labels);
  return it == cells.end() ? 0.0 : it->second;
}

bool uses(const std::vector<BacktestModel>& models, BacktestModel model) {
  return std::find(models.begin(), models.end(), model) != models.end();
}

struct Row {
  std::size_t model;  // index into options.models
  int origin, horizon;
  Labels labels;
  double observed, projected, p5, p95;
};

/// A model's projection for one origin: per horizon (index h − 1) the cells, and for the
/// microsimulation their P5 and P95.
struct Projected {
  std::vector<Cells> value, p5, p95;
};

}  // namespace

const std::vector<std::string>& backtest_model_names() {
  static const std::vector<std::string> names{"naive", "trend", "cohort", "microsim"};
  return names;
}

BacktestModel parse_backtest_model(std::string_view name) {
  const auto& names = backtest_model_names();
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == name) return static_cast<BacktestModel>(k);
  }
  throw argument_error("unknown model '" + std::string(name) + "'; use naive, trend, cohort or microsim");
}

std::vector<BacktestModel> parse_backtest_models(const std::vector<std::string>& names) {
  if (names.empty()) throw argument_error("models: give at least one of naive, trend, cohort, microsim");
  std::vector<BacktestModel> out;
  for (const std::string& name : names) {
    const BacktestModel model = parse_backtest_model(name);
    if (uses(out, model)) throw argument_error("model '" + name + "' given twice");
    out.push_back(model);
  }
  return out;
}

std::pair<int, int> parse_backtest_origins(std::string_view text) {
  auto trim = [](std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    return t;
  };
  auto year = [&](std::string_view t, int& out) {
    t = trim(t);
    if (t.size() != 4) return false;
    out = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  const std::string_view all = trim(text);
  const std::size_t dash = all.find('-', 1);
  int first = 0, last = 0;
  const bool ok = dash == std::string_view::npos ? year(all, first) && year(all, last)
                                                 : year(all.substr(0, dash), first) && year(all.substr(dash + 1), last);
  if (!ok) {
    throw argument_error("origins take a year or a range of years like 2019-2022, got '" + std::string(text) + "'");
  }
  if (last < first) {
    throw argument_error("the origins are reversed: " + std::to_string(first) + " is after " + std::to_string(last));
  }
  return {first, last};
}

int first_backtest_origin(const Register& reg, const std::vector<BacktestModel>& models) {
  return to_ymd(observed_from(reg)).year + (uses(models, BacktestModel::trend) ? 2 : 0);
}

int last_backtest_origin(const Register& reg) {
  const ymd extracted = to_ymd(reg.extracted_on());
  return extracted.month == 12 && extracted.day == 31 ? extracted.year - 1 : extracted.year - 2;
}

void check_backtest(const Register& reg, const Query& query, const BacktestOptions& options) {
  require_projection_years(options.horizon, "horizon");
  if (options.models.empty()) throw argument_error("models: give at least one of naive, trend, cohort, microsim");
  for (std::size_t k = 0; k < options.models.size(); ++k) {
    if (std::count(options.models.begin(), options.models.end(), options.models[k]) > 1) {
      throw argument_error("model '" + backtest_model_names()[static_cast<std::size_t>(options.models[k])] +
                           "' given twice");
    }
  }
  if (uses(options.models, BacktestModel::microsim) &&
      (options.replicates < 1 || options.replicates > max_replicates)) {
    throw argument_error("replicates must be between 1 and 10000000 for the microsim model");
  }
  if (query.extracted_on) {
    throw argument_error("a backtest uses the register's own extraction date; give it when reading the register");
  }
  for (const Dimension& d : query.by.dimensions) {
    if (d.kind == DimensionKind::age_band || d.kind == DimensionKind::fte_band ||
        d.kind == DimensionKind::tenure_band) {
      throw argument_error("a backtest cannot group by " + d.name +
                           "; use department, position, employment_form, gender or a pass-through column");
    }
  }
  const int first = options.first_origin, last = options.last_origin;
  if (first < min_origin_year || last > max_origin_year) {
    throw argument_error("origins must be years between " + std::to_string(min_origin_year) + " and " +
                         std::to_string(max_origin_year));
  }
  if (first > last) {
    throw argument_error("the origins are reversed: " + std::to_string(first) + " is after " + std::to_string(last));
  }
  const std::string extracted = format_iso_date(reg.extracted_on());
  if (year_end(last) > reg.extracted_on()) {
    throw argument_error("origin " + std::to_string(last) + " is after the register's extraction date " + extracted +
                         " (" + format_iso_date(year_end(last)) + "); the last origin with an observed year is " +
                         std::to_string(last_backtest_origin(reg)));
  }
  if (last > last_backtest_origin(reg)) {
    throw argument_error("origin " + std::to_string(last) + " has nothing to compare with: " +
                         format_iso_date(year_end(last + 1)) + " is after the register's extraction date " + extracted +
                         "; the last origin with an observed year is " + std::to_string(last_backtest_origin(reg)));
  }
  const int first_allowed = first_backtest_origin(reg, options.models);
  if (first < first_allowed) {
    const bool trend = uses(options.models, BacktestModel::trend) && first >= first_allowed - 2;
    throw argument_error(
        "origin " + std::to_string(first) + " is before the register's history (observed from " +
        format_iso_date(observed_from(reg)) + ")" +
        (trend ? ": the trend model needs the year-end stocks from " + format_iso_date(year_end(first - 2)) : "") +
        "; the first origin " + (uses(options.models, BacktestModel::trend) ? "with trend " : "") + "is " +
        std::to_string(first_allowed));
  }
}

Table backtest(const Register& reg, const Query& query, const BacktestOptions& options) {
  check_backtest(reg, query, options);
  Query cells_query = query;
  cells_query.totals = false;
  Query observed_query = cells_query;
  observed_query.extracted_on = reg.extracted_on();
  const std::size_t model_count = options.models.size();
  const auto horizons = static_cast<std::size_t>(options.horizon);
  std::vector<Row> rows;

  for (int origin = options.first_origin; origin <= options.last_origin; ++origin) {
    if (options.cancel != nullptr && options.cancel->load()) throw cancelled_error();
    const day_t cut = year_end(origin);
    const Register history = cut_register(reg, cut);  // everything below sees only this
    const Cells stock = headcounts(history, cut, cells_query);
    std::vector<Projected> projected(model_count);
    std::vector<const Cells*> sources{&stock};
    Cells before2, before1;
    ProjectionInputs inputs;
    const bool projects = uses(options.models, BacktestModel::cohort) || uses(options.models, BacktestModel::microsim);
    bool staffed = false;  // an origin without staff: the projections have nobody to project, and forecast 0
    for (const auto& entry : stock) staffed = staffed || entry.second > 0;
    if (projects && staffed) {
      ProjectionOptions projection;
      projection.years = options.horizon;
      projection.recruitment = RecruitmentProcess::observed;  // what the history shows, not a target
      inputs = estimate_projection_inputs(history, cut, cells_query, projection);
    }
    for (std::size_t m = 0; m < model_count; ++m) {
      Projected& p = projected[m];
      p.value.assign(horizons, {});
      switch (options.models[m]) {
        case BacktestModel::naive:
          for (auto& cells : p.value) cells = stock;
          break;
        case BacktestModel::trend: {
          // Least squares through (−2, a), (−1, b), (0, c): the mean plus the slope (c − a) / 2 times (h + 1).
          before2 = headcounts(history, year_end(origin - 2), cells_query);
          before1 = headcounts(history, year_end(origin - 1), cells_query);
          sources.push_back(&before2);
          sources.push_back(&before1);
          Cells groups = stock;
          for (const auto& entry : before2) groups[entry.first] = 0;
          for (const auto& entry : before1) groups[entry.first] = 0;
          for (const auto& entry : groups) {
            const double a = value_or_zero(before2, entry.first), b = value_or_zero(before1, entry.first),
                         c = value_or_zero(stock, entry.first);
            const double mean = (a + b + c) / 3.0, slope = (c - a) / 2.0;
            for (std::size_t h = 0; h < horizons; ++h) {
              p.value[h][entry.first] = std::max(0.0, mean + slope * static_cast<double>(h + 2));
            }
          }
          break;
        }
        case BacktestModel::cohort: {
          if (!staffed) break;
          const ProjectionResult result = cohort_projection(inputs);
          for (std::size_t h = 0; h < horizons; ++h) {
            for (std::size_t o = 0; o < inputs.output_groups(); ++o) {
              p.value[h][inputs.output_labels(o)] = result.at(h, o, m_end);
            }
          }
          break;
        }
        case BacktestModel::microsim: {
          p.p5.assign(horizons, {});
          p.p95.assign(horizons, {});
          if (!staffed) break;
          const RawSimulation raw =
              simulate_raw(inputs, options.seed, 0, options.replicates, options.threads, options.cancel);
          std::vector<double> values(raw.replicates);
          for (std::size_t h = 0; h < horizons; ++h) {
            for (std::size_t o = 0; o < inputs.output_groups(); ++o) {
              for (std::size_t r = 0; r < raw.replicates; ++r) values[r] = raw.at(r, h, o, m_end);
              const ReplicateSummary s = summarise_replicates(values);
              const Labels labels = inputs.output_labels(o);
              p.value[h][labels] = s.mean;
              p.p5[h][labels] = s.p5;
              p.p95[h][labels] = s.p95;
            }
          }
          break;
        }
      }
    }

    for (int h = 1; h <= options.horizon; ++h) {
      const day_t day = year_end(origin + h);
      if (day > reg.extracted_on()) break;
      const auto index = static_cast<std::size_t>(h - 1);
      const Cells observed = headcounts(reg, day, observed_query);
      Cells cells = observed;  // the union of every source's groups
      for (const Cells* source : sources) {
        for (const auto& entry : *source) cells.emplace(entry.first, 0.0);
      }
      for (const Projected& p : projected) {
        for (const auto& entry : p.value[index]) cells.emplace(entry.first, 0.0);
      }
      for (std::size_t m = 0; m < model_count; ++m) {
        const Projected& p = projected[m];
        const bool band = !p.p5.empty();
        for (const auto& entry : cells) {
          const Labels& labels = entry.first;
          rows.push_back({m, origin, h, labels, value_or_zero(observed, labels), value_or_zero(p.value[index], labels),
                          band ? value_or_zero(p.p5[index], labels) : missing,
                          band ? value_or_zero(p.p95[index], labels) : missing});
        }
      }
    }
  }

  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.model != b.model) return a.model < b.model;
    if (a.origin != b.origin) return a.origin < b.origin;
    return a.horizon < b.horizon;
  });
  Table table;
  table.key_names = {"model", "origin", "horizon"};
  for (const Dimension& d : query.by.dimensions) table.key_names.push_back(d.name);
  table.keys.assign(table.key_names.size(), {});
  table.values = {{"observed", ValueKind::count, {}},
                  {"projected", ValueKind::number, {}},
                  {"p5", ValueKind::number, {}},
                  {"p95", ValueKind::number, {}},
                  {"error", ValueKind::number, {}}};
  for (const Row& row : rows) {
    table.keys[0].push_back(backtest_model_names()[static_cast<std::size_t>(options.models[row.model])]);
    table.keys[1].push_back(std::to_string(row.origin));
    table.keys[2].push_back(std::to_string(row.horizon));
    for (std::size_t k = 0; k < row.labels.size(); ++k) table.keys[3 + k].push_back(row.labels[k]);
    table.values[0].values.push_back(row.observed);
    table.values[1].values.push_back(row.projected);
    table.values[2].values.push_back(row.p5);
    table.values[3].values.push_back(row.p95);
    table.values[4].values.push_back(row.projected - row.observed);
  }
  return table;
}

Table backtest_summary(const Table& rows) {
  if (rows.key_names.size() < 3 || rows.key_names[0] != "model" || rows.key_names[1] != "origin" ||
      rows.key_names[2] != "horizon") {
    throw argument_error("a backtest summary needs the rows of a backtest (model, origin, horizon, ...)");
  }
  const auto& observed = rows.column("observed").values;
  const auto& p5 = rows.column("p5").values;
  const auto& p95 = rows.column("p95").values;
  const auto& error = rows.column("error").values;
  struct Sums {
    double cells = 0, abs_error = 0, pct_error = 0, pct_cells = 0, covered = 0, band_cells = 0;
  };
  std::vector<std::string> models;  // in order of appearance
  std::map<std::pair<std::size_t, int>, Sums> sums;
  for (std::size_t r = 0; r < rows.rows(); ++r) {
    const std::string& model = rows.keys[0][r];
    auto at = std::find(models.begin(), models.end(), model);
    if (at == models.end()) at = models.insert(models.end(), model);
    const auto m = static_cast<std::size_t>(at - models.begin());
    Sums& s = sums[{m, std::stoi(rows.keys[2][r])}];
    s.cells += 1;
    s.abs_error += std::fabs(error[r]);
    if (observed[r] > 0) {
      s.pct_error += std::fabs(error[r]) / observed[r];
      s.pct_cells += 1;
    }
    if (!std::isnan(p5[r]) && !std::isnan(p95[r])) {
      s.band_cells += 1;
      s.covered += p5[r] <= observed[r] && observed[r] <= p95[r] ? 1 : 0;
    }
  }
  Table table;
  table.key_names = {"model", "horizon"};
  table.keys.assign(2, {});
  table.values = {{"cells", ValueKind::count, {}},
                  {"mae", ValueKind::number, {}},
                  {"mape", ValueKind::rate, {}},
                  {"coverage", ValueKind::rate, {}}};
  for (const auto& [key, s] : sums) {
    table.keys[0].push_back(models[key.first]);
    table.keys[1].push_back(std::to_string(key.second));
    table.values[0].values.push_back(s.cells);
    table.values[1].values.push_back(s.abs_error / s.cells);
    table.values[2].values.push_back(s.pct_cells > 0 ? s.pct_error / s.pct_cells : missing);
    table.values[3].values.push_back(s.band_cells > 0 ? s.covered / s.band_cells : missing);
  }
  return table;
}

}  // namespace staffcast
