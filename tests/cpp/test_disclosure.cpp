// Disclosure control: primary and secondary suppression, checked against
// tables worked out by hand and against a brute-force search over every set
// of secondary cells.
#include <staffcast/error.hpp>
#include <staffcast/stats/disclosure.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace staffcast;

namespace {

CountGrid grid(std::size_t rows, std::size_t columns, std::vector<double> counts, std::vector<std::uint8_t> totals,
               long row_total) {
  CountGrid g;
  g.rows = rows;
  g.columns = columns;
  g.counts = std::move(counts);
  g.totals = std::move(totals);
  g.row_total = row_total;
  return g;
}

std::vector<std::uint8_t> cells(std::size_t n, std::vector<std::size_t> hidden) {
  std::vector<std::uint8_t> out(n, 0);
  for (std::size_t i : hidden) out[i] = 1;
  return out;
}

// The sums of the grid written out again, the plain way: every column, every
// row when there is a row total; a set is safe when no sum holds exactly one
// hidden cell.
bool safe(const CountGrid& g, const std::vector<std::uint8_t>& hidden) {
  for (std::size_t c = 0; c < g.columns; ++c) {
    std::size_t present = 0, inner = 0, blanked = 0;
    for (std::size_t r = 0; r < g.rows; ++r) {
      const std::size_t i = r * g.columns + c;
      if (std::isnan(g.counts[i])) continue;
      ++present;
      inner += (!g.totals.empty() && g.totals[r]) ? 0 : 1;
      blanked += hidden[i];
    }
    if (inner >= 1 && present >= 2 && blanked == 1) return false;
  }
  if (g.row_total < 0) return true;
  for (std::size_t r = 0; r < g.rows; ++r) {
    if (std::isnan(g.counts[r * g.columns + static_cast<std::size_t>(g.row_total)])) continue;
    std::size_t present = 0, blanked = 0;
    for (std::size_t c = 0; c < g.columns; ++c) {
      const std::size_t i = r * g.columns + c;
      if (std::isnan(g.counts[i])) continue;
      ++present;
      blanked += hidden[i];
    }
    if (present >= 2 && blanked == 1) return false;
  }
  return true;
}

// The cheapest safe set of secondary cells, every subset tried, in the order
// the search uses: persons in cells outside the total rows, then cells, then
// persons in the totals (the tables here have no zeros). Returns the persons.
double brute_force(const CountGrid& g, int k) {
  const std::size_t n = g.counts.size();
  std::vector<std::size_t> free;
  std::vector<std::uint8_t> base(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = g.counts[i];
    if (std::isnan(v)) continue;
    if (v >= 1 && v < k) {
      base[i] = 1;
    } else if (g.fixed.empty() || !g.fixed[i]) {
      free.push_back(i);
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  double best_persons = inf, best_cells = inf, best_totals = inf;
  for (std::uint32_t mask = 0; mask < (1U << free.size()); ++mask) {
    std::vector<std::uint8_t> hidden = base;
    double persons = 0, cells = 0, totals = 0;
    for (std::size_t b = 0; b < free.size(); ++b) {
      if (mask & (1U << b)) {
        hidden[free[b]] = 1;
        cells += 1;
        (g.totals[free[b] / g.columns] ? totals : persons) += g.counts[free[b]];
      }
    }
    const bool better =
        persons < best_persons ||
        (persons == best_persons && (cells < best_cells || (cells == best_cells && totals < best_totals)));
    if (better && safe(g, hidden)) {
      best_persons = persons;
      best_cells = cells;
      best_totals = totals;
    }
  }
  return best_persons;
}

}  // namespace

TEST(Disclosure, TwoCategoriesByHand) {
  // Women and men, full time and part time, persons as the row total, a Total row.
  //            full  part  persons
  //   F         500     2      502
  //   M         247    40      287
  //   Total     747    42      789
  // F part time (2) is hidden. Its row needs one more cell (F full 500 or F
  // persons 502), its column one more (M part 40 or the Total's 42, which is
  // nobody's own cell). Through the Total: F full + Total part + Total full
  // hides 500 persons' cells; F persons + Total part + Total persons 502;
  // through the men: 500 + 40 + 247 = 787. The men stay visible.
  const CountGrid g = grid(3, 3, {500, 2, 502, 247, 40, 287, 747, 42, 789}, {0, 0, 1}, 2);
  const CellSuppression s = suppress_cells(g, 5);
  EXPECT_EQ(s.hidden, cells(9, {0, 1, 6, 7}));
  EXPECT_EQ(s.primary, cells(9, {1}));
  EXPECT_EQ(s.primary_cells, 1U);
  EXPECT_EQ(s.secondary_cells, 3U);
  EXPECT_DOUBLE_EQ(s.secondary_persons, 500);
  EXPECT_TRUE(s.optimal);
  EXPECT_EQ(s.rates_hidden, (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(s.group_hidden, (std::vector<std::uint8_t>{0, 0, 0}));  // the persons column stays
  EXPECT_DOUBLE_EQ(brute_force(g, 5), 500);
}

TEST(Disclosure, FewestPersonsNotTheSmallestCellFirst) {
  //            a     b   total
  //   R1       2   100     102
  //   R2      50    60     110
  //   R3      10    70      80
  //   Total   62   230     292
  // Blanking the smallest visible group cell of each open sum in turn hides
  // R1 b, R3 a, R2 b, R3 b and R2 a: 290 persons. With the totals as
  // candidates, R1 b (100) with the Total's a and b closes every sum.
  const CountGrid g = grid(4, 3, {2, 100, 102, 50, 60, 110, 10, 70, 80, 62, 230, 292}, {0, 0, 0, 1}, 2);
  const CellSuppression s = suppress_cells(g, 5);
  EXPECT_EQ(s.hidden, cells(12, {0, 1, 9, 10}));
  EXPECT_DOUBLE_EQ(s.secondary_persons, 100);
  EXPECT_DOUBLE_EQ(brute_force(g, 5), 100);
  // When the Total row is published elsewhere it must stay: R1 b (100), R3 a
  // (10) and R3 b (70) close every sum with 180, where the greedy choice hid 290.
  CountGrid kept = g;
  kept.fixed = cells(12, {9, 10, 11});
  const CellSuppression k = suppress_cells(kept, 5);
  EXPECT_EQ(k.hidden, cells(12, {0, 1, 6, 7}));
  EXPECT_DOUBLE_EQ(k.secondary_persons, 180);
  EXPECT_DOUBLE_EQ(brute_force(kept, 5), 180);
}

TEST(Disclosure, OneGroupAndItsTotal) {
  // A single group equals its Total: the Total's small cells must go too.
  const CountGrid g = grid(2, 3, {3, 2, 5, 3, 2, 5}, {0, 1}, 2);
  const CellSuppression s = suppress_cells(g, 5);
  EXPECT_EQ(s.hidden, cells(6, {0, 1, 3, 4}));
  EXPECT_DOUBLE_EQ(s.secondary_persons, 0);  // totals are nobody's own cells
}

TEST(Disclosure, AZeroOnlyWhenNothingElseProtects) {
  // Beside a hidden 1, a hidden 0 would give the 1 away (a hidden small count is at least 1).
  const CellSuppression s = suppress_cells(grid(3, 1, {1, 0, 30}, {}, -1), 5);
  EXPECT_EQ(s.hidden, cells(3, {0, 2}));
  const CellSuppression only = suppress_cells(grid(2, 1, {1, 0}, {}, -1), 5);
  EXPECT_EQ(only.hidden, cells(2, {0, 1}));
}

TEST(Disclosure, OneColumnWithoutTotalsAndAWholeGroup) {
  // No Total row: the column is still a sum a reader may know from elsewhere.
  const CountGrid g = grid(3, 1, {3, 40, 12}, {}, -1);
  const CellSuppression s = suppress_cells(g, 5);
  EXPECT_EQ(s.hidden, cells(3, {0, 2}));
  EXPECT_EQ(s.group_hidden, (std::vector<std::uint8_t>{1, 0, 1}));
  // With a single row there is no sum to protect.
  const CellSuppression alone = suppress_cells(grid(1, 1, {3}, {}, -1), 5);
  EXPECT_EQ(alone.hidden, cells(1, {0}));
  EXPECT_EQ(alone.secondary_cells, 0U);
}

TEST(Disclosure, MissingCountsAreInNoSum) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const CountGrid g = grid(3, 1, {3, nan, 12}, {}, -1);
  const CellSuppression s = suppress_cells(g, 5);
  EXPECT_EQ(s.hidden, cells(3, {0, 2}));
}

TEST(Disclosure, MatchesBruteForceOnRandomTables) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(1, 30);
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t rows = 2 + trial % 3, inner = 2;  // inner rows + a Total row; 2 columns + row total
    const std::size_t columns = inner + 1;
    std::vector<double> counts((rows + 1) * columns, 0.0);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < inner; ++c) {
        const double v = value(rng);
        counts[r * columns + c] = v;
        counts[r * columns + inner] += v;
      }
    }
    for (std::size_t c = 0; c < columns; ++c) {
      for (std::size_t r = 0; r < rows; ++r) counts[rows * columns + c] += counts[r * columns + c];
    }
    std::vector<std::uint8_t> totals(rows + 1, 0);
    totals[rows] = 1;
    const CountGrid g = grid(rows + 1, columns, counts, totals, static_cast<long>(inner));
    const CellSuppression s = suppress_cells(g, 5);
    EXPECT_TRUE(safe(g, s.hidden)) << trial;
    EXPECT_DOUBLE_EQ(s.secondary_persons, brute_force(g, 5)) << trial;
    CountGrid kept = g;  // and with the Total row kept visible
    kept.fixed.assign(g.counts.size(), 0);
    for (std::size_t c = 0; c < columns; ++c) kept.fixed[rows * columns + c] = 1;
    const CellSuppression k = suppress_cells(kept, 5);
    EXPECT_TRUE(safe(kept, k.hidden)) << trial;
    EXPECT_DOUBLE_EQ(k.secondary_persons, brute_force(kept, 5)) << trial;
  }
}

TEST(Disclosure, RejectsBadArguments) {
  EXPECT_THROW(suppress_cells(grid(1, 1, {3}, {}, -1), 0), argument_error);
  EXPECT_THROW(suppress_cells(grid(2, 1, {3}, {}, -1), 5), argument_error);
  EXPECT_THROW(suppress_cells(grid(1, 1, {3}, {0, 1}, -1), 5), argument_error);
  EXPECT_THROW(suppress_cells(grid(1, 1, {3}, {}, 1), 5), argument_error);
  CountGrid bad = grid(1, 1, {3}, {}, -1);
  bad.fixed = {0, 1};
  EXPECT_THROW(suppress_cells(bad, 5), argument_error);
}
