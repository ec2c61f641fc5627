#include <staffcast/models/transition.hpp>

#include <staffcast/detail/group_sums.hpp>
#include <staffcast/detail/person_day.hpp>
#include <staffcast/error.hpp>
#include <staffcast/register/query.hpp>
#include <staffcast/stats/snapshot.hpp>
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

Recruitment Recruitment::parse(std::string_view kind, const std::optional<Eigen::VectorXd>& values) {
  if (kind == "none") return nobody();
  if (kind == "fixed") {
    if (!values) throw argument_error("fixed recruits need one value per state");
    return fixed(*values);
  }
  if (kind == "hold") return hold(values.value_or(Eigen::VectorXd()));
  throw argument_error("recruitment must be 'none', 'fixed' or 'hold'");
}

TransitionEstimate estimate_transitions(const Register& reg, day_t from, day_t to, const Query& query) {
  if (query.by.dimensions.empty()) {
    throw argument_error("states need at least one dimension, e.g. department or position");
  }
  if (!(from < to)) throw argument_error("the start date must be before the end date");
  detail::require_observed(reg, query, from, to);
  const SpellColumns& s = reg.spells();
  const GroupKeys keys(reg, query.by);
  constexpr std::uint64_t none = ~std::uint64_t{0};
  std::vector<std::pair<std::uint64_t, std::uint64_t>> pairs;  // (state on from, state on to or none)
  detail::PersonOnDay person;
  detail::for_each_person(s, [&](std::size_t b, std::size_t e) {
    detail::person_on_day(reg, query.filter, b, e, from, person);
    const std::uint64_t at_from = person.main == no_code ? none : keys.key(person.main, from, person.fte);
    detail::person_on_day(reg, query.filter, b, e, to, person);
    const std::uint64_t at_to = person.main == no_code ? none : keys.key(person.main, to, person.fte);
    if (at_from != none || at_to != none) pairs.emplace_back(at_from, at_to);
  });
  std::map<std::uint64_t, std::string> label_of;
  for (const auto& [a, b] : pairs) {
    for (const std::uint64_t key : {a, b}) {
      if (key == none || label_of.count(key)) continue;
      std::string label;
      for (const std::string& part : keys.labels(key)) label += (label.empty() ? "" : ", ") + part;
      label_of.emplace(key, label);
    }
  }
  std::vector<std::pair<std::string, std::uint64_t>> sorted;
  for (const auto& [key, label] : label_of) sorted.emplace_back(label, key);
  std::sort(sorted.begin(), sorted.end());
  std::map<std::uint64_t, Eigen::Index> index;
  TransitionEstimate out;
  for (const auto& [label, key] : sorted) {
    index[key] = static_cast<Eigen::Index>(out.states.size());
    out.states.push_back(label);
  }
  const auto n = static_cast<Eigen::Index>(out.states.size());
  out.persons = Eigen::VectorXd::Zero(n);
  out.exits = Eigen::VectorXd::Zero(n);
  out.counts = Eigen::MatrixXd::Zero(n, n);
  for (const auto& [a, b] : pairs) {
    if (a == none) continue;
    const Eigen::Index i = index[a];
    out.persons(i) += 1;
    if (b == none) {
      out.exits(i) += 1;
    } else {
      out.counts(i, index[b]) += 1;
    }
  }
  out.p = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    if (out.persons(i) > 0) out.p.row(i) = out.counts.row(i) / out.persons(i);
  }
  return out;
}

Table TransitionProjection::to_table() const {
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

TransitionModel::TransitionModel(std::vector<std::string> states, Eigen::MatrixXd p)
    : states_(std::move(states)), p_(std::move(p)) {
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

std::size_t TransitionModel::index(const std::string& state) const {
  const auto it = std::find(states_.begin(), states_.end(), state);
  if (it == states_.end()) throw argument_error("unknown state '" + state + "'");
  return static_cast<std::size_t>(it - states_.begin());
}

const Eigen::MatrixXd& TransitionModel::fundamental_matrix() const {
  if (!fundamental_) throw argument_error(singular_reason_);
  return *fundamental_;
}

double TransitionModel::expected_tenure(std::size_t state) const {
  check(state);
  return fundamental_matrix().row(static_cast<Eigen::Index>(state)).sum();
}

double TransitionModel::reach_probability(std::size_t from, std::size_t to) const {
  check(from);
  check(to);
  const Eigen::MatrixXd& nm = fundamental_matrix();
  if (from == to) return 1.0;
  const auto i = static_cast<Eigen::Index>(from), j = static_cast<Eigen::Index>(to);
  return nm(i, j) / nm(j, j);
}

Eigen::VectorXd TransitionModel::steady_state(const Eigen::VectorXd& recruits) const {
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

TransitionProjection TransitionModel::project(const Eigen::VectorXd& stocks, int years,
                                              const Recruitment& recruitment) const {
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

std::string TransitionModel::number(double v) {
  std::ostringstream text;
  text.precision(12);
  text << v;
  return text.str();
}

void TransitionModel::check_vector(const Eigen::VectorXd& v, const char* what) const {
  if (static_cast<std::size_t>(v.size()) != size()) {
    throw argument_error(std::string(what) + " must have one value per state (" + std::to_string(size()) + "), got " +
                         std::to_string(v.size()));
  }
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v(i)) || v(i) < 0) throw argument_error(std::string(what) + " must be finite and >= 0");
  }
}

void TransitionModel::compute_fundamental() {
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

}  // namespace staffcast
