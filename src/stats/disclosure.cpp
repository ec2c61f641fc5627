// Disclosure control: primary and secondary cell suppression (docs/privacy.md).
#include <staffcast/error.hpp>
#include <staffcast/stats/disclosure.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace staffcast {
namespace {

// What a set of secondary cells costs, compared in this order: zeros used (a
// hidden 0 beside a hidden 1 gives the 1 away, as a hidden small count is at
// least 1), persons whose own cell is hidden (a total is nobody's own cell),
// cells, then the persons counted in the hidden totals.
struct Cost {
  double zeros = 0, persons = 0, cells = 0, totals = 0;

  Cost operator+(const Cost& o) const {
    return {zeros + o.zeros, persons + o.persons, cells + o.cells, totals + o.totals};
  }
  bool operator<(const Cost& o) const {
    constexpr double tolerance = 1e-9;
    if (std::abs(zeros - o.zeros) > tolerance) return zeros < o.zeros;
    if (std::abs(persons - o.persons) > tolerance) return persons < o.persons;
    if (std::abs(cells - o.cells) > tolerance) return cells < o.cells;
    return totals < o.totals - tolerance;
  }
};

// The search for the cheapest set of secondary cells. A sum ("line") is
// protected when it holds no blanked cell or at least two. Each node takes a
// line with exactly one blanked cell and branches on which of its visible
// cells to blank next, cheapest first; the cells tried before are excluded in
// the later branches, so no set is visited twice.
class Search {
 public:
  Search(std::vector<Cost> costs, std::vector<std::vector<std::size_t>> lines, std::size_t limit)
      : costs_(std::move(costs)), lines_(std::move(lines)), limit_(limit) {
    of_cell_.resize(costs_.size());
    for (std::size_t l = 0; l < lines_.size(); ++l) {
      for (std::size_t cell : lines_[l]) of_cell_[cell].push_back(l);
    }
    hidden_in_line_.assign(lines_.size(), 0);
    hidden_.assign(costs_.size(), 0);
    excluded_.assign(costs_.size(), 0);
  }

  void hide(std::size_t cell) {
    hidden_[cell] = 1;
    for (std::size_t l : of_cell_[cell]) ++hidden_in_line_[l];
  }

  void keep(std::size_t cell) { excluded_[cell] = 2; }  // never a candidate

  void unhide(std::size_t cell) {
    hidden_[cell] = 0;
    for (std::size_t l : of_cell_[cell]) --hidden_in_line_[l];
  }

  void run() { visit(Cost{}); }

  [[nodiscard]] bool found() const { return found_; }
  [[nodiscard]] bool complete() const { return nodes_ <= limit_; }
  [[nodiscard]] const std::vector<std::uint8_t>& best() const { return best_; }

 private:
  [[nodiscard]] bool cheaper(const Cost& cost) const { return !found_ || cost < best_cost_; }

  void visit(const Cost& cost) {
    if (++nodes_ > limit_ && found_) return;
    // The violated line with the fewest candidates, and a lower bound: every
    // violated line needs one more cell, at least its cheapest candidate.
    std::vector<std::size_t> branch;
    bool violated = false;
    Cost bound;
    for (std::size_t l = 0; l < lines_.size(); ++l) {
      if (hidden_in_line_[l] != 1) continue;
      std::vector<std::size_t> candidates;
      for (std::size_t cell : lines_[l]) {
        if (!hidden_[cell] && !excluded_[cell]) candidates.push_back(cell);
      }
      if (candidates.empty()) return;  // this line can no longer be protected
      Cost cheapest = costs_[candidates.front()];
      for (std::size_t cell : candidates) {
        if (costs_[cell] < cheapest) cheapest = costs_[cell];
      }
      if (bound < cheapest) bound = cheapest;
      if (!violated || candidates.size() < branch.size()) branch = std::move(candidates);
      violated = true;
    }
    if (!violated) {
      if (cheaper(cost)) {
        found_ = true;
        best_cost_ = cost;
        best_ = hidden_;
      }
      return;
    }
    if (!cheaper(cost + bound)) return;
    std::stable_sort(branch.begin(), branch.end(), [&](std::size_t a, std::size_t b) { return costs_[a] < costs_[b]; });
    std::vector<std::size_t> tried;
    for (std::size_t cell : branch) {
      if (!cheaper(cost + costs_[cell])) break;  // the rest cost as much or more
      hide(cell);
      visit(cost + costs_[cell]);
      unhide(cell);
      excluded_[cell] = 1;
      tried.push_back(cell);
      if (nodes_ > limit_ && found_) break;
    }
    for (std::size_t cell : tried) excluded_[cell] = 0;  // (kept cells are never tried)
  }

  std::vector<Cost> costs_;
  std::vector<std::vector<std::size_t>> lines_;
  std::vector<std::vector<std::size_t>> of_cell_;
  std::vector<int> hidden_in_line_;
  std::vector<std::uint8_t> hidden_, excluded_, best_;
  std::size_t limit_;
  std::size_t nodes_ = 0;
  bool found_ = false;
  Cost best_cost_;
};

}  // namespace

CellSuppression suppress_cells(const CountGrid& grid, int min_count, std::size_t node_limit) {
  if (min_count < 1) throw argument_error("min_count must be at least 1, got " + std::to_string(min_count));
  const std::size_t rows = grid.rows, columns = grid.columns, n = rows * columns;
  if (grid.counts.size() != n) throw argument_error("the counts do not fill rows x columns");
  if (!grid.totals.empty() && grid.totals.size() != rows) throw argument_error("one total flag per row is needed");
  if (grid.row_total >= static_cast<long>(columns)) throw argument_error("the row total is not a column");
  if (!grid.fixed.empty() && grid.fixed.size() != n) throw argument_error("one fixed flag per cell is needed");
  auto present = [&](std::size_t r, std::size_t c) { return !std::isnan(grid.counts[r * columns + c]); };
  auto is_total = [&](std::size_t r) { return !grid.totals.empty() && grid.totals[r] != 0; };

  CellSuppression out;
  out.hidden.assign(n, 0);
  out.primary.assign(n, 0);
  out.rates_hidden.assign(rows, 0);
  out.group_hidden.assign(rows, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = grid.counts[i];
    if (!std::isnan(v) && v >= 1 && v < min_count) {
      out.primary[i] = 1;
      ++out.primary_cells;
    }
  }

  // The sums a reader can check: columns over the rows, rows over the columns.
  std::vector<std::vector<std::size_t>> lines;
  for (std::size_t c = 0; c < columns; ++c) {
    std::vector<std::size_t> line;
    std::size_t inner = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      if (!present(r, c)) continue;
      line.push_back(r * columns + c);
      inner += is_total(r) ? 0 : 1;
    }
    if (inner >= 1 && line.size() >= 2) lines.push_back(std::move(line));
  }
  if (grid.row_total >= 0) {
    const auto total_column = static_cast<std::size_t>(grid.row_total);
    for (std::size_t r = 0; r < rows; ++r) {
      if (!present(r, total_column)) continue;
      std::vector<std::size_t> line;
      for (std::size_t c = 0; c < columns; ++c) {
        if (present(r, c)) line.push_back(r * columns + c);
      }
      if (line.size() >= 2) lines.push_back(std::move(line));
    }
  }

  std::vector<Cost> costs(n);
  std::vector<std::uint8_t> margin(n, 0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns; ++c) {
      const std::size_t i = r * columns + c;
      const double v = std::isnan(grid.counts[i]) ? 0.0 : std::max(0.0, grid.counts[i]);
      margin[i] = is_total(r) ? 1 : 0;
      costs[i].cells = 1;
      costs[i].zeros = v == 0 ? 1 : 0;
      (margin[i] ? costs[i].totals : costs[i].persons) = v;
    }
  }
  Search search(std::move(costs), std::move(lines), node_limit);
  for (std::size_t i = 0; i < n; ++i) {
    if (out.primary[i]) {
      search.hide(i);
    } else if (!grid.fixed.empty() && grid.fixed[i]) {
      search.keep(i);
    }
  }
  search.run();
  out.hidden = search.found() ? search.best() : out.primary;
  out.optimal = search.complete();
  for (std::size_t i = 0; i < n; ++i) {
    if (out.hidden[i] && !out.primary[i]) {
      ++out.secondary_cells;
      if (!margin[i]) out.secondary_persons += grid.counts[i];
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    std::size_t shown = 0, blanked = 0;
    for (std::size_t c = 0; c < columns; ++c) {
      if (!present(r, c)) continue;
      ++shown;
      blanked += out.hidden[r * columns + c];
    }
    out.rates_hidden[r] = blanked > 0 ? 1 : 0;
    out.group_hidden[r] = blanked > 0 && blanked == shown ? 1 : 0;
  }
  return out;
}

}  // namespace staffcast
