// The years of an outlook (retirements, expected retirements, recruitment
// need), decided once for C++, Python and the CLI.
//
//   a count N:      the N calendar years after the as-of year
//                   (as of 2024-09-30, 3 -> 2025, 2026, 2027);
//   a text "N":     the same count;
//   a text "Y1-Yn": the years Y1..Yn, in order.
#pragma once

#include <staffcast/calendar.hpp>

#include <string_view>
#include <vector>

namespace staffcast {

/// The `count` calendar years after the year of `as_of`.
/// argument_error "years must be at least 1" unless count >= 1.
std::vector<int> outlook_years(day_t as_of, int count);

/// The years of `text`, a count "N" (see above) or a range "Y1-Yn" (surrounding
/// blanks ignored). argument_error "years Y1-Yn are reversed" when Yn < Y1, and
/// when the text is neither.
std::vector<int> outlook_years(day_t as_of, std::string_view text);

}  // namespace staffcast
