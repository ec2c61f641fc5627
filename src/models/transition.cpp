#include <staffcast/detail/group_sums.hpp>
#include <staffcast/models/transition.hpp>

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

}  // namespace staffcast
