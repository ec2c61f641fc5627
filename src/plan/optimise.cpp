// The optimised workforce plan (plan/optimise.hpp, docs/plans.md): the linear
// program is built once here and solved by COIN-OR Clp (Debian's
// coinor-libclp-dev, linked privately). An infeasible plan is solved again as
// an elastic phase 1 (a slack on each demand equation, minimising their sum):
// the demands that need slack and the caps whose shadow prices are not zero in
// that solution are the constraints that conflict.
#include <staffcast/error.hpp>
#include <staffcast/plan/optimise.hpp>

#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace staffcast {

namespace {

constexpr double infinity = std::numeric_limits<double>::max();
/// Below this, a solution value or a shadow price counts as zero.
constexpr double tolerance = 1e-7;

/// The variables of a category in a period.
enum Var : int { stock, recruits, redundancies, short_time, overstaffing, shortfall, vars_per_cell };

enum class RowKind : std::uint8_t {
  balance,
  demand,
  recruit_max,
  move_max,
  move_share,
  short_time_max,
  overstaffing_max_total,
  capacity_max
};

struct RowInfo {
  RowKind kind;
  int period;
  int index;     // the category, the move, or -1
  double limit;  // right-hand side (the share for move_share)
};

double at(const std::vector<double>& values, int t) {
  return values.size() == 1 ? values.front() : values[static_cast<std::size_t>(t)];
}

/// "1,250" for amounts from 100 on, else up to two decimals ("12.5", "0.25").
std::string amount_text(double x) {
  x = std::fabs(x);
  if (x >= 99.995) {
    std::string digits = std::to_string(std::llround(x));
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0 && (n - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return out;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", x);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

/// Persons with one decimal ("1,000.0" is not used: "1000.0").
std::string persons_text(double x) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.1f", std::fabs(x) < 0.05 ? 0.0 : x);
  return buffer;
}

std::string share_text(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g %%", 100.0 * x);
  return buffer;
}

class Model {
 public:
  Model(const WorkforcePlan& plan, PlanObjective objective)
      : plan_(plan),
        objective_(objective),
        C_(static_cast<int>(plan.categories.size())),
        T_(plan.periods),
        M_(static_cast<int>(plan.moves.size())),
        K_(static_cast<int>(plan.capacities.size())) {
    const int columns = T_ * C_ * vars_per_cell + T_ * M_ + T_ * K_;
    collb_.assign(static_cast<std::size_t>(columns), 0.0);
    colub_.assign(static_cast<std::size_t>(columns), infinity);
    money_.assign(static_cast<std::size_t>(columns), 0.0);
    build();
  }

  int col(int c, int t, Var v) const { return (t * C_ + c) * vars_per_cell + v; }
  int move_col(int m, int t) const { return T_ * C_ * vars_per_cell + t * M_ + m; }
  int capacity_col(int k, int t) const { return T_ * C_ * vars_per_cell + T_ * M_ + t * K_ + k; }
  int columns() const { return static_cast<int>(collb_.size()); }
  int rows() const { return static_cast<int>(rows_.size()); }
  const RowInfo& row(int r) const { return rows_[static_cast<std::size_t>(r)]; }
  const std::vector<double>& money() const { return money_; }
  const WorkforcePlan& plan() const { return plan_; }

  std::string period(int t) const {
    return plan_.period_labels.empty() ? std::to_string(t + 1) : plan_.period_labels[static_cast<std::size_t>(t)];
  }
  const std::string& category(int c) const { return plan_.categories[static_cast<std::size_t>(c)].name; }
  std::string capacity_name(int k) const {
    const PlanCapacity& capacity = plan_.capacities[static_cast<std::size_t>(k)];
    return capacity.name + " for " + capacity.category;
  }
  std::string move_name(int m) const {
    const PlanMove& move = plan_.moves[static_cast<std::size_t>(m)];
    return move.from + " -> " + move.to;
  }

  /// Loads the program into `model`: the objective's coefficients, or with
  /// `elastic` a zero objective plus a slack pair on each demand row.
  void load(ClpSimplex& model, bool elastic, std::vector<int>* slack_rows) const {
    std::vector<int> ri = ri_, ci = ci_;
    std::vector<double> el = el_, lb = collb_, ub = colub_,
                        obj = elastic ? std::vector<double>(lb.size(), 0.0) : objective_coefficients();
    if (elastic) {
      for (int r = 0; r < rows(); ++r) {
        if (row(r).kind != RowKind::demand) continue;
        for (double sign : {1.0, -1.0}) {
          ri.push_back(r);
          ci.push_back(static_cast<int>(lb.size()));
          el.push_back(sign);
          lb.push_back(0.0);
          ub.push_back(infinity);
          obj.push_back(1.0);
          slack_rows->push_back(r);
        }
      }
    }
    CoinPackedMatrix matrix(true, ri.data(), ci.data(), el.data(), static_cast<CoinBigIndex>(el.size()));
    matrix.setDimensions(rows(), static_cast<int>(lb.size()));
    model.setLogLevel(0);
    model.loadProblem(matrix, lb.data(), ub.data(), obj.data(), rowlb_.data(), rowub_.data());
    model.setOptimizationDirection(1.0);
  }

 private:
  int add_row(RowInfo info, double lb, double ub) {
    rows_.push_back(info);
    rowlb_.push_back(lb);
    rowub_.push_back(ub);
    return rows() - 1;
  }
  void entry(int r, int c, double value) {
    if (value == 0.0) return;
    ri_.push_back(r);
    ci_.push_back(c);
    el_.push_back(value);
  }
  int category_index(const std::string& name) const {
    for (int c = 0; c < C_; ++c) {
      if (category(c) == name) return c;
    }
    return -1;  // validate_plan rules this out
  }

  std::vector<double> objective_coefficients() const {
    std::vector<double> obj(collb_.size(), 0.0);
    for (int t = 0; t < T_; ++t) {
      for (int c = 0; c < C_; ++c) {
        if (objective_ == PlanObjective::redundancy) obj[static_cast<std::size_t>(col(c, t, redundancies))] = 1.0;
        if (objective_ == PlanObjective::shortfall) obj[static_cast<std::size_t>(col(c, t, shortfall))] = 1.0;
      }
    }
    return objective_ == PlanObjective::cost ? money_ : obj;
  }

  void set_cost(int column, double money) { money_[static_cast<std::size_t>(column)] = money; }
  void forbid(int column) { colub_[static_cast<std::size_t>(column)] = 0.0; }

  void build() {
    std::vector<int> from(static_cast<std::size_t>(M_)), to(static_cast<std::size_t>(M_));
    for (int m = 0; m < M_; ++m) {
      from[static_cast<std::size_t>(m)] = category_index(plan_.moves[static_cast<std::size_t>(m)].from);
      to[static_cast<std::size_t>(m)] = category_index(plan_.moves[static_cast<std::size_t>(m)].to);
    }
    for (int t = 0; t < T_; ++t) {
      for (int c = 0; c < C_; ++c) {
        const PlanCategory& cat = plan_.categories[static_cast<std::size_t>(c)];
        const double keep = 1.0 - at(cat.wastage, t);
        // Balance: stock − keep·stock[t−1] − (1 − wastage_new) recruits − Σ arrive·in + Σ out + redundancies = rhs.
        const int b = add_row({RowKind::balance, t, c, 0.0}, 0.0, 0.0);
        entry(b, col(c, t, stock), 1.0);
        if (t == 0) {
          rowlb_[static_cast<std::size_t>(b)] = rowub_[static_cast<std::size_t>(b)] = keep * cat.initial;
        } else {
          entry(b, col(c, t - 1, stock), -keep);
        }
        entry(b, col(c, t, recruits), -(1.0 - cat.wastage_new));
        entry(b, col(c, t, redundancies), 1.0);
        for (int m = 0; m < M_; ++m) {
          const PlanMove& move = plan_.moves[static_cast<std::size_t>(m)];
          if (to[static_cast<std::size_t>(m)] == c) entry(b, move_col(m, t), -(move.arrive ? *move.arrive : keep));
          if (from[static_cast<std::size_t>(m)] == c) entry(b, move_col(m, t), 1.0);
        }
        for (int k = 0; k < K_; ++k) {
          if (plan_.capacities[static_cast<std::size_t>(k)].category == cat.name) entry(b, capacity_col(k, t), -1.0);
        }
        // Demand: stock − (1 − output) short_time − overstaffing + shortfall = demand.
        const double demand = cat.demand[static_cast<std::size_t>(t)];
        const int d = add_row({RowKind::demand, t, c, demand}, demand, demand);
        entry(d, col(c, t, stock), 1.0);
        entry(d, col(c, t, short_time), -(1.0 - cat.short_time_output));
        entry(d, col(c, t, overstaffing), -1.0);
        entry(d, col(c, t, shortfall), 1.0);
        if (cat.short_time_output == 1.0) forbid(col(c, t, short_time));  // would do the full work: not short time

        set_cost(col(c, t, recruits), cat.recruit_cost);
        if (!cat.recruit_max.empty()) {
          const double cap = at(cat.recruit_max, t);
          entry(add_row({RowKind::recruit_max, t, c, cap}, -infinity, cap), col(c, t, recruits), 1.0);
        }
        if (cat.redundancy_cost) {
          set_cost(col(c, t, redundancies), *cat.redundancy_cost);
        } else {
          forbid(col(c, t, redundancies));
        }
        if (cat.overstaffing_cost) {
          set_cost(col(c, t, overstaffing), *cat.overstaffing_cost);
        } else {
          forbid(col(c, t, overstaffing));
        }
        if (cat.short_time_max) {
          set_cost(col(c, t, short_time), cat.short_time_cost);
          const double cap = *cat.short_time_max;
          entry(add_row({RowKind::short_time_max, t, c, cap}, -infinity, cap), col(c, t, short_time), 1.0);
        } else {
          forbid(col(c, t, short_time));
        }
        if (cat.shortfall_cost) set_cost(col(c, t, shortfall), *cat.shortfall_cost);
        if (!cat.shortfall_cost && objective_ != PlanObjective::shortfall) forbid(col(c, t, shortfall));
      }
      for (int m = 0; m < M_; ++m) {
        const PlanMove& move = plan_.moves[static_cast<std::size_t>(m)];
        set_cost(move_col(m, t), move.cost);
        if (!move.max.empty()) {
          const double cap = at(move.max, t);
          entry(add_row({RowKind::move_max, t, m, cap}, -infinity, cap), move_col(m, t), 1.0);
        }
        if (move.max_share_of_target) {
          // moves − share · stock of the target ≤ 0
          const int r = add_row({RowKind::move_share, t, m, *move.max_share_of_target}, -infinity, 0.0);
          entry(r, move_col(m, t), 1.0);
          entry(r, col(to[static_cast<std::size_t>(m)], t, stock), -*move.max_share_of_target);
        }
      }
      for (int k = 0; k < K_; ++k) {
        const PlanCapacity& capacity = plan_.capacities[static_cast<std::size_t>(k)];
        set_cost(capacity_col(k, t), capacity.cost);
        if (!capacity.max.empty()) {
          const double cap = at(capacity.max, t);
          entry(add_row({RowKind::capacity_max, t, k, cap}, -infinity, cap), capacity_col(k, t), 1.0);
        }
      }
      if (plan_.overstaffing_max_total) {
        const double cap = *plan_.overstaffing_max_total;
        const int r = add_row({RowKind::overstaffing_max_total, t, -1, cap}, -infinity, cap);
        for (int c = 0; c < C_; ++c) entry(r, col(c, t, overstaffing), 1.0);
      }
    }
  }

  const WorkforcePlan& plan_;
  PlanObjective objective_;
  int C_, T_, M_, K_;
  std::vector<int> ri_, ci_;
  std::vector<double> el_, collb_, colub_, money_, rowlb_, rowub_;
  std::vector<RowInfo> rows_;
};

/// A constraint named as in the plan file, with its limit.
std::string describe(const Model& model, int r) {
  const RowInfo& info = model.row(r);
  const std::string in_period = " in period " + model.period(info.period);
  switch (info.kind) {
    case RowKind::demand:
      return "demand of " + model.category(info.index) + in_period + " (" + persons_text(info.limit) + ")";
    case RowKind::recruit_max:
      return "recruit_max of " + model.category(info.index) + in_period + " (" + persons_text(info.limit) + ")";
    case RowKind::move_max:
      return "max of the move " + model.move_name(info.index) + in_period + " (" + persons_text(info.limit) + ")";
    case RowKind::move_share:
      return "max_share_of_target of the move " + model.move_name(info.index) + in_period + " (" +
             share_text(info.limit) + ")";
    case RowKind::short_time_max:
      return "short_time_max of " + model.category(info.index) + in_period + " (" + persons_text(info.limit) + ")";
    case RowKind::overstaffing_max_total:
      return "overstaffing_max_total" + in_period + " (" + persons_text(info.limit) + ")";
    case RowKind::capacity_max:
      return "max of " + model.capacity_name(info.index) + in_period + " (" + persons_text(info.limit) + ")";
    case RowKind::balance:
      break;
  }
  return "the balance of " + model.category(info.index) + in_period;
}

const char* constraint_name(RowKind kind) {
  switch (kind) {
    case RowKind::demand:
      return "demand";
    case RowKind::recruit_max:
      return "recruit_max";
    case RowKind::move_max:
      return "move_max";
    case RowKind::move_share:
      return "move_share";
    case RowKind::short_time_max:
      return "short_time_max";
    case RowKind::overstaffing_max_total:
      return "overstaffing_max_total";
    case RowKind::capacity_max:
      return "capacity_max";
    case RowKind::balance:
      break;
  }
  return "balance";
}

/// The effect of one more unit of the limit, in words: "saves 1,250", "costs 0.5 redundancies".
std::string effect_text(PlanObjective objective, double price) {
  std::string out = price < 0 ? "saves " : "costs ";
  out += amount_text(price);
  if (objective == PlanObjective::redundancy) out += std::fabs(price) == 1.0 ? " redundancy" : " redundancies";
  if (objective == PlanObjective::shortfall) out += " of shortfall";
  return out;
}

std::string binding_text(const Model& model, int r, PlanObjective objective, double price) {
  const RowInfo& info = model.row(r);
  const std::string in_period = " in period " + model.period(info.period);
  const std::string effect = effect_text(objective, price);
  switch (info.kind) {
    case RowKind::demand:
      return "one more person needed for " + model.category(info.index) + in_period + " " + effect;
    case RowKind::recruit_max:
      return "one more recruit allowed for " + model.category(info.index) + in_period + " " + effect;
    case RowKind::move_max: {
      const PlanMove& move = model.plan().moves[static_cast<std::size_t>(info.index)];
      return "one more move allowed from " + move.from + " to " + move.to + in_period + " " + effect;
    }
    case RowKind::move_share: {
      const PlanMove& move = model.plan().moves[static_cast<std::size_t>(info.index)];
      return "one more move allowed from " + move.from + " to " + move.to + " beyond " + share_text(info.limit) +
             " of " + move.to + "'s stock" + in_period + " " + effect;
    }
    case RowKind::short_time_max:
      return "one more person allowed on short time in " + model.category(info.index) + in_period + " " + effect;
    case RowKind::overstaffing_max_total:
      return "one more person of overstaffing allowed" + in_period + " " + effect;
    case RowKind::capacity_max:
      return "one more person of " + model.capacity_name(info.index) + " allowed" + in_period + " " + effect;
    case RowKind::balance:
      break;
  }
  return describe(model, r) + " " + effect;
}

double clean(double x) { return std::fabs(x) < 1e-9 ? 0.0 : x; }

[[noreturn]] void explain_infeasible(const Model& model) {
  ClpSimplex phase1;
  std::vector<int> slack_rows;
  model.load(phase1, true, &slack_rows);
  phase1.initialSolve();
  if (phase1.status() != 0) {
    throw error("the plan is infeasible, and the LP solver could not find which constraints conflict (status " +
                std::to_string(phase1.status()) + ")");
  }
  const double* x = phase1.getColSolution();
  const double* price = phase1.getRowPrice();
  std::vector<std::string> conflicts;
  const int first_slack = model.columns();
  for (std::size_t s = 0; s < slack_rows.size(); s += 2) {
    const double short_by = x[first_slack + static_cast<int>(s)];
    const double over_by = x[first_slack + static_cast<int>(s) + 1];
    const int r = slack_rows[s];
    const PlanCategory& cat = model.plan().categories[static_cast<std::size_t>(model.row(r).index)];
    if (short_by > 1e-6) {
      std::string text = describe(model, r) + ": " + persons_text(short_by) + " short";
      if (!cat.shortfall_cost) text += " (no shortfall_cost: the demand must be met)";
      conflicts.push_back(text);
    }
    if (over_by > 1e-6) {
      std::string text = describe(model, r) + ": " + persons_text(over_by) + " too many";
      if (!cat.redundancy_cost) text += " (no redundancy_cost: no redundancies)";
      if (!cat.overstaffing_cost) text += " (no overstaffing_cost: no overstaffing)";
      conflicts.push_back(text);
    }
  }
  for (int r = 0; r < model.rows(); ++r) {
    const RowKind kind = model.row(r).kind;
    if (kind == RowKind::balance || kind == RowKind::demand) continue;
    if (std::fabs(price[r]) > tolerance) conflicts.push_back(describe(model, r));
  }
  std::string message = "the plan is infeasible: these constraints cannot hold together:";
  for (const auto& c : conflicts) message += "\n  " + c;
  throw infeasible_plan_error(message, std::move(conflicts));
}

}  // namespace

PlanResult optimise_plan(const WorkforcePlan& plan, std::optional<PlanObjective> objective) {
  validate_plan(plan);
  PlanResult result;
  result.objective = objective ? *objective : plan.objective;
  const Model model(plan, result.objective);

  ClpSimplex lp;
  model.load(lp, false, nullptr);
  lp.initialSolve();
  if (lp.status() == 1) explain_infeasible(model);
  if (lp.status() != 0) {
    throw error("the LP solver did not find an optimal plan (Clp status " + std::to_string(lp.status()) + ")");
  }
  const double* x = lp.getColSolution();
  const double* price = lp.getRowPrice();
  result.objective_value = clean(lp.objectiveValue());

  const int C = static_cast<int>(plan.categories.size());
  const int M = static_cast<int>(plan.moves.size());
  Table& table = result.table;
  table.key_names = {"period", "category"};
  table.keys.assign(2, {});
  const int K = static_cast<int>(plan.capacities.size());
  // `capacity` only when the plan has [[capacity]] levers.
  std::vector<const char*> names = {"stock", "demand", "recruits", "moves_in", "moves_out"};
  if (K > 0) names.push_back("capacity");
  for (const char* name : {"redundancies", "short_time", "overstaffing", "shortfall", "cost"}) names.push_back(name);
  for (const char* name : names) {
    // Persons with one decimal (the `age` kind prints one decimal), cost in whole units.
    table.values.push_back({name, std::string(name) == "cost" ? ValueKind::count : ValueKind::age, {}});
  }
  std::vector<double> totals(std::size(names), 0.0);
  const std::vector<double>& money = model.money();
  for (int t = 0; t < plan.periods; ++t) {
    for (int c = 0; c < C; ++c) {
      const PlanCategory& cat = plan.categories[static_cast<std::size_t>(c)];
      double in = 0.0, out = 0.0, cost = 0.0, added = 0.0;
      for (int v = 0; v < vars_per_cell; ++v) {
        const int j = model.col(c, t, static_cast<Var>(v));
        cost += money[static_cast<std::size_t>(j)] * x[j];
      }
      for (int m = 0; m < M; ++m) {
        const PlanMove& move = plan.moves[static_cast<std::size_t>(m)];
        const int j = model.move_col(m, t);
        if (move.to == cat.name) {
          in += x[j];
          cost += money[static_cast<std::size_t>(j)] * x[j];
        }
        if (move.from == cat.name) out += x[j];
      }
      for (int k = 0; k < K; ++k) {
        if (plan.capacities[static_cast<std::size_t>(k)].category != cat.name) continue;
        const int j = model.capacity_col(k, t);
        added += x[j];
        cost += money[static_cast<std::size_t>(j)] * x[j];
      }
      std::vector<double> row = {x[model.col(c, t, stock)], cat.demand[static_cast<std::size_t>(t)],
                                 x[model.col(c, t, recruits)], in, out};
      if (K > 0) row.push_back(added);
      for (double value : {x[model.col(c, t, redundancies)], x[model.col(c, t, short_time)],
                           x[model.col(c, t, overstaffing)], x[model.col(c, t, shortfall)], cost}) {
        row.push_back(value);
      }
      table.keys[0].push_back(model.period(t));
      table.keys[1].push_back(cat.name);
      for (std::size_t k = 0; k < std::size(names); ++k) {
        const double value = clean(row[k]);
        totals[k] += value;
        table.values[k].values.push_back(k + 1 == std::size(names) ? std::nearbyint(value) : value);
      }
      result.total_cost += cost;
    }
  }
  table.keys[0].push_back(table.total_label);
  table.keys[1].push_back("");
  for (std::size_t k = 0; k < std::size(names); ++k) {
    double value = k < 2 ? missing : totals[k];
    if (k + 1 == std::size(names)) value = std::nearbyint(clean(result.total_cost));
    table.values[k].values.push_back(value);
  }
  result.total_cost = clean(result.total_cost);

  for (int r = 0; r < model.rows(); ++r) {
    const RowInfo& info = model.row(r);
    if (info.kind == RowKind::balance || std::fabs(price[r]) <= tolerance) continue;
    PlanBinding b;
    b.constraint = constraint_name(info.kind);
    b.period = model.period(info.period);
    if (info.kind == RowKind::move_max || info.kind == RowKind::move_share) {
      b.category = model.move_name(info.index);
    } else if (info.kind == RowKind::capacity_max) {
      b.category = model.capacity_name(info.index);
    } else if (info.index >= 0) {
      b.category = model.category(info.index);
    }
    b.limit = info.limit;
    b.shadow_price = price[r];
    b.text = binding_text(model, r, result.objective, price[r]);
    result.binding.push_back(std::move(b));
  }
  std::stable_sort(result.binding.begin(), result.binding.end(), [](const PlanBinding& a, const PlanBinding& b) {
    return std::fabs(a.shadow_price) > std::fabs(b.shadow_price);
  });
  return result;
}

std::string explain_plan(const PlanResult& result) {
  std::string out;
  switch (result.objective) {
    case PlanObjective::cost:
      out = "minimum cost: " + amount_text(result.objective_value) + "\n";
      break;
    case PlanObjective::redundancy:
      out = "minimum redundancies: " + persons_text(result.objective_value) + " (cost " +
            amount_text(result.total_cost) + ")\n";
      break;
    case PlanObjective::shortfall:
      out = "minimum shortfall: " + persons_text(result.objective_value) + " (cost " + amount_text(result.total_cost) +
            ")\n";
      break;
  }
  if (result.binding.empty()) return out + "no constraint binds: every limit could be tightened a little at no loss\n";
  out += "binding constraints (the effect of one unit more):\n";
  for (const PlanBinding& b : result.binding) out += "  " + b.text + "\n";
  return out;
}

}  // namespace staffcast
