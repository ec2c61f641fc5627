// The manager checks of a finished register: manager ids that are nobody's
// employee id, and chains of managers that return to a person.
#include "builder.hpp"

#include <algorithm>
#include <tuple>

namespace staffcast {

void RegisterBuilder::check_managers(const Register& reg, IssueList& out) const {
  const SpellColumns& s = reg.spells_;
  const std::size_t persons = reg.persons_;
  // Edges person -> manager (employees only), each with the first spell that states it.
  struct Edge {
    std::uint32_t person, manager, spell;
  };
  std::vector<Edge> edges;
  edges.reserve(s.size());
  // Manager ids that are no employee's are opaque keys: reported once each, at
  // the first row (in file order) that names it.
  std::vector<std::uint32_t> first_naming(reg.ids_.size() - persons, no_code);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::uint32_t manager = s.manager[i];
    if (manager == no_code) continue;
    if (manager >= persons) {
      std::uint32_t& first_row = first_naming[manager - persons];
      if (first_row == no_code || s.source_row[i] < s.source_row[first_row]) first_row = static_cast<std::uint32_t>(i);
      continue;
    }
    edges.push_back({s.person[i], manager, static_cast<std::uint32_t>(i)});
  }
  std::vector<std::uint32_t> opaque;
  for (const std::uint32_t i : first_naming) {
    if (i != no_code) opaque.push_back(i);
  }
  std::sort(opaque.begin(), opaque.end(),
            [&](std::uint32_t x, std::uint32_t y) { return s.source_row[x] < s.source_row[y]; });
  for (const std::uint32_t i : opaque) {
    warning(out, i, column_label(f_manager_id), "unknown_manager",
            "manager_id is not the employee_id of anyone in the register: an opaque key (span of control counts "
            "its direct reports; its department is unknown); reported once for all its rows");
  }
  // Spells are in person order, so the edges already are: sorting each
  // person's few edges by (manager, spell) sorts them all.
  for (std::size_t b = 0; b < edges.size();) {
    std::size_t e = b + 1;
    while (e < edges.size() && edges[e].person == edges[b].person) ++e;
    if (e - b > 1) {
      std::sort(
          edges.begin() + static_cast<std::ptrdiff_t>(b), edges.begin() + static_cast<std::ptrdiff_t>(e),
          [](const Edge& x, const Edge& y) { return std::tie(x.manager, x.spell) < std::tie(y.manager, y.spell); });
    }
    b = e;
  }
  edges.erase(std::unique(edges.begin(), edges.end(),
                          [](const Edge& a, const Edge& b) { return a.person == b.person && a.manager == b.manager; }),
              edges.end());
  std::vector<std::size_t> first(persons + 1, 0);
  for (const auto& edge : edges) ++first[edge.person + 1];
  for (std::size_t p = 0; p < persons; ++p) first[p + 1] += first[p];
  // Iterative depth-first search; a grey target closes a cycle.
  enum : std::uint8_t { white, grey, black };
  std::vector<std::uint8_t> colour(persons, white);
  std::vector<std::pair<std::uint32_t, std::size_t>> stack;
  for (std::uint32_t root = 0; root < persons; ++root) {
    if (colour[root] != white || first[root] == first[root + 1]) continue;
    stack.emplace_back(root, first[root]);
    colour[root] = grey;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next == first[node + 1]) {
        colour[node] = black;
        stack.pop_back();
        continue;
      }
      const Edge& edge = edges[next];
      const std::uint32_t target = edge.manager;
      const std::uint32_t from = node;
      ++next;
      if (colour[target] == grey) {
        warning(out, edge.spell, column_label(f_manager_id), "manager_cycle",
                target == from ? "a person is their own manager" : "the chain of managers returns to a person");
      } else if (colour[target] == white) {
        colour[target] = grey;
        stack.emplace_back(target, first[target]);
      }
    }
  }
}

}  // namespace staffcast
