// The indicators file of the synthetic generator. Private to staffcast::generate.
#pragma once

#include "organisation.hpp"
#include "output.hpp"

#include <cstddef>
#include <vector>

namespace staffcast::detail::gen {

/// Writes indicators.csv (header and rows) for the departments marked in
/// `staffed` (those that appear in the register); returns the rows written.
std::size_t write_indicators(const Model& m, const std::vector<bool>& staffed, CsvFile& out);

}  // namespace staffcast::detail::gen
