// The transition (Markov) model of docs/models.md: states, yearly transition
// probabilities P (rows = from, columns = to; the exit probability of a state
// is 1 − its row sum), projections of stocks, the fundamental matrix N =
// (I − P)⁻¹ and what follows from it, and the estimation of P from a register.
#pragma once

#include <staffcast/error.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/table.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

  /// "none", "fixed" (values required: recruits per state) or "hold" (values:
  /// the target, else the start stocks); throws argument_error otherwise.
  static Recruitment parse(std::string_view kind, const std::optional<Eigen::VectorXd>& values);
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
  [[nodiscard]] Table to_table() const;
};

class TransitionModel {
 public:
  /// Rows may sum to at most 1 + tolerance; an exit probability below it counts as none.
  static constexpr double tolerance = 1e-9;

  /// Validates P: square, one row per state, finite, no negative entry, no row
  /// summing above 1 + 1e-9, distinct state names (argument_error otherwise). A
  /// singular I − P is allowed here (P = I projects fine) and reported by the
  /// functions that need N.
  TransitionModel(std::vector<std::string> states, Eigen::MatrixXd p);

  [[nodiscard]] const std::vector<std::string>& states() const noexcept { return states_; }
  [[nodiscard]] std::size_t size() const noexcept { return states_.size(); }
  [[nodiscard]] const Eigen::MatrixXd& matrix() const noexcept { return p_; }
  /// 1 − row sum, per state (0 for rows summing to 1 within the tolerance).
  [[nodiscard]] const Eigen::VectorXd& exit_probabilities() const noexcept { return exit_; }

  /// Index of a state; argument_error for an unknown name.
  [[nodiscard]] std::size_t index(const std::string& state) const;

  /// True when I − P is invertible (every state eventually exits).
  [[nodiscard]] bool transient() const noexcept { return fundamental_.has_value(); }

  /// N = (I − P)⁻¹: N_ij = expected years spent in state j by a person now in i.
  [[nodiscard]] const Eigen::MatrixXd& fundamental_matrix() const;

  /// Expected years until exit for a person now in `state` (row sum of N).
  [[nodiscard]] double expected_tenure(std::size_t state) const;
  [[nodiscard]] double expected_tenure(const std::string& state) const { return expected_tenure(index(state)); }

  /// Probability of ever reaching `to` from `from` before exiting: N_ij / N_jj (1 when i = j).
  [[nodiscard]] double reach_probability(std::size_t from, std::size_t to) const;
  [[nodiscard]] double reach_probability(const std::string& from, const std::string& to) const {
    return reach_probability(index(from), index(to));
  }

  /// The stocks n* that recruits r per year (joining at year end) sustain: n* = r·N,
  /// the fixed point of n → n·P + r.
  [[nodiscard]] Eigen::VectorXd steady_state(const Eigen::VectorXd& recruits) const;

  /// Projects `stocks` (one per state, >= 0) `years` years ahead: each year n → n·P,
  /// then recruits join at year end (see TransitionProjection for the columns).
  [[nodiscard]] TransitionProjection project(const Eigen::VectorXd& stocks, int years,
                                             const Recruitment& recruitment = {}) const;

 private:
  [[nodiscard]] std::string name(Eigen::Index i) const { return states_[static_cast<std::size_t>(i)]; }
  static std::string number(double v);
  void check(std::size_t state) const {
    if (state >= size()) throw argument_error("state index " + std::to_string(state) + " out of range");
  }
  void check_vector(const Eigen::VectorXd& v, const char* what) const;

  /// N, or the reason I − P is singular: a set of states that can never exit
  /// (no path of positive probabilities to a state with an exit probability).
  void compute_fundamental();

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
