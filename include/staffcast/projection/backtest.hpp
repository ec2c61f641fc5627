// Backtests (docs/models.md, "Backtests"): how good the forecasts would have
// been. For each origin year Y the register is cut on Y-12-31 as if extracted
// then (register/cut.hpp), each model is fitted on that history alone, and its
// headcount on (Y+h)-12-31, h = 1..H, is set beside the headcount the full
// register shows on that day.
#pragma once

#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace staffcast {

/// The forecasting models a backtest checks.
///   naive     the headcount on the origin day, unchanged
///   trend     the least-squares line through the year-end headcounts of Y-2, Y-1
///             and Y, at Y+h (never below 0)
///   cohort    the cohort model's expected end stock (cohort.hpp), usual inputs with observed
///             recruitment (projection.hpp RecruitmentProcess::observed)
///   microsim  the microsimulation's mean end stock, with its P5 and P95, the same inputs
enum class BacktestModel : std::uint8_t { naive, trend, cohort, microsim };

/// The names, in the order of the enum: naive, trend, cohort, microsim.
const std::vector<std::string>& backtest_model_names();

/// A model by name; argument_error naming the models otherwise.
BacktestModel parse_backtest_model(std::string_view name);

/// Models by name, in the order given; argument_error for an unknown name, a
/// name given twice or an empty list.
std::vector<BacktestModel> parse_backtest_models(const std::vector<std::string>& names);

/// Origin years from text: "Y" (one origin) or "Y1-Y2" (Y1..Y2), blanks around
/// ignored; argument_error "origins take a year or a range of years like 2019-2022"
/// otherwise, and when Y2 < Y1.
std::pair<int, int> parse_backtest_origins(std::string_view text);

struct BacktestOptions {
  int first_origin = 0;  // origin years first_origin..last_origin
  int last_origin = 0;
  int horizon = 1;  // H: h = 1..H years after each origin
  std::vector<BacktestModel> models{BacktestModel::naive, BacktestModel::trend, BacktestModel::cohort,
                                    BacktestModel::microsim};
  std::size_t replicates = 200;  // of the microsimulation
  std::uint64_t seed = 0;        // the same seed for every origin
  unsigned threads = 1;          // of the microsimulation (0 = every core); the result is the same for any
  /// When set during a run, the backtest stops within a year of one replicate and throws
  /// cancelled_error (projection/microsim.hpp).
  const std::atomic<bool>* cancel = nullptr;
};

/// The first origin the register's history allows for `models`: the year of its
/// observed history's first day (see plan/dates.hpp observed_from), two years
/// later when `trend` is among the models (it needs the year-end stocks of Y-2).
int first_backtest_origin(const Register& reg, const std::vector<BacktestModel>& models);

/// The last origin with at least one observed horizon: the last Y with
/// (Y+1)-12-31 on or before the register's extraction date.
int last_backtest_origin(const Register& reg);

/// Checks the options against the register and the query (argument_error with
/// the reason): a horizon of 1..200 years, origins in order, between
/// first_backtest_origin and last_backtest_origin, models given, replicates
/// 1..10,000,000 for the microsimulation, a grouping of static dimensions only
/// (department, position, employment_form, gender, pass-through columns), and
/// no extraction date in the query (the register's own is used).
void check_backtest(const Register& reg, const Query& query, const BacktestOptions& options);

/// The backtest rows. Key columns: model, origin, horizon, <query.by>; values:
/// observed (count: the snapshot headcount on (Y+h)-12-31 of the full
/// register), projected, p5, p95 (number; p5 and p95 for the microsimulation
/// only), error = projected − observed. Only horizons whose day is on or before
/// the extraction date have rows. The cells of an origin and horizon are every
/// group that is in the origin's stock, the trend's stocks, a projection or the
/// observed snapshot (a group missing from one counts 0 there); an origin
/// without staff (after the filters) has cohort and microsim forecasts of 0. Rows in the
/// order of the models given, then origin, horizon and the group labels by code
/// point. Checks the options first (check_backtest).
Table backtest(const Register& reg, const Query& query, const BacktestOptions& options);

/// The summary of backtest rows per model and horizon (models in their order,
/// horizons ascending): cells (count of rows), mae (mean |error|), mape (mean
/// |error| / observed over the cells with observed > 0; rate, missing without
/// any), coverage (share of the cells with p5 and p95 whose observed lies in
/// [p5, p95]; rate, missing for point models).
Table backtest_summary(const Table& rows);

}  // namespace staffcast
