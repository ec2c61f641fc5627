// The transition (Markov) model of docs/models.md: states, yearly transition
// probabilities P (rows = from, columns = to; the exit probability of a state
// is 1 − its row sum), projections of stocks, the fundamental matrix N =
// (I − P)⁻¹ and what follows from it, and the estimation of P from a register.
#pragma once

#include <staffcast/error.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace staffcast {

/// How recruits join at each year end.
struct Recruitment {
  enum class Kind : std::uint8_t {
    none,   // no recruits
    fixed,  // `values` recruits per state, every year
    hold    // r = max(0, target − n·P) per state; target = `values`, or the start stocks when empty
  };
  Kind kind = Kind::none;
  Eigen::VectorXd values;

  static Recruitment nobody() { return {}; }
  static Recruitment fixed(Eigen::VectorXd per_state) { return {Kind::fixed, std::move(per_state)}; }
  static Recruitment hold(Eigen::VectorXd target = {}) { return {Kind::hold, std::move(target)}; }
};

/// A projection, one entry per year (1..n) and state (in the model's order).
/// For stocks n at the start of a year: exits_i = n_i·(1 − Σ_j P_ij), moves_out_i
/// = n_i·Σ_{j≠i} P_ij, moves_in_j = Σ_{i≠j} n_i·P_ij, recruits as Recruitment,
/// end = n·P + recruits; so start − exits − moves_out + moves_in + recruits = end.
struct TransitionProjection {
  std::vector<std::string> states;
  std::vector<int> year;
  std::vector<std::uint32_t> state;
  std::vector<double> start, exits, moves_out, moves_in, recruits, end;

  [[nodiscard]] std::size_t rows() const noexcept { return year.size(); }

  /// As a table: key columns year and state, then the values.
  [[nodiscard]] Table to_table() const {
    Table table;
    table.key_names = {"year", "state"};
    table.keys.assign(2, {});
    for (std::size_t r = 0; r < rows(); ++r) {
      table.keys[0].push_back(std::to_string(year[r]));
      table.keys[1].push_back(states[state[r]]);
    }
    const std::pair<const char*, const std::vector<double>*> columns[] = {
        {"start", &start},       {"exits", &exits},       {"moves_out", &moves_out},
        {"moves_in", &moves_in}, {"recruits", &recruits}, {"end", &end}};
    for (const auto& [name, values] : columns) table.values.push_back({name, ValueKind::number, *values});
    return table;
  }
};

class TransitionModel {
 public:
  /// Rows may sum to at most 1 + tolerance; an exit probability below it counts as none.
  static constexpr double tolerance = 1e-9;

  /// Validates P: square, one row per state, finite, no negative entry, no row
  /// summing above 1 + 1e-9, distinct state names (argument_error otherwise). A
  /// singular I − P is allowed here (P = I projects fine) and reported by the
  /// functions that need N.
  TransitionModel(std::vector<std::string> states, Eigen::MatrixXd p) : states_(std::move(states)), p_(std::move(p)) {
    const auto n = static_cast<Eigen::Index>(states_.size());
    if (states_.empty()) throw argument_error("a transition model needs at least one state");
    {
      std::vector<std::string> sorted = states_;
      std::sort(sorted.begin(), sorted.end());
      const auto dup = std::adjacent_find(sorted.begin(), sorted.end());
      if (dup != sorted.end()) throw argument_error("state '" + *dup + "' is given twice");
    }
    if (p_.rows() != p_.cols()) {
      throw argument_error("P must be square, got " + std::to_string(p_.rows()) + " x " + std::to_string(p_.cols()));
    }
    if (p_.rows() != n) {
      throw argument_error("P is " + std::to_string(p_.rows()) + " x " + std::to_string(p_.cols()) + " but there are " +
                           std::to_string(n) + " states");
    }
    exit_.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      double sum = 0;
      for (Eigen::Index j = 0; j < n; ++j) {
        const double v = p_(i, j);
        if (!std::isfinite(v)) throw argument_error("P[" + name(i) + ", " + name(j) + "] is not a finite number");
        if (v < 0) {
          throw argument_error("P[" + name(i) + ", " + name(j) + "] = " + number(v) +
                               " is negative; transition probabilities must be >= 0");
        }
        sum += v;
      }
      if (sum > 1.0 + tolerance) {
        throw argument_error("the row of state '" + name(i) + "' sums to " + number(sum) +
                             " > 1; a row holds the probabilities of moving to each state, and 1 minus its sum is "
                             "the exit probability");
      }
      exit_(i) = std::max(0.0, 1.0 - sum);
    }
    compute_fundamental();
  }

  [[nodiscard]] const std::vector<std::string>& states() const noexcept { return states_; }
  [[nodiscard]] std::size_t size() const noexcept { return states_.size(); }
  [[nodiscard]] const Eigen::MatrixXd& matrix() const noexcept { return p_; }
  /// 1 − row sum, per state (0 for rows summing to 1 within the tolerance).
  [[nodiscard]] const Eigen::VectorXd& exit_probabilities() const noexcept { return exit_; }

  /// Index of a state; argument_error for an unknown name.
  [[nodiscard]] std::size_t index(const std::string& state) const {
    const auto it = std::find(states_.begin(), states_.end(), state);
    if (it == states_.end()) throw argument_error("unknown state '" + state + "'");
    return static_cast<std::size_t>(it - states_.begin());
  }

  /// True when I − P is invertible (every state eventually exits).
  [[nodiscard]] bool transient() const noexcept { return fundamental_.has_value(); }

  /// N = (I − P)⁻¹: N_ij = expected years spent in state j by a person now in i.
  [[nodiscard]] const Eigen::MatrixXd& fundamental_matrix() const {
    if (!fundamental_) throw argument_error(singular_reason_);
    return *fundamental_;
  }

  /// Expected years until exit for a person now in `state` (row sum of N).
  [[nodiscard]] double expected_tenure(std::size_t state) const {
    check(state);
    return fundamental_matrix().row(static_cast<Eigen::Index>(state)).sum();
  }
  [[nodiscard]] double expected_tenure(const std::string& state) const { return expected_tenure(index(state)); }

  /// Probability of ever reaching `to` from `from` before exiting: N_ij / N_jj (1 when i = j).
  [[nodiscard]] double reach_probability(std::size_t from, std::size_t to) const {
    check(from);
    check(to);
    const Eigen::MatrixXd& nm = fundamental_matrix();
    if (from == to) return 1.0;
    const auto i = static_cast<Eigen::Index>(from), j = static_cast<Eigen::Index>(to);
    return nm(i, j) / nm(j, j);
  }
  [[nodiscard]] double reach_probability(const std::string& from, const std::string& to) const {
    return reach_probability(index(from), index(to));
  }

  /// The stocks n* that recruits r per year (joining at year end) sustain: n* = r·N,
  /// the fixed point of n → n·P + r.
  [[nodiscard]] Eigen::VectorXd steady_state(const Eigen::VectorXd& recruits) const {
    check_vector(recruits, "recruits");
    const Eigen::MatrixXd& nm = fundamental_matrix();
    const auto n = static_cast<Eigen::Index>(size());
    Eigen::VectorXd out = Eigen::VectorXd::Zero(n);
    for (Eigen::Index j = 0; j < n; ++j) {
      double sum = 0;
      for (Eigen::Index i = 0; i < n; ++i) sum += recruits(i) * nm(i, j);
      out(j) = sum;
    }
    return out;
  }

  /// Projects `stocks` (one per state, >= 0) `years` years ahead: each year n → n·P,
  /// then recruits join at year end (see TransitionProjection for the columns).
  [[nodiscard]] TransitionProjection project(const Eigen::VectorXd& stocks, int years,
                                             const Recruitment& recruitment = {}) const {
    check_vector(stocks, "stocks");
    if (years < 1 || years > 10000) throw argument_error("years must be between 1 and 10000");
    const auto n = static_cast<Eigen::Index>(size());
    Eigen::VectorXd target;
    switch (recruitment.kind) {
      case Recruitment::Kind::none:
        break;
      case Recruitment::Kind::fixed:
        check_vector(recruitment.values, "recruits");
        break;
      case Recruitment::Kind::hold:
        if (recruitment.values.size() == 0) {
          target = stocks;
        } else {
          check_vector(recruitment.values, "target");
          target = recruitment.values;
        }
        break;
    }
    TransitionProjection out;
    out.states = states_;
    const auto rows = static_cast<std::size_t>(years) * size();
    for (auto* v : {&out.start, &out.exits, &out.moves_out, &out.moves_in, &out.recruits, &out.end}) v->reserve(rows);
    Eigen::VectorXd current = stocks, moved_in(n), after(n);
    for (int y = 1; y <= years; ++y) {
      moved_in.setZero();
      after.setZero();
      for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < n; ++j) {
          const double flow = current(i) * p_(i, j);
          after(j) += flow;
          if (j != i) moved_in(j) += flow;
        }
      }
      for (Eigen::Index i = 0; i < n; ++i) {
        double out_flow = 0;
        for (Eigen::Index j = 0; j < n; ++j) {
          if (j != i) out_flow += current(i) * p_(i, j);
        }
        double r = 0;
        if (recruitment.kind == Recruitment::Kind::fixed) r = recruitment.values(i);
        if (recruitment.kind == Recruitment::Kind::hold) r = std::max(0.0, target(i) - after(i));
        out.year.push_back(y);
        out.state.push_back(static_cast<std::uint32_t>(i));
        out.start.push_back(current(i));
        out.exits.push_back(current(i) * exit_(i));
        out.moves_out.push_back(out_flow);
        out.moves_in.push_back(moved_in(i));
        out.recruits.push_back(r);
        out.end.push_back(after(i) + r);
      }
      for (Eigen::Index i = 0; i < n; ++i) current(i) = out.end[out.end.size() - static_cast<std::size_t>(n - i)];
    }
    return out;
  }

 private:
  [[nodiscard]] std::string name(Eigen::Index i) const { return states_[static_cast<std::size_t>(i)]; }
  static std::string number(double v) {
    std::ostringstream text;
    text.precision(12);
    text << v;
    return text.str();
  }
  void check(std::size_t state) const {
    if (state >= size()) throw argument_error("state index " + std::to_string(state) + " out of range");
  }
  void check_vector(const Eigen::VectorXd& v, const char* what) const {
    if (static_cast<std::size_t>(v.size()) != size()) {
      throw argument_error(std::string(what) + " must have one value per state (" + std::to_string(size()) + "), got " +
                           std::to_string(v.size()));
    }
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      if (!std::isfinite(v(i)) || v(i) < 0) throw argument_error(std::string(what) + " must be finite and >= 0");
    }
  }

  /// N, or the reason I − P is singular: a set of states that can never exit
  /// (no path of positive probabilities to a state with an exit probability).
  void compute_fundamental() {
    const auto n = static_cast<Eigen::Index>(size());
    std::vector<bool> exits(size(), false);
    std::vector<Eigen::Index> stack;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (exit_(i) > tolerance) {
        exits[static_cast<std::size_t>(i)] = true;
        stack.push_back(i);
      }
    }
    while (!stack.empty()) {  // states that lead to an exiting state
      const Eigen::Index j = stack.back();
      stack.pop_back();
      for (Eigen::Index i = 0; i < n; ++i) {
        if (!exits[static_cast<std::size_t>(i)] && p_(i, j) > 0) {
          exits[static_cast<std::size_t>(i)] = true;
          stack.push_back(i);
        }
      }
    }
    std::string closed;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!exits[static_cast<std::size_t>(i)]) closed += (closed.empty() ? "'" : ", '") + name(i) + "'";
    }
    if (!closed.empty()) {
      singular_reason_ = "I - P is singular: nobody ever leaves the state(s) " + closed +
                         " (their rows sum to 1 and they lead only to each other), so the fundamental matrix, "
                         "expected tenure, reach probabilities and the steady state are undefined";
      return;
    }
    const Eigen::MatrixXd a = Eigen::MatrixXd::Identity(n, n) - p_;
    Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
    if (!lu.isInvertible()) {
      singular_reason_ = "I - P is numerically singular; the fundamental matrix is undefined";
      return;
    }
    Eigen::MatrixXd inverse = lu.inverse();
    if (!inverse.allFinite()) {
      singular_reason_ = "I - P is numerically singular; the fundamental matrix is undefined";
      return;
    }
    fundamental_ = std::move(inverse);
  }

  std::vector<std::string> states_;
  Eigen::MatrixXd p_;
  Eigen::VectorXd exit_;
  std::optional<Eigen::MatrixXd> fundamental_;
  std::string singular_reason_;
};

/// P estimated from a register: persons by state on `from` and on `to`.
struct TransitionEstimate {
  std::vector<std::string> states;  // sorted by code point of their labels
  Eigen::VectorXd persons;          // persons in state i on `from`
  Eigen::MatrixXd counts;           // of them, in state j on `to`
  Eigen::VectorXd exits;            // of them, not in the (filtered) population on `to`
  Eigen::MatrixXd p;                // counts / persons (a zero row for a state with nobody on `from`)

  [[nodiscard]] TransitionModel model() const { return TransitionModel(states, p); }
};

/// Estimates P over [from, to] (docs/models.md): the state of a person on a day is
/// the label of their main spell (among the spells passing the filter) in the
/// dimensions of `query.by` (several joined by ", "); P_ij = the share of the
/// persons in state i on `from` who are in state j on `to`; those not in the
/// filtered population on `to` exited. States are every label seen on either
/// day. For yearly probabilities take `to` one year after `from`.
TransitionEstimate estimate_transitions(const Register& reg, day_t from, day_t to, const Query& query);

}  // namespace staffcast
