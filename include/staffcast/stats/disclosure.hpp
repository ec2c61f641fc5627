// Disclosure control of a published table: which counts to blank so that no
// count from 1 to K - 1 can be read, or worked out from the totals
// (docs/privacy.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace staffcast {

/// The counts of a table as disclosure control sees them.
struct CountGrid {
  std::size_t rows = 0, columns = 0;
  std::vector<double> counts;        // rows x columns, row by row; NaN = no count (never hidden, in no sum)
  std::vector<std::uint8_t> totals;  // per row: 1 when the row holds the column sums of the other rows
  long row_total = -1;               // the column holding each row's sum of the other columns, or -1
  std::vector<std::uint8_t> fixed;   // rows x columns or empty: 1 = published elsewhere, never a secondary cell
};

/// Which cells are blanked, and what that costs.
struct CellSuppression {
  std::vector<std::uint8_t> hidden;        // rows x columns: blanked (primary or secondary)
  std::vector<std::uint8_t> primary;       // rows x columns: counts from 1 to K - 1
  std::vector<std::uint8_t> rates_hidden;  // per row: a count is blanked, so the rates derived from counts are too
  std::vector<std::uint8_t> group_hidden;  // per row: every count is blanked, so the group's own values are too
  std::size_t primary_cells = 0, secondary_cells = 0;
  double secondary_persons = 0;  // persons in the secondary cells that are not totals
  bool optimal = true;           // false when the search stopped at its node limit with the best found so far
};

/// Primary suppression blanks every count from 1 to min_count - 1. A sum is a
/// column over the rows (with the total rows, when there are any; without
/// them, when there are at least two rows), and a row over the columns when
/// the grid has a row total (with it). Secondary suppression then blanks
/// further cells, totals included, until no sum holds exactly one blanked
/// cell. It hides the fewest persons: of all the sets that do this, it takes
/// the one that hides a 0 only where nothing else does (beside a blanked 1 a
/// blanked 0 gives the 1 away), then the fewest persons whose own cell is
/// hidden (a cell of a total row is nobody's own cell: the persons in it keep
/// their own cells), then the fewest cells, then the smallest totals. Cells
/// marked fixed (a total that is published elsewhere too) are never chosen. The search is an exact branch and bound,
/// stopped after node_limit nodes with the best set found so far. Throws argument_error when min_count < 1 or the sizes
/// disagree.
CellSuppression suppress_cells(const CountGrid& grid, int min_count, std::size_t node_limit = 2'000'000);

}  // namespace staffcast
